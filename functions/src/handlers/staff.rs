//! `/v1/business/staff`: the owner manages staff accounts.

use crate::extract::{Auth, IdempotencyKey, JsonBody, OwnerAuth, created};
use crate::problem::{ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Json, Response};
use hisaab::Hisaab;
use hisaab::identity::Member;
use hisaab::identity::staff::NewStaff;
use serde::Serialize;
use utoipa::ToSchema;

/// The members of a business.
#[derive(Serialize, ToSchema)]
pub struct MemberList {
    /// The owner and every staff member.
    pub items: Vec<Member>,
}

/// Adds a staff member by phone (owner only); they log in by OTP. With
/// `Idempotency-Key`, a retry within 24 hours gets the first answer and
/// texts nobody again.
#[utoipa::path(post, path = "/v1/business/staff", tag = "business", security(("bearer" = [])), request_body(content = NewStaff,
        example = json!({"name": "Ravi", "phone": "9812345678"})),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 201, body = Member), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_staff(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    idem: IdempotencyKey,
    body: JsonBody<NewStaff>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (m, replayed) = app.add_staff(&actor, body.value, idem).await?;
    Ok(created(m, replayed))
}

/// Lists the owner and staff (owner only).
#[utoipa::path(get, path = "/v1/business/staff", tag = "business", security(("bearer" = [])),
    responses((status = 200, body = MemberList), (status = 403, body = Problem)))]
pub async fn list_staff(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
) -> ApiResult<Json<MemberList>> {
    Ok(Json(MemberList {
        items: app.list_staff(&actor).await?,
    }))
}

/// Removes a staff member (owner only); their tokens stop working.
#[utoipa::path(delete, path = "/v1/business/staff/{user_id}", tag = "business", security(("bearer" = [])),
    params(("user_id" = String, Path, description = "the staff member's user id", example = "usr_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q")),
    responses((status = 204, description = "removed"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_staff(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    Path(user_id): Path<String>,
) -> ApiResult<StatusCode> {
    app.remove_staff(&actor, &user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
