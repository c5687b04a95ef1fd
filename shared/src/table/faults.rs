//! Test equipment: a table that fails chosen calls the way DynamoDB fails
//! them, around a real table. No process builds one; the end-to-end suites
//! (`tests/tests/faults.rs`) put it under [`super::retry::Retrying`] to see
//! what a client gets when the store throttles, times out or cancels a
//! transaction, and that nothing is half-written.

use super::{Cond, Item, Key, Page, Query, Scan, StoredPage, Table, TableError, Write};
use async_trait::async_trait;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// A kind of table call, as faults are armed and calls counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Call {
    /// [`Table::get`].
    Get,
    /// [`Table::put`].
    Put,
    /// [`Table::delete`].
    Delete,
    /// [`Table::query`] and [`Table::query_stored`].
    Query,
    /// [`Table::add`].
    Add,
    /// [`Table::transact`].
    Transact,
    /// [`Table::scan`].
    Scan,
    /// [`Table::put_batch`].
    PutBatch,
}

/// What an armed call does instead of answering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Refused before anything is applied, as DynamoDB's
    /// `ProvisionedThroughputExceededException` / `ThrottlingException`
    /// or a transaction cancelled for throttling:
    /// [`TableError::throttled`].
    Throttle,
    /// Sent and never answered, nothing applied (the request was lost on
    /// the way): [`TableError::timed_out`].
    TimeoutBeforeWrite,
    /// Applied by the inner table, then the answer lost (the reply was
    /// lost on the way back): [`TableError::timed_out`], which the caller
    /// cannot tell from [`Fault::TimeoutBeforeWrite`].
    TimeoutAfterWrite,
    /// A transaction cancelled by a conflicting one
    /// (`TransactionConflict`), nothing applied: [`TableError::Contention`].
    Conflict,
}

/// The plan of one kind of call: let `skip` through, then fail `times`.
#[derive(Clone, Copy, Debug)]
struct Plan {
    fault: Fault,
    skip: usize,
    times: usize,
}

#[derive(Default)]
struct State {
    plans: HashMap<Call, Plan>,
    calls: HashMap<Call, usize>,
}

/// A table passing every call to `inner`, except those a test armed to
/// fail ([`Faulty::arm`]); it counts the calls of each kind.
pub struct Faulty {
    inner: Arc<dyn Table>,
    state: Mutex<State>,
}

impl Faulty {
    /// Wraps a table, with nothing armed.
    pub fn new(inner: Arc<dyn Table>) -> Faulty {
        Faulty {
            inner,
            state: Mutex::new(State::default()),
        }
    }

    /// From now on, lets the next `skip` calls of kind `call` through and
    /// makes the `times` calls after them fail with `fault` (`usize::MAX`:
    /// every one). Replaces what was armed for that kind before.
    pub fn arm(&self, call: Call, fault: Fault, skip: usize, times: usize) {
        self.lock().plans.insert(call, Plan { fault, skip, times });
    }

    /// Disarms every fault.
    pub fn disarm(&self) {
        self.lock().plans.clear();
    }

    /// Calls of kind `call` made so far, failed ones included.
    pub fn calls(&self, call: Call) -> usize {
        self.lock().calls.get(&call).copied().unwrap_or(0)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts the call and takes its fault, if one is armed for it.
    fn take(&self, call: Call) -> Option<Fault> {
        let mut s = self.lock();
        *s.calls.entry(call).or_default() += 1;
        let plan = s.plans.get_mut(&call)?;
        if plan.skip > 0 {
            plan.skip -= 1;
            return None;
        }
        if plan.times == 0 {
            return None;
        }
        plan.times -= 1;
        Some(plan.fault)
    }

    /// Runs the inner call `run` (not started until awaited), or fails it.
    async fn around<R>(
        &self,
        call: Call,
        run: impl Future<Output = Result<R, TableError>>,
    ) -> Result<R, TableError> {
        let lost = || TableError::timed_out(anyhow::anyhow!("injected fault: {call:?} timed out"));
        match self.take(call) {
            None => run.await,
            Some(Fault::Throttle) => Err(TableError::throttled(anyhow::anyhow!(
                "injected fault: {call:?} throttled"
            ))),
            Some(Fault::TimeoutBeforeWrite) => Err(lost()),
            Some(Fault::TimeoutAfterWrite) => {
                let _ = run.await;
                Err(lost())
            }
            Some(Fault::Conflict) => Err(TableError::Contention),
        }
    }
}

#[async_trait]
impl Table for Faulty {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        self.around(Call::Get, self.inner.get(key)).await
    }

    async fn put(&self, item: Item, cond: Option<Cond>) -> Result<(), TableError> {
        self.around(Call::Put, self.inner.put(item, cond)).await
    }

    async fn delete(&self, key: &Key, cond: Option<Cond>) -> Result<(), TableError> {
        self.around(Call::Delete, self.inner.delete(key, cond))
            .await
    }

    async fn query(&self, query: &Query) -> Result<Page, TableError> {
        self.around(Call::Query, self.inner.query(query)).await
    }

    async fn query_stored(&self, query: &Query) -> Result<StoredPage, TableError> {
        self.around(Call::Query, self.inner.query_stored(query))
            .await
    }

    async fn add(
        &self,
        key: &Key,
        attr: &str,
        delta: i64,
        cond: Option<Cond>,
    ) -> Result<i64, TableError> {
        self.around(Call::Add, self.inner.add(key, attr, delta, cond))
            .await
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), TableError> {
        self.around(Call::Transact, self.inner.transact(writes))
            .await
    }

    async fn scan(&self, scan: &Scan) -> Result<Page, TableError> {
        self.around(Call::Scan, self.inner.scan(scan)).await
    }

    async fn put_batch(&self, items: Vec<Item>) -> Result<(), TableError> {
        self.around(Call::PutBatch, self.inner.put_batch(items))
            .await
    }
}

/// The rule of [`super::retry::Retrying`], call by call, on SQLite.
#[cfg(all(test, feature = "local"))]
mod tests {
    use super::*;
    use crate::table::retry::{ATTEMPTS, Retrying};
    use crate::table::sqlite::SqliteTable;
    use crate::table::{Applied, TableError};

    /// The faults, the table under test, and the directory of its file.
    fn tables() -> (Arc<Faulty>, Retrying<Faulty>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let db = SqliteTable::open(&dir.path().join("t.sqlite")).unwrap();
        let faulty = Arc::new(Faulty::new(Arc::new(db)));
        (faulty.clone(), Retrying::new(faulty), dir)
    }

    fn item(sk: &str) -> Item {
        serde_json::json!({"PK": "P", "SK": sk, "n": 1})
            .as_object()
            .unwrap()
            .clone()
    }

    fn unavailable(r: Result<impl std::fmt::Debug, TableError>) -> Applied {
        match r {
            Err(TableError::Unavailable { applied, .. }) => applied,
            other => panic!("not Unavailable: {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_throttle_that_clears_within_the_attempts_is_not_seen() {
        let (f, t, _dir) = tables();
        f.arm(Call::Transact, Fault::Throttle, 0, ATTEMPTS as usize - 1);
        let w = Write::Put {
            item: item("a"),
            cond: Some(Cond::NotExists),
        };
        t.transact(vec![w]).await.unwrap();
        assert_eq!(f.calls(Call::Transact), ATTEMPTS as usize);
        assert!(t.get(&Key::new("P", "a")).await.unwrap().is_some());
    }

    #[tokio::test]
    async fn a_throttle_that_persists_is_passed_on_after_the_last_attempt() {
        let (f, t, _dir) = tables();
        f.arm(Call::Add, Fault::Throttle, 0, usize::MAX);
        let r = t.add(&Key::new("P", "c"), "n", 1, None).await;
        assert_eq!(unavailable(r), Applied::No);
        assert_eq!(f.calls(Call::Add), ATTEMPTS as usize);
        f.disarm();
        assert!(t.get(&Key::new("P", "c")).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_lost_answer_repeats_only_what_is_the_same_done_twice() {
        let (f, t, _dir) = tables();
        // A read is sent again.
        f.arm(Call::Get, Fault::TimeoutBeforeWrite, 0, 1);
        assert!(t.get(&Key::new("P", "x")).await.unwrap().is_none());
        assert_eq!(f.calls(Call::Get), 2);
        // So is an unconditional put.
        f.arm(Call::Put, Fault::TimeoutAfterWrite, 0, 1);
        t.put(item("u"), None).await.unwrap();
        assert_eq!(f.calls(Call::Put), 2);
        // A conditional put is not: applied once, answered 503.
        f.arm(Call::Put, Fault::TimeoutAfterWrite, 0, 1);
        let r = t.put(item("v"), Some(Cond::NotExists)).await;
        assert_eq!(unavailable(r), Applied::Maybe);
        assert_eq!(f.calls(Call::Put), 3);
        assert!(t.get(&Key::new("P", "v")).await.unwrap().is_some());
        // Nor is an add, which would count twice.
        f.arm(Call::Add, Fault::TimeoutAfterWrite, 0, 1);
        let r = t.add(&Key::new("P", "n"), "n", 5, None).await;
        assert_eq!(unavailable(r), Applied::Maybe);
        assert_eq!(t.add(&Key::new("P", "n"), "n", 0, None).await.unwrap(), 5);
        // Nor a transaction.
        f.arm(Call::Transact, Fault::TimeoutAfterWrite, 0, 1);
        let w = Write::Add {
            key: Key::new("P", "n"),
            deltas: vec![("n".into(), 1)],
            attrs: vec![],
            cond: None,
        };
        let r = t.transact(vec![w]).await;
        assert_eq!(unavailable(r), Applied::Maybe);
        assert_eq!(t.add(&Key::new("P", "n"), "n", 0, None).await.unwrap(), 6);
    }

    #[tokio::test]
    async fn other_failures_are_passed_on_at_once() {
        let (f, t, _dir) = tables();
        f.arm(Call::Transact, Fault::Conflict, 0, 1);
        let w = Write::Put {
            item: item("a"),
            cond: None,
        };
        assert!(matches!(
            t.transact(vec![w]).await,
            Err(TableError::Contention)
        ));
        assert_eq!(f.calls(Call::Transact), 1);
        t.put(item("b"), None).await.unwrap();
        let r = t.put(item("b"), Some(Cond::NotExists)).await;
        assert!(matches!(r, Err(TableError::ConditionFailed { .. })));
        assert_eq!(f.calls(Call::Put), 2);
    }
}
