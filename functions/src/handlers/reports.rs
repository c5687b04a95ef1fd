//! `/v1/reports/...`: the dashboard and reports of a business, from the
//! maintained aggregates. Every report but the dashboard also answers
//! `?format=csv`.

use crate::extract::{Auth, QueryParams, csv};
use crate::problem::{ApiResult, Problem};
use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Json, Response};
use hisaab::Hisaab;
use hisaab::ledger::invoices::{InvoiceFilter, InvoiceSummary};
use hisaab::ledger::reports::{
    Aging, Dashboard, ReportRange, SalesReport, TopCustomer, TopCustomersQuery, invoices_csv,
    top_customers_csv, wants_csv,
};
use hisaab::paging::Page;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Revenue, received, pending and overdue for a range, invoices by status,
/// sales by day and month, top debtors and aging: the home screen.
#[utoipa::path(get, path = "/v1/reports/dashboard", tag = "reports", security(("bearer" = [])), params(DashboardRange),
    responses((status = 200, body = Dashboard), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn dashboard(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(r): QueryParams<DashboardRange>,
) -> ApiResult<Json<Dashboard>> {
    let range = ReportRange {
        from: r.from,
        to: r.to,
        ..ReportRange::default()
    };
    Ok(Json(app.dashboard(&actor, range).await?))
}

/// `from`/`to` of the dashboard (JSON only: `/v1/reports/sales` gives CSV).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DashboardRange {
    /// First day (default: the first of this month).
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<jiff::civil::Date>,
    /// Last day (default: today); at most 1096 days after `from`.
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<jiff::civil::Date>,
}

/// Invoiced and received per day or month (`interval`), JSON or CSV.
#[utoipa::path(get, path = "/v1/reports/sales", tag = "reports", security(("bearer" = [])), params(ReportRange),
    responses((status = 200, description = "JSON, or CSV with `format=csv`", content((SalesReport = "application/json"), (String = "text/csv"))), (status = 422, body = Problem)))]
pub async fn sales_report(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(r): QueryParams<ReportRange>,
) -> ApiResult<Response> {
    let as_csv = wants_csv(r.format.as_deref())?;
    let report = app.sales_report(&actor, r).await?;
    Ok(if as_csv {
        csv(report.to_csv()?, "sales.csv")
    } else {
        Json(report).into_response()
    })
}

/// The aging table of the receivables as of today, JSON or CSV.
#[utoipa::path(get, path = "/v1/reports/aging", tag = "reports", security(("bearer" = [])),
    params(("format" = Option<String>, Query, description = "json (default) or csv")),
    responses((status = 200, description = "JSON, or CSV with `format=csv`", content((Aging = "application/json"), (String = "text/csv")))))]
pub async fn aging_report(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(f): QueryParams<FormatOnly>,
) -> ApiResult<Response> {
    let as_csv = wants_csv(f.format.as_deref())?;
    let (aging, cur) = app.aging_report(&actor).await?;
    Ok(if as_csv {
        csv(aging.to_csv(cur)?, "aging.csv")
    } else {
        Json(aging).into_response()
    })
}

/// `?format=` alone.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormatOnly {
    /// `json` or `csv`.
    #[serde(default)]
    pub format: Option<String>,
}

/// Customers by balance owed, largest first.
#[derive(Serialize, ToSchema)]
pub struct TopCustomers {
    /// The customers who owe the most.
    pub items: Vec<TopCustomer>,
}

/// The customers who owe the most, JSON or CSV.
#[utoipa::path(get, path = "/v1/reports/top-customers", tag = "reports", security(("bearer" = [])), params(TopCustomersQuery),
    responses((status = 200, description = "JSON, or CSV with `format=csv`", content((TopCustomers = "application/json"), (String = "text/csv")))))]
pub async fn top_customers_report(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(q): QueryParams<TopCustomersQuery>,
) -> ApiResult<Response> {
    let (items, cur) = app.top_customers(&actor, &q).await?;
    Ok(if wants_csv(q.format.as_deref())? {
        csv(top_customers_csv(&items, cur)?, "top-customers.csv")
    } else {
        Json(TopCustomers { items }).into_response()
    })
}

/// The invoice report: the invoice list's filters, up to 1000 rows a page,
/// JSON or CSV (the next page's cursor is then in `Hisaab-Next-Cursor`).
#[utoipa::path(get, path = "/v1/reports/invoices", tag = "reports", security(("bearer" = [])), params(InvoiceFilter),
    responses((status = 200, description = "JSON, or CSV with `format=csv`", content((Page<InvoiceSummary> = "application/json"), (String = "text/csv"))), (status = 422, body = Problem)))]
pub async fn invoice_report(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(f): QueryParams<InvoiceFilter>,
) -> ApiResult<Response> {
    let as_csv = wants_csv(f.format.as_deref())?;
    let page = app
        .list_invoices(&actor, f, hisaab::ledger::invoices::MAX_FILTER_PAGE)
        .await?;
    if !as_csv {
        return Ok(Json(page).into_response());
    }
    let settings = app
        .business_settings(
            actor
                .business_id()
                .map_err(crate::problem::ApiError::from)?,
        )
        .await?;
    let mut res = csv(
        invoices_csv(&page.items, settings.currency())?,
        "invoices.csv",
    );
    if let Some(c) = &page.next_cursor
        && let Ok(v) = HeaderValue::from_str(c)
    {
        res.headers_mut().insert("hisaab-next-cursor", v);
    }
    Ok(res)
}
