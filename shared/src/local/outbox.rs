//! The local outbox: both the SMS and the mail port append to a JSON Lines
//! file in the data directory, which `GET /_local/outbox` shows.

use crate::notify::{Mail, Sms};
use crate::validate::Phone;
use anyhow::Context;
use async_trait::async_trait;
use jiff::Timestamp;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Mutex;

/// One message in the local outbox.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct OutboxMessage {
    /// `sms` or `email`.
    pub channel: String,
    /// E.164 phone or email address.
    pub to: String,
    /// Mail subject; absent for SMS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The text sent.
    pub body: String,
    /// When it was sent (RFC 3339, UTC).
    pub sent_at: Timestamp,
}

/// The local outbox: both ports append to `<data dir>/outbox.jsonl`.
pub struct Outbox {
    path: PathBuf,
    lock: Mutex<()>,
}

impl Outbox {
    /// An outbox in the given file (created on first message).
    pub fn new(path: PathBuf) -> Self {
        Outbox {
            path,
            lock: Mutex::new(()),
        }
    }

    fn append(&self, m: &OutboxMessage) -> anyhow::Result<()> {
        let _g = self
            .lock
            .lock()
            .map_err(|_| anyhow::anyhow!("outbox lock poisoned"))?;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .with_context(|| format!("opening {}", self.path.display()))?;
        writeln!(f, "{}", serde_json::to_string(m)?)?;
        Ok(())
    }

    /// Every message, oldest first.
    pub fn messages(&self) -> anyhow::Result<Vec<OutboxMessage>> {
        let _g = self
            .lock
            .lock()
            .map_err(|_| anyhow::anyhow!("outbox lock poisoned"))?;
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
            Err(e) => return Err(e.into()),
        };
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).context("reading the outbox"))
            .collect()
    }
}

#[async_trait]
impl Sms for Outbox {
    async fn send_sms(&self, to: &Phone, body: &str) -> anyhow::Result<()> {
        self.append(&OutboxMessage {
            channel: "sms".into(),
            to: to.to_string(),
            subject: None,
            body: body.into(),
            sent_at: Timestamp::now(),
        })
    }
}

#[async_trait]
impl Mail for Outbox {
    async fn send_mail(&self, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        self.append(&OutboxMessage {
            channel: "email".into(),
            to: to.into(),
            subject: Some(subject.into()),
            body: body.into(),
            sent_at: Timestamp::now(),
        })
    }
}
