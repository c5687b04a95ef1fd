//! Issuing, editing, numbering, cancelling and deleting (drafts) invoices, each in one
//! transaction with the customer's balance and the business's figures.

use crate::app::{Hisaab, from_item, to_item};
use crate::error::{Error, Errors, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::Actor;
use crate::ids::{is_id, new_id};
use crate::keys;
use crate::ledger::aggregates::Deltas;
use crate::ledger::catalogue::Product;
use crate::ledger::customers::{Customer, CustomerStatus, customer_item};
use crate::ledger::invoices::compute::{compute, place_of_supply};
use crate::ledger::invoices::{
    CancelInvoice, Invoice, InvoiceEvent, InvoicePatch, InvoiceStatus, LineInput, NewInvoice,
    Supply, check_dates, invoice_item, line_input,
};
use crate::ledger::settings::Settings;
use crate::table::{Cond, Key, PK, Query, SK, Write};
use crate::validate;
use std::collections::HashMap;

impl Hisaab {
    /// The write of one history entry of an invoice.
    pub(crate) fn event_write(
        &self,
        inv: &Invoice,
        by: &str,
        action: &str,
        detail: String,
    ) -> Result<Write> {
        let e = InvoiceEvent {
            id: new_id("evt"),
            at: self.clock.now(),
            by: by.to_string(),
            action: action.to_string(),
            detail,
        };
        let key = keys::invoice_event(&inv.business_id, &inv.id, &e.id);
        Ok(Write::Put {
            item: to_item("invoice_event", &key, &e)?,
            cond: Some(Cond::NotExists),
        })
    }

    /// The write that saves an invoice: created (must not exist) or
    /// replaced under the version it was read at.
    pub(crate) fn invoice_write(&self, inv: &Invoice, read_version: Option<i64>) -> Result<Write> {
        Ok(Write::Put {
            item: invoice_item(inv)?,
            cond: Some(match read_version {
                None => Cond::NotExists,
                Some(v) => Cond::version(v),
            }),
        })
    }

    /// The write that saves a customer whose balance changed, under the
    /// version read.
    pub(crate) fn customer_balance_write(&self, old: &Customer, balance: i64) -> Result<Write> {
        let c = Customer {
            balance,
            version: old.version + 1,
            updated_at: self.clock.now(),
            ..old.clone()
        };
        Ok(Write::Put {
            item: customer_item(&c)?,
            cond: Some(Cond::version(old.version)),
        })
    }

    /// A customer of the business, read strongly.
    pub(crate) async fn customer_of(
        &self,
        business_id: &str,
        customer_id: &str,
    ) -> Result<Customer> {
        if !is_id("cus", customer_id) {
            return Err(Error::NotFound("customer"));
        }
        from_item(
            self.table
                .get(&keys::customer(business_id, customer_id))
                .await?
                .ok_or(Error::NotFound("customer"))?,
        )
    }

    /// The products named by the lines (unknown ones are simply absent).
    pub(crate) async fn line_products(
        &self,
        business_id: &str,
        lines: &[LineInput],
    ) -> Result<HashMap<String, Product>> {
        let mut out = HashMap::new();
        for id in lines.iter().filter_map(|l| l.product_id.as_deref()) {
            if out.contains_key(id) || !is_id("prd", id) {
                continue;
            }
            if let Some(item) = self.table.get(&keys::product(business_id, id)).await? {
                out.insert(id.to_string(), from_item(item)?);
            }
        }
        Ok(out)
    }

    /// Makes sure the next sequence number is free: a number taken before
    /// (after the prefix or counter was set back) is skipped by moving the
    /// counter on. Returns `false` when the counter moved (read again).
    async fn number_is_free(&self, settings: &Settings) -> Result<bool> {
        let number = settings.invoice_number(settings.next_invoice_number);
        if self
            .table
            .get(&keys::invoice_number(&settings.business_id, &number))
            .await?
            .is_none()
        {
            return Ok(true);
        }
        match self
            .table
            .transact(vec![settings.take_number_write()?])
            .await
        {
            Ok(()) | Err(crate::table::TableError::ConditionFailed { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The writes that issue an invoice: its number (unique), the counter,
    /// the customer's balance, and the customer's advances applied to it;
    /// sets number, previous balance, issue time and the amount paid.
    async fn issue_writes(
        &self,
        inv: &mut Invoice,
        settings: &Settings,
        customer: &Customer,
    ) -> Result<Vec<Write>> {
        let number = settings.invoice_number(settings.next_invoice_number);
        inv.number = Some(number.clone());
        inv.previous_balance = Some(customer.balance);
        inv.issued_at = Some(self.clock.now());
        inv.reminder = crate::ledger::reminder_policy::ReminderState::at_issue(
            &settings.reminders,
            inv.due_date,
            &crate::ledger::reminder_policy::time_zone(&settings.time_zone),
            self.clock.now(),
        );
        let unique = to_item(
            "unique",
            &keys::invoice_number(&inv.business_id, &number),
            &serde_json::json!({ "invoice_id": inv.id }),
        )?;
        let mut writes = vec![
            Write::Put {
                item: unique,
                cond: Some(Cond::NotExists),
            },
            settings.take_number_write()?,
            self.customer_balance_write(customer, customer.balance + inv.total)?,
        ];
        if customer.balance < 0 {
            writes.extend(self.apply_advances(inv, customer).await?);
        }
        Ok(writes)
    }

    /// `POST /v1/invoices`: validates everything (422 naming each bad
    /// field; nothing is written), computes the figures, and — unless
    /// `draft` — issues it with the next number, adding its total to the
    /// customer's balance and the aggregates in the same transaction.
    /// Concurrent creates retry until each has its own number.
    pub async fn create_invoice(
        &self,
        actor: &Actor,
        input: NewInvoice,
        idem: Option<Idempotency>,
    ) -> Result<(Invoice, bool)> {
        let bid = actor.business_id()?.to_string();
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
        let products = self.line_products(&bid, &input.lines).await?;
        self.retrying(|| self.try_create_invoice(actor, &bid, &input, &products, idem.as_ref()))
            .await
    }

    async fn try_create_invoice(
        &self,
        actor: &Actor,
        bid: &str,
        input: &NewInvoice,
        products: &HashMap<String, Product>,
        idem: Option<&Idempotency>,
    ) -> Result<Option<(Invoice, bool)>> {
        let Some((inv, writes)) = self.prepare_invoice(actor, bid, input, products).await? else {
            return Ok(None);
        };
        self.commit_create(&actor.user.id, idem, writes, inv, |_| None)
            .await
    }

    /// Validates a new invoice and builds it with every write that creates
    /// it (invoice, history, number, counter, balance, advances,
    /// aggregates), for callers that commit more writes in the same
    /// transaction (month settlement). `Ok(None)`: the next number was
    /// taken; read again.
    pub(crate) async fn prepare_invoice(
        &self,
        actor: &Actor,
        bid: &str,
        input: &NewInvoice,
        products: &HashMap<String, Product>,
    ) -> Result<Option<(Invoice, Vec<Write>)>> {
        let settings = self.business_settings(bid).await?;
        let customer = match self.customer_of(bid, &input.customer_id).await {
            Ok(c) => Some(c),
            Err(Error::NotFound(_)) => None,
            Err(e) => return Err(e),
        };
        let mut errs = Errors::default();
        match &customer {
            None => errs.push(
                "customer_id",
                "unknown_customer",
                "no such customer in this business",
            ),
            Some(c) if c.status == CustomerStatus::Inactive => errs.push(
                "customer_id",
                "inactive_customer",
                "reactivate the customer before billing them",
            ),
            _ => {}
        }
        let Some(customer) = customer else {
            // Validate the rest too, so that every bad field is named.
            let dummy = Settings::defaults(bid);
            compute(
                &mut errs,
                &input.lines,
                products,
                &dummy,
                Supply::IntraState,
            );
            return Err(Error::Validation(errs.0));
        };
        let (pos, supply) = place_of_supply(
            &mut errs,
            input.place_of_supply.as_deref(),
            &customer,
            &settings,
        );
        let c = compute(&mut errs, &input.lines, products, &settings, supply);
        let today = settings.today(self.clock.now());
        let invoice_date = input.invoice_date.unwrap_or(today);
        let due_date = match input.due_date {
            Some(d) => d,
            None => invoice_date
                .checked_add(jiff::Span::new().days(settings.payment_terms_days))
                .map_err(|e| Error::Internal(e.into()))?,
        };
        check_dates(&mut errs, invoice_date, due_date);
        let notes = input
            .notes
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .and_then(|n| errs.check(validate::text("notes", n, 2000)));
        errs.finish()?;
        if !input.draft && !self.number_is_free(&settings).await? {
            return Ok(None);
        }
        let now = self.clock.now();
        let mut inv = Invoice {
            id: new_id("inv"),
            business_id: bid.to_string(),
            customer_id: customer.id.clone(),
            customer_name: customer.name.clone(),
            customer_gstin: customer.gstin.clone(),
            number: None,
            invoice_date,
            due_date,
            place_of_supply: pos,
            supply,
            lines: c.lines,
            subtotal: c.subtotal,
            discount_total: c.discount_total,
            taxable_total: c.taxable_total,
            cgst_total: c.cgst_total,
            sgst_total: c.sgst_total,
            igst_total: c.igst_total,
            tax_total: c.tax_total,
            total: c.total,
            previous_balance: None,
            amount_paid: 0,
            balance_due: c.total,
            cost_of_goods: None,
            gross_margin: None,
            stock_warnings: vec![],
            status: InvoiceStatus::Draft,
            disputed: false,
            reminder: Default::default(),
            notes,
            issued_at: None,
            cancelled_at: None,
            cancel_reason: None,
            created_by: actor.user.id.clone(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let mut writes = vec![];
        if !input.draft {
            writes = self.issue_writes(&mut inv, &settings, &customer).await?;
        }
        let mut inv = inv.with_status_on(today);
        let mut deltas = Deltas::default();
        writes.extend(
            self.invoice_stock_writes(
                &settings,
                &mut inv,
                None,
                &actor.user.id,
                products,
                &mut deltas,
            )
            .await?,
        );
        deltas.change(None, &inv);
        writes.push(self.invoice_write(&inv, None)?);
        writes.push(self.event_write(
            &inv,
            &actor.user.id,
            "created",
            match &inv.number {
                Some(n) => format!("issued as {n}"),
                None => "saved as a draft".into(),
            },
        )?);
        writes.extend(deltas.into_writes());
        Ok(Some((inv, writes)))
    }

    /// `PATCH /v1/invoices/{invoice_id}`: changes lines, dates, place of
    /// supply or notes of a draft, or of an issued invoice with no
    /// payments (409 otherwise). An issued invoice's change of total moves
    /// the customer's balance and the aggregates in the same transaction.
    pub async fn update_invoice(
        &self,
        actor: &Actor,
        invoice_id: &str,
        p: InvoicePatch,
    ) -> Result<Invoice> {
        let bid = actor.business_id()?.to_string();
        let new_lines = p.lines.clone();
        let products = match &new_lines {
            Some(l) => self.line_products(&bid, l).await?,
            None => HashMap::new(),
        };
        self.retrying(|| async {
            let old = self.invoice_of(&bid, invoice_id).await?;
            if p.version.is_some_and(|v| v != old.version) {
                return Err(Error::stale());
            }
            if old.is_cancelled() || old.amount_paid > 0 || old.disputed {
                return Err(Error::Conflict {
                    detail: "only drafts and unpaid invoices without payments can be changed"
                        .into(),
                    errors: vec![],
                });
            }
            let settings = self.business_settings(&bid).await?;
            let customer = self.customer_of(&bid, &old.customer_id).await?;
            let mut errs = Errors::default();
            let pos_given = match &p.place_of_supply {
                Some(v) => v.clone(),
                None => old.place_of_supply.clone(),
            };
            let (pos, supply) =
                place_of_supply(&mut errs, pos_given.as_deref(), &customer, &settings);
            let inputs: Vec<LineInput> = match &new_lines {
                Some(l) => l.clone(),
                None => old.lines.iter().map(line_input).collect(),
            };
            let mut products = products.clone();
            for l in &old.lines {
                if let Some(id) = &l.product_id
                    && !products.contains_key(id)
                    && let Some(item) = self.table.get(&keys::product(&bid, id)).await?
                {
                    let mut prd: Product = from_item(item)?;
                    // Lines already on the invoice keep a deactivated product.
                    prd.active = true;
                    products.insert(id.clone(), prd);
                }
            }
            let c = compute(&mut errs, &inputs, &products, &settings, supply);
            let invoice_date = p.invoice_date.unwrap_or(old.invoice_date);
            let due_date = p.due_date.unwrap_or(old.due_date);
            check_dates(&mut errs, invoice_date, due_date);
            let notes = match &p.notes {
                Some(n) => n
                    .as_deref()
                    .filter(|n| !n.trim().is_empty())
                    .and_then(|n| errs.check(validate::text("notes", n, 2000))),
                None => old.notes.clone(),
            };
            errs.finish()?;
            let today = settings.today(self.clock.now());
            let mut new = Invoice {
                customer_name: customer.name.clone(),
                customer_gstin: customer.gstin.clone(),
                invoice_date,
                due_date,
                place_of_supply: pos,
                supply,
                lines: c.lines,
                subtotal: c.subtotal,
                discount_total: c.discount_total,
                taxable_total: c.taxable_total,
                cgst_total: c.cgst_total,
                sgst_total: c.sgst_total,
                igst_total: c.igst_total,
                tax_total: c.tax_total,
                total: c.total,
                balance_due: c.total,
                notes,
                updated_at: self.clock.now(),
                version: old.version + 1,
                ..old.clone()
            }
            .with_status_on(today);
            if old.is_issued() && new.due_date != old.due_date {
                // The stages follow the new due date; those already sent stay sent.
                let tz = crate::ledger::reminder_policy::time_zone(&settings.time_zone);
                new.reminder.next_at = settings
                    .reminders
                    .next_stage(new.due_date, new.reminder.last_stage, &tz)
                    .map(|n| n.1);
            }
            let mut deltas = Deltas::default();
            let stock = self
                .invoice_stock_writes(
                    &settings,
                    &mut new,
                    old.is_issued().then_some(old.lines.as_slice()),
                    &actor.user.id,
                    &products,
                    &mut deltas,
                )
                .await?;
            let mut writes = vec![self.invoice_write(&new, Some(old.version))?];
            writes.extend(stock);
            if old.is_issued() && new.total != old.total {
                writes.push(
                    self.customer_balance_write(
                        &customer,
                        customer.balance + new.total - old.total,
                    )?,
                );
            }
            writes.push(self.event_write(&new, &actor.user.id, "updated", changes(&old, &new))?);
            deltas.change(Some(&old), &new);
            writes.extend(deltas.into_writes());
            self.commit(writes, new).await
        })
        .await
    }

    /// Commits writes that update existing items under version conditions:
    /// `Ok(None)` when a condition or a concurrent transaction lost the
    /// race (the caller retries).
    pub(crate) async fn commit<T>(&self, writes: Vec<Write>, value: T) -> Result<Option<T>> {
        match self.table.transact(writes).await {
            Ok(()) => Ok(Some(value)),
            Err(crate::table::TableError::ConditionFailed { .. })
            | Err(crate::table::TableError::Contention) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// `POST /v1/invoices/{invoice_id}/issue`: gives a draft the next
    /// number and counts it in the customer's balance (409 when it is not
    /// a draft).
    pub async fn issue_invoice(&self, actor: &Actor, invoice_id: &str) -> Result<Invoice> {
        let bid = actor.business_id()?.to_string();
        self.retrying(|| async {
            let old = self.invoice_of(&bid, invoice_id).await?;
            if old.is_issued() || old.is_cancelled() {
                return Err(Error::Conflict {
                    detail: "only a draft can be issued".into(),
                    errors: vec![],
                });
            }
            let settings = self.business_settings(&bid).await?;
            let customer = self.customer_of(&bid, &old.customer_id).await?;
            if !self.number_is_free(&settings).await? {
                return Ok(None);
            }
            let mut new = Invoice {
                customer_name: customer.name.clone(),
                updated_at: self.clock.now(),
                version: old.version + 1,
                ..old.clone()
            };
            let mut writes = self.issue_writes(&mut new, &settings, &customer).await?;
            let mut new = new.with_status_on(settings.today(self.clock.now()));
            let mut deltas = Deltas::default();
            writes.extend(
                self.invoice_stock_writes(
                    &settings,
                    &mut new,
                    None,
                    &actor.user.id,
                    &HashMap::new(),
                    &mut deltas,
                )
                .await?,
            );
            writes.push(self.invoice_write(&new, Some(old.version))?);
            writes.push(self.event_write(
                &new,
                &actor.user.id,
                "issued",
                format!("issued as {}", new.number.as_deref().unwrap_or_default()),
            )?);
            deltas.change(Some(&old), &new);
            writes.extend(deltas.into_writes());
            self.commit(writes, new).await
        })
        .await
    }

    /// `POST /v1/invoices/{invoice_id}/cancel`: cancels a draft or an
    /// invoice without payments (409 otherwise: void its payments first).
    /// It leaves the customer's balance and the receivables at once; its
    /// number stays used.
    pub async fn cancel_invoice(
        &self,
        actor: &Actor,
        invoice_id: &str,
        c: CancelInvoice,
    ) -> Result<Invoice> {
        let bid = actor.owned_business_id()?.to_string();
        let reason = c
            .reason
            .as_deref()
            .filter(|r| !r.trim().is_empty())
            .map(|r| validate::text("reason", r, 500))
            .transpose()?;
        self.retrying(|| async {
            let old = self.invoice_of(&bid, invoice_id).await?;
            if old.is_cancelled() {
                return Err(Error::Conflict {
                    detail: "the invoice is already cancelled".into(),
                    errors: vec![],
                });
            }
            if old.amount_paid > 0 {
                return Err(Error::Conflict {
                    detail: "the invoice has payments; void them before cancelling it".into(),
                    errors: vec![],
                });
            }
            let settings = self.business_settings(&bid).await?;
            let now = self.clock.now();
            let mut new = Invoice {
                balance_due: 0,
                cancelled_at: Some(now),
                cancel_reason: reason.clone(),
                updated_at: now,
                version: old.version + 1,
                ..old.clone()
            }
            .with_status_on(settings.today(now));
            let mut deltas = Deltas::default();
            let stock = self
                .invoice_stock_writes(
                    &settings,
                    &mut new,
                    old.is_issued().then_some(old.lines.as_slice()),
                    &actor.user.id,
                    &HashMap::new(),
                    &mut deltas,
                )
                .await?;
            let mut writes = vec![self.invoice_write(&new, Some(old.version))?];
            writes.extend(stock);
            if old.is_open() {
                let customer = self.customer_of(&bid, &old.customer_id).await?;
                writes.push(
                    self.customer_balance_write(&customer, customer.balance - old.balance_due)?,
                );
            }
            writes.push(self.event_write(
                &new,
                &actor.user.id,
                "cancelled",
                reason.clone().unwrap_or_else(|| "cancelled".into()),
            )?);
            deltas.change(Some(&old), &new);
            writes.extend(deltas.into_writes());
            self.commit(writes, new).await
        })
        .await
    }

    /// `DELETE /v1/invoices/{invoice_id}`: deletes a draft with its
    /// history and takes it out of the draft figures, in one transaction
    /// guarded by the version read (409 for an issued or cancelled
    /// invoice: cancel those instead, their numbers stay used). A draft
    /// with more than 98 history entries loses the rest in later
    /// transactions; they are unreachable once the invoice is gone.
    pub async fn delete_invoice(&self, actor: &Actor, invoice_id: &str) -> Result<()> {
        let bid = actor.owned_business_id()?.to_string();
        let old = self.invoice_of(&bid, invoice_id).await?;
        if old.is_issued() || old.is_cancelled() {
            return Err(Error::Conflict {
                detail: "only a draft can be deleted; cancel an issued invoice".into(),
                errors: vec![],
            });
        }
        let items = self
            .query_items(Query::on(keys::invoice_partition(&bid, invoice_id)).limit(1000))
            .await?;
        let keys_of = |entity: &str| {
            items
                .iter()
                .filter(|i| i.get("entity").and_then(|e| e.as_str()) == Some(entity))
                .filter_map(|i| {
                    let s = |a: &str| i.get(a).and_then(|v| v.as_str()).map(str::to_owned);
                    Some(Key::new(s(PK)?, s(SK)?))
                })
                .collect::<Vec<_>>()
        };
        let mut events = keys_of("invoice_event");
        let mut writes = vec![Write::Delete {
            key: keys::invoice(&bid, invoice_id),
            cond: Some(Cond::version(old.version)),
        }];
        let mut deltas = Deltas::default();
        deltas.invoice(&old, -1);
        writes.extend(deltas.into_writes());
        let now: Vec<Key> = events
            .drain(..events.len().min(100 - writes.len()))
            .collect();
        writes.extend(now.into_iter().map(|key| Write::Delete { key, cond: None }));
        if self.commit(writes, ()).await?.is_none() {
            return Err(Error::Conflict {
                detail: "the invoice changed while it was being deleted; read it again".into(),
                errors: vec![],
            });
        }
        for chunk in events.chunks(100) {
            let rest = chunk
                .iter()
                .map(|key| Write::Delete {
                    key: key.clone(),
                    cond: None,
                })
                .collect();
            self.table.transact(rest).await?;
        }
        Ok(())
    }
}

/// What an update changed, for the invoice's history: `total 100000 →
/// 120000; due date 2026-12-11 → 2026-12-20` (amounts in paise).
fn changes(old: &Invoice, new: &Invoice) -> String {
    let mut parts = vec![];
    if old.total != new.total {
        parts.push(format!("total {} → {}", old.total, new.total));
    }
    if old.invoice_date != new.invoice_date {
        parts.push(format!(
            "invoice date {} → {}",
            old.invoice_date, new.invoice_date
        ));
    }
    if old.due_date != new.due_date {
        parts.push(format!("due date {} → {}", old.due_date, new.due_date));
    }
    if old.lines.len() != new.lines.len() {
        parts.push(format!("{} → {} lines", old.lines.len(), new.lines.len()));
    }
    if old.notes != new.notes {
        parts.push("notes".into());
    }
    if parts.is_empty() {
        parts.push(format!("total {} (unchanged)", new.total));
    }
    parts.join("; ")
}
