//! Maintained aggregates of a business's receivables, updated with `ADD`
//! in the same transaction as every invoice and payment write, so that the
//! dashboard and reports read a handful of keys instead of scanning
//! invoices (see `docs/data-model.md`, "Aggregates").
//!
//! Three kinds of aggregate item live in the partition
//! `BIZ#<bid>#STATS`:
//! - `DAY#<date>`: for the invoices *dated* that day, per status bucket
//!   `<bucket>`: `n.<bucket>` (count), `t.<bucket>` (invoice totals) and
//!   `b.<bucket>` (balance due, open buckets only); and for payments
//!   *received* that day: `received` (paise) and `payments` (count).
//!   Buckets are `draft`, `cancelled`, `paid`, `disputed`,
//!   `unpaid@<due date>` and `partially_paid@<due date>`: the due date in
//!   the open buckets lets a reader tell overdue invoices at read time
//!   without any write when a due date passes.
//! - `DUE#<date>`: the open invoices falling due that day: `n`, `b`.
//! - `TOTALS`: all open invoices: `n`, `b`.
//!
//! Every change is expressed as "remove the invoice as it was, add it as it
//! is now" (`Deltas::invoice` with −1 and +1, beside the invoice in
//! [`crate::ledger::invoices`]), so no write path can forget a figure.

use crate::keys;
use crate::table::{Key, Write};
use std::collections::BTreeMap;

/// Pending `ADD`s, merged per item (a transaction may touch an item once),
/// and the plain attributes each aggregate item keeps (its `entity` and
/// what it is about), set where absent.
#[derive(Default, Debug)]
pub(crate) struct Deltas {
    adds: BTreeMap<(String, String), BTreeMap<String, i64>>,
    attrs: BTreeMap<(String, String), BTreeMap<String, String>>,
}

impl Deltas {
    /// Names the aggregate item at `key`: its `entity` and, for example,
    /// the date or the order it is about, so that readers never parse
    /// them from the key.
    pub(crate) fn describe(&mut self, key: &Key, entity: &str, attrs: &[(&str, &str)]) {
        let a = self
            .attrs
            .entry((key.pk.clone(), key.sk.clone()))
            .or_default();
        a.insert("entity".into(), entity.into());
        for (k, v) in attrs {
            a.insert((*k).into(), (*v).into());
        }
    }

    /// Adds `delta` to `attr` of the item at `key`.
    pub(crate) fn add(&mut self, key: Key, attr: impl Into<String>, delta: i64) {
        *self
            .adds
            .entry((key.pk, key.sk))
            .or_default()
            .entry(attr.into())
            .or_default() += delta;
    }

    /// Counts a payment received on `date` in (`sign` = 1) or out (a void).
    pub(crate) fn payment(&mut self, business_id: &str, date: &str, amount: i64, sign: i64) {
        let day = keys::stats_day(business_id, date);
        self.describe(&day, "stats_day", &[("date", date)]);
        self.add(day.clone(), "received", sign * amount);
        self.add(day, "payments", sign);
    }

    /// The `ADD` writes, one per item; deltas that cancel out are dropped.
    pub(crate) fn into_writes(mut self) -> Vec<Write> {
        self.adds
            .into_iter()
            .filter_map(|((pk, sk), adds)| {
                let deltas: Vec<(String, i64)> =
                    adds.into_iter().filter(|(_, d)| *d != 0).collect();
                let attrs = self
                    .attrs
                    .remove(&(pk.clone(), sk.clone()))
                    .unwrap_or_default()
                    .into_iter()
                    .collect();
                (!deltas.is_empty()).then(|| Write::Add {
                    key: Key::new(pk, sk),
                    deltas,
                    attrs,
                    cond: None,
                })
            })
            .collect()
    }
}
