//! The route table: every endpoint once. A line names the handler, whose
//! `#[utoipa::path]` annotation gives the method, the path and the OpenAPI
//! operation, and the AWS access the route needs:
//!
//! - `read` / `write`: the DynamoDB table (write includes read, and the
//!   signing key in SSM comes with either);
//! - `sms` (SNS `Publish`), `mail` (SES `SendEmail`);
//! - `files_read` (S3 `GetObject`: presigned GETs, `HeadObject`) and
//!   `files_write` (S3 `PutObject`: stores and presigned PUTs).
//!
//! From this table, `cargo xtask codegen` writes each route's Lambda entry
//! point (`functions/src/bin/<name>.rs`), its `[[bin]]` in
//! `functions/Cargo.toml`, its sample event (`events/<name>.json`) and its
//! function in `template.yaml`, with one IAM role per access class; a test
//! fails when any of them is stale. Both hosts give each route only the
//! ports its access names (see [`crate::ports`]), so a handler that reaches
//! for more fails in every test that takes that path.
//!
//! Adding an endpoint: write the handler with its annotation, add its line
//! here, run `cargo xtask codegen`.

use crate::access::Access;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter};
use hisaab::Hisaab;
use utoipa::openapi::path::Paths;
use utoipa::openapi::{HttpMethod, RefOr, schema::Schema};

/// One endpoint, as both hosts mount it.
pub struct Route {
    /// Name of the route, its handler, its Lambda binary and its sample
    /// event (`snake_case`); also the OpenAPI `operationId`.
    pub name: &'static str,
    /// What the route may touch.
    pub access: Access,
    /// HTTP method, from the handler's annotation.
    pub method: Method,
    /// Path template with `{param}` segments, from the handler's annotation.
    pub path: String,
    /// The handler.
    pub handler: MethodRouter<Hisaab>,
}

impl Route {
    /// A route of `handler`, whose annotation declared exactly one method.
    fn new<H, T>(
        name: &'static str,
        access: Access,
        methods: Vec<HttpMethod>,
        path: String,
        handler: H,
    ) -> Route
    where
        H: Handler<T, Hisaab>,
        T: 'static,
    {
        let [method] = &methods[..] else {
            panic!("{name}: a route has one method, not {}", methods.len());
        };
        let (method, filter) = match method {
            HttpMethod::Get => (Method::GET, MethodFilter::GET),
            HttpMethod::Post => (Method::POST, MethodFilter::POST),
            HttpMethod::Put => (Method::PUT, MethodFilter::PUT),
            HttpMethod::Patch => (Method::PATCH, MethodFilter::PATCH),
            HttpMethod::Delete => (Method::DELETE, MethodFilter::DELETE),
            _ => panic!("{name}: a route is GET, POST, PUT, PATCH or DELETE"),
        };
        Route {
            name,
            access,
            method,
            path,
            handler: axum::routing::on(filter, handler),
        }
    }
}

/// A route known by its type, so that a Lambda entry point can name it
/// statically: `lambda::run::<routes::GetMe>()` links `get_me`'s handler
/// and the clients of its access, and nothing else.
pub trait Endpoint: crate::access::Needs {
    /// The route.
    fn route() -> Route;
}

/// Declares the table: for each line, a type implementing [`Endpoint`]
/// (the handler's name in `CamelCase`), [`all`] and [`openapi_paths`].
macro_rules! routes {
    ($( $(#[$doc:meta])* $module:ident :: $handler:ident => [$($flag:ident),*], )*) => {
        pastey::paste! {
            $(
                #[doc = "`" $module "::" $handler "`, with access `[" $(" " $flag)* " ]`."]
                pub struct [<$handler:camel>];

                impl crate::access::Needs for [<$handler:camel>] {
                    const ACCESS: Access = Access::NONE $(.$flag())*;
                }

                impl Endpoint for [<$handler:camel>] {
                    fn route() -> Route {
                        use utoipa::Path as _;
                        type Doc = crate::handlers::$module::[<__path_ $handler>];
                        Route::new(
                            stringify!($handler),
                            <Self as crate::access::Needs>::ACCESS,
                            Doc::methods(),
                            Doc::path(),
                            crate::handlers::$module::$handler,
                        )
                    }
                }
            )*

            /// Every route of the API, in table order.
            pub fn all() -> Vec<Route> {
                vec![$([<$handler:camel>]::route()),*]
            }

            /// The OpenAPI paths of every route and the schemas they use,
            /// from the handlers' own annotations.
            pub fn openapi_paths() -> (Paths, Vec<(String, RefOr<Schema>)>) {
                let mut paths = Paths::new();
                let mut schemas = Vec::new();
                $({
                    let (s, p, _): (_, _, MethodRouter<Hisaab>) =
                        utoipa_axum::routes!(crate::handlers::$module::$handler);
                    paths.merge(p);
                    schemas.extend(s);
                })*
                (paths, schemas)
            }
        }
    };
}

routes! {
    // Identity and sessions
    auth::register => [write, sms, mail],
    auth::otp_send => [write, sms],
    auth::otp_verify => [write],
    auth::login => [write, sms],
    auth::refresh => [write],
    auth::logout => [write],
    auth::password_forgot => [write, mail],
    auth::password_reset => [write],
    me::get_me => [read],
    me::update_me => [write],
    staff::add_staff => [write, sms],
    staff::list_staff => [read],
    staff::remove_staff => [write],
    // Customers
    customers::create_customer => [write],
    customers::list_customers => [read],
    customers::get_customer => [read],
    customers::update_customer => [write],
    customers::deactivate_customer => [write],
    // Catalogue and settings
    settings::get_settings => [read],
    settings::update_settings => [write],
    catalogue::create_product => [write],
    catalogue::list_products => [read],
    catalogue::get_product => [read],
    catalogue::update_product => [write],
    catalogue::deactivate_product => [write],
    catalogue::create_category => [write],
    catalogue::list_categories => [read],
    catalogue::rename_category => [write],
    catalogue::delete_category => [write],
    // Inventory
    stock::create_supplier => [write],
    stock::list_suppliers => [read],
    stock::get_supplier => [read],
    stock::update_supplier => [write],
    stock::create_receipt => [write],
    stock::list_receipts => [read],
    stock::get_receipt => [read],
    stock::create_adjustment => [write],
    stock::stock_on_hand => [read],
    stock::product_movements => [read],
    stock::stock_valuation => [read],
    // Invoices and payments
    invoices::create_invoice => [write],
    invoices::list_invoices => [read],
    invoices::get_invoice => [read],
    invoices::update_invoice => [write],
    invoices::issue_invoice => [write],
    invoices::cancel_invoice => [write],
    invoices::delete_invoice => [write],
    invoices::invoice_pdf => [read, files_read, files_write],
    invoices::list_customer_invoices => [read],
    notifications::send_invoice => [write, sms, mail],
    payments::pay_invoice => [write],
    payments::list_invoice_payments => [read],
    payments::pay_customer => [write],
    payments::list_customer_payments => [read],
    payments::void_payment => [write],
    // Reports
    reports::dashboard => [read],
    reports::sales_report => [read],
    reports::aging_report => [read],
    reports::top_customers_report => [read],
    reports::invoice_report => [read],
    // Orders and deliveries
    orders::list_vendors => [read],
    months::vendor_month => [read],
    vendors::vendor_invoices => [read],
    vendors::vendor_invoice => [read],
    vendors::vendor_invoice_pdf => [read, files_read, files_write],
    vendors::vendor_payments => [read],
    orders::create_order => [write, sms],
    orders::list_orders => [read],
    orders::get_order => [read],
    orders::update_order => [write, sms],
    orders::delete_order => [write],
    orders::confirm_order_change => [write],
    orders::reject_order_change => [write],
    orders::accept_order => [write, sms],
    orders::decline_order => [write, sms],
    deliveries::mark_delivery => [write],
    deliveries::list_order_deliveries => [read],
    months::order_month => [read],
    deliveries::mark_deliveries_bulk => [write],
    deliveries::list_deliveries => [read],
    deliveries::get_delivery => [read],
    deliveries::correct_delivery => [write],
    deliveries::create_comment => [write],
    deliveries::list_comments => [read],
    deliveries::update_comment => [write],
    deliveries::delete_comment => [write],
    deliveries::list_customer_deliveries => [read],
    months::customer_month => [read],
    months::business_month => [read],
    months::settle_month => [write],
    months::reopen_month => [write],
    // Registry
    registry::search_companies => [read],
    registry::get_company => [read],
    registry::create_upload => [write, files_write],
    registry::create_report => [write, sms, mail, files_read],
    registry::list_reports => [read],
    registry::reports_about_me => [read],
    registry::get_report => [read, files_read],
    registry::mark_report_paid => [write],
    registry::create_dispute => [write, sms, mail, files_read],
    registry::answer_dispute => [write, files_read],
    registry::create_edit_request => [write],
    // Platform admin
    admin::admin_transactions => [read],
    admin::admin_transaction => [read, files_read],
    admin::act_on_transaction => [write, sms, mail],
    admin::admin_disputes => [read],
    admin::decide_dispute => [write, sms, mail],
    admin::admin_edit_requests => [read],
    admin::decide_edit_request => [write, sms, mail],
    admin::wrong_report_metrics => [read],
    admin::disable_business => [write],
    admin::enable_business => [write],
    admin::disable_user => [write],
    admin::enable_user => [write],
    admin::admin_stats => [read],
    admin::admin_users => [read],
    admin::admin_add_user => [write],
    admin::admin_businesses => [read],
    admin::admin_companies => [read],
    admin::list_employees => [read],
    admin::add_employee => [write],
    admin::change_employee_level => [write],
    admin::admin_password_reset => [write, mail],
    admin::audit_log => [read],
    admin::request_export => [write],
    admin::list_admin_exports => [read],
    admin::admin_export => [write, files_read],
    // Notifications
    notifications::list_templates => [read],
    notifications::put_template => [write],
    notifications::delete_template => [write],
    notifications::preview_template => [read],
    notifications::list_notifications => [read],
    notifications::shared_invoice => [read, files_read, files_write],
    notifications::opt_out_status => [read],
    notifications::opt_out => [write],
    // Meta
    meta::openapi => [],
}
