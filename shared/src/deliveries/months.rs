//! Monthly totals of deliveries and month settlement.
//!
//! The totals are never recomputed from delivery records: every mark and
//! correction adds to the items of the partition
//! `BIZ#<bid>#CUSMONTH#<customer_id>#<yyyy-mm>` in its own transaction
//! (see [`crate::deliveries::records::count`]):
//! - `ORD#<order_id>`: `delivered` and `skipped` (days), `qty`
//!   (thousandths delivered) and `q.<rate>` (thousandths delivered at each
//!   rate in paise);
//! - `DAYS`: `d.<dd>` and `s.<dd>` (records delivered and skipped on day
//!   `dd`) and `w` (writes so far);
//! - `BILLED`: present once the month is settled into an invoice.
//!
//! One query of that partition answers a customer's month. The amount of
//! an order's month is `Σ round(q.<rate> × rate / 1000)` over its rates,
//! exactly the invoice lines that settlement writes, so the month's amount
//! and its invoice's taxable value always agree.

use crate::app::{Hisaab, from_item, to_item};
use crate::deliveries::business_month;
use crate::deliveries::orders::{Order, month_of, parse_month};
use crate::error::{Error, Result};
use crate::identity::Actor;
use crate::keys;
use crate::ledger::aggregates::Deltas;
use crate::ledger::customers::Customer;
use crate::ledger::invoices::{InvoiceStatus, LineInput, NewInvoice};
use crate::money::Quantity;
use crate::table::{Cond, Item, Query, Write};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// Quantity and amount delivered at one rate.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RateLine {
    /// Paise per unit.
    pub rate: i64,
    /// Quantity delivered at this rate.
    pub quantity: Quantity,
    /// `quantity × rate`, rounded half-up (paise).
    pub amount: i64,
}

/// One order's month.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct OrderMonth {
    /// The order.
    pub order_id: String,
    /// Its item.
    pub item: String,
    /// Unit.
    pub unit: String,
    /// Amount in paise (sum of `lines`).
    pub amount: i64,
    /// Quantity delivered.
    pub quantity: Quantity,
    /// Days delivered.
    pub delivered_days: i64,
    /// Days skipped.
    pub skipped_days: i64,
    /// By rate, when the rate changed within the month.
    pub lines: Vec<RateLine>,
}

/// Where a month stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MonthStatus {
    /// Records can be marked and corrected.
    Open,
    /// Closed into an invoice that is not fully paid.
    Billed,
    /// Its invoice is paid.
    Settled,
}

/// The invoice a month was settled into.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct MonthInvoice {
    /// The invoice.
    pub id: String,
    /// Its number.
    pub number: Option<String>,
    /// Total with tax (paise).
    pub total: i64,
    /// Left to pay (paise).
    pub balance_due: i64,
    /// Its status today.
    pub status: InvoiceStatus,
}

/// A customer's month (`GET /v1/customers/{customer_id}/months/{month}`).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CustomerMonth {
    /// The business.
    pub business_id: String,
    /// The customer.
    pub customer_id: String,
    /// Their name.
    pub customer_name: String,
    /// `yyyy-mm`.
    pub month: String,
    /// Per order with records in the month.
    pub orders: Vec<OrderMonth>,
    /// Sum of the orders' amounts (paise, before GST).
    pub amount: i64,
    /// Sum of the orders' quantities.
    pub quantity: Quantity,
    /// Days with at least one delivery.
    pub active_days: i64,
    /// Days with a skipped record and no delivery.
    pub skipped_days: i64,
    /// Open, billed or settled.
    pub status: MonthStatus,
    /// The month's invoice, once billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice: Option<MonthInvoice>,
    /// The customer's running balance now (paise): positive when the
    /// customer owes the business, negative when the business owes them.
    pub balance: i64,
}

/// One order's month with its month status
/// (`GET /v1/orders/{order_id}/months/{month}`).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct OrderMonthView {
    /// `yyyy-mm`.
    pub month: String,
    /// The customer's month: open, billed or settled.
    pub status: MonthStatus,
    /// The totals.
    #[serde(flatten)]
    pub totals: OrderMonth,
}

/// The customer's view of one business's month
/// (`GET /v1/vendors/{business_id}/months/{month}`).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct VendorMonth {
    /// The business.
    pub business_id: String,
    /// Its trading name.
    pub business_name: String,
    /// `yyyy-mm`.
    pub month: String,
    /// One per customer record of the caller there (usually one).
    pub accounts: Vec<CustomerMonth>,
}

/// The settlement record of a month.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Settlement {
    month: String,
    invoice_id: String,
    invoice_number: Option<String>,
    amount: i64,
    billed_by: String,
    billed_at: Timestamp,
}

fn num(item: &Item, attr: &str) -> i64 {
    item.get(attr).and_then(|v| v.as_i64()).unwrap_or(0)
}

/// An order's month from its aggregate item (item and unit from `order`).
fn order_month(item: &Item, order_id: &str, order: Option<&Order>) -> OrderMonth {
    let mut lines: Vec<RateLine> = item
        .iter()
        .filter_map(|(k, v)| {
            let rate: i64 = k.strip_prefix("q.")?.parse().ok()?;
            let q = Quantity(v.as_i64()?);
            (q.milli() != 0).then(|| RateLine {
                rate,
                quantity: q,
                amount: q.times(rate),
            })
        })
        .collect();
    lines.sort_by_key(|l| l.rate);
    OrderMonth {
        order_id: order_id.to_string(),
        item: order.map(|o| o.item.clone()).unwrap_or_default(),
        unit: order.map(|o| o.unit.clone()).unwrap_or_default(),
        amount: lines.iter().map(|l| l.amount).sum(),
        quantity: Quantity(num(item, "qty")),
        delivered_days: num(item, "delivered"),
        skipped_days: num(item, "skipped"),
        lines,
    }
}

/// What one query of a customer's month partition holds.
struct MonthItems {
    orders: Vec<(String, Item)>,
    days: Option<Item>,
    settlement: Option<Settlement>,
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Hisaab {
    async fn month_items(&self, bid: &str, cid: &str, month: &str) -> Result<MonthItems> {
        let items = self
            .query_items(Query::on(keys::customer_month_partition(bid, cid, month)).limit(1000))
            .await?;
        let mut out = MonthItems {
            orders: vec![],
            days: None,
            settlement: None,
        };
        for item in items {
            let text = |a: &str| item.get(a).and_then(|v| v.as_str()).map(str::to_owned);
            match text("entity").as_deref() {
                Some("order_month") => {
                    if let Some(oid) = text("order_id") {
                        out.orders.push((oid, item));
                    }
                }
                Some("month_days") => out.days = Some(item),
                Some("month_settlement") => out.settlement = Some(from_item(item)?),
                _ => {}
            }
        }
        Ok(out)
    }

    /// Every order of a customer, by id.
    async fn customer_orders(&self, bid: &str, cid: &str) -> Result<HashMap<String, Order>> {
        let orders: Vec<Order> = self
            .query_all(Query::on(keys::customer_orders(bid, cid)).limit(1000))
            .await?;
        Ok(orders.into_iter().map(|o| (o.id.clone(), o)).collect())
    }

    async fn month_status(
        &self,
        bid: &str,
        s: Option<&Settlement>,
    ) -> Result<(MonthStatus, Option<MonthInvoice>)> {
        let Some(s) = s else {
            return Ok((MonthStatus::Open, None));
        };
        let today = self.business_settings(bid).await?.today(self.clock.now());
        let inv = self
            .invoice_of(bid, &s.invoice_id)
            .await?
            .with_status_on(today);
        let status = if inv.status == InvoiceStatus::Paid {
            MonthStatus::Settled
        } else {
            MonthStatus::Billed
        };
        Ok((
            status,
            Some(MonthInvoice {
                id: inv.id,
                number: inv.number,
                total: inv.total,
                balance_due: inv.balance_due,
                status: inv.status,
            }),
        ))
    }

    /// A customer's month: one query of the month partition, one of the
    /// customer's orders (for item names), and the invoice once billed.
    async fn customer_month_of(&self, c: &Customer, month: &str) -> Result<CustomerMonth> {
        let bid = &c.business_id;
        let m = self.month_items(bid, &c.id, month).await?;
        let orders = if m.orders.is_empty() {
            HashMap::new()
        } else {
            self.customer_orders(bid, &c.id).await?
        };
        let mut per_order: Vec<OrderMonth> = m
            .orders
            .iter()
            .map(|(oid, item)| order_month(item, oid, orders.get(oid)))
            .filter(|o| o.delivered_days != 0 || o.skipped_days != 0)
            .collect();
        per_order.sort_by(|a, b| a.item.cmp(&b.item).then(a.order_id.cmp(&b.order_id)));
        let (mut active, mut skipped) = (0, 0);
        if let Some(days) = &m.days {
            for d in 1..=31 {
                let delivered = num(days, &format!("d.{d:02}")) > 0;
                if delivered {
                    active += 1;
                } else if num(days, &format!("s.{d:02}")) > 0 {
                    skipped += 1;
                }
            }
        }
        let (status, invoice) = self.month_status(bid, m.settlement.as_ref()).await?;
        Ok(CustomerMonth {
            business_id: bid.clone(),
            customer_id: c.id.clone(),
            customer_name: c.name.clone(),
            month: month.to_string(),
            amount: per_order.iter().map(|o| o.amount).sum(),
            quantity: Quantity(per_order.iter().map(|o| o.quantity.milli()).sum()),
            orders: per_order,
            active_days: active,
            skipped_days: skipped,
            status,
            invoice,
            balance: c.balance,
        })
    }

    /// `GET /v1/customers/{customer_id}/months/{month}` (business): the
    /// month's totals per order and in all, its status and invoice, and
    /// the customer's balance.
    pub async fn customer_month(
        &self,
        actor: &Actor,
        customer_id: &str,
        month: &str,
    ) -> Result<CustomerMonth> {
        let bid = actor.business_id()?;
        let (first, _) = parse_month("month", month)?;
        let c = self.customer_of(bid, customer_id).await?;
        self.customer_month_of(&c, &month_of(first)).await
    }

    /// `GET /v1/vendors/{business_id}/months/{month}` (customer user): the
    /// same for each of the caller's customer records at that business.
    pub async fn vendor_month(
        &self,
        actor: &Actor,
        business_id: &str,
        month: &str,
    ) -> Result<VendorMonth> {
        let (first, _) = parse_month("month", month)?;
        let month = month_of(first);
        let mine = self.my_customers_in(actor, business_id).await?;
        let mut accounts = vec![];
        for c in &mine {
            accounts.push(self.customer_month_of(c, &month).await?);
        }
        Ok(VendorMonth {
            business_id: business_id.to_string(),
            business_name: self.business(business_id).await?.name,
            month,
            accounts,
        })
    }

    /// `GET /v1/orders/{order_id}/months/{month}` (either side): the
    /// order's read plus one query of the customer's month partition.
    pub async fn order_month(
        &self,
        actor: &Actor,
        order_id: &str,
        month: &str,
    ) -> Result<OrderMonthView> {
        let (first, _) = parse_month("month", month)?;
        let month = month_of(first);
        let (o, _) = self.order_for(actor, order_id).await?;
        let m = self
            .month_items(&o.business_id, &o.customer_id, &month)
            .await?;
        let empty = Item::new();
        let item = m
            .orders
            .iter()
            .find(|(id, _)| *id == o.id)
            .map(|(_, i)| i)
            .unwrap_or(&empty);
        let status = match &m.settlement {
            None => MonthStatus::Open,
            Some(s) => self.month_status(&o.business_id, Some(s)).await?.0,
        };
        Ok(OrderMonthView {
            month,
            status,
            totals: order_month(item, &o.id, Some(&o)),
        })
    }

    /// `POST /v1/customers/{customer_id}/months/{month}/settle` (business):
    /// closes the month into one issued invoice whose lines are the
    /// month's orders (quantity × rate, one line per rate, GST at each
    /// order's rate), and marks the month billed so that later marks and
    /// corrections are refused (409) until it is reopened. Everything
    /// commits in one transaction with the invoice, guarded against marks
    /// made since the totals were read. 422 for a future month or a month
    /// with nothing delivered; 409 when already billed.
    pub async fn settle_month(
        &self,
        actor: &Actor,
        customer_id: &str,
        month: &str,
    ) -> Result<CustomerMonth> {
        let bid = actor.owned_business_id()?.to_string();
        let (first, _) = parse_month("month", month)?;
        let month = month_of(first);
        let today = self.business_settings(&bid).await?.today(self.clock.now());
        if first > today {
            return Err(Error::field(
                "month",
                "in_the_future",
                "a month is settled once it has begun",
            ));
        }
        self.retrying(|| async {
            let c = self.customer_of(&bid, customer_id).await?;
            let m = self.month_items(&bid, customer_id, &month).await?;
            if let Some(s) = &m.settlement {
                return Err(Error::Conflict {
                    detail: format!(
                        "{month} is already billed as invoice {}",
                        s.invoice_number.as_deref().unwrap_or(&s.invoice_id)
                    ),
                    errors: vec![],
                });
            }
            // Each order by key, read strongly: an invoice is final, so
            // it is never built from an index that may lag.
            let mut orders = HashMap::new();
            for (oid, _) in &m.orders {
                let item = self.table.get(&keys::order(oid)).await?.ok_or_else(|| {
                    Error::Internal(anyhow::anyhow!(
                        "order {oid} of a month aggregate is missing"
                    ))
                })?;
                orders.insert(oid.clone(), from_item::<Order>(item)?);
            }
            let lines = settlement_lines(&m, &orders, first);
            if lines.is_empty() {
                return Err(Error::field(
                    "month",
                    "nothing_to_bill",
                    format!("nothing was delivered to this customer in {month}"),
                ));
            }
            if lines.len() > 100 {
                return Err(Error::field(
                    "month",
                    "too_many_lines",
                    "more than 100 order-and-rate lines; bill part of the month by hand",
                ));
            }
            let amount = lines
                .iter()
                .map(|l| l.quantity.times(l.unit_price.unwrap_or(0)))
                .sum();
            let input = NewInvoice {
                customer_id: c.id.clone(),
                lines,
                invoice_date: None,
                due_date: None,
                place_of_supply: None,
                notes: Some(format!(
                    "Deliveries of {} {}",
                    MONTH_NAMES[first.month() as usize - 1],
                    first.year()
                )),
                draft: false,
            };
            let Some((inv, mut writes)) = self
                .prepare_invoice(actor, &bid, &input, &HashMap::new())
                .await?
            else {
                return Ok(None);
            };
            let s = Settlement {
                month: month.clone(),
                invoice_id: inv.id.clone(),
                invoice_number: inv.number.clone(),
                amount,
                billed_by: actor.user.id.clone(),
                billed_at: self.clock.now(),
            };
            writes.push(Write::Put {
                item: to_item(
                    "month_settlement",
                    &keys::month_settlement(&bid, customer_id, &month),
                    &s,
                )?,
                cond: Some(Cond::NotExists),
            });
            let mut deltas = Deltas::default();
            business_month::count_settled(&mut deltas, &bid, customer_id, &month, s.amount, 1);
            writes.extend(deltas.into_writes());
            let w = m.days.as_ref().map(|d| num(d, "w")).unwrap_or(0);
            writes.push(Write::Check {
                key: keys::customer_month_days(&bid, customer_id, &month),
                cond: Cond::Equals("w".into(), w.into()),
            });
            self.commit(writes, ()).await
        })
        .await?;
        let c = self.customer_of(&bid, customer_id).await?;
        self.customer_month_of(&c, &month).await
    }

    /// `POST /v1/customers/{customer_id}/months/{month}/reopen`
    /// (business): opens a billed month again once its invoice is
    /// cancelled (409 otherwise), so records can be corrected and the
    /// month settled anew.
    pub async fn reopen_month(
        &self,
        actor: &Actor,
        customer_id: &str,
        month: &str,
    ) -> Result<CustomerMonth> {
        let bid = actor.owned_business_id()?.to_string();
        let (first, _) = parse_month("month", month)?;
        let month = month_of(first);
        let c = self.customer_of(&bid, customer_id).await?;
        let m = self.month_items(&bid, customer_id, &month).await?;
        let Some(s) = m.settlement else {
            return Err(Error::Conflict {
                detail: format!("{month} is open"),
                errors: vec![],
            });
        };
        let inv = self.invoice_of(&bid, &s.invoice_id).await?;
        if inv.status != InvoiceStatus::Cancelled {
            return Err(Error::Conflict {
                detail: format!(
                    "cancel invoice {} first (void its payments if any), then reopen the month",
                    inv.number.as_deref().unwrap_or(&inv.id)
                ),
                errors: vec![],
            });
        }
        // The lock and the business's settled totals go together.
        let mut deltas = Deltas::default();
        business_month::count_settled(&mut deltas, &bid, customer_id, &month, s.amount, -1);
        let mut writes = vec![Write::Delete {
            key: keys::month_settlement(&bid, customer_id, &month),
            cond: Some(Cond::Equals(
                "invoice_id".into(),
                s.invoice_id.clone().into(),
            )),
        }];
        writes.extend(deltas.into_writes());
        self.table.transact(writes).await?;
        self.customer_month_of(&c, &month).await
    }
}

/// The invoice lines of a month: per order and rate, quantity × rate.
fn settlement_lines(
    m: &MonthItems,
    orders: &HashMap<String, Order>,
    first: Date,
) -> Vec<LineInput> {
    let month_name = format!(
        "{} {}",
        MONTH_NAMES[first.month() as usize - 1],
        first.year()
    );
    let mut lines = vec![];
    let mut sorted: Vec<&(String, Item)> = m.orders.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    for (oid, item) in sorted {
        let o = orders.get(oid);
        let om = order_month(item, oid, o);
        let several = om.lines.len() > 1;
        for l in &om.lines {
            if l.quantity.milli() <= 0 {
                continue;
            }
            let rate_note = if several {
                format!(" at {}.{:02}", l.rate / 100, l.rate % 100)
            } else {
                String::new()
            };
            lines.push(LineInput {
                product_id: None,
                description: Some(format!(
                    "{} — {month_name}{rate_note}",
                    if om.item.is_empty() {
                        "Deliveries"
                    } else {
                        &om.item
                    }
                )),
                hsn_sac: o.and_then(|o| o.hsn_sac.clone()),
                unit: o.map(|o| o.unit.clone()),
                quantity: l.quantity,
                unit_price: Some(l.rate),
                discount: None,
                discount_rate_bp: None,
                tax_rate_bp: Some(o.map(|o| o.tax_rate_bp).unwrap_or(0)),
            });
        }
    }
    lines
}
