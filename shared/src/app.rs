//! The process state: ports and keys, built once per process (a Lambda's
//! init, or `hisaab serve`), shared by every request.

use crate::clock::{Clock, SystemClock};
use crate::crypto::Keys;
use crate::files::{Files, LocalFiles, S3Files};
use crate::notify::{Mail, Outbox, SesMail, Sms, SnsSms};
use crate::table::{Table, dynamo::DynamoTable, sqlite::SqliteTable};
use anyhow::Context;
use std::path::Path;
use std::sync::Arc;

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
    /// [`crate::registry::DEFAULT_WRONG_REPORT_LIMIT`]).
    pub fn new(app_url: &str) -> Config {
        Config {
            app_url: app_url.trim_end_matches('/').to_string(),
            wrong_report_limit: std::env::var("HISAAB_WRONG_REPORT_LIMIT")
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|n: &i64| *n > 0)
                .unwrap_or(crate::registry::DEFAULT_WRONG_REPORT_LIMIT),
        }
    }
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
    pub outbox: Option<Arc<Outbox>>,
    /// The local files, when documents are kept in the data directory and
    /// served by `hisaab serve` at `/_local/files/...`.
    pub local_files: Option<Arc<LocalFiles>>,
}

impl Hisaab {
    /// The local set-up: SQLite at `<data dir>/hisaab.sqlite`, the outbox at
    /// `<data dir>/outbox.jsonl`, documents under `<data dir>/files/` linked
    /// from `server_url`, the signing key at `<data dir>/signing.key`; the
    /// directory is created when missing.
    pub fn local(data_dir: &Path, app_url: &str, server_url: &str) -> anyhow::Result<Hisaab> {
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
            table: Arc::new(table),
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

    /// The AWS set-up, from the environment of a Lambda:
    /// - `HISAAB_TABLE`: the DynamoDB table name;
    /// - `HISAAB_SIGNING_KEY_PARAM`: SSM Parameter Store name of the signing
    ///   key (a SecureString of at least 32 characters), or
    ///   `HISAAB_SIGNING_KEY` holding the key itself (emulators, tests);
    /// - `HISAAB_MAIL_FROM`: the verified SES sender;
    /// - `HISAAB_APP_URL`: base URL for links in mails;
    /// - `HISAAB_BUCKET`: the S3 bucket of documents (invoice PDFs);
    /// - the usual AWS variables (`AWS_REGION`, `AWS_ENDPOINT_URL`, …).
    pub async fn aws_from_env() -> anyhow::Result<Hisaab> {
        let var = |n: &str| std::env::var(n).with_context(|| format!("{n} is not set"));
        let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        let secret = match std::env::var("HISAAB_SIGNING_KEY_PARAM") {
            Ok(name) => aws_sdk_ssm::Client::new(&sdk)
                .get_parameter()
                .name(&name)
                .with_decryption(true)
                .send()
                .await
                .with_context(|| format!("reading SSM parameter {name}"))?
                .parameter
                .and_then(|p| p.value)
                .context("the signing-key parameter has no value")?,
            Err(_) => var("HISAAB_SIGNING_KEY")?,
        };
        let table = DynamoTable::new(aws_sdk_dynamodb::Client::new(&sdk), var("HISAAB_TABLE")?);
        Ok(Hisaab {
            table: Arc::new(table),
            sms: Arc::new(SnsSms::new(aws_sdk_sns::Client::new(&sdk))),
            mail: Arc::new(SesMail::new(
                aws_sdk_sesv2::Client::new(&sdk),
                var("HISAAB_MAIL_FROM")?,
            )),
            files: Arc::new(S3Files::new(
                aws_sdk_s3::Client::new(&sdk),
                var("HISAAB_BUCKET")?,
            )),
            clock: Arc::new(SystemClock),
            keys: Arc::new(Keys::from_secret(secret.trim().as_bytes())?),
            config: Config::new(&var("HISAAB_APP_URL")?),
            outbox: None,
            local_files: None,
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
