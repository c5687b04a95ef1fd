//! Routes of the local server only (`hisaab serve`, and the end-to-end
//! tests): `GET /_local/outbox` shows every SMS and mail "sent", and
//! `GET /_local/files/<key>?expires=&sig=` serves documents through the
//! short-lived links the files port hands out (the local stand-in for S3
//! presigned URLs), and `PUT /_local/uploads/<key>?ct=&max=&expires=&sig=`
//! takes the uploads those links allow (the stand-in for a presigned PUT).

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

/// The local-only routes, on the same process state as the API.
pub fn router(app: Hisaab) -> Router {
    Router::new()
        .route("/_local/outbox", get(outbox))
        .route("/_local/files/{*key}", get(file))
        .route(
            "/_local/uploads/{*key}",
            axum::routing::put(upload).layer(axum::extract::DefaultBodyLimit::max(
                hisaab::registry::uploads::UPLOAD_MAX_BYTES as usize + 1024,
            )),
        )
        .with_state(app)
}
