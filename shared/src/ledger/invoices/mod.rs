//! Invoices: lines with exact GST arithmetic, sequential numbers that are
//! never reused, derived status, the customer's running balance, and the
//! maintained aggregates of the dashboard — all changed together in one
//! transaction per write.
//!
//! ## Totals (documented rounding)
//! For each line, all amounts in the minor unit (paise):
//! 1. `gross = quantity × unit_price`, rounded half-up to the paisa
//!    (quantities have up to three decimals);
//! 2. `discount` is the amount given, or `gross × discount_rate_bp / 10000`
//!    rounded half-up; it cannot exceed `gross`;
//! 3. `taxable = gross − discount`;
//! 4. intra-state supply: `cgst = sgst = taxable × (tax_rate_bp / 2) / 10000`,
//!    each rounded half-up; inter-state: `igst = taxable × tax_rate_bp / 10000`,
//!    rounded half-up;
//! 5. `total = taxable + cgst + sgst + igst`.
//!
//! The invoice's figures are the sums of its lines' figures; clients never
//! send totals.
//!
//! ## Place of supply
//! The place of supply is the `place_of_supply` state code given, else the
//! state of the customer's GSTIN, else the business's own state. Supply is
//! inter-state (IGST) when the business has a GSTIN and its state differs
//! from the place of supply; otherwise it is intra-state (CGST + SGST).
//!
//! ## Status
//! Never typed, always derived ([`Invoice::status_on`]): `cancelled`, then
//! `draft` (not issued), then `paid` (nothing due), then `disputed` (set by
//! the defaulter registry), then `overdue` (a balance past the due date in
//! the business's time zone), then `partially_paid`, else `unpaid`.
//!
//! This folder: the invoice and its parts (here), the exact totals and
//! GST (`compute`), issuing and changing invoices (`write`), and reading
//! them (`read`).

pub mod compute;
pub mod read;
pub mod stock;
pub mod write;

use crate::app::to_item;
use crate::error::{Errors, FieldError, Result};
use crate::keys;
use crate::ledger::aggregates::Deltas;
use crate::money::Quantity;
use crate::table::Item;
use crate::validate::present;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most lines on one invoice.
pub const MAX_LINES: usize = 100;

/// Largest invoice total accepted: ₹100 crore (10^11 paise).
pub const MAX_TOTAL: i64 = 100_000_000_000;

/// Largest page of a vendor's invoice list (`/v1/vendors/…/invoices`).
pub const MAX_PAGE: usize = 100;

/// Largest page of the lists filtered by [`InvoiceFilter`]: the business's
/// invoices, a customer's, and the invoice report.
pub const MAX_FILTER_PAGE: usize = 1000;

/// The status of an invoice, derived from its amounts and dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    /// Not issued yet: no number, counts in no balance.
    Draft,
    /// Issued, nothing paid, not past due.
    Unpaid,
    /// Issued, part paid, not past due.
    PartiallyPaid,
    /// Nothing left to pay.
    Paid,
    /// A balance is left after the due date.
    Overdue,
    /// The customer disputes it (set by the defaulter registry).
    Disputed,
    /// Cancelled: counts in no balance; its number stays used.
    Cancelled,
}

impl InvoiceStatus {
    /// Every status, in the order reports list them.
    pub const ALL: [InvoiceStatus; 7] = [
        InvoiceStatus::Draft,
        InvoiceStatus::Unpaid,
        InvoiceStatus::PartiallyPaid,
        InvoiceStatus::Overdue,
        InvoiceStatus::Disputed,
        InvoiceStatus::Paid,
        InvoiceStatus::Cancelled,
    ];

    /// The status's name in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Unpaid => "unpaid",
            InvoiceStatus::PartiallyPaid => "partially_paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Overdue => "overdue",
            InvoiceStatus::Disputed => "disputed",
            InvoiceStatus::Cancelled => "cancelled",
        }
    }
}

/// Whether GST is split into CGST + SGST or charged as IGST.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Supply {
    /// Within one state: CGST + SGST, half the rate each.
    IntraState,
    /// Across states: IGST at the full rate.
    InterState,
}

/// One line of an invoice request: a catalogue product or free text.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineInput {
    /// A product of the business (its name, unit, price, tax rate and
    /// HSN/SAC are the defaults of this line).
    #[serde(default)]
    pub product_id: Option<String>,
    /// What is sold (required without a product; 1–200 characters).
    #[serde(default)]
    pub description: Option<String>,
    /// HSN/SAC code (4, 6 or 8 digits).
    #[serde(default)]
    pub hsn_sac: Option<String>,
    /// Unit (`kg`, `pcs`, …).
    #[serde(default)]
    pub unit: Option<String>,
    /// Quantity, more than 0, at most three decimals (number or string).
    pub quantity: Quantity,
    /// Price of one unit before tax, in paise (required without a product).
    #[serde(default)]
    pub unit_price: Option<i64>,
    /// Discount on the line in paise (not with `discount_rate_bp`).
    #[serde(default)]
    pub discount: Option<i64>,
    /// Discount as a rate of the line's gross amount, in basis points.
    #[serde(default)]
    pub discount_rate_bp: Option<i64>,
    /// GST rate in basis points (default: the product's, else the
    /// business's default rate).
    #[serde(default)]
    pub tax_rate_bp: Option<i64>,
}

/// One line of an invoice with the figures computed by the server (paise).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Line {
    /// The catalogue product, if the line came from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// What is sold.
    pub description: String,
    /// HSN/SAC code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hsn_sac: Option<String>,
    /// Unit.
    pub unit: String,
    /// Quantity (decimal string).
    pub quantity: Quantity,
    /// Price of one unit before tax.
    pub unit_price: i64,
    /// Discount rate in basis points, when the discount was given as a rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_rate_bp: Option<i64>,
    /// Discount amount.
    pub discount: i64,
    /// GST rate in basis points.
    pub tax_rate_bp: i64,
    /// `quantity × unit_price`, rounded half-up.
    pub gross: i64,
    /// `gross − discount`.
    pub taxable: i64,
    /// Central GST (intra-state).
    pub cgst: i64,
    /// State GST (intra-state).
    pub sgst: i64,
    /// Integrated GST (inter-state).
    pub igst: i64,
    /// `cgst + sgst + igst`.
    pub tax: i64,
    /// `taxable + tax`.
    pub total: i64,
    /// Cost of goods sold of the line (paise): the stock value its sale
    /// took out; only on issued lines of stock-tracked products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<i64>,
}

/// An invoice.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Invoice {
    /// `inv_<ULID>`.
    pub id: String,
    /// The business that issued it.
    pub business_id: String,
    /// The customer billed.
    pub customer_id: String,
    /// The customer's name when the invoice was last written.
    pub customer_name: String,
    /// The customer's GSTIN, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_gstin: Option<String>,
    /// Sequential number with the business's prefix (`INV-0042`); `null`
    /// for a draft, set when issued and never reused.
    pub number: Option<String>,
    /// Civil date of the invoice (`YYYY-MM-DD`).
    #[schema(value_type = String, format = Date)]
    pub invoice_date: Date,
    /// Civil date payment is due.
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    /// GST state code of the place of supply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_of_supply: Option<String>,
    /// CGST + SGST or IGST.
    pub supply: Supply,
    /// The lines, in order.
    pub lines: Vec<Line>,
    /// Sum of the lines' gross amounts.
    pub subtotal: i64,
    /// Sum of the lines' discounts.
    pub discount_total: i64,
    /// Sum of the lines' taxable amounts.
    pub taxable_total: i64,
    /// Sum of CGST.
    pub cgst_total: i64,
    /// Sum of SGST.
    pub sgst_total: i64,
    /// Sum of IGST.
    pub igst_total: i64,
    /// Sum of all tax.
    pub tax_total: i64,
    /// What the invoice is for: sum of the lines' totals.
    pub total: i64,
    /// The customer's balance just before this invoice was issued
    /// (`null` for a draft).
    pub previous_balance: Option<i64>,
    /// Paid so far (voided payments excluded).
    pub amount_paid: i64,
    /// Left to pay: `total − amount_paid`; 0 once cancelled.
    pub balance_due: i64,
    /// Sum of the lines' cost of goods (paise), when a line has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_of_goods: Option<i64>,
    /// Taxable amount of the costed lines minus their cost of goods (paise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gross_margin: Option<i64>,
    /// Sales beyond stock on hand under the `warn` policy: in the answer
    /// of the write that made them only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stock_warnings: Vec<crate::ledger::stock::StockWarning>,
    /// Derived status as of today in the business's time zone.
    pub status: InvoiceStatus,
    /// Set by the defaulter registry while the customer disputes it.
    #[serde(default)]
    pub disputed: bool,
    /// Payment reminders: the next stage and the last one handled (see
    /// [`crate::reminders`]).
    #[serde(default)]
    pub reminder: crate::ledger::reminder_policy::ReminderState,
    /// Notes printed on the invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// When it was issued (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub issued_at: Option<Timestamp>,
    /// When it was cancelled (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub cancelled_at: Option<Timestamp>,
    /// Why it was cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// The user who created it.
    pub created_by: String,
    /// Created (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Last changed (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// Version, 1 on creation; send it back in `PATCH`.
    pub version: i64,
}

impl Invoice {
    /// Issued (has a number).
    pub fn is_issued(&self) -> bool {
        self.issued_at.is_some()
    }

    /// Cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled_at.is_some()
    }

    /// Issued, not cancelled, and something is left to pay: counts in the
    /// customer's balance and in the receivables.
    pub fn is_open(&self) -> bool {
        self.is_issued() && !self.is_cancelled() && self.balance_due > 0
    }

    /// The status on a given civil date (see the module docs).
    pub fn status_on(&self, today: Date) -> InvoiceStatus {
        if self.is_cancelled() {
            InvoiceStatus::Cancelled
        } else if !self.is_issued() {
            InvoiceStatus::Draft
        } else if self.balance_due <= 0 {
            InvoiceStatus::Paid
        } else if self.disputed {
            InvoiceStatus::Disputed
        } else if self.due_date < today {
            InvoiceStatus::Overdue
        } else if self.amount_paid > 0 {
            InvoiceStatus::PartiallyPaid
        } else {
            InvoiceStatus::Unpaid
        }
    }

    /// The aggregate bucket (see `aggregates`): the status without the
    /// clock, with the due date kept in the open buckets.
    pub(crate) fn bucket(&self) -> String {
        match self.status_on(Date::MIN) {
            InvoiceStatus::PartiallyPaid => format!("partially_paid@{}", self.due_date),
            InvoiceStatus::Unpaid => format!("unpaid@{}", self.due_date),
            s => s.as_str().to_string(),
        }
    }

    /// Whether a payment reminder can come: issued, not cancelled, not
    /// paid, not disputed, with a stage left.
    pub fn remindable(&self) -> bool {
        self.is_open() && !self.disputed && self.reminder.next_at.is_some()
    }

    /// The GSI3 bucket: `draft`, `open`, `paid` or `cancelled`.
    fn index_bucket(&self) -> &'static str {
        if self.is_cancelled() {
            "cancelled"
        } else if !self.is_issued() {
            "draft"
        } else if self.balance_due <= 0 {
            "paid"
        } else {
            "open"
        }
    }

    /// The same invoice with its status as of `today`.
    pub(crate) fn with_status_on(mut self, today: Date) -> Invoice {
        self.status = self.status_on(today);
        self
    }
}

/// An invoice in lists: everything but the lines.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct InvoiceSummary {
    /// `inv_<ULID>`.
    pub id: String,
    /// The customer.
    pub customer_id: String,
    /// The customer's name.
    pub customer_name: String,
    /// Number (`null` for drafts).
    pub number: Option<String>,
    /// Invoice date.
    #[schema(value_type = String, format = Date)]
    pub invoice_date: Date,
    /// Due date.
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    /// Total (paise).
    pub total: i64,
    /// Paid (paise).
    pub amount_paid: i64,
    /// Left to pay (paise).
    pub balance_due: i64,
    /// Status as of today.
    pub status: InvoiceStatus,
    /// Version.
    pub version: i64,
}

impl From<&Invoice> for InvoiceSummary {
    fn from(i: &Invoice) -> Self {
        InvoiceSummary {
            id: i.id.clone(),
            customer_id: i.customer_id.clone(),
            customer_name: i.customer_name.clone(),
            number: i.number.clone(),
            invoice_date: i.invoice_date,
            due_date: i.due_date,
            total: i.total,
            amount_paid: i.amount_paid,
            balance_due: i.balance_due,
            status: i.status,
            version: i.version,
        }
    }
}

/// One entry of an invoice's history.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct InvoiceEvent {
    /// `evt_<ULID>`.
    pub id: String,
    /// When (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// Who (user id).
    pub by: String,
    /// `created`, `issued`, `updated`, `cancelled`, `payment_recorded`,
    /// `payment_voided`, `disputed`.
    pub action: String,
    /// What changed, for people.
    pub detail: String,
}

/// How a payment was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// Cash.
    Cash,
    /// UPI.
    Upi,
    /// NEFT, RTGS, IMPS.
    BankTransfer,
    /// Cheque.
    Cheque,
    /// Debit or credit card.
    Card,
    /// Anything else.
    Other,
}

/// Whether a payment counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Counts in balances.
    Recorded,
    /// Voided or refunded: counts nowhere.
    Voided,
}

/// A payment as applied to one invoice (the invoice's copy).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct AppliedPayment {
    /// The payment (`pay_<ULID>`).
    pub payment_id: String,
    /// The invoice.
    pub invoice_id: String,
    /// Amount applied to this invoice (paise).
    pub amount: i64,
    /// Payment date.
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// How it was paid.
    pub method: PaymentMethod,
    /// Reference (UTR, cheque number, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// `recorded` or `voided`.
    pub status: PaymentStatus,
    /// Recorded (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

/// `GET /v1/invoices/{invoice_id}`: the invoice with its payments and history.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct InvoiceDetail {
    /// The invoice.
    #[serde(flatten)]
    pub invoice: Invoice,
    /// Payments applied to it, oldest first (voided ones included, marked).
    pub payments: Vec<AppliedPayment>,
    /// What happened to it, oldest first.
    pub history: Vec<InvoiceEvent>,
}

/// `POST /v1/invoices`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvoice {
    /// The customer billed (a customer of the business, active).
    pub customer_id: String,
    /// 1–100 lines.
    pub lines: Vec<LineInput>,
    /// Invoice date (default: today in the business's time zone).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub invoice_date: Option<Date>,
    /// Due date, not before the invoice date (default: invoice date +
    /// payment terms).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Date>,
    /// GST state code of the place of supply (see the rules above).
    #[serde(default)]
    pub place_of_supply: Option<String>,
    /// Notes (≤ 2000 characters).
    #[serde(default)]
    pub notes: Option<String>,
    /// `true` saves a draft (no number, counts nowhere) to issue later.
    #[serde(default)]
    pub draft: bool,
}

/// `PATCH /v1/invoices/{invoice_id}`: only while `draft`, `unpaid` or
/// `overdue` with no payments. Absent fields stay; `lines` replaces all.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoicePatch {
    /// New lines (1–100).
    #[serde(default)]
    pub lines: Option<Vec<LineInput>>,
    /// New invoice date.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub invoice_date: Option<Date>,
    /// New due date.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Date>,
    /// New place of supply or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub place_of_supply: Option<Option<String>>,
    /// New notes or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
    /// The version read; when given, an invoice changed since is a 409.
    #[serde(default)]
    pub version: Option<i64>,
}

/// `POST /v1/invoices/{invoice_id}/cancel`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelInvoice {
    /// Why (≤ 500 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Filters of `GET /v1/invoices` (all optional, combined with AND).
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InvoiceFilter {
    /// Page size, 1–1000 (default 50).
    #[param(minimum = 1, maximum = 1000)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page, with the same filters.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Only this customer's invoices.
    #[serde(default)]
    pub customer_id: Option<String>,
    /// Only invoices with this status today.
    #[serde(default)]
    pub status: Option<InvoiceStatus>,
    /// Invoice date on or after (YYYY-MM-DD).
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// Invoice date on or before.
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<Date>,
    /// Due date on or after.
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub due_from: Option<Date>,
    /// Due date on or before.
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub due_to: Option<Date>,
    /// Total at least (paise).
    #[serde(default)]
    pub min_total: Option<i64>,
    /// Total at most (paise).
    #[serde(default)]
    pub max_total: Option<i64>,
    /// Invoice number prefix (any case); digits alone search the
    /// business's current prefix (`42` finds `INV-0042`).
    #[serde(default)]
    pub q: Option<String>,
    /// `json` (default) or `csv` (invoice report only).
    #[serde(default)]
    pub format: Option<String>,
}

/// The invoice item with its index keys (GSI4 only while a reminder can
/// come).
pub(crate) fn invoice_item(inv: &Invoice) -> Result<Item> {
    let bid = &inv.business_id;
    let by_date = keys::date_sort_key(&inv.invoice_date.to_string(), &inv.id);
    let mut item = to_item("invoice", &keys::invoice(bid, &inv.id), inv)?;
    item.remove("stock_warnings");
    keys::invoices_by_date(bid)
        .at(by_date.clone())
        .set_on(&mut item);
    keys::customer_invoices(bid, &inv.customer_id)
        .at(by_date)
        .set_on(&mut item);
    keys::invoices_by_bucket(bid, inv.index_bucket())
        .at(keys::date_sort_key(&inv.due_date.to_string(), &inv.id))
        .set_on(&mut item);
    if let Some(at) = inv.reminder.next_at.filter(|_| inv.remindable()) {
        keys::reminder_at(&inv.id, at.as_second()).set_on(&mut item);
    }
    Ok(item)
}

/// Upper bound appended to a date in a sort-key range (after every id).
const AFTER_IDS: &str = "#~";

/// The sort-key range `[from, to]` of `<date>#<id>` keys.
pub(crate) fn date_range(from: Option<Date>, to: Option<Date>) -> Option<(String, String)> {
    if from.is_none() && to.is_none() {
        return None;
    }
    Some((
        from.map(|d| d.to_string()).unwrap_or_else(|| "0000".into()),
        format!(
            "{}{AFTER_IDS}",
            to.map(|d| d.to_string()).unwrap_or_else(|| "9999".into())
        ),
    ))
}

pub(crate) fn check_dates(errs: &mut Errors, invoice_date: Date, due_date: Date) {
    if due_date < invoice_date {
        errs.0.push(FieldError::new(
            "due_date",
            "before_invoice_date",
            "the due date cannot be before the invoice date",
        ));
    }
    let sane = |d: Date| (2000..=2099).contains(&d.year());
    if !sane(invoice_date) {
        errs.push("invoice_date", "out_of_range", "a date in 2000–2099");
    }
    if !sane(due_date) {
        errs.push("due_date", "out_of_range", "a date in 2000–2099");
    }
}

/// A stored line as the input that reproduces it (used when a patch keeps
/// the lines but the place of supply changes).
pub(crate) fn line_input(l: &Line) -> LineInput {
    LineInput {
        product_id: l.product_id.clone(),
        description: Some(l.description.clone()),
        hsn_sac: l.hsn_sac.clone(),
        unit: Some(l.unit.clone()),
        quantity: l.quantity,
        unit_price: Some(l.unit_price),
        discount: l.discount_rate_bp.is_none().then_some(l.discount),
        discount_rate_bp: l.discount_rate_bp,
        tax_rate_bp: Some(l.tax_rate_bp),
    }
}

/// The invoice's part of the business's figures (see [`crate::ledger::aggregates`]).
impl Deltas {
    /// Counts an invoice in (`sign` = 1) or out (`sign` = −1) of every
    /// aggregate it belongs to.
    pub(crate) fn invoice(&mut self, inv: &Invoice, sign: i64) {
        let bid = &inv.business_id;
        let date = inv.invoice_date.to_string();
        let day = keys::stats_day(bid, &date);
        self.describe(&day, "stats_day", &[("date", &date)]);
        let bucket = inv.bucket();
        self.add(day.clone(), format!("n.{bucket}"), sign);
        self.add(day.clone(), format!("t.{bucket}"), sign * inv.total);
        if inv.is_issued() && !inv.is_cancelled() && inv.cost_of_goods.is_some() {
            self.add(
                day.clone(),
                "cogs",
                sign * inv.cost_of_goods.unwrap_or_default(),
            );
            self.add(
                day.clone(),
                "margin",
                sign * inv.gross_margin.unwrap_or_default(),
            );
        }
        if inv.is_open() {
            self.add(day, format!("b.{bucket}"), sign * inv.balance_due);
            let due_date = inv.due_date.to_string();
            let due = keys::stats_due(bid, &due_date);
            self.describe(&due, "stats_due", &[("date", &due_date)]);
            self.add(due.clone(), "n", sign);
            self.add(due, "b", sign * inv.balance_due);
            let totals = keys::stats_totals(bid);
            self.describe(&totals, "stats_totals", &[]);
            self.add(totals.clone(), "n", sign);
            self.add(totals, "b", sign * inv.balance_due);
        }
    }

    /// Moves an invoice from how it was to how it is now.
    pub(crate) fn change(&mut self, old: Option<&Invoice>, new: &Invoice) {
        if let Some(o) = old {
            self.invoice(o, -1);
        }
        self.invoice(new, 1);
    }
}
