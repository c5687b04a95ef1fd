//! The stock side of the catalogue: a product's stock figures and
//! low-stock mark (kept with every product write), one stock movement of a
//! product, and starting to keep stock (see [`crate::ledger::stock`]).

use super::{MAX_UNIT_PRICE, Product, product_item};
use crate::app::{Hisaab, from_item, to_item};
use crate::error::{Errors, Result};
use crate::identity::Actor;
use crate::ids::is_id;
use crate::keys;
use crate::ledger::aggregates::Deltas;
use crate::ledger::stock::{
    Flow, Level, MovementKind, MovementOf, Source, StockMovement, StockRow,
};
use crate::money::Quantity;
use crate::table::{Cond, Key, Write};
use crate::validate;

/// The stock fields of a create or a patch, checked together.
pub(super) struct StockFields {
    pub(super) track: bool,
    pub(super) opening_quantity: Option<Quantity>,
    pub(super) opening_cost: Option<i64>,
    pub(super) threshold: Option<Quantity>,
    pub(super) reorder: Option<Quantity>,
}

pub(super) fn check_stock_fields(errs: &mut Errors, f: &StockFields) {
    let untracked = |errs: &mut Errors, field: &str| {
        errs.push(
            field,
            "not_tracked",
            "only for a product with track_stock: true",
        )
    };
    if let Some(q) = f.opening_quantity {
        if !f.track {
            untracked(errs, "opening_quantity");
        } else if q.milli() < 0 {
            errs.push("opening_quantity", "out_of_range", "0 or more");
        }
    }
    if let Some(c) = f.opening_cost {
        if !f.track {
            untracked(errs, "opening_cost");
        } else if !(0..=MAX_UNIT_PRICE).contains(&c) {
            errs.push(
                "opening_cost",
                "out_of_range",
                "a cost in paise from 0 to 1000000000",
            );
        }
    }
    if let Some(t) = f.threshold {
        if !f.track {
            untracked(errs, "low_stock_threshold");
        } else if t.milli() < 0 {
            errs.push("low_stock_threshold", "out_of_range", "0 or more");
        }
    }
    if let Some(r) = f.reorder {
        if !f.track {
            untracked(errs, "reorder_quantity");
        } else if r.milli() <= 0 {
            errs.push("reorder_quantity", "out_of_range", "more than 0");
        }
    }
}

impl Product {
    /// The kept stock figures.
    pub fn level(&self) -> Level {
        Level {
            on_hand: self.on_hand,
            average_cost: self.average_cost,
            stock_value: self.stock_value,
        }
    }

    /// The product's row of the stock reports.
    pub fn stock_row(&self) -> StockRow {
        StockRow {
            product_id: self.id.clone(),
            name: self.name.clone(),
            unit: self.unit.clone(),
            category_id: self.category_id.clone(),
            on_hand: self.on_hand,
            average_cost: self.average_cost,
            stock_value: self.stock_value,
            low_stock_threshold: self.low_stock_threshold,
            reorder_quantity: self.reorder_quantity,
            low_stock: self.low_stock,
            active: self.active,
        }
    }

    /// Tracked, with a threshold, and on hand at or below it.
    pub fn is_low(&self) -> bool {
        self.track_stock && self.low_stock_threshold.is_some_and(|t| self.on_hand <= t)
    }

    fn low_stock_key(&self) -> Option<Key> {
        self.low_stock
            .then(|| keys::low_stock(&self.business_id, &validate::name_key(&self.name), &self.id))
    }
}

/// The writes that save a product read at `old` (`None`: a new one) as
/// `new`, with its low-stock mark put, moved or dropped to match.
pub(crate) fn product_writes(old: Option<&Product>, new: &Product) -> Result<Vec<Write>> {
    let mut writes = vec![Write::Put {
        item: product_item(new)?,
        cond: Some(match old {
            Some(o) => Cond::version(o.version),
            None => Cond::NotExists,
        }),
    }];
    let old_key = old.and_then(Product::low_stock_key);
    let new_key = new.low_stock_key();
    if let Some(k) = &old_key
        && Some(k) != new_key.as_ref()
    {
        writes.push(Write::Delete {
            key: k.clone(),
            cond: None,
        });
    }
    if let Some(k) = new_key {
        let mark = new.stock_row();
        writes.push(Write::Put {
            item: to_item("low_stock", &k, &mark)?,
            cond: None,
        });
    }
    Ok(writes)
}

/// A product after one stock movement, and the movement.
pub(crate) struct Moved {
    /// The product as it will be saved (version + 1).
    pub product: Product,
    /// The movement.
    pub movement: StockMovement,
}

impl Moved {
    /// The writes that commit it (the product under the version `old` was
    /// read at, its low-stock mark, the movement), and its change of the
    /// business's stock value into `deltas`.
    pub(crate) fn writes(&self, old: Option<&Product>, deltas: &mut Deltas) -> Result<Vec<Write>> {
        let mut writes = product_writes(old, &self.product)?;
        let m = &self.movement;
        let key = keys::stock_movement(
            &m.business_id,
            &m.product_id,
            &m.date.to_string(),
            self.product.version,
        );
        writes.push(Write::Put {
            item: to_item("stock_movement", &key, m)?,
            cond: Some(Cond::NotExists),
        });
        deltas.stock_value(&m.business_id, m.value);
        Ok(writes)
    }
}

impl Hisaab {
    /// Moves `q` units (thousandths, > 0) of `p` as `flow`, recorded on
    /// `today` as `kind` by `by`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn move_stock(
        &self,
        p: &Product,
        q: i64,
        flow: Flow,
        kind: MovementKind,
        today: jiff::civil::Date,
        by: &str,
        source: Source,
    ) -> Moved {
        let before = p.level();
        let after = before.after(q, flow);
        let now = self.clock.now();
        let mut product = Product {
            on_hand: after.on_hand,
            average_cost: after.average_cost,
            stock_value: after.stock_value,
            updated_at: now,
            version: p.version + 1,
            ..p.clone()
        };
        product.low_stock = product.is_low();
        let movement = MovementOf {
            business_id: &p.business_id,
            product_id: &p.id,
            product_name: &p.name,
            kind,
            date: today,
            at: now,
            by,
            source,
        }
        .movement(q, flow, before, after);
        Moved { product, movement }
    }

    /// A product of the business, read strongly, if it exists.
    pub(crate) async fn product_of(&self, bid: &str, product_id: &str) -> Result<Option<Product>> {
        if !is_id("prd", product_id) {
            return Ok(None);
        }
        match self.table.get(&keys::product(bid, product_id)).await? {
            Some(item) => Ok(Some(from_item(item)?)),
            None => Ok(None),
        }
    }

    /// `p` (at `version`, not yet tracking) starting to keep stock: with
    /// an opening quantity, the opening movement and its writes.
    pub(super) async fn start_stock(
        &self,
        actor: &Actor,
        old: Option<&Product>,
        mut p: Product,
        opening_quantity: Option<Quantity>,
        opening_cost: Option<i64>,
        deltas: &mut Deltas,
    ) -> Result<(Product, Vec<Write>)> {
        p.track_stock = true;
        p.on_hand = Quantity(0);
        p.average_cost = opening_cost.unwrap_or(0);
        p.stock_value = 0;
        let q = opening_quantity.map(Quantity::milli).unwrap_or(0);
        if q == 0 {
            p.low_stock = p.is_low();
            let writes = product_writes(old, &p)?;
            return Ok((p, writes));
        }
        let settings = self.business_settings(&p.business_id).await?;
        let today = settings.today(self.clock.now());
        let p_updated_at = p.updated_at;
        let base = Product {
            version: p.version - 1,
            ..p
        };
        let m = self.move_stock(
            &base,
            q,
            Flow::InAtCost(opening_cost.unwrap_or(0)),
            MovementKind::Opening,
            today,
            &actor.user.id,
            Source::default(),
        );
        // Created or changed once: the movement's own time stays on it.
        let mut m = m;
        m.product.updated_at = p_updated_at;
        let writes = m.writes(old, deltas)?;
        Ok((m.product, writes))
    }
}
