//! Each route gets only the ports its access names ([`restrict`]): the
//! table read-only or not at all, no SMS, mail or files unless declared.
//! Using a port the route did not declare is a bug in the route table, so
//! it panics with the route's name (the edge turns the panic into a 500
//! problem document). Both hosts restrict the same way, so every test
//! that takes a path through an undeclared port fails, and the Lambda's
//! IAM role, generated from the same declaration, would refuse the call.

use crate::access::{Access, TableAccess};
use async_trait::async_trait;
use hisaab::Hisaab;
use hisaab::files::Files;
use hisaab::notify::{Mail, Sms};
use hisaab::table::{Cond, Item, Key, Page, Query, Scan, StoredPage, Table, TableError, Write};
use hisaab::validate::Phone;
use std::sync::Arc;

/// The app as route `name` may use it: the ports `access` does not grant
/// are replaced by ones that panic when used.
pub fn restrict(app: &Hisaab, name: &'static str, access: Access) -> Hisaab {
    let mut app = app.clone();
    app.table = match access.table {
        TableAccess::Write if access.scan => app.table,
        TableAccess::Write => Arc::new(NoScanTable {
            name,
            inner: app.table,
        }),
        TableAccess::Read => Arc::new(ReadOnlyTable {
            name,
            inner: app.table,
            scan: access.scan,
        }),
        TableAccess::None => Arc::new(Denied(name)),
    };
    if !access.sms {
        app.sms = Arc::new(Denied(name));
    }
    if !access.mail {
        app.mail = Arc::new(Denied(name));
    }
    if !access.uses_files() {
        app.files = Arc::new(Denied(name));
    } else if !access.files_read || !access.files_write {
        app.files = Arc::new(LimitedFiles {
            name,
            inner: app.files,
            read: access.files_read,
            write: access.files_write,
        });
    }
    app
}

/// A port the route has no access to.
pub struct Denied(pub &'static str);

impl Denied {
    fn deny(&self, what: &str) -> ! {
        panic!(
            "route `{}` used {what}, which its line in the route table does not grant",
            self.0
        )
    }
}

#[async_trait]
impl Table for Denied {
    async fn get(&self, _: &Key) -> Result<Option<Item>, TableError> {
        self.deny("the table")
    }
    async fn put(&self, _: Item, _: Option<Cond>) -> Result<(), TableError> {
        self.deny("the table")
    }
    async fn delete(&self, _: &Key, _: Option<Cond>) -> Result<(), TableError> {
        self.deny("the table")
    }
    async fn query(&self, _: &Query) -> Result<Page, TableError> {
        self.deny("the table")
    }
    async fn add(&self, _: &Key, _: &str, _: i64, _: Option<Cond>) -> Result<i64, TableError> {
        self.deny("the table")
    }
    async fn transact(&self, _: Vec<Write>) -> Result<(), TableError> {
        self.deny("the table")
    }
    async fn scan(&self, _: &Scan) -> Result<Page, TableError> {
        self.deny("the table")
    }
    async fn put_batch(&self, _: Vec<Item>) -> Result<(), TableError> {
        self.deny("the table")
    }
}

#[async_trait]
impl Sms for Denied {
    async fn send_sms(&self, _: &Phone, _: &str) -> anyhow::Result<()> {
        self.deny("SMS")
    }
}

#[async_trait]
impl Mail for Denied {
    async fn send_mail(&self, _: &str, _: &str, _: &str) -> anyhow::Result<()> {
        self.deny("mail")
    }
}

#[async_trait]
impl Files for Denied {
    async fn put(&self, _: &str, _: &str, _: Vec<u8>) -> anyhow::Result<()> {
        self.deny("the documents")
    }
    async fn exists(&self, _: &str) -> anyhow::Result<bool> {
        self.deny("the documents")
    }
    async fn link(&self, _: &str, _: i64, _: i64) -> anyhow::Result<String> {
        self.deny("the documents")
    }
    async fn upload_link(
        &self,
        _: &str,
        _: &str,
        _: u64,
        _: i64,
        _: i64,
    ) -> anyhow::Result<String> {
        self.deny("the documents")
    }
    async fn stat(&self, _: &str) -> anyhow::Result<Option<(String, u64)>> {
        self.deny("the documents")
    }
}

/// The table, for reading only (and scanning, when granted).
struct ReadOnlyTable {
    name: &'static str,
    inner: Arc<dyn Table>,
    scan: bool,
}

impl ReadOnlyTable {
    fn deny(&self) -> ! {
        Denied(self.name).deny("a table write")
    }
}

#[async_trait]
impl Table for ReadOnlyTable {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        self.inner.get(key).await
    }
    async fn put(&self, _: Item, _: Option<Cond>) -> Result<(), TableError> {
        self.deny()
    }
    async fn delete(&self, _: &Key, _: Option<Cond>) -> Result<(), TableError> {
        self.deny()
    }
    async fn query(&self, query: &Query) -> Result<Page, TableError> {
        self.inner.query(query).await
    }
    async fn query_stored(&self, query: &Query) -> Result<StoredPage, TableError> {
        self.inner.query_stored(query).await
    }
    async fn add(&self, _: &Key, _: &str, _: i64, _: Option<Cond>) -> Result<i64, TableError> {
        self.deny()
    }
    async fn transact(&self, _: Vec<Write>) -> Result<(), TableError> {
        self.deny()
    }
    async fn scan(&self, scan: &Scan) -> Result<Page, TableError> {
        if !self.scan {
            Denied(self.name).deny("a table scan")
        }
        self.inner.scan(scan).await
    }
    async fn put_batch(&self, _: Vec<Item>) -> Result<(), TableError> {
        self.deny()
    }
}

/// The table for every read and write but a Scan.
struct NoScanTable {
    name: &'static str,
    inner: Arc<dyn Table>,
}

#[async_trait]
impl Table for NoScanTable {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        self.inner.get(key).await
    }
    async fn put(&self, item: Item, cond: Option<Cond>) -> Result<(), TableError> {
        self.inner.put(item, cond).await
    }
    async fn delete(&self, key: &Key, cond: Option<Cond>) -> Result<(), TableError> {
        self.inner.delete(key, cond).await
    }
    async fn query(&self, query: &Query) -> Result<Page, TableError> {
        self.inner.query(query).await
    }
    async fn query_stored(&self, query: &Query) -> Result<StoredPage, TableError> {
        self.inner.query_stored(query).await
    }
    async fn add(&self, k: &Key, a: &str, d: i64, c: Option<Cond>) -> Result<i64, TableError> {
        self.inner.add(k, a, d, c).await
    }
    async fn transact(&self, writes: Vec<Write>) -> Result<(), TableError> {
        self.inner.transact(writes).await
    }
    async fn scan(&self, _: &Scan) -> Result<Page, TableError> {
        Denied(self.name).deny("a table scan")
    }
    async fn put_batch(&self, items: Vec<Item>) -> Result<(), TableError> {
        self.inner.put_batch(items).await
    }
}

/// The documents, for reading, writing, both or neither.
struct LimitedFiles {
    name: &'static str,
    inner: Arc<dyn Files>,
    read: bool,
    write: bool,
}

impl LimitedFiles {
    fn check(&self, allowed: bool, what: &str) {
        if !allowed {
            Denied(self.name).deny(what)
        }
    }
}

#[async_trait]
impl Files for LimitedFiles {
    async fn put(&self, key: &str, content_type: &str, body: Vec<u8>) -> anyhow::Result<()> {
        self.check(self.write, "a document store");
        self.inner.put(key, content_type, body).await
    }
    async fn exists(&self, key: &str) -> anyhow::Result<bool> {
        self.check(self.read, "a document read");
        self.inner.exists(key).await
    }
    async fn link(&self, key: &str, now: i64, expires_at: i64) -> anyhow::Result<String> {
        self.check(self.read, "a document link");
        self.inner.link(key, now, expires_at).await
    }
    async fn upload_link(
        &self,
        key: &str,
        content_type: &str,
        max_bytes: u64,
        now: i64,
        expires_at: i64,
    ) -> anyhow::Result<String> {
        self.check(self.write, "an upload link");
        self.inner
            .upload_link(key, content_type, max_bytes, now, expires_at)
            .await
    }
    async fn stat(&self, key: &str) -> anyhow::Result<Option<(String, u64)>> {
        self.check(self.read, "a document read");
        self.inner.stat(key).await
    }
}
