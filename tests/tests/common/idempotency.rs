//! The `Idempotency-Key` check the suites share: a create sent twice with
//! one key gets the same answer twice, the second marked as a replay, and
//! the key with another body is the 422 naming `Idempotency-Key`.

use super::{Res, TestApp};
use axum::http::{Method, StatusCode};
use serde_json::Value;

/// One create to retry: `method path` by the holder of `token`, sent twice
/// with `body` under `key`, then once with `other` (a different body).
pub struct Retry<'a> {
    pub method: Method,
    pub path: String,
    pub token: &'a str,
    pub key: &'a str,
    pub body: Value,
    pub other: Value,
}

/// Sends the retry's three requests and asserts that the second answer is
/// the first (status and body) with `Idempotent-Replayed: true`, that the
/// first is not marked, and that the third is a 422 naming
/// `Idempotency-Key`. Returns the first answer.
pub async fn assert_replays(t: &TestApp, r: Retry<'_>) -> Res {
    let auth = format!("Bearer {}", r.token);
    let headers = [
        ("content-type", "application/json"),
        ("authorization", auth.as_str()),
        ("idempotency-key", r.key),
    ];
    let send = |body: &Value| {
        t.raw(
            r.method.clone(),
            &r.path,
            &headers,
            body.to_string().into_bytes(),
        )
    };
    let what = format!("{} {}", r.method, r.path);
    let first = send(&r.body).await;
    assert!(
        first.status.is_success(),
        "{what}: {} {}",
        first.status,
        first.body
    );
    assert!(
        first.headers.get("idempotent-replayed").is_none(),
        "{what}: a first answer is no replay"
    );
    let second = send(&r.body).await;
    assert_eq!(
        (second.status, &second.body),
        (first.status, &first.body),
        "{what}: the retry gets the first answer"
    );
    assert_eq!(
        second
            .headers
            .get("idempotent-replayed")
            .and_then(|v| v.to_str().ok()),
        Some("true"),
        "{what}: the retry is marked as a replay"
    );
    let other = send(&r.other).await;
    assert_eq!(
        other.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{what}: the key with another body: {}",
        other.body
    );
    assert_eq!(other.fields(), ["Idempotency-Key"], "{what}");
    first
}
