//! The notification engine: payment reminders on a schedule, invoices sent
//! to their customers, the owner's daily digest, and the log of every
//! message sent.
//!
//! - [`policy`] (in the ledger, as part of the settings and invoices): the
//!   reminder policy and the stage schedule it gives an invoice;
//! - [`templates`]: the business's message templates (MiniJinja, sandboxed)
//!   and their defaults in English and Hindi;
//! - [`job`]: the reminders job (`hisaab jobs run reminders`, the
//!   scheduled Lambda `job_reminders`, and `hisaab serve` every 15 minutes);
//! - [`share`]: sending an invoice now, the invoice's public PDF link and
//!   the customer's opt-out link;
//! - [`digest`]: the daily digest of each business's owner.
//!
//! ## The reminder index
//! An invoice that can get a reminder (issued, not cancelled, not paid,
//! not disputed) carries GSI4 keys `REMIND#<shard>` /
//! `<epoch seconds of its next stage>#<invoice_id>`; any other invoice has
//! none (a sparse index). A run queries each shard for the keys up to now:
//! no Scan, and the work of a run is exactly what is due.
//!
//! ## Never twice: at most once
//! A stage is recorded on the invoice (its `reminder.last_stage`, with the
//! next stage's time) in one conditional transaction, under the version
//! read, together with the notification log entry in state `sending`,
//! **before** the message is sent; the entry then becomes `sent` or
//! `failed`. Two overlapping runs, or a retried invocation, race for that
//! write and only one wins. A crash between the write and the send loses
//! that one reminder (its log entry stays `sending`), and the next stage
//! follows as planned. We chose at most once over at least once because a
//! duplicated payment demand costs the business its customer's goodwill
//! and an SMS fee, while a missed stage is followed by the next one.

pub mod digest;
pub mod job;
pub mod share;
pub mod templates;

pub use crate::ledger::reminder_policy::{self as policy, ReminderState};

use crate::app::{Hisaab, from_item, to_item};
use crate::error::{Error, Result};
use crate::identity::Actor;
use crate::ids::new_id;
use crate::keys;
use crate::paging::{Page, page_limit};
use crate::table::{Cond, Item, Query, Write};
use crate::validate::Phone;
use jiff::Timestamp;
use policy::{Channel, Language};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use templates::{TemplateKind, TemplateText};
use utoipa::{IntoParams, ToSchema};

/// Attempts of one SNS or SES call within a run before it is recorded as
/// failed.
pub const SEND_ATTEMPTS: u32 = 3;
/// Backoff before the second attempt (doubled before each further one,
/// plus up to as much again of jitter).
const BACKOFF_MS: u64 = 100;

/// Why a notification was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A scheduled payment reminder.
    Reminder,
    /// An invoice sent by a user.
    Share,
    /// The owner's daily digest.
    Digest,
}

/// Where a notification stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationStatus {
    /// Recorded, being sent (stays so when the sender stopped midway:
    /// see the module docs, at most once).
    Sending,
    /// Accepted by SNS or SES (locally: written to the outbox).
    Sent,
    /// Refused after every attempt; `error` says why.
    Failed,
}

/// One message sent (or tried) by the notification engine.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Notification {
    /// `ntf_<ULID>`.
    pub id: String,
    /// The business.
    pub business_id: String,
    /// Reminder, share or digest.
    pub kind: NotificationKind,
    /// The invoice, for reminders and shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
    /// The invoice's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_number: Option<String>,
    /// The customer, for reminders and shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// The reminder stage (days relative to the due date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<i64>,
    /// SMS or mail.
    pub channel: Channel,
    /// E.164 phone or mail address.
    pub to: String,
    /// Mail subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The text sent.
    pub body: String,
    /// Sending, sent or failed.
    pub status: NotificationStatus,
    /// Calls made to SNS or SES.
    pub attempts: u32,
    /// The last error, when failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Who asked (`system` for the schedule).
    pub by: String,
    /// Recorded (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Last changed (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl Notification {
    /// Its key: in the invoice's partition when it has one.
    pub(crate) fn key(&self) -> crate::table::Key {
        match &self.invoice_id {
            Some(iid) => keys::invoice_notification(&self.business_id, iid, &self.id),
            None => keys::business_notification(&self.business_id, &self.id),
        }
    }

    /// Its item: in the invoice's partition when it has one, with the
    /// business list (GSI1) and the customer's (GSI2).
    pub(crate) fn item(&self) -> Result<Item> {
        let mut item = to_item("notification", &self.key(), self)?;
        // How the invoice's history shows it (read there as it is stored).
        item.insert(
            "event".into(),
            serde_json::to_value(self.as_event()).map_err(|e| Error::Internal(e.into()))?,
        );
        keys::notifications(&self.business_id)
            .at(self.id.clone())
            .set_on(&mut item);
        if let Some(cid) = &self.customer_id {
            keys::customer_notifications(&self.business_id, cid)
                .at(self.id.clone())
                .set_on(&mut item);
        }
        Ok(item)
    }

    /// The invoice history entry it shows as.
    pub(crate) fn as_event(&self) -> crate::ledger::invoices::InvoiceEvent {
        let what = match self.kind {
            NotificationKind::Reminder => format!(
                "reminder ({})",
                policy::stage_label(self.stage.unwrap_or_default())
            ),
            NotificationKind::Share => "invoice sent".into(),
            NotificationKind::Digest => "digest".into(),
        };
        let result = match self.status {
            NotificationStatus::Sending => "sending".to_string(),
            NotificationStatus::Sent => "sent".into(),
            NotificationStatus::Failed => {
                format!("failed: {}", self.error.as_deref().unwrap_or("refused"))
            }
        };
        crate::ledger::invoices::InvoiceEvent {
            id: self.id.clone(),
            at: self.created_at,
            by: self.by.clone(),
            action: format!("notification_{}", self.status_str()),
            detail: format!(
                "{what} by {} to {}: {result}",
                match self.channel {
                    Channel::Sms => "SMS",
                    Channel::Mail => "mail",
                },
                self.to
            ),
        }
    }

    fn status_str(&self) -> &'static str {
        match self.status {
            NotificationStatus::Sending => "sending",
            NotificationStatus::Sent => "sent",
            NotificationStatus::Failed => "failed",
        }
    }
}

/// A message ready to send: where, and the rendered text.
#[derive(Clone, Debug)]
pub(crate) struct Message {
    pub channel: Channel,
    pub to: String,
    pub subject: Option<String>,
    pub body: String,
}

impl Message {
    /// The message of template `t` rendered with `ctx` (a 422 naming the
    /// subject or body and the line when a stored template fails).
    pub(crate) fn render(
        channel: Channel,
        to: String,
        t: &TemplateText,
        ctx: &serde_json::Value,
    ) -> Result<Message> {
        Ok(Message {
            channel,
            to,
            subject: t
                .subject
                .as_deref()
                .map(|s| templates::render("subject", s, ctx))
                .transpose()?,
            body: templates::render("body", &t.body, ctx)?,
        })
    }
}

/// The result of sending one message with retries.
pub(crate) struct Outcome {
    pub attempts: u32,
    pub error: Option<String>,
    /// The address or number is refused for good (SNS `InvalidParameter`,
    /// SES `MessageRejected`): the contact is marked so reminders stop.
    pub permanent: bool,
}

/// Whether an SNS or SES error says the address itself is refused.
fn is_permanent(e: &anyhow::Error) -> bool {
    let text = format!("{e:?}");
    [
        "InvalidParameter",
        "MessageRejected",
        "MailFromDomainNotVerified",
        "undeliverable",
    ]
    .iter()
    .any(|m| text.contains(m))
}

/// `GET /v1/notifications` filters.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationFilter {
    /// Only this invoice's.
    #[serde(default)]
    pub invoice_id: Option<String>,
    /// Only this customer's.
    #[serde(default)]
    pub customer_id: Option<String>,
    /// Page size, 1–100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// A business's template of one kind and channel, as it applies.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TemplateView {
    /// Reminder, share or digest.
    pub kind: TemplateKind,
    /// SMS or mail.
    pub channel: Channel,
    /// `true` when the business saved its own; otherwise the default in
    /// the policy's language applies.
    pub custom: bool,
    /// The template.
    #[serde(flatten)]
    pub text: TemplateText,
    /// The variables it may use: name → what it holds.
    pub variables: std::collections::BTreeMap<String, String>,
}

/// `POST /v1/business/templates/preview`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    /// Reminder, share or digest.
    pub kind: TemplateKind,
    /// SMS or mail.
    pub channel: Channel,
    /// The template to try; the one that applies when absent.
    #[serde(default)]
    pub body: Option<String>,
    /// Mail subject to try.
    #[serde(default)]
    pub subject: Option<String>,
}

/// A template rendered with a sample invoice.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Preview {
    /// The subject as sent (mail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The text as sent.
    pub body: String,
    /// SMS only: its encoding, length and segments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms: Option<templates::Segments>,
    /// The sample values used.
    pub sample: serde_json::Value,
}

/// A stored template of a business.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct StoredTemplate {
    business_id: String,
    kind: TemplateKind,
    channel: Channel,
    #[serde(flatten)]
    text: TemplateText,
    updated_by: String,
    updated_at: Timestamp,
}

impl Hisaab {
    /// Sends one message, retrying a failed call up to
    /// [`SEND_ATTEMPTS`] times with jittered exponential backoff.
    pub(crate) async fn deliver(&self, m: &Message) -> Outcome {
        let mut last = None;
        for attempt in 1..=SEND_ATTEMPTS {
            let r = match m.channel {
                Channel::Sms => match Phone::parse("phone", &m.to) {
                    Ok(p) => self.sms.send_sms(&p, &m.body).await,
                    Err(_) => Err(anyhow::anyhow!("InvalidParameter: not an E.164 number")),
                },
                Channel::Mail => {
                    self.mail
                        .send_mail(&m.to, m.subject.as_deref().unwrap_or(""), &m.body)
                        .await
                }
            };
            match r {
                Ok(()) => {
                    return Outcome {
                        attempts: attempt,
                        error: None,
                        permanent: false,
                    };
                }
                Err(e) if is_permanent(&e) => {
                    return Outcome {
                        attempts: attempt,
                        error: Some(format!("{e:#}")),
                        permanent: true,
                    };
                }
                Err(e) => {
                    tracing::warn!(error = %e, attempt, channel = m.channel.as_str(), "send failed");
                    last = Some(format!("{e:#}"));
                    if attempt < SEND_ATTEMPTS {
                        let base = BACKOFF_MS << (attempt - 1);
                        let jitter = rand::random::<u64>() % (base + 1);
                        tokio::time::sleep(Duration::from_millis(base + jitter)).await;
                    }
                }
            }
        }
        Outcome {
            attempts: SEND_ATTEMPTS,
            error: last,
            permanent: false,
        }
    }

    /// A notification of `m`, in state `sending`.
    pub(crate) fn notification(
        &self,
        business_id: &str,
        kind: NotificationKind,
        m: &Message,
        by: &str,
    ) -> Notification {
        let now = self.clock.now();
        Notification {
            id: new_id("ntf"),
            business_id: business_id.to_string(),
            kind,
            invoice_id: None,
            invoice_number: None,
            customer_id: None,
            stage: None,
            channel: m.channel,
            to: m.to.clone(),
            subject: m.subject.clone(),
            body: m.body.clone(),
            status: NotificationStatus::Sending,
            attempts: 0,
            error: None,
            by: by.to_string(),
            created_at: now,
            updated_at: now,
        }
    }

    /// Sends the messages of notifications already recorded as `sending`
    /// and records each result; a contact refused for good is marked on
    /// the customer. Returns the notifications as they ended.
    pub(crate) async fn send_recorded(
        &self,
        sent: Vec<(Notification, Message)>,
    ) -> Vec<Notification> {
        let mut done = vec![];
        for (mut n, m) in sent {
            let out = self.deliver(&m).await;
            n.attempts = out.attempts;
            n.updated_at = self.clock.now();
            if out.error.is_none() {
                n.status = NotificationStatus::Sent;
            } else {
                n.status = NotificationStatus::Failed;
                n.error = out.error;
            }
            if out.permanent
                && let Some(cid) = &n.customer_id
                && let Err(e) = self
                    .mark_undeliverable(&n.business_id, cid, n.channel, &n.to)
                    .await
            {
                tracing::warn!(error = %e, "contact not marked undeliverable");
            }
            let saved: Result<()> =
                async { Ok(self.table.put(n.item()?, Some(Cond::Exists)).await?) }.await;
            if let Err(e) = saved {
                tracing::error!(error = %e, id = %n.id, "notification result not recorded");
            }
            done.push(n);
        }
        done
    }

    /// Marks a customer's phone or address as refused for good, so that
    /// reminders stop using it (cleared when the contact changes).
    async fn mark_undeliverable(
        &self,
        bid: &str,
        cid: &str,
        channel: Channel,
        to: &str,
    ) -> Result<()> {
        self.retrying(|| async {
            let old = self.customer_of(bid, cid).await?;
            let same = match channel {
                Channel::Sms => old.phone.as_deref() == Some(to),
                Channel::Mail => old.email.as_deref() == Some(to),
            };
            if !same {
                return Ok(Some(()));
            }
            let mut c = old.clone();
            match channel {
                Channel::Sms => c.sms_undeliverable = true,
                Channel::Mail => c.mail_undeliverable = true,
            }
            c.version += 1;
            let w = Write::Put {
                item: crate::ledger::customers::customer_item(&c)?,
                cond: Some(Cond::version(old.version)),
            };
            self.commit(vec![w], ()).await
        })
        .await
    }

    /// The template of a business that applies to `kind` and `channel`:
    /// its own, else the default in `lang`.
    pub(crate) async fn template_of(
        &self,
        bid: &str,
        kind: TemplateKind,
        channel: Channel,
        lang: Language,
    ) -> Result<(TemplateText, bool)> {
        let key = keys::template(bid, kind.as_str(), channel.as_str());
        Ok(match self.get_as::<StoredTemplate>(&key).await? {
            Some(t) => (t.text, true),
            None => (templates::default_template(kind, channel, lang), false),
        })
    }

    fn view(
        kind: TemplateKind,
        channel: Channel,
        text: TemplateText,
        custom: bool,
    ) -> TemplateView {
        TemplateView {
            kind,
            channel,
            custom,
            text,
            variables: templates::variables(kind)
                .iter()
                .map(|(n, d)| (n.to_string(), d.to_string()))
                .collect(),
        }
    }

    /// The sample values of `kind` for the business of settings `s`: its
    /// name and UPI ID.
    async fn sample_of(
        &self,
        s: &crate::ledger::settings::Settings,
        kind: TemplateKind,
    ) -> Result<serde_json::Value> {
        let name = self.business(&s.business_id).await?.name;
        Ok(templates::sample(
            kind,
            &name,
            s.upi_vpa.as_deref(),
            &self.config.app_url,
        ))
    }

    /// `GET /v1/business/templates`: every kind and channel, the business's
    /// own or the default in its policy's language (owner and staff).
    pub async fn list_templates(&self, actor: &Actor) -> Result<Vec<TemplateView>> {
        let bid = actor.business_id()?;
        let lang = self.business_settings(bid).await?.reminders.language;
        let (p, prefix) = keys::templates(bid);
        let stored: Vec<StoredTemplate> = self
            .query_items(Query::on(p).begins_with(prefix))
            .await?
            .into_iter()
            .map(from_item)
            .collect::<Result<_>>()?;
        let mut out = vec![];
        for kind in TemplateKind::ALL {
            for channel in [Channel::Sms, Channel::Mail] {
                let own = stored
                    .iter()
                    .find(|t| t.kind == kind && t.channel == channel);
                out.push(match own {
                    Some(t) => Self::view(kind, channel, t.text.clone(), true),
                    None => Self::view(
                        kind,
                        channel,
                        templates::default_template(kind, channel, lang),
                        false,
                    ),
                });
            }
        }
        Ok(out)
    }

    /// `PUT /v1/business/templates/{kind}/{channel}` (owner only): checks
    /// the template (422 naming the line of a syntax error or unknown
    /// variable; an SMS that renders to more than three segments) and
    /// saves it.
    pub async fn put_template(
        &self,
        actor: &Actor,
        kind: &str,
        channel: &str,
        text: TemplateText,
    ) -> Result<TemplateView> {
        let bid = actor.owned_business_id()?;
        let kind = TemplateKind::parse(kind)?;
        let channel = templates::parse_channel(channel)?;
        let settings = self.business_settings(bid).await?;
        let sample = self.sample_of(&settings, kind).await?;
        templates::check(kind, channel, &text, &sample)?;
        let t = StoredTemplate {
            business_id: bid.to_string(),
            kind,
            channel,
            text: text.clone(),
            updated_by: actor.user.id.clone(),
            updated_at: self.clock.now(),
        };
        let key = keys::template(bid, kind.as_str(), channel.as_str());
        self.table.put(to_item("template", &key, &t)?, None).await?;
        Ok(Self::view(kind, channel, text, true))
    }

    /// `DELETE /v1/business/templates/{kind}/{channel}` (owner only): back
    /// to the default.
    pub async fn delete_template(
        &self,
        actor: &Actor,
        kind: &str,
        channel: &str,
    ) -> Result<TemplateView> {
        let bid = actor.owned_business_id()?;
        let kind = TemplateKind::parse(kind)?;
        let channel = templates::parse_channel(channel)?;
        self.table
            .delete(&keys::template(bid, kind.as_str(), channel.as_str()), None)
            .await?;
        let lang = self.business_settings(bid).await?.reminders.language;
        Ok(Self::view(
            kind,
            channel,
            templates::default_template(kind, channel, lang),
            false,
        ))
    }

    /// `POST /v1/business/templates/preview`: renders a template (the one
    /// given, else the one that applies) with a sample invoice; the same
    /// checks as saving.
    pub async fn preview_template(&self, actor: &Actor, r: PreviewRequest) -> Result<Preview> {
        let bid = actor.business_id()?;
        let settings = self.business_settings(bid).await?;
        let text = match r.body {
            Some(body) => TemplateText {
                subject: r.subject,
                body,
            },
            None => {
                self.template_of(bid, r.kind, r.channel, settings.reminders.language)
                    .await?
                    .0
            }
        };
        let sample = self.sample_of(&settings, r.kind).await?;
        let (subject, body) = templates::check(r.kind, r.channel, &text, &sample)?;
        Ok(Preview {
            subject,
            sms: (r.channel == Channel::Sms).then(|| templates::segments(&body)),
            body,
            sample,
        })
    }

    /// `GET /v1/notifications`: the business's notification log, newest
    /// first; one invoice's or one customer's (owner and staff).
    pub async fn list_notifications(
        &self,
        actor: &Actor,
        f: NotificationFilter,
    ) -> Result<Page<Notification>> {
        let bid = actor.business_id()?;
        let limit = page_limit(f.limit, 50, 100)?;
        let (query, binding) = match (&f.invoice_id, &f.customer_id) {
            (Some(iid), _) => (
                Query::on(keys::invoice_partition(bid, iid)).begins_with("NTF#"),
                format!("notifications|inv|{iid}"),
            ),
            (None, Some(cid)) => (
                Query::on(keys::customer_notifications(bid, cid)),
                format!("notifications|cus|{cid}"),
            ),
            (None, None) => (
                Query::on(keys::notifications(bid)),
                "notifications".to_string(),
            ),
        };
        let keep_customer = f.customer_id.clone();
        self.query_page(
            query.descending().limit(limit),
            &binding,
            f.cursor.as_deref(),
            move |n: &Notification| {
                keep_customer
                    .as_ref()
                    .is_none_or(|c| n.customer_id.as_ref() == Some(c))
            },
        )
        .await
    }
}
