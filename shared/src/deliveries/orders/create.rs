//! New scheduled orders, and on-demand orders a customer requests and the
//! business accepts or declines.

use crate::app::{Hisaab, from_item};
use crate::deliveries::orders::{
    AcceptOrder, ChangeFields, ChangeKind, DayOfWeek, NewOrder, Order, OrderChange, OrderStatus,
    OrderType, Reason, Terms, check_days, check_quantity, check_rate, days_text, order_item,
    rupees, sorted_days,
};
use crate::error::{Error, Errors, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::{Actor, Role};
use crate::ids::{is_id, new_id};
use crate::keys;
use crate::ledger::catalogue::Product;
use crate::ledger::customers::CustomerStatus;
use crate::ledger::settings::tax_rate;
use crate::table::{Cond, Write};
use crate::validate::{self};

impl Hisaab {
    /// `POST /v1/orders`: by a business, a scheduled or on-demand order
    /// for its customer (pending until the customer confirms when they
    /// have an account); by a customer user, a `requested` on-demand
    /// order. 422 names every bad field and writes nothing.
    pub async fn create_order(
        &self,
        actor: &Actor,
        input: NewOrder,
        idem: Option<Idempotency>,
    ) -> Result<(Order, bool)> {
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
        let by_customer = actor.user.role == Role::Customer;
        let (bid, customer) = if by_customer {
            let Some(bid) = input.business_id.clone() else {
                return Err(Error::field(
                    "business_id",
                    "required",
                    "name the business you order from",
                ));
            };
            let mine = self
                .my_customers_in(actor, &bid)
                .await
                .map_err(|e| match e {
                    Error::NotFound(_) => Error::field(
                        "business_id",
                        "unknown_business",
                        "no business that has you as a customer",
                    ),
                    e => e,
                })?;
            let c = mine.into_iter().next().expect("non-empty");
            (bid, Some(c))
        } else {
            let bid = actor.business_id()?.to_string();
            let c = match input.customer_id.as_deref() {
                Some(id) => match self.customer_of(&bid, id).await {
                    Ok(c) => Some(c),
                    Err(Error::NotFound(_)) => None,
                    Err(e) => return Err(e),
                },
                None => None,
            };
            (bid, c)
        };
        let settings = self.business_settings(&bid).await?;
        let today = settings.today(self.clock.now());
        let mut errs = Errors::default();
        if !by_customer {
            match (&input.customer_id, &customer) {
                (None, _) => errs.push("customer_id", "required", "the customer delivered to"),
                (Some(_), None) => errs.push(
                    "customer_id",
                    "unknown_customer",
                    "no such customer in this business",
                ),
                (Some(_), Some(c)) if c.status == CustomerStatus::Inactive => errs.push(
                    "customer_id",
                    "inactive_customer",
                    "reactivate the customer first",
                ),
                _ => {}
            }
            if input.business_id.is_some() {
                errs.push(
                    "business_id",
                    "not_allowed",
                    "a business orders for its own customers",
                );
            }
        } else {
            if input.customer_id.is_some() {
                errs.push(
                    "customer_id",
                    "not_allowed",
                    "customers order for themselves",
                );
            }
            if customer
                .as_ref()
                .is_some_and(|c| c.status == CustomerStatus::Inactive)
            {
                errs.push(
                    "business_id",
                    "inactive_customer",
                    "this business has made your account inactive",
                );
            }
            for (field, given) in [
                ("rate", input.rate.is_some()),
                ("tax_rate_bp", input.tax_rate_bp.is_some()),
            ] {
                if given {
                    errs.push(
                        field,
                        "not_allowed",
                        "the business sets the price and tax when it accepts",
                    );
                }
            }
        }
        let order_type = input.order_type.unwrap_or(if by_customer {
            OrderType::OnDemand
        } else {
            OrderType::Scheduled
        });
        if by_customer && order_type != OrderType::OnDemand {
            errs.push(
                "type",
                "not_allowed",
                "a customer requests on-demand orders; scheduled ones are made by the business",
            );
        }
        let product: Option<Product> = match input.product_id.as_deref() {
            Some(id) if is_id("prd", id) => match self.table.get(&keys::product(&bid, id)).await? {
                Some(item) => Some(from_item(item)?),
                None => None,
            },
            _ => None,
        };
        if input.product_id.is_some() && product.is_none() {
            errs.push(
                "product_id",
                "unknown_product",
                "no such product in this business",
            );
        }
        if let Some(p) = &product
            && !p.active
        {
            errs.push("product_id", "inactive_product", "the product is inactive");
        }
        let item = match (&input.item, &product) {
            (Some(i), _) => errs.check(validate::text("item", i, 200)),
            (None, Some(p)) => Some(p.name.clone()),
            (None, None) => {
                if input.product_id.is_none() {
                    errs.push("item", "required", "what is delivered, or a product_id");
                }
                None
            }
        };
        let unit = match (&input.unit, &product) {
            (Some(u), _) => errs.check(validate::text("unit", u, 20)),
            (None, Some(p)) => Some(p.unit.clone()),
            (None, None) => Some("pcs".into()),
        };
        check_quantity(&mut errs, "quantity", input.quantity);
        let rate = input.rate.or(product.as_ref().map(|p| p.unit_price));
        match rate {
            Some(r) => check_rate(&mut errs, "rate", r),
            None if !by_customer => errs.push(
                "rate",
                "required",
                "paise per unit, or a product_id with a price",
            ),
            None => {}
        }
        let tax = match input.tax_rate_bp {
            Some(t) => tax_rate(&mut errs, "tax_rate_bp", t),
            None => Some(
                product
                    .as_ref()
                    .map(|p| p.tax_rate_bp)
                    .unwrap_or(settings.default_tax_rate_bp),
            ),
        };
        let days = input
            .days
            .clone()
            .unwrap_or_else(|| DayOfWeek::ALL.to_vec());
        check_days(&mut errs, "days", &days);
        let valid_from = input.valid_from.unwrap_or(today);
        let valid_till = match (input.valid_till, order_type) {
            (Some(t), _) => Some(t),
            (None, OrderType::OnDemand) => Some(valid_from),
            (None, OrderType::Scheduled) => None,
        };
        if valid_till.is_some_and(|t| t < valid_from) {
            errs.push(
                "valid_till",
                "before_valid_from",
                "valid_till is before valid_from",
            );
        }
        if by_customer && valid_from < today {
            errs.push(
                "valid_from",
                "in_the_past",
                "an on-demand order is for today or later",
            );
        }
        let notes = input
            .notes
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .and_then(|n| errs.check(validate::text("notes", n, 2000)));
        errs.finish()?;
        let customer = customer.expect("validated");
        let has_account = self.customer_account(&customer).await?.is_some();
        let now = self.clock.now();
        let days = sorted_days(days);
        let quantity = input.quantity;
        let rate = rate.unwrap_or(0);
        let status = if by_customer {
            OrderStatus::Requested
        } else if has_account {
            OrderStatus::Pending
        } else {
            OrderStatus::Active
        };
        let mut o = Order {
            id: new_id("ord"),
            business_id: bid.clone(),
            customer_id: customer.id.clone(),
            customer_name: customer.name.clone(),
            order_type,
            product_id: product.as_ref().map(|p| p.id.clone()),
            item: item.unwrap_or_default(),
            unit: unit.unwrap_or_default(),
            hsn_sac: product.as_ref().and_then(|p| p.hsn_sac.clone()),
            tax_rate_bp: tax.unwrap_or(0),
            quantity,
            rate,
            days: days.clone(),
            terms: vec![Terms {
                from: valid_from,
                quantity,
                rate,
                days,
            }],
            valid_from,
            valid_till,
            notes,
            status,
            pending_change: None,
            customer_has_account: has_account,
            deliveries: 0,
            history: vec![],
            created_by: actor.user.id.clone(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if status == OrderStatus::Pending {
            o.pending_change = Some(OrderChange {
                id: new_id("chg"),
                kind: ChangeKind::Create,
                fields: ChangeFields::default(),
                effective_from: valid_from,
                requested_by: actor.user.id.clone(),
                requested_at: now,
            });
        }
        let summary = format!(
            "{} {} {} at {} per {}, {}, from {}{}",
            o.item,
            o.quantity,
            o.unit,
            rupees(o.rate),
            o.unit,
            days_text(&o.days),
            o.valid_from,
            o.valid_till
                .map(|t| format!(" till {t}"))
                .unwrap_or_default()
        );
        let (action, detail) = match status {
            OrderStatus::Requested => ("requested", format!("requested: {summary}")),
            OrderStatus::Pending => (
                "created",
                format!("created, waiting for the customer: {summary}"),
            ),
            _ => ("created", format!("created: {summary}")),
        };
        o.push_event(now, actor, action, detail);
        let writes = vec![Write::Put {
            item: order_item(&o)?,
            cond: Some(Cond::NotExists),
        }];
        let (o, replayed) = self
            .commit_create(&actor.user.id, idem.as_ref(), writes, o, |_| None)
            .await?
            .ok_or_else(Error::stale)?;
        if !replayed && !by_customer {
            let business = self.business(&bid).await?;
            let text = if status == OrderStatus::Pending {
                format!(
                    "{} set up an order for you on Hisaab: {summary}. Open Hisaab to confirm or reject it.",
                    business.name
                )
            } else {
                format!("{} set up an order for you: {summary}.", business.name)
            };
            self.tell_customer(&customer, &text).await;
        }
        Ok((o, replayed))
    }

    /// `POST /v1/orders/{order_id}/accept` (business): a customer's
    /// `requested` order becomes `active` (with `rate` when the request
    /// had none). 409 unless requested.
    pub async fn accept_order(
        &self,
        actor: &Actor,
        order_id: &str,
        a: AcceptOrder,
    ) -> Result<Order> {
        let bid = actor.business_id()?.to_string();
        let note = match a.note.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(n) => Some(validate::text("note", n, 500)?),
            None => None,
        };
        let (o, customer) = self
            .retrying(|| async {
                let (old, _) = self.order_for(actor, order_id).await?;
                if old.business_id != bid {
                    return Err(Error::NotFound("order"));
                }
                if old.status != OrderStatus::Requested {
                    return Err(Error::Conflict {
                        detail: format!("the order is {}, not requested", old.status.as_str()),
                        errors: vec![],
                    });
                }
                let mut errs = Errors::default();
                if let Some(r) = a.rate {
                    check_rate(&mut errs, "rate", r);
                }
                if a.rate.is_none() && old.rate == 0 {
                    errs.push("rate", "required", "set the price in paise per unit");
                }
                errs.finish()?;
                let now = self.clock.now();
                let mut o = old.clone();
                if let Some(r) = a.rate {
                    o.rate = r;
                    for t in &mut o.terms {
                        t.rate = r;
                    }
                }
                o.status = OrderStatus::Active;
                o.push_event(
                    now,
                    actor,
                    "accepted",
                    format!(
                        "accepted at {} per {}{}",
                        rupees(o.rate),
                        o.unit,
                        note.as_deref()
                            .map(|n| format!(": {n}"))
                            .unwrap_or_default()
                    ),
                );
                let customer = self.customer_of(&bid, &o.customer_id).await?;
                Ok(self.save_order(&old, &mut o).await?.map(|()| (o, customer)))
            })
            .await?;
        let business = self.business(&bid).await?;
        self.tell_customer(
            &customer,
            &format!(
                "{} accepted your order of {} {} {} at {} per {}.",
                business.name,
                o.item,
                o.quantity,
                o.unit,
                rupees(o.rate),
                o.unit
            ),
        )
        .await;
        Ok(o)
    }

    /// `POST /v1/orders/{order_id}/decline` (business): a `requested`
    /// order becomes `declined`. 409 unless requested.
    pub async fn decline_order(&self, actor: &Actor, order_id: &str, r: Reason) -> Result<Order> {
        let bid = actor.business_id()?.to_string();
        let reason = match r.reason.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(n) => Some(validate::text("reason", n, 500)?),
            None => None,
        };
        let (o, customer) = self
            .retrying(|| async {
                let (old, _) = self.order_for(actor, order_id).await?;
                if old.business_id != bid {
                    return Err(Error::NotFound("order"));
                }
                if old.status != OrderStatus::Requested {
                    return Err(Error::Conflict {
                        detail: format!("the order is {}, not requested", old.status.as_str()),
                        errors: vec![],
                    });
                }
                let mut o = old.clone();
                o.status = OrderStatus::Declined;
                o.push_event(
                    self.clock.now(),
                    actor,
                    "declined",
                    format!(
                        "declined{}",
                        reason
                            .as_deref()
                            .map(|n| format!(": {n}"))
                            .unwrap_or_default()
                    ),
                );
                let customer = self.customer_of(&bid, &o.customer_id).await?;
                Ok(self.save_order(&old, &mut o).await?.map(|()| (o, customer)))
            })
            .await?;
        let business = self.business(&bid).await?;
        self.tell_customer(
            &customer,
            &format!("{} declined your order of {}.", business.name, o.item),
        )
        .await;
        Ok(o)
    }
}
