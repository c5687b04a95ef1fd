//! Default reports: what one is, who may see what of it, the reporter's
//! list, and marking its invoices paid.

use crate::app::{Hisaab, to_item};
use crate::error::{Error, Errors, Result};
use crate::identity::{Actor, Role};
use crate::keys;
use crate::paging::{Page, page_limit};
use crate::registry::cases::{CaseStatus, Dispute, EditRequest, dispute_item, edit_item};
use crate::registry::listings::{Listing, ListingChange, PaymentStatus, ReportedInvoice};
use crate::registry::uploads::Document;
use crate::stats::stats_write;
use crate::table::{Cond, Item, Query, Write};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Most history entries kept on a report (the oldest are dropped).
const MAX_HISTORY: usize = 100;

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

    pub(crate) fn parse(field: &str, s: &str) -> Result<ReportStatus> {
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

/// Where a report's invoices come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportSource {
    /// Invoices of the reporter's own books in Hisaab.
    Invoices,
    /// An invoice outside the system, with documents.
    External,
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
    pub(crate) fn row(&self) -> ReportRow {
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
    pub(crate) fn claims(&self) -> Vec<(crate::table::Key, String)> {
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

    pub(crate) fn listing(&self) -> Listing {
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

    pub(crate) fn event(
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
    pub(crate) fn settle_payment_status(&mut self) {
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

pub(crate) fn report_item(r: &Report) -> Result<Item> {
    let sk = format!("{}#{}", r.created_at, r.id);
    let mut item = to_item("report", &keys::report(&r.id), r)?;
    keys::reports_by_status(r.status.as_str())
        .at(sk.clone())
        .set_on(&mut item);
    keys::reports_by_reporter(&r.reporter_business_id)
        .at(sk.clone())
        .set_on(&mut item);
    keys::reports_by_company(&r.company_id)
        .at(sk)
        .set_on(&mut item);
    Ok(item)
}

/// `POST /v1/registry/reports/{id}/paid`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkPaid {
    /// The invoice numbers paid; all when absent.
    pub invoice_numbers: Option<Vec<String>>,
}

/// Paging of `GET /v1/registry/about-me`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AboutMeFilter {
    /// Page size, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
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
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// From the previous page.
    pub cursor: Option<String>,
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

pub(crate) fn status_counter(s: ReportStatus) -> String {
    format!("reports_{}", s.as_str())
}

impl Hisaab {
    /// Sets or clears the `disputed` flag of a report's in-system invoices
    /// (their status shows `disputed` while set), with their history and
    /// the business's aggregates.
    pub(crate) async fn flag_invoices(
        &self,
        r: &Report,
        disputed: bool,
        by: &str,
    ) -> Result<Vec<Write>> {
        let mut w = vec![];
        let mut deltas = crate::ledger::aggregates::Deltas::default();
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

    /// The writes for a report leaving review (rejected, withdrawn, or
    /// removed on an upheld dispute), given the report as read (`old`) and
    /// as it will be (`r`): its in-system invoices are freed to be reported
    /// again (each claim only if it is still this report's) and lose their
    /// `disputed` flag, and any other open dispute or edit request of it
    /// (not `deciding`) is closed as rejected.
    pub(crate) async fn leave_review(
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
    pub(crate) fn may_decide(actor: &Actor, r: &Report) -> Result<()> {
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

    pub(crate) async fn report(&self, id: &str) -> Result<Report> {
        self.get_as(&keys::report(id))
            .await?
            .ok_or(Error::NotFound("report"))
    }

    /// Whether the caller speaks for the company reported in `r`: their
    /// verified phone is the debtor's phone the reporter gave. A phone that
    /// another business typed in for the same company does not count.
    pub(crate) fn speaks_for(actor: &Actor, r: &Report) -> bool {
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
            if let Some(a) = &mut d.answer {
                self.with_links(&mut a.documents).await?;
            }
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

    /// `GET /v1/registry/about-me`: the reports that name the caller's
    /// verified phone as the debtor's (any role; an unverified phone gets
    /// 403), newest first, as the reported company sees them — the same
    /// reports `GET /v1/registry/reports/{id}` shows the caller. One query
    /// of the phone's pointers, then each report by key.
    pub async fn reports_about_me(
        &self,
        actor: &Actor,
        f: AboutMeFilter,
    ) -> Result<Page<ReportRow>> {
        if !actor.user.phone_verified {
            return Err(Error::Forbidden(
                "verify your phone to see the reports that name it".into(),
            ));
        }
        let limit = page_limit(f.limit, 20, 100)?;
        let phone = actor.user.phone.clone();
        let q = Query::on(keys::reports_about_phone(&phone))
            .descending()
            .limit(limit);
        let page: Page<serde_json::Value> = self
            .query_page(q, &format!("about-me|{phone}"), f.cursor.as_deref(), |_| {
                true
            })
            .await?;
        let mut items = vec![];
        for p in &page.items {
            let Some(id) = p.get("report_id").and_then(|v| v.as_str()) else {
                continue;
            };
            let r = self.report(id).await?;
            if Self::speaks_for(actor, &r) {
                items.push(r.for_company().row());
            }
        }
        Ok(Page {
            items,
            next_cursor: page.next_cursor,
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
        let q = Query::on(keys::reports_by_reporter(&bid))
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
    pub(crate) fn report_writes(&self, old: &Report, new: &mut Report) -> Result<Vec<Write>> {
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

    /// `POST /v1/registry/reports/{id}/paid` (reporting business): marks
    /// invoices paid; an approved report's listing, the company's totals
    /// and rating change in the same transaction. 422 naming an unknown
    /// `invoice_numbers[i]`; 409 for a report no longer open.
    pub async fn mark_report_paid(&self, actor: &Actor, id: &str, m: MarkPaid) -> Result<Report> {
        let bid = actor.owned_business_id()?.to_string();
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
}
