//! RFC 9457 problem documents: every error leaves the API as
//! `application/problem+json` with a stable `type`, a `title`, the
//! `status`, a human `detail` and, for input errors, `errors[]` naming the
//! fields. A 500 logs its cause and shows none of it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hisaab::{Error, FieldError};
use serde::Serialize;
use utoipa::ToSchema;

/// Prefix of every problem `type` URI; the slug after it is stable.
pub const TYPE_PREFIX: &str = "urn:hisaab:problem:";

/// A problem document (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"type": "urn:hisaab:problem:validation-error", "title": "Invalid input", "status": 422,
    "detail": "invalid phone", "errors": [{"field": "phone", "code": "invalid_phone",
    "detail": "without a country code a number must have 10 digits; give the number in E.164 form such as +919876543210, or 10 digits for India"}]}))]
pub struct Problem {
    /// `urn:hisaab:problem:<slug>`, stable per kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time.
    pub detail: String,
    /// The fields at fault, for input errors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// An error on its way out of a handler.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    slug: &'static str,
    title: &'static str,
    detail: String,
    errors: Vec<FieldError>,
    retry_after: Option<u64>,
}

impl ApiError {
    /// A problem of the given status, slug and detail.
    pub fn new(
        status: StatusCode,
        slug: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            slug,
            title,
            detail: detail.into(),
            errors: vec![],
            retry_after: None,
        }
    }

    /// Adds the fields at fault.
    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    /// 400 for a body or query that cannot be read as the endpoint's shape.
    pub fn bad_input(detail: impl Into<String>, errors: Vec<FieldError>) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid-request",
            "The request cannot be read",
            detail,
        )
        .with_errors(errors)
    }

    /// 404 for a path no route serves.
    pub fn no_route() -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            "no such resource",
        )
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        use StatusCode as S;
        match e {
            Error::Validation(errors) => ApiError::new(
                S::UNPROCESSABLE_ENTITY,
                "validation-error",
                "Invalid input",
                format!(
                    "invalid {}",
                    errors
                        .iter()
                        .map(|e| e.field.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_errors(errors),
            Error::BadRequest {
                kind,
                detail,
                errors,
            } => ApiError::new(S::BAD_REQUEST, kind, "Bad request", detail).with_errors(errors),
            Error::Unauthorized { kind, detail } => {
                ApiError::new(S::UNAUTHORIZED, kind, "Not authenticated", detail)
            }
            Error::Forbidden(d) => ApiError::new(S::FORBIDDEN, "forbidden", "Not allowed", d),
            Error::NotFound(what) => ApiError::new(
                S::NOT_FOUND,
                "not-found",
                "Not found",
                format!("{what} not found"),
            ),
            Error::Conflict { detail, errors } => {
                ApiError::new(S::CONFLICT, "conflict", "Conflict", detail).with_errors(errors)
            }
            Error::RateLimited {
                retry_after_secs,
                detail,
            } => ApiError {
                retry_after: Some(retry_after_secs),
                ..ApiError::new(
                    S::TOO_MANY_REQUESTS,
                    "rate-limited",
                    "Too many requests",
                    detail,
                )
            },
            Error::Unavailable {
                retry_after_secs,
                detail,
            } => ApiError {
                retry_after: Some(retry_after_secs),
                ..ApiError::new(
                    S::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "Service unavailable",
                    detail,
                )
            },
            Error::Internal(cause) => {
                tracing::error!(error = ?cause, "internal error");
                ApiError::new(
                    S::INTERNAL_SERVER_ERROR,
                    "internal-error",
                    "Internal error",
                    "something went wrong on our side; it has been logged",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Problem {
            kind: format!("{TYPE_PREFIX}{}", self.slug),
            title: self.title.into(),
            status: self.status.as_u16(),
            detail: self.detail,
            errors: self.errors,
        };
        let mut res = (self.status, axum::Json(body)).into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(s) = self.retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            h.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
