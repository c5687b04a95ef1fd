//! Registration (a business owner or a customer), the caller's profile,
//! and platform admins created from the command line.

use crate::app::Hisaab;
use crate::crypto::{self};
use crate::error::{Error, Errors, FieldError, Result};
use crate::identity::{Actor, Business, BusinessStatus, Role, User, UserView, user_item};
use crate::ids::new_id;
use crate::keys;
use crate::table::{Cond, TableError, Write};
use crate::validate::{self, Phone};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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

/// `PATCH /v1/me`: fields absent stay as they are; `null` clears an optional one.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New email, or `null` to remove it.
    #[serde(default, deserialize_with = "crate::validate::present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// New photo URL (https), or `null` to remove it.
    #[serde(default, deserialize_with = "crate::validate::present")]
    #[schema(value_type = Option<String>)]
    pub photo_url: Option<Option<String>>,
    /// A new password (8–128 characters).
    #[serde(default)]
    pub password: Option<String>,
    /// The version read; when given, the update is refused (409) if it changed.
    #[serde(default)]
    pub version: Option<i64>,
}

fn opt_email(errs: &mut Errors, field: &str, raw: Option<&str>) -> Option<String> {
    raw.and_then(|e| errs.check(validate::email(field, e)))
}

impl Hisaab {
    /// Registers a business owner (with a new business) or a customer and
    /// sends an OTP to verify the phone. 409 when the phone or email has an
    /// account; 429 when the phone had too many OTPs.
    pub async fn register(&self, r: Registration) -> Result<Registered> {
        self.register_from(r, None).await
    }

    /// [`Hisaab::register`] for a request from `source` (its address,
    /// when known), which also counts against the source's OTP send limit
    /// ([`crate::identity::otp::OTP_MAX_SENDS_PER_SOURCE`]).
    pub async fn register_from(
        &self,
        r: Registration,
        source: Option<std::net::IpAddr>,
    ) -> Result<Registered> {
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
        writes.push(crate::stats::stats_write(&[
            ("users", 1),
            ("businesses", i64::from(business.is_some())),
        ]));
        // Refuse before writing anything when this phone or this source
        // had too many codes.
        self.take_source_send(source).await?;
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
        writes.push(crate::stats::stats_write(&[("users", 1)]));
        self.create_user(writes, &user).await?;
        Ok(UserView::from(&user))
    }
}
