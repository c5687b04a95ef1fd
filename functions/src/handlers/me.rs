//! `/v1/me`: the signed-in user's profile.

use crate::extract::{Auth, JsonBody};
use crate::problem::{ApiResult, Problem};
use axum::extract::State;
use axum::response::Json;
use hisaab::Hisaab;
use hisaab::identity::UserView;
use hisaab::identity::accounts::ProfilePatch;

/// The signed-in user.
#[utoipa::path(get, path = "/v1/me", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = UserView, example = json!({"id": "usr_01JD2QH5N8Q4S7U0W3Y6A9C2E5", "name": "Asha Rao", "phone": "+919812345678", "phone_verified": true, "email": "asha@example.com", "has_password": true, "role": "owner", "business_id": "biz_01JD2QH5N8P3R6T9V2X5Z8B1C4", "status": "active", "created_at": "2026-10-02T09:15:00Z", "updated_at": "2026-10-02T09:15:00Z", "version": 2})), (status = 401, body = Problem)))]
pub async fn get_me(State(app): State<Hisaab>, Auth(actor): Auth) -> Json<UserView> {
    Json(app.me(&actor))
}

/// Updates name, email, photo or password.
#[utoipa::path(patch, path = "/v1/me", tag = "me", security(("bearer" = [])), request_body(content = ProfilePatch,
        example = json!({"name": "Asha R.", "email": "asha.r@example.com"})),
    responses((status = 200, body = UserView), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_me(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    body: JsonBody<ProfilePatch>,
) -> ApiResult<Json<UserView>> {
    Ok(Json(app.update_me(&actor, body.value).await?))
}
