//! `/v1/admin`: the platform administration API behind the admin console
//! — the review queue, disputes, edit requests, wrong-report metrics,
//! members, employees and the audit log. Every route is for admins only.

use crate::extract::{AdminAuth, IdempotencyKey, JsonBody, QueryParams, answer, created};
use crate::problem::{ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Json, Response};
use hisaab::Hisaab;
use hisaab::admin::{
    AuditFilter, BusinessFilter, LevelChange, NewEmployee, NewUser, PlatformStats, StatusNote,
    UserFilter, WrongReportRow,
};
use hisaab::dataops::exports::{AdminExport, AdminExportView, NewExport};
use hisaab::identity::audit::AuditEntry;
use hisaab::identity::{Business, BusinessStatus, UserStatus, UserView};
use hisaab::paging::Page;
use hisaab::registry::cases::{CaseFilter, Decision, Dispute, EditRequest};
use hisaab::registry::reports::{Report, ReportDetail, ReportFilter, ReportRow};
use hisaab::registry::review::ActionInput;
use hisaab::registry::search::{CompanyCard, CompanySearch};
use serde::Deserialize;
use utoipa::IntoParams;

/// Paging of a list without filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// From the previous page.
    pub cursor: Option<String>,
}

/// The review queue: reports by status (default `pending`), reporter or company.
#[utoipa::path(get, path = "/v1/admin/transactions", tag = "admin", security(("bearer" = [])),
    params(ReportFilter),
    responses((status = 200, body = Page<ReportRow>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn admin_transactions(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    QueryParams(f): QueryParams<ReportFilter>,
) -> ApiResult<Json<Page<ReportRow>>> {
    Ok(Json(app.admin_reports(&actor, f).await?))
}

/// A report with document links, history, dispute and edit request.
#[utoipa::path(get, path = "/v1/admin/transactions/{report_id}", tag = "admin", security(("bearer" = [])),
    params(("report_id" = String, Path, example = "rpt_01JD2QK3M8N4P6R2T5V7X9Z1B3")),
    responses((status = 200, body = ReportDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn admin_transaction(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<ReportDetail>> {
    Ok(Json(app.admin_report(&actor, &id).await?))
}

/// Approves, marks in process, refers or rejects a report.
#[utoipa::path(post, path = "/v1/admin/transactions/{report_id}/actions", tag = "admin", security(("bearer" = [])), request_body(content = ActionInput,
        example = json!({"action": "approve", "note": "Invoice copy and delivery proof match"})),
    params(("report_id" = String, Path, example = "rpt_01JD2QK3M8N4P6R2T5V7X9Z1B3")),
    responses((status = 200, body = Report), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn act_on_transaction(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    Path(id): Path<String>,
    body: JsonBody<ActionInput>,
) -> ApiResult<Json<Report>> {
    Ok(Json(app.act_on_report(&actor, &id, body.value).await?))
}

/// The dispute queue (default `open`).
#[utoipa::path(get, path = "/v1/admin/disputes", tag = "admin", security(("bearer" = [])),
    params(CaseFilter),
    responses((status = 200, body = Page<Dispute>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn admin_disputes(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    QueryParams(f): QueryParams<CaseFilter>,
) -> ApiResult<Json<Page<Dispute>>> {
    Ok(Json(app.admin_disputes(&actor, f).await?))
}

/// Upholds (`approve`) or dismisses (`reject`) a dispute.
#[utoipa::path(post, path = "/v1/admin/disputes/{dispute_id}/actions", tag = "admin", security(("bearer" = [])), request_body(content = Decision,
        example = json!({"action": "reject", "note": "No proof of payment"})),
    params(("dispute_id" = String, Path, example = "dsp_01JD2QM5P7R9T1V3X5Z7B9D1F3")),
    responses((status = 200, body = Dispute), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide_dispute(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    Path(id): Path<String>,
    body: JsonBody<Decision>,
) -> ApiResult<Json<Dispute>> {
    Ok(Json(app.decide_dispute(&actor, &id, body.value).await?))
}

/// The edit-request queue (default `open`).
#[utoipa::path(get, path = "/v1/admin/edit-requests", tag = "admin", security(("bearer" = [])),
    params(CaseFilter),
    responses((status = 200, body = Page<EditRequest>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn admin_edit_requests(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    QueryParams(f): QueryParams<CaseFilter>,
) -> ApiResult<Json<Page<EditRequest>>> {
    Ok(Json(app.admin_edit_requests(&actor, f).await?))
}

/// Grants (`approve`) or refuses (`reject`) an edit request.
#[utoipa::path(post, path = "/v1/admin/edit-requests/{edit_request_id}/actions", tag = "admin", security(("bearer" = [])), request_body(content = Decision,
        example = json!({"action": "approve", "note": "Confirmed with the reporter"})),
    params(("edit_request_id" = String, Path, example = "edr_01JD2QN6Q8S0U2W4Y6A8C0E2G4")),
    responses((status = 200, body = EditRequest), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide_edit_request(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    Path(id): Path<String>,
    body: JsonBody<Decision>,
) -> ApiResult<Json<EditRequest>> {
    Ok(Json(
        app.decide_edit_request(&actor, &id, body.value).await?,
    ))
}

/// Businesses by wrongly raised defaults, most first.
#[utoipa::path(get, path = "/v1/admin/metrics/wrong-reports", tag = "admin", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<WrongReportRow>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn wrong_report_metrics(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    QueryParams(p): QueryParams<PageQuery>,
) -> ApiResult<Json<Page<WrongReportRow>>> {
    Ok(Json(
        app.wrong_report_metrics(&actor, p.limit, p.cursor).await?,
    ))
}

/// Disables a business: its members are refused (senior team).
#[utoipa::path(post, path = "/v1/admin/businesses/{business_id}/disable", tag = "admin", security(("bearer" = [])), request_body(content = Option<StatusNote>,
        example = json!({"note": "Five wrong reports in a month"})),
    params(("business_id" = String, Path, example = "biz_01JD2QP7R9T1V3X5Z7B9D1F3H5")),
    responses((status = 200, body = Business), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn disable_business(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    Path(id): Path<String>,
    body: Option<JsonBody<StatusNote>>,
) -> ApiResult<Json<Business>> {
    let note = body.map(|b| b.value).unwrap_or_default();
    Ok(Json(
        app.set_business_status(&actor, &id, BusinessStatus::Disabled, note)
            .await?,
    ))
}

/// Enables a business again (senior team).
#[utoipa::path(post, path = "/v1/admin/businesses/{business_id}/enable", tag = "admin", security(("bearer" = [])), request_body(content = Option<StatusNote>,
        example = json!({"note": "Reviewed with the owner"})),
    params(("business_id" = String, Path, example = "biz_01JD2QP7R9T1V3X5Z7B9D1F3H5")),
    responses((status = 200, body = Business), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn enable_business(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    Path(id): Path<String>,
    body: Option<JsonBody<StatusNote>>,
) -> ApiResult<Json<Business>> {
    let note = body.map(|b| b.value).unwrap_or_default();
    Ok(Json(
        app.set_business_status(&actor, &id, BusinessStatus::Active, note)
            .await?,
    ))
}

/// Disables a user and ends their sessions (senior team).
#[utoipa::path(post, path = "/v1/admin/users/{user_id}/disable", tag = "admin", security(("bearer" = [])), request_body(content = Option<StatusNote>,
        example = json!({"note": "Abusive reports"})),
    params(("user_id" = String, Path, example = "usr_01JD2QQ8S0U2W4Y6A8C0E2G4J6")),
    responses((status = 200, body = UserView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn disable_user(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    Path(id): Path<String>,
    body: Option<JsonBody<StatusNote>>,
) -> ApiResult<Json<UserView>> {
    let note = body.map(|b| b.value).unwrap_or_default();
    Ok(Json(
        app.set_user_status(&actor, &id, UserStatus::Disabled, note)
            .await?,
    ))
}

/// Enables a user again (senior team).
#[utoipa::path(post, path = "/v1/admin/users/{user_id}/enable", tag = "admin", security(("bearer" = [])), request_body(content = Option<StatusNote>,
        example = json!({"note": "Reviewed"})),
    params(("user_id" = String, Path, example = "usr_01JD2QQ8S0U2W4Y6A8C0E2G4J6")),
    responses((status = 200, body = UserView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn enable_user(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    Path(id): Path<String>,
    body: Option<JsonBody<StatusNote>>,
) -> ApiResult<Json<UserView>> {
    let note = body.map(|b| b.value).unwrap_or_default();
    Ok(Json(
        app.set_user_status(&actor, &id, UserStatus::Active, note)
            .await?,
    ))
}

/// Dashboard counters: members, businesses, customers, companies, approved defaults, queues.
#[utoipa::path(get, path = "/v1/admin/stats", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = PlatformStats), (status = 403, body = Problem)))]
pub async fn admin_stats(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
) -> ApiResult<Json<PlatformStats>> {
    Ok(Json(app.platform_stats(&actor).await?))
}

/// Everyone who signed up or was added; search by name or phone, filter by role and status.
#[utoipa::path(get, path = "/v1/admin/users", tag = "admin", security(("bearer" = [])),
    params(UserFilter),
    responses((status = 200, body = Page<UserView>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn admin_users(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    QueryParams(f): QueryParams<UserFilter>,
) -> ApiResult<Json<Page<UserView>>> {
    Ok(Json(app.admin_users(&actor, f).await?))
}

/// Adds a business owner or a customer, who then logs in with an OTP.
/// With `Idempotency-Key`, a retry within 24 hours gets the first answer.
#[utoipa::path(post, path = "/v1/admin/users", tag = "admin", security(("bearer" = [])), request_body(content = NewUser,
        example = json!({"name": "Ravi Kumar", "phone": "+919812345678", "role": "owner", "business_name": "Ravi Dairy"})),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 201, body = UserView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn admin_add_user(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    idem: IdempotencyKey,
    body: JsonBody<NewUser>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (u, replayed) = app.admin_add_user(&actor, body.value, idem).await?;
    Ok(created(u, replayed))
}

/// Businesses by name, optionally one status.
#[utoipa::path(get, path = "/v1/admin/businesses", tag = "admin", security(("bearer" = [])),
    params(BusinessFilter),
    responses((status = 200, body = Page<Business>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn admin_businesses(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    QueryParams(f): QueryParams<BusinessFilter>,
) -> ApiResult<Json<Page<Business>>> {
    Ok(Json(app.admin_businesses(&actor, f).await?))
}

/// Companies of the registry by name, GSTIN, PAN or phone.
#[utoipa::path(get, path = "/v1/admin/companies", tag = "admin", security(("bearer" = [])),
    params(CompanySearch),
    responses((status = 200, body = Page<CompanyCard>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn admin_companies(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    QueryParams(q): QueryParams<CompanySearch>,
) -> ApiResult<Json<Page<CompanyCard>>> {
    Ok(Json(app.admin_companies(&actor, q).await?))
}

/// Every admin, by level.
#[utoipa::path(get, path = "/v1/admin/employees", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<UserView>), (status = 403, body = Problem)))]
pub async fn list_employees(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
) -> ApiResult<Json<Vec<UserView>>> {
    Ok(Json(app.list_employees(&actor).await?))
}

/// Adds an admin (super admin only). With `Idempotency-Key`, a retry
/// within 24 hours gets the first answer.
#[utoipa::path(post, path = "/v1/admin/employees", tag = "admin", security(("bearer" = [])), request_body(content = NewEmployee,
        example = json!({"name": "Meera Iyer", "phone": "+919876500011", "email": "meera@hisaab.example", "role": "admin_l1"})),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 201, body = UserView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_employee(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    idem: IdempotencyKey,
    body: JsonBody<NewEmployee>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (u, replayed) = app.add_employee(&actor, body.value, idem).await?;
    Ok(created(u, replayed))
}

/// Changes an admin's level (super admin only).
#[utoipa::path(patch, path = "/v1/admin/employees/{user_id}", tag = "admin", security(("bearer" = [])), request_body(content = LevelChange,
        example = json!({"role": "admin_senior"})),
    params(("user_id" = String, Path, example = "usr_01JD2QQ8S0U2W4Y6A8C0E2G4J6")),
    responses((status = 200, body = UserView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn change_employee_level(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    Path(id): Path<String>,
    body: JsonBody<LevelChange>,
) -> ApiResult<Json<UserView>> {
    Ok(Json(app.change_level(&actor, &id, body.value).await?))
}

/// Mails the user a password-reset link.
#[utoipa::path(post, path = "/v1/admin/users/{user_id}/password-reset", tag = "admin", security(("bearer" = [])),
    params(("user_id" = String, Path, example = "usr_01JD2QQ8S0U2W4Y6A8C0E2G4J6")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn admin_password_reset(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.admin_password_reset(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The audit log, newest first: by target, by admin, or all.
#[utoipa::path(get, path = "/v1/admin/audit", tag = "admin", security(("bearer" = [])),
    params(AuditFilter),
    responses((status = 200, body = Page<AuditEntry>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn audit_log(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    QueryParams(f): QueryParams<AuditFilter>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    Ok(Json(app.audit_log(&actor, f).await?))
}

/// Asks for an export of one business, one kind, or everything (super
/// admin only); the `exports` job writes it within a minute. With
/// `Idempotency-Key`, a retry within 24 hours gets the first answer
/// instead of queueing a second export.
#[utoipa::path(post, path = "/v1/admin/exports", tag = "admin", security(("bearer" = [])), request_body(content = NewExport,
        example = json!({"kind": "all", "business_id": "biz_01JD2QK3M8N4P6R2T5V7X9Z1B3"})),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 202, body = AdminExport), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn request_export(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    idem: IdempotencyKey,
    body: JsonBody<NewExport>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (e, replayed) = app.request_export(&actor, body.value, idem).await?;
    Ok(answer(StatusCode::ACCEPTED, e, replayed))
}

/// The newest 50 exports (super admin only).
#[utoipa::path(get, path = "/v1/admin/exports", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<AdminExport>), (status = 403, body = Problem)))]
pub async fn list_admin_exports(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
) -> ApiResult<Json<Vec<AdminExport>>> {
    Ok(Json(app.list_exports(&actor).await?))
}

/// An export's status and, once done, a download link valid for 15
/// minutes (super admin only; each link is audited).
#[utoipa::path(get, path = "/v1/admin/exports/{export_id}", tag = "admin", security(("bearer" = [])),
    params(("export_id" = String, Path, example = "exp_01JD2QK3M8N4P6R2T5V7X9Z1B3")),
    responses((status = 200, body = AdminExportView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn admin_export(
    State(app): State<Hisaab>,
    AdminAuth(actor): AdminAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<AdminExportView>> {
    Ok(Json(app.get_export(&actor, &id).await?))
}
