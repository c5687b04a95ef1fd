//! The shared defaulter registry (issue #5): one company per real debtor
//! across all businesses, prefix search over its name, default reports
//! with their review, disputes and edit requests, the credit rating, the
//! wrong-report record of each reporter, and the audit log.
//!
//! Rules:
//! - A company's identity is its GSTIN, else its PAN, else its phone
//!   (E.164). The PAN of a GSTIN is its characters 3–12. A customer links to
//!   the company of the first identifier that is already known, or creates
//!   one, in the customer's own transaction.
//! - A report counts nowhere until an admin approves it. An approved report
//!   is *listed*: a copy without the reporter's identity is kept in the
//!   company's partition, and the company's summary (amount due, overdue
//!   since, reporting creditors) is recomputed from its listings in the same
//!   transaction, under the company's version.
//! - The credit rating is computed on read from the summary and today's
//!   date: see [`rating`] and `docs/registry.md`.

use crate::app::{Hisaab, to_item};
use crate::error::{Error, Errors, FieldError, Result};
use crate::identity::{Actor, Business, BusinessStatus, Role};
use crate::ids::new_id;
use crate::keys;
use crate::paging::{Page, page_limit};
use crate::table::{Cond, Index, Item, Query, TableError, Write};
use crate::validate::{self, Phone};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;
use utoipa::{IntoParams, ToSchema};

/// Most documents on one report: one of each [`DocumentKind`].
pub const MAX_DOCUMENTS: usize = 4;
/// Largest upload: 10 MiB.
pub const UPLOAD_MAX_BYTES: u64 = 10 << 20;
/// The content types an upload may have.
pub const UPLOAD_CONTENT_TYPES: [&str; 4] =
    ["application/pdf", "image/jpeg", "image/png", "image/webp"];
/// How long an upload link (and a document link) works: 15 minutes.
pub const LINK_SECS: i64 = 15 * 60;
/// Most invoices in one report.
/// (15 keeps the largest change of a report, a withdrawal while disputed:
/// per invoice its claim, flag, history entry and aggregate, plus about 20
/// other writes, inside one transaction of at most 100 writes.)
pub const MAX_REPORT_INVOICES: usize = 15;
/// Largest amount of one reported invoice: 10¹² paise (₹1,000 crore).
pub const MAX_REPORTED_PAISE: i64 = 1_000_000_000_000;
/// Most history entries kept on a report (the oldest are dropped).
const MAX_HISTORY: usize = 100;
/// Most words of a company name indexed for search.
const MAX_INDEXED_WORDS: usize = 8;
/// Platform counters are spread over this many items so that concurrent
/// writers seldom touch the same one.
const STATS_SHARDS: u32 = 8;

// ---------------------------------------------------------------- companies

/// What the registry knows of a company's defaults, kept on the company.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct Summary {
    /// Unpaid amount of approved reports, paise.
    pub due_paise: i64,
    /// Oldest due date among unpaid invoices of approved reports.
    #[schema(value_type = Option<String>, format = Date)]
    pub overdue_since: Option<Date>,
    /// Distinct businesses with unpaid approved reports.
    pub reporters: i64,
    /// Approved reports listed now.
    pub approved_reports: i64,
    /// Invoices of approved reports marked paid after listing.
    pub paid_after_listing: i64,
    /// Disputes decided in the company's favour.
    pub disputes_upheld: i64,
}

/// A company of the shared registry.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Company {
    /// `co_<ULID>`.
    pub id: String,
    /// Name as first given.
    pub name: String,
    /// Normalised name: lower case, words of letters and digits.
    pub name_key: String,
    /// City, when known.
    #[serde(default)]
    pub city: Option<String>,
    /// GSTIN (checksum verified).
    #[serde(default)]
    pub gstin: Option<String>,
    /// PAN.
    #[serde(default)]
    pub pan: Option<String>,
    /// E.164 phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Lower-case email, for notices.
    #[serde(default)]
    pub email: Option<String>,
    /// The registry's figures.
    #[serde(default)]
    pub summary: Summary,
    /// Created (UTC).
    pub created_at: Timestamp,
    /// Version, 1 on creation.
    pub version: i64,
}

/// One reason behind a credit rating.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RatingReason {
    /// Points added (positive) or taken (negative).
    pub points: i64,
    /// Why, in words.
    pub reason: String,
}

/// A credit rating: a score of 0–100 and its grade (see [`rating`]).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Rating {
    /// 0 (worst) to 100 (no defaults).
    pub score: i64,
    /// `A` (80–100), `B` (60–79), `C` (40–59), `D` (20–39), `E` (0–19).
    pub grade: String,
    /// Every term of the score.
    pub reasons: Vec<RatingReason>,
}

/// A company as members see it in search and on its page.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CompanyCard {
    /// `co_<ULID>`.
    pub id: String,
    /// Name.
    pub name: String,
    /// City.
    pub city: Option<String>,
    /// GSTIN in full: GSTINs are public on the GST portal.
    pub gstin: Option<String>,
    /// PAN with only its last four characters shown (`******234F`).
    pub pan: Option<String>,
    /// Phone with only its last four digits shown (`+91******3210`).
    pub phone: Option<String>,
    /// Total unpaid on approved reports, paise.
    pub due_paise: i64,
    /// Oldest unpaid due date of approved reports.
    #[schema(value_type = Option<String>, format = Date)]
    pub overdue_since: Option<Date>,
    /// Businesses with unpaid approved reports.
    pub reporting_creditors: i64,
    /// Approved reports listed.
    pub approved_reports: i64,
    /// The credit rating as of today (Asia/Kolkata).
    pub rating: Rating,
}

/// An invoice of a report.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ReportedInvoice {
    /// The in-system invoice, for reports made from invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
    /// Invoice number.
    pub number: String,
    /// Invoice date.
    #[schema(value_type = String, format = Date)]
    pub invoice_date: Date,
    /// Due date.
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    /// Amount due when reported (or as corrected), paise.
    pub amount_paise: i64,
    /// Marked paid by the reporter.
    pub paid: bool,
    /// When it was marked paid (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub paid_at: Option<Timestamp>,
}

/// An approved report as listed on its company's page.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Listing {
    /// The report.
    pub report_id: String,
    /// Its invoices.
    pub invoices: Vec<ReportedInvoice>,
    /// Unpaid amount, paise.
    pub due_paise: i64,
    /// Payment status: `pending`, `disputed` or `paid`.
    pub payment_status: PaymentStatus,
    /// Approved (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub approved_at: Timestamp,
    /// The reporting business: shown to admins only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_business_id: Option<String>,
    /// Its name: shown to admins only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_name: Option<String>,
}

/// `GET /v1/registry/companies/{company_id}`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CompanyDetail {
    /// The company.
    #[serde(flatten)]
    pub company: CompanyCard,
    /// Disputes decided in the company's favour.
    pub disputes_upheld: i64,
    /// Invoices paid after they were listed.
    pub paid_after_listing: i64,
    /// The approved reports, newest first (reporters hidden from members).
    pub reports: Vec<Listing>,
}

/// Query of `GET /v1/registry/companies` and `GET /v1/admin/companies`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompanySearch {
    /// A name (each word a prefix of a word of the name, the first at least
    /// 2 characters), a GSTIN, a PAN or a phone number.
    pub q: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<usize>,
    /// From the previous page.
    pub cursor: Option<String>,
}

/// The company a debtor links to (see [`Hisaab::company_link`]).
pub(crate) struct CompanyLink {
    /// The company.
    pub id: String,
    /// Writes that create it or record new identifiers of it; commit them
    /// with the write that links to it.
    pub writes: Vec<Write>,
    /// Whether the writes create the company.
    pub created: bool,
}

/// What a customer record says of its company.
#[derive(Clone, Debug, Default)]
pub(crate) struct CompanyFacts {
    pub name: String,
    pub city: Option<String>,
    pub gstin: Option<String>,
    pub pan: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// `******234F`: all but the last four characters hidden.
fn mask(s: &str, keep_prefix: usize) -> String {
    let n = s.chars().count();
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if i < keep_prefix || i + 4 >= n {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// The distinct search words of a normalised name (at most 8, in order).
fn name_words(name_key: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    name_key
        .split(' ')
        .filter(|w| !w.is_empty() && seen.insert(w.to_string()))
        .take(MAX_INDEXED_WORDS)
        .map(str::to_string)
        .collect()
}

/// The credit rating of a company on `today`: 100 points, less
/// - amount due: 10 (any), 20 (≥ ₹10,000), 30 (≥ ₹1,00,000), 35 (≥ ₹10,00,000);
/// - age of the oldest unpaid due date: 5 (any), 10 (≥ 30 days), 20 (≥ 90),
///   25 (≥ 180);
/// - 10 for each further reporting creditor, at most 30;
///
/// plus 5 for each dispute upheld (at most 10) and 3 for each invoice paid
/// after listing (at most 15); clamped to 0–100.
pub fn rating(s: &Summary, today: Date) -> Rating {
    let mut reasons = vec![];
    let rupees = s.due_paise / 100;
    let amount = match rupees {
        r if r >= 1_000_000 => 35,
        r if r >= 100_000 => 30,
        r if r >= 10_000 => 20,
        _ if s.due_paise > 0 => 10,
        _ => 0,
    };
    if amount > 0 {
        reasons.push(RatingReason {
            points: -amount,
            reason: format!(
                "₹{} is due to members on approved reports",
                crate::money::format_rupees(s.due_paise)
            ),
        });
    }
    if let Some(since) = s.overdue_since.filter(|_| s.due_paise > 0) {
        let days = since
            .until(today)
            .map(|d| i64::from(d.get_days()))
            .unwrap_or(0)
            .max(0);
        let age = match days {
            d if d >= 180 => 25,
            d if d >= 90 => 20,
            d if d >= 30 => 10,
            _ => 5,
        };
        reasons.push(RatingReason {
            points: -age,
            reason: format!("the oldest unpaid invoice was due on {since} ({days} days ago)"),
        });
    }
    if s.reporters > 1 {
        let p = ((s.reporters - 1) * 10).min(30);
        reasons.push(RatingReason {
            points: -p,
            reason: format!("{} creditors report unpaid invoices", s.reporters),
        });
    }
    if s.disputes_upheld > 0 {
        reasons.push(RatingReason {
            points: (s.disputes_upheld * 5).min(10),
            reason: format!(
                "{} report(s) removed after the company disputed them",
                s.disputes_upheld
            ),
        });
    }
    if s.paid_after_listing > 0 {
        reasons.push(RatingReason {
            points: (s.paid_after_listing * 3).min(15),
            reason: format!(
                "{} listed invoice(s) paid after listing",
                s.paid_after_listing
            ),
        });
    }
    if reasons.is_empty() {
        reasons.push(RatingReason {
            points: 0,
            reason: "no approved defaults".into(),
        });
    }
    let score = (100 + reasons.iter().map(|r| r.points).sum::<i64>()).clamp(0, 100);
    let grade = match score {
        80.. => "A",
        60..=79 => "B",
        40..=59 => "C",
        20..=39 => "D",
        _ => "E",
    };
    Rating {
        score,
        grade: grade.into(),
        reasons,
    }
}

impl Company {
    /// The company as members see it, rated as of `today`.
    pub fn card(&self, today: Date) -> CompanyCard {
        CompanyCard {
            id: self.id.clone(),
            name: self.name.clone(),
            city: self.city.clone(),
            gstin: self.gstin.clone(),
            pan: self.pan.as_deref().map(|p| mask(p, 0)),
            phone: self.phone.as_deref().map(|p| mask(p, 3)),
            due_paise: self.summary.due_paise,
            overdue_since: self.summary.overdue_since,
            reporting_creditors: self.summary.reporters,
            approved_reports: self.summary.approved_reports,
            rating: rating(&self.summary, today),
        }
    }
}

/// The summary of a company from its listings, keeping the counters that
/// are not derived from them.
fn summarise(listings: &[Listing], old: &Summary) -> Summary {
    let mut due = 0;
    let mut since: Option<Date> = None;
    let mut reporters = BTreeSet::new();
    let mut paid = 0;
    for l in listings {
        for i in &l.invoices {
            if i.paid {
                if i.paid_at.is_some_and(|p| p >= l.approved_at) {
                    paid += 1;
                }
            } else if i.amount_paise > 0 {
                due += i.amount_paise;
                since = Some(since.map_or(i.due_date, |s| s.min(i.due_date)));
                if let Some(r) = &l.reporter_business_id {
                    reporters.insert(r.clone());
                }
            }
        }
    }
    Summary {
        due_paise: due,
        overdue_since: since,
        reporters: reporters.len() as i64,
        approved_reports: listings.len() as i64,
        paid_after_listing: paid,
        disputes_upheld: old.disputes_upheld,
    }
}

/// A change to a company's listings.
pub(crate) enum ListingChange {
    /// Lists (or re-lists) an approved report.
    Put(Listing),
    /// Removes a report's listing.
    Remove(String),
    /// Nothing listed changes (only counters).
    None,
}

// ------------------------------------------------------------------ reports

/// Where a report is in its review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Waiting for review; counts nowhere.
    Pending,
    /// An admin is looking into it.
    InProcess,
    /// Referred to the senior team, who alone decide it.
    Referred,
    /// Listed in the registry.
    Approved,
    /// Refused by an admin.
    Rejected,
    /// Withdrawn through an approved edit request (a wrongly raised default).
    Withdrawn,
    /// Removed because the company's dispute was upheld.
    Removed,
}

impl ReportStatus {
    /// The name as in JSON and keys.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Pending => "pending",
            ReportStatus::InProcess => "in_process",
            ReportStatus::Referred => "referred",
            ReportStatus::Approved => "approved",
            ReportStatus::Rejected => "rejected",
            ReportStatus::Withdrawn => "withdrawn",
            ReportStatus::Removed => "removed",
        }
    }

    /// Every status.
    pub const ALL: [ReportStatus; 7] = [
        ReportStatus::Pending,
        ReportStatus::InProcess,
        ReportStatus::Referred,
        ReportStatus::Approved,
        ReportStatus::Rejected,
        ReportStatus::Withdrawn,
        ReportStatus::Removed,
    ];

    /// Still under review or listed.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ReportStatus::Pending
                | ReportStatus::InProcess
                | ReportStatus::Referred
                | ReportStatus::Approved
        )
    }

    fn parse(field: &str, s: &str) -> Result<ReportStatus> {
        ReportStatus::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| {
                Error::field(
                    field,
                    "invalid",
                    "one of pending, in_process, referred, approved, rejected, withdrawn, removed",
                )
            })
    }
}

/// Whether the reported invoices are paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Not paid.
    Pending,
    /// The company disputes the report.
    Disputed,
    /// Every invoice marked paid.
    Paid,
}

/// Where a report's invoices come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportSource {
    /// Invoices of the reporter's own books in Hisaab.
    Invoices,
    /// An invoice outside the system, with documents.
    External,
}

/// The kind of a supporting document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A copy of the invoice.
    InvoiceCopy,
    /// The buyer's purchase order.
    PurchaseOrder,
    /// Proof of delivery.
    DeliveryProof,
    /// A ledger statement.
    LedgerStatement,
}

/// A supporting document of a report or a dispute.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Document {
    /// What it is.
    pub kind: DocumentKind,
    /// The upload it came from.
    pub upload_id: String,
    /// MIME type.
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// A link valid 15 minutes, on reads by those allowed to see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A reference to an upload in a request.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentRef {
    /// What it is.
    pub kind: DocumentKind,
    /// From `POST /v1/uploads`, after the file was PUT.
    pub upload_id: String,
}

/// One step in the life of a report.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ReportEvent {
    /// When (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// Who (user id, or `system`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
    /// Their role.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
    /// `created`, `approve`, `in_process`, `refer`, `reject`, `paid`,
    /// `disputed`, `dispute_upheld`, `dispute_dismissed`, `edit_requested`,
    /// `withdrawn`, `corrected`, `edit_rejected`.
    pub action: String,
    /// Status before.
    pub from: ReportStatus,
    /// Status after.
    pub to: ReportStatus,
    /// The note given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A default report.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Report {
    /// `rpt_<ULID>`.
    pub id: String,
    /// The reported company.
    pub company_id: String,
    /// Its name (the buyer).
    pub company_name: String,
    /// The reporting business (the seller).
    pub reporter_business_id: String,
    /// Its name.
    pub reporter_name: String,
    /// The reporter's customer record of the company, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// The debtor's phone as the reporter gave it (its customer record's, or
    /// the named company's): the notice is texted there, and a user with
    /// this verified phone speaks for the company on this report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debtor_phone: Option<String>,
    /// The debtor's email as the reporter gave it, for the notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debtor_email: Option<String>,
    /// In-system invoices or an outside one.
    pub source: ReportSource,
    /// The invoices.
    pub invoices: Vec<ReportedInvoice>,
    /// Earliest invoice date.
    #[schema(value_type = String, format = Date)]
    pub invoice_date: Date,
    /// Unpaid amount now, paise.
    pub amount_paise: i64,
    /// Review status.
    pub status: ReportStatus,
    /// Payment status.
    pub payment_status: PaymentStatus,
    /// Supporting documents (at most one of each kind).
    pub documents: Vec<Document>,
    /// The reporter's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The open dispute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispute_id: Option<String>,
    /// The open edit request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_request_id: Option<String>,
    /// Every step.
    pub history: Vec<ReportEvent>,
    /// The user who filed it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub created_by: String,
    /// Filed (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Approved (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub approved_at: Option<Timestamp>,
    /// Last changed (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// Version.
    pub version: i64,
}

/// A row of the admin transactions table and of a business's report list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ReportRow {
    /// The report.
    pub id: String,
    /// Invoice numbers, comma separated.
    pub invoice_number: String,
    /// The reported company.
    pub buyer: String,
    /// Its id.
    pub company_id: String,
    /// The reporting business.
    pub seller: String,
    /// Its id.
    pub reporter_business_id: String,
    /// Earliest invoice date.
    #[schema(value_type = String, format = Date)]
    pub invoice_date: Date,
    /// Unpaid amount, paise.
    pub amount_paise: i64,
    /// `pending`, `disputed` or `paid`.
    pub payment_status: PaymentStatus,
    /// Review status.
    pub status: ReportStatus,
    /// Filed (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl Report {
    fn row(&self) -> ReportRow {
        ReportRow {
            id: self.id.clone(),
            invoice_number: self
                .invoices
                .iter()
                .map(|i| i.number.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            buyer: self.company_name.clone(),
            company_id: self.company_id.clone(),
            seller: self.reporter_name.clone(),
            reporter_business_id: self.reporter_business_id.clone(),
            invoice_date: self.invoice_date,
            amount_paise: self.amount_paise,
            payment_status: self.payment_status,
            status: self.status,
            created_at: self.created_at,
        }
    }

    /// What the reported company sees: the reporter's name, the invoices,
    /// documents and statuses, without the reviewers' notes, the reporter's
    /// internal ids and who did what.
    fn for_company(mut self) -> Report {
        self.note = None;
        self.created_by = String::new();
        self.customer_id = None;
        self.edit_request_id = None;
        self.debtor_email = None;
        for i in &mut self.invoices {
            i.invoice_id = None;
        }
        for h in &mut self.history {
            h.by = String::new();
            h.role = String::new();
            h.note = None;
        }
        self
    }

    /// The items that hold each invoice to this report while it is open
    /// (an in-system invoice by its id, an outside one by company and
    /// number), with the request field each answers to.
    fn claims(&self) -> Vec<(crate::table::Key, String)> {
        let bid = &self.reporter_business_id;
        self.invoices
            .iter()
            .enumerate()
            .map(|(k, i)| match &i.invoice_id {
                Some(id) => (keys::reported_invoice(bid, id), format!("invoice_ids[{k}]")),
                None => (
                    keys::reported_external(bid, &self.company_id, &i.number.to_uppercase()),
                    "invoice_number".into(),
                ),
            })
            .collect()
    }

    fn unpaid(&self) -> i64 {
        self.invoices
            .iter()
            .filter(|i| !i.paid)
            .map(|i| i.amount_paise)
            .sum()
    }

    fn listing(&self) -> Listing {
        Listing {
            report_id: self.id.clone(),
            invoices: self.invoices.clone(),
            due_paise: self.unpaid(),
            payment_status: self.payment_status,
            approved_at: self.approved_at.unwrap_or(self.updated_at),
            reporter_business_id: Some(self.reporter_business_id.clone()),
            reporter_name: Some(self.reporter_name.clone()),
        }
    }

    fn event(
        &mut self,
        actor: Option<&Actor>,
        action: &str,
        to: ReportStatus,
        note: Option<String>,
        now: Timestamp,
    ) {
        self.history.push(ReportEvent {
            at: now,
            by: actor.map_or("system".into(), |a| a.user.id.clone()),
            role: actor.map_or("system".into(), |a| a.user.role.as_str().into()),
            action: action.into(),
            from: self.status,
            to,
            note,
        });
        if self.history.len() > MAX_HISTORY {
            let extra = self.history.len() - MAX_HISTORY;
            self.history.drain(..extra);
        }
        self.status = to;
        self.updated_at = now;
    }

    /// Payment status from the invoices and the open dispute.
    fn settle_payment_status(&mut self) {
        self.amount_paise = self.unpaid();
        self.payment_status = if self.amount_paise == 0 {
            PaymentStatus::Paid
        } else if self.dispute_id.is_some() {
            PaymentStatus::Disputed
        } else {
            PaymentStatus::Pending
        };
    }
}

fn report_item(r: &Report) -> Result<Item> {
    let sk = format!("{}#{}", r.created_at, r.id);
    let mut item = to_item("report", &keys::report(&r.id), r)?;
    item.insert(
        "GSI1PK".into(),
        keys::reports_by_status_pk(r.status.as_str()).into(),
    );
    item.insert("GSI1SK".into(), sk.clone().into());
    item.insert(
        "GSI2PK".into(),
        keys::reports_by_reporter_pk(&r.reporter_business_id).into(),
    );
    item.insert("GSI2SK".into(), sk.clone().into());
    item.insert(
        "GSI3PK".into(),
        keys::reports_by_company_pk(&r.company_id).into(),
    );
    item.insert("GSI3SK".into(), sk.into());
    Ok(item)
}

/// `POST /v1/registry/reports`: either `invoice_ids` (with `customer_id`)
/// or `invoice_number`, `invoice_date` and `amount_due_paise` (with
/// `customer_id` or `company`).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    /// The reporter's customer record of the debtor.
    pub customer_id: Option<String>,
    /// For a debtor who is not a customer: name and at least one of GSTIN,
    /// PAN or phone.
    pub company: Option<CompanyInput>,
    /// Overdue in-system invoices of `customer_id` (1–50).
    pub invoice_ids: Option<Vec<String>>,
    /// An outside invoice: its number.
    pub invoice_number: Option<String>,
    /// Its date (not in the future).
    #[schema(value_type = Option<String>, format = Date)]
    pub invoice_date: Option<Date>,
    /// Its due date (default: the invoice date).
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Date>,
    /// The amount still due, paise (> 0).
    pub amount_due_paise: Option<i64>,
    /// Up to four documents, one of each kind.
    pub documents: Option<Vec<DocumentRef>>,
    /// A note for the reviewers (≤ 1000 characters).
    pub note: Option<String>,
}

/// A debtor named in a report.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyInput {
    /// Name (1–120 characters).
    pub name: String,
    /// GSTIN.
    pub gstin: Option<String>,
    /// PAN.
    pub pan: Option<String>,
    /// Phone (E.164 or a 10-digit Indian number).
    pub phone: Option<String>,
    /// Email, for the notice.
    pub email: Option<String>,
    /// City.
    pub city: Option<String>,
}

/// `POST /v1/registry/reports/{id}/paid`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkPaid {
    /// The invoice numbers paid; all when absent.
    pub invoice_numbers: Option<Vec<String>>,
}

/// Query of the report lists.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportFilter {
    /// Review status (the admin queue defaults to `pending`).
    pub status: Option<String>,
    /// `pending`, `disputed` or `paid`.
    pub payment_status: Option<PaymentStatus>,
    /// Reports of one reporting business (admins).
    pub business_id: Option<String>,
    /// Reports about one company (admins).
    pub company_id: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<usize>,
    /// From the previous page.
    pub cursor: Option<String>,
}

/// An admin's action on a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportAction {
    /// List it (L1 unless referred).
    Approve,
    /// Mark it in process.
    InProcess,
    /// Refer it to the senior team.
    Refer,
    /// Refuse it.
    Reject,
}

/// `POST /v1/admin/transactions/{id}/actions`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    /// What to do.
    pub action: ReportAction,
    /// Why (≤ 1000 characters).
    pub note: Option<String>,
}

/// A report with what its reader may see: documents with links.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ReportDetail {
    /// The report.
    #[serde(flatten)]
    pub report: Report,
    /// The open dispute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispute: Option<Dispute>,
    /// The open edit request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edit_request: Option<EditRequest>,
}

// ---------------------------------------------------- disputes, edit requests

/// Whether a dispute or edit request is decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Waiting for an admin.
    Open,
    /// Decided for the one who raised it.
    Approved,
    /// Decided against.
    Rejected,
}

impl CaseStatus {
    fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Approved => "approved",
            CaseStatus::Rejected => "rejected",
        }
    }
}

/// A reported company's dispute of a report.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Dispute {
    /// `dsp_<ULID>`.
    pub id: String,
    /// The report.
    pub report_id: String,
    /// The company.
    pub company_id: String,
    /// The user who disputes.
    pub raised_by: String,
    /// Why.
    pub reason: String,
    /// Supporting documents.
    pub documents: Vec<Document>,
    /// `open`; `approved` (upheld: the report is removed) or `rejected`.
    pub status: CaseStatus,
    /// The admin's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_note: Option<String>,
    /// Who decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// Raised (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Version.
    pub version: i64,
}

/// `POST /v1/registry/reports/{id}/disputes`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDispute {
    /// Why the report is wrong (1–2000 characters).
    pub reason: String,
    /// Up to four documents.
    pub documents: Option<Vec<DocumentRef>>,
}

/// What an edit request asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EditKind {
    /// Remove the report (for example, the wrong company was named); when
    /// approved it counts as a wrongly raised default.
    Withdraw,
    /// Change invoice amounts.
    Correct,
}

/// A corrected amount.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmountCorrection {
    /// The invoice number on the report.
    pub number: String,
    /// The right amount due, paise (≥ 0).
    pub amount_paise: i64,
}

/// A reporter's request to correct or withdraw a report.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct EditRequest {
    /// `edr_<ULID>`.
    pub id: String,
    /// The report.
    pub report_id: String,
    /// The reporting business.
    pub business_id: String,
    /// Withdraw or correct.
    pub kind: EditKind,
    /// Why.
    pub reason: String,
    /// New amounts (`correct`).
    pub corrections: Vec<AmountCorrection>,
    /// `open`, `approved` or `rejected`.
    pub status: CaseStatus,
    /// The user who asked.
    pub raised_by: String,
    /// The admin's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_note: Option<String>,
    /// Who decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// Raised (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Version.
    pub version: i64,
}

/// `POST /v1/registry/reports/{id}/edit-requests`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEditRequest {
    /// `withdraw` or `correct`.
    pub kind: EditKind,
    /// Why (1–2000 characters).
    pub reason: String,
    /// For `correct`: the new amounts.
    pub corrections: Option<Vec<AmountCorrection>>,
}

/// An admin's decision on a dispute or an edit request.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// `approve` (uphold the dispute / grant the request) or `reject`.
    pub action: DecisionAction,
    /// Why (≤ 1000 characters).
    pub note: Option<String>,
}

/// See [`Decision`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionAction {
    /// For the one who raised it.
    Approve,
    /// Against.
    Reject,
}

/// Query of the dispute and edit-request queues.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseFilter {
    /// `open` (default), `approved` or `rejected`.
    pub status: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<usize>,
    /// From the previous page.
    pub cursor: Option<String>,
}

fn case_status(raw: Option<&str>) -> Result<CaseStatus> {
    match raw.unwrap_or("open") {
        "open" => Ok(CaseStatus::Open),
        "approved" => Ok(CaseStatus::Approved),
        "rejected" => Ok(CaseStatus::Rejected),
        _ => Err(Error::field(
            "status",
            "invalid",
            "open, approved or rejected",
        )),
    }
}

fn dispute_item(d: &Dispute) -> Result<Item> {
    let mut item = to_item("dispute", &keys::dispute(&d.id), d)?;
    item.insert(
        "GSI1PK".into(),
        keys::disputes_by_status_pk(d.status.as_str()).into(),
    );
    item.insert("GSI1SK".into(), format!("{}#{}", d.created_at, d.id).into());
    Ok(item)
}

fn edit_item(e: &EditRequest) -> Result<Item> {
    let mut item = to_item("edit_request", &keys::edit_request(&e.id), e)?;
    item.insert(
        "GSI1PK".into(),
        keys::edit_requests_by_status_pk(e.status.as_str()).into(),
    );
    item.insert("GSI1SK".into(), format!("{}#{}", e.created_at, e.id).into());
    Ok(item)
}

// ------------------------------------------------------------------ uploads

/// `POST /v1/uploads`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUpload {
    /// `application/pdf`, `image/jpeg`, `image/png` or `image/webp`.
    pub content_type: String,
    /// Size of the file in bytes (1 to 10 MiB).
    pub size_bytes: u64,
}

/// An upload slot: PUT the file to `url` with the same `Content-Type`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Upload {
    /// `upl_<ULID>`: name it in a report or dispute.
    pub id: String,
    /// Always `PUT`.
    pub method: String,
    /// Where to PUT the bytes (a presigned S3 URL on AWS).
    pub url: String,
    /// Send exactly this `Content-Type`.
    pub content_type: String,
    /// Most bytes accepted.
    pub max_bytes: u64,
    /// The link works until then (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: Timestamp,
}

/// The stored upload slot.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct UploadRecord {
    id: String,
    user_id: String,
    key: String,
    content_type: String,
    max_bytes: u64,
    created_at: Timestamp,
}

// ---------------------------------------------------- reporters, audit, stats

/// The registry record of a reporting business.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct ReporterRecord {
    /// The business.
    #[serde(default)]
    pub business_id: String,
    /// Its name.
    #[serde(default)]
    pub business_name: String,
    /// Reports filed.
    #[serde(default)]
    pub reports: i64,
    /// Wrongly raised defaults (withdrawals approved, disputes upheld).
    #[serde(default)]
    pub wrong: i64,
    /// The last one (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_wrong_at: Option<Timestamp>,
    /// Version.
    #[serde(default)]
    pub version: i64,
}

/// One entry of the audit log; never changed or deleted.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    /// `aud_<ULID>`.
    pub id: String,
    /// When (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// Who: a user id, or `system` for automatic actions.
    pub actor_id: String,
    /// Their role (`admin_l1`, `owner`, …, `system`).
    pub actor_role: String,
    /// What, as `<target type>.<verb>` (`report.approve`, `business.disable`, …).
    pub action: String,
    /// `report`, `dispute`, `edit_request`, `business`, `user`, `company`.
    pub target_type: String,
    /// The target's id.
    pub target_id: String,
    /// The target before (absent on creation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The target after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
    /// The note given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Platform counters added in the writes that change them.
pub(crate) fn stats_write(deltas: &[(&str, i64)]) -> Write {
    use rand::Rng;
    let shard = rand::rng().random_range(0..STATS_SHARDS);
    Write::Add {
        key: keys::platform_stats_shard(shard),
        deltas: deltas.iter().map(|(a, d)| (a.to_string(), *d)).collect(),
        cond: None,
    }
}

/// Folds every platform-counter write of a transaction into the first
/// (a transaction may touch an item once).
pub(crate) fn merge_stats(writes: Vec<Write>) -> Vec<Write> {
    let mut out: Vec<Write> = Vec::with_capacity(writes.len());
    let mut first: Option<usize> = None;
    for w in writes {
        let is_stats = matches!(&w, Write::Add { key, .. } if key.pk == keys::PLATFORM_STATS_PK);
        match (is_stats, first) {
            (true, Some(i)) => {
                if let (Write::Add { deltas: into, .. }, Write::Add { deltas, .. }) =
                    (&mut out[i], w)
                {
                    into.extend(deltas);
                }
            }
            (true, None) => {
                first = Some(out.len());
                out.push(w);
            }
            (false, _) => out.push(w),
        }
    }
    out
}

fn status_counter(s: ReportStatus) -> String {
    format!("reports_{}", s.as_str())
}

fn opt_note(errs: &mut Errors, field: &str, raw: Option<&str>, max: usize) -> Option<String> {
    raw.filter(|s| !s.trim().is_empty())
        .and_then(|s| errs.check(validate::text(field, s, max)))
}

impl Hisaab {
    /// Today's civil date in India, for ratings and overdue checks of the
    /// registry (which spans businesses).
    pub(crate) fn registry_today(&self) -> Date {
        let tz = jiff::tz::TimeZone::get("Asia/Kolkata").unwrap_or(jiff::tz::TimeZone::UTC);
        self.clock.now().to_zoned_datetime(tz).date()
    }

    /// The wrongly-raised-default count at which a business is disabled.
    pub fn wrong_report_limit(&self) -> i64 {
        self.config.wrong_report_limit
    }

    /// An audit entry's write: `actor` is `None` for the system.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn audit_write(
        &self,
        actor: Option<&Actor>,
        action: &str,
        target_type: &str,
        target_id: &str,
        before: Option<Value>,
        after: Option<Value>,
        note: Option<String>,
    ) -> Result<Write> {
        let now = self.clock.now();
        let e = AuditEntry {
            id: new_id("aud"),
            at: now,
            actor_id: actor.map_or("system".into(), |a| a.user.id.clone()),
            actor_role: actor.map_or("system".into(), |a| a.user.role.as_str().into()),
            action: action.into(),
            target_type: target_type.into(),
            target_id: target_id.into(),
            before,
            after,
            note,
        };
        let at = now.to_string();
        let mut item = to_item("audit", &keys::audit(target_id, &at, &e.id), &e)?;
        let sk = format!("{at}#{}", e.id);
        item.insert("GSI1PK".into(), keys::audit_by_actor_pk(&e.actor_id).into());
        item.insert("GSI1SK".into(), sk.clone().into());
        item.insert("GSI2PK".into(), keys::AUDIT_ALL_PK.into());
        item.insert("GSI2SK".into(), sk.into());
        Ok(Write::Put {
            item,
            cond: Some(Cond::NotExists),
        })
    }

    // ------------------------------------------------------------ companies

    async fn company(&self, company_id: &str) -> Result<Company> {
        self.get_as(&keys::company(company_id))
            .await?
            .ok_or(Error::NotFound("company"))
    }

    async fn company_by_identity(&self, kind: &str, value: &str) -> Result<Option<String>> {
        Ok(self
            .table
            .get(&keys::company_identity(kind, value))
            .await?
            .and_then(|i| {
                i.get("company_id")
                    .and_then(|v| v.as_str())
                    .map(String::from)
            }))
    }

    /// The company item and its word items (each a full copy, so that a
    /// search page needs no further reads).
    fn company_writes(&self, c: &Company, cond: Cond) -> Result<Vec<Write>> {
        let mut item = to_item("company", &keys::company(&c.id), c)?;
        item.insert("GSI1PK".into(), keys::COMPANIES_BY_NAME_PK.into());
        item.insert(
            "GSI1SK".into(),
            keys::name_sort_key(&c.name_key, &c.id).into(),
        );
        let mut w = vec![Write::Put {
            item,
            cond: Some(cond),
        }];
        for word in name_words(&c.name_key) {
            w.push(Write::Put {
                item: to_item("company_word", &keys::company_word(&word, &c.id), c)?,
                cond: None,
            });
        }
        Ok(w)
    }

    /// The company of a debtor: `None` without GSTIN, PAN or phone. The
    /// first identifier already known (GSTIN, then PAN, then phone) names
    /// the company, except that a phone never joins a debtor to a company
    /// with another GSTIN or PAN. A known company gains the identifiers it
    /// did not have; an unknown debtor becomes a new company. Every identity
    /// item is written with `attribute_not_exists`, so two writers racing
    /// make one company (the loser's transaction fails and is retried).
    pub(crate) async fn company_link(
        &self,
        f: &CompanyFacts,
        actor: Option<&Actor>,
    ) -> Result<Option<CompanyLink>> {
        let pan = f
            .pan
            .clone()
            .or_else(|| f.gstin.as_ref().map(|g| g[2..12].to_string()));
        let ids: Vec<(&str, &String)> = [
            ("GSTIN", f.gstin.as_ref()),
            ("PAN", pan.as_ref()),
            ("PHONE", f.phone.as_ref()),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        if ids.is_empty() {
            return Ok(None);
        }
        let mut hits = Vec::with_capacity(ids.len());
        for (kind, value) in &ids {
            hits.push(self.company_by_identity(kind, value).await?);
        }
        let mut found: Option<Company> = None;
        for ((kind, _), hit) in ids.iter().zip(&hits) {
            let Some(id) = hit else { continue };
            let c = self.company(id).await?;
            let differs = |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(x), Some(y)) if x != y);
            if *kind == "PHONE" && (differs(&c.gstin, &f.gstin) || differs(&c.pan, &pan)) {
                continue;
            }
            found = Some(c);
            break;
        }
        let identity = |kind: &str, value: &str, id: &str| -> Result<Write> {
            Ok(Write::Put {
                item: to_item(
                    "company_identity",
                    &keys::company_identity(kind, value),
                    &serde_json::json!({ "company_id": id }),
                )?,
                cond: Some(Cond::NotExists),
            })
        };
        if let Some(old) = found {
            let mut c = old.clone();
            let mut w = vec![];
            for ((kind, value), hit) in ids.iter().zip(&hits) {
                if hit.is_some() {
                    continue;
                }
                w.push(identity(kind, value, &c.id)?);
                let field = match *kind {
                    "GSTIN" => &mut c.gstin,
                    "PAN" => &mut c.pan,
                    _ => &mut c.phone,
                };
                if field.is_none() {
                    *field = Some(value.to_string());
                }
            }
            if c.gstin != old.gstin || c.pan != old.pan || c.phone != old.phone {
                c.version = old.version + 1;
                w.extend(self.company_writes(&c, Cond::version(old.version))?);
                w.push(self.audit_write(
                    actor,
                    "company.identify",
                    "company",
                    &c.id,
                    Some(serde_json::json!({ "gstin": old.gstin, "pan": old.pan, "phone": old.phone })),
                    Some(serde_json::json!({ "gstin": c.gstin, "pan": c.pan, "phone": c.phone })),
                    None,
                )?);
            }
            return Ok(Some(CompanyLink {
                id: c.id,
                writes: w,
                created: false,
            }));
        }
        let now = self.clock.now();
        let c = Company {
            id: new_id("co"),
            name: f.name.clone(),
            name_key: validate::name_key(&f.name),
            city: f.city.clone(),
            gstin: f.gstin.clone(),
            pan: pan.clone(),
            phone: f.phone.clone(),
            email: f.email.clone(),
            summary: Summary::default(),
            created_at: now,
            version: 1,
        };
        let mut w = self.company_writes(&c, Cond::NotExists)?;
        w.push(self.audit_write(
            actor,
            "company.create",
            "company",
            &c.id,
            None,
            Some(serde_json::json!({ "name": c.name, "gstin": c.gstin, "pan": c.pan, "phone": c.phone, "city": c.city })),
            None,
        )?);
        for ((kind, value), hit) in ids.iter().zip(&hits) {
            // An identifier of another company (a phone shared with a
            // company of another GSTIN) stays with that company.
            if hit.is_none() {
                w.push(identity(kind, value, &c.id)?);
            }
        }
        Ok(Some(CompanyLink {
            id: c.id,
            writes: w,
            created: true,
        }))
    }

    /// Creates (or finds) the company of a debtor outside a customer write;
    /// used by reports on a named company and by the benchmarks.
    pub async fn ensure_company(
        &self,
        name: &str,
        gstin: Option<&str>,
        pan: Option<&str>,
        phone: Option<&str>,
        city: Option<&str>,
    ) -> Result<Option<String>> {
        let f = CompanyFacts {
            name: name.into(),
            city: city.map(String::from),
            gstin: gstin.map(String::from),
            pan: pan.map(String::from),
            phone: phone.map(String::from),
            email: None,
        };
        self.retrying(|| async {
            match self.company_link(&f, None).await? {
                None => Ok(Some(None)),
                Some(l) if l.writes.is_empty() => Ok(Some(Some(l.id))),
                Some(mut l) => {
                    l.writes
                        .push(stats_write(&[("companies", i64::from(l.created))]));
                    Ok(self.commit_writes(l.writes, l.id).await?.map(Some))
                }
            }
        })
        .await
    }

    /// Only business members and admins use the registry.
    fn registry_member(actor: &Actor) -> Result<()> {
        if actor.user.role.is_admin() || actor.business_id().is_ok() {
            Ok(())
        } else {
            Err(Error::Forbidden(
                "the registry is for businesses and admins".into(),
            ))
        }
    }

    /// `GET /v1/registry/companies?q=`: by GSTIN, PAN or phone (one key
    /// read) or by name (one query of the first word's search partition,
    /// the other words filtering as word prefixes). 422 naming `q` when it
    /// is missing or its first word has fewer than 2 characters.
    pub async fn search_companies(
        &self,
        actor: &Actor,
        s: CompanySearch,
    ) -> Result<Page<CompanyCard>> {
        Self::registry_member(actor)?;
        let limit = page_limit(s.limit, 20, 100)?;
        let q = s.q.as_deref().unwrap_or("").trim().to_string();
        let today = self.registry_today();
        let exact = if let Ok(g) = validate::gstin("q", &q) {
            Some(("GSTIN", g))
        } else if let Ok(p) = validate::pan("q", &q) {
            Some(("PAN", p))
        } else if q.chars().filter(|c| c.is_ascii_digit()).count() >= 10
            && let Ok(p) = Phone::parse("q", &q)
        {
            Some(("PHONE", p.to_string()))
        } else {
            None
        };
        if let Some((kind, value)) = exact {
            let items = match self.company_by_identity(kind, &value).await? {
                Some(id) => vec![self.company(&id).await?.card(today)],
                None => vec![],
            };
            return Ok(Page {
                items,
                next_cursor: None,
            });
        }
        let key = validate::name_key(&q);
        let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        let Some(first) = words.first().filter(|w| w.chars().count() >= 2) else {
            return Err(Error::field(
                "q",
                "too_short",
                "give a GSTIN, PAN, phone, or a name whose first word has at least 2 characters",
            ));
        };
        let rest: Vec<String> = words[1..].iter().map(|w| w.to_string()).collect();
        let query = Query::new(Index::Table, keys::company_words_pk(first))
            .begins_with(*first)
            .limit(limit);
        let binding = format!("registry-search|{key}");
        let page: Page<Company> = self
            .query_page(query, &binding, s.cursor.as_deref(), |c: &Company| {
                let mine: Vec<&str> = c.name_key.split(' ').collect();
                rest.iter()
                    .all(|w| mine.iter().any(|m| m.starts_with(w.as_str())))
            })
            .await?;
        let mut seen = BTreeSet::new();
        Ok(Page {
            items: page
                .items
                .into_iter()
                .filter(|c| seen.insert(c.id.clone()))
                .map(|c| c.card(today))
                .collect(),
            next_cursor: page.next_cursor,
        })
    }

    /// `GET /v1/registry/companies/{company_id}`: the company, its rating
    /// and its approved reports; reporters are named to admins only.
    pub async fn company_detail(&self, actor: &Actor, company_id: &str) -> Result<CompanyDetail> {
        Self::registry_member(actor)?;
        let c = self.company(company_id).await?;
        let mut reports = self.listings(company_id).await?;
        if !actor.user.role.is_admin() {
            for l in &mut reports {
                l.reporter_business_id = None;
                l.reporter_name = None;
                for i in &mut l.invoices {
                    i.invoice_id = None;
                }
            }
        }
        reports.sort_by_key(|l| std::cmp::Reverse(l.approved_at));
        Ok(CompanyDetail {
            company: c.card(self.registry_today()),
            disputes_upheld: c.summary.disputes_upheld,
            paid_after_listing: c.summary.paid_after_listing,
            reports,
        })
    }

    async fn listings(&self, company_id: &str) -> Result<Vec<Listing>> {
        self.query_all(
            Query::new(Index::Table, keys::company_partition(company_id))
                .begins_with(keys::LISTING_PREFIX)
                .limit(1000),
        )
        .await
    }

    /// The writes that apply a listing change to a company: the listing
    /// itself, and the company (and its word copies) with the summary
    /// recomputed, under the company's version.
    async fn restate_company(
        &self,
        company_id: &str,
        change: ListingChange,
        disputes_upheld: i64,
    ) -> Result<Vec<Write>> {
        let old = self.company(company_id).await?;
        let mut listings = self.listings(company_id).await?;
        let mut w = vec![];
        match change {
            ListingChange::Put(l) => {
                w.push(Write::Put {
                    item: to_item(
                        "listing",
                        &keys::company_listing(company_id, &l.report_id),
                        &l,
                    )?,
                    cond: None,
                });
                listings.retain(|x| x.report_id != l.report_id);
                listings.push(l);
            }
            ListingChange::Remove(id) => {
                w.push(Write::Delete {
                    key: keys::company_listing(company_id, &id),
                    cond: None,
                });
                listings.retain(|x| x.report_id != id);
            }
            ListingChange::None => {}
        }
        let mut c = old.clone();
        c.summary = summarise(&listings, &old.summary);
        c.summary.disputes_upheld += disputes_upheld;
        c.version = old.version + 1;
        w.extend(self.company_writes(&c, Cond::version(old.version))?);
        Ok(w)
    }

    // --------------------------------------------------------------- uploads

    /// `POST /v1/uploads`: a slot for one document and the link to PUT it
    /// to (valid 15 minutes). 422 naming `content_type` or `size_bytes`.
    pub async fn create_upload(&self, actor: &Actor, u: NewUpload) -> Result<Upload> {
        let mut errs = Errors::default();
        if !UPLOAD_CONTENT_TYPES.contains(&u.content_type.as_str()) {
            errs.push(
                "content_type",
                "unsupported",
                "application/pdf, image/jpeg, image/png or image/webp",
            );
        }
        if u.size_bytes == 0 || u.size_bytes > UPLOAD_MAX_BYTES {
            errs.push("size_bytes", "out_of_range", "1 byte to 10 MiB");
        }
        errs.finish()?;
        let now = self.clock.now();
        let id = new_id("upl");
        let rec = UploadRecord {
            key: format!("uploads/{}/{}", actor.user.id, id),
            id,
            user_id: actor.user.id.clone(),
            content_type: u.content_type.clone(),
            max_bytes: u.size_bytes,
            created_at: now,
        };
        let expires = now.as_second() + LINK_SECS;
        let url = self
            .files
            .upload_link(
                &rec.key,
                &rec.content_type,
                rec.max_bytes,
                now.as_second(),
                expires,
            )
            .await?;
        // Kept for good: a report's documents are found through it.
        let item = to_item("upload", &keys::upload(&rec.id), &rec)?;
        self.table.put(item, Some(Cond::NotExists)).await?;
        Ok(Upload {
            id: rec.id,
            method: "PUT".into(),
            url,
            content_type: rec.content_type,
            max_bytes: rec.max_bytes,
            expires_at: Timestamp::from_second(expires).unwrap_or(now),
        })
    }

    /// The documents named in a request, each checked: the caller's own
    /// upload, stored, of the type and size it was made for; at most four,
    /// one of each kind. Errors name `documents` or `documents[i]…`.
    async fn documents(
        &self,
        actor: &Actor,
        errs: &mut Errors,
        refs: &[DocumentRef],
    ) -> Result<Vec<Document>> {
        if refs.len() > MAX_DOCUMENTS {
            errs.push(
                "documents",
                "too_many",
                format!("at most {MAX_DOCUMENTS} documents, one of each kind"),
            );
            return Ok(vec![]);
        }
        let mut kinds = BTreeSet::new();
        let mut out = vec![];
        for (i, r) in refs.iter().enumerate() {
            let field = format!("documents[{i}].upload_id");
            if !kinds.insert(r.kind) {
                errs.push(
                    &format!("documents[{i}].kind"),
                    "duplicate",
                    "one document of each kind",
                );
                continue;
            }
            let rec: Option<UploadRecord> = self.get_as(&keys::upload(&r.upload_id)).await?;
            let Some(rec) = rec.filter(|u| u.user_id == actor.user.id) else {
                errs.push(&field, "unknown_upload", "no such upload of yours");
                continue;
            };
            match self.files.stat(&rec.key).await? {
                None => errs.push(&field, "not_uploaded", "the file was not uploaded yet"),
                Some((ct, _)) if ct != rec.content_type => errs.push(
                    &field,
                    "wrong_content_type",
                    format!("the file is {ct}, not {}", rec.content_type),
                ),
                Some((_, size)) if size > rec.max_bytes => {
                    errs.push(&field, "too_large", "the file is larger than declared")
                }
                Some((ct, size)) => out.push(Document {
                    kind: r.kind,
                    upload_id: rec.id,
                    content_type: ct,
                    size_bytes: size,
                    url: None,
                }),
            }
        }
        Ok(out)
    }

    /// Fills in each document's link (valid 15 minutes), reading where its
    /// upload is stored.
    async fn with_links(&self, docs: &mut [Document]) -> Result<()> {
        let now = self.now_secs();
        for d in docs {
            let rec: Option<UploadRecord> = self.get_as(&keys::upload(&d.upload_id)).await?;
            if let Some(rec) = rec {
                d.url = Some(self.files.link(&rec.key, now, now + LINK_SECS).await?);
            }
        }
        Ok(())
    }

    // --------------------------------------------------------------- reports

    async fn report(&self, id: &str) -> Result<Report> {
        self.get_as(&keys::report(id))
            .await?
            .ok_or(Error::NotFound("report"))
    }

    pub(crate) async fn business_of(&self, business_id: &str) -> Result<Business> {
        self.get_as(&keys::business(business_id))
            .await?
            .ok_or(Error::NotFound("business"))
    }

    /// `POST /v1/registry/reports` (business owner): a pending report from
    /// overdue in-system invoices, or from an outside invoice with
    /// documents. 422 naming every bad field; 409 naming an invoice already
    /// in an open report. The reported company is told by SMS (and mail).
    pub async fn create_report(
        &self,
        actor: &Actor,
        input: NewReport,
        idem: Option<crate::idempotency::Idempotency>,
    ) -> Result<(Report, bool)> {
        let bid = actor.owned_business_id()?.to_string();
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((crate::idempotency::decode_replay(body)?, true));
        }
        let business = self.business_of(&bid).await?;
        let today = self.today_of_business(&bid).await?;
        let mut errs = Errors::default();
        let note = opt_note(&mut errs, "note", input.note.as_deref(), 1000);
        let documents = self
            .documents(actor, &mut errs, input.documents.as_deref().unwrap_or(&[]))
            .await?;
        // Who is reported.
        let customer = match &input.customer_id {
            Some(id) => match self.customer_of(&bid, id).await {
                Ok(c) => Some(c),
                Err(Error::NotFound(_)) => {
                    errs.push("customer_id", "unknown_customer", "no such customer");
                    None
                }
                Err(e) => return Err(e),
            },
            None => None,
        };
        let facts = match (&customer, &input.company) {
            (Some(_), Some(_)) => {
                errs.push(
                    "company",
                    "not_allowed",
                    "give customer_id or company, not both",
                );
                None
            }
            (Some(c), None) => Some(CompanyFacts {
                name: c.name.clone(),
                city: None,
                gstin: c.gstin.clone(),
                pan: c.pan.clone(),
                phone: c.phone.clone(),
                email: c.email.clone(),
            }),
            (None, Some(ci)) => {
                let name = errs.check(validate::text("company.name", &ci.name, 120));
                let gstin = ci
                    .gstin
                    .as_deref()
                    .and_then(|g| errs.check(validate::gstin("company.gstin", g)));
                let pan = ci
                    .pan
                    .as_deref()
                    .and_then(|p| errs.check(validate::pan("company.pan", p)));
                let phone = ci
                    .phone
                    .as_deref()
                    .and_then(|p| errs.check(Phone::parse("company.phone", p)))
                    .map(|p| p.to_string());
                let email = ci
                    .email
                    .as_deref()
                    .and_then(|e| errs.check(validate::email("company.email", e)));
                let city = ci
                    .city
                    .as_deref()
                    .and_then(|c| errs.check(validate::text("company.city", c, 80)));
                if ci.gstin.is_none() && ci.pan.is_none() && ci.phone.is_none() {
                    errs.push("company", "no_identity", "give a GSTIN, PAN or phone");
                }
                name.map(|name| CompanyFacts {
                    name,
                    city,
                    gstin,
                    pan,
                    phone,
                    email,
                })
            }
            (None, None) => {
                if input.customer_id.is_none() {
                    errs.push("customer_id", "required", "give customer_id or company");
                }
                None
            }
        };
        // What is reported.
        let mut invoices = vec![];
        let source = match (&input.invoice_ids, &input.invoice_number) {
            (Some(_), Some(_)) => {
                errs.push(
                    "invoice_number",
                    "not_allowed",
                    "give invoice_ids or an outside invoice, not both",
                );
                ReportSource::Invoices
            }
            (Some(ids), None) => {
                if input.customer_id.is_none() {
                    errs.push(
                        "customer_id",
                        "required",
                        "reports from invoices name the customer",
                    );
                }
                if ids.is_empty() || ids.len() > MAX_REPORT_INVOICES {
                    errs.push("invoice_ids", "out_of_range", "1 to 15 invoices");
                }
                let mut seen = BTreeSet::new();
                for (i, id) in ids.iter().enumerate().take(MAX_REPORT_INVOICES) {
                    let field = format!("invoice_ids[{i}]");
                    if !seen.insert(id) {
                        errs.push(&field, "duplicate", "named twice");
                        continue;
                    }
                    let inv = match self.invoice_of(&bid, id).await {
                        Ok(inv) => inv,
                        Err(Error::NotFound(_)) => {
                            errs.push(&field, "unknown_invoice", "no such invoice of yours");
                            continue;
                        }
                        Err(e) => return Err(e),
                    };
                    if customer.as_ref().is_some_and(|c| c.id != inv.customer_id) {
                        errs.push(&field, "other_customer", "an invoice of another customer");
                    } else if !inv.is_open() || inv.due_date >= today {
                        errs.push(
                            &field,
                            "not_overdue",
                            "only unpaid invoices past their due date",
                        );
                    } else {
                        invoices.push(ReportedInvoice {
                            invoice_id: Some(inv.id.clone()),
                            number: inv.number.clone().unwrap_or_default(),
                            invoice_date: inv.invoice_date,
                            due_date: inv.due_date,
                            amount_paise: inv.balance_due,
                            paid: false,
                            paid_at: None,
                        });
                    }
                }
                ReportSource::Invoices
            }
            (None, Some(number)) => {
                let number = errs.check(validate::text("invoice_number", number, 40));
                let date = match input.invoice_date {
                    None => {
                        errs.push("invoice_date", "required", "the invoice date");
                        None
                    }
                    Some(d) if d > today => {
                        errs.push("invoice_date", "in_future", "not after today");
                        None
                    }
                    Some(d) => Some(d),
                };
                let due = input.due_date.or(date);
                if let (Some(d), Some(due)) = (date, due) {
                    if due < d {
                        errs.push(
                            "due_date",
                            "before_invoice_date",
                            "on or after the invoice date",
                        );
                    } else if due >= today {
                        errs.push(
                            "due_date",
                            "not_overdue",
                            "only invoices past their due date",
                        );
                    }
                }
                match input.amount_due_paise {
                    Some(a) if a > 0 && a <= MAX_REPORTED_PAISE => {}
                    _ => errs.push(
                        "amount_due_paise",
                        "out_of_range",
                        "a positive amount in paise, at most 10^12",
                    ),
                }
                if let (Some(number), Some(date), Some(due), Some(a)) =
                    (number, date, due, input.amount_due_paise)
                {
                    invoices.push(ReportedInvoice {
                        invoice_id: None,
                        number,
                        invoice_date: date,
                        due_date: due,
                        amount_paise: a,
                        paid: false,
                        paid_at: None,
                    });
                }
                ReportSource::External
            }
            (None, None) => {
                errs.push(
                    "invoice_ids",
                    "required",
                    "give invoice_ids, or invoice_number, invoice_date and amount_due_paise",
                );
                ReportSource::External
            }
        };
        errs.finish()?;
        let facts =
            facts.ok_or_else(|| Error::field("customer_id", "required", "who is reported"))?;
        let (report, replayed) = self
            .retrying(|| async {
                let Some(link) = self.company_link(&facts, Some(actor)).await? else {
                    return Err(Error::field(
                        "customer_id",
                        "no_identity",
                        "the customer has no GSTIN, PAN or phone to identify the company",
                    ));
                };
                let (company_id, mut writes) = (link.id, link.writes);
                let new_company = i64::from(link.created);
                // Only the reporter's own word names who speaks for the
                // debtor: a phone another business gave the company does not.
                let debtor_phone = facts.phone.clone();
                let now = self.clock.now();
                let mut r = Report {
                    id: new_id("rpt"),
                    company_name: facts.name.clone(),
                    company_id: company_id.clone(),
                    reporter_business_id: bid.clone(),
                    reporter_name: business.name.clone(),
                    customer_id: customer.as_ref().map(|c| c.id.clone()),
                    debtor_phone: debtor_phone.clone(),
                    debtor_email: facts.email.clone(),
                    source,
                    invoice_date: invoices
                        .iter()
                        .map(|i| i.invoice_date)
                        .min()
                        .unwrap_or(today),
                    amount_paise: 0,
                    invoices: invoices.clone(),
                    status: ReportStatus::Pending,
                    payment_status: PaymentStatus::Pending,
                    documents: documents.clone(),
                    note: note.clone(),
                    dispute_id: None,
                    edit_request_id: None,
                    history: vec![],
                    created_by: actor.user.id.clone(),
                    created_at: now,
                    approved_at: None,
                    updated_at: now,
                    version: 1,
                };
                r.settle_payment_status();
                r.history.push(ReportEvent {
                    at: now,
                    by: actor.user.id.clone(),
                    role: actor.user.role.as_str().into(),
                    action: "created".into(),
                    from: ReportStatus::Pending,
                    to: ReportStatus::Pending,
                    note: note.clone(),
                });
                let claims_from = writes.len() + 1;
                writes.push(Write::Put {
                    item: report_item(&r)?,
                    cond: Some(Cond::NotExists),
                });
                let claims = r.claims();
                for (key, _) in &claims {
                    writes.push(Write::Put {
                        item: to_item(
                            "report_claim",
                            key,
                            &serde_json::json!({ "report_id": r.id }),
                        )?,
                        cond: Some(Cond::NotExists),
                    });
                }
                writes.push(Write::Add {
                    key: keys::reporter_record(&bid),
                    deltas: vec![("reports".into(), 1), ("version".into(), 1)],
                    cond: None,
                });
                writes.push(stats_write(&[
                    (&status_counter(ReportStatus::Pending), 1),
                    ("companies", new_company),
                ]));
                writes.push(self.audit_write(
                    Some(actor),
                    "report.create",
                    "report",
                    &r.id,
                    None,
                    Some(serde_json::to_value(r.row()).unwrap_or_default()),
                    note.clone(),
                )?);
                let numbers: Vec<String> = r.invoices.iter().map(|i| i.number.clone()).collect();
                self.commit_create(actor, idem.as_ref(), writes, r, |idx| {
                    let k = idx?.checked_sub(claims_from)?;
                    let (_, field) = claims.get(k)?;
                    Some(Error::Conflict {
                        detail: "an invoice is already in an open report".into(),
                        errors: vec![FieldError::new(
                            field.clone(),
                            "already_reported",
                            format!("invoice {} is already in an open report", numbers[k]),
                        )],
                    })
                })
                .await
            })
            .await?;
        if !replayed {
            self.tell_company(&report).await;
        }
        Ok((report, replayed))
    }

    async fn today_of_business(&self, bid: &str) -> Result<Date> {
        Ok(self.business_settings(bid).await?.today(self.clock.now()))
    }

    /// Tells the reported company of a new report: an SMS to the phone
    /// and a mail to the address the reporter gave (else the company's); a
    /// failure is logged, not returned.
    async fn tell_company(&self, r: &Report) {
        let Ok(c) = self.company(&r.company_id).await else {
            return;
        };
        let body = format!(
            "{} has reported unpaid invoices of Rs {} ({}) from {} to the Hisaab credit registry. It is under review. If it is wrong, dispute it in the Hisaab app (report {}).",
            r.reporter_name,
            crate::money::format_rupees(r.amount_paise),
            r.row().invoice_number,
            c.name,
            r.id
        );
        let phone = r.debtor_phone.as_ref().or(c.phone.as_ref());
        if let Some(p) = phone.and_then(|p| Phone::parse("phone", p).ok())
            && let Err(e) = self.sms.send_sms(&p, &body).await
        {
            tracing::warn!(error = %e, "report notice SMS not sent");
        }
        if let Some(m) = r.debtor_email.as_ref().or(c.email.as_ref())
            && let Err(e) = self
                .mail
                .send_mail(m, "A payment default was reported to Hisaab", &body)
                .await
        {
            tracing::warn!(error = %e, "report notice mail not sent");
        }
    }

    /// Whether the caller speaks for the company reported in `r`: their
    /// verified phone is the debtor's phone the reporter gave. A phone that
    /// another business typed in for the same company does not count.
    fn speaks_for(actor: &Actor, r: &Report) -> bool {
        actor.user.phone_verified && r.debtor_phone.as_deref() == Some(actor.user.phone.as_str())
    }

    /// `GET /v1/registry/reports/{id}`: the reporter's business, the
    /// reported company's users and admins see a report (with document
    /// links); anyone else gets 404.
    pub async fn get_report(&self, actor: &Actor, id: &str) -> Result<ReportDetail> {
        let mut r = self.report(id).await?;
        let insider = actor.user.role.is_admin()
            || actor.business_id().ok() == Some(r.reporter_business_id.as_str());
        if !insider && !Self::speaks_for(actor, &r) {
            return Err(Error::NotFound("report"));
        }
        self.with_links(&mut r.documents).await?;
        let mut dispute = match &r.dispute_id {
            Some(d) => Some(self.dispute(d).await?),
            None => None,
        };
        if let Some(d) = &mut dispute {
            self.with_links(&mut d.documents).await?;
            if !insider {
                d.decided_by = None;
            }
        }
        let edit_request = match &r.edit_request_id {
            Some(e) if insider => Some(self.edit_request(e).await?),
            _ => None,
        };
        if !insider {
            r = r.for_company();
        }
        Ok(ReportDetail {
            report: r,
            dispute,
            edit_request,
        })
    }

    /// `GET /v1/registry/reports`: the reports the caller's business filed,
    /// newest first.
    pub async fn list_my_reports(&self, actor: &Actor, f: ReportFilter) -> Result<Page<ReportRow>> {
        let bid = actor.business_id()?.to_string();
        let status = f
            .status
            .as_deref()
            .map(|s| ReportStatus::parse("status", s))
            .transpose()?;
        let limit = page_limit(f.limit, 20, 100)?;
        let q = Query::new(Index::Gsi2, keys::reports_by_reporter_pk(&bid))
            .descending()
            .limit(limit);
        let binding = format!("my-reports|{bid}|{:?}|{:?}", status, f.payment_status);
        let page: Page<Report> = self
            .query_page(q, &binding, f.cursor.as_deref(), |r: &Report| {
                status.is_none_or(|s| s == r.status)
                    && f.payment_status.is_none_or(|p| p == r.payment_status)
            })
            .await?;
        Ok(Page {
            items: page.items.iter().map(Report::row).collect(),
            next_cursor: page.next_cursor,
        })
    }

    /// Saves a changed report under the version read, with the counters of
    /// its status change.
    fn report_writes(&self, old: &Report, new: &mut Report) -> Result<Vec<Write>> {
        new.version = old.version + 1;
        let mut w = vec![Write::Put {
            item: report_item(new)?,
            cond: Some(Cond::version(old.version)),
        }];
        if old.status != new.status {
            w.push(stats_write(&[
                (&status_counter(old.status), -1),
                (&status_counter(new.status), 1),
            ]));
        }
        Ok(w)
    }

    /// The writes for a report leaving review (rejected, withdrawn, or
    /// removed on an upheld dispute), given the report as read (`old`) and
    /// as it will be (`r`): its in-system invoices are freed to be reported
    /// again (each claim only if it is still this report's) and lose their
    /// `disputed` flag, and any other open dispute or edit request of it
    /// (not `deciding`) is closed as rejected.
    async fn leave_review(
        &self,
        old: &Report,
        r: &Report,
        deciding: Option<&str>,
        actor: &Actor,
    ) -> Result<Vec<Write>> {
        let mut w: Vec<Write> = r
            .claims()
            .into_iter()
            // No condition: a report leaves review once (its version
            // guards that), and only then are its claims deleted, so a
            // claim found here is this report's.
            .map(|(key, _)| Write::Delete { key, cond: None })
            .collect();
        if old.dispute_id.is_some() {
            w.extend(self.flag_invoices(r, false, &actor.user.id).await?);
        }
        let closing = Some("closed: the report left review".to_string());
        if let Some(id) = old.dispute_id.as_deref().filter(|d| Some(*d) != deciding) {
            let d0 = self.dispute(id).await?;
            let mut d = d0.clone();
            d.status = CaseStatus::Rejected;
            d.decided_by = Some(actor.user.id.clone());
            d.decision_note = closing.clone();
            d.version += 1;
            w.push(Write::Put {
                item: dispute_item(&d)?,
                cond: Some(Cond::version(d0.version)),
            });
            w.push(stats_write(&[("disputes_open", -1)]));
        }
        if let Some(id) = old
            .edit_request_id
            .as_deref()
            .filter(|e| Some(*e) != deciding)
        {
            let e0 = self.edit_request(id).await?;
            let mut e = e0.clone();
            e.status = CaseStatus::Rejected;
            e.decided_by = Some(actor.user.id.clone());
            e.decision_note = closing.clone();
            e.version += 1;
            w.push(Write::Put {
                item: edit_item(&e)?,
                cond: Some(Cond::version(e0.version)),
            });
            w.push(stats_write(&[("edit_requests_open", -1)]));
        }
        Ok(w)
    }

    /// A dispute or edit request of a report is decided only while the
    /// report is open, and a referred report's only by the senior team.
    fn may_decide(actor: &Actor, r: &Report) -> Result<()> {
        if !r.status.is_open() {
            return Err(Error::conflict(format!(
                "the report is {}",
                r.status.as_str()
            )));
        }
        if r.status == ReportStatus::Referred
            && !matches!(actor.user.role, Role::AdminSenior | Role::AdminSuper)
        {
            return Err(Error::Forbidden(
                "a referred report is decided by the senior team".into(),
            ));
        }
        Ok(())
    }

    /// `POST /v1/registry/reports/{id}/paid` (reporting business): marks
    /// invoices paid; an approved report's listing, the company's totals
    /// and rating change in the same transaction. 422 naming an unknown
    /// `invoice_numbers[i]`; 409 for a report no longer open.
    pub async fn mark_report_paid(&self, actor: &Actor, id: &str, m: MarkPaid) -> Result<Report> {
        let bid = actor.business_id()?.to_string();
        self.retrying(|| async {
            let old = self.report(id).await?;
            if old.reporter_business_id != bid {
                return Err(Error::NotFound("report"));
            }
            if !old.status.is_open() {
                return Err(Error::conflict(format!(
                    "the report is {}",
                    old.status.as_str()
                )));
            }
            let now = self.clock.now();
            let mut r = old.clone();
            match &m.invoice_numbers {
                None => r.invoices.iter_mut().for_each(|i| {
                    if !i.paid {
                        i.paid = true;
                        i.paid_at = Some(now);
                    }
                }),
                Some(nums) => {
                    let mut errs = Errors::default();
                    for (k, n) in nums.iter().enumerate() {
                        match r.invoices.iter_mut().find(|i| &i.number == n) {
                            Some(i) if !i.paid => {
                                i.paid = true;
                                i.paid_at = Some(now);
                            }
                            Some(_) => {}
                            None => errs.push(
                                &format!("invoice_numbers[{k}]"),
                                "unknown_invoice",
                                "not an invoice of this report",
                            ),
                        }
                    }
                    errs.finish()?;
                }
            }
            if r.invoices
                .iter()
                .zip(&old.invoices)
                .all(|(a, b)| a.paid == b.paid)
            {
                return Err(Error::conflict("those invoices are already marked paid"));
            }
            r.settle_payment_status();
            let status = r.status;
            r.event(Some(actor), "paid", status, None, now);
            let mut w = self.report_writes(&old, &mut r)?;
            if r.status == ReportStatus::Approved {
                w.extend(
                    self.restate_company(&r.company_id, ListingChange::Put(r.listing()), 0)
                        .await?,
                );
            }
            w.push(self.audit_write(
                Some(actor),
                "report.paid",
                "report",
                &r.id,
                Some(serde_json::to_value(old.row()).unwrap_or_default()),
                Some(serde_json::to_value(r.row()).unwrap_or_default()),
                None,
            )?);
            self.commit_writes(w, r).await
        })
        .await
    }

    // ---------------------------------------------------------- admin queue

    /// `GET /v1/admin/transactions`: reports by status (default `pending`),
    /// or of one reporter or company, newest first.
    pub async fn admin_reports(&self, actor: &Actor, f: ReportFilter) -> Result<Page<ReportRow>> {
        actor.require_admin()?;
        let limit = page_limit(f.limit, 20, 100)?;
        let status = f
            .status
            .as_deref()
            .map(|s| ReportStatus::parse("status", s))
            .transpose()?;
        let q = if let Some(b) = &f.business_id {
            Query::new(Index::Gsi2, keys::reports_by_reporter_pk(b))
        } else if let Some(c) = &f.company_id {
            Query::new(Index::Gsi3, keys::reports_by_company_pk(c))
        } else {
            Query::new(
                Index::Gsi1,
                keys::reports_by_status_pk(status.unwrap_or(ReportStatus::Pending).as_str()),
            )
        }
        .descending()
        .limit(limit);
        let binding = format!(
            "admin-reports|{:?}|{:?}|{:?}|{:?}",
            status, f.payment_status, f.business_id, f.company_id
        );
        let page: Page<Report> = self
            .query_page(q, &binding, f.cursor.as_deref(), |r: &Report| {
                status.is_none_or(|s| s == r.status)
                    && f.payment_status.is_none_or(|p| p == r.payment_status)
            })
            .await?;
        Ok(Page {
            items: page.items.iter().map(Report::row).collect(),
            next_cursor: page.next_cursor,
        })
    }

    /// `GET /v1/admin/transactions/{id}`: the report with document links,
    /// history, and its open dispute and edit request.
    pub async fn admin_report(&self, actor: &Actor, id: &str) -> Result<ReportDetail> {
        actor.require_admin()?;
        self.get_report(actor, id).await
    }

    /// `POST /v1/admin/transactions/{id}/actions`: `approve`, `in_process`,
    /// `refer` or `reject`. L1 acts on pending and in-process reports; a
    /// referred one is decided by `admin_senior` or `admin_super` (403 for
    /// L1). 409 for a report already decided. Approving lists the report.
    pub async fn act_on_report(&self, actor: &Actor, id: &str, a: ActionInput) -> Result<Report> {
        actor.require_admin()?;
        let mut errs = Errors::default();
        let note = opt_note(&mut errs, "note", a.note.as_deref(), 1000);
        errs.finish()?;
        self.retrying(|| async {
            let old = self.report(id).await?;
            let senior = matches!(actor.user.role, Role::AdminSenior | Role::AdminSuper);
            match old.status {
                ReportStatus::Pending | ReportStatus::InProcess => {}
                ReportStatus::Referred if senior => {}
                ReportStatus::Referred => {
                    return Err(Error::Forbidden(
                        "a referred report is decided by the senior team".into(),
                    ));
                }
                s => {
                    return Err(Error::conflict(format!(
                        "the report is already {}",
                        s.as_str()
                    )));
                }
            }
            let to = match a.action {
                ReportAction::Approve => ReportStatus::Approved,
                ReportAction::InProcess => ReportStatus::InProcess,
                ReportAction::Refer => ReportStatus::Referred,
                ReportAction::Reject => ReportStatus::Rejected,
            };
            if to == old.status {
                return Err(Error::conflict(format!(
                    "the report is already {}",
                    to.as_str()
                )));
            }
            let now = self.clock.now();
            let mut r = old.clone();
            let verb = match a.action {
                ReportAction::Approve => "approve",
                ReportAction::InProcess => "in_process",
                ReportAction::Refer => "refer",
                ReportAction::Reject => "reject",
            };
            r.event(Some(actor), verb, to, note.clone(), now);
            if to == ReportStatus::Approved {
                r.approved_at = Some(now);
            }
            if to == ReportStatus::Rejected {
                r.dispute_id = None;
                r.edit_request_id = None;
                r.settle_payment_status();
            }
            let mut w = self.report_writes(&old, &mut r)?;
            match to {
                ReportStatus::Approved => w.extend(
                    self.restate_company(&r.company_id, ListingChange::Put(r.listing()), 0)
                        .await?,
                ),
                ReportStatus::Rejected => w.extend(self.leave_review(&old, &r, None, actor).await?),
                _ => {}
            }
            w.push(self.audit_write(
                Some(actor),
                &format!("report.{verb}"),
                "report",
                &r.id,
                Some(serde_json::json!({ "status": old.status })),
                Some(serde_json::json!({ "status": r.status })),
                note.clone(),
            )?);
            self.commit_writes(w, r).await
        })
        .await
    }

    // -------------------------------------------------------------- disputes

    async fn dispute(&self, id: &str) -> Result<Dispute> {
        self.get_as(&keys::dispute(id))
            .await?
            .ok_or(Error::NotFound("dispute"))
    }

    async fn edit_request(&self, id: &str) -> Result<EditRequest> {
        self.get_as(&keys::edit_request(id))
            .await?
            .ok_or(Error::NotFound("edit request"))
    }

    /// Sets or clears the `disputed` flag of a report's in-system invoices
    /// (their status shows `disputed` while set), with their history and
    /// the business's aggregates.
    async fn flag_invoices(&self, r: &Report, disputed: bool, by: &str) -> Result<Vec<Write>> {
        let mut w = vec![];
        let mut deltas = crate::aggregates::Deltas::default();
        for i in &r.invoices {
            let Some(id) = &i.invoice_id else { continue };
            let old = self.invoice_of(&r.reporter_business_id, id).await?;
            if old.disputed == disputed || old.is_cancelled() {
                continue;
            }
            let mut inv = old.clone();
            inv.disputed = disputed;
            inv.version = old.version + 1;
            deltas.change(Some(&old), &inv);
            w.push(self.invoice_write(&inv, Some(old.version))?);
            w.push(self.event_write(
                &inv,
                by,
                if disputed {
                    "disputed"
                } else {
                    "dispute_closed"
                },
                format!("registry report {}", r.id),
            )?);
        }
        w.extend(deltas.into_writes());
        Ok(w)
    }

    /// `POST /v1/registry/reports/{id}/disputes`: the reported company's
    /// user disputes an open report; its invoices show `disputed` until an
    /// admin decides. 404 for anyone else; 409 when a dispute is open.
    pub async fn create_dispute(&self, actor: &Actor, id: &str, d: NewDispute) -> Result<Dispute> {
        let r0 = self.report(id).await?;
        if !Self::speaks_for(actor, &r0) {
            return Err(Error::NotFound("report"));
        }
        let mut errs = Errors::default();
        let reason = errs.check(validate::text("reason", &d.reason, 2000));
        let documents = self
            .documents(actor, &mut errs, d.documents.as_deref().unwrap_or(&[]))
            .await?;
        errs.finish()?;
        self.retrying(|| async {
            let old = self.report(id).await?;
            if !old.status.is_open() {
                return Err(Error::conflict(format!(
                    "the report is {}",
                    old.status.as_str()
                )));
            }
            if old.dispute_id.is_some() {
                return Err(Error::conflict("this report already has an open dispute"));
            }
            let now = self.clock.now();
            let dsp = Dispute {
                id: new_id("dsp"),
                report_id: old.id.clone(),
                company_id: old.company_id.clone(),
                raised_by: actor.user.id.clone(),
                reason: reason.clone().unwrap_or_default(),
                documents: documents.clone(),
                status: CaseStatus::Open,
                decision_note: None,
                decided_by: None,
                created_at: now,
                version: 1,
            };
            let mut r = old.clone();
            r.dispute_id = Some(dsp.id.clone());
            r.settle_payment_status();
            let status = r.status;
            r.event(Some(actor), "disputed", status, None, now);
            let mut w = vec![Write::Put {
                item: dispute_item(&dsp)?,
                cond: Some(Cond::NotExists),
            }];
            w.extend(self.report_writes(&old, &mut r)?);
            w.extend(self.flag_invoices(&r, true, &actor.user.id).await?);
            if r.status == ReportStatus::Approved {
                w.extend(
                    self.restate_company(&r.company_id, ListingChange::Put(r.listing()), 0)
                        .await?,
                );
            }
            w.push(stats_write(&[("disputes_open", 1)]));
            w.push(self.audit_write(
                Some(actor),
                "dispute.create",
                "report",
                &r.id,
                None,
                Some(serde_json::to_value(&dsp).unwrap_or_default()),
                reason.clone(),
            )?);
            self.commit_writes(w, dsp).await
        })
        .await
    }

    /// `GET /v1/admin/disputes`: the dispute queue by status, oldest first.
    pub async fn admin_disputes(&self, actor: &Actor, f: CaseFilter) -> Result<Page<Dispute>> {
        actor.require_admin()?;
        let status = case_status(f.status.as_deref())?;
        let limit = page_limit(f.limit, 20, 100)?;
        let q = Query::new(Index::Gsi1, keys::disputes_by_status_pk(status.as_str())).limit(limit);
        self.query_page(
            q,
            &format!("disputes|{}", status.as_str()),
            f.cursor.as_deref(),
            |_: &Dispute| true,
        )
        .await
    }

    /// `POST /v1/admin/disputes/{id}/actions`: `approve` upholds the
    /// dispute (the report is removed from the registry, counted as a
    /// wrongly raised default of the reporter, and the company's rating
    /// gains); `reject` dismisses it (the invoices are no longer
    /// `disputed`). 409 when already decided.
    pub async fn decide_dispute(&self, actor: &Actor, id: &str, d: Decision) -> Result<Dispute> {
        actor.require_admin()?;
        let mut errs = Errors::default();
        let note = opt_note(&mut errs, "note", d.note.as_deref(), 1000);
        errs.finish()?;
        self.retrying(|| async {
            let old_d = self.dispute(id).await?;
            if old_d.status != CaseStatus::Open {
                return Err(Error::conflict("this dispute is already decided"));
            }
            let old = self.report(&old_d.report_id).await?;
            Self::may_decide(actor, &old)?;
            let now = self.clock.now();
            let mut dsp = old_d.clone();
            dsp.decided_by = Some(actor.user.id.clone());
            dsp.decision_note = note.clone();
            dsp.version += 1;
            let mut r = old.clone();
            r.dispute_id = None;
            let mut w = vec![];
            let upheld = d.action == DecisionAction::Approve;
            if upheld {
                dsp.status = CaseStatus::Approved;
                r.edit_request_id = None;
                r.settle_payment_status();
                r.event(Some(actor), "dispute_upheld", ReportStatus::Removed, note.clone(), now);
                w.extend(self.report_writes(&old, &mut r)?);
                w.extend(self.leave_review(&old, &r, Some(&dsp.id), actor).await?);
                let change = if old.status == ReportStatus::Approved {
                    ListingChange::Remove(r.id.clone())
                } else {
                    ListingChange::None
                };
                w.extend(self.restate_company(&r.company_id, change, 1).await?);
                w.extend(self.wrong_report_writes(&r.reporter_business_id, now).await?);
            } else {
                dsp.status = CaseStatus::Rejected;
                r.settle_payment_status();
                let status = r.status;
                r.event(Some(actor), "dispute_dismissed", status, note.clone(), now);
                w.extend(self.report_writes(&old, &mut r)?);
                w.extend(self.flag_invoices(&r, false, &actor.user.id).await?);
                if r.status == ReportStatus::Approved {
                    w.extend(
                        self.restate_company(&r.company_id, ListingChange::Put(r.listing()), 0)
                            .await?,
                    );
                }
            }
            w.push(Write::Put {
                item: dispute_item(&dsp)?,
                cond: Some(Cond::version(old_d.version)),
            });
            w.push(stats_write(&[("disputes_open", -1)]));
            w.push(self.audit_write(
                Some(actor),
                if upheld { "dispute.uphold" } else { "dispute.dismiss" },
                "report",
                &r.id,
                Some(serde_json::json!({ "status": old.status, "payment_status": old.payment_status })),
                Some(serde_json::json!({ "status": r.status, "payment_status": r.payment_status, "dispute_id": dsp.id })),
                note.clone(),
            )?);
            self.commit_writes(w, dsp).await
        })
        .await
    }

    // --------------------------------------------------------- edit requests

    /// `POST /v1/registry/reports/{id}/edit-requests` (reporting business
    /// owner): asks to withdraw or correct an open report. 409 when one is
    /// open; 422 naming a bad `corrections[i]`.
    pub async fn create_edit_request(
        &self,
        actor: &Actor,
        id: &str,
        e: NewEditRequest,
    ) -> Result<EditRequest> {
        let bid = actor.owned_business_id()?.to_string();
        let r0 = self.report(id).await?;
        if r0.reporter_business_id != bid {
            return Err(Error::NotFound("report"));
        }
        let mut errs = Errors::default();
        let reason = errs.check(validate::text("reason", &e.reason, 2000));
        let corrections = e.corrections.clone().unwrap_or_default();
        match e.kind {
            EditKind::Withdraw if !corrections.is_empty() => errs.push(
                "corrections",
                "not_allowed",
                "a withdrawal has no corrections",
            ),
            EditKind::Correct if corrections.is_empty() => {
                errs.push("corrections", "required", "the new amounts")
            }
            _ => {}
        }
        for (k, c) in corrections.iter().enumerate() {
            if !r0.invoices.iter().any(|i| i.number == c.number) {
                errs.push(
                    &format!("corrections[{k}].number"),
                    "unknown_invoice",
                    "not an invoice of this report",
                );
            }
            if !(0..=MAX_REPORTED_PAISE).contains(&c.amount_paise) {
                errs.push(
                    &format!("corrections[{k}].amount_paise"),
                    "out_of_range",
                    "0 to 10^12 paise",
                );
            }
        }
        errs.finish()?;
        self.retrying(|| async {
            let old = self.report(id).await?;
            if !old.status.is_open() {
                return Err(Error::conflict(format!(
                    "the report is {}",
                    old.status.as_str()
                )));
            }
            if old.edit_request_id.is_some() {
                return Err(Error::conflict(
                    "this report already has an open edit request",
                ));
            }
            let now = self.clock.now();
            let edr = EditRequest {
                id: new_id("edr"),
                report_id: old.id.clone(),
                business_id: bid.clone(),
                kind: e.kind,
                reason: reason.clone().unwrap_or_default(),
                corrections: corrections.clone(),
                status: CaseStatus::Open,
                raised_by: actor.user.id.clone(),
                decision_note: None,
                decided_by: None,
                created_at: now,
                version: 1,
            };
            let mut r = old.clone();
            r.edit_request_id = Some(edr.id.clone());
            let status = r.status;
            r.event(Some(actor), "edit_requested", status, None, now);
            let mut w = vec![Write::Put {
                item: edit_item(&edr)?,
                cond: Some(Cond::NotExists),
            }];
            w.extend(self.report_writes(&old, &mut r)?);
            w.push(stats_write(&[("edit_requests_open", 1)]));
            w.push(self.audit_write(
                Some(actor),
                "edit_request.create",
                "report",
                &r.id,
                None,
                Some(serde_json::to_value(&edr).unwrap_or_default()),
                reason.clone(),
            )?);
            self.commit_writes(w, edr).await
        })
        .await
    }

    /// `GET /v1/admin/edit-requests`: the edit-request queue by status,
    /// oldest first.
    pub async fn admin_edit_requests(
        &self,
        actor: &Actor,
        f: CaseFilter,
    ) -> Result<Page<EditRequest>> {
        actor.require_admin()?;
        let status = case_status(f.status.as_deref())?;
        let limit = page_limit(f.limit, 20, 100)?;
        let q = Query::new(
            Index::Gsi1,
            keys::edit_requests_by_status_pk(status.as_str()),
        )
        .limit(limit);
        self.query_page(
            q,
            &format!("edit-requests|{}", status.as_str()),
            f.cursor.as_deref(),
            |_: &EditRequest| true,
        )
        .await
    }

    /// `POST /v1/admin/edit-requests/{id}/actions`: `approve` withdraws the
    /// report (removed from the registry; a wrongly raised default of the
    /// reporter, who is disabled on reaching the limit) or applies the
    /// corrections; `reject` leaves the report as it is.
    pub async fn decide_edit_request(
        &self,
        actor: &Actor,
        id: &str,
        d: Decision,
    ) -> Result<EditRequest> {
        actor.require_admin()?;
        let mut errs = Errors::default();
        let note = opt_note(&mut errs, "note", d.note.as_deref(), 1000);
        errs.finish()?;
        self.retrying(|| async {
            let old_e = self.edit_request(id).await?;
            if old_e.status != CaseStatus::Open {
                return Err(Error::conflict("this edit request is already decided"));
            }
            let old = self.report(&old_e.report_id).await?;
            Self::may_decide(actor, &old)?;
            let now = self.clock.now();
            let mut edr = old_e.clone();
            edr.decided_by = Some(actor.user.id.clone());
            edr.decision_note = note.clone();
            edr.version += 1;
            let mut r = old.clone();
            r.edit_request_id = None;
            let mut w = vec![];
            let approve = d.action == DecisionAction::Approve;
            let action = match (approve, edr.kind) {
                (true, EditKind::Withdraw) => {
                    edr.status = CaseStatus::Approved;
                    r.dispute_id = None;
                    r.settle_payment_status();
                    r.event(Some(actor), "withdrawn", ReportStatus::Withdrawn, note.clone(), now);
                    w.extend(self.report_writes(&old, &mut r)?);
                    w.extend(self.leave_review(&old, &r, Some(&edr.id), actor).await?);
                    if old.status == ReportStatus::Approved {
                        w.extend(
                            self.restate_company(&r.company_id, ListingChange::Remove(r.id.clone()), 0)
                                .await?,
                        );
                    }
                    w.extend(self.wrong_report_writes(&r.reporter_business_id, now).await?);
                    "edit_request.approve_withdrawal"
                }
                (true, EditKind::Correct) => {
                    edr.status = CaseStatus::Approved;
                    for c in &edr.corrections {
                        if let Some(i) = r.invoices.iter_mut().find(|i| i.number == c.number) {
                            i.amount_paise = c.amount_paise;
                        }
                    }
                    r.settle_payment_status();
                    let status = r.status;
                    r.event(Some(actor), "corrected", status, note.clone(), now);
                    w.extend(self.report_writes(&old, &mut r)?);
                    if r.status == ReportStatus::Approved {
                        w.extend(
                            self.restate_company(&r.company_id, ListingChange::Put(r.listing()), 0)
                                .await?,
                        );
                    }
                    "edit_request.approve_correction"
                }
                (false, _) => {
                    edr.status = CaseStatus::Rejected;
                    let status = r.status;
                    r.event(Some(actor), "edit_rejected", status, note.clone(), now);
                    w.extend(self.report_writes(&old, &mut r)?);
                    "edit_request.reject"
                }
            };
            w.push(Write::Put {
                item: edit_item(&edr)?,
                cond: Some(Cond::version(old_e.version)),
            });
            w.push(stats_write(&[("edit_requests_open", -1)]));
            w.push(self.audit_write(
                Some(actor),
                action,
                "report",
                &r.id,
                Some(serde_json::json!({ "status": old.status, "amount_paise": old.amount_paise })),
                Some(serde_json::json!({ "status": r.status, "amount_paise": r.amount_paise, "edit_request_id": edr.id })),
                note.clone(),
            )?);
            self.commit_writes(w, edr).await
        })
        .await
    }

    // ------------------------------------------------- wrong-report record

    /// The writes that count one wrongly raised default against a business
    /// and, on reaching the limit, disable it (with its audit entry).
    async fn wrong_report_writes(&self, business_id: &str, now: Timestamp) -> Result<Vec<Write>> {
        let key = keys::reporter_record(business_id);
        let old: Option<ReporterRecord> = self.get_as(&key).await?;
        let business = self.business_of(business_id).await?;
        let mut rec = old.clone().unwrap_or_default();
        rec.business_id = business_id.into();
        rec.business_name = business.name.clone();
        rec.wrong += 1;
        rec.last_wrong_at = Some(now);
        rec.version += 1;
        let mut item = to_item("reporter_record", &key, &rec)?;
        item.insert("GSI1PK".into(), keys::WRONG_REPORTS_PK.into());
        item.insert(
            "GSI1SK".into(),
            format!("{:08}#{}", rec.wrong, business_id).into(),
        );
        let mut w = vec![Write::Put {
            item,
            cond: Some(match &old {
                Some(o) => Cond::version(o.version),
                None => Cond::NotExists,
            }),
        }];
        if rec.wrong >= self.wrong_report_limit() && business.status == BusinessStatus::Active {
            let mut b = business.clone();
            b.status = BusinessStatus::Disabled;
            b.disabled_reason = Some(format!(
                "{} wrongly raised defaults (limit {})",
                rec.wrong,
                self.wrong_report_limit()
            ));
            b.version = business.version + 1;
            w.push(self.business_write(&b, Some(business.version))?);
            w.push(self.audit_write(
                None,
                "business.disable",
                "business",
                business_id,
                Some(serde_json::json!({ "status": "active" })),
                Some(serde_json::json!({ "status": "disabled" })),
                b.disabled_reason.clone(),
            )?);
        }
        Ok(w)
    }

    /// Commits writes; a lost race (a version or a transaction conflict)
    /// is `Ok(None)` for [`Hisaab::retrying`].
    async fn commit_writes<T>(&self, w: Vec<Write>, value: T) -> Result<Option<T>> {
        match self.table.transact(merge_stats(w)).await {
            Ok(()) => Ok(Some(value)),
            Err(TableError::ConditionFailed { .. } | TableError::Contention) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
