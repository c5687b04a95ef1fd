//! Data operations end to end: an export of every kind taken from one
//! engine and imported into the other answers every read route the same;
//! a business export holds every item of the business without a Scan;
//! bad lines are refused by line and field with nothing of them written;
//! a second import changes nothing; a spreadsheet of customers comes in
//! through the API's own rules with its opening balances.

mod common;

use async_trait::async_trait;
use axum::http::{Method, StatusCode};
use common::{Backend, TestApp};
use hisaab::clock::Clock;
use hisaab::dataops::demo::DemoSize;
use hisaab::dataops::export::{self, Scope};
use hisaab::dataops::import::{self, ImportReport, OnError};
use hisaab::dataops::{Kind, kind_of};
use hisaab::table::{Cond, Item, Key, Page, Query, Scan, Table, TableError, Write};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A SQLite app with the demo set (a trader with customers, invoices,
/// payments and reports; a dairy with daily deliveries), made through the
/// domain's writes, and a platform admin.
async fn seeded() -> (TestApp, String) {
    let t = TestApp::new(Backend::Sqlite).await;
    t.app
        .seed_demo(
            DemoSize {
                customers: 30,
                months: 2,
            },
            &mut |_, _, _| {},
        )
        .await
        .expect("demo");
    let (admin, _) = t.admin(hisaab::identity::Role::AdminSuper).await;
    (t, admin)
}

async fn export_lines(table: Arc<dyn Table>, scope: Scope, kind: Option<Kind>) -> Vec<String> {
    let mut lines = Vec::new();
    export::export(table, &scope, kind, &mut |i| {
        lines.push(serde_json::to_string(i)?);
        Ok(())
    })
    .await
    .expect("export");
    lines
}

async fn import_lines(table: &dyn Table, lines: &[String], on_error: OnError) -> ImportReport {
    let text = lines.join("\n");
    import::import(table, text.as_bytes(), on_error, &mut |_| {})
        .await
        .expect("import")
}

/// The business ids of the demo: (trader, dairy).
fn businesses(lines: &[String]) -> (String, String) {
    let mut found = BTreeMap::new();
    for l in lines {
        let v: Value = serde_json::from_str(l).unwrap();
        if v["entity"] == "business" {
            found.insert(
                v["name"].as_str().unwrap().to_string(),
                v["id"].as_str().unwrap().to_string(),
            );
        }
    }
    (
        found["Sharma Traders"].clone(),
        found["Gokul Dairy"].clone(),
    )
}

/// The first value of `attr` on an item of `entity` of business `bid`.
fn first(lines: &[String], bid: &str, entity: &str, attr: &str) -> String {
    lines
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| {
            v["entity"] == entity
                && (v["business_id"] == bid || v["reporter_business_id"] == bid)
                && v[attr].is_string()
        })
        .map(|v| v[attr].as_str().unwrap().to_string())
        .unwrap_or_else(|| "none".into())
}

/// The item stored under the keys of `line`.
async fn stored_item(t: &TestApp, line: &Value) -> Item {
    let key = Key::new(line["PK"].as_str().unwrap(), line["SK"].as_str().unwrap());
    t.app
        .table
        .get(&key)
        .await
        .unwrap()
        .expect("the item is stored")
}

/// Every `GET` route of the API with its parameters filled from the
/// data of business `bid`.
fn read_paths(lines: &[String], bid: &str) -> Vec<String> {
    let delivery_date = first(lines, bid, "delivery", "date");
    let values: BTreeMap<&str, String> = [
        ("customer_id", first(lines, bid, "customer", "id")),
        ("invoice_id", first(lines, bid, "invoice", "id")),
        ("payment_id", first(lines, bid, "payment", "id")),
        ("order_id", first(lines, bid, "order", "id")),
        ("product_id", first(lines, bid, "product", "id")),
        ("report_id", first(lines, bid, "report", "id")),
        ("company_id", first(lines, bid, "customer", "company_id")),
        ("date", delivery_date.clone()),
        (
            "month",
            delivery_date.get(..7).unwrap_or("2026-01").to_string(),
        ),
        ("business_id", bid.to_string()),
        ("kind", "reminder".into()),
        ("channel", "sms".into()),
    ]
    .into_iter()
    .collect();
    hisaab_functions::routes::all()
        .into_iter()
        .filter(|r| r.method == Method::GET)
        .map(|r| {
            let mut p = r.path.clone();
            for (k, v) in &values {
                p = p.replace(&format!("{{{k}}}"), v);
            }
            p
        })
        .collect()
}

/// A response as compared across stores: links differ by host and
/// signature (a local file route against a presigned S3 URL), so every
/// `http…` string is one placeholder.
fn comparable(v: &Value) -> Value {
    match v {
        Value::String(s) if s.starts_with("http") => Value::String("<link>".into()),
        Value::Array(a) => Value::Array(a.iter().map(comparable).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (k.clone(), comparable(v))).collect())
        }
        v => v.clone(),
    }
}

/// Every read route answers `b` as it answers `a`, for each token.
async fn same_answers(a: &TestApp, b: &TestApp, tokens: &[(&str, Vec<String>)]) {
    let mut checked = 0;
    for (token, paths) in tokens {
        for path in paths {
            let ra = a.call(Method::GET, path, Some(token), None).await;
            let rb = b.call(Method::GET, path, Some(token), None).await;
            assert_eq!(
                (ra.status, comparable(&ra.body)),
                (rb.status, comparable(&rb.body)),
                "GET {path} answers differently after the import"
            );
            if ra.status == StatusCode::OK {
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "only {checked} reads answered 200");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_crosses_to_the_other_engine_and_back_and_reads_the_same() {
    let (a, admin) = seeded().await;
    let lines = export_lines(a.app.table.clone(), Scope::Platform { segments: 4 }, None).await;
    let kinds: BTreeSet<Kind> = lines
        .iter()
        .map(|l| kind_of(&serde_json::from_str(l).unwrap()).unwrap())
        .collect();
    for k in [
        Kind::Businesses,
        Kind::Customers,
        Kind::Products,
        Kind::Invoices,
        Kind::Payments,
        Kind::Orders,
        Kind::Deliveries,
        Kind::Companies,
        Kind::Reports,
        Kind::Users,
        Kind::Audit,
        Kind::Aggregates,
    ] {
        assert!(kinds.contains(&k), "the demo has no {}", k.as_str());
    }
    assert!(!kinds.contains(&Kind::Other), "an item of no known kind");
    let (trader, dairy) = businesses(&lines);
    let trader_token = a.verify_again("+919800000001").await;
    let dairy_token = a.verify_again("+919800000002").await;
    let tokens = [
        (trader_token.as_str(), read_paths(&lines, &trader)),
        (dairy_token.as_str(), read_paths(&lines, &dairy)),
        (admin.as_str(), read_paths(&lines, &trader)),
    ];

    // SQLite → DynamoDB (when this run has moto) → SQLite.
    let mut hops = vec![];
    if let Some(b) = TestApp::dynamo().await {
        hops.push(b);
    }
    hops.push(TestApp::new(Backend::Sqlite).await);
    let mut from = lines.clone();
    for to in &hops {
        to.clock.set(a.clock.now());
        let r = import_lines(to.app.table.as_ref(), &from, OnError::Stop).await;
        assert!(r.invalid.is_empty() && r.conflicts.is_empty(), "{r:?}");
        assert_eq!(r.written, from.len() as u64);
        same_answers(&a, to, &tokens).await;
        from = export_lines(to.app.table.clone(), Scope::Platform { segments: 3 }, None).await;
        let sorted = |l: &[String]| {
            l.iter()
                .map(|s| serde_json::from_str::<Value>(s).unwrap())
                .map(|v| v.to_string())
                .collect::<BTreeSet<_>>()
        };
        assert_eq!(sorted(&from), sorted(&lines), "the items came back changed");
    }
}

/// The real table, counting Scans.
struct NoScan {
    inner: Arc<dyn Table>,
    scans: AtomicU64,
}

#[async_trait]
impl Table for NoScan {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        self.inner.get(key).await
    }
    async fn put(&self, item: Item, cond: Option<Cond>) -> Result<(), TableError> {
        self.inner.put(item, cond).await
    }
    async fn delete(&self, key: &Key, cond: Option<Cond>) -> Result<(), TableError> {
        self.inner.delete(key, cond).await
    }
    async fn query(&self, q: &Query) -> Result<Page, TableError> {
        self.inner.query(q).await
    }
    async fn add(&self, k: &Key, a: &str, d: i64, c: Option<Cond>) -> Result<i64, TableError> {
        self.inner.add(k, a, d, c).await
    }
    async fn transact(&self, w: Vec<Write>) -> Result<(), TableError> {
        self.inner.transact(w).await
    }
    async fn scan(&self, s: &Scan) -> Result<Page, TableError> {
        self.scans.fetch_add(1, Ordering::SeqCst);
        self.inner.scan(s).await
    }
    async fn put_batch(&self, items: Vec<Item>) -> Result<(), TableError> {
        self.inner.put_batch(items).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_business_export_holds_every_item_of_the_business_without_a_scan() {
    let (a, _) = seeded().await;
    let all = export_lines(a.app.table.clone(), Scope::Platform { segments: 1 }, None).await;
    let (trader, dairy) = businesses(&all);
    for bid in [&trader, &dairy] {
        let counted = Arc::new(NoScan {
            inner: a.app.table.clone(),
            scans: AtomicU64::new(0),
        });
        let mine = export_lines(counted.clone(), Scope::Business(bid.clone()), None).await;
        assert_eq!(
            counted.scans.load(Ordering::SeqCst),
            0,
            "a business export scanned"
        );
        let keys = |lines: &[String]| -> BTreeSet<(String, String)> {
            lines
                .iter()
                .map(|l| serde_json::from_str::<Item>(l).unwrap())
                .map(|i| {
                    let k = Key::of(&i).unwrap();
                    (k.pk, k.sk)
                })
                .collect()
        };
        let exported = keys(&mine);
        // Every item whose key names the business is in its export.
        let named: Vec<(String, String)> = keys(&all)
            .into_iter()
            .filter(|(pk, sk)| pk.contains(bid.as_str()) || sk.starts_with(bid.as_str()))
            .filter(|k| !exported.contains(k))
            .collect();
        assert!(named.is_empty(), "left out of {bid}'s export: {named:?}");
        // And none of the other business's.
        let other = if bid == &trader { &dairy } else { &trader };
        assert!(
            mine.iter()
                .all(|l| !l.contains(&format!("\"business_id\":\"{other}\""))),
            "{bid}'s export holds items of {other}"
        );
    }
    // One kind alone: only customers, their lookups and links.
    let customers = export_lines(
        a.app.table.clone(),
        Scope::Business(trader.clone()),
        Some(Kind::Customers),
    )
    .await;
    assert!(!customers.is_empty());
    assert!(customers.iter().all(|l| {
        let i: Item = serde_json::from_str(l).unwrap();
        kind_of(&i) == Some(Kind::Customers)
    }));
}

both!(
    bad_lines_are_refused_by_line_and_field_and_a_second_import_changes_nothing,
    |t: TestApp| async move {
        let (src, _) = seeded().await;
        let all = export_lines(src.app.table.clone(), Scope::Platform { segments: 1 }, None).await;
        let (trader, dairy) = businesses(&all);
        let mut lines: Vec<String> = all
            .iter()
            .filter(|l| l.contains(&trader) || !l.contains("business_id"))
            .cloned()
            .collect();
        let customer_at = lines
            .iter()
            .position(|l| l.contains("\"entity\":\"customer\""))
            .unwrap();
        let customer: Value = serde_json::from_str(&lines[customer_at]).unwrap();
        let mut bad = vec![];
        let with = |f: &dyn Fn(&mut Value)| {
            let mut c = customer.clone();
            f(&mut c);
            c.to_string()
        };
        bad.push(("phone", with(&|c| c["phone"] = "12345".into())));
        bad.push(("gstin", with(&|c| c["gstin"] = "27AAPFU0939F1ZX".into())));
        bad.push((
            "SK",
            with(&|c| {
                c.as_object_mut().unwrap().remove("SK");
            }),
        ));
        bad.push((
            "PK",
            with(&|c| {
                c["PK"] = format!("BIZ#{dairy}").into();
                c["id"] = "cus_01ZZZZZZZZZZZZZZZZZZZZZZZZ".into();
            }),
        ));
        bad.push(("balance", with(&|c| c["balance"] = "a lot".into())));
        bad.push(("line", "{not json".to_string()));
        let good = lines.len();
        for (k, (_, l)) in bad.iter().enumerate() {
            lines.insert(10 + k * 3, l.clone());
        }
        let r = import_lines(t.app.table.as_ref(), &lines, OnError::Skip).await;
        let fields: Vec<&str> = r.invalid.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(
            fields,
            bad.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            "{:?}",
            r.invalid
        );
        assert_eq!(r.invalid[0].line, 11, "{:?}", r.invalid);
        assert_eq!(r.written, good as u64);
        assert!(r.conflicts.is_empty());
        // Nothing of a bad line was written: the customer has its real phone.
        let stored = stored_item(&t, &customer).await;
        assert_eq!(stored["phone"], customer["phone"]);
        assert!(
            t.app
                .table
                .get(&Key::new(
                    format!("BIZ#{dairy}"),
                    "CUS#cus_01ZZZZZZZZZZZZZZZZZZZZZZZZ"
                ))
                .await
                .unwrap()
                .is_none()
        );

        // The same file again: nothing written, nothing duplicated.
        let again = import_lines(t.app.table.as_ref(), &lines, OnError::Skip).await;
        assert_eq!((again.written, again.unchanged), (0, good as u64));
        assert!(again.conflicts.is_empty());

        // A changed customer of the same version is left alone; a newer
        // version is a conflict, reported and not written.
        let mut renamed = customer.clone();
        renamed["notes"] = "Changed elsewhere".into();
        let r = import_lines(t.app.table.as_ref(), &[renamed.to_string()], OnError::Skip).await;
        assert_eq!((r.written, r.unchanged, r.conflicts.len()), (0, 1, 0));
        renamed["version"] = (customer["version"].as_i64().unwrap() + 1).into();
        let r = import_lines(t.app.table.as_ref(), &[renamed.to_string()], OnError::Stop).await;
        assert_eq!(r.conflicts.len(), 1, "{r:?}");
        assert!(r.stopped);
        let stored = stored_item(&t, &customer).await;
        assert_eq!(stored.get("notes"), customer.get("notes"));
        // A changed name under the old index keys is refused: the name is
        // part of the customer's GSI keys.
        let mut moved = customer.clone();
        moved["name"] = "Renamed".into();
        let r = import_lines(t.app.table.as_ref(), &[moved.to_string()], OnError::Skip).await;
        assert_eq!(r.invalid.len(), 1, "{r:?}");
        assert!(r.invalid[0].field.starts_with("GSI"), "{r:?}");

        // --on-error stop: the lines before the bad one are in, none after.
        let fresh = TestApp::new(t.backend).await;
        let r = import_lines(fresh.app.table.as_ref(), &lines, OnError::Stop).await;
        assert!(r.stopped);
        assert_eq!(r.invalid.len(), 1);
        assert_eq!(r.written, 10);
    }
);

both!(
    a_spreadsheet_of_customers_comes_in_with_the_apis_rules_and_opening_balances,
    |t: TestApp| async move {
        let (token, _, user) = t.owner().await;
        let bid = user["business_id"].as_str().unwrap().to_string();
        let gstin = hisaab::dataops::demo::demo_gstin(29, 5);
        let sheet = format!(
            "Name,Mobile,GSTIN,Opening Balance,Notes\n\
                 Lakshmi Provision Mart,98450 12345,{gstin},\"1,500.50\",regular\n\
                 Farhan Traders,+919845012346,,-200,advance\n\
                 Bad Gst Stores,9845012347,29AAPFU0939F1ZX,0,\n\
                 Bad Phone Stores,12345,,0,\n\
                 ,9845012349,,0,\n\
                 Bad Amount,9845012350,,12.345,\n"
        );
        let r = t
            .app
            .import_customers_csv(&bid, sheet.as_bytes(), OnError::Skip)
            .await
            .unwrap();
        assert_eq!(r.written, 2, "{r:?}");
        let invalid: Vec<(u64, &str)> = r
            .invalid
            .iter()
            .map(|i| (i.line, i.field.as_str()))
            .collect();
        assert_eq!(
            invalid,
            vec![
                (4, "gstin"),
                (5, "phone"),
                (6, "name"),
                (7, "opening_balance")
            ]
        );
        let list = common::get(&t, &token, "/v1/customers?limit=100").await;
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{list}");
        let balance = |name: &str| {
            items
                .iter()
                .find(|c| c["name"] == name)
                .map(|c| c["balance"].as_i64().unwrap())
                .unwrap()
        };
        assert_eq!(balance("Lakshmi Provision Mart"), 150_050);
        assert_eq!(balance("Farhan Traders"), -20_000);
        let lakshmi = items
            .iter()
            .find(|c| c["name"] == "Lakshmi Provision Mart")
            .unwrap();
        assert_eq!(lakshmi["phone"], "+919845012345");
        let dash = common::get(&t, &token, "/v1/reports/dashboard").await;
        assert!(
            dash.to_string().contains("150050"),
            "the dashboard counts the opening balance: {dash}"
        );

        // The same sheet again creates no one.
        let again = t
            .app
            .import_customers_csv(&bid, sheet.as_bytes(), OnError::Stop)
            .await
            .unwrap();
        assert_eq!((again.written, again.unchanged), (0, 2), "{again:?}");
        assert!(again.stopped);
        let list = common::get(&t, &token, "/v1/customers?limit=100").await;
        assert_eq!(list["items"].as_array().unwrap().len(), 2);
    }
);

both!(
    a_super_admin_exports_a_business_to_the_documents_bucket_and_gets_a_short_lived_link,
    |t: TestApp| async move {
        let (owner, _, user) = t.owner().await;
        let bid = user["business_id"].as_str().unwrap().to_string();
        let c = common::post(
            &t,
            &owner,
            "/v1/customers",
            serde_json::json!({"name": "Meera Stores", "phone": "+919845000111"}),
        )
        .await;
        let (admin, _) = t.admin(hisaab::identity::Role::AdminSuper).await;
        let (l1, _) = t.admin(hisaab::identity::Role::AdminL1).await;

        let body = serde_json::json!({"kind": "all", "business_id": bid});
        let r = t
            .call(
                Method::POST,
                "/v1/admin/exports",
                Some(&l1),
                Some(body.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t
            .call(
                Method::POST,
                "/v1/admin/exports",
                Some(&admin),
                Some(serde_json::json!({"kind": "everything"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.fields(), ["kind"]);
        let r = t
            .call(
                Method::POST,
                "/v1/admin/exports",
                Some(&admin),
                Some(serde_json::json!({"business_id": "biz_nope"})),
            )
            .await;
        assert_eq!(r.fields(), ["business_id"]);

        let r = t
            .call(Method::POST, "/v1/admin/exports", Some(&admin), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        assert_eq!(r.body["status"], "queued");
        let id = r.body["id"].as_str().unwrap().to_string();
        let path = format!("/v1/admin/exports/{id}");
        let r = t.call(Method::GET, &path, Some(&admin), None).await;
        assert_eq!(r.body["status"], "queued");
        assert!(r.body.get("download_url").is_none());

        // The job writes it once, whichever runs.
        let report = hisaab_functions::jobs::run_named(&t.app, "exports", None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(report["done"], 1, "{report}");
        let report = hisaab_functions::jobs::run_named(&t.app, "exports", None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(report["done"], 0, "{report}");

        let r = t.call(Method::GET, &path, Some(&admin), None).await;
        assert_eq!(r.body["status"], "done", "{}", r.body);
        let url = r.body["download_url"].as_str().unwrap().to_string();
        let (status, bytes) = t.fetch_link(&url).await;
        assert_eq!(status, 200);
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text.lines().count() as u64,
            r.body["items"].as_u64().unwrap()
        );
        assert!(
            text.contains(c["id"].as_str().unwrap()),
            "the customer is in the file"
        );
        let r = t
            .call(Method::GET, "/v1/admin/exports", Some(&admin), None)
            .await;
        assert_eq!(r.body[0]["id"], id.as_str());

        // Both steps are in the audit log.
        let audit = common::get(&t, &admin, &format!("/v1/admin/audit?target_id={id}")).await;
        let actions: Vec<&str> = audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert!(
            actions.contains(&"export.request") && actions.contains(&"export.link"),
            "{actions:?}"
        );

        // The link stops working after 15 minutes: the local route checks
        // the app's clock; S3 checks its own against the signed expiry.
        if let Backend::Sqlite = t.backend {
            t.clock.advance(16 * 60);
            let (status, _) = t.fetch_link(&url).await;
            assert_ne!(status, 200, "an expired link still works");
        } else {
            assert!(url.contains("X-Amz-Expires=900"), "{url}");
        }
    }
);

both!(
    an_export_asked_twice_with_one_key_is_queued_once,
    |t: TestApp| async move {
        use common::idempotency::{Retry, assert_replays};
        let (admin, _) = t.admin(hisaab::identity::Role::AdminSuper).await;
        let first = assert_replays(
            &t,
            Retry {
                method: Method::POST,
                path: "/v1/admin/exports".into(),
                token: &admin,
                key: "export-customers",
                body: serde_json::json!({"kind": "customers"}),
                other: serde_json::json!({"kind": "invoices"}),
            },
        )
        .await;
        assert_eq!(first.status, StatusCode::ACCEPTED);
        let r = t
            .call(Method::GET, "/v1/admin/exports", Some(&admin), None)
            .await;
        let ids: Vec<&Value> = r
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["id"])
            .collect();
        assert_eq!(ids, [&first.body["id"]], "one export queued");
    }
);
