//! The table port: a narrow single-table item store modelled on DynamoDB's own
//! semantics, with two real adapters ([`sqlite::SqliteTable`] and
//! [`dynamo::DynamoTable`]).
//!
//! Items are JSON objects ([`Item`]) that always hold the string attributes
//! `PK` and `SK` (partition key and sort key) and optionally the index key
//! attributes `GSI1PK`/`GSI1SK` to `GSI4PK`/`GSI4SK`. Numbers are integers
//! (`i64`); money is always an integer in the currency's minor unit.
//! An item may carry `ttl` (epoch seconds, UTC): DynamoDB deletes it lazily
//! after that time, so readers must also check expiry themselves.

pub mod dynamo;
pub mod faults;
pub mod retry;
#[cfg(feature = "local")]
pub mod sqlite;

use async_trait::async_trait;
use serde_json::Value;

/// One stored item: a JSON object with `PK`, `SK` and plain attributes.
pub type Item = serde_json::Map<String, Value>;

/// Attribute name of the partition key.
pub const PK: &str = "PK";
/// Attribute name of the sort key.
pub const SK: &str = "SK";

/// Every attribute that places an item in the table or one of its GSIs.
pub const KEY_ATTRS: [&str; 10] = [
    "PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK", "GSI4PK", "GSI4SK",
];

/// The primary key of an item: partition key and sort key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    /// Partition key, e.g. `BIZ#biz_01J...`.
    pub pk: String,
    /// Sort key, e.g. `CUS#cus_01J...`.
    pub sk: String,
}

impl Key {
    /// Builds a key from its two parts.
    pub fn new(pk: impl Into<String>, sk: impl Into<String>) -> Self {
        Key {
            pk: pk.into(),
            sk: sk.into(),
        }
    }

    /// Reads the key of a stored item. `None` when `PK` or `SK` is missing.
    pub fn of(item: &Item) -> Option<Key> {
        Some(Key::new(item.get(PK)?.as_str()?, item.get(SK)?.as_str()?))
    }
}

/// A write condition, evaluated atomically with the write it guards.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    /// The item does not exist (`attribute_not_exists(PK)`).
    NotExists,
    /// The item exists (`attribute_exists(PK)`).
    Exists,
    /// The item exists and its attribute equals the value (`#a = :v`),
    /// typically `version` for optimistic concurrency.
    Equals(String, Value),
    /// All of the conditions hold.
    And(Vec<Cond>),
}

impl Cond {
    /// `version = n`: the optimistic-concurrency guard of every update.
    pub fn version(n: i64) -> Cond {
        Cond::Equals("version".into(), Value::from(n))
    }

    /// Evaluates the condition against the current item (used by adapters
    /// that cannot push conditions down).
    pub fn holds(&self, current: Option<&Item>) -> bool {
        match self {
            Cond::NotExists => current.is_none(),
            Cond::Exists => current.is_some(),
            Cond::Equals(attr, v) => current.and_then(|i| i.get(attr)) == Some(v),
            Cond::And(all) => all.iter().all(|c| c.holds(current)),
        }
    }
}

/// Which key a query reads: the table's primary key or a global secondary index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Index {
    /// The table itself (`PK`, `SK`).
    Table,
    /// GSI `GSI1` (`GSI1PK`, `GSI1SK`).
    Gsi1,
    /// GSI `GSI2` (`GSI2PK`, `GSI2SK`).
    Gsi2,
    /// GSI `GSI3` (`GSI3PK`, `GSI3SK`): invoices by status bucket and due
    /// date, customers by balance.
    Gsi3,
    /// GSI `GSI4` (`GSI4PK`, `GSI4SK`): the sparse index of invoices by
    /// the time of their next payment reminder.
    Gsi4,
}

impl Index {
    /// The partition-key and sort-key attribute names of this index.
    pub fn attrs(self) -> (&'static str, &'static str) {
        match self {
            Index::Table => (PK, SK),
            Index::Gsi1 => ("GSI1PK", "GSI1SK"),
            Index::Gsi2 => ("GSI2PK", "GSI2SK"),
            Index::Gsi3 => ("GSI3PK", "GSI3SK"),
            Index::Gsi4 => ("GSI4PK", "GSI4SK"),
        }
    }

    /// The DynamoDB index name, `None` for the table.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Index::Table => None,
            Index::Gsi1 => Some("GSI1"),
            Index::Gsi2 => Some("GSI2"),
            Index::Gsi3 => Some("GSI3"),
            Index::Gsi4 => Some("GSI4"),
        }
    }

    /// The key attributes that position an item in this index (and make it
    /// unique): the index keys plus the table keys.
    pub fn key_of(self, item: &Item) -> Item {
        let (p, s) = self.attrs();
        [p, s, PK, SK]
            .iter()
            .filter_map(|a| item.get(*a).map(|v| (a.to_string(), v.clone())))
            .collect()
    }
}

/// A partition of the table or of one of its GSIs: what a query reads,
/// and where in a GSI an item is placed. Only the key templates (`keys`)
/// make one, and they choose the index of each access pattern, so that no
/// other code names an index or its attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partition {
    /// The table or the GSI.
    pub index: Index,
    /// The partition-key value.
    pub pk: String,
}

impl Partition {
    /// Partition `pk` of `index`.
    pub fn new(index: Index, pk: impl Into<String>) -> Partition {
        Partition {
            index,
            pk: pk.into(),
        }
    }

    /// The place at sort key `sk` in this partition of a GSI.
    pub fn at(self, sk: impl Into<String>) -> IndexKey {
        IndexKey {
            partition: self,
            sk: sk.into(),
        }
    }
}

/// An item's place in a GSI: the partition and the sort-key value. Set on
/// the item with [`IndexKey::set_on`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexKey {
    /// The GSI's partition.
    pub partition: Partition,
    /// The sort-key value.
    pub sk: String,
}

impl IndexKey {
    /// Writes the GSI's key attributes (`GSI1PK`/`GSI1SK`, …) on `item`.
    /// The table's own keys are set when the item is made, not here.
    pub fn set_on(self, item: &mut Item) {
        debug_assert!(
            self.partition.index != Index::Table,
            "the table's keys are the item's own"
        );
        let (p, s) = self.partition.index.attrs();
        item.insert(p.into(), self.partition.pk.into());
        item.insert(s.into(), self.sk.into());
    }
}

/// A sort-key condition of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Sort key equals the value.
    Eq(String),
    /// Sort key starts with the prefix (`begins_with`).
    BeginsWith(String),
    /// Sort key between both values, inclusive.
    Between(String, String),
}

/// A query of one partition of the table or of a GSI.
#[derive(Clone, Debug)]
pub struct Query {
    /// The table or the GSI to read.
    pub index: Index,
    /// The partition-key value.
    pub pk: String,
    /// Optional sort-key condition.
    pub sk: Option<SortKey>,
    /// `true` for ascending sort-key order.
    pub forward: bool,
    /// Most items to return (1..=1000).
    pub limit: usize,
    /// Exclusive start key: the `last_key` of the previous page.
    pub start: Option<Item>,
}

impl Query {
    /// An ascending query of partition `pk` of `index`, 100 items a page.
    pub fn new(index: Index, pk: impl Into<String>) -> Self {
        Query {
            index,
            pk: pk.into(),
            sk: None,
            forward: true,
            limit: 100,
            start: None,
        }
    }

    /// An ascending query of `partition`, 100 items a page.
    pub fn on(partition: Partition) -> Self {
        Query::new(partition.index, partition.pk)
    }

    /// Adds `begins_with(sort key, prefix)`.
    pub fn begins_with(mut self, prefix: impl Into<String>) -> Self {
        self.sk = Some(SortKey::BeginsWith(prefix.into()));
        self
    }

    /// Adds `sort key BETWEEN from AND to` (inclusive).
    pub fn between(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.sk = Some(SortKey::Between(from.into(), to.into()));
        self
    }

    /// Reads in descending sort-key order.
    pub fn descending(mut self) -> Self {
        self.forward = false;
        self
    }

    /// Sets the page size.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// Sets the exclusive start key.
    pub fn start(mut self, start: Option<Item>) -> Self {
        self.start = start;
        self
    }
}

/// One page of query results.
#[derive(Clone, Debug, Default)]
pub struct Page {
    /// Items in sort-key order.
    pub items: Vec<Item>,
    /// Key of the last item when more items follow; `None` on the last page.
    pub last_key: Option<Item>,
}

/// An item as a query found it: its stored JSON text (SQLite keeps each
/// item as text) or the decoded item (DynamoDB's attribute maps), so that
/// a page read into entities is decoded once, straight into their type.
#[derive(Clone, Debug)]
pub enum Stored {
    /// The item's JSON text.
    Text(String),
    /// The decoded item.
    Item(Item),
}

impl Stored {
    /// The item as a `T` (which ignores the key attributes).
    pub fn decode<T: serde::de::DeserializeOwned>(self) -> serde_json::Result<T> {
        match self {
            Stored::Text(text) => serde_json::from_str(&text),
            Stored::Item(item) => serde_json::from_value(Value::Object(item)),
        }
    }
}

/// A page of a query as [`Stored`] items: the same items and `last_key` as
/// [`Table::query`] gives.
#[derive(Clone, Debug, Default)]
pub struct StoredPage {
    /// Items in sort-key order.
    pub items: Vec<Stored>,
    /// Key of the last item when more items follow; `None` on the last page.
    pub last_key: Option<Item>,
}

/// One write of an all-or-nothing transaction.
#[derive(Clone, Debug)]
pub enum Write {
    /// Creates or replaces the item, if the condition holds.
    Put {
        /// The whole new item.
        item: Item,
        /// Guard evaluated against the current item.
        cond: Option<Cond>,
    },
    /// Deletes the item, if the condition holds.
    Delete {
        /// Which item.
        key: Key,
        /// Guard evaluated against the current item.
        cond: Option<Cond>,
    },
    /// Writes nothing; fails the transaction unless the condition holds.
    Check {
        /// Which item.
        key: Key,
        /// The condition that must hold.
        cond: Cond,
    },
    /// Adds each delta to its numeric attribute (creating the item and the
    /// attributes at 0 when missing), if the condition holds: DynamoDB's
    /// `ADD #a :x, #b :y`. Aggregate items (counters, sums in paise) are
    /// maintained this way in the same transaction as the item that
    /// changes them.
    Add {
        /// Which item.
        key: Key,
        /// (attribute, amount to add; negative subtracts), at least one.
        deltas: Vec<(String, i64)>,
        /// String attributes the item keeps, set only where absent
        /// (`SET #a = if_not_exists(#a, :v)`): what the item is about (its
        /// date, its order), so that readers never parse it from the key.
        attrs: Vec<(String, String)>,
        /// Guard evaluated against the current item.
        cond: Option<Cond>,
    },
}

impl Write {
    /// The key this write touches.
    pub fn key(&self) -> Option<Key> {
        match self {
            Write::Put { item, .. } => Key::of(item),
            Write::Delete { key, .. } | Write::Check { key, .. } | Write::Add { key, .. } => {
                Some(key.clone())
            }
        }
    }
}

/// Errors of the table port.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// A write condition did not hold. In a transaction, `index` names the
    /// first write whose condition failed, when the backend reports it.
    #[error("condition failed")]
    ConditionFailed {
        /// Position of the failed write in the transaction, if known.
        index: Option<usize>,
    },
    /// Another transaction touched the same items at the same time; retry.
    #[error("transaction conflict")]
    Contention,
    /// The request itself is invalid (missing keys, two writes on one item, …).
    #[error("invalid table request: {0}")]
    Invalid(String),
    /// The store is throttling, timed out or cannot be reached: the same
    /// call may succeed when sent again. [`retry::Retrying`] sends it
    /// again a few times, as far as `applied` allows; what is left is a
    /// `503` with `Retry-After`.
    #[error("the table is unavailable: {cause:#}")]
    Unavailable {
        /// Whether a write may have been applied before the failure.
        applied: Applied,
        /// What failed (for the log).
        cause: anyhow::Error,
    },
    /// The backend failed.
    #[error(transparent)]
    Backend(#[from] anyhow::Error),
}

/// Whether a write that failed with [`TableError::Unavailable`] may have
/// been applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// No: the store refused the call before applying anything
    /// (DynamoDB's `ProvisionedThroughputExceededException`,
    /// `ThrottlingException`, `RequestLimitExceeded`, a transaction
    /// cancelled for throttling; SQLite's `SQLITE_BUSY` after its busy
    /// timeout).
    No,
    /// Perhaps: the call was sent and no answer came back (a timeout, a
    /// lost connection, DynamoDB's `InternalServerError`), so the write
    /// may or may not have been applied.
    Maybe,
}

impl TableError {
    /// A refusal before anything was applied (throttling).
    pub fn throttled(cause: impl Into<anyhow::Error>) -> TableError {
        TableError::Unavailable {
            applied: Applied::No,
            cause: cause.into(),
        }
    }

    /// A call whose answer was lost: a write may have been applied.
    pub fn timed_out(cause: impl Into<anyhow::Error>) -> TableError {
        TableError::Unavailable {
            applied: Applied::Maybe,
            cause: cause.into(),
        }
    }
}

/// The single-table store. Both adapters implement exactly these semantics,
/// checked by the conformance suite in `tests/tests/table_conformance.rs`.
#[async_trait]
pub trait Table: Send + Sync {
    /// Reads one item by primary key.
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError>;
    /// Creates or replaces an item, if `cond` holds.
    async fn put(&self, item: Item, cond: Option<Cond>) -> Result<(), TableError>;
    /// Deletes an item, if `cond` holds. Deleting a missing item succeeds.
    async fn delete(&self, key: &Key, cond: Option<Cond>) -> Result<(), TableError>;
    /// Queries one partition of the table or a GSI.
    async fn query(&self, query: &Query) -> Result<Page, TableError>;
    /// [`Table::query`], with the items as stored, for a caller that
    /// decodes them into its own type (every list page). The SQLite
    /// adapter hands over each item's text undecoded; the default gives the
    /// decoded items of `query`.
    async fn query_stored(&self, query: &Query) -> Result<StoredPage, TableError> {
        let page = self.query(query).await?;
        Ok(StoredPage {
            items: page.items.into_iter().map(Stored::Item).collect(),
            last_key: page.last_key,
        })
    }
    /// Atomically adds `delta` to a numeric attribute and returns the new value.
    async fn add(
        &self,
        key: &Key,
        attr: &str,
        delta: i64,
        cond: Option<Cond>,
    ) -> Result<i64, TableError>;
    /// Applies all writes or none. At most 100 writes, each on a different item.
    async fn transact(&self, writes: Vec<Write>) -> Result<(), TableError>;
    /// Reads one page of the whole table, in no particular order across
    /// partitions: segment `scan.segment` of `scan.segments` (DynamoDB's
    /// parallel Scan). Only platform-wide exports use it; no request path
    /// does.
    async fn scan(&self, scan: &Scan) -> Result<Page, TableError>;
    /// Creates or replaces up to 25 items without conditions (DynamoDB's
    /// `BatchWriteItem`): bulk loads that checked the items beforehand.
    /// Not atomic as a whole on DynamoDB; each item is written whole.
    async fn put_batch(&self, items: Vec<Item>) -> Result<(), TableError>;
}

/// One page of a (parallel) scan of the whole table.
#[derive(Clone, Debug)]
pub struct Scan {
    /// This reader's segment, `0..segments`.
    pub segment: u32,
    /// How many segments the table is read in (1 to 64).
    pub segments: u32,
    /// Most items to return (1..=1000).
    pub limit: usize,
    /// Exclusive start key: the `last_key` of the previous page.
    pub start: Option<Item>,
}

/// Checks the rules shared by both adapters for a batch put.
pub(crate) fn validate_batch(items: &[Item]) -> Result<(), TableError> {
    if items.is_empty() || items.len() > 25 {
        return Err(TableError::Invalid(format!(
            "a batch holds 1 to 25 items, not {}",
            items.len()
        )));
    }
    let mut seen = std::collections::HashSet::new();
    for item in items {
        let key = Key::of(item).ok_or_else(|| TableError::Invalid("item without PK/SK".into()))?;
        if !seen.insert(key) {
            return Err(TableError::Invalid(
                "two items with one key in a batch".into(),
            ));
        }
    }
    Ok(())
}

/// Checks a scan request.
pub(crate) fn validate_scan(scan: &Scan) -> Result<(), TableError> {
    if scan.limit == 0 || scan.limit > 1000 {
        return Err(TableError::Invalid("scan limit must be 1..=1000".into()));
    }
    if scan.segments == 0 || scan.segments > 64 || scan.segment >= scan.segments {
        return Err(TableError::Invalid(format!(
            "scan segment {} of {} is out of range",
            scan.segment, scan.segments
        )));
    }
    Ok(())
}

/// Checks the rules shared by both adapters for a transaction.
pub(crate) fn validate_transaction(writes: &[Write]) -> Result<(), TableError> {
    if writes.is_empty() || writes.len() > 100 {
        return Err(TableError::Invalid(format!(
            "a transaction holds 1 to 100 writes, not {}",
            writes.len()
        )));
    }
    let mut seen = std::collections::HashSet::new();
    for w in writes {
        let key = w
            .key()
            .ok_or_else(|| TableError::Invalid("item without PK/SK".into()))?;
        if !seen.insert(key.clone()) {
            return Err(TableError::Invalid(format!(
                "two writes on one item in a transaction: {}/{}",
                key.pk, key.sk
            )));
        }
    }
    Ok(())
}

/// Seconds a client is asked to wait (`Retry-After`) when the table was
/// unavailable.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 2;

/// A table failure as the domain reports it: a lost race is a `409`
/// (retried by writers first), an unavailable store a `503` with
/// `Retry-After` (retried by [`retry::Retrying`] first; the detail says
/// whether a write may have been applied), anything else a logged `500`.
impl From<TableError> for crate::error::Error {
    fn from(e: TableError) -> Self {
        match e {
            TableError::ConditionFailed { .. } | TableError::Contention => {
                crate::error::Error::stale()
            }
            TableError::Unavailable { applied, cause } => {
                tracing::warn!(error = %format!("{cause:#}"), ?applied, "the table is unavailable");
                crate::error::Error::Unavailable {
                    retry_after_secs: UNAVAILABLE_RETRY_AFTER_SECS,
                    detail: match applied {
                        Applied::No => {
                            "the data store is busy and nothing was written; send the request again shortly"
                        }
                        Applied::Maybe => {
                            "the data store did not answer in time, so a change may have been made; send the request again shortly, with the same Idempotency-Key for a create"
                        }
                    }
                    .into(),
                }
            }
            TableError::Invalid(m) => {
                crate::error::Error::Internal(anyhow::anyhow!("invalid table request: {m}"))
            }
            TableError::Backend(e) => crate::error::Error::Internal(e),
        }
    }
}
