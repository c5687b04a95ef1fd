//! The admins' review queue of reports, and their actions on one.

use crate::app::Hisaab;
use crate::error::{Error, Errors, Result};
use crate::identity::{Actor, Role};
use crate::keys;
use crate::paging::{Page, page_limit};
use crate::registry::listings::ListingChange;
use crate::registry::opt_note;
use crate::registry::reports::{Report, ReportDetail, ReportFilter, ReportRow, ReportStatus};
use crate::table::Query;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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

impl Hisaab {
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
            Query::on(keys::reports_by_reporter(b))
        } else if let Some(c) = &f.company_id {
            Query::on(keys::reports_by_company(c))
        } else {
            Query::on(keys::reports_by_status(
                status.unwrap_or(ReportStatus::Pending).as_str(),
            ))
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
        let r = self
            .retrying(|| async {
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
                    ReportStatus::Rejected => {
                        w.extend(self.leave_review(&old, &r, None, actor).await?)
                    }
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
            .await?;
        match a.action {
            ReportAction::Approve => {
                self.tell_both(
                    &r.id,
                    Some("{reporter} reported unpaid invoices of Rs {amount} from {company}. The registry's reviewers approved the report and it is now listed in the Hisaab credit registry. If it is wrong, dispute it in the Hisaab app (report {id})."),
                    Some("Your report {id} against {company} (Rs {amount}) was approved and is now listed in the Hisaab credit registry."),
                )
                .await
            }
            ReportAction::Reject => {
                self.tell_both(
                    &r.id,
                    None,
                    Some("Your report {id} against {company} (Rs {amount}) was rejected by the registry's reviewers; it is not listed."),
                )
                .await
            }
            ReportAction::InProcess | ReportAction::Refer => {}
        }
        Ok(r)
    }
}
