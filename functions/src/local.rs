//! Routes of the local server only (`hisaab serve`, and the end-to-end
//! tests): `GET /_local/outbox` shows every SMS and mail "sent", and
//! `GET /_local/files/<key>?expires=&sig=` serves documents through the
//! short-lived links the files port hands out (the local stand-in for S3
//! presigned URLs), and `PUT /_local/uploads/<key>?ct=&max=&expires=&sig=`
//! takes the uploads those links allow (the stand-in for a presigned PUT),
//! and `POST /_local/jobs/<name>` runs a scheduled job now.
//! [`web`] serves the built web app beside the API.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use hisaab::Hisaab;
use hisaab::local::OutboxMessage;
use serde::{Deserialize, Serialize};

/// Body of `GET /_local/outbox`.
#[derive(Serialize)]
struct OutboxPage {
    messages: Vec<OutboxMessage>,
}

async fn outbox(State(app): State<Hisaab>) -> Response {
    match app.outbox.as_ref().map(|o| o.messages()) {
        Some(Ok(messages)) => Json(OutboxPage { messages }).into_response(),
        Some(Err(e)) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The signature of a file link.
#[derive(Deserialize)]
struct FileLink {
    expires: i64,
    sig: String,
}

async fn file(
    State(app): State<Hisaab>,
    Path(key): Path<String>,
    Query(link): Query<FileLink>,
) -> Response {
    let found = app
        .local_files
        .as_ref()
        .and_then(|f| f.read(&key, link.expires, &link.sig, app.now_secs()));
    match found {
        Some(bytes) => {
            let ct = if key.ends_with(".pdf") {
                "application/pdf"
            } else {
                "application/octet-stream"
            };
            ([(header::CONTENT_TYPE, ct)], bytes).into_response()
        }
        // Like S3: an expired, altered or unknown link is refused.
        None => (StatusCode::FORBIDDEN, "this link is not valid (expired?)").into_response(),
    }
}

async fn upload(
    State(app): State<Hisaab>,
    Path(key): Path<String>,
    Query(link): Query<hisaab::local::UploadLink>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(files) = app.local_files.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match files.accept_upload(&key, &link, ct, &body, app.now_secs()) {
        Ok(()) => StatusCode::OK.into_response(),
        // Like S3: a bad signature or type is 403, a body too large 400.
        Err(e) if e.contains("larger") => (StatusCode::BAD_REQUEST, e).into_response(),
        Err(e) => (StatusCode::FORBIDDEN, e).into_response(),
    }
}

/// `POST /_local/jobs/{name}`: runs a scheduled job now and answers its
/// report (404 for an unknown job).
async fn run_job(State(app): State<Hisaab>, Path(name): Path<String>) -> Response {
    match crate::jobs::run_named(&app, &name, None).await {
        Some(Ok(report)) => Json(report).into_response(),
        Some(Err(e)) => crate::problem::ApiError::from(e).into_response(),
        None => (StatusCode::NOT_FOUND, format!("no job {name}")).into_response(),
    }
}

/// Runs every scheduled job in this process on its local schedule
/// ([`crate::jobs::Job::EVERY_MINUTES`]), as EventBridge does on AWS; the
/// first runs come a minute after start. A failed run is logged and the
/// schedule goes on.
pub fn spawn_schedules(app: Hisaab) {
    for job in crate::jobs::all() {
        let app = app.clone();
        tokio::spawn(async move {
            let every = std::time::Duration::from_secs(job.every_minutes * 60);
            let mut tick = tokio::time::interval_at(
                tokio::time::Instant::now() + std::time::Duration::from_secs(60),
                every,
            );
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let stop = std::time::Instant::now() + every;
                match crate::jobs::run_named(&app, job.name, Some(stop)).await {
                    Some(Ok(report)) => tracing::info!(job = job.name, %report, "job run"),
                    Some(Err(e)) => tracing::error!(job = job.name, error = %e, "job failed"),
                    None => {}
                }
            }
        });
    }
}

/// The local-only routes, on the same process state as the API.
pub fn router(app: Hisaab) -> Router {
    Router::new()
        .route("/_local/outbox", get(outbox))
        .route("/_local/jobs/{name}", axum::routing::post(run_job))
        .route("/_local/files/{*key}", get(file))
        .route(
            "/_local/uploads/{*key}",
            axum::routing::put(upload).layer(axum::extract::DefaultBodyLimit::max(
                hisaab::registry::uploads::UPLOAD_MAX_BYTES as usize + 1024,
            )),
        )
        .with_state(app)
}

/// The built web app (`web/dist`, see the README) for every path that is
/// not the API's: the file when there is one, else `index.html`, so that
/// the app's own routes (`/admin/transactions/…`) survive a reload (the
/// SPA fallback). Paths under `/v1/` and `/_local/` stay problem documents.
/// Everything is sent `Cache-Control: no-cache` (revalidated by its
/// `Last-Modified`): a rebuilt app shows at the next reload. When `dir`
/// holds no `index.html`, every page says how to build the app.
pub fn web(dir: &std::path::Path) -> Router {
    use tower_http::services::{ServeDir, ServeFile};
    use tower_http::set_header::SetResponseHeaderLayer;
    let index = dir.join("index.html");
    if !index.is_file() {
        let dir = dir.display().to_string();
        return Router::new().fallback(move |uri: axum::http::Uri| async move {
            if is_api(uri.path()) {
                return crate::problem::ApiError::no_route().into_response();
            }
            (
                StatusCode::NOT_FOUND,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!(
                    "The web app is not built ({dir} has no index.html).\n\
                     Build it with: (cd web && npm ci && npm run build)\n\
                     The API is at /v1/ (its document: /v1/openapi.json).\n"
                ),
            )
                .into_response()
        });
    }
    let files = ServeDir::new(dir).fallback(ServeFile::new(index));
    let files = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-cache"),
        ))
        .service(files);
    Router::new().fallback(move |req: axum::extract::Request| {
        let files = files.clone();
        async move {
            if is_api(req.uri().path()) {
                return crate::problem::ApiError::no_route().into_response();
            }
            match tower::ServiceExt::oneshot(files, req).await {
                Ok(res) => res.into_response(),
                Err(never) => match never {},
            }
        }
    })
}

/// Whether `path` belongs to the API or the local-only routes.
fn is_api(path: &str) -> bool {
    path == "/v1" || path.starts_with("/v1/") || path.starts_with("/_local/")
}
