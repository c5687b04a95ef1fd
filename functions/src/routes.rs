//! The route table: every endpoint once, by name, method and path. The
//! local server mounts all of it; each Lambda binary mounts one route; a
//! test checks that `template.yaml`, `events/`, the binaries and the
//! OpenAPI document agree with it.

use crate::handlers::{auth, customers, me, meta, staff};
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
        route!("openapi", GET, "/v1/openapi.json", get(meta::openapi)),
    ]
}
