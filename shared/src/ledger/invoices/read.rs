//! Reading invoices: one with its payments and history, and the lists
//! with their filters.

use crate::app::{Hisaab, from_item};
use crate::error::{Error, Errors, Result};
use crate::identity::Actor;
use crate::ids::is_id;
use crate::keys;
use crate::ledger::invoices::{
    AppliedPayment, Invoice, InvoiceDetail, InvoiceFilter, InvoiceStatus, InvoiceSummary,
    date_range,
};
use crate::paging::{Page, page_limit};
use crate::table::Query;

impl Hisaab {
    /// `GET /v1/invoices/{invoice_id}`: the invoice (status as of today),
    /// its payments and history, from one query of its partition. 404 for
    /// ids of other businesses.
    pub async fn get_invoice(&self, actor: &Actor, invoice_id: &str) -> Result<InvoiceDetail> {
        self.invoice_detail(actor.business_id()?, invoice_id).await
    }

    /// The invoice of business `bid` with its payments and history (404
    /// when it has none with that id).
    pub(crate) async fn invoice_detail(
        &self,
        bid: &str,
        invoice_id: &str,
    ) -> Result<InvoiceDetail> {
        if !is_id("inv", invoice_id) {
            return Err(Error::NotFound("invoice"));
        }
        let mut invoice = None;
        let mut payments = vec![];
        let mut history = vec![];
        let items = self
            .query_items(Query::on(keys::invoice_partition(bid, invoice_id)).limit(1000))
            .await?;
        for item in items {
            match item.get("entity").and_then(|e| e.as_str()) {
                Some("invoice") => invoice = Some(from_item::<Invoice>(item)?),
                Some("invoice_payment") => payments.push(from_item(item)?),
                Some("invoice_event") => history.push(from_item(item)?),
                // A message about the invoice carries its history entry.
                Some("notification") => {
                    if let Some(e) = item.get("event") {
                        history.push(
                            serde_json::from_value(e.clone())
                                .map_err(|e| Error::Internal(e.into()))?,
                        );
                    }
                }
                _ => {}
            }
        }
        let invoice = invoice.ok_or(Error::NotFound("invoice"))?;
        let settings = self.business_settings(bid).await?;
        payments.sort_by_key(|p: &AppliedPayment| (p.created_at, p.payment_id.clone()));
        history.sort_by_key(|e: &crate::ledger::invoices::InvoiceEvent| (e.at, e.id.clone()));
        Ok(InvoiceDetail {
            invoice: invoice.with_status_on(settings.today(self.clock.now())),
            payments,
            history,
        })
    }

    /// The invoice alone, read strongly, for the write paths.
    pub(crate) async fn invoice_of(&self, business_id: &str, invoice_id: &str) -> Result<Invoice> {
        if !is_id("inv", invoice_id) {
            return Err(Error::NotFound("invoice"));
        }
        from_item(
            self.table
                .get(&keys::invoice(business_id, invoice_id))
                .await?
                .ok_or(Error::NotFound("invoice"))?,
        )
    }

    /// `GET /v1/invoices`: a page of invoices. The index read depends on
    /// the filters:
    /// - `q`: the number lookup (`UNIQUE#INVNO#<bid>` by prefix), then each invoice;
    /// - `status`: GSI3 (the status bucket, by due date, oldest due first;
    ///   `overdue` is the open bucket before today);
    /// - `customer_id`: GSI2 (newest first, `from`/`to` in the key);
    /// - otherwise GSI1 (newest first, `from`/`to` in the key).
    ///
    /// The remaining filters are applied after reading, so a page can be
    /// shorter than `limit` while `next_cursor` is still set.
    pub async fn list_invoices(
        &self,
        actor: &Actor,
        f: InvoiceFilter,
        max_page: usize,
    ) -> Result<Page<InvoiceSummary>> {
        self.list_invoices_of(actor.business_id()?, f, max_page)
            .await
    }

    /// [`Hisaab::list_invoices`] for business `bid`.
    pub(crate) async fn list_invoices_of(
        &self,
        bid: &str,
        f: InvoiceFilter,
        max_page: usize,
    ) -> Result<Page<InvoiceSummary>> {
        let bid = bid.to_string();
        let limit = page_limit(f.limit, 50, max_page)?;
        let mut errs = Errors::default();
        if let (Some(a), Some(b)) = (f.from, f.to)
            && a > b
        {
            errs.push("to", "before_from", "to is before from");
        }
        if let (Some(a), Some(b)) = (f.due_from, f.due_to)
            && a > b
        {
            errs.push("due_to", "before_due_from", "due_to is before due_from");
        }
        if let Some(fmt) = &f.format
            && fmt != "json"
            && fmt != "csv"
        {
            errs.push("format", "invalid_format", "json or csv");
        }
        errs.finish()?;
        let settings = self.business_settings(&bid).await?;
        let today = settings.today(self.clock.now());
        let binding = format!(
            "invoices|{bid}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            f.customer_id,
            f.status,
            f.from,
            f.to,
            f.due_from,
            f.due_to,
            f.min_total,
            f.max_total,
            f.q
        );
        let keep = |i: &Invoice| {
            let s = i.status_on(today);
            f.customer_id.as_ref().is_none_or(|c| &i.customer_id == c)
                && f.status.is_none_or(|st| st == s)
                && f.from.is_none_or(|d| i.invoice_date >= d)
                && f.to.is_none_or(|d| i.invoice_date <= d)
                && f.due_from.is_none_or(|d| i.due_date >= d)
                && f.due_to.is_none_or(|d| i.due_date <= d)
                && f.min_total.is_none_or(|m| i.total >= m)
                && f.max_total.is_none_or(|m| i.total <= m)
        };
        let summarise = |page: Page<Invoice>| Page {
            items: page
                .items
                .into_iter()
                .map(|i| InvoiceSummary::from(&i.with_status_on(today)))
                .collect(),
            next_cursor: page.next_cursor,
        };
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let q = q.to_uppercase();
            let prefix = if q.bytes().all(|b| b.is_ascii_digit()) {
                settings.invoice_number(q.parse().unwrap_or(0))
            } else {
                q
            };
            let query = Query::on(keys::invoice_numbers(&bid))
                .begins_with(prefix)
                .limit(limit);
            let hits: Page<serde_json::Value> = self
                .query_page(query, &binding, f.cursor.as_deref(), |_| true)
                .await?;
            let mut items = vec![];
            for h in &hits.items {
                let id = h["invoice_id"].as_str().unwrap_or_default();
                if let Ok(inv) = self.invoice_of(&bid, id).await
                    && keep(&inv)
                {
                    items.push(inv);
                }
            }
            return Ok(summarise(Page {
                items,
                next_cursor: hits.next_cursor,
            }));
        }
        let query = match (f.status, &f.customer_id) {
            (Some(s), _) => {
                let (bucket, lo, hi) = match s {
                    InvoiceStatus::Draft => ("draft", f.due_from, f.due_to),
                    InvoiceStatus::Paid => ("paid", f.due_from, f.due_to),
                    InvoiceStatus::Cancelled => ("cancelled", f.due_from, f.due_to),
                    InvoiceStatus::Overdue => {
                        let yesterday = today.yesterday().unwrap_or(today);
                        (
                            "open",
                            f.due_from,
                            Some(f.due_to.map_or(yesterday, |d| d.min(yesterday))),
                        )
                    }
                    InvoiceStatus::Unpaid | InvoiceStatus::PartiallyPaid => (
                        "open",
                        Some(f.due_from.map_or(today, |d| d.max(today))),
                        f.due_to,
                    ),
                    InvoiceStatus::Disputed => ("open", f.due_from, f.due_to),
                };
                let q = Query::on(keys::invoices_by_bucket(&bid, bucket));
                match date_range(lo, hi) {
                    Some((a, b)) if a <= b => q.between(a, b),
                    Some(_) => {
                        return Ok(Page {
                            items: vec![],
                            next_cursor: None,
                        });
                    }
                    None => q,
                }
            }
            (None, Some(c)) => {
                let q = Query::on(keys::customer_invoices(&bid, c)).descending();
                match date_range(f.from, f.to) {
                    Some((a, b)) => q.between(a, b),
                    None => q,
                }
            }
            (None, None) => {
                let q = Query::on(keys::invoices_by_date(&bid)).descending();
                match date_range(f.from, f.to) {
                    Some((a, b)) => q.between(a, b),
                    None => q,
                }
            }
        };
        let page = self
            .query_page(query.limit(limit), &binding, f.cursor.as_deref(), keep)
            .await?;
        Ok(summarise(page))
    }

    /// `GET /v1/customers/{customer_id}/invoices`: the customer's invoices,
    /// newest first (404 for customers of other businesses).
    pub async fn list_customer_invoices(
        &self,
        actor: &Actor,
        customer_id: &str,
        mut f: InvoiceFilter,
    ) -> Result<Page<InvoiceSummary>> {
        let bid = actor.business_id()?.to_string();
        self.customer_of(&bid, customer_id).await?;
        f.customer_id = Some(customer_id.to_string());
        self.list_invoices(actor, f, super::MAX_FILTER_PAGE).await
    }
}
