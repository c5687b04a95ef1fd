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

use crate::aggregates::Deltas;
use crate::app::{Hisaab, from_item, to_item};
use crate::catalogue::{MAX_UNIT_PRICE, Product};
use crate::customers::{Customer, CustomerStatus, customer_item, present};
use crate::error::{Error, Errors, FieldError, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::Actor;
use crate::ids::{is_id, new_id};
use crate::keys;
use crate::money::{Quantity, apply_rate, div_round_half_up};
use crate::paging::{Page, page_limit};
use crate::settings::{Settings, tax_rate};
use crate::table::{Cond, Index, Item, Query, Write};
use crate::validate;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// Most lines on one invoice.
pub const MAX_LINES: usize = 100;
/// Largest invoice total accepted: ₹100 crore (10^11 paise).
pub const MAX_TOTAL: i64 = 100_000_000_000;
/// Largest page of invoice lists.
pub const MAX_PAGE: usize = 100;

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
    /// Derived status as of today in the business's time zone.
    pub status: InvoiceStatus,
    /// Set by the defaulter registry while the customer disputes it.
    #[serde(default)]
    pub disputed: bool,
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
    pub method: crate::payments::PaymentMethod,
    /// Reference (UTR, cheque number, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// `recorded` or `voided`.
    pub status: crate::payments::PaymentStatus,
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
    /// Page size, 1–100 (default 50; the invoice report takes up to 1000).
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

/// Lines with their figures and the invoice totals.
struct Computed {
    lines: Vec<Line>,
    subtotal: i64,
    discount_total: i64,
    taxable_total: i64,
    cgst_total: i64,
    sgst_total: i64,
    igst_total: i64,
    tax_total: i64,
    total: i64,
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
    let taxable = gross - discount;
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
fn compute(
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
        });
    }
    let sum = |f: fn(&Line) -> i64| lines.iter().map(f).sum::<i64>();
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
fn place_of_supply(
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

/// The invoice item with its three index keys.
fn invoice_item(inv: &Invoice) -> Result<Item> {
    let bid = &inv.business_id;
    let by_date = keys::date_sort_key(&inv.invoice_date.to_string(), &inv.id);
    let mut item = to_item("invoice", &keys::invoice(bid, &inv.id), inv)?;
    item.insert("GSI1PK".into(), keys::invoices_by_date_pk(bid).into());
    item.insert("GSI1SK".into(), by_date.clone().into());
    item.insert(
        "GSI2PK".into(),
        keys::customer_invoices_pk(bid, &inv.customer_id).into(),
    );
    item.insert("GSI2SK".into(), by_date.into());
    item.insert(
        "GSI3PK".into(),
        keys::invoices_by_bucket_pk(bid, inv.index_bucket()).into(),
    );
    item.insert(
        "GSI3SK".into(),
        keys::date_sort_key(&inv.due_date.to_string(), &inv.id).into(),
    );
    Ok(item)
}

/// Upper bound appended to a date in a sort-key range (after every id).
const AFTER_IDS: &str = "#~";

/// The sort-key range `[from, to]` of `<date>#<id>` keys.
fn date_range(from: Option<Date>, to: Option<Date>) -> Option<(String, String)> {
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

impl Hisaab {
    /// The write of one history entry of an invoice.
    pub(crate) fn event_write(
        &self,
        inv: &Invoice,
        by: &str,
        action: &str,
        detail: String,
    ) -> Result<Write> {
        let e = InvoiceEvent {
            id: new_id("evt"),
            at: self.clock.now(),
            by: by.to_string(),
            action: action.to_string(),
            detail,
        };
        let key = keys::invoice_event(&inv.business_id, &inv.id, &e.id);
        Ok(Write::Put {
            item: to_item("invoice_event", &key, &e)?,
            cond: Some(Cond::NotExists),
        })
    }

    /// The write that saves an invoice: created (must not exist) or
    /// replaced under the version it was read at.
    pub(crate) fn invoice_write(&self, inv: &Invoice, read_version: Option<i64>) -> Result<Write> {
        Ok(Write::Put {
            item: invoice_item(inv)?,
            cond: Some(match read_version {
                None => Cond::NotExists,
                Some(v) => Cond::version(v),
            }),
        })
    }

    /// The write that saves a customer whose balance changed, under the
    /// version read.
    pub(crate) fn customer_balance_write(&self, old: &Customer, balance: i64) -> Result<Write> {
        let c = Customer {
            balance,
            version: old.version + 1,
            updated_at: self.clock.now(),
            ..old.clone()
        };
        Ok(Write::Put {
            item: customer_item(&c)?,
            cond: Some(Cond::version(old.version)),
        })
    }

    /// A customer of the business, read strongly.
    pub(crate) async fn customer_of(
        &self,
        business_id: &str,
        customer_id: &str,
    ) -> Result<Customer> {
        if !is_id("cus", customer_id) {
            return Err(Error::NotFound("customer"));
        }
        from_item(
            self.table
                .get(&keys::customer(business_id, customer_id))
                .await?
                .ok_or(Error::NotFound("customer"))?,
        )
    }

    /// The products named by the lines (unknown ones are simply absent).
    pub(crate) async fn line_products(
        &self,
        business_id: &str,
        lines: &[LineInput],
    ) -> Result<HashMap<String, Product>> {
        let mut out = HashMap::new();
        for id in lines.iter().filter_map(|l| l.product_id.as_deref()) {
            if out.contains_key(id) || !is_id("prd", id) {
                continue;
            }
            if let Some(item) = self.table.get(&keys::product(business_id, id)).await? {
                out.insert(id.to_string(), from_item(item)?);
            }
        }
        Ok(out)
    }

    /// Makes sure the next sequence number is free: a number taken before
    /// (after the prefix or counter was set back) is skipped by moving the
    /// counter on. Returns `false` when the counter moved (read again).
    async fn number_is_free(&self, settings: &Settings) -> Result<bool> {
        let number = settings.invoice_number(settings.next_invoice_number);
        if self
            .table
            .get(&keys::invoice_number(&settings.business_id, &number))
            .await?
            .is_none()
        {
            return Ok(true);
        }
        match self
            .table
            .transact(vec![settings.take_number_write()?])
            .await
        {
            Ok(()) | Err(crate::table::TableError::ConditionFailed { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The writes that issue an invoice: its number (unique), the counter,
    /// the customer's balance, and the customer's advances applied to it;
    /// sets number, previous balance, issue time and the amount paid.
    async fn issue_writes(
        &self,
        inv: &mut Invoice,
        settings: &Settings,
        customer: &Customer,
    ) -> Result<Vec<Write>> {
        let number = settings.invoice_number(settings.next_invoice_number);
        inv.number = Some(number.clone());
        inv.previous_balance = Some(customer.balance);
        inv.issued_at = Some(self.clock.now());
        let unique = to_item(
            "unique",
            &keys::invoice_number(&inv.business_id, &number),
            &serde_json::json!({ "invoice_id": inv.id }),
        )?;
        let mut writes = vec![
            Write::Put {
                item: unique,
                cond: Some(Cond::NotExists),
            },
            settings.take_number_write()?,
            self.customer_balance_write(customer, customer.balance + inv.total)?,
        ];
        if customer.balance < 0 {
            writes.extend(self.apply_advances(inv, customer).await?);
        }
        Ok(writes)
    }

    /// `POST /v1/invoices`: validates everything (422 naming each bad
    /// field; nothing is written), computes the figures, and — unless
    /// `draft` — issues it with the next number, adding its total to the
    /// customer's balance and the aggregates in the same transaction.
    /// Concurrent creates retry until each has its own number.
    pub async fn create_invoice(
        &self,
        actor: &Actor,
        input: NewInvoice,
        idem: Option<Idempotency>,
    ) -> Result<(Invoice, bool)> {
        let bid = actor.business_id()?.to_string();
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
        let products = self.line_products(&bid, &input.lines).await?;
        self.retrying(|| self.try_create_invoice(actor, &bid, &input, &products, idem.as_ref()))
            .await
    }

    async fn try_create_invoice(
        &self,
        actor: &Actor,
        bid: &str,
        input: &NewInvoice,
        products: &HashMap<String, Product>,
        idem: Option<&Idempotency>,
    ) -> Result<Option<(Invoice, bool)>> {
        let Some((inv, writes)) = self.prepare_invoice(actor, bid, input, products).await? else {
            return Ok(None);
        };
        self.commit_create(actor, idem, writes, inv, |_| None).await
    }

    /// Validates a new invoice and builds it with every write that creates
    /// it (invoice, history, number, counter, balance, advances,
    /// aggregates), for callers that commit more writes in the same
    /// transaction (month settlement). `Ok(None)`: the next number was
    /// taken; read again.
    pub(crate) async fn prepare_invoice(
        &self,
        actor: &Actor,
        bid: &str,
        input: &NewInvoice,
        products: &HashMap<String, Product>,
    ) -> Result<Option<(Invoice, Vec<Write>)>> {
        let settings = self.business_settings(bid).await?;
        let customer = match self.customer_of(bid, &input.customer_id).await {
            Ok(c) => Some(c),
            Err(Error::NotFound(_)) => None,
            Err(e) => return Err(e),
        };
        let mut errs = Errors::default();
        match &customer {
            None => errs.push(
                "customer_id",
                "unknown_customer",
                "no such customer in this business",
            ),
            Some(c) if c.status == CustomerStatus::Inactive => errs.push(
                "customer_id",
                "inactive_customer",
                "reactivate the customer before billing them",
            ),
            _ => {}
        }
        let Some(customer) = customer else {
            // Validate the rest too, so that every bad field is named.
            let dummy = Settings::defaults(bid);
            compute(
                &mut errs,
                &input.lines,
                products,
                &dummy,
                Supply::IntraState,
            );
            return Err(Error::Validation(errs.0));
        };
        let (pos, supply) = place_of_supply(
            &mut errs,
            input.place_of_supply.as_deref(),
            &customer,
            &settings,
        );
        let c = compute(&mut errs, &input.lines, products, &settings, supply);
        let today = settings.today(self.clock.now());
        let invoice_date = input.invoice_date.unwrap_or(today);
        let due_date = match input.due_date {
            Some(d) => d,
            None => invoice_date
                .checked_add(jiff::Span::new().days(settings.payment_terms_days))
                .map_err(|e| Error::Internal(e.into()))?,
        };
        check_dates(&mut errs, invoice_date, due_date);
        let notes = input
            .notes
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .and_then(|n| errs.check(validate::text("notes", n, 2000)));
        errs.finish()?;
        if !input.draft && !self.number_is_free(&settings).await? {
            return Ok(None);
        }
        let now = self.clock.now();
        let mut inv = Invoice {
            id: new_id("inv"),
            business_id: bid.to_string(),
            customer_id: customer.id.clone(),
            customer_name: customer.name.clone(),
            customer_gstin: customer.gstin.clone(),
            number: None,
            invoice_date,
            due_date,
            place_of_supply: pos,
            supply,
            lines: c.lines,
            subtotal: c.subtotal,
            discount_total: c.discount_total,
            taxable_total: c.taxable_total,
            cgst_total: c.cgst_total,
            sgst_total: c.sgst_total,
            igst_total: c.igst_total,
            tax_total: c.tax_total,
            total: c.total,
            previous_balance: None,
            amount_paid: 0,
            balance_due: c.total,
            status: InvoiceStatus::Draft,
            disputed: false,
            notes,
            issued_at: None,
            cancelled_at: None,
            cancel_reason: None,
            created_by: actor.user.id.clone(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let mut writes = vec![];
        if !input.draft {
            writes = self.issue_writes(&mut inv, &settings, &customer).await?;
        }
        let inv = inv.with_status_on(today);
        let mut deltas = Deltas::default();
        deltas.change(None, &inv);
        writes.push(self.invoice_write(&inv, None)?);
        writes.push(self.event_write(
            &inv,
            &actor.user.id,
            "created",
            match &inv.number {
                Some(n) => format!("issued as {n}"),
                None => "saved as a draft".into(),
            },
        )?);
        writes.extend(deltas.into_writes());
        Ok(Some((inv, writes)))
    }

    /// `GET /v1/invoices/{invoice_id}`: the invoice (status as of today),
    /// its payments and history, from one query of its partition. 404 for
    /// ids of other businesses.
    pub async fn get_invoice(&self, actor: &Actor, invoice_id: &str) -> Result<InvoiceDetail> {
        let bid = actor.business_id()?;
        if !is_id("inv", invoice_id) {
            return Err(Error::NotFound("invoice"));
        }
        let mut invoice = None;
        let mut payments = vec![];
        let mut history = vec![];
        let mut start = None;
        loop {
            let page = self
                .table
                .query(
                    &Query::new(Index::Table, keys::invoice_partition(bid, invoice_id))
                        .limit(1000)
                        .start(start),
                )
                .await?;
            for item in page.items {
                match item.get("entity").and_then(|e| e.as_str()) {
                    Some("invoice") => invoice = Some(from_item::<Invoice>(item)?),
                    Some("invoice_payment") => payments.push(from_item(item)?),
                    Some("invoice_event") => history.push(from_item(item)?),
                    _ => {}
                }
            }
            match page.last_key {
                Some(k) => start = Some(k),
                None => break,
            }
        }
        let invoice = invoice.ok_or(Error::NotFound("invoice"))?;
        let settings = self.business_settings(bid).await?;
        payments.sort_by_key(|p: &AppliedPayment| (p.created_at, p.payment_id.clone()));
        Ok(InvoiceDetail {
            invoice: invoice.with_status_on(settings.today(self.clock.now())),
            payments,
            history,
        })
    }

    /// The invoice alone, read strongly, for the write paths.
    pub(crate) async fn invoice_of(&self, business_id: &str, invoice_id: &str) -> Result<Invoice> {
        if !is_id("inv", invoice_id) {
            return Err(Error::NotFound("invoice"));
        }
        from_item(
            self.table
                .get(&keys::invoice(business_id, invoice_id))
                .await?
                .ok_or(Error::NotFound("invoice"))?,
        )
    }

    /// `GET /v1/invoices`: a page of invoices. The index read depends on
    /// the filters:
    /// - `q`: the number lookup (`UNIQUE#INVNO#<bid>` by prefix), then each invoice;
    /// - `status`: GSI3 (the status bucket, by due date, oldest due first;
    ///   `overdue` is the open bucket before today);
    /// - `customer_id`: GSI2 (newest first, `from`/`to` in the key);
    /// - otherwise GSI1 (newest first, `from`/`to` in the key).
    ///
    /// The remaining filters are applied after reading, so a page can be
    /// shorter than `limit` while `next_cursor` is still set.
    pub async fn list_invoices(
        &self,
        actor: &Actor,
        f: InvoiceFilter,
        max_page: usize,
    ) -> Result<Page<InvoiceSummary>> {
        let bid = actor.business_id()?.to_string();
        let limit = page_limit(f.limit, 50, max_page)?;
        let mut errs = Errors::default();
        if let (Some(a), Some(b)) = (f.from, f.to)
            && a > b
        {
            errs.push("to", "before_from", "to is before from");
        }
        if let (Some(a), Some(b)) = (f.due_from, f.due_to)
            && a > b
        {
            errs.push("due_to", "before_due_from", "due_to is before due_from");
        }
        if let Some(fmt) = &f.format
            && fmt != "json"
            && fmt != "csv"
        {
            errs.push("format", "invalid_format", "json or csv");
        }
        errs.finish()?;
        let settings = self.business_settings(&bid).await?;
        let today = settings.today(self.clock.now());
        let binding = format!(
            "invoices|{bid}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            f.customer_id,
            f.status,
            f.from,
            f.to,
            f.due_from,
            f.due_to,
            f.min_total,
            f.max_total,
            f.q
        );
        let keep = |i: &Invoice| {
            let s = i.status_on(today);
            f.customer_id.as_ref().is_none_or(|c| &i.customer_id == c)
                && f.status.is_none_or(|st| st == s)
                && f.from.is_none_or(|d| i.invoice_date >= d)
                && f.to.is_none_or(|d| i.invoice_date <= d)
                && f.due_from.is_none_or(|d| i.due_date >= d)
                && f.due_to.is_none_or(|d| i.due_date <= d)
                && f.min_total.is_none_or(|m| i.total >= m)
                && f.max_total.is_none_or(|m| i.total <= m)
        };
        let summarise = |page: Page<Invoice>| Page {
            items: page
                .items
                .into_iter()
                .map(|i| InvoiceSummary::from(&i.with_status_on(today)))
                .collect(),
            next_cursor: page.next_cursor,
        };
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let q = q.to_uppercase();
            let prefix = if q.bytes().all(|b| b.is_ascii_digit()) {
                settings.invoice_number(q.parse().unwrap_or(0))
            } else {
                q
            };
            let query = Query::new(Index::Table, keys::invoice_numbers_pk(&bid))
                .begins_with(prefix)
                .limit(limit);
            let hits: Page<serde_json::Value> = self
                .query_page(query, &binding, f.cursor.as_deref(), |_| true)
                .await?;
            let mut items = vec![];
            for h in &hits.items {
                let id = h["invoice_id"].as_str().unwrap_or_default();
                if let Ok(inv) = self.invoice_of(&bid, id).await
                    && keep(&inv)
                {
                    items.push(inv);
                }
            }
            return Ok(summarise(Page {
                items,
                next_cursor: hits.next_cursor,
            }));
        }
        let query = match (f.status, &f.customer_id) {
            (Some(s), _) => {
                let (bucket, lo, hi) = match s {
                    InvoiceStatus::Draft => ("draft", f.due_from, f.due_to),
                    InvoiceStatus::Paid => ("paid", f.due_from, f.due_to),
                    InvoiceStatus::Cancelled => ("cancelled", f.due_from, f.due_to),
                    InvoiceStatus::Overdue => {
                        let yesterday = today.yesterday().unwrap_or(today);
                        (
                            "open",
                            f.due_from,
                            Some(f.due_to.map_or(yesterday, |d| d.min(yesterday))),
                        )
                    }
                    InvoiceStatus::Unpaid | InvoiceStatus::PartiallyPaid => (
                        "open",
                        Some(f.due_from.map_or(today, |d| d.max(today))),
                        f.due_to,
                    ),
                    InvoiceStatus::Disputed => ("open", f.due_from, f.due_to),
                };
                let q = Query::new(Index::Gsi3, keys::invoices_by_bucket_pk(&bid, bucket));
                match date_range(lo, hi) {
                    Some((a, b)) if a <= b => q.between(a, b),
                    Some(_) => {
                        return Ok(Page {
                            items: vec![],
                            next_cursor: None,
                        });
                    }
                    None => q,
                }
            }
            (None, Some(c)) => {
                let q = Query::new(Index::Gsi2, keys::customer_invoices_pk(&bid, c)).descending();
                match date_range(f.from, f.to) {
                    Some((a, b)) => q.between(a, b),
                    None => q,
                }
            }
            (None, None) => {
                let q = Query::new(Index::Gsi1, keys::invoices_by_date_pk(&bid)).descending();
                match date_range(f.from, f.to) {
                    Some((a, b)) => q.between(a, b),
                    None => q,
                }
            }
        };
        let page = self
            .query_page(query.limit(limit), &binding, f.cursor.as_deref(), keep)
            .await?;
        Ok(summarise(page))
    }

    /// `GET /v1/customers/{customer_id}/invoices`: the customer's invoices,
    /// newest first (404 for customers of other businesses).
    pub async fn list_customer_invoices(
        &self,
        actor: &Actor,
        customer_id: &str,
        mut f: InvoiceFilter,
    ) -> Result<Page<InvoiceSummary>> {
        let bid = actor.business_id()?.to_string();
        self.customer_of(&bid, customer_id).await?;
        f.customer_id = Some(customer_id.to_string());
        self.list_invoices(actor, f, MAX_PAGE).await
    }

    /// `PATCH /v1/invoices/{invoice_id}`: changes lines, dates, place of
    /// supply or notes of a draft, or of an issued invoice with no
    /// payments (409 otherwise). An issued invoice's change of total moves
    /// the customer's balance and the aggregates in the same transaction.
    pub async fn update_invoice(
        &self,
        actor: &Actor,
        invoice_id: &str,
        p: InvoicePatch,
    ) -> Result<Invoice> {
        let bid = actor.business_id()?.to_string();
        let new_lines = p.lines.clone();
        let products = match &new_lines {
            Some(l) => self.line_products(&bid, l).await?,
            None => HashMap::new(),
        };
        self.retrying(|| async {
            let old = self.invoice_of(&bid, invoice_id).await?;
            if p.version.is_some_and(|v| v != old.version) {
                return Err(Error::stale());
            }
            if old.is_cancelled() || old.amount_paid > 0 || old.disputed {
                return Err(Error::Conflict {
                    detail: "only drafts and unpaid invoices without payments can be changed"
                        .into(),
                    errors: vec![],
                });
            }
            let settings = self.business_settings(&bid).await?;
            let customer = self.customer_of(&bid, &old.customer_id).await?;
            let mut errs = Errors::default();
            let pos_given = match &p.place_of_supply {
                Some(v) => v.clone(),
                None => old.place_of_supply.clone(),
            };
            let (pos, supply) =
                place_of_supply(&mut errs, pos_given.as_deref(), &customer, &settings);
            let inputs: Vec<LineInput> = match &new_lines {
                Some(l) => l.clone(),
                None => old.lines.iter().map(line_input).collect(),
            };
            let mut products = products.clone();
            for l in &old.lines {
                if let Some(id) = &l.product_id
                    && !products.contains_key(id)
                    && let Some(item) = self.table.get(&keys::product(&bid, id)).await?
                {
                    let mut prd: Product = from_item(item)?;
                    // Lines already on the invoice keep a deactivated product.
                    prd.active = true;
                    products.insert(id.clone(), prd);
                }
            }
            let c = compute(&mut errs, &inputs, &products, &settings, supply);
            let invoice_date = p.invoice_date.unwrap_or(old.invoice_date);
            let due_date = p.due_date.unwrap_or(old.due_date);
            check_dates(&mut errs, invoice_date, due_date);
            let notes = match &p.notes {
                Some(n) => n
                    .as_deref()
                    .filter(|n| !n.trim().is_empty())
                    .and_then(|n| errs.check(validate::text("notes", n, 2000))),
                None => old.notes.clone(),
            };
            errs.finish()?;
            let today = settings.today(self.clock.now());
            let new = Invoice {
                customer_name: customer.name.clone(),
                customer_gstin: customer.gstin.clone(),
                invoice_date,
                due_date,
                place_of_supply: pos,
                supply,
                lines: c.lines,
                subtotal: c.subtotal,
                discount_total: c.discount_total,
                taxable_total: c.taxable_total,
                cgst_total: c.cgst_total,
                sgst_total: c.sgst_total,
                igst_total: c.igst_total,
                tax_total: c.tax_total,
                total: c.total,
                balance_due: c.total,
                notes,
                updated_at: self.clock.now(),
                version: old.version + 1,
                ..old.clone()
            }
            .with_status_on(today);
            let mut writes = vec![self.invoice_write(&new, Some(old.version))?];
            if old.is_issued() && new.total != old.total {
                writes.push(
                    self.customer_balance_write(
                        &customer,
                        customer.balance + new.total - old.total,
                    )?,
                );
            }
            writes.push(self.event_write(
                &new,
                &actor.user.id,
                "updated",
                format!("total {} → {}", old.total, new.total),
            )?);
            let mut deltas = Deltas::default();
            deltas.change(Some(&old), &new);
            writes.extend(deltas.into_writes());
            self.commit(writes, new).await
        })
        .await
    }

    /// Commits writes that update existing items under version conditions:
    /// `Ok(None)` when a condition or a concurrent transaction lost the
    /// race (the caller retries).
    pub(crate) async fn commit<T>(&self, writes: Vec<Write>, value: T) -> Result<Option<T>> {
        match self.table.transact(writes).await {
            Ok(()) => Ok(Some(value)),
            Err(crate::table::TableError::ConditionFailed { .. })
            | Err(crate::table::TableError::Contention) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// `POST /v1/invoices/{invoice_id}/issue`: gives a draft the next
    /// number and counts it in the customer's balance (409 when it is not
    /// a draft).
    pub async fn issue_invoice(&self, actor: &Actor, invoice_id: &str) -> Result<Invoice> {
        let bid = actor.business_id()?.to_string();
        self.retrying(|| async {
            let old = self.invoice_of(&bid, invoice_id).await?;
            if old.is_issued() || old.is_cancelled() {
                return Err(Error::Conflict {
                    detail: "only a draft can be issued".into(),
                    errors: vec![],
                });
            }
            let settings = self.business_settings(&bid).await?;
            let customer = self.customer_of(&bid, &old.customer_id).await?;
            if !self.number_is_free(&settings).await? {
                return Ok(None);
            }
            let mut new = Invoice {
                customer_name: customer.name.clone(),
                updated_at: self.clock.now(),
                version: old.version + 1,
                ..old.clone()
            };
            let mut writes = self.issue_writes(&mut new, &settings, &customer).await?;
            let new = new.with_status_on(settings.today(self.clock.now()));
            writes.push(self.invoice_write(&new, Some(old.version))?);
            writes.push(self.event_write(
                &new,
                &actor.user.id,
                "issued",
                format!("issued as {}", new.number.as_deref().unwrap_or_default()),
            )?);
            let mut deltas = Deltas::default();
            deltas.change(Some(&old), &new);
            writes.extend(deltas.into_writes());
            self.commit(writes, new).await
        })
        .await
    }

    /// `POST /v1/invoices/{invoice_id}/cancel`: cancels a draft or an
    /// invoice without payments (409 otherwise: void its payments first).
    /// It leaves the customer's balance and the receivables at once; its
    /// number stays used.
    pub async fn cancel_invoice(
        &self,
        actor: &Actor,
        invoice_id: &str,
        c: CancelInvoice,
    ) -> Result<Invoice> {
        let bid = actor.business_id()?.to_string();
        let reason = c
            .reason
            .as_deref()
            .filter(|r| !r.trim().is_empty())
            .map(|r| validate::text("reason", r, 500))
            .transpose()?;
        self.retrying(|| async {
            let old = self.invoice_of(&bid, invoice_id).await?;
            if old.is_cancelled() {
                return Err(Error::Conflict {
                    detail: "the invoice is already cancelled".into(),
                    errors: vec![],
                });
            }
            if old.amount_paid > 0 {
                return Err(Error::Conflict {
                    detail: "the invoice has payments; void them before cancelling it".into(),
                    errors: vec![],
                });
            }
            let settings = self.business_settings(&bid).await?;
            let now = self.clock.now();
            let new = Invoice {
                balance_due: 0,
                cancelled_at: Some(now),
                cancel_reason: reason.clone(),
                updated_at: now,
                version: old.version + 1,
                ..old.clone()
            }
            .with_status_on(settings.today(now));
            let mut writes = vec![self.invoice_write(&new, Some(old.version))?];
            if old.is_open() {
                let customer = self.customer_of(&bid, &old.customer_id).await?;
                writes.push(
                    self.customer_balance_write(&customer, customer.balance - old.balance_due)?,
                );
            }
            writes.push(self.event_write(
                &new,
                &actor.user.id,
                "cancelled",
                reason.clone().unwrap_or_else(|| "cancelled".into()),
            )?);
            let mut deltas = Deltas::default();
            deltas.change(Some(&old), &new);
            writes.extend(deltas.into_writes());
            self.commit(writes, new).await
        })
        .await
    }
}

fn check_dates(errs: &mut Errors, invoice_date: Date, due_date: Date) {
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
fn line_input(l: &Line) -> LineInput {
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
}
