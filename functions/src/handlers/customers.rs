//! `/v1/customers`: a business's customers.

use crate::extract::{Auth, IdempotencyKey, JsonBody, OwnerAuth, QueryParams, created};
use crate::problem::{ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use hisaab::Hisaab;
use hisaab::ledger::customers::{
    Customer, CustomerFilter, CustomerPage, CustomerPatch, NewCustomer,
};
use serde::Deserialize;
use utoipa::IntoParams;

/// Options of `POST /v1/customers`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CreateOptions {
    /// `true`: check the customer as a create would, write nothing, and
    /// answer `204` (valid) or the `422` naming every bad field; forms use
    /// it to check as the user types.
    #[serde(default)]
    pub dry_run: bool,
}

/// Creates a customer. With `Idempotency-Key`, a retry within 24 hours gets
/// the first answer (and `Idempotent-Replayed: true`) instead of a duplicate.
/// With `?dry_run=true` it only checks the body.
#[utoipa::path(post, path = "/v1/customers", tag = "customers", security(("bearer" = [])), request_body(content = NewCustomer,
        example = json!({"name": "Gupta Kirana Store", "phone": "9822001122", "email": "gupta@example.com", "address": "12 Main Bazar, Karnal", "business_type": "Retail", "gstin": "27AAPFU0939F1ZV", "notes": "Pays on Saturdays", "contacts": [{"name": "Mohan Gupta", "phone": "9822001133", "role": "owner"}]})),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours"), CreateOptions),
    responses((status = 201, body = Customer, example = json!({"id": "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q", "business_id": "biz_01JD2QH5N8P3R6T9V2X5Z8B1C4", "company_id": "co_01JD2QJ7Y1A2B3C4D5E6F7G8H9", "name": "Gupta Kirana Store", "phone": "+919822001122", "email": "gupta@example.com", "address": "12 Main Bazar, Karnal", "gstin": "27AAPFU0939F1ZV", "pan": "AAPFU0939F", "contacts": [], "balance": 0, "status": "active", "reminders": true, "sms_undeliverable": false, "mail_undeliverable": false, "created_at": "2026-11-26T05:42:17Z", "updated_at": "2026-11-26T05:42:17Z", "version": 1})),
        (status = 204, description = "dry run: the customer is valid"), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn create_customer(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    idem: IdempotencyKey,
    QueryParams(o): QueryParams<CreateOptions>,
    body: JsonBody<NewCustomer>,
) -> ApiResult<Response> {
    if o.dry_run {
        app.check_new_customer(&actor, body.value).await?;
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let idem = idem.with_body(&body.sha256)?;
    let (c, replayed) = app.create_customer(&actor, body.value, idem).await?;
    Ok(created(c, replayed))
}

/// Lists customers by name; `q` searches a name prefix or phone digits.
#[utoipa::path(get, path = "/v1/customers", tag = "customers", security(("bearer" = [])), params(CustomerFilter),
    responses((status = 200, body = CustomerPage, example = json!({"items": [{"id": "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q", "business_id": "biz_01JD2QH5N8P3R6T9V2X5Z8B1C4", "company_id": "co_01JD2QJ7Y1A2B3C4D5E6F7G8H9", "name": "Gupta Kirana Store", "phone": "+919822001122", "email": "gupta@example.com", "address": "12 Main Bazar, Karnal", "gstin": "27AAPFU0939F1ZV", "pan": "AAPFU0939F", "contacts": [], "balance": 0, "status": "active", "reminders": true, "sms_undeliverable": false, "mail_undeliverable": false, "created_at": "2026-11-26T05:42:17Z", "updated_at": "2026-11-26T05:42:17Z", "version": 1}], "next_cursor": "eyJwayI6IkJJWiMifQ"})),
        (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn list_customers(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(f): QueryParams<CustomerFilter>,
) -> ApiResult<Json<CustomerPage>> {
    Ok(Json(app.list_customers(&actor, f).await?))
}

/// One customer (404 for ids of other businesses).
#[utoipa::path(get, path = "/v1/customers/{customer_id}", tag = "customers", security(("bearer" = [])),
    params(("customer_id" = String, Path, example = "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q")),
    responses((status = 200, body = Customer), (status = 404, body = Problem)))]
pub async fn get_customer(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Customer>> {
    Ok(Json(app.get_customer(&actor, &id).await?))
}

/// Partial update; `{"status": "active"}` reactivates.
#[utoipa::path(patch, path = "/v1/customers/{customer_id}", tag = "customers", security(("bearer" = [])),
    params(("customer_id" = String, Path, example = "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q")), request_body(content = CustomerPatch,
        example = json!({"notes": "Moved to weekly billing", "version": 1})),
    responses((status = 200, body = Customer), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_customer(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    body: JsonBody<CustomerPatch>,
) -> ApiResult<Json<Customer>> {
    Ok(Json(app.update_customer(&actor, &id, body.value).await?))
}

/// Deactivates a customer (soft delete).
#[utoipa::path(delete, path = "/v1/customers/{customer_id}", tag = "customers", security(("bearer" = [])),
    params(("customer_id" = String, Path, example = "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q")),
    responses((status = 204, description = "deactivated"), (status = 404, body = Problem)))]
pub async fn deactivate_customer(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.deactivate_customer(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
