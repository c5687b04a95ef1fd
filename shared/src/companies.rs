//! The companies of the shared registry: one per real debtor across all
//! businesses, known by its GSTIN, else its PAN, else its phone (E.164;
//! the PAN of a GSTIN is its characters 3–12). A customer links to the
//! company of the first identifier already known, or creates one, in the
//! customer's own transaction; so this layer stands below the ledger, and
//! the rest of the registry ([`crate::registry`]) above it.

use crate::app::{Hisaab, to_item};
use crate::error::{Error, Result};
use crate::identity::Actor;
use crate::ids::new_id;
use crate::keys;
use crate::stats::stats_write;
use crate::table::{Cond, Write};
use crate::validate::{self};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::ToSchema;

/// Most words of a company name indexed for search.
const MAX_INDEXED_WORDS: usize = 8;

/// What the registry knows of a company's defaults, kept on the company.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct Summary {
    /// Unpaid amount of approved reports, paise.
    pub due_paise: i64,
    /// Oldest due date among unpaid invoices of approved reports.
    #[schema(value_type = Option<String>, format = Date)]
    pub overdue_since: Option<Date>,
    /// Distinct businesses with unpaid approved reports.
    pub reporters: i64,
    /// Approved reports listed now.
    pub approved_reports: i64,
    /// Invoices of approved reports marked paid after listing.
    pub paid_after_listing: i64,
    /// Disputes decided in the company's favour.
    pub disputes_upheld: i64,
}

/// A company of the shared registry.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Company {
    /// `co_<ULID>`.
    pub id: String,
    /// Name as first given.
    pub name: String,
    /// Normalised name: lower case, words of letters and digits.
    pub name_key: String,
    /// City, when known.
    #[serde(default)]
    pub city: Option<String>,
    /// GSTIN (checksum verified).
    #[serde(default)]
    pub gstin: Option<String>,
    /// PAN.
    #[serde(default)]
    pub pan: Option<String>,
    /// E.164 phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Lower-case email, for notices.
    #[serde(default)]
    pub email: Option<String>,
    /// The registry's figures.
    #[serde(default)]
    pub summary: Summary,
    /// Created (UTC).
    pub created_at: Timestamp,
    /// Version, 1 on creation.
    pub version: i64,
}

/// The company a debtor links to (see [`Hisaab::company_link`]).
pub(crate) struct CompanyLink {
    /// The company.
    pub id: String,
    /// Writes that create it or record new identifiers of it; commit them
    /// with the write that links to it.
    pub writes: Vec<Write>,
    /// Whether the writes create the company.
    pub created: bool,
}

/// What a customer record says of its company.
#[derive(Clone, Debug, Default)]
pub(crate) struct CompanyFacts {
    pub name: String,
    pub city: Option<String>,
    pub gstin: Option<String>,
    pub pan: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The distinct search words of a normalised name (at most 8, in order).
pub(crate) fn name_words(name_key: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    name_key
        .split(' ')
        .filter(|w| !w.is_empty() && seen.insert(w.to_string()))
        .take(MAX_INDEXED_WORDS)
        .map(str::to_string)
        .collect()
}

impl Hisaab {
    pub(crate) async fn company(&self, company_id: &str) -> Result<Company> {
        self.get_as(&keys::company(company_id))
            .await?
            .ok_or(Error::NotFound("company"))
    }

    pub(crate) async fn company_by_identity(
        &self,
        kind: &str,
        value: &str,
    ) -> Result<Option<String>> {
        Ok(self
            .table
            .get(&keys::company_identity(kind, value))
            .await?
            .and_then(|i| {
                i.get("company_id")
                    .and_then(|v| v.as_str())
                    .map(String::from)
            }))
    }

    /// The company item and its word items (each a full copy, so that a
    /// search page needs no further reads).
    pub(crate) fn company_writes(&self, c: &Company, cond: Cond) -> Result<Vec<Write>> {
        let mut item = to_item("company", &keys::company(&c.id), c)?;
        keys::companies_by_name()
            .at(keys::name_sort_key(&c.name_key, &c.id))
            .set_on(&mut item);
        let mut w = vec![Write::Put {
            item,
            cond: Some(cond),
        }];
        for word in name_words(&c.name_key) {
            w.push(Write::Put {
                item: to_item("company_word", &keys::company_word(&word, &c.id), c)?,
                cond: None,
            });
        }
        Ok(w)
    }

    /// The company of a debtor: `None` without GSTIN, PAN or phone. The
    /// first identifier already known (GSTIN, then PAN, then phone) names
    /// the company, except that a phone never joins a debtor to a company
    /// with another GSTIN or PAN. A known company gains the identifiers it
    /// did not have; an unknown debtor becomes a new company. Every identity
    /// item is written with `attribute_not_exists`, so two writers racing
    /// make one company (the loser's transaction fails and is retried).
    pub(crate) async fn company_link(
        &self,
        f: &CompanyFacts,
        actor: Option<&Actor>,
    ) -> Result<Option<CompanyLink>> {
        let pan = f
            .pan
            .clone()
            .or_else(|| f.gstin.as_ref().map(|g| g[2..12].to_string()));
        let ids: Vec<(&str, &String)> = [
            ("GSTIN", f.gstin.as_ref()),
            ("PAN", pan.as_ref()),
            ("PHONE", f.phone.as_ref()),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        if ids.is_empty() {
            return Ok(None);
        }
        let mut hits = Vec::with_capacity(ids.len());
        for (kind, value) in &ids {
            hits.push(self.company_by_identity(kind, value).await?);
        }
        let mut found: Option<Company> = None;
        for ((kind, _), hit) in ids.iter().zip(&hits) {
            let Some(id) = hit else { continue };
            let c = self.company(id).await?;
            let differs = |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(x), Some(y)) if x != y);
            if *kind == "PHONE" && (differs(&c.gstin, &f.gstin) || differs(&c.pan, &pan)) {
                continue;
            }
            found = Some(c);
            break;
        }
        let identity = |kind: &str, value: &str, id: &str| -> Result<Write> {
            Ok(Write::Put {
                item: to_item(
                    "company_identity",
                    &keys::company_identity(kind, value),
                    &serde_json::json!({ "company_id": id }),
                )?,
                cond: Some(Cond::NotExists),
            })
        };
        if let Some(old) = found {
            let mut c = old.clone();
            let mut w = vec![];
            for ((kind, value), hit) in ids.iter().zip(&hits) {
                if hit.is_some() {
                    continue;
                }
                w.push(identity(kind, value, &c.id)?);
                let field = match *kind {
                    "GSTIN" => &mut c.gstin,
                    "PAN" => &mut c.pan,
                    _ => &mut c.phone,
                };
                if field.is_none() {
                    *field = Some(value.to_string());
                }
            }
            if c.gstin != old.gstin || c.pan != old.pan || c.phone != old.phone {
                c.version = old.version + 1;
                w.extend(self.company_writes(&c, Cond::version(old.version))?);
                w.push(self.audit_write(
                    actor,
                    "company.identify",
                    "company",
                    &c.id,
                    Some(serde_json::json!({ "gstin": old.gstin, "pan": old.pan, "phone": old.phone })),
                    Some(serde_json::json!({ "gstin": c.gstin, "pan": c.pan, "phone": c.phone })),
                    None,
                )?);
            }
            return Ok(Some(CompanyLink {
                id: c.id,
                writes: w,
                created: false,
            }));
        }
        let now = self.clock.now();
        let c = Company {
            id: new_id("co"),
            name: f.name.clone(),
            name_key: validate::name_key(&f.name),
            city: f.city.clone(),
            gstin: f.gstin.clone(),
            pan: pan.clone(),
            phone: f.phone.clone(),
            email: f.email.clone(),
            summary: Summary::default(),
            created_at: now,
            version: 1,
        };
        let mut w = self.company_writes(&c, Cond::NotExists)?;
        w.push(self.audit_write(
            actor,
            "company.create",
            "company",
            &c.id,
            None,
            Some(serde_json::json!({ "name": c.name, "gstin": c.gstin, "pan": c.pan, "phone": c.phone, "city": c.city })),
            None,
        )?);
        for ((kind, value), hit) in ids.iter().zip(&hits) {
            // An identifier of another company (a phone shared with a
            // company of another GSTIN) stays with that company.
            if hit.is_none() {
                w.push(identity(kind, value, &c.id)?);
            }
        }
        Ok(Some(CompanyLink {
            id: c.id,
            writes: w,
            created: true,
        }))
    }

    /// Creates (or finds) the company of a debtor outside a customer write;
    /// used by reports on a named company and by the benchmarks.
    pub async fn ensure_company(
        &self,
        name: &str,
        gstin: Option<&str>,
        pan: Option<&str>,
        phone: Option<&str>,
        city: Option<&str>,
    ) -> Result<Option<String>> {
        let f = CompanyFacts {
            name: name.into(),
            city: city.map(String::from),
            gstin: gstin.map(String::from),
            pan: pan.map(String::from),
            phone: phone.map(String::from),
            email: None,
        };
        self.retrying(|| async {
            match self.company_link(&f, None).await? {
                None => Ok(Some(None)),
                Some(l) if l.writes.is_empty() => Ok(Some(Some(l.id))),
                Some(mut l) => {
                    l.writes
                        .push(stats_write(&[("companies", i64::from(l.created))]));
                    Ok(self.commit_writes(l.writes, l.id).await?.map(Some))
                }
            }
        })
        .await
    }
}
