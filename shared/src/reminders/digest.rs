//! The daily digest: each active business's owner gets, once a day from
//! 08:00 in the business's time zone, a mail (and an SMS when the policy
//! asks for it) with the invoices falling due today, the overdue total,
//! the payments received yesterday, the order changes awaiting customers
//! and warnings of low activity.
//!
//! One per business per day: the run writes the mark
//! `BIZ#<bid>`/`DIGEST#<date>` with `attribute_not_exists` in the same
//! transaction as the log entries, before sending (at most once, as for
//! reminders). Any run after 08:00 sends the day's digests not yet sent,
//! so the schedule may be hourly (the Lambda) or every 15 minutes
//! (`hisaab serve`). Businesses are read from the admin list (GSI1
//! `BUSINESSES`, a key query); each digest reads the due-date and day
//! aggregates, the totals item and the business's orders.

use super::policy::Channel;
use super::templates::TemplateKind;
use super::{Message, NotificationKind};
use crate::app::{Hisaab, from_item};
use crate::error::Result;
use crate::identity::{Business, BusinessStatus};
use crate::keys;
use crate::money::format_amount;
use crate::table::{Cond, Query, Write};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::time::Instant;
use utoipa::ToSchema;

/// Local hour from which a day's digest is sent.
pub const DIGEST_HOUR: i8 = 8;
/// Days without a new invoice that make a low-activity warning.
pub const QUIET_DAYS: i64 = 7;

/// What one digest run did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DigestReport {
    /// Businesses read.
    pub businesses: usize,
    /// Digests sent now (one per business).
    pub sent: usize,
    /// Businesses whose digest of today was already taken, or whose
    /// morning has not come.
    pub skipped: usize,
    /// `true` when the deadline came first.
    pub more: bool,
}

/// A day's figures of one business.
struct Figures {
    due_today: (i64, i64),
    overdue: (i64, i64),
    received_yesterday: (i64, i64),
    pending_orders: i64,
    low_stock: i64,
    warnings: Vec<String>,
}

impl Hisaab {
    /// Sends the day's digest of every business whose morning has come
    /// and whose digest of today is not yet taken.
    pub async fn run_digest(&self, deadline: Option<Instant>) -> Result<DigestReport> {
        let mut report = DigestReport::default();
        let mut q = Query::on(keys::businesses_by_name()).limit(100);
        loop {
            if deadline.is_some_and(|d| Instant::now() >= d) {
                report.more = true;
                return Ok(report);
            }
            let page = self.table.query(&q).await?;
            for item in page.items {
                let b: Business = from_item(item)?;
                report.businesses += 1;
                if b.status != BusinessStatus::Active {
                    report.skipped += 1;
                    continue;
                }
                match self.digest_one(&b).await {
                    Ok(true) => report.sent += 1,
                    Ok(false) => report.skipped += 1,
                    Err(e) => {
                        tracing::error!(error = %e, business = %b.id, "digest not sent");
                        report.skipped += 1;
                    }
                }
            }
            match page.last_key {
                Some(k) => q.start = Some(k),
                None => break,
            }
        }
        Ok(report)
    }

    async fn figures(&self, bid: &str, today: Date) -> Result<Figures> {
        let attr = |i: &Option<crate::table::Item>, a: &str| {
            i.as_ref()
                .and_then(|i| i.get(a))
                .and_then(|v| v.as_i64())
                .unwrap_or(0)
        };
        let due = self
            .table
            .get(&keys::stats_due(bid, &today.to_string()))
            .await?;
        let aging = self.aging_of(bid, today).await?;
        let overdue = aging
            .buckets
            .iter()
            .filter(|b| b.bucket != "current")
            .fold((0, 0), |(n, a), b| (n + b.count, a + b.amount));
        let from = today
            .checked_sub(QUIET_DAYS.days())
            .map_err(|e| crate::Error::Internal(e.into()))?;
        let yesterday = today
            .yesterday()
            .map_err(|e| crate::Error::Internal(e.into()))?;
        let days = self.day_points(bid, from, yesterday, today).await?;
        let y = days.iter().find(|p| p.period == yesterday.to_string());
        let invoiced: i64 = days.iter().map(|p| p.invoices).sum();
        let mut warnings = vec![];
        if invoiced == 0 {
            warnings.push(format!(
                "No invoice was issued in the last {QUIET_DAYS} days."
            ));
        }
        let low = self.low_stock_rows(bid).await?;
        if !low.is_empty() {
            warnings.push(low_stock_warning(&low));
        }
        let orders = self
            .query_items(Query::on(keys::orders_by_business(bid)).limit(1000))
            .await?;
        let pending_orders = orders
            .into_iter()
            .filter_map(|i| from_item::<crate::deliveries::orders::Order>(i).ok())
            .filter(|o| {
                o.pending_change.is_some()
                    || o.status == crate::deliveries::orders::OrderStatus::Pending
            })
            .count() as i64;
        Ok(Figures {
            due_today: (attr(&due, "n"), attr(&due, "b")),
            overdue,
            received_yesterday: y.map_or((0, 0), |p| (p.payments, p.received)),
            pending_orders,
            low_stock: low.len() as i64,
            warnings,
        })
    }

    /// Sends one business's digest of today if its morning has come and
    /// it is not yet taken; `true` when sent now.
    async fn digest_one(&self, b: &Business) -> Result<bool> {
        let settings = self.business_settings(&b.id).await?;
        let tz = super::policy::time_zone(&settings.time_zone);
        let local = self.clock.now().to_zoned_datetime(tz);
        if local.hour() < DIGEST_HOUR {
            return Ok(false);
        }
        let today = local.date();
        let mark = keys::digest_sent(&b.id, &today.to_string());
        if self.table.get(&mark).await?.is_some() {
            return Ok(false);
        }
        let Some(owner) = self.user(&b.owner_id).await? else {
            return Ok(false);
        };
        let mut to = vec![];
        if let Some(e) = &owner.email {
            to.push((Channel::Mail, e.clone()));
        }
        if settings.reminders.digest_sms {
            to.push((Channel::Sms, owner.phone.clone()));
        }
        if to.is_empty() {
            return Ok(false);
        }
        let f = self.figures(&b.id, today).await?;
        let cur = settings.currency();
        let ctx = serde_json::json!({
            "business": {"name": b.name},
            "date": today.strftime("%d %b %Y").to_string(),
            "due_today": {"count": f.due_today.0, "amount": format_amount(f.due_today.1, cur)},
            "overdue": {"count": f.overdue.0, "amount": format_amount(f.overdue.1, cur)},
            "received_yesterday": {
                "count": f.received_yesterday.0,
                "amount": format_amount(f.received_yesterday.1, cur),
            },
            "pending_orders": f.pending_orders,
            "low_stock": f.low_stock,
            "warnings": f.warnings,
        });
        let mut writes = vec![Write::Put {
            item: crate::app::to_item(
                "digest_mark",
                &mark,
                &serde_json::json!({"business_id": b.id, "date": today.to_string()}),
            )?,
            cond: Some(Cond::NotExists),
        }];
        let mut recorded = vec![];
        for (channel, address) in to {
            let (t, _) = self
                .template_of(
                    &b.id,
                    TemplateKind::Digest,
                    channel,
                    settings.reminders.language,
                )
                .await?;
            let m = Message::render(channel, address, &t, &ctx)?;
            let n = self.notification(&b.id, NotificationKind::Digest, &m, "system");
            writes.push(Write::Put {
                item: n.item()?,
                cond: Some(Cond::NotExists),
            });
            recorded.push((n, m));
        }
        if self.commit(writes, ()).await?.is_none() {
            // Another run took today's digest first.
            return Ok(false);
        }
        self.send_recorded(recorded).await;
        Ok(true)
    }
}

/// The digest's line about products at or below their threshold:
/// `Low on stock: Toor Dal (4 kg left, reorder 50), Sugar (2 kg left) and
/// 3 more.` (the first five by name).
fn low_stock_warning(low: &[crate::ledger::stock::StockRow]) -> String {
    let named: Vec<String> = low
        .iter()
        .take(5)
        .map(|r| match r.reorder_quantity {
            Some(q) => format!("{} ({} {} left, reorder {q})", r.name, r.on_hand, r.unit),
            None => format!("{} ({} {} left)", r.name, r.on_hand, r.unit),
        })
        .collect();
    let more = low.len().saturating_sub(named.len());
    if more > 0 {
        format!("Low on stock: {} and {more} more.", named.join(", "))
    } else {
        format!("Low on stock: {}.", named.join(", "))
    }
}
