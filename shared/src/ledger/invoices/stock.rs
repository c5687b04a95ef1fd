//! The stock side of invoices: an issued invoice's lines of stock-tracked
//! products move stock (see [`crate::ledger::stock`]) in the same
//! transaction as the invoice; an edit moves the difference per product,
//! a cancellation reverses it, and each costed line carries its cost of
//! goods.

use crate::app::Hisaab;
use crate::error::{Errors, Result};
use crate::ledger::aggregates::Deltas;
use crate::ledger::catalogue::Product;
use crate::ledger::invoices::{Invoice, Line};
use crate::ledger::settings::Settings;
use crate::ledger::stock::{
    Flow, MAX_STOCKED_PRODUCTS, MovementKind, NegativeStock, Source, StockWarning,
};
use crate::money::{Quantity, div_round_half_up};
use crate::table::Write;
use std::collections::{BTreeMap, HashMap};

impl Hisaab {
    /// Moves the stock of `new` (the invoice as it will be saved) from
    /// `old_lines` (the lines it had issued; `None` for a draft) and sets
    /// its lines' costs, its cost of goods, margin and stock warnings.
    /// `known` are products read in this request: those that do not track
    /// stock are not read again. Returns the writes to commit with it.
    pub(crate) async fn invoice_stock_writes(
        &self,
        settings: &Settings,
        new: &mut Invoice,
        old_lines: Option<&[Line]>,
        by: &str,
        known: &HashMap<String, Product>,
        deltas: &mut Deltas,
    ) -> Result<Vec<Write>> {
        let any_product = new
            .lines
            .iter()
            .chain(old_lines.unwrap_or_default())
            .any(|l| l.product_id.is_some());
        if !any_product {
            return Ok(vec![]);
        }
        let source = Source {
            invoice_id: Some(new.id.clone()),
            invoice_number: new.number.clone(),
            customer_name: Some(new.customer_name.clone()),
            ..Source::default()
        };
        let moving = new.is_issued() && !new.is_cancelled();
        let lines = moving.then_some(new.lines.as_mut_slice());
        let (writes, warnings) = self
            .invoice_stock(settings, &source, old_lines, lines, by, known, deltas)
            .await?;
        let (cost, margin) = margin_of(&new.lines);
        new.cost_of_goods = cost;
        new.gross_margin = margin;
        new.stock_warnings = warnings;
        Ok(writes)
    }

    /// The stock side of an invoice write: from the lines it had issued
    /// (`old`; `None` when it was a draft) to the lines it will have
    /// issued (`new`; `None` when it is cancelled or stays a draft).
    /// Reads each tracked product afresh, moves only the difference per
    /// product, sets each new line's `cost`, and returns the writes (product,
    /// low-stock mark, movement per product moved; stock value into
    /// `deltas`) and the warnings of the `warn` policy. Under `refuse` a
    /// sale beyond on hand is a 422 naming `lines[i].quantity`.
    ///
    /// A product whose lines on the issued invoice carry no cost (sold
    /// before it tracked stock) keeps not moving stock on that invoice.
    #[allow(clippy::too_many_arguments)]
    async fn invoice_stock(
        &self,
        settings: &Settings,
        source: &Source,
        old: Option<&[Line]>,
        new: Option<&mut [Line]>,
        by: &str,
        known: &HashMap<String, Product>,
        deltas: &mut Deltas,
    ) -> Result<(Vec<Write>, Vec<StockWarning>)> {
        #[derive(Default)]
        struct Per {
            old_q: i64,
            old_cost: i64,
            old_costed: bool,
            old_uncosted: bool,
            new_q: i64,
            first_line: Option<usize>,
        }
        let mut per: BTreeMap<String, Per> = BTreeMap::new();
        for l in old.unwrap_or_default() {
            let Some(pid) = &l.product_id else { continue };
            let e = per.entry(pid.clone()).or_default();
            match l.cost {
                Some(c) => {
                    e.old_q += l.quantity.milli();
                    e.old_cost += c;
                    e.old_costed = true;
                }
                None => e.old_uncosted = true,
            }
        }
        let mut new = new;
        if let Some(lines) = new.as_deref_mut() {
            for (i, l) in lines.iter_mut().enumerate() {
                l.cost = None;
                let Some(pid) = &l.product_id else { continue };
                let e = per.entry(pid.clone()).or_default();
                e.new_q += l.quantity.milli();
                e.first_line.get_or_insert(i);
            }
        }
        let bid = &settings.business_id;
        let today = settings.today(self.clock.now());
        let mut errs = Errors::default();
        let mut writes = vec![];
        let mut warnings = vec![];
        let mut costs: BTreeMap<String, i64> = BTreeMap::new();
        let mut tracked = 0;
        for (pid, e) in &per {
            if e.old_uncosted && !e.old_costed {
                continue;
            }
            if known.get(pid).is_some_and(|p| !p.track_stock) {
                continue;
            }
            let Some(p) = self.product_of(bid, pid).await? else {
                continue;
            };
            if !p.track_stock {
                continue;
            }
            tracked += 1;
            let field = format!("lines[{}].quantity", e.first_line.unwrap_or(0));
            let delta = e.new_q - e.old_q;
            let (moved, cost) = if delta > 0 {
                let after = p.on_hand.milli() - delta;
                if after < 0 {
                    let detail = format!(
                        "{}: {} {} sold with {} on hand",
                        p.name,
                        Quantity(delta),
                        p.unit,
                        p.on_hand
                    );
                    match settings.negative_stock {
                        NegativeStock::Refuse => {
                            errs.push(&field, "insufficient_stock", detail);
                            continue;
                        }
                        NegativeStock::Warn => warnings.push(StockWarning {
                            field: field.clone(),
                            code: "insufficient_stock".into(),
                            detail,
                            product_id: p.id.clone(),
                            on_hand: p.on_hand,
                            on_hand_after: Quantity(after),
                        }),
                        NegativeStock::Allow => {}
                    }
                }
                let m = self.move_stock(
                    &p,
                    delta,
                    Flow::Out,
                    MovementKind::Sale,
                    today,
                    by,
                    source.clone(),
                );
                let cost = e.old_cost - m.movement.value;
                (Some(m), cost)
            } else if delta < 0 {
                let back = e.old_cost
                    - div_round_half_up(e.old_cost as i128 * e.new_q as i128, e.old_q as i128);
                let m = self.move_stock(
                    &p,
                    -delta,
                    Flow::InAtValue(back),
                    MovementKind::SaleReversed,
                    today,
                    by,
                    source.clone(),
                );
                let cost = e.old_cost - m.movement.value;
                (Some(m), cost)
            } else {
                (None, e.old_cost)
            };
            costs.insert(pid.clone(), cost);
            if let Some(m) = moved {
                writes.extend(m.writes(Some(&p), deltas)?);
            }
        }
        if tracked > MAX_STOCKED_PRODUCTS {
            errs.push(
                "lines",
                "too_many_stocked_products",
                format!(
                    "at most {MAX_STOCKED_PRODUCTS} different stock-tracked products on one invoice"
                ),
            );
        }
        errs.finish()?;
        if let Some(lines) = new {
            spread_costs(lines, &costs);
        }
        Ok((writes, warnings))
    }
}

/// Gives each line of a product its share of the product's cost of goods
/// on the invoice, by quantity; the last line takes what rounding left.
fn spread_costs(lines: &mut [Line], costs: &BTreeMap<String, i64>) {
    for (pid, total) in costs {
        let idx: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.product_id.as_deref() == Some(pid))
            .map(|(i, _)| i)
            .collect();
        let q: i64 = idx.iter().map(|&i| lines[i].quantity.milli()).sum();
        let mut left = *total;
        for (n, &i) in idx.iter().enumerate() {
            let c = if n + 1 == idx.len() || q == 0 {
                left
            } else {
                div_round_half_up(
                    *total as i128 * lines[i].quantity.milli() as i128,
                    q as i128,
                )
            };
            lines[i].cost = Some(c);
            left -= c;
        }
    }
}

/// The invoice's cost of goods and gross margin over its costed lines.
pub(crate) fn margin_of(lines: &[Line]) -> (Option<i64>, Option<i64>) {
    let costed: Vec<&Line> = lines.iter().filter(|l| l.cost.is_some()).collect();
    if costed.is_empty() {
        return (None, None);
    }
    let cost: i64 = costed.iter().filter_map(|l| l.cost).sum();
    let taxable: i64 = costed.iter().map(|l| l.taxable).sum();
    (Some(cost), Some(taxable - cost))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_are_spread_by_quantity_and_add_up() {
        let line = |q: i64| -> Line {
            serde_json::from_value(serde_json::json!({
                "product_id": "prd_1", "description": "Dal", "unit": "kg",
                "quantity": q, "unit_price": 1, "discount": 0, "tax_rate_bp": 0,
                "gross": 0, "taxable": 0, "cgst": 0, "sgst": 0, "igst": 0, "tax": 0, "total": 0
            }))
            .unwrap()
        };
        let mut lines = vec![line(1), line(1), line(1)];
        spread_costs(&mut lines, &BTreeMap::from([("prd_1".to_string(), 100)]));
        let c: Vec<i64> = lines.iter().map(|l| l.cost.unwrap()).collect();
        assert_eq!(c, vec![33, 33, 34]);
    }
}
