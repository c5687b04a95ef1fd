//! Idempotency keys: a create that carries `Idempotency-Key` stores its
//! response in the same transaction as the item it creates, so a retried
//! request gets the first response back and nothing is created twice.
//! Records live 24 hours and are scoped to the calling user.

use crate::app::{Hisaab, to_item};
use crate::error::{Error, FieldError, Result};
use crate::keys;
use crate::table::{Cond, Write};

/// How long a stored response is replayed: 24 hours, in seconds.
pub const IDEMPOTENCY_TTL_SECS: i64 = 24 * 3600;

/// An idempotency key with the fingerprint of the request that carried it.
#[derive(Clone, Debug)]
pub struct Idempotency {
    /// The client's key (1–255 visible ASCII characters).
    pub key: String,
    /// SHA-256 of method, path and body of the request.
    pub fingerprint: String,
}

impl Idempotency {
    /// Checks the key's shape; 400 naming the `Idempotency-Key` header.
    pub fn new(key: &str, fingerprint: String) -> Result<Self> {
        if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::BadRequest {
                kind: "invalid-idempotency-key",
                detail: "Idempotency-Key must have 1 to 255 visible ASCII characters".into(),
                errors: vec![FieldError::new(
                    "Idempotency-Key",
                    "invalid",
                    "1 to 255 visible ASCII characters",
                )],
            });
        }
        Ok(Idempotency {
            key: key.to_string(),
            fingerprint,
        })
    }
}

impl Hisaab {
    /// The stored response body for this key, if a first request with the
    /// same fingerprint completed. A different request under the same key is
    /// a 422.
    pub(crate) async fn idempotent_replay(
        &self,
        user_id: &str,
        idem: &Idempotency,
    ) -> Result<Option<serde_json::Value>> {
        let Some(item) = self
            .table
            .get(&keys::idempotency(user_id, &idem.key))
            .await?
        else {
            return Ok(None);
        };
        let expires_at = item.get("expires_at").and_then(|v| v.as_i64()).unwrap_or(0);
        if expires_at <= self.now_secs() {
            // TTL deletion is lazy: remove the expired record so that the
            // key's new first request can store its own answer.
            let cond = Cond::Equals("expires_at".into(), expires_at.into());
            match self
                .table
                .delete(&keys::idempotency(user_id, &idem.key), Some(cond))
                .await
            {
                Ok(()) | Err(crate::table::TableError::ConditionFailed { .. }) => return Ok(None),
                Err(e) => return Err(e.into()),
            }
        }
        if item.get("fingerprint").and_then(|v| v.as_str()) != Some(idem.fingerprint.as_str()) {
            return Err(Error::Validation(vec![FieldError::new(
                "Idempotency-Key",
                "reused",
                "this key was used for a different request",
            )]));
        }
        Ok(item.get("response").cloned())
    }

    /// The write that stores a response under the key (part of the
    /// transaction that creates the item); a record still stored for the key
    /// makes the transaction fail, and the caller replays it.
    pub(crate) fn idempotency_write(
        &self,
        user_id: &str,
        idem: &Idempotency,
        response: &serde_json::Value,
    ) -> Result<Write> {
        let now = self.now_secs();
        let key = keys::idempotency(user_id, &idem.key);
        let item = to_item(
            "idempotency",
            &key,
            &serde_json::json!({
                "fingerprint": idem.fingerprint,
                "response": response,
                "expires_at": now + IDEMPOTENCY_TTL_SECS,
                "ttl": now + IDEMPOTENCY_TTL_SECS,
            }),
        )?;
        Ok(Write::Put {
            item,
            cond: Some(Cond::NotExists),
        })
    }
}
