//! Monthly totals of deliveries and month settlement.

use crate::extract::{Auth, OwnerAuth};
use crate::problem::{ApiResult, Problem};
use axum::extract::{Path, State};
use axum::response::Json;
use hisaab::Hisaab;
use hisaab::deliveries::business_month::BusinessMonth;
use hisaab::deliveries::months::{CustomerMonth, OrderMonthView, VendorMonth};

/// An order's month: amount, quantity, delivered and skipped days.
#[utoipa::path(get, path = "/v1/orders/{order_id}/months/{month}", tag = "months", security(("bearer" = [])),
    params(("order_id" = String, Path, example = "ord_01JD2QP1A2B3C4D5E6F7G8H9J0"), ("month" = String, Path, description = "yyyy-mm", example = "2026-11")),
    responses((status = 200, body = OrderMonthView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn order_month(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path((id, month)): Path<(String, String)>,
) -> ApiResult<Json<OrderMonthView>> {
    Ok(Json(app.order_month(&actor, &id, &month).await?))
}

/// A customer's month, per order and in all, with its status (business).
#[utoipa::path(get, path = "/v1/customers/{customer_id}/months/{month}", tag = "months", security(("bearer" = [])),
    params(("customer_id" = String, Path, example = "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q"), ("month" = String, Path, description = "yyyy-mm", example = "2026-11")),
    responses((status = 200, body = CustomerMonth), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn customer_month(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path((id, month)): Path<(String, String)>,
) -> ApiResult<Json<CustomerMonth>> {
    Ok(Json(app.customer_month(&actor, &id, &month).await?))
}

/// Closes a customer's month into one invoice; later marks of the month
/// are refused until it is reopened.
#[utoipa::path(post, path = "/v1/customers/{customer_id}/months/{month}/settle", tag = "months", security(("bearer" = [])),
    params(("customer_id" = String, Path, example = "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q"), ("month" = String, Path, description = "yyyy-mm", example = "2026-11")),
    responses((status = 200, body = CustomerMonth), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn settle_month(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    Path((id, month)): Path<(String, String)>,
) -> ApiResult<Json<CustomerMonth>> {
    Ok(Json(app.settle_month(&actor, &id, &month).await?))
}

/// Opens a billed month again once its invoice is cancelled.
#[utoipa::path(post, path = "/v1/customers/{customer_id}/months/{month}/reopen", tag = "months", security(("bearer" = [])),
    params(("customer_id" = String, Path, example = "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q"), ("month" = String, Path, description = "yyyy-mm", example = "2026-11")),
    responses((status = 200, body = CustomerMonth), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reopen_month(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    Path((id, month)): Path<(String, String)>,
) -> ApiResult<Json<CustomerMonth>> {
    Ok(Json(app.reopen_month(&actor, &id, &month).await?))
}

/// The caller's month at one business (customer user).
#[utoipa::path(get, path = "/v1/vendors/{business_id}/months/{month}", tag = "months", security(("bearer" = [])),
    params(("business_id" = String, Path, example = "biz_01JD2QH3F4G5H6J7K8M9N0P1Q2"), ("month" = String, Path, description = "yyyy-mm", example = "2026-11")),
    responses((status = 200, body = VendorMonth), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn vendor_month(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path((id, month)): Path<(String, String)>,
) -> ApiResult<Json<VendorMonth>> {
    Ok(Json(app.vendor_month(&actor, &id, &month).await?))
}

/// The business's month across every customer: records delivered and
/// skipped, the amount, quantity per unit, settled months and each day,
/// from kept totals (one read, whatever the number of customers).
#[utoipa::path(get, path = "/v1/deliveries/months/{month}", tag = "months", security(("bearer" = [])),
    params(("month" = String, Path, description = "yyyy-mm", example = "2026-11")),
    responses((status = 200, body = BusinessMonth), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn business_month(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(month): Path<String>,
) -> ApiResult<Json<BusinessMonth>> {
    Ok(Json(app.business_month(&actor, &month).await?))
}
