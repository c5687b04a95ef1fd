//! Every partition-key and sort-key template of the single table, in one
//! place (see `docs/data-model.md`). Nothing else formats `PK`/`SK` strings,
//! and keys are never parsed back into data: every item also stores its
//! plain attributes.

use crate::table::Key;

/// A user's profile: `USR#<user_id>` / `PROFILE`.
pub fn user(user_id: &str) -> Key {
    Key::new(format!("USR#{user_id}"), "PROFILE")
}

/// A refresh-token session of a user: `USR#<user_id>` / `SES#<session_id>`.
pub fn session(user_id: &str, session_id: &str) -> Key {
    Key::new(format!("USR#{user_id}"), format!("SES#{session_id}"))
}

/// Sort-key prefix of a user's sessions.
pub const SESSION_PREFIX: &str = "SES#";

/// Uniqueness of a phone among users: `UNIQUE#PHONE#<e164>` / `UNIQUE`.
pub fn unique_phone(e164: &str) -> Key {
    Key::new(format!("UNIQUE#PHONE#{e164}"), "UNIQUE")
}

/// Uniqueness of an email among users: `UNIQUE#EMAIL#<lower-case email>` / `UNIQUE`.
pub fn unique_email(email: &str) -> Key {
    Key::new(format!("UNIQUE#EMAIL#{email}"), "UNIQUE")
}

/// The current OTP of a phone: `OTP#<e164>` / `CODE`.
pub fn otp(e164: &str) -> Key {
    Key::new(format!("OTP#{e164}"), "CODE")
}

/// The recent OTP sends of a phone, for rate limiting: `OTP#<e164>` / `SENDS`.
pub fn otp_sends(e164: &str) -> Key {
    Key::new(format!("OTP#{e164}"), "SENDS")
}

/// A password-reset token: `PWRESET#<sha-256 of the token, hex>` / `TOKEN`.
pub fn password_reset(token_hash: &str) -> Key {
    Key::new(format!("PWRESET#{token_hash}"), "TOKEN")
}

/// A stored response for an idempotency key of a user:
/// `IDEM#<user_id>#<key>` / `IDEM`.
pub fn idempotency(user_id: &str, key: &str) -> Key {
    Key::new(format!("IDEM#{user_id}#{key}"), "IDEM")
}

/// A business: `BIZ#<business_id>` / `PROFILE`.
pub fn business(business_id: &str) -> Key {
    Key::new(format!("BIZ#{business_id}"), "PROFILE")
}

/// A member (owner or staff) of a business: `BIZ#<business_id>` / `STAFF#<user_id>`.
pub fn member(business_id: &str, user_id: &str) -> Key {
    Key::new(format!("BIZ#{business_id}"), format!("STAFF#{user_id}"))
}

/// Partition and sort-key prefix of a business's members.
pub fn members(business_id: &str) -> (String, &'static str) {
    (format!("BIZ#{business_id}"), "STAFF#")
}

/// A customer of a business: `BIZ#<business_id>` / `CUS#<customer_id>`.
pub fn customer(business_id: &str, customer_id: &str) -> Key {
    Key::new(format!("BIZ#{business_id}"), format!("CUS#{customer_id}"))
}

/// GSI1 keys of a customer: all customers of a business by name,
/// `BIZ#<business_id>#CUS` / `<name key>#<customer_id>`.
pub fn customer_by_name(business_id: &str, name_key: &str, customer_id: &str) -> (String, String) {
    (
        customer_by_name_pk(business_id),
        format!("{name_key}#{customer_id}"),
    )
}

/// GSI1 partition of a business's customers by name.
pub fn customer_by_name_pk(business_id: &str) -> String {
    format!("BIZ#{business_id}#CUS")
}

/// GSI2 keys of a customer: customers of a business with one status, by
/// name, `BIZ#<business_id>#CUS#<status>` / `<name key>#<customer_id>`.
pub fn customer_by_status(
    business_id: &str,
    status: &str,
    name_key: &str,
    customer_id: &str,
) -> (String, String) {
    (
        customer_by_status_pk(business_id, status),
        format!("{name_key}#{customer_id}"),
    )
}

/// GSI2 partition of a business's customers with one status.
pub fn customer_by_status_pk(business_id: &str, status: &str) -> String {
    format!("BIZ#{business_id}#CUS#{status}")
}

/// Phone lookup of a customer:
/// `BIZ#<business_id>` / `CUSPHONE#<e164>#<customer_id>`.
pub fn customer_phone(business_id: &str, e164: &str, customer_id: &str) -> Key {
    Key::new(
        format!("BIZ#{business_id}"),
        format!("CUSPHONE#{e164}#{customer_id}"),
    )
}

/// Sort-key prefix of a business's customer phone lookups for a phone prefix.
pub fn customer_phone_prefix(e164_prefix: &str) -> String {
    format!("CUSPHONE#{e164_prefix}")
}
