//! What disputes and edit requests share: their status and decisions,
//! the invoices' `disputed` flag, and closing a report's open cases
//! when it leaves review.

use crate::app::{Hisaab, to_item};
use crate::error::{Error, Result};
use crate::keys;
use crate::registry::uploads::Document;
use crate::table::Item;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
    pub(crate) fn as_str(self) -> &'static str {
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
    /// The reporter's answer, for the admins who decide (at most one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<DisputeAnswer>,
    /// Version.
    pub version: i64,
}

/// The reporter's side of a dispute: what they say, with documents.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct DisputeAnswer {
    /// The answer (1–2000 characters).
    pub text: String,
    /// Supporting documents (at most four, one of each kind).
    pub documents: Vec<Document>,
    /// The reporter's user who answered.
    pub by: String,
    /// When (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
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
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// From the previous page.
    pub cursor: Option<String>,
}

pub(crate) fn case_status(raw: Option<&str>) -> Result<CaseStatus> {
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

pub(crate) fn dispute_item(d: &Dispute) -> Result<Item> {
    let mut item = to_item("dispute", &keys::dispute(&d.id), d)?;
    keys::disputes_by_status(d.status.as_str())
        .at(format!("{}#{}", d.created_at, d.id))
        .set_on(&mut item);
    Ok(item)
}

pub(crate) fn edit_item(e: &EditRequest) -> Result<Item> {
    let mut item = to_item("edit_request", &keys::edit_request(&e.id), e)?;
    keys::edit_requests_by_status(e.status.as_str())
        .at(format!("{}#{}", e.created_at, e.id))
        .set_on(&mut item);
    Ok(item)
}

impl Hisaab {
    pub(crate) async fn dispute(&self, id: &str) -> Result<Dispute> {
        self.get_as(&keys::dispute(id))
            .await?
            .ok_or(Error::NotFound("dispute"))
    }

    pub(crate) async fn edit_request(&self, id: &str) -> Result<EditRequest> {
        self.get_as(&keys::edit_request(id))
            .await?
            .ok_or(Error::NotFound("edit request"))
    }
}
