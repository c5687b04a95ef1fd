//! Calls the store could not serve just now ([`TableError::Unavailable`]:
//! throttling, a timeout, a lost connection), sent again a few times
//! before the request is answered `503`.

use super::{Applied, Cond, Item, Key, Page, Query, Scan, StoredPage, Table, TableError, Write};
use async_trait::async_trait;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// Attempts of one call, the first included.
pub const ATTEMPTS: u32 = 3;

/// The backoff before the second attempt is a random 0 to this many
/// milliseconds, doubling before each further attempt ("full jitter").
pub const BACKOFF_MS: u64 = 25;

/// A table that sends a call again when the inner table answers
/// [`TableError::Unavailable`], at most [`ATTEMPTS`] times in all, after a
/// pause of a random 0–25 ms, then 0–50 ms (full-jitter exponential
/// backoff), so that writers throttled together spread out. Every other
/// answer, and the last `Unavailable`, is passed on as it is (the domain
/// turns it into a `503` with `Retry-After`).
///
/// What is sent again depends on whether the failed call may have been
/// applied ([`Applied`]):
///
/// - after a refusal (`Applied::No`: throttling, a transaction cancelled
///   for throttling), every call: nothing was written;
/// - after a lost answer (`Applied::Maybe`: a timeout), only the calls
///   that do the same when applied twice: the reads (`get`, `query`,
///   `query_stored`, `scan`), a `put` or `delete` without a condition, and
///   `put_batch` (unconditional puts). A conditional write or a
///   transaction applied the first time would fail its own condition the
///   second time, which the domain reads as a lost race (and then writes
///   again, under new ids); an `add` would count twice. Those are answered
///   `503` at once, telling the client that a change may have been made,
///   and a create sent again with the same `Idempotency-Key` gets the
///   first answer if it was.
///
/// On DynamoDB the SDK's own retries (standard mode, three attempts) run
/// beneath this one, inside each call.
pub struct Retrying<T: ?Sized = dyn Table> {
    inner: Arc<T>,
}

impl<T: Table + ?Sized> Retrying<T> {
    /// Wraps a table.
    pub fn new(inner: Arc<T>) -> Retrying<T> {
        Retrying { inner }
    }

    /// Runs `call` until it answers something other than a retryable
    /// `Unavailable`; `idempotent` says whether it may be repeated after
    /// a lost answer.
    async fn run<R, F, Fut>(
        &self,
        op: &'static str,
        idempotent: bool,
        mut call: F,
    ) -> Result<R, TableError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<R, TableError>>,
    {
        let mut attempt = 1;
        loop {
            match call().await {
                Err(TableError::Unavailable { applied, cause })
                    if attempt < ATTEMPTS && (idempotent || applied == Applied::No) =>
                {
                    tracing::info!(op, attempt, ?applied, error = %format!("{cause:#}"), "table unavailable; sending the call again");
                    tokio::time::sleep(backoff(attempt)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}

/// The pause after failed attempt `attempt` (1-based): uniform in
/// `0..=BACKOFF_MS × 2^(attempt-1)` ms.
fn backoff(attempt: u32) -> Duration {
    use rand::Rng;
    let cap = BACKOFF_MS << (attempt - 1).min(6);
    Duration::from_millis(rand::rng().random_range(0..=cap))
}

#[async_trait]
impl<T: Table + ?Sized> Table for Retrying<T> {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        self.run("get", true, || self.inner.get(key)).await
    }

    async fn put(&self, item: Item, cond: Option<Cond>) -> Result<(), TableError> {
        let idempotent = cond.is_none();
        self.run("put", idempotent, || {
            self.inner.put(item.clone(), cond.clone())
        })
        .await
    }

    async fn delete(&self, key: &Key, cond: Option<Cond>) -> Result<(), TableError> {
        let idempotent = cond.is_none();
        self.run("delete", idempotent, || {
            self.inner.delete(key, cond.clone())
        })
        .await
    }

    async fn query(&self, query: &Query) -> Result<Page, TableError> {
        self.run("query", true, || self.inner.query(query)).await
    }

    async fn query_stored(&self, query: &Query) -> Result<StoredPage, TableError> {
        self.run("query", true, || self.inner.query_stored(query))
            .await
    }

    async fn add(
        &self,
        key: &Key,
        attr: &str,
        delta: i64,
        cond: Option<Cond>,
    ) -> Result<i64, TableError> {
        self.run("add", false, || {
            self.inner.add(key, attr, delta, cond.clone())
        })
        .await
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), TableError> {
        self.run("transact", false, || self.inner.transact(writes.clone()))
            .await
    }

    async fn scan(&self, scan: &Scan) -> Result<Page, TableError> {
        self.run("scan", true, || self.inner.scan(scan)).await
    }

    async fn put_batch(&self, items: Vec<Item>) -> Result<(), TableError> {
        self.run("put_batch", true, || self.inner.put_batch(items.clone()))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_within_its_doubling_cap() {
        for attempt in 1..=3 {
            let cap = Duration::from_millis(BACKOFF_MS << (attempt - 1));
            for _ in 0..200 {
                assert!(backoff(attempt) <= cap);
            }
        }
        // Jittered: not the same pause every time.
        let pauses: std::collections::HashSet<_> = (0..50).map(|_| backoff(2)).collect();
        assert!(pauses.len() > 1);
    }
}
