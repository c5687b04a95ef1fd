//! `/v1/invoices`: invoices of a business, their PDF and their payments.

use crate::extract::{Auth, IdempotencyKey, JsonBody, OwnerAuth, QueryParams, created};
use crate::problem::{ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Json, Response};
use hisaab::Hisaab;
use hisaab::ledger::documents::DocumentLink;
use hisaab::ledger::invoices::{
    CancelInvoice, Invoice, InvoiceDetail, InvoiceFilter, InvoicePatch, InvoiceSummary, NewInvoice,
};
use hisaab::paging::Page;

/// Creates an invoice (issued with the next number unless `draft`). The
/// server computes every figure from the lines.
#[utoipa::path(post, path = "/v1/invoices", tag = "invoices", security(("bearer" = [])), request_body(content = NewInvoice,
        example = json!({"customer_id": "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q", "invoice_date": "2026-11-26", "lines": [{"product_id": "prd_01JD2QK3M4N5P6Q7R8S9T0V1W2", "quantity": "25"}, {"description": "Loading and transport", "hsn_sac": "996511", "quantity": "1", "unit_price": 50000, "tax_rate_bp": 1800, "discount_rate_bp": 1000}], "notes": "Thank you for your business"})),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 201, body = Invoice, example = json!({"id": "inv_01JD2QM0X1Y2Z3A4B5C6D7E8F9", "business_id": "biz_01JD2QH5N8P3R6T9V2X5Z8B1C4", "number": "INV-0042", "customer_id": "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q", "customer_name": "Gupta Kirana Store", "customer_gstin": "27AAPFU0939F1ZV", "invoice_date": "2026-11-26", "due_date": "2026-12-11", "status": "unpaid", "supply": "intra_state", "place_of_supply": "27", "lines": [{"description": "Basmati rice 25 kg", "hsn_sac": "1006", "unit": "bag", "quantity": "4", "unit_price": 180000, "gross": 720000, "discount": 0, "taxable": 720000, "tax_rate_bp": 500, "cgst": 18000, "sgst": 18000, "igst": 0, "tax": 36000, "total": 756000}], "subtotal": 720000, "discount_total": 0, "taxable_total": 720000, "cgst_total": 18000, "sgst_total": 18000, "igst_total": 0, "tax_total": 36000, "total": 756000, "amount_paid": 0, "balance_due": 756000, "previous_balance": 0, "disputed": false, "reminder": {"next_at": "2026-12-09T03:30:00Z", "sent": 0}, "created_by": "usr_01JD2QH5N8Q4S7U0W3Y6A9C2E5", "issued_at": "2026-11-26T05:42:17Z", "created_at": "2026-11-26T05:42:17Z", "updated_at": "2026-11-26T05:42:17Z", "version": 1})),
        (status = 400, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_invoice(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    idem: IdempotencyKey,
    body: JsonBody<NewInvoice>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (inv, replayed) = app.create_invoice(&actor, body.value, idem).await?;
    Ok(created(inv, replayed))
}

/// Lists invoices (summaries without lines), filtered and paginated.
#[utoipa::path(get, path = "/v1/invoices", tag = "invoices", security(("bearer" = [])), params(InvoiceFilter),
    responses((status = 200, body = Page<InvoiceSummary>), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn list_invoices(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(f): QueryParams<InvoiceFilter>,
) -> ApiResult<Json<Page<InvoiceSummary>>> {
    if f.format.is_some() {
        return Err(hisaab::Error::field(
            "format",
            "invalid_format",
            "CSV is offered by GET /v1/reports/invoices",
        )
        .into());
    }
    Ok(Json(
        app.list_invoices(&actor, f, hisaab::ledger::invoices::MAX_FILTER_PAGE)
            .await?,
    ))
}

/// All invoices of one customer, newest first.
#[utoipa::path(get, path = "/v1/customers/{customer_id}/invoices", tag = "invoices", security(("bearer" = [])),
    params(("customer_id" = String, Path, example = "cus_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q"), InvoiceFilter),
    responses((status = 200, body = Page<InvoiceSummary>), (status = 404, body = Problem)))]
pub async fn list_customer_invoices(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    QueryParams(f): QueryParams<InvoiceFilter>,
) -> ApiResult<Json<Page<InvoiceSummary>>> {
    Ok(Json(app.list_customer_invoices(&actor, &id, f).await?))
}

/// One invoice with its lines, payments and history.
#[utoipa::path(get, path = "/v1/invoices/{invoice_id}", tag = "invoices", security(("bearer" = [])),
    params(("invoice_id" = String, Path, example = "inv_01JD2QM0X1Y2Z3A4B5C6D7E8F9")),
    responses((status = 200, body = InvoiceDetail), (status = 404, body = Problem)))]
pub async fn get_invoice(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<InvoiceDetail>> {
    Ok(Json(app.get_invoice(&actor, &id).await?))
}

/// Changes a draft, or an issued invoice without payments.
#[utoipa::path(patch, path = "/v1/invoices/{invoice_id}", tag = "invoices", security(("bearer" = [])),
    params(("invoice_id" = String, Path, example = "inv_01JD2QM0X1Y2Z3A4B5C6D7E8F9")), request_body(content = InvoicePatch,
        example = json!({"due_date": "2026-12-15", "notes": "Delivered to the Vashi godown", "version": 1})),
    responses((status = 200, body = Invoice), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_invoice(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    body: JsonBody<InvoicePatch>,
) -> ApiResult<Json<Invoice>> {
    Ok(Json(app.update_invoice(&actor, &id, body.value).await?))
}

/// Issues a draft: it gets the next number and counts in balances.
#[utoipa::path(post, path = "/v1/invoices/{invoice_id}/issue", tag = "invoices", security(("bearer" = [])),
    params(("invoice_id" = String, Path, example = "inv_01JD2QM0X1Y2Z3A4B5C6D7E8F9")),
    responses((status = 200, body = Invoice), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn issue_invoice(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Invoice>> {
    Ok(Json(app.issue_invoice(&actor, &id).await?))
}

/// Cancels an invoice without payments; it leaves every balance at once.
/// The body (a reason) is optional.
#[utoipa::path(post, path = "/v1/invoices/{invoice_id}/cancel", tag = "invoices", security(("bearer" = [])),
    params(("invoice_id" = String, Path, example = "inv_01JD2QM0X1Y2Z3A4B5C6D7E8F9")), request_body(content = Option<CancelInvoice>,
        example = json!({"reason": "Billed twice by mistake"})),
    responses((status = 200, body = Invoice), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn cancel_invoice(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    Path(id): Path<String>,
    body: Option<JsonBody<CancelInvoice>>,
) -> ApiResult<Json<Invoice>> {
    let c = body.map(|b| b.value).unwrap_or_default();
    Ok(Json(app.cancel_invoice(&actor, &id, c).await?))
}

/// Deletes a draft with its history (an issued invoice is cancelled
/// instead: 409).
#[utoipa::path(delete, path = "/v1/invoices/{invoice_id}", tag = "invoices", security(("bearer" = [])),
    params(("invoice_id" = String, Path, example = "inv_01JD2QM0X1Y2Z3A4B5C6D7E8F9")),
    responses((status = 204, description = "deleted"), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_invoice(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_invoice(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A link (valid 15 minutes) to the invoice as an A4 GST invoice PDF with
/// a UPI QR code for the balance due.
#[utoipa::path(get, path = "/v1/invoices/{invoice_id}/pdf", tag = "invoices", security(("bearer" = [])),
    params(("invoice_id" = String, Path, example = "inv_01JD2QM0X1Y2Z3A4B5C6D7E8F9")),
    responses((status = 200, body = DocumentLink), (status = 404, body = Problem)))]
pub async fn invoice_pdf(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<DocumentLink>> {
    Ok(Json(app.invoice_pdf(&actor, &id).await?))
}
