//! `/v1/business/settings`: currency, tax, numbering, terms, UPI ID, time zone.

use crate::extract::{Auth, JsonBody, OwnerAuth};
use crate::problem::{ApiResult, Problem};
use axum::extract::State;
use axum::response::Json;
use hisaab::Hisaab;
use hisaab::ledger::settings::{Settings, SettingsPatch};

/// The business's settings (owner and staff read them; changing them is the owner's); defaults until first saved.
#[utoipa::path(get, path = "/v1/business/settings", tag = "business", security(("bearer" = [])),
    responses((status = 200, body = Settings), (status = 403, body = Problem)))]
pub async fn get_settings(
    State(app): State<Hisaab>,
    Auth(actor): Auth,
) -> ApiResult<Json<Settings>> {
    Ok(Json(app.get_settings(&actor).await?))
}

/// Changes settings (owner only); absent fields stay, `null` clears.
#[utoipa::path(patch, path = "/v1/business/settings", tag = "business", security(("bearer" = [])), request_body(content = SettingsPatch,
        example = json!({"invoice_prefix": "AT/26-27/", "next_invoice_number": 1, "payment_terms_days": 15, "default_tax_rate_bp": 1800, "upi_vpa": "asha@okaxis", "gstin": "27AAPFU0939F1ZV", "address": "Shop 4, APMC Market, Vashi, Navi Mumbai", "version": 1})),
    responses((status = 200, body = Settings), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_settings(
    State(app): State<Hisaab>,
    OwnerAuth(actor): OwnerAuth,
    body: JsonBody<SettingsPatch>,
) -> ApiResult<Json<Settings>> {
    Ok(Json(app.update_settings(&actor, body.value).await?))
}
