//! Delivery records: marks, the morning round in bulk, corrections,
//! lists, and comments.

use crate::extract::{Auth, IdempotencyKey, JsonBody, QueryParams, created};
use crate::problem::{ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Json, Response};
use hisaab::Hisaab;
use hisaab::deliveries::comments::{Comment, CommentText};
use hisaab::deliveries::records::{
    BulkMarks, BulkOutcome, Delivery, DeliveryFilter, DeliveryPatch, NewDelivery,
};
use hisaab::paging::Page;

/// Marks the order delivered or skipped on a date (one record per order
/// and date: a second mark is a 409; correct it with `PATCH`).
#[utoipa::path(post, path = "/v1/orders/{order_id}/deliveries", tag = "deliveries", security(("bearer" = [])),
    params(("order_id" = String, Path, example = "ord_01JD2QP1A2B3C4D5E6F7G8H9J0")), request_body(content = NewDelivery,
        example = json!({"date": "2026-11-26", "status": "delivered", "quantity": "1.5"})),
    responses((status = 201, body = Delivery), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn mark_delivery(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    body: JsonBody<NewDelivery>,
) -> ApiResult<Response> {
    let d = app.mark_delivery(&actor, &id, body.value).await?;
    Ok(created(d, false))
}

/// An order's records of a month, by date.
#[utoipa::path(get, path = "/v1/orders/{order_id}/deliveries", tag = "deliveries", security(("bearer" = [])),
    params(("order_id" = String, Path, example = "ord_01JD2QP1A2B3C4D5E6F7G8H9J0"), DeliveryFilter),
    responses((status = 200, body = Page<Delivery>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list_order_deliveries(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    QueryParams(f): QueryParams<DeliveryFilter>,
) -> ApiResult<Json<Page<Delivery>>> {
    Ok(Json(app.list_order_deliveries(&actor, &id, f).await?))
}

/// Marks up to 500 orders for one date; each mark succeeds or fails on
/// its own and is reported in order.
#[utoipa::path(post, path = "/v1/deliveries/bulk", tag = "deliveries", security(("bearer" = [])),
    request_body(content = BulkMarks,
        example = json!({"date": "2026-11-26", "items": [{"order_id": "ord_01JD2QP1A2B3C4D5E6F7G8H9J0"}, {"order_id": "ord_01JD2QP9Z8Y7X6W5V4T3S2R1Q0", "status": "skipped"}]})),
    responses((status = 200, body = BulkOutcome), (status = 422, body = Problem)))]
pub async fn mark_deliveries_bulk(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    body: JsonBody<BulkMarks>,
) -> ApiResult<Json<BulkOutcome>> {
    Ok(Json(app.mark_deliveries(&actor, body.value).await?))
}

/// Records of a day or month: the business's (paginated), or a customer
/// user's at one business.
#[utoipa::path(get, path = "/v1/deliveries", tag = "deliveries", security(("bearer" = [])), params(DeliveryFilter),
    responses((status = 200, body = Page<Delivery>), (status = 422, body = Problem)))]
pub async fn list_deliveries(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(f): QueryParams<DeliveryFilter>,
) -> ApiResult<Json<Page<Delivery>>> {
    Ok(Json(app.list_deliveries(&actor, f).await?))
}

/// One customer's records of a day or month (business).
#[utoipa::path(get, path = "/v1/customers/{customer_id}/deliveries", tag = "deliveries", security(("bearer" = [])),
    params(("customer_id" = String, Path, example = "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q"), DeliveryFilter),
    responses((status = 200, body = Page<Delivery>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list_customer_deliveries(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    QueryParams(f): QueryParams<DeliveryFilter>,
) -> ApiResult<Json<Page<Delivery>>> {
    Ok(Json(app.list_customer_deliveries(&actor, &id, f).await?))
}

/// One record with who changed what and when.
#[utoipa::path(get, path = "/v1/deliveries/{delivery_id}", tag = "deliveries", security(("bearer" = [])),
    params(("delivery_id" = String, Path, example = "dlv_01JD2QP1A2B3C4D5E6F7G8H9J0_20261126")),
    responses((status = 200, body = Delivery), (status = 404, body = Problem)))]
pub async fn get_delivery(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Delivery>> {
    Ok(Json(app.get_delivery(&actor, &id).await?))
}

/// Corrects a record: the customer (with a reason) or the business.
#[utoipa::path(patch, path = "/v1/deliveries/{delivery_id}", tag = "deliveries", security(("bearer" = [])),
    params(("delivery_id" = String, Path, example = "dlv_01JD2QP1A2B3C4D5E6F7G8H9J0_20261126")), request_body(content = DeliveryPatch,
        example = json!({"quantity": "1", "reason": "Only one litre came today"})),
    responses((status = 200, body = Delivery), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn correct_delivery(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    body: JsonBody<DeliveryPatch>,
) -> ApiResult<Json<Delivery>> {
    Ok(Json(app.correct_delivery(&actor, &id, body.value).await?))
}

/// Comments on a record, either side. With `Idempotency-Key`, a retry
/// within 24 hours gets the first answer instead of a second comment.
#[utoipa::path(post, path = "/v1/deliveries/{delivery_id}/comments", tag = "deliveries", security(("bearer" = [])),
    params(("delivery_id" = String, Path, example = "dlv_01JD2QP1A2B3C4D5E6F7G8H9J0_20261126"), ("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")), request_body(content = CommentText,
        example = json!({"text": "Milk was sour, please check"})),
    responses((status = 201, body = Comment), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_comment(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    idem: IdempotencyKey,
    Path(id): Path<String>,
    body: JsonBody<CommentText>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (c, replayed) = app.create_comment(&actor, &id, body.value, idem).await?;
    Ok(created(c, replayed))
}

/// The comments on a record, oldest first.
#[utoipa::path(get, path = "/v1/deliveries/{delivery_id}/comments", tag = "deliveries", security(("bearer" = [])),
    params(("delivery_id" = String, Path, example = "dlv_01JD2QP1A2B3C4D5E6F7G8H9J0_20261126")),
    responses((status = 200, body = Page<Comment>), (status = 404, body = Problem)))]
pub async fn list_comments(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Page<Comment>>> {
    Ok(Json(app.list_comments(&actor, &id).await?))
}

/// Edits one's own comment.
#[utoipa::path(patch, path = "/v1/deliveries/{delivery_id}/comments/{comment_id}", tag = "deliveries", security(("bearer" = [])),
    params(("delivery_id" = String, Path, example = "dlv_01JD2QP1A2B3C4D5E6F7G8H9J0_20261126"), ("comment_id" = String, Path, example = "cmt_01JD2QR2S3T4V5W6X7Y8Z9A0B1")), request_body(content = CommentText,
        example = json!({"text": "Milk was sour in the second packet"})),
    responses((status = 200, body = Comment), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn update_comment(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path((id, comment)): Path<(String, String)>,
    body: JsonBody<CommentText>,
) -> ApiResult<Json<Comment>> {
    Ok(Json(
        app.update_comment(&actor, &id, &comment, body.value)
            .await?,
    ))
}

/// Deletes one's own comment.
#[utoipa::path(delete, path = "/v1/deliveries/{delivery_id}/comments/{comment_id}", tag = "deliveries", security(("bearer" = [])),
    params(("delivery_id" = String, Path, example = "dlv_01JD2QP1A2B3C4D5E6F7G8H9J0_20261126"), ("comment_id" = String, Path, example = "cmt_01JD2QR2S3T4V5W6X7Y8Z9A0B1")),
    responses((status = 204, description = "deleted"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_comment(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path((id, comment)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    app.delete_comment(&actor, &id, &comment).await?;
    Ok(StatusCode::NO_CONTENT)
}
