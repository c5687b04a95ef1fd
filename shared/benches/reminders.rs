//! The reminders job on the real SQLite adapter: one run that finds
//! 100 000 invoices due (issued through the API's own writes, untimed,
//! 1 000 customers with a phone, one stage: the due date) and sends each
//! its reminder through the local outbox.
//!
//! The run goes through the counting table, and its calls on the table
//! port are printed in all and per invoice; then the time of the run, its
//! rate, and the cost of a run that finds nothing due. A run consumes
//! what it finds, so it is timed once, not sampled by criterion.
//!
//! `cargo bench -p hisaab --features local --bench reminders`;
//! `HISAAB_BENCH_INVOICES` sets the number of due invoices (default 100 000).

mod common;

use common::{env, owner, row};
use hisaab::clock::Clock;
use hisaab::ledger::customers::NewCustomer;
use hisaab::ledger::invoices::{LineInput, NewInvoice};
use hisaab::ledger::settings::SettingsPatch;
use hisaab::money::Quantity;
use hisaab::reminders::policy::ReminderPolicy;
use jiff::ToSpan;
use std::time::Instant;
use tokio::runtime::Runtime;

fn main() {
    let rt = Runtime::new().expect("tokio runtime");
    let n: usize = std::env::var("HISAAB_BENCH_INVOICES")
        .ok()
        .map(|v| v.parse().expect("HISAAB_BENCH_INVOICES: a number"))
        .unwrap_or(100_000);
    let e = env();
    let app = &e.app;
    let actor = &rt.block_on(owner(&e, "+919800000001", "Sharma Traders"));
    rt.block_on(app.update_settings(
        actor,
        SettingsPatch {
            reminders: Some(ReminderPolicy {
                enabled: true,
                stages: vec![0],
                ..Default::default()
            }),
            ..Default::default()
        },
    ))
    .expect("settings");
    let tz = jiff::tz::TimeZone::get("Asia/Kolkata").expect("tz");
    let today = app.clock.now().to_zoned_datetime(tz.clone()).date();
    let due = today.checked_add(1.days()).expect("date");
    let started = Instant::now();
    let customers: Vec<String> = (0..1000)
        .map(|i| {
            rt.block_on(app.create_customer(
                actor,
                NewCustomer {
                    name: format!("Customer {i:04}"),
                    phone: Some(format!("+9197{i:08}")),
                    ..Default::default()
                },
                None,
            ))
            .expect("customer")
            .0
            .id
        })
        .collect();
    for i in 0..n {
        rt.block_on(app.create_invoice(
            actor,
            NewInvoice {
                customer_id: customers[i % customers.len()].clone(),
                lines: vec![LineInput {
                    product_id: None,
                    description: Some("Basmati rice, 25 kg".into()),
                    hsn_sac: None,
                    unit: Some("bag".into()),
                    quantity: Quantity(1000),
                    unit_price: Some(180_000),
                    discount: None,
                    discount_rate_bp: None,
                    tax_rate_bp: Some(0),
                }],
                invoice_date: Some(today),
                due_date: Some(due),
                place_of_supply: None,
                notes: None,
                draft: false,
            },
            None,
        ))
        .expect("invoice");
    }
    eprintln!(
        "seeded 1000 customers and {n} invoices due on {due} in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // 10:00 IST on the due date: every invoice's stage is due.
    let at = due
        .at(10, 0, 0, 0)
        .to_zoned_datetime(tz)
        .expect("time")
        .timestamp();
    e.clock.advance(at.as_second() - e.clock.now().as_second());
    let sent_before = e.outbox.messages().expect("outbox").len();
    e.counting.take();
    let started = Instant::now();
    let report = rt.block_on(e.counted.run_reminders(None)).expect("run");
    let took = started.elapsed();
    let counts = e.counting.take();
    assert_eq!((report.due, report.sent), (n, n), "{report:?}");
    assert_eq!(
        e.outbox.messages().expect("outbox").len() - sent_before,
        n,
        "one SMS per invoice"
    );
    eprintln!(
        "{:<36} | GetItem | Query (items) | TransactWriteItems (writes) | other",
        "operation"
    );
    row(&format!("run_reminders, {n} due"), counts);
    let per = |x: u64| x as f64 / n as f64;
    eprintln!(
        "per invoice: {:.3} GetItem, {:.3} Query, {:.3} TransactWriteItems ({:.3} writes), {:.3} PutItem",
        per(counts.get),
        per(counts.query),
        per(counts.transact),
        per(counts.transact_writes),
        per(counts.put)
    );
    eprintln!(
        "run_reminders: {n} reminders in {:.1} s ({:.0} invoices/s)",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64()
    );
    let started = Instant::now();
    let idle = rt.block_on(e.counted.run_reminders(None)).expect("run");
    let took = started.elapsed();
    assert_eq!(idle.due, 0);
    row("run_reminders, nothing due", e.counting.take());
    eprintln!(
        "run_reminders with nothing due: {:.2} ms",
        took.as_secs_f64() * 1000.0
    );
}
