//! Identity: registration, phone OTPs, password login, sessions with
//! rotating refresh tokens, password reset, profile, business staff and
//! platform admins.
//!
//! Rules (issue #2): OTPs have 6 digits, are stored as keyed hashes, live 5
//! minutes and die after 5 wrong tries; a phone gets at most 3 OTP sends in
//! any 15 minutes. Passwords are argon2id. Access tokens live 15 minutes;
//! refresh tokens 30 days and rotate on every use. Reset links live 30
//! minutes and work once.

use crate::app::{Hisaab, from_item, to_item};
use crate::crypto::{self, ACCESS_TOKEN_SECS, Claims};
use crate::error::{Error, Errors, FieldError, Result};
use crate::ids::new_id;
use crate::keys;
use crate::table::{Cond, Item, Query, TableError, Write};
use crate::validate::{self, Phone};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long an OTP is valid: 5 minutes, in seconds.
pub const OTP_TTL_SECS: i64 = 5 * 60;
/// Wrong tries after which an OTP is dead.
pub const OTP_MAX_ATTEMPTS: i64 = 5;
/// OTP sends allowed per phone in [`OTP_SEND_WINDOW_SECS`].
pub const OTP_MAX_SENDS: usize = 3;
/// The OTP send-rate window: 15 minutes, in seconds.
pub const OTP_SEND_WINDOW_SECS: i64 = 15 * 60;
/// Lifetime of a refresh token: 30 days, in seconds.
pub const REFRESH_TOKEN_SECS: i64 = 30 * 24 * 3600;
/// Lifetime of a password-reset link: 30 minutes, in seconds.
pub const RESET_TOKEN_SECS: i64 = 30 * 60;

/// What a user is on the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs one business.
    Owner,
    /// Works inside one business, without staff or settings rights.
    Staff,
    /// A debtor with an account.
    Customer,
    /// Platform support, first line.
    AdminL1,
    /// Senior team.
    AdminSenior,
    /// Super admin.
    AdminSuper,
}

impl Role {
    /// The role's name as in tokens and JSON (`admin_l1`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Staff => "staff",
            Role::Customer => "customer",
            Role::AdminL1 => "admin_l1",
            Role::AdminSenior => "admin_senior",
            Role::AdminSuper => "admin_super",
        }
    }

    /// A platform admin of any level.
    pub fn is_admin(self) -> bool {
        matches!(self, Role::AdminL1 | Role::AdminSenior | Role::AdminSuper)
    }
}

/// Whether an account may be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// Usable.
    Active,
    /// Refused on its next request.
    Disabled,
}

/// A stored user.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct User {
    /// `usr_<ULID>`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// E.164 phone, unique among users.
    pub phone: String,
    /// Lower-case email, unique among users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Role.
    pub role: Role,
    /// The business of an `owner` or `staff`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_id: Option<String>,
    /// Active or disabled.
    pub status: UserStatus,
    /// Whether an OTP sent to the phone has been entered.
    pub phone_verified: bool,
    /// Profile photo URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    /// argon2id PHC string; absent for OTP-only accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
    /// Created (UTC).
    pub created_at: Timestamp,
    /// Last changed (UTC).
    pub updated_at: Timestamp,
    /// Optimistic-concurrency version, 1 on creation.
    pub version: i64,
}

/// A user as the API shows it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct UserView {
    /// `usr_<ULID>`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// E.164 phone.
    pub phone: String,
    /// Lower-case email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Role.
    pub role: Role,
    /// The business of an `owner` or `staff`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_id: Option<String>,
    /// Active or disabled.
    pub status: UserStatus,
    /// Whether the phone is verified.
    pub phone_verified: bool,
    /// Whether a password is set.
    pub has_password: bool,
    /// Profile photo URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    /// Created (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Last changed (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// Version for `PATCH`.
    pub version: i64,
}

impl User {
    /// A new active account with an unverified phone, version 1.
    pub(crate) fn new_account(
        name: String,
        phone: &Phone,
        role: Role,
        business_id: Option<String>,
        now: Timestamp,
    ) -> User {
        User {
            id: new_id("usr"),
            name,
            phone: phone.to_string(),
            email: None,
            role,
            business_id,
            status: UserStatus::Active,
            phone_verified: false,
            photo_url: None,
            password_hash: None,
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    /// 403 for a disabled account.
    pub fn ensure_active(&self) -> Result<()> {
        if self.status == UserStatus::Disabled {
            return Err(Error::Forbidden("this account is disabled".into()));
        }
        Ok(())
    }
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            id: u.id.clone(),
            name: u.name.clone(),
            phone: u.phone.clone(),
            email: u.email.clone(),
            role: u.role,
            business_id: u.business_id.clone(),
            status: u.status,
            phone_verified: u.phone_verified,
            has_password: u.password_hash.is_some(),
            photo_url: u.photo_url.clone(),
            created_at: u.created_at,
            updated_at: u.updated_at,
            version: u.version,
        }
    }
}

/// A business (tenant).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Business {
    /// `biz_<ULID>`.
    pub id: String,
    /// Trading name.
    pub name: String,
    /// The owner's user id.
    pub owner_id: String,
    /// Created (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Active, or disabled (by the senior team or automatically for too
    /// many wrongly raised defaults): every member is then refused.
    #[serde(default)]
    pub status: BusinessStatus,
    /// Why it was disabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_reason: Option<String>,
    /// Version.
    pub version: i64,
}

/// Whether a business may be used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BusinessStatus {
    /// Usable.
    #[default]
    Active,
    /// Every member is refused on their next request.
    Disabled,
}

/// The user item with its admin-list keys: GSI1 every user by name, GSI2
/// the users of one role and status by name.
pub(crate) fn user_item(u: &User) -> Result<Item> {
    let mut item = to_item("user", &keys::user(&u.id), u)?;
    let sk = keys::name_sort_key(&validate::name_key(&u.name), &u.id);
    let status = match u.status {
        UserStatus::Active => "active",
        UserStatus::Disabled => "disabled",
    };
    item.insert("GSI1PK".into(), keys::USERS_BY_NAME_PK.into());
    item.insert("GSI1SK".into(), sk.clone().into());
    item.insert(
        "GSI2PK".into(),
        keys::users_by_role_pk(u.role.as_str(), status).into(),
    );
    item.insert("GSI2SK".into(), sk.into());
    Ok(item)
}

/// A member of a business as listed by `GET /v1/business/staff`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Member {
    /// The member's user id.
    pub user_id: String,
    /// Name.
    pub name: String,
    /// E.164 phone.
    pub phone: String,
    /// `owner` or `staff`.
    pub role: Role,
    /// Added (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub added_at: Timestamp,
}

/// `POST /v1/auth/register`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// The person's name (1–100 characters).
    pub name: String,
    /// Mobile number: E.164, or 10 digits for India.
    pub phone: String,
    /// `business` (becomes `owner` of a new business) or `customer`.
    pub account_type: AccountType,
    /// Required for `business`.
    #[serde(default)]
    pub business_name: Option<String>,
    /// Optional email (needed for password reset).
    #[serde(default)]
    pub email: Option<String>,
    /// Optional password (8–128 characters) for password login.
    #[serde(default)]
    pub password: Option<String>,
}

/// The kind of account being registered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountType {
    /// A business owner.
    Business,
    /// A customer (debtor).
    Customer,
}

/// Answer of `POST /v1/auth/register`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Registered {
    /// The new user (phone not yet verified).
    pub user: UserView,
    /// The new business, for `account_type: business`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business: Option<Business>,
    /// Always `true`: an OTP went to the phone; verify it with `POST /v1/auth/otp/verify`.
    pub otp_sent: bool,
}

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

/// `PATCH /v1/me`: fields absent stay as they are; `null` clears an optional one.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New email, or `null` to remove it.
    #[serde(default, deserialize_with = "crate::customers::present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// New photo URL (https), or `null` to remove it.
    #[serde(default, deserialize_with = "crate::customers::present")]
    #[schema(value_type = Option<String>)]
    pub photo_url: Option<Option<String>>,
    /// A new password (8–128 characters).
    #[serde(default)]
    pub password: Option<String>,
    /// The version read; when given, the update is refused (409) if it changed.
    #[serde(default)]
    pub version: Option<i64>,
}

/// `POST /v1/business/staff`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaff {
    /// The staff member's name.
    pub name: String,
    /// Their mobile number; they log in with an OTP sent to it.
    pub phone: String,
}

/// A session item (refresh token), stored under the user.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Session {
    user_id: String,
    session_id: String,
    /// SHA-256 (hex) of the current refresh secret.
    secret_hash: String,
    expires_at: i64,
    ttl: i64,
    version: i64,
}

/// The authenticated caller of a request.
#[derive(Clone, Debug)]
pub struct Actor {
    /// The user, as stored now (role and status are read on every request).
    pub user: User,
}

impl Actor {
    /// The business of an `owner` or `staff`; 403 for anyone else.
    pub fn business_id(&self) -> Result<&str> {
        match (self.user.role, &self.user.business_id) {
            (Role::Owner | Role::Staff, Some(b)) => Ok(b),
            _ => Err(Error::Forbidden(
                "only the owner and staff of a business may do this".into(),
            )),
        }
    }

    /// 403 unless the caller is a platform admin of any level.
    pub fn require_admin(&self) -> Result<()> {
        if self.user.role.is_admin() {
            Ok(())
        } else {
            Err(Error::Forbidden("only platform admins may do this".into()))
        }
    }

    /// The business of an `owner`; 403 for staff and anyone else.
    pub fn owned_business_id(&self) -> Result<&str> {
        let b = self.business_id()?;
        if self.user.role == Role::Owner {
            Ok(b)
        } else {
            Err(Error::Forbidden(
                "only the business owner may do this".into(),
            ))
        }
    }
}

fn opt_email(errs: &mut Errors, field: &str, raw: Option<&str>) -> Option<String> {
    raw.and_then(|e| errs.check(validate::email(field, e)))
}

impl Hisaab {
    /// The write that saves a business with its admin-list keys: created
    /// (must not exist) or replaced under the version read.
    pub(crate) fn business_write(&self, b: &Business, read_version: Option<i64>) -> Result<Write> {
        let mut item = to_item("business", &keys::business(&b.id), b)?;
        item.insert("GSI1PK".into(), keys::BUSINESSES_BY_NAME_PK.into());
        item.insert(
            "GSI1SK".into(),
            keys::name_sort_key(&validate::name_key(&b.name), &b.id).into(),
        );
        Ok(Write::Put {
            item,
            cond: Some(read_version.map_or(Cond::NotExists, Cond::version)),
        })
    }

    pub(crate) async fn user(&self, user_id: &str) -> Result<Option<User>> {
        self.table
            .get(&keys::user(user_id))
            .await?
            .map(from_item)
            .transpose()
    }

    pub(crate) async fn user_by_unique(&self, key: crate::table::Key) -> Result<Option<User>> {
        let Some(u) = self.table.get(&key).await? else {
            return Ok(None);
        };
        let id = u
            .get("user_id")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        self.user(id).await
    }

    fn unique_item(&self, key: &crate::table::Key, user_id: &str) -> Result<Item> {
        to_item("unique", key, &serde_json::json!({ "user_id": user_id }))
    }

    /// Authenticates a bearer token: signature and expiry, then the user as
    /// stored now. 401 for a bad, expired or orphaned token; 403 for a
    /// disabled account.
    pub async fn authenticate(&self, token: &str) -> Result<Actor> {
        let claims = self.keys.verify_access_token(token, self.now_secs())?;
        let user = self
            .user(&claims.sub)
            .await?
            .ok_or_else(|| Error::unauthorized("invalid-token", "the account no longer exists"))?;
        user.ensure_active()?;
        if let Some(b) = &user.business_id
            && let Some(item) = self.table.get(&keys::business(b)).await?
            && from_item::<Business>(item)?.status == BusinessStatus::Disabled
        {
            return Err(Error::Forbidden("this business is disabled".into()));
        }
        Ok(Actor { user })
    }

    /// Registers a business owner (with a new business) or a customer and
    /// sends an OTP to verify the phone. 409 when the phone or email has an
    /// account; 429 when the phone had too many OTPs.
    pub async fn register(&self, r: Registration) -> Result<Registered> {
        let mut errs = Errors::default();
        let name = errs.check(validate::text("name", &r.name, 100));
        let phone = errs.check(Phone::parse("phone", &r.phone));
        let email = opt_email(&mut errs, "email", r.email.as_deref());
        let password = r
            .password
            .as_deref()
            .and_then(|p| errs.check(validate::password("password", p)));
        let business_name = match (r.account_type, r.business_name.as_deref()) {
            (AccountType::Business, Some(b)) => errs.check(validate::text("business_name", b, 120)),
            (AccountType::Business, None) => {
                errs.push(
                    "business_name",
                    "required",
                    "a business account needs a business name",
                );
                None
            }
            (AccountType::Customer, Some(_)) => {
                errs.push(
                    "business_name",
                    "not_allowed",
                    "only business accounts have a business name",
                );
                None
            }
            (AccountType::Customer, None) => None,
        };
        errs.finish()?;
        let (name, phone) = (name.unwrap_or_default(), phone.expect("validated"));
        let now = self.clock.now();
        let business_id = business_name.as_ref().map(|_| new_id("biz"));
        let role = if business_id.is_some() {
            Role::Owner
        } else {
            Role::Customer
        };
        let mut user = User::new_account(name, &phone, role, business_id.clone(), now);
        user.email = email.clone();
        user.password_hash = password.map(|p| crypto::hash_password(&p)).transpose()?;
        let business = business_name.zip(business_id).map(|(b, id)| Business {
            id,
            name: b,
            owner_id: user.id.clone(),
            created_at: now,
            status: BusinessStatus::Active,
            disabled_reason: None,
            version: 1,
        });
        let mut writes = self.new_user_writes(&user)?;
        if let Some(b) = &business {
            writes.push(self.business_write(b, None)?);
            writes.push(self.member_write(b, &user, now)?);
        }
        writes.push(crate::registry::stats_write(&[
            ("users", 1),
            ("businesses", i64::from(business.is_some())),
        ]));
        // Refuse before writing anything when this phone had too many codes.
        self.take_otp_send(&phone).await?;
        self.create_user(writes, &user).await?;
        if let Some(e) = &email {
            let body = format!(
                "Welcome to Hisaab, {}.\n\nYour account for {} is ready. Sign in with the code we text to your phone.\n",
                user.name, user.phone
            );
            if let Err(err) = self.mail.send_mail(e, "Welcome to Hisaab", &body).await {
                tracing::warn!(error = %err, "welcome mail not sent");
            }
        }
        self.issue_otp(&phone).await?;
        Ok(Registered {
            user: UserView::from(&user),
            business,
            otp_sent: true,
        })
    }

    /// The writes that create a user with its unique phone (and email).
    pub(crate) fn new_user_writes(&self, user: &User) -> Result<Vec<Write>> {
        let mut w = vec![
            Write::Put {
                item: user_item(user)?,
                cond: Some(Cond::NotExists),
            },
            Write::Put {
                item: self.unique_item(&keys::unique_phone(&user.phone), &user.id)?,
                cond: Some(Cond::NotExists),
            },
        ];
        if let Some(e) = &user.email {
            w.push(Write::Put {
                item: self.unique_item(&keys::unique_email(e), &user.id)?,
                cond: Some(Cond::NotExists),
            });
        }
        Ok(w)
    }

    pub(crate) fn member_write(&self, b: &Business, user: &User, now: Timestamp) -> Result<Write> {
        let m = Member {
            user_id: user.id.clone(),
            name: user.name.clone(),
            phone: user.phone.clone(),
            role: user.role,
            added_at: now,
        };
        Ok(Write::Put {
            item: to_item("member", &keys::member(&b.id, &user.id), &m)?,
            cond: Some(Cond::NotExists),
        })
    }

    /// Commits the writes of [`Hisaab::new_user_writes`] (first) plus
    /// others; a taken phone or email is a 409 naming the field.
    pub(crate) async fn create_user(&self, writes: Vec<Write>, user: &User) -> Result<()> {
        match self.table.transact(writes).await {
            Ok(()) => Ok(()),
            Err(TableError::ConditionFailed { index: Some(1) }) => Err(Error::Conflict {
                detail: "this phone number already has an account; log in with an OTP".into(),
                errors: vec![FieldError::new("phone", "taken", "already registered")],
            }),
            Err(TableError::ConditionFailed { index: Some(2) }) if user.email.is_some() => {
                Err(Error::Conflict {
                    detail: "this email already belongs to an account".into(),
                    errors: vec![FieldError::new("email", "taken", "already registered")],
                })
            }
            Err(e) => Err(e.into()),
        }
    }

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
    async fn take_otp_send(&self, phone: &Phone) -> Result<()> {
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
    async fn send_otp_to(&self, phone: &Phone) -> Result<()> {
        self.take_otp_send(phone).await?;
        self.issue_otp(phone).await
    }

    /// Stores a fresh OTP for the phone and texts it (no rate check).
    async fn issue_otp(&self, phone: &Phone) -> Result<()> {
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

    /// Stores a changed user under its version condition and bumps it.
    async fn save_user(&self, user: &mut User) -> Result<()> {
        let v = user.version;
        user.version += 1;
        user.updated_at = self.clock.now();
        let item = user_item(user)?;
        self.table.put(item, Some(Cond::version(v))).await?;
        Ok(())
    }

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

    fn tokens(&self, user: &User, session: &Session, secret: &str) -> Result<Tokens> {
        Ok(Tokens {
            access_token: self.access_token(user)?,
            refresh_token: format!("{}.{}.{}", user.id, session.session_id, secret),
            token_type: "Bearer".into(),
            expires_in: ACCESS_TOKEN_SECS,
            user: UserView::from(user),
        })
    }

    async fn open_session(&self, user: &User) -> Result<Tokens> {
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

    /// Deletes every session of a user.
    pub(crate) async fn revoke_sessions(&self, user_id: &str) -> Result<()> {
        let q = Query::new(crate::table::Index::Table, keys::user(user_id).pk)
            .begins_with(keys::SESSION_PREFIX)
            .limit(1000);
        for s in self.table.query(&q).await?.items {
            if let Some(k) = crate::table::Key::of(&s) {
                self.table.delete(&k, None).await?;
            }
        }
        Ok(())
    }

    /// `GET /v1/me`.
    pub fn me(&self, actor: &Actor) -> UserView {
        UserView::from(&actor.user)
    }

    /// `PATCH /v1/me`: name, email (kept unique), photo URL, password.
    pub async fn update_me(&self, actor: &Actor, p: ProfilePatch) -> Result<UserView> {
        let mut user = actor.user.clone();
        if p.version.is_some_and(|v| v != user.version) {
            return Err(Error::stale());
        }
        let mut errs = Errors::default();
        if let Some(n) = &p.name
            && let Some(n) = errs.check(validate::text("name", n, 100))
        {
            user.name = n;
        }
        let old_email = user.email.clone();
        if let Some(e) = &p.email {
            user.email = e
                .as_deref()
                .and_then(|e| errs.check(validate::email("email", e)));
        }
        if let Some(url) = &p.photo_url {
            user.photo_url = match url.as_deref() {
                Some(u) if u.starts_with("https://") && u.len() <= 2048 => Some(u.to_string()),
                Some(_) => {
                    errs.push(
                        "photo_url",
                        "invalid_url",
                        "an https URL of at most 2048 characters",
                    );
                    None
                }
                None => None,
            };
        }
        if let Some(pw) = &p.password
            && let Some(pw) = errs.check(validate::password("password", pw))
        {
            user.password_hash = Some(crypto::hash_password(&pw)?);
        }
        errs.finish()?;
        let v = user.version;
        user.version += 1;
        user.updated_at = self.clock.now();
        let mut writes = vec![Write::Put {
            item: user_item(&user)?,
            cond: Some(Cond::version(v)),
        }];
        if user.email != old_email {
            if let Some(e) = &user.email {
                writes.push(Write::Put {
                    item: self.unique_item(&keys::unique_email(e), &user.id)?,
                    cond: Some(Cond::NotExists),
                });
            }
            if let Some(e) = &old_email {
                writes.push(Write::Delete {
                    key: keys::unique_email(e),
                    cond: None,
                });
            }
        }
        match self.table.transact(writes).await {
            Ok(()) => Ok(UserView::from(&user)),
            Err(TableError::ConditionFailed { index: Some(1) }) if user.email.is_some() => {
                Err(Error::Conflict {
                    detail: "this email already belongs to an account".into(),
                    errors: vec![FieldError::new("email", "taken", "already registered")],
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// `POST /v1/business/staff` (owner only): creates a staff account for
    /// the phone, who then logs in by OTP, and texts them. 409 when the phone
    /// already has an account.
    pub async fn add_staff(&self, actor: &Actor, s: NewStaff) -> Result<Member> {
        let bid = actor.owned_business_id()?.to_string();
        let mut errs = Errors::default();
        let name = errs.check(validate::text("name", &s.name, 100));
        let phone = errs.check(Phone::parse("phone", &s.phone));
        errs.finish()?;
        let (name, phone) = (name.unwrap_or_default(), phone.expect("validated"));
        let business: Business = from_item(
            self.table
                .get(&keys::business(&bid))
                .await?
                .ok_or(Error::NotFound("business"))?,
        )?;
        let now = self.clock.now();
        let user = User::new_account(name, &phone, Role::Staff, Some(bid.clone()), now);
        let mut writes = self.new_user_writes(&user)?;
        writes.push(self.member_write(&business, &user, now)?);
        writes.push(crate::registry::stats_write(&[("users", 1)]));
        self.create_user(writes, &user).await?;
        let body = format!(
            "{} added you as staff on Hisaab. Sign in with your phone {} to start.",
            business.name, user.phone
        );
        if let Err(e) = self.sms.send_sms(&phone, &body).await {
            tracing::warn!(error = %e, "staff invitation SMS not sent");
        }
        Ok(Member {
            user_id: user.id,
            name: user.name,
            phone: user.phone,
            role: Role::Staff,
            added_at: now,
        })
    }

    /// `GET /v1/business/staff` (owner only): the owner and every staff member.
    pub async fn list_staff(&self, actor: &Actor) -> Result<Vec<Member>> {
        let bid = actor.owned_business_id()?;
        let (pk, prefix) = keys::members(bid);
        let page = self
            .table
            .query(
                &Query::new(crate::table::Index::Table, pk)
                    .begins_with(prefix)
                    .limit(1000),
            )
            .await?;
        page.items.into_iter().map(from_item).collect()
    }

    /// `DELETE /v1/business/staff/{user_id}` (owner only): deletes the staff
    /// account; its tokens are refused from the next request. 404 for anyone
    /// who is not staff of this business.
    pub async fn remove_staff(&self, actor: &Actor, user_id: &str) -> Result<()> {
        let bid = actor.owned_business_id()?;
        let member_key = keys::member(bid, user_id);
        let member: Member = from_item(
            self.table
                .get(&member_key)
                .await?
                .ok_or(Error::NotFound("staff member"))?,
        )?;
        if member.role != Role::Staff {
            return Err(Error::NotFound("staff member"));
        }
        let user = self
            .user(user_id)
            .await?
            .ok_or(Error::NotFound("staff member"))?;
        let mut writes = vec![
            Write::Delete {
                key: member_key,
                cond: Some(Cond::Exists),
            },
            Write::Delete {
                key: keys::user(user_id),
                cond: Some(Cond::Exists),
            },
            Write::Delete {
                key: keys::unique_phone(&user.phone),
                cond: None,
            },
        ];
        if let Some(e) = &user.email {
            writes.push(Write::Delete {
                key: keys::unique_email(e),
                cond: None,
            });
        }
        self.table.transact(writes).await?;
        self.revoke_sessions(user_id).await
    }

    /// Creates a platform admin (`hisaab admin create`): OTP login only.
    pub async fn create_admin(&self, name: &str, raw_phone: &str, role: Role) -> Result<UserView> {
        if !role.is_admin() {
            return Err(Error::field(
                "level",
                "invalid",
                "an admin level is l1, senior or super",
            ));
        }
        let mut errs = Errors::default();
        let name = errs.check(validate::text("name", name, 100));
        let phone = errs.check(Phone::parse("phone", raw_phone));
        errs.finish()?;
        let now = self.clock.now();
        let user = User::new_account(
            name.unwrap_or_default(),
            &phone.expect("validated"),
            role,
            None,
            now,
        );
        let mut writes = self.new_user_writes(&user)?;
        writes.push(crate::registry::stats_write(&[("users", 1)]));
        self.create_user(writes, &user).await?;
        Ok(UserView::from(&user))
    }
}
