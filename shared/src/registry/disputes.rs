//! A reported company's dispute of a report, and the admins' decision.

use crate::app::Hisaab;
use crate::error::{Error, Errors, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::Actor;
use crate::ids::new_id;
use crate::keys;
use crate::paging::{Page, page_limit};
use crate::registry::cases::{
    CaseFilter, CaseStatus, Decision, DecisionAction, Dispute, DisputeAnswer, case_status,
    dispute_item,
};
use crate::registry::listings::ListingChange;
use crate::registry::opt_note;
use crate::registry::reports::ReportStatus;
use crate::registry::uploads::DocumentRef;
use crate::stats::{merge_stats, stats_write};
use crate::table::{Cond, Query, Write};
use crate::validate::{self};
use serde::Deserialize;
use utoipa::ToSchema;

/// `POST /v1/registry/reports/{id}/dispute/answer`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDisputeAnswer {
    /// What the reporter says of the dispute (1–2000 characters).
    pub text: String,
    /// Up to four documents (uploads of the caller).
    pub documents: Option<Vec<DocumentRef>>,
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

impl Hisaab {
    /// `POST /v1/registry/reports/{id}/disputes`: the reported company's
    /// user disputes an open report; its invoices show `disputed` until an
    /// admin decides. 404 for anyone else; 409 when a dispute is open.
    /// With an idempotency key, a retry returns the first answer (`true`
    /// in the second value): nothing is written and nobody told again.
    pub async fn create_dispute(
        &self,
        actor: &Actor,
        id: &str,
        d: NewDispute,
        idem: Option<Idempotency>,
    ) -> Result<(Dispute, bool)> {
        let r0 = self.report(id).await?;
        if !Self::speaks_for(actor, &r0) {
            return Err(Error::NotFound("report"));
        }
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
        let mut errs = Errors::default();
        let reason = errs.check(validate::text("reason", &d.reason, 2000));
        let documents = self
            .documents(actor, &mut errs, d.documents.as_deref().unwrap_or(&[]))
            .await?;
        errs.finish()?;
        let (dsp, replayed) = self
            .retrying(|| async {
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
                    answer: None,
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
                self.commit_create(&actor.user.id, idem.as_ref(), merge_stats(w), dsp, |_| None)
                    .await
            })
            .await?;
        if !replayed {
            self.tell_both(
                &dsp.report_id,
                None,
                Some("{company} disputes your report {id} (Rs {amount}). Answer the dispute in the Hisaab app; the registry's reviewers decide it."),
            )
            .await;
        }
        Ok((dsp, replayed))
    }

    /// `POST /v1/registry/reports/{id}/dispute/answer` (the reporter's
    /// owner): answers the report's open dispute once, with documents, for
    /// the admins who decide it; the report's history records it. 404 for
    /// other businesses' reports; 409 when there is no open dispute or it
    /// is answered already. With an idempotency key, a retry returns the
    /// first answer (`true` in the second value) instead of the 409.
    pub async fn answer_dispute(
        &self,
        actor: &Actor,
        id: &str,
        a: NewDisputeAnswer,
        idem: Option<Idempotency>,
    ) -> Result<(Dispute, bool)> {
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
        let text = errs.check(validate::text("text", &a.text, 2000));
        let documents = self
            .documents(actor, &mut errs, a.documents.as_deref().unwrap_or(&[]))
            .await?;
        errs.finish()?;
        self.retrying(|| async {
            let old = self.report(id).await?;
            let Some(dsp_id) = &old.dispute_id else {
                return Err(Error::conflict("the report has no open dispute"));
            };
            let old_d = self.dispute(dsp_id).await?;
            if old_d.answer.is_some() {
                return Err(Error::conflict("the dispute is answered already"));
            }
            let now = self.clock.now();
            let mut dsp = old_d.clone();
            dsp.answer = Some(DisputeAnswer {
                text: text.clone().unwrap_or_default(),
                documents: documents.clone(),
                by: actor.user.id.clone(),
                at: now,
            });
            dsp.version += 1;
            let mut r = old.clone();
            let status = r.status;
            r.event(Some(actor), "dispute_answered", status, None, now);
            let mut w = vec![Write::Put {
                item: dispute_item(&dsp)?,
                cond: Some(Cond::version(old_d.version)),
            }];
            w.extend(self.report_writes(&old, &mut r)?);
            w.push(self.audit_write(
                Some(actor),
                "dispute.answer",
                "report",
                &r.id,
                None,
                Some(serde_json::json!({ "dispute_id": dsp.id })),
                text.clone(),
            )?);
            self.commit_create(&actor.user.id, idem.as_ref(), merge_stats(w), dsp, |_| None)
                .await
        })
        .await
    }

    /// `GET /v1/admin/disputes`: the dispute queue by status, oldest first.
    pub async fn admin_disputes(&self, actor: &Actor, f: CaseFilter) -> Result<Page<Dispute>> {
        actor.require_admin()?;
        let status = case_status(f.status.as_deref())?;
        let limit = page_limit(f.limit, 20, 100)?;
        let q = Query::on(keys::disputes_by_status(status.as_str())).limit(limit);
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
        let dsp = self.retrying(|| async {
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
        .await?;
        if dsp.status == CaseStatus::Approved {
            self.tell_both(
                &dsp.report_id,
                Some("Your dispute of report {id} by {reporter} was upheld: the report is removed from the Hisaab credit registry."),
                Some("The dispute of your report {id} against {company} was upheld: the report is removed from the registry."),
            )
            .await;
        } else {
            self.tell_both(
                &dsp.report_id,
                Some("Your dispute of report {id} by {reporter} was dismissed: the report of Rs {amount} stands in the Hisaab credit registry."),
                Some("The dispute of your report {id} against {company} was dismissed: the report stands."),
            )
            .await;
        }
        Ok(dsp)
    }
}
