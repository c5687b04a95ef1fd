//! `/v1/openapi.json`: the API description mobile developers build against.

use axum::response::Json;

/// The OpenAPI 3.1 document of every route, generated from the code.
#[utoipa::path(get, path = "/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "the OpenAPI document", content_type = "application/json")))]
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(crate::openapi::document())
}
