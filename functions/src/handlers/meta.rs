//! `/v1/openapi.json`: the API description mobile developers build against.

use axum::http::header;
use axum::response::IntoResponse;

/// The OpenAPI document as `cargo xtask codegen` wrote it from the
/// handlers' annotations ([`crate::openapi::document`]); a test fails when
/// it is stale. Served from the file, so that this route's Lambda holds
/// the text, not the code that builds it.
pub const OPENAPI_JSON: &str = include_str!("../../openapi.json");

/// The OpenAPI 3.1 document of every route, generated from the code.
#[utoipa::path(get, path = "/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "the OpenAPI document", content_type = "application/json")))]
pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}
