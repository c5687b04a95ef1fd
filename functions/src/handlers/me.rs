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
    responses((status = 200, body = UserView), (status = 401, body = Problem)))]
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
