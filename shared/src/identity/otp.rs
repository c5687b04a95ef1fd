//! One-time passwords by SMS: sending (rate-limited per phone) and
//! verifying, which opens a session.

use crate::app::{Hisaab, to_item};
use crate::crypto::{self};
use crate::error::{Error, Errors, Result};
use crate::identity::sessions::Tokens;
use crate::keys;
use crate::table::{Cond, TableError};
use crate::validate::Phone;
use std::net::IpAddr;

/// How long an OTP is valid: 5 minutes, in seconds.
pub const OTP_TTL_SECS: i64 = 5 * 60;

/// Wrong tries after which an OTP is dead.
pub const OTP_MAX_ATTEMPTS: i64 = 5;

/// OTP sends allowed per phone in [`OTP_SEND_WINDOW_SECS`].
pub const OTP_MAX_SENDS: usize = 3;

/// OTP sends allowed per source address in [`OTP_SEND_WINDOW_SECS`]
/// (registrations and login codes together). Indian mobile networks put
/// many subscribers behind one address (carrier-grade NAT), so the limit
/// is generous: it stops one machine from texting thousands of numbers
/// (SMS pumping), while the per-phone limit protects each phone.
pub const OTP_MAX_SENDS_PER_SOURCE: usize = 30;

/// Seconds a client is asked to wait when the SMS gateway failed.
pub const SMS_RETRY_AFTER_SECS: u64 = 30;

/// The OTP send-rate window: 15 minutes, in seconds.
pub const OTP_SEND_WINDOW_SECS: i64 = 15 * 60;

impl Hisaab {
    /// `POST /v1/auth/otp`: sends a login OTP when the phone has an account.
    /// The answer is the same either way (so phones cannot be probed), and
    /// the send-rate limits count either way (so SMS cannot be pumped): the
    /// phone's ([`OTP_MAX_SENDS`]) and, when the address the request came
    /// from is known, the source's ([`OTP_MAX_SENDS_PER_SOURCE`]).
    pub async fn request_otp(&self, raw_phone: &str, source: Option<IpAddr>) -> Result<()> {
        let phone = Phone::parse("phone", raw_phone)?;
        self.take_source_send(source).await?;
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
        self.take_send(
            keys::otp_sends(phone.as_str()),
            OTP_MAX_SENDS,
            format!("at most {OTP_MAX_SENDS} codes are sent to a phone in 15 minutes"),
        )
        .await
    }

    /// Counts one OTP send against the source address's sliding 15-minute
    /// window (nothing when the address is unknown); 429 as for a phone.
    /// A loopback address is this machine itself (`hisaab serve` used on
    /// the laptop it runs on, and its browser tests), never a client of
    /// the hosted API, whose source is API Gateway's: it is not limited.
    pub(crate) async fn take_source_send(&self, source: Option<IpAddr>) -> Result<()> {
        let Some(ip) = source.filter(|ip| !ip.is_loopback()) else {
            return Ok(());
        };
        self.take_send(
            keys::otp_source_sends(&source_key(ip)),
            OTP_MAX_SENDS_PER_SOURCE,
            format!(
                "at most {OTP_MAX_SENDS_PER_SOURCE} codes are sent for one network address in 15 minutes"
            ),
        )
        .await
    }

    /// One send in the sliding window kept at `key` (a list of send times,
    /// written under its version), or 429 when `max` are in the window.
    async fn take_send(&self, key: crate::table::Key, max: usize, detail: String) -> Result<()> {
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
            if sends.len() >= max {
                let oldest = sends.iter().min().copied().unwrap_or(now);
                return Err(Error::RateLimited {
                    retry_after_secs: (oldest + OTP_SEND_WINDOW_SECS - now).max(1) as u64,
                    detail,
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
        let key = keys::otp(phone.as_str());
        self.table.put(item, None).await?;
        let body = format!(
            "{code} is your Hisaab code. It expires in 5 minutes. Do not share it with anyone."
        );
        if let Err(e) = self.sms.send_sms(phone, &body).await {
            // The code never reached the phone: it is not kept as sent (a
            // retry sends a fresh one; the send still counts against the
            // limits, so a failing gateway cannot be hammered).
            tracing::warn!(error = %e, "SMS send failed; the OTP is withdrawn");
            self.table.delete(&key, None).await?;
            return Err(Error::Unavailable {
                retry_after_secs: SMS_RETRY_AFTER_SECS,
                detail: "the code could not be texted just now; try again shortly".into(),
            });
        }
        Ok(())
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

/// The address a source limit counts: an IPv4 address as is, an IPv6
/// address by its /64 (one subscriber's prefix; the rest of it is theirs
/// to pick freely).
fn source_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}
