//! Who may write what: every write route of the route table, sent by each
//! kind of caller — the business's owner, its staff, a customer user,
//! another business's owner and a platform admin — with the body of the
//! route's own OpenAPI example. Staff record and read; only the owner
//! destroys or reverses (cancel, void, deactivate, delete, settle and
//! reopen a month, settings, staff, registry filings). A refused caller
//! gets 403 (404 for another business's records) and changes nothing.
//!
//! Also here: the security headers on every answer, and the per-source
//! limit on OTP sends.

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode};
use common::{TestApp, get, post, unique_phone};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use tower::ServiceExt;

/// Who sends a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Caller {
    Owner,
    Staff,
    Customer,
    OtherBusiness,
    Admin,
}

use Caller::*;

const CALLERS: [Caller; 5] = [Owner, Staff, Customer, OtherBusiness, Admin];

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    /// The owner only.
    OwnerOnly,
    /// The owner and staff.
    Members,
    /// Platform admins only.
    Admins,
    /// Any signed-in user; the record decides (their own profile, their
    /// side of an order or a report).
    Anyone,
    /// Customer users and the business (orders, a delivery's comments).
    MembersAndCustomers,
}

/// The rule of every write route that needs a sign-in. A write route
/// missing here fails the test, so a new route must say who may use it.
fn rules() -> BTreeMap<&'static str, Rule> {
    use Rule::*;
    let owner_only = [
        "update_settings",
        "add_staff",
        "remove_staff",
        "put_template",
        "delete_template",
        "delete_category",
        "deactivate_customer",
        "deactivate_product",
        "cancel_invoice",
        "delete_invoice",
        "void_payment",
        "delete_order",
        "settle_month",
        "reopen_month",
        "create_report",
        "answer_dispute",
        "create_edit_request",
        "mark_report_paid",
    ];
    let members = [
        "preview_template",
        "create_category",
        "rename_category",
        "create_customer",
        "update_customer",
        "pay_customer",
        "mark_deliveries_bulk",
        "correct_delivery",
        "create_invoice",
        "update_invoice",
        "issue_invoice",
        "pay_invoice",
        "send_invoice",
        "update_order",
        "accept_order",
        "decline_order",
        "mark_delivery",
        "create_product",
        "update_product",
        "create_adjustment",
        "create_receipt",
        "create_supplier",
        "update_supplier",
    ];
    let admins = [
        "disable_business",
        "enable_business",
        "decide_dispute",
        "decide_edit_request",
        "add_employee",
        "change_employee_level",
        "request_export",
        "act_on_transaction",
        "admin_add_user",
        "disable_user",
        "enable_user",
        "admin_password_reset",
        "admin_export",
    ];
    // A change to an order is confirmed or rejected by the other side; a
    // report is disputed by whoever speaks for the reported company; a
    // document slot is anyone's own. The record decides (404 for others).
    let anyone = [
        "update_me",
        "create_upload",
        "confirm_order_change",
        "reject_order_change",
        "create_dispute",
    ];
    let both = [
        "create_order",
        "create_comment",
        "update_comment",
        "delete_comment",
    ];
    let mut m = BTreeMap::new();
    for (names, rule) in [
        (&owner_only[..], OwnerOnly),
        (&members[..], Members),
        (&admins[..], Admins),
        (&both[..], MembersAndCustomers),
        (&anyone[..], Anyone),
    ] {
        for n in names {
            assert!(m.insert(*n, rule).is_none(), "{n} twice");
        }
    }
    m
}

/// Whether the rule lets the caller through.
fn allowed(rule: Rule, c: Caller) -> bool {
    match rule {
        Rule::OwnerOnly => c == Owner || c == OtherBusiness,
        Rule::Members => matches!(c, Owner | Staff | OtherBusiness),
        Rule::Admins => c == Admin,
        Rule::Anyone => true,
        Rule::MembersAndCustomers => matches!(c, Owner | Staff | OtherBusiness | Customer),
    }
}

/// The business under test: its owner, staff, records, and the other
/// callers.
struct World {
    tokens: BTreeMap<Caller, String>,
    /// Real records of the business, by path parameter.
    ids: BTreeMap<&'static str, String>,
}

async fn world(t: &TestApp) -> World {
    let (owner, _, _) = t.owner().await;
    let staff_phone = unique_phone();
    post(
        t,
        &owner,
        "/v1/business/staff",
        json!({"name": "Ravi", "phone": staff_phone}),
    )
    .await;
    let staff = t.verify_again(&staff_phone).await;
    let cust_phone = unique_phone();
    let r = t
        .call(
            Method::POST,
            "/v1/auth/register",
            None,
            Some(json!({"name": "Debtor", "phone": cust_phone, "account_type": "customer"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let (customer, _, _) = t.verify(&cust_phone).await;
    let (other, _, _) = t.owner().await;
    let (admin, _) = t.admin(hisaab::identity::Role::AdminSuper).await;

    let cus = post(
        t,
        &owner,
        "/v1/customers",
        json!({"name": "Gupta Stores", "phone": cust_phone}),
    )
    .await;
    let cat = post(t, &owner, "/v1/categories", json!({"name": "Pulses"})).await;
    let prd = post(
        t,
        &owner,
        "/v1/products",
        json!({"name": "Toor Dal", "unit": "kg", "unit_price": 14500, "tax_rate_bp": 500}),
    )
    .await;
    let today = t.today().to_string();
    let inv = post(
        t,
        &owner,
        "/v1/invoices",
        json!({"customer_id": cus["id"], "invoice_date": today, "draft": true,
               "lines": [{"product_id": prd["id"], "quantity": "1"}]}),
    )
    .await;
    let issued = post(
        t,
        &owner,
        "/v1/invoices",
        json!({"customer_id": cus["id"], "invoice_date": today,
               "lines": [{"product_id": prd["id"], "quantity": "2"}]}),
    )
    .await;

    let pay = post(
        t,
        &owner,
        &format!("/v1/invoices/{}/payments", issued["id"].as_str().unwrap()),
        json!({"amount": 1000, "method": "cash", "date": today}),
    )
    .await;
    let sup = post(t, &owner, "/v1/suppliers", json!({"name": "Agarwal"})).await;
    let ord = post(
        t,
        &owner,
        "/v1/orders",
        json!({"customer_id": cus["id"], "item": "Cow milk", "unit": "litre",
               "quantity": "1", "rate": 6000, "valid_from": today}),
    )
    .await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_string();
    World {
        tokens: BTreeMap::from([
            (Owner, owner),
            (Staff, staff),
            (Customer, customer),
            (OtherBusiness, other),
            (Admin, admin),
        ]),
        ids: BTreeMap::from([
            ("customer_id", id(&cus)),
            ("category_id", id(&cat)),
            ("product_id", id(&prd)),
            ("invoice_id", id(&inv)),
            ("payment_id", id(&pay)),
            ("supplier_id", id(&sup)),
            ("order_id", id(&ord)),
        ]),
    }
}

/// A well-formed id of the kind a path parameter names, for records the
/// world does not make (they are refused or not found, either way before
/// anything is written).
fn fake_id(param: &str) -> String {
    let prefix = match param {
        "business_id" => "biz",
        "user_id" => "usr",
        "dispute_id" => "dsp",
        "edit_request_id" => "edr",
        "report_id" => "rpt",
        "delivery_id" => "dlv",
        "comment_id" => "cmt",
        "change_id" => "chg",
        _ => "xxx",
    };
    format!("{prefix}_01JD2QK3M8N4P6R2T5V7X9Z1B3")
}

/// The path with its parameters filled in, and whether it names one of
/// the business's real records.
fn fill(path: &str, w: &World) -> (String, bool) {
    let mut out = String::new();
    let mut real = false;
    let mut rest = path;
    while let Some(i) = rest.find('{') {
        let j = rest.find('}').unwrap();
        out += &rest[..i];
        let param = &rest[i + 1..j];
        let value = match param {
            "month" => "2026-11".to_string(),
            "kind" => "reminder".to_string(),
            "channel" => "sms".to_string(),
            p => match w.ids.get(p) {
                Some(v) => {
                    real = true;
                    v.clone()
                }
                None => fake_id(p),
            },
        };
        out += &value;
        rest = &rest[j + 1..];
    }
    out += rest;
    (out, real)
}

/// The example body of the operation's request, if it takes one.
fn example(doc: &Value, path: &str, method: &Method) -> Option<Value> {
    let op = &doc["paths"][path][method.as_str().to_lowercase()];
    let content = op["requestBody"]["content"].as_object()?;
    content.values().find_map(|c| c.get("example").cloned())
}

both!(
    every_write_route_checks_who_calls,
    |t: TestApp| async move {
        let doc = hisaab_functions::openapi::document();
        let rules = rules();
        let w = world(&t).await;
        let mut wrong = vec![];
        let mut seen = 0;
        for route in hisaab_functions::routes::all() {
            let writes = route.access.table == hisaab_functions::access::TableAccess::Write;
            let open = doc["paths"][&route.path][route.method.as_str().to_lowercase()]["security"]
                .is_null();
            if !writes || open {
                continue;
            }
            let rule = *rules
                .get(route.name)
                .unwrap_or_else(|| panic!("{}: say who may use it in rules()", route.name));
            seen += 1;
            let (path, real) = fill(&route.path, &w);
            let body = example(&doc, &route.path, &route.method);
            // The refused callers first, then those let through, so that an
            // owner's delete does not hide what staff could have done.
            let mut order: Vec<Caller> = CALLERS.to_vec();
            order.sort_by_key(|c| allowed(rule, *c));
            for caller in order {
                let r = t
                    .call(
                        route.method.clone(),
                        &path,
                        Some(&w.tokens[&caller]),
                        body.clone(),
                    )
                    .await;
                let s = r.status.as_u16();
                let expect_ok = allowed(rule, caller);
                let ok = if caller == OtherBusiness && real && expect_ok {
                    s == 404
                } else if expect_ok {
                    s != 401 && s != 403 && s < 500
                } else if caller == Staff {
                    // Inside the business, only a 403 says "not yours to do".
                    s == 403
                } else {
                    // From outside, a record one may not see is not found.
                    s == 403 || s == 404
                };
                if !ok {
                    wrong.push(format!(
                        "{} {} as {caller:?}: {s} {}",
                        route.method, route.name, r.body
                    ));
                }
            }
        }
        assert!(seen > 60, "only {seen} write routes checked");
        assert!(
            wrong.is_empty(),
            "{} wrong:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
);

both!(
    answers_carry_the_security_headers,
    |t: TestApp| async move {
        let (owner, _, _) = t.owner().await;
        let phone = unique_phone();
        for r in [
            t.call(Method::GET, "/v1/customers", Some(&owner), None)
                .await,
            t.call(Method::GET, "/v1/customers", None, None).await,
            t.call(Method::GET, "/v1/no-such-thing", None, None).await,
            t.call(
                Method::POST,
                "/v1/auth/otp",
                None,
                Some(json!({"phone": phone})),
            )
            .await,
        ] {
            let h = |name: &str| r.headers.get(name).and_then(|v| v.to_str().ok());
            assert_eq!(h("x-content-type-options"), Some("nosniff"), "{}", r.status);
            assert_eq!(h("cache-control"), Some("no-store"), "{}", r.status);
            assert_eq!(h("referrer-policy"), Some("no-referrer"), "{}", r.status);
            assert_eq!(h("access-control-allow-origin"), None, "no CORS by default");
        }
        // A list answers 200 as before, and says nothing may keep it.
        let list = t
            .call(Method::GET, "/v1/customers", Some(&owner), None)
            .await;
        assert_eq!(list.status, StatusCode::OK);
    }
);

/// Sends `POST /v1/auth/otp` for the phone as if from `ip`.
async fn otp_from(t: &TestApp, ip: [u8; 4], phone: &str) -> (StatusCode, Option<String>, Value) {
    let req = Request::builder()
        .method(Method::POST)
        .uri("/v1/auth/otp")
        .header("content-type", "application/json")
        .extension(ConnectInfo(std::net::SocketAddr::from((ip, 40_000))))
        .body(Body::from(json!({ "phone": phone }).to_string()))
        .unwrap();
    let res = t.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let retry = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = http_body_util::BodyExt::collect(res.into_body())
        .await
        .unwrap()
        .to_bytes();
    (
        status,
        retry,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

both!(
    one_address_cannot_pump_codes_to_many_phones,
    |t: TestApp| async move {
        use hisaab::identity::otp::OTP_MAX_SENDS_PER_SOURCE;
        let pump = [203, 0, 113, 7];
        for _ in 0..OTP_MAX_SENDS_PER_SOURCE {
            let (s, _, body) = otp_from(&t, pump, &unique_phone()).await;
            assert_eq!(s, StatusCode::ACCEPTED, "{body}");
        }
        let victim = unique_phone();
        let (s, retry, body) = otp_from(&t, pump, &victim).await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert_eq!(body["type"], "urn:hisaab:problem:rate-limited");
        let secs: u64 = retry.expect("Retry-After").parse().unwrap();
        assert!((1..=900).contains(&secs), "{secs}");
        assert!(body["detail"].as_str().unwrap().contains("network address"));
        // The machine itself (the local server's own browser) is not limited.
        let (s, _, _) = otp_from(&t, [127, 0, 0, 1], &unique_phone()).await;
        assert_eq!(s, StatusCode::ACCEPTED);
        // Another address is not held back, and registration counts too.
        let (s, _, _) = otp_from(&t, [198, 51, 100, 9], &victim).await;
        assert_eq!(s, StatusCode::ACCEPTED);
        let req = Request::builder()
            .method(Method::POST)
            .uri("/v1/auth/register")
            .header("content-type", "application/json")
            .extension(ConnectInfo(std::net::SocketAddr::from((pump, 40_001))))
            .body(Body::from(
                json!({"name": "Pump", "phone": unique_phone(), "account_type": "customer"})
                    .to_string(),
            ))
            .unwrap();
        let res = t.router.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    }
);

/// The real SMS port, made to fail while `fail` is set (a fault, injected).
struct Flaky {
    inner: std::sync::Arc<dyn hisaab::notify::Sms>,
    fail: std::sync::atomic::AtomicBool,
}

#[async_trait::async_trait]
impl hisaab::notify::Sms for Flaky {
    async fn send_sms(&self, to: &hisaab::validate::Phone, body: &str) -> anyhow::Result<()> {
        if self.fail.load(std::sync::atomic::Ordering::SeqCst) {
            anyhow::bail!("SNS: Throttling: Rate exceeded");
        }
        self.inner.send_sms(to, body).await
    }
}

both!(
    a_code_that_was_not_texted_is_not_kept,
    |t: TestApp| async move {
        let (_, _, user) = t.owner().await;
        let phone = user["phone"].as_str().unwrap().to_string();
        let flaky = std::sync::Arc::new(Flaky {
            inner: t.app.sms.clone(),
            fail: std::sync::atomic::AtomicBool::new(true),
        });
        let mut app = t.app.clone();
        app.sms = flaky.clone();
        let router = hisaab_functions::api(app);
        let send = || async {
            let req = Request::builder()
                .method(Method::POST)
                .uri("/v1/auth/otp")
                .header("content-type", "application/json")
                .body(Body::from(json!({ "phone": phone }).to_string()))
                .unwrap();
            router.clone().oneshot(req).await.unwrap()
        };
        let sent_before = t.sms(&phone).len();
        let res = send().await;
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            res.headers().get("retry-after").unwrap(),
            &hisaab::identity::otp::SMS_RETRY_AFTER_SECS.to_string()
        );
        assert_eq!(t.sms(&phone).len(), sent_before, "nothing was texted");
        // The code of the registration was replaced and then withdrawn: no
        // code is waiting, so even the last one texted no longer opens a session.
        let old = t.last_otp(&phone);
        let r = t
            .call(
                Method::POST,
                "/v1/auth/otp/verify",
                None,
                Some(json!({"phone": phone, "code": old})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
        // Once the gateway is back, a new code is texted and works.
        flaky.fail.store(false, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(send().await.status(), StatusCode::ACCEPTED);
        let (tok, _, _) = t.verify(&phone).await;
        get(&t, &tok, "/v1/me").await;
    }
);
