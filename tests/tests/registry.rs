//! The shared defaulter registry and the admin API (issue #5), end to end
//! on SQLite and on DynamoDB/SNS/SES/S3 (moto): one company per debtor
//! across businesses, reports from invoices and with uploaded documents,
//! review with referral, the company's totals and rating, disputes, edit
//! requests, wrong-report metrics with automatic disabling, the admin
//! routes' roles, the audit log, and bad input that writes nothing.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{LOCAL_URL, TestApp, get, post, unique_phone};
use hisaab::identity::Role;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// The GSTIN of the debtor that three businesses share (a valid checksum).
const GSTIN: &str = "27AAPFU0939F1ZV";

/// A customer of the caller's business; returns its JSON.
async fn customer(t: &TestApp, tok: &str, body: Value) -> Value {
    post(t, tok, "/v1/customers", body).await
}

/// An issued invoice of one untaxed line, dated `days_ago` and due
/// `due_days_ago`; returns its id.
async fn invoice(
    t: &TestApp,
    tok: &str,
    cid: &str,
    amount: i64,
    days_ago: i64,
    due_days_ago: i64,
) -> String {
    let today = t.today();
    let d = |n: i64| {
        today
            .checked_sub(jiff::Span::new().days(n))
            .unwrap()
            .to_string()
    };
    let inv = post(
        t,
        tok,
        "/v1/invoices",
        json!({"customer_id": cid, "invoice_date": d(days_ago), "due_date": d(due_days_ago),
               "lines": [{"description": "Rice, 25 kg bags", "quantity": 1, "unit_price": amount, "tax_rate_bp": 0}]}),
    )
    .await;
    inv["id"].as_str().unwrap().to_string()
}

/// PUTs bytes to an upload link as a client would: a local link through
/// the router, a presigned S3 link on moto. Returns the status.
async fn put_upload(t: &TestApp, url: &str, content_type: &str, bytes: Vec<u8>) -> u16 {
    if let Some(path) = url.strip_prefix(LOCAL_URL) {
        let req = Request::builder()
            .method(Method::PUT)
            .uri(path)
            .header("content-type", content_type)
            .body(Body::from(bytes))
            .unwrap();
        let res = t.router.clone().oneshot(req).await.unwrap();
        let status = res.status().as_u16();
        let _ = res.into_body().collect().await;
        status
    } else {
        let (url, ct) = (url.to_string(), content_type.to_string());
        tokio::task::spawn_blocking(move || {
            match ureq::put(&url).header("content-type", &ct).send(&bytes[..]) {
                Ok(r) => r.status().as_u16(),
                Err(ureq::Error::StatusCode(c)) => c,
                Err(e) => panic!("PUT {url}: {e}"),
            }
        })
        .await
        .unwrap()
    }
}

/// Uploads a document; returns its upload id.
async fn upload(t: &TestApp, tok: &str, content_type: &str, bytes: &[u8]) -> String {
    let slot = post(
        t,
        tok,
        "/v1/uploads",
        json!({"content_type": content_type, "size_bytes": bytes.len()}),
    )
    .await;
    assert_eq!(slot["method"], "PUT");
    let status = put_upload(
        t,
        slot["url"].as_str().unwrap(),
        content_type,
        bytes.to_vec(),
    )
    .await;
    assert!((200..300).contains(&status), "upload PUT: {status}");
    slot["id"].as_str().unwrap().to_string()
}

async fn search(t: &TestApp, tok: &str, q: &str) -> Vec<Value> {
    let q: String = url_escape(q);
    get(t, tok, &format!("/v1/registry/companies?q={q}")).await["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn url_escape(q: &str) -> String {
    q.replace(' ', "%20").replace('+', "%2B")
}

async fn act(t: &TestApp, tok: &str, report: &str, action: &str) -> (StatusCode, Value) {
    let r = t
        .call(
            Method::POST,
            &format!("/v1/admin/transactions/{report}/actions"),
            Some(tok),
            Some(
                json!({"action": action, "note": format!("{action} after checking the documents")}),
            ),
        )
        .await;
    (r.status, r.body)
}

/// The actions recorded in the audit log about a target, oldest first.
async fn audit_actions(t: &TestApp, tok: &str, target: &str) -> Vec<String> {
    let page = get(t, tok, &format!("/v1/admin/audit?target_id={target}")).await;
    let mut a: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    a.reverse();
    a
}

both!(
    one_company_reports_review_rating_disputes_and_withdrawal,
    |t: TestApp| async move {
        let (a, _, _) = t.owner().await;
        let (b, _, _) = t.owner().await;
        let (c, _, _) = t.owner().await;
        let debtor_phone = unique_phone();
        // Three businesses add the same debtor, spelled three ways.
        let ca = customer(
            &t,
            &a,
            json!({"name": "Sharma Kirana Stores", "gstin": GSTIN, "phone": debtor_phone}),
        )
        .await;
        let cb = customer(
            &t,
            &b,
            json!({"name": "SHARMA KIRANA STORE", "gstin": GSTIN}),
        )
        .await;
        let cc = customer(
            &t,
            &c,
            json!({"name": "Sharma Kirana (Pune)", "gstin": GSTIN}),
        )
        .await;
        let company = ca["company_id"]
            .as_str()
            .expect("linked to a company")
            .to_string();
        assert_eq!(cb["company_id"], company.as_str());
        assert_eq!(cc["company_id"], company.as_str());
        let by_gstin = search(&t, &c, GSTIN).await;
        assert_eq!(by_gstin.len(), 1);
        assert_eq!(by_gstin[0]["id"], company.as_str());
        let by_name = search(&t, &c, "sharma kir").await;
        assert_eq!(by_name.len(), 1, "{by_name:?}");
        assert_eq!(by_name[0]["name"], "Sharma Kirana Stores");
        assert_eq!(by_name[0]["pan"], "******939F", "PAN masked");
        assert_eq!(search(&t, &c, "kira").await.len(), 1, "any word's prefix");
        assert!(search(&t, &c, "sharma bakery").await.is_empty());
        assert_eq!(by_name[0]["rating"]["grade"], "A");
        assert_eq!(by_name[0]["due_paise"], 0);

        // A reports two overdue invoices of its books.
        let cid_a = ca["id"].as_str().unwrap();
        let i1 = invoice(&t, &a, cid_a, 5_000_000, 60, 30).await;
        let i2 = invoice(&t, &a, cid_a, 3_000_000, 50, 20).await;
        let ra = post(
            &t,
            &a,
            "/v1/registry/reports",
            json!({"customer_id": cid_a, "invoice_ids": [i1, i2]}),
        )
        .await;
        let ra_id = ra["id"].as_str().unwrap().to_string();
        assert_eq!(ra["status"], "pending");
        assert_eq!(ra["amount_paise"], 8_000_000);
        assert_eq!(ra["company_id"], company.as_str());
        let notice = t.sms(&debtor_phone);
        assert!(
            notice
                .iter()
                .any(|m| m.contains(&ra_id) && m.contains("80,000.00")),
            "{notice:?}"
        );

        // B reports an invoice outside the system, with two documents.
        let pdf = b"%PDF-1.4 invoice TX-1 of Sharma Kirana".to_vec();
        let png = vec![0x89, b'P', b'N', b'G', 13, 10, 26, 10, 1, 2, 3];
        let u1 = upload(&t, &b, "application/pdf", &pdf).await;
        let u2 = upload(&t, &b, "image/png", &png).await;
        let today = t.today();
        let d = |n: i64| {
            today
                .checked_sub(jiff::Span::new().days(n))
                .unwrap()
                .to_string()
        };
        let rb = post(&t, &b, "/v1/registry/reports", json!({
            "customer_id": cb["id"], "invoice_number": "TX-1", "invoice_date": d(90), "due_date": d(75),
            "amount_due_paise": 2_000_000,
            "documents": [{"kind": "invoice_copy", "upload_id": u1}, {"kind": "delivery_proof", "upload_id": u2}]})).await;
        let rb_id = rb["id"].as_str().unwrap().to_string();
        assert_eq!(rb["source"], "external");

        // Pending reports count nowhere.
        let card = &search(&t, &c, GSTIN).await[0];
        assert_eq!(card["due_paise"], 0);
        assert_eq!(card["approved_reports"], 0);
        let page = get(&t, &c, &format!("/v1/registry/companies/{company}")).await;
        assert!(page["reports"].as_array().unwrap().is_empty());

        // Review: L1 approves A's, refers B's; only the senior team decides it.
        let (l1, l1_id) = t.admin(Role::AdminL1).await;
        let (senior, _) = t.admin(Role::AdminSenior).await;
        let queue = get(&t, &l1, "/v1/admin/transactions").await;
        let rows = queue["items"].as_array().unwrap();
        assert_eq!(rows.len(), 2);
        let row_b = rows.iter().find(|r| r["id"] == rb_id.as_str()).unwrap();
        assert_eq!(row_b["invoice_number"], "TX-1");
        assert_eq!(row_b["buyer"], "SHARMA KIRANA STORE");
        assert_eq!(row_b["seller"], "Asha Traders");
        assert_eq!(row_b["amount_paise"], 2_000_000);
        assert_eq!(row_b["payment_status"], "pending");
        assert_eq!(act(&t, &l1, &ra_id, "approve").await.0, StatusCode::OK);
        assert_eq!(act(&t, &l1, &rb_id, "in_process").await.0, StatusCode::OK);
        assert_eq!(act(&t, &l1, &rb_id, "refer").await.0, StatusCode::OK);
        let (s, body) = act(&t, &l1, &rb_id, "approve").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(act(&t, &senior, &rb_id, "approve").await.0, StatusCode::OK);
        let (s, _) = act(&t, &senior, &rb_id, "reject").await;
        assert_eq!(s, StatusCode::CONFLICT, "decided once");
        let detail = get(&t, &l1, &format!("/v1/admin/transactions/{rb_id}")).await;
        let docs = detail["documents"].as_array().unwrap();
        assert_eq!(docs.len(), 2);
        assert!(docs[0].get("key").is_none(), "storage keys stay private");
        let (st, bytes) = t.fetch_link(docs[0]["url"].as_str().unwrap()).await;
        assert_eq!((st, bytes), (200, pdf.clone()));
        let steps: Vec<&str> = detail["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["action"].as_str().unwrap())
            .collect();
        assert_eq!(steps, ["created", "in_process", "refer", "approve"]);

        // Approved: the company's total, overdue-since and rating.
        let page = get(&t, &c, &format!("/v1/registry/companies/{company}")).await;
        assert_eq!(page["due_paise"], 10_000_000);
        assert_eq!(page["overdue_since"], d(75));
        assert_eq!(page["reporting_creditors"], 2);
        assert_eq!(page["approved_reports"], 2);
        // 100 − 30 (≥ ₹1,00,000 due) − 10 (75 days) − 10 (a second creditor).
        assert_eq!(page["rating"]["score"], 50, "{}", page["rating"]);
        assert_eq!(page["rating"]["grade"], "C");
        assert_eq!(page["rating"]["reasons"].as_array().unwrap().len(), 3);
        for l in page["reports"].as_array().unwrap() {
            assert!(
                l.get("reporter_business_id").is_none() && l.get("reporter_name").is_none(),
                "{l}"
            );
        }
        let as_admin = get(&t, &l1, &format!("/v1/registry/companies/{company}")).await;
        assert!(as_admin["reports"][0]["reporter_business_id"].is_string());
        assert_eq!(search(&t, &c, "sharma").await[0]["due_paise"], 10_000_000);

        // Businesses do not see each other's reports.
        let r = t
            .call(
                Method::GET,
                &format!("/v1/registry/reports/{ra_id}"),
                Some(&b),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = t
            .call(
                Method::POST,
                &format!("/v1/registry/reports/{ra_id}/paid"),
                Some(&b),
                Some(json!({})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let mine = get(&t, &b, "/v1/registry/reports").await;
        assert_eq!(mine["items"].as_array().unwrap().len(), 1);

        // A is paid one invoice: totals and rating change at once.
        let paid = post(
            &t,
            &a,
            &format!("/v1/registry/reports/{ra_id}/paid"),
            json!({"invoice_numbers": [ra["invoices"][1]["number"]]}),
        )
        .await;
        assert_eq!(paid["amount_paise"], 5_000_000);
        let page = get(&t, &c, &format!("/v1/registry/companies/{company}")).await;
        assert_eq!(page["due_paise"], 7_000_000);
        assert_eq!(page["paid_after_listing"], 1);
        assert_eq!(page["rating"]["score"], 63, "{}", page["rating"]);

        // The debtor disputes A's report: its invoice shows `disputed`.
        let stranger = unique_phone();
        let reg =
            |p: String| json!({"name": "Vikram Sharma", "phone": p, "account_type": "customer"});
        for p in [&debtor_phone, &stranger] {
            let r = t
                .call(
                    Method::POST,
                    "/v1/auth/register",
                    None,
                    Some(reg(p.clone())),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        let (debtor, _, _) = t.verify(&debtor_phone).await;
        let (other, _, _) = t.verify(&stranger).await;
        let dispute = json!({"reason": "Paid in cash on delivery; receipts attached later"});
        let r = t
            .call(
                Method::POST,
                &format!("/v1/registry/reports/{ra_id}/disputes"),
                Some(&other),
                Some(dispute.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "only the company disputes");
        let seen = get(&t, &debtor, &format!("/v1/registry/reports/{ra_id}")).await;
        assert_eq!(seen["reporter_name"], "Asha Traders");
        // The debtor finds the reports that name their phone without the SMS.
        let about = get(&t, &debtor, "/v1/registry/about-me").await;
        let ids: Vec<&str> = about["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&ra_id.as_str()), "{about}");
        for id in &ids {
            let r = t
                .call(
                    Method::GET,
                    &format!("/v1/registry/reports/{id}"),
                    Some(&debtor),
                    None,
                )
                .await;
            assert_eq!(
                r.status,
                StatusCode::OK,
                "each listed report is the debtor's to see"
            );
        }
        let none = get(&t, &other, "/v1/registry/about-me").await;
        assert_eq!(none["items"], json!([]), "nothing names a stranger");
        for private in ["created_by", "customer_id", "note", "debtor_email"] {
            assert!(
                seen.get(private).is_none(),
                "{private} hidden from the company: {seen}"
            );
        }
        assert!(seen["invoices"][0].get("invoice_id").is_none());
        assert!(seen["history"][1].get("by").is_none() && seen["history"][1].get("note").is_none());
        let dsp = post(
            &t,
            &debtor,
            &format!("/v1/registry/reports/{ra_id}/disputes"),
            dispute.clone(),
        )
        .await;
        assert_eq!(
            get(&t, &a, &format!("/v1/invoices/{i1}")).await["status"],
            "disputed"
        );
        let r = t
            .call(
                Method::POST,
                &format!("/v1/registry/reports/{ra_id}/disputes"),
                Some(&debtor),
                Some(dispute),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "one open dispute");
        // The reporter answers it once, for the admins; nobody else can.
        let answer_path = format!("/v1/registry/reports/{ra_id}/dispute/answer");
        let answer = json!({"text": "The cash was for an earlier invoice; our ledger is attached"});
        let r = t
            .call(Method::POST, &answer_path, Some(&b), Some(answer.clone()))
            .await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "another business: {}",
            r.body
        );
        let r = t
            .call(
                Method::POST,
                &answer_path,
                Some(&a),
                Some(json!({"text": " "})),
            )
            .await;
        assert_eq!(r.fields(), ["text"], "{}", r.body);
        let answered = post(&t, &a, &answer_path, answer.clone()).await;
        assert_eq!(answered["answer"]["text"], answer["text"], "{answered}");
        let r = t
            .call(Method::POST, &answer_path, Some(&a), Some(answer))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "answered once");
        let queue = get(&t, &l1, "/v1/admin/disputes").await;
        assert_eq!(queue["items"][0]["id"], dsp["id"]);
        assert_eq!(
            queue["items"][0]["answer"]["text"],
            answered["answer"]["text"]
        );
        let row = &get(
            &t,
            &l1,
            "/v1/admin/transactions?status=approved&payment_status=disputed",
        )
        .await["items"];
        assert_eq!(row.as_array().unwrap().len(), 1);
        assert_eq!(row[0]["id"], ra_id.as_str());
        post(
            &t,
            &l1,
            &format!("/v1/admin/disputes/{}/actions", dsp["id"].as_str().unwrap()),
            json!({"action": "reject", "note": "No receipts"}),
        )
        .await;
        assert_eq!(
            get(&t, &a, &format!("/v1/invoices/{i1}")).await["status"],
            "overdue"
        );

        // B asks to withdraw (wrong company named); L1 approves.
        let edr = post(&t, &b, &format!("/v1/registry/reports/{rb_id}/edit-requests"),
            json!({"kind": "withdraw", "reason": "The buyer was Sharma Traders, not Sharma Kirana"})).await;
        let r = t
            .call(
                Method::POST,
                &format!("/v1/registry/reports/{rb_id}/edit-requests"),
                Some(&a),
                Some(json!({"kind": "withdraw", "reason": "not mine"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(
            get(&t, &l1, "/v1/admin/edit-requests").await["items"][0]["id"],
            edr["id"]
        );
        post(
            &t,
            &l1,
            &format!(
                "/v1/admin/edit-requests/{}/actions",
                edr["id"].as_str().unwrap()
            ),
            json!({"action": "approve"}),
        )
        .await;
        assert_eq!(
            get(&t, &b, &format!("/v1/registry/reports/{rb_id}")).await["status"],
            "withdrawn"
        );
        let page = get(&t, &c, &format!("/v1/registry/companies/{company}")).await;
        assert_eq!(page["due_paise"], 5_000_000);
        assert_eq!(page["overdue_since"], d(30));
        assert_eq!(page["reporting_creditors"], 1);
        assert_eq!(page["reports"].as_array().unwrap().len(), 1);
        let metrics = get(&t, &l1, "/v1/admin/metrics/wrong-reports").await;
        let m = &metrics["items"][0];
        assert_eq!(
            (
                m["business_id"].as_str(),
                &m["wrong"],
                &m["reports"],
                &m["rate_bp"]
            ),
            (
                rb["reporter_business_id"].as_str(),
                &json!(1),
                &json!(1),
                &json!(10_000)
            )
        );

        // The audit log has every step.
        assert_eq!(
            audit_actions(&t, &l1, &ra_id).await,
            [
                "report.create",
                "report.approve",
                "report.paid",
                "dispute.create",
                "dispute.answer",
                "dispute.dismiss"
            ]
        );
        assert_eq!(
            audit_actions(&t, &l1, &rb_id).await,
            [
                "report.create",
                "report.in_process",
                "report.refer",
                "report.approve",
                "edit_request.create",
                "edit_request.approve_withdrawal"
            ]
        );
        let by_l1 = get(&t, &l1, &format!("/v1/admin/audit?actor_id={l1_id}")).await;
        assert_eq!(by_l1["items"].as_array().unwrap().len(), 5);
        let entry = &by_l1["items"][0];
        assert_eq!(entry["actor_role"], "admin_l1");
        assert!(
            entry["before"].is_object() && entry["after"].is_object(),
            "{entry}"
        );

        assert_eq!(audit_actions(&t, &l1, &company).await, ["company.create"]);

        // The dashboard.
        let s = get(&t, &l1, "/v1/admin/stats").await;
        assert_eq!(
            (
                s["businesses"].as_i64(),
                s["customers"].as_i64(),
                s["companies"].as_i64()
            ),
            (Some(3), Some(3), Some(1))
        );
        assert_eq!(s["members"], 7, "3 owners, 2 customer users, 2 admins: {s}");
        assert_eq!(s["approved_defaults"], 1);
        assert_eq!(
            (
                s["review_queue"].as_i64(),
                s["open_disputes"].as_i64(),
                s["open_edit_requests"].as_i64()
            ),
            (Some(0), Some(0), Some(0))
        );
        assert_eq!(s["reports"]["withdrawn"], 1);
    }
);

both!(
    wrongly_raised_defaults_disable_the_reporter,
    |t: TestApp| async move {
        // The test app disables a business at 2 wrongly raised defaults.
        let (c, _, user) = t.owner().await;
        let bid = user["business_id"].as_str().unwrap().to_string();
        let cus = customer(
            &t,
            &c,
            json!({"name": "Gupta Dairy", "phone": unique_phone()}),
        )
        .await;
        let (l1, _) = t.admin(Role::AdminL1).await;
        let (senior, _) = t.admin(Role::AdminSenior).await;
        let ago = |n: i64| {
            t.today()
                .checked_sub(jiff::Span::new().days(n))
                .unwrap()
                .to_string()
        };
        let (long_ago, due) = (ago(40), ago(10));
        for n in 1..=2 {
            let r = post(
                &t,
                &c,
                "/v1/registry/reports",
                json!({
                "customer_id": cus["id"], "invoice_number": format!("G-{n}"), "invoice_date": long_ago, "due_date": due,
                "amount_due_paise": 150_000}),
            )
            .await;
            let edr = post(
                &t,
                &c,
                &format!(
                    "/v1/registry/reports/{}/edit-requests",
                    r["id"].as_str().unwrap()
                ),
                json!({"kind": "withdraw", "reason": "wrong customer"}),
            )
            .await;
            post(
                &t,
                &l1,
                &format!(
                    "/v1/admin/edit-requests/{}/actions",
                    edr["id"].as_str().unwrap()
                ),
                json!({"action": "approve"}),
            )
            .await;
        }
        let r = t.call(Method::GET, "/v1/customers", Some(&c), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(
            r.body["detail"]
                .as_str()
                .unwrap()
                .contains("business is disabled")
        );
        let m = &get(&t, &l1, "/v1/admin/metrics/wrong-reports").await["items"][0];
        assert_eq!((&m["wrong"], &m["limit"]), (&json!(2), &json!(2)));
        let log = get(&t, &l1, &format!("/v1/admin/audit?target_id={bid}")).await;
        assert_eq!(log["items"][0]["action"], "business.disable");
        assert_eq!(log["items"][0]["actor_id"], "system");
        let biz = get(&t, &l1, "/v1/admin/businesses?status=disabled").await;
        assert_eq!(biz["items"][0]["id"], bid.as_str());
        assert!(
            biz["items"][0]["disabled_reason"]
                .as_str()
                .unwrap()
                .contains("2 wrongly raised")
        );

        // Only the senior team enables (and disables) by hand.
        let path = format!("/v1/admin/businesses/{bid}/enable");
        assert_eq!(
            t.call(Method::POST, &path, Some(&l1), None).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            post(&t, &senior, &path, json!({"note": "talked to the owner"})).await["status"],
            "active"
        );
        assert_eq!(
            t.call(Method::GET, "/v1/customers", Some(&c), None)
                .await
                .status,
            StatusCode::OK
        );
        let uid = user["id"].as_str().unwrap();
        post(
            &t,
            &senior,
            &format!("/v1/admin/users/{uid}/disable"),
            json!({}),
        )
        .await;
        assert_eq!(
            t.call(Method::GET, "/v1/customers", Some(&c), None)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        post(
            &t,
            &senior,
            &format!("/v1/admin/users/{uid}/enable"),
            json!({}),
        )
        .await;
        let actions = audit_actions(&t, &senior, uid).await;
        assert_eq!(actions, ["user.disable", "user.enable"]);
    }
);

both!(
    admin_routes_are_for_admins_by_level,
    |t: TestApp| async move {
        let (owner, _, _) = t.owner().await;
        let staff_phone = unique_phone();
        post(
            &t,
            &owner,
            "/v1/business/staff",
            json!({"name": "Ravi", "phone": staff_phone}),
        )
        .await;
        t.call(
            Method::POST,
            "/v1/auth/otp",
            None,
            Some(json!({"phone": staff_phone})),
        )
        .await;
        let (staff, _, _) = t.verify(&staff_phone).await;
        let cphone = unique_phone();
        t.call(
            Method::POST,
            "/v1/auth/register",
            None,
            Some(json!({"name": "Meera", "phone": cphone, "account_type": "customer"})),
        )
        .await;
        let (cust, _, _) = t.verify(&cphone).await;
        let (l1, _) = t.admin(Role::AdminL1).await;
        let (sup, _) = t.admin(Role::AdminSuper).await;
        let mut checked = 0;
        for r in hisaab_functions::routes::all() {
            if !r.path.starts_with("/v1/admin") {
                continue;
            }
            let path = r.path.replace('{', "x_").replace('}', "");
            for tok in [&owner, &staff, &cust] {
                let res = t
                    .call(r.method.clone(), &path, Some(tok), Some(json!({})))
                    .await;
                assert_eq!(
                    res.status,
                    StatusCode::FORBIDDEN,
                    "{} {}: {}",
                    r.method,
                    r.path,
                    res.body
                );
            }
            checked += 1;
        }
        assert_eq!(checked, 25);

        // Employees: a super admin adds one and changes the level; L1 cannot.
        let new = json!({"name": "Meera Iyer", "phone": unique_phone(), "email": "meera@hisaab.test", "role": "admin_l1"});
        let r = t
            .call(
                Method::POST,
                "/v1/admin/employees",
                Some(&l1),
                Some(new.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let emp = post(&t, &sup, "/v1/admin/employees", new).await;
        let eid = emp["id"].as_str().unwrap();
        let r = t
            .call(
                Method::PATCH,
                &format!("/v1/admin/employees/{eid}"),
                Some(&l1),
                Some(json!({"role": "admin_senior"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t
            .call(
                Method::PATCH,
                &format!("/v1/admin/employees/{eid}"),
                Some(&sup),
                Some(json!({"role": "admin_senior"})),
            )
            .await;
        assert_eq!(
            (r.status, &r.body["role"]),
            (StatusCode::OK, &json!("admin_senior"))
        );
        let list = get(&t, &l1, "/v1/admin/employees").await;
        let roles: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["role"].as_str().unwrap())
            .collect();
        assert_eq!(roles, ["admin_super", "admin_senior", "admin_l1"]);
        let r = t
            .call(
                Method::POST,
                &format!("/v1/admin/users/{eid}/password-reset"),
                Some(&l1),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        let mails = t.mails("meera@hisaab.test");
        assert!(
            mails
                .iter()
                .any(|(s, b)| s.contains("Reset") && b.contains("reset-password?token=")),
            "{mails:?}"
        );

        // An admin adds a business owner, who logs in with an OTP.
        let phone = unique_phone();
        let bad = t
            .call(
                Method::POST,
                "/v1/admin/users",
                Some(&l1),
                Some(json!({"name": "Ravi", "phone": "12", "role": "owner"})),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.fields(), ["phone", "business_name"]);
        let added = post(&t, &l1, "/v1/admin/users",
            json!({"name": "Ravi Kumar", "phone": phone, "role": "owner", "business_name": "Ravi Dairy"})).await;
        t.call(
            Method::POST,
            "/v1/auth/otp",
            None,
            Some(json!({"phone": phone})),
        )
        .await;
        let (ravi, _, me) = t.verify(&phone).await;
        assert_eq!(me["id"], added["id"]);
        assert_eq!(
            get(&t, &ravi, "/v1/customers").await["items"]
                .as_array()
                .unwrap()
                .len(),
            0
        );
        let owners = get(&t, &l1, "/v1/admin/users?role=owner&status=active&q=ravi").await;
        assert_eq!(owners["items"].as_array().unwrap().len(), 1);
        let by_phone = get(
            &t,
            &l1,
            &format!("/v1/admin/users?q={}", url_escape(&phone)),
        )
        .await;
        assert_eq!(by_phone["items"][0]["id"], added["id"]);
        let all = get(&t, &l1, "/v1/admin/users").await;
        assert_eq!(
            all["items"].as_array().unwrap().len(),
            7,
            "owner, staff, customer, 2 admins, employee, Ravi"
        );
        assert_eq!(
            get(&t, &l1, "/v1/admin/businesses?q=ravi").await["items"][0]["name"],
            "Ravi Dairy"
        );
        let log = get(&t, &l1, "/v1/admin/audit").await;
        let acts: Vec<&str> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            acts,
            [
                "user.add",
                "user.password_reset_mail",
                "employee.level",
                "employee.add"
            ]
        );
        // Customers are not registry members.
        let r = t
            .call(
                Method::GET,
                "/v1/registry/companies?q=sharma",
                Some(&cust),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
);

both!(
    bad_reports_get_problems_and_write_nothing,
    |t: TestApp| async move {
        let (a, _, _) = t.owner().await;
        let (b, _, _) = t.owner().await;
        let ca = customer(&t, &a, json!({"name": "Patel Agencies", "gstin": GSTIN})).await;
        let cb = customer(&t, &b, json!({"name": "Patel Agencies", "gstin": GSTIN})).await;
        let cid = ca["id"].as_str().unwrap();
        let overdue = invoice(&t, &a, cid, 900_000, 40, 10).await;
        let current = invoice(&t, &a, cid, 100_000, 1, -10).await;
        let other_business = invoice(&t, &b, cb["id"].as_str().unwrap(), 100_000, 40, 10).await;
        let report = |body: Value| {
            let t = &t;
            let a = a.clone();
            async move {
                t.call(Method::POST, "/v1/registry/reports", Some(&a), Some(body))
                    .await
            }
        };
        let r = report(json!({"customer_id": cid, "invoice_ids": ["inv_01JD000000000000000000000", other_business, current]})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            r.fields(),
            ["invoice_ids[0]", "invoice_ids[1]", "invoice_ids[2]"]
        );
        let codes: Vec<&str> = r.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["unknown_invoice", "unknown_invoice", "not_overdue"]);

        // Uploads: the type and size are checked before a link is given.
        let r = t
            .call(
                Method::POST,
                "/v1/uploads",
                Some(&a),
                Some(json!({"content_type": "text/html", "size_bytes": 0})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.fields(), ["content_type", "size_bytes"]);
        let slot = post(
            &t,
            &a,
            "/v1/uploads",
            json!({"content_type": "application/pdf", "size_bytes": 20}),
        )
        .await;
        let sid = slot["id"].as_str().unwrap();
        let ext = |docs: Value| {
            json!({"customer_id": cid, "invoice_number": "P-9", "invoice_date": "2026-01-05",
                                       "amount_due_paise": 10_000, "documents": docs})
        };
        let r = report(ext(json!([{"kind": "invoice_copy", "upload_id": sid}]))).await;
        assert_eq!(
            (r.status, r.fields()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["documents[0].upload_id".to_string()]
            )
        );
        assert_eq!(r.body["errors"][0]["code"], "not_uploaded");
        // A file of another type never gets in: refused at the PUT (the
        // type is signed) or, where the store took it, at the report.
        let put = put_upload(
            &t,
            slot["url"].as_str().unwrap(),
            "text/html",
            b"<html></html>".to_vec(),
        )
        .await;
        if (200..300).contains(&put) {
            let r = report(ext(json!([{"kind": "invoice_copy", "upload_id": sid}]))).await;
            assert_eq!(
                r.body["errors"][0]["code"], "wrong_content_type",
                "{}",
                r.body
            );
        } else {
            assert_eq!(put, 403);
        }
        let docs: Vec<Value> = [
            "invoice_copy",
            "purchase_order",
            "delivery_proof",
            "ledger_statement",
            "invoice_copy",
        ]
        .iter()
        .map(|k| json!({"kind": k, "upload_id": sid}))
        .collect();
        let r = report(ext(json!(docs))).await;
        assert_eq!(
            (r.status, r.fields()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["documents".to_string()]
            )
        );
        let r = report(json!({"invoice_number": "P-9", "amount_due_paise": -5, "company": {"name": "X", "gstin": "27AAPFU0939F1ZX"}})).await;
        assert_eq!(
            r.fields(),
            ["company.gstin", "invoice_date", "amount_due_paise"]
        );
        let r = report(json!({"customer_id": cid})).await;
        assert_eq!(r.fields(), ["invoice_ids"]);
        let r = t
            .call(
                Method::POST,
                "/v1/registry/reports",
                Some(&b),
                Some(json!({"customer_id": cid, "invoice_ids": [overdue]})),
            )
            .await;
        assert_eq!(
            (r.status, r.fields()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["customer_id".to_string(), "invoice_ids[0]".to_string()]
            )
        );

        let many: Vec<String> = (0..16).map(|_| overdue.clone()).collect();
        let r = report(json!({"customer_id": cid, "invoice_ids": many})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.fields()[0], "invoice_ids", "at most 15 invoices");

        // Nothing was written: no report, no claim on the invoice.
        assert!(
            get(&t, &a, "/v1/registry/reports").await["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        let (l1, _) = t.admin(Role::AdminL1).await;
        assert!(
            get(&t, &l1, "/v1/admin/transactions").await["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        let ok = report(json!({"customer_id": cid, "invoice_ids": [overdue]})).await;
        assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
        let again = report(json!({"customer_id": cid, "invoice_ids": [overdue]})).await;
        assert_eq!(
            (again.status, again.fields()),
            (StatusCode::CONFLICT, vec!["invoice_ids[0]".to_string()])
        );
        // An outside invoice, too, is in one open report at a time.
        let outside = json!({"customer_id": cid, "invoice_number": "p-77", "invoice_date": "2026-01-05",
                             "due_date": "2026-02-04", "amount_due_paise": 50_000});
        let first = report(outside.clone()).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        let mut again = outside.clone();
        again["invoice_number"] = json!("P-77");
        let dup = report(again).await;
        assert_eq!(
            (dup.status, dup.fields()),
            (StatusCode::CONFLICT, vec!["invoice_number".to_string()])
        );
        let s = get(&t, &l1, "/v1/admin/stats").await;
        assert_eq!(s["reports"]["pending"], 2);
        assert_eq!(s["companies"], 1);
        // Staff and customers cannot report.
        let r = t
            .call(
                Method::POST,
                "/v1/registry/reports",
                Some(&l1),
                Some(json!({"customer_id": cid})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
);

both!(
    upheld_disputes_corrections_and_cases_closed_with_the_report,
    |t: TestApp| async move {
        let (a, _, _) = t.owner().await;
        let debtor_phone = unique_phone();
        let ca = customer(
            &t,
            &a,
            json!({"name": "Kapoor Sweets", "phone": debtor_phone}),
        )
        .await;
        let cid = ca["id"].as_str().unwrap();
        let company = ca["company_id"].as_str().unwrap().to_string();
        let i1 = invoice(&t, &a, cid, 2_000_000, 40, 10).await;
        let i2 = invoice(&t, &a, cid, 1_000_000, 40, 10).await;
        let ra = post(
            &t,
            &a,
            "/v1/registry/reports",
            json!({"customer_id": cid, "invoice_ids": [i1], "note": "called three times"}),
        )
        .await;
        let ra_id = ra["id"].as_str().unwrap().to_string();
        let rb = post(
            &t,
            &a,
            "/v1/registry/reports",
            json!({"customer_id": cid, "invoice_ids": [i2]}),
        )
        .await;
        let rb_id = rb["id"].as_str().unwrap().to_string();
        let (l1, _) = t.admin(Role::AdminL1).await;
        let (senior, _) = t.admin(Role::AdminSenior).await;

        // A referred report's dispute is decided by the senior team only.
        assert_eq!(act(&t, &l1, &ra_id, "refer").await.0, StatusCode::OK);
        let r = t
            .call(
                Method::POST,
                "/v1/auth/register",
                None,
                Some(json!({"name": "Kapoor", "phone": debtor_phone, "account_type": "customer"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let (debtor, _, _) = t.verify(&debtor_phone).await;
        let dsp = post(
            &t,
            &debtor,
            &format!("/v1/registry/reports/{ra_id}/disputes"),
            json!({"reason": "We returned the goods; see the return note"}),
        )
        .await;
        let dsp_path = format!("/v1/admin/disputes/{}/actions", dsp["id"].as_str().unwrap());
        assert_eq!(
            get(&t, &a, &format!("/v1/invoices/{i1}")).await["status"],
            "disputed"
        );
        let r = t
            .call(
                Method::POST,
                &dsp_path,
                Some(&l1),
                Some(json!({"action": "approve"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        post(
            &t,
            &senior,
            &dsp_path,
            json!({"action": "approve", "note": "return note checked"}),
        )
        .await;
        let r = t
            .call(
                Method::POST,
                &dsp_path,
                Some(&senior),
                Some(json!({"action": "reject"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "decided once");

        // Upheld: the report is removed, the invoice is no longer disputed
        // and free to report again, the company's rating shows it, and the
        // reporter has a wrongly raised default.
        assert_eq!(
            get(&t, &a, &format!("/v1/registry/reports/{ra_id}")).await["status"],
            "removed"
        );
        assert_eq!(
            get(&t, &a, &format!("/v1/invoices/{i1}")).await["status"],
            "overdue"
        );
        let page = get(&t, &a, &format!("/v1/registry/companies/{company}")).await;
        assert_eq!(page["disputes_upheld"], 1);
        let reasons = page["rating"]["reasons"].as_array().unwrap();
        assert!(reasons.iter().any(|r| r["points"] == 5), "{reasons:?}");
        assert_eq!(
            get(&t, &l1, "/v1/admin/metrics/wrong-reports").await["items"][0]["wrong"],
            1
        );
        let rc = post(
            &t,
            &a,
            "/v1/registry/reports",
            json!({"customer_id": cid, "invoice_ids": [i1]}),
        )
        .await;
        let rc_id = rc["id"].as_str().unwrap().to_string();

        // A correction of an approved report changes the company's total.
        assert_eq!(act(&t, &l1, &rb_id, "approve").await.0, StatusCode::OK);
        assert_eq!(
            get(&t, &a, &format!("/v1/registry/companies/{company}")).await["due_paise"],
            1_000_000
        );
        let edr = post(
            &t,
            &a,
            &format!("/v1/registry/reports/{rb_id}/edit-requests"),
            json!({
            "kind": "correct", "reason": "part payment received in cash",
            "corrections": [{"number": rb["invoices"][0]["number"], "amount_paise": 600_000}]}),
        )
        .await;
        post(
            &t,
            &l1,
            &format!(
                "/v1/admin/edit-requests/{}/actions",
                edr["id"].as_str().unwrap()
            ),
            json!({"action": "approve"}),
        )
        .await;
        let page = get(&t, &a, &format!("/v1/registry/companies/{company}")).await;
        assert_eq!(page["due_paise"], 600_000);
        let r = t.call(Method::POST, &format!("/v1/registry/reports/{rb_id}/edit-requests"), Some(&a),
            Some(json!({"kind": "correct", "reason": "x", "corrections": [{"number": "NOPE", "amount_paise": -1}]}))).await;
        assert_eq!(
            r.fields(),
            ["corrections[0].number", "corrections[0].amount_paise"]
        );

        // Rejecting a report closes its open dispute and edit request.
        post(
            &t,
            &debtor,
            &format!("/v1/registry/reports/{rc_id}/disputes"),
            json!({"reason": "same goods"}),
        )
        .await;
        post(
            &t,
            &a,
            &format!("/v1/registry/reports/{rc_id}/edit-requests"),
            json!({"kind": "withdraw", "reason": "settled"}),
        )
        .await;
        let s = get(&t, &l1, "/v1/admin/stats").await;
        assert_eq!(
            (
                s["open_disputes"].as_i64(),
                s["open_edit_requests"].as_i64()
            ),
            (Some(1), Some(1))
        );
        assert_eq!(act(&t, &l1, &rc_id, "reject").await.0, StatusCode::OK);
        let s = get(&t, &l1, "/v1/admin/stats").await;
        assert_eq!(
            (
                s["open_disputes"].as_i64(),
                s["open_edit_requests"].as_i64()
            ),
            (Some(0), Some(0))
        );
        assert!(
            get(&t, &l1, "/v1/admin/disputes").await["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert!(
            get(&t, &l1, "/v1/admin/edit-requests").await["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            get(&t, &a, &format!("/v1/invoices/{i1}")).await["status"],
            "overdue"
        );
        let r = t
            .call(
                Method::POST,
                &format!("/v1/registry/reports/{rc_id}/paid"),
                Some(&a),
                Some(json!({})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        // Marking paid twice changes nothing the second time.
        let paid = post(
            &t,
            &a,
            &format!("/v1/registry/reports/{rb_id}/paid"),
            json!({}),
        )
        .await;
        assert_eq!(paid["payment_status"], "paid");
        let again = t
            .call(
                Method::POST,
                &format!("/v1/registry/reports/{rb_id}/paid"),
                Some(&a),
                Some(json!({})),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert_eq!(
            get(&t, &a, &format!("/v1/registry/companies/{company}")).await["due_paise"],
            0
        );
    }
);

both!(
    a_phone_does_not_join_two_gstins_and_known_companies_gain_identifiers,
    |t: TestApp| async move {
        let (a, _, _) = t.owner().await;
        let (b, _, _) = t.owner().await;
        let phone = unique_phone();
        // A adds the debtor by phone only; B adds it with the same phone and
        // a GSTIN: one company, which now has the GSTIN too.
        let c1 = customer(&t, &a, json!({"name": "Bansal Steel", "phone": phone})).await;
        let c2 = customer(
            &t,
            &b,
            json!({"name": "Bansal Steel Co", "phone": phone, "gstin": GSTIN}),
        )
        .await;
        assert_eq!(c1["company_id"], c2["company_id"]);
        let found = search(&t, &a, GSTIN).await;
        assert_eq!(found[0]["id"], c1["company_id"]);
        // An accountant's phone shared by a company of another GSTIN does
        // not join it to this one.
        let other = customer(
            &t,
            &a,
            json!({"name": "Other Steel", "phone": phone, "gstin": "29AAGCR4375J1ZU"}),
        )
        .await;
        assert_ne!(other["company_id"], c1["company_id"]);
        assert!(other["company_id"].is_string());
        let (l1, _) = t.admin(Role::AdminL1).await;
        let id = c1["company_id"].as_str().unwrap();
        assert_eq!(
            audit_actions(&t, &l1, id).await,
            ["company.create", "company.identify"]
        );

        // A's phone for the company does not let its holder speak for the
        // company on B's report, which gave no phone.
        let cb = customer(&t, &b, json!({"name": "Bansal Steel", "gstin": GSTIN})).await;
        assert_eq!(cb["company_id"], c1["company_id"]);
        let inv = invoice(&t, &b, cb["id"].as_str().unwrap(), 400_000, 40, 10).await;
        let rb = post(
            &t,
            &b,
            "/v1/registry/reports",
            json!({"customer_id": cb["id"], "invoice_ids": [inv]}),
        )
        .await;
        assert!(rb.get("debtor_phone").is_none(), "{rb}");
        let r = t
            .call(
                Method::POST,
                "/v1/auth/register",
                None,
                Some(json!({"name": "Phone holder", "phone": phone, "account_type": "customer"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let (holder, _, _) = t.verify(&phone).await;
        let path = format!("/v1/registry/reports/{}", rb["id"].as_str().unwrap());
        assert_eq!(
            t.call(Method::GET, &path, Some(&holder), None).await.status,
            StatusCode::NOT_FOUND
        );
    }
);

both!(
    idempotency_keys_on_registry_and_admin_creates,
    |t: TestApp| async move {
        use common::idempotency::{Retry, assert_replays};
        let (a, _, owner) = t.owner().await;
        let owner_phone = owner["phone"].as_str().unwrap().to_string();
        let owner_mail = owner["email"].as_str().unwrap().to_string();
        let debtor_phone = unique_phone();
        let c = customer(
            &t,
            &a,
            json!({"name": "Retry Stores", "phone": debtor_phone}),
        )
        .await;
        let cid = c["id"].as_str().unwrap();
        let i1 = invoice(&t, &a, cid, 1_500_000, 40, 10).await;
        let r = post(
            &t,
            &a,
            "/v1/registry/reports",
            json!({"customer_id": cid, "invoice_ids": [i1]}),
        )
        .await;
        let rid = r["id"].as_str().unwrap().to_string();
        let reg = json!({"name": "Retry", "phone": debtor_phone, "account_type": "customer"});
        let res = t
            .call(Method::POST, "/v1/auth/register", None, Some(reg))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let (debtor, _, _) = t.verify(&debtor_phone).await;
        let (l1, _) = t.admin(Role::AdminL1).await;
        let (sup, _) = t.admin(Role::AdminSuper).await;
        let (user_phone, employee_phone) = (unique_phone(), unique_phone());
        let retries = [
            Retry {
                method: Method::POST,
                path: "/v1/uploads".into(),
                token: &a,
                key: "upload-1",
                body: json!({"content_type": "application/pdf", "size_bytes": 1000}),
                other: json!({"content_type": "application/pdf", "size_bytes": 1001}),
            },
            Retry {
                method: Method::POST,
                path: format!("/v1/registry/reports/{rid}/disputes"),
                token: &debtor,
                key: "dispute-1",
                body: json!({"reason": "Paid by NEFT"}),
                other: json!({"reason": "Paid in cash"}),
            },
            Retry {
                method: Method::POST,
                path: format!("/v1/registry/reports/{rid}/dispute/answer"),
                token: &a,
                key: "answer-1",
                body: json!({"text": "That NEFT was for another invoice"}),
                other: json!({"text": "No payment came"}),
            },
            Retry {
                method: Method::POST,
                path: format!("/v1/registry/reports/{rid}/edit-requests"),
                token: &a,
                key: "edit-1",
                body: json!({"kind": "withdraw", "reason": "Settled outside"}),
                other: json!({"kind": "withdraw", "reason": "Wrong company"}),
            },
            Retry {
                method: Method::POST,
                path: "/v1/admin/users".into(),
                token: &l1,
                key: "user-1",
                body: json!({"name": "Kiran", "phone": user_phone, "role": "customer"}),
                other: json!({"name": "Kiran K", "phone": user_phone, "role": "customer"}),
            },
            Retry {
                method: Method::POST,
                path: "/v1/admin/employees".into(),
                token: &sup,
                key: "employee-1",
                body: json!({"name": "Meera", "phone": employee_phone, "role": "admin_l1"}),
                other: json!({"name": "Meera", "phone": employee_phone, "role": "admin_senior"}),
            },
        ];
        let mut firsts = vec![];
        for r in retries {
            firsts.push(assert_replays(&t, r).await.body);
        }
        // One of each was written, and the reporter heard of the dispute once.
        let log = audit_actions(&t, &l1, &rid).await;
        for action in ["dispute.create", "dispute.answer", "edit_request.create"] {
            let n = log.iter().filter(|a| *a == action).count();
            assert_eq!(n, 1, "{action} in {log:?}");
        }
        let disputes = get(&t, &l1, "/v1/admin/disputes").await;
        assert_eq!(disputes["items"].as_array().unwrap().len(), 1, "{disputes}");
        assert_eq!(disputes["items"][0]["answer"], firsts[2]["answer"]);
        let edits = get(&t, &l1, "/v1/admin/edit-requests").await;
        assert_eq!(edits["items"].as_array().unwrap().len(), 1, "{edits}");
        let told = |m: &String| m.contains("disputes your report");
        assert_eq!(t.sms(&owner_phone).iter().filter(|m| told(m)).count(), 1);
        let mails = t.mails(&owner_mail);
        assert_eq!(mails.iter().filter(|(_, b)| told(b)).count(), 1);
        for (phone, first) in [(&user_phone, &firsts[4]), (&employee_phone, &firsts[5])] {
            let found = get(&t, &l1, &format!("/v1/admin/users?q={}", url_escape(phone))).await;
            assert_eq!(found["items"].as_array().unwrap().len(), 1, "{found}");
            assert_eq!(found["items"][0]["id"], first["id"]);
        }
    }
);
