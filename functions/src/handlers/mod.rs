//! Axum handlers: each reads the request, calls one domain method on
//! [`hisaab::Hisaab`], and shapes the answer.

pub mod admin;
pub mod auth;
pub mod catalogue;
pub mod customers;
pub mod deliveries;
pub mod invoices;
pub mod me;
pub mod meta;
pub mod months;
pub mod notifications;
pub mod orders;
pub mod payments;
pub mod registry;
pub mod reports;
pub mod settings;
pub mod staff;
pub mod stock;
pub mod vendors;

use serde::Serialize;
use utoipa::ToSchema;

/// `{"accepted": true}`: the request was taken (used where the answer must
/// not reveal whether an account exists).
#[derive(Serialize, ToSchema)]
pub struct Accepted {
    /// Always `true`.
    pub accepted: bool,
}
