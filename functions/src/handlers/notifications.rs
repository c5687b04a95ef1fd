//! Notifications: the business's message templates, sending an invoice,
//! the notification log, and the two public links a message carries (the
//! invoice's PDF and the customer's opt-out).

use crate::extract::{Auth, IdempotencyKey, JsonBody, OwnerAuth, QueryParams, answer};
use crate::problem::{ApiResult, Problem};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Json, Redirect, Response};
use hisaab::Hisaab;
use hisaab::paging::Page;
use hisaab::reminders::share::{OptOut, OptOutRequest, SendRequest};
use hisaab::reminders::templates::TemplateText;
use hisaab::reminders::{Notification, NotificationFilter, Preview, PreviewRequest, TemplateView};

/// Every template of the business (reminder, share, digest × SMS, mail):
/// its own or the default in its policy's language, with the variables
/// each may use (owner and staff).
#[utoipa::path(get, path = "/v1/business/templates", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Vec<TemplateView>), (status = 403, body = Problem)))]
pub async fn list_templates(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
) -> ApiResult<Json<Vec<TemplateView>>> {
    Ok(Json(app.list_templates(&actor).await?))
}

/// Saves the business's own template of a kind and channel (owner only).
/// 422 names the line of a syntax error or of a variable that is not
/// offered, and refuses an SMS whose sample is longer than three segments.
#[utoipa::path(put, path = "/v1/business/templates/{kind}/{channel}", tag = "notifications", security(("bearer" = [])),
    params(("kind" = String, Path, description = "`reminder`, `share` or `digest`", example = "reminder"),
        ("channel" = String, Path, description = "`sms` or `mail`", example = "sms")),
    request_body(content = TemplateText,
        example = json!({"body": "{{ business.name }}: Rs {{ invoice.balance }} of invoice {{ invoice.number }} is due on {{ invoice.due_date }}. {{ invoice.pdf_url }}"})),
    responses((status = 200, body = TemplateView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put_template(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    Path((kind, channel)): Path<(String, String)>,
    body: JsonBody<TemplateText>,
) -> ApiResult<Json<TemplateView>> {
    Ok(Json(
        app.put_template(&actor, &kind, &channel, body.value)
            .await?,
    ))
}

/// Removes the business's own template: the default applies again
/// (owner only).
#[utoipa::path(delete, path = "/v1/business/templates/{kind}/{channel}", tag = "notifications", security(("bearer" = [])),
    params(("kind" = String, Path, example = "reminder"), ("channel" = String, Path, example = "sms")),
    responses((status = 200, body = TemplateView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_template(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    Path((kind, channel)): Path<(String, String)>,
) -> ApiResult<Json<TemplateView>> {
    Ok(Json(app.delete_template(&actor, &kind, &channel).await?))
}

/// Renders a template (the one given, else the one that applies) with a
/// sample invoice, with the SMS segment count; the checks of saving.
#[utoipa::path(post, path = "/v1/business/templates/preview", tag = "notifications", security(("bearer" = [])),
    request_body(content = PreviewRequest,
        example = json!({"kind": "reminder", "channel": "sms", "body": "Namaste {{ customer.name }}, Rs {{ invoice.balance }} is due. {{ invoice.pdf_url }}"})),
    responses((status = 200, body = Preview), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn preview_template(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    body: JsonBody<PreviewRequest>,
) -> ApiResult<Json<Preview>> {
    Ok(Json(app.preview_template(&actor, body.value).await?))
}

/// Sends an issued invoice to its customer now, by SMS and/or mail, with
/// the link to its PDF; at most 5 times a day and once a minute per
/// invoice (429 with `Retry-After`). Returns the notifications with their
/// delivery results. With `Idempotency-Key`, a retry within 24 hours sends
/// nothing and gets the first request's notifications as stored now.
#[utoipa::path(post, path = "/v1/invoices/{invoice_id}/send", tag = "notifications", security(("bearer" = [])),
    params(("invoice_id" = String, Path, example = "inv_01JD2QM8B2C3D4E5F6G7H8J9K0"), ("Idempotency-Key" = Option<String>, Header, description = "makes retries safe for 24 hours")),
    request_body(content = SendRequest, example = json!({"channels": "both"})),
    responses((status = 200, body = Vec<Notification>), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn send_invoice(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    idem: IdempotencyKey,
    Path(invoice_id): Path<String>,
    body: JsonBody<SendRequest>,
) -> ApiResult<Response> {
    let idem = idem.with_body(&body.sha256)?;
    let (sent, replayed) = app
        .send_invoice(&actor, &invoice_id, body.value, idem)
        .await?;
    Ok(answer(axum::http::StatusCode::OK, sent, replayed))
}

/// The notification log (reminders, shares, digests), newest first; one
/// invoice's or one customer's (owner and staff).
#[utoipa::path(get, path = "/v1/notifications", tag = "notifications", security(("bearer" = [])), params(NotificationFilter),
    responses((status = 200, body = Page<Notification>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_notifications(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
    QueryParams(f): QueryParams<NotificationFilter>,
) -> ApiResult<Json<Page<Notification>>> {
    Ok(Json(app.list_notifications(&actor, f).await?))
}

/// The PDF of a shared invoice, for anyone holding the link sent in a
/// reminder: a redirect to a 15-minute file link (no authorisation).
#[utoipa::path(get, path = "/v1/shared/{token}", tag = "notifications",
    params(("token" = String, Path, description = "the token of the link in a message", example = "01JD2QH5X0A1B2C3D4E5F6G7H801JD2QM8B2C3D4E5F6G7H8J9K09f8e7d6c5b4a39281706")),
    responses((status = 303, description = "redirect to the PDF"), (status = 404, body = Problem)))]
pub async fn shared_invoice(
    State(app): State<Hisaab>,
    Path(token): Path<String>,
) -> ApiResult<Response> {
    let link = app.shared_invoice_pdf(&token).await?;
    Ok(Redirect::to(&link.url).into_response())
}

/// The business of an opt-out link and whether its reminders still come:
/// what the page behind the link shows before asking (no authorisation).
#[utoipa::path(get, path = "/v1/reminders/opt-out/{token}", tag = "notifications",
    params(("token" = String, Path, description = "the token of the link in a reminder (`/stop/<token>`)", example = "01JD2QH5X0A1B2C3D4E5F6G7H801JD2QJ7Y0ZK8F6W3V5T4S2R1Q9f8e7d6c5b4a39281706")),
    responses((status = 200, body = OptOut), (status = 404, body = Problem)))]
pub async fn opt_out_status(
    State(app): State<Hisaab>,
    Path(token): Path<String>,
) -> ApiResult<Json<OptOut>> {
    Ok(Json(app.opt_out_status(&token).await?))
}

/// Stops payment reminders to the customer of the link (the page behind
/// the link in a reminder; no authorisation).
#[utoipa::path(post, path = "/v1/reminders/opt-out", tag = "notifications",
    request_body(content = OptOutRequest,
        example = json!({"token": "01JD2QH5X0A1B2C3D4E5F6G7H801JD2QJ7Y0ZK8F6W3V5T4S2R1Q9f8e7d6c5b4a39281706"})),
    responses((status = 200, body = OptOut), (status = 404, body = Problem)))]
pub async fn opt_out(
    State(app): State<Hisaab>,
    body: JsonBody<OptOutRequest>,
) -> ApiResult<Json<OptOut>> {
    Ok(Json(app.opt_out(body.value).await?))
}
