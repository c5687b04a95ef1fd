//! The route table: every endpoint once, by name, method and path. The
//! local server mounts all of it; each Lambda binary mounts one route; a
//! test checks that `template.yaml`, `events/`, the binaries and the
//! OpenAPI document agree with it.

use crate::handlers::{
    auth, catalogue, customers, invoices, me, meta, payments, reports, settings, staff,
};
use axum::http::Method;
use axum::routing::{MethodRouter, delete, get, patch, post};
use hisaab::Hisaab;

/// One endpoint.
pub struct Route {
    /// Name of the Lambda binary and of `events/<name>.json` (snake_case).
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template with `{param}` segments, as in OpenAPI.
    pub path: &'static str,
    /// Builds the handler.
    pub handler: fn() -> MethodRouter<Hisaab>,
}

macro_rules! route {
    ($name:literal, $method:ident, $path:literal, $via:ident($handler:path)) => {
        Route {
            name: $name,
            method: Method::$method,
            path: $path,
            handler: || $via($handler),
        }
    };
}

/// Every route of the API.
pub fn routes() -> Vec<Route> {
    vec![
        route!("register", POST, "/v1/auth/register", post(auth::register)),
        route!("otp_send", POST, "/v1/auth/otp", post(auth::otp_send)),
        route!(
            "otp_verify",
            POST,
            "/v1/auth/otp/verify",
            post(auth::otp_verify)
        ),
        route!("login", POST, "/v1/auth/login", post(auth::login)),
        route!("refresh", POST, "/v1/auth/refresh", post(auth::refresh)),
        route!("logout", POST, "/v1/auth/logout", post(auth::logout)),
        route!(
            "password_forgot",
            POST,
            "/v1/auth/password/forgot",
            post(auth::password_forgot)
        ),
        route!(
            "password_reset",
            POST,
            "/v1/auth/password/reset",
            post(auth::password_reset)
        ),
        route!("get_me", GET, "/v1/me", get(me::get_me)),
        route!("update_me", PATCH, "/v1/me", patch(me::update_me)),
        route!(
            "add_staff",
            POST,
            "/v1/business/staff",
            post(staff::add_staff)
        ),
        route!(
            "list_staff",
            GET,
            "/v1/business/staff",
            get(staff::list_staff)
        ),
        route!(
            "remove_staff",
            DELETE,
            "/v1/business/staff/{user_id}",
            delete(staff::remove_staff)
        ),
        route!(
            "create_customer",
            POST,
            "/v1/customers",
            post(customers::create_customer)
        ),
        route!(
            "list_customers",
            GET,
            "/v1/customers",
            get(customers::list_customers)
        ),
        route!(
            "get_customer",
            GET,
            "/v1/customers/{customer_id}",
            get(customers::get_customer)
        ),
        route!(
            "update_customer",
            PATCH,
            "/v1/customers/{customer_id}",
            patch(customers::update_customer)
        ),
        route!(
            "deactivate_customer",
            DELETE,
            "/v1/customers/{customer_id}",
            delete(customers::deactivate_customer)
        ),
        route!(
            "get_settings",
            GET,
            "/v1/business/settings",
            get(settings::get_settings)
        ),
        route!(
            "update_settings",
            PATCH,
            "/v1/business/settings",
            patch(settings::update_settings)
        ),
        route!(
            "create_product",
            POST,
            "/v1/products",
            post(catalogue::create_product)
        ),
        route!(
            "list_products",
            GET,
            "/v1/products",
            get(catalogue::list_products)
        ),
        route!(
            "get_product",
            GET,
            "/v1/products/{product_id}",
            get(catalogue::get_product)
        ),
        route!(
            "update_product",
            PATCH,
            "/v1/products/{product_id}",
            patch(catalogue::update_product)
        ),
        route!(
            "deactivate_product",
            DELETE,
            "/v1/products/{product_id}",
            delete(catalogue::deactivate_product)
        ),
        route!(
            "create_category",
            POST,
            "/v1/categories",
            post(catalogue::create_category)
        ),
        route!(
            "list_categories",
            GET,
            "/v1/categories",
            get(catalogue::list_categories)
        ),
        route!(
            "rename_category",
            PATCH,
            "/v1/categories/{category_id}",
            patch(catalogue::rename_category)
        ),
        route!(
            "delete_category",
            DELETE,
            "/v1/categories/{category_id}",
            delete(catalogue::delete_category)
        ),
        route!(
            "create_invoice",
            POST,
            "/v1/invoices",
            post(invoices::create_invoice)
        ),
        route!(
            "list_invoices",
            GET,
            "/v1/invoices",
            get(invoices::list_invoices)
        ),
        route!(
            "get_invoice",
            GET,
            "/v1/invoices/{invoice_id}",
            get(invoices::get_invoice)
        ),
        route!(
            "update_invoice",
            PATCH,
            "/v1/invoices/{invoice_id}",
            patch(invoices::update_invoice)
        ),
        route!(
            "issue_invoice",
            POST,
            "/v1/invoices/{invoice_id}/issue",
            post(invoices::issue_invoice)
        ),
        route!(
            "cancel_invoice",
            POST,
            "/v1/invoices/{invoice_id}/cancel",
            post(invoices::cancel_invoice)
        ),
        route!(
            "invoice_pdf",
            GET,
            "/v1/invoices/{invoice_id}/pdf",
            get(invoices::invoice_pdf)
        ),
        route!(
            "list_customer_invoices",
            GET,
            "/v1/customers/{customer_id}/invoices",
            get(invoices::list_customer_invoices)
        ),
        route!(
            "pay_invoice",
            POST,
            "/v1/invoices/{invoice_id}/payments",
            post(payments::pay_invoice)
        ),
        route!(
            "list_invoice_payments",
            GET,
            "/v1/invoices/{invoice_id}/payments",
            get(payments::list_invoice_payments)
        ),
        route!(
            "pay_customer",
            POST,
            "/v1/customers/{customer_id}/payments",
            post(payments::pay_customer)
        ),
        route!(
            "list_customer_payments",
            GET,
            "/v1/customers/{customer_id}/payments",
            get(payments::list_customer_payments)
        ),
        route!(
            "void_payment",
            POST,
            "/v1/payments/{payment_id}/void",
            post(payments::void_payment)
        ),
        route!(
            "dashboard",
            GET,
            "/v1/reports/dashboard",
            get(reports::dashboard)
        ),
        route!(
            "sales_report",
            GET,
            "/v1/reports/sales",
            get(reports::sales_report)
        ),
        route!(
            "aging_report",
            GET,
            "/v1/reports/aging",
            get(reports::aging_report)
        ),
        route!(
            "top_customers_report",
            GET,
            "/v1/reports/top-customers",
            get(reports::top_customers_report)
        ),
        route!(
            "invoice_report",
            GET,
            "/v1/reports/invoices",
            get(reports::invoice_report)
        ),
        route!("openapi", GET, "/v1/openapi.json", get(meta::openapi)),
    ]
}
