//! `/v1/products` and `/v1/categories`: the catalogue of a business.

use crate::extract::{Auth, IdempotencyKey, JsonBody, OwnerAuth, QueryParams, created};
use crate::problem::{ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Json, Response};
use hisaab::Hisaab;
use hisaab::ledger::catalogue::{
    Category, CategoryFilter, CategoryInput, NewProduct, Product, ProductFilter, ProductPatch,
};
use hisaab::paging::Page;

/// Creates a product or service. With `Idempotency-Key`, a retry within
/// 24 hours gets the first answer.
#[utoipa::path(post, path = "/v1/products", tag = "catalogue", security(("bearer" = [])), request_body(content = NewProduct,
        example = json!({"name": "Toor Dal (Premium)", "unit": "kg", "unit_price": 14500, "tax_rate_bp": 500, "hsn_sac": "0713", "category_id": "cat_01JD2QK9A1B2C3D4E5F6G7H8J9"})),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 201, body = Product), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn create_product(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    idem: IdempotencyKey,
    body: JsonBody<NewProduct>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (p, replayed) = app.create_product(&actor, body.value, idem).await?;
    Ok(created(p, replayed))
}

/// Lists products by name; `q` is a name prefix, `category` and `active` filter.
#[utoipa::path(get, path = "/v1/products", tag = "catalogue", security(("bearer" = [])), params(ProductFilter),
    responses((status = 200, body = Page<Product>), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn list_products(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(f): QueryParams<ProductFilter>,
) -> ApiResult<Json<Page<Product>>> {
    Ok(Json(app.list_products(&actor, f).await?))
}

/// One product (404 for ids of other businesses).
#[utoipa::path(get, path = "/v1/products/{product_id}", tag = "catalogue", security(("bearer" = [])),
    params(("product_id" = String, Path, example = "prd_01JD2QK3M4N5P6Q7R8S9T0V1W2")),
    responses((status = 200, body = Product), (status = 404, body = Problem)))]
pub async fn get_product(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Product>> {
    Ok(Json(app.get_product(&actor, &id).await?))
}

/// Partial update; `{"active": true}` reactivates.
#[utoipa::path(patch, path = "/v1/products/{product_id}", tag = "catalogue", security(("bearer" = [])),
    params(("product_id" = String, Path, example = "prd_01JD2QK3M4N5P6Q7R8S9T0V1W2")), request_body(content = ProductPatch,
        example = json!({"unit_price": 15000, "version": 1})),
    responses((status = 200, body = Product), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_product(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    body: JsonBody<ProductPatch>,
) -> ApiResult<Json<Product>> {
    Ok(Json(app.update_product(&actor, &id, body.value).await?))
}

/// Deactivates a product: it stays on old invoices but not on new ones.
#[utoipa::path(delete, path = "/v1/products/{product_id}", tag = "catalogue", security(("bearer" = [])),
    params(("product_id" = String, Path, example = "prd_01JD2QK3M4N5P6Q7R8S9T0V1W2")),
    responses((status = 204, description = "deactivated"), (status = 404, body = Problem)))]
pub async fn deactivate_product(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.deactivate_product(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Creates a category (409 when the name is taken in the business).
#[utoipa::path(post, path = "/v1/categories", tag = "catalogue", security(("bearer" = [])), request_body(content = CategoryInput,
        example = json!({"name": "Pulses"})),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 201, body = Category), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_category(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    idem: IdempotencyKey,
    body: JsonBody<CategoryInput>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (c, replayed) = app.create_category(&actor, body.value, idem).await?;
    Ok(created(c, replayed))
}

/// Lists categories by name, with their product counts.
#[utoipa::path(get, path = "/v1/categories", tag = "catalogue", security(("bearer" = [])), params(CategoryFilter),
    responses((status = 200, body = Page<Category>), (status = 400, body = Problem)))]
pub async fn list_categories(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(f): QueryParams<CategoryFilter>,
) -> ApiResult<Json<Page<Category>>> {
    Ok(Json(app.list_categories(&actor, f).await?))
}

/// Renames a category.
#[utoipa::path(patch, path = "/v1/categories/{category_id}", tag = "catalogue", security(("bearer" = [])),
    params(("category_id" = String, Path, example = "cat_01JD2QK9A1B2C3D4E5F6G7H8J9")), request_body(content = CategoryInput,
        example = json!({"name": "Pulses and Lentils"})),
    responses((status = 200, body = Category), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn rename_category(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    body: JsonBody<CategoryInput>,
) -> ApiResult<Json<Category>> {
    Ok(Json(app.rename_category(&actor, &id, body.value).await?))
}

/// Deletes a category no product uses (409 otherwise).
#[utoipa::path(delete, path = "/v1/categories/{category_id}", tag = "catalogue", security(("bearer" = [])),
    params(("category_id" = String, Path, example = "cat_01JD2QK9A1B2C3D4E5F6G7H8J9")),
    responses((status = 204, description = "deleted"), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_category(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_category(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
