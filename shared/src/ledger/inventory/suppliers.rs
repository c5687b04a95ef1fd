//! Suppliers: who a business buys from (name, phone, GSTIN), with what
//! it bought from them, kept by every receipt in the same transaction.
//! They are to purchases what customers are to sales, kept small.
//!
//! Access patterns: `BIZ#<bid>` / `SUP#<id>`; GSI1 `BIZ#<bid>#SUP` by name.

use crate::app::{Hisaab, from_item, to_item};
use crate::error::{Error, Errors, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::Actor;
use crate::ids::{is_id, new_id};
use crate::keys;
use crate::paging::{Page, page_limit};
use crate::table::{Cond, Item, Query, Write};
use crate::validate::{self, Phone, present};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A supplier of a business.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Supplier {
    /// `sup_<ULID>`.
    pub id: String,
    /// The business.
    pub business_id: String,
    /// Name (1–120 characters).
    pub name: String,
    /// Phone (E.164).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// GSTIN (checksum verified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gstin: Option<String>,
    /// Sum of the receipts from them, paise.
    #[serde(default)]
    pub purchases: i64,
    /// Receipts from them.
    #[serde(default)]
    pub receipts: i64,
    /// Created (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Last changed (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// Version, 1 on creation.
    pub version: i64,
}

/// `POST /v1/suppliers`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSupplier {
    /// Name (required, 1–120 characters).
    pub name: String,
    /// Phone as people type it (a 10-digit number is Indian).
    #[serde(default)]
    pub phone: Option<String>,
    /// GSTIN (15 characters, checksum verified).
    #[serde(default)]
    pub gstin: Option<String>,
}

/// `PATCH /v1/suppliers/{supplier_id}`: absent fields stay, `null` clears.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplierPatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New phone or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    /// New GSTIN or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub gstin: Option<Option<String>>,
    /// The version read; when given, a supplier changed since is a 409.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Filters of `GET /v1/suppliers`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SupplierFilter {
    /// Page size, 1–100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page, with the same filters.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Name prefix, any case.
    #[serde(default)]
    pub q: Option<String>,
}

pub(crate) fn supplier_item(s: &Supplier) -> Result<Item> {
    let mut item = to_item("supplier", &keys::supplier(&s.business_id, &s.id), s)?;
    keys::suppliers_by_name(&s.business_id)
        .at(keys::name_sort_key(&validate::name_key(&s.name), &s.id))
        .set_on(&mut item);
    Ok(item)
}

/// Checks name, phone and GSTIN, naming each bad field.
fn check(
    errs: &mut Errors,
    name: &str,
    phone: Option<&str>,
    gstin: Option<&str>,
) -> (Option<String>, Option<String>, Option<String>) {
    let name = errs.check(validate::text("name", name, 120));
    let phone = phone
        .filter(|p| !p.trim().is_empty())
        .and_then(|p| errs.check(Phone::parse("phone", p)))
        .map(|p| p.to_string());
    let gstin = gstin
        .filter(|g| !g.trim().is_empty())
        .and_then(|g| errs.check(validate::gstin("gstin", g)));
    (name, phone, gstin)
}

impl Hisaab {
    /// `POST /v1/suppliers`: 422 naming each bad field.
    pub async fn create_supplier(
        &self,
        actor: &Actor,
        input: NewSupplier,
        idem: Option<Idempotency>,
    ) -> Result<(Supplier, bool)> {
        let bid = actor.business_id()?.to_string();
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
        let mut errs = Errors::default();
        let (name, phone, gstin) = check(
            &mut errs,
            &input.name,
            input.phone.as_deref(),
            input.gstin.as_deref(),
        );
        errs.finish()?;
        let now = self.clock.now();
        let s = Supplier {
            id: new_id("sup"),
            business_id: bid,
            name: name.unwrap_or_default(),
            phone,
            gstin,
            purchases: 0,
            receipts: 0,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let writes = vec![Write::Put {
            item: supplier_item(&s)?,
            cond: Some(Cond::NotExists),
        }];
        self.commit_create(&actor.user.id, idem.as_ref(), writes, s, |_| None)
            .await?
            .ok_or_else(Error::stale)
    }

    /// `GET /v1/suppliers/{supplier_id}`: 404 for ids of other businesses.
    pub async fn get_supplier(&self, actor: &Actor, supplier_id: &str) -> Result<Supplier> {
        let bid = actor.business_id()?;
        if !is_id("sup", supplier_id) {
            return Err(Error::NotFound("supplier"));
        }
        from_item(
            self.table
                .get(&keys::supplier(bid, supplier_id))
                .await?
                .ok_or(Error::NotFound("supplier"))?,
        )
    }

    /// `GET /v1/suppliers`: by name; `q` is a name prefix.
    pub async fn list_suppliers(&self, actor: &Actor, f: SupplierFilter) -> Result<Page<Supplier>> {
        let bid = actor.business_id()?.to_string();
        let limit = page_limit(f.limit, 50, 100)?;
        let q =
            f.q.as_deref()
                .map(validate::name_key)
                .filter(|q| !q.is_empty());
        let mut query = Query::on(keys::suppliers_by_name(&bid)).limit(limit);
        if let Some(q) = &q {
            query = query.begins_with(q.clone());
        }
        self.query_page(
            query,
            &format!("suppliers|{bid}|{}", q.as_deref().unwrap_or("")),
            f.cursor.as_deref(),
            |_: &Supplier| true,
        )
        .await
    }

    /// `PATCH /v1/suppliers/{supplier_id}`: a partial update under the
    /// version read (409 when it changed since).
    pub async fn update_supplier(
        &self,
        actor: &Actor,
        supplier_id: &str,
        p: SupplierPatch,
    ) -> Result<Supplier> {
        let old = self.get_supplier(actor, supplier_id).await?;
        if p.version.is_some_and(|v| v != old.version) {
            return Err(Error::stale());
        }
        let mut errs = Errors::default();
        let name = p.name.unwrap_or_else(|| old.name.clone());
        let phone = p.phone.unwrap_or_else(|| old.phone.clone());
        let gstin = p.gstin.unwrap_or_else(|| old.gstin.clone());
        let (name, phone, gstin) = check(&mut errs, &name, phone.as_deref(), gstin.as_deref());
        errs.finish()?;
        let new = Supplier {
            name: name.unwrap_or_default(),
            phone,
            gstin,
            updated_at: self.clock.now(),
            version: old.version + 1,
            ..old.clone()
        };
        let writes = vec![Write::Put {
            item: supplier_item(&new)?,
            cond: Some(Cond::version(old.version)),
        }];
        self.commit(writes, new).await?.ok_or_else(Error::stale)
    }
}
