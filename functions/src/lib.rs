//! Hisaab's HTTP layer: axum handlers, the route table, problem documents,
//! and the two hosts of the same handlers — one Lambda per route
//! ([`lambda::run`]) and every route in one local server ([`api`]).

pub mod access;
pub mod extract;
pub mod handlers;
pub mod jobs;
pub mod lambda;
#[cfg(feature = "local")]
pub mod local;
pub mod openapi;
pub mod ports;
pub mod problem;
pub mod routes;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request, StatusCode};
use axum::response::IntoResponse;
use hisaab::Hisaab;
use problem::ApiError;
use routes::Route;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A router serving the given routes, each on the ports its access grants
/// ([`ports::restrict`]), with the edge layers every host shares: body
/// limit, request ids in logs and responses, panics caught as 500 problem
/// documents, problem documents for unknown paths and methods, and the
/// security headers of [`security_headers`].
pub fn router(app: Hisaab, routes: Vec<Route>) -> Router {
    let mut r = Router::new();
    for route in routes {
        let state = ports::restrict(&app, route.name, route.access);
        r = r.route(&route.path, route.handler.with_state(state));
    }
    r.fallback(|| async { ApiError::no_route() })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", "this path does not take that method")
        })
        .layer(DefaultBodyLimit::max(extract::MAX_BODY_BYTES))
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("handler panicked");
            ApiError::from(hisaab::Error::Internal(anyhow::anyhow!("panic"))).into_response()
        }))
        .layer(axum::middleware::map_response(security_headers))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
}

/// Headers on every answer of the API, whoever asked:
///
/// - `X-Content-Type-Options: nosniff`: a browser takes the declared type
///   (a CSV or a problem document is never run as a script);
/// - `Cache-Control: no-store` unless the handler chose its own: answers
///   carry ledgers, tokens and personal data, which no browser or proxy
///   cache may keep (OWASP's REST security cheat sheet);
/// - `Referrer-Policy: no-referrer`.
///
/// CORS is the host's: API Gateway's allow-list hosted (`CorsAllowOrigins`
/// in `template.yaml`), `hisaab serve --cors-origin` locally; none by
/// default, as the web app is served from the API's own origin.
pub async fn security_headers(mut res: axum::response::Response) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    res
}

/// Every route in one router (the local server, tests).
pub fn api(app: Hisaab) -> Router {
    router(app, routes::all())
}

/// The log filter from `RUST_LOG` (default `info`): a level, or
/// `target=level` directives separated by commas (`info,hisaab=debug`).
fn log_filter() -> tracing_subscriber::filter::Targets {
    use tracing_subscriber::filter::Targets;
    std::env::var("RUST_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| Targets::new().with_default(tracing::Level::INFO))
}

/// Sets up `tracing` for the local server: compact text, filtered by
/// `RUST_LOG`.
pub fn init_tracing() {
    use tracing_subscriber::prelude::*;
    let layer = tracing_subscriber::fmt::layer()
        .compact()
        .with_filter(log_filter());
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

/// Sets up `tracing` for a Lambda: JSON lines without timestamps (Lambda
/// adds its own), filtered by `RUST_LOG`. Apart from [`init_tracing`], so
/// that a function links only the JSON formatter.
pub fn init_json_tracing() {
    use tracing_subscriber::prelude::*;
    let layer = tracing_subscriber::fmt::layer()
        .json()
        .without_time()
        .with_filter(log_filter());
    let _ = tracing_subscriber::registry().with(layer).try_init();
}
