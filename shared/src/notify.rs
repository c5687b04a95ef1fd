//! The SMS and mail ports, with their AWS adapters (SNS `Publish` to a phone
//! number; SES v2 `SendEmail`) and the local outbox, a JSON Lines file in
//! the data directory that `GET /_local/outbox` shows.

use crate::validate::Phone;
use anyhow::Context;
use async_trait::async_trait;
use jiff::Timestamp;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Mutex;

/// Sends text messages.
#[async_trait]
pub trait Sms: Send + Sync {
    /// Sends one transactional SMS.
    async fn send_sms(&self, to: &Phone, body: &str) -> anyhow::Result<()>;
}

/// Sends mail.
#[async_trait]
pub trait Mail: Send + Sync {
    /// Sends one plain-text mail.
    async fn send_mail(&self, to: &str, subject: &str, body: &str) -> anyhow::Result<()>;
}

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

/// SMS through Amazon SNS `Publish` to a phone number, as a transactional
/// message (delivered even to numbers on promotional do-not-disturb lists).
pub struct SnsSms {
    client: aws_sdk_sns::Client,
}

impl SnsSms {
    /// Wraps a client built once per process.
    pub fn new(client: aws_sdk_sns::Client) -> Self {
        SnsSms { client }
    }
}

#[async_trait]
impl Sms for SnsSms {
    async fn send_sms(&self, to: &Phone, body: &str) -> anyhow::Result<()> {
        use aws_sdk_sns::types::MessageAttributeValue;
        let kind = MessageAttributeValue::builder()
            .data_type("String")
            .string_value("Transactional")
            .build()?;
        self.client
            .publish()
            .phone_number(to.as_str())
            .message(body)
            .message_attributes("AWS.SNS.SMS.SMSType", kind)
            .send()
            .await
            .context("SNS Publish")?;
        Ok(())
    }
}

/// Mail through Amazon SES v2 `SendEmail`, from a verified sender.
pub struct SesMail {
    client: aws_sdk_sesv2::Client,
    from: String,
}

impl SesMail {
    /// Wraps a client built once per process and the verified sender address.
    pub fn new(client: aws_sdk_sesv2::Client, from: impl Into<String>) -> Self {
        SesMail {
            client,
            from: from.into(),
        }
    }
}

#[async_trait]
impl Mail for SesMail {
    async fn send_mail(&self, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};
        let text = |s: &str| Content::builder().data(s).charset("UTF-8").build();
        let message = Message::builder()
            .subject(text(subject)?)
            .body(Body::builder().text(text(body)?).build())
            .build();
        self.client
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(to).build())
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await
            .context("SES SendEmail")?;
        Ok(())
    }
}
