//! Sending an invoice now, the public links a message carries, and the
//! customer's opt-out.
//!
//! Links are signed, not stored: `<app>/v1/shared/<token>` opens the
//! invoice's PDF and `<app>/stop/<token>` is the web page where the
//! customer stops reminders, where the token is the business's and the
//! invoice's (or customer's) 26-character ULIDs and the first 20 hex
//! digits of an HMAC-SHA256 of them under the signing key (80 bits). They
//! are short enough for an SMS, work without an account, and cannot be
//! made for another invoice. A shared PDF link keeps working while the
//! invoice exists; each opening renders (or reuses) the PDF and redirects
//! to a 15-minute file link.

use super::policy::Channels;
use super::templates::TemplateKind;
use super::{Message, Notification, NotificationKind};
use crate::app::{Hisaab, to_item};
use crate::error::{Error, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::Actor;
use crate::keys;
use crate::ledger::documents::DocumentLink;
use crate::table::{Cond, Write};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Length of a ULID.
const ULID_LEN: usize = 26;
/// Hex digits of the HMAC kept in a link.
const MAC_LEN: usize = 20;
/// Sends of one invoice a day (in the business's time zone).
pub const SENDS_PER_DAY: i64 = 5;
/// Seconds between two sends of one invoice.
pub const SEND_GAP_SECS: i64 = 60;

/// `POST /v1/invoices/{invoice_id}/send`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendRequest {
    /// `sms`, `mail` or `both` (default: the reminder policy's channels).
    #[serde(default)]
    pub channels: Option<Channels>,
}

/// `POST /v1/reminders/opt-out`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptOutRequest {
    /// The token of the link in a reminder (`/stop/<token>`).
    pub token: String,
}

/// What an opt-out link is about, and the answer of an opt-out.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct OptOut {
    /// The business whose reminders the link stops.
    pub business_name: String,
    /// Whether the customer still gets its payment reminders (`false` after
    /// the opt-out; invoices sent by the business still come).
    pub reminders: bool,
}

/// The per-invoice send counter.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Sends {
    day: String,
    count: i64,
    last_at: i64,
    version: i64,
}

impl Hisaab {
    fn link_token(&self, purpose: &str, bid: &str, id: &str) -> String {
        let mac = self.keys.mac_hex(&[purpose, bid, id]);
        let tail = |s: &str| s.split_once('_').map_or(s, |(_, t)| t).to_string();
        format!("{}{}{}", tail(bid), tail(id), &mac[..MAC_LEN])
    }

    /// The (business id, other id) of a token made for `purpose`, or a 404.
    fn read_token(&self, purpose: &str, prefix: &str, token: &str) -> Result<(String, String)> {
        let bad = || Error::NotFound("link");
        if token.len() != 2 * ULID_LEN + MAC_LEN || !token.is_ascii() {
            return Err(bad());
        }
        let bid = format!("biz_{}", &token[..ULID_LEN]);
        let id = format!("{prefix}_{}", &token[ULID_LEN..2 * ULID_LEN]);
        let want = self.link_token(purpose, &bid, &id);
        if !crate::crypto::same(&want, token) {
            return Err(bad());
        }
        Ok((bid, id))
    }

    /// The public link to an invoice's PDF.
    pub fn shared_invoice_url(&self, bid: &str, iid: &str) -> String {
        format!(
            "{}/v1/shared/{}",
            self.config.app_url,
            self.link_token("shared-invoice", bid, iid)
        )
    }

    /// The page where a customer stops a business's reminders.
    pub fn opt_out_url(&self, bid: &str, cid: &str) -> String {
        format!(
            "{}/stop/{}",
            self.config.app_url,
            self.link_token("opt-out", bid, cid)
        )
    }

    /// `GET /v1/shared/{token}`: the invoice's PDF, for anyone holding the
    /// link (404 for a bad token or a draft).
    pub async fn shared_invoice_pdf(&self, token: &str) -> Result<DocumentLink> {
        let (bid, iid) = self.read_token("shared-invoice", "inv", token)?;
        let inv = self
            .invoice_of(&bid, &iid)
            .await
            .map_err(|_| Error::NotFound("link"))?;
        if !inv.is_issued() {
            return Err(Error::NotFound("link"));
        }
        self.pdf_link(inv).await
    }

    /// `GET /v1/reminders/opt-out/{token}`: the business of an opt-out link
    /// and whether its reminders still come, for the page that asks before
    /// stopping them (no account needed; 404 for a bad token).
    pub async fn opt_out_status(&self, token: &str) -> Result<OptOut> {
        let (bid, cid) = self.read_token("opt-out", "cus", token.trim())?;
        let c = self
            .customer_of(&bid, &cid)
            .await
            .map_err(|_| Error::NotFound("link"))?;
        Ok(OptOut {
            business_name: self.business(&bid).await?.name,
            reminders: c.reminders,
        })
    }

    /// `POST /v1/reminders/opt-out`: the customer of the link gets no more
    /// payment reminders from that business (no account needed; the
    /// business sees `reminders: false` on the customer and may not turn
    /// it back on by itself).
    pub async fn opt_out(&self, r: OptOutRequest) -> Result<OptOut> {
        let (bid, cid) = self.read_token("opt-out", "cus", r.token.trim())?;
        self.retrying(|| async {
            let old = self
                .customer_of(&bid, &cid)
                .await
                .map_err(|_| Error::NotFound("link"))?;
            if !old.reminders {
                return Ok(Some(()));
            }
            let mut c = old.clone();
            c.reminders = false;
            c.reminders_opted_out_at = Some(self.clock.now());
            c.version += 1;
            let w = Write::Put {
                item: crate::ledger::customers::customer_item(&c)?,
                cond: Some(Cond::version(old.version)),
            };
            self.commit(vec![w], ()).await
        })
        .await?;
        Ok(OptOut {
            business_name: self.business(&bid).await?.name,
            reminders: false,
        })
    }

    /// `POST /v1/invoices/{invoice_id}/send` (owner and staff): sends the
    /// issued invoice to its customer now, with its PDF link, by the
    /// channels asked (default: the reminder policy's), through the
    /// business's share template. 409 for a draft or a cancelled invoice;
    /// 422 on `channels` when the customer has no usable contact for them;
    /// 429 after [`SENDS_PER_DAY`] sends of the invoice in a day or within
    /// [`SEND_GAP_SECS`] of the last. Returns the notifications with their
    /// results.
    ///
    /// With an idempotency key, a retry sends nothing and returns the
    /// notifications of the first request (`true` in the second value) as
    /// they are stored now: the first answer once its sending finished.
    /// The key is stored in the transaction that records the notifications,
    /// before anything is sent, with the notifications as recorded
    /// (`sending`); a replay reads their results back from the table, so
    /// it never claims more than was recorded.
    pub async fn send_invoice(
        &self,
        actor: &Actor,
        invoice_id: &str,
        r: SendRequest,
        idem: Option<Idempotency>,
    ) -> Result<(Vec<Notification>, bool)> {
        let bid = actor.business_id()?;
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            let recorded: Vec<Notification> = decode_replay(body)?;
            return Ok((self.notifications_now(recorded).await?, true));
        }
        let inv = self.invoice_of(bid, invoice_id).await?;
        if !inv.is_issued() {
            return Err(Error::conflict("a draft cannot be sent: issue it first"));
        }
        if inv.is_cancelled() {
            return Err(Error::conflict("a cancelled invoice is not sent"));
        }
        let settings = self.business_settings(bid).await?;
        let channels = r.channels.unwrap_or(settings.reminders.channels);
        let customer = self.customer_of(bid, &inv.customer_id).await?;
        let policy = super::policy::ReminderPolicy {
            channels,
            ..settings.reminders.clone()
        };
        let to = super::job::recipients(&policy, &customer);
        if to.is_empty() {
            return Err(Error::field(
                "channels",
                "no_contact",
                "the customer has no phone or mail address for these channels (or it was refused)",
            ));
        }
        let now = self.clock.now();
        let sends_key = keys::invoice_sends(bid, invoice_id);
        let old: Option<Sends> = self.get_as(&sends_key).await?;
        let today = settings.today(now).to_string();
        let n = now.as_second();
        let next = match &old {
            Some(s) if s.day == today && s.count >= SENDS_PER_DAY => {
                return Err(Error::RateLimited {
                    retry_after_secs: seconds_to_tomorrow(&settings, now),
                    detail: format!("an invoice is sent at most {SENDS_PER_DAY} times a day"),
                });
            }
            Some(s) if n - s.last_at < SEND_GAP_SECS => {
                return Err(Error::RateLimited {
                    retry_after_secs: (SEND_GAP_SECS - (n - s.last_at)).max(1) as u64,
                    detail: "this invoice was sent a moment ago".into(),
                });
            }
            Some(s) => Sends {
                count: if s.day == today { s.count + 1 } else { 1 },
                day: today,
                last_at: n,
                version: s.version + 1,
            },
            None => Sends {
                day: today,
                count: 1,
                last_at: n,
                version: 1,
            },
        };
        let name = self.business(bid).await?.name;
        let ctx = self.invoice_context(&settings, &name, &customer, &inv, None);
        let mut recorded = vec![];
        let mut writes = vec![Write::Put {
            item: to_item("invoice_sends", &sends_key, &next)?,
            cond: Some(match &old {
                Some(s) => Cond::version(s.version),
                None => Cond::NotExists,
            }),
        }];
        for (channel, address) in to {
            let (t, _) = self
                .template_of(
                    bid,
                    TemplateKind::Share,
                    channel,
                    settings.reminders.language,
                )
                .await?;
            let m = Message::render(channel, address, &t, &ctx)?;
            let mut ntf = self.notification(bid, NotificationKind::Share, &m, &actor.user.id);
            ntf.invoice_id = Some(inv.id.clone());
            ntf.invoice_number = inv.number.clone();
            ntf.customer_id = Some(inv.customer_id.clone());
            writes.push(Write::Put {
                item: ntf.item()?,
                cond: Some(Cond::NotExists),
            });
            recorded.push((ntf, m));
        }
        let first: Vec<Notification> = recorded.iter().map(|(n, _)| n.clone()).collect();
        let busy = |_: Option<usize>| {
            Some(Error::RateLimited {
                retry_after_secs: SEND_GAP_SECS as u64,
                detail: "this invoice is being sent by another request".into(),
            })
        };
        let (first, replayed) = self
            .commit_create(&actor.user.id, idem.as_ref(), writes, first, busy)
            .await?
            .ok_or_else(Error::stale)?;
        if replayed {
            // A concurrent request with the same key recorded first.
            return Ok((self.notifications_now(first).await?, true));
        }
        Ok((self.send_recorded(recorded).await, false))
    }

    /// The notifications as stored now (with their results), each as given
    /// when it is no longer stored.
    async fn notifications_now(&self, recorded: Vec<Notification>) -> Result<Vec<Notification>> {
        let mut out = Vec::with_capacity(recorded.len());
        for n in recorded {
            out.push(self.get_as(&n.key()).await?.unwrap_or(n));
        }
        Ok(out)
    }
}

fn seconds_to_tomorrow(s: &crate::ledger::settings::Settings, now: Timestamp) -> u64 {
    let tz = super::policy::time_zone(&s.time_zone);
    let tomorrow = now
        .to_zoned_datetime(tz.clone())
        .date()
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned_datetime(tz).ok())
        .map_or(3600, |z| z.timestamp().as_second() - now.as_second());
    tomorrow.max(1) as u64
}
