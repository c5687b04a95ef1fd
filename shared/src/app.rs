//! The process state: ports and keys, built once per process (a Lambda's
//! init, or `hisaab serve`), shared by every request.

use crate::clock::{Clock, SystemClock};
use crate::crypto::Keys;
use crate::files::Files;
use crate::notify::{Mail, Sms};
use crate::table::Table;
use crate::table::retry::Retrying;
#[cfg(feature = "local")]
use anyhow::Context;
#[cfg(feature = "local")]
use std::path::Path;
use std::sync::Arc;

/// Wrongly raised defaults at which a business is disabled, unless
/// `HISAAB_WRONG_REPORT_LIMIT` says otherwise.
pub const DEFAULT_WRONG_REPORT_LIMIT: i64 = 3;

/// Settings that are not secrets.
#[derive(Clone, Debug)]
pub struct Config {
    /// Base URL of the app, used in links sent by mail (password reset).
    pub app_url: String,
    /// Wrongly raised defaults at which a business is disabled
    /// (`HISAAB_WRONG_REPORT_LIMIT`, default 3).
    pub wrong_report_limit: i64,
}

impl Config {
    /// The settings for `app_url`, with the wrong-report limit from
    /// `HISAAB_WRONG_REPORT_LIMIT` (default
    /// [`DEFAULT_WRONG_REPORT_LIMIT`]).
    pub fn new(app_url: &str) -> Config {
        Config {
            app_url: app_url.trim_end_matches('/').to_string(),
            wrong_report_limit: std::env::var("HISAAB_WRONG_REPORT_LIMIT")
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|n: &i64| *n > 0)
                .unwrap_or(DEFAULT_WRONG_REPORT_LIMIT),
        }
    }
}

/// The ports a process talks to the world through (see `ARCHITECTURE.md`,
/// ports and adapters).
pub struct Ports {
    /// The single table.
    pub table: Arc<dyn Table>,
    /// Where SMS go.
    pub sms: Arc<dyn Sms>,
    /// Where mail goes.
    pub mail: Arc<dyn Mail>,
    /// Where documents are stored and linked from.
    pub files: Arc<dyn Files>,
}

/// The domain service: every use case is a method on it (see `identity`
/// and `customers`).
#[derive(Clone)]
pub struct Hisaab {
    /// The single table.
    pub table: Arc<dyn Table>,
    /// Where SMS go.
    pub sms: Arc<dyn Sms>,
    /// Where mail goes.
    pub mail: Arc<dyn Mail>,
    /// Where documents (invoice PDFs) are stored and linked from.
    pub files: Arc<dyn Files>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Signing keys.
    pub keys: Arc<Keys>,
    /// Settings.
    pub config: Config,
    /// The local outbox, when SMS and mail go there (`hisaab serve`).
    #[cfg(feature = "local")]
    pub outbox: Option<Arc<crate::local::Outbox>>,
    /// The local files, when documents are kept in the data directory and
    /// served by `hisaab serve` at `/_local/files/...`.
    #[cfg(feature = "local")]
    pub local_files: Option<Arc<crate::local::LocalFiles>>,
}

impl Hisaab {
    /// The process state from its ports, keys and settings (no local
    /// outbox or files). The table is wrapped in
    /// [`crate::table::retry::Retrying`], which sends calls the store
    /// could not serve just now again, within bounds.
    pub fn new(ports: Ports, keys: Arc<Keys>, config: Config) -> Hisaab {
        Hisaab {
            table: Arc::new(Retrying::new(ports.table)),
            sms: ports.sms,
            mail: ports.mail,
            files: ports.files,
            clock: Arc::new(SystemClock),
            keys,
            config,
            #[cfg(feature = "local")]
            outbox: None,
            #[cfg(feature = "local")]
            local_files: None,
        }
    }

    /// The local set-up: SQLite at `<data dir>/hisaab.sqlite`, the outbox at
    /// `<data dir>/outbox.jsonl`, documents under `<data dir>/files/` linked
    /// from `server_url`, the signing key at `<data dir>/signing.key`; the
    /// directory is created when missing. The table is wrapped in
    /// [`crate::table::retry::Retrying`], as in [`Hisaab::new`].
    #[cfg(feature = "local")]
    pub fn local(data_dir: &Path, app_url: &str, server_url: &str) -> anyhow::Result<Hisaab> {
        use crate::local::{LocalFiles, Outbox};
        use crate::table::sqlite::SqliteTable;
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("creating {}", data_dir.display()))?;
        let table = SqliteTable::open(&data_dir.join("hisaab.sqlite"))?;
        let outbox = Arc::new(Outbox::new(data_dir.join("outbox.jsonl")));
        let keys = Arc::new(Keys::local(data_dir)?);
        let files = Arc::new(LocalFiles::new(
            data_dir.join("files"),
            server_url,
            keys.clone(),
        ));
        Ok(Hisaab {
            table: Arc::new(Retrying::new(Arc::new(table))),
            sms: outbox.clone(),
            mail: outbox.clone(),
            files: files.clone(),
            clock: Arc::new(SystemClock),
            keys,
            config: Config::new(app_url),
            outbox: Some(outbox),
            local_files: Some(files),
        })
    }

    /// Reads one item by key as an entity; `None` when there is none.
    pub(crate) async fn get_as<T: serde::de::DeserializeOwned>(
        &self,
        key: &crate::table::Key,
    ) -> crate::error::Result<Option<T>> {
        self.table.get(key).await?.map(from_item).transpose()
    }

    /// The current time as seconds since the Unix epoch (UTC).
    pub fn now_secs(&self) -> i64 {
        self.clock.now().as_second()
    }
}

/// Serialises an entity into a table item with its keys and `entity` name.
pub(crate) fn to_item<T: serde::Serialize>(
    entity: &str,
    key: &crate::table::Key,
    value: &T,
) -> crate::error::Result<crate::table::Item> {
    let serde_json::Value::Object(mut item) =
        serde_json::to_value(value).map_err(|e| crate::error::Error::Internal(e.into()))?
    else {
        return Err(crate::error::Error::Internal(anyhow::anyhow!(
            "{entity} is not an object"
        )));
    };
    item.insert("PK".into(), key.pk.clone().into());
    item.insert("SK".into(), key.sk.clone().into());
    item.insert("entity".into(), entity.into());
    Ok(item)
}

/// Reads an entity back from a table item (key attributes are ignored).
pub(crate) fn from_item<T: serde::de::DeserializeOwned>(
    item: crate::table::Item,
) -> crate::error::Result<T> {
    serde_json::from_value(serde_json::Value::Object(item))
        .map_err(|e| crate::error::Error::Internal(anyhow::anyhow!("corrupt item: {e}")))
}
