//! What the benchmarks share: the SQLite-backed app, a table wrapper that
//! counts every call on the table port by its DynamoDB name, a verified
//! business owner, and the row printer of the operation counts.
#![allow(dead_code)]

use async_trait::async_trait;
use hisaab::Hisaab;
use hisaab::clock::ManualClock;
use hisaab::crypto::Keys;
use hisaab::identity::Actor;
use hisaab::identity::accounts::{AccountType, Registration};
use hisaab::ledger::customers::NewCustomer;
use hisaab::ledger::settings::SettingsPatch;
use hisaab::local::LocalFiles;
use hisaab::local::Outbox;
use hisaab::table::sqlite::SqliteTable;
use hisaab::table::{Cond, Item, Key, Page, Query, Scan, StoredPage, Table, TableError, Write};
use std::sync::{Arc, Mutex};

/// Calls made on the table port.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub get: u64,
    pub put: u64,
    pub delete: u64,
    pub query: u64,
    /// Items returned by all queries.
    pub query_items: u64,
    pub add: u64,
    pub transact: u64,
    /// Writes inside all transactions.
    pub transact_writes: u64,
    /// Scan pages read.
    pub scan: u64,
    /// Batch writes (`BatchWriteItem`).
    pub batch: u64,
    /// Items in all batch writes.
    pub batch_items: u64,
}

/// The SQLite table, counting every call by its DynamoDB name.
pub struct CountingTable {
    inner: SqliteTable,
    counts: Mutex<Counts>,
}

impl CountingTable {
    fn count(&self, f: impl FnOnce(&mut Counts)) {
        f(&mut self.counts.lock().expect("counts lock"));
    }

    /// The counts so far, resetting them.
    pub fn take(&self) -> Counts {
        std::mem::take(&mut *self.counts.lock().expect("counts lock"))
    }
}

#[async_trait]
impl Table for CountingTable {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        self.count(|c| c.get += 1);
        self.inner.get(key).await
    }

    async fn put(&self, item: Item, cond: Option<Cond>) -> Result<(), TableError> {
        self.count(|c| c.put += 1);
        self.inner.put(item, cond).await
    }

    async fn delete(&self, key: &Key, cond: Option<Cond>) -> Result<(), TableError> {
        self.count(|c| c.delete += 1);
        self.inner.delete(key, cond).await
    }

    async fn query(&self, query: &Query) -> Result<Page, TableError> {
        self.count(|c| c.query += 1);
        let page = self.inner.query(query).await?;
        self.count(|c| c.query_items += page.items.len() as u64);
        Ok(page)
    }

    async fn query_stored(&self, query: &Query) -> Result<StoredPage, TableError> {
        self.count(|c| c.query += 1);
        let page = self.inner.query_stored(query).await?;
        self.count(|c| c.query_items += page.items.len() as u64);
        Ok(page)
    }

    async fn add(
        &self,
        key: &Key,
        attr: &str,
        delta: i64,
        cond: Option<Cond>,
    ) -> Result<i64, TableError> {
        self.count(|c| c.add += 1);
        self.inner.add(key, attr, delta, cond).await
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), TableError> {
        self.count(|c| {
            c.transact += 1;
            c.transact_writes += writes.len() as u64;
        });
        self.inner.transact(writes).await
    }

    async fn scan(&self, scan: &Scan) -> Result<Page, TableError> {
        self.count(|c| c.scan += 1);
        self.inner.scan(scan).await
    }

    async fn put_batch(&self, items: Vec<Item>) -> Result<(), TableError> {
        self.count(|c| {
            c.batch += 1;
            c.batch_items += items.len() as u64;
        });
        self.inner.put_batch(items).await
    }
}

/// The process state, as `tests/tests/common` builds it: one SQLite file
/// opened twice, plainly (timed runs) and through the counting table.
pub struct Env {
    pub app: Hisaab,
    pub counted: Hisaab,
    pub counting: Arc<CountingTable>,
    pub outbox: Arc<Outbox>,
    /// The clock both apps read.
    pub clock: Arc<ManualClock>,
    pub _dir: tempfile::TempDir,
}

pub fn env() -> Env {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("hisaab.sqlite");
    let table = Arc::new(SqliteTable::open(&db).expect("open sqlite"));
    let counting = Arc::new(CountingTable {
        inner: SqliteTable::open(&db).expect("open sqlite"),
        counts: Mutex::default(),
    });
    let keys = Arc::new(Keys::from_secret(&[42u8; 32]).expect("keys"));
    let outbox = Arc::new(Outbox::new(dir.path().join("outbox.jsonl")));
    let files = Arc::new(LocalFiles::new(
        dir.path().join("files"),
        "http://local.test",
        keys.clone(),
    ));
    let clock = Arc::new(ManualClock::new());
    let app = Hisaab {
        table,
        sms: outbox.clone(),
        mail: outbox.clone(),
        files: files.clone(),
        clock: clock.clone(),
        keys,
        config: hisaab::Config {
            app_url: "https://app.hisaab.test".into(),
            wrong_report_limit: 3,
        },
        outbox: Some(outbox.clone()),
        local_files: Some(files),
    };
    let counted = Hisaab {
        table: counting.clone(),
        ..app.clone()
    };
    Env {
        app,
        counted,
        counting,
        outbox,
        clock,
        _dir: dir,
    }
}

/// A business owner: registered, phone verified with the texted OTP,
/// authenticated; the business gets a Maharashtra GSTIN and 15-day terms.
pub async fn owner(e: &Env, phone: &str, business: &str) -> Actor {
    let app = &e.app;
    app.register(Registration {
        name: "Asha".into(),
        phone: phone.into(),
        account_type: AccountType::Business,
        business_name: Some(business.into()),
        email: None,
        password: None,
    })
    .await
    .expect("register");
    let sms = e
        .outbox
        .messages()
        .expect("outbox")
        .into_iter()
        .rfind(|m| m.channel == "sms" && m.to == phone)
        .expect("an OTP text");
    let code = sms
        .body
        .split_whitespace()
        .find(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
        .expect("a 6-digit code");
    let tokens = app.verify_otp(phone, code).await.expect("verify OTP");
    let actor = app
        .authenticate(&tokens.access_token)
        .await
        .expect("authenticate");
    app.update_settings(
        &actor,
        SettingsPatch {
            gstin: Some(Some("27AAPFU0939F1ZV".into())),
            payment_terms_days: Some(15),
            ..Default::default()
        },
    )
    .await
    .expect("settings");
    actor
}

pub async fn customer(app: &Hisaab, actor: &Actor, name: String) -> String {
    let (c, _) = app
        .create_customer(
            actor,
            NewCustomer {
                name,
                ..Default::default()
            },
            None,
        )
        .await
        .expect("customer");
    c.id
}

pub fn row(name: &str, c: Counts) {
    let mut other = vec![];
    for (label, n) in [
        ("PutItem", c.put),
        ("DeleteItem", c.delete),
        ("UpdateItem(add)", c.add),
        ("Scan", c.scan),
    ] {
        if n > 0 {
            other.push(format!("{label} {n}"));
        }
    }
    if c.batch > 0 {
        other.push(format!("BatchWriteItem {} ({})", c.batch, c.batch_items));
    }
    let other = if other.is_empty() {
        "-".to_string()
    } else {
        other.join(", ")
    };
    eprintln!(
        "{name:<36} | {:>7} | {:>13} | {:>27} | {other}",
        c.get,
        format!("{} ({})", c.query, c.query_items),
        format!("{} ({})", c.transact, c.transact_writes),
    );
}
