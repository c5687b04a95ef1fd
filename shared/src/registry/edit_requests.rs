//! A reporter's request to correct or withdraw a report, and the admins'
//! decision.

use crate::app::Hisaab;
use crate::error::{Error, Errors, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::Actor;
use crate::ids::new_id;
use crate::keys;
use crate::paging::{Page, page_limit};
use crate::registry::cases::{
    AmountCorrection, CaseFilter, CaseStatus, Decision, DecisionAction, EditKind, EditRequest,
    case_status, edit_item,
};
use crate::registry::filing::MAX_REPORTED_PAISE;
use crate::registry::listings::ListingChange;
use crate::registry::opt_note;
use crate::registry::reports::ReportStatus;
use crate::stats::{merge_stats, stats_write};
use crate::table::{Cond, Query, Write};
use crate::validate::{self};
use serde::Deserialize;
use utoipa::ToSchema;

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

impl Hisaab {
    /// `POST /v1/registry/reports/{id}/edit-requests` (reporting business
    /// owner): asks to withdraw or correct an open report. 409 when one is
    /// open; 422 naming a bad `corrections[i]`. With an idempotency key, a
    /// retry returns the first answer (`true` in the second value).
    pub async fn create_edit_request(
        &self,
        actor: &Actor,
        id: &str,
        e: NewEditRequest,
        idem: Option<Idempotency>,
    ) -> Result<(EditRequest, bool)> {
        let bid = actor.owned_business_id()?.to_string();
        let r0 = self.report(id).await?;
        if r0.reporter_business_id != bid {
            return Err(Error::NotFound("report"));
        }
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
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
            self.commit_create(&actor.user.id, idem.as_ref(), merge_stats(w), edr, |_| None)
                .await
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
        let q = Query::on(keys::edit_requests_by_status(status.as_str())).limit(limit);
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
        let edr = self.retrying(|| async {
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
        .await?;
        let (company, reporter) = match (edr.status, edr.kind) {
            (CaseStatus::Approved, EditKind::Withdraw) => (
                "Report {id} by {reporter} was withdrawn from the Hisaab credit registry.",
                "Your report {id} against {company} was withdrawn, as you asked.",
            ),
            (CaseStatus::Approved, EditKind::Correct) => (
                "Report {id} by {reporter} was corrected in the Hisaab credit registry: it is now Rs {amount}.",
                "Your correction of report {id} against {company} was approved: it is now Rs {amount}.",
            ),
            _ => (
                "A request by {reporter} to change report {id} was declined: the report stands as it was.",
                "Your request to change report {id} against {company} was declined: the report stands as it was.",
            ),
        };
        self.tell_both(&edr.report_id, Some(company), Some(reporter))
            .await;
        Ok(edr)
    }
}
