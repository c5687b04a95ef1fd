//! Faults of the store, end to end on SQLite and on DynamoDB (moto): the
//! app's table is `Retrying(Faulty(the real table))`, and each test arms
//! DynamoDB-style failures at chosen calls (`hisaab::table::faults`) on
//! four write paths: creating an invoice, recording a payment, the
//! deliveries' bulk mark and filing a registry report. For each path:
//!
//! - a throttle that clears within the retries is not seen: the request
//!   succeeds and makes exactly one record, counted once;
//! - a throttle that persists is a `503` problem with `Retry-After`, and
//!   nothing of the request is written (no record, no balance, no
//!   idempotency record: the same request under the same key succeeds
//!   later, as a first answer);
//! - an answer lost after the write was applied is a `503`, and the
//!   client's retry with the same `Idempotency-Key` gets the first answer
//!   (the bulk mark, which has no key, is told the day is marked):
//!   nothing is doubled.

mod common;

use axum::http::{Method, StatusCode};
use common::{Res, TestApp, get, post, unique_phone};
use hisaab::table::faults::{Call, Fault};
use hisaab::table::retry::ATTEMPTS;
use serde_json::{Value, json};

/// Arms a fault on every call of the kind, until disarmed.
const ALWAYS: usize = usize::MAX;

/// Throttled attempts the retries outlast: one fewer than the attempts.
const CLEARS: usize = ATTEMPTS as usize - 1;

/// POSTs a JSON body with the caller's token and, when given, an
/// `Idempotency-Key`.
async fn send(t: &TestApp, tok: &str, path: &str, key: Option<&str>, body: &Value) -> Res {
    let auth = format!("Bearer {tok}");
    let mut headers = vec![
        ("content-type", "application/json"),
        ("authorization", auth.as_str()),
    ];
    if let Some(k) = key {
        headers.push(("idempotency-key", k));
    }
    t.raw(Method::POST, path, &headers, body.to_string().into_bytes())
        .await
}

/// The answer is the `503` problem with a `Retry-After` of some seconds.
fn assert_unavailable(r: &Res) {
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
    assert_eq!(r.problem(), "unavailable");
    let secs: u64 = r
        .headers
        .get("retry-after")
        .expect("Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(secs >= 1, "Retry-After: {secs}");
}

/// The answer is a first answer (201), not a replay.
fn assert_created(r: &Res) {
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(
        r.headers.get("idempotent-replayed").is_none(),
        "a first answer: {}",
        r.body
    );
}

/// The answer is the stored first answer of an earlier request.
fn assert_replayed(r: &Res) {
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        r.headers
            .get("idempotent-replayed")
            .and_then(|v| v.to_str().ok()),
        Some("true"),
        "a replay: {}",
        r.body
    );
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

/// A customer of the business without a phone; returns its id.
async fn customer(t: &TestApp, tok: &str) -> String {
    post(t, tok, "/v1/customers", json!({"name": "Verma Kirana"})).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// An invoice of one untaxed line of `amount` paise, dated today.
fn invoice_body(cid: &str, amount: i64) -> Value {
    json!({"customer_id": cid,
           "lines": [{"description": "Goods", "quantity": 1, "unit_price": amount, "tax_rate_bp": 0}]})
}

/// (the customer's invoice ids, the customer's balance, the dashboard's
/// invoice count and revenue).
async fn books(t: &TestApp, tok: &str, cid: &str) -> (Vec<String>, i64, i64, i64) {
    let invoices = get(t, tok, &format!("/v1/invoices?customer_id={cid}")).await;
    let balance = get(t, tok, &format!("/v1/customers/{cid}")).await["balance"]
        .as_i64()
        .unwrap();
    let dash = get(t, tok, "/v1/reports/dashboard").await;
    (
        ids(&invoices),
        balance,
        dash["invoice_count"].as_i64().unwrap(),
        dash["revenue"].as_i64().unwrap(),
    )
}

both!(creating_an_invoice, |t: TestApp| async move {
    let tok = t.billing_owner().await;
    let cid = customer(&t, &tok).await;
    let f = &t.faults;

    // Throttled twice, then through: one invoice, counted once.
    f.arm(Call::Transact, Fault::Throttle, 0, CLEARS);
    let sent = f.calls(Call::Transact);
    let r = send(&t, &tok, "/v1/invoices", None, &invoice_body(&cid, 10_000)).await;
    assert_created(&r);
    assert_eq!(
        f.calls(Call::Transact) - sent,
        ATTEMPTS as usize,
        "the throttled transaction was sent again"
    );
    let (list, balance, count, revenue) = books(&t, &tok, &cid).await;
    assert_eq!(list, [r.body["id"].as_str().unwrap()]);
    assert_eq!((balance, count, revenue), (10_000, 1, 10_000));

    // A transaction cancelled by a conflicting one: the domain reads again.
    f.arm(Call::Transact, Fault::Conflict, 0, 1);
    let r = send(&t, &tok, "/v1/invoices", None, &invoice_body(&cid, 20_000)).await;
    assert_created(&r);
    let (list, balance, count, _) = books(&t, &tok, &cid).await;
    assert_eq!((list.len(), balance, count), (2, 30_000, 2));

    // Throttled throughout: 503, and nothing of it is written.
    f.arm(Call::Transact, Fault::Throttle, 0, ALWAYS);
    let body = invoice_body(&cid, 40_000);
    let r = send(&t, &tok, "/v1/invoices", Some("inv-40"), &body).await;
    assert_unavailable(&r);
    f.disarm();
    let (list, balance, count, revenue) = books(&t, &tok, &cid).await;
    assert_eq!(
        (list.len(), balance, count, revenue),
        (2, 30_000, 2, 30_000)
    );
    // The key was not used up: the same request now makes the invoice.
    let r = send(&t, &tok, "/v1/invoices", Some("inv-40"), &body).await;
    assert_created(&r);
    let (list, balance, count, _) = books(&t, &tok, &cid).await;
    assert_eq!((list.len(), balance, count), (3, 70_000, 3));

    // The answer is lost after the invoice was written: 503, and the
    // client's retry under the same key gets the invoice, once.
    f.arm(Call::Transact, Fault::TimeoutAfterWrite, 0, 1);
    let body = invoice_body(&cid, 80_000);
    let lost = send(&t, &tok, "/v1/invoices", Some("inv-80"), &body).await;
    assert_unavailable(&lost);
    let again = send(&t, &tok, "/v1/invoices", Some("inv-80"), &body).await;
    assert_replayed(&again);
    let (list, balance, count, revenue) = books(&t, &tok, &cid).await;
    assert_eq!(
        (list.len(), balance, count, revenue),
        (4, 150_000, 4, 150_000)
    );
    assert!(list.contains(&again.body["id"].as_str().unwrap().to_string()));

    // No number was taken by a failed attempt: four invoices, four
    // numbers in a row.
    let page = get(&t, &tok, &format!("/v1/invoices?customer_id={cid}")).await;
    let mut seq: Vec<u64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let n = i["number"].as_str().unwrap();
            let digits: String = n.chars().rev().take_while(char::is_ascii_digit).collect();
            digits.chars().rev().collect::<String>().parse().unwrap()
        })
        .collect();
    seq.sort();
    assert_eq!(seq, (seq[0]..seq[0] + 4).collect::<Vec<_>>(), "{page}");
});

/// (amount paid, balance due) of the invoice, the customer's balance, the
/// customer's payment count and the dashboard's received total.
async fn paid(t: &TestApp, tok: &str, cid: &str, iid: &str) -> (i64, i64, i64, usize, i64) {
    let inv = get(t, tok, &format!("/v1/invoices/{iid}")).await;
    let balance = get(t, tok, &format!("/v1/customers/{cid}")).await["balance"]
        .as_i64()
        .unwrap();
    let pays = get(t, tok, &format!("/v1/customers/{cid}/payments")).await;
    let dash = get(t, tok, "/v1/reports/dashboard").await;
    (
        inv["amount_paid"].as_i64().unwrap(),
        inv["balance_due"].as_i64().unwrap(),
        balance,
        ids(&pays).len(),
        dash["received"].as_i64().unwrap(),
    )
}

both!(recording_a_payment, |t: TestApp| async move {
    let tok = t.billing_owner().await;
    let cid = customer(&t, &tok).await;
    let inv = post(&t, &tok, "/v1/invoices", invoice_body(&cid, 100_000)).await;
    let iid = inv["id"].as_str().unwrap();
    let path = format!("/v1/invoices/{iid}/payments");
    let pay = |amount: i64| json!({"amount": amount, "method": "upi", "reference": format!("UTR {amount}")});
    let f = &t.faults;

    f.arm(Call::Transact, Fault::Throttle, 0, CLEARS);
    assert_created(&send(&t, &tok, &path, None, &pay(10_000)).await);
    assert_eq!(
        paid(&t, &tok, &cid, iid).await,
        (10_000, 90_000, 90_000, 1, 10_000)
    );

    f.arm(Call::Transact, Fault::Throttle, 0, ALWAYS);
    let r = send(&t, &tok, &path, Some("pay-20"), &pay(20_000)).await;
    assert_unavailable(&r);
    f.disarm();
    assert_eq!(
        paid(&t, &tok, &cid, iid).await,
        (10_000, 90_000, 90_000, 1, 10_000),
        "nothing of the refused payment"
    );
    assert_created(&send(&t, &tok, &path, Some("pay-20"), &pay(20_000)).await);
    assert_eq!(
        paid(&t, &tok, &cid, iid).await,
        (30_000, 70_000, 70_000, 2, 30_000)
    );

    f.arm(Call::Transact, Fault::TimeoutAfterWrite, 0, 1);
    let r = send(&t, &tok, &path, Some("pay-30"), &pay(30_000)).await;
    assert_unavailable(&r);
    let again = send(&t, &tok, &path, Some("pay-30"), &pay(30_000)).await;
    assert_replayed(&again);
    assert_eq!(again.body["amount"], 30_000);
    assert_eq!(
        paid(&t, &tok, &cid, iid).await,
        (60_000, 40_000, 40_000, 3, 60_000),
        "the payment counted once"
    );
});

/// The ids of the business's delivery records of a day.
async fn marked(t: &TestApp, tok: &str, day: &str) -> Vec<String> {
    let mut out = ids(&get(t, tok, &format!("/v1/deliveries?date={day}")).await);
    out.sort();
    out
}

both!(the_morning_round_in_bulk, |t: TestApp| async move {
    // Mid-month, so that the three days share one month.
    t.clock.set("2026-11-20T04:30:00Z".parse().unwrap());
    let (tok, _, _) = t.owner().await;
    let cid = customer(&t, &tok).await;
    let mut orders = vec![];
    for rate in [5600, 9000] {
        let o = post(
            &t,
            &tok,
            "/v1/orders",
            json!({"customer_id": cid, "item": "Cow milk", "unit": "litre", "quantity": "1",
                   "rate": rate, "valid_from": "2026-11-01", "tax_rate_bp": 0}),
        )
        .await;
        orders.push(o["id"].as_str().unwrap().to_string());
    }
    let round = |day: &str, orders: &[String]| {
        json!({"date": day,
               "items": orders.iter().map(|o| json!({"order_id": o})).collect::<Vec<_>>()})
    };
    let f = &t.faults;

    // Two throttled attempts among the marks: each is sent again.
    f.arm(Call::Transact, Fault::Throttle, 0, CLEARS);
    let out = post(
        &t,
        &tok,
        "/v1/deliveries/bulk",
        round("2026-11-20", &orders),
    )
    .await;
    assert_eq!(
        (out["marked"].as_i64(), out["failed"].as_i64()),
        (Some(2), Some(0)),
        "{out}"
    );
    assert_eq!(marked(&t, &tok, "2026-11-20").await.len(), 2);

    // Throttled throughout: the round's answer is the 503, nothing marked.
    f.arm(Call::Transact, Fault::Throttle, 0, ALWAYS);
    let r = send(
        &t,
        &tok,
        "/v1/deliveries/bulk",
        None,
        &round("2026-11-19", &orders),
    )
    .await;
    assert_unavailable(&r);
    f.disarm();
    assert!(marked(&t, &tok, "2026-11-19").await.is_empty());
    let out = post(
        &t,
        &tok,
        "/v1/deliveries/bulk",
        round("2026-11-19", &orders),
    )
    .await;
    assert_eq!(out["marked"], 2, "{out}");

    // One mark's answer is lost after it was written: that item is a 503
    // in the round's answer; sent again, it is already marked.
    f.arm(Call::Transact, Fault::TimeoutAfterWrite, 0, 1);
    let out = post(
        &t,
        &tok,
        "/v1/deliveries/bulk",
        round("2026-11-18", &orders),
    )
    .await;
    assert_eq!(
        (out["marked"].as_i64(), out["failed"].as_i64()),
        (Some(1), Some(1)),
        "{out}"
    );
    let lost = out["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["error"].is_object())
        .unwrap();
    assert_eq!(lost["error"]["status"], 503, "{out}");
    let again = post(
        &t,
        &tok,
        "/v1/deliveries/bulk",
        round(
            "2026-11-18",
            &[lost["order_id"].as_str().unwrap().to_string()],
        ),
    )
    .await;
    assert_eq!(again["results"][0]["error"]["status"], 409, "{again}");
    assert_eq!(marked(&t, &tok, "2026-11-18").await.len(), 2);

    // Each order's month counts each of the three days once.
    for o in &orders {
        let om = get(&t, &tok, &format!("/v1/orders/{o}/months/2026-11")).await;
        assert_eq!(om["delivered_days"], 3, "{om}");
    }
    let cm = get(&t, &tok, &format!("/v1/customers/{cid}/months/2026-11")).await;
    assert_eq!(cm["amount"], 3 * (5600 + 9000), "{cm}");
});

/// An issued invoice of the customer, dated 60 days ago and due 30 days
/// ago; returns its id.
async fn overdue_invoice(t: &TestApp, tok: &str, cid: &str, amount: i64) -> String {
    let day = |n: i64| {
        t.today()
            .checked_sub(jiff::Span::new().days(n))
            .unwrap()
            .to_string()
    };
    let inv = post(
        t,
        tok,
        "/v1/invoices",
        json!({"customer_id": cid, "invoice_date": day(60), "due_date": day(30),
               "lines": [{"description": "Rice, 25 kg bags", "quantity": 1, "unit_price": amount, "tax_rate_bp": 0}]}),
    )
    .await;
    inv["id"].as_str().unwrap().to_string()
}

both!(filing_a_registry_report, |t: TestApp| async move {
    let (tok, _, _) = t.owner().await;
    let debtor = unique_phone();
    let c = post(
        &t,
        &tok,
        "/v1/customers",
        json!({"name": "Sharma Kirana Stores", "gstin": "27AAPFU0939F1ZV", "phone": debtor}),
    )
    .await;
    let cid = c["id"].as_str().unwrap();
    let mut invoices = vec![];
    for amount in [1_000_000, 2_000_000, 3_000_000] {
        invoices.push(overdue_invoice(&t, &tok, cid, amount).await);
    }
    let report = |i: usize| json!({"customer_id": cid, "invoice_ids": [invoices[i]]});
    let filed = || async { ids(&get(&t, &tok, "/v1/registry/reports").await) };
    let path = "/v1/registry/reports";
    let f = &t.faults;
    let texts = t.sms(&debtor).len();

    // Throttled throughout: 503, no report, no notice to the debtor.
    f.arm(Call::Transact, Fault::Throttle, 0, ALWAYS);
    let r = send(&t, &tok, path, Some("rpt-0"), &report(0)).await;
    assert_unavailable(&r);
    f.disarm();
    assert!(filed().await.is_empty());
    assert_eq!(
        t.sms(&debtor).len(),
        texts,
        "no notice of a report not filed"
    );
    let r = send(&t, &tok, path, Some("rpt-0"), &report(0)).await;
    assert_created(&r);
    assert_eq!(filed().await, [r.body["id"].as_str().unwrap()]);
    assert_eq!(t.sms(&debtor).len(), texts + 1, "the debtor is told once");

    // Throttled twice, then through.
    f.arm(Call::Transact, Fault::Throttle, 0, CLEARS);
    assert_created(&send(&t, &tok, path, None, &report(1)).await);
    assert_eq!(filed().await.len(), 2);

    // The answer lost after the report was filed: the retry under the
    // same key gets it; there is one report of the invoice.
    f.arm(Call::Transact, Fault::TimeoutAfterWrite, 0, 1);
    let lost = send(&t, &tok, path, Some("rpt-2"), &report(2)).await;
    assert_unavailable(&lost);
    let again = send(&t, &tok, path, Some("rpt-2"), &report(2)).await;
    assert_replayed(&again);
    let all = filed().await;
    assert_eq!(all.len(), 3);
    assert!(all.contains(&again.body["id"].as_str().unwrap().to_string()));
    assert_eq!(again.body["amount_paise"], 3_000_000);
});
