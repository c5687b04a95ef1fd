//! Hisaab's HTTP layer: axum handlers, the route table, problem documents,
//! and the two hosts of the same handlers — one Lambda per route
//! ([`lambda_main`]) and every route in one local server ([`router`]).

pub mod extract;
pub mod handlers;
pub mod local;
pub mod openapi;
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

/// A router serving the given routes with the edge layers every host
/// shares: body limit, request ids in logs and responses, panics caught
/// as 500 problem documents, problem documents for unknown paths and
/// methods.
pub fn router(app: Hisaab, routes: &[Route]) -> Router {
    let mut r: Router<Hisaab> = Router::new();
    for route in routes {
        r = r.route(route.path, (route.handler)());
    }
    r.fallback(|| async { ApiError::no_route() })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", "this path does not take that method")
        })
        .with_state(app)
        .layer(DefaultBodyLimit::max(extract::MAX_BODY_BYTES))
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("handler panicked");
            ApiError::from(hisaab::Error::Internal(anyhow::anyhow!("panic"))).into_response()
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
}

/// Every route in one router (the local server, tests).
pub fn api(app: Hisaab) -> Router {
    router(app, &routes::routes())
}

/// Sets up `tracing`: JSON lines (for CloudWatch) or compact text, filtered
/// by `RUST_LOG` (default `info`).
pub fn init_tracing(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let b = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = if json {
        b.json().without_time().try_init()
    } else {
        b.compact().try_init()
    };
}

/// The whole `main` of a Lambda binary: builds the process state once from
/// the environment (see [`Hisaab::aws_from_env`]) and serves the one named
/// route through the Lambda runtime (API Gateway HTTP API v2 events).
pub fn lambda_main(name: &str) -> Result<(), lambda_http::Error> {
    init_tracing(true);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let route = routes::routes()
            .into_iter()
            .find(|r| r.name == name)
            .ok_or_else(|| format!("no route named {name}"))?;
        let app = Hisaab::aws_from_env().await?;
        lambda_http::run(router(app, &[route])).await
    })
}
