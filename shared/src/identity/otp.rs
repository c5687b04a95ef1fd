//! One-time passwords by SMS: sending (rate-limited per phone) and
//! verifying, which opens a session.

use crate::app::{Hisaab, to_item};
use crate::crypto::{self};
use crate::error::{Error, Errors, Result};
use crate::identity::sessions::Tokens;
use crate::keys;
use crate::table::{Cond, TableError};
use crate::validate::Phone;

/// How long an OTP is valid: 5 minutes, in seconds.
pub const OTP_TTL_SECS: i64 = 5 * 60;

/// Wrong tries after which an OTP is dead.
pub const OTP_MAX_ATTEMPTS: i64 = 5;

/// OTP sends allowed per phone in [`OTP_SEND_WINDOW_SECS`].
pub const OTP_MAX_SENDS: usize = 3;

/// The OTP send-rate window: 15 minutes, in seconds.
pub const OTP_SEND_WINDOW_SECS: i64 = 15 * 60;

impl Hisaab {
    /// `POST /v1/auth/otp`: sends a login OTP when the phone has an account.
    /// The answer is the same either way (so phones cannot be probed), and
    /// the send-rate limit counts either way (so SMS cannot be pumped).
    pub async fn request_otp(&self, raw_phone: &str) -> Result<()> {
        let phone = Phone::parse("phone", raw_phone)?;
        if self
            .user_by_unique(keys::unique_phone(phone.as_str()))
            .await?
            .is_some()
        {
            self.send_otp_to(&phone).await
        } else {
            self.take_otp_send(&phone).await
        }
    }

    /// Counts one OTP send against the phone's sliding 15-minute window;
    /// 429 with the seconds until the oldest send leaves the window.
    pub(crate) async fn take_otp_send(&self, phone: &Phone) -> Result<()> {
        let key = keys::otp_sends(phone.as_str());
        let now = self.now_secs();
        for _ in 0..5 {
            let current = self.table.get(&key).await?;
            let version = current
                .as_ref()
                .and_then(|i| i.get("version").and_then(|v| v.as_i64()));
            let mut sends: Vec<i64> = current
                .as_ref()
                .and_then(|i| i.get("sends"))
                .and_then(|s| serde_json::from_value(s.clone()).ok())
                .unwrap_or_default();
            sends.retain(|t| *t > now - OTP_SEND_WINDOW_SECS);
            if sends.len() >= OTP_MAX_SENDS {
                let oldest = sends.iter().min().copied().unwrap_or(now);
                return Err(Error::RateLimited {
                    retry_after_secs: (oldest + OTP_SEND_WINDOW_SECS - now).max(1) as u64,
                    detail: format!(
                        "at most {OTP_MAX_SENDS} codes are sent to a phone in 15 minutes"
                    ),
                });
            }
            sends.push(now);
            let item = to_item(
                "otp_sends",
                &key,
                &serde_json::json!({
                    "sends": sends,
                    "version": version.unwrap_or(0) + 1,
                    "ttl": now + OTP_SEND_WINDOW_SECS,
                }),
            )?;
            let cond = match version {
                Some(v) => Cond::version(v),
                None => Cond::NotExists,
            };
            match self.table.put(item, Some(cond)).await {
                Ok(()) => return Ok(()),
                Err(TableError::ConditionFailed { .. }) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(Error::stale())
    }

    /// Sends a fresh OTP to the phone (replacing any earlier one), within
    /// the send-rate limit.
    pub(crate) async fn send_otp_to(&self, phone: &Phone) -> Result<()> {
        self.take_otp_send(phone).await?;
        self.issue_otp(phone).await
    }

    /// Stores a fresh OTP for the phone and texts it (no rate check).
    pub(crate) async fn issue_otp(&self, phone: &Phone) -> Result<()> {
        let code = crypto::otp_code();
        let now = self.now_secs();
        let item = to_item(
            "otp",
            &keys::otp(phone.as_str()),
            &serde_json::json!({
                "code_hash": self.keys.mac_hex(&["otp", phone.as_str(), &code]),
                "attempts": 0,
                "expires_at": now + OTP_TTL_SECS,
                "ttl": now + OTP_TTL_SECS,
            }),
        )?;
        self.table.put(item, None).await?;
        let body = format!(
            "{code} is your Hisaab code. It expires in 5 minutes. Do not share it with anyone."
        );
        self.sms
            .send_sms(phone, &body)
            .await
            .map_err(Error::Internal)
    }

    /// `POST /v1/auth/otp/verify`: checks the code, marks the phone
    /// verified, and opens a session. 401 for a wrong, expired, used or dead
    /// code (the detail says which).
    pub async fn verify_otp(&self, raw_phone: &str, code: &str) -> Result<Tokens> {
        let mut errs = Errors::default();
        let phone = errs.check(Phone::parse("phone", raw_phone));
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            errs.push("code", "invalid_code", "the code has 6 digits");
        }
        errs.finish()?;
        let phone = phone.expect("validated");
        let key = keys::otp(phone.as_str());
        let Some(otp) = self.table.get(&key).await? else {
            return Err(Error::unauthorized(
                "otp-invalid",
                "no code is pending for this phone; request a new one",
            ));
        };
        let num = |k: &str| otp.get(k).and_then(|v| v.as_i64()).unwrap_or(0);
        if num("expires_at") <= self.now_secs() {
            return Err(Error::unauthorized(
                "otp-expired",
                "the code has expired; request a new one",
            ));
        }
        let attempts = num("attempts");
        if attempts >= OTP_MAX_ATTEMPTS {
            return Err(Error::unauthorized(
                "otp-dead",
                "too many wrong codes; request a new one",
            ));
        }
        let stored = otp
            .get("code_hash")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let given = self.keys.mac_hex(&["otp", phone.as_str(), code]);
        if !crypto::same(stored, &given) {
            let n = self
                .table
                .add(&key, "attempts", 1, Some(Cond::Exists))
                .await
                .unwrap_or(OTP_MAX_ATTEMPTS);
            let left = (OTP_MAX_ATTEMPTS - n).max(0);
            return Err(Error::unauthorized(
                "otp-wrong",
                format!("wrong code; {left} tries left"),
            ));
        }
        // Single use: only the request that deletes this very code wins.
        self.table
            .delete(&key, Some(Cond::Equals("code_hash".into(), stored.into())))
            .await
            .map_err(|_| Error::unauthorized("otp-invalid", "the code was already used"))?;
        let mut user = self
            .user_by_unique(keys::unique_phone(phone.as_str()))
            .await?
            .ok_or_else(|| Error::unauthorized("otp-invalid", "no account has this phone"))?;
        user.ensure_active()?;
        if !user.phone_verified {
            user.phone_verified = true;
            self.save_user(&mut user).await?;
        }
        self.open_session(&user).await
    }
}
