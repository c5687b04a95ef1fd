//! The reminders job: every invoice whose next stage is due gets that
//! stage's reminder once (see the module docs of [`crate::reminders`] for
//! the order of writing and sending).
//!
//! One run reads each shard of the reminder index (GSI4) from the oldest
//! due time to now, a page of 100 at a time, handling up to 16 invoices at
//! once. It stops starting pages at its deadline (a Lambda's remaining
//! time less a margin) and says so (`more`): what it did not reach is
//! still due, and the next run takes it. Table operations per reminded
//! invoice: the index page (shared by 100), one transaction of the invoice
//! and one log entry per channel, and one put per channel for the result;
//! the business's settings, templates and each customer are read once per
//! run (up to 10,000 of each kind are kept; then the cache starts afresh).

use super::policy::{Channel, ReminderPolicy, stage_label, time_zone};
use super::templates::{self, TemplateKind};
use super::{Message, NotificationKind};
use crate::app::{Hisaab, from_item};
use crate::error::Result;
use crate::keys;
use crate::ledger::customers::Customer;
use crate::ledger::invoices::Invoice;
use crate::ledger::settings::Settings;
use crate::table::{Item, Query};
use futures::StreamExt;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use utoipa::ToSchema;

/// Invoices handled at once within a page.
const CONCURRENCY: usize = 16;

/// What one run did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RunReport {
    /// Invoices found due in the index.
    pub due: usize,
    /// Reminders sent (messages accepted by SNS, SES or the outbox).
    pub sent: usize,
    /// Messages that failed after every attempt.
    pub failed: usize,
    /// Stages passed without a message: reminders off, customer opted
    /// out, no usable contact.
    pub skipped: usize,
    /// Stages that fell in quiet hours and wait for their end.
    pub waiting: usize,
    /// Invoices another run or a user changed meanwhile (left to the
    /// next run).
    pub conflicts: usize,
    /// Invoices that failed for another reason (logged; left to the next
    /// run).
    pub errors: usize,
    /// `true` when the deadline came before the index was read to the end.
    pub more: bool,
}

/// What a run reads once: settings, business names, templates, customers.
#[derive(Default)]
struct RunCache {
    settings: Mutex<HashMap<String, Arc<Settings>>>,
    names: Mutex<HashMap<String, String>>,
    templates: Mutex<HashMap<(String, Channel), Arc<templates::TemplateText>>>,
    customers: Mutex<HashMap<(String, String), Arc<Customer>>>,
}

fn cached<K: std::hash::Hash + Eq + Clone, V: Clone>(m: &Mutex<HashMap<K, V>>, k: &K) -> Option<V> {
    m.lock().expect("cache lock").get(k).cloned()
}

/// Entries a run's cache keeps of one kind before it starts afresh, so that
/// a run over many businesses and customers stays within a Lambda's memory.
const CACHE_MAX: usize = 10_000;

fn keep<K: std::hash::Hash + Eq, V: Clone>(m: &Mutex<HashMap<K, V>>, k: K, v: V) -> V {
    let mut m = m.lock().expect("cache lock");
    if m.len() >= CACHE_MAX {
        m.clear();
    }
    m.insert(k, v.clone());
    v
}

/// How one invoice was handled.
enum Handled {
    Sent { sent: usize, failed: usize },
    Skipped,
    Waiting,
    Resloted,
    Conflict,
}

impl Hisaab {
    /// Runs the reminders job once at the clock's time; `deadline` stops it
    /// from starting new pages after that instant.
    pub async fn run_reminders(&self, deadline: Option<Instant>) -> Result<RunReport> {
        let now = self.clock.now();
        let cache = RunCache::default();
        let mut report = RunReport::default();
        for shard in 0..keys::REMINDER_SHARDS {
            let mut q = Query::on(keys::reminders_due(shard))
                .between("0", keys::reminders_due_until(now.as_second()))
                .limit(100);
            loop {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    report.more = true;
                    return Ok(report);
                }
                let page = self.table.query(&q).await?;
                report.due += page.items.len();
                let results: Vec<Result<Handled>> = futures::stream::iter(page.items)
                    .map(|item| self.remind_one(item, now, &cache))
                    .buffer_unordered(CONCURRENCY)
                    .collect()
                    .await;
                for r in results {
                    match r {
                        Ok(Handled::Sent { sent, failed }) => {
                            report.sent += sent;
                            report.failed += failed;
                        }
                        Ok(Handled::Skipped) => report.skipped += 1,
                        Ok(Handled::Waiting) => report.waiting += 1,
                        Ok(Handled::Resloted) => {}
                        Ok(Handled::Conflict) => report.conflicts += 1,
                        // One invoice's failure never stops the others.
                        Err(e) => {
                            tracing::error!(error = %e, "reminder not handled");
                            report.errors += 1;
                        }
                    }
                }
                match page.last_key {
                    Some(k) => q.start = Some(k),
                    None => break,
                }
            }
        }
        Ok(report)
    }

    async fn run_settings(&self, cache: &RunCache, bid: &str) -> Result<Arc<Settings>> {
        if let Some(s) = cached(&cache.settings, &bid.to_string()) {
            return Ok(s);
        }
        let s = Arc::new(self.business_settings(bid).await?);
        Ok(keep(&cache.settings, bid.to_string(), s))
    }

    async fn run_name(&self, cache: &RunCache, bid: &str) -> Result<String> {
        if let Some(n) = cached(&cache.names, &bid.to_string()) {
            return Ok(n);
        }
        let n = self.business(bid).await?.name;
        Ok(keep(&cache.names, bid.to_string(), n))
    }

    async fn run_customer(&self, cache: &RunCache, bid: &str, cid: &str) -> Result<Arc<Customer>> {
        let k = (bid.to_string(), cid.to_string());
        if let Some(c) = cached(&cache.customers, &k) {
            return Ok(c);
        }
        let c = Arc::new(self.customer_of(bid, cid).await?);
        Ok(keep(&cache.customers, k, c))
    }

    async fn run_template(
        &self,
        cache: &RunCache,
        s: &Settings,
        channel: Channel,
    ) -> Result<Arc<templates::TemplateText>> {
        let k = (s.business_id.clone(), channel);
        if let Some(t) = cached(&cache.templates, &k) {
            return Ok(t);
        }
        let (t, _) = self
            .template_of(
                &s.business_id,
                TemplateKind::Reminder,
                channel,
                s.reminders.language,
            )
            .await?;
        Ok(keep(&cache.templates, k, Arc::new(t)))
    }

    /// Handles one invoice of the index as of `now`.
    async fn remind_one(&self, item: Item, now: Timestamp, cache: &RunCache) -> Result<Handled> {
        let inv: Invoice = from_item(item)?;
        if !inv.remindable() {
            // An index copy older than the invoice: the next write of the
            // invoice already took it out.
            return Ok(Handled::Conflict);
        }
        let bid = inv.business_id.clone();
        let settings = self.run_settings(cache, &bid).await?;
        let policy = &settings.reminders;
        let tz = time_zone(&settings.time_zone);
        let last = inv.reminder.last_stage;
        let mut new = inv.clone();
        new.version = inv.version + 1;
        let Some(stage) = policy.due_stage(inv.due_date, last, now, &tz) else {
            // The policy changed since it was scheduled: move it to its
            // next stage under the policy of today.
            new.reminder.next_at = policy.next_stage(inv.due_date, last, &tz).map(|n| n.1);
            return self.save_state(&new, inv.version, vec![]).await.map(|ok| {
                if ok {
                    Handled::Resloted
                } else {
                    Handled::Conflict
                }
            });
        };
        if let Some(until) = policy.quiet_until(now, &tz) {
            new.reminder.next_at = Some(until);
            return self.save_state(&new, inv.version, vec![]).await.map(|ok| {
                if ok {
                    Handled::Waiting
                } else {
                    Handled::Conflict
                }
            });
        }
        new.reminder.last_stage = Some(stage);
        new.reminder.next_at = policy
            .next_stage(inv.due_date, Some(stage), &tz)
            .map(|n| n.1);
        let customer = self.run_customer(cache, &bid, &inv.customer_id).await?;
        let to = recipients(policy, &customer);
        let skip = if !policy.enabled {
            Some("reminders_off")
        } else if !customer.reminders {
            Some("opted_out")
        } else if to.is_empty() {
            Some("no_contact")
        } else {
            None
        };
        if let Some(why) = skip {
            new.reminder.last_result = Some(why.into());
            return self.save_state(&new, inv.version, vec![]).await.map(|ok| {
                if ok {
                    Handled::Skipped
                } else {
                    Handled::Conflict
                }
            });
        }
        let name = self.run_name(cache, &bid).await?;
        let ctx = self.invoice_context(&settings, &name, &customer, &inv, Some(stage));
        let mut msgs = vec![];
        for (channel, address) in to {
            let t = self.run_template(cache, &settings, channel).await?;
            msgs.push(Message::render(channel, address, &t, &ctx)?);
        }
        new.reminder.last_result = Some("sent".into());
        new.reminder.sent += 1;
        let recorded: Vec<_> = msgs
            .into_iter()
            .map(|m| {
                let mut n = self.notification(&bid, NotificationKind::Reminder, &m, "system");
                n.invoice_id = Some(inv.id.clone());
                n.invoice_number = inv.number.clone();
                n.customer_id = Some(inv.customer_id.clone());
                n.stage = Some(stage);
                (n, m)
            })
            .collect();
        let logs = recorded
            .iter()
            .map(|(n, _)| n.item())
            .collect::<Result<Vec<_>>>()?;
        if !self.save_state(&new, inv.version, logs).await? {
            return Ok(Handled::Conflict);
        }
        let done = self.send_recorded(recorded).await;
        let sent = done
            .iter()
            .filter(|n| n.status == super::NotificationStatus::Sent)
            .count();
        Ok(Handled::Sent {
            sent,
            failed: done.len() - sent,
        })
    }

    /// Saves an invoice's reminder state under the version read, with the
    /// log entries, in one transaction; `false` when the invoice changed
    /// meanwhile (another run took the stage, or a user wrote it).
    async fn save_state(&self, new: &Invoice, read_version: i64, logs: Vec<Item>) -> Result<bool> {
        let mut writes = vec![self.invoice_write(new, Some(read_version))?];
        for item in logs {
            writes.push(crate::table::Write::Put {
                item,
                cond: Some(crate::table::Cond::NotExists),
            });
        }
        Ok(self.commit(writes, ()).await?.is_some())
    }

    /// The variables of an invoice's reminder or share templates.
    pub(crate) fn invoice_context(
        &self,
        s: &Settings,
        business_name: &str,
        c: &Customer,
        inv: &Invoice,
        stage: Option<i64>,
    ) -> serde_json::Value {
        let cur = s.currency();
        let today = s.today(self.clock.now());
        // Date − Date is a span of whole days (jiff's default for dates).
        let diff = i64::from((today - inv.due_date).get_days());
        serde_json::json!({
            "customer": {"name": c.name},
            "business": {"name": business_name, "phone": s.phone.clone().unwrap_or_default()},
            "invoice": {
                "number": inv.number.clone().unwrap_or_default(),
                "balance": crate::money::format_amount(inv.balance_due, cur),
                "total": crate::money::format_amount(inv.total, cur),
                "due_date": inv.due_date.strftime("%d %b %Y").to_string(),
                "days_overdue": diff.max(0),
                "days_to_due": (-diff).max(0),
                "upi_link": crate::ledger::documents::upi_link(s, business_name, inv).unwrap_or_default(),
                "pdf_url": self.shared_invoice_url(&inv.business_id, &inv.id),
            },
            "opt_out_url": self.opt_out_url(&inv.business_id, &inv.customer_id),
            "stage": stage.map(stage_label).unwrap_or_default(),
        })
    }
}

/// Where a customer's reminders go under `policy`: the channels it names
/// for which the customer has a contact not refused for good.
pub(crate) fn recipients(policy: &ReminderPolicy, c: &Customer) -> Vec<(Channel, String)> {
    policy
        .channels
        .list()
        .iter()
        .filter_map(|ch| match ch {
            Channel::Sms if !c.sms_undeliverable => c.phone.clone().map(|p| (*ch, p)),
            Channel::Mail if !c.mail_undeliverable => c.email.clone().map(|m| (*ch, m)),
            _ => None,
        })
        .collect()
}
