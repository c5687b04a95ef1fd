//! The shared defaulter registry (issue #5): one company per real debtor
//! across all businesses, prefix search over its name, default reports
//! with their review, disputes and edit requests, the credit rating, the
//! wrong-report record of each reporter, and the audit log.
//!
//! Rules:
//! - A company's identity is its GSTIN, else its PAN, else its phone
//!   (E.164). The PAN of a GSTIN is its characters 3–12. A customer links to
//!   the company of the first identifier that is already known, or creates
//!   one, in the customer's own transaction.
//! - A report counts nowhere until an admin approves it. An approved report
//!   is *listed*: a copy without the reporter's identity is kept in the
//!   company's partition, and the company's summary (amount due, overdue
//!   since, reporting creditors) is recomputed from its listings in the same
//!   transaction, under the company's version.
//! - The credit rating is computed on read from the summary and today's
//!   date: see [`rating::rating`] and `docs/registry.md`.
//!
//! The companies themselves, one per debtor, are a layer below the ledger
//! ([`crate::companies`]): a customer links to its company in its own
//! transaction. Here, above the ledger and the deliveries: the rating
//! (`rating`), search and the company page (`search`), listings and the
//! company's summary (`listings`), uploads and documents (`uploads`),
//! reports (`reports`, and `filing` for a new one), the admins' review
//! (`review`), disputes and edit requests (`cases`, `disputes`,
//! `edit_requests`) and each reporter's wrong-report record
//! (`reporters`). This module holds what they share.

pub mod cases;
pub mod disputes;
pub mod edit_requests;
pub mod filing;
pub mod listings;
pub mod notices;
pub mod rating;
pub mod reporters;
pub mod reports;
pub mod review;
pub mod search;
pub mod uploads;

use crate::app::Hisaab;
use crate::error::{Error, Errors, Result};
use crate::identity::{Actor, Business};
use crate::keys;
use crate::validate::{self};
use jiff::civil::Date;

pub(crate) fn opt_note(
    errs: &mut Errors,
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Option<String> {
    raw.filter(|s| !s.trim().is_empty())
        .and_then(|s| errs.check(validate::text(field, s, max)))
}

impl Hisaab {
    /// Today's civil date in India, for ratings and overdue checks of the
    /// registry (which spans businesses).
    pub(crate) fn registry_today(&self) -> Date {
        let tz = jiff::tz::TimeZone::get("Asia/Kolkata").unwrap_or(jiff::tz::TimeZone::UTC);
        self.clock.now().to_zoned_datetime(tz).date()
    }

    /// The wrongly-raised-default count at which a business is disabled.
    pub fn wrong_report_limit(&self) -> i64 {
        self.config.wrong_report_limit
    }

    /// Only business members and admins use the registry.
    pub(crate) fn registry_member(actor: &Actor) -> Result<()> {
        if actor.user.role.is_admin() || actor.business_id().is_ok() {
            Ok(())
        } else {
            Err(Error::Forbidden(
                "the registry is for businesses and admins".into(),
            ))
        }
    }

    pub(crate) async fn business_of(&self, business_id: &str) -> Result<Business> {
        self.get_as(&keys::business(business_id))
            .await?
            .ok_or(Error::NotFound("business"))
    }

    pub(crate) async fn today_of_business(&self, bid: &str) -> Result<Date> {
        Ok(self.business_settings(bid).await?.today(self.clock.now()))
    }
}
