//! Inventory end to end, on SQLite and on DynamoDB (moto): stock kept in
//! the same transaction as invoices, receipts and adjustments, weighted
//! average cost, margins, the negative-stock policy under concurrency,
//! bad input, low-stock marks and the digest, and the reports.

mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, get, post};
use serde_json::{Value, json};
use std::sync::Arc;

/// 09:00 in India on 1 Dec 2026: after the digest's 08:00.
fn morning() -> jiff::Timestamp {
    "2026-12-01T03:30:00Z".parse().unwrap()
}

async fn customer(t: &TestApp, tok: &str, name: &str) -> String {
    let c = post(t, tok, "/v1/customers", json!({"name": name})).await;
    c["id"].as_str().unwrap().to_string()
}

/// A tracked product at ₹60 a kg without GST (so that taxable = gross).
async fn tracked(
    t: &TestApp,
    tok: &str,
    name: &str,
    opening: &str,
    cost: i64,
    extra: Value,
) -> String {
    let mut body = json!({"name": name, "unit": "kg", "unit_price": 6000, "tax_rate_bp": 0,
        "track_stock": true, "opening_quantity": opening, "opening_cost": cost});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let p = post(t, tok, "/v1/products", body).await;
    assert_eq!(p["track_stock"], true);
    p["id"].as_str().unwrap().to_string()
}

async fn sell(t: &TestApp, tok: &str, cid: &str, pid: &str, qty: &str) -> Value {
    post(
        t,
        tok,
        "/v1/invoices",
        json!({"customer_id": cid, "lines": [{"product_id": pid, "quantity": qty}]}),
    )
    .await
}

async fn product(t: &TestApp, tok: &str, pid: &str) -> Value {
    get(t, tok, &format!("/v1/products/{pid}")).await
}

async fn supplier(t: &TestApp, tok: &str) -> String {
    let s = post(
        t,
        tok,
        "/v1/suppliers",
        json!({"name": "Agarwal Wholesale", "phone": "9876500011", "gstin": "27AAPFU0939F1ZV"}),
    )
    .await;
    s["id"].as_str().unwrap().to_string()
}

async fn policy(t: &TestApp, tok: &str, p: &str) {
    let r = t
        .call(
            Method::PATCH,
            "/v1/business/settings",
            Some(tok),
            Some(json!({ "negative_stock": p })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["negative_stock"], p);
}

fn kinds_and_balances(movements: &Value) -> Vec<(String, String)> {
    movements["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap().to_string(),
                m["on_hand_after"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

both!(
    the_issue_scenario_matches_hand_computed_figures,
    |t: TestApp| async move {
        t.clock.set(morning());
        let (tok, refresh) = t.billing_owner_sessions().await;
        let cid = customer(&t, &tok, "Mehta Kirana").await;
        // Day 1: 100 kg at ₹40 opening, 50 kg at ₹46 received.
        let pid = tracked(&t, &tok, "Toor Dal", "100", 4000, json!({})).await;
        let sid = supplier(&t, &tok).await;
        let day1 = t.today();
        let r = post(
            &t,
            &tok,
            "/v1/stock/receipts",
            json!({"supplier_id": sid, "bill_number": "AW/1187", "bill_date": day1.to_string(),
                   "lines": [{"product_id": pid, "quantity": 50, "unit_cost": 4600}]}),
        )
        .await;
        // (100 × 4,000 + 50 × 4,600) / 150 = 4,200 paise a kg.
        assert_eq!(r["total"], 230_000);
        assert_eq!(r["lines"][0]["average_cost_after"], 4200);
        assert_eq!(r["supplier_gstin"], "27AAPFU0939F1ZV");
        let p = product(&t, &tok, &pid).await;
        assert_eq!(
            (&p["on_hand"], &p["average_cost"], &p["stock_value"]),
            (&json!("150"), &json!(4200), &json!(630_000))
        );
        let s = get(&t, &tok, &format!("/v1/suppliers/{sid}")).await;
        assert_eq!(
            (&s["purchases"], &s["receipts"]),
            (&json!(230_000), &json!(1))
        );

        // Day 2: sales of 30 and 45, a cancelled sale of 10, an edit from
        // 45 to 40, an adjustment of −2.
        t.clock.advance(86_400);
        let (tok, _) = t.refresh(&refresh).await;
        let a = sell(&t, &tok, &cid, &pid, "30").await;
        assert_eq!(a["lines"][0]["cost"], 126_000);
        assert_eq!(a["cost_of_goods"], 126_000);
        assert_eq!(a["gross_margin"], 30 * 6000 - 126_000);
        assert!(a.get("stock_warnings").is_none(), "{a}");
        let b = sell(&t, &tok, &cid, &pid, "45").await;
        assert_eq!(b["cost_of_goods"], 189_000);
        let c = sell(&t, &tok, &cid, &pid, "10").await;
        assert_eq!(product(&t, &tok, &pid).await["on_hand"], "65");
        post(
            &t,
            &tok,
            &format!("/v1/invoices/{}/cancel", c["id"].as_str().unwrap()),
            json!({"reason": "billed twice"}),
        )
        .await;
        assert_eq!(product(&t, &tok, &pid).await["on_hand"], "75");
        let edited = t
            .call(
                Method::PATCH,
                &format!("/v1/invoices/{}", b["id"].as_str().unwrap()),
                Some(&tok),
                Some(json!({"lines": [{"product_id": pid, "quantity": "40"}], "version": b["version"]})),
            )
            .await;
        assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
        assert_eq!(edited.body["cost_of_goods"], 168_000);
        assert_eq!(edited.body["gross_margin"], 40 * 6000 - 168_000);
        let adj = post(
            &t,
            &tok,
            "/v1/stock/adjustments",
            json!({"product_id": pid, "quantity": "-2", "reason": "bags torn in the rain"}),
        )
        .await;
        assert_eq!(adj["kind"], "adjustment");
        assert_eq!(adj["value"], -8400);

        // 100 + 50 − 30 − 40 − 2 = 78 kg at ₹42: ₹3,27,600.
        let p = product(&t, &tok, &pid).await;
        assert_eq!(
            (&p["on_hand"], &p["average_cost"], &p["stock_value"]),
            (&json!("78"), &json!(4200), &json!(327_600))
        );
        let stock = get(&t, &tok, "/v1/stock").await;
        assert_eq!(stock["total_value"], 327_600);
        assert_eq!(stock["items"][0]["on_hand"], "78");
        let today = get(&t, &tok, "/v1/stock/valuation").await;
        assert_eq!(today["total_value"], 327_600);
        let then = get(&t, &tok, &format!("/v1/stock/valuation?as_of={day1}")).await;
        assert_eq!(then["rows"][0]["on_hand"], "150");
        assert_eq!(then["total_value"], 630_000);

        // Cost of goods 1,26,000 + 1,68,000; margin 54,000 + 72,000.
        let d = get(
            &t,
            &tok,
            &format!("/v1/reports/dashboard?from={day1}&to={}", t.today()),
        )
        .await;
        assert_eq!(d["cost_of_goods"], 294_000);
        assert_eq!(d["gross_margin"], 126_000);
        assert_eq!(d["purchased"], 230_000);
        assert_eq!(d["stock_value"], 327_600);

        let m = get(&t, &tok, &format!("/v1/products/{pid}/movements")).await;
        let expected: Vec<(String, String)> = [
            ("opening", "100"),
            ("purchase", "150"),
            ("sale", "120"),
            ("sale", "75"),
            ("sale", "65"),
            ("sale_reversed", "75"),
            ("sale_reversed", "80"),
            ("adjustment", "78"),
        ]
        .iter()
        .map(|(k, b)| (k.to_string(), b.to_string()))
        .collect();
        assert_eq!(kinds_and_balances(&m), expected);
        assert_eq!(m["items"][3]["invoice_number"], b["number"]);
        assert_eq!(m["items"][1]["bill_number"], "AW/1187");
        let only_day1 = get(
            &t,
            &tok,
            &format!("/v1/products/{pid}/movements?from={day1}&to={day1}"),
        )
        .await;
        assert_eq!(only_day1["items"].as_array().unwrap().len(), 2);
        let csv = t
            .call(
                Method::GET,
                &format!("/v1/products/{pid}/movements?format=csv"),
                Some(&tok),
                None,
            )
            .await;
        let text = csv.body.as_str().unwrap().to_string();
        assert!(
            text.starts_with("date,kind,quantity,unit_cost,value,on_hand_after"),
            "{text}"
        );
        assert_eq!(text.lines().count(), 9);
        assert!(
            text.contains(",adjustment,-2,42.00,-84.00,78,42.00,3276.00,,,bags torn in the rain"),
            "{text}"
        );
    }
);

/// 50 invoices at once for one unit each of a product with 20 on hand,
/// each retried on a 409 as a client would.
async fn rush(t: &Arc<TestApp>, tok: &str, cid: &str, pid: &str) -> (usize, usize, usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let (t, tok, cid, pid) = (t.clone(), tok.to_string(), cid.to_string(), pid.to_string());
        tasks.spawn(async move {
            for _ in 0..5 {
                let r = t
                    .call(
                        Method::POST,
                        "/v1/invoices",
                        Some(&tok),
                        Some(json!({"customer_id": cid, "lines": [{"product_id": pid, "quantity": 1}]})),
                    )
                    .await;
                if r.status != StatusCode::CONFLICT {
                    return r;
                }
            }
            panic!("five conflicts in a row");
        });
    }
    let (mut sold, mut refused, mut warned) = (0, 0, 0);
    while let Some(r) = tasks.join_next().await {
        let r = r.unwrap();
        match r.status {
            StatusCode::CREATED => {
                sold += 1;
                if r.body.get("stock_warnings").is_some() {
                    assert_eq!(r.body["stock_warnings"][0]["field"], "lines[0].quantity");
                    warned += 1;
                }
            }
            StatusCode::UNPROCESSABLE_ENTITY => {
                assert_eq!(r.fields(), ["lines[0].quantity"], "{}", r.body);
                refused += 1;
            }
            s => panic!("{s}: {}", r.body),
        }
    }
    (sold, refused, warned)
}

both!(
    fifty_concurrent_invoices_never_oversell_and_keep_on_hand_exact,
    |t: TestApp| async move {
        let tok = t.billing_owner().await;
        let cid = customer(&t, &tok, "Rush Hour Stores").await;
        let t = Arc::new(t);
        for (p, sold, refused, warned, left) in [
            ("refuse", 20, 30, 0, "0"),
            ("warn", 50, 0, 30, "-30"),
            ("allow", 50, 0, 0, "-30"),
        ] {
            policy(&t, &tok, p).await;
            let pid = tracked(&t, &tok, &format!("Sugar ({p})"), "20", 4000, json!({})).await;
            assert_eq!(
                rush(&t, &tok, &cid, &pid).await,
                (sold, refused, warned),
                "{p}"
            );
            let prd = product(&t, &tok, &pid).await;
            assert_eq!(prd["on_hand"], left, "{p}");
            let m = get(&t, &tok, &format!("/v1/products/{pid}/movements?limit=100")).await;
            let sales = m["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|m| m["kind"] == "sale")
                .count();
            assert_eq!(sales, sold, "{p}: one movement per invoice sold");
            let last = m["items"].as_array().unwrap().last().unwrap().clone();
            assert_eq!(
                last["on_hand_after"], left,
                "{p}: the running balance ends at on hand"
            );
        }
    }
);

both!(
    bad_stock_input_names_the_field_and_writes_nothing,
    |t: TestApp| async move {
        let tok = t.billing_owner().await;
        let pid = tracked(&t, &tok, "Chana Dal", "10", 5000, json!({})).await;
        let plain = post(
            &t,
            &tok,
            "/v1/products",
            json!({"name": "Delivery charge", "unit_price": 3000}),
        )
        .await;
        let plain = plain["id"].as_str().unwrap().to_string();
        let sid = supplier(&t, &tok).await;
        let today = t.today().to_string();
        let receipt = |lines: Value| json!({"supplier_id": sid, "bill_number": "B-1", "bill_date": today, "lines": lines});
        let cases = [
            (
                "/v1/stock/receipts",
                receipt(json!([{"product_id": pid, "quantity": "-5", "unit_cost": 100}])),
                "lines[0].quantity",
            ),
            (
                "/v1/stock/receipts",
                receipt(
                    json!([{"product_id": "prd_01JD2QK3M4N5P6Q7R8S9T0V1W2", "quantity": 5, "unit_cost": 100}]),
                ),
                "lines[0].product_id",
            ),
            (
                "/v1/stock/receipts",
                receipt(
                    json!([{"product_id": pid, "quantity": 5, "unit_cost": 100}, {"product_id": plain, "quantity": 5, "unit_cost": 100}]),
                ),
                "lines[1].product_id",
            ),
            (
                "/v1/stock/receipts",
                receipt(json!([{"product_id": pid, "quantity": "1.2345", "unit_cost": 100}])),
                "lines[0].quantity",
            ),
            (
                "/v1/stock/adjustments",
                json!({"product_id": pid, "quantity": "-1"}),
                "reason",
            ),
            (
                "/v1/stock/adjustments",
                json!({"product_id": plain, "quantity": "3", "reason": "found in the back"}),
                "product_id",
            ),
            (
                "/v1/stock/adjustments",
                json!({"product_id": pid, "quantity": "0.0001", "reason": "dust"}),
                "quantity",
            ),
            (
                "/v1/products",
                json!({"name": "Rice", "unit_price": 5000, "opening_quantity": 5}),
                "opening_quantity",
            ),
        ];
        for (path, body, field) in cases {
            let r = t
                .call(Method::POST, path, Some(&tok), Some(body.clone()))
                .await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path} {body}: {}",
                r.body
            );
            assert!(
                r.fields().contains(&field.to_string()),
                "{path} {body}: {}",
                r.body
            );
        }
        let r = t
            .call(
                Method::PATCH,
                &format!("/v1/products/{pid}"),
                Some(&tok),
                Some(json!({"low_stock_threshold": "2.0001"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.fields(), ["low_stock_threshold"]);
        // Nothing was written.
        let p = product(&t, &tok, &pid).await;
        assert_eq!((&p["on_hand"], &p["version"]), (&json!("10"), &json!(1)));
        assert!(
            get(&t, &tok, "/v1/stock/receipts").await["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        let s = get(&t, &tok, &format!("/v1/suppliers/{sid}")).await;
        assert_eq!((&s["purchases"], &s["version"]), (&json!(0), &json!(1)));
        let m = get(&t, &tok, &format!("/v1/products/{pid}/movements")).await;
        assert_eq!(
            m["items"].as_array().unwrap().len(),
            1,
            "the opening stock only"
        );
        assert_eq!(
            get(&t, &tok, "/v1/products").await["items"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        // The same bill twice is a conflict naming the bill number.
        let ok = receipt(json!([{"product_id": pid, "quantity": 5, "unit_cost": 5200}]));
        post(&t, &tok, "/v1/stock/receipts", ok.clone()).await;
        let again = t
            .call(Method::POST, "/v1/stock/receipts", Some(&tok), Some(ok))
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        assert_eq!(again.fields(), ["bill_number"]);
        assert_eq!(product(&t, &tok, &pid).await["on_hand"], "15");
        // Stock cannot stop being tracked while some is on hand; a plain
        // invoice line of an untracked product moves nothing.
        let off = t
            .call(
                Method::PATCH,
                &format!("/v1/products/{pid}"),
                Some(&tok),
                Some(json!({"track_stock": false})),
            )
            .await;
        assert_eq!(off.status, StatusCode::CONFLICT, "{}", off.body);
        let cid = customer(&t, &tok, "Walk-in").await;
        let inv = sell(&t, &tok, &cid, &plain, "1").await;
        assert!(inv["lines"][0].get("cost").is_none());
        assert!(inv.get("cost_of_goods").is_none());
    }
);

both!(
    low_stock_is_flagged_at_once_listed_and_in_the_digest,
    |t: TestApp| async move {
        t.clock.set(morning());
        let tok = t.billing_owner().await;
        let r = t
            .call(
                Method::PATCH,
                "/v1/business/settings",
                Some(&tok),
                Some(json!({"reminders": {"enabled": true, "channels": "mail"}})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let cid = customer(&t, &tok, "Gupta Sweets").await;
        let pid = tracked(
            &t,
            &tok,
            "Besan",
            "12",
            6000,
            json!({"low_stock_threshold": "10", "reorder_quantity": "50"}),
        )
        .await;
        assert_eq!(product(&t, &tok, &pid).await["low_stock"], false);
        // A draft moves nothing; issuing it sells.
        let draft = post(
            &t,
            &tok,
            "/v1/invoices",
            json!({"customer_id": cid, "draft": true, "lines": [{"product_id": pid, "quantity": 3}]}),
        )
        .await;
        assert_eq!(product(&t, &tok, &pid).await["on_hand"], "12");
        let issued = post(
            &t,
            &tok,
            &format!("/v1/invoices/{}/issue", draft["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
        assert_eq!(issued["cost_of_goods"], 18_000);
        let p = product(&t, &tok, &pid).await;
        assert_eq!(
            (&p["on_hand"], &p["low_stock"]),
            (&json!("9"), &json!(true))
        );
        let low = get(&t, &tok, "/v1/stock?low_stock=true").await;
        assert_eq!(low["items"][0]["name"], "Besan");
        assert_eq!(low["low_stock_count"], 1);
        let d = get(&t, &tok, "/v1/reports/dashboard").await;
        assert_eq!(d["low_stock_count"], 1);
        // The digest names it.
        let me = get(&t, &tok, "/v1/me").await;
        let email = me["email"].as_str().unwrap().to_string();
        assert_eq!(t.app.run_digest(None).await.unwrap().sent, 1);
        let mail = t
            .mails(&email)
            .into_iter()
            .find(|m| m.0.contains("your day on Hisaab"))
            .expect("the digest");
        assert!(
            mail.1
                .contains("Low on stock: Besan (9 kg left, reorder 50)."),
            "{}",
            mail.1
        );
        // A receipt lifts it out of the list.
        let sid = supplier(&t, &tok).await;
        post(
            &t,
            &tok,
            "/v1/stock/receipts",
            json!({"supplier_id": sid, "bill_number": "G-77", "bill_date": t.today().to_string(),
                   "lines": [{"product_id": pid, "quantity": 50, "unit_cost": 6600}]}),
        )
        .await;
        let p = product(&t, &tok, &pid).await;
        assert_eq!(
            (&p["on_hand"], &p["low_stock"]),
            (&json!("59"), &json!(false))
        );
        // (9 × 6,000 + 50 × 6,600) / 59 = 6,508.47… → 6,508 paise.
        assert_eq!(p["average_cost"], 6508);
        assert!(
            get(&t, &tok, "/v1/stock?low_stock=true").await["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        let csv = t
            .call(Method::GET, "/v1/stock?format=csv", Some(&tok), None)
            .await;
        let text = csv.body.as_str().unwrap().to_string();
        assert_eq!(
            text.lines().nth(1).unwrap(),
            format!("{pid},Besan,kg,,59,65.08,3840.00,10,50,false")
        );
    }
);
