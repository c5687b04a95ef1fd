//! Request extractors that answer with problem documents: a JSON body read
//! strictly (unknown fields refused, every error naming its field, a size
//! limit), a query string read the same way, the bearer token, and the
//! `Idempotency-Key` header.

use crate::problem::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{StatusCode, header, request::Parts};
use hisaab::identity::Actor;
use hisaab::{FieldError, Hisaab};
use serde::de::DeserializeOwned;

/// Largest request body accepted: 64 KiB.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A JSON request body and the SHA-256 (hex) of its bytes.
pub struct JsonBody<T> {
    /// The parsed body.
    pub value: T,
    /// SHA-256 of the raw body, for idempotency fingerprints.
    pub sha256: String,
}

/// The start of the message of a value that reads but breaks a rule of its
/// type (see [`hisaab::money::INVALID_VALUE`]).
const INVALID_VALUE: &str = hisaab::money::INVALID_VALUE;

/// Turns a serde error at a path into the field error that names it.
fn field_error(path: String, e: &serde_json::Error) -> FieldError {
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    let quoted = msg.split('`').nth(1).unwrap_or_default().to_string();
    // serde_path_to_error ends the path with the unknown field itself, but
    // stops at the parent for a missing one.
    let join = |name: &str| {
        if path.is_empty() || path == "." {
            name.to_string()
        } else if path == name || path.ends_with(&format!(".{name}")) {
            path.clone()
        } else {
            format!("{path}.{name}")
        }
    };
    if msg.starts_with("unknown field") {
        FieldError::new(
            join(&quoted),
            "unknown_field",
            "this field is not part of the request",
        )
    } else if msg.starts_with("missing field") {
        FieldError::new(join(&quoted), "required", "this field is required")
    } else if let Some(rule) = msg.strip_prefix(INVALID_VALUE) {
        let field = if path.is_empty() || path == "." {
            "body".to_string()
        } else {
            path
        };
        FieldError::new(field, "invalid_value", rule.to_string())
    } else {
        let field = if path.is_empty() || path == "." {
            "body".to_string()
        } else {
            path
        };
        FieldError::new(field, "invalid_type", msg)
    }
}

/// Parses JSON strictly, naming the field of the first error.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Ok(v),
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "malformed-json",
                    "Malformed JSON",
                    format!("the body is not valid JSON: {inner}"),
                ))
            } else {
                let fe = field_error(path, &inner);
                if fe.code == "invalid_value" {
                    // The right JSON type breaking a rule of the value
                    // (a quantity with four decimals): a 422, as the
                    // domain's own checks give.
                    return Err(hisaab::Error::Validation(vec![fe]).into());
                }
                Err(ApiError::bad_input(
                    format!("{}: {}", fe.field, fe.detail),
                    vec![fe],
                ))
            }
        }
    }
}

/// Whether the request says its body is `application/json`.
fn is_json(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        })
}

fn not_json() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported-media-type",
        "Unsupported media type",
        "send the body as application/json",
    )
}

/// The body's bytes, within [`MAX_BODY_BYTES`] (413 beyond).
async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state).await.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                "Body too large",
                format!("the body is over {MAX_BODY_BYTES} bytes"),
            )
        } else {
            ApiError::bad_input(r.body_text(), vec![])
        }
    })
}

impl<T: DeserializeOwned> JsonBody<T> {
    fn parse(bytes: &[u8]) -> Result<Self, ApiError> {
        Ok(JsonBody {
            value: parse_json(bytes)?,
            sha256: hisaab::crypto::sha256_hex(&String::from_utf8_lossy(bytes)),
        })
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(&req) {
            return Err(not_json());
        }
        Self::parse(&body_bytes(req, state).await?)
    }
}

/// An optional body (`Option<JsonBody<T>>`): an empty body is `None`;
/// anything else is read as [`JsonBody`] is.
impl<S: Send + Sync, T: DeserializeOwned> axum::extract::OptionalFromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, ApiError> {
        let json = is_json(&req);
        let bytes = body_bytes(req, state).await?;
        if bytes.is_empty() {
            Ok(None)
        } else if !json {
            Err(not_json())
        } else {
            Self::parse(&bytes).map(Some)
        }
    }
}

/// A query string parsed strictly (unknown parameters refused).
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let q = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(q.as_bytes()));
        serde_path_to_error::deserialize::<_, T>(de)
            .map(QueryParams)
            .map_err(|err| {
                let path = err.path().to_string();
                let msg = err.into_inner().to_string();
                let quoted = msg.split('`').nth(1).unwrap_or_default().to_string();
                let fe = if msg.starts_with("unknown field") {
                    FieldError::new(
                        quoted,
                        "unknown_parameter",
                        "this query parameter is not supported",
                    )
                } else {
                    FieldError::new(
                        if path == "." { "query".into() } else { path },
                        "invalid_value",
                        msg,
                    )
                };
                ApiError::bad_input(format!("{}: {}", fe.field, fe.detail), vec![fe])
            })
    }
}

/// The authenticated caller (`Authorization: Bearer <access token>`).
pub struct Auth(pub Actor);

impl FromRequestParts<Hisaab> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Hisaab) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::from(hisaab::Error::unauthorized(
                    "missing-token",
                    "send the access token as Authorization: Bearer <token>",
                ))
            })?;
        Ok(Auth(app.authenticate(token).await?))
    }
}

/// An authenticated platform admin (any level): everyone else gets 403
/// before the request body is read. The level each action needs is checked
/// by the domain.
pub struct AdminAuth(pub Actor);

impl FromRequestParts<Hisaab> for AdminAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Hisaab) -> Result<Self, ApiError> {
        let Auth(actor) = Auth::from_request_parts(parts, app).await?;
        if !actor.user.role.is_admin() {
            return Err(ApiError::from(hisaab::Error::Forbidden(
                "only platform admins may do this".into(),
            )));
        }
        Ok(AdminAuth(actor))
    }
}

/// The owner of a business: staff, customer users and admins get 403
/// before the request body is read. Staff record and read; only the owner
/// destroys or reverses (cancel, void, deactivate, delete, settle and
/// reopen a month, settings, staff). The domain checks the same rule
/// ([`hisaab::identity::Actor::owned_business_id`]), so no host can skip it.
pub struct OwnerAuth(pub Actor);

impl FromRequestParts<Hisaab> for OwnerAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Hisaab) -> Result<Self, ApiError> {
        let Auth(actor) = Auth::from_request_parts(parts, app).await?;
        actor.owned_business_id()?;
        Ok(OwnerAuth(actor))
    }
}

/// The address the request came from: API Gateway's
/// `requestContext.http.sourceIp` on Lambda, the socket's peer in the local
/// server; `None` when neither is known (a router called in-process). Never
/// a header: `X-Forwarded-For` is the client's to write.
pub struct SourceIp(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for SourceIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        use lambda_http::request::RequestContext;
        if let Some(RequestContext::ApiGatewayV2(c)) = parts.extensions.get::<RequestContext>() {
            return Ok(SourceIp(
                c.http.source_ip.as_deref().and_then(|s| s.parse().ok()),
            ));
        }
        Ok(SourceIp(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// The `Idempotency-Key` header, when sent, with the method and path of
/// the request it came with.
pub struct IdempotencyKey {
    key: Option<String>,
    method: axum::http::Method,
    path: String,
}

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let key = match parts.headers.get("idempotency-key") {
            None => None,
            Some(v) => Some(v.to_str().map(str::to_string).map_err(|_| {
                ApiError::bad_input(
                    "Idempotency-Key must be visible ASCII",
                    vec![FieldError::new(
                        "Idempotency-Key",
                        "invalid",
                        "visible ASCII only",
                    )],
                )
            })?),
        };
        Ok(IdempotencyKey {
            key,
            method: parts.method.clone(),
            path: parts.uri.path().to_string(),
        })
    }
}

impl IdempotencyKey {
    /// The idempotency key of a create with its request fingerprint
    /// (SHA-256 over method, path and the body's SHA-256); `None` without
    /// the header.
    pub fn with_body(
        self,
        body_sha256: &str,
    ) -> Result<Option<hisaab::idempotency::Idempotency>, ApiError> {
        let (method, path) = (self.method, self.path);
        Ok(self
            .key
            .map(|k| {
                hisaab::idempotency::Idempotency::new(
                    &k,
                    hisaab::crypto::sha256_hex(&format!("{method} {path}\n{body_sha256}")),
                )
            })
            .transpose()?)
    }
}

/// `201 Created` with the JSON body; a replayed answer also carries
/// `Idempotent-Replayed: true`.
pub fn created<T: serde::Serialize>(value: T, replayed: bool) -> axum::response::Response {
    answer(StatusCode::CREATED, value, replayed)
}

/// The JSON body with `status`; a replayed answer (the stored first answer
/// to a request with the same `Idempotency-Key`) also carries
/// `Idempotent-Replayed: true`.
pub fn answer<T: serde::Serialize>(
    status: StatusCode,
    value: T,
    replayed: bool,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut res = (status, axum::Json(value)).into_response();
    if replayed {
        res.headers_mut().insert(
            axum::http::HeaderName::from_static("idempotent-replayed"),
            axum::http::HeaderValue::from_static("true"),
        );
    }
    res
}

/// A `text/csv` answer (UTF-8) offered as a download named `filename`.
pub fn csv(body: String, filename: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}
