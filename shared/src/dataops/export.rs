//! Export: the items of one business (key queries only) or of the whole
//! platform (a parallel Scan), streamed to a sink one item at a time, so
//! that memory does not grow with the data.

use super::{Kind, kind_of, text};
use crate::keys;
use crate::table::{Item, Page, Query, Scan, Table, TableError};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Whose items an export reads.
#[derive(Clone, Debug)]
pub enum Scope {
    /// One business (`biz_…`): only its partitions, found through its
    /// own items and indexes — key queries and gets, never a Scan.
    Business(String),
    /// Every item of the platform: a parallel Scan of the whole table in
    /// `segments` segments (1 to 64; the SQLite file reads in one).
    Platform {
        /// Segments read at once.
        segments: u32,
    },
}

/// Where exported items go, one at a time. An error stops the export.
pub type Sink<'a> = dyn FnMut(&Item) -> anyhow::Result<()> + Send + 'a;

/// How many items an export wrote, per kind.
#[derive(Clone, Debug, Default, serde::Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Items written.
    pub items: u64,
    /// Items written per kind (`customers` → 3, …).
    pub kinds: std::collections::BTreeMap<String, u64>,
}

/// Exports the items of `scope` whose kind is `kind` (every kind for
/// `None`) to `sink`, in the order they are read. Never-exported items
/// (sessions, OTPs, idempotent answers, upload slots) are left out.
///
/// Errors: the table's, or the sink's.
pub async fn export(
    table: Arc<dyn Table>,
    scope: &Scope,
    kind: Option<Kind>,
    sink: &mut Sink<'_>,
) -> anyhow::Result<Counts> {
    let mut counts = Counts::default();
    let mut emit = |item: &Item| -> anyhow::Result<()> {
        let Some(k) = kind_of(item) else {
            return Ok(());
        };
        if kind.is_some_and(|want| want != k) {
            return Ok(());
        }
        counts.items += 1;
        *counts.kinds.entry(k.as_str().to_string()).or_default() += 1;
        sink(item)
    };
    match scope {
        Scope::Business(bid) => business(table.as_ref(), bid, kind, &mut emit).await?,
        Scope::Platform { segments } => platform(table, *segments, &mut emit).await?,
    }
    Ok(counts)
}

/// Every page of a query, item by item.
async fn each(
    table: &dyn Table,
    mut q: Query,
    f: &mut (dyn FnMut(&Item) -> anyhow::Result<()> + Send + '_),
) -> anyhow::Result<()> {
    q.limit = 1000;
    loop {
        let Page { items, last_key } = table.query(&q).await?;
        for i in &items {
            f(i)?;
        }
        match last_key {
            Some(k) => q.start = Some(k),
            None => return Ok(()),
        }
    }
}

/// Every item of one partition of the table.
async fn partition(
    table: &dyn Table,
    pk: &str,
    f: &mut (dyn FnMut(&Item) -> anyhow::Result<()> + Send + '_),
) -> anyhow::Result<()> {
    each(table, Query::on(keys::table_partition(pk)), f).await
}

async fn one(
    table: &dyn Table,
    key: &crate::table::Key,
    f: &mut (dyn FnMut(&Item) -> anyhow::Result<()> + Send + '_),
) -> anyhow::Result<()> {
    if let Some(item) = table.get(key).await? {
        f(&item)?;
    }
    Ok(())
}

/// The partitions of one business, read through its own items. `kind`
/// skips the partitions that cannot hold items of that kind.
async fn business(
    table: &dyn Table,
    bid: &str,
    kind: Option<Kind>,
    emit: &mut (dyn FnMut(&Item) -> anyhow::Result<()> + Send + '_),
) -> anyhow::Result<()> {
    let wants = |ks: &[Kind]| kind.is_none_or(|k| ks.contains(&k));
    if table.get(&keys::business(bid)).await?.is_none() {
        anyhow::bail!("there is no business {bid}");
    }
    // The business partition: profile, settings, members, customers,
    // products, categories, phone lookups, templates, digest marks,
    // suppliers and receipts.
    let mut customers: Vec<(String, Option<String>)> = Vec::new();
    let mut members: Vec<String> = Vec::new();
    let mut companies: BTreeSet<String> = BTreeSet::new();
    partition(table, &keys::business_partition(bid).pk, &mut |i| {
        match text(i, "entity") {
            Some("customer") => {
                customers.push((
                    text(i, "id").unwrap_or_default().to_string(),
                    text(i, "phone").map(str::to_owned),
                ));
                if let Some(co) = text(i, "company_id") {
                    companies.insert(co.to_string());
                }
            }
            Some("member") => {
                if let Some(u) = text(i, "user_id") {
                    members.push(u.to_string());
                }
            }
            _ => {}
        }
        emit(i)
    })
    .await?;
    if wants(&[Kind::Customers]) {
        for (cid, phone) in &customers {
            if let Some(p) = phone {
                one(table, &keys::customer_link(p, bid, cid), emit).await?;
            }
        }
    }
    if wants(&[Kind::Users]) {
        for uid in &members {
            let Some(user) = table.get(&keys::user(uid)).await? else {
                continue;
            };
            emit(&user)?;
            if let Some(p) = text(&user, "phone") {
                one(table, &keys::unique_phone(p), emit).await?;
            }
            if let Some(m) = text(&user, "email") {
                one(table, &keys::unique_email(&m.to_lowercase()), emit).await?;
            }
        }
    }
    if wants(&[Kind::Categories]) {
        partition(table, &keys::unique_category_name(bid, "").pk, emit).await?;
    }
    if wants(&[Kind::Stock]) {
        partition(table, &keys::stock_partition(bid).pk, emit).await?;
    }
    if wants(&[Kind::Invoices, Kind::Notifications]) {
        partition(table, &keys::invoice_numbers(bid).pk, emit).await?;
        let mut invoices = Vec::new();
        each(table, Query::on(keys::invoices_by_date(bid)), &mut |i| {
            invoices.push(text(i, "id").unwrap_or_default().to_string());
            Ok(())
        })
        .await?;
        for iid in invoices {
            partition(table, &keys::invoice_partition(bid, &iid).pk, emit).await?;
        }
        partition(table, &keys::business_notification(bid, "").pk, emit).await?;
    }
    if wants(&[Kind::Payments]) {
        for (cid, _) in &customers {
            let mut payments = Vec::new();
            each(
                table,
                Query::on(keys::customer_payments(bid, cid)),
                &mut |i| {
                    payments.push(text(i, "PK").unwrap_or_default().to_string());
                    Ok(())
                },
            )
            .await?;
            for pk in payments {
                partition(table, &pk, emit).await?;
            }
        }
    }
    if wants(&[Kind::Aggregates]) {
        partition(table, &keys::stats_partition(bid).pk, emit).await?;
    }
    // Orders hold their delivery records and comments; the months they
    // touch name the month partitions.
    let mut months: BTreeSet<String> = BTreeSet::new();
    let mut customer_months: BTreeSet<(String, String)> = BTreeSet::new();
    if wants(&[
        Kind::Orders,
        Kind::Deliveries,
        Kind::Comments,
        Kind::Aggregates,
    ]) {
        let mut orders = Vec::new();
        each(table, Query::on(keys::orders_by_business(bid)), &mut |i| {
            orders.push(text(i, "id").unwrap_or_default().to_string());
            Ok(())
        })
        .await?;
        for oid in orders {
            partition(table, &keys::order_partition(&oid).pk, &mut |i| {
                if text(i, "entity") == Some("delivery")
                    && let (Some(c), Some(d)) = (text(i, "customer_id"), text(i, "date"))
                    && d.len() >= 7
                {
                    months.insert(d[..7].to_string());
                    customer_months.insert((c.to_string(), d[..7].to_string()));
                }
                emit(i)
            })
            .await?;
        }
    }
    if wants(&[Kind::Aggregates]) {
        for m in &months {
            partition(table, &keys::business_month_partition(bid, m).pk, emit).await?;
        }
        for (c, m) in &customer_months {
            partition(table, &keys::customer_month_partition(bid, c, m).pk, emit).await?;
        }
    }
    if wants(&[Kind::Reports]) {
        let mut reports = Vec::new();
        each(table, Query::on(keys::reports_by_reporter(bid)), &mut |i| {
            reports.push(i.clone());
            Ok(())
        })
        .await?;
        for r in reports {
            let Some(rid) = text(&r, "id") else { continue };
            if let Some(co) = text(&r, "company_id") {
                companies.insert(co.to_string());
            }
            partition(table, &keys::report(rid).pk, emit).await?;
            if let Ok(report) = crate::app::from_item::<crate::registry::reports::Report>(r.clone())
            {
                for (key, _) in report.claims() {
                    one(table, &key, emit).await?;
                }
                if let Some(p) = &report.debtor_phone {
                    one(table, &keys::report_about_phone(p, rid), emit).await?;
                }
            }
        }
    }
    // The registry companies of its customers and reports (shared with
    // other businesses: an import into a store that has them leaves them
    // alone), with their identities, search words, listings and audit.
    if wants(&[Kind::Companies, Kind::Audit]) {
        for co in &companies {
            let mut profile = None;
            partition(table, &keys::company_partition(co).pk, &mut |i| {
                if text(i, "entity") == Some("company") {
                    profile = Some(i.clone());
                }
                emit(i)
            })
            .await?;
            if let Some(c) = profile {
                for (kind, attr) in [("GSTIN", "gstin"), ("PAN", "pan"), ("PHONE", "phone")] {
                    if let Some(v) = text(&c, attr) {
                        one(table, &keys::company_identity(kind, v), emit).await?;
                    }
                }
                for word in crate::companies::name_words(text(&c, "name_key").unwrap_or_default()) {
                    one(table, &keys::company_word(&word, co), emit).await?;
                }
            }
            partition(table, &keys::audit_target(co).pk, emit).await?;
        }
    }
    if wants(&[Kind::Audit]) {
        partition(table, &keys::audit_target(bid).pk, emit).await?;
    }
    Ok(())
}

/// The whole table, read by `segments` parallel Scans; the items reach
/// `emit` from one task, through a bounded channel.
async fn platform(
    table: Arc<dyn Table>,
    segments: u32,
    emit: &mut (dyn FnMut(&Item) -> anyhow::Result<()> + Send + '_),
) -> anyhow::Result<()> {
    let segments = segments.clamp(1, 64);
    let (tx, mut rx) =
        tokio::sync::mpsc::channel::<Result<Vec<Item>, TableError>>(segments as usize * 2);
    let mut tasks = Vec::new();
    for segment in 0..segments {
        let (table, tx) = (table.clone(), tx.clone());
        tasks.push(tokio::spawn(async move {
            let mut scan = Scan {
                segment,
                segments,
                limit: 1000,
                start: None,
            };
            loop {
                match table.scan(&scan).await {
                    Ok(Page { items, last_key }) => {
                        if tx.send(Ok(items)).await.is_err() {
                            return;
                        }
                        match last_key {
                            Some(k) => scan.start = Some(k),
                            None => return,
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                }
            }
        }));
    }
    drop(tx);
    let mut result = Ok(());
    while let Some(page) = rx.recv().await {
        match page {
            Ok(items) => {
                if let Err(e) = items.iter().try_for_each(&mut *emit) {
                    result = Err(e);
                    break;
                }
            }
            Err(e) => {
                result = Err(e.into());
                break;
            }
        }
    }
    drop(rx);
    for t in tasks {
        let _ = t.await;
    }
    result
}

/// The columns of the CSV form of the kinds that have one: the main
/// entity's plain fields (other items of the kind, such as an invoice's
/// history, are left out of a CSV).
pub fn csv_columns(kind: Kind) -> Option<(&'static str, &'static [&'static str])> {
    Some(match kind {
        Kind::Customers => (
            "customer",
            &[
                "id",
                "name",
                "phone",
                "email",
                "gstin",
                "pan",
                "address",
                "business_type",
                "balance",
                "status",
                "created_at",
                "updated_at",
            ],
        ),
        Kind::Products => (
            "product",
            &[
                "id",
                "name",
                "unit",
                "unit_price",
                "tax_rate_bp",
                "hsn_sac",
                "category_id",
                "active",
                "track_stock",
                "on_hand",
                "average_cost",
                "stock_value",
                "created_at",
            ],
        ),
        Kind::Categories => ("category", &["id", "name", "created_at"]),
        Kind::Invoices => (
            "invoice",
            &[
                "id",
                "number",
                "customer_id",
                "customer_name",
                "invoice_date",
                "due_date",
                "status",
                "subtotal",
                "discount_total",
                "tax_total",
                "total",
                "amount_paid",
                "balance_due",
                "created_at",
            ],
        ),
        Kind::Payments => (
            "payment",
            &[
                "id",
                "customer_id",
                "invoice_id",
                "amount",
                "advance",
                "date",
                "method",
                "reference",
                "status",
                "created_at",
            ],
        ),
        Kind::Orders => (
            "order",
            &[
                "id",
                "customer_id",
                "customer_name",
                "order_type",
                "item",
                "unit",
                "quantity",
                "rate",
                "valid_from",
                "valid_till",
                "status",
                "created_at",
            ],
        ),
        Kind::Deliveries => (
            "delivery",
            &[
                "id",
                "order_id",
                "customer_id",
                "date",
                "status",
                "item",
                "unit",
                "quantity",
                "rate",
                "amount",
                "extra",
                "marked_at",
            ],
        ),
        Kind::Reports => (
            "report",
            &[
                "id",
                "company_id",
                "company_name",
                "reporter_business_id",
                "amount_paise",
                "invoice_date",
                "status",
                "payment_status",
                "created_at",
            ],
        ),
        Kind::Users => (
            "user",
            &[
                "id",
                "name",
                "phone",
                "email",
                "role",
                "status",
                "business_id",
                "created_at",
            ],
        ),
        Kind::Audit => (
            "audit",
            &[
                "id",
                "at",
                "actor_id",
                "actor_role",
                "action",
                "target_type",
                "target_id",
                "note",
            ],
        ),
        _ => return None,
    })
}

/// One CSV record of an item, or `None` when the item is not the kind's
/// main entity. Text and numbers as they are; other values as JSON.
pub fn csv_record(entity: &str, columns: &[&str], item: &Item) -> Option<Vec<String>> {
    if text(item, "entity") != Some(entity) {
        return None;
    }
    Some(
        columns
            .iter()
            .map(|c| match item.get(*c) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(v) => v.to_string(),
            })
            .collect(),
    )
}
