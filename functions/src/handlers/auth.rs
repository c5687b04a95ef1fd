//! `/v1/auth/...`: registration, OTP, password login, refresh, logout,
//! password reset.

use super::Accepted;
use crate::extract::{JsonBody, SourceIp};
use crate::problem::{ApiResult, Problem};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use hisaab::Hisaab;
use hisaab::identity::accounts::{Registered, Registration};
use hisaab::identity::sessions::{LoginOutcome, Tokens};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /v1/auth/otp`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OtpRequest {
    /// Mobile number: E.164, or 10 digits for India.
    pub phone: String,
}

/// `POST /v1/auth/otp/verify`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OtpVerify {
    /// The phone the code went to.
    pub phone: String,
    /// The 6-digit code.
    pub code: String,
}

/// `POST /v1/auth/login`: a phone or an email, and the password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Phone (or give `email`).
    #[serde(default)]
    pub phone: Option<String>,
    /// Email (or give `phone`).
    #[serde(default)]
    pub email: Option<String>,
    /// The password.
    pub password: String,
}

/// `202` answer of a platform admin's password login.
#[derive(Serialize, ToSchema)]
pub struct OtpRequired {
    /// Always `true`: finish with `POST /v1/auth/otp/verify`.
    pub otp_required: bool,
}

/// `POST /v1/auth/refresh` and `/logout`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last token answer.
    pub refresh_token: String,
}

/// `POST /v1/auth/password/forgot`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgotRequest {
    /// The account's email.
    pub email: String,
}

/// `POST /v1/auth/password/reset`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// The token from the reset mail.
    pub token: String,
    /// The new password (8–128 characters).
    pub password: String,
}

/// Registers a business owner or a customer and texts an OTP.
#[utoipa::path(post, path = "/v1/auth/register", tag = "auth", request_body(content = Registration,
        example = json!({"name": "Asha Traders Owner", "phone": "+919876543210", "account_type": "business", "business_name": "Asha Traders", "email": "asha@example.com", "password": "correct horse battery"})),
    responses((status = 201, body = Registered), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn register(
    State(app): State<Hisaab>,
    SourceIp(source): SourceIp,
    body: JsonBody<Registration>,
) -> ApiResult<(StatusCode, Json<Registered>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.register_from(body.value, source).await?),
    ))
}

/// Texts a login OTP (202 whether or not the phone has an account). At
/// most 3 codes per phone and 30 per source address in 15 minutes (429
/// with `Retry-After`); 503 with `Retry-After` when the SMS gateway failed
/// (no code is kept).
#[utoipa::path(post, path = "/v1/auth/otp", tag = "auth", request_body(content = OtpRequest,
        example = json!({"phone": "+919876543210"})),
    responses((status = 202, body = Accepted), (status = 422, body = Problem), (status = 429, body = Problem, description = "too many codes; see Retry-After"), (status = 503, body = Problem, description = "the SMS gateway failed; see Retry-After")))]
pub async fn otp_send(
    State(app): State<Hisaab>,
    SourceIp(source): SourceIp,
    body: JsonBody<OtpRequest>,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    app.request_otp(&body.value.phone, source).await?;
    Ok((StatusCode::ACCEPTED, Json(Accepted { accepted: true })))
}

/// Verifies an OTP and opens a session.
#[utoipa::path(post, path = "/v1/auth/otp/verify", tag = "auth", request_body(content = OtpVerify,
        example = json!({"phone": "+919876543210", "code": "123456"})),
    responses((status = 200, body = Tokens), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn otp_verify(
    State(app): State<Hisaab>,
    body: JsonBody<OtpVerify>,
) -> ApiResult<Json<Tokens>> {
    Ok(Json(
        app.verify_otp(&body.value.phone, &body.value.code).await?,
    ))
}

/// Password login; platform admins get 202 and an OTP to finish with.
#[utoipa::path(post, path = "/v1/auth/login", tag = "auth", request_body(content = LoginRequest,
        example = json!({"phone": "+919876543210", "password": "correct horse battery"})),
    responses((status = 200, body = Tokens), (status = 202, body = OtpRequired), (status = 401, body = Problem)))]
pub async fn login(State(app): State<Hisaab>, body: JsonBody<LoginRequest>) -> ApiResult<Response> {
    let b = body.value;
    Ok(
        match app
            .login(b.phone.as_deref(), b.email.as_deref(), &b.password)
            .await?
        {
            LoginOutcome::Tokens(t) => Json(*t).into_response(),
            LoginOutcome::OtpRequired => (
                StatusCode::ACCEPTED,
                Json(OtpRequired { otp_required: true }),
            )
                .into_response(),
        },
    )
}

/// Exchanges a refresh token for new tokens (the old one stops working).
#[utoipa::path(post, path = "/v1/auth/refresh", tag = "auth", request_body(content = RefreshRequest,
        example = json!({"refresh_token": "ses_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q.c2VjcmV0"})),
    responses((status = 200, body = Tokens), (status = 401, body = Problem)))]
pub async fn refresh(
    State(app): State<Hisaab>,
    body: JsonBody<RefreshRequest>,
) -> ApiResult<Json<Tokens>> {
    Ok(Json(app.refresh(&body.value.refresh_token).await?))
}

/// Revokes a refresh token's session.
#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth", request_body(content = RefreshRequest,
        example = json!({"refresh_token": "ses_01JD2QJ7Y0ZK8F6W3V5T4S2R1Q.c2VjcmV0"})),
    responses((status = 204, description = "signed out")))]
pub async fn logout(
    State(app): State<Hisaab>,
    body: JsonBody<RefreshRequest>,
) -> ApiResult<StatusCode> {
    app.logout(&body.value.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mails a reset link valid 30 minutes (202 whether or not the email has an account).
#[utoipa::path(post, path = "/v1/auth/password/forgot", tag = "auth", request_body(content = ForgotRequest,
        example = json!({"email": "asha@example.com"})),
    responses((status = 202, body = Accepted), (status = 422, body = Problem)))]
pub async fn password_forgot(
    State(app): State<Hisaab>,
    body: JsonBody<ForgotRequest>,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    app.forgot_password(&body.value.email).await?;
    Ok((StatusCode::ACCEPTED, Json(Accepted { accepted: true })))
}

/// Sets a new password with the mailed token (once); signs out every session.
#[utoipa::path(post, path = "/v1/auth/password/reset", tag = "auth", request_body(content = ResetRequest,
        example = json!({"token": "<token from the mail>", "password": "a new long password"})),
    responses((status = 204, description = "password changed"), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn password_reset(
    State(app): State<Hisaab>,
    body: JsonBody<ResetRequest>,
) -> ApiResult<StatusCode> {
    app.reset_password(&body.value.token, &body.value.password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
