//! Reading orders: one, as the business or the customer sees it, and the
//! lists.

use crate::app::{Hisaab, from_item};
use crate::deliveries::orders::{Order, OrderFilter, Side, parse_month};
use crate::error::{Error, Errors, Result};
use crate::identity::{Actor, Role};
use crate::ids::is_id;
use crate::keys;
use crate::paging::{Page, page_limit};
use crate::table::Query;

impl Hisaab {
    /// An order the caller may see, and on which side: 404 for anyone
    /// else (other businesses, other customers).
    pub async fn order_for(&self, actor: &Actor, order_id: &str) -> Result<(Order, Side)> {
        if !is_id("ord", order_id) {
            return Err(Error::NotFound("order"));
        }
        let order: Order = from_item(
            self.table
                .get(&keys::order(order_id))
                .await?
                .ok_or(Error::NotFound("order"))?,
        )?;
        match actor.user.role {
            Role::Owner | Role::Staff
                if actor.user.business_id.as_deref() == Some(order.business_id.as_str()) =>
            {
                Ok((order, Side::Vendor))
            }
            Role::Customer if actor.user.phone_verified => {
                let c = self
                    .customer_of(&order.business_id, &order.customer_id)
                    .await?;
                if c.phone.as_deref() == Some(actor.user.phone.as_str()) {
                    Ok((order, Side::Customer))
                } else {
                    Err(Error::NotFound("order"))
                }
            }
            _ => Err(Error::NotFound("order")),
        }
    }

    /// `GET /v1/orders/{order_id}`: the order with its terms, pending
    /// change and history (business or customer).
    pub async fn get_order(&self, actor: &Actor, order_id: &str) -> Result<Order> {
        Ok(self.order_for(actor, order_id).await?.0)
    }

    /// `GET /v1/orders`: a business's orders (newest `valid_from` first;
    /// by customer, status, type and month; paginated) or, for a customer
    /// user, the orders of every business that has them (one page).
    pub async fn list_orders(&self, actor: &Actor, f: OrderFilter) -> Result<Page<Order>> {
        let mut errs = Errors::default();
        let month = match f.month.as_deref() {
            Some(m) => errs.check(parse_month("month", m).map_err(|e| match e {
                Error::Validation(mut v) => v.remove(0),
                _ => unreachable!("parse_month returns a field error"),
            })),
            None => None,
        };
        let status = f.status.as_deref();
        if let Some(s) = status
            && !["active", "inactive", "pending", "requested", "declined"].contains(&s)
        {
            errs.push(
                "status",
                "invalid",
                "active, inactive, pending, requested or declined",
            );
        }
        let limit = errs.check(page_limit(f.limit, 50, 100).map_err(|e| match e {
            Error::Validation(mut v) => v.remove(0),
            _ => unreachable!("page_limit returns a field error"),
        }));
        errs.finish()?;
        let keep = |o: &Order| {
            status.is_none_or(|s| {
                if s == "pending" {
                    o.pending_change.is_some()
                } else {
                    o.status.as_str() == s
                }
            }) && f.order_type.is_none_or(|t| o.order_type == t)
                && month.is_none_or(|(first, last)| o.overlaps(first, last))
        };
        let upper = |q: Query| match month {
            // Sort keys are `<valid_from>#<id>`: nothing starting after
            // the month can overlap it.
            Some((_, last)) => q.between("0", format!("{last}#~")),
            None => q,
        };
        if actor.user.role == Role::Customer {
            let mut items = vec![];
            for c in self.my_customers(actor, f.business_id.as_deref()).await? {
                let q = upper(
                    Query::on(keys::customer_orders(&c.business_id, &c.id))
                        .descending()
                        .limit(1000),
                );
                let page = self.table.query(&q).await?;
                for item in page.items {
                    let o: Order = from_item(item)?;
                    if keep(&o) {
                        items.push(o);
                    }
                }
            }
            items.sort_by(|a, b| b.valid_from.cmp(&a.valid_from).then(b.id.cmp(&a.id)));
            return Ok(Page {
                items,
                next_cursor: None,
            });
        }
        let bid = actor.business_id()?;
        let partition = match f.customer_id.as_deref() {
            Some(cid) => {
                self.customer_of(bid, cid).await?;
                keys::customer_orders(bid, cid)
            }
            None => keys::orders_by_business(bid),
        };
        let q = upper(Query::on(partition).descending().limit(limit.unwrap_or(50)));
        let binding = format!(
            "orders|{bid}|{}|{}|{}|{}",
            f.customer_id.as_deref().unwrap_or(""),
            status.unwrap_or(""),
            f.order_type.map(|t| format!("{t:?}")).unwrap_or_default(),
            f.month.as_deref().unwrap_or("")
        );
        self.query_page(q, &binding, f.cursor.as_deref(), keep)
            .await
    }
}
