//! The audit log: who did what to which record, with the record before
//! and after, written in the same transaction as the change.

use crate::app::{Hisaab, to_item};
use crate::error::Result;
use crate::identity::Actor;
use crate::ids::new_id;
use crate::keys;
use crate::table::{Cond, Write};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// One entry of the audit log; never changed or deleted.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    /// `aud_<ULID>`.
    pub id: String,
    /// When (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// Who: a user id, or `system` for automatic actions.
    pub actor_id: String,
    /// Their role (`admin_l1`, `owner`, …, `system`).
    pub actor_role: String,
    /// What, as `<target type>.<verb>` (`report.approve`, `business.disable`, …).
    pub action: String,
    /// `report`, `dispute`, `edit_request`, `business`, `user`, `company`.
    pub target_type: String,
    /// The target's id.
    pub target_id: String,
    /// The target before (absent on creation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The target after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
    /// The note given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Hisaab {
    /// An audit entry's write: `actor` is `None` for the system.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn audit_write(
        &self,
        actor: Option<&Actor>,
        action: &str,
        target_type: &str,
        target_id: &str,
        before: Option<Value>,
        after: Option<Value>,
        note: Option<String>,
    ) -> Result<Write> {
        let now = self.clock.now();
        let e = AuditEntry {
            id: new_id("aud"),
            at: now,
            actor_id: actor.map_or("system".into(), |a| a.user.id.clone()),
            actor_role: actor.map_or("system".into(), |a| a.user.role.as_str().into()),
            action: action.into(),
            target_type: target_type.into(),
            target_id: target_id.into(),
            before,
            after,
            note,
        };
        let at = now.to_string();
        let mut item = to_item("audit", &keys::audit(target_id, &at, &e.id), &e)?;
        let sk = format!("{at}#{}", e.id);
        keys::audit_by_actor(&e.actor_id)
            .at(sk.clone())
            .set_on(&mut item);
        keys::audit_all().at(sk).set_on(&mut item);
        Ok(Write::Put {
            item,
            cond: Some(Cond::NotExists),
        })
    }
}
