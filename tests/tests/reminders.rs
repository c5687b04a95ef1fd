//! Payment reminders and notifications (issue #14), end to end on SQLite
//! with the outbox and on DynamoDB, SNS and SES on moto (reading what moto
//! received): the policy's stages over 40 days on a moving clock, quiet
//! hours, payment and disputes, opt-out, overlapping runs, a crash between
//! sending and recording, failures and retries, a thousand invoices in one
//! run, templates in English and Hindi, sending an invoice now, the
//! registry's notices, and the daily digest.

mod common;

use async_trait::async_trait;
use axum::http::{Method, StatusCode};
use common::{TestApp, unique_phone};
use hisaab::clock::Clock;
use hisaab::identity::Role;
use hisaab::notify::Sms;
use hisaab::validate::Phone;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The same access token issued again at the test clock's time: the
/// scenarios move the clock by days, past any token's 15 minutes.
fn again(t: &TestApp, tok: &str) -> String {
    let payload = tok.split('.').nth(1).expect("a JWT");
    let mut claims: hisaab::crypto::Claims =
        serde_json::from_slice(&hisaab::crypto::unb64(payload).unwrap()).unwrap();
    claims.iat = t.clock.now().as_second();
    claims.exp = claims.iat + hisaab::crypto::ACCESS_TOKEN_SECS;
    t.app.keys.access_token(&claims).unwrap()
}

async fn get(t: &TestApp, tok: &str, path: &str) -> Value {
    common::get(t, &again(t, tok), path).await
}

async fn post(t: &TestApp, tok: &str, path: &str, body: Value) -> Value {
    common::post(t, &again(t, tok), path, body).await
}

/// [`TestApp::call`] with the token issued again.
async fn call(
    t: &TestApp,
    method: Method,
    path: &str,
    tok: Option<&str>,
    body: Option<Value>,
) -> common::Res {
    let tok = tok.map(|k| again(t, k));
    t.call(method, path, tok.as_deref(), body).await
}

fn ist() -> TimeZone {
    TimeZone::get("Asia/Kolkata").unwrap()
}

/// Day 0 of every scenario: today in IST when the first scenario of this
/// process started (each test clock starts at the system time).
fn day0() -> Date {
    static DAY0: std::sync::OnceLock<Date> = std::sync::OnceLock::new();
    *DAY0.get_or_init(|| Timestamp::now().to_zoned_datetime(ist()).date())
}

/// Moves the test clock forward to `hour`:00 IST of day `day` of the
/// scenario (see [`day0`]); the target must not be in the past.
fn move_to(t: &TestApp, day: i64, hour: i8) {
    let target = day0()
        .checked_add(jiff::Span::new().days(day))
        .unwrap()
        .at(hour, 0, 0, 0)
        .to_zoned_datetime(ist())
        .unwrap()
        .timestamp();
    let now = t.clock.now();
    assert!(target >= now, "the clock only moves forward");
    t.clock.advance(target.as_second() - now.as_second());
}

/// The date `days` after `from`.
fn plus(from: Date, days: i64) -> String {
    from.checked_add(jiff::Span::new().days(days))
        .unwrap()
        .to_string()
}

/// An owner with reminders on (SMS), and a customer with a phone; returns
/// (owner token, customer id, customer phone).
async fn setup(t: &TestApp, policy: Value) -> (String, String, String) {
    let (tok, _, _) = t.owner().await;
    let mut p = json!({"enabled": true, "channels": "sms"});
    p.as_object_mut()
        .unwrap()
        .extend(policy.as_object().unwrap().clone());
    let r = call(
        t,
        Method::PATCH,
        "/v1/business/settings",
        Some(&tok),
        Some(json!({"reminders": p, "upi_vpa": "asha@okaxis"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let phone = unique_phone();
    let email = format!("{}@buyer.example", phone.trim_start_matches('+'));
    let c = post(
        t,
        &tok,
        "/v1/customers",
        json!({"name": "Ramesh Kumar", "phone": phone, "email": email}),
    )
    .await;
    (tok, c["id"].as_str().unwrap().to_string(), phone)
}

/// An issued invoice of `amount` paise dated today, due in `due_in` days;
/// returns (id, number).
async fn invoice(t: &TestApp, tok: &str, cid: &str, amount: i64, due_in: i64) -> (String, String) {
    let today = t.today();
    let inv = post(
        t,
        tok,
        "/v1/invoices",
        json!({"customer_id": cid, "invoice_date": today.to_string(), "due_date": plus(today, due_in),
               "lines": [{"description": "Basmati rice, 25 kg", "quantity": 1, "unit_price": amount, "tax_rate_bp": 0}]}),
    )
    .await;
    (
        inv["id"].as_str().unwrap().to_string(),
        inv["number"].as_str().unwrap().to_string(),
    )
}

async fn run(t: &TestApp) -> hisaab::reminders::job::RunReport {
    t.app.run_reminders(None).await.unwrap()
}

/// The reminder log of an invoice, oldest first: (stage, status, local
/// hour of sending).
async fn log(t: &TestApp, tok: &str, iid: &str) -> Vec<(i64, String, i8)> {
    let page = get(t, tok, &format!("/v1/notifications?invoice_id={iid}")).await;
    let mut out: Vec<(i64, String, i8)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "reminder")
        .map(|n| {
            let at: Timestamp = n["created_at"].as_str().unwrap().parse().unwrap();
            (
                n["stage"].as_i64().unwrap(),
                n["status"].as_str().unwrap().to_string(),
                at.to_zoned_datetime(ist()).hour(),
            )
        })
        .collect();
    out.reverse();
    out
}

/// The reminders and shares texted to `phone` that name invoice `number`
/// (not the registry's notices).
fn texts(t: &TestApp, phone: &str, number: &str) -> Vec<String> {
    t.sms(phone)
        .into_iter()
        .filter(|m| m.contains(number) && !m.contains("credit registry"))
        .collect()
}

both!(
    forty_days_follow_the_policy_out_of_quiet_hours,
    |t: TestApp| async move {
        move_to(&t, 1, 10);
        let (tok, cid, phone) = setup(&t, json!({})).await;
        let (iid, number) = invoice(&t, &tok, &cid, 12_345_650, 10).await;
        let inv = get(&t, &tok, &format!("/v1/invoices/{iid}")).await;
        assert!(inv["reminder"]["next_at"].is_string(), "{inv}");
        // Every three hours for 40 days, as a schedule would.
        for _ in 0..(40 * 8) {
            t.clock.advance(3 * 3600);
            run(&t).await;
        }
        let sent = log(&t, &tok, &iid).await;
        let stages: Vec<i64> = sent.iter().map(|s| s.0).collect();
        assert_eq!(stages, [-3, 0, 3, 7, 15, 30], "{sent:?}");
        for (stage, status, hour) in &sent {
            assert_eq!(status, "sent");
            assert!(
                (9..21).contains(hour),
                "stage {stage} went at {hour}:00, in quiet hours"
            );
        }
        let sms = texts(&t, &phone, &number);
        assert_eq!(sms.len(), 6, "{sms:?}");
        assert!(sms[0].contains("Rs 1,23,456.50"), "{}", sms[0]);
        assert!(sms[0].contains("/v1/shared/"), "{}", sms[0]);
        assert!(sms[0].contains("upi://pay?pa=asha@okaxis"), "{}", sms[0]);
        assert!(sms[2].contains("was due on"), "{}", sms[2]);
        // The invoice's history shows each reminder.
        let inv = get(&t, &tok, &format!("/v1/invoices/{iid}")).await;
        let history: Vec<&str> = inv["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["detail"].as_str().unwrap())
            .collect();
        assert!(
            history
                .iter()
                .any(|d| d.starts_with("reminder (3 days before the due date) by SMS")),
            "{history:?}"
        );
        assert_eq!(inv["reminder"]["sent"], 6);
    }
);

both!(
    a_stage_due_in_quiet_hours_waits_for_their_end,
    |t: TestApp| async move {
        move_to(&t, 1, 12);
        // Quiet 22:00–23:00 at first: the stage (a day after the due date)
        // is planned for 23:00 tomorrow.
        let (tok, cid, phone) = setup(
            &t,
            json!({"stages": [1], "quiet_start": "22:00", "quiet_end": "23:00"}),
        )
        .await;
        let (iid, number) = invoice(&t, &tok, &cid, 50_000, 0).await;
        // Then the business keeps its customers' nights quiet, 21:00–09:00.
        let r = call(
            &t,
            Method::PATCH,
            "/v1/business/settings",
            Some(&tok),
            Some(json!({"reminders": {"enabled": true, "channels": "sms", "stages": [1]}})),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        move_to(&t, 2, 23);
        t.clock.advance(15 * 60);
        let report = run(&t).await;
        assert_eq!((report.sent, report.waiting), (0, 1), "{report:?}");
        move_to(&t, 3, 8);
        t.clock.advance(45 * 60);
        assert_eq!(run(&t).await.sent, 0);
        assert!(texts(&t, &phone, &number).is_empty());
        t.clock.advance(15 * 60);
        let report = run(&t).await;
        assert_eq!(report.sent, 1, "{report:?}");
        let sent = log(&t, &tok, &iid).await;
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].2, 9, "sent at 09:00, when the quiet hours end");
    }
);

both!(
    paying_stops_reminders_and_a_dispute_pauses_them,
    |t: TestApp| async move {
        move_to(&t, 1, 10);
        let (tok, cid, phone) = setup(&t, json!({})).await;
        let (paid, paid_no) = invoice(&t, &tok, &cid, 80_000, 10).await;
        let (disputed, disputed_no) = invoice(&t, &tok, &cid, 90_000, 10).await;
        // Neither a cancelled invoice nor a draft is ever reminded.
        let (cancelled, cancelled_no) = invoice(&t, &tok, &cid, 60_000, 10).await;
        post(
            &t,
            &tok,
            &format!("/v1/invoices/{cancelled}/cancel"),
            json!({"reason": "billed twice"}),
        )
        .await;
        let draft = post(
            &t,
            &tok,
            "/v1/invoices",
            json!({"customer_id": cid, "draft": true, "due_date": plus(t.today(), 10),
                   "lines": [{"description": "Sugar", "quantity": 1, "unit_price": 5_000, "tax_rate_bp": 0}]}),
        )
        .await;
        let step = |days: i64| {
            let t = &t;
            async move {
                for _ in 0..days * 8 {
                    t.clock.advance(3 * 3600);
                    run(t).await;
                }
            }
        };
        // Through the due date (day 10, 09:00): stages -3 and 0 of both.
        step(10).await;
        post(
            &t,
            &tok,
            &format!("/v1/invoices/{paid}/payments"),
            json!({"amount": 80_000, "method": "upi", "date": t.today().to_string()}),
        )
        .await;
        step(1).await;
        // The registry: a report of the overdue invoice, approved; the
        // customer disputes it, which flags the invoice.
        let report = post(
            &t,
            &tok,
            "/v1/registry/reports",
            json!({"customer_id": cid, "invoice_ids": [disputed]}),
        )
        .await;
        let rid = report["id"].as_str().unwrap().to_string();
        let (l1, _) = t.admin(Role::AdminL1).await;
        post(
            &t,
            &l1,
            &format!("/v1/admin/transactions/{rid}/actions"),
            json!({"action": "approve"}),
        )
        .await;
        let r = call(
            &t,
            Method::POST,
            "/v1/auth/register",
            None,
            Some(json!({"name": "Ramesh Kumar", "phone": phone, "account_type": "customer"})),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let (debtor, _, _) = t.verify(&phone).await;
        let dsp = post(
            &t,
            &debtor,
            &format!("/v1/registry/reports/{rid}/disputes"),
            json!({"reason": "The rice was returned on the 3rd"}),
        )
        .await;
        // Days 11–19 pass (stages 3 and 7 fall due): nothing is sent.
        step(8).await;
        assert_eq!(
            log(&t, &tok, &disputed)
                .await
                .iter()
                .map(|s| s.0)
                .collect::<Vec<_>>(),
            [-3, 0]
        );
        // The dispute is dismissed: the latest stage due (7) goes once,
        // then 15 on day 25.
        post(
            &t,
            &l1,
            &format!("/v1/admin/disputes/{}/actions", dsp["id"].as_str().unwrap()),
            json!({"action": "reject", "note": "no return note"}),
        )
        .await;
        step(7).await;
        let stages: Vec<i64> = log(&t, &tok, &disputed).await.iter().map(|s| s.0).collect();
        assert_eq!(stages, [-3, 0, 7, 15]);
        let stages: Vec<i64> = log(&t, &tok, &paid).await.iter().map(|s| s.0).collect();
        assert_eq!(stages, [-3, 0], "a paid invoice gets no more");
        assert_eq!(texts(&t, &phone, &paid_no).len(), 2);
        assert!(log(&t, &tok, &cancelled).await.is_empty());
        assert!(texts(&t, &phone, &cancelled_no).is_empty());
        assert!(
            log(&t, &tok, draft["id"].as_str().unwrap())
                .await
                .is_empty()
        );
        assert_eq!(texts(&t, &phone, &disputed_no).len(), 4);

        // The registry told both sides of each step.
        let owner_phone = {
            let me = get(&t, &tok, "/v1/me").await;
            me["phone"].as_str().unwrap().to_string()
        };
        let to_owner = t.sms(&owner_phone).join("\n");
        assert!(
            to_owner.contains(&format!("Your report {rid}")) && to_owner.contains("was approved"),
            "{to_owner}"
        );
        assert!(
            to_owner.contains(&format!("disputes your report {rid}")),
            "{to_owner}"
        );
        assert!(to_owner.contains("was dismissed"), "{to_owner}");
        let to_debtor = t.sms(&phone).join("\n");
        assert!(to_debtor.contains("approved the report"), "{to_debtor}");
        assert!(
            to_debtor.contains(&format!("Your dispute of report {rid}")),
            "{to_debtor}"
        );
    }
);

both!(
    an_opted_out_customer_gets_no_reminders,
    |t: TestApp| async move {
        move_to(&t, 1, 10);
        let (tok, cid, phone) = setup(&t, json!({"channels": "both", "stages": [-3, 0]})).await;
        let (iid, number) = invoice(&t, &tok, &cid, 70_000, 10).await;
        move_to(&t, 8, 10);
        run(&t).await;
        // The mail carries the opt-out link; the customer follows it.
        let email = format!("{}@buyer.example", phone.trim_start_matches('+'));
        let mails = t.mails(&email);
        assert_eq!(mails.len(), 1, "{mails:?}");
        assert!(mails[0].0.contains(&number), "{}", mails[0].0);
        let link = mails[0]
            .1
            .split_whitespace()
            .find(|w| w.contains("/stop/"))
            .expect("an opt-out link")
            .to_string();
        let token = link.rsplit('/').next().unwrap();
        // The page asks first: it names the business.
        let r = call(
            &t,
            Method::GET,
            &format!("/v1/reminders/opt-out/{token}"),
            None,
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            r.body,
            json!({"business_name": "Asha Traders", "reminders": true})
        );
        let r = call(
            &t,
            Method::POST,
            "/v1/reminders/opt-out",
            None,
            Some(json!({"token": format!("{token}x")})),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "a forged token");
        let r = call(
            &t,
            Method::POST,
            "/v1/reminders/opt-out",
            None,
            Some(json!({"token": token})),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["business_name"], "Asha Traders");
        let r = call(
            &t,
            Method::GET,
            &format!("/v1/reminders/opt-out/{token}"),
            None,
            None,
        )
        .await;
        assert_eq!(r.body["reminders"], false);
        let c = get(&t, &tok, &format!("/v1/customers/{cid}")).await;
        assert_eq!(c["reminders"], false);
        // The business cannot turn them back on for the customer.
        let r = call(
            &t,
            Method::PATCH,
            &format!("/v1/customers/{cid}"),
            Some(&tok),
            Some(json!({"reminders": true})),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        move_to(&t, 11, 10);
        let report = run(&t).await;
        assert_eq!((report.sent, report.skipped), (0, 1), "{report:?}");
        assert_eq!(texts(&t, &phone, &number).len(), 1);
        let inv = get(&t, &tok, &format!("/v1/invoices/{iid}")).await;
        assert_eq!(inv["reminder"]["last_result"], "opted_out");
    }
);

both!(
    overlapping_runs_send_each_stage_once,
    |t: TestApp| async move {
        move_to(&t, 1, 10);
        let (tok, cid, phone) = setup(&t, json!({"stages": [0]})).await;
        let mut numbers = vec![];
        for _ in 0..20 {
            numbers.push(invoice(&t, &tok, &cid, 10_000, 1).await.1);
        }
        move_to(&t, 2, 10);
        // A run whose deadline has come starts no work and says there is more.
        let late = t
            .app
            .run_reminders(Some(std::time::Instant::now()))
            .await
            .unwrap();
        assert!(late.more && late.sent == 0, "{late:?}");
        let (a, b) = tokio::join!(t.app.run_reminders(None), t.app.run_reminders(None));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.sent + b.sent, 20, "{a:?} {b:?}");
        // A retried invocation finds nothing left to do.
        assert_eq!(run(&t).await.sent, 0);
        for n in &numbers {
            assert_eq!(texts(&t, &phone, n).len(), 1, "{n}");
        }
    }
);

/// An SMS port that sends through the real one, then never returns: the
/// process dies between sending and recording the result.
struct SendThenHang(Arc<dyn Sms>);

#[async_trait]
impl Sms for SendThenHang {
    async fn send_sms(&self, to: &Phone, body: &str) -> anyhow::Result<()> {
        self.0.send_sms(to, body).await?;
        std::future::pending().await
    }
}

/// An SMS port that fails as told, then sends through the real one.
struct Failing {
    real: Arc<dyn Sms>,
    transient: AtomicUsize,
    refuse: String,
}

#[async_trait]
impl Sms for Failing {
    async fn send_sms(&self, to: &Phone, body: &str) -> anyhow::Result<()> {
        if to.as_str() == self.refuse {
            anyhow::bail!("InvalidParameter: phone number is not reachable");
        }
        if self
            .transient
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            anyhow::bail!("Throttling: rate exceeded");
        }
        self.real.send_sms(to, body).await
    }
}

both!(
    a_crash_after_sending_never_sends_that_stage_again,
    |t: TestApp| async move {
        move_to(&t, 1, 10);
        let (tok, cid, phone) = setup(&t, json!({"stages": [0, 3]})).await;
        let (iid, number) = invoice(&t, &tok, &cid, 10_000, 1).await;
        move_to(&t, 2, 10);
        let mut crashing = t.app.clone();
        crashing.sms = Arc::new(SendThenHang(t.app.sms.clone()));
        let r = tokio::time::timeout(
            std::time::Duration::from_secs(3),
            crashing.run_reminders(None),
        )
        .await;
        assert!(r.is_err(), "the run died midway");
        assert_eq!(texts(&t, &phone, &number).len(), 1);
        // At most once: the next runs do not send stage 0 again; its log
        // entry stays `sending`, and stage 3 follows as planned.
        run(&t).await;
        move_to(&t, 3, 10);
        run(&t).await;
        assert_eq!(texts(&t, &phone, &number).len(), 1);
        assert_eq!(log(&t, &tok, &iid).await[0].1, "sending");
        move_to(&t, 5, 10);
        run(&t).await;
        let sent = log(&t, &tok, &iid).await;
        assert_eq!(
            sent.iter().map(|s| (s.0, s.1.as_str())).collect::<Vec<_>>(),
            [(0, "sending"), (3, "sent")]
        );
        assert_eq!(texts(&t, &phone, &number).len(), 2);
    }
);

both!(
    failures_are_retried_recorded_and_stop_at_a_refused_number,
    |t: TestApp| async move {
        move_to(&t, 1, 10);
        let (tok, cid, phone) = setup(&t, json!({"stages": [0, 3]})).await;
        let bad = post(
            &t,
            &tok,
            "/v1/customers",
            json!({"name": "Gone Away", "phone": unique_phone()}),
        )
        .await;
        let bad_id = bad["id"].as_str().unwrap().to_string();
        let (ok_inv, number) = invoice(&t, &tok, &cid, 10_000, 1).await;
        let (bad_inv, _) = invoice(&t, &tok, &bad_id, 10_000, 1).await;
        move_to(&t, 2, 10);
        let mut flaky = t.app.clone();
        flaky.sms = Arc::new(Failing {
            real: t.app.sms.clone(),
            transient: AtomicUsize::new(2),
            refuse: bad["phone"].as_str().unwrap().to_string(),
        });
        let report = flaky.run_reminders(None).await.unwrap();
        assert_eq!((report.sent, report.failed), (1, 1), "{report:?}");
        // Two throttled calls, then sent on the third.
        let page = get(&t, &tok, &format!("/v1/notifications?invoice_id={ok_inv}")).await;
        assert_eq!(page["items"][0]["attempts"], 3, "{page}");
        assert_eq!(texts(&t, &phone, &number).len(), 1);
        let page = get(&t, &tok, &format!("/v1/notifications?customer_id={bad_id}")).await;
        assert_eq!(page["items"][0]["status"], "failed");
        assert!(
            page["items"][0]["error"]
                .as_str()
                .unwrap()
                .contains("InvalidParameter")
        );
        // The refused number is marked; its next stage is not tried.
        let c = get(&t, &tok, &format!("/v1/customers/{bad_id}")).await;
        assert_eq!(c["sms_undeliverable"], true);
        move_to(&t, 5, 10);
        let report = flaky.run_reminders(None).await.unwrap();
        assert_eq!((report.sent, report.skipped), (1, 1), "{report:?}");
        let inv = get(&t, &tok, &format!("/v1/invoices/{bad_inv}")).await;
        assert_eq!(inv["reminder"]["last_result"], "no_contact");
        // A new phone clears the mark.
        let r = call(
            &t,
            Method::PATCH,
            &format!("/v1/customers/{bad_id}"),
            Some(&tok),
            Some(json!({"phone": unique_phone()})),
        )
        .await;
        assert_eq!(r.body["sms_undeliverable"], false, "{}", r.body);
    }
);

both!(
    a_thousand_invoices_due_in_one_run_are_each_reminded_once,
    |t: TestApp| async move {
        move_to(&t, 1, 10);
        let (tok, cid, phone) = setup(&t, json!({"stages": [0]})).await;
        for _ in 0..1000 {
            invoice(&t, &tok, &cid, 10_000, 1).await;
        }
        move_to(&t, 2, 10);
        let report = run(&t).await;
        assert_eq!((report.due, report.sent), (1000, 1000), "{report:?}");
        let mut sms = t.sms(&phone);
        assert_eq!(sms.len(), 1000);
        sms.sort();
        sms.dedup();
        assert_eq!(sms.len(), 1000, "each invoice once");
        assert_eq!(run(&t).await.due, 0);
    }
);

both!(
    templates_check_preview_and_render_in_hindi,
    |t: TestApp| async move {
        let (tok, cid, phone) = setup(&t, json!({"language": "hi"})).await;
        let all = get(&t, &tok, "/v1/business/templates").await;
        assert_eq!(all.as_array().unwrap().len(), 6);
        assert!(
            all[0]["body"].as_str().unwrap().contains("बिल"),
            "{}",
            all[0]
        );
        assert!(all[0]["variables"]["invoice.balance"].is_string());
        let put = |body: Value| {
            let t = &t;
            let tok = tok.clone();
            async move {
                call(
                    t,
                    Method::PUT,
                    "/v1/business/templates/reminder/sms",
                    Some(&tok),
                    Some(body),
                )
                .await
            }
        };
        let r = put(json!({"body": "Namaste {{ customer.name }}\n{% if invoice.balance %}\n{{ invoice.balance "})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.body["errors"][0]["field"], "body");
        assert_eq!(r.body["errors"][0]["code"], "invalid_template");
        assert!(
            r.body["errors"][0]["detail"]
                .as_str()
                .unwrap()
                .starts_with("line 3"),
            "{}",
            r.body
        );
        let r = put(json!({"body": "Hello\n{{ customer.gstin }}"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.body["errors"][0]["code"], "unknown_variable");
        assert!(
            r.body["errors"][0]["detail"]
                .as_str()
                .unwrap()
                .starts_with("line 2: customer.gstin"),
            "{}",
            r.body
        );
        let r = put(json!({"body": "₹{{ invoice.balance }} ".repeat(20)})).await;
        assert_eq!(
            r.body["errors"][0]["code"], "too_many_segments",
            "{}",
            r.body
        );
        // The preview counts segments: Devanagari is UCS-2.
        let p = post(
            &t,
            &tok,
            "/v1/business/templates/preview",
            json!({"kind": "reminder", "channel": "sms"}),
        )
        .await;
        assert_eq!(p["sms"]["encoding"], "ucs2", "{p}");
        assert!((1..=3).contains(&p["sms"]["segments"].as_i64().unwrap()));
        assert!(p["body"].as_str().unwrap().contains("₹1,23,456.50"), "{p}");
        // Staff may read, not change, the templates.
        let staff_phone = unique_phone();
        post(
            &t,
            &tok,
            "/v1/business/staff",
            json!({"name": "Raju", "phone": staff_phone}),
        )
        .await;
        call(
            &t,
            Method::POST,
            "/v1/auth/otp",
            None,
            Some(json!({"phone": staff_phone})),
        )
        .await;
        let (staff, _, _) = t.verify(&staff_phone).await;
        let r = call(
            &t,
            Method::PUT,
            "/v1/business/templates/reminder/sms",
            Some(&staff),
            Some(json!({"body": "{{ invoice.number }}"})),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Sending an invoice now uses the Hindi share template, with
        // Indian grouping.
        let (iid, number) = invoice(&t, &tok, &cid, 12_345_650, 15).await;
        let sent = post(
            &t,
            &staff,
            &format!("/v1/invoices/{iid}/send"),
            json!({"channels": "sms"}),
        )
        .await;
        assert_eq!(sent[0]["status"], "sent", "{sent}");
        let sms = texts(&t, &phone, &number);
        assert_eq!(sms.len(), 1);
        assert!(
            sms[0].contains("₹1,23,456.50") && sms[0].contains("बिल"),
            "{}",
            sms[0]
        );
        // A saved template is used from then on; deleting it restores the default.
        let r = put(json!({"body": "{{ business.name }}: {{ invoice.number }} Rs {{ invoice.balance }}, {{ invoice.days_overdue }} days late"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["custom"], true);
        let r = call(
            &t,
            Method::DELETE,
            "/v1/business/templates/reminder/sms",
            Some(&tok),
            None,
        )
        .await;
        assert_eq!(r.body["custom"], false);
    }
);

both!(
    an_invoice_is_sent_now_with_a_working_link_and_a_rate_limit,
    |t: TestApp| async move {
        let (tok, cid, phone) = setup(&t, json!({})).await;
        let (iid, number) = invoice(&t, &tok, &cid, 45_000, 15).await;
        let sent = post(
            &t,
            &tok,
            &format!("/v1/invoices/{iid}/send"),
            json!({"channels": "both"}),
        )
        .await;
        assert_eq!(sent.as_array().unwrap().len(), 2, "{sent}");
        let sms = texts(&t, &phone, &number);
        assert_eq!(sms.len(), 1);
        let link = sms[0]
            .split_whitespace()
            .find(|w| w.contains("/v1/shared/"))
            .unwrap();
        let path = &link[link.find("/v1/").unwrap()..];
        let r = call(&t, Method::GET, path, None, None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let pdf = r.headers["location"].to_str().unwrap().to_string();
        let (status, bytes) = t.fetch_link(&pdf).await;
        assert_eq!(status, 200);
        assert!(bytes.starts_with(b"%PDF"));
        let mut forged = path.to_string();
        forged.pop();
        forged.push('0');
        if forged == path {
            forged.pop();
            forged.push('1');
        }
        let r = call(&t, Method::GET, &forged, None, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // Again at once: 429 with Retry-After; a minute later it goes.
        let r = call(
            &t,
            Method::POST,
            &format!("/v1/invoices/{iid}/send"),
            Some(&tok),
            Some(json!({})),
        )
        .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        assert!(r.headers.get("retry-after").is_some());
        t.clock.advance(61);
        post(&t, &tok, &format!("/v1/invoices/{iid}/send"), json!({})).await;
        assert_eq!(texts(&t, &phone, &number).len(), 2);
        // The history shows both sends; a draft is not sent.
        let inv = get(&t, &tok, &format!("/v1/invoices/{iid}")).await;
        let sends = inv["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["detail"].as_str().unwrap().starts_with("invoice sent"))
            .count();
        assert_eq!(sends, 3, "two SMS and a mail");
        let draft = post(
            &t,
            &tok,
            "/v1/invoices",
            json!({"customer_id": cid, "draft": true, "lines": [{"description": "x", "quantity": 1, "unit_price": 100, "tax_rate_bp": 0}]}),
        )
        .await;
        let r = call(
            &t,
            Method::POST,
            &format!("/v1/invoices/{}/send", draft["id"].as_str().unwrap()),
            Some(&tok),
            Some(json!({})),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
    }
);

both!(
    the_digest_arrives_once_a_day_from_eight,
    |t: TestApp| async move {
        move_to(&t, 1, 7);
        let (tok, cid, _) = setup(&t, json!({"digest_sms": true})).await;
        let (iid, _) = invoice(&t, &tok, &cid, 30_000, 0).await;
        post(
            &t,
            &tok,
            &format!("/v1/invoices/{iid}/payments"),
            json!({"amount": 10_000, "method": "cash", "date": t.today().to_string()}),
        )
        .await;
        invoice(&t, &tok, &cid, 20_000, 1).await;
        let me = get(&t, &tok, "/v1/me").await;
        let email = me["email"].as_str().unwrap().to_string();
        let phone = me["phone"].as_str().unwrap().to_string();
        let digests = |t: &TestApp| {
            t.mails(&email)
                .into_iter()
                .filter(|m| m.0.contains("your day on Hisaab"))
                .collect::<Vec<_>>()
        };
        // Before 08:00 nothing goes.
        assert_eq!(t.app.run_digest(None).await.unwrap().sent, 0);
        move_to(&t, 2, 8);
        let before_sms = t.sms(&phone).len();
        let r = t.app.run_digest(None).await.unwrap();
        assert_eq!(r.sent, 1, "{r:?}");
        t.clock.advance(3600);
        assert_eq!(t.app.run_digest(None).await.unwrap().sent, 0, "once a day");
        let d = digests(&t);
        assert_eq!(d.len(), 1);
        let body = &d[0].1;
        assert!(body.contains("Due today: 1 invoices, Rs 200.00"), "{body}");
        assert!(body.contains("Overdue: 1 invoices, Rs 200.00"), "{body}");
        assert!(
            body.contains("Received yesterday: 1 payments, Rs 100.00"),
            "{body}"
        );
        assert_eq!(t.sms(&phone).len(), before_sms + 1, "and an SMS, as asked");
        move_to(&t, 3, 9);
        assert_eq!(t.app.run_digest(None).await.unwrap().sent, 1);
        assert_eq!(digests(&t).len(), 2);
    }
);

both!(
    a_send_retried_with_its_idempotency_key_goes_out_once,
    |t: TestApp| async move {
        use common::idempotency::{Retry, assert_replays};
        let (tok, cid, phone) = setup(&t, json!({})).await;
        let email = format!("{}@buyer.example", phone.trim_start_matches('+'));
        let (iid, number) = invoice(&t, &tok, &cid, 45_000, 15).await;
        let token = again(&t, &tok);
        let first = assert_replays(
            &t,
            Retry {
                method: Method::POST,
                path: format!("/v1/invoices/{iid}/send"),
                token: &token,
                key: "send-once",
                body: json!({"channels": "both"}),
                other: json!({"channels": "sms"}),
            },
        )
        .await;
        let statuses: Vec<&Value> = first
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|n| &n["status"])
            .collect();
        assert_eq!(statuses, ["sent", "sent"], "{}", first.body);
        assert_eq!(texts(&t, &phone, &number).len(), 1, "one SMS");
        let mails = t.mails(&email);
        assert_eq!(
            mails.iter().filter(|(_, b)| b.contains(&number)).count(),
            1,
            "one mail: {mails:?}"
        );
        let log = get(&t, &tok, &format!("/v1/notifications?invoice_id={iid}")).await;
        assert_eq!(log["items"].as_array().unwrap().len(), 2, "{log}");
    }
);
