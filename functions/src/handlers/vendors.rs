//! `/v1/vendors/{business_id}/…`: what a customer user sees of a vendor's
//! ledger — the invoices billed to them, their PDFs, and the payments
//! recorded. Read-only; another customer's records are a 404.

use crate::extract::{Auth, QueryParams};
use crate::problem::{ApiResult, Problem};
use axum::extract::{Path, State};
use axum::response::Json;
use hisaab::Hisaab;
use hisaab::deliveries::vendor_ledger::{VendorInvoiceFilter, VendorPaymentFilter};
use hisaab::ledger::documents::DocumentLink;
use hisaab::ledger::invoices::{InvoiceDetail, InvoiceSummary};
use hisaab::ledger::payments::Payment;
use hisaab::paging::Page;

/// The invoices the business billed to the caller (customer user),
/// newest first, drafts left out.
#[utoipa::path(get, path = "/v1/vendors/{business_id}/invoices", tag = "vendors", security(("bearer" = [])),
    params(("business_id" = String, Path, example = "biz_01JD2QH3F4G5H6J7K8M9N0P1Q2"), VendorInvoiceFilter),
    responses((status = 200, body = Page<InvoiceSummary>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn vendor_invoices(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(business_id): Path<String>,
    QueryParams(f): QueryParams<VendorInvoiceFilter>,
) -> ApiResult<Json<Page<InvoiceSummary>>> {
    Ok(Json(app.vendor_invoices(&actor, &business_id, f).await?))
}

/// One invoice billed to the caller, with its payments and history.
#[utoipa::path(get, path = "/v1/vendors/{business_id}/invoices/{invoice_id}", tag = "vendors", security(("bearer" = [])),
    params(("business_id" = String, Path, example = "biz_01JD2QH3F4G5H6J7K8M9N0P1Q2"), ("invoice_id" = String, Path, example = "inv_01JD2QM0X1Y2Z3A4B5C6D7E8F9")),
    responses((status = 200, body = InvoiceDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn vendor_invoice(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path((business_id, invoice_id)): Path<(String, String)>,
) -> ApiResult<Json<InvoiceDetail>> {
    Ok(Json(
        app.vendor_invoice(&actor, &business_id, &invoice_id)
            .await?,
    ))
}

/// A link (valid 15 minutes) to the PDF of an invoice billed to the caller.
#[utoipa::path(get, path = "/v1/vendors/{business_id}/invoices/{invoice_id}/pdf", tag = "vendors", security(("bearer" = [])),
    params(("business_id" = String, Path, example = "biz_01JD2QH3F4G5H6J7K8M9N0P1Q2"), ("invoice_id" = String, Path, example = "inv_01JD2QM0X1Y2Z3A4B5C6D7E8F9")),
    responses((status = 200, body = DocumentLink), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn vendor_invoice_pdf(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path((business_id, invoice_id)): Path<(String, String)>,
) -> ApiResult<Json<DocumentLink>> {
    Ok(Json(
        app.vendor_invoice_pdf(&actor, &business_id, &invoice_id)
            .await?,
    ))
}

/// The payments the business recorded from the caller, newest first.
#[utoipa::path(get, path = "/v1/vendors/{business_id}/payments", tag = "vendors", security(("bearer" = [])),
    params(("business_id" = String, Path, example = "biz_01JD2QH3F4G5H6J7K8M9N0P1Q2"), VendorPaymentFilter),
    responses((status = 200, body = Page<Payment>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn vendor_payments(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(business_id): Path<String>,
    QueryParams(f): QueryParams<VendorPaymentFilter>,
) -> ApiResult<Json<Page<Payment>>> {
    Ok(Json(app.vendor_payments(&actor, &business_id, f).await?))
}
