//! Billing benchmarks on the real SQLite adapter (a file in a temporary
//! directory, as `hisaab serve` uses):
//! - `create_invoice`: an issued 3-line invoice (a catalogue product and two
//!   free lines with tax and a discount) for an existing customer;
//! - `create_invoice_tracked`: the same with the product line's product
//!   keeping stock (the sale moves stock in the same transaction);
//! - `pay_invoice`: a small part payment on an invoice with a large balance;
//! - `pay_customer`: a customer payment that settles the customer's 3 oldest
//!   of 4 open invoices (a fresh customer per iteration, set up untimed);
//! - `dashboard_100k`: the dashboard for one year of a business with 100 000
//!   invoices over 365 days (seeded once, untimed).
//!
//! Before the timed runs each operation runs once through [`CountingTable`]
//! and the calls it made on the table port are printed to stderr.
//!
//! `cargo bench -p hisaab --features local --bench billing`; `HISAAB_BENCH_INVOICES` sets the
//! size of the big business (default 100 000).

mod common;

use common::{customer, env, owner, row};
use criterion::{Criterion, criterion_group, criterion_main};
use hisaab::Hisaab;
use hisaab::identity::Actor;
use hisaab::ledger::catalogue::NewProduct;
use hisaab::ledger::invoices::PaymentMethod;
use hisaab::ledger::invoices::{
    CancelInvoice, Invoice, InvoiceFilter, LineInput, MAX_PAGE, NewInvoice,
};
use hisaab::ledger::payments::{NewPayment, VoidPayment};
use hisaab::ledger::reports::ReportRange;
use hisaab::money::Quantity;
use jiff::ToSpan;
use jiff::civil::Date;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

async fn product(app: &Hisaab, actor: &Actor) -> String {
    product_of(app, actor, false).await
}

/// A catalogue product; `tracked`: it keeps stock (10 crore kg opening
/// stock at ₹95 a kg, so that no run sells out).
async fn product_of(app: &Hisaab, actor: &Actor, tracked: bool) -> String {
    let (p, _) = app
        .create_product(
            actor,
            NewProduct {
                name: if tracked {
                    "Sona masoori rice"
                } else {
                    "Basmati rice"
                }
                .into(),
                unit: Some("kg".into()),
                unit_price: 12_000,
                tax_rate_bp: Some(500),
                hsn_sac: Some("1006".into()),
                category_id: None,
                description: None,
                track_stock: tracked,
                opening_quantity: tracked.then_some(Quantity(100_000_000_000)),
                opening_cost: tracked.then_some(9_500),
                low_stock_threshold: None,
                reorder_quantity: None,
            },
            None,
        )
        .await
        .expect("product");
    p.id
}

/// An issued invoice of three lines: 2.5 kg of the catalogue product, and
/// two free lines with GST and a discount (an amount, then a rate).
fn three_lines(customer_id: &str, product_id: &str, invoice_date: Option<Date>) -> NewInvoice {
    let free = |description: &str, hsn: &str, price: i64, tax: i64| LineInput {
        product_id: None,
        description: Some(description.into()),
        hsn_sac: Some(hsn.into()),
        unit: Some("job".into()),
        quantity: Quantity(1000),
        unit_price: Some(price),
        discount: None,
        discount_rate_bp: None,
        tax_rate_bp: Some(tax),
    };
    NewInvoice {
        customer_id: customer_id.into(),
        lines: vec![
            LineInput {
                product_id: Some(product_id.into()),
                description: None,
                hsn_sac: None,
                unit: None,
                quantity: Quantity(2500),
                unit_price: None,
                discount: None,
                discount_rate_bp: None,
                tax_rate_bp: None,
            },
            LineInput {
                discount: Some(1_500),
                ..free("Packing and handling", "998541", 15_000, 1800)
            },
            LineInput {
                discount_rate_bp: Some(500),
                ..free("Transport to Vashi", "996511", 50_000, 1200)
            },
        ],
        invoice_date,
        due_date: None,
        place_of_supply: None,
        notes: None,
        draft: false,
    }
}

async fn create(app: &Hisaab, actor: &Actor, input: NewInvoice) -> Invoice {
    app.create_invoice(actor, input, None)
        .await
        .expect("create invoice")
        .0
}

/// An issued invoice for ₹50 crore (5 × 10^10 paise), with room for a
/// million small payments.
fn large(customer_id: &str) -> NewInvoice {
    NewInvoice {
        customer_id: customer_id.into(),
        lines: vec![LineInput {
            product_id: None,
            description: Some("Annual supply contract".into()),
            hsn_sac: None,
            unit: Some("lot".into()),
            quantity: Quantity(50_000),
            unit_price: Some(1_000_000_000),
            discount: None,
            discount_rate_bp: None,
            tax_rate_bp: Some(0),
        }],
        invoice_date: None,
        due_date: None,
        place_of_supply: None,
        notes: None,
        draft: false,
    }
}

fn payment(amount: i64, date: Option<Date>) -> NewPayment {
    NewPayment {
        amount,
        date,
        method: PaymentMethod::Upi,
        reference: Some("UTR 4021 7788 1234".into()),
        notes: None,
    }
}

fn days_before(d: Date, n: i64) -> Date {
    d.checked_sub(n.days()).expect("date")
}

/// A new customer with 4 open invoices dated 3, 2, 1 and 0 days ago; returns
/// the customer and the total of the 3 oldest.
async fn customer_with_open_invoices(
    app: &Hisaab,
    actor: &Actor,
    product_id: &str,
    today: Date,
    n: u64,
) -> (String, i64) {
    let cid = customer(app, actor, format!("Walk-in {n}")).await;
    let mut oldest3 = 0;
    for ago in (0..4).rev() {
        let d = days_before(today, ago);
        let inv = create(app, actor, three_lines(&cid, product_id, Some(d))).await;
        if ago > 0 {
            oldest3 += inv.balance_due;
        }
    }
    (cid, oldest3)
}

/// Seeds the big business: `n` issued invoices over the last 365 days for
/// 500 customers; a quarter of them paid in full, a quarter in part, on
/// their invoice date. Returns the time the invoices and the payments took.
async fn seed(app: &Hisaab, actor: &Actor, today: Date, n: usize) -> (Duration, Duration) {
    let prd = product(app, actor).await;
    let mut customers = vec![];
    for i in 0..500 {
        customers.push(customer(app, actor, format!("Customer {i:03}")).await);
    }
    let t = Instant::now();
    let mut to_pay = vec![];
    for i in 0..n {
        let date = days_before(today, (i % 365) as i64);
        let mut input = three_lines(&customers[i % customers.len()], &prd, Some(date));
        input.lines[0].quantity = Quantity(1000 + (i % 50) as i64 * 100);
        let inv = create(app, actor, input).await;
        match i % 4 {
            0 => to_pay.push((inv.id, inv.balance_due, date)),
            1 => to_pay.push((inv.id, inv.balance_due / 2, date)),
            _ => {}
        }
        if (i + 1) % 10_000 == 0 {
            eprintln!("  seeded {} invoices in {:.1?}", i + 1, t.elapsed());
        }
    }
    let invoices = t.elapsed();
    let t = Instant::now();
    for (id, amount, date) in to_pay {
        app.pay_invoice(actor, &id, payment(amount, Some(date)), None)
            .await
            .expect("seed payment");
    }
    (invoices, t.elapsed())
}

fn billing(c: &mut Criterion) {
    let rt = Runtime::new().expect("tokio runtime");
    let n: usize = std::env::var("HISAAB_BENCH_INVOICES")
        .ok()
        .map(|v| v.parse().expect("HISAAB_BENCH_INVOICES: a number"))
        .unwrap_or(100_000);
    let e = env();
    let app = &e.app;

    // The big business, seeded once.
    let big = rt.block_on(owner(&e, "+919800000001", "Big Traders"));
    let today = rt.block_on(async {
        let s = app.business_settings(big.business_id().unwrap()).await;
        s.expect("settings").today(app.clock.now())
    });
    eprintln!("seeding {n} invoices (and {} payments)...", n / 2);
    let (t_inv, t_pay) = rt.block_on(seed(app, &big, today, n));
    eprintln!(
        "seeded {n} invoices in {t_inv:.1?} ({:.0} a second) and {} payments in {t_pay:.1?}",
        n as f64 / t_inv.as_secs_f64(),
        n / 2
    );
    let year = ReportRange {
        from: Some(days_before(today, 364)),
        to: Some(today),
        ..Default::default()
    };

    // The business of the write benchmarks.
    let actor = rt.block_on(owner(&e, "+919800000002", "Asha Traders"));
    let (prd, tracked, cid, big_invoice) = rt.block_on(async {
        let prd = product(app, &actor).await;
        let tracked = product_of(app, &actor, true).await;
        let cid = customer(app, &actor, "Mehta Kirana".into()).await;
        let big_invoice = create(app, &actor, large(&cid)).await.id;
        (prd, tracked, cid, big_invoice)
    });

    // Table calls of one run of each operation.
    let counting = &e.counting;
    let counted = &e.counted;
    eprintln!();
    eprintln!(
        "{:<36} | GetItem | Query (items) | TransactWriteItems (writes) | other",
        "operation"
    );
    eprintln!("{}", "-".repeat(102));
    rt.block_on(async {
        counting.take();
        let inv = create(counted, &actor, three_lines(&cid, &prd, None)).await;
        row("create_invoice", counting.take());
        let sold = create(counted, &actor, three_lines(&cid, &tracked, None)).await;
        row("create_invoice (a stock-tracked line)", counting.take());
        assert_eq!(sold.cost_of_goods, Some(23_750));
        counted
            .cancel_invoice(&actor, &sold.id, CancelInvoice::default())
            .await
            .expect("cancel");
        row("cancel_invoice (a stock-tracked line)", counting.take());

        let (pay, _) = counted
            .pay_invoice(&actor, &inv.id, payment(50_000, None), None)
            .await
            .expect("pay invoice");
        row("pay_invoice", counting.take());

        let (c3, amount) = customer_with_open_invoices(app, &actor, &prd, today, 0).await;
        counting.take();
        let (pay3, _) = counted
            .pay_customer(&actor, &c3, payment(amount, None), None)
            .await
            .expect("pay customer");
        assert_eq!(pay3.allocations.len(), 3);
        assert_eq!(pay3.advance, 0);
        row("pay_customer (3 of 4 open invoices)", counting.take());

        let void = || VoidPayment {
            reason: "cheque bounced".into(),
        };
        counted
            .void_payment(&actor, &pay.id, void())
            .await
            .expect("void");
        row("void_payment (1 invoice)", counting.take());
        counted
            .void_payment(&actor, &pay3.id, void())
            .await
            .expect("void");
        row("void_payment (3 invoices)", counting.take());

        let to_cancel = create(app, &actor, three_lines(&cid, &prd, None)).await;
        counting.take();
        counted
            .cancel_invoice(&actor, &to_cancel.id, CancelInvoice::default())
            .await
            .expect("cancel");
        row("cancel_invoice", counting.take());

        counted.get_invoice(&actor, &inv.id).await.expect("get");
        row("get_invoice (1 payment, voided)", counting.take());

        let page = counted
            .list_invoices(&big, InvoiceFilter::default(), MAX_PAGE)
            .await
            .expect("list");
        assert_eq!(page.items.len(), 50);
        row("list_invoices (default, big)", counting.take());

        let d = counted
            .dashboard(&big, year.clone())
            .await
            .expect("dashboard");
        row(
            &format!("dashboard (1 year, {n} invoices)"),
            counting.take(),
        );
        eprintln!(
            "  dashboard: {} invoices, revenue {} paise, received {} paise, pending {} paise",
            d.invoice_count, d.revenue, d.received, d.pending
        );

        counted.aging_report(&big).await.expect("aging");
        row("aging_report (big)", counting.take());
    });
    eprintln!();

    // Timed runs, on the plain SQLite table.
    let rt = &rt;
    let (actor, cid, prd, big) = (&actor, &cid, &prd, &big);
    let tracked_input = &three_lines(cid, &tracked, None);
    let (big_invoice, year) = (&big_invoice, &year);
    let input = &three_lines(cid, prd, None);
    c.bench_function("create_invoice", |b| {
        b.to_async(rt)
            .iter(|| async move { create(app, actor, input.clone()).await })
    });
    c.bench_function("create_invoice_tracked", |b| {
        b.to_async(rt)
            .iter(|| async move { create(app, actor, tracked_input.clone()).await })
    });
    c.bench_function("pay_invoice", |b| {
        b.to_async(rt).iter(|| async move {
            app.pay_invoice(actor, big_invoice, payment(50_000, None), None)
                .await
                .expect("pay invoice")
        })
    });
    let made = std::sync::atomic::AtomicU64::new(1);
    c.bench_function("pay_customer", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let made = &made;
            async move {
                let mut todo = Vec::with_capacity(iters as usize);
                for _ in 0..iters {
                    let k = made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    todo.push(customer_with_open_invoices(app, actor, prd, today, k).await);
                }
                let start = Instant::now();
                for (cust, amount) in todo {
                    let (p, _) = app
                        .pay_customer(actor, &cust, payment(amount, None), None)
                        .await
                        .expect("pay customer");
                    assert_eq!(p.allocations.len(), 3);
                }
                start.elapsed()
            }
        })
    });
    let name = if n == 100_000 {
        "dashboard_100k".to_string()
    } else {
        format!("dashboard_{n}")
    };
    c.bench_function(&name, |b| {
        b.to_async(rt)
            .iter(|| async move { app.dashboard(big, year.clone()).await.expect("dashboard") })
    });
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = benches;
    config = config();
    targets = billing
}
criterion_main!(benches);
