//! Daily delivery records ("attendance") of orders: marks one at a time
//! or for a whole round at once, the customer's corrections, lists, and
//! comments on a record.
//!
//! A delivery record is unique per order and date: its key is
//! `ORD#<order_id>` / `DLV#<date>` and its id (`dlv_<order ULID>_<yyyymmdd>`)
//! names both, so a second mark of the same day is refused (409) and
//! corrections go through `PATCH`. Every mark and correction commits in one
//! transaction with the order's record counter, the month aggregates of
//! [`crate::deliveries::months`] and a check that the month is not billed.

use crate::app::{Hisaab, from_item, to_item};
use crate::deliveries::business_month::{self, Counted};
use crate::deliveries::orders::{DayOfWeek, Order, OrderStatus, Side, month_of, parse_month};
use crate::error::{Error, Errors, FieldError, Result};
use crate::identity::{Actor, Role};
use crate::ids::is_id;
use crate::keys;
use crate::ledger::aggregates::Deltas;
use crate::money::Quantity;
use crate::paging::{Page, page_limit};
use crate::table::{Cond, Item, Query, TableError, Write};
use crate::validate;
use futures::StreamExt;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most marks in one `POST /v1/deliveries/bulk`.
pub const MAX_BULK: usize = 500;

/// Marks of a bulk call written at the same time.
const BULK_CONCURRENCY: usize = 16;

/// Most history entries kept on a delivery record.
const MAX_DELIVERY_HISTORY: usize = 50;

/// What happened on the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Delivered (a quantity more than 0).
    Delivered,
    /// Not delivered (quantity 0).
    Skipped,
}

/// One change of a delivery record.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct DeliveryChange {
    /// When (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// The user who changed it.
    pub by: String,
    /// Their role (`owner`, `staff`, `customer`).
    pub role: Role,
    /// Status before.
    pub from_status: DeliveryStatus,
    /// Quantity before.
    pub from_quantity: Quantity,
    /// Status after.
    pub to_status: DeliveryStatus,
    /// Quantity after.
    pub to_quantity: Quantity,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A delivery record: one order on one date.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Delivery {
    /// `dlv_<order ULID>_<yyyymmdd>`.
    pub id: String,
    /// The order.
    pub order_id: String,
    /// The business.
    pub business_id: String,
    /// The customer.
    pub customer_id: String,
    /// The day (the business's time zone).
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// Delivered or skipped.
    pub status: DeliveryStatus,
    /// Quantity delivered (0 when skipped).
    pub quantity: Quantity,
    /// The order's item.
    pub item: String,
    /// Unit.
    pub unit: String,
    /// Paise per unit: the order's rate in force on `date`.
    pub rate: i64,
    /// `quantity × rate` in paise, rounded half-up (for display; the
    /// month's amount is computed from its quantities, see `months`).
    pub amount: i64,
    /// Marked on a day outside the order's days of the week.
    pub extra: bool,
    /// Who marked it.
    pub marked_by: String,
    /// When (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub marked_at: Timestamp,
    /// Who changed it last.
    pub updated_by: String,
    /// Their role.
    pub updated_by_role: Role,
    /// When (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// Corrections, oldest first.
    pub history: Vec<DeliveryChange>,
    /// Version, 1 when marked.
    pub version: i64,
}

/// `POST /v1/orders/{order_id}/deliveries`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDelivery {
    /// The day, not in the future and within the order's validity.
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// `delivered` or `skipped`.
    pub status: DeliveryStatus,
    /// Quantity delivered (default: the order's quantity on that date).
    #[serde(default)]
    pub quantity: Option<Quantity>,
    /// `true` allows a day outside the order's days of the week.
    #[serde(default)]
    pub extra: bool,
}

/// `PATCH /v1/deliveries/{delivery_id}`: a correction by the customer
/// (`reason` required) or the business.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveryPatch {
    /// New status.
    #[serde(default)]
    pub status: Option<DeliveryStatus>,
    /// New quantity (more than 0 when delivered).
    #[serde(default)]
    pub quantity: Option<Quantity>,
    /// Why (1–500 characters; required from the customer).
    #[serde(default)]
    pub reason: Option<String>,
    /// The version read; 409 when the record changed since.
    #[serde(default)]
    pub version: Option<i64>,
}

/// One mark of a bulk call.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkMark {
    /// The order.
    pub order_id: String,
    /// Default `delivered`.
    #[serde(default)]
    pub status: Option<DeliveryStatus>,
    /// Default: the order's quantity on the date.
    #[serde(default)]
    pub quantity: Option<Quantity>,
    /// As in a single mark.
    #[serde(default)]
    pub extra: bool,
}

/// `POST /v1/deliveries/bulk`: the morning round, one date, 1–500 marks.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkMarks {
    /// The day of every mark.
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// The marks; each succeeds or fails on its own.
    pub items: Vec<BulkMark>,
}

/// Why one mark of a bulk call failed: what a single mark would have
/// answered, as a problem document's fields.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct BulkError {
    /// HTTP status a single mark would get (404, 409, 422, …).
    pub status: u16,
    /// What is wrong.
    pub detail: String,
    /// Invalid fields (422).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// The outcome of one mark of a bulk call.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct BulkResult {
    /// Position in `items`.
    pub index: usize,
    /// The order.
    pub order_id: String,
    /// The record made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    /// Why nothing was written for this mark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<BulkError>,
}

/// The answer of `POST /v1/deliveries/bulk`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct BulkOutcome {
    /// The day.
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// Marks written.
    pub marked: usize,
    /// Marks refused.
    pub failed: usize,
    /// One per item, in the order sent.
    pub results: Vec<BulkResult>,
}

/// Filters of the delivery lists.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryFilter {
    /// One day.
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub date: Option<Date>,
    /// One month `yyyy-mm` (default: the current month, unless `date`).
    #[serde(default)]
    pub month: Option<String>,
    /// The business (customer callers of `GET /v1/deliveries`).
    #[serde(default)]
    pub business_id: Option<String>,
    /// Page size 1–500 (default 100; business lists).
    #[param(minimum = 1, maximum = 500)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// From the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// The id of the record of an order on a date.
pub fn delivery_id(order_id: &str, date: Date) -> String {
    let ulid = order_id.strip_prefix("ord_").unwrap_or(order_id);
    format!(
        "dlv_{ulid}_{:04}{:02}{:02}",
        date.year(),
        date.month(),
        date.day()
    )
}

/// The order and date named by a delivery id; `None` when malformed.
pub fn parse_delivery_id(raw: &str) -> Option<(String, Date)> {
    let rest = raw.strip_prefix("dlv_")?;
    let (ulid, ymd) = rest.split_once('_')?;
    let order_id = format!("ord_{ulid}");
    if !is_id("ord", &order_id) || ymd.len() != 8 || !ymd.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let date = Date::new(
        ymd[..4].parse().ok()?,
        ymd[4..6].parse().ok()?,
        ymd[6..].parse().ok()?,
    )
    .ok()?;
    Some((order_id, date))
}

pub(crate) fn delivery_item(d: &Delivery) -> Result<Item> {
    let date = d.date.to_string();
    let mut item = to_item("delivery", &keys::delivery(&d.order_id, &date), d)?;
    let sk = keys::date_sort_key(&date, &d.order_id);
    keys::deliveries_by_month(&d.business_id, &month_of(d.date))
        .at(sk.clone())
        .set_on(&mut item);
    keys::customer_deliveries(&d.business_id, &d.customer_id)
        .at(sk)
        .set_on(&mut item);
    Ok(item)
}

/// Counts a record in (`sign` = 1) or out (−1) of its month aggregates:
/// on the order's month item `delivered`, `skipped`, `qty` and `q.<rate>`
/// (thousandths delivered at that rate); on the customer's `DAYS` item
/// `d.<dd>` / `s.<dd>` (records delivered / skipped on day `dd`).
/// It counts the record in the business's month too
/// ([`crate::deliveries::business_month`]).
pub(crate) fn count(deltas: &mut Deltas, d: &Delivery, sign: i64) {
    let counted = Counted {
        business_id: &d.business_id,
        customer_id: &d.customer_id,
        date: d.date,
        delivered: (d.status == DeliveryStatus::Delivered).then_some((
            d.quantity,
            d.rate,
            d.unit.as_str(),
        )),
    };
    business_month::count(deltas, counted, sign);
    let month = month_of(d.date);
    let om = keys::order_month(&d.business_id, &d.customer_id, &month, &d.order_id);
    let days = keys::customer_month_days(&d.business_id, &d.customer_id, &month);
    let dd = format!("{:02}", d.date.day());
    deltas.describe(
        &om,
        "order_month",
        &[("order_id", &d.order_id), ("month", &month)],
    );
    deltas.describe(&days, "month_days", &[("month", &month)]);
    match d.status {
        DeliveryStatus::Delivered => {
            deltas.add(om.clone(), "delivered", sign);
            deltas.add(om.clone(), "qty", sign * d.quantity.milli());
            deltas.add(om, format!("q.{}", d.rate), sign * d.quantity.milli());
            deltas.add(days, format!("d.{dd}"), sign);
        }
        DeliveryStatus::Skipped => {
            deltas.add(om, "skipped", sign);
            deltas.add(days, format!("s.{dd}"), sign);
        }
    }
}

/// The writes every mark and correction shares: the month aggregates, a
/// write counter `w` on the `DAYS` item (settlement checks it did not
/// move), and the check that the month is not billed.
fn month_writes(d: &Delivery, deltas: Deltas) -> Vec<Write> {
    let month = month_of(d.date);
    let mut deltas = deltas;
    let days = keys::customer_month_days(&d.business_id, &d.customer_id, &month);
    deltas.describe(&days, "month_days", &[("month", &month)]);
    deltas.add(days, "w", 1);
    let mut writes = vec![Write::Check {
        key: keys::month_settlement(&d.business_id, &d.customer_id, &month),
        cond: Cond::NotExists,
    }];
    writes.extend(deltas.into_writes());
    writes
}

fn billed(month: &str) -> Error {
    Error::Conflict {
        detail: format!(
            "{month} is settled into an invoice; reopen the month to change its records"
        ),
        errors: vec![],
    }
}

fn check_delivery_quantity(
    errs: &mut Errors,
    field: &str,
    status: DeliveryStatus,
    q: Option<Quantity>,
) {
    match (status, q) {
        (DeliveryStatus::Delivered, Some(q)) if q.milli() <= 0 => errs.push(
            field,
            "out_of_range",
            "a delivered quantity is more than 0 (mark the day skipped instead)",
        ),
        (DeliveryStatus::Skipped, Some(q)) if q.milli() != 0 => {
            errs.push(field, "not_allowed", "a skipped day has no quantity")
        }
        _ => {}
    }
}

/// Turns an error into a bulk result's error.
fn bulk_error(e: Error) -> BulkError {
    let (status, errors) = match &e {
        Error::Validation(v) => (422, v.clone()),
        Error::BadRequest { errors, .. } => (400, errors.clone()),
        Error::Unauthorized { .. } => (401, vec![]),
        Error::Forbidden(_) => (403, vec![]),
        Error::NotFound(_) => (404, vec![]),
        Error::Conflict { errors, .. } => (409, errors.clone()),
        Error::RateLimited { .. } => (429, vec![]),
        Error::Unavailable { .. } => (503, vec![]),
        Error::Internal(_) => (500, vec![]),
    };
    let detail = match &e {
        Error::Validation(v) => v
            .iter()
            .map(|f| format!("{}: {}", f.field, f.detail))
            .collect::<Vec<_>>()
            .join("; "),
        Error::Internal(_) => "internal error; retry this mark".into(),
        other => other.to_string(),
    };
    BulkError {
        status,
        detail,
        errors,
    }
}

/// Prefixes the fields of a 422 with `items[i].`.
fn in_item(e: Error, i: usize) -> Error {
    match e {
        Error::Validation(v) => Error::Validation(
            v.into_iter()
                .map(|f| FieldError {
                    field: format!("items[{i}].{}", f.field),
                    ..f
                })
                .collect(),
        ),
        e => e,
    }
}

/// The days a list covers: `date`, else `month`, else this month. 422 for
/// both at once, a malformed month, or a month of another year range.
fn range(f: &DeliveryFilter, today: Date) -> Result<(Date, Date)> {
    match (f.date, f.month.as_deref()) {
        (Some(_), Some(_)) => Err(Error::field(
            "month",
            "not_allowed",
            "give a date or a month, not both",
        )),
        (Some(d), None) => Ok((d, d)),
        (None, Some(m)) => parse_month("month", m),
        (None, None) => parse_month("month", &month_of(today)),
    }
}

impl Hisaab {
    /// Validates a mark against the order and builds the record.
    fn new_delivery(
        &self,
        actor: &Actor,
        o: &Order,
        today: Date,
        m: &NewDelivery,
    ) -> Result<Delivery> {
        let mut errs = Errors::default();
        if m.date > today {
            errs.push(
                "date",
                "in_the_future",
                "a record is made on or after its day",
            );
        }
        let valid = o.valid_on(m.date);
        if !valid {
            errs.push(
                "date",
                "outside_validity",
                format!(
                    "the order is valid from {}{}",
                    o.valid_from,
                    o.valid_till
                        .map(|t| format!(" till {t}"))
                        .unwrap_or_default()
                ),
            );
        }
        let terms = o.terms_on(m.date);
        if valid && !m.extra && !terms.days.contains(&DayOfWeek::of(m.date)) {
            errs.push(
                "date",
                "not_scheduled",
                "the order is not delivered on this day of the week; send extra: true for an extra delivery",
            );
        }
        check_delivery_quantity(&mut errs, "quantity", m.status, m.quantity);
        errs.finish()?;
        if o.status != OrderStatus::Active {
            return Err(Error::Conflict {
                detail: format!(
                    "the order is {}; only active orders get delivery records",
                    o.status.as_str()
                ),
                errors: vec![],
            });
        }
        let quantity = match m.status {
            DeliveryStatus::Delivered => m.quantity.unwrap_or(terms.quantity),
            DeliveryStatus::Skipped => Quantity(0),
        };
        let now = self.clock.now();
        Ok(Delivery {
            id: delivery_id(&o.id, m.date),
            order_id: o.id.clone(),
            business_id: o.business_id.clone(),
            customer_id: o.customer_id.clone(),
            date: m.date,
            status: m.status,
            quantity,
            item: o.item.clone(),
            unit: o.unit.clone(),
            rate: terms.rate,
            amount: quantity.times(terms.rate),
            extra: m.extra,
            marked_by: actor.user.id.clone(),
            marked_at: now,
            updated_by: actor.user.id.clone(),
            updated_by_role: actor.user.role,
            updated_at: now,
            history: vec![],
            version: 1,
        })
    }

    /// Marks one order on one date (the business), retrying when the
    /// order changed between the read and the write.
    async fn mark(
        &self,
        actor: &Actor,
        order_id: &str,
        today: Date,
        m: &NewDelivery,
    ) -> Result<Delivery> {
        let bid = actor.business_id()?.to_string();
        self.retrying(|| async {
            let (o, _) = self.order_for(actor, order_id).await?;
            if o.business_id != bid {
                return Err(Error::NotFound("order"));
            }
            let d = self.new_delivery(actor, &o, today, m)?;
            let mut deltas = Deltas::default();
            count(&mut deltas, &d, 1);
            let mut writes = vec![
                Write::Put {
                    item: delivery_item(&d)?,
                    cond: Some(Cond::NotExists),
                },
                Write::Add {
                    key: keys::order(&o.id),
                    deltas: vec![("deliveries".into(), 1), ("version".into(), 1)],
                    attrs: vec![],
                    cond: Some(Cond::version(o.version)),
                },
            ];
            writes.extend(month_writes(&d, deltas));
            match self.table.transact(writes).await {
                Ok(()) => Ok(Some(d)),
                Err(TableError::ConditionFailed { .. }) => {
                    let date = d.date.to_string();
                    if self
                        .table
                        .get(&keys::delivery(&o.id, &date))
                        .await?
                        .is_some()
                    {
                        return Err(Error::Conflict {
                            detail: format!(
                                "{date} is already marked for this order; correct it with PATCH /v1/deliveries/{}",
                                d.id
                            ),
                            errors: vec![],
                        });
                    }
                    let month = month_of(d.date);
                    if self
                        .table
                        .get(&keys::month_settlement(&o.business_id, &o.customer_id, &month))
                        .await?
                        .is_some()
                    {
                        return Err(billed(&month));
                    }
                    Ok(None)
                }
                Err(TableError::Contention) => Ok(None),
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    async fn today_of(&self, business_id: &str) -> Result<Date> {
        Ok(self
            .business_settings(business_id)
            .await?
            .today(self.clock.now()))
    }

    /// `POST /v1/orders/{order_id}/deliveries` (business): the day's
    /// record. 422 for a date in the future, outside the validity or off
    /// the schedule (unless `extra`), or a bad quantity; 409 when the day
    /// is already marked, the order is not active, or the month is billed.
    pub async fn mark_delivery(
        &self,
        actor: &Actor,
        order_id: &str,
        m: NewDelivery,
    ) -> Result<Delivery> {
        let bid = actor.business_id()?;
        let today = self.today_of(bid).await?;
        self.mark(actor, order_id, today, &m).await
    }

    /// `POST /v1/deliveries/bulk` (business): marks up to 500 orders for
    /// one date. Each mark commits on its own; the answer has one result
    /// per item, in order, with the record or the error a single mark
    /// would have got. When the store was unavailable for every mark, the
    /// answer is that `503` itself (with `Retry-After`): the whole round
    /// is sent again.
    pub async fn mark_deliveries(&self, actor: &Actor, b: BulkMarks) -> Result<BulkOutcome> {
        let bid = actor.business_id()?;
        if b.items.is_empty() || b.items.len() > MAX_BULK {
            return Err(Error::field(
                "items",
                "out_of_range",
                format!("1 to {MAX_BULK} marks"),
            ));
        }
        let today = self.today_of(bid).await?;
        let date = b.date;
        let outcomes: Vec<(String, Result<Delivery>)> = futures::stream::iter(b.items)
            .map(|it| async move {
                let m = NewDelivery {
                    date,
                    status: it.status.unwrap_or(DeliveryStatus::Delivered),
                    quantity: it.quantity,
                    extra: it.extra,
                };
                let r = self.mark(actor, &it.order_id, today, &m).await;
                (it.order_id, r)
            })
            .buffered(BULK_CONCURRENCY)
            .collect()
            .await;
        if outcomes
            .iter()
            .all(|(_, r)| matches!(r, Err(Error::Unavailable { .. })))
        {
            let (_, first) = outcomes.into_iter().next().expect("1 or more marks");
            return Err(first.expect_err("every mark failed"));
        }
        let results: Vec<BulkResult> = outcomes
            .into_iter()
            .enumerate()
            .map(|(index, (order_id, r))| match r {
                Ok(d) => BulkResult {
                    index,
                    order_id,
                    delivery: Some(d),
                    error: None,
                },
                Err(e) => BulkResult {
                    index,
                    order_id,
                    delivery: None,
                    error: Some(bulk_error(in_item(e, index))),
                },
            })
            .collect();
        let marked = results.iter().filter(|r| r.delivery.is_some()).count();
        Ok(BulkOutcome {
            date,
            marked,
            failed: results.len() - marked,
            results,
        })
    }

    /// A delivery record the caller may see, with its order and side.
    pub(crate) async fn delivery_for(
        &self,
        actor: &Actor,
        delivery_id: &str,
    ) -> Result<(Delivery, Order, Side)> {
        let (order_id, date) = parse_delivery_id(delivery_id).ok_or(Error::NotFound("delivery"))?;
        let (o, side) = self
            .order_for(actor, &order_id)
            .await
            .map_err(|e| match e {
                Error::NotFound(_) => Error::NotFound("delivery"),
                e => e,
            })?;
        let d = self
            .table
            .get(&keys::delivery(&order_id, &date.to_string()))
            .await?
            .ok_or(Error::NotFound("delivery"))?;
        Ok((from_item(d)?, o, side))
    }

    /// `GET /v1/deliveries/{delivery_id}`: the record with its history.
    pub async fn get_delivery(&self, actor: &Actor, delivery_id: &str) -> Result<Delivery> {
        Ok(self.delivery_for(actor, delivery_id).await?.0)
    }

    /// `PATCH /v1/deliveries/{delivery_id}`: a correction of status or
    /// quantity by the customer (with a reason) or the business, kept in
    /// the record's history; the month aggregates move in the same
    /// transaction. The record keeps its rate. 409 when the month is
    /// billed or (with `version`) the record changed.
    pub async fn correct_delivery(
        &self,
        actor: &Actor,
        delivery_id: &str,
        p: DeliveryPatch,
    ) -> Result<Delivery> {
        self.retrying(|| async {
            let (old, o, side) = self.delivery_for(actor, delivery_id).await?;
            if p.version.is_some_and(|v| v != old.version) {
                return Err(Error::stale());
            }
            let mut errs = Errors::default();
            let reason = match p.reason.as_deref().filter(|r| !r.trim().is_empty()) {
                Some(r) => errs.check(validate::text("reason", r, 500)),
                None => {
                    if side == Side::Customer {
                        errs.push("reason", "required", "say why the record is wrong");
                    }
                    None
                }
            };
            if p.status.is_none() && p.quantity.is_none() {
                errs.push("status", "required", "a new status or quantity");
            }
            let status = p.status.unwrap_or(old.status);
            check_delivery_quantity(&mut errs, "quantity", status, p.quantity);
            errs.finish()?;
            let quantity = match status {
                DeliveryStatus::Skipped => Quantity(0),
                DeliveryStatus::Delivered => p.quantity.unwrap_or(if old.quantity.milli() > 0 {
                    old.quantity
                } else {
                    o.terms_on(old.date).quantity
                }),
            };
            if status == old.status && quantity == old.quantity {
                return Ok(Some(old));
            }
            let now = self.clock.now();
            let mut d = old.clone();
            d.history.push(DeliveryChange {
                at: now,
                by: actor.user.id.clone(),
                role: actor.user.role,
                from_status: old.status,
                from_quantity: old.quantity,
                to_status: status,
                to_quantity: quantity,
                reason: reason.clone(),
            });
            if d.history.len() > MAX_DELIVERY_HISTORY {
                d.history.remove(0);
            }
            d.status = status;
            d.quantity = quantity;
            d.amount = quantity.times(d.rate);
            d.updated_by = actor.user.id.clone();
            d.updated_by_role = actor.user.role;
            d.updated_at = now;
            d.version = old.version + 1;
            let mut deltas = Deltas::default();
            count(&mut deltas, &old, -1);
            count(&mut deltas, &d, 1);
            let mut writes = vec![Write::Put {
                item: delivery_item(&d)?,
                cond: Some(Cond::version(old.version)),
            }];
            writes.extend(month_writes(&d, deltas));
            match self.table.transact(writes).await {
                Ok(()) => Ok(Some(d)),
                Err(TableError::ConditionFailed { .. }) | Err(TableError::Contention) => {
                    let month = month_of(d.date);
                    if self
                        .table
                        .get(&keys::month_settlement(
                            &d.business_id,
                            &d.customer_id,
                            &month,
                        ))
                        .await?
                        .is_some()
                    {
                        return Err(billed(&month));
                    }
                    if p.version.is_some() {
                        return Err(Error::stale());
                    }
                    Ok(None)
                }
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    /// `GET /v1/orders/{order_id}/deliveries?month=`: the order's records
    /// of a month (default: this month), by date, for either side.
    pub async fn list_order_deliveries(
        &self,
        actor: &Actor,
        order_id: &str,
        f: DeliveryFilter,
    ) -> Result<Page<Delivery>> {
        let (o, _) = self.order_for(actor, order_id).await?;
        let today = self.today_of(&o.business_id).await?;
        let (first, last) = range(&f, today)?;
        let q = Query::on(keys::order_partition(order_id))
            .between(
                format!("{}{first}", keys::DELIVERY_PREFIX),
                format!("{}{last}", keys::DELIVERY_PREFIX),
            )
            .limit(1000);
        let page = self.table.query(&q).await?;
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(from_item)
                .collect::<Result<_>>()?,
            next_cursor: None,
        })
    }

    /// `GET /v1/deliveries?date=|month=`: for the business, its records of
    /// a day or month by date (paginated); for a customer user (with
    /// `business_id`), their own records there.
    pub async fn list_deliveries(
        &self,
        actor: &Actor,
        f: DeliveryFilter,
    ) -> Result<Page<Delivery>> {
        if actor.user.role == Role::Customer {
            let Some(bid) = f.business_id.clone() else {
                return Err(Error::field(
                    "business_id",
                    "required",
                    "the business whose records to list",
                ));
            };
            let today = self.today_of(&bid).await?;
            let (first, last) = range(&f, today)?;
            let mut items = vec![];
            for c in self.my_customers_in(actor, &bid).await? {
                let q = Query::on(keys::customer_deliveries(&bid, &c.id))
                    .between(format!("{first}#"), format!("{last}#~"))
                    .limit(1000);
                for item in self.table.query(&q).await?.items {
                    items.push(from_item(item)?);
                }
            }
            return Ok(Page {
                items,
                next_cursor: None,
            });
        }
        let bid = actor.business_id()?;
        if f.business_id.is_some() {
            return Err(Error::field(
                "business_id",
                "not_allowed",
                "a business lists its own records",
            ));
        }
        let today = self.today_of(bid).await?;
        let (first, last) = range(&f, today)?;
        let limit = page_limit(f.limit, 100, MAX_BULK)?;
        let mut q = Query::on(keys::deliveries_by_month(bid, &month_of(first))).limit(limit);
        if first == last {
            q = q.begins_with(format!("{first}#"));
        }
        let binding = format!("deliveries|{bid}|{first}|{last}");
        self.query_page(q, &binding, f.cursor.as_deref(), |_: &Delivery| true)
            .await
    }

    /// `GET /v1/customers/{customer_id}/deliveries?date=|month=`
    /// (business): one customer's records, by date, paginated.
    pub async fn list_customer_deliveries(
        &self,
        actor: &Actor,
        customer_id: &str,
        f: DeliveryFilter,
    ) -> Result<Page<Delivery>> {
        let bid = actor.business_id()?;
        self.customer_of(bid, customer_id).await?;
        let today = self.today_of(bid).await?;
        let (first, last) = range(&f, today)?;
        let limit = page_limit(f.limit, 100, MAX_BULK)?;
        let q = Query::on(keys::customer_deliveries(bid, customer_id))
            .between(format!("{first}#"), format!("{last}#~"))
            .limit(limit);
        let binding = format!("customer-deliveries|{bid}|{customer_id}|{first}|{last}");
        self.query_page(q, &binding, f.cursor.as_deref(), |_: &Delivery| true)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::new_id;

    #[test]
    fn delivery_ids_name_their_order_and_date() {
        let order = new_id("ord");
        let date = jiff::civil::date(2026, 11, 5);
        let id = delivery_id(&order, date);
        assert!(id.starts_with("dlv_") && id.ends_with("_20261105"));
        assert_eq!(parse_delivery_id(&id), Some((order, date)));
        assert_eq!(parse_delivery_id("dlv_x_20261105"), None);
        assert_eq!(
            parse_delivery_id(&id.replace("_20261105", "_20261131")),
            None
        );
    }
}
