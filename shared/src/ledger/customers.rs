//! Customers (debtors) of a business: create, list and search, read,
//! partial update, deactivate and reactivate.
//!
//! Access patterns (see `docs/data-model.md`): the customer item lives in
//! its business's partition; GSI1 lists a business's customers by name;
//! GSI2 lists them by status and name; `CUSPHONE#` items in the business
//! partition find them by phone prefix. No request scans.

use crate::app::{Hisaab, from_item, to_item};
use crate::cursor;
use crate::error::{Error, Errors, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::Actor;
use crate::ids::{is_id, new_id};
use crate::keys;
use crate::table::{Cond, Item, Key, Query, Write};
use crate::validate::{self, Phone, present};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most contacts per customer.
pub const MAX_CONTACTS: usize = 10;
/// Largest page of `GET /v1/customers`.
pub const MAX_PAGE: usize = 100;

/// Whether a customer is in use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomerStatus {
    /// In use.
    Active,
    /// Deactivated (soft-deleted); can be reactivated.
    Inactive,
}

impl CustomerStatus {
    /// The status's name in keys and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerStatus::Active => "active",
            CustomerStatus::Inactive => "inactive",
        }
    }
}

/// A person to talk to at a customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Name.
    pub name: String,
    /// Phone (E.164 once stored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Email (lower case once stored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// What they do (`owner`, `accounts`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// A customer of a business.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Customer {
    /// `cus_<ULID>`.
    pub id: String,
    /// The business that has this customer.
    pub business_id: String,
    /// Name (1–120 characters).
    pub name: String,
    /// E.164 phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Lower-case email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Kind of business (`Retail`, `Wholesale`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_type: Option<String>,
    /// GSTIN (15 characters, checksum verified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gstin: Option<String>,
    /// PAN (10 characters); taken from the GSTIN when only that is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pan: Option<String>,
    /// People to talk to (at most 10).
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Photo URL (https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    /// Free notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The company of the shared registry this customer is (by GSTIN, else
    /// PAN, else phone); absent without any of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<String>,
    /// Running balance in paise: positive when the customer owes, negative
    /// for an advance. 0 until invoices exist.
    pub balance: i64,
    /// Active or inactive.
    pub status: CustomerStatus,
    /// Payment reminders are sent (default `true`); `false` when the
    /// business turned them off or the customer stopped them through the
    /// link in a reminder.
    #[serde(default = "yes")]
    pub reminders: bool,
    /// When the customer stopped reminders through the link (the business
    /// cannot turn them back on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub reminders_opted_out_at: Option<Timestamp>,
    /// SNS refused the phone for good: no SMS go to it until it changes.
    #[serde(default)]
    pub sms_undeliverable: bool,
    /// SES refused the address for good: no mail goes to it until it
    /// changes.
    #[serde(default)]
    pub mail_undeliverable: bool,
    /// Created (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Last changed (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// Version, 1 on creation; send it back in `PATCH` to guard against lost updates.
    pub version: i64,
}

fn yes() -> bool {
    true
}

/// `POST /v1/customers`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCustomer {
    /// Name (required).
    pub name: String,
    /// Phone: E.164, or 10 digits for India.
    #[serde(default)]
    pub phone: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Postal address (≤ 500 characters).
    #[serde(default)]
    pub address: Option<String>,
    /// Kind of business (≤ 60 characters).
    #[serde(default)]
    pub business_type: Option<String>,
    /// GSTIN, verified with its checksum.
    #[serde(default)]
    pub gstin: Option<String>,
    /// PAN; must match the GSTIN's when both are given.
    #[serde(default)]
    pub pan: Option<String>,
    /// Contacts (≤ 10).
    #[serde(default)]
    pub contacts: Option<Vec<Contact>>,
    /// Photo URL (https).
    #[serde(default)]
    pub photo_url: Option<String>,
    /// Notes (≤ 2000 characters).
    #[serde(default)]
    pub notes: Option<String>,
}

/// `PATCH /v1/customers/{customer_id}`: absent fields stay, `null` clears an
/// optional field, `status: "active"` reactivates.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerPatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New phone or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    /// New email or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// New address or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    /// New business type or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub business_type: Option<Option<String>>,
    /// New GSTIN or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub gstin: Option<Option<String>>,
    /// New PAN or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub pan: Option<Option<String>>,
    /// Replaces all contacts.
    #[serde(default)]
    pub contacts: Option<Vec<Contact>>,
    /// New photo URL or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub photo_url: Option<Option<String>>,
    /// New notes or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
    /// `active` reactivates, `inactive` deactivates.
    #[serde(default)]
    pub status: Option<CustomerStatus>,
    /// `false` stops payment reminders to this customer, `true` resumes
    /// them (409 when the customer stopped them through the link).
    #[serde(default)]
    pub reminders: Option<bool>,
    /// The version read; when given, a changed customer is a 409.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Filters of `GET /v1/customers`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerFilter {
    /// Page size, 1–100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page, with the same filters.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Name prefix (any case), or phone digits (prefix of the number).
    #[serde(default)]
    pub q: Option<String>,
    /// Only `active` or only `inactive` customers.
    #[serde(default)]
    pub status: Option<CustomerStatus>,
}

/// A page of customers.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CustomerPage {
    /// Customers, by name (or by phone for a phone search).
    pub items: Vec<Customer>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// The fields shared by create and update, validated together.
struct Fields {
    phone: Option<String>,
    email: Option<String>,
    address: Option<String>,
    business_type: Option<String>,
    gstin: Option<String>,
    pan: Option<String>,
    contacts: Vec<Contact>,
    photo_url: Option<String>,
    notes: Option<String>,
}

fn opt_text(errs: &mut Errors, field: &str, v: Option<&str>, max: usize) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
        .and_then(|s| errs.check(validate::text(field, s, max)))
}

fn validate_fields(errs: &mut Errors, f: Fields) -> Fields {
    let phone = f
        .phone
        .as_deref()
        .and_then(|p| errs.check(Phone::parse("phone", p)))
        .map(|p| p.to_string());
    let email = f
        .email
        .as_deref()
        .and_then(|e| errs.check(validate::email("email", e)));
    let gstin = f
        .gstin
        .as_deref()
        .and_then(|g| errs.check(validate::gstin("gstin", g)));
    let mut pan = f
        .pan
        .as_deref()
        .and_then(|p| errs.check(validate::pan("pan", p)));
    match (&gstin, &pan) {
        (Some(g), Some(p)) if &g[2..12] != p => {
            errs.push(
                "pan",
                "pan_mismatch",
                "the PAN differs from the one inside the GSTIN",
            );
        }
        (Some(g), None) if f.pan.is_none() => pan = Some(g[2..12].to_string()),
        _ => {}
    }
    if f.contacts.len() > MAX_CONTACTS {
        errs.push(
            "contacts",
            "too_many",
            format!("at most {MAX_CONTACTS} contacts"),
        );
    }
    let contacts = f
        .contacts
        .iter()
        .enumerate()
        .map(|(i, c)| Contact {
            name: errs
                .check(validate::text(&format!("contacts[{i}].name"), &c.name, 100))
                .unwrap_or_default(),
            phone: c.phone.as_deref().and_then(|p| {
                errs.check(Phone::parse(&format!("contacts[{i}].phone"), p))
                    .map(|p| p.to_string())
            }),
            email: c
                .email
                .as_deref()
                .and_then(|e| errs.check(validate::email(&format!("contacts[{i}].email"), e))),
            role: opt_text(errs, &format!("contacts[{i}].role"), c.role.as_deref(), 60),
        })
        .collect();
    let photo_url = match f.photo_url.as_deref() {
        Some(u) if !(u.starts_with("https://") && u.len() <= 2048) => {
            errs.push(
                "photo_url",
                "invalid_url",
                "an https URL of at most 2048 characters",
            );
            None
        }
        u => u.map(str::to_owned),
    };
    Fields {
        phone,
        email,
        address: opt_text(errs, "address", f.address.as_deref(), 500),
        business_type: opt_text(errs, "business_type", f.business_type.as_deref(), 60),
        gstin,
        pan,
        contacts,
        photo_url,
        notes: opt_text(errs, "notes", f.notes.as_deref(), 2000),
    }
}

/// What a customer record says of its company in the shared registry.
fn company_facts(c: &Customer) -> crate::companies::CompanyFacts {
    crate::companies::CompanyFacts {
        name: c.name.clone(),
        city: None,
        gstin: c.gstin.clone(),
        pan: c.pan.clone(),
        phone: c.phone.clone(),
        email: c.email.clone(),
    }
}

/// The customer item with its GSI keys (GSI3 only while the customer owes
/// money: the top-debtors index is sparse).
pub(crate) fn customer_item(c: &Customer) -> Result<Item> {
    let name_key = validate::name_key(&c.name);
    let mut item = to_item("customer", &keys::customer(&c.business_id, &c.id), c)?;
    keys::customer_by_name(&c.business_id, &name_key, &c.id).set_on(&mut item);
    keys::customer_by_status(&c.business_id, c.status.as_str(), &name_key, &c.id).set_on(&mut item);
    if c.balance > 0 {
        keys::customer_by_balance(&c.business_id, c.balance, &c.id).set_on(&mut item);
    }
    Ok(item)
}

fn phone_item(c: &Customer, phone: &str) -> Result<Item> {
    to_item(
        "customer_phone",
        &keys::customer_phone(&c.business_id, phone, &c.id),
        &serde_json::json!({ "customer_id": c.id }),
    )
}

/// The link of the customer's phone to this customer record, which lets
/// a customer user with that (verified) phone see this business.
fn link_item(c: &Customer, phone: &str) -> Result<Item> {
    to_item(
        "customer_link",
        &keys::customer_link(phone, &c.business_id, &c.id),
        &serde_json::json!({ "business_id": c.business_id, "customer_id": c.id }),
    )
}

/// Validates a new customer: its name and the checked fields, or a 422
/// naming every bad field.
fn checked_new(input: NewCustomer) -> Result<(String, Fields)> {
    let mut errs = Errors::default();
    let name = errs.check(validate::text("name", &input.name, 120));
    let f = validate_fields(
        &mut errs,
        Fields {
            phone: input.phone,
            email: input.email,
            address: input.address,
            business_type: input.business_type,
            gstin: input.gstin,
            pan: input.pan,
            contacts: input.contacts.unwrap_or_default(),
            photo_url: input.photo_url,
            notes: input.notes,
        },
    );
    errs.finish()?;
    Ok((name.unwrap_or_default(), f))
}

impl Hisaab {
    /// `POST /v1/customers?dry_run=true`: the same checks as a create,
    /// and nothing written: `Ok` when the customer would be created, else
    /// the 422 naming every bad field (forms check as the user types).
    pub async fn check_new_customer(&self, actor: &Actor, input: NewCustomer) -> Result<()> {
        actor.business_id()?;
        checked_new(input).map(|_| ())
    }

    /// `POST /v1/customers`: validates every field (422 naming each bad
    /// one) and creates the customer; with an idempotency key, a retry
    /// returns the first answer (`true` in the second value).
    pub async fn create_customer(
        &self,
        actor: &Actor,
        input: NewCustomer,
        idem: Option<Idempotency>,
    ) -> Result<(Customer, bool)> {
        let bid = actor.business_id()?.to_string();
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
        let (name, f) = checked_new(input)?;
        let now = self.clock.now();
        let c0 = Customer {
            id: new_id("cus"),
            business_id: bid,
            name,
            phone: f.phone,
            email: f.email,
            address: f.address,
            business_type: f.business_type,
            gstin: f.gstin,
            pan: f.pan,
            contacts: f.contacts,
            photo_url: f.photo_url,
            notes: f.notes,
            company_id: None,
            balance: 0,
            status: CustomerStatus::Active,
            reminders: true,
            reminders_opted_out_at: None,
            sms_undeliverable: false,
            mail_undeliverable: false,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        // A race with another creator of the same company loses on its
        // identity items and is retried, then links to the winner's company.
        self.retrying(|| async {
            let mut c = c0.clone();
            let mut writes = vec![];
            let mut new_company = 0;
            if let Some(l) = self.company_link(&company_facts(&c), Some(actor)).await? {
                c.company_id = Some(l.id);
                new_company = i64::from(l.created);
                writes = l.writes;
            }
            writes.push(Write::Put {
                item: customer_item(&c)?,
                cond: Some(Cond::NotExists),
            });
            if let Some(p) = &c.phone {
                writes.push(Write::Put {
                    item: phone_item(&c, p)?,
                    cond: Some(Cond::NotExists),
                });
                writes.push(Write::Put {
                    item: link_item(&c, p)?,
                    cond: None,
                });
            }
            writes.push(crate::stats::stats_write(&[
                ("customers", 1),
                ("companies", new_company),
            ]));
            self.commit_create(&actor.user.id, idem.as_ref(), writes, c, |_| None)
                .await
        })
        .await
    }

    /// `GET /v1/customers/{customer_id}`: 404 when the id is not a customer
    /// of the caller's business.
    pub async fn get_customer(&self, actor: &Actor, customer_id: &str) -> Result<Customer> {
        let bid = actor.business_id()?;
        if !is_id("cus", customer_id) {
            return Err(Error::NotFound("customer"));
        }
        let item = self
            .table
            .get(&keys::customer(bid, customer_id))
            .await?
            .ok_or(Error::NotFound("customer"))?;
        from_item(item)
    }

    /// `GET /v1/customers`: a page of the business's customers, filtered by
    /// status and searched by name prefix or phone prefix.
    pub async fn list_customers(&self, actor: &Actor, f: CustomerFilter) -> Result<CustomerPage> {
        let bid = actor.business_id()?.to_string();
        let limit = crate::paging::page_limit(f.limit, 50, MAX_PAGE)?;
        let q = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
        let status = f.status.map(|s| s.as_str()).unwrap_or("");
        let binding = format!("customers|{bid}|{}|{status}", q.unwrap_or(""));
        if let Some(prefix) = q.and_then(Phone::prefix) {
            let start = f
                .cursor
                .as_deref()
                .map(|c| cursor::decode(&self.keys, &binding, c))
                .transpose()?;
            return self
                .customers_by_phone(&bid, &prefix, f.status, limit, start, &binding)
                .await;
        }
        let name = q.map(validate::name_key).unwrap_or_default();
        let query = match f.status {
            Some(s) => Query::on(keys::customers_by_status(&bid, s.as_str())),
            None => Query::on(keys::customers_by_name(&bid)),
        };
        let query = if name.is_empty() {
            query
        } else {
            query.begins_with(name)
        };
        let page = self
            .query_page(
                query.limit(limit),
                &binding,
                f.cursor.as_deref(),
                |_: &Customer| true,
            )
            .await?;
        Ok(CustomerPage {
            items: page.items,
            next_cursor: page.next_cursor,
        })
    }

    async fn customers_by_phone(
        &self,
        bid: &str,
        prefix: &str,
        status: Option<CustomerStatus>,
        limit: usize,
        start: Option<Item>,
        binding: &str,
    ) -> Result<CustomerPage> {
        let query = Query::on(keys::business_partition(bid))
            .begins_with(keys::customer_phone_prefix(prefix))
            .limit(limit)
            .start(start);
        let page = self.table.query(&query).await?;
        let mut items = Vec::with_capacity(page.items.len());
        for hit in page.items {
            let id = hit
                .get("customer_id")
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            if let Some(item) = self.table.get(&keys::customer(bid, id)).await? {
                let c: Customer = from_item(item)?;
                if status.is_none_or(|s| s == c.status) {
                    items.push(c);
                }
            }
        }
        Ok(CustomerPage {
            items,
            next_cursor: page
                .last_key
                .map(|k| cursor::encode(&self.keys, binding, &k)),
        })
    }

    /// `PATCH /v1/customers/{customer_id}`: a partial update under the
    /// version read (409 when someone else changed the customer first).
    pub async fn update_customer(
        &self,
        actor: &Actor,
        customer_id: &str,
        p: CustomerPatch,
    ) -> Result<Customer> {
        // Without a version from the client, a race with a write that only
        // moved the balance (an invoice, a payment) is retried on a fresh
        // read instead of being answered with 409.
        self.retrying(|| async {
            let old = self.get_customer(actor, customer_id).await?;
            if p.version.is_some_and(|v| v != old.version) {
                return Err(Error::stale());
            }
            let mut c = patched(&old, p.clone())?;
            if c.status != old.status {
                // Deactivating (or reactivating) is the owner's.
                actor.owned_business_id()?;
            }
            match self.save_customer(actor, &old, &mut c).await {
                Ok(()) => Ok(Some(c)),
                Err(Error::Conflict { .. }) if p.version.is_none() => Ok(None),
                Err(e) => Err(e),
            }
        })
        .await
    }

    /// Writes a changed customer (and its phone lookup) under the old version.
    async fn save_customer(&self, actor: &Actor, old: &Customer, c: &mut Customer) -> Result<()> {
        c.version = old.version + 1;
        c.updated_at = self.clock.now();
        let mut writes = vec![];
        if (&c.gstin, &c.pan, &c.phone) != (&old.gstin, &old.pan, &old.phone)
            || (c.company_id.is_none()
                && (c.gstin.is_some() || c.pan.is_some() || c.phone.is_some()))
        {
            c.company_id = None;
            if let Some(l) = self.company_link(&company_facts(c), Some(actor)).await? {
                c.company_id = Some(l.id);
                if l.created {
                    writes.push(crate::stats::stats_write(&[("companies", 1)]));
                }
                writes.extend(l.writes);
            }
        }
        writes.push(Write::Put {
            item: customer_item(c)?,
            cond: Some(Cond::version(old.version)),
        });
        if c.phone != old.phone {
            if let Some(p) = &old.phone {
                writes.push(Write::Delete {
                    key: keys::customer_phone(&c.business_id, p, &c.id),
                    cond: None,
                });
                writes.push(Write::Delete {
                    key: keys::customer_link(p, &c.business_id, &c.id),
                    cond: None,
                });
            }
            if let Some(p) = &c.phone {
                writes.push(Write::Put {
                    item: phone_item(c, p)?,
                    cond: None,
                });
                writes.push(Write::Put {
                    item: link_item(c, p)?,
                    cond: None,
                });
            }
        }
        self.table.transact(writes).await?;
        Ok(())
    }

    /// `DELETE /v1/customers/{customer_id}`: deactivates (soft delete);
    /// deactivating an inactive customer changes nothing.
    pub async fn deactivate_customer(&self, actor: &Actor, customer_id: &str) -> Result<()> {
        actor.owned_business_id()?;
        let old = self.get_customer(actor, customer_id).await?;
        if old.status == CustomerStatus::Inactive {
            return Ok(());
        }
        let mut c = Customer {
            status: CustomerStatus::Inactive,
            ..old.clone()
        };
        self.save_customer(actor, &old, &mut c).await
    }
}

/// The customer with a patch applied, every field validated (422 naming
/// each bad one).
fn patched(old: &Customer, p: CustomerPatch) -> Result<Customer> {
    let mut errs = Errors::default();
    let name = match &p.name {
        Some(n) => errs.check(validate::text("name", n, 120)),
        None => Some(old.name.clone()),
    };
    let pick = |new: Option<Option<String>>, old: &Option<String>| match new {
        Some(v) => v,
        None => old.clone(),
    };
    // PAN follows a new GSTIN unless the patch sets it too.
    let pan = match (&p.pan, &p.gstin) {
        (Some(v), _) => v.clone(),
        (None, Some(_)) => None,
        (None, None) => old.pan.clone(),
    };
    let f = validate_fields(
        &mut errs,
        Fields {
            phone: pick(p.phone, &old.phone),
            email: pick(p.email, &old.email),
            address: pick(p.address, &old.address),
            business_type: pick(p.business_type, &old.business_type),
            gstin: pick(p.gstin, &old.gstin),
            pan,
            contacts: p.contacts.unwrap_or_else(|| old.contacts.clone()),
            photo_url: pick(p.photo_url, &old.photo_url),
            notes: pick(p.notes, &old.notes),
        },
    );
    errs.finish()?;
    if p.reminders == Some(true) && old.reminders_opted_out_at.is_some() {
        return Err(Error::Conflict {
            detail: "the customer stopped reminders through the link in one; only they can".into(),
            errors: vec![crate::error::FieldError::new(
                "reminders",
                "opted_out_by_customer",
                "stopped by the customer",
            )],
        });
    }
    let c = Customer {
        sms_undeliverable: old.sms_undeliverable && f.phone == old.phone,
        mail_undeliverable: old.mail_undeliverable && f.email == old.email,
        reminders: p.reminders.unwrap_or(old.reminders),
        name: name.unwrap_or_default(),
        phone: f.phone,
        email: f.email,
        address: f.address,
        business_type: f.business_type,
        gstin: f.gstin,
        pan: f.pan,
        contacts: f.contacts,
        photo_url: f.photo_url,
        notes: f.notes,
        status: p.status.unwrap_or(old.status),
        ..old.clone()
    };
    Ok(c)
}

/// The key of a customer, for callers outside this module.
pub fn customer_key(business_id: &str, customer_id: &str) -> Key {
    keys::customer(business_id, customer_id)
}
