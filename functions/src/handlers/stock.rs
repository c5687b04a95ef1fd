//! `/v1/stock`, `/v1/suppliers` and a product's movements: inventory.

use crate::extract::{Auth, IdempotencyKey, JsonBody, QueryParams, created, csv};
use crate::problem::{ApiResult, Problem};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Json, Response};
use hisaab::Hisaab;
use hisaab::ledger::inventory::receipts::{NewAdjustment, NewReceipt, Receipt, ReceiptFilter};
use hisaab::ledger::inventory::reports::{
    MovementFilter, StockFilter, StockReport, Valuation, ValuationQuery, movements_csv, stock_csv,
};
use hisaab::ledger::inventory::suppliers::{NewSupplier, Supplier, SupplierFilter, SupplierPatch};
use hisaab::ledger::reports::wants_csv;
use hisaab::ledger::stock::StockMovement;
use hisaab::paging::Page;

/// Creates a supplier (name, phone, GSTIN).
#[utoipa::path(post, path = "/v1/suppliers", tag = "stock", security(("bearer" = [])), request_body(content = NewSupplier,
        example = json!({"name": "Agarwal Wholesale", "phone": "9876500011", "gstin": "27AAPFU0939F1ZV"})),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 201, body = Supplier), (status = 422, body = Problem)))]
pub async fn create_supplier(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    idem: IdempotencyKey,
    body: JsonBody<NewSupplier>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (s, replayed) = app.create_supplier(&actor, body.value, idem).await?;
    Ok(created(s, replayed))
}

/// Lists suppliers by name; `q` is a name prefix.
#[utoipa::path(get, path = "/v1/suppliers", tag = "stock", security(("bearer" = [])), params(SupplierFilter),
    responses((status = 200, body = Page<Supplier>), (status = 422, body = Problem)))]
pub async fn list_suppliers(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(f): QueryParams<SupplierFilter>,
) -> ApiResult<Json<Page<Supplier>>> {
    Ok(Json(app.list_suppliers(&actor, f).await?))
}

/// One supplier, with what was bought from them.
#[utoipa::path(get, path = "/v1/suppliers/{supplier_id}", tag = "stock", security(("bearer" = [])),
    params(("supplier_id" = String, Path, example = "sup_01JD2QK3M4N5P6Q7R8S9T0V1W2")),
    responses((status = 200, body = Supplier), (status = 404, body = Problem)))]
pub async fn get_supplier(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Supplier>> {
    Ok(Json(app.get_supplier(&actor, &id).await?))
}

/// Changes a supplier's name, phone or GSTIN.
#[utoipa::path(patch, path = "/v1/suppliers/{supplier_id}", tag = "stock", security(("bearer" = [])),
    params(("supplier_id" = String, Path, example = "sup_01JD2QK3M4N5P6Q7R8S9T0V1W2")), request_body(content = SupplierPatch,
        example = json!({"phone": "9876500012", "version": 1})),
    responses((status = 200, body = Supplier), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_supplier(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    body: JsonBody<SupplierPatch>,
) -> ApiResult<Json<Supplier>> {
    Ok(Json(app.update_supplier(&actor, &id, body.value).await?))
}

/// Records goods received on a supplier's bill: each line adds to the
/// product's stock at its cost and re-averages the product's cost.
#[utoipa::path(post, path = "/v1/stock/receipts", tag = "stock", security(("bearer" = [])), request_body(content = NewReceipt,
        example = json!({"supplier_id": "sup_01JD2QK3M4N5P6Q7R8S9T0V1W2", "bill_number": "AW/2026/1187", "bill_date": "2026-11-28",
            "lines": [{"product_id": "prd_01JD2QK3M4N5P6Q7R8S9T0V1W2", "quantity": "50", "unit_cost": 4600}]})),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 201, body = Receipt), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_receipt(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    idem: IdempotencyKey,
    body: JsonBody<NewReceipt>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (r, replayed) = app.create_receipt(&actor, body.value, idem).await?;
    Ok(created(r, replayed))
}

/// Lists receipts, newest bill first; of one supplier with `supplier_id`.
#[utoipa::path(get, path = "/v1/stock/receipts", tag = "stock", security(("bearer" = [])), params(ReceiptFilter),
    responses((status = 200, body = Page<Receipt>), (status = 422, body = Problem)))]
pub async fn list_receipts(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(f): QueryParams<ReceiptFilter>,
) -> ApiResult<Json<Page<Receipt>>> {
    Ok(Json(app.list_receipts(&actor, f).await?))
}

/// One receipt.
#[utoipa::path(get, path = "/v1/stock/receipts/{receipt_id}", tag = "stock", security(("bearer" = [])),
    params(("receipt_id" = String, Path, example = "rcp_01JD2QK3M4N5P6Q7R8S9T0V1W2")),
    responses((status = 200, body = Receipt), (status = 404, body = Problem)))]
pub async fn get_receipt(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Receipt>> {
    Ok(Json(app.get_receipt(&actor, &id).await?))
}

/// Adjusts a product's stock with a reason (damage, a count correction),
/// or takes back goods a customer returned (`kind: return`).
#[utoipa::path(post, path = "/v1/stock/adjustments", tag = "stock", security(("bearer" = [])), request_body(content = NewAdjustment,
        example = json!({"product_id": "prd_01JD2QK3M4N5P6Q7R8S9T0V1W2", "quantity": "-2", "reason": "bags torn in the rain"})),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    responses((status = 201, body = StockMovement), (status = 422, body = Problem)))]
pub async fn create_adjustment(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    idem: IdempotencyKey,
    body: JsonBody<NewAdjustment>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (m, replayed) = app.create_adjustment(&actor, body.value, idem).await?;
    Ok(created(m, replayed))
}

/// Stock on hand of the tracked products by name, with average cost and
/// value; `category_id` and `low_stock=true` filter; JSON or CSV (every row).
#[utoipa::path(get, path = "/v1/stock", tag = "stock", security(("bearer" = [])), params(StockFilter),
    responses((status = 200, description = "JSON, or CSV with `format=csv`", content((StockReport = "application/json"), (String = "text/csv"))), (status = 422, body = Problem)))]
pub async fn stock_on_hand(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(f): QueryParams<StockFilter>,
) -> ApiResult<Response> {
    Ok(if wants_csv(f.format.as_deref())? {
        let (rows, cur) = app.stock_all(&actor, &f).await?;
        csv(stock_csv(&rows, cur)?, "stock.csv")
    } else {
        Json(app.stock_on_hand(&actor, &f).await?).into_response()
    })
}

/// A product's stock movements, oldest first, each with the running
/// balance; JSON or CSV (every row).
#[utoipa::path(get, path = "/v1/products/{product_id}/movements", tag = "stock", security(("bearer" = [])),
    params(("product_id" = String, Path, example = "prd_01JD2QK3M4N5P6Q7R8S9T0V1W2"), MovementFilter),
    responses((status = 200, description = "JSON, or CSV with `format=csv`", content((Page<StockMovement> = "application/json"), (String = "text/csv"))), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn product_movements(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    QueryParams(f): QueryParams<MovementFilter>,
) -> ApiResult<Response> {
    Ok(if wants_csv(f.format.as_deref())? {
        let (rows, cur) = app.product_movements_all(&actor, &id, &f).await?;
        csv(movements_csv(&rows, cur)?, "movements.csv")
    } else {
        Json(app.product_movements(&actor, &id, &f).await?).into_response()
    })
}

/// The value of stock on hand at the end of a day (default today), by
/// weighted average cost; JSON or CSV.
#[utoipa::path(get, path = "/v1/stock/valuation", tag = "stock", security(("bearer" = [])), params(ValuationQuery),
    responses((status = 200, description = "JSON, or CSV with `format=csv`", content((Valuation = "application/json"), (String = "text/csv"))), (status = 422, body = Problem)))]
pub async fn stock_valuation(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(q): QueryParams<ValuationQuery>,
) -> ApiResult<Response> {
    let as_csv = wants_csv(q.format.as_deref())?;
    let v = app.stock_valuation(&actor, &q).await?;
    Ok(if as_csv {
        csv(v.to_csv()?, "valuation.csv")
    } else {
        Json(v).into_response()
    })
}
