//! `/v1/registry` and `/v1/uploads`: the shared defaulter registry as
//! members use it — company search and pages, default reports, payments,
//! disputes and edit requests — and document uploads.

use crate::extract::{Auth, IdempotencyKey, JsonBody, OwnerAuth, QueryParams, answer, created};
use crate::problem::{ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Json, Response};
use hisaab::Hisaab;
use hisaab::paging::Page;
use hisaab::registry::cases::{Dispute, EditRequest};
use hisaab::registry::disputes::{NewDispute, NewDisputeAnswer};
use hisaab::registry::edit_requests::NewEditRequest;
use hisaab::registry::filing::NewReport;
use hisaab::registry::reports::{
    AboutMeFilter, MarkPaid, Report, ReportDetail, ReportFilter, ReportRow,
};
use hisaab::registry::search::{CompanyCard, CompanyDetail, CompanySearch};
use hisaab::registry::uploads::{NewUpload, Upload};

/// Searches the companies of the shared registry by name prefix, GSTIN, PAN or phone.
#[utoipa::path(get, path = "/v1/registry/companies", tag = "registry", security(("bearer" = [])),
    params(CompanySearch),
    responses((status = 200, body = Page<CompanyCard>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn search_companies(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(q): QueryParams<CompanySearch>,
) -> ApiResult<Json<Page<CompanyCard>>> {
    Ok(Json(app.search_companies(&actor, q).await?))
}

/// A company with its totals, credit rating and approved reports.
#[utoipa::path(get, path = "/v1/registry/companies/{company_id}", tag = "registry", security(("bearer" = [])),
    params(("company_id" = String, Path, example = "co_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q")),
    responses((status = 200, body = CompanyDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_company(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<CompanyDetail>> {
    Ok(Json(app.company_detail(&actor, &id).await?))
}

/// A slot for one supporting document: PUT the file to the returned URL.
/// With `Idempotency-Key`, a retry within 24 hours gets the first answer:
/// the same slot, whose link still ends at its `expires_at`.
#[utoipa::path(post, path = "/v1/uploads", tag = "registry", security(("bearer" = [])), request_body(content = NewUpload,
        example = json!({"content_type": "application/pdf", "size_bytes": 182044})),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 201, body = Upload), (status = 422, body = Problem)))]
pub async fn create_upload(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    idem: IdempotencyKey,
    body: JsonBody<NewUpload>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (u, replayed) = app.create_upload(&actor, body.value, idem).await?;
    Ok(created(u, replayed))
}

/// Reports a default: overdue invoices of a customer, or an outside invoice with documents. Starts `pending`.
#[utoipa::path(post, path = "/v1/registry/reports", tag = "registry", security(("bearer" = [])), request_body(content = NewReport,
        example = json!({"invoice_number": "TX-2291", "invoice_date": "2026-08-14", "due_date": "2026-09-13", "amount_due_paise": 8475000, "company": {"name": "Sharma Kirana Stores", "gstin": "27AAPFU0939F1ZV", "city": "Pune"}, "documents": [{"kind": "invoice_copy", "upload_id": "upl_01JD2QR9T1V3X5Z7B9D1F3H5K7"}]})),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 201, body = Report), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_report(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    idem: IdempotencyKey,
    body: JsonBody<NewReport>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (r, replayed) = app.create_report(&actor, body.value, idem).await?;
    Ok(created(r, replayed))
}

/// The reports the caller's business filed, newest first.
#[utoipa::path(get, path = "/v1/registry/reports", tag = "registry", security(("bearer" = [])),
    params(ReportFilter),
    responses((status = 200, body = Page<ReportRow>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_reports(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(f): QueryParams<ReportFilter>,
) -> ApiResult<Json<Page<ReportRow>>> {
    Ok(Json(app.list_my_reports(&actor, f).await?))
}

/// The reports that name the caller's verified phone as the debtor's,
/// newest first, as the reported company sees them (to follow and dispute
/// them).
#[utoipa::path(get, path = "/v1/registry/about-me", tag = "registry", security(("bearer" = [])),
    params(AboutMeFilter),
    responses((status = 200, body = Page<ReportRow>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn reports_about_me(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(f): QueryParams<AboutMeFilter>,
) -> ApiResult<Json<Page<ReportRow>>> {
    Ok(Json(app.reports_about_me(&actor, f).await?))
}

/// One report, for its reporter, the reported company and admins.
#[utoipa::path(get, path = "/v1/registry/reports/{report_id}", tag = "registry", security(("bearer" = [])),
    params(("report_id" = String, Path, example = "rpt_01JD2QK3M8N4P6R2T5V7X9Z1B3")),
    responses((status = 200, body = ReportDetail), (status = 404, body = Problem)))]
pub async fn get_report(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<ReportDetail>> {
    Ok(Json(app.get_report(&actor, &id).await?))
}

/// Marks reported invoices paid; totals and rating change at once.
#[utoipa::path(post, path = "/v1/registry/reports/{report_id}/paid", tag = "registry", security(("bearer" = [])), request_body(content = MarkPaid,
        example = json!({"invoice_numbers": ["TX-2291"]})),
    params(("report_id" = String, Path, example = "rpt_01JD2QK3M8N4P6R2T5V7X9Z1B3")),
    responses((status = 200, body = Report), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn mark_report_paid(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    Path(id): Path<String>,
    body: JsonBody<MarkPaid>,
) -> ApiResult<Json<Report>> {
    Ok(Json(app.mark_report_paid(&actor, &id, body.value).await?))
}

/// The reporter answers the report's open dispute (once, with documents)
/// for the admins who decide it. With `Idempotency-Key`, a retry within 24
/// hours gets the first answer instead of the 409 of a second one.
#[utoipa::path(post, path = "/v1/registry/reports/{report_id}/dispute/answer", tag = "registry", security(("bearer" = [])), request_body(content = NewDisputeAnswer,
        example = json!({"text": "The NEFT of 10 Sept was for an earlier invoice; statement attached", "documents": []})),
    params(("report_id" = String, Path, example = "rpt_01JD2QK3M8N4P6R2T5V7X9Z1B3"), ("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 200, body = Dispute), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn answer_dispute(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    idem: IdempotencyKey,
    Path(id): Path<String>,
    body: JsonBody<NewDisputeAnswer>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (d, replayed) = app.answer_dispute(&actor, &id, body.value, idem).await?;
    Ok(answer(StatusCode::OK, d, replayed))
}

/// The reported company disputes a report; its invoices show `disputed`.
/// With `Idempotency-Key`, a retry within 24 hours gets the first answer
/// and tells nobody again.
#[utoipa::path(post, path = "/v1/registry/reports/{report_id}/disputes", tag = "registry", security(("bearer" = [])), request_body(content = NewDispute,
        example = json!({"reason": "Paid by NEFT on 2026-09-10, UTR 0912345678", "documents": []})),
    params(("report_id" = String, Path, example = "rpt_01JD2QK3M8N4P6R2T5V7X9Z1B3"), ("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 201, body = Dispute), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_dispute(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    idem: IdempotencyKey,
    Path(id): Path<String>,
    body: JsonBody<NewDispute>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (d, replayed) = app.create_dispute(&actor, &id, body.value, idem).await?;
    Ok(created(d, replayed))
}

/// The reporter asks to withdraw or correct a report. With
/// `Idempotency-Key`, a retry within 24 hours gets the first answer.
#[utoipa::path(post, path = "/v1/registry/reports/{report_id}/edit-requests", tag = "registry", security(("bearer" = [])), request_body(content = NewEditRequest,
        example = json!({"kind": "withdraw", "reason": "Wrong company named: the buyer was Sharma Traders"})),
    params(("report_id" = String, Path, example = "rpt_01JD2QK3M8N4P6R2T5V7X9Z1B3"), ("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 201, body = EditRequest), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_edit_request(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    idem: IdempotencyKey,
    Path(id): Path<String>,
    body: JsonBody<NewEditRequest>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (e, replayed) = app
        .create_edit_request(&actor, &id, body.value, idem)
        .await?;
    Ok(created(e, replayed))
}
