//! Changes to an order: applied at once, or pending until the customer
//! with an account confirms or rejects them; deleting an order.

use crate::app::Hisaab;
use crate::deliveries::orders::{
    ChangeFields, ChangeKind, Order, OrderChange, OrderPatch, OrderStatus, Side, check_days,
    check_quantity, check_rate, describe, order_item, sorted_days,
};
use crate::error::{Error, Errors, Result};
use crate::identity::Actor;
use crate::ids::new_id;
use crate::keys;
use crate::table::{Cond, Write};
use crate::validate::{self};

impl Hisaab {
    /// Writes a changed order under the version read (`Ok(None)`: lost a
    /// race; the caller re-reads).
    pub(crate) async fn save_order(&self, old: &Order, o: &mut Order) -> Result<Option<()>> {
        o.version = old.version + 1;
        o.updated_at = self.clock.now();
        self.commit(
            vec![Write::Put {
                item: order_item(o)?,
                cond: Some(Cond::version(old.version)),
            }],
            (),
        )
        .await
    }

    /// `PATCH /v1/orders/{order_id}` (business): see [`OrderPatch`].
    pub async fn update_order(
        &self,
        actor: &Actor,
        order_id: &str,
        p: OrderPatch,
    ) -> Result<Order> {
        let bid = actor.business_id()?.to_string();
        let out = self
            .retrying(|| async {
                let (old, _) = self.order_for(actor, order_id).await?;
                if old.business_id != bid {
                    return Err(Error::NotFound("order"));
                }
                if p.version.is_some_and(|v| v != old.version) {
                    return Err(Error::stale());
                }
                let settings = self.business_settings(&bid).await?;
                let today = settings.today(self.clock.now());
                let mut errs = Errors::default();
                let mut f = ChangeFields::default();
                let effective_from = p.effective_from.unwrap_or(today);
                // Compared with the terms that would be replaced.
                let base = old.terms_on(effective_from.max(old.valid_from)).clone();
                if let Some(q) = p.quantity {
                    check_quantity(&mut errs, "quantity", q);
                    f.quantity = (q != base.quantity).then_some(q);
                }
                if let Some(r) = p.rate {
                    check_rate(&mut errs, "rate", r);
                    f.rate = (r != base.rate).then_some(r);
                }
                if let Some(d) = &p.days {
                    check_days(&mut errs, "days", d);
                    let d = sorted_days(d.clone());
                    f.days = (d != base.days).then_some(d);
                }
                if let Some(d) = p.valid_from {
                    f.valid_from = (d != old.valid_from).then_some(d);
                }
                match p.valid_till {
                    Some(Some(d)) if Some(d) != old.valid_till => f.valid_till = Some(d),
                    Some(None) if old.valid_till.is_some() => f.clear_valid_till = true,
                    _ => {}
                }
                let from = p.valid_from.unwrap_or(old.valid_from);
                let till = match p.valid_till {
                    Some(t) => t,
                    None => old.valid_till,
                };
                if till.is_some_and(|t| t < from) {
                    errs.push("valid_till", "before_valid_from", "valid_till is before valid_from");
                }
                if let Some(s) = p.status {
                    if !matches!(s, OrderStatus::Active | OrderStatus::Inactive) {
                        errs.push("status", "invalid", "active or inactive");
                    } else if s != old.status {
                        if !matches!(old.status, OrderStatus::Active | OrderStatus::Inactive) {
                            errs.push(
                                "status",
                                "not_allowed",
                                format!("a {} order cannot be switched on or off", old.status.as_str()),
                            );
                        }
                        f.status = Some(s);
                    }
                }
                if effective_from < today {
                    errs.push("effective_from", "in_the_past", "today or later");
                }
                let item = p
                    .item
                    .as_deref()
                    .and_then(|i| errs.check(validate::text("item", i, 200)));
                let notes = match &p.notes {
                    Some(Some(n)) if !n.trim().is_empty() => {
                        errs.check(validate::text("notes", n, 2000)).map(Some)
                    }
                    Some(_) => Some(None),
                    None => None,
                };
                errs.finish()?;
                if matches!(old.status, OrderStatus::Declined) {
                    return Err(Error::Conflict {
                        detail: "a declined order cannot be changed".into(),
                        errors: vec![],
                    });
                }
                let customer = self.customer_of(&bid, &old.customer_id).await?;
                let has_account = self.customer_account(&customer).await?.is_some();
                let now = self.clock.now();
                let mut o = old.clone();
                o.customer_has_account = has_account;
                if let Some(i) = &item {
                    o.push_event(now, actor, "edited", format!("item renamed to {i}"));
                    o.item = i.clone();
                }
                if let Some(n) = notes {
                    o.notes = n;
                    o.push_event(now, actor, "edited", "notes changed".into());
                }
                let mut text = None;
                if !f.is_empty() {
                    let what = describe(&f, &o.unit);
                    // A new order that waits for confirmation, or one
                    // requested by the customer, changes in place.
                    if o.status == OrderStatus::Requested {
                        return Err(Error::Conflict {
                            detail: "a customer's request is accepted (with a rate) or declined, not changed".into(),
                            errors: vec![],
                        });
                    }
                    if o.status == OrderStatus::Pending {
                        o.apply(&f, o.valid_from.min(effective_from));
                        // A new id: a confirmation of the terms seen before
                        // this change no longer matches.
                        if let Some(ch) = &mut o.pending_change {
                            ch.id = new_id("chg");
                            ch.requested_at = now;
                        }
                        o.push_event(now, actor, "changed", format!("changed before confirmation: {what}"));
                        text = Some(format!(
                            "changed the order of {} waiting for you: {what}. Open Hisaab to confirm or reject it.",
                            o.item
                        ));
                    } else if has_account {
                        let ch = OrderChange {
                            id: new_id("chg"),
                            kind: ChangeKind::Update,
                            fields: f.clone(),
                            effective_from,
                            requested_by: actor.user.id.clone(),
                            requested_at: now,
                        };
                        o.push_event(
                            now,
                            actor,
                            "change_requested",
                            format!("asked the customer to confirm: {what} (change {})", ch.id),
                        );
                        o.pending_change = Some(ch);
                        text = Some(format!(
                            "asks you to confirm a change to your order of {}: {what}, from {effective_from}. Open Hisaab to confirm or reject it.",
                            o.item
                        ));
                    } else {
                        o.pending_change = None;
                        o.apply(&f, effective_from);
                        o.push_event(now, actor, "changed", format!("{what}, from {effective_from}"));
                        text = Some(format!("changed your order of {}: {what}, from {effective_from}.", o.item));
                    }
                }
                match self.save_order(&old, &mut o).await? {
                    Some(()) => Ok(Some((o, text, customer))),
                    None if p.version.is_some() => Err(Error::stale()),
                    None => Ok(None),
                }
            })
            .await?;
        let (o, text, customer) = out;
        if let Some(t) = text {
            let business = self.business(&bid).await?;
            self.tell_customer(&customer, &format!("{} {t}", business.name))
                .await;
        }
        Ok(o)
    }

    /// `POST /v1/orders/{order_id}/changes/{change_id}/confirm` or
    /// `/reject` (the customer): applies the pending change (terms from
    /// its effective date or today, whichever is later) or drops it. A
    /// rejected new order is `declined`. 404 when the change is not the
    /// order's pending change.
    pub async fn decide_change(
        &self,
        actor: &Actor,
        order_id: &str,
        change_id: &str,
        confirm: bool,
        reason: Option<String>,
    ) -> Result<Order> {
        let reason = match reason.as_deref().filter(|r| !r.trim().is_empty()) {
            Some(r) => Some(validate::text("reason", r, 500)?),
            None => None,
        };
        self.retrying(|| async {
            let (old, side) = self.order_for(actor, order_id).await?;
            if side != Side::Customer {
                return Err(Error::Forbidden(
                    "only the customer confirms or rejects a change".into(),
                ));
            }
            let Some(ch) = old.pending_change.clone().filter(|c| c.id == change_id) else {
                return Err(Error::NotFound("change"));
            };
            let today = self
                .business_settings(&old.business_id)
                .await?
                .today(self.clock.now());
            let now = self.clock.now();
            let mut o = old.clone();
            o.pending_change = None;
            let why = reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            match (ch.kind, confirm) {
                (ChangeKind::Create, true) => {
                    o.status = OrderStatus::Active;
                    o.push_event(now, actor, "confirmed", format!("order confirmed{why}"));
                }
                (ChangeKind::Create, false) => {
                    o.status = OrderStatus::Declined;
                    o.push_event(now, actor, "rejected", format!("order rejected{why}"));
                }
                (ChangeKind::Update, true) => {
                    let from = ch.effective_from.max(today);
                    o.apply(&ch.fields, from);
                    o.push_event(
                        now,
                        actor,
                        "confirmed",
                        format!(
                            "change {} confirmed: {}, from {from}{why}",
                            ch.id,
                            describe(&ch.fields, &o.unit)
                        ),
                    );
                }
                (ChangeKind::Update, false) => {
                    o.push_event(
                        now,
                        actor,
                        "rejected",
                        format!("change {} rejected{why}", ch.id),
                    );
                }
            }
            Ok(self.save_order(&old, &mut o).await?.map(|()| o))
        })
        .await
    }

    /// `DELETE /v1/orders/{order_id}` (business): deletes an order that
    /// has no delivery records (409 otherwise: deactivate it instead).
    pub async fn delete_order(&self, actor: &Actor, order_id: &str) -> Result<()> {
        let bid = actor.owned_business_id()?;
        let (o, _) = self.order_for(actor, order_id).await?;
        if o.business_id != bid {
            return Err(Error::NotFound("order"));
        }
        if o.deliveries > 0 {
            return Err(Error::Conflict {
                detail: format!(
                    "the order has {} delivery records; make it inactive instead",
                    o.deliveries
                ),
                errors: vec![],
            });
        }
        // The version guards against a delivery marked since the read
        // (every mark raises it).
        self.table
            .delete(
                &keys::order(order_id),
                Some(Cond::And(vec![
                    Cond::version(o.version),
                    Cond::Equals("deliveries".into(), 0.into()),
                ])),
            )
            .await?;
        Ok(())
    }
}
