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

use crate::app::{Hisaab, from_item, to_item};
use crate::catalogue::{MAX_UNIT_PRICE, Product};
use crate::customers::{Customer, CustomerStatus, present};
use crate::error::{Error, Errors, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::{Actor, Role, User, UserStatus};
use crate::ids::{is_id, new_id};
use crate::keys;
use crate::money::{Quantity, format_amount};
use crate::paging::{Page, page_limit};
use crate::settings::tax_rate;
use crate::table::{Cond, Index, Item, Query, Write};
use crate::validate::{self, Phone};
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
fn describe(f: &ChangeFields, unit: &str) -> String {
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
fn rupees(paise: i64) -> String {
    format!(
        "Rs {}",
        format_amount(
            paise,
            crate::money::currency("INR").expect("INR is a known currency"),
        )
    )
}

fn days_text(days: &[DayOfWeek]) -> String {
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
    if y.len() != 4 || m.len() != 2 {
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

fn order_item(o: &Order) -> Result<Item> {
    let mut item = to_item("order", &keys::order(&o.id), o)?;
    let sk = keys::date_sort_key(&o.valid_from.to_string(), &o.id);
    item.insert(
        "GSI1PK".into(),
        keys::orders_by_business_pk(&o.business_id).into(),
    );
    item.insert("GSI1SK".into(), sk.clone().into());
    item.insert(
        "GSI2PK".into(),
        keys::customer_orders_pk(&o.business_id, &o.customer_id).into(),
    );
    item.insert("GSI2SK".into(), sk.into());
    Ok(item)
}

fn check_days(errs: &mut Errors, field: &str, days: &[DayOfWeek]) {
    let mut sorted = days.to_vec();
    sorted.sort();
    sorted.dedup();
    if days.is_empty() {
        errs.push(field, "required", "at least one day of the week");
    } else if sorted.len() != days.len() {
        errs.push(field, "duplicate", "each day at most once");
    }
}

fn check_quantity(errs: &mut Errors, field: &str, q: Quantity) {
    if q.milli() <= 0 {
        errs.push(field, "out_of_range", "a quantity more than 0");
    }
}

fn check_rate(errs: &mut Errors, field: &str, r: i64) {
    if !(0..=MAX_UNIT_PRICE).contains(&r) {
        errs.push(
            field,
            "out_of_range",
            format!("paise per unit from 0 to {MAX_UNIT_PRICE}"),
        );
    }
}

fn sorted_days(mut d: Vec<DayOfWeek>) -> Vec<DayOfWeek> {
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

impl Hisaab {
    /// The customer records (business id, customer id) linked to the
    /// caller's verified phone, by business id.
    pub(crate) async fn linked_customers(&self, actor: &Actor) -> Result<Vec<(String, String)>> {
        let phone = actor.customer_phone()?;
        let mut out = vec![];
        let mut start = None;
        loop {
            let page = self
                .table
                .query(
                    &Query::new(Index::Table, keys::customer_links_pk(phone))
                        .limit(1000)
                        .start(start),
                )
                .await?;
            for item in page.items {
                let s = |k: &str| {
                    item.get(k)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string()
                };
                out.push((s("business_id"), s("customer_id")));
            }
            match page.last_key {
                Some(k) => start = Some(k),
                None => return Ok(out),
            }
        }
    }

    /// The caller's customer records in one business (404 when none).
    pub(crate) async fn my_customers_in(
        &self,
        actor: &Actor,
        business_id: &str,
    ) -> Result<Vec<Customer>> {
        let out = self.my_customers(actor, Some(business_id)).await?;
        if out.is_empty() {
            return Err(Error::NotFound("business"));
        }
        Ok(out)
    }

    /// The caller's customer records (of one business, when given): the
    /// linked records whose phone is still the caller's.
    pub(crate) async fn my_customers(
        &self,
        actor: &Actor,
        business_id: Option<&str>,
    ) -> Result<Vec<Customer>> {
        let mut out = vec![];
        for (b, c) in self.linked_customers(actor).await? {
            if business_id.is_none_or(|id| id == b)
                && let Ok(c) = self.customer_of(&b, &c).await
                && c.phone.as_deref() == Some(actor.user.phone.as_str())
            {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Whether the customer has an account: a customer user, active, whose
    /// verified phone is the customer's phone.
    pub(crate) async fn customer_account(&self, c: &Customer) -> Result<Option<User>> {
        let Some(phone) = &c.phone else {
            return Ok(None);
        };
        let Some(u) = self.table.get(&keys::unique_phone(phone)).await? else {
            return Ok(None);
        };
        let id = u
            .get("user_id")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let Some(item) = self.table.get(&keys::user(id)).await? else {
            return Ok(None);
        };
        let user: User = from_item(item)?;
        Ok((user.role == Role::Customer
            && user.phone_verified
            && user.status == UserStatus::Active)
            .then_some(user))
    }

    /// Texts the customer of an order (failures are logged, never fatal).
    pub(crate) async fn tell_customer(&self, c: &Customer, body: &str) {
        let Some(p) = c
            .phone
            .as_deref()
            .and_then(|p| Phone::parse("phone", p).ok())
        else {
            return;
        };
        if let Err(e) = self.sms.send_sms(&p, body).await {
            tracing::warn!(error = %e, "order SMS not sent");
        }
    }

    /// `GET /v1/vendors` (customer users): every business that has the
    /// caller as a customer, with the balance in each direction.
    pub async fn list_vendors(&self, actor: &Actor) -> Result<VendorList> {
        let mut items = vec![];
        for c in self.my_customers(actor, None).await? {
            let business = self.business(&c.business_id).await?;
            items.push(Vendor {
                business_id: c.business_id,
                business_name: business.name,
                customer_id: c.id,
                customer_name: c.name,
                balance: c.balance,
                you_owe: c.balance.max(0),
                owed_to_you: (-c.balance).max(0),
            });
        }
        items.sort_by(|a, b| a.business_name.cmp(&b.business_name));
        Ok(VendorList {
            total_you_owe: items.iter().map(|v| v.you_owe).sum(),
            total_owed_to_you: items.iter().map(|v| v.owed_to_you).sum(),
            items,
        })
    }

    /// An order the caller may see, and on which side: 404 for anyone
    /// else (other businesses, other customers).
    pub async fn order_for(&self, actor: &Actor, order_id: &str) -> Result<(Order, Side)> {
        if !is_id("ord", order_id) {
            return Err(Error::NotFound("order"));
        }
        let order: Order = from_item(
            self.table
                .get(&keys::order(order_id))
                .await?
                .ok_or(Error::NotFound("order"))?,
        )?;
        match actor.user.role {
            Role::Owner | Role::Staff
                if actor.user.business_id.as_deref() == Some(order.business_id.as_str()) =>
            {
                Ok((order, Side::Vendor))
            }
            Role::Customer if actor.user.phone_verified => {
                let c = self
                    .customer_of(&order.business_id, &order.customer_id)
                    .await?;
                if c.phone.as_deref() == Some(actor.user.phone.as_str()) {
                    Ok((order, Side::Customer))
                } else {
                    Err(Error::NotFound("order"))
                }
            }
            _ => Err(Error::NotFound("order")),
        }
    }

    /// `GET /v1/orders/{order_id}`: the order with its terms, pending
    /// change and history (business or customer).
    pub async fn get_order(&self, actor: &Actor, order_id: &str) -> Result<Order> {
        Ok(self.order_for(actor, order_id).await?.0)
    }

    /// `POST /v1/orders`: by a business, a scheduled or on-demand order
    /// for its customer (pending until the customer confirms when they
    /// have an account); by a customer user, a `requested` on-demand
    /// order. 422 names every bad field and writes nothing.
    pub async fn create_order(
        &self,
        actor: &Actor,
        input: NewOrder,
        idem: Option<Idempotency>,
    ) -> Result<(Order, bool)> {
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
        let by_customer = actor.user.role == Role::Customer;
        let (bid, customer) = if by_customer {
            let Some(bid) = input.business_id.clone() else {
                return Err(Error::field(
                    "business_id",
                    "required",
                    "name the business you order from",
                ));
            };
            let mine = self
                .my_customers_in(actor, &bid)
                .await
                .map_err(|e| match e {
                    Error::NotFound(_) => Error::field(
                        "business_id",
                        "unknown_business",
                        "no business that has you as a customer",
                    ),
                    e => e,
                })?;
            let c = mine.into_iter().next().expect("non-empty");
            (bid, Some(c))
        } else {
            let bid = actor.business_id()?.to_string();
            let c = match input.customer_id.as_deref() {
                Some(id) => match self.customer_of(&bid, id).await {
                    Ok(c) => Some(c),
                    Err(Error::NotFound(_)) => None,
                    Err(e) => return Err(e),
                },
                None => None,
            };
            (bid, c)
        };
        let settings = self.business_settings(&bid).await?;
        let today = settings.today(self.clock.now());
        let mut errs = Errors::default();
        if !by_customer {
            match (&input.customer_id, &customer) {
                (None, _) => errs.push("customer_id", "required", "the customer delivered to"),
                (Some(_), None) => errs.push(
                    "customer_id",
                    "unknown_customer",
                    "no such customer in this business",
                ),
                (Some(_), Some(c)) if c.status == CustomerStatus::Inactive => errs.push(
                    "customer_id",
                    "inactive_customer",
                    "reactivate the customer first",
                ),
                _ => {}
            }
            if input.business_id.is_some() {
                errs.push(
                    "business_id",
                    "not_allowed",
                    "a business orders for its own customers",
                );
            }
        } else {
            if input.customer_id.is_some() {
                errs.push(
                    "customer_id",
                    "not_allowed",
                    "customers order for themselves",
                );
            }
            if customer
                .as_ref()
                .is_some_and(|c| c.status == CustomerStatus::Inactive)
            {
                errs.push(
                    "business_id",
                    "inactive_customer",
                    "this business has made your account inactive",
                );
            }
            for (field, given) in [
                ("rate", input.rate.is_some()),
                ("tax_rate_bp", input.tax_rate_bp.is_some()),
            ] {
                if given {
                    errs.push(
                        field,
                        "not_allowed",
                        "the business sets the price and tax when it accepts",
                    );
                }
            }
        }
        let order_type = input.order_type.unwrap_or(if by_customer {
            OrderType::OnDemand
        } else {
            OrderType::Scheduled
        });
        if by_customer && order_type != OrderType::OnDemand {
            errs.push(
                "type",
                "not_allowed",
                "a customer requests on-demand orders; scheduled ones are made by the business",
            );
        }
        let product: Option<Product> = match input.product_id.as_deref() {
            Some(id) if is_id("prd", id) => match self.table.get(&keys::product(&bid, id)).await? {
                Some(item) => Some(from_item(item)?),
                None => None,
            },
            _ => None,
        };
        if input.product_id.is_some() && product.is_none() {
            errs.push(
                "product_id",
                "unknown_product",
                "no such product in this business",
            );
        }
        if let Some(p) = &product
            && !p.active
        {
            errs.push("product_id", "inactive_product", "the product is inactive");
        }
        let item = match (&input.item, &product) {
            (Some(i), _) => errs.check(validate::text("item", i, 200)),
            (None, Some(p)) => Some(p.name.clone()),
            (None, None) => {
                if input.product_id.is_none() {
                    errs.push("item", "required", "what is delivered, or a product_id");
                }
                None
            }
        };
        let unit = match (&input.unit, &product) {
            (Some(u), _) => errs.check(validate::text("unit", u, 20)),
            (None, Some(p)) => Some(p.unit.clone()),
            (None, None) => Some("pcs".into()),
        };
        check_quantity(&mut errs, "quantity", input.quantity);
        let rate = input.rate.or(product.as_ref().map(|p| p.unit_price));
        match rate {
            Some(r) => check_rate(&mut errs, "rate", r),
            None if !by_customer => errs.push(
                "rate",
                "required",
                "paise per unit, or a product_id with a price",
            ),
            None => {}
        }
        let tax = match input.tax_rate_bp {
            Some(t) => tax_rate(&mut errs, "tax_rate_bp", t),
            None => Some(
                product
                    .as_ref()
                    .map(|p| p.tax_rate_bp)
                    .unwrap_or(settings.default_tax_rate_bp),
            ),
        };
        let days = input
            .days
            .clone()
            .unwrap_or_else(|| DayOfWeek::ALL.to_vec());
        check_days(&mut errs, "days", &days);
        let valid_from = input.valid_from.unwrap_or(today);
        let valid_till = match (input.valid_till, order_type) {
            (Some(t), _) => Some(t),
            (None, OrderType::OnDemand) => Some(valid_from),
            (None, OrderType::Scheduled) => None,
        };
        if valid_till.is_some_and(|t| t < valid_from) {
            errs.push(
                "valid_till",
                "before_valid_from",
                "valid_till is before valid_from",
            );
        }
        if by_customer && valid_from < today {
            errs.push(
                "valid_from",
                "in_the_past",
                "an on-demand order is for today or later",
            );
        }
        let notes = input
            .notes
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .and_then(|n| errs.check(validate::text("notes", n, 2000)));
        errs.finish()?;
        let customer = customer.expect("validated");
        let has_account = self.customer_account(&customer).await?.is_some();
        let now = self.clock.now();
        let days = sorted_days(days);
        let quantity = input.quantity;
        let rate = rate.unwrap_or(0);
        let status = if by_customer {
            OrderStatus::Requested
        } else if has_account {
            OrderStatus::Pending
        } else {
            OrderStatus::Active
        };
        let mut o = Order {
            id: new_id("ord"),
            business_id: bid.clone(),
            customer_id: customer.id.clone(),
            customer_name: customer.name.clone(),
            order_type,
            product_id: product.as_ref().map(|p| p.id.clone()),
            item: item.unwrap_or_default(),
            unit: unit.unwrap_or_default(),
            hsn_sac: product.as_ref().and_then(|p| p.hsn_sac.clone()),
            tax_rate_bp: tax.unwrap_or(0),
            quantity,
            rate,
            days: days.clone(),
            terms: vec![Terms {
                from: valid_from,
                quantity,
                rate,
                days,
            }],
            valid_from,
            valid_till,
            notes,
            status,
            pending_change: None,
            customer_has_account: has_account,
            deliveries: 0,
            history: vec![],
            created_by: actor.user.id.clone(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if status == OrderStatus::Pending {
            o.pending_change = Some(OrderChange {
                id: new_id("chg"),
                kind: ChangeKind::Create,
                fields: ChangeFields::default(),
                effective_from: valid_from,
                requested_by: actor.user.id.clone(),
                requested_at: now,
            });
        }
        let summary = format!(
            "{} {} {} at {} per {}, {}, from {}{}",
            o.item,
            o.quantity,
            o.unit,
            rupees(o.rate),
            o.unit,
            days_text(&o.days),
            o.valid_from,
            o.valid_till
                .map(|t| format!(" till {t}"))
                .unwrap_or_default()
        );
        let (action, detail) = match status {
            OrderStatus::Requested => ("requested", format!("requested: {summary}")),
            OrderStatus::Pending => (
                "created",
                format!("created, waiting for the customer: {summary}"),
            ),
            _ => ("created", format!("created: {summary}")),
        };
        o.push_event(now, actor, action, detail);
        let writes = vec![Write::Put {
            item: order_item(&o)?,
            cond: Some(Cond::NotExists),
        }];
        let (o, replayed) = self
            .commit_create(actor, idem.as_ref(), writes, o, |_| None)
            .await?
            .ok_or_else(Error::stale)?;
        if !replayed && !by_customer {
            let business = self.business(&bid).await?;
            let text = if status == OrderStatus::Pending {
                format!(
                    "{} set up an order for you on Hisaab: {summary}. Open Hisaab to confirm or reject it.",
                    business.name
                )
            } else {
                format!("{} set up an order for you: {summary}.", business.name)
            };
            self.tell_customer(&customer, &text).await;
        }
        Ok((o, replayed))
    }

    /// Writes a changed order under the version read (`Ok(None)`: lost a
    /// race; the caller re-reads).
    async fn save_order(&self, old: &Order, o: &mut Order) -> Result<Option<()>> {
        o.version = old.version + 1;
        o.updated_at = self.clock.now();
        self.commit(
            vec![Write::Put {
                item: order_item(o)?,
                cond: Some(Cond::version(old.version)),
            }],
            (),
        )
        .await
    }

    /// `PATCH /v1/orders/{order_id}` (business): see [`OrderPatch`].
    pub async fn update_order(
        &self,
        actor: &Actor,
        order_id: &str,
        p: OrderPatch,
    ) -> Result<Order> {
        let bid = actor.business_id()?.to_string();
        let out = self
            .retrying(|| async {
                let (old, _) = self.order_for(actor, order_id).await?;
                if old.business_id != bid {
                    return Err(Error::NotFound("order"));
                }
                if p.version.is_some_and(|v| v != old.version) {
                    return Err(Error::stale());
                }
                let settings = self.business_settings(&bid).await?;
                let today = settings.today(self.clock.now());
                let mut errs = Errors::default();
                let mut f = ChangeFields::default();
                let effective_from = p.effective_from.unwrap_or(today);
                // Compared with the terms that would be replaced.
                let base = old.terms_on(effective_from.max(old.valid_from)).clone();
                if let Some(q) = p.quantity {
                    check_quantity(&mut errs, "quantity", q);
                    f.quantity = (q != base.quantity).then_some(q);
                }
                if let Some(r) = p.rate {
                    check_rate(&mut errs, "rate", r);
                    f.rate = (r != base.rate).then_some(r);
                }
                if let Some(d) = &p.days {
                    check_days(&mut errs, "days", d);
                    let d = sorted_days(d.clone());
                    f.days = (d != base.days).then_some(d);
                }
                if let Some(d) = p.valid_from {
                    f.valid_from = (d != old.valid_from).then_some(d);
                }
                match p.valid_till {
                    Some(Some(d)) if Some(d) != old.valid_till => f.valid_till = Some(d),
                    Some(None) if old.valid_till.is_some() => f.clear_valid_till = true,
                    _ => {}
                }
                let from = p.valid_from.unwrap_or(old.valid_from);
                let till = match p.valid_till {
                    Some(t) => t,
                    None => old.valid_till,
                };
                if till.is_some_and(|t| t < from) {
                    errs.push("valid_till", "before_valid_from", "valid_till is before valid_from");
                }
                if let Some(s) = p.status {
                    if !matches!(s, OrderStatus::Active | OrderStatus::Inactive) {
                        errs.push("status", "invalid", "active or inactive");
                    } else if s != old.status {
                        if !matches!(old.status, OrderStatus::Active | OrderStatus::Inactive) {
                            errs.push(
                                "status",
                                "not_allowed",
                                format!("a {} order cannot be switched on or off", old.status.as_str()),
                            );
                        }
                        f.status = Some(s);
                    }
                }
                if effective_from < today {
                    errs.push("effective_from", "in_the_past", "today or later");
                }
                let item = p
                    .item
                    .as_deref()
                    .and_then(|i| errs.check(validate::text("item", i, 200)));
                let notes = match &p.notes {
                    Some(Some(n)) if !n.trim().is_empty() => {
                        errs.check(validate::text("notes", n, 2000)).map(Some)
                    }
                    Some(_) => Some(None),
                    None => None,
                };
                errs.finish()?;
                if matches!(old.status, OrderStatus::Declined) {
                    return Err(Error::Conflict {
                        detail: "a declined order cannot be changed".into(),
                        errors: vec![],
                    });
                }
                let customer = self.customer_of(&bid, &old.customer_id).await?;
                let has_account = self.customer_account(&customer).await?.is_some();
                let now = self.clock.now();
                let mut o = old.clone();
                o.customer_has_account = has_account;
                if let Some(i) = &item {
                    o.push_event(now, actor, "edited", format!("item renamed to {i}"));
                    o.item = i.clone();
                }
                if let Some(n) = notes {
                    o.notes = n;
                    o.push_event(now, actor, "edited", "notes changed".into());
                }
                let mut text = None;
                if !f.is_empty() {
                    let what = describe(&f, &o.unit);
                    // A new order that waits for confirmation, or one
                    // requested by the customer, changes in place.
                    if o.status == OrderStatus::Requested {
                        return Err(Error::Conflict {
                            detail: "a customer's request is accepted (with a rate) or declined, not changed".into(),
                            errors: vec![],
                        });
                    }
                    if o.status == OrderStatus::Pending {
                        o.apply(&f, o.valid_from.min(effective_from));
                        // A new id: a confirmation of the terms seen before
                        // this change no longer matches.
                        if let Some(ch) = &mut o.pending_change {
                            ch.id = new_id("chg");
                            ch.requested_at = now;
                        }
                        o.push_event(now, actor, "changed", format!("changed before confirmation: {what}"));
                        text = Some(format!(
                            "changed the order of {} waiting for you: {what}. Open Hisaab to confirm or reject it.",
                            o.item
                        ));
                    } else if has_account {
                        let ch = OrderChange {
                            id: new_id("chg"),
                            kind: ChangeKind::Update,
                            fields: f.clone(),
                            effective_from,
                            requested_by: actor.user.id.clone(),
                            requested_at: now,
                        };
                        o.push_event(
                            now,
                            actor,
                            "change_requested",
                            format!("asked the customer to confirm: {what} (change {})", ch.id),
                        );
                        o.pending_change = Some(ch);
                        text = Some(format!(
                            "asks you to confirm a change to your order of {}: {what}, from {effective_from}. Open Hisaab to confirm or reject it.",
                            o.item
                        ));
                    } else {
                        o.pending_change = None;
                        o.apply(&f, effective_from);
                        o.push_event(now, actor, "changed", format!("{what}, from {effective_from}"));
                        text = Some(format!("changed your order of {}: {what}, from {effective_from}.", o.item));
                    }
                }
                match self.save_order(&old, &mut o).await? {
                    Some(()) => Ok(Some((o, text, customer))),
                    None if p.version.is_some() => Err(Error::stale()),
                    None => Ok(None),
                }
            })
            .await?;
        let (o, text, customer) = out;
        if let Some(t) = text {
            let business = self.business(&bid).await?;
            self.tell_customer(&customer, &format!("{} {t}", business.name))
                .await;
        }
        Ok(o)
    }

    /// `POST /v1/orders/{order_id}/changes/{change_id}/confirm` or
    /// `/reject` (the customer): applies the pending change (terms from
    /// its effective date or today, whichever is later) or drops it. A
    /// rejected new order is `declined`. 404 when the change is not the
    /// order's pending change.
    pub async fn decide_change(
        &self,
        actor: &Actor,
        order_id: &str,
        change_id: &str,
        confirm: bool,
        reason: Option<String>,
    ) -> Result<Order> {
        let reason = match reason.as_deref().filter(|r| !r.trim().is_empty()) {
            Some(r) => Some(validate::text("reason", r, 500)?),
            None => None,
        };
        self.retrying(|| async {
            let (old, side) = self.order_for(actor, order_id).await?;
            if side != Side::Customer {
                return Err(Error::Forbidden(
                    "only the customer confirms or rejects a change".into(),
                ));
            }
            let Some(ch) = old.pending_change.clone().filter(|c| c.id == change_id) else {
                return Err(Error::NotFound("change"));
            };
            let today = self
                .business_settings(&old.business_id)
                .await?
                .today(self.clock.now());
            let now = self.clock.now();
            let mut o = old.clone();
            o.pending_change = None;
            let why = reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            match (ch.kind, confirm) {
                (ChangeKind::Create, true) => {
                    o.status = OrderStatus::Active;
                    o.push_event(now, actor, "confirmed", format!("order confirmed{why}"));
                }
                (ChangeKind::Create, false) => {
                    o.status = OrderStatus::Declined;
                    o.push_event(now, actor, "rejected", format!("order rejected{why}"));
                }
                (ChangeKind::Update, true) => {
                    let from = ch.effective_from.max(today);
                    o.apply(&ch.fields, from);
                    o.push_event(
                        now,
                        actor,
                        "confirmed",
                        format!(
                            "change {} confirmed: {}, from {from}{why}",
                            ch.id,
                            describe(&ch.fields, &o.unit)
                        ),
                    );
                }
                (ChangeKind::Update, false) => {
                    o.push_event(
                        now,
                        actor,
                        "rejected",
                        format!("change {} rejected{why}", ch.id),
                    );
                }
            }
            Ok(self.save_order(&old, &mut o).await?.map(|()| o))
        })
        .await
    }

    /// `POST /v1/orders/{order_id}/accept` (business): a customer's
    /// `requested` order becomes `active` (with `rate` when the request
    /// had none). 409 unless requested.
    pub async fn accept_order(
        &self,
        actor: &Actor,
        order_id: &str,
        a: AcceptOrder,
    ) -> Result<Order> {
        let bid = actor.business_id()?.to_string();
        let note = match a.note.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(n) => Some(validate::text("note", n, 500)?),
            None => None,
        };
        let (o, customer) = self
            .retrying(|| async {
                let (old, _) = self.order_for(actor, order_id).await?;
                if old.business_id != bid {
                    return Err(Error::NotFound("order"));
                }
                if old.status != OrderStatus::Requested {
                    return Err(Error::Conflict {
                        detail: format!("the order is {}, not requested", old.status.as_str()),
                        errors: vec![],
                    });
                }
                let mut errs = Errors::default();
                if let Some(r) = a.rate {
                    check_rate(&mut errs, "rate", r);
                }
                if a.rate.is_none() && old.rate == 0 {
                    errs.push("rate", "required", "set the price in paise per unit");
                }
                errs.finish()?;
                let now = self.clock.now();
                let mut o = old.clone();
                if let Some(r) = a.rate {
                    o.rate = r;
                    for t in &mut o.terms {
                        t.rate = r;
                    }
                }
                o.status = OrderStatus::Active;
                o.push_event(
                    now,
                    actor,
                    "accepted",
                    format!(
                        "accepted at {} per {}{}",
                        rupees(o.rate),
                        o.unit,
                        note.as_deref()
                            .map(|n| format!(": {n}"))
                            .unwrap_or_default()
                    ),
                );
                let customer = self.customer_of(&bid, &o.customer_id).await?;
                Ok(self.save_order(&old, &mut o).await?.map(|()| (o, customer)))
            })
            .await?;
        let business = self.business(&bid).await?;
        self.tell_customer(
            &customer,
            &format!(
                "{} accepted your order of {} {} {} at {} per {}.",
                business.name,
                o.item,
                o.quantity,
                o.unit,
                rupees(o.rate),
                o.unit
            ),
        )
        .await;
        Ok(o)
    }

    /// `POST /v1/orders/{order_id}/decline` (business): a `requested`
    /// order becomes `declined`. 409 unless requested.
    pub async fn decline_order(&self, actor: &Actor, order_id: &str, r: Reason) -> Result<Order> {
        let bid = actor.business_id()?.to_string();
        let reason = match r.reason.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(n) => Some(validate::text("reason", n, 500)?),
            None => None,
        };
        let (o, customer) = self
            .retrying(|| async {
                let (old, _) = self.order_for(actor, order_id).await?;
                if old.business_id != bid {
                    return Err(Error::NotFound("order"));
                }
                if old.status != OrderStatus::Requested {
                    return Err(Error::Conflict {
                        detail: format!("the order is {}, not requested", old.status.as_str()),
                        errors: vec![],
                    });
                }
                let mut o = old.clone();
                o.status = OrderStatus::Declined;
                o.push_event(
                    self.clock.now(),
                    actor,
                    "declined",
                    format!(
                        "declined{}",
                        reason
                            .as_deref()
                            .map(|n| format!(": {n}"))
                            .unwrap_or_default()
                    ),
                );
                let customer = self.customer_of(&bid, &o.customer_id).await?;
                Ok(self.save_order(&old, &mut o).await?.map(|()| (o, customer)))
            })
            .await?;
        let business = self.business(&bid).await?;
        self.tell_customer(
            &customer,
            &format!("{} declined your order of {}.", business.name, o.item),
        )
        .await;
        Ok(o)
    }

    /// `DELETE /v1/orders/{order_id}` (business): deletes an order that
    /// has no delivery records (409 otherwise: deactivate it instead).
    pub async fn delete_order(&self, actor: &Actor, order_id: &str) -> Result<()> {
        let bid = actor.business_id()?;
        let (o, _) = self.order_for(actor, order_id).await?;
        if o.business_id != bid {
            return Err(Error::NotFound("order"));
        }
        if o.deliveries > 0 {
            return Err(Error::Conflict {
                detail: format!(
                    "the order has {} delivery records; make it inactive instead",
                    o.deliveries
                ),
                errors: vec![],
            });
        }
        // The version guards against a delivery marked since the read
        // (every mark raises it).
        self.table
            .delete(
                &keys::order(order_id),
                Some(Cond::And(vec![
                    Cond::version(o.version),
                    Cond::Equals("deliveries".into(), 0.into()),
                ])),
            )
            .await?;
        Ok(())
    }

    /// `GET /v1/orders`: a business's orders (newest `valid_from` first;
    /// by customer, status, type and month; paginated) or, for a customer
    /// user, the orders of every business that has them (one page).
    pub async fn list_orders(&self, actor: &Actor, f: OrderFilter) -> Result<Page<Order>> {
        let mut errs = Errors::default();
        let month = match f.month.as_deref() {
            Some(m) => errs.check(parse_month("month", m).map_err(|e| match e {
                Error::Validation(mut v) => v.remove(0),
                _ => unreachable!("parse_month returns a field error"),
            })),
            None => None,
        };
        let status = f.status.as_deref();
        if let Some(s) = status
            && !["active", "inactive", "pending", "requested", "declined"].contains(&s)
        {
            errs.push(
                "status",
                "invalid",
                "active, inactive, pending, requested or declined",
            );
        }
        let limit = errs.check(page_limit(f.limit, 50, 100).map_err(|e| match e {
            Error::Validation(mut v) => v.remove(0),
            _ => unreachable!("page_limit returns a field error"),
        }));
        errs.finish()?;
        let keep = |o: &Order| {
            status.is_none_or(|s| {
                if s == "pending" {
                    o.pending_change.is_some()
                } else {
                    o.status.as_str() == s
                }
            }) && f.order_type.is_none_or(|t| o.order_type == t)
                && month.is_none_or(|(first, last)| o.overlaps(first, last))
        };
        let upper = |q: Query| match month {
            // Sort keys are `<valid_from>#<id>`: nothing starting after
            // the month can overlap it.
            Some((_, last)) => q.between("0", format!("{last}#~")),
            None => q,
        };
        if actor.user.role == Role::Customer {
            let mut items = vec![];
            for c in self.my_customers(actor, f.business_id.as_deref()).await? {
                let q = upper(
                    Query::new(Index::Gsi2, keys::customer_orders_pk(&c.business_id, &c.id))
                        .descending()
                        .limit(1000),
                );
                let page = self.table.query(&q).await?;
                for item in page.items {
                    let o: Order = from_item(item)?;
                    if keep(&o) {
                        items.push(o);
                    }
                }
            }
            items.sort_by(|a, b| b.valid_from.cmp(&a.valid_from).then(b.id.cmp(&a.id)));
            return Ok(Page {
                items,
                next_cursor: None,
            });
        }
        let bid = actor.business_id()?;
        let (pk, index) = match f.customer_id.as_deref() {
            Some(cid) => {
                self.customer_of(bid, cid).await?;
                (keys::customer_orders_pk(bid, cid), Index::Gsi2)
            }
            None => (keys::orders_by_business_pk(bid), Index::Gsi1),
        };
        let q = upper(
            Query::new(index, pk)
                .descending()
                .limit(limit.unwrap_or(50)),
        );
        let binding = format!(
            "orders|{bid}|{}|{}|{}|{}",
            f.customer_id.as_deref().unwrap_or(""),
            status.unwrap_or(""),
            f.order_type.map(|t| format!("{t:?}")).unwrap_or_default(),
            f.month.as_deref().unwrap_or("")
        );
        self.query_page(q, &binding, f.cursor.as_deref(), keep)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
