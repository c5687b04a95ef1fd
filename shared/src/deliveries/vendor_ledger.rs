//! What a customer user sees of a vendor's ledger: the invoices billed to
//! their customer records at one business, the invoices' PDFs, and the
//! payments recorded. Read-only; drafts are never shown; an invoice or a
//! customer record that is not the caller's is a 404, like an unknown id.

use crate::app::Hisaab;
use crate::error::{Error, Result};
use crate::identity::Actor;
use crate::ledger::customers::Customer;
use crate::ledger::documents::DocumentLink;
use crate::ledger::invoices::{
    InvoiceDetail, InvoiceFilter, InvoiceStatus, InvoiceSummary, MAX_PAGE,
};
use crate::ledger::payments::{Payment, PaymentFilter};
use crate::paging::Page;
use jiff::civil::Date;
use serde::Deserialize;

/// Filters of `GET /v1/vendors/{business_id}/invoices`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VendorInvoiceFilter {
    /// Page size, 1–100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Which of the caller's customer records at the business (from
    /// `GET /v1/vendors`); needed only when there is more than one.
    #[serde(default)]
    pub customer_id: Option<String>,
    /// Only invoices in this status (`draft` finds nothing).
    #[serde(default)]
    pub status: Option<InvoiceStatus>,
    /// Invoice date on or after (yyyy-mm-dd).
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// Invoice date on or before (yyyy-mm-dd).
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<Date>,
}

/// Filters of `GET /v1/vendors/{business_id}/payments`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VendorPaymentFilter {
    /// Page size, 1–100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Which of the caller's customer records at the business; needed
    /// only when there is more than one.
    #[serde(default)]
    pub customer_id: Option<String>,
}

impl Hisaab {
    /// The one customer record of the caller at `business_id` that a
    /// list is about: the one named, or the only one. 404 when the caller
    /// is not a customer there or names a record that is not theirs; 422
    /// (`customer_id`) when they have several and name none.
    async fn my_record_in(
        &self,
        actor: &Actor,
        business_id: &str,
        customer_id: Option<&str>,
    ) -> Result<Customer> {
        let mut mine = self.my_customers_in(actor, business_id).await?;
        match customer_id {
            Some(id) => mine
                .into_iter()
                .find(|c| c.id == id)
                .ok_or(Error::NotFound("customer")),
            None if mine.len() == 1 => Ok(mine.remove(0)),
            None => Err(Error::field(
                "customer_id",
                "ambiguous",
                "you are a customer of this business more than once; say which record",
            )),
        }
    }

    /// `GET /v1/vendors/{business_id}/invoices` (customer user): the
    /// invoices billed to the caller's record at the business (issued
    /// ones, and cancelled ones that had been issued), newest first,
    /// without drafts (a page may then be shorter
    /// than `limit` with `next_cursor` still set).
    pub async fn vendor_invoices(
        &self,
        actor: &Actor,
        business_id: &str,
        f: VendorInvoiceFilter,
    ) -> Result<Page<InvoiceSummary>> {
        let c = self
            .my_record_in(actor, business_id, f.customer_id.as_deref())
            .await?;
        let filter = InvoiceFilter {
            limit: f.limit,
            cursor: f.cursor,
            customer_id: Some(c.id),
            status: f.status,
            from: f.from,
            to: f.to,
            ..InvoiceFilter::default()
        };
        let mut page = self.list_invoices_of(business_id, filter, MAX_PAGE).await?;
        page.items.retain(|i| i.number.is_some());
        Ok(page)
    }

    /// `GET /v1/vendors/{business_id}/invoices/{invoice_id}` (customer
    /// user): the invoice with its payments and history; 404 for one never
    /// issued (a draft, or a draft cancelled) or another customer's.
    pub async fn vendor_invoice(
        &self,
        actor: &Actor,
        business_id: &str,
        invoice_id: &str,
    ) -> Result<InvoiceDetail> {
        let mine = self.my_customers_in(actor, business_id).await?;
        let detail = self.invoice_detail(business_id, invoice_id).await?;
        let inv = &detail.invoice;
        if inv.number.is_none() || !mine.iter().any(|c| c.id == inv.customer_id) {
            return Err(Error::NotFound("invoice"));
        }
        Ok(detail)
    }

    /// `GET /v1/vendors/{business_id}/invoices/{invoice_id}/pdf` (customer
    /// user): a 15-minute link to the invoice's PDF, the same document the
    /// business sends.
    pub async fn vendor_invoice_pdf(
        &self,
        actor: &Actor,
        business_id: &str,
        invoice_id: &str,
    ) -> Result<DocumentLink> {
        let detail = self.vendor_invoice(actor, business_id, invoice_id).await?;
        self.pdf_link(detail.invoice).await
    }

    /// `GET /v1/vendors/{business_id}/payments` (customer user): the
    /// payments the business recorded from the caller, newest payment
    /// date first (voided ones included, marked).
    pub async fn vendor_payments(
        &self,
        actor: &Actor,
        business_id: &str,
        f: VendorPaymentFilter,
    ) -> Result<Page<Payment>> {
        let c = self
            .my_record_in(actor, business_id, f.customer_id.as_deref())
            .await?;
        let filter = PaymentFilter {
            limit: f.limit,
            cursor: f.cursor,
        };
        self.customer_payments_of(business_id, &c.id, filter).await
    }
}
