//! The stock reports, read from kept figures and key queries (no Scan;
//! `docs/data-model.md`, "Inventory"):
//! - stock on hand: the tracked products by name (GSI4), of one category
//!   (GSI3), or the low-stock marks (`LOW#` in the stock partition);
//! - a product's movement ledger with the running balance kept on each
//!   movement (`MOV#<product>#` in the stock partition);
//! - the valuation as of a date: each tracked product's last movement on
//!   or before that day (one query of one item each), or, for today, the
//!   products' own figures.

use crate::app::{Hisaab, from_item};
use crate::error::{Error, Result};
use crate::identity::Actor;
use crate::keys;
use crate::ledger::catalogue::Product;
use crate::ledger::reports::{to_csv, wants_csv};
use crate::ledger::stock::{StockMovement, StockRow};
use crate::money::{Currency, Quantity, decimal_amount};
use crate::paging::{Page, page_limit};
use crate::table::Query;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most rows of a stock report in CSV (every page of it).
pub const MAX_CSV_ROWS: usize = 10_000;

/// Filters of `GET /v1/stock`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StockFilter {
    /// Page size, 1–100 (default 50; CSV has every row).
    #[param(minimum = 1, maximum = 100)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page, with the same filters.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Only products of this category.
    #[serde(default)]
    pub category_id: Option<String>,
    /// Only products at or below their low-stock threshold.
    #[serde(default)]
    pub low_stock: Option<bool>,
    /// `json` (default) or `csv`.
    #[serde(default)]
    pub format: Option<String>,
}

/// `GET /v1/stock`: a page of stock rows and the business's totals.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct StockReport {
    /// The rows of this page, by name.
    pub items: Vec<StockRow>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
    /// Value of all stock on hand of the business, paise (kept with
    /// every movement).
    pub total_value: i64,
    /// Products at or below their threshold, in the whole business.
    pub low_stock_count: i64,
    /// ISO 4217 code of every amount.
    pub currency: String,
}

/// Filters of `GET /v1/products/{product_id}/movements`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MovementFilter {
    /// Page size, 1–100 (default 50; CSV has every row).
    #[param(minimum = 1, maximum = 100)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page, with the same filters.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Movements recorded on or after (`YYYY-MM-DD`, business time zone).
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// Movements recorded on or before.
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<Date>,
    /// `json` (default) or `csv`.
    #[serde(default)]
    pub format: Option<String>,
}

/// Filters of `GET /v1/stock/valuation`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ValuationQuery {
    /// The day (`YYYY-MM-DD`, end of day in the business's time zone;
    /// default today).
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<Date>,
    /// Only products of this category.
    #[serde(default)]
    pub category_id: Option<String>,
    /// `json` (default) or `csv`.
    #[serde(default)]
    pub format: Option<String>,
}

/// One product in a valuation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ValuationRow {
    /// The product.
    pub product_id: String,
    /// Name (today's).
    pub name: String,
    /// Unit.
    pub unit: String,
    /// On hand at the end of the day.
    pub on_hand: Quantity,
    /// Weighted average cost then, paise per unit.
    pub average_cost: i64,
    /// Value then, paise.
    pub value: i64,
}

/// `GET /v1/stock/valuation`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Valuation {
    /// The day valued.
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    /// ISO 4217 code of every amount.
    pub currency: String,
    /// Every tracked product with a movement by then, by name.
    pub rows: Vec<ValuationRow>,
    /// Sum of the rows' values, paise.
    pub total_value: i64,
}

fn qty(q: Option<Quantity>) -> String {
    q.map(|q| q.to_string()).unwrap_or_default()
}

/// Stock rows as CSV: `product_id,name,unit,category_id,on_hand,
/// average_cost,stock_value,low_stock_threshold,reorder_quantity,low_stock`
/// (amounts as decimals of the currency).
pub fn stock_csv(rows: &[StockRow], cur: Currency) -> Result<String> {
    to_csv(
        &[
            "product_id",
            "name",
            "unit",
            "category_id",
            "on_hand",
            "average_cost",
            "stock_value",
            "low_stock_threshold",
            "reorder_quantity",
            "low_stock",
        ],
        rows.iter()
            .map(|r| {
                vec![
                    r.product_id.clone(),
                    r.name.clone(),
                    r.unit.clone(),
                    r.category_id.clone().unwrap_or_default(),
                    r.on_hand.to_string(),
                    decimal_amount(r.average_cost, cur),
                    decimal_amount(r.stock_value, cur),
                    qty(r.low_stock_threshold),
                    qty(r.reorder_quantity),
                    r.low_stock.to_string(),
                ]
            })
            .collect(),
    )
}

/// Movements as CSV: `date,kind,quantity,unit_cost,value,on_hand_after,
/// average_cost_after,value_after,document,party,reason`.
pub fn movements_csv(rows: &[StockMovement], cur: Currency) -> Result<String> {
    to_csv(
        &[
            "date",
            "kind",
            "quantity",
            "unit_cost",
            "value",
            "on_hand_after",
            "average_cost_after",
            "value_after",
            "document",
            "party",
            "reason",
        ],
        rows.iter()
            .map(|m| {
                let kind = serde_json::to_value(m.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                vec![
                    m.date.to_string(),
                    kind,
                    m.quantity.to_string(),
                    decimal_amount(m.unit_cost, cur),
                    decimal_amount(m.value, cur),
                    m.on_hand_after.to_string(),
                    decimal_amount(m.average_cost_after, cur),
                    decimal_amount(m.value_after, cur),
                    m.invoice_number
                        .clone()
                        .or_else(|| m.bill_number.clone())
                        .unwrap_or_default(),
                    m.customer_name
                        .clone()
                        .or_else(|| m.supplier_name.clone())
                        .unwrap_or_default(),
                    m.reason.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    )
}

impl Valuation {
    /// The valuation as CSV: `product_id,name,unit,on_hand,average_cost,value`
    /// and a `total` row.
    pub fn to_csv(&self) -> Result<String> {
        let cur = crate::money::currency(&self.currency).unwrap_or(crate::money::CURRENCIES[0]);
        let mut rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.product_id.clone(),
                    r.name.clone(),
                    r.unit.clone(),
                    r.on_hand.to_string(),
                    decimal_amount(r.average_cost, cur),
                    decimal_amount(r.value, cur),
                ]
            })
            .collect();
        rows.push(vec![
            "total".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            decimal_amount(self.total_value, cur),
        ]);
        to_csv(
            &[
                "product_id",
                "name",
                "unit",
                "on_hand",
                "average_cost",
                "value",
            ],
            rows,
        )
    }
}

impl Hisaab {
    /// The business's stock value and its count of low-stock products.
    pub(crate) async fn stock_totals(&self, bid: &str) -> Result<(i64, i64)> {
        let value = self
            .table
            .get(&keys::stats_totals(bid))
            .await?
            .and_then(|t| t.get("stock_value").and_then(|v| v.as_i64()))
            .unwrap_or(0);
        let low = self.low_stock_rows(bid).await?.len() as i64;
        Ok((value, low))
    }

    /// Every low-stock mark of the business, by name.
    pub(crate) async fn low_stock_rows(&self, bid: &str) -> Result<Vec<StockRow>> {
        self.query_all(
            Query::on(keys::stock_partition(bid))
                .begins_with(keys::LOW_STOCK_PREFIX)
                .limit(1000),
        )
        .await
    }

    /// `GET /v1/stock`: tracked products by name with on hand, average
    /// cost and value; `category_id` and `low_stock=true` filter. With
    /// `format=csv`, the caller reads every page ([`Hisaab::stock_all`]).
    pub async fn stock_on_hand(&self, actor: &Actor, f: &StockFilter) -> Result<StockReport> {
        let bid = actor.business_id()?.to_string();
        let limit = page_limit(f.limit, 50, 100)?;
        wants_csv(f.format.as_deref())?;
        let settings = self.business_settings(&bid).await?;
        let (total_value, low_stock_count) = self.stock_totals(&bid).await?;
        let binding = format!(
            "stock|{bid}|{}|{:?}",
            f.category_id.as_deref().unwrap_or(""),
            f.low_stock
        );
        let cat = f.category_id.clone();
        let in_category = move |r: &StockRow| cat.is_none() || r.category_id == cat;
        let page: Page<StockRow> = if f.low_stock == Some(true) {
            self.query_page(
                Query::on(keys::stock_partition(&bid))
                    .begins_with(keys::LOW_STOCK_PREFIX)
                    .limit(limit),
                &binding,
                f.cursor.as_deref(),
                in_category,
            )
            .await?
        } else {
            let query = match &f.category_id {
                Some(c) => Query::on(keys::products_by_category(&bid, c)),
                None => Query::on(keys::tracked_products(&bid)),
            };
            let low = f.low_stock;
            let p: Page<Product> = self
                .query_page(
                    query.limit(limit),
                    &binding,
                    f.cursor.as_deref(),
                    |p: &Product| p.track_stock && low.is_none_or(|l| p.low_stock == l),
                )
                .await?;
            Page {
                items: p.items.iter().map(Product::stock_row).collect(),
                next_cursor: p.next_cursor,
            }
        };
        Ok(StockReport {
            items: page.items,
            next_cursor: page.next_cursor,
            total_value,
            low_stock_count,
            currency: settings.currency.clone(),
        })
    }

    /// Every row of `GET /v1/stock` with these filters (at most
    /// [`MAX_CSV_ROWS`]), for CSV.
    pub async fn stock_all(
        &self,
        actor: &Actor,
        f: &StockFilter,
    ) -> Result<(Vec<StockRow>, Currency)> {
        let mut f = StockFilter {
            limit: Some(100),
            cursor: None,
            ..f.clone()
        };
        let mut rows = vec![];
        loop {
            let page = self.stock_on_hand(actor, &f).await?;
            rows.extend(page.items);
            match page.next_cursor {
                Some(c) if rows.len() < MAX_CSV_ROWS => f.cursor = Some(c),
                _ => {
                    let cur = crate::money::currency(&page.currency)
                        .unwrap_or(crate::money::CURRENCIES[0]);
                    return Ok((rows, cur));
                }
            }
        }
    }

    /// `GET /v1/products/{product_id}/movements`: the product's movements
    /// oldest first, each with on hand, average cost and value after it
    /// (the running balance). 404 for products of other businesses.
    pub async fn product_movements(
        &self,
        actor: &Actor,
        product_id: &str,
        f: &MovementFilter,
    ) -> Result<Page<StockMovement>> {
        let bid = actor.business_id()?.to_string();
        let limit = page_limit(f.limit, 50, 100)?;
        wants_csv(f.format.as_deref())?;
        if let (Some(a), Some(b)) = (f.from, f.to)
            && a > b
        {
            return Err(Error::field("to", "before_from", "to is before from"));
        }
        self.get_product(actor, product_id).await?;
        let from = f
            .from
            .map(|d| keys::stock_movements_bound(product_id, &d.to_string(), false))
            .unwrap_or_else(|| keys::stock_movements_prefix(product_id));
        let to =
            f.to.map(|d| keys::stock_movements_bound(product_id, &d.to_string(), true))
                .unwrap_or_else(|| format!("{}~", keys::stock_movements_prefix(product_id)));
        self.query_page(
            Query::on(keys::stock_partition(&bid))
                .between(from, to)
                .limit(limit),
            &format!("movements|{bid}|{product_id}|{:?}|{:?}", f.from, f.to),
            f.cursor.as_deref(),
            |_: &StockMovement| true,
        )
        .await
    }

    /// Every movement of `GET /v1/products/{product_id}/movements` with
    /// these filters (at most [`MAX_CSV_ROWS`]), for CSV.
    pub async fn product_movements_all(
        &self,
        actor: &Actor,
        product_id: &str,
        f: &MovementFilter,
    ) -> Result<(Vec<StockMovement>, Currency)> {
        let bid = actor.business_id()?.to_string();
        let cur = self.business_settings(&bid).await?.currency();
        let mut f = MovementFilter {
            limit: Some(100),
            cursor: None,
            ..f.clone()
        };
        let mut rows = vec![];
        loop {
            let page = self.product_movements(actor, product_id, &f).await?;
            rows.extend(page.items);
            match page.next_cursor {
                Some(c) if rows.len() < MAX_CSV_ROWS => f.cursor = Some(c),
                _ => return Ok((rows, cur)),
            }
        }
    }

    /// `GET /v1/stock/valuation`: each tracked product's on hand, average
    /// cost and value at the end of `as_of` (default today), and the total.
    /// A past day reads each product's last movement on or before it.
    pub async fn stock_valuation(&self, actor: &Actor, q: &ValuationQuery) -> Result<Valuation> {
        let bid = actor.business_id()?.to_string();
        wants_csv(q.format.as_deref())?;
        let settings = self.business_settings(&bid).await?;
        let today = settings.today(self.clock.now());
        let as_of = q.as_of.unwrap_or(today);
        if as_of > today {
            return Err(Error::field("as_of", "in_future", "today or earlier"));
        }
        let query = match &q.category_id {
            Some(c) => Query::on(keys::products_by_category(&bid, c)),
            None => Query::on(keys::tracked_products(&bid)),
        };
        let products: Vec<Product> = self
            .query_all::<Product>(query.limit(1000))
            .await?
            .into_iter()
            .filter(|p| p.track_stock)
            .collect();
        let mut rows = Vec::with_capacity(products.len());
        if as_of == today {
            rows.extend(products.iter().map(|p| ValuationRow {
                product_id: p.id.clone(),
                name: p.name.clone(),
                unit: p.unit.clone(),
                on_hand: p.on_hand,
                average_cost: p.average_cost,
                value: p.stock_value,
            }));
        } else {
            let day = as_of.to_string();
            for chunk in products.chunks(16) {
                let lasts = futures::future::try_join_all(chunk.iter().map(|p| {
                    let q = Query::on(keys::stock_partition(&bid))
                        .between(
                            keys::stock_movements_prefix(&p.id),
                            keys::stock_movements_bound(&p.id, &day, true),
                        )
                        .descending()
                        .limit(1);
                    async move { self.table.query(&q).await }
                }))
                .await?;
                for (p, page) in chunk.iter().zip(lasts) {
                    let Some(item) = page.items.into_iter().next() else {
                        continue;
                    };
                    let m: StockMovement = from_item(item)?;
                    rows.push(ValuationRow {
                        product_id: p.id.clone(),
                        name: p.name.clone(),
                        unit: p.unit.clone(),
                        on_hand: m.on_hand_after,
                        average_cost: m.average_cost_after,
                        value: m.value_after,
                    });
                }
            }
        }
        Ok(Valuation {
            as_of,
            currency: settings.currency.clone(),
            total_value: rows.iter().map(|r| r.value).sum(),
            rows,
        })
    }
}
