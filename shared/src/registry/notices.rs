//! Notices of the registry: the reported company and the reporter hear of
//! every decision about a report — filed (the company), approved (both),
//! rejected (the reporter), disputed (the reporter), a dispute or an edit
//! request decided (both). The company is reached at the phone and mail
//! the reporter gave, else the company's own; the reporter at its owner's.
//! A notice is sent after the change is committed; a failure (after the
//! retries of [`Hisaab::deliver`]) is logged and never undoes the change.

use crate::app::Hisaab;
use crate::money::format_rupees;
use crate::registry::reports::Report;
use crate::reminders::Message;
use crate::reminders::policy::Channel;

/// Who a notice is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Party {
    /// The reported company.
    Company,
    /// The reporting business (its owner).
    Reporter,
}

impl Hisaab {
    /// Where a party of `r` is reached: (channel, address) pairs.
    async fn addresses(&self, r: &Report, party: Party) -> Vec<(Channel, String)> {
        let (phone, email) = match party {
            Party::Company => {
                let c = self.company(&r.company_id).await.ok();
                (
                    r.debtor_phone
                        .clone()
                        .or_else(|| c.as_ref().and_then(|c| c.phone.clone())),
                    r.debtor_email
                        .clone()
                        .or_else(|| c.as_ref().and_then(|c| c.email.clone())),
                )
            }
            Party::Reporter => {
                let owner = match self.business(&r.reporter_business_id).await {
                    Ok(b) => self.user(&b.owner_id).await.ok().flatten(),
                    Err(_) => None,
                };
                (
                    owner.as_ref().map(|u| u.phone.clone()),
                    owner.and_then(|u| u.email),
                )
            }
        };
        let mut out = vec![];
        if let Some(p) = phone {
            out.push((Channel::Sms, p));
        }
        if let Some(m) = email {
            out.push((Channel::Mail, m));
        }
        out
    }

    /// Sends `body` (and `subject` by mail) to a party of report `r`.
    pub(crate) async fn tell(&self, r: &Report, party: Party, subject: &str, body: &str) {
        for (channel, to) in self.addresses(r, party).await {
            let m = Message {
                channel,
                to,
                subject: Some(subject.to_string()),
                body: body.to_string(),
            };
            let out = self.deliver(&m).await;
            if let Some(e) = out.error {
                tracing::warn!(error = %e, report = %r.id, channel = channel.as_str(), "registry notice not sent");
            }
        }
    }

    /// The notices of a decision about report `id`, read back after it
    /// was committed (a failure to read is logged).
    pub(crate) async fn tell_both(&self, id: &str, company: Option<&str>, reporter: Option<&str>) {
        let r = match self.report(id).await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = %e, report = %id, "registry notice not sent");
                return;
            }
        };
        let subject = format!("Hisaab credit registry: report {}", r.id);
        let fill = |t: &str| {
            t.replace("{reporter}", &r.reporter_name)
                .replace("{company}", &r.company_name)
                .replace("{amount}", &format_rupees(r.amount_paise))
                .replace("{id}", &r.id)
        };
        if let Some(t) = company {
            self.tell(&r, Party::Company, &subject, &fill(t)).await;
        }
        if let Some(t) = reporter {
            self.tell(&r, Party::Reporter, &subject, &fill(t)).await;
        }
    }
}
