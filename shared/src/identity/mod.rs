//! Identity: registration, phone OTPs, password login, sessions with
//! rotating refresh tokens, password reset, profile, business staff and
//! platform admins.
//!
//! Rules (issue #2): OTPs have 6 digits, are stored as keyed hashes, live 5
//! minutes and die after 5 wrong tries; a phone gets at most 3 OTP sends in
//! any 15 minutes. Passwords are argon2id. Access tokens live 15 minutes;
//! refresh tokens 30 days and rotate on every use. Reset links live 30
//! minutes and work once.
//!
//! This folder: the types and the reads every layer above uses (here);
//! registration and profile (`accounts`), OTPs (`otp`), sessions and
//! tokens (`sessions`), password reset (`passwords`), staff (`staff`), and
//! the audit log (`audit`).

pub mod accounts;
pub mod audit;
pub mod otp;
pub mod passwords;
pub mod sessions;
pub mod staff;

use crate::app::{Hisaab, from_item, to_item};
use crate::error::{Error, FieldError, Result};
use crate::idempotency::Idempotency;
use crate::ids::new_id;
use crate::keys;
use crate::table::{Cond, Item, Write};
use crate::validate::{self, Phone};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
    keys::users_by_name().at(sk.clone()).set_on(&mut item);
    keys::users_by_role(u.role.as_str(), status)
        .at(sk)
        .set_on(&mut item);
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

impl Hisaab {
    /// The write that saves a business with its admin-list keys: created
    /// (must not exist) or replaced under the version read.
    pub(crate) fn business_write(&self, b: &Business, read_version: Option<i64>) -> Result<Write> {
        let mut item = to_item("business", &keys::business(&b.id), b)?;
        keys::businesses_by_name()
            .at(keys::name_sort_key(&validate::name_key(&b.name), &b.id))
            .set_on(&mut item);
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

    pub(crate) fn unique_item(&self, key: &crate::table::Key, user_id: &str) -> Result<Item> {
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
        self.create_user_by("", None, writes, user, ()).await?;
        Ok(())
    }

    /// [`Hisaab::create_user`] for a signed-in creator `by` (staff added by
    /// an owner, accounts added by an admin), with the idempotency record
    /// of the create in the same transaction when a key was sent: `value`
    /// is the answer, `true` with it when a concurrent request with the
    /// same key won and its stored answer is returned. Any other lost
    /// condition is a 409, as before.
    pub(crate) async fn create_user_by<T>(
        &self,
        by: &str,
        idem: Option<&Idempotency>,
        writes: Vec<Write>,
        user: &User,
        value: T,
    ) -> Result<(T, bool)>
    where
        T: Serialize + serde::de::DeserializeOwned,
    {
        let taken = |index: Option<usize>| match index {
            Some(1) => Some(Error::Conflict {
                detail: "this phone number already has an account; log in with an OTP".into(),
                errors: vec![FieldError::new("phone", "taken", "already registered")],
            }),
            Some(2) if user.email.is_some() => Some(Error::Conflict {
                detail: "this email already belongs to an account".into(),
                errors: vec![FieldError::new("email", "taken", "already registered")],
            }),
            _ => Some(Error::stale()),
        };
        self.commit_create(by, idem, writes, value, taken)
            .await?
            .ok_or_else(Error::stale)
    }

    /// Stores a changed user under its version condition and bumps it.
    pub(crate) async fn save_user(&self, user: &mut User) -> Result<()> {
        let v = user.version;
        user.version += 1;
        user.updated_at = self.clock.now();
        let item = user_item(user)?;
        self.table.put(item, Some(Cond::version(v))).await?;
        Ok(())
    }
}
