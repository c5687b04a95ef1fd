//! Searching companies before giving credit, and a company's page.

use crate::app::Hisaab;
use crate::companies::Company;
use crate::error::{Error, Result};
use crate::identity::Actor;
use crate::keys;
use crate::paging::{Page, page_limit};
use crate::registry::listings::Listing;
use crate::registry::rating::{Rating, rating};
use crate::table::Query;
use crate::validate::{self, Phone};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::{IntoParams, ToSchema};

/// A company as members see it in search and on its page.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CompanyCard {
    /// `co_<ULID>`.
    pub id: String,
    /// Name.
    pub name: String,
    /// City.
    pub city: Option<String>,
    /// GSTIN in full: GSTINs are public on the GST portal.
    pub gstin: Option<String>,
    /// PAN with only its last four characters shown (`******234F`).
    pub pan: Option<String>,
    /// Phone with only its last four digits shown (`+91******3210`).
    pub phone: Option<String>,
    /// Total unpaid on approved reports, paise.
    pub due_paise: i64,
    /// Oldest unpaid due date of approved reports.
    #[schema(value_type = Option<String>, format = Date)]
    pub overdue_since: Option<Date>,
    /// Businesses with unpaid approved reports.
    pub reporting_creditors: i64,
    /// Approved reports listed.
    pub approved_reports: i64,
    /// The credit rating as of today (Asia/Kolkata).
    pub rating: Rating,
}

/// `GET /v1/registry/companies/{company_id}`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CompanyDetail {
    /// The company.
    #[serde(flatten)]
    pub company: CompanyCard,
    /// Disputes decided in the company's favour.
    pub disputes_upheld: i64,
    /// Invoices paid after they were listed.
    pub paid_after_listing: i64,
    /// The approved reports, newest first (reporters hidden from members).
    pub reports: Vec<Listing>,
}

/// Query of `GET /v1/registry/companies` and `GET /v1/admin/companies`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompanySearch {
    /// A name (each word a prefix of a word of the name, the first at least
    /// 2 characters), a GSTIN, a PAN or a phone number.
    pub q: Option<String>,
    /// Page size, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// From the previous page.
    pub cursor: Option<String>,
}

/// `******234F`: all but the last four characters hidden.
fn mask(s: &str, keep_prefix: usize) -> String {
    let n = s.chars().count();
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if i < keep_prefix || i + 4 >= n {
                c
            } else {
                '*'
            }
        })
        .collect()
}

impl Company {
    /// The company as members see it, rated as of `today`.
    pub fn card(&self, today: Date) -> CompanyCard {
        CompanyCard {
            id: self.id.clone(),
            name: self.name.clone(),
            city: self.city.clone(),
            gstin: self.gstin.clone(),
            pan: self.pan.as_deref().map(|p| mask(p, 0)),
            phone: self.phone.as_deref().map(|p| mask(p, 3)),
            due_paise: self.summary.due_paise,
            overdue_since: self.summary.overdue_since,
            reporting_creditors: self.summary.reporters,
            approved_reports: self.summary.approved_reports,
            rating: rating(&self.summary, today),
        }
    }
}

impl Hisaab {
    /// `GET /v1/registry/companies?q=`: by GSTIN, PAN or phone (one key
    /// read) or by name (one query of the first word's search partition,
    /// the other words filtering as word prefixes). 422 naming `q` when it
    /// is missing or its first word has fewer than 2 characters.
    pub async fn search_companies(
        &self,
        actor: &Actor,
        s: CompanySearch,
    ) -> Result<Page<CompanyCard>> {
        Self::registry_member(actor)?;
        let limit = page_limit(s.limit, 20, 100)?;
        let q = s.q.as_deref().unwrap_or("").trim().to_string();
        let today = self.registry_today();
        let exact = if let Ok(g) = validate::gstin("q", &q) {
            Some(("GSTIN", g))
        } else if let Ok(p) = validate::pan("q", &q) {
            Some(("PAN", p))
        } else if q.chars().filter(|c| c.is_ascii_digit()).count() >= 10
            && let Ok(p) = Phone::parse("q", &q)
        {
            Some(("PHONE", p.to_string()))
        } else {
            None
        };
        if let Some((kind, value)) = exact {
            let items = match self.company_by_identity(kind, &value).await? {
                Some(id) => vec![self.company(&id).await?.card(today)],
                None => vec![],
            };
            return Ok(Page {
                items,
                next_cursor: None,
            });
        }
        let key = validate::name_key(&q);
        let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        let Some(first) = words.first().filter(|w| w.chars().count() >= 2) else {
            return Err(Error::field(
                "q",
                "too_short",
                "give a GSTIN, PAN, phone, or a name whose first word has at least 2 characters",
            ));
        };
        let rest: Vec<String> = words[1..].iter().map(|w| w.to_string()).collect();
        let query = Query::on(keys::company_words(first))
            .begins_with(*first)
            .limit(limit);
        let binding = format!("registry-search|{key}");
        let page: Page<Company> = self
            .query_page(query, &binding, s.cursor.as_deref(), |c: &Company| {
                let mine: Vec<&str> = c.name_key.split(' ').collect();
                rest.iter()
                    .all(|w| mine.iter().any(|m| m.starts_with(w.as_str())))
            })
            .await?;
        let mut seen = BTreeSet::new();
        Ok(Page {
            items: page
                .items
                .into_iter()
                .filter(|c| seen.insert(c.id.clone()))
                .map(|c| c.card(today))
                .collect(),
            next_cursor: page.next_cursor,
        })
    }

    /// `GET /v1/registry/companies/{company_id}`: the company, its rating
    /// and its approved reports; reporters are named to admins only.
    pub async fn company_detail(&self, actor: &Actor, company_id: &str) -> Result<CompanyDetail> {
        Self::registry_member(actor)?;
        let c = self.company(company_id).await?;
        let mut reports = self.listings(company_id).await?;
        if !actor.user.role.is_admin() {
            for l in &mut reports {
                l.reporter_business_id = None;
                l.reporter_name = None;
                for i in &mut l.invoices {
                    i.invoice_id = None;
                }
            }
        }
        reports.sort_by_key(|l| std::cmp::Reverse(l.approved_at));
        Ok(CompanyDetail {
            company: c.card(self.registry_today()),
            disputes_upheld: c.summary.disputes_upheld,
            paid_after_listing: c.summary.paid_after_listing,
            reports,
        })
    }
}
