//! A business's whole month of deliveries, across every customer, read
//! from kept totals (the seed's "finance/vendor/month").
//!
//! Every mark and correction that adds to a customer's month (see
//! `records::count`) also adds, in the same
//! transaction, to one of [`keys::BUSINESS_MONTH_SHARDS`] shard items of
//! the partition `BIZ#<bid>#MONTH#<yyyy-mm>`; the shard is chosen by the
//! customer id, so the writes of a morning round spread over the shards
//! instead of all landing on one hot item. Each shard holds:
//! - `delivered`, `skipped`: records delivered and skipped;
//! - `am`: Σ quantity (thousandths) × rate (paise), i.e. the amount in
//!   thousandths of a paisa, exact;
//! - `u.<unit>`: thousandths delivered per unit (litre, packet, …);
//! - `d.<dd>`, `s.<dd>`: records delivered and skipped on day `dd`;
//! - `settled`, `settled_n`: the amount (paise, before tax) and number of
//!   customer months settled into an invoice, added by settlement and
//!   taken away by reopening, in the same transaction.
//!
//! A read is one query of at most 16 items, whatever the number of
//! customers. The totals stay exact because they change only by `ADD`s
//! committed with the records they count ("remove as it was, add as it is
//! now" on a correction), never by a read-modify-write.

use crate::app::Hisaab;
use crate::deliveries::orders::{month_of, parse_month};
use crate::error::Result;
use crate::identity::Actor;
use crate::keys;
use crate::ledger::aggregates::Deltas;
use crate::money::Quantity;
use crate::table::{Item, Query};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Quantity delivered in one unit over the month.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct UnitQuantity {
    /// The orders' unit (`litre`, `packet`, …).
    pub unit: String,
    /// Quantity delivered, exact decimal.
    pub quantity: Quantity,
}

/// One day of the business's month.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct BusinessDay {
    /// The day (the business's calendar).
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// Records marked delivered that day.
    pub delivered: i64,
    /// Records marked skipped that day.
    pub skipped: i64,
}

/// `GET /v1/deliveries/months/{month}`: the business's month across all
/// customers.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct BusinessMonth {
    /// `yyyy-mm`.
    pub month: String,
    /// Records marked delivered.
    pub delivered: i64,
    /// Records marked skipped.
    pub skipped: i64,
    /// Σ quantity × rate over the delivered records, in paise, rounded
    /// half-up once. A month's invoice rounds per order and rate, so the
    /// sum of the months' invoices may differ from it by less than half a
    /// paisa per invoice line.
    pub amount: i64,
    /// Quantity delivered per unit, by unit name.
    pub quantities: Vec<UnitQuantity>,
    /// Customer months settled into an invoice (and not reopened).
    pub settled_customers: i64,
    /// Their amount before tax, in paise (the invoices' taxable value).
    pub settled_amount: i64,
    /// Each day of the month with a record, in date order.
    pub days: Vec<BusinessDay>,
}

/// What a delivery record adds to its business's month.
pub(crate) struct Counted<'a> {
    pub business_id: &'a str,
    pub customer_id: &'a str,
    pub date: Date,
    /// `Some((quantity, rate in paise, unit))` when delivered, `None` when skipped.
    pub delivered: Option<(Quantity, i64, &'a str)>,
}

/// Counts a record in (`sign` = 1) or out (−1) of its business's month.
pub(crate) fn count(deltas: &mut Deltas, d: Counted<'_>, sign: i64) {
    let month = month_of(d.date);
    let shard = keys::business_month_shard(d.business_id, &month, d.customer_id);
    deltas.describe(&shard, "business_month", &[("month", &month)]);
    let dd = format!("{:02}", d.date.day());
    match d.delivered {
        Some((quantity, rate, unit)) => {
            deltas.add(shard.clone(), "delivered", sign);
            deltas.add(shard.clone(), "am", sign * quantity.milli() * rate);
            deltas.add(shard.clone(), format!("u.{unit}"), sign * quantity.milli());
            deltas.add(shard, format!("d.{dd}"), sign);
        }
        None => {
            deltas.add(shard.clone(), "skipped", sign);
            deltas.add(shard, format!("s.{dd}"), sign);
        }
    }
}

/// Counts a customer's month settled (`sign` = 1) for `amount` paise, or
/// reopened (−1).
pub(crate) fn count_settled(
    deltas: &mut Deltas,
    business_id: &str,
    customer_id: &str,
    month: &str,
    amount: i64,
    sign: i64,
) {
    let shard = keys::business_month_shard(business_id, month, customer_id);
    deltas.describe(&shard, "business_month", &[("month", month)]);
    deltas.add(shard.clone(), "settled", sign * amount);
    deltas.add(shard, "settled_n", sign);
}

/// Adds up the shard items of one month (`first`: its first day).
fn sum(first: Date, shards: &[Item]) -> BusinessMonth {
    let mut totals: BTreeMap<String, i64> = BTreeMap::new();
    for item in shards {
        for (k, v) in item {
            if let Some(n) = v.as_i64() {
                *totals.entry(k.clone()).or_default() += n;
            }
        }
    }
    let n = |k: &str| totals.get(k).copied().unwrap_or(0);
    let am = n("am");
    // Half-up to the paisa from thousandths (amounts are not negative).
    let amount = (am + 500).div_euclid(1000);
    let quantities = totals
        .iter()
        .filter_map(|(k, v)| {
            let unit = k.strip_prefix("u.")?;
            (*v != 0).then(|| UnitQuantity {
                unit: unit.to_string(),
                quantity: Quantity(*v),
            })
        })
        .collect();
    let days = (1..=first.days_in_month())
        .filter_map(|day| {
            let (delivered, skipped) = (n(&format!("d.{day:02}")), n(&format!("s.{day:02}")));
            (delivered != 0 || skipped != 0).then(|| BusinessDay {
                date: first.with().day(day).build().unwrap_or(first),
                delivered,
                skipped,
            })
        })
        .collect();
    BusinessMonth {
        month: month_of(first),
        delivered: n("delivered"),
        skipped: n("skipped"),
        amount,
        quantities,
        settled_customers: n("settled_n"),
        settled_amount: n("settled"),
        days,
    }
}

impl Hisaab {
    /// `GET /v1/deliveries/months/{month}` (business): the month's totals
    /// across every customer, from one query of its shard items (see the
    /// module's notes). 422 for a month that is not `yyyy-mm`.
    pub async fn business_month(&self, actor: &Actor, month: &str) -> Result<BusinessMonth> {
        let bid = actor.business_id()?;
        let (first, _) = parse_month("month", month)?;
        let shards = self
            .query_items(
                Query::on(keys::business_month_partition(bid, &month_of(first))).limit(100),
            )
            .await?;
        Ok(sum(first, &shards))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(v: serde_json::Value) -> Item {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn shards_add_up_to_one_month() {
        let first = Date::constant(2026, 11, 1);
        let m = sum(
            first,
            &[
                item(
                    json!({"entity": "business_month", "delivered": 2, "am": 1_500 * 6000 + 1_000 * 6000, "u.litre": 2_500, "d.01": 2, "settled": 15000, "settled_n": 1}),
                ),
                item(
                    json!({"entity": "business_month", "delivered": 1, "skipped": 1, "am": 333 * 1000, "u.litre": 0, "u.packet": 333, "d.01": 1, "s.30": 1}),
                ),
            ],
        );
        assert_eq!(m.month, "2026-11");
        assert_eq!((m.delivered, m.skipped), (3, 1));
        // 150.00 + 3.33 rupees: 15,000 + 333 paise (333 × 1000 / 1000).
        assert_eq!(m.amount, 15_333);
        assert_eq!(m.quantities.len(), 2, "units at zero are left out");
        assert_eq!(m.quantities[0].unit, "litre");
        assert_eq!(m.quantities[0].quantity, Quantity(2_500));
        assert_eq!((m.settled_customers, m.settled_amount), (1, 15_000));
        assert_eq!(m.days.len(), 2);
        assert_eq!(m.days[0].date, first);
        assert_eq!((m.days[0].delivered, m.days[1].skipped), (3, 1));
        assert_eq!(m.days[1].date, Date::constant(2026, 11, 30));
    }

    #[test]
    fn amounts_round_half_up_once() {
        let first = Date::constant(2026, 12, 1);
        assert_eq!(sum(first, &[item(json!({"am": 1_499}))]).amount, 1);
        assert_eq!(sum(first, &[item(json!({"am": 1_500}))]).amount, 2);
        assert_eq!(sum(first, &[]).amount, 0);
    }

    #[test]
    fn a_customer_always_lands_on_the_same_shard() {
        let a = keys::business_month_shard("biz_1", "2026-11", "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q");
        let b = keys::business_month_shard("biz_1", "2026-11", "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q");
        assert_eq!(a.sk, b.sk);
        let used: std::collections::BTreeSet<String> = (0..200)
            .map(|i| keys::business_month_shard("biz_1", "2026-11", &format!("cus_{i:026}")).sk)
            .collect();
        assert_eq!(
            used.len(),
            keys::BUSINESS_MONTH_SHARDS as usize,
            "customers spread over every shard"
        );
    }
}
