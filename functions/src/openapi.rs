//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use crate::handlers::{
    self, admin, auth, catalogue, customers, deliveries, invoices, me, meta, months, orders,
    payments, registry, reports, settings, staff,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Hisaab API", description = "Receivables and trade credit for small businesses. Amounts are integers in paise; timestamps are RFC 3339 UTC; errors are RFC 9457 problem documents."),
    paths(
        auth::register, auth::otp_send, auth::otp_verify, auth::login, auth::refresh, auth::logout,
        auth::password_forgot, auth::password_reset,
        me::get_me, me::update_me,
        staff::add_staff, staff::list_staff, staff::remove_staff,
        customers::create_customer, customers::list_customers, customers::get_customer,
        customers::update_customer, customers::deactivate_customer,
        settings::get_settings, settings::update_settings,
        catalogue::create_product, catalogue::list_products, catalogue::get_product,
        catalogue::update_product, catalogue::deactivate_product,
        catalogue::create_category, catalogue::list_categories, catalogue::rename_category,
        catalogue::delete_category,
        invoices::create_invoice, invoices::list_invoices, invoices::get_invoice,
        invoices::update_invoice, invoices::issue_invoice, invoices::cancel_invoice,
        invoices::invoice_pdf, invoices::list_customer_invoices,
        payments::pay_invoice, payments::list_invoice_payments, payments::pay_customer,
        payments::list_customer_payments, payments::void_payment,
        reports::dashboard, reports::sales_report, reports::aging_report,
        reports::top_customers_report, reports::invoice_report,
        orders::list_vendors,
        months::vendor_month,
        orders::create_order,
        orders::list_orders,
        orders::get_order,
        orders::update_order,
        orders::delete_order,
        orders::confirm_order_change,
        orders::reject_order_change,
        orders::accept_order,
        orders::decline_order,
        deliveries::mark_delivery,
        deliveries::list_order_deliveries,
        months::order_month,
        deliveries::mark_deliveries_bulk,
        deliveries::list_deliveries,
        deliveries::get_delivery,
        deliveries::correct_delivery,
        deliveries::create_comment,
        deliveries::list_comments,
        deliveries::update_comment,
        deliveries::delete_comment,
        deliveries::list_customer_deliveries,
        months::customer_month,
        months::settle_month,
        months::reopen_month,
        meta::openapi,
        registry::search_companies,
        registry::get_company,
        registry::create_upload,
        registry::create_report,
        registry::list_reports,
        registry::get_report,
        registry::mark_report_paid,
        registry::create_dispute,
        registry::create_edit_request,
        admin::admin_transactions,
        admin::admin_transaction,
        admin::act_on_transaction,
        admin::admin_disputes,
        admin::decide_dispute,
        admin::admin_edit_requests,
        admin::decide_edit_request,
        admin::wrong_report_metrics,
        admin::disable_business,
        admin::enable_business,
        admin::disable_user,
        admin::enable_user,
        admin::admin_stats,
        admin::admin_users,
        admin::admin_add_user,
        admin::admin_businesses,
        admin::admin_companies,
        admin::list_employees,
        admin::add_employee,
        admin::change_employee_level,
        admin::admin_password_reset,
        admin::audit_log,
    ),
    components(schemas(handlers::Accepted, crate::problem::Problem, hisaab::FieldError)),
    modifiers(&BearerAuth),
    tags((name = "auth"), (name = "me"), (name = "business"), (name = "customers"), (name = "catalogue"),
        (name = "invoices"), (name = "payments"), (name = "reports"), (name = "orders"), (name = "deliveries"), (name = "months"), (name = "registry"), (name = "admin"), (name = "meta"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let c = doc.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
