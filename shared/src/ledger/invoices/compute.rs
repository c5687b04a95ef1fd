//! The figures of an invoice, computed exactly from its lines: gross,
//! discount, taxable value, CGST and SGST or IGST, rounding to the paisa
//! (see the module's tests for the rules).

use crate::error::Errors;
use crate::ledger::catalogue::{MAX_UNIT_PRICE, Product};
use crate::ledger::customers::Customer;
use crate::ledger::invoices::{Line, LineInput, MAX_LINES, MAX_TOTAL, Supply};
use crate::ledger::settings::{Settings, tax_rate};
use crate::money::{Quantity, apply_rate, div_round_half_up};
use crate::validate;
use std::collections::HashMap;

/// Lines with their figures and the invoice totals.
pub(crate) struct Computed {
    pub(crate) lines: Vec<Line>,
    pub(crate) subtotal: i64,
    pub(crate) discount_total: i64,
    pub(crate) taxable_total: i64,
    pub(crate) cgst_total: i64,
    pub(crate) sgst_total: i64,
    pub(crate) igst_total: i64,
    pub(crate) tax_total: i64,
    pub(crate) total: i64,
}

/// Computes one line's figures (see the module docs for the rounding).
pub fn line_figures(
    quantity: Quantity,
    unit_price: i64,
    discount: Option<i64>,
    discount_rate_bp: Option<i64>,
    tax_rate_bp: i64,
    supply: Supply,
) -> (i64, i64, i64, i64, i64, i64) {
    let gross = quantity.times(unit_price);
    let discount = match (discount, discount_rate_bp) {
        (_, Some(r)) => apply_rate(gross, r),
        (Some(d), None) => d,
        (None, None) => 0,
    };
    // Saturating: a discount far out of range (refused by the caller)
    // must not overflow on the way.
    let taxable = gross.saturating_sub(discount);
    let (cgst, sgst, igst) = match supply {
        Supply::IntraState => {
            let half = div_round_half_up(taxable as i128 * tax_rate_bp as i128, 20_000);
            (half, half, 0)
        }
        Supply::InterState => (0, 0, apply_rate(taxable, tax_rate_bp)),
    };
    (gross, discount, taxable, cgst, sgst, igst)
}

/// Validates and computes the lines (422 naming `lines[i].<field>` for
/// each problem). `products` holds the business's products the lines name.
pub(crate) fn compute(
    errs: &mut Errors,
    inputs: &[LineInput],
    products: &HashMap<String, Product>,
    settings: &Settings,
    supply: Supply,
) -> Computed {
    if inputs.is_empty() {
        errs.push("lines", "required", "an invoice has at least one line");
    }
    if inputs.len() > MAX_LINES {
        errs.push(
            "lines",
            "too_many",
            format!("an invoice has at most {MAX_LINES} lines"),
        );
    }
    let mut lines = Vec::with_capacity(inputs.len());
    for (i, l) in inputs.iter().enumerate() {
        let f = |name: &str| format!("lines[{i}].{name}");
        let product = match &l.product_id {
            Some(id) => match products.get(id) {
                Some(p) if p.active => Some(p),
                Some(_) => {
                    errs.push(
                        &f("product_id"),
                        "inactive_product",
                        "this product is deactivated",
                    );
                    continue;
                }
                None => {
                    errs.push(
                        &f("product_id"),
                        "unknown_product",
                        "no such product in this business",
                    );
                    continue;
                }
            },
            None => None,
        };
        let description = match (l.description.as_deref(), product) {
            (Some(d), _) => errs.check(validate::text(&f("description"), d, 200)),
            (None, Some(p)) => Some(p.name.clone()),
            (None, None) => {
                errs.push(
                    &f("description"),
                    "required",
                    "a line without a product needs a description",
                );
                None
            }
        };
        let hsn_sac = match (l.hsn_sac.as_deref(), product) {
            (Some(h), _) if !h.trim().is_empty() => errs.check(validate::hsn_sac(&f("hsn_sac"), h)),
            (_, Some(p)) => p.hsn_sac.clone(),
            _ => None,
        };
        let unit = match (l.unit.as_deref(), product) {
            (Some(u), _) => errs.check(validate::text(&f("unit"), u, 20)),
            (None, Some(p)) => Some(p.unit.clone()),
            (None, None) => Some("pcs".to_string()),
        };
        if l.quantity.milli() <= 0 {
            errs.push(
                &f("quantity"),
                "not_positive",
                "the quantity must be more than 0",
            );
        }
        let unit_price = match (l.unit_price, product) {
            (Some(p), _) => p,
            (None, Some(p)) => p.unit_price,
            (None, None) => {
                errs.push(
                    &f("unit_price"),
                    "required",
                    "a line without a product needs a unit price",
                );
                0
            }
        };
        if !(0..=MAX_UNIT_PRICE).contains(&unit_price) {
            errs.push(
                &f("unit_price"),
                "out_of_range",
                "a price in paise from 0 to 1000000000",
            );
        }
        let rate = l
            .tax_rate_bp
            .or(product.map(|p| p.tax_rate_bp))
            .unwrap_or(settings.default_tax_rate_bp);
        let rate = tax_rate(errs, &f("tax_rate_bp"), rate).unwrap_or(0);
        if l.discount.is_some() && l.discount_rate_bp.is_some() {
            errs.push(
                &f("discount"),
                "conflict",
                "give either discount or discount_rate_bp, not both",
            );
        }
        if let Some(r) = l.discount_rate_bp {
            tax_rate(errs, &f("discount_rate_bp"), r);
        }
        if l.quantity.milli() <= 0 || !(0..=MAX_UNIT_PRICE).contains(&unit_price) {
            continue;
        }
        let (gross, discount, taxable, cgst, sgst, igst) = line_figures(
            l.quantity,
            unit_price,
            l.discount,
            l.discount_rate_bp.filter(|r| (0..=10_000).contains(r)),
            rate,
            supply,
        );
        if discount < 0 || discount > gross {
            errs.push(
                &f("discount"),
                "out_of_range",
                format!("the discount must be between 0 and the line's amount ({gross} paise)"),
            );
            continue;
        }
        let tax = cgst + sgst + igst;
        lines.push(Line {
            product_id: product.map(|p| p.id.clone()),
            description: description.unwrap_or_default(),
            hsn_sac,
            unit: unit.unwrap_or_default(),
            quantity: l.quantity,
            unit_price,
            discount_rate_bp: l.discount_rate_bp,
            discount,
            tax_rate_bp: rate,
            gross,
            taxable,
            cgst,
            sgst,
            igst,
            tax,
            total: taxable + tax,
            cost: None,
        });
    }
    // Saturating: a hundred lines of up to 2 × 10^18 paise each can pass
    // `i64`; such a sum stays above MAX_TOTAL and is refused below.
    let sum = |f: fn(&Line) -> i64| lines.iter().map(f).fold(0i64, i64::saturating_add);
    let c = Computed {
        subtotal: sum(|l| l.gross),
        discount_total: sum(|l| l.discount),
        taxable_total: sum(|l| l.taxable),
        cgst_total: sum(|l| l.cgst),
        sgst_total: sum(|l| l.sgst),
        igst_total: sum(|l| l.igst),
        tax_total: sum(|l| l.tax),
        total: sum(|l| l.total),
        lines,
    };
    if c.total > MAX_TOTAL {
        errs.push(
            "lines",
            "too_large",
            "an invoice total is at most 100000000000 paise (₹100 crore)",
        );
    }
    c
}

/// The place of supply and the kind of supply (see the module docs).
pub(crate) fn place_of_supply(
    errs: &mut Errors,
    given: Option<&str>,
    customer: &Customer,
    settings: &Settings,
) -> (Option<String>, Supply) {
    let pos = match given {
        Some(p) => errs.check(validate::gst_state("place_of_supply", p)),
        None => customer
            .gstin
            .as_deref()
            .map(|g| g[..2].to_string())
            .or_else(|| settings.state_code().map(str::to_owned)),
    };
    let supply = match (settings.state_code(), pos.as_deref()) {
        (Some(own), Some(p)) if own != p => Supply::InterState,
        _ => Supply::IntraState,
    };
    (pos, supply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_figures_round_half_up_per_line() {
        // 2.5 kg at ₹123.45 with 10 % off at 5 % GST, intra-state.
        let (gross, disc, taxable, cgst, sgst, igst) = line_figures(
            Quantity(2500),
            12_345,
            None,
            Some(1000),
            500,
            Supply::IntraState,
        );
        assert_eq!(gross, 30_863); // 30 862.5 → 30 863
        assert_eq!(disc, 3086); // 3 086.3
        assert_eq!(taxable, 27_777);
        assert_eq!((cgst, sgst, igst), (694, 694, 0)); // 694.425 each
        let (_, _, _, c, s, i) = line_figures(
            Quantity(2500),
            12_345,
            None,
            Some(1000),
            500,
            Supply::InterState,
        );
        assert_eq!((c, s, i), (0, 0, 1389)); // 1 388.85
    }

    fn line(quantity: Quantity, unit_price: i64, discount: Option<i64>) -> LineInput {
        LineInput {
            product_id: None,
            description: Some("Edge".into()),
            hsn_sac: None,
            unit: None,
            quantity,
            unit_price: Some(unit_price),
            discount,
            discount_rate_bp: None,
            tax_rate_bp: Some(10_000),
        }
    }

    /// Found by `shared/tests/parsers.rs`: nine lines of a billion units at
    /// the highest price overflowed the totals (a panic in debug builds, a
    /// wrapped total in release ones), and a discount of `i64::MIN` the
    /// line's taxable amount.
    #[test]
    fn figures_past_i64_are_refused_not_overflowed() {
        let settings = Settings::defaults("biz_1");
        let most = Quantity(1_000_000_000 * Quantity::SCALE);
        let lines: Vec<LineInput> = (0..9).map(|_| line(most, MAX_UNIT_PRICE, None)).collect();
        let mut errs = Errors::default();
        let c = compute(
            &mut errs,
            &lines,
            &HashMap::new(),
            &settings,
            Supply::IntraState,
        );
        assert_eq!(c.total, i64::MAX);
        assert_eq!(errs.0.len(), 1, "{:?}", errs.0);
        assert_eq!(
            (errs.0[0].field.as_str(), errs.0[0].code.as_str()),
            ("lines", "too_large")
        );

        let mut errs = Errors::default();
        let lines = [line(Quantity(1000), 100, Some(i64::MIN))];
        compute(
            &mut errs,
            &lines,
            &HashMap::new(),
            &settings,
            Supply::IntraState,
        );
        assert_eq!(errs.0.len(), 1, "{:?}", errs.0);
        assert_eq!(
            (errs.0[0].field.as_str(), errs.0[0].code.as_str()),
            ("lines[0].discount", "out_of_range")
        );
    }
}
