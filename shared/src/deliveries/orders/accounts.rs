//! The customer user's side: the customer records that name the caller's
//! phone in each business, the vendors list, and SMS to a customer.

use crate::app::{Hisaab, from_item};
use crate::deliveries::orders::{Vendor, VendorList};
use crate::error::{Error, Result};
use crate::identity::{Actor, Role, User, UserStatus};
use crate::keys;
use crate::ledger::customers::Customer;
use crate::table::Query;
use crate::validate::Phone;

impl Hisaab {
    /// The customer records (business id, customer id) linked to the
    /// caller's verified phone, by business id.
    pub(crate) async fn linked_customers(&self, actor: &Actor) -> Result<Vec<(String, String)>> {
        let phone = actor.customer_phone()?;
        let items = self
            .query_items(Query::on(keys::customer_links(phone)).limit(1000))
            .await?;
        Ok(items
            .iter()
            .map(|item| {
                let s = |k: &str| {
                    item.get(k)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string()
                };
                (s("business_id"), s("customer_id"))
            })
            .collect())
    }

    /// The caller's customer records in one business (404 when none).
    pub(crate) async fn my_customers_in(
        &self,
        actor: &Actor,
        business_id: &str,
    ) -> Result<Vec<Customer>> {
        let out = self.my_customers(actor, Some(business_id)).await?;
        if out.is_empty() {
            return Err(Error::NotFound("business"));
        }
        Ok(out)
    }

    /// The caller's customer records (of one business, when given): the
    /// linked records whose phone is still the caller's.
    pub(crate) async fn my_customers(
        &self,
        actor: &Actor,
        business_id: Option<&str>,
    ) -> Result<Vec<Customer>> {
        let mut out = vec![];
        for (b, c) in self.linked_customers(actor).await? {
            if business_id.is_none_or(|id| id == b)
                && let Ok(c) = self.customer_of(&b, &c).await
                && c.phone.as_deref() == Some(actor.user.phone.as_str())
            {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Whether the customer has an account: a customer user, active, whose
    /// verified phone is the customer's phone.
    pub(crate) async fn customer_account(&self, c: &Customer) -> Result<Option<User>> {
        let Some(phone) = &c.phone else {
            return Ok(None);
        };
        let Some(u) = self.table.get(&keys::unique_phone(phone)).await? else {
            return Ok(None);
        };
        let id = u
            .get("user_id")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let Some(item) = self.table.get(&keys::user(id)).await? else {
            return Ok(None);
        };
        let user: User = from_item(item)?;
        Ok((user.role == Role::Customer
            && user.phone_verified
            && user.status == UserStatus::Active)
            .then_some(user))
    }

    /// Texts the customer of an order (failures are logged, never fatal).
    pub(crate) async fn tell_customer(&self, c: &Customer, body: &str) {
        let Some(p) = c
            .phone
            .as_deref()
            .and_then(|p| Phone::parse("phone", p).ok())
        else {
            return;
        };
        if let Err(e) = self.sms.send_sms(&p, body).await {
            tracing::warn!(error = %e, "order SMS not sent");
        }
    }

    /// `GET /v1/vendors` (customer users): every business that has the
    /// caller as a customer, with the balance in each direction.
    pub async fn list_vendors(&self, actor: &Actor) -> Result<VendorList> {
        let mut items = vec![];
        for c in self.my_customers(actor, None).await? {
            let business = self.business(&c.business_id).await?;
            items.push(Vendor {
                business_id: c.business_id,
                business_name: business.name,
                customer_id: c.id,
                customer_name: c.name,
                balance: c.balance,
                you_owe: c.balance.max(0),
                owed_to_you: (-c.balance).max(0),
            });
        }
        items.sort_by(|a, b| a.business_name.cmp(&b.business_name));
        Ok(VendorList {
            total_you_owe: items.iter().map(|v| v.you_owe).sum(),
            total_owed_to_you: items.iter().map(|v| v.owed_to_you).sum(),
            items,
        })
    }
}
