//! Invoices and payments end to end, on SQLite and on DynamoDB (moto):
//! exact totals, sequential numbers under concurrency, derived status,
//! part, customer-level and concurrent payments, voids, cancellation,
//! tenant isolation, and bad input that writes nothing.

mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, get, post};
use serde_json::{Value, json};
use std::sync::Arc;

/// A customer in Maharashtra (same state as the test business).
const GSTIN_MH: &str = "27AABCS1429B1ZU";
/// A customer in Karnataka (another state: IGST).
const GSTIN_KA: &str = "29AABCT1332L1ZA";

async fn customer(t: &TestApp, tok: &str, name: &str, gstin: Option<&str>) -> String {
    let mut body = json!({"name": name, "phone": common::unique_phone()});
    if let Some(g) = gstin {
        body["gstin"] = json!(g);
    }
    post(t, tok, "/v1/customers", body).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn balance(t: &TestApp, tok: &str, cid: &str) -> i64 {
    get(t, tok, &format!("/v1/customers/{cid}")).await["balance"]
        .as_i64()
        .unwrap()
}

/// An invoice of one free line of `amount` paise without tax.
async fn simple_invoice(t: &TestApp, tok: &str, cid: &str, amount: i64, date: &str) -> Value {
    post(
        t,
        tok,
        "/v1/invoices",
        json!({"customer_id": cid, "invoice_date": date,
               "lines": [{"description": "Goods", "quantity": 1, "unit_price": amount, "tax_rate_bp": 0}]}),
    )
    .await
}

/// The three-line invoice of the hand calculation below.
fn three_lines(cid: &str, product: &str) -> Value {
    json!({
        "customer_id": cid,
        "lines": [
            {"product_id": product, "quantity": 25.5, "discount_rate_bp": 1000},
            {"description": "Loading and transport", "hsn_sac": "996511", "quantity": "1",
             "unit_price": 50000, "tax_rate_bp": 1800, "discount": 5000},
            {"description": "Jute bags", "quantity": 12, "unit": "pcs", "unit_price": 2333, "tax_rate_bp": 1200}
        ]
    })
}

both!(
    three_lines_mixed_rates_and_a_discount_total_exactly,
    |t: TestApp| async move {
        let tok = t.billing_owner().await;
        let dal = post(
            &t,
            &tok,
            "/v1/products",
            json!({"name": "Toor Dal", "unit": "kg", "unit_price": 14500, "tax_rate_bp": 500, "hsn_sac": "0713"}),
        )
        .await;
        let pid = dal["id"].as_str().unwrap();
        let local = customer(&t, &tok, "Sharma Stores", Some(GSTIN_MH)).await;
        let inv = post(&t, &tok, "/v1/invoices", three_lines(&local, pid)).await;
        // By hand, in paise (half-up per line and per tax component):
        // A: 25.5 kg × 14500 = 369750; 10 % off = 36975; taxable 332775;
        //    CGST = SGST = 2.5 % of 332775 = 8319.375 → 8319; total 349413
        // B: 1 × 50000; 5000 off; taxable 45000; CGST = SGST = 4050; total 53100
        // C: 12 × 2333 = 27996; CGST = SGST = 6 % = 1679.76 → 1680; total 31356
        let lines = inv["lines"].as_array().unwrap();
        assert_eq!(lines[0]["description"], "Toor Dal", "from the product");
        assert_eq!(lines[0]["hsn_sac"], "0713");
        assert_eq!(lines[0]["quantity"], "25.5");
        assert_eq!(
            lines
                .iter()
                .map(|l| (
                    l["gross"].as_i64().unwrap(),
                    l["discount"].as_i64().unwrap(),
                    l["taxable"].as_i64().unwrap(),
                    l["cgst"].as_i64().unwrap(),
                    l["sgst"].as_i64().unwrap(),
                    l["total"].as_i64().unwrap()
                ))
                .collect::<Vec<_>>(),
            [
                (369_750, 36_975, 332_775, 8319, 8319, 349_413),
                (50_000, 5000, 45_000, 4050, 4050, 53_100),
                (27_996, 0, 27_996, 1680, 1680, 31_356)
            ]
        );
        assert_eq!(inv["subtotal"], 447_746);
        assert_eq!(inv["discount_total"], 41_975);
        assert_eq!(inv["taxable_total"], 405_771);
        assert_eq!(inv["cgst_total"], 14_049);
        assert_eq!(inv["sgst_total"], 14_049);
        assert_eq!(inv["igst_total"], 0);
        assert_eq!(inv["total"], 433_869);
        assert_eq!(inv["supply"], "intra_state");
        assert_eq!(inv["place_of_supply"], "27");
        assert_eq!(inv["balance_due"], 433_869);
        assert_eq!(inv["previous_balance"], 0);
        assert_eq!(inv["status"], "unpaid");
        assert_eq!(inv["number"], "INV-0001");
        assert_eq!(balance(&t, &tok, &local).await, 433_869);

        // Another state: IGST at the full rate, rounded once per line:
        // 16638.75 → 16639, 8100, 3359.52 → 3360.
        let far = customer(&t, &tok, "Bengaluru Traders", Some(GSTIN_KA)).await;
        let inv2 = post(&t, &tok, "/v1/invoices", three_lines(&far, pid)).await;
        assert_eq!(inv2["supply"], "inter_state");
        assert_eq!(inv2["igst_total"], 16_639 + 8100 + 3360);
        assert_eq!(inv2["cgst_total"], 0);
        assert_eq!(inv2["total"], 405_771 + 16_639 + 8100 + 3360);
        assert_eq!(inv2["number"], "INV-0002");

        // The second invoice of a customer shows the first as previous balance.
        let again = simple_invoice(&t, &tok, &local, 10_000, "2026-01-05").await;
        assert_eq!(again["previous_balance"], 433_869);
        assert_eq!(balance(&t, &tok, &local).await, 443_869);
    }
);

both!(
    numbers_are_sequential_under_20_concurrent_creates,
    |t: TestApp| async move {
        let tok = t.billing_owner().await;
        let r = t
            .call(
                Method::PATCH,
                "/v1/business/settings",
                Some(&tok),
                Some(json!({"invoice_prefix": "AT/26-27/", "next_invoice_number": 7})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let cid = customer(&t, &tok, "Kapoor Dairy", None).await;
        let t = Arc::new(t);
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..20i64 {
            let (t, tok, cid) = (t.clone(), tok.clone(), cid.clone());
            tasks.spawn(async move {
            let r = t
                .call(
                    Method::POST,
                    "/v1/invoices",
                    Some(&tok),
                    Some(json!({"customer_id": cid,
                        "lines": [{"description": "Milk", "quantity": 1, "unit_price": 1000 + i, "tax_rate_bp": 0}]})),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            r.body
        });
        }
        let mut numbers = vec![];
        let mut total = 0;
        while let Some(r) = tasks.join_next().await {
            let inv = r.unwrap();
            numbers.push(inv["number"].as_str().unwrap().to_string());
            total += inv["total"].as_i64().unwrap();
        }
        numbers.sort();
        let expected: Vec<String> = (7..27).map(|n| format!("AT/26-27/{n:04}")).collect();
        assert_eq!(numbers, expected, "no gaps, no duplicates");
        assert_eq!(balance(&t, &tok, &cid).await, total);
        assert_eq!(total, (0..20).map(|i| 1000 + i).sum::<i64>());
        let s = get(&t, &tok, "/v1/business/settings").await;
        assert_eq!(s["next_invoice_number"], 27);
        // Setting the counter back never reuses a number: taken ones are skipped.
        let r = t
            .call(
                Method::PATCH,
                "/v1/business/settings",
                Some(&tok),
                Some(json!({"next_invoice_number": 25})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let inv = simple_invoice(&t, &tok, &cid, 500, "2026-02-01").await;
        assert_eq!(inv["number"], "AT/26-27/0027");
    }
);

both!(
    part_payments_then_paid_and_overpayment_refused,
    |t: TestApp| async move {
        let tok = t.billing_owner().await;
        let cid = customer(&t, &tok, "Verma Kirana", None).await;
        let inv = simple_invoice(&t, &tok, &cid, 100_000, &t.today().to_string()).await;
        let iid = inv["id"].as_str().unwrap();
        let pay = |amount: i64| json!({"amount": amount, "method": "upi", "reference": "UTR 1"});
        let p1 = post(
            &t,
            &tok,
            &format!("/v1/invoices/{iid}/payments"),
            pay(30_000),
        )
        .await;
        assert_eq!(p1["allocations"][0]["amount"], 30_000);
        let got = get(&t, &tok, &format!("/v1/invoices/{iid}")).await;
        assert_eq!(got["status"], "partially_paid");
        assert_eq!(got["amount_paid"], 30_000);
        assert_eq!(got["balance_due"], 70_000);
        assert_eq!(balance(&t, &tok, &cid).await, 70_000);

        // Paying more than is left: a 422 naming amount, and nothing written.
        let over = t
            .call(
                Method::POST,
                &format!("/v1/invoices/{iid}/payments"),
                Some(&tok),
                Some(pay(70_001)),
            )
            .await;
        assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(over.problem(), "validation-error");
        assert_eq!(over.fields(), ["amount"]);
        assert_eq!(balance(&t, &tok, &cid).await, 70_000);
        let pays = get(&t, &tok, &format!("/v1/invoices/{iid}/payments")).await;
        assert_eq!(pays["items"].as_array().unwrap().len(), 1);

        post(
            &t,
            &tok,
            &format!("/v1/invoices/{iid}/payments"),
            pay(70_000),
        )
        .await;
        let got = get(&t, &tok, &format!("/v1/invoices/{iid}")).await;
        assert_eq!(got["status"], "paid");
        assert_eq!(got["balance_due"], 0);
        assert_eq!(got["payments"].as_array().unwrap().len(), 2);
        let actions: Vec<&str> = got["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["created", "payment_recorded", "payment_recorded"]);
        assert_eq!(balance(&t, &tok, &cid).await, 0);
        // A paid invoice cannot be changed or cancelled.
        let r = t
            .call(
                Method::POST,
                &format!("/v1/invoices/{iid}/cancel"),
                Some(&tok),
                Some(json!({})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);

        // Voiding a payment restores the balances.
        let void = post(
            &t,
            &tok,
            &format!("/v1/payments/{}/void", p1["id"].as_str().unwrap()),
            json!({"reason": "cheque bounced"}),
        )
        .await;
        assert_eq!(void["status"], "voided");
        let got = get(&t, &tok, &format!("/v1/invoices/{iid}")).await;
        assert_eq!(got["status"], "partially_paid");
        assert_eq!(got["balance_due"], 30_000);
        assert_eq!(balance(&t, &tok, &cid).await, 30_000);
        let history = get(&t, &tok, &format!("/v1/customers/{cid}/payments")).await;
        let statuses: Vec<&str> = history["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses.len(), 2);
        assert!(statuses.contains(&"voided"));
    }
);

both!(
    a_customer_payment_settles_oldest_first_and_keeps_an_advance,
    |t: TestApp| async move {
        let tok = t.billing_owner().await;
        let cid = customer(&t, &tok, "Gupta Sweets", None).await;
        let a = simple_invoice(&t, &tok, &cid, 100_000, "2026-01-10").await;
        let c = simple_invoice(&t, &tok, &cid, 300_000, "2026-03-10").await;
        let b = simple_invoice(&t, &tok, &cid, 200_000, "2026-02-10").await;
        assert_eq!(balance(&t, &tok, &cid).await, 600_000);
        let p = post(
            &t,
            &tok,
            &format!("/v1/customers/{cid}/payments"),
            json!({"amount": 450_000, "method": "cash"}),
        )
        .await;
        let alloc: Vec<(String, i64)> = p["allocations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["invoice_id"].as_str().unwrap().to_string(),
                    a["amount"].as_i64().unwrap(),
                )
            })
            .collect();
        let id = |v: &Value| v["id"].as_str().unwrap().to_string();
        assert_eq!(
            alloc,
            [(id(&a), 100_000), (id(&b), 200_000), (id(&c), 150_000)]
        );
        assert_eq!(p["advance"], 0);
        let status = |v: Value| v["status"].as_str().unwrap().to_string();
        assert_eq!(
            status(get(&t, &tok, &format!("/v1/invoices/{}", id(&a))).await),
            "paid"
        );
        assert_eq!(
            status(get(&t, &tok, &format!("/v1/invoices/{}", id(&b))).await),
            "paid"
        );
        let cc = get(&t, &tok, &format!("/v1/invoices/{}", id(&c))).await;
        assert_eq!(cc["balance_due"], 150_000);
        assert_eq!(cc["payments"][0]["amount"], 150_000);
        assert_eq!(cc["history"][1]["action"], "payment_recorded");
        assert_eq!(balance(&t, &tok, &cid).await, 150_000);

        let p2 = post(
            &t,
            &tok,
            &format!("/v1/customers/{cid}/payments"),
            json!({"amount": 200_000, "method": "bank_transfer", "reference": "NEFT 88"}),
        )
        .await;
        assert_eq!(p2["allocations"][0]["amount"], 150_000);
        assert_eq!(p2["advance"], 50_000);
        assert_eq!(
            balance(&t, &tok, &cid).await,
            -50_000,
            "an advance is a negative balance"
        );
        // Voiding it takes the advance back and reopens the invoice.
        post(
            &t,
            &tok,
            &format!("/v1/payments/{}/void", p2["id"].as_str().unwrap()),
            json!({"reason": "refunded"}),
        )
        .await;
        assert_eq!(balance(&t, &tok, &cid).await, 150_000);
        assert_eq!(
            get(&t, &tok, &format!("/v1/invoices/{}", id(&c))).await["balance_due"],
            150_000
        );
    }
);

both!(
    fifty_concurrent_payments_on_one_invoice_leave_exact_balances,
    |t: TestApp| async move {
        let tok = t.billing_owner().await;
        let cid = customer(&t, &tok, "Busy Mart", None).await;
        let inv = simple_invoice(&t, &tok, &cid, 50 * 1234 + 999, &t.today().to_string()).await;
        let iid = inv["id"].as_str().unwrap().to_string();
        let t = Arc::new(t);
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..50 {
            let (t, tok, iid) = (t.clone(), tok.clone(), iid.clone());
            tasks.spawn(async move {
                let r = t
                    .call(
                        Method::POST,
                        &format!("/v1/invoices/{iid}/payments"),
                        Some(&tok),
                        Some(
                            json!({"amount": 1234, "method": "cash", "reference": format!("r{i}")}),
                        ),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            });
        }
        while let Some(r) = tasks.join_next().await {
            r.unwrap();
        }
        let got = get(&t, &tok, &format!("/v1/invoices/{iid}")).await;
        assert_eq!(got["amount_paid"], 50 * 1234);
        assert_eq!(got["balance_due"], 999);
        assert_eq!(got["payments"].as_array().unwrap().len(), 50);
        assert_eq!(got["status"], "partially_paid");
        assert_eq!(balance(&t, &tok, &cid).await, 999);
    }
);

both!(
    cancelled_invoices_drop_out_and_overdue_follows_the_clock,
    |t: TestApp| async move {
        let (tok, refresh) = t.billing_owner_sessions().await;
        let cid = customer(&t, &tok, "Late Payers Ltd", None).await;
        let today = t.today();
        let keep = simple_invoice(&t, &tok, &cid, 40_000, &today.to_string()).await;
        let gone = simple_invoice(&t, &tok, &cid, 60_000, &today.to_string()).await;
        assert_eq!(
            keep["due_date"],
            today
                .checked_add(jiff::Span::new().days(15))
                .unwrap()
                .to_string()
        );
        assert_eq!(balance(&t, &tok, &cid).await, 100_000);
        let c = post(
            &t,
            &tok,
            &format!("/v1/invoices/{}/cancel", gone["id"].as_str().unwrap()),
            json!({"reason": "billed twice"}),
        )
        .await;
        assert_eq!(c["status"], "cancelled");
        assert_eq!(c["balance_due"], 0);
        assert_eq!(c["number"], gone["number"], "the number stays used");
        assert_eq!(balance(&t, &tok, &cid).await, 40_000);
        let r = t
            .call(
                Method::POST,
                &format!("/v1/invoices/{}/payments", gone["id"].as_str().unwrap()),
                Some(&tok),
                Some(json!({"amount": 100, "method": "cash"})),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "no payments on a cancelled invoice"
        );

        let path = format!("/v1/invoices/{}", keep["id"].as_str().unwrap());
        assert_eq!(get(&t, &tok, &path).await["status"], "unpaid");
        t.clock.advance(15 * 86_400);
        let (tok, refresh) = t.refresh(&refresh).await;
        assert_eq!(
            get(&t, &tok, &path).await["status"],
            "unpaid",
            "due today is not late"
        );
        t.clock.advance(86_400);
        let (tok, _) = t.refresh(&refresh).await;
        assert_eq!(get(&t, &tok, &path).await["status"], "overdue");
        let overdue = get(&t, &tok, "/v1/invoices?status=overdue").await;
        assert_eq!(overdue["items"].as_array().unwrap().len(), 1);
        assert_eq!(overdue["items"][0]["id"], keep["id"]);
        let unpaid = get(&t, &tok, "/v1/invoices?status=unpaid").await;
        assert!(unpaid["items"].as_array().unwrap().is_empty());
        let cancelled = get(&t, &tok, "/v1/invoices?status=cancelled").await;
        assert_eq!(cancelled["items"][0]["id"], gone["id"]);
    }
);

both!(drafts_are_edited_then_issued, |t: TestApp| async move {
    let tok = t.billing_owner().await;
    let cid = customer(&t, &tok, "Draft Co", None).await;
    let d = post(
        &t,
        &tok,
        "/v1/invoices",
        json!({"customer_id": cid, "draft": true,
               "lines": [{"description": "Rice", "quantity": 2, "unit_price": 5000, "tax_rate_bp": 500}]}),
    )
    .await;
    assert_eq!(d["status"], "draft");
    assert!(d["number"].is_null());
    assert_eq!(balance(&t, &tok, &cid).await, 0, "drafts count nowhere");
    let path = format!("/v1/invoices/{}", d["id"].as_str().unwrap());
    let up = t
        .call(
            Method::PATCH,
            &path,
            Some(&tok),
            Some(json!({"lines": [{"description": "Rice", "quantity": 3, "unit_price": 5000, "tax_rate_bp": 500}],
                        "notes": "3 bags", "version": 1})),
        )
        .await;
    assert_eq!(up.status, StatusCode::OK, "{}", up.body);
    assert_eq!(up.body["total"], 15_750);
    let stale = t
        .call(
            Method::PATCH,
            &path,
            Some(&tok),
            Some(json!({"notes": "x", "version": 1})),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let issued = post(&t, &tok, &format!("{path}/issue"), json!({})).await;
    assert_eq!(issued["number"], "INV-0001");
    assert_eq!(issued["status"], "unpaid");
    assert_eq!(balance(&t, &tok, &cid).await, 15_750);
    let again = t
        .call(
            Method::POST,
            &format!("{path}/issue"),
            Some(&tok),
            Some(json!({})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    // An issued invoice without payments can still be corrected; the
    // customer's balance follows.
    let up = t
        .call(
            Method::PATCH,
            &path,
            Some(&tok),
            Some(json!({"lines": [{"description": "Rice", "quantity": 1, "unit_price": 5000, "tax_rate_bp": 500}]})),
        )
        .await;
    assert_eq!(up.status, StatusCode::OK, "{}", up.body);
    assert_eq!(balance(&t, &tok, &cid).await, 5250);
});

/// The dashboard's count of drafts dated `day`.
async fn drafts(t: &TestApp, tok: &str, day: jiff::civil::Date) -> i64 {
    let dash = get(
        t,
        tok,
        &format!("/v1/reports/dashboard?from={day}&to={day}"),
    )
    .await;
    dash["by_status"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["status"] == "draft")
        .map(|f| f["count"].as_i64().unwrap())
        .unwrap_or(0)
}

both!(
    a_draft_is_deleted_and_an_issued_invoice_is_not,
    |t: TestApp| async move {
        let tok = t.billing_owner().await;
        let cid = customer(&t, &tok, "Draft Co", None).await;
        let lines =
            json!([{"description": "Rice", "quantity": 2, "unit_price": 5000, "tax_rate_bp": 0}]);
        let d = post(
            &t,
            &tok,
            "/v1/invoices",
            json!({"customer_id": cid, "draft": true, "lines": lines}),
        )
        .await;
        let path = format!("/v1/invoices/{}", d["id"].as_str().unwrap());
        let r = t
            .call(
                Method::PATCH,
                &path,
                Some(&tok),
                Some(json!({"notes": "edited", "version": 1})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let today = t.today();
        assert_eq!(drafts(&t, &tok, today).await, 1);
        let r = t.call(Method::DELETE, &path, Some(&tok), None).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        let r = t.call(Method::GET, &path, Some(&tok), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(drafts(&t, &tok, today).await, 0, "out of the draft figures");
        let list = get(&t, &tok, &format!("/v1/customers/{cid}/invoices")).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 0, "{list}");
        let r = t.call(Method::DELETE, &path, Some(&tok), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "deleted once");

        // An issued invoice keeps its number: it is cancelled, never deleted.
        let issued = post(
            &t,
            &tok,
            "/v1/invoices",
            json!({"customer_id": cid, "lines": lines}),
        )
        .await;
        let path = format!("/v1/invoices/{}", issued["id"].as_str().unwrap());
        let r = t.call(Method::DELETE, &path, Some(&tok), None).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(get(&t, &tok, &path).await["status"], "unpaid");
        assert_eq!(balance(&t, &tok, &cid).await, 10_000);
    }
);

both!(lists_filter_and_page, |t: TestApp| async move {
    let tok = t.billing_owner().await;
    let a = customer(&t, &tok, "Alpha", None).await;
    let b = customer(&t, &tok, "Beta", None).await;
    for (cid, amount, date) in [
        (&a, 1000, "2026-01-05"),
        (&a, 5000, "2026-02-05"),
        (&b, 9000, "2026-02-06"),
        (&b, 3000, "2026-03-01"),
    ] {
        simple_invoice(&t, &tok, cid, amount, date).await;
    }
    let totals = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["total"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(
        totals(&get(&t, &tok, "/v1/invoices").await),
        [3000, 9000, 5000, 1000],
        "newest first"
    );
    assert_eq!(
        totals(&get(&t, &tok, "/v1/invoices?from=2026-02-01&to=2026-02-28").await),
        [9000, 5000]
    );
    assert_eq!(
        totals(&get(&t, &tok, &format!("/v1/customers/{a}/invoices")).await),
        [5000, 1000]
    );
    assert_eq!(
        totals(
            &get(
                &t,
                &tok,
                &format!("/v1/invoices?customer_id={b}&min_total=5000")
            )
            .await
        ),
        [9000]
    );
    assert_eq!(
        totals(&get(&t, &tok, "/v1/invoices?q=INV-0003").await),
        [9000]
    );
    assert_eq!(
        totals(&get(&t, &tok, "/v1/invoices?q=4").await),
        [3000],
        "digits search the number"
    );
    // Pages of one, following the cursor.
    let mut seen = vec![];
    let mut path = "/v1/invoices?limit=1".to_string();
    loop {
        let page = get(&t, &tok, &path).await;
        seen.extend(totals(&page));
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/v1/invoices?limit=1&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, [3000, 9000, 5000, 1000]);
    let r = t
        .call(
            Method::GET,
            "/v1/invoices?limit=1&status=paid",
            Some(&tok),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let bad = t
        .call(
            Method::GET,
            "/v1/invoices?from=2026-03-01&to=2026-01-01",
            Some(&tok),
            None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.fields(), ["to"]);
});

both!(
    idempotent_invoice_and_payment_creates,
    |t: TestApp| async move {
        let tok = t.billing_owner().await;
        let cid = customer(&t, &tok, "Retry Traders", None).await;
        let auth = format!("Bearer {tok}");
        let body = json!({"customer_id": cid, "lines": [{"description": "Oil", "quantity": 1, "unit_price": 7000}]});
        let send = |path: String, key: &'static str, body: Value| {
            let auth = auth.clone();
            let t = &t;
            async move {
                t.raw(
                    Method::POST,
                    &path,
                    &[
                        ("content-type", "application/json"),
                        ("authorization", &auth),
                        ("idempotency-key", key),
                    ],
                    body.to_string().into_bytes(),
                )
                .await
            }
        };
        let first = send("/v1/invoices".into(), "inv-key-1", body.clone()).await;
        let second = send("/v1/invoices".into(), "inv-key-1", body.clone()).await;
        assert_eq!(first.status, StatusCode::CREATED);
        assert_eq!(second.status, StatusCode::CREATED);
        assert_eq!(second.headers["idempotent-replayed"], "true");
        assert_eq!(first.body["id"], second.body["id"]);
        assert_eq!(balance(&t, &tok, &cid).await, 7000, "billed once");
        let iid = first.body["id"].as_str().unwrap();
        let pay = json!({"amount": 2000, "method": "upi"});
        let p1 = send(
            format!("/v1/invoices/{iid}/payments"),
            "pay-key-1",
            pay.clone(),
        )
        .await;
        let p2 = send(format!("/v1/invoices/{iid}/payments"), "pay-key-1", pay).await;
        assert_eq!(p1.body["id"], p2.body["id"]);
        assert_eq!(balance(&t, &tok, &cid).await, 5000, "paid once");
    }
);

both!(
    other_businesses_get_404_on_everything,
    |t: TestApp| async move {
        let tok = t.billing_owner().await;
        let cid = customer(&t, &tok, "Private Customer", None).await;
        let inv = simple_invoice(&t, &tok, &cid, 5000, &t.today().to_string()).await;
        let iid = inv["id"].as_str().unwrap();
        let pay = post(
            &t,
            &tok,
            &format!("/v1/invoices/{iid}/payments"),
            json!({"amount": 100, "method": "cash"}),
        )
        .await;
        let pid = pay["id"].as_str().unwrap();
        let prd = post(
            &t,
            &tok,
            "/v1/products",
            json!({"name": "Secret", "unit_price": 10}),
        )
        .await;
        let prd = prd["id"].as_str().unwrap();
        let cat = post(&t, &tok, "/v1/categories", json!({"name": "Hidden"})).await;
        let cat = cat["id"].as_str().unwrap();
        let other = t.billing_owner().await;
        let cases: Vec<(Method, String, Option<Value>)> = vec![
            (Method::GET, format!("/v1/invoices/{iid}"), None),
            (
                Method::PATCH,
                format!("/v1/invoices/{iid}"),
                Some(json!({"notes": "x"})),
            ),
            (
                Method::POST,
                format!("/v1/invoices/{iid}/issue"),
                Some(json!({})),
            ),
            (
                Method::POST,
                format!("/v1/invoices/{iid}/cancel"),
                Some(json!({})),
            ),
            (Method::GET, format!("/v1/invoices/{iid}/pdf"), None),
            (Method::GET, format!("/v1/invoices/{iid}/payments"), None),
            (
                Method::POST,
                format!("/v1/invoices/{iid}/payments"),
                Some(json!({"amount": 1, "method": "cash"})),
            ),
            (Method::GET, format!("/v1/customers/{cid}/invoices"), None),
            (Method::GET, format!("/v1/customers/{cid}/payments"), None),
            (
                Method::POST,
                format!("/v1/customers/{cid}/payments"),
                Some(json!({"amount": 1, "method": "cash"})),
            ),
            (
                Method::POST,
                format!("/v1/payments/{pid}/void"),
                Some(json!({"reason": "x"})),
            ),
            (Method::GET, format!("/v1/products/{prd}"), None),
            (
                Method::PATCH,
                format!("/v1/products/{prd}"),
                Some(json!({"name": "x"})),
            ),
            (Method::DELETE, format!("/v1/products/{prd}"), None),
            (
                Method::PATCH,
                format!("/v1/categories/{cat}"),
                Some(json!({"name": "x"})),
            ),
            (Method::DELETE, format!("/v1/categories/{cat}"), None),
        ];
        for (m, path, body) in cases {
            let r = t.call(m.clone(), &path, Some(&other), body).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{m} {path}: {}", r.body);
        }
        let theirs = get(&t, &other, "/v1/invoices").await;
        assert!(theirs["items"].as_array().unwrap().is_empty());
        // Their own customer id does not reach ours either: a 422 on create.
        let r = t
        .call(Method::POST, "/v1/invoices", Some(&other),
              Some(json!({"customer_id": cid, "lines": [{"description": "x", "quantity": 1, "unit_price": 1}]})))
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.fields(), ["customer_id"]);
        assert_eq!(balance(&t, &tok, &cid).await, 4900);
    }
);

both!(
    bad_input_gets_a_problem_and_writes_nothing,
    |t: TestApp| async move {
        let tok = t.billing_owner().await;
        let cid = customer(&t, &tok, "Careful Co", None).await;
        let line = json!({"description": "Sugar", "quantity": 1, "unit_price": 4000});
        let cases: Vec<(Value, StatusCode, Vec<&str>)> = vec![
            (
                json!({"customer_id": cid, "lines": []}),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["lines"],
            ),
            (
                json!({"customer_id": cid, "lines": [{"description": "Sugar", "quantity": -2, "unit_price": 4000}]}),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["lines[0].quantity"],
            ),
            (
                json!({"customer_id": cid, "lines": [line, {"product_id": "prd_01JD2QK3M4N5P6Q7R8S9T0V1W2", "quantity": 1}]}),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["lines[1].product_id"],
            ),
            (
                json!({"customer_id": cid, "lines": [{"quantity": 1}]}),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["lines[0].description", "lines[0].unit_price"],
            ),
            (
                json!({"customer_id": cid, "lines": [line], "invoice_date": "2026-03-10", "due_date": "2026-03-01"}),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["due_date"],
            ),
            (
                json!({"customer_id": cid, "lines": [line], "invoice_date": "2026-13-01"}),
                StatusCode::BAD_REQUEST,
                vec!["invoice_date"],
            ),
            (
                json!({"customer_id": cid, "lines": [{"description": "x", "quantity": 1, "unit_price": 100, "discount": 101}]}),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["lines[0].discount"],
            ),
            (
                json!({"customer_id": cid, "lines": [{"description": "x", "quantity": "1.2345", "unit_price": 100}]}),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["lines[0].quantity"],
            ),
            (
                json!({"customer_id": cid, "lines": [line], "total": 5}),
                StatusCode::BAD_REQUEST,
                vec!["total"],
            ),
            (
                json!({"customer_id": "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q", "lines": [line]}),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["customer_id"],
            ),
        ];
        for (body, status, fields) in cases {
            let r = t
                .call(Method::POST, "/v1/invoices", Some(&tok), Some(body.clone()))
                .await;
            assert_eq!(r.status, status, "{body}: {}", r.body);
            r.problem();
            assert_eq!(r.fields(), fields, "{body}");
        }
        assert!(
            get(&t, &tok, "/v1/invoices").await["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert_eq!(balance(&t, &tok, &cid).await, 0);
        let s = get(&t, &tok, "/v1/business/settings").await;
        assert_eq!(s["next_invoice_number"], 1, "no number was taken");
        let dash = get(&t, &tok, "/v1/reports/dashboard").await;
        assert_eq!(dash["aging"]["total_count"], 0);

        // Payments: zero, future date, unknown invoice.
        let inv = simple_invoice(&t, &tok, &cid, 1000, &t.today().to_string()).await;
        let iid = inv["id"].as_str().unwrap();
        let tomorrow = t.today().tomorrow().unwrap().to_string();
        for (body, field) in [
            (json!({"amount": 0, "method": "cash"}), "amount"),
            (
                json!({"amount": 10, "method": "cash", "date": tomorrow}),
                "date",
            ),
        ] {
            let r = t
                .call(
                    Method::POST,
                    &format!("/v1/invoices/{iid}/payments"),
                    Some(&tok),
                    Some(body),
                )
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            assert_eq!(r.fields(), [field]);
        }
        let r = t
            .call(
                Method::POST,
                &format!("/v1/invoices/{iid}/payments"),
                Some(&tok),
                Some(json!({"amount": 10, "method": "barter"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.fields(), ["method"]);
        let r = t
            .call(
                Method::POST,
                "/v1/invoices/inv_01JD2QM0X1Y2Z3A4B5C6D7E8F9/payments",
                Some(&tok),
                Some(json!({"amount": 10, "method": "cash"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(balance(&t, &tok, &cid).await, 1000);
        assert!(
            get(&t, &tok, &format!("/v1/customers/{cid}/payments")).await["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
);
