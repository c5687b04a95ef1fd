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

/// Pending `ADD`s, merged per item (a transaction may touch an item once).
#[derive(Default, Debug)]
pub(crate) struct Deltas(BTreeMap<(String, String), BTreeMap<String, i64>>);

impl Deltas {
    /// Adds `delta` to `attr` of the item at `key`.
    pub(crate) fn add(&mut self, key: Key, attr: impl Into<String>, delta: i64) {
        *self
            .0
            .entry((key.pk, key.sk))
            .or_default()
            .entry(attr.into())
            .or_default() += delta;
    }

    /// Counts a payment received on `date` in (`sign` = 1) or out (a void).
    pub(crate) fn payment(&mut self, business_id: &str, date: &str, amount: i64, sign: i64) {
        let day = keys::stats_day(business_id, date);
        self.add(day.clone(), "received", sign * amount);
        self.add(day, "payments", sign);
    }

    /// The `ADD` writes, one per item; deltas that cancel out are dropped.
    pub(crate) fn into_writes(self) -> Vec<Write> {
        self.0
            .into_iter()
            .filter_map(|((pk, sk), attrs)| {
                let deltas: Vec<(String, i64)> =
                    attrs.into_iter().filter(|(_, d)| *d != 0).collect();
                (!deltas.is_empty()).then(|| Write::Add {
                    key: Key::new(pk, sk),
                    deltas,
                    cond: None,
                })
            })
            .collect()
    }
}
