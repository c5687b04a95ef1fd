//! Scheduled orders and daily deliveries end to end, on SQLite and on
//! DynamoDB (moto): the customer's confirmation of new orders and rate
//! changes, a month of marks against the test's own sums, a customer's
//! correction, the morning round in bulk, month settlement into an
//! invoice, what a customer user sees of two vendors (and not of a third),
//! tenant isolation, and bad input that writes nothing.

mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, get, post};
use jiff::civil::Date;
use serde_json::{Value, json};

/// Registers a customer user with the phone and verifies it; returns
/// (access token, refresh token).
async fn customer_user(t: &TestApp, phone: &str) -> (String, String) {
    let r = t
        .call(
            Method::POST,
            "/v1/auth/register",
            None,
            Some(json!({"name": "Meera", "phone": phone, "account_type": "customer"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let (a, r, _) = t.verify(phone).await;
    (a, r)
}

async fn new_customer(t: &TestApp, tok: &str, name: &str, phone: Option<&str>) -> String {
    let mut body = json!({ "name": name });
    if let Some(p) = phone {
        body["phone"] = json!(p);
    }
    post(t, tok, "/v1/customers", body).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A daily milk order at `rate` paise a litre, without GST.
async fn milk_order(t: &TestApp, tok: &str, cid: &str, qty: &str, rate: i64, from: Date) -> Value {
    post(
        t,
        tok,
        "/v1/orders",
        json!({"customer_id": cid, "item": "Cow milk", "unit": "litre", "quantity": qty,
               "rate": rate, "valid_from": from.to_string(), "tax_rate_bp": 0}),
    )
    .await
}

/// The first and last day of the month before today's.
fn previous_month(t: &TestApp) -> (Date, Date) {
    let first = t
        .today()
        .first_of_month()
        .yesterday()
        .unwrap()
        .first_of_month();
    (first, first.last_of_month())
}

fn month(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

async fn mark(t: &TestApp, tok: &str, oid: &str, body: Value) -> common::Res {
    t.call(
        Method::POST,
        &format!("/v1/orders/{oid}/deliveries"),
        Some(tok),
        Some(body),
    )
    .await
}

both!(
    a_pending_order_and_a_rate_change_wait_for_the_customer,
    |t: TestApp| async move {
        let (owner, owner_refresh) = t.billing_owner_sessions().await;
        let phone = common::unique_phone();
        let cid = new_customer(&t, &owner, "Meera Iyer", Some(&phone)).await;
        let (me, me_refresh) = customer_user(&t, &phone).await;
        let today = t.today();

        let o = milk_order(&t, &owner, &cid, "1.5", 6000, today.yesterday().unwrap()).await;
        let oid = s(&o["id"]).to_string();
        assert_eq!(o["status"], "pending", "{o}");
        assert_eq!(o["customer_has_account"], true);
        let change = s(&o["pending_change"]["id"]).to_string();
        assert!(
            t.sms(&phone)
                .iter()
                .any(|m| m.contains("confirm") && m.contains("Cow milk")),
            "the customer is told by SMS: {:?}",
            t.sms(&phone)
        );
        // Nothing can be marked before the customer confirms.
        let r = mark(
            &t,
            &owner,
            &oid,
            json!({"date": today.to_string(), "status": "delivered"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        // The business cannot confirm for the customer.
        let confirm = format!("/v1/orders/{oid}/changes/{change}/confirm");
        let r = t.call(Method::POST, &confirm, Some(&owner), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        // The customer sees it pending, and confirms.
        let mine = get(&t, &me, "/v1/orders?status=pending").await;
        assert_eq!(mine["items"].as_array().unwrap().len(), 1);
        let o = post(&t, &me, &confirm, json!({})).await;
        assert_eq!(o["status"], "active");
        assert!(o["pending_change"].is_null());

        // A rate change waits; the old rate applies meanwhile.
        let r = t
            .call(
                Method::PATCH,
                &format!("/v1/orders/{oid}"),
                Some(&owner),
                Some(json!({"rate": 6400})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["rate"], 6000, "terms unchanged until confirmed");
        assert_eq!(r.body["pending_change"]["fields"]["rate"], 6400);
        let change = s(&r.body["pending_change"]["id"]).to_string();
        assert!(
            t.sms(&phone).iter().any(|m| m.contains("Rs 64.00")),
            "{:?}",
            t.sms(&phone)
        );
        let d = mark(
            &t,
            &owner,
            &oid,
            json!({"date": today.to_string(), "status": "delivered"}),
        )
        .await;
        assert_eq!(d.status, StatusCode::CREATED, "{}", d.body);
        assert_eq!(d.body["rate"], 6000);
        assert_eq!(d.body["quantity"], "1.5");
        assert_eq!(d.body["amount"], 9000);
        // Another user (even a customer user) cannot act on it.
        let (stranger, _) = customer_user(&t, &common::unique_phone()).await;
        let r = t
            .call(
                Method::POST,
                &format!("/v1/orders/{oid}/changes/{change}/confirm"),
                Some(&stranger),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        // Confirmed: the new rate applies from today on, the record made
        // before keeps its rate.
        let o = post(
            &t,
            &me,
            &format!("/v1/orders/{oid}/changes/{change}/confirm"),
            json!({}),
        )
        .await;
        assert_eq!(o["rate"], 6400);
        assert_eq!(o["terms"].as_array().unwrap().len(), 2, "{o}");
        t.clock.advance(24 * 3600);
        let (owner, _) = t.refresh(&owner_refresh).await;
        let (me, _) = t.refresh(&me_refresh).await;
        let tomorrow = t.today();
        let d2 = mark(
            &t,
            &owner,
            &oid,
            json!({"date": tomorrow.to_string(), "status": "delivered"}),
        )
        .await;
        assert_eq!(d2.status, StatusCode::CREATED, "{}", d2.body);
        assert_eq!(d2.body["rate"], 6400);
        assert_eq!(d2.body["amount"], 9600);
        let first = get(&t, &owner, &format!("/v1/deliveries/{}", s(&d.body["id"]))).await;
        assert_eq!(first["rate"], 6000);

        // A rejected change leaves the order as it was.
        let r = t
            .call(
                Method::PATCH,
                &format!("/v1/orders/{oid}"),
                Some(&owner),
                Some(json!({"quantity": 2})),
            )
            .await;
        let change = s(&r.body["pending_change"]["id"]).to_string();
        let o = post(
            &t,
            &me,
            &format!("/v1/orders/{oid}/changes/{change}/reject"),
            json!({"reason": "1.5 litres is enough"}),
        )
        .await;
        assert_eq!(o["quantity"], "1.5");
        assert!(o["pending_change"].is_null());
        let actions: Vec<&str> = o["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            [
                "created",
                "confirmed",
                "change_requested",
                "confirmed",
                "change_requested",
                "rejected"
            ]
        );
        // The customer cannot change the order itself.
        let r = t
            .call(
                Method::PATCH,
                &format!("/v1/orders/{oid}"),
                Some(&me),
                Some(json!({"rate": 1})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        // A new order edited before confirmation gets a new change id: the
        // customer cannot confirm terms they have not seen.
        let o2 = milk_order(&t, &owner, &cid, "1", 3000, tomorrow).await;
        let seen = s(&o2["pending_change"]["id"]).to_string();
        let edited = t
            .call(
                Method::PATCH,
                &format!("/v1/orders/{}", s(&o2["id"])),
                Some(&owner),
                Some(json!({"quantity": 3})),
            )
            .await;
        assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
        let c2 = s(&edited.body["pending_change"]["id"]);
        assert_ne!(c2, seen);
        let r = t
            .call(
                Method::POST,
                &format!("/v1/orders/{}/changes/{seen}/confirm", s(&o2["id"])),
                Some(&me),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        // A rejected new order is declined.
        let o2 = post(
            &t,
            &me,
            &format!("/v1/orders/{}/changes/{c2}/reject", s(&o2["id"])),
            json!({}),
        )
        .await;
        assert_eq!(o2["status"], "declined");
    }
);

both!(
    a_month_of_marks_gives_exact_totals_and_the_customer_corrects_one,
    |t: TestApp| async move {
        let owner = t.billing_owner().await;
        let phone = common::unique_phone();
        let cid = new_customer(&t, &owner, "Rao Family", Some(&phone)).await;
        let (first, last) = previous_month(&t);
        // Made before the customer has an account: in force at once.
        let milk = milk_order(&t, &owner, &cid, "1.5", 5600, first).await;
        assert_eq!(milk["status"], "active");
        let milk = s(&milk["id"]).to_string();
        let curd = post(
            &t,
            &owner,
            "/v1/orders",
            json!({"customer_id": cid, "item": "Curd", "unit": "kg", "quantity": "0.25",
                   "rate": 9000, "days": ["sun", "wed"], "valid_from": first.to_string(), "tax_rate_bp": 0}),
        )
        .await;
        let curd = s(&curd["id"]).to_string();

        // Every day of the month: milk skipped on the 5th, 12th and 19th,
        // 2 litres on the 10th and 20th; curd on its days.
        let (mut amount, mut qty, mut active, mut skipped) = (0i64, 0i64, 0i64, 0i64);
        let (mut milk_qty, mut curd_qty, mut curd_days) = (0i64, 0i64, 0i64);
        let mut records = vec![];
        let mut d = first;
        while d <= last {
            let day = d.day();
            let body = if [5, 12, 19].contains(&day) {
                json!({"date": d.to_string(), "status": "skipped"})
            } else if [10, 20].contains(&day) {
                json!({"date": d.to_string(), "status": "delivered", "quantity": 2})
            } else {
                json!({"date": d.to_string(), "status": "delivered"})
            };
            let r = mark(&t, &owner, &milk, body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{d}: {}", r.body);
            records.push(s(&r.body["id"]).to_string());
            let q = match day {
                5 | 12 | 19 => 0,
                10 | 20 => 2000,
                _ => 1500,
            };
            milk_qty += q;
            let mut delivered_today = q > 0;
            if matches!(
                d.weekday(),
                jiff::civil::Weekday::Sunday | jiff::civil::Weekday::Wednesday
            ) {
                let r = mark(
                    &t,
                    &owner,
                    &curd,
                    json!({"date": d.to_string(), "status": "delivered"}),
                )
                .await;
                assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
                curd_qty += 250;
                curd_days += 1;
                delivered_today = true;
            }
            if delivered_today {
                active += 1;
            } else {
                skipped += 1;
            }
            d = d.tomorrow().unwrap();
        }
        // The same day twice is refused.
        let r = mark(
            &t,
            &owner,
            &milk,
            json!({"date": first.to_string(), "status": "delivered"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

        // The customer signs up and corrects the 3rd: 1 litre, not 1.5.
        let (me, _) = customer_user(&t, &phone).await;
        let third = &records[2];
        let r = t
            .call(
                Method::PATCH,
                &format!("/v1/deliveries/{third}"),
                Some(&me),
                Some(json!({"quantity": 1})),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a reason is required"
        );
        assert_eq!(r.fields(), ["reason"]);
        let r = t
            .call(
                Method::PATCH,
                &format!("/v1/deliveries/{third}"),
                Some(&me),
                Some(json!({"quantity": 1, "reason": "only one packet came"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        milk_qty -= 500;
        let seen = get(&t, &owner, &format!("/v1/deliveries/{third}")).await;
        assert_eq!(seen["quantity"], "1");
        assert_eq!(seen["updated_by_role"], "customer");
        assert_eq!(seen["history"][0]["from_quantity"], "1.5");
        assert_eq!(seen["history"][0]["reason"], "only one packet came");

        let milk_amount = milk_qty * 5600 / 1000;
        let curd_amount = curd_qty * 9000 / 1000;
        amount += milk_amount + curd_amount;
        qty += milk_qty + curd_qty;
        let days = last.day() as i64;
        let m = month(first);

        let om = get(&t, &owner, &format!("/v1/orders/{milk}/months/{m}")).await;
        assert_eq!(om["amount"], milk_amount, "{om}");
        assert_eq!(om["delivered_days"], days - 3);
        assert_eq!(om["skipped_days"], 3);
        assert_eq!(om["status"], "open");
        let cm = get(&t, &owner, &format!("/v1/customers/{cid}/months/{m}")).await;
        assert_eq!(cm["amount"], amount, "{cm}");
        assert_eq!(cm["quantity"], format!("{}", qty as f64 / 1000.0));
        assert_eq!(cm["active_days"], active);
        assert_eq!(cm["skipped_days"], skipped);
        let orders = cm["orders"].as_array().unwrap();
        assert_eq!(orders.len(), 2);
        let curd_month = orders
            .iter()
            .find(|o| o["order_id"] == curd.as_str())
            .unwrap();
        assert_eq!(curd_month["item"], "Curd");
        assert_eq!(curd_month["amount"], curd_amount);
        assert_eq!(curd_month["delivered_days"], curd_days);
        // The customer's view says the same.
        let vm = get(
            &t,
            &me,
            &format!("/v1/vendors/{}/months/{m}", s(&cm["business_id"])),
        )
        .await;
        assert_eq!(vm["accounts"][0]["amount"], amount);
        assert_eq!(vm["accounts"][0]["active_days"], active);
        // The month's records of the order, and of the business on one day.
        let list = get(&t, &me, &format!("/v1/orders/{milk}/deliveries?month={m}")).await;
        assert_eq!(list["items"].as_array().unwrap().len() as i64, days);
        let day10 = first.checked_add(jiff::Span::new().days(9)).unwrap();
        let on_day = get(&t, &owner, &format!("/v1/deliveries?date={day10}")).await;
        assert!(!on_day["items"].as_array().unwrap().is_empty());
        assert!(
            on_day["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["date"] == day10.to_string())
        );
        let by_customer = get(
            &t,
            &owner,
            &format!("/v1/customers/{cid}/deliveries?month={m}"),
        )
        .await;
        assert_eq!(
            by_customer["items"].as_array().unwrap().len() as i64,
            days + curd_days
        );
    }
);

both!(
    the_morning_round_marks_500_orders_and_reports_bad_items,
    |t: TestApp| async move {
        let owner = t.billing_owner().await;
        let today = t.today();
        let mut customers = vec![];
        for i in 0..5 {
            customers.push(new_customer(&t, &owner, &format!("Block {i}"), None).await);
        }
        let mut orders = vec![];
        for i in 0..497 {
            let o = milk_order(&t, &owner, &customers[i % 5], "1", 5000 + i as i64, today).await;
            orders.push(s(&o["id"]).to_string());
        }
        // One of them was marked already this morning.
        let r = mark(
            &t,
            &owner,
            &orders[7],
            json!({"date": today.to_string(), "status": "delivered"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED);

        let mut items: Vec<Value> = orders.iter().map(|o| json!({"order_id": o})).collect();
        items[3] = json!({"order_id": orders[3], "status": "skipped"});
        items.push(json!({"order_id": "ord_01JD2QP1A2B3C4D5E6F7G8H9J0"}));
        items.push(json!({"order_id": orders[0], "quantity": -1}));
        items.push(json!({"order_id": orders[1]}));
        assert_eq!(items.len(), 500);
        let too_many: Vec<Value> = (0..501).map(|_| json!({"order_id": orders[0]})).collect();
        let r = t
            .call(
                Method::POST,
                "/v1/deliveries/bulk",
                Some(&owner),
                Some(json!({"date": today.to_string(), "items": too_many})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.fields(), ["items"]);

        let out = post(
            &t,
            &owner,
            "/v1/deliveries/bulk",
            json!({"date": today.to_string(), "items": items}),
        )
        .await;
        let results = out["results"].as_array().unwrap();
        assert_eq!(results.len(), 500);
        // Marked: 497 orders, less the one marked before, plus the second
        // mention of orders[1]... which is a duplicate of the same day.
        let status_of = |i: usize| results[i]["error"]["status"].as_u64();
        assert_eq!(status_of(7), Some(409), "already marked: {}", results[7]);
        assert_eq!(status_of(497), Some(404));
        assert_eq!(status_of(498), Some(422));
        assert_eq!(
            results[498]["error"]["errors"][0]["field"],
            "items[498].quantity"
        );
        assert_eq!(status_of(499), Some(409), "orders[1] twice in one round");
        assert_eq!(status_of(1), None);
        assert_eq!(results[3]["delivery"]["status"], "skipped");
        assert_eq!(results[10]["delivery"]["rate"], 5010);
        assert_eq!(out["marked"], 496);
        assert_eq!(out["failed"], 4);
        for (i, r) in results.iter().enumerate() {
            assert_eq!(r["index"], i);
        }
        // 496 from the round and 1 from before, none lost, none twice.
        let day = get(
            &t,
            &owner,
            &format!("/v1/deliveries?date={today}&limit=500"),
        )
        .await;
        let listed = day["items"].as_array().unwrap();
        assert_eq!(listed.len(), 497);
        let mut ids: Vec<&str> = listed
            .iter()
            .map(|d| d["order_id"].as_str().unwrap())
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 497);
    }
);

both!(
    settling_a_month_bills_it_and_refuses_later_marks,
    |t: TestApp| async move {
        let owner = t.billing_owner().await;
        let phone = common::unique_phone();
        let cid = new_customer(&t, &owner, "Kulkarni House", Some(&phone)).await;
        let (first, _) = previous_month(&t);
        let m = month(first);
        let o = milk_order(&t, &owner, &cid, "1.5", 5650, first).await;
        let oid = s(&o["id"]).to_string();
        let mut d = first;
        for _ in 0..10 {
            let r = mark(
                &t,
                &owner,
                &oid,
                json!({"date": d.to_string(), "status": "delivered"}),
            )
            .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            d = d.tomorrow().unwrap();
        }
        // 15 litres × ₹56.50 = ₹847.50
        let settled = post(
            &t,
            &owner,
            &format!("/v1/customers/{cid}/months/{m}/settle"),
            json!({}),
        )
        .await;
        assert_eq!(settled["status"], "billed", "{settled}");
        assert_eq!(settled["amount"], 84750);
        let inv_id = s(&settled["invoice"]["id"]).to_string();
        let inv = get(&t, &owner, &format!("/v1/invoices/{inv_id}")).await;
        assert_eq!(inv["total"], 84750, "{inv}");
        assert_eq!(inv["lines"].as_array().unwrap().len(), 1);
        assert_eq!(inv["lines"][0]["quantity"], "15");
        assert_eq!(inv["lines"][0]["unit_price"], 5650);
        assert_eq!(inv["lines"][0]["unit"], "litre");
        assert!(s(&inv["lines"][0]["description"]).starts_with("Cow milk"));
        assert_eq!(settled["balance"], 84750, "the customer owes the invoice");

        // The month is closed to marks and corrections.
        let r = mark(
            &t,
            &owner,
            &oid,
            json!({"date": d.to_string(), "status": "delivered"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let rec = common::get(
            &t,
            &owner,
            &format!("/v1/orders/{oid}/deliveries?month={m}"),
        )
        .await;
        let first_id = s(&rec["items"][0]["id"]).to_string();
        let r = t
            .call(
                Method::PATCH,
                &format!("/v1/deliveries/{first_id}"),
                Some(&owner),
                Some(json!({"status": "skipped"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let r = t
            .call(
                Method::POST,
                &format!("/v1/customers/{cid}/months/{m}/settle"),
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "billed once");
        let cm = get(&t, &owner, &format!("/v1/customers/{cid}/months/{m}")).await;
        assert_eq!(cm["amount"], 84750, "nothing moved");
        // Reopening needs the invoice cancelled first.
        let r = t
            .call(
                Method::POST,
                &format!("/v1/customers/{cid}/months/{m}/reopen"),
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);

        // The customer pays the invoice: the month is settled, both sides see it.
        post(
            &t,
            &owner,
            &format!("/v1/invoices/{inv_id}/payments"),
            json!({"amount": 84750, "method": "upi"}),
        )
        .await;
        let cm = get(&t, &owner, &format!("/v1/customers/{cid}/months/{m}")).await;
        assert_eq!(cm["status"], "settled");
        assert_eq!(cm["balance"], 0);
        let (me, _) = customer_user(&t, &phone).await;
        let vm = get(
            &t,
            &me,
            &format!("/v1/vendors/{}/months/{m}", s(&cm["business_id"])),
        )
        .await;
        assert_eq!(vm["accounts"][0]["status"], "settled");
        assert_eq!(vm["accounts"][0]["invoice"]["balance_due"], 0);

        // Another customer: settle, cancel the invoice, reopen, mark again.
        let c2 = new_customer(&t, &owner, "Joshi", None).await;
        let o2 = milk_order(&t, &owner, &c2, "1", 6000, first).await;
        let o2 = s(&o2["id"]).to_string();
        mark(
            &t,
            &owner,
            &o2,
            json!({"date": first.to_string(), "status": "delivered"}),
        )
        .await;
        let st = post(
            &t,
            &owner,
            &format!("/v1/customers/{c2}/months/{m}/settle"),
            json!({}),
        )
        .await;
        post(
            &t,
            &owner,
            &format!("/v1/invoices/{}/cancel", s(&st["invoice"]["id"])),
            json!({}),
        )
        .await;
        let re = post(
            &t,
            &owner,
            &format!("/v1/customers/{c2}/months/{m}/reopen"),
            json!({}),
        )
        .await;
        assert_eq!(re["status"], "open");
        let second = first.tomorrow().unwrap();
        let r = mark(
            &t,
            &owner,
            &o2,
            json!({"date": second.to_string(), "status": "delivered"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let st = post(
            &t,
            &owner,
            &format!("/v1/customers/{c2}/months/{m}/settle"),
            json!({}),
        )
        .await;
        assert_eq!(st["amount"], 12000);
        // A month without deliveries has nothing to bill.
        let next = month(t.today());
        let r = t
            .call(
                Method::POST,
                &format!("/v1/customers/{c2}/months/{next}/settle"),
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    }
);

both!(
    a_customer_sees_two_vendors_and_nothing_of_a_third,
    |t: TestApp| async move {
        let phone = common::unique_phone();
        let b1 = t.billing_owner().await;
        let b2 = t.billing_owner().await;
        let b3 = t.billing_owner().await;
        let today = t.today();
        let c1 = new_customer(&t, &b1, "Meera", Some(&phone)).await;
        let c2 = new_customer(&t, &b2, "Meera I.", Some(&phone)).await;
        let c3 = new_customer(&t, &b3, "Someone else", Some(&common::unique_phone())).await;
        // Meera owes b1 ₹500 and has paid b2 ₹200 in advance.
        post(&t, &b1, "/v1/invoices", json!({"customer_id": c1,
            "lines": [{"description": "Milk", "quantity": 1, "unit_price": 50000, "tax_rate_bp": 0}]})).await;
        post(
            &t,
            &b2,
            &format!("/v1/customers/{c2}/payments"),
            json!({"amount": 20000, "method": "cash"}),
        )
        .await;
        let o1 = milk_order(&t, &b1, &c1, "1", 6000, today).await;
        let o2 = milk_order(&t, &b2, &c2, "0.5", 2500, today).await;
        let o3 = milk_order(&t, &b3, &c3, "1", 6000, today).await;
        let (me, _) = customer_user(&t, &phone).await;

        let v = get(&t, &me, "/v1/vendors").await;
        let items = v["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{v}");
        assert_eq!(v["total_you_owe"], 50000);
        assert_eq!(v["total_owed_to_you"], 20000);
        let names: Vec<&str> = items.iter().map(|i| s(&i["customer_name"])).collect();
        assert!(names.contains(&"Meera") && names.contains(&"Meera I."));

        let mine = get(&t, &me, "/v1/orders").await;
        let mut ids: Vec<&str> = mine["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| s(&o["id"]))
            .collect();
        ids.sort();
        let mut want = vec![s(&o1["id"]), s(&o2["id"])];
        want.sort();
        assert_eq!(ids, want);
        let r = t
            .call(
                Method::GET,
                &format!("/v1/orders/{}", s(&o3["id"])),
                Some(&me),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let b3_id = s(&get(&t, &b3, "/v1/me").await["business_id"]).to_string();
        let r = t
            .call(
                Method::GET,
                &format!("/v1/vendors/{b3_id}/months/{}", month(today)),
                Some(&me),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = t
            .call(
                Method::POST,
                "/v1/orders",
                Some(&me),
                Some(json!({"business_id": b3_id, "item": "Paneer", "quantity": 1})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.fields(), ["business_id"]);

        // An on-demand request: b1 accepts it with a rate; b2 declines.
        let b1_id = s(&items
            .iter()
            .find(|i| i["customer_name"] == "Meera")
            .unwrap()["business_id"])
        .to_string();
        let b2_id = s(&items
            .iter()
            .find(|i| i["customer_name"] == "Meera I.")
            .unwrap()["business_id"])
        .to_string();
        let req = post(
            &t,
            &me,
            "/v1/orders",
            json!({"business_id": b1_id, "item": "Paneer", "unit": "kg",
            "quantity": "0.5", "valid_from": today.to_string()}),
        )
        .await;
        assert_eq!(req["status"], "requested");
        assert_eq!(req["type"], "on_demand");
        let rid = s(&req["id"]).to_string();
        // The customer does not set the price, and the business does not
        // rewrite a request: it accepts (with a rate) or declines.
        let r = t
            .call(
                Method::POST,
                "/v1/orders",
                Some(&me),
                Some(json!({"business_id": b1_id, "item": "Paneer", "quantity": 1, "rate": 1})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.fields(), ["rate"]);
        let r = t
            .call(
                Method::PATCH,
                &format!("/v1/orders/{rid}"),
                Some(&b1),
                Some(json!({"quantity": 5})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let listed = get(&t, &b1, "/v1/orders?status=requested").await;
        assert_eq!(listed["items"][0]["id"], rid.as_str());
        let r = t
            .call(
                Method::POST,
                &format!("/v1/orders/{rid}/accept"),
                Some(&b1),
                None,
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a rate is needed"
        );
        let acc = post(
            &t,
            &b1,
            &format!("/v1/orders/{rid}/accept"),
            json!({"rate": 40000}),
        )
        .await;
        assert_eq!(acc["status"], "active");
        let dl = mark(
            &t,
            &b1,
            &rid,
            json!({"date": today.to_string(), "status": "delivered"}),
        )
        .await;
        assert_eq!(dl.status, StatusCode::CREATED, "{}", dl.body);
        assert_eq!(dl.body["amount"], 20000);
        let req2 = post(
            &t,
            &me,
            "/v1/orders",
            json!({"business_id": b2_id, "item": "Ghee", "quantity": 1}),
        )
        .await;
        let dec = post(
            &t,
            &b2,
            &format!("/v1/orders/{}/decline", s(&req2["id"])),
            json!({"reason": "out of stock"}),
        )
        .await;
        assert_eq!(dec["status"], "declined");
        assert!(t.sms(&phone).iter().any(|m| m.contains("declined")));

        // Comments on the record: both sides; only the author edits or deletes.
        let did = s(&dl.body["id"]).to_string();
        let cpath = format!("/v1/deliveries/{did}/comments");
        let mine_c = post(&t, &me, &cpath, json!({"text": "Paneer was fresh, thanks"})).await;
        // Comment ids are ULIDs: a later millisecond sorts later.
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        post(&t, &b1, &cpath, json!({"text": "Glad you liked it"})).await;
        let all = get(&t, &b1, &cpath).await;
        let texts: Vec<&str> = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| s(&c["text"]))
            .collect();
        assert_eq!(texts, ["Paneer was fresh, thanks", "Glad you liked it"]);
        let one = format!("{cpath}/{}", s(&mine_c["id"]));
        let r = t
            .call(Method::PATCH, &one, Some(&b1), Some(json!({"text": "x"})))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t.call(Method::DELETE, &one, Some(&b1), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t
            .call(
                Method::PATCH,
                &one,
                Some(&me),
                Some(json!({"text": "Paneer was very fresh"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body["version"], 2);
        let r = t.call(Method::DELETE, &one, Some(&me), None).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert_eq!(
            get(&t, &me, &cpath).await["items"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        // Nothing of it is visible to the third business.
        let r = t.call(Method::GET, &cpath, Some(&b3), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);

both!(
    another_business_gets_404_on_all_of_it,
    |t: TestApp| async move {
        let owner = t.billing_owner().await;
        let other = t.billing_owner().await;
        let cid = new_customer(&t, &owner, "Desai", None).await;
        let (first, _) = previous_month(&t);
        let m = month(first);
        let o = milk_order(&t, &owner, &cid, "1", 6000, first).await;
        let oid = s(&o["id"]).to_string();
        let d = mark(
            &t,
            &owner,
            &oid,
            json!({"date": first.to_string(), "status": "delivered"}),
        )
        .await;
        let did = s(&d.body["id"]).to_string();
        let c = post(
            &t,
            &owner,
            &format!("/v1/deliveries/{did}/comments"),
            json!({"text": "ok"}),
        )
        .await;
        let cmt = s(&c["id"]).to_string();
        let day = json!({"date": first.to_string(), "status": "delivered"});
        let calls: Vec<(Method, String, Option<Value>)> = vec![
            (Method::GET, format!("/v1/orders/{oid}"), None),
            (
                Method::PATCH,
                format!("/v1/orders/{oid}"),
                Some(json!({"rate": 1})),
            ),
            (Method::DELETE, format!("/v1/orders/{oid}"), None),
            (
                Method::POST,
                format!("/v1/orders/{oid}/accept"),
                Some(json!({"rate": 1})),
            ),
            (Method::POST, format!("/v1/orders/{oid}/decline"), None),
            (
                Method::POST,
                format!("/v1/orders/{oid}/deliveries"),
                Some(day),
            ),
            (Method::GET, format!("/v1/orders/{oid}/deliveries"), None),
            (Method::GET, format!("/v1/orders/{oid}/months/{m}"), None),
            (Method::GET, format!("/v1/deliveries/{did}"), None),
            (
                Method::PATCH,
                format!("/v1/deliveries/{did}"),
                Some(json!({"status": "skipped"})),
            ),
            (Method::GET, format!("/v1/deliveries/{did}/comments"), None),
            (
                Method::POST,
                format!("/v1/deliveries/{did}/comments"),
                Some(json!({"text": "hi"})),
            ),
            (
                Method::PATCH,
                format!("/v1/deliveries/{did}/comments/{cmt}"),
                Some(json!({"text": "hi"})),
            ),
            (
                Method::DELETE,
                format!("/v1/deliveries/{did}/comments/{cmt}"),
                None,
            ),
            (Method::GET, format!("/v1/customers/{cid}/deliveries"), None),
            (Method::GET, format!("/v1/customers/{cid}/months/{m}"), None),
            (
                Method::POST,
                format!("/v1/customers/{cid}/months/{m}/settle"),
                None,
            ),
            (
                Method::POST,
                format!("/v1/customers/{cid}/months/{m}/reopen"),
                None,
            ),
        ];
        for (method, path, body) in calls {
            let r = t.call(method.clone(), &path, Some(&other), body).await;
            assert_eq!(
                r.status,
                StatusCode::NOT_FOUND,
                "{method} {path}: {}",
                r.body
            );
        }
        let r = t
            .call(
                Method::POST,
                "/v1/deliveries/bulk",
                Some(&other),
                Some(json!({"date": first.to_string(), "items": [{"order_id": oid}]})),
            )
            .await;
        assert_eq!(r.body["results"][0]["error"]["status"], 404);
        assert!(
            get(&t, &other, "/v1/orders").await["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        let r = t
            .call(
                Method::POST,
                "/v1/orders",
                Some(&other),
                Some(json!({"customer_id": cid, "item": "Milk", "quantity": 1, "rate": 1})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.fields(), ["customer_id"]);
        // The owner's records are untouched.
        let om = get(&t, &owner, &format!("/v1/orders/{oid}/months/{m}")).await;
        assert_eq!(om["delivered_days"], 1);
        assert_eq!(
            get(&t, &owner, &format!("/v1/orders/{oid}")).await["rate"],
            6000
        );
    }
);

both!(
    bad_input_gets_a_problem_document_and_writes_nothing,
    |t: TestApp| async move {
        let owner = t.billing_owner().await;
        let cid = new_customer(&t, &owner, "Pillai", None).await;
        let today = t.today();
        let (first, last) = previous_month(&t);
        let o = post(
            &t,
            &owner,
            "/v1/orders",
            json!({"customer_id": cid, "item": "Newspaper", "quantity": 1, "rate": 700,
                   "days": ["mon", "tue", "wed", "thu", "fri", "sat"],
                   "valid_from": first.to_string(), "valid_till": last.to_string()}),
        )
        .await;
        let oid = s(&o["id"]).to_string();
        let sunday = {
            let mut d = first;
            while d.weekday() != jiff::civil::Weekday::Sunday {
                d = d.tomorrow().unwrap();
            }
            d
        };
        let weekday = sunday.tomorrow().unwrap();
        let cases = [
            (
                json!({"date": last.tomorrow().unwrap().to_string(), "status": "delivered"}),
                "date",
            ),
            (
                json!({"date": first.yesterday().unwrap().to_string(), "status": "delivered"}),
                "date",
            ),
            (
                json!({"date": sunday.to_string(), "status": "delivered"}),
                "date",
            ),
            (
                json!({"date": weekday.to_string(), "status": "delivered", "quantity": -1}),
                "quantity",
            ),
            (
                json!({"date": weekday.to_string(), "status": "skipped", "quantity": 2}),
                "quantity",
            ),
        ];
        for (body, field) in cases {
            let r = mark(&t, &owner, &oid, body.clone()).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}: {}",
                r.body
            );
            assert_eq!(r.problem(), "validation-error");
            assert_eq!(r.fields(), [field], "{body}");
        }
        let r = mark(
            &t,
            &owner,
            &oid,
            json!({"date": today.tomorrow().unwrap().to_string(), "status": "delivered"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = mark(
            &t,
            &owner,
            &oid,
            json!({"date": weekday.to_string(), "status": "sometimes"}),
        )
        .await;
        assert_eq!(r.status.as_u16() / 100, 4, "{}", r.body);
        let r = mark(
            &t,
            &owner,
            "ord_01JD2QP1A2B3C4D5E6F7G8H9J0",
            json!({"date": weekday.to_string(), "status": "delivered"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(r.problem(), "not-found");
        // An extra delivery on a Sunday is allowed when said so.
        let r = mark(
            &t,
            &owner,
            &oid,
            json!({"date": sunday.to_string(), "status": "delivered", "extra": true}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.body["extra"], true);

        for path in [
            format!("/v1/orders/{oid}/months/2026-13"),
            format!("/v1/customers/{cid}/months/November"),
            "/v1/orders?month=26-11".to_string(),
            format!("/v1/orders/{oid}/deliveries?month=2026-1"),
        ] {
            let r = t.call(Method::GET, &path, Some(&owner), None).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path}: {}",
                r.body
            );
            assert_eq!(r.fields(), ["month"], "{path}");
        }
        let r = t
            .call(
                Method::POST,
                &format!("/v1/customers/{cid}/months/2026-00/settle"),
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(r.fields(), ["month"]);

        // Orders: every bad field named, nothing created.
        let r = t
            .call(
                Method::POST,
                "/v1/orders",
                Some(&owner),
                Some(json!({
                "customer_id": "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q", "quantity": -2, "days": [],
                "valid_from": "2026-12-10", "valid_till": "2026-12-01"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let mut fields = r.fields();
        fields.sort();
        assert_eq!(
            fields,
            [
                "customer_id",
                "days",
                "item",
                "quantity",
                "rate",
                "valid_till"
            ]
        );
        let r = t
            .call(
                Method::POST,
                "/v1/orders",
                Some(&owner),
                Some(json!({
                "customer_id": cid, "item": "Milk", "quantity": "1.2345", "rate": 100})),
            )
            .await;
        assert_eq!(r.status.as_u16() / 100, 4);
        let r = t
            .call(
                Method::PATCH,
                &format!("/v1/orders/{oid}"),
                Some(&owner),
                Some(json!({"quantity": 0, "effective_from": first.to_string()})),
            )
            .await;
        let mut fields = r.fields();
        fields.sort();
        assert_eq!(fields, ["effective_from", "quantity"]);

        // Only the extra Sunday was written.
        let orders = get(&t, &owner, "/v1/orders").await;
        assert_eq!(orders["items"].as_array().unwrap().len(), 1);
        let o = get(&t, &owner, &format!("/v1/orders/{oid}")).await;
        assert_eq!(o["deliveries"], 1);
        assert_eq!(o["quantity"], "1");
        let om = get(
            &t,
            &owner,
            &format!("/v1/orders/{oid}/months/{}", month(first)),
        )
        .await;
        assert_eq!(om["delivered_days"], 1);
        assert_eq!(om["amount"], 700);
        // An order with records cannot be deleted; one without can.
        let r = t
            .call(
                Method::DELETE,
                &format!("/v1/orders/{oid}"),
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let spare = milk_order(&t, &owner, &cid, "1", 100, today).await;
        let r = t
            .call(
                Method::DELETE,
                &format!("/v1/orders/{}", s(&spare["id"])),
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = t
            .call(
                Method::GET,
                &format!("/v1/orders/{}", s(&spare["id"])),
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // Without an account, deactivation applies at once and stops marks.
        let r = t
            .call(
                Method::PATCH,
                &format!("/v1/orders/{oid}"),
                Some(&owner),
                Some(json!({"status": "inactive"})),
            )
            .await;
        assert_eq!(r.body["status"], "inactive", "{}", r.body);
        let r = mark(
            &t,
            &owner,
            &oid,
            json!({"date": weekday.to_string(), "status": "delivered"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
    }
);

both!(
    a_business_month_adds_up_every_customer_from_kept_totals,
    |t: TestApp| async move {
        let owner = t.billing_owner().await;
        let (first, _) = previous_month(&t);
        let m = month(first);
        let second = first.tomorrow().unwrap();
        let a = new_customer(&t, &owner, "Apte", None).await;
        let b = new_customer(&t, &owner, "Bhosale", None).await;
        let c = new_customer(&t, &owner, "Chavan", None).await;
        let oa = s(&milk_order(&t, &owner, &a, "1.5", 5650, first).await["id"]).to_string();
        let ob = post(
            &t,
            &owner,
            "/v1/orders",
            json!({"customer_id": b, "item": "Paneer", "unit": "packet", "quantity": "1",
                   "rate": 2500, "valid_from": first.to_string(), "tax_rate_bp": 0}),
        )
        .await;
        let ob = s(&ob["id"]).to_string();
        let oc = s(&milk_order(&t, &owner, &c, "1", 6000, first).await["id"]).to_string();
        for (oid, date, status) in [
            (&oa, first, "delivered"),
            (&oa, second, "delivered"),
            (&ob, first, "delivered"),
            (&oc, first, "skipped"),
        ] {
            let r = mark(
                &t,
                &owner,
                oid,
                json!({"date": date.to_string(), "status": status}),
            )
            .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        let bm = get(&t, &owner, &format!("/v1/deliveries/months/{m}")).await;
        assert_eq!(
            (bm["delivered"].as_i64(), bm["skipped"].as_i64()),
            (Some(3), Some(1)),
            "{bm}"
        );
        // 2 × 1.5 l × ₹56.50 + 1 packet × ₹25 = ₹169.50 + ₹25.
        assert_eq!(bm["amount"], 19450);
        assert_eq!(
            bm["quantities"],
            json!([{"unit": "litre", "quantity": "3"}, {"unit": "packet", "quantity": "1"}])
        );
        assert_eq!(
            bm["days"][0],
            json!({"date": first.to_string(), "delivered": 2, "skipped": 1})
        );
        assert_eq!(
            bm["days"][1],
            json!({"date": second.to_string(), "delivered": 1, "skipped": 0})
        );
        assert_eq!(bm["days"].as_array().unwrap().len(), 2);

        // A correction moves the totals by the difference.
        let rec = get(&t, &owner, &format!("/v1/orders/{oa}/deliveries?month={m}")).await;
        let day2 = rec["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["date"] == second.to_string())
            .unwrap();
        let r = t
            .call(
                Method::PATCH,
                &format!("/v1/deliveries/{}", s(&day2["id"])),
                Some(&owner),
                Some(json!({"quantity": "2"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let bm = get(&t, &owner, &format!("/v1/deliveries/months/{m}")).await;
        // ₹84.75 + ₹113 + ₹25.
        assert_eq!(bm["amount"], 22275, "{bm}");
        assert_eq!(bm["quantities"][0]["quantity"], "3.5");

        // Settling one customer's month counts it; reopening takes it out.
        let st = post(
            &t,
            &owner,
            &format!("/v1/customers/{a}/months/{m}/settle"),
            json!({}),
        )
        .await;
        assert_eq!(st["amount"], 19775, "{st}");
        let bm = get(&t, &owner, &format!("/v1/deliveries/months/{m}")).await;
        assert_eq!(
            (
                bm["settled_customers"].as_i64(),
                bm["settled_amount"].as_i64()
            ),
            (Some(1), Some(19775))
        );
        post(
            &t,
            &owner,
            &format!("/v1/invoices/{}/cancel", s(&st["invoice"]["id"])),
            json!({}),
        )
        .await;
        post(
            &t,
            &owner,
            &format!("/v1/customers/{a}/months/{m}/reopen"),
            json!({}),
        )
        .await;
        let bm = get(&t, &owner, &format!("/v1/deliveries/months/{m}")).await;
        assert_eq!(
            (
                bm["settled_customers"].as_i64(),
                bm["settled_amount"].as_i64()
            ),
            (Some(0), Some(0))
        );
        assert_eq!(bm["delivered"], 3, "reopening leaves the records counted");

        // Another business's month is its own; a month must be yyyy-mm.
        let other = t.billing_owner().await;
        let bm = get(&t, &other, &format!("/v1/deliveries/months/{m}")).await;
        assert_eq!(
            (bm["delivered"].as_i64(), bm["amount"].as_i64()),
            (Some(0), Some(0))
        );
        let r = t
            .call(
                Method::GET,
                "/v1/deliveries/months/2026-13",
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.fields(), ["month"]);
    }
);

both!(
    a_customer_user_reads_their_invoices_pdfs_and_payments_and_nothing_else,
    |t: TestApp| async move {
        let owner = t.billing_owner().await;
        let phone = common::unique_phone();
        let mine = new_customer(&t, &owner, "Meera", Some(&phone)).await;
        let theirs = new_customer(&t, &owner, "Someone else", None).await;
        let line = json!([{"description": "Milk, November", "quantity": 30, "unit_price": 6000, "tax_rate_bp": 0}]);
        let issued = post(
            &t,
            &owner,
            "/v1/invoices",
            json!({"customer_id": mine, "lines": line}),
        )
        .await;
        let draft = post(
            &t,
            &owner,
            "/v1/invoices",
            json!({"customer_id": mine, "lines": line, "draft": true}),
        )
        .await;
        let other = post(
            &t,
            &owner,
            "/v1/invoices",
            json!({"customer_id": theirs, "lines": line}),
        )
        .await;
        let inv = s(&issued["id"]).to_string();
        post(
            &t,
            &owner,
            &format!("/v1/invoices/{inv}/payments"),
            json!({"amount": 50000, "method": "upi"}),
        )
        .await;
        let bid = s(&get(&t, &owner, "/v1/me").await["business_id"]).to_string();
        let (me, _) = customer_user(&t, &phone).await;

        let list = get(&t, &me, &format!("/v1/vendors/{bid}/invoices")).await;
        let ids: Vec<&str> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| s(&i["id"]))
            .collect();
        assert_eq!(
            ids,
            [inv.as_str()],
            "the issued invoice only: no draft, nobody else's"
        );
        assert_eq!(list["items"][0]["balance_due"], 130000);
        let detail = get(&t, &me, &format!("/v1/vendors/{bid}/invoices/{inv}")).await;
        assert_eq!(detail["total"], 180000, "{detail}");
        assert_eq!(detail["payments"][0]["amount"], 50000);
        let said: Vec<&str> = detail["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| s(&h["detail"]))
            .collect();
        assert!(
            said.iter().any(|d| d.starts_with("₹500.00 by UPI (pay_")),
            "history in words: {said:?}"
        );
        let link = get(&t, &me, &format!("/v1/vendors/{bid}/invoices/{inv}/pdf")).await;
        let (status, bytes) = t.fetch_link(s(&link["url"])).await;
        assert_eq!(status, 200);
        assert!(bytes.starts_with(b"%PDF"), "a PDF");
        let pays = get(&t, &me, &format!("/v1/vendors/{bid}/payments")).await;
        assert_eq!(pays["items"].as_array().unwrap().len(), 1, "{pays}");
        assert_eq!(pays["items"][0]["amount"], 50000);

        for path in [
            format!("/v1/vendors/{bid}/invoices/{}", s(&draft["id"])),
            format!("/v1/vendors/{bid}/invoices/{}", s(&other["id"])),
            format!("/v1/vendors/{bid}/invoices/{}/pdf", s(&other["id"])),
            format!("/v1/vendors/{bid}/invoices?customer_id={theirs}"),
            format!("/v1/vendors/{bid}/payments?customer_id={theirs}"),
        ] {
            let r = t.call(Method::GET, &path, Some(&me), None).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
        }
        // A business the caller does not buy from is unknown to them.
        let elsewhere = t.billing_owner().await;
        let b2 = s(&get(&t, &elsewhere, "/v1/me").await["business_id"]).to_string();
        let r = t
            .call(
                Method::GET,
                &format!("/v1/vendors/{b2}/invoices"),
                Some(&me),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // A business user is not a customer user.
        let r = t
            .call(
                Method::GET,
                &format!("/v1/vendors/{bid}/invoices"),
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
);

both!(
    a_comment_retried_with_its_idempotency_key_is_written_once,
    |t: TestApp| async move {
        use common::idempotency::{Retry, assert_replays};
        let owner = t.billing_owner().await;
        let cid = new_customer(&t, &owner, "Desai", None).await;
        let (first, _) = previous_month(&t);
        let o = milk_order(&t, &owner, &cid, "1", 6000, first).await;
        let d = mark(
            &t,
            &owner,
            s(&o["id"]),
            json!({"date": first.to_string(), "status": "delivered"}),
        )
        .await;
        let path = format!("/v1/deliveries/{}/comments", s(&d.body["id"]));
        let c = assert_replays(
            &t,
            Retry {
                method: Method::POST,
                path: path.clone(),
                token: &owner,
                key: "comment-1",
                body: json!({"text": "Left with the neighbour"}),
                other: json!({"text": "Left at the door"}),
            },
        )
        .await;
        assert_eq!(c.status, StatusCode::CREATED);
        let all = get(&t, &owner, &path).await;
        let ids: Vec<&Value> = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| &c["id"])
            .collect();
        assert_eq!(ids, [&c.body["id"]], "one comment");
    }
);
