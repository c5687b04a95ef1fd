//! Sessions: a short-lived access token (JWT) and a rotating refresh
//! token per session; password login, refresh, logout.

use crate::app::{Hisaab, from_item, to_item};
use crate::crypto::{self, ACCESS_TOKEN_SECS, Claims};
use crate::error::{Error, Result};
use crate::identity::{User, UserView};
use crate::ids::new_id;
use crate::keys;
use crate::table::{Cond, Query};
use crate::validate::{self, Phone};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Lifetime of a refresh token: 30 days, in seconds.
pub const REFRESH_TOKEN_SECS: i64 = 30 * 24 * 3600;

/// Tokens of a session (`POST /v1/auth/otp/verify`, `/login`, `/refresh`).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Tokens {
    /// JWT for `Authorization: Bearer`, valid `expires_in` seconds.
    pub access_token: String,
    /// Opaque refresh token, valid 30 days, single use (rotated on refresh).
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires (900).
    pub expires_in: i64,
    /// The signed-in user.
    pub user: UserView,
}

/// Result of a password login.
pub enum LoginOutcome {
    /// Signed in.
    Tokens(Box<Tokens>),
    /// A platform admin: an OTP was sent and must be verified to finish.
    OtpRequired,
}

/// A session item (refresh token), stored under the user.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Session {
    user_id: String,
    session_id: String,
    /// SHA-256 (hex) of the current refresh secret.
    secret_hash: String,
    expires_at: i64,
    ttl: i64,
    version: i64,
}

impl Hisaab {
    fn access_token(&self, user: &User) -> Result<String> {
        let now = self.now_secs();
        self.keys.access_token(&Claims {
            sub: user.id.clone(),
            role: user.role.as_str().into(),
            bid: user.business_id.clone(),
            iat: now,
            exp: now + ACCESS_TOKEN_SECS,
        })
    }

    pub(crate) fn tokens(&self, user: &User, session: &Session, secret: &str) -> Result<Tokens> {
        Ok(Tokens {
            access_token: self.access_token(user)?,
            refresh_token: format!("{}.{}.{}", user.id, session.session_id, secret),
            token_type: "Bearer".into(),
            expires_in: ACCESS_TOKEN_SECS,
            user: UserView::from(user),
        })
    }

    pub(crate) async fn open_session(&self, user: &User) -> Result<Tokens> {
        let now = self.now_secs();
        let secret = crypto::random_token();
        let s = Session {
            user_id: user.id.clone(),
            session_id: new_id("ses"),
            secret_hash: crypto::sha256_hex(&secret),
            expires_at: now + REFRESH_TOKEN_SECS,
            ttl: now + REFRESH_TOKEN_SECS,
            version: 1,
        };
        let item = to_item("session", &keys::session(&user.id, &s.session_id), &s)?;
        self.table.put(item, Some(Cond::NotExists)).await?;
        self.tokens(user, &s, &secret)
    }

    /// `POST /v1/auth/login` with a phone or an email and a password.
    /// Platform admins get [`LoginOutcome::OtpRequired`] and an OTP instead
    /// of tokens. 401 for any wrong combination (one message for all).
    pub async fn login(
        &self,
        phone: Option<&str>,
        email: Option<&str>,
        password: &str,
    ) -> Result<LoginOutcome> {
        let key = match (phone, email) {
            (Some(p), None) => keys::unique_phone(Phone::parse("phone", p)?.as_str()),
            (None, Some(e)) => keys::unique_email(&validate::email("email", e)?),
            _ => {
                return Err(Error::field(
                    "phone",
                    "one_of",
                    "give either phone or email, not both",
                ));
            }
        };
        let wrong = || Error::unauthorized("login-failed", "the phone/email or password is wrong");
        let user = self.user_by_unique(key).await?.ok_or_else(wrong)?;
        let ok = user
            .password_hash
            .as_deref()
            .is_some_and(|h| crypto::verify_password(password, h));
        if !ok {
            return Err(wrong());
        }
        user.ensure_active()?;
        if user.role.is_admin() {
            let phone = Phone::parse("phone", &user.phone)?;
            self.send_otp_to(&phone).await?;
            return Ok(LoginOutcome::OtpRequired);
        }
        Ok(LoginOutcome::Tokens(Box::new(
            self.open_session(&user).await?,
        )))
    }

    /// Splits a refresh token `<user id>.<session id>.<secret>`.
    fn parse_refresh(token: &str) -> Option<(&str, &str, &str)> {
        let mut it = token.splitn(3, '.');
        Some((it.next()?, it.next()?, it.next()?))
    }

    /// `POST /v1/auth/refresh`: exchanges a refresh token for new tokens.
    /// The old refresh token is refused afterwards; presenting an already
    /// rotated one revokes the whole session (it may have been stolen).
    pub async fn refresh(&self, token: &str) -> Result<Tokens> {
        let bad = || {
            Error::unauthorized(
                "invalid-refresh-token",
                "the refresh token is not valid; log in again",
            )
        };
        let (uid, sid, secret) = Self::parse_refresh(token).ok_or_else(bad)?;
        let key = keys::session(uid, sid);
        let item = self.table.get(&key).await?.ok_or_else(bad)?;
        let mut s: Session = from_item(item)?;
        let now = self.now_secs();
        if s.expires_at <= now {
            return Err(bad());
        }
        if !crypto::same(&s.secret_hash, &crypto::sha256_hex(secret)) {
            self.table.delete(&key, None).await?;
            return Err(bad());
        }
        let user = self.user(uid).await?.ok_or_else(bad)?;
        user.ensure_active()?;
        let new_secret = crypto::random_token();
        let v = s.version;
        s.secret_hash = crypto::sha256_hex(&new_secret);
        s.version += 1;
        self.table
            .put(to_item("session", &key, &s)?, Some(Cond::version(v)))
            .await
            .map_err(|_| bad())?;
        self.tokens(&user, &s, &new_secret)
    }

    /// `POST /v1/auth/logout`: revokes the session of a refresh token.
    /// Succeeds for unknown or already revoked tokens too.
    pub async fn logout(&self, token: &str) -> Result<()> {
        if let Some((uid, sid, secret)) = Self::parse_refresh(token) {
            let key = keys::session(uid, sid);
            if let Some(item) = self.table.get(&key).await? {
                let s: Session = from_item(item)?;
                if crypto::same(&s.secret_hash, &crypto::sha256_hex(secret)) {
                    self.table.delete(&key, None).await?;
                }
            }
        }
        Ok(())
    }

    /// Deletes every session of a user.
    pub(crate) async fn revoke_sessions(&self, user_id: &str) -> Result<()> {
        let q = Query::on(keys::user_partition(user_id))
            .begins_with(keys::SESSION_PREFIX)
            .limit(1000);
        for s in self.table.query(&q).await?.items {
            if let Some(k) = crate::table::Key::of(&s) {
                self.table.delete(&k, None).await?;
            }
        }
        Ok(())
    }
}
