//! Invoice documents: the A4 GST invoice PDF (see `pdf`), stored through
//! the files port and handed out by a short-lived link, with a UPI QR code
//! (`upi://pay?pa=…&pn=…&am=…&cu=INR&tn=<invoice number>`, NPCI's UPI
//! deep-link format) when the business has a UPI ID.

use crate::app::Hisaab;
use crate::error::{Error, Result};
use crate::identity::Actor;
use crate::ledger::customers::Customer;
use crate::ledger::invoices::{Invoice, Supply};
use crate::ledger::settings::Settings;
use crate::money::{Currency, amount_in_words_inr, decimal_amount, format_amount};
use crate::pdf::{DocLine, InvoiceDoc, Party, render_invoice};
use crate::validate::gst_state_name;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long a document link works: 15 minutes, in seconds.
pub const LINK_SECS: i64 = 15 * 60;

/// A short-lived link to a document.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct DocumentLink {
    /// GET this URL (no authorisation header) before `expires_at`.
    pub url: String,
    /// When the link stops working (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: Timestamp,
    /// `application/pdf`.
    pub content_type: String,
}

/// What a UPI link parameter keeps as is: RFC 3986's unreserved
/// characters and `@` (VPAs are written plainly in UPI links).
const UPI_KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// Percent-encodes a UPI link parameter.
pub(crate) fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, UPI_KEEP).to_string()
}

/// The UPI payment link of an invoice's balance, when the business has a
/// UPI ID, keeps its books in INR, and something is left to pay.
pub fn upi_link(settings: &Settings, payee: &str, inv: &Invoice) -> Option<String> {
    let vpa = settings.upi_vpa.as_deref()?;
    let number = inv.number.as_deref()?;
    if settings.currency != "INR" || inv.balance_due <= 0 || inv.is_cancelled() {
        return None;
    }
    Some(format!(
        "upi://pay?pa={}&pn={}&am={}&cu=INR&tn={}",
        enc(vpa),
        enc(payee),
        decimal_amount(inv.balance_due, settings.currency()),
        enc(number)
    ))
}

fn date(d: jiff::civil::Date) -> String {
    d.strftime("%d %b %Y").to_string()
}

fn rate(bp: i64) -> String {
    let whole = bp / 100;
    match bp % 100 {
        0 => format!("{whole}%"),
        r if r % 10 == 0 => format!("{whole}.{}%", r / 10),
        r => format!("{whole}.{r:02}%"),
    }
}

/// Everything printed on an invoice, formatted.
pub fn invoice_doc(
    inv: &Invoice,
    settings: &Settings,
    business_name: &str,
    customer: &Customer,
) -> InvoiceDoc {
    let cur: Currency = settings.currency();
    let m = |v: i64| format_amount(v, cur);
    let seller_name = settings
        .legal_name
        .clone()
        .unwrap_or_else(|| business_name.to_string());
    let mut totals = vec![
        ("Subtotal".to_string(), m(inv.subtotal)),
        ("Discount".to_string(), m(-inv.discount_total)),
        ("Taxable value".to_string(), m(inv.taxable_total)),
    ];
    match inv.supply {
        Supply::IntraState => {
            totals.push(("CGST".into(), m(inv.cgst_total)));
            totals.push(("SGST".into(), m(inv.sgst_total)));
        }
        Supply::InterState => totals.push(("IGST".into(), m(inv.igst_total))),
    }
    totals.push((format!("Invoice total ({})", cur.code), m(inv.total)));
    if let Some(p) = inv.previous_balance {
        totals.push(("Previous balance".into(), m(p)));
    }
    totals.push(("Amount paid".into(), m(inv.amount_paid)));
    totals.push(("Balance due".into(), m(inv.balance_due)));
    InvoiceDoc {
        title: if inv.is_issued() {
            "TAX INVOICE".into()
        } else {
            "DRAFT INVOICE".into()
        },
        number: inv.number.clone().unwrap_or_else(|| "DRAFT".into()),
        invoice_date: date(inv.invoice_date),
        due_date: date(inv.due_date),
        status: inv.status.as_str().replace('_', " "),
        seller: Party {
            name: seller_name.clone(),
            address: settings.address.clone(),
            gstin: settings.gstin.clone(),
            phone: settings.phone.clone(),
            email: settings.email.clone(),
        },
        buyer: Party {
            name: customer.name.clone(),
            address: customer.address.clone(),
            gstin: customer.gstin.clone(),
            phone: customer.phone.clone(),
            email: customer.email.clone(),
        },
        place_of_supply: inv
            .place_of_supply
            .as_deref()
            .map(|c| format!("{c} - {}", gst_state_name(c).unwrap_or("?"))),
        currency: cur.code.to_string(),
        lines: inv
            .lines
            .iter()
            .map(|l| DocLine {
                description: l.description.clone(),
                hsn_sac: l.hsn_sac.clone().unwrap_or_default(),
                quantity: l.quantity.to_string(),
                unit: l.unit.clone(),
                rate: m(l.unit_price),
                discount: m(l.discount),
                taxable: m(l.taxable),
                tax_rate: rate(l.tax_rate_bp),
                tax: m(l.tax),
                total: m(l.total),
            })
            .collect(),
        totals,
        amount_in_words: (cur.code == "INR")
            .then(|| amount_in_words_inr(inv.total))
            .flatten(),
        notes: inv.notes.clone(),
        upi_link: upi_link(settings, &seller_name, inv),
        upi_caption: settings.upi_vpa.as_ref().map(|v| format!("UPI ID: {v}")),
        footer: "Computer-generated invoice. Generated by Hisaab.".into(),
    }
}

impl Hisaab {
    /// `GET /v1/invoices/{invoice_id}/pdf`: renders the invoice as it is
    /// today (once per version and day; later calls reuse the stored file)
    /// and returns a link that works for 15 minutes.
    pub async fn invoice_pdf(&self, actor: &Actor, invoice_id: &str) -> Result<DocumentLink> {
        let bid = actor.business_id()?;
        let inv = self.invoice_detail(bid, invoice_id).await?.invoice;
        self.pdf_link(inv).await
    }

    /// The PDF of an invoice read by the caller (rendered once per
    /// version and day) and a link to it that works for 15 minutes.
    pub(crate) async fn pdf_link(&self, inv: Invoice) -> Result<DocumentLink> {
        let bid = inv.business_id.clone();
        let settings = self.business_settings(&bid).await?;
        let today = settings.today(self.clock.now());
        let key = format!("invoices/{bid}/{}/v{}-{today}.pdf", inv.id, inv.version);
        let exists = self.files.exists(&key).await.map_err(Error::Internal)?;
        if !exists {
            let business = self.business(&bid).await?;
            let customer = self.customer_of(&bid, &inv.customer_id).await?;
            let bytes = render_invoice(&invoice_doc(&inv, &settings, &business.name, &customer));
            self.files
                .put(&key, "application/pdf", bytes)
                .await
                .map_err(Error::Internal)?;
        }
        let now = self.now_secs();
        let expires_at = now + LINK_SECS;
        Ok(DocumentLink {
            url: self
                .files
                .link(&key, now, expires_at)
                .await
                .map_err(Error::Internal)?,
            expires_at: Timestamp::from_second(expires_at)
                .map_err(|e| Error::Internal(e.into()))?,
            content_type: "application/pdf".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::rate;

    #[test]
    fn rates_print_as_percentages() {
        assert_eq!(rate(1800), "18%");
        assert_eq!(rate(250), "2.5%");
        assert_eq!(rate(25), "0.25%");
        assert_eq!(rate(0), "0%");
    }
}
