//! The business dashboard and reports, read from the maintained
//! aggregates (see `aggregates`): a date range costs one query of the day
//! aggregates (a page per 1000 days), the aging table one item read and one
//! query of the due-date aggregates, the top debtors one query of a sparse
//! index. Nothing scans invoices.
//!
//! Dates are civil dates in the business's time zone; `overdue` and the
//! aging buckets are as of today there. Amounts are paise in JSON and
//! decimals of the currency (`1040.00`) in CSV.

use crate::app::{Hisaab, from_item};
use crate::error::{Error, Errors, Result};
use crate::identity::Actor;
use crate::keys;
use crate::ledger::customers::Customer;
use crate::ledger::invoices::InvoiceStatus;
use crate::ledger::settings::Settings;
use crate::money::{Currency, decimal_amount};
use crate::table::{Item, Query};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Longest range of a report: 1096 days (three years).
pub const MAX_RANGE_DAYS: i32 = 1096;
/// Customers in the dashboard's top-debtors list.
pub const TOP_CUSTOMERS: usize = 10;

/// `from`/`to` (and `format`) of a report.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportRange {
    /// First day (default: the first of this month).
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// Last day (default: today); at most 1096 days after `from`.
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<Date>,
    /// `day` (default) or `month` (sales report only).
    #[serde(default)]
    pub interval: Option<String>,
    /// `json` (default) or `csv`.
    #[serde(default)]
    pub format: Option<String>,
}

/// Parameters of `GET /v1/reports/top-customers`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TopCustomersQuery {
    /// How many, 1–100 (default 10).
    #[param(minimum = 1, maximum = 100)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// `json` (default) or `csv`.
    #[serde(default)]
    pub format: Option<String>,
}

/// Count and amounts of the invoices with one status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StatusFigure {
    /// The status (as of today).
    pub status: InvoiceStatus,
    /// Invoices.
    pub count: i64,
    /// Their totals (paise).
    pub amount: i64,
    /// What is left to pay on them (paise).
    pub balance: i64,
}

/// Sales of one day or month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SalesPoint {
    /// `YYYY-MM-DD` or `YYYY-MM`.
    pub period: String,
    /// Totals of the invoices dated in the period (issued, not cancelled).
    pub invoiced: i64,
    /// Number of those invoices.
    pub invoices: i64,
    /// Payments received in the period (voided ones excluded).
    pub received: i64,
    /// Number of those payments.
    pub payments: i64,
    /// Cost of goods sold on those invoices' stock-tracked lines (paise).
    #[serde(default)]
    pub cost_of_goods: i64,
    /// Taxable amount of those lines minus their cost of goods (paise).
    #[serde(default)]
    pub gross_margin: i64,
    /// Purchase receipts dated in the period (paise).
    #[serde(default)]
    pub purchased: i64,
}

/// One row of the aging table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AgingBucket {
    /// `current`, `1-30`, `31-60`, `61-90`, `90+` (days past due).
    pub bucket: String,
    /// Open invoices in it.
    pub count: i64,
    /// Their balance due (paise).
    pub amount: i64,
}

/// The receivables by days past due, as of today.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Aging {
    /// The day it is computed for.
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    /// Five rows, `current` first.
    pub buckets: Vec<AgingBucket>,
    /// All open invoices.
    pub total_count: i64,
    /// All that is owed on them (paise).
    pub total_amount: i64,
}

/// A customer who owes money.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TopCustomer {
    /// The customer.
    pub customer_id: String,
    /// Name.
    pub name: String,
    /// Phone (E.164).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Running balance (paise, more than 0).
    pub balance: i64,
}

/// `GET /v1/reports/dashboard`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Dashboard {
    /// First day of the range.
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    /// Last day of the range.
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    /// Today in the business's time zone (overdue is as of this day).
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    /// ISO 4217 code of every amount.
    pub currency: String,
    /// Invoiced: totals of the invoices dated in the range (issued, not cancelled).
    pub revenue: i64,
    /// Received: payments dated in the range.
    pub received: i64,
    /// Pending: what is still owed on the invoices dated in the range.
    pub pending: i64,
    /// Overdue: the part of `pending` past its due date.
    pub overdue: i64,
    /// Invoices dated in the range (issued, not cancelled).
    pub invoice_count: i64,
    /// Invoices dated in the range by status (every status, zeros included).
    pub by_status: Vec<StatusFigure>,
    /// Sales per day of the range (every day, zeros included).
    pub sales_by_day: Vec<SalesPoint>,
    /// Sales per month of the range.
    pub sales_by_month: Vec<SalesPoint>,
    /// Cost of goods sold in the range (stock-tracked lines, paise).
    pub cost_of_goods: i64,
    /// Gross margin of those lines in the range (paise).
    pub gross_margin: i64,
    /// Purchases received in the range (paise).
    pub purchased: i64,
    /// Value of all stock on hand now (paise).
    pub stock_value: i64,
    /// Products at or below their low-stock threshold now.
    pub low_stock_count: i64,
    /// Customers who owe the most, now.
    pub top_customers: Vec<TopCustomer>,
    /// All receivables by days past due, now.
    pub aging: Aging,
}

/// `GET /v1/reports/sales`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct SalesReport {
    /// First day.
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    /// Last day.
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    /// `day` or `month`.
    pub interval: String,
    /// ISO 4217 code of every amount.
    pub currency: String,
    /// One point per day or month.
    pub points: Vec<SalesPoint>,
}

/// Sums read from the day aggregates of a range.
#[derive(Default)]
struct Sums {
    by_status: BTreeMap<&'static str, (i64, i64, i64)>,
    days: BTreeMap<Date, SalesPoint>,
}

fn attr(item: &Item, name: &str) -> i64 {
    item.get(name).and_then(|v| v.as_i64()).unwrap_or(0)
}

/// The status of a day-aggregate bucket as of `today`, and whether the
/// invoices in it count as issued sales.
fn bucket_status(bucket: &str, today: Date) -> Option<InvoiceStatus> {
    let (name, due) = match bucket.split_once('@') {
        Some((n, d)) => (n, d.parse::<Date>().ok()),
        None => (bucket, None),
    };
    Some(match (name, due) {
        ("draft", _) => InvoiceStatus::Draft,
        ("cancelled", _) => InvoiceStatus::Cancelled,
        ("paid", _) => InvoiceStatus::Paid,
        ("disputed", _) => InvoiceStatus::Disputed,
        ("unpaid" | "partially_paid", Some(d)) if d < today => InvoiceStatus::Overdue,
        ("unpaid", _) => InvoiceStatus::Unpaid,
        ("partially_paid", _) => InvoiceStatus::PartiallyPaid,
        _ => return None,
    })
}

fn is_sale(s: InvoiceStatus) -> bool {
    !matches!(s, InvoiceStatus::Draft | InvoiceStatus::Cancelled)
}

fn csv_error(e: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::Internal(anyhow::Error::new(e))
}

/// Writes rows as CSV (RFC 4180) with a header row.
pub(crate) fn to_csv(header: &[&str], rows: Vec<Vec<String>>) -> Result<String> {
    let mut w = csv::Writer::from_writer(vec![]);
    w.write_record(header).map_err(csv_error)?;
    for r in rows {
        w.write_record(&r).map_err(csv_error)?;
    }
    let bytes = w.into_inner().map_err(|e| csv_error(e.into_error()))?;
    String::from_utf8(bytes).map_err(csv_error)
}

impl SalesReport {
    /// The report as CSV: `period,invoiced,invoices,received,payments,
    /// cost_of_goods,gross_margin,purchased`
    /// (amounts as decimals of the currency).
    pub fn to_csv(&self) -> Result<String> {
        let cur = crate::money::currency(&self.currency).unwrap_or(crate::money::CURRENCIES[0]);
        to_csv(
            &[
                "period",
                "invoiced",
                "invoices",
                "received",
                "payments",
                "cost_of_goods",
                "gross_margin",
                "purchased",
            ],
            self.points
                .iter()
                .map(|p| {
                    vec![
                        p.period.clone(),
                        decimal_amount(p.invoiced, cur),
                        p.invoices.to_string(),
                        decimal_amount(p.received, cur),
                        p.payments.to_string(),
                        decimal_amount(p.cost_of_goods, cur),
                        decimal_amount(p.gross_margin, cur),
                        decimal_amount(p.purchased, cur),
                    ]
                })
                .collect(),
        )
    }
}

impl Aging {
    /// The table as CSV: `bucket,count,amount`, then a `total` row.
    pub fn to_csv(&self, cur: Currency) -> Result<String> {
        let mut rows: Vec<Vec<String>> = self
            .buckets
            .iter()
            .map(|b| {
                vec![
                    b.bucket.clone(),
                    b.count.to_string(),
                    decimal_amount(b.amount, cur),
                ]
            })
            .collect();
        rows.push(vec![
            "total".into(),
            self.total_count.to_string(),
            decimal_amount(self.total_amount, cur),
        ]);
        to_csv(&["bucket", "count", "amount"], rows)
    }
}

/// Top debtors as CSV: `customer_id,name,phone,balance`.
pub fn top_customers_csv(rows: &[TopCustomer], cur: Currency) -> Result<String> {
    to_csv(
        &["customer_id", "name", "phone", "balance"],
        rows.iter()
            .map(|c| {
                vec![
                    c.customer_id.clone(),
                    c.name.clone(),
                    c.phone.clone().unwrap_or_default(),
                    decimal_amount(c.balance, cur),
                ]
            })
            .collect(),
    )
}

/// The invoice report as CSV:
/// `number,invoice_date,due_date,customer,status,total,paid,balance_due,invoice_id`.
pub fn invoices_csv(
    rows: &[crate::ledger::invoices::InvoiceSummary],
    cur: Currency,
) -> Result<String> {
    to_csv(
        &[
            "number",
            "invoice_date",
            "due_date",
            "customer",
            "status",
            "total",
            "paid",
            "balance_due",
            "invoice_id",
        ],
        rows.iter()
            .map(|i| {
                vec![
                    i.number.clone().unwrap_or_default(),
                    i.invoice_date.to_string(),
                    i.due_date.to_string(),
                    i.customer_name.clone(),
                    i.status.as_str().to_string(),
                    decimal_amount(i.total, cur),
                    decimal_amount(i.amount_paid, cur),
                    decimal_amount(i.balance_due, cur),
                    i.id.clone(),
                ]
            })
            .collect(),
    )
}

/// Checks the `format` parameter: `true` for CSV.
pub fn wants_csv(format: Option<&str>) -> Result<bool> {
    match format {
        None | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(_) => Err(Error::field("format", "invalid_format", "json or csv")),
    }
}

impl Hisaab {
    /// The range of a report with its defaults (this month to date) and
    /// checks (422 naming `from`/`to`).
    fn range(&self, settings: &Settings, r: &ReportRange) -> Result<(Date, Date, Date)> {
        let today = settings.today(self.clock.now());
        let to = r.to.unwrap_or(today);
        let from = r.from.unwrap_or_else(|| to.first_of_month());
        let mut errs = Errors::default();
        if from > to {
            errs.push("to", "before_from", "to is before from");
        } else if (to - from).get_days() >= MAX_RANGE_DAYS {
            errs.push(
                "to",
                "range_too_long",
                format!("a report covers at most {MAX_RANGE_DAYS} days"),
            );
        }
        errs.finish()?;
        Ok((from, to, today))
    }

    /// The day figures of `[from, to]`, oldest first (the digest's).
    pub(crate) async fn day_points(
        &self,
        bid: &str,
        from: Date,
        to: Date,
        today: Date,
    ) -> Result<Vec<SalesPoint>> {
        Ok(self
            .day_sums(bid, from, to, today)
            .await?
            .days
            .into_values()
            .collect())
    }

    /// Reads the day aggregates of `[from, to]`.
    async fn day_sums(&self, bid: &str, from: Date, to: Date, today: Date) -> Result<Sums> {
        let mut sums = Sums::default();
        let mut d = from;
        while d <= to {
            sums.days.insert(d, point(d.to_string()));
            d = d.tomorrow().map_err(|e| Error::Internal(e.into()))?;
        }
        let q = Query::on(keys::stats_partition(bid))
            .between(
                keys::stats_day(bid, &from.to_string()).sk,
                keys::stats_day(bid, &to.to_string()).sk,
            )
            .limit(1000);
        for item in &self.query_items(q).await? {
            let Some(date) = item
                .get("date")
                .and_then(|v| v.as_str())
                .and_then(|d| d.parse::<Date>().ok())
            else {
                continue;
            };
            let p = sums
                .days
                .entry(date)
                .or_insert_with(|| point(date.to_string()));
            p.received += attr(item, "received");
            p.payments += attr(item, "payments");
            p.cost_of_goods += attr(item, "cogs");
            p.gross_margin += attr(item, "margin");
            p.purchased += attr(item, "purchased");
            for (name, v) in item {
                let Some(bucket) = name.strip_prefix("n.") else {
                    continue;
                };
                let Some(status) = bucket_status(bucket, today) else {
                    continue;
                };
                let n = v.as_i64().unwrap_or(0);
                let t = attr(item, &format!("t.{bucket}"));
                let b = attr(item, &format!("b.{bucket}"));
                let e = sums.by_status.entry(status.as_str()).or_default();
                e.0 += n;
                e.1 += t;
                e.2 += b;
                if is_sale(status) {
                    p.invoiced += t;
                    p.invoices += n;
                }
            }
        }
        Ok(sums)
    }

    /// The aging table as of `today`: the totals item plus the due-date
    /// aggregates from 90 days ago on (anything older is the `90+` row).
    pub(crate) async fn aging_of(&self, bid: &str, today: Date) -> Result<Aging> {
        let totals = self.table.get(&keys::stats_totals(bid)).await?;
        let (total_n, total_b) = totals
            .as_ref()
            .map(|t| (attr(t, "n"), attr(t, "b")))
            .unwrap_or((0, 0));
        let labels = ["current", "1-30", "31-60", "61-90"];
        let mut rows = [(0i64, 0i64); 4];
        let oldest = today
            .checked_sub(90.days())
            .map_err(|e| Error::Internal(e.into()))?;
        let q = Query::on(keys::stats_partition(bid))
            .between(
                keys::stats_due(bid, &oldest.to_string()).sk,
                keys::stats_due(bid, "9999-12-31").sk,
            )
            .limit(1000);
        for item in &self.query_items(q).await? {
            let Some(due) = item
                .get("date")
                .and_then(|v| v.as_str())
                .and_then(|d| d.parse::<Date>().ok())
            else {
                continue;
            };
            let late = (today - due).get_days();
            let i = match late {
                ..=0 => 0,
                1..=30 => 1,
                31..=60 => 2,
                _ => 3,
            };
            rows[i].0 += attr(item, "n");
            rows[i].1 += attr(item, "b");
        }
        let known_n: i64 = rows.iter().map(|r| r.0).sum();
        let known_b: i64 = rows.iter().map(|r| r.1).sum();
        let mut buckets: Vec<AgingBucket> = labels
            .iter()
            .zip(rows)
            .map(|(l, (n, b))| AgingBucket {
                bucket: l.to_string(),
                count: n,
                amount: b,
            })
            .collect();
        buckets.push(AgingBucket {
            bucket: "90+".into(),
            count: total_n - known_n,
            amount: total_b - known_b,
        });
        Ok(Aging {
            as_of: today,
            buckets,
            total_count: total_n,
            total_amount: total_b,
        })
    }

    async fn top_customers_of(&self, bid: &str, limit: usize) -> Result<Vec<TopCustomer>> {
        let page = self
            .table
            .query(
                &Query::on(keys::customers_by_balance(bid))
                    .descending()
                    .limit(limit),
            )
            .await?;
        page.items
            .into_iter()
            .map(|i| {
                let c: Customer = from_item(i)?;
                Ok(TopCustomer {
                    customer_id: c.id,
                    name: c.name,
                    phone: c.phone,
                    balance: c.balance,
                })
            })
            .collect()
    }

    /// `GET /v1/reports/dashboard`: revenue, received, pending, overdue,
    /// invoices by status, sales by day and by month for the range, plus
    /// the top debtors and the aging table as of today.
    pub async fn dashboard(&self, actor: &Actor, r: ReportRange) -> Result<Dashboard> {
        let bid = actor.business_id()?.to_string();
        let settings = self.business_settings(&bid).await?;
        let (from, to, today) = self.range(&settings, &r)?;
        let sums = self.day_sums(&bid, from, to, today).await?;
        let fig = |s: InvoiceStatus| sums.by_status.get(s.as_str()).copied().unwrap_or_default();
        let by_status: Vec<StatusFigure> = InvoiceStatus::ALL
            .iter()
            .map(|s| {
                let (count, amount, balance) = fig(*s);
                StatusFigure {
                    status: *s,
                    count,
                    amount,
                    balance,
                }
            })
            .collect();
        let sales: Vec<&StatusFigure> = by_status.iter().filter(|f| is_sale(f.status)).collect();
        let sales_by_day: Vec<SalesPoint> = sums.days.values().cloned().collect();
        let (stock_value, low_stock_count) = self.stock_totals(&bid).await?;
        Ok(Dashboard {
            cost_of_goods: sales_by_day.iter().map(|p| p.cost_of_goods).sum(),
            gross_margin: sales_by_day.iter().map(|p| p.gross_margin).sum(),
            purchased: sales_by_day.iter().map(|p| p.purchased).sum(),
            stock_value,
            low_stock_count,
            from,
            to,
            as_of: today,
            currency: settings.currency.clone(),
            revenue: sales.iter().map(|f| f.amount).sum(),
            received: sales_by_day.iter().map(|p| p.received).sum(),
            pending: sales.iter().map(|f| f.balance).sum(),
            overdue: fig(InvoiceStatus::Overdue).2,
            invoice_count: sales.iter().map(|f| f.count).sum(),
            by_status,
            sales_by_month: by_month(&sales_by_day),
            sales_by_day,
            top_customers: self.top_customers_of(&bid, TOP_CUSTOMERS).await?,
            aging: self.aging_of(&bid, today).await?,
        })
    }

    /// `GET /v1/reports/sales`: invoiced and received per day or month.
    pub async fn sales_report(&self, actor: &Actor, r: ReportRange) -> Result<SalesReport> {
        let bid = actor.business_id()?.to_string();
        let settings = self.business_settings(&bid).await?;
        let interval = r.interval.clone().unwrap_or_else(|| "day".into());
        if interval != "day" && interval != "month" {
            return Err(Error::field("interval", "invalid_interval", "day or month"));
        }
        wants_csv(r.format.as_deref())?;
        let (from, to, today) = self.range(&settings, &r)?;
        let days: Vec<SalesPoint> = self
            .day_sums(&bid, from, to, today)
            .await?
            .days
            .into_values()
            .collect();
        Ok(SalesReport {
            from,
            to,
            currency: settings.currency.clone(),
            points: if interval == "month" {
                by_month(&days)
            } else {
                days
            },
            interval,
        })
    }

    /// `GET /v1/reports/aging`: the receivables by days past due, now.
    pub async fn aging_report(&self, actor: &Actor) -> Result<(Aging, Currency)> {
        let bid = actor.business_id()?.to_string();
        let settings = self.business_settings(&bid).await?;
        let today = settings.today(self.clock.now());
        Ok((self.aging_of(&bid, today).await?, settings.currency()))
    }

    /// `GET /v1/reports/top-customers`: the customers who owe the most.
    pub async fn top_customers(
        &self,
        actor: &Actor,
        q: &TopCustomersQuery,
    ) -> Result<(Vec<TopCustomer>, Currency)> {
        let bid = actor.business_id()?.to_string();
        let limit = crate::paging::page_limit(q.limit, TOP_CUSTOMERS, 100)?;
        wants_csv(q.format.as_deref())?;
        let settings = self.business_settings(&bid).await?;
        Ok((
            self.top_customers_of(&bid, limit).await?,
            settings.currency(),
        ))
    }
}

fn point(period: String) -> SalesPoint {
    SalesPoint {
        period,
        invoiced: 0,
        invoices: 0,
        received: 0,
        payments: 0,
        cost_of_goods: 0,
        gross_margin: 0,
        purchased: 0,
    }
}

/// Sums day points into month points (`YYYY-MM`).
fn by_month(days: &[SalesPoint]) -> Vec<SalesPoint> {
    let mut months: BTreeMap<String, SalesPoint> = BTreeMap::new();
    for d in days {
        let m = d.period[..7].to_string();
        let p = months.entry(m.clone()).or_insert_with(|| point(m));
        p.invoiced += d.invoiced;
        p.invoices += d.invoices;
        p.received += d.received;
        p.payments += d.payments;
        p.cost_of_goods += d.cost_of_goods;
        p.gross_margin += d.gross_margin;
        p.purchased += d.purchased;
    }
    months.into_values().collect()
}
