//! Forgotten passwords: a single-use, expiring reset link by mail.

use crate::app::{Hisaab, to_item};
use crate::crypto::{self};
use crate::error::{Error, FieldError, Result};
use crate::identity::{User, user_item};
use crate::keys;
use crate::table::{Cond, TableError, Write};
use crate::validate::{self};

/// Lifetime of a password-reset link: 30 minutes, in seconds.
pub const RESET_TOKEN_SECS: i64 = 30 * 60;

impl Hisaab {
    /// `POST /v1/auth/password/forgot`: mails a single-use reset link valid
    /// 30 minutes when the email has an account; silent otherwise.
    pub async fn forgot_password(&self, raw_email: &str) -> Result<()> {
        let email = validate::email("email", raw_email)?;
        let Some(user) = self.user_by_unique(keys::unique_email(&email)).await? else {
            return Ok(());
        };
        self.send_reset_mail(&user, &email).await
    }

    /// Creates a reset token for the user and mails the link.
    pub async fn send_reset_mail(&self, user: &User, email: &str) -> Result<()> {
        let token = crypto::random_token();
        let now = self.now_secs();
        let item = to_item(
            "password_reset",
            &keys::password_reset(&crypto::sha256_hex(&token)),
            &serde_json::json!({
                "user_id": user.id,
                "expires_at": now + RESET_TOKEN_SECS,
                "ttl": now + RESET_TOKEN_SECS,
            }),
        )?;
        self.table.put(item, Some(Cond::NotExists)).await?;
        let body = format!(
            "Hello {},\n\nTo choose a new Hisaab password, open this link within 30 minutes:\n\n{}/reset-password?token={}\n\nReset token: {}\n\nIf you did not ask for this, ignore this mail.\n",
            user.name, self.config.app_url, token, token
        );
        self.mail
            .send_mail(email, "Reset your Hisaab password", &body)
            .await
            .map_err(Error::Internal)
    }

    /// `POST /v1/auth/password/reset`: sets a new password with a token from
    /// the mail (once) and signs out every session of the user.
    pub async fn reset_password(&self, token: &str, password: &str) -> Result<()> {
        let password = validate::password("password", password)?;
        let bad = || Error::BadRequest {
            kind: "reset-token-invalid",
            detail: "the reset link is invalid, used or expired; ask for a new one".into(),
            errors: vec![FieldError::new(
                "token",
                "invalid_token",
                "invalid, used or expired",
            )],
        };
        let key = keys::password_reset(&crypto::sha256_hex(token));
        let item = self.table.get(&key).await?.ok_or_else(bad)?;
        if item.get("expires_at").and_then(|v| v.as_i64()).unwrap_or(0) <= self.now_secs() {
            return Err(bad());
        }
        let uid = item
            .get("user_id")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let mut user = self.user(uid).await?.ok_or_else(bad)?;
        let v = user.version;
        user.password_hash = Some(crypto::hash_password(&password)?);
        user.version += 1;
        user.updated_at = self.clock.now();
        self.table
            .transact(vec![
                Write::Delete {
                    key,
                    cond: Some(Cond::Exists),
                },
                Write::Put {
                    item: user_item(&user)?,
                    cond: Some(Cond::version(v)),
                },
            ])
            .await
            .map_err(|e| match e {
                TableError::ConditionFailed { index: Some(0) } => bad(),
                e => e.into(),
            })?;
        self.revoke_sessions(&user.id).await
    }
}
