//! Delivery benchmarks on the real SQLite adapter, for a milk vendor with
//! 10 000 customers, one daily order each, and a year of daily delivery
//! records (3 650 000 records, seeded once through the same bulk marks the
//! API uses, untimed):
//! - `customer_month`: a customer's month, per order and in all (the
//!   vendor's view, `GET /v1/customers/{id}/months/{yyyy-mm}`);
//! - `order_month`: one order's month;
//! - `business_month`: the business's month across all customers, from its
//!   16 shard totals (`GET /v1/deliveries/months/{yyyy-mm}`);
//! - `bulk_mark_500`: the morning round, 500 orders marked for one date
//!   (each iteration marks 500 orders not yet marked that day).
//!
//! Before the timed runs each operation runs once through the counting
//! table and the calls it made on the table port are printed to stderr.
//!
//! `cargo bench -p hisaab --features local --bench deliveries`; `HISAAB_BENCH_CUSTOMERS`
//! and `HISAAB_BENCH_DAYS` set the size (default 10 000 and 365).

mod common;

use common::{env, owner, row};
use criterion::{Criterion, criterion_group, criterion_main};
use hisaab::Hisaab;
use hisaab::deliveries::orders::{NewOrder, month_of};
use hisaab::deliveries::records::{BulkMark, BulkMarks, BulkOutcome};
use hisaab::identity::Actor;
use hisaab::ledger::customers::NewCustomer;
use hisaab::money::Quantity;
use jiff::ToSpan;
use jiff::civil::Date;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

fn size(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .map(|v| v.parse().unwrap_or_else(|_| panic!("{var}: a number")))
        .unwrap_or(default)
}

fn today(app: &Hisaab) -> Date {
    app.clock
        .now()
        .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Kolkata").expect("tz"))
        .date()
}

/// `n` customers, each with a daily order of 1.5 litres at ₹56 from `from`.
async fn customers_with_orders(app: &Hisaab, actor: &Actor, n: usize, from: Date) -> Vec<String> {
    let mut orders = Vec::with_capacity(n);
    for i in 0..n {
        let (c, _) = app
            .create_customer(
                actor,
                NewCustomer {
                    name: format!("Household {i:05}"),
                    ..Default::default()
                },
                None,
            )
            .await
            .expect("customer");
        let (o, _) = app
            .create_order(
                actor,
                NewOrder {
                    customer_id: Some(c.id),
                    item: Some("Cow milk".into()),
                    unit: Some("litre".into()),
                    quantity: Quantity(1500),
                    rate: Some(5600),
                    tax_rate_bp: Some(0),
                    valid_from: Some(from),
                    ..Default::default()
                },
                None,
            )
            .await
            .expect("order");
        orders.push(o.id);
    }
    orders
}

/// A default mark (delivered, the order's quantity) for each order.
fn marks(orders: &[String]) -> Vec<BulkMark> {
    orders
        .iter()
        .map(|id| BulkMark {
            order_id: id.clone(),
            status: None,
            quantity: None,
            extra: false,
        })
        .collect()
}

/// Marks every order on `date`, 500 per bulk call (every 7th skipped).
async fn round(app: &Hisaab, actor: &Actor, orders: &[String], date: Date) -> Vec<BulkOutcome> {
    let mut out = vec![];
    for chunk in orders.chunks(500) {
        let mut items = marks(chunk);
        for m in items.iter_mut().skip(3).step_by(7) {
            m.status = Some(hisaab::deliveries::records::DeliveryStatus::Skipped);
        }
        let o = app
            .mark_deliveries(actor, BulkMarks { date, items })
            .await
            .expect("bulk");
        assert_eq!(o.failed, 0, "seed marks fail: {:?}", o.results.first());
        out.push(o);
    }
    out
}

fn deliveries(c: &mut Criterion) {
    let rt = Runtime::new().expect("tokio runtime");
    let customers = size("HISAAB_BENCH_CUSTOMERS", 10_000);
    let days = size("HISAAB_BENCH_DAYS", 365);
    // Dropped at the end, which deletes the database (about 15 GB at the
    // default size).
    let e = env();
    let app = &e.app;
    let actor = &rt.block_on(owner(&e, "+919800000001", "Gokul Dairy"));
    let t0 = today(app);
    let first = t0.checked_sub((days as i64 - 1).days()).expect("date");
    let started = Instant::now();
    let orders = &rt.block_on(customers_with_orders(app, actor, customers, first));
    let setup = started.elapsed();
    let started = Instant::now();
    let mut d = first;
    while d < t0 {
        rt.block_on(round(app, actor, orders, d));
        d = d.tomorrow().expect("date");
    }
    eprintln!(
        "seeded {customers} customers and orders in {:.1} s; {} delivery records ({} days) in {:.1} s",
        setup.as_secs_f64(),
        customers * (days - 1),
        days - 1,
        started.elapsed().as_secs_f64()
    );

    // A customer's month in the middle of the year.
    let mid = first.checked_add((days as i64 / 2).days()).expect("date");
    let month = month_of(mid);
    let counted = &e.counted;
    let order = &orders[customers / 2];
    let customer = rt
        .block_on(app.get_order(actor, order))
        .expect("order")
        .customer_id;
    let one = rt
        .block_on(counted.customer_month(actor, &customer, &month))
        .expect("month");
    assert!(one.amount > 0, "the month has deliveries");
    eprintln!(
        "{:<36} | GetItem | Query (items) | TransactWriteItems (writes) | other",
        "operation"
    );
    e.counting.take();
    rt.block_on(counted.customer_month(actor, &customer, &month))
        .expect("month");
    row("customer_month", e.counting.take());
    rt.block_on(counted.order_month(actor, order, &month))
        .expect("order month");
    row("order_month", e.counting.take());
    let whole = rt
        .block_on(counted.business_month(actor, &month))
        .expect("business month");
    assert_eq!(
        whole.delivered + whole.skipped,
        customers as i64 * whole.days.len() as i64,
        "every record of the month counted once"
    );
    row("business_month", e.counting.take());
    // The morning round of today, through the counting table.
    let outcome = rt.block_on(async {
        let items = marks(&orders[..500]);
        counted
            .mark_deliveries(actor, BulkMarks { date: t0, items })
            .await
            .expect("bulk")
    });
    assert_eq!(outcome.marked, 500);
    row("bulk_mark_500", e.counting.take());

    c.bench_function("customer_month", |b| {
        b.to_async(&rt).iter(|| async {
            app.customer_month(actor, &customer, &month)
                .await
                .expect("month")
        })
    });
    c.bench_function("business_month", |b| {
        b.to_async(&rt).iter(|| async {
            app.business_month(actor, &month)
                .await
                .expect("business month")
        })
    });
    c.bench_function("order_month", |b| {
        b.to_async(&rt)
            .iter(|| async { app.order_month(actor, order, &month).await.expect("month") })
    });
    // Each iteration marks the next 500 orders not yet marked on the
    // current day; once every order is marked the clock moves a day on.
    let blocks = customers / 500;
    let mut next = 1usize; // block 0 of today was marked above
    let mut day = t0;
    c.bench_function("bulk_mark_500", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                if next == blocks {
                    next = 0;
                    e.clock.advance(24 * 3600);
                    day = day.tomorrow().expect("date");
                }
                let items = marks(&orders[next * 500..(next + 1) * 500]);
                let started = Instant::now();
                let o = rt
                    .block_on(app.mark_deliveries(actor, BulkMarks { date: day, items }))
                    .expect("bulk");
                total += started.elapsed();
                assert_eq!(o.marked, 500);
                next += 1;
            }
            total
        })
    });
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = benches;
    config = config();
    targets = deliveries
}
criterion_main!(benches);
