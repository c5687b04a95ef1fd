//! Inventory: stock on hand of the products that track it, every stock
//! movement with its reason and source, purchases from suppliers, the
//! negative-stock policy, low-stock marks, and valuation by weighted
//! average cost.
//!
//! ## Kept figures
//! A tracked product keeps `on_hand` (thousandths of its unit, negative
//! when more was sold than was there), `average_cost` (paise per unit) and
//! `stock_value` (paise). They change **in the same transaction** as the
//! invoice, receipt or adjustment that moves them, under the product's
//! version, together with one [`StockMovement`] item, the business's total
//! stock value (`stock_value` of the `TOTALS` aggregate) and the low-stock
//! mark. An invoice edit moves only the difference per product.
//!
//! ## Weighted average cost (perpetual)
//! The stock value `v` is kept exactly: every movement adds or takes out
//! whole paise, so the movements of a product add up to its value and a
//! purchase adds exactly what the bill says. The average cost is derived:
//! `a = v / h` (on hand `h`), rounded half-up to the paisa per unit, and
//! kept as it was while nothing is on hand. For `q` units:
//! - **in at cost `c`** (opening stock, a receipt): `v' = v + q × c`
//!   (rounded half-up), which re-averages. When on hand was below zero,
//!   the units sold beyond stock are re-costed at `c`: `v' = (h + q) × c`;
//! - **out** (a sale, a negative adjustment): the cost taken out is the
//!   proportional share `v × q / h` while `q ≤ h`, all of `v` plus `(q − h) ×
//!   a` beyond it, and `q × a` when nothing is on hand; that cost is the
//!   **cost of goods sold** of an invoice line;
//! - **in at average** (a positive adjustment, a customer return):
//!   `v' = v + q × a`;
//! - **a sale reversed** (a cancelled invoice, a lower quantity on an
//!   edit) comes back at the cost it went out at (the invoice's cost of
//!   that product × the share reversed): `v' = v + that cost`.
//!
//! Gross margin of a line is its taxable amount minus its cost of goods;
//! lines of untracked products have neither.
//!
//! ## Negative stock
//! Per business ([`NegativeStock`] in the settings): `allow`, `warn` (the
//! default: the invoice is issued and its answer carries
//! `stock_warnings`) or `refuse` (a 422 naming `lines[i].quantity`; an
//! adjustment below zero is refused the same way, naming `quantity`).
//!
//! This module: the figures, the movements and the policy. The product's
//! figures and low-stock mark are kept by [`crate::ledger::catalogue`], the
//! invoice side by [`crate::ledger::invoices`] (`stock`), and suppliers,
//! receipts, adjustments and the reports by [`crate::ledger::inventory`].

use crate::ids::new_id;
use crate::keys;
use crate::ledger::aggregates::Deltas;
use crate::money::{Quantity, div_round_half_up};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most different tracked products on one invoice or receipt: each takes
/// three writes of DynamoDB's 100 a transaction.
pub const MAX_STOCKED_PRODUCTS: usize = 25;

/// What a business does when a sale takes more than is on hand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NegativeStock {
    /// Sell; on hand goes below zero.
    Allow,
    /// Sell, and say so in the answer's `stock_warnings` (the default).
    #[default]
    Warn,
    /// Refuse with a 422 naming the line.
    Refuse,
}

/// Why stock moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// Stock on hand when tracking started.
    Opening,
    /// A purchase receipt from a supplier.
    Purchase,
    /// An issued invoice line (or a higher quantity on an edit).
    Sale,
    /// A cancelled invoice, or a lower quantity on an edit.
    SaleReversed,
    /// Goods a customer brought back.
    Return,
    /// Damage, a count correction or another reason given.
    Adjustment,
}

/// One movement of a product's stock, with the figures after it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StockMovement {
    /// `stm_<ULID>`.
    pub id: String,
    /// The business.
    pub business_id: String,
    /// The product.
    pub product_id: String,
    /// The product's name then.
    pub product_name: String,
    /// Why.
    pub kind: MovementKind,
    /// Units in (positive) or out (negative), three decimals.
    pub quantity: Quantity,
    /// Cost of one unit moved: `|value| / |quantity|`, paise.
    pub unit_cost: i64,
    /// Change of the stock's value, paise (negative out).
    pub value: i64,
    /// On hand after it.
    pub on_hand_after: Quantity,
    /// Weighted average cost after it, paise per unit.
    pub average_cost_after: i64,
    /// Stock value after it, paise.
    pub value_after: i64,
    /// Civil date it was recorded, in the business's time zone.
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// When it was recorded (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// The user who recorded it.
    pub by: String,
    /// The invoice, for sales and their reversals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
    /// The invoice's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_number: Option<String>,
    /// The customer of the invoice or return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    /// The purchase receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_id: Option<String>,
    /// The supplier's bill number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_number: Option<String>,
    /// The supplier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier_name: Option<String>,
    /// The reason given (adjustments and returns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A sale that took more than was on hand, under the `warn` policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StockWarning {
    /// `lines[i].quantity` of the first line of the product.
    pub field: String,
    /// `insufficient_stock`.
    pub code: String,
    /// For people: `Toor Dal: 5 kg sold with 3 on hand`.
    pub detail: String,
    /// The product.
    pub product_id: String,
    /// On hand before this invoice.
    pub on_hand: Quantity,
    /// On hand after it (below zero).
    pub on_hand_after: Quantity,
}

/// A product's stock figures: a row of the stock reports, and the copy
/// kept in the low-stock list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StockRow {
    /// The product.
    pub product_id: String,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Category, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<String>,
    /// On hand, three decimals.
    pub on_hand: Quantity,
    /// Weighted average cost, paise per unit.
    pub average_cost: i64,
    /// Value on hand, paise.
    pub stock_value: i64,
    /// Low-stock threshold, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_stock_threshold: Option<Quantity>,
    /// How much to order, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reorder_quantity: Option<Quantity>,
    /// At or below its threshold.
    pub low_stock: bool,
    /// Whether it can go on new invoices.
    pub active: bool,
}

/// How units come in or go out.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Flow {
    /// Out at the average cost.
    Out,
    /// In at the average cost (a count correction, a return).
    InAtAverage,
    /// In at a unit cost in paise (opening stock, a receipt).
    InAtCost(i64),
    /// In at a total value in paise (a sale reversed).
    InAtValue(i64),
}

/// The kept figures of a tracked product.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Level {
    /// On hand, thousandths of the unit.
    pub on_hand: Quantity,
    /// Weighted average cost, paise per unit.
    pub average_cost: i64,
    /// Value on hand, paise, kept exactly by every movement.
    pub stock_value: i64,
}

/// On hand × a cost in paise a unit, rounded half-up to the paisa.
pub fn value_of(on_hand: Quantity, average: i64) -> i64 {
    on_hand.times(average)
}

impl Level {
    /// The figures after `q` units (thousandths, > 0) flow as `flow` (see
    /// the module docs).
    pub(crate) fn after(self, q: i64, flow: Flow) -> Level {
        let (h, v, a) = (self.on_hand.milli(), self.stock_value, self.average_cost);
        let times = |units: i64, paise: i64| Quantity(units).times(paise);
        let (h2, v2) = match flow {
            Flow::Out if h > 0 && q <= h => (
                h - q,
                v - div_round_half_up(v as i128 * q as i128, h as i128),
            ),
            Flow::Out if h > 0 => (h - q, -times(q - h, a)),
            Flow::Out => (h - q, v - times(q, a)),
            Flow::InAtAverage => (h + q, v + times(q, a)),
            Flow::InAtCost(c) if h < 0 => (h + q, times(h + q, c)),
            Flow::InAtCost(c) => (h + q, v + times(q, c)),
            Flow::InAtValue(value) => (h + q, v + value),
        };
        let a2 = match flow {
            _ if h2 > 0 => div_round_half_up(v2 as i128 * 1000, h2 as i128),
            Flow::InAtCost(c) => c,
            _ => a,
        };
        Level {
            on_hand: Quantity(h2),
            average_cost: a2,
            stock_value: v2,
        }
    }
}

/// Where a movement comes from, copied onto it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Source {
    pub invoice_id: Option<String>,
    pub invoice_number: Option<String>,
    pub customer_name: Option<String>,
    pub receipt_id: Option<String>,
    pub bill_number: Option<String>,
    pub supplier_name: Option<String>,
    pub reason: Option<String>,
}

/// What a movement is about: the product, who, when and why.
pub(crate) struct MovementOf<'a> {
    pub business_id: &'a str,
    pub product_id: &'a str,
    pub product_name: &'a str,
    pub kind: MovementKind,
    pub date: Date,
    pub at: Timestamp,
    pub by: &'a str,
    pub source: Source,
}

impl MovementOf<'_> {
    /// The movement of `q` units (thousandths, > 0; out when `flow` is
    /// [`Flow::Out`]) from `before` to `after`.
    pub(crate) fn movement(self, q: i64, flow: Flow, before: Level, after: Level) -> StockMovement {
        let change = after.stock_value - before.stock_value;
        let s = self.source;
        StockMovement {
            id: new_id("stm"),
            business_id: self.business_id.to_string(),
            product_id: self.product_id.to_string(),
            product_name: self.product_name.to_string(),
            kind: self.kind,
            quantity: Quantity(if matches!(flow, Flow::Out) { -q } else { q }),
            unit_cost: div_round_half_up(change.unsigned_abs() as i128 * 1000, q as i128),
            value: change,
            on_hand_after: after.on_hand,
            average_cost_after: after.average_cost,
            value_after: after.stock_value,
            date: self.date,
            at: self.at,
            by: self.by.to_string(),
            invoice_id: s.invoice_id,
            invoice_number: s.invoice_number,
            customer_name: s.customer_name,
            receipt_id: s.receipt_id,
            bill_number: s.bill_number,
            supplier_name: s.supplier_name,
            reason: s.reason,
        }
    }
}

impl Deltas {
    /// Adds `delta` paise to the business's stock value (`TOTALS`).
    pub(crate) fn stock_value(&mut self, business_id: &str, delta: i64) {
        let totals = keys::stats_totals(business_id);
        self.describe(&totals, "stats_totals", &[]);
        self.add(totals, "stock_value", delta);
    }

    /// Adds a receipt's amount (paise) to the purchases of its bill date.
    pub(crate) fn purchase(&mut self, business_id: &str, date: &str, amount: i64) {
        let day = keys::stats_day(business_id, date);
        self.describe(&day, "stats_day", &[("date", date)]);
        self.add(day, "purchased", amount);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(on_hand: i64, average: i64) -> Level {
        let on_hand = Quantity(on_hand * 1000);
        Level {
            on_hand,
            average_cost: average,
            stock_value: value_of(on_hand, average),
        }
    }

    #[test]
    fn a_receipt_averages_the_cost_by_quantity() {
        // 100 at ₹40 and 50 at ₹46: (4,00,000 + 2,30,000) / 150 = ₹42.
        assert_eq!(
            level(100, 4000).after(50_000, Flow::InAtCost(4600)),
            level(150, 4200)
        );
    }

    #[test]
    fn a_receipt_adds_exactly_the_bill_and_the_average_is_rounded() {
        // 10 kg at ₹90, then 5.5 kg at ₹100: ₹1,450.00 for 15.5 kg, ₹93.548… a kg.
        let l = level(10, 9000).after(5_500, Flow::InAtCost(10_000));
        assert_eq!(l.stock_value, 145_000);
        assert_eq!(l.average_cost, 9355);
    }

    #[test]
    fn a_sale_takes_out_its_share_of_the_value() {
        assert_eq!(level(150, 4200).after(30_000, Flow::Out), level(120, 4200));
        // Selling all of it leaves nothing, whatever the rounding.
        let l = level(10, 9000).after(5_500, Flow::InAtCost(10_000));
        let all = l.after(15_500, Flow::Out);
        assert_eq!((all.on_hand, all.stock_value), (Quantity(0), 0));
        assert_eq!(all.average_cost, 9355, "the last average stays");
    }

    #[test]
    fn selling_beyond_stock_costs_the_rest_at_the_average() {
        let l = level(2, 4000).after(5_000, Flow::Out);
        assert_eq!(
            (l.on_hand, l.stock_value, l.average_cost),
            (Quantity(-3_000), -12_000, 4000)
        );
    }

    #[test]
    fn a_receipt_into_negative_stock_recosts_the_oversold_units() {
        assert_eq!(
            level(-5, 4000).after(10_000, Flow::InAtCost(5000)),
            level(5, 5000)
        );
    }

    #[test]
    fn a_reversal_comes_back_at_the_cost_it_went_out_at() {
        // 10 on hand at ₹50; 10 sold earlier at ₹40 come back: ₹45 average.
        assert_eq!(
            level(10, 5000).after(10_000, Flow::InAtValue(40_000)),
            level(20, 4500)
        );
    }

    #[test]
    fn fractions_round_half_up_to_the_paisa() {
        // 0.333 kg at ₹10.01 a kg is worth 333.33 paise: 333.
        assert_eq!(value_of(Quantity(333), 1001), 333);
        assert_eq!(
            level(3, 1000)
                .after(1_000, Flow::InAtCost(1001))
                .average_cost,
            1000
        );
    }
}
