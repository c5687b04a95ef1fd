//! The OpenAPI 3.1 document: the document's own settings here, and the
//! paths of the route table ([`crate::routes::openapi_paths`]), each from
//! its handler's annotation.

use crate::handlers;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Hisaab API", description = "Receivables and trade credit for small businesses. Amounts are integers in paise; timestamps are RFC 3339 UTC; errors are RFC 9457 problem documents."),
    components(schemas(handlers::Accepted, crate::problem::Problem, hisaab::FieldError)),
    modifiers(&BearerAuth),
    tags((name = "auth"), (name = "me"), (name = "business"), (name = "customers"), (name = "catalogue"), (name = "stock"),
        (name = "invoices"), (name = "payments"), (name = "reports"), (name = "orders"), (name = "vendors"), (name = "deliveries"), (name = "months"), (name = "registry"), (name = "notifications"), (name = "admin"), (name = "meta"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let c = doc.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    let (paths, schemas) = crate::routes::openapi_paths();
    doc.paths = paths;
    doc.components
        .get_or_insert_with(Default::default)
        .schemas
        .extend(schemas);
    doc
}
