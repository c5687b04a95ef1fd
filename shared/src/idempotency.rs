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

/// Reads a stored first answer back as the type the endpoint returns.
pub(crate) fn decode_replay<T: serde::de::DeserializeOwned>(body: serde_json::Value) -> Result<T> {
    serde_json::from_value(body).map_err(|e| Error::Internal(e.into()))
}

/// Attempts before a write that keeps losing races is answered with 409.
pub const MAX_ATTEMPTS: u32 = 60;

impl Hisaab {
    /// Commits the writes of a create by user `user_id`, with the
    /// idempotency record (when a key was sent) appended to the same
    /// transaction.
    ///
    /// - `Ok(Some((value, false)))`: created.
    /// - `Ok(Some((first, true)))`: a concurrent request with the same key
    ///   won; its stored answer is returned.
    /// - `Err(e)`: `explain` turned the failure (a condition at a write
    ///   index) into a domain error, or the backend failed.
    /// - `Ok(None)`: a version condition or a transaction conflict lost a
    ///   race; read again and retry (see [`Hisaab::retrying`]).
    pub(crate) async fn commit_create<T>(
        &self,
        user_id: &str,
        idem: Option<&Idempotency>,
        mut writes: Vec<Write>,
        value: T,
        explain: impl Fn(Option<usize>) -> Option<Error>,
    ) -> Result<Option<(T, bool)>>
    where
        T: serde::Serialize + serde::de::DeserializeOwned,
    {
        let idem_index = idem.map(|_| writes.len());
        if let Some(i) = idem {
            let body = serde_json::to_value(&value).map_err(|e| Error::Internal(e.into()))?;
            writes.push(self.idempotency_write(user_id, i, &body)?);
        }
        match self.table.transact(writes).await {
            Ok(()) => Ok(Some((value, false))),
            Err(crate::table::TableError::ConditionFailed { index })
                if idem_index.is_some() && (index.is_none() || index == idem_index) =>
            {
                let i = idem.expect("checked");
                match self.idempotent_replay(user_id, i).await? {
                    Some(body) => Ok(Some((decode_replay(body)?, true))),
                    None => match explain(index) {
                        Some(e) => Err(e),
                        None => Ok(None),
                    },
                }
            }
            Err(crate::table::TableError::ConditionFailed { index }) => match explain(index) {
                Some(e) => Err(e),
                None => Ok(None),
            },
            Err(crate::table::TableError::Contention) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Runs `attempt` until it returns `Some`, at most [`MAX_ATTEMPTS`]
    /// times, sleeping a random 0–2ⁿ ms (at most 64 ms) between attempts so
    /// that concurrent writers spread out. Each attempt reads afresh and
    /// writes under version conditions; `None` means it lost a race. Running
    /// out of attempts is a 409.
    pub(crate) async fn retrying<T, F, Fut>(&self, mut attempt: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<Option<T>>>,
    {
        use rand::Rng;
        for n in 0..MAX_ATTEMPTS {
            if let Some(t) = attempt().await? {
                return Ok(t);
            }
            let cap = 1u64 << n.min(6);
            let ms = rand::rng().random_range(0..=cap);
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
        Err(Error::stale())
    }
}
