//! Platform administration (issue #5): the dashboard counters, members
//! (users, businesses, companies), employees (admins) and their levels,
//! disabling and enabling accounts, password-reset mails, adding users,
//! wrong-report metrics and the audit log.
//!
//! Levels: every admin reads; `admin_senior` and `admin_super` disable and
//! enable; only `admin_super` adds employees or changes a level. Every
//! change is appended to the audit log in its own transaction.

use crate::app::Hisaab;
use crate::error::{Error, Errors, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::audit::AuditEntry;
use crate::identity::{
    Actor, Business, BusinessStatus, Role, User, UserStatus, UserView, user_item,
};
use crate::ids::new_id;
use crate::keys;
use crate::paging::{Page, page_limit};
use crate::registry::reporters::ReporterRecord;
use crate::registry::search::{CompanyCard, CompanySearch};
use crate::stats::stats_write;
use crate::table::{Cond, Query, Write};
use crate::validate::{self, Phone};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// `GET /v1/admin/stats`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct PlatformStats {
    /// Everyone who signed up or was added (users of every role).
    pub members: i64,
    /// Businesses.
    pub businesses: i64,
    /// Customer records of all businesses.
    pub customers: i64,
    /// Companies of the registry.
    pub companies: i64,
    /// Approved (listed) default reports.
    pub approved_defaults: i64,
    /// Reports by review status.
    pub reports: BTreeMap<String, i64>,
    /// Reports waiting for L1 (pending and in process).
    pub review_queue: i64,
    /// Reports referred to the senior team.
    pub referred_queue: i64,
    /// Open disputes.
    pub open_disputes: i64,
    /// Open edit requests.
    pub open_edit_requests: i64,
}

/// Query of `GET /v1/admin/users`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    /// A name prefix, or a phone number.
    pub q: Option<String>,
    /// `owner`, `staff`, `customer`, `admin_l1`, `admin_senior`, `admin_super`.
    pub role: Option<Role>,
    /// `active` or `disabled`.
    pub status: Option<UserStatus>,
    /// Page size, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// From the previous page.
    pub cursor: Option<String>,
}

/// Query of `GET /v1/admin/businesses`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BusinessFilter {
    /// A name prefix.
    pub q: Option<String>,
    /// `active` or `disabled`.
    pub status: Option<BusinessStatus>,
    /// Page size, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// From the previous page.
    pub cursor: Option<String>,
}

/// `POST /v1/admin/users`: a user who then logs in with an OTP.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// Name (1–100 characters).
    pub name: String,
    /// Phone (E.164 or a 10-digit Indian number); unique.
    pub phone: String,
    /// Email; unique.
    pub email: Option<String>,
    /// `owner` (with `business_name`) or `customer`.
    pub role: Role,
    /// The new business of an owner.
    pub business_name: Option<String>,
}

/// `POST /v1/admin/employees`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEmployee {
    /// Name (1–100 characters).
    pub name: String,
    /// Phone; unique.
    pub phone: String,
    /// Email, for reset mails; unique.
    pub email: Option<String>,
    /// `admin_l1`, `admin_senior` or `admin_super`.
    pub role: Role,
}

/// The account an admin adds: an employee or a user.
struct Account<'a> {
    name: &'a str,
    phone: &'a str,
    email: Option<&'a str>,
    role: Role,
    business_name: Option<&'a str>,
}

/// `PATCH /v1/admin/employees/{user_id}`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelChange {
    /// `admin_l1`, `admin_senior` or `admin_super`.
    pub role: Role,
}

/// `POST …/disable` and `…/enable`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusNote {
    /// Why (≤ 1000 characters).
    pub note: Option<String>,
}

/// A row of `GET /v1/admin/metrics/wrong-reports`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct WrongReportRow {
    /// The reporting business and its counts.
    #[serde(flatten)]
    pub record: ReporterRecord,
    /// Wrongly raised per report filed, basis points (2500 = 25%).
    pub rate_bp: i64,
    /// The count at which a business is disabled.
    pub limit: i64,
}

/// Query of `GET /v1/admin/audit`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Entries about one target (report, business, user, dispute id …).
    pub target_id: Option<String>,
    /// Entries made by one user.
    pub actor_id: Option<String>,
    /// Page size, 1–100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// From the previous page.
    pub cursor: Option<String>,
}

/// A sort-key prefix condition only when there is a prefix (DynamoDB
/// refuses `begins_with` on an empty string).
trait PrefixQuery {
    fn begins_with_nonempty(self, prefix: &str) -> Self;
}

impl PrefixQuery for Query {
    fn begins_with_nonempty(self, prefix: &str) -> Self {
        if prefix.is_empty() {
            self
        } else {
            self.begins_with(prefix)
        }
    }
}

fn senior(actor: &Actor) -> Result<()> {
    match actor.user.role {
        Role::AdminSenior | Role::AdminSuper => Ok(()),
        _ => Err(Error::Forbidden("only the senior team may do this".into())),
    }
}

/// `Ok` for a super admin, else a 403.
pub(crate) fn super_admin(actor: &Actor) -> Result<()> {
    match actor.user.role {
        Role::AdminSuper => Ok(()),
        _ => Err(Error::Forbidden("only a super admin may do this".into())),
    }
}

fn status_str(s: UserStatus) -> &'static str {
    match s {
        UserStatus::Active => "active",
        UserStatus::Disabled => "disabled",
    }
}

impl Hisaab {
    /// `GET /v1/admin/stats`: the sum of the counter shards (one query).
    pub async fn platform_stats(&self, actor: &Actor) -> Result<PlatformStats> {
        actor.require_admin()?;
        let page = self
            .table
            .query(&Query::on(keys::platform_stats()).limit(100))
            .await?;
        let mut sum: BTreeMap<String, i64> = BTreeMap::new();
        for item in page.items {
            for (k, v) in item {
                if let Some(n) = v.as_i64() {
                    *sum.entry(k).or_default() += n;
                }
            }
        }
        let get = |k: &str| sum.get(k).copied().unwrap_or(0);
        let reports: BTreeMap<String, i64> = crate::registry::reports::ReportStatus::ALL
            .into_iter()
            .map(|s| {
                (
                    s.as_str().to_string(),
                    get(&format!("reports_{}", s.as_str())),
                )
            })
            .collect();
        Ok(PlatformStats {
            members: get("users"),
            businesses: get("businesses"),
            customers: get("customers"),
            companies: get("companies"),
            approved_defaults: reports["approved"],
            review_queue: reports["pending"] + reports["in_process"],
            referred_queue: reports["referred"],
            open_disputes: get("disputes_open"),
            open_edit_requests: get("edit_requests_open"),
            reports,
        })
    }

    /// `GET /v1/admin/users`: everyone by name; `q` a name prefix or a
    /// phone (one key read); `role` with `status` reads their own index.
    pub async fn admin_users(&self, actor: &Actor, f: UserFilter) -> Result<Page<UserView>> {
        actor.require_admin()?;
        let limit = page_limit(f.limit, 20, 100)?;
        let q = f.q.as_deref().unwrap_or("").trim();
        if q.chars().filter(|c| c.is_ascii_digit()).count() >= 10
            && let Ok(p) = Phone::parse("q", q)
        {
            let items = self
                .user_by_unique(keys::unique_phone(p.as_str()))
                .await?
                .filter(|u| f.role.is_none_or(|r| r == u.role))
                .filter(|u| f.status.is_none_or(|s| s == u.status))
                .map(|u| UserView::from(&u))
                .into_iter()
                .collect();
            return Ok(Page {
                items,
                next_cursor: None,
            });
        }
        let prefix = validate::name_key(q);
        let query = match (f.role, f.status) {
            (Some(r), Some(s)) => Query::on(keys::users_by_role(r.as_str(), status_str(s))),
            _ => Query::on(keys::users_by_name()),
        }
        .begins_with_nonempty(&prefix)
        .limit(limit);
        let binding = format!("admin-users|{prefix}|{:?}|{:?}", f.role, f.status);
        let page: Page<User> = self
            .query_page(query, &binding, f.cursor.as_deref(), |u: &User| {
                f.role.is_none_or(|r| r == u.role) && f.status.is_none_or(|s| s == u.status)
            })
            .await?;
        Ok(Page {
            items: page.items.iter().map(UserView::from).collect(),
            next_cursor: page.next_cursor,
        })
    }

    /// `GET /v1/admin/businesses`: by name prefix, optionally one status.
    pub async fn admin_businesses(
        &self,
        actor: &Actor,
        f: BusinessFilter,
    ) -> Result<Page<Business>> {
        actor.require_admin()?;
        let limit = page_limit(f.limit, 20, 100)?;
        let prefix = validate::name_key(f.q.as_deref().unwrap_or(""));
        let query = Query::on(keys::businesses_by_name())
            .begins_with_nonempty(&prefix)
            .limit(limit);
        let binding = format!("admin-businesses|{prefix}|{:?}", f.status);
        self.query_page(query, &binding, f.cursor.as_deref(), |b: &Business| {
            f.status.is_none_or(|s| s == b.status)
        })
        .await
    }

    /// `GET /v1/admin/companies`: every company by name prefix, or the
    /// registry search when `q` is a GSTIN, PAN or phone.
    pub async fn admin_companies(
        &self,
        actor: &Actor,
        s: CompanySearch,
    ) -> Result<Page<CompanyCard>> {
        actor.require_admin()?;
        let q = s.q.as_deref().unwrap_or("").trim();
        if validate::gstin("q", q).is_ok()
            || validate::pan("q", q).is_ok()
            || q.chars().filter(|c| c.is_ascii_digit()).count() >= 10
        {
            return self.search_companies(actor, s.clone()).await;
        }
        let limit = page_limit(s.limit, 20, 100)?;
        let prefix = validate::name_key(q);
        let query = Query::on(keys::companies_by_name())
            .begins_with_nonempty(&prefix)
            .limit(limit);
        let page: Page<crate::companies::Company> = self
            .query_page(
                query,
                &format!("admin-companies|{prefix}"),
                s.cursor.as_deref(),
                |_: &crate::companies::Company| true,
            )
            .await?;
        let today = self.registry_today();
        Ok(Page {
            items: page.items.iter().map(|c| c.card(today)).collect(),
            next_cursor: page.next_cursor,
        })
    }

    /// `GET /v1/admin/employees`: every admin (active and disabled), by
    /// level then name.
    pub async fn list_employees(&self, actor: &Actor) -> Result<Vec<UserView>> {
        actor.require_admin()?;
        let mut out = vec![];
        for role in [Role::AdminSuper, Role::AdminSenior, Role::AdminL1] {
            for status in ["active", "disabled"] {
                let users: Vec<User> = self
                    .query_all(Query::on(keys::users_by_role(role.as_str(), status)).limit(1000))
                    .await?;
                out.extend(users.iter().map(UserView::from));
            }
        }
        Ok(out)
    }

    /// `POST /v1/admin/employees` (super admin): a new admin who logs in
    /// with password + OTP or OTP alone. 409 naming a taken phone or email.
    /// With an idempotency key, a retry returns the first answer (`true` in
    /// the second value).
    pub async fn add_employee(
        &self,
        actor: &Actor,
        e: NewEmployee,
        idem: Option<Idempotency>,
    ) -> Result<(UserView, bool)> {
        super_admin(actor)?;
        if !e.role.is_admin() {
            return Err(Error::field(
                "role",
                "invalid",
                "admin_l1, admin_senior or admin_super",
            ));
        }
        let account = Account {
            name: &e.name,
            phone: &e.phone,
            email: e.email.as_deref(),
            role: e.role,
            business_name: None,
        };
        self.add_account(actor, account, idem).await
    }

    /// `POST /v1/admin/users` (any admin): a business owner (with a new
    /// business) or a customer, who then logs in with an OTP. With an
    /// idempotency key, a retry returns the first answer (`true` in the
    /// second value).
    pub async fn admin_add_user(
        &self,
        actor: &Actor,
        u: NewUser,
        idem: Option<Idempotency>,
    ) -> Result<(UserView, bool)> {
        actor.require_admin()?;
        if !matches!(u.role, Role::Owner | Role::Customer) {
            return Err(Error::field("role", "invalid", "owner or customer"));
        }
        let account = Account {
            name: &u.name,
            phone: &u.phone,
            email: u.email.as_deref(),
            role: u.role,
            business_name: u.business_name.as_deref(),
        };
        self.add_account(actor, account, idem).await
    }

    async fn add_account(
        &self,
        actor: &Actor,
        a: Account<'_>,
        idem: Option<Idempotency>,
    ) -> Result<(UserView, bool)> {
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
        let Account {
            name,
            phone,
            email,
            role,
            business_name,
        } = a;
        let mut errs = Errors::default();
        let name = errs.check(validate::text("name", name, 100));
        let phone = errs.check(Phone::parse("phone", phone));
        let email = email.and_then(|e| errs.check(validate::email("email", e)));
        let business_name = match (role, business_name) {
            (Role::Owner, Some(b)) => errs.check(validate::text("business_name", b, 120)),
            (Role::Owner, None) => {
                errs.push(
                    "business_name",
                    "required",
                    "an owner needs a business name",
                );
                None
            }
            (_, Some(_)) => {
                errs.push(
                    "business_name",
                    "not_allowed",
                    "only owners have a business",
                );
                None
            }
            (_, None) => None,
        };
        errs.finish()?;
        let now = self.clock.now();
        let business_id = business_name.as_ref().map(|_| new_id("biz"));
        let mut user = User::new_account(
            name.unwrap_or_default(),
            &phone.expect("validated"),
            role,
            business_id.clone(),
            now,
        );
        user.email = email;
        let mut writes = self.new_user_writes(&user)?;
        let business = business_name.zip(business_id).map(|(b, id)| Business {
            id,
            name: b,
            owner_id: user.id.clone(),
            created_at: now,
            status: BusinessStatus::Active,
            disabled_reason: None,
            version: 1,
        });
        if let Some(b) = &business {
            writes.push(self.business_write(b, None)?);
            writes.push(self.member_write(b, &user, now)?);
        }
        writes.push(stats_write(&[
            ("users", 1),
            ("businesses", i64::from(business.is_some())),
        ]));
        let view = UserView::from(&user);
        writes.push(self.audit_write(
            Some(actor),
            if role.is_admin() {
                "employee.add"
            } else {
                "user.add"
            },
            "user",
            &user.id,
            None,
            Some(serde_json::to_value(&view).unwrap_or_default()),
            None,
        )?);
        self.create_user_by(&actor.user.id, idem.as_ref(), writes, &user, view)
            .await
    }

    /// `PATCH /v1/admin/employees/{user_id}` (super admin): changes an
    /// admin's level; not one's own (so a super admin always remains).
    pub async fn change_level(
        &self,
        actor: &Actor,
        user_id: &str,
        c: LevelChange,
    ) -> Result<UserView> {
        super_admin(actor)?;
        if !c.role.is_admin() {
            return Err(Error::field(
                "role",
                "invalid",
                "admin_l1, admin_senior or admin_super",
            ));
        }
        if user_id == actor.user.id {
            return Err(Error::Forbidden(
                "an admin cannot change their own level".into(),
            ));
        }
        let old = self
            .user(user_id)
            .await?
            .filter(|u| u.role.is_admin())
            .ok_or(Error::NotFound("employee"))?;
        let mut u = old.clone();
        u.role = c.role;
        self.save_user_audited(actor, &old, u, "employee.level", None)
            .await
    }

    async fn save_user_audited(
        &self,
        actor: &Actor,
        old: &User,
        mut u: User,
        action: &str,
        note: Option<String>,
    ) -> Result<UserView> {
        u.version = old.version + 1;
        u.updated_at = self.clock.now();
        let writes = vec![
            Write::Put {
                item: user_item(&u)?,
                cond: Some(Cond::version(old.version)),
            },
            self.audit_write(
                Some(actor),
                action,
                "user",
                &u.id,
                Some(serde_json::json!({ "role": old.role, "status": old.status })),
                Some(serde_json::json!({ "role": u.role, "status": u.status })),
                note,
            )?,
        ];
        self.table.transact(writes).await?;
        Ok(UserView::from(&u))
    }

    /// `POST /v1/admin/users/{user_id}/disable` and `…/enable` (senior
    /// team): a disabled user is refused on the next request and loses
    /// every session. Not oneself; a super admin only by a super admin.
    pub async fn set_user_status(
        &self,
        actor: &Actor,
        user_id: &str,
        status: UserStatus,
        n: StatusNote,
    ) -> Result<UserView> {
        senior(actor)?;
        let mut errs = Errors::default();
        let note = n
            .note
            .as_deref()
            .and_then(|s| errs.check(validate::text("note", s, 1000)));
        errs.finish()?;
        if user_id == actor.user.id {
            return Err(Error::Forbidden(
                "an admin cannot disable or enable themselves".into(),
            ));
        }
        let old = self.user(user_id).await?.ok_or(Error::NotFound("user"))?;
        if old.role == Role::AdminSuper && actor.user.role != Role::AdminSuper {
            return Err(Error::Forbidden(
                "only a super admin may do this to a super admin".into(),
            ));
        }
        if old.status == status {
            return Ok(UserView::from(&old));
        }
        let mut u = old.clone();
        u.status = status;
        let action = if status == UserStatus::Disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        let view = self.save_user_audited(actor, &old, u, action, note).await?;
        if status == UserStatus::Disabled {
            self.revoke_sessions(user_id).await?;
        }
        Ok(view)
    }

    /// `POST /v1/admin/businesses/{business_id}/disable` and `…/enable`
    /// (senior team): every member of a disabled business is refused on
    /// the next request.
    pub async fn set_business_status(
        &self,
        actor: &Actor,
        business_id: &str,
        status: BusinessStatus,
        n: StatusNote,
    ) -> Result<Business> {
        senior(actor)?;
        let mut errs = Errors::default();
        let note = n
            .note
            .as_deref()
            .and_then(|s| errs.check(validate::text("note", s, 1000)));
        errs.finish()?;
        let old = self.business_of(business_id).await?;
        if old.status == status {
            return Ok(old);
        }
        let mut b = old.clone();
        b.status = status;
        b.disabled_reason = match status {
            BusinessStatus::Disabled => note.clone().or(Some("disabled by an admin".into())),
            BusinessStatus::Active => None,
        };
        b.version = old.version + 1;
        let action = if status == BusinessStatus::Disabled {
            "business.disable"
        } else {
            "business.enable"
        };
        let writes = vec![
            self.business_write(&b, Some(old.version))?,
            self.audit_write(
                Some(actor),
                action,
                "business",
                business_id,
                Some(serde_json::json!({ "status": old.status })),
                Some(serde_json::json!({ "status": b.status })),
                note,
            )?,
        ];
        self.table.transact(writes).await?;
        Ok(b)
    }

    /// `POST /v1/admin/users/{user_id}/password-reset` (any admin): mails
    /// the user a reset link through SES. 422 naming `email` when the user
    /// has none.
    pub async fn admin_password_reset(&self, actor: &Actor, user_id: &str) -> Result<()> {
        actor.require_admin()?;
        let u = self.user(user_id).await?.ok_or(Error::NotFound("user"))?;
        let Some(email) = u.email.clone() else {
            return Err(Error::field(
                "email",
                "missing",
                "the user has no email address",
            ));
        };
        self.table
            .transact(vec![self.audit_write(
                Some(actor),
                "user.password_reset_mail",
                "user",
                user_id,
                None,
                None,
                None,
            )?])
            .await?;
        self.send_reset_mail(&u, &email).await
    }

    /// `GET /v1/admin/metrics/wrong-reports`: businesses by wrongly raised
    /// defaults, most first.
    pub async fn wrong_report_metrics(
        &self,
        actor: &Actor,
        limit: Option<usize>,
        cursor: Option<String>,
    ) -> Result<Page<WrongReportRow>> {
        actor.require_admin()?;
        let limit = page_limit(limit, 20, 100)?;
        let q = Query::on(keys::wrong_reports()).descending().limit(limit);
        let page: Page<ReporterRecord> = self
            .query_page(
                q,
                "wrong-reports",
                cursor.as_deref(),
                |_: &ReporterRecord| true,
            )
            .await?;
        let lim = self.wrong_report_limit();
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(|r| WrongReportRow {
                    rate_bp: if r.reports > 0 {
                        r.wrong * 10_000 / r.reports
                    } else {
                        0
                    },
                    record: r,
                    limit: lim,
                })
                .collect(),
            next_cursor: page.next_cursor,
        })
    }

    /// `GET /v1/admin/audit`: newest first, about one target, by one
    /// actor, or everything (recent activity).
    pub async fn audit_log(&self, actor: &Actor, f: AuditFilter) -> Result<Page<AuditEntry>> {
        actor.require_admin()?;
        let limit = page_limit(f.limit, 50, 100)?;
        let q = match (&f.target_id, &f.actor_id) {
            (Some(t), _) => Query::on(keys::audit_target(t)),
            (None, Some(a)) => Query::on(keys::audit_by_actor(a)),
            (None, None) => Query::on(keys::audit_all()),
        }
        .descending()
        .limit(limit);
        let binding = format!("audit|{:?}|{:?}", f.target_id, f.actor_id);
        let actor_filter = f.actor_id.clone();
        self.query_page(q, &binding, f.cursor.as_deref(), |e: &AuditEntry| {
            actor_filter.as_ref().is_none_or(|a| &e.actor_id == a)
        })
        .await
    }
}
