//! Scheduled and on-demand orders between a business and its customer,
//! the customer's confirmation of every change, and what a customer user
//! sees of the businesses that have them.
//!
//! An order is a contract: an item, a quantity per delivery (thousandths),
//! a rate (paise per unit), the days of the week it is delivered on and a
//! validity (`valid_from`, optional `valid_till`, civil dates in the
//! business's time zone). Its terms have a history ([`Terms`]): a change of
//! quantity, rate or days applies from a date on, and each delivery record
//! is priced with the terms in force on its date.
//!
//! When the customer has an account (a customer user whose verified phone
//! is the customer's phone), a new order and every change to quantity,
//! rate, days, dates or status waits as the order's pending change until
//! the customer confirms or rejects it; until then the order keeps its
//! current terms. Without an account a change applies at once. Either way
//! the customer is told by SMS.
//!
//! Access patterns (see `docs/data-model.md`): the order item lives in its
//! own partition `ORD#<order_id>` with its delivery records and comments;
//! GSI1 lists a business's orders and GSI2 a customer's, both by
//! `valid_from`. Customer users find their businesses through the
//! `PHONE#<e164>#CUS` links written with every customer record.
//!
//! This folder: the order and its terms (here), the customer user's side
//! (`accounts`), new orders and on-demand requests (`create`), changes
//! that wait for the customer (`changes`), and reading orders (`read`).

pub mod accounts;
pub mod changes;
pub mod create;
pub mod read;

use crate::app::to_item;
use crate::error::{Error, Errors, Result};
use crate::identity::{Actor, Role};
use crate::keys;
use crate::ledger::catalogue::MAX_UNIT_PRICE;
use crate::money::{Quantity, format_amount};
use crate::table::Item;
use crate::validate::present;
use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most history entries kept on an order (the oldest are dropped).
pub const MAX_ORDER_HISTORY: usize = 100;

/// A day of the week an order is delivered on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DayOfWeek {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl DayOfWeek {
    /// Every day, Monday first.
    pub const ALL: [DayOfWeek; 7] = [
        DayOfWeek::Mon,
        DayOfWeek::Tue,
        DayOfWeek::Wed,
        DayOfWeek::Thu,
        DayOfWeek::Fri,
        DayOfWeek::Sat,
        DayOfWeek::Sun,
    ];

    /// The day of the week of a date.
    pub fn of(date: Date) -> DayOfWeek {
        match date.weekday() {
            Weekday::Monday => DayOfWeek::Mon,
            Weekday::Tuesday => DayOfWeek::Tue,
            Weekday::Wednesday => DayOfWeek::Wed,
            Weekday::Thursday => DayOfWeek::Thu,
            Weekday::Friday => DayOfWeek::Fri,
            Weekday::Saturday => DayOfWeek::Sat,
            Weekday::Sunday => DayOfWeek::Sun,
        }
    }

    fn short(self) -> &'static str {
        match self {
            DayOfWeek::Mon => "Mon",
            DayOfWeek::Tue => "Tue",
            DayOfWeek::Wed => "Wed",
            DayOfWeek::Thu => "Thu",
            DayOfWeek::Fri => "Fri",
            DayOfWeek::Sat => "Sat",
            DayOfWeek::Sun => "Sun",
        }
    }
}

/// `scheduled` (a standing contract) or `on_demand` (a one-off request).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderType {
    /// Delivered on its days of the week while valid.
    Scheduled,
    /// Requested for one date (or a short range); delivered like a
    /// scheduled order once accepted.
    OnDemand,
}

/// Where an order stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Created by the business; waits for the customer's confirmation.
    Pending,
    /// Requested by the customer (on demand); waits for the business to
    /// accept or decline.
    Requested,
    /// In force: deliveries can be marked.
    Active,
    /// Stopped; no new marks.
    Inactive,
    /// Rejected by the customer or declined by the business.
    Declined,
}

impl OrderStatus {
    /// The status's name in JSON and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::Requested => "requested",
            OrderStatus::Active => "active",
            OrderStatus::Inactive => "inactive",
            OrderStatus::Declined => "declined",
        }
    }
}

/// The terms of an order from a date on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Terms {
    /// First date these terms apply to.
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    /// Quantity per delivery.
    pub quantity: Quantity,
    /// Price of one unit, in paise.
    pub rate: i64,
    /// Days of the week delivered on.
    pub days: Vec<DayOfWeek>,
}

/// What a change asks for: only the fields that change are present.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChangeFields {
    /// New quantity per delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
    /// New rate in paise per unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<i64>,
    /// New days of the week.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<Vec<DayOfWeek>>,
    /// New first date of validity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_from: Option<Date>,
    /// New last date of validity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_till: Option<Date>,
    /// `true` removes the last date (valid until further notice).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub clear_valid_till: bool,
    /// New status (`active` or `inactive`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OrderStatus>,
}

impl ChangeFields {
    fn is_empty(&self) -> bool {
        *self == ChangeFields::default()
    }

    fn touches_terms(&self) -> bool {
        self.quantity.is_some() || self.rate.is_some() || self.days.is_some()
    }
}

/// `create` (a new order) or `update` (a change to an order in force).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// The order itself waits for confirmation.
    Create,
    /// A change of an order in force.
    Update,
}

/// A change waiting for the customer's confirmation.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct OrderChange {
    /// `chg_<ULID>`.
    pub id: String,
    /// What is confirmed.
    pub kind: ChangeKind,
    /// The requested values (empty for `create`: the order's own terms).
    pub fields: ChangeFields,
    /// New terms apply from this date, or from the day of confirmation
    /// when that is later.
    #[schema(value_type = String, format = Date)]
    pub effective_from: Date,
    /// The user who asked.
    pub requested_by: String,
    /// When (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub requested_at: Timestamp,
}

/// One entry of an order's history.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct OrderEvent {
    /// When (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// The user.
    pub by: String,
    /// The user's role then.
    pub role: Role,
    /// `created`, `requested`, `change_requested`, `changed`, `confirmed`,
    /// `rejected`, `accepted`, `declined`, `edited`.
    pub action: String,
    /// What happened, for people.
    pub detail: String,
}

/// A scheduled or on-demand order (`GET /v1/orders/{order_id}`).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Order {
    /// `ord_<ULID>`.
    pub id: String,
    /// The business that delivers.
    pub business_id: String,
    /// The customer delivered to.
    pub customer_id: String,
    /// The customer's name when the order was made.
    pub customer_name: String,
    /// `scheduled` or `on_demand`.
    #[serde(rename = "type")]
    pub order_type: OrderType,
    /// The catalogue product, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// What is delivered (1–200 characters).
    pub item: String,
    /// Unit (`litre`, `pcs`, …).
    pub unit: String,
    /// HSN/SAC code for the month's invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hsn_sac: Option<String>,
    /// GST rate of the month's invoice line, in basis points.
    pub tax_rate_bp: i64,
    /// Quantity per delivery, in force now (the last [`Terms`]).
    pub quantity: Quantity,
    /// Rate in paise per unit, in force now.
    pub rate: i64,
    /// Days of the week, in force now.
    pub days: Vec<DayOfWeek>,
    /// Every set of terms, oldest first; a delivery is priced by the last
    /// one starting on or before its date.
    pub terms: Vec<Terms>,
    /// First date of validity.
    #[schema(value_type = String, format = Date)]
    pub valid_from: Date,
    /// Last date of validity, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_till: Option<Date>,
    /// Notes (≤ 2000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Where the order stands.
    pub status: OrderStatus,
    /// The change waiting for the customer, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_change: Option<OrderChange>,
    /// Whether the customer had an account at the order's last change
    /// (changes then wait for them; checked afresh at every change).
    pub customer_has_account: bool,
    /// Delivery records made so far (an order with none can be deleted).
    #[serde(default)]
    pub deliveries: i64,
    /// What happened to the order, oldest first (at most 100 entries).
    pub history: Vec<OrderEvent>,
    /// The user who created it.
    pub created_by: String,
    /// Created (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Last changed (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// Version; every change and every new delivery record raises it.
    pub version: i64,
}

impl Order {
    /// The terms in force on `date`: the last set starting on or before
    /// it (the first set for earlier dates).
    pub fn terms_on(&self, date: Date) -> &Terms {
        self.terms
            .iter()
            .rev()
            .find(|t| t.from <= date)
            .unwrap_or(&self.terms[0])
    }

    /// Whether `date` lies within the validity.
    pub fn valid_on(&self, date: Date) -> bool {
        date >= self.valid_from && self.valid_till.is_none_or(|t| date <= t)
    }

    /// Whether the order was valid on some day of the month starting
    /// `first` and ending `last`.
    fn overlaps(&self, first: Date, last: Date) -> bool {
        self.valid_from <= last && self.valid_till.is_none_or(|t| t >= first)
    }

    fn push_event(&mut self, at: Timestamp, actor: &Actor, action: &str, detail: String) {
        self.history.push(OrderEvent {
            at,
            by: actor.user.id.clone(),
            role: actor.user.role,
            action: action.into(),
            detail,
        });
        if self.history.len() > MAX_ORDER_HISTORY {
            let excess = self.history.len() - MAX_ORDER_HISTORY;
            self.history.drain(..excess);
        }
    }

    /// Applies a change from `from` on (terms) and at once (dates, status).
    fn apply(&mut self, f: &ChangeFields, from: Date) {
        if f.touches_terms() {
            // Unchanged fields come from the terms in force on `from`;
            // terms that start later keep their own values except the
            // fields this change sets.
            let base = self.terms_on(from).clone();
            let set = |t: &mut Terms| {
                if let Some(q) = f.quantity {
                    t.quantity = q;
                }
                if let Some(r) = f.rate {
                    t.rate = r;
                }
                if let Some(d) = &f.days {
                    t.days = d.clone();
                }
            };
            let mut t = Terms { from, ..base };
            set(&mut t);
            self.terms.retain(|old| old.from != from);
            for later in self.terms.iter_mut().filter(|old| old.from > from) {
                set(later);
            }
            if self.terms.iter().all(|old| old.from > from) {
                // A change from before the first terms starts them.
                t.from = self.valid_from.min(from);
                self.terms.retain(|old| old.from > t.from);
            }
            self.terms.push(t);
            self.terms.sort_by_key(|t| t.from);
            let current = self
                .terms
                .last()
                .expect("at least one set of terms")
                .clone();
            self.quantity = current.quantity;
            self.rate = current.rate;
            self.days = current.days;
        }
        if let Some(d) = f.valid_from {
            self.valid_from = d;
            if let Some(first) = self.terms.first_mut()
                && first.from > d
            {
                first.from = d;
            }
        }
        if let Some(d) = f.valid_till {
            self.valid_till = Some(d);
        }
        if f.clear_valid_till {
            self.valid_till = None;
        }
        if let Some(s) = f.status {
            self.status = s;
        }
    }
}

/// Describes a change for people and for the SMS.
pub(crate) fn describe(f: &ChangeFields, unit: &str) -> String {
    let mut parts = vec![];
    if let Some(q) = f.quantity {
        parts.push(format!("quantity {q} {unit}"));
    }
    if let Some(r) = f.rate {
        parts.push(format!("rate {} per {unit}", rupees(r)));
    }
    if let Some(d) = &f.days {
        parts.push(format!("days {}", days_text(d)));
    }
    if let Some(d) = f.valid_from {
        parts.push(format!("from {d}"));
    }
    if let Some(d) = f.valid_till {
        parts.push(format!("till {d}"));
    }
    if f.clear_valid_till {
        parts.push("no end date".into());
    }
    if let Some(s) = f.status {
        parts.push(format!("status {}", s.as_str()));
    }
    parts.join(", ")
}

/// An amount for an SMS: `Rs 64.00` (GSM-7 has no rupee sign, and one
/// character outside it would halve the length of a message).
pub(crate) fn rupees(paise: i64) -> String {
    format!(
        "Rs {}",
        format_amount(
            paise,
            crate::money::currency("INR").expect("INR is a known currency"),
        )
    )
}

pub(crate) fn days_text(days: &[DayOfWeek]) -> String {
    if days.len() == 7 {
        "every day".into()
    } else {
        days.iter().map(|d| d.short()).collect::<Vec<_>>().join(" ")
    }
}

/// `POST /v1/orders`.
///
/// A business (owner or staff) names `customer_id`; a customer user names
/// `business_id` and creates a `requested` on-demand order.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    /// The customer (business callers).
    #[serde(default)]
    pub customer_id: Option<String>,
    /// The business asked (customer callers).
    #[serde(default)]
    pub business_id: Option<String>,
    /// `scheduled` (default for businesses) or `on_demand` (the only type
    /// a customer can request).
    #[serde(default, rename = "type")]
    pub order_type: Option<OrderType>,
    /// A product of the business: its name, unit, price, GST rate and
    /// HSN/SAC are the defaults.
    #[serde(default)]
    pub product_id: Option<String>,
    /// What is delivered (required without a product; 1–200 characters).
    #[serde(default)]
    pub item: Option<String>,
    /// Unit (default: the product's, else `pcs`).
    #[serde(default)]
    pub unit: Option<String>,
    /// Quantity per delivery: more than 0, at most three decimals.
    pub quantity: Quantity,
    /// Paise per unit (default: the product's price; required otherwise,
    /// except on a customer's request, where the business sets it when
    /// accepting).
    #[serde(default)]
    pub rate: Option<i64>,
    /// GST rate in basis points for the month's invoice (default: the
    /// product's, else the business's default rate).
    #[serde(default)]
    pub tax_rate_bp: Option<i64>,
    /// Days of the week (default: every day).
    #[serde(default)]
    pub days: Option<Vec<DayOfWeek>>,
    /// First date (default: today in the business's time zone).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_from: Option<Date>,
    /// Last date (default: none for scheduled orders, `valid_from` for
    /// on-demand ones).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_till: Option<Date>,
    /// Notes (≤ 2000 characters).
    #[serde(default)]
    pub notes: Option<String>,
}

/// `PATCH /v1/orders/{order_id}` (business only). `item` and `notes`
/// change at once; quantity, rate, days, dates and status become a pending
/// change when the customer has an account. A new pending change replaces
/// an older one.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderPatch {
    /// New quantity per delivery (more than 0).
    #[serde(default)]
    pub quantity: Option<Quantity>,
    /// New rate in paise per unit.
    #[serde(default)]
    pub rate: Option<i64>,
    /// New days of the week.
    #[serde(default)]
    pub days: Option<Vec<DayOfWeek>>,
    /// New first date.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_from: Option<Date>,
    /// New last date; `null` removes it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_till: Option<Option<Date>>,
    /// `inactive` stops the order (deactivate); `active` resumes it.
    #[serde(default)]
    pub status: Option<OrderStatus>,
    /// New terms apply from this date (default and earliest: today).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub effective_from: Option<Date>,
    /// New item name.
    #[serde(default)]
    pub item: Option<String>,
    /// New notes; `null` removes them.
    #[serde(default, deserialize_with = "present")]
    pub notes: Option<Option<String>>,
    /// The version read; 409 when the order changed since.
    #[serde(default)]
    pub version: Option<i64>,
}

/// `POST /v1/orders/{order_id}/accept` (business, on a `requested` order).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptOrder {
    /// Rate in paise per unit (required when the request has none).
    #[serde(default)]
    pub rate: Option<i64>,
    /// A note for the customer.
    #[serde(default)]
    pub note: Option<String>,
}

/// `POST …/decline`, `…/reject`: an optional reason.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Why (≤ 500 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Filters of `GET /v1/orders`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrderFilter {
    /// One customer's orders (business callers).
    #[serde(default)]
    pub customer_id: Option<String>,
    /// One business's orders (customer callers).
    #[serde(default)]
    pub business_id: Option<String>,
    /// `active`, `inactive`, `pending` (waiting for the customer: new
    /// orders and orders with a pending change), `requested`, `declined`.
    #[serde(default)]
    pub status: Option<String>,
    /// `scheduled` or `on_demand`.
    #[serde(default, rename = "type")]
    pub order_type: Option<OrderType>,
    /// Orders valid on some day of this month (`yyyy-mm`).
    #[serde(default)]
    pub month: Option<String>,
    /// Page size, 1–100 (default 50; business callers).
    #[param(minimum = 1, maximum = 100)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// From the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// A business that has the caller as a customer (`GET /v1/vendors`).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Vendor {
    /// The business.
    pub business_id: String,
    /// Its trading name.
    pub business_name: String,
    /// The caller's customer record there.
    pub customer_id: String,
    /// The name the business knows the caller by.
    pub customer_name: String,
    /// The running balance there in paise: positive when the caller owes
    /// the business, negative when the business owes the caller.
    pub balance: i64,
    /// What the caller owes this business (paise, ≥ 0).
    pub you_owe: i64,
    /// What this business owes the caller (paise, ≥ 0): an advance.
    pub owed_to_you: i64,
}

/// `GET /v1/vendors`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct VendorList {
    /// By business name.
    pub items: Vec<Vendor>,
    /// Sum of `you_owe` (paise).
    pub total_you_owe: i64,
    /// Sum of `owed_to_you` (paise).
    pub total_owed_to_you: i64,
}

/// Which side of an order the caller is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The owner or staff of the order's business.
    Vendor,
    /// The customer user whose phone is the order's customer's.
    Customer,
}

/// Parses a month `yyyy-mm` into its first and last day; 422 on `field`.
pub fn parse_month(field: &str, raw: &str) -> Result<(Date, Date)> {
    let bad = || {
        Error::field(
            field,
            "invalid_month",
            "a month as yyyy-mm, such as 2026-11",
        )
    };
    let (y, m) = raw.split_once('-').ok_or_else(bad)?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || m.len() != 2 || !digits(y) || !digits(m) {
        return Err(bad());
    }
    let y: i16 = y.parse().map_err(|_| bad())?;
    let m: i8 = m.parse().map_err(|_| bad())?;
    let first = Date::new(y, m, 1).map_err(|_| bad())?;
    Ok((first, first.last_of_month()))
}

/// The month `yyyy-mm` of a date.
pub fn month_of(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

pub(crate) fn order_item(o: &Order) -> Result<Item> {
    let mut item = to_item("order", &keys::order(&o.id), o)?;
    let sk = keys::date_sort_key(&o.valid_from.to_string(), &o.id);
    keys::orders_by_business(&o.business_id)
        .at(sk.clone())
        .set_on(&mut item);
    keys::customer_orders(&o.business_id, &o.customer_id)
        .at(sk)
        .set_on(&mut item);
    Ok(item)
}

pub(crate) fn check_days(errs: &mut Errors, field: &str, days: &[DayOfWeek]) {
    let mut sorted = days.to_vec();
    sorted.sort();
    sorted.dedup();
    if days.is_empty() {
        errs.push(field, "required", "at least one day of the week");
    } else if sorted.len() != days.len() {
        errs.push(field, "duplicate", "each day at most once");
    }
}

pub(crate) fn check_quantity(errs: &mut Errors, field: &str, q: Quantity) {
    if q.milli() <= 0 {
        errs.push(field, "out_of_range", "a quantity more than 0");
    }
}

pub(crate) fn check_rate(errs: &mut Errors, field: &str, r: i64) {
    if !(0..=MAX_UNIT_PRICE).contains(&r) {
        errs.push(
            field,
            "out_of_range",
            format!("paise per unit from 0 to {MAX_UNIT_PRICE}"),
        );
    }
}

pub(crate) fn sorted_days(mut d: Vec<DayOfWeek>) -> Vec<DayOfWeek> {
    d.sort();
    d
}

impl Actor {
    /// The caller as a customer user with a verified phone; 403 otherwise.
    pub fn customer_phone(&self) -> Result<&str> {
        if self.user.role != Role::Customer {
            return Err(Error::Forbidden(
                "only customer accounts may do this".into(),
            ));
        }
        if !self.user.phone_verified {
            return Err(Error::Forbidden(
                "verify your phone number with an OTP first".into(),
            ));
        }
        Ok(&self.user.phone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::new_id;
    use jiff::civil::date;

    fn order(terms: Vec<Terms>) -> Order {
        let last = terms.last().unwrap().clone();
        Order {
            id: new_id("ord"),
            business_id: "biz".into(),
            customer_id: "cus".into(),
            customer_name: "C".into(),
            order_type: OrderType::Scheduled,
            product_id: None,
            item: "Milk".into(),
            unit: "litre".into(),
            hsn_sac: None,
            tax_rate_bp: 0,
            quantity: last.quantity,
            rate: last.rate,
            days: last.days.clone(),
            valid_from: terms[0].from,
            terms,
            valid_till: None,
            notes: None,
            status: OrderStatus::Active,
            pending_change: None,
            customer_has_account: false,
            deliveries: 0,
            history: vec![],
            created_by: "usr".into(),
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
            version: 1,
        }
    }

    fn terms(from: Date, milli: i64, rate: i64) -> Terms {
        Terms {
            from,
            quantity: Quantity(milli),
            rate,
            days: DayOfWeek::ALL.to_vec(),
        }
    }

    #[test]
    fn a_change_keeps_later_terms_and_takes_the_rest_from_its_date() {
        // Rate 50 from January, 60 from March (confirmed in advance); in
        // February the quantity changes to 2 from the 5th.
        let mut o = order(vec![
            terms(date(2026, 1, 1), 1000, 50),
            terms(date(2026, 3, 1), 1000, 60),
        ]);
        o.apply(
            &ChangeFields {
                quantity: Some(Quantity(2000)),
                ..Default::default()
            },
            date(2026, 2, 5),
        );
        let got: Vec<(Date, i64, i64)> = o
            .terms
            .iter()
            .map(|t| (t.from, t.quantity.milli(), t.rate))
            .collect();
        assert_eq!(
            got,
            [
                (date(2026, 1, 1), 1000, 50),
                (date(2026, 2, 5), 2000, 50),
                (date(2026, 3, 1), 2000, 60),
            ]
        );
        assert_eq!(o.terms_on(date(2026, 2, 4)).quantity.milli(), 1000);
        assert_eq!(o.terms_on(date(2026, 2, 10)).rate, 50);
        assert_eq!((o.quantity.milli(), o.rate), (2000, 60), "the newest terms");
    }
}
