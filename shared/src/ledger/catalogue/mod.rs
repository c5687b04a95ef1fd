//! The catalogue of a business: products and services (name, unit, unit
//! price in paise, GST rate in basis points, HSN/SAC code, category,
//! active flag) and the categories that group them.
//!
//! Access patterns (see `docs/data-model.md`): items live in the business
//! partition (`PRD#`, `CAT#`); GSI1 lists products (and categories) by
//! name, GSI2 products by active flag and name, GSI3 products of one
//! category by name. A category counts its products in the same
//! transaction as every product write, so "delete when unused" is a
//! condition, not a scan.

mod stock;

pub(crate) use stock::product_writes;
use stock::{StockFields, check_stock_fields};

use crate::app::{Hisaab, from_item, to_item};
use crate::error::{Error, Errors, FieldError, Result};
use crate::idempotency::Idempotency;
use crate::identity::Actor;
use crate::ids::{is_id, new_id};
use crate::keys;
use crate::ledger::aggregates::Deltas;
use crate::ledger::settings::tax_rate;
use crate::money::Quantity;
use crate::paging::{Page, page_limit};
use crate::table::{Cond, Item, Query, TableError, Write};
use crate::validate;
use crate::validate::present;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Largest page of the catalogue lists.
pub const MAX_PAGE: usize = 100;
/// Highest unit price: ₹1 crore (10^9 paise) per unit.
pub const MAX_UNIT_PRICE: i64 = 1_000_000_000;

/// A product or service a business sells.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Product {
    /// `prd_<ULID>`.
    pub id: String,
    /// The business.
    pub business_id: String,
    /// Name (1–120 characters).
    pub name: String,
    /// Unit of sale (`pcs`, `kg`, `litre`, `hour`, …; default `pcs`).
    pub unit: String,
    /// Price of one unit before tax, in the minor unit (paise).
    pub unit_price: i64,
    /// GST rate in basis points (1800 = 18 %).
    pub tax_rate_bp: i64,
    /// HSN (goods) or SAC (services) code, 4/6/8 digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hsn_sac: Option<String>,
    /// The category, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<String>,
    /// Longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Inactive products cannot be put on new invoices.
    pub active: bool,
    /// Whether stock is kept (see [`crate::ledger::stock`]): issued
    /// invoices, receipts and adjustments then move `on_hand`.
    #[serde(default)]
    pub track_stock: bool,
    /// Units on hand, three decimals; below zero when more was sold than
    /// was there (0 when not tracked).
    #[serde(default)]
    pub on_hand: Quantity,
    /// Weighted average cost of one unit, paise.
    #[serde(default)]
    pub average_cost: i64,
    /// Value of the stock on hand, paise: kept exactly by every movement
    /// (`average_cost` is this divided by `on_hand`, rounded).
    #[serde(default)]
    pub stock_value: i64,
    /// At or below this on hand, the product is low on stock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_stock_threshold: Option<Quantity>,
    /// How much to order when it is low.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reorder_quantity: Option<Quantity>,
    /// Tracked, with a threshold, and on hand at or below it: kept with
    /// every write, and listed by `GET /v1/stock?low_stock=true`.
    #[serde(default)]
    pub low_stock: bool,
    /// Created (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Last changed (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// Version, 1 on creation.
    pub version: i64,
}

/// `POST /v1/products`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProduct {
    /// Name (required).
    pub name: String,
    /// Unit (default `pcs`).
    #[serde(default)]
    pub unit: Option<String>,
    /// Unit price in paise, 0 to 10^9 ([`MAX_UNIT_PRICE`]).
    #[schema(minimum = 0, maximum = 1_000_000_000_i64)]
    pub unit_price: i64,
    /// GST rate in basis points (default: the business's default rate).
    #[serde(default)]
    pub tax_rate_bp: Option<i64>,
    /// HSN/SAC code.
    #[serde(default)]
    pub hsn_sac: Option<String>,
    /// A category of the business.
    #[serde(default)]
    pub category_id: Option<String>,
    /// Description (≤ 1000 characters).
    #[serde(default)]
    pub description: Option<String>,
    /// Keep stock of it (default `false`).
    #[serde(default)]
    pub track_stock: bool,
    /// Units on hand now, ≥ 0, three decimals (only with `track_stock`;
    /// recorded as the opening-stock movement).
    #[serde(default)]
    pub opening_quantity: Option<Quantity>,
    /// Cost of one opening unit, paise, 0 to 10^9 (default 0).
    #[serde(default)]
    pub opening_cost: Option<i64>,
    /// Low-stock threshold, ≥ 0 (only with `track_stock`).
    #[serde(default)]
    pub low_stock_threshold: Option<Quantity>,
    /// Quantity to reorder, > 0 (only with `track_stock`).
    #[serde(default)]
    pub reorder_quantity: Option<Quantity>,
}

/// `PATCH /v1/products/{product_id}`: absent fields stay, `null` clears.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductPatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New unit.
    #[serde(default)]
    pub unit: Option<String>,
    /// New unit price (paise).
    #[serde(default)]
    pub unit_price: Option<i64>,
    /// New GST rate (basis points).
    #[serde(default)]
    pub tax_rate_bp: Option<i64>,
    /// New HSN/SAC or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub hsn_sac: Option<Option<String>>,
    /// New category or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub category_id: Option<Option<String>>,
    /// New description or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// `true` reactivates, `false` deactivates.
    #[serde(default)]
    pub active: Option<bool>,
    /// `true` starts keeping stock (with `opening_quantity` and
    /// `opening_cost`); `false` stops, only while on hand is 0 (409
    /// otherwise: adjust it to 0 first).
    #[serde(default)]
    pub track_stock: Option<bool>,
    /// Opening on hand when `track_stock` turns `true`.
    #[serde(default)]
    pub opening_quantity: Option<Quantity>,
    /// Opening unit cost (paise) when `track_stock` turns `true`.
    #[serde(default)]
    pub opening_cost: Option<i64>,
    /// New low-stock threshold or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Quantity>)]
    pub low_stock_threshold: Option<Option<Quantity>>,
    /// New reorder quantity or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Quantity>)]
    pub reorder_quantity: Option<Option<Quantity>>,
    /// The version read; when given, a product changed since is a 409.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Filters of `GET /v1/products`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProductFilter {
    /// Page size, 1–100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page, with the same filters.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Name prefix, any case.
    #[serde(default)]
    pub q: Option<String>,
    /// Only products of this category.
    #[serde(default)]
    pub category: Option<String>,
    /// Only active (`true`) or inactive (`false`) products.
    #[serde(default)]
    pub active: Option<bool>,
}

/// A product category.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Category {
    /// `cat_<ULID>`.
    pub id: String,
    /// The business.
    pub business_id: String,
    /// Name, unique in the business (any case).
    pub name: String,
    /// Products in the category, kept exact by every product write.
    pub product_count: i64,
    /// Created (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Last changed (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// Version, 1 on creation.
    pub version: i64,
}

/// `POST /v1/categories` and `PATCH /v1/categories/{category_id}`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryInput {
    /// Name (1–60 characters), unique in the business.
    pub name: String,
}

/// Filters of `GET /v1/categories`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CategoryFilter {
    /// Page size, 1–100 (default 100).
    #[param(minimum = 1, maximum = 100)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
}

pub(crate) fn product_item(p: &Product) -> Result<Item> {
    let name_key = validate::name_key(&p.name);
    let sk = keys::name_sort_key(&name_key, &p.id);
    let mut item = to_item("product", &keys::product(&p.business_id, &p.id), p)?;
    keys::products_by_name(&p.business_id)
        .at(sk.clone())
        .set_on(&mut item);
    keys::products_by_active(&p.business_id, p.active)
        .at(sk.clone())
        .set_on(&mut item);
    if p.track_stock {
        keys::tracked_products(&p.business_id)
            .at(sk.clone())
            .set_on(&mut item);
    }
    if let Some(c) = &p.category_id {
        keys::products_by_category(&p.business_id, c)
            .at(sk)
            .set_on(&mut item);
    }
    Ok(item)
}

pub(crate) fn category_item(c: &Category) -> Result<Item> {
    let mut item = to_item("category", &keys::category(&c.business_id, &c.id), c)?;
    keys::categories_by_name(&c.business_id)
        .at(keys::name_sort_key(&validate::name_key(&c.name), &c.id))
        .set_on(&mut item);
    Ok(item)
}

/// The fields of a product checked together on create and update.
struct ProductFields {
    name: Option<String>,
    unit: Option<String>,
    unit_price: i64,
    tax_rate_bp: i64,
    hsn_sac: Option<String>,
    description: Option<String>,
}

fn validate_product(errs: &mut Errors, f: ProductFields) -> ProductFields {
    let name = f
        .name
        .as_deref()
        .and_then(|n| errs.check(validate::text("name", n, 120)));
    let unit = f
        .unit
        .as_deref()
        .and_then(|u| errs.check(validate::text("unit", u, 20)));
    if !(0..=MAX_UNIT_PRICE).contains(&f.unit_price) {
        errs.push(
            "unit_price",
            "out_of_range",
            "a price in paise from 0 to 1000000000",
        );
    }
    let tax = tax_rate(errs, "tax_rate_bp", f.tax_rate_bp).unwrap_or(0);
    let hsn_sac = f
        .hsn_sac
        .as_deref()
        .filter(|h| !h.trim().is_empty())
        .and_then(|h| errs.check(validate::hsn_sac("hsn_sac", h)));
    let description = f
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .and_then(|d| errs.check(validate::text("description", d, 1000)));
    ProductFields {
        name,
        unit,
        unit_price: f.unit_price,
        tax_rate_bp: tax,
        hsn_sac,
        description,
    }
}

/// The write that adds `delta` to a category's product count; adding
/// requires the category to exist (so an unknown category fails the
/// transaction at this write).
fn count_write(business_id: &str, category_id: &str, delta: i64) -> Write {
    Write::Add {
        key: keys::category(business_id, category_id),
        deltas: vec![("product_count".into(), delta)],
        attrs: vec![],
        cond: Some(Cond::Exists),
    }
}

fn unknown_category() -> Error {
    Error::field(
        "category_id",
        "unknown_category",
        "no such category in this business",
    )
}

impl Hisaab {
    /// `POST /v1/products`: 422 naming every bad field (an unknown
    /// category too); with an idempotency key a retry gets the first answer.
    pub async fn create_product(
        &self,
        actor: &Actor,
        input: NewProduct,
        idem: Option<Idempotency>,
    ) -> Result<(Product, bool)> {
        let bid = actor.business_id()?.to_string();
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((crate::idempotency::decode_replay(body)?, true));
        }
        let settings = self.business_settings(&bid).await?;
        let mut errs = Errors::default();
        let f = validate_product(
            &mut errs,
            ProductFields {
                name: Some(input.name),
                unit: Some(input.unit.unwrap_or_else(|| "pcs".into())),
                unit_price: input.unit_price,
                tax_rate_bp: input.tax_rate_bp.unwrap_or(settings.default_tax_rate_bp),
                hsn_sac: input.hsn_sac,
                description: input.description,
            },
        );
        let category_id = input.category_id.filter(|c| !c.is_empty());
        if category_id.as_deref().is_some_and(|c| !is_id("cat", c)) {
            errs.0.push(FieldError::new(
                "category_id",
                "unknown_category",
                "no such category in this business",
            ));
        }
        check_stock_fields(
            &mut errs,
            &StockFields {
                track: input.track_stock,
                opening_quantity: input.opening_quantity,
                opening_cost: input.opening_cost,
                threshold: input.low_stock_threshold,
                reorder: input.reorder_quantity,
            },
        );
        errs.finish()?;
        let now = self.clock.now();
        let p = Product {
            id: new_id("prd"),
            business_id: bid.clone(),
            name: f.name.unwrap_or_default(),
            unit: f.unit.unwrap_or_default(),
            unit_price: f.unit_price,
            tax_rate_bp: f.tax_rate_bp,
            hsn_sac: f.hsn_sac,
            category_id,
            description: f.description,
            active: true,
            track_stock: false,
            on_hand: Quantity(0),
            average_cost: 0,
            stock_value: 0,
            low_stock_threshold: input.low_stock_threshold,
            reorder_quantity: input.reorder_quantity,
            low_stock: false,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let mut deltas = Deltas::default();
        let (p, mut writes) = if input.track_stock {
            self.start_stock(
                actor,
                None,
                p,
                input.opening_quantity,
                input.opening_cost,
                &mut deltas,
            )
            .await?
        } else {
            let writes = product_writes(None, &p)?;
            (p, writes)
        };
        let count_index = p.category_id.as_ref().map(|_| writes.len());
        if let Some(c) = &p.category_id {
            writes.push(count_write(&bid, c, 1));
        }
        writes.extend(deltas.into_writes());
        self.commit_create(&actor.user.id, idem.as_ref(), writes, p, |index| {
            (index.is_some() && index == count_index).then(unknown_category)
        })
        .await?
        .ok_or_else(Error::stale)
    }

    /// `GET /v1/products/{product_id}`: 404 for ids of other businesses.
    pub async fn get_product(&self, actor: &Actor, product_id: &str) -> Result<Product> {
        let bid = actor.business_id()?;
        if !is_id("prd", product_id) {
            return Err(Error::NotFound("product"));
        }
        from_item(
            self.table
                .get(&keys::product(bid, product_id))
                .await?
                .ok_or(Error::NotFound("product"))?,
        )
    }

    /// `GET /v1/products`: by name; `q` is a name prefix; `category` and
    /// `active` filter. Each filter combination reads one index: a category
    /// reads GSI3 (then `active` is applied after reading), else `active`
    /// reads GSI2, else GSI1.
    pub async fn list_products(&self, actor: &Actor, f: ProductFilter) -> Result<Page<Product>> {
        let bid = actor.business_id()?.to_string();
        let limit = page_limit(f.limit, 50, MAX_PAGE)?;
        let q =
            f.q.as_deref()
                .map(validate::name_key)
                .filter(|q| !q.is_empty());
        let binding = format!(
            "products|{bid}|{}|{}|{:?}",
            q.as_deref().unwrap_or(""),
            f.category.as_deref().unwrap_or(""),
            f.active
        );
        let (query, post_active) = match (&f.category, f.active) {
            (Some(c), a) => (Query::on(keys::products_by_category(&bid, c)), a),
            (None, Some(a)) => (Query::on(keys::products_by_active(&bid, a)), None),
            (None, None) => (Query::on(keys::products_by_name(&bid)), None),
        };
        let query = match q {
            Some(q) => query.begins_with(q),
            None => query,
        };
        self.query_page(
            query.limit(limit),
            &binding,
            f.cursor.as_deref(),
            |p: &Product| post_active.is_none_or(|a| p.active == a),
        )
        .await
    }

    /// `PATCH /v1/products/{product_id}`: a partial update under the
    /// version read; moving it between categories moves the counts too.
    pub async fn update_product(
        &self,
        actor: &Actor,
        product_id: &str,
        p: ProductPatch,
    ) -> Result<Product> {
        let old = self.get_product(actor, product_id).await?;
        if p.active.is_some_and(|a| a != old.active) {
            // Deactivating (or reactivating) is the owner's.
            actor.owned_business_id()?;
        }
        if p.version.is_some_and(|v| v != old.version) {
            return Err(Error::stale());
        }
        let mut errs = Errors::default();
        let f = validate_product(
            &mut errs,
            ProductFields {
                name: Some(p.name.unwrap_or_else(|| old.name.clone())),
                unit: Some(p.unit.unwrap_or_else(|| old.unit.clone())),
                unit_price: p.unit_price.unwrap_or(old.unit_price),
                tax_rate_bp: p.tax_rate_bp.unwrap_or(old.tax_rate_bp),
                hsn_sac: p.hsn_sac.unwrap_or_else(|| old.hsn_sac.clone()),
                description: p.description.unwrap_or_else(|| old.description.clone()),
            },
        );
        let category_id = match p.category_id {
            Some(c) => c.filter(|c| !c.is_empty()),
            None => old.category_id.clone(),
        };
        if category_id.as_deref().is_some_and(|c| !is_id("cat", c)) {
            errs.0.push(FieldError::new(
                "category_id",
                "unknown_category",
                "no such category in this business",
            ));
        }
        let tracking = p.track_stock.unwrap_or(old.track_stock);
        check_stock_fields(
            &mut errs,
            &StockFields {
                track: tracking,
                opening_quantity: p.opening_quantity,
                opening_cost: p.opening_cost,
                threshold: p.low_stock_threshold.flatten(),
                reorder: p.reorder_quantity.flatten(),
            },
        );
        if old.track_stock && (p.opening_quantity.is_some() || p.opening_cost.is_some()) {
            let field = if p.opening_quantity.is_some() {
                "opening_quantity"
            } else {
                "opening_cost"
            };
            errs.push(
                field,
                "already_tracked",
                "the product keeps stock already: record a receipt or an adjustment",
            );
        }
        errs.finish()?;
        if old.track_stock && !tracking && old.on_hand.milli() != 0 {
            return Err(Error::conflict(format!(
                "{} {} on hand: adjust the stock to 0 before it stops being tracked",
                old.on_hand, old.unit
            )));
        }
        let mut new = Product {
            name: f.name.unwrap_or_default(),
            unit: f.unit.unwrap_or_default(),
            unit_price: f.unit_price,
            tax_rate_bp: f.tax_rate_bp,
            hsn_sac: f.hsn_sac,
            description: f.description,
            category_id,
            active: p.active.unwrap_or(old.active),
            low_stock_threshold: p.low_stock_threshold.unwrap_or(old.low_stock_threshold),
            reorder_quantity: p.reorder_quantity.unwrap_or(old.reorder_quantity),
            updated_at: self.clock.now(),
            version: old.version + 1,
            ..old.clone()
        };
        if !tracking {
            new.track_stock = false;
            new.on_hand = Quantity(0);
            new.average_cost = 0;
            new.stock_value = 0;
            new.low_stock_threshold = None;
            new.reorder_quantity = None;
        }
        let mut deltas = Deltas::default();
        if tracking && !old.track_stock {
            let (started, writes) = self
                .start_stock(
                    actor,
                    Some(&old),
                    new,
                    p.opening_quantity,
                    p.opening_cost,
                    &mut deltas,
                )
                .await?;
            return self.save_product(&old, started, Some(writes), deltas).await;
        }
        self.save_product(&old, new, None, deltas).await
    }

    /// Saves `new` over `old` (read at its version) with the category
    /// counts moved; `product_writes` are the product's own writes when
    /// the caller built them (a movement with them), else they are built
    /// here with the low-stock mark.
    async fn save_product(
        &self,
        old: &Product,
        mut new: Product,
        product_writes_given: Option<Vec<Write>>,
        deltas: Deltas,
    ) -> Result<Product> {
        let mut writes = match product_writes_given {
            Some(w) => w,
            None => {
                new.low_stock = new.is_low();
                product_writes(Some(old), &new)?
            }
        };
        let mut new_category_index = None;
        if old.category_id != new.category_id {
            if let Some(c) = &old.category_id {
                writes.push(Write::Add {
                    key: keys::category(&old.business_id, c),
                    deltas: vec![("product_count".into(), -1)],
                    attrs: vec![],
                    cond: None,
                });
            }
            if let Some(c) = &new.category_id {
                new_category_index = Some(writes.len());
                writes.push(count_write(&new.business_id, c, 1));
            }
        }
        writes.extend(deltas.into_writes());
        match self.table.transact(writes).await {
            Ok(()) => Ok(new),
            Err(TableError::ConditionFailed { index })
                if index.is_some() && index == new_category_index =>
            {
                Err(unknown_category())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// `DELETE /v1/products/{product_id}`: deactivates (the product stays on
    /// old invoices and can be reactivated with `PATCH {"active": true}`).
    pub async fn deactivate_product(&self, actor: &Actor, product_id: &str) -> Result<()> {
        actor.owned_business_id()?;
        let old = self.get_product(actor, product_id).await?;
        if !old.active {
            return Ok(());
        }
        let new = Product {
            active: false,
            updated_at: self.clock.now(),
            version: old.version + 1,
            ..old.clone()
        };
        self.save_product(&old, new, None, Deltas::default())
            .await
            .map(|_| ())
    }

    /// `POST /v1/categories`: 409 naming `name` when the business has a
    /// category of that name (any case).
    pub async fn create_category(
        &self,
        actor: &Actor,
        input: CategoryInput,
        idem: Option<Idempotency>,
    ) -> Result<(Category, bool)> {
        let bid = actor.business_id()?.to_string();
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((crate::idempotency::decode_replay(body)?, true));
        }
        let name = validate::text("name", &input.name, 60)?;
        let now = self.clock.now();
        let c = Category {
            id: new_id("cat"),
            business_id: bid.clone(),
            name,
            product_count: 0,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let writes = vec![
            Write::Put {
                item: category_item(&c)?,
                cond: Some(Cond::NotExists),
            },
            self.category_name_write(&c)?,
        ];
        self.commit_create(&actor.user.id, idem.as_ref(), writes, c, |index| {
            (index == Some(1)).then(name_taken)
        })
        .await?
        .ok_or_else(Error::stale)
    }

    fn category_name_write(&self, c: &Category) -> Result<Write> {
        let key = keys::unique_category_name(&c.business_id, &validate::name_key(&c.name));
        Ok(Write::Put {
            item: to_item("unique", &key, &serde_json::json!({ "category_id": c.id }))?,
            cond: Some(Cond::NotExists),
        })
    }

    /// `GET /v1/categories`: the business's categories by name.
    pub async fn list_categories(
        &self,
        actor: &Actor,
        f: CategoryFilter,
    ) -> Result<Page<Category>> {
        let bid = actor.business_id()?.to_string();
        let limit = page_limit(f.limit, 100, MAX_PAGE)?;
        self.query_page(
            Query::on(keys::categories_by_name(&bid)).limit(limit),
            &format!("categories|{bid}"),
            f.cursor.as_deref(),
            |_: &Category| true,
        )
        .await
    }

    async fn get_category(&self, bid: &str, category_id: &str) -> Result<Category> {
        if !is_id("cat", category_id) {
            return Err(Error::NotFound("category"));
        }
        from_item(
            self.table
                .get(&keys::category(bid, category_id))
                .await?
                .ok_or(Error::NotFound("category"))?,
        )
    }

    /// `PATCH /v1/categories/{category_id}`: renames (409 when the new name
    /// is taken in the business).
    pub async fn rename_category(
        &self,
        actor: &Actor,
        category_id: &str,
        input: CategoryInput,
    ) -> Result<Category> {
        let bid = actor.business_id()?.to_string();
        let old = self.get_category(&bid, category_id).await?;
        let name = validate::text("name", &input.name, 60)?;
        let new = Category {
            name,
            updated_at: self.clock.now(),
            version: old.version + 1,
            ..old.clone()
        };
        let mut writes = vec![Write::Put {
            item: category_item(&new)?,
            cond: Some(Cond::version(old.version)),
        }];
        let (old_key, new_key) = (validate::name_key(&old.name), validate::name_key(&new.name));
        if old_key != new_key {
            writes.push(self.category_name_write(&new)?);
            writes.push(Write::Delete {
                key: keys::unique_category_name(&bid, &old_key),
                cond: None,
            });
        }
        match self.table.transact(writes).await {
            Ok(()) => Ok(new),
            Err(TableError::ConditionFailed { index: Some(1) }) => Err(name_taken()),
            Err(e) => Err(e.into()),
        }
    }

    /// `DELETE /v1/categories/{category_id}`: deletes a category no product
    /// uses (409 otherwise; the count is checked in the same transaction).
    pub async fn delete_category(&self, actor: &Actor, category_id: &str) -> Result<()> {
        let bid = actor.owned_business_id()?.to_string();
        let c = self.get_category(&bid, category_id).await?;
        let writes = vec![
            Write::Delete {
                key: keys::category(&bid, &c.id),
                cond: Some(Cond::Equals("product_count".into(), 0.into())),
            },
            Write::Delete {
                key: keys::unique_category_name(&bid, &validate::name_key(&c.name)),
                cond: None,
            },
        ];
        match self.table.transact(writes).await {
            Ok(()) => Ok(()),
            Err(TableError::ConditionFailed { .. }) => Err(Error::Conflict {
                detail: format!(
                    "{} product(s) are in this category; move them first",
                    c.product_count
                ),
                errors: vec![],
            }),
            Err(e) => Err(e.into()),
        }
    }
}

fn name_taken() -> Error {
    Error::Conflict {
        detail: "this business already has a category of that name".into(),
        errors: vec![FieldError::new("name", "taken", "already used")],
    }
}
