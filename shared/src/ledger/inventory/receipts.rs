//! Purchase receipts (goods in from a supplier's bill) and stock
//! adjustments (damage, count corrections, customer returns), each one
//! transaction with the products' stock figures, their movements, the
//! supplier's totals and the business's stock value.
//!
//! Access patterns: a receipt is `BIZ#<bid>` / `RCP#<id>`; GSI1
//! `BIZ#<bid>#RCP` by bill date; GSI2 `BIZ#<bid>#SUP#<sid>#RCP` by bill
//! date. A supplier's bill number is unique in the business
//! (`BIZ#<bid>#STOCK` / `BILL#<sid>#<number>`), so the same bill cannot be
//! entered twice.

use crate::app::{Hisaab, from_item, to_item};
use crate::error::{Error, Errors, FieldError, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::Actor;
use crate::ids::{is_id, new_id};
use crate::keys;
use crate::ledger::aggregates::Deltas;
use crate::ledger::catalogue::{MAX_UNIT_PRICE, Product};
use crate::ledger::inventory::suppliers::{Supplier, supplier_item};
use crate::ledger::invoices::date_range;
use crate::ledger::stock::{
    Flow, MAX_STOCKED_PRODUCTS, MovementKind, NegativeStock, Source, StockMovement,
};
use crate::money::Quantity;
use crate::paging::{Page, page_limit};
use crate::table::{Cond, Query, Write};
use crate::validate;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use utoipa::ToSchema;

/// One line of `POST /v1/stock/receipts`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptLineInput {
    /// A stock-tracked product of the business, once per receipt.
    pub product_id: String,
    /// Units received, more than 0, at most three decimals.
    pub quantity: Quantity,
    /// Cost of one unit before tax, paise, 0 to 10^9.
    pub unit_cost: i64,
}

/// `POST /v1/stock/receipts`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReceipt {
    /// A supplier of the business.
    pub supplier_id: String,
    /// The supplier's bill number (1–40 characters), unique per supplier.
    pub bill_number: String,
    /// Date of the bill (`YYYY-MM-DD`), not after today.
    #[schema(value_type = String, format = Date)]
    pub bill_date: Date,
    /// 1 to 25 lines, one per product.
    pub lines: Vec<ReceiptLineInput>,
    /// Notes (≤ 1000 characters).
    #[serde(default)]
    pub notes: Option<String>,
}

/// A line of a receipt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReceiptLine {
    /// The product.
    pub product_id: String,
    /// Its name then.
    pub product_name: String,
    /// Its unit.
    pub unit: String,
    /// Units received.
    pub quantity: Quantity,
    /// Cost of one unit, paise.
    pub unit_cost: i64,
    /// `quantity × unit_cost`, rounded half-up, paise.
    pub amount: i64,
    /// The product's weighted average cost after the receipt, paise.
    pub average_cost_after: i64,
}

/// Goods received from a supplier.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Receipt {
    /// `rcp_<ULID>`.
    pub id: String,
    /// The business.
    pub business_id: String,
    /// The supplier.
    pub supplier_id: String,
    /// The supplier's name then.
    pub supplier_name: String,
    /// The supplier's GSTIN then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier_gstin: Option<String>,
    /// The supplier's bill number.
    pub bill_number: String,
    /// Date of the bill.
    #[schema(value_type = String, format = Date)]
    pub bill_date: Date,
    /// The lines.
    pub lines: Vec<ReceiptLine>,
    /// Sum of the lines' amounts, paise.
    pub total: i64,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The user who recorded it.
    pub received_by: String,
    /// Recorded (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Version, 1.
    pub version: i64,
}

/// Filters of `GET /v1/stock/receipts`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReceiptFilter {
    /// Page size, 1–100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page, with the same filters.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Only this supplier's receipts.
    #[serde(default)]
    pub supplier_id: Option<String>,
    /// Bills dated on or after (`YYYY-MM-DD`).
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// Bills dated on or before.
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<Date>,
}

/// What an adjustment is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentKind {
    /// Damage, a count correction, another reason (in or out).
    #[default]
    Adjustment,
    /// Goods a customer brought back (in), at the average cost.
    Return,
}

/// `POST /v1/stock/adjustments`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAdjustment {
    /// A stock-tracked product of the business.
    pub product_id: String,
    /// Units in (positive) or out (negative), not 0, three decimals; a
    /// return is positive.
    pub quantity: Quantity,
    /// Why (1–200 characters; required for an adjustment): `damaged in
    /// the rain`, `count on 30 Nov`.
    #[serde(default)]
    pub reason: Option<String>,
    /// `adjustment` (default) or `return`.
    #[serde(default)]
    pub kind: AdjustmentKind,
    /// The customer who returned the goods (returns only).
    #[serde(default)]
    pub customer_id: Option<String>,
}

fn bill_key(number: &str) -> String {
    number.trim().to_uppercase()
}

/// A product that stock can move for: one of the business's, tracking stock.
fn check_stock_product(errs: &mut Errors, field: &str, p: Option<&Product>) {
    match p {
        None => errs.push(field, "unknown_product", "no such product in this business"),
        Some(p) if !p.track_stock => errs.push(
            field,
            "not_tracked",
            "the product does not keep stock: turn on track_stock first",
        ),
        _ => {}
    }
}

fn check_quantity(errs: &mut Errors, field: &str, q: Quantity) {
    if q.milli() <= 0 {
        errs.push(field, "out_of_range", "more than 0");
    }
}

impl Hisaab {
    /// `POST /v1/stock/receipts`: validates everything (422 naming each
    /// bad field — an unknown or untracked product, a quantity of 0 or
    /// less, a cost out of range; nothing is written), then adds the
    /// goods to stock at their cost, re-averaging each product's cost, in
    /// one transaction with the supplier's totals. The same bill number
    /// from the same supplier twice is a 409 naming `bill_number`.
    pub async fn create_receipt(
        &self,
        actor: &Actor,
        input: NewReceipt,
        idem: Option<Idempotency>,
    ) -> Result<(Receipt, bool)> {
        let bid = actor.business_id()?.to_string();
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
        self.retrying(|| self.try_receipt(actor, &bid, &input, idem.as_ref()))
            .await
    }

    async fn try_receipt(
        &self,
        actor: &Actor,
        bid: &str,
        input: &NewReceipt,
        idem: Option<&Idempotency>,
    ) -> Result<Option<(Receipt, bool)>> {
        let settings = self.business_settings(bid).await?;
        let today = settings.today(self.clock.now());
        let mut errs = Errors::default();
        let supplier: Option<Supplier> = if is_id("sup", &input.supplier_id) {
            match self
                .table
                .get(&keys::supplier(bid, &input.supplier_id))
                .await?
            {
                Some(i) => Some(from_item(i)?),
                None => None,
            }
        } else {
            None
        };
        if supplier.is_none() {
            errs.push(
                "supplier_id",
                "unknown_supplier",
                "no such supplier in this business",
            );
        }
        let bill_number = errs.check(validate::text("bill_number", &input.bill_number, 40));
        if input.bill_date > today {
            errs.push("bill_date", "in_future", "a bill dated today or earlier");
        }
        let notes = input
            .notes
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .and_then(|n| errs.check(validate::text("notes", n, 1000)));
        if input.lines.is_empty() {
            errs.push("lines", "required", "at least one line");
        }
        if input.lines.len() > MAX_STOCKED_PRODUCTS {
            errs.push(
                "lines",
                "too_many_lines",
                format!("at most {MAX_STOCKED_PRODUCTS} lines on one receipt"),
            );
        }
        let mut seen = HashSet::new();
        let mut products: Vec<Option<Product>> = vec![];
        for (i, l) in input.lines.iter().enumerate() {
            let f = |name: &str| format!("lines[{i}].{name}");
            check_quantity(&mut errs, &f("quantity"), l.quantity);
            if !(0..=MAX_UNIT_PRICE).contains(&l.unit_cost) {
                errs.push(
                    &f("unit_cost"),
                    "out_of_range",
                    "a cost in paise from 0 to 1000000000",
                );
            }
            if !seen.insert(l.product_id.clone()) {
                errs.push(
                    &f("product_id"),
                    "duplicate_product",
                    "the product is on an earlier line of this receipt",
                );
                products.push(None);
                continue;
            }
            let p = self.product_of(bid, &l.product_id).await?;
            check_stock_product(&mut errs, &f("product_id"), p.as_ref());
            products.push(p);
        }
        errs.finish()?;
        let supplier = supplier.expect("checked");
        let bill_number = bill_number.unwrap_or_default();
        let id = new_id("rcp");
        let source = Source {
            receipt_id: Some(id.clone()),
            bill_number: Some(bill_number.clone()),
            supplier_name: Some(supplier.name.clone()),
            ..Source::default()
        };
        let mut deltas = Deltas::default();
        let mut writes = vec![];
        let mut lines = vec![];
        for (l, p) in input.lines.iter().zip(&products) {
            let p = p.as_ref().expect("checked");
            let m = self.move_stock(
                p,
                l.quantity.milli(),
                Flow::InAtCost(l.unit_cost),
                MovementKind::Purchase,
                today,
                &actor.user.id,
                source.clone(),
            );
            lines.push(ReceiptLine {
                product_id: p.id.clone(),
                product_name: p.name.clone(),
                unit: p.unit.clone(),
                quantity: l.quantity,
                unit_cost: l.unit_cost,
                amount: l.quantity.times(l.unit_cost),
                average_cost_after: m.product.average_cost,
            });
            writes.extend(m.writes(Some(p), &mut deltas)?);
        }
        let total: i64 = lines.iter().map(|l| l.amount).sum();
        let now = self.clock.now();
        let r = Receipt {
            id: id.clone(),
            business_id: bid.to_string(),
            supplier_id: supplier.id.clone(),
            supplier_name: supplier.name.clone(),
            supplier_gstin: supplier.gstin.clone(),
            bill_number: bill_number.clone(),
            bill_date: input.bill_date,
            lines,
            total,
            notes,
            received_by: actor.user.id.clone(),
            created_at: now,
            version: 1,
        };
        let mut item = to_item("receipt", &keys::receipt(bid, &id), &r)?;
        let by_date = keys::date_sort_key(&r.bill_date.to_string(), &id);
        keys::receipts_by_date(bid)
            .at(by_date.clone())
            .set_on(&mut item);
        keys::supplier_receipts(bid, &supplier.id)
            .at(by_date)
            .set_on(&mut item);
        let s2 = Supplier {
            purchases: supplier.purchases + total,
            receipts: supplier.receipts + 1,
            updated_at: now,
            version: supplier.version + 1,
            ..supplier.clone()
        };
        let mut all = vec![
            Write::Put {
                item,
                cond: Some(Cond::NotExists),
            },
            Write::Put {
                item: to_item(
                    "supplier_bill",
                    &keys::supplier_bill(bid, &supplier.id, &bill_key(&bill_number)),
                    &serde_json::json!({ "receipt_id": id }),
                )?,
                cond: Some(Cond::NotExists),
            },
            Write::Put {
                item: supplier_item(&s2)?,
                cond: Some(Cond::version(supplier.version)),
            },
        ];
        all.extend(writes);
        deltas.purchase(bid, &r.bill_date.to_string(), total);
        all.extend(deltas.into_writes());
        self.commit_create(&actor.user.id, idem, all, r, |index| {
            (index == Some(1)).then(|| Error::Conflict {
                detail: format!(
                    "bill {bill_number} from {} is already recorded",
                    supplier.name
                ),
                errors: vec![FieldError::new("bill_number", "taken", "already recorded")],
            })
        })
        .await
    }

    /// `GET /v1/stock/receipts/{receipt_id}`: 404 for other businesses' ids.
    pub async fn get_receipt(&self, actor: &Actor, receipt_id: &str) -> Result<Receipt> {
        let bid = actor.business_id()?;
        if !is_id("rcp", receipt_id) {
            return Err(Error::NotFound("receipt"));
        }
        from_item(
            self.table
                .get(&keys::receipt(bid, receipt_id))
                .await?
                .ok_or(Error::NotFound("receipt"))?,
        )
    }

    /// `GET /v1/stock/receipts`: newest bill first, of one supplier or all.
    pub async fn list_receipts(&self, actor: &Actor, f: ReceiptFilter) -> Result<Page<Receipt>> {
        let bid = actor.business_id()?.to_string();
        let limit = page_limit(f.limit, 50, 100)?;
        let partition = match &f.supplier_id {
            Some(s) => keys::supplier_receipts(&bid, s),
            None => keys::receipts_by_date(&bid),
        };
        let mut query = Query::on(partition).descending().limit(limit);
        if let Some((a, b)) = date_range(f.from, f.to) {
            query = query.between(a, b);
        }
        self.query_page(
            query,
            &format!(
                "receipts|{bid}|{}|{:?}|{:?}",
                f.supplier_id.as_deref().unwrap_or(""),
                f.from,
                f.to
            ),
            f.cursor.as_deref(),
            |_: &Receipt| true,
        )
        .await
    }

    /// `POST /v1/stock/adjustments`: moves a tracked product's stock by a
    /// signed quantity with a reason (an adjustment, at the average cost),
    /// or takes back goods from a customer (a return, positive). 422
    /// naming the field for an unknown or untracked product, a quantity of
    /// 0, an adjustment without a reason, or — under the `refuse` policy —
    /// stock going below zero. Retries against concurrent sales.
    pub async fn create_adjustment(
        &self,
        actor: &Actor,
        input: NewAdjustment,
        idem: Option<Idempotency>,
    ) -> Result<(StockMovement, bool)> {
        let bid = actor.business_id()?.to_string();
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
        let mut errs = Errors::default();
        let q = input.quantity.milli();
        if q == 0 {
            errs.push("quantity", "out_of_range", "not 0");
        }
        if input.kind == AdjustmentKind::Return && q < 0 {
            errs.push(
                "quantity",
                "out_of_range",
                "a return brings goods back: more than 0",
            );
        }
        let reason = match input.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            Some(r) => errs.check(validate::text("reason", r, 200)),
            None if input.kind == AdjustmentKind::Adjustment => {
                errs.push("reason", "required", "say why the stock changes");
                None
            }
            None => None,
        };
        let customer_name = match input.customer_id.as_deref() {
            Some(_) if input.kind != AdjustmentKind::Return => {
                errs.push("customer_id", "not_a_return", "only on a return");
                None
            }
            Some(c) => match self.customer_of(&bid, c).await {
                Ok(c) => Some(c.name),
                Err(Error::NotFound(_)) => {
                    errs.push(
                        "customer_id",
                        "unknown_customer",
                        "no such customer in this business",
                    );
                    None
                }
                Err(e) => return Err(e),
            },
            None => None,
        };
        let first = self.product_of(&bid, &input.product_id).await?;
        check_stock_product(&mut errs, "product_id", first.as_ref());
        errs.finish()?;
        let settings = self.business_settings(&bid).await?;
        let kind = match input.kind {
            AdjustmentKind::Adjustment => MovementKind::Adjustment,
            AdjustmentKind::Return => MovementKind::Return,
        };
        let source = Source {
            reason,
            customer_name,
            ..Source::default()
        };
        // The first attempt uses the product just read (its version guards
        // the write); a retry reads it again.
        let read = std::sync::Mutex::new(first);
        self.retrying(|| async {
            let cached = read.lock().expect("not poisoned").take();
            let p = match cached {
                Some(p) => p,
                None => self
                    .product_of(&bid, &input.product_id)
                    .await?
                    .ok_or(Error::NotFound("product"))?,
            };
            if q < 0
                && p.on_hand.milli() + q < 0
                && settings.negative_stock == NegativeStock::Refuse
            {
                return Err(Error::field(
                    "quantity",
                    "insufficient_stock",
                    format!("only {} {} of {} on hand", p.on_hand, p.unit, p.name),
                ));
            }
            let flow = if q < 0 { Flow::Out } else { Flow::InAtAverage };
            let today = settings.today(self.clock.now());
            let m = self.move_stock(
                &p,
                q.abs(),
                flow,
                kind,
                today,
                &actor.user.id,
                source.clone(),
            );
            let mut deltas = Deltas::default();
            let mut writes = m.writes(Some(&p), &mut deltas)?;
            writes.extend(deltas.into_writes());
            self.commit_create(&actor.user.id, idem.as_ref(), writes, m.movement, |_| None)
                .await
        })
        .await
    }
}
