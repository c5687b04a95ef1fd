//! `/v1/orders` and `/v1/vendors`: scheduled and on-demand orders, the
//! customer's confirmations, and what a customer user sees of the
//! businesses that have them.

use crate::extract::{Auth, IdempotencyKey, JsonBody, OwnerAuth, QueryParams, created};
use crate::problem::{ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Json, Response};
use hisaab::Hisaab;
use hisaab::deliveries::orders::{
    AcceptOrder, NewOrder, Order, OrderFilter, OrderPatch, Reason, VendorList,
};
use hisaab::paging::Page;

/// The businesses that have the caller (a customer user) as a customer,
/// with what is owed each way.
#[utoipa::path(get, path = "/v1/vendors", tag = "orders", security(("bearer" = [])),
    responses((status = 200, body = VendorList), (status = 403, body = Problem)))]
pub async fn list_vendors(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
) -> ApiResult<Json<VendorList>> {
    Ok(Json(app.list_vendors(&actor).await?))
}

/// Creates an order: a business for its customer (pending until the
/// customer confirms, when they have an account), or a customer user's
/// on-demand request.
#[utoipa::path(post, path = "/v1/orders", tag = "orders", security(("bearer" = [])), request_body(content = NewOrder,
        example = json!({"customer_id": "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q", "item": "Cow milk", "unit": "litre", "quantity": "1.5", "rate": 6000, "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "valid_from": "2026-12-01", "notes": "Leave at the door before 7 am"})),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 201, body = Order), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_order(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    idem: IdempotencyKey,
    body: JsonBody<NewOrder>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (o, replayed) = app.create_order(&actor, body.value, idem).await?;
    Ok(created(o, replayed))
}

/// Lists orders: a business's (filtered, paginated) or, for a customer
/// user, those of every business that has them.
#[utoipa::path(get, path = "/v1/orders", tag = "orders", security(("bearer" = [])), params(OrderFilter),
    responses((status = 200, body = Page<Order>), (status = 422, body = Problem)))]
pub async fn list_orders(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(f): QueryParams<OrderFilter>,
) -> ApiResult<Json<Page<Order>>> {
    Ok(Json(app.list_orders(&actor, f).await?))
}

/// One order with its terms, pending change and history.
#[utoipa::path(get, path = "/v1/orders/{order_id}", tag = "orders", security(("bearer" = [])),
    params(("order_id" = String, Path, example = "ord_01JD2QP1A2B3C4D5E6F7G8H9J0")),
    responses((status = 200, body = Order), (status = 404, body = Problem)))]
pub async fn get_order(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Order>> {
    Ok(Json(app.get_order(&actor, &id).await?))
}

/// Changes an order (business). Quantity, rate, days, dates and status
/// wait for the customer's confirmation when they have an account.
#[utoipa::path(patch, path = "/v1/orders/{order_id}", tag = "orders", security(("bearer" = [])),
    params(("order_id" = String, Path, example = "ord_01JD2QP1A2B3C4D5E6F7G8H9J0")), request_body(content = OrderPatch,
        example = json!({"rate": 6400, "effective_from": "2026-12-01"})),
    responses((status = 200, body = Order), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_order(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    body: JsonBody<OrderPatch>,
) -> ApiResult<Json<Order>> {
    Ok(Json(app.update_order(&actor, &id, body.value).await?))
}

/// Deletes an order without delivery records (business).
#[utoipa::path(delete, path = "/v1/orders/{order_id}", tag = "orders", security(("bearer" = [])),
    params(("order_id" = String, Path, example = "ord_01JD2QP1A2B3C4D5E6F7G8H9J0")),
    responses((status = 204, description = "deleted"), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_order(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_order(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The customer confirms the order's pending change.
#[utoipa::path(post, path = "/v1/orders/{order_id}/changes/{change_id}/confirm", tag = "orders", security(("bearer" = [])),
    params(("order_id" = String, Path, example = "ord_01JD2QP1A2B3C4D5E6F7G8H9J0"), ("change_id" = String, Path, example = "chg_01JD2QP7K8M9N0P1Q2R3S4T5V6")),
    responses((status = 200, body = Order), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn confirm_order_change(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path((id, change)): Path<(String, String)>,
) -> ApiResult<Json<Order>> {
    Ok(Json(
        app.decide_change(&actor, &id, &change, true, None).await?,
    ))
}

/// The customer rejects the order's pending change (a rejected new order
/// is declined). The body (a reason) is optional.
#[utoipa::path(post, path = "/v1/orders/{order_id}/changes/{change_id}/reject", tag = "orders", security(("bearer" = [])),
    params(("order_id" = String, Path, example = "ord_01JD2QP1A2B3C4D5E6F7G8H9J0"), ("change_id" = String, Path, example = "chg_01JD2QP7K8M9N0P1Q2R3S4T5V6")), request_body(content = Option<Reason>,
        example = json!({"reason": "The old rate was agreed till March"})),
    responses((status = 200, body = Order), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn reject_order_change(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path((id, change)): Path<(String, String)>,
    body: Option<JsonBody<Reason>>,
) -> ApiResult<Json<Order>> {
    let reason = body.and_then(|b| b.value.reason);
    Ok(Json(
        app.decide_change(&actor, &id, &change, false, reason)
            .await?,
    ))
}

/// The business accepts a customer's on-demand request.
#[utoipa::path(post, path = "/v1/orders/{order_id}/accept", tag = "orders", security(("bearer" = [])),
    params(("order_id" = String, Path, example = "ord_01JD2QP1A2B3C4D5E6F7G8H9J0")), request_body(content = Option<AcceptOrder>,
        example = json!({"rate": 6000, "note": "Will come with the morning round"})),
    responses((status = 200, body = Order), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn accept_order(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    body: Option<JsonBody<AcceptOrder>>,
) -> ApiResult<Json<Order>> {
    let a = body.map(|b| b.value).unwrap_or_default();
    Ok(Json(app.accept_order(&actor, &id, a).await?))
}

/// The business declines a customer's on-demand request.
#[utoipa::path(post, path = "/v1/orders/{order_id}/decline", tag = "orders", security(("bearer" = [])),
    params(("order_id" = String, Path, example = "ord_01JD2QP1A2B3C4D5E6F7G8H9J0")), request_body(content = Option<Reason>,
        example = json!({"reason": "No delivery on that route on Sundays"})),
    responses((status = 200, body = Order), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn decline_order(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    body: Option<JsonBody<Reason>>,
) -> ApiResult<Json<Order>> {
    let r = body.map(|b| b.value).unwrap_or_default();
    Ok(Json(app.decline_order(&actor, &id, r).await?))
}
