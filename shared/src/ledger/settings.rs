//! Business settings: currency, default tax rate, invoice numbering,
//! payment terms, UPI ID, time zone, and the business details printed on
//! invoices. One item per business, `BIZ#<bid>`/`SETTINGS`, that also
//! holds the invoice-number counter (see `invoices`).

use crate::app::{Hisaab, from_item, to_item};
use crate::error::{Error, Errors, Result};
use crate::identity::{Actor, Business};
use crate::keys;
use crate::money::{self, Currency};
use crate::table::{Cond, Write};
use crate::validate::present;
use crate::validate::{self, Phone};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Largest tax rate accepted, in basis points (100 %).
pub const MAX_TAX_RATE_BP: i64 = 10_000;
/// Longest invoice number: 16 characters (CGST Rules, rule 46(b)).
pub const MAX_INVOICE_NUMBER_LEN: usize = 16;
/// Digits the sequence number of an invoice number is padded to (`INV-0042`).
pub const INVOICE_NUMBER_DIGITS: usize = 4;

/// A business's settings as stored and shown.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Settings {
    /// The business.
    pub business_id: String,
    /// ISO 4217 code; every amount of the business is in its minor unit
    /// (paise for `INR`). Default `INR`.
    #[serde(default = "default_currency")]
    pub currency: String,
    /// Tax rate of new products and free invoice lines, in basis points
    /// (1800 = 18 % GST). Default 0.
    #[serde(default)]
    pub default_tax_rate_bp: i64,
    /// Put before the sequence number of invoice numbers (`INV-` gives
    /// `INV-0001`); letters, digits, `-` and `/`, at most 10. Default `INV-`.
    #[serde(default = "default_prefix")]
    pub invoice_prefix: String,
    /// The sequence number the next issued invoice gets. Numbers are never
    /// reused: a number taken before is skipped.
    #[serde(default = "one")]
    pub next_invoice_number: i64,
    /// Days from the invoice date to the due date when an invoice gives
    /// none (0–365). Default 15.
    #[serde(default = "default_terms")]
    pub payment_terms_days: i64,
    /// UPI ID (VPA) customers pay to; invoice PDFs carry a UPI QR code when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upi_vpa: Option<String>,
    /// IANA time zone of the business's civil dates. Default `Asia/Kolkata`.
    #[serde(default = "default_tz")]
    pub time_zone: String,
    /// Legal name printed on invoices (the business name when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_name: Option<String>,
    /// Address printed on invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The business's GSTIN (checksum verified); its state code decides
    /// between CGST+SGST and IGST.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gstin: Option<String>,
    /// Phone printed on invoices (E.164).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Email printed on invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Last changed (RFC 3339, UTC); absent while the defaults apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub updated_at: Option<Timestamp>,
    /// Payment reminders and the daily digest.
    #[serde(default)]
    pub reminders: crate::ledger::reminder_policy::ReminderPolicy,
    /// What a sale beyond stock on hand does: `allow`, `warn` (default)
    /// or `refuse` (see [`crate::ledger::stock`]).
    #[serde(default)]
    pub negative_stock: crate::ledger::stock::NegativeStock,
    /// Version; 0 while the defaults apply. Send it back in `PATCH`.
    #[serde(default)]
    pub version: i64,
}

fn default_currency() -> String {
    "INR".into()
}
fn default_prefix() -> String {
    "INV-".into()
}
fn one() -> i64 {
    1
}
fn default_terms() -> i64 {
    15
}
fn default_tz() -> String {
    "Asia/Kolkata".into()
}

impl Settings {
    /// The defaults of a business that never saved its settings.
    pub fn defaults(business_id: &str) -> Settings {
        Settings {
            business_id: business_id.into(),
            currency: default_currency(),
            default_tax_rate_bp: 0,
            invoice_prefix: default_prefix(),
            next_invoice_number: 1,
            payment_terms_days: default_terms(),
            upi_vpa: None,
            time_zone: default_tz(),
            legal_name: None,
            address: None,
            gstin: None,
            phone: None,
            email: None,
            updated_at: None,
            reminders: Default::default(),
            negative_stock: Default::default(),
            version: 0,
        }
    }

    /// The currency (INR when the stored code is unknown).
    pub fn currency(&self) -> Currency {
        money::currency(&self.currency).unwrap_or(money::CURRENCIES[0])
    }

    /// Today's civil date in the business's time zone.
    pub fn today(&self, now: Timestamp) -> Date {
        let tz = jiff::tz::TimeZone::get(&self.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        now.to_zoned_datetime(tz).date()
    }

    /// The invoice number of a sequence number: prefix + number padded to
    /// four digits (`INV-0042`).
    pub fn invoice_number(&self, seq: i64) -> String {
        format!(
            "{}{seq:0width$}",
            self.invoice_prefix,
            width = INVOICE_NUMBER_DIGITS
        )
    }

    /// The GST state code of the business (from its GSTIN).
    pub fn state_code(&self) -> Option<&str> {
        self.gstin.as_deref().map(|g| &g[..2])
    }

    /// The write that takes sequence number `next_invoice_number` and moves
    /// the counter on by one, under the version read: a concurrent invoice
    /// or settings change makes the transaction fail, and the caller retries.
    pub(crate) fn take_number_write(&self) -> Result<Write> {
        if self.version == 0 {
            let mut s = self.clone();
            s.next_invoice_number += 1;
            s.version = 1;
            Ok(Write::Put {
                item: to_item("settings", &keys::settings(&self.business_id), &s)?,
                cond: Some(Cond::NotExists),
            })
        } else {
            Ok(Write::Add {
                key: keys::settings(&self.business_id),
                deltas: vec![("next_invoice_number".into(), 1), ("version".into(), 1)],
                attrs: vec![],
                cond: Some(Cond::version(self.version)),
            })
        }
    }
}

/// `PATCH /v1/business/settings`: absent fields stay; `null` clears the
/// optional ones.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    /// ISO 4217 code (INR, USD, EUR, GBP, AED, SAR, SGD, NPR, BDT, LKR, JPY, KWD, BHD, OMR).
    #[serde(default)]
    pub currency: Option<String>,
    /// Basis points, 0–10000.
    #[serde(default)]
    pub default_tax_rate_bp: Option<i64>,
    /// Letters, digits, `-`, `/`; at most 10 characters (may be empty).
    #[serde(default)]
    pub invoice_prefix: Option<String>,
    /// 1–999999999; a number already used is skipped when its turn comes.
    #[serde(default)]
    pub next_invoice_number: Option<i64>,
    /// 0–365 days.
    #[serde(default)]
    pub payment_terms_days: Option<i64>,
    /// UPI ID or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub upi_vpa: Option<Option<String>>,
    /// IANA time zone name such as `Asia/Kolkata`.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Legal name or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub legal_name: Option<Option<String>>,
    /// Address or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    /// GSTIN or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub gstin: Option<Option<String>>,
    /// Phone or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    /// Email or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// The whole reminder policy (replaces the stored one).
    #[serde(default)]
    pub reminders: Option<crate::ledger::reminder_policy::ReminderPolicy>,
    /// `allow`, `warn` or `refuse` sales beyond stock on hand.
    #[serde(default)]
    pub negative_stock: Option<crate::ledger::stock::NegativeStock>,
    /// The version read; when given, settings changed since are a 409.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Checks a tax rate in basis points.
pub(crate) fn tax_rate(errs: &mut Errors, field: &str, bp: i64) -> Option<i64> {
    if (0..=MAX_TAX_RATE_BP).contains(&bp) {
        Some(bp)
    } else {
        errs.push(
            field,
            "out_of_range",
            "a rate in basis points from 0 to 10000 (1800 = 18 %)",
        );
        None
    }
}

impl Hisaab {
    /// The settings of a business (the defaults when never saved).
    pub async fn business_settings(&self, business_id: &str) -> Result<Settings> {
        match self.table.get(&keys::settings(business_id)).await? {
            Some(item) => from_item(item),
            None => Ok(Settings::defaults(business_id)),
        }
    }

    /// The business profile (its trading name).
    pub async fn business(&self, business_id: &str) -> Result<Business> {
        from_item(
            self.table
                .get(&keys::business(business_id))
                .await?
                .ok_or(Error::NotFound("business"))?,
        )
    }

    /// `GET /v1/business/settings` (owner and staff: staff read what the
    /// billing form needs, only the owner changes it).
    pub async fn get_settings(&self, actor: &Actor) -> Result<Settings> {
        let bid = actor.business_id()?;
        self.business_settings(bid).await
    }

    /// `PATCH /v1/business/settings` (owner only): validates every field
    /// (422 naming each bad one) and saves under the version read (409 when
    /// changed meanwhile, for example by an invoice taking a number).
    pub async fn update_settings(&self, actor: &Actor, p: SettingsPatch) -> Result<Settings> {
        let bid = actor.owned_business_id()?;
        let old = self.business_settings(bid).await?;
        if p.version.is_some_and(|v| v != old.version) {
            return Err(Error::stale());
        }
        let mut errs = Errors::default();
        let mut s = old.clone();
        if let Some(c) = &p.currency {
            let c = c.trim().to_uppercase();
            match money::currency(&c) {
                Some(_) => s.currency = c,
                None => errs.push(
                    "currency",
                    "unsupported_currency",
                    "an ISO 4217 code this platform supports, such as INR",
                ),
            }
        }
        if let Some(r) = p.default_tax_rate_bp {
            s.default_tax_rate_bp = tax_rate(&mut errs, "default_tax_rate_bp", r).unwrap_or(0);
        }
        if let Some(prefix) = &p.invoice_prefix {
            let t = prefix.trim();
            if t.len() > 10
                || !t
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'/'))
            {
                errs.push(
                    "invoice_prefix",
                    "invalid_prefix",
                    "at most 10 letters, digits, '-' or '/' (GST invoice numbers allow no others)",
                );
            } else {
                s.invoice_prefix = t.to_uppercase();
            }
        }
        if let Some(n) = p.next_invoice_number {
            if (1..=999_999_999).contains(&n) {
                s.next_invoice_number = n;
            } else {
                errs.push(
                    "next_invoice_number",
                    "out_of_range",
                    "a number from 1 to 999999999",
                );
            }
        }
        if s.invoice_number(s.next_invoice_number).len() > MAX_INVOICE_NUMBER_LEN {
            errs.push(
                "invoice_prefix",
                "number_too_long",
                "prefix and number together must fit in 16 characters (CGST rule 46)",
            );
        }
        if let Some(d) = p.payment_terms_days {
            if (0..=365).contains(&d) {
                s.payment_terms_days = d;
            } else {
                errs.push("payment_terms_days", "out_of_range", "0 to 365 days");
            }
        }
        if let Some(v) = p.upi_vpa {
            s.upi_vpa = v.and_then(|v| errs.check(validate::upi_vpa("upi_vpa", &v)));
        }
        if let Some(tz) = &p.time_zone {
            match jiff::tz::TimeZone::get(tz.trim()) {
                Ok(_) => s.time_zone = tz.trim().to_string(),
                Err(_) => errs.push(
                    "time_zone",
                    "invalid_time_zone",
                    "an IANA time zone such as Asia/Kolkata",
                ),
            }
        }
        if let Some(v) = p.legal_name {
            s.legal_name = v.and_then(|v| errs.check(validate::text("legal_name", &v, 120)));
        }
        if let Some(v) = p.address {
            s.address = v.and_then(|v| errs.check(validate::text("address", &v, 500)));
        }
        if let Some(v) = p.gstin {
            s.gstin = v.and_then(|v| errs.check(validate::gstin("gstin", &v)));
        }
        if let Some(v) = p.phone {
            s.phone = v.and_then(|v| errs.check(Phone::parse("phone", &v)).map(|p| p.to_string()));
        }
        if let Some(v) = p.email {
            s.email = v.and_then(|v| errs.check(validate::email("email", &v)));
        }
        if let Some(r) = p.reminders {
            r.check(&mut errs);
            s.reminders = r;
        }
        if let Some(n) = p.negative_stock {
            s.negative_stock = n;
        }
        errs.finish()?;
        s.version = old.version + 1;
        s.updated_at = Some(self.clock.now());
        let cond = if old.version == 0 {
            Cond::NotExists
        } else {
            Cond::version(old.version)
        };
        self.table
            .put(to_item("settings", &keys::settings(bid), &s)?, Some(cond))
            .await?;
        Ok(s)
    }
}
