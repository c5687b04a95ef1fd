//! A business's staff: added and removed by the owner.

use crate::app::{Hisaab, from_item};
use crate::error::{Error, Errors, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::{Actor, Business, Member, Role, User};
use crate::keys;
use crate::table::{Cond, Query, Write};
use crate::validate::{self, Phone};
use serde::Deserialize;
use utoipa::ToSchema;

/// `POST /v1/business/staff`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaff {
    /// The staff member's name.
    pub name: String,
    /// Their mobile number; they log in with an OTP sent to it.
    pub phone: String,
}

impl Hisaab {
    /// `POST /v1/business/staff` (owner only): creates a staff account for
    /// the phone, who then logs in by OTP, and texts them. 409 when the phone
    /// already has an account. With an idempotency key, a retry returns the
    /// first answer (`true` in the second value) and texts nobody.
    pub async fn add_staff(
        &self,
        actor: &Actor,
        s: NewStaff,
        idem: Option<Idempotency>,
    ) -> Result<(Member, bool)> {
        let bid = actor.owned_business_id()?.to_string();
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
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
        writes.push(crate::stats::stats_write(&[("users", 1)]));
        let member = Member {
            user_id: user.id.clone(),
            name: user.name.clone(),
            phone: user.phone.clone(),
            role: Role::Staff,
            added_at: now,
        };
        let (member, replayed) = self
            .create_user_by(&actor.user.id, idem.as_ref(), writes, &user, member)
            .await?;
        if !replayed {
            let body = format!(
                "{} added you as staff on Hisaab. Sign in with your phone {} to start.",
                business.name, member.phone
            );
            if let Err(e) = self.sms.send_sms(&phone, &body).await {
                tracing::warn!(error = %e, "staff invitation SMS not sent");
            }
        }
        Ok((member, replayed))
    }

    /// `GET /v1/business/staff` (owner only): the owner and every staff member.
    pub async fn list_staff(&self, actor: &Actor) -> Result<Vec<Member>> {
        let bid = actor.owned_business_id()?;
        let (pk, prefix) = keys::members(bid);
        let page = self
            .table
            .query(&Query::on(pk).begins_with(prefix).limit(1000))
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
}
