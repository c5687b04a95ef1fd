//! Filing a default report, from overdue invoices of the books or from an
//! outside invoice, and telling the reported company.

use crate::app::{Hisaab, to_item};
use crate::companies::CompanyFacts;
use crate::error::{Error, Errors, FieldError, Result};
use crate::identity::Actor;
use crate::ids::new_id;
use crate::keys;
use crate::registry::listings::PaymentStatus;
use crate::registry::listings::ReportedInvoice;
use crate::registry::opt_note;
use crate::registry::reports::{
    Report, ReportEvent, ReportSource, ReportStatus, report_item, status_counter,
};
use crate::registry::uploads::DocumentRef;
use crate::stats::stats_write;
use crate::table::{Cond, Write};
use crate::validate::{self, Phone};
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::BTreeSet;
use utoipa::ToSchema;

/// Most invoices in one report.
/// (15 keeps the largest change of a report, a withdrawal while disputed:
/// per invoice its claim, flag, history entry and aggregate, plus about 20
/// other writes, inside one transaction of at most 100 writes.)
pub const MAX_REPORT_INVOICES: usize = 15;

/// Largest amount of one reported invoice: 10¹² paise (₹1,000 crore).
pub const MAX_REPORTED_PAISE: i64 = 1_000_000_000_000;

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

impl Hisaab {
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
                writes.push(Write::Put {
                    item: report_item(&r)?,
                    cond: Some(Cond::NotExists),
                });
                if let Some(phone) = &r.debtor_phone {
                    writes.push(Write::Put {
                        item: to_item(
                            "report_pointer",
                            &keys::report_about_phone(phone, &r.id),
                            &serde_json::json!({ "report_id": r.id }),
                        )?,
                        cond: Some(Cond::NotExists),
                    });
                }
                // The index of the first claim, to name a claimed invoice.
                let claims_from = writes.len();
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
                    attrs: vec![("entity".into(), "reporter_record".into())],
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
                self.commit_create(&actor.user.id, idem.as_ref(), writes, r, |idx| {
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

    /// Tells the reported company of a new report (see
    /// [`crate::registry::notices`]).
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
        self.tell(
            r,
            crate::registry::notices::Party::Company,
            "A payment default was reported to Hisaab",
            &body,
        )
        .await;
    }
}
