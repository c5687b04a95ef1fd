//! Approved reports as listed on their company (without the reporter's
//! identity), and the company's summary recomputed from its listings in
//! the same transaction as the change.

use crate::app::{Hisaab, to_item};
use crate::companies::Summary;
use crate::error::Result;
use crate::keys;
use crate::table::{Cond, Query, Write};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::ToSchema;

/// Whether the reported invoices are paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ReportPaymentStatus)]
pub enum PaymentStatus {
    /// Not paid.
    Pending,
    /// The company disputes the report.
    Disputed,
    /// Every invoice marked paid.
    Paid,
}

/// An invoice of a report.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ReportedInvoice {
    /// The in-system invoice, for reports made from invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
    /// Invoice number.
    pub number: String,
    /// Invoice date.
    #[schema(value_type = String, format = Date)]
    pub invoice_date: Date,
    /// Due date.
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    /// Amount due when reported (or as corrected), paise.
    pub amount_paise: i64,
    /// Marked paid by the reporter.
    pub paid: bool,
    /// When it was marked paid (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub paid_at: Option<Timestamp>,
}

/// An approved report as listed on its company's page.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Listing {
    /// The report.
    pub report_id: String,
    /// Its invoices.
    pub invoices: Vec<ReportedInvoice>,
    /// Unpaid amount, paise.
    pub due_paise: i64,
    /// Payment status: `pending`, `disputed` or `paid`.
    pub payment_status: PaymentStatus,
    /// Approved (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub approved_at: Timestamp,
    /// The reporting business: shown to admins only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_business_id: Option<String>,
    /// Its name: shown to admins only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_name: Option<String>,
}

/// The summary of a company from its listings, keeping the counters that
/// are not derived from them.
fn summarise(listings: &[Listing], old: &Summary) -> Summary {
    let mut due = 0;
    let mut since: Option<Date> = None;
    let mut reporters = BTreeSet::new();
    let mut paid = 0;
    for l in listings {
        for i in &l.invoices {
            if i.paid {
                if i.paid_at.is_some_and(|p| p >= l.approved_at) {
                    paid += 1;
                }
            } else if i.amount_paise > 0 {
                due += i.amount_paise;
                since = Some(since.map_or(i.due_date, |s| s.min(i.due_date)));
                if let Some(r) = &l.reporter_business_id {
                    reporters.insert(r.clone());
                }
            }
        }
    }
    Summary {
        due_paise: due,
        overdue_since: since,
        reporters: reporters.len() as i64,
        approved_reports: listings.len() as i64,
        paid_after_listing: paid,
        disputes_upheld: old.disputes_upheld,
    }
}

/// A change to a company's listings.
pub(crate) enum ListingChange {
    /// Lists (or re-lists) an approved report.
    Put(Listing),
    /// Removes a report's listing.
    Remove(String),
    /// Nothing listed changes (only counters).
    None,
}

impl Hisaab {
    pub(crate) async fn listings(&self, company_id: &str) -> Result<Vec<Listing>> {
        self.query_all(
            Query::on(keys::company_partition(company_id))
                .begins_with(keys::LISTING_PREFIX)
                .limit(1000),
        )
        .await
    }

    /// The writes that apply a listing change to a company: the listing
    /// itself, and the company (and its word copies) with the summary
    /// recomputed, under the company's version.
    pub(crate) async fn restate_company(
        &self,
        company_id: &str,
        change: ListingChange,
        disputes_upheld: i64,
    ) -> Result<Vec<Write>> {
        let old = self.company(company_id).await?;
        let mut listings = self.listings(company_id).await?;
        let mut w = vec![];
        match change {
            ListingChange::Put(l) => {
                w.push(Write::Put {
                    item: to_item(
                        "listing",
                        &keys::company_listing(company_id, &l.report_id),
                        &l,
                    )?,
                    cond: None,
                });
                listings.retain(|x| x.report_id != l.report_id);
                listings.push(l);
            }
            ListingChange::Remove(id) => {
                w.push(Write::Delete {
                    key: keys::company_listing(company_id, &id),
                    cond: None,
                });
                listings.retain(|x| x.report_id != id);
            }
            ListingChange::None => {}
        }
        let mut c = old.clone();
        c.summary = summarise(&listings, &old.summary);
        c.summary.disputes_upheld += disputes_upheld;
        c.version = old.version + 1;
        w.extend(self.company_writes(&c, Cond::version(old.version))?);
        Ok(w)
    }
}
