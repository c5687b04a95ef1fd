//! Payments: against an invoice or a customer, their history, and voids.

use crate::extract::{Auth, IdempotencyKey, JsonBody, OwnerAuth, QueryParams, created};
use crate::problem::{ApiResult, Problem};
use axum::extract::{Path, State};
use axum::response::{Json, Response};
use hisaab::Hisaab;
use hisaab::ledger::invoices::AppliedPayment;
use hisaab::ledger::payments::{NewPayment, Payment, PaymentFilter, VoidPayment};
use hisaab::paging::Page;
use serde::Serialize;
use utoipa::ToSchema;

/// Records a payment on an invoice (at most its balance due).
#[utoipa::path(post, path = "/v1/invoices/{invoice_id}/payments", tag = "payments", security(("bearer" = [])),
    params(("invoice_id" = String, Path, example = "inv_01JD2QM0X1Y2Z3A4B5C6D7E8F9"), ("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    request_body(content = NewPayment,
        example = json!({"amount": 200000, "date": "2026-11-26", "method": "upi", "reference": "UTR 432198765012"})),
    responses((status = 201, body = Payment, example = json!({"id": "pay_01JD2QN4R5S6T7U8V9W0X1Y2Z3", "business_id": "biz_01JD2QH5N8P3R6T9V2X5Z8B1C4", "customer_id": "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q", "invoice_id": "inv_01JD2QM0X1Y2Z3A4B5C6D7E8F9", "amount": 200000, "date": "2026-11-26", "method": "upi", "reference": "UTR 432198765012", "allocations": [{"invoice_id": "inv_01JD2QM0X1Y2Z3A4B5C6D7E8F9", "invoice_number": "INV-0042", "amount": 200000}], "advance": 0, "status": "recorded", "created_by": "usr_01JD2QH5N8Q4S7U0W3Y6A9C2E5", "created_at": "2026-11-26T11:03:54Z", "version": 1})),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn pay_invoice(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    idem: IdempotencyKey,
    Path(id): Path<String>,
    body: JsonBody<NewPayment>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (p, replayed) = app.pay_invoice(&actor, &id, body.value, idem).await?;
    Ok(created(p, replayed))
}

/// Records a payment from a customer: applied to the oldest open invoices
/// first, the rest kept as an advance.
#[utoipa::path(post, path = "/v1/customers/{customer_id}/payments", tag = "payments", security(("bearer" = [])),
    params(("customer_id" = String, Path, example = "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q"), ("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    request_body(content = NewPayment,
        example = json!({"amount": 500000, "method": "cash", "notes": "Paid at the shop"})),
    responses((status = 201, body = Payment), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn pay_customer(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    idem: IdempotencyKey,
    Path(id): Path<String>,
    body: JsonBody<NewPayment>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (p, replayed) = app.pay_customer(&actor, &id, body.value, idem).await?;
    Ok(created(p, replayed))
}

/// The payments applied to an invoice.
#[derive(Serialize, ToSchema)]
pub struct AppliedPayments {
    /// Oldest first, voided ones included (marked).
    pub items: Vec<AppliedPayment>,
}

/// The payment history of an invoice.
#[utoipa::path(get, path = "/v1/invoices/{invoice_id}/payments", tag = "payments", security(("bearer" = [])),
    params(("invoice_id" = String, Path, example = "inv_01JD2QM0X1Y2Z3A4B5C6D7E8F9")),
    responses((status = 200, body = AppliedPayments), (status = 404, body = Problem)))]
pub async fn list_invoice_payments(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<AppliedPayments>> {
    Ok(Json(AppliedPayments {
        items: app.invoice_payments(&actor, &id).await?,
    }))
}

/// The payment history of a customer, newest first.
#[utoipa::path(get, path = "/v1/customers/{customer_id}/payments", tag = "payments", security(("bearer" = [])),
    params(("customer_id" = String, Path, example = "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q"), PaymentFilter),
    responses((status = 200, body = Page<Payment>), (status = 404, body = Problem)))]
pub async fn list_customer_payments(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    QueryParams(f): QueryParams<PaymentFilter>,
) -> ApiResult<Json<Page<Payment>>> {
    Ok(Json(app.customer_payments(&actor, &id, f).await?))
}

/// Voids (or refunds) a payment: every balance it changed is restored.
#[utoipa::path(post, path = "/v1/payments/{payment_id}/void", tag = "payments", security(("bearer" = [])),
    params(("payment_id" = String, Path, example = "pay_01JD2QN4P5Q6R7S8T9V0W1X2Y3")), request_body(content = VoidPayment,
        example = json!({"reason": "Cheque bounced"})),
    responses((status = 200, body = Payment), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn void_payment(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    Path(id): Path<String>,
    body: JsonBody<VoidPayment>,
) -> ApiResult<Json<Payment>> {
    Ok(Json(app.void_payment(&actor, &id, body.value).await?))
}
