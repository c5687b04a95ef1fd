//! The SMS and mail ports, with their AWS adapters (SNS `Publish` to a phone
//! number; SES v2 `SendEmail`). The local outbox is in [`crate::local`].

use crate::validate::Phone;
use anyhow::Context;
use async_trait::async_trait;

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
