//! SQLite adapter of the table port: one file in the data directory, WAL
//! journal, one row per item. The key attributes live in their own indexed
//! columns (GSIs are indexed columns); the whole item is stored as JSON.
//! A transaction is a SQLite `IMMEDIATE` transaction, so conditions are
//! evaluated and writes applied under one write lock.
//!
//! Writes go through one connection (SQLite has one writer at a time);
//! reads (`get`, `query`, `scan`) through a small pool of read-only
//! connections, which WAL lets run beside each other and beside the
//! writer, each seeing the last committed transaction. The pages are
//! memory-mapped and each connection keeps a larger page cache than
//! SQLite's 2 MB default, so a hot list is served from memory without a
//! `pread` per page (measured in `docs/benchmarks.md`, "Local server
//! throughput").

use super::{
    Cond, Index, Item, Key, Page, Query, Scan, SortKey, Stored, StoredPage, Table, TableError,
    Write,
};
use anyhow::Context;
use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Transaction, params_from_iter, types::Value as Sql};
use std::path::Path;
use std::sync::Mutex;

/// Upper bound appended to a prefix to turn `begins_with` into a range scan
/// of the index (U+10FFFF sorts after every other code point in UTF-8).
const PREFIX_END: char = '\u{10FFFF}';

/// Read connections kept open at most (one per request being read at
/// once; more wait for one to come back).
const READERS: usize = 8;

/// Bytes of the file SQLite may memory-map (`PRAGMA mmap_size`).
const MMAP_BYTES: i64 = 1 << 30;

/// Page cache per connection, in KiB (`PRAGMA cache_size` takes a
/// negative number as KiB).
const CACHE_KIB: i64 = 16 * 1024;

/// The table on an embedded SQLite database.
pub struct SqliteTable {
    /// The writer, also the reader of an in-memory database.
    conn: Mutex<Connection>,
    /// The file, for opening read connections; `None` in memory.
    path: Option<std::path::PathBuf>,
    /// Idle read connections.
    readers: Mutex<Vec<Connection>>,
}

impl SqliteTable {
    /// Opens (creating when missing) the database file at `path`.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let conn = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
        let mut table = Self::init(conn)?;
        table.path = Some(path.to_path_buf());
        Ok(table)
    }

    /// Copies the database file at `db` to `dest` with SQLite's online
    /// backup API in one step: a consistent snapshot as of the moment the
    /// copy starts, taken while `hisaab serve` goes on writing (in WAL
    /// mode a reader blocks no writer). `dest` must not exist. Returns the
    /// number of pages copied.
    ///
    /// Errors: `db` missing or unreadable, `dest` present or unwritable.
    pub fn backup(db: &Path, dest: &Path) -> anyhow::Result<u64> {
        anyhow::ensure!(db.exists(), "there is no database at {}", db.display());
        anyhow::ensure!(!dest.exists(), "{} is already there", dest.display());
        let src = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .with_context(|| format!("opening {}", db.display()))?;
        src.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut out =
            Connection::open(dest).with_context(|| format!("creating {}", dest.display()))?;
        let backup = rusqlite::backup::Backup::new(&src, &mut out)?;
        whole(&backup)?;
        let pages = backup.progress().pagecount as u64;
        drop(backup);
        out.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(pages)
    }

    /// Puts the backup at `from` in place of the database at `db` with the
    /// same API (the live file is overwritten under SQLite's own write
    /// lock, so a running server sees the restored data on its next
    /// read). The backup is checked first: it must be a Hisaab database
    /// that passes `PRAGMA integrity_check`. Returns the number of items.
    ///
    /// Errors: the backup missing, damaged or not Hisaab's.
    pub fn restore(from: &Path, db: &Path) -> anyhow::Result<u64> {
        let src = Connection::open_with_flags(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .with_context(|| format!("opening {}", from.display()))?;
        let check: String = src
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .with_context(|| format!("{} is not a SQLite database", from.display()))?;
        anyhow::ensure!(check == "ok", "{} is damaged: {check}", from.display());
        let items: i64 = src
            .query_row("SELECT count(*) FROM items", [], |r| r.get(0))
            .with_context(|| format!("{} is not a Hisaab database", from.display()))?;
        let mut live = Self::open(db)?
            .conn
            .into_inner()
            .map_err(|_| anyhow::anyhow!("sqlite lock poisoned"))?;
        whole(&rusqlite::backup::Backup::new(&src, &mut live)?)?;
        Ok(items as u64)
    }

    /// An in-memory table, for tests and throwaway runs.
    pub fn in_memory() -> anyhow::Result<Self> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> anyhow::Result<Self> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        tune(&conn)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS items (
                pk TEXT NOT NULL, sk TEXT NOT NULL,
                gsi1pk TEXT, gsi1sk TEXT, gsi2pk TEXT, gsi2sk TEXT,
                body TEXT NOT NULL,
                PRIMARY KEY (pk, sk)
             ) WITHOUT ROWID;",
        )?;
        // GSI3 and GSI4 came later: databases made before them gain their
        // columns here.
        for gsi in ["gsi3", "gsi4"] {
            let has: bool = conn
                .prepare(&format!(
                    "SELECT 1 FROM pragma_table_info('items') WHERE name = '{gsi}pk'"
                ))?
                .exists([])?;
            if !has {
                conn.execute_batch(&format!(
                    "ALTER TABLE items ADD COLUMN {gsi}pk TEXT;
                     ALTER TABLE items ADD COLUMN {gsi}sk TEXT;"
                ))?;
            }
        }
        conn.execute_batch(
            "CREATE INDEX IF NOT EXISTS items_gsi1 ON items (gsi1pk, gsi1sk, pk, sk) WHERE gsi1pk IS NOT NULL;
             CREATE INDEX IF NOT EXISTS items_gsi2 ON items (gsi2pk, gsi2sk, pk, sk) WHERE gsi2pk IS NOT NULL;
             CREATE INDEX IF NOT EXISTS items_gsi3 ON items (gsi3pk, gsi3sk, pk, sk) WHERE gsi3pk IS NOT NULL;
             CREATE INDEX IF NOT EXISTS items_gsi4 ON items (gsi4pk, gsi4sk, pk, sk) WHERE gsi4pk IS NOT NULL;",
        )?;
        Ok(SqliteTable {
            conn: Mutex::new(conn),
            path: None,
            readers: Mutex::new(Vec::new()),
        })
    }

    /// Runs `f` on a read connection: an idle one from the pool, a new
    /// one when none is idle, the writer for an in-memory database.
    fn read_with<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, TableError>,
    ) -> Result<T, TableError> {
        let Some(path) = &self.path else {
            return self.with(|c| f(c));
        };
        let idle = self.readers.lock().map_err(|_| poisoned())?.pop();
        let conn = match idle {
            Some(c) => c,
            None => open_reader(path).map_err(TableError::Backend)?,
        };
        let out = f(&conn);
        let mut idle = self.readers.lock().map_err(|_| poisoned())?;
        if idle.len() < READERS {
            idle.push(conn);
        }
        out
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, TableError>,
    ) -> Result<T, TableError> {
        let mut conn = self.conn.lock().map_err(|_| poisoned())?;
        f(&mut conn)
    }
}

fn poisoned() -> TableError {
    TableError::Backend(anyhow::anyhow!("sqlite lock poisoned"))
}

/// The settings of every connection: the busy timeout, the page cache and
/// the memory map.
fn tune(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    // The answer is the size granted, or no row at all for an in-memory
    // database, which has no file to map.
    let mut granted = conn.prepare(&format!("PRAGMA mmap_size = {MMAP_BYTES}"))?;
    granted.query([])?.next()?;
    Ok(())
}

/// A read-only connection to the database at `path`.
fn open_reader(path: &Path) -> anyhow::Result<Connection> {
    use rusqlite::OpenFlags;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("opening {}", path.display()))?;
    tune(&conn)?;
    Ok(conn)
}

/// Copies every page in one step, waiting while another connection
/// holds a lock (up to 30 s).
fn whole(backup: &rusqlite::backup::Backup<'_, '_>) -> anyhow::Result<()> {
    use rusqlite::backup::StepResult;
    for _ in 0..300 {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More | StepResult::Busy | StepResult::Locked => {
                std::thread::sleep(std::time::Duration::from_millis(100))
            }
            _ => {}
        }
    }
    anyhow::bail!("the database stayed locked for 30 s")
}

impl SqliteTable {
    /// The items whose bodies a `SELECT body …` returns.
    fn bodies(&self, sql: &str, args: &[Sql]) -> Result<Vec<Item>, TableError> {
        self.read_with(|c| {
            let mut stmt = c.prepare_cached(sql).map_err(backend)?;
            let rows = stmt
                .query_map(params_from_iter(args.iter()), |r| r.get::<_, String>(0))
                .map_err(backend)?;
            let mut out = Vec::new();
            for row in rows {
                let body = row.map_err(backend)?;
                out.push(serde_json::from_str(&body).map_err(|e| TableError::Backend(e.into()))?);
            }
            Ok(out)
        })
    }
}

/// A SQLite failure: `SQLITE_BUSY` / `SQLITE_LOCKED` (another process
/// held the file past the busy timeout; the statement or transaction was
/// not applied) is [`TableError::throttled`], anything else `Backend`.
fn backend(e: rusqlite::Error) -> TableError {
    use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked};
    match e.sqlite_error_code() {
        Some(DatabaseBusy | DatabaseLocked) => TableError::throttled(e),
        _ => TableError::Backend(e.into()),
    }
}

fn read(tx: &Connection, key: &Key) -> Result<Option<Item>, TableError> {
    let body: Option<String> = tx
        .prepare_cached("SELECT body FROM items WHERE pk = ?1 AND sk = ?2")
        .map_err(backend)?
        .query_row([&key.pk, &key.sk], |r| r.get(0))
        .optional()
        .map_err(backend)?;
    body.map(|b| serde_json::from_str(&b).map_err(|e| TableError::Backend(e.into())))
        .transpose()
}

/// A string key attribute of an item, or NULL. Index keys must be strings.
fn key_attr(item: &Item, attr: &str) -> Result<Option<String>, TableError> {
    match item.get(attr) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(TableError::Invalid(format!("{attr} must be a string"))),
    }
}

fn write_item(tx: &Connection, item: &Item) -> Result<(), TableError> {
    let key = Key::of(item).ok_or_else(|| TableError::Invalid("item without PK/SK".into()))?;
    let body = serde_json::to_string(item).map_err(|e| TableError::Backend(e.into()))?;
    tx.execute(
        "INSERT OR REPLACE INTO items (pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, gsi4pk, gsi4sk, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        rusqlite::params![
            key.pk,
            key.sk,
            key_attr(item, "GSI1PK")?,
            key_attr(item, "GSI1SK")?,
            key_attr(item, "GSI2PK")?,
            key_attr(item, "GSI2SK")?,
            key_attr(item, "GSI3PK")?,
            key_attr(item, "GSI3SK")?,
            key_attr(item, "GSI4PK")?,
            key_attr(item, "GSI4SK")?,
            body
        ],
    )
    .map_err(backend)?;
    Ok(())
}

/// Why one write of a transaction did not apply.
enum Fail {
    /// Its condition did not hold.
    Cond,
    /// Anything else.
    Err(TableError),
}

impl From<TableError> for Fail {
    fn from(e: TableError) -> Self {
        Fail::Err(e)
    }
}

impl From<rusqlite::Error> for Fail {
    fn from(e: rusqlite::Error) -> Self {
        Fail::Err(backend(e))
    }
}

/// Reads the current item and checks the write's condition against it.
fn check(tx: &Connection, key: &Key, cond: Option<&Cond>) -> Result<Option<Item>, Fail> {
    let current = read(tx, key)?;
    match cond {
        Some(c) if !c.holds(current.as_ref()) => Err(Fail::Cond),
        _ => Ok(current),
    }
}

/// Applies one write inside an open transaction; an `Add` returns its new value.
fn apply(tx: &Transaction<'_>, w: &Write) -> Result<Option<i64>, Fail> {
    match w {
        Write::Put { item, cond } => {
            let key =
                Key::of(item).ok_or_else(|| TableError::Invalid("item without PK/SK".into()))?;
            check(tx, &key, cond.as_ref())?;
            write_item(tx, item)?;
            Ok(None)
        }
        Write::Delete { key, cond } => {
            check(tx, key, cond.as_ref())?;
            tx.execute(
                "DELETE FROM items WHERE pk = ?1 AND sk = ?2",
                [&key.pk, &key.sk],
            )?;
            Ok(None)
        }
        Write::Check { key, cond } => {
            check(tx, key, Some(cond))?;
            Ok(None)
        }
        Write::Add {
            key,
            deltas,
            attrs,
            cond,
        } => {
            let current = check(tx, key, cond.as_ref())?;
            let mut item = current.unwrap_or_else(|| {
                let mut i = Item::new();
                i.insert("PK".into(), key.pk.clone().into());
                i.insert("SK".into(), key.sk.clone().into());
                i
            });
            for (attr, value) in attrs {
                item.entry(attr.clone())
                    .or_insert_with(|| value.clone().into());
            }
            let mut last = None;
            for (attr, delta) in deltas {
                let old = match item.get(attr.as_str()) {
                    None => 0,
                    Some(v) => v
                        .as_i64()
                        .ok_or_else(|| TableError::Invalid(format!("{attr} is not a number")))?,
                };
                let new = old
                    .checked_add(*delta)
                    .ok_or_else(|| TableError::Invalid(format!("{attr} overflows")))?;
                item.insert(attr.clone(), new.into());
                last = Some(new);
            }
            write_item(tx, &item)?;
            Ok(last)
        }
    }
}

fn run(conn: &mut Connection, writes: &[Write]) -> Result<Option<i64>, TableError> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(backend)?;
    let mut last = None;
    for (i, w) in writes.iter().enumerate() {
        match apply(&tx, w) {
            Ok(v) => last = v,
            Err(Fail::Cond) => return Err(TableError::ConditionFailed { index: Some(i) }),
            Err(Fail::Err(e)) => return Err(e),
        }
    }
    tx.commit().map_err(backend)?;
    Ok(last)
}

#[async_trait]
impl Table for SqliteTable {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        self.read_with(|c| read(c, key))
    }

    async fn put(&self, item: Item, cond: Option<Cond>) -> Result<(), TableError> {
        self.with(|c| run(c, &[Write::Put { item, cond }]))
            .map(|_| ())
            .map_err(single)
    }

    async fn delete(&self, key: &Key, cond: Option<Cond>) -> Result<(), TableError> {
        let w = Write::Delete {
            key: key.clone(),
            cond,
        };
        self.with(|c| run(c, &[w])).map(|_| ()).map_err(single)
    }

    async fn query(&self, q: &Query) -> Result<Page, TableError> {
        let (sql, args) = query_sql(q, "body")?;
        let mut items = self.bodies(&sql, &args)?;
        let more = items.len() > q.limit;
        items.truncate(q.limit);
        let last_key = if more {
            items.last().map(|i| q.index.key_of(i))
        } else {
            None
        };
        Ok(Page { items, last_key })
    }

    /// The stored text of each item, undecoded; the last item's key from
    /// its key columns.
    async fn query_stored(&self, q: &Query) -> Result<StoredPage, TableError> {
        let (pcol, scol) = columns(q.index);
        let (sql, args) = query_sql(q, &format!("body, pk, sk, {pcol}, {scol}"))?;
        let mut rows: Vec<[String; 5]> = self.read_with(|c| {
            let mut stmt = c.prepare_cached(&sql).map_err(backend)?;
            let rows = stmt
                .query_map(params_from_iter(args.iter()), |r| {
                    Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])
                })
                .map_err(backend)?;
            rows.collect::<Result<_, _>>().map_err(backend)
        })?;
        let more = rows.len() > q.limit;
        rows.truncate(q.limit);
        let last_key = match rows.last() {
            Some([_, pk, sk, ipk, isk]) if more => {
                let mut key = Item::new();
                key.insert("PK".into(), pk.clone().into());
                key.insert("SK".into(), sk.clone().into());
                if q.index != Index::Table {
                    let (pattr, sattr) = q.index.attrs();
                    key.insert(pattr.into(), ipk.clone().into());
                    key.insert(sattr.into(), isk.clone().into());
                }
                Some(key)
            }
            _ => None,
        };
        Ok(StoredPage {
            items: rows
                .into_iter()
                .map(|[body, ..]| Stored::Text(body))
                .collect(),
            last_key,
        })
    }

    async fn add(
        &self,
        key: &Key,
        attr: &str,
        delta: i64,
        cond: Option<Cond>,
    ) -> Result<i64, TableError> {
        let w = Write::Add {
            key: key.clone(),
            deltas: vec![(attr.into(), delta)],
            attrs: vec![],
            cond,
        };
        self.with(|c| run(c, &[w]))
            .map_err(single)?
            .ok_or_else(|| TableError::Backend(anyhow::anyhow!("add returned nothing")))
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), TableError> {
        super::validate_transaction(&writes)?;
        self.with(|c| run(c, &writes)).map(|_| ())
    }

    /// Reads in primary-key order. One file has nothing to read in
    /// parallel: segment 0 holds every item, the other segments none.
    async fn scan(&self, scan: &Scan) -> Result<Page, TableError> {
        super::validate_scan(scan)?;
        if scan.segment > 0 {
            return Ok(Page::default());
        }
        let mut sql = "SELECT body FROM items".to_string();
        let mut args: Vec<Sql> = Vec::new();
        if let Some(start) = &scan.start {
            let key = Key::of(start)
                .ok_or_else(|| TableError::Invalid("start key lacks PK/SK".into()))?;
            sql += " WHERE (pk, sk) > (?, ?)";
            args.push(Sql::Text(key.pk));
            args.push(Sql::Text(key.sk));
        }
        sql += " ORDER BY pk, sk LIMIT ?";
        args.push(Sql::Integer(scan.limit as i64 + 1));
        let mut items = self.bodies(&sql, &args)?;
        let more = items.len() > scan.limit;
        items.truncate(scan.limit);
        let last_key = if more {
            items.last().map(|i| Index::Table.key_of(i))
        } else {
            None
        };
        Ok(Page { items, last_key })
    }

    /// One SQLite transaction for the batch.
    async fn put_batch(&self, items: Vec<Item>) -> Result<(), TableError> {
        super::validate_batch(&items)?;
        let writes: Vec<Write> = items
            .into_iter()
            .map(|item| Write::Put { item, cond: None })
            .collect();
        self.with(|c| run(c, &writes)).map(|_| ())
    }
}

/// The key columns of an index: the table's `pk`/`sk` or a GSI's.
fn columns(index: Index) -> (&'static str, &'static str) {
    match index {
        Index::Table => ("pk", "sk"),
        Index::Gsi1 => ("gsi1pk", "gsi1sk"),
        Index::Gsi2 => ("gsi2pk", "gsi2sk"),
        Index::Gsi3 => ("gsi3pk", "gsi3sk"),
        Index::Gsi4 => ("gsi4pk", "gsi4sk"),
    }
}

/// The `SELECT {select} …` of a query and its arguments: one more row
/// than the page, so that the caller knows whether more follow.
fn query_sql(q: &Query, select: &str) -> Result<(String, Vec<Sql>), TableError> {
    if q.limit == 0 || q.limit > 1000 {
        return Err(TableError::Invalid("query limit must be 1..=1000".into()));
    }
    let (pcol, scol) = columns(q.index);
    let mut sql = format!("SELECT {select} FROM items WHERE {pcol} = ?");
    let mut args: Vec<Sql> = vec![Sql::Text(q.pk.clone())];
    match &q.sk {
        None => {}
        Some(SortKey::Eq(v)) => {
            sql += &format!(" AND {scol} = ?");
            args.push(Sql::Text(v.clone()));
        }
        Some(SortKey::BeginsWith(p)) => {
            sql += &format!(" AND {scol} >= ? AND {scol} < ?");
            args.push(Sql::Text(p.clone()));
            args.push(Sql::Text(format!("{p}{PREFIX_END}")));
        }
        Some(SortKey::Between(a, b)) => {
            sql += &format!(" AND {scol} BETWEEN ? AND ?");
            args.push(Sql::Text(a.clone()));
            args.push(Sql::Text(b.clone()));
        }
    }
    let (cmp, dir) = if q.forward {
        (">", "ASC")
    } else {
        ("<", "DESC")
    };
    if let Some(start) = &q.start {
        let get = |a: &str| {
            start
                .get(a)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .ok_or_else(|| TableError::Invalid(format!("start key lacks {a}")))
        };
        if q.index == Index::Table {
            sql += &format!(" AND sk {cmp} ?");
            args.push(Sql::Text(get("SK")?));
        } else {
            let (_, sattr) = q.index.attrs();
            sql += &format!(" AND ({scol}, pk, sk) {cmp} (?, ?, ?)");
            args.push(Sql::Text(get(sattr)?));
            args.push(Sql::Text(get("PK")?));
            args.push(Sql::Text(get("SK")?));
        }
    }
    sql += &format!(" ORDER BY {scol} {dir}, pk {dir}, sk {dir} LIMIT ?");
    args.push(Sql::Integer(q.limit as i64 + 1));
    Ok((sql, args))
}

/// A single write's failure carries no transaction index.
fn single(e: TableError) -> TableError {
    match e {
        TableError::ConditionFailed { .. } => TableError::ConditionFailed { index: None },
        e => e,
    }
}

#[cfg(test)]
mod tests {
    /// `PRAGMA mmap_size` answers no row in memory: opening must not
    /// expect one.
    #[test]
    fn an_in_memory_table_opens() {
        let t = super::SqliteTable::in_memory().unwrap();
        let n: i64 = t
            .conn
            .lock()
            .unwrap()
            .query_row("SELECT count(*) FROM items", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
}
