//! Payments: against one invoice, or against a customer (applied to the
//! oldest open invoices first, the rest kept as an advance: a negative
//! balance), and their voiding. Each payment changes the invoices, their
//! payment copies, the customer's balance and the aggregates in one
//! transaction, under version conditions, retried when a concurrent
//! writer wins — so no update is ever lost.

use crate::app::{Hisaab, from_item, to_item};
use crate::error::{Error, Errors, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::Actor;
use crate::ids::{is_id, new_id};
use crate::keys;
use crate::ledger::aggregates::Deltas;
use crate::ledger::invoices::{AppliedPayment, Invoice, PaymentMethod, PaymentStatus};
use crate::ledger::settings::Settings;
use crate::money::format_amount;
use crate::paging::{Page, page_limit};
use crate::table::{Cond, Query, Write};
use crate::validate;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Largest single payment: ₹100 crore (10^11 paise).
pub const MAX_PAYMENT: i64 = 100_000_000_000;
/// Writes one transaction may hold (DynamoDB's limit).
const MAX_WRITES: usize = 100;
/// Most advance payments one newly issued invoice draws on.
const MAX_ADVANCES: usize = 20;

/// The invoice's copy of (part of) a payment.
fn applied_write(inv: &Invoice, pay: &Payment, amount: i64) -> Result<Write> {
    let applied = AppliedPayment {
        payment_id: pay.id.clone(),
        invoice_id: inv.id.clone(),
        amount,
        date: pay.date,
        method: pay.method,
        reference: pay.reference.clone(),
        status: pay.status,
        created_at: pay.created_at,
    };
    Ok(Write::Put {
        item: to_item(
            "invoice_payment",
            &keys::invoice_payment(&inv.business_id, &inv.id, &pay.id),
            &applied,
        )?,
        cond: None,
    })
}

/// The part of a payment applied to one invoice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Allocation {
    /// The invoice.
    pub invoice_id: String,
    /// Its number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_number: Option<String>,
    /// Amount applied (paise).
    pub amount: i64,
}

/// A payment received from a customer.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Payment {
    /// `pay_<ULID>`.
    pub id: String,
    /// The business.
    pub business_id: String,
    /// The customer who paid.
    pub customer_id: String,
    /// Amount received (paise, more than 0).
    pub amount: i64,
    /// Civil date it was received.
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// How.
    pub method: PaymentMethod,
    /// UTR, cheque number, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The invoice it was recorded against, for invoice payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
    /// Where the money went, oldest invoice first.
    pub allocations: Vec<Allocation>,
    /// The part kept as an advance (paise).
    pub advance: i64,
    /// `recorded` or `voided`.
    pub status: PaymentStatus,
    /// Why it was voided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub void_reason: Option<String>,
    /// When it was voided (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub voided_at: Option<Timestamp>,
    /// Who recorded it.
    pub created_by: String,
    /// Recorded (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Version, 1 on creation.
    pub version: i64,
}

/// `POST /v1/invoices/{invoice_id}/payments` and
/// `POST /v1/customers/{customer_id}/payments`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPayment {
    /// Amount in paise, 1 to 10^11 ([`MAX_PAYMENT`]); on an invoice at
    /// most its balance due.
    #[schema(minimum = 1, maximum = 100_000_000_000_i64)]
    pub amount: i64,
    /// Date received (default today; not in the future).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub date: Option<Date>,
    /// How it was paid.
    pub method: PaymentMethod,
    /// Reference (≤ 100 characters).
    #[serde(default)]
    pub reference: Option<String>,
    /// Notes (≤ 500 characters).
    #[serde(default)]
    pub notes: Option<String>,
}

/// `POST /v1/payments/{payment_id}/void`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidPayment {
    /// Why: a mistake, a bounced cheque, a refund (1–500 characters).
    pub reason: String,
}

/// Filters of `GET /v1/customers/{customer_id}/payments`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PaymentFilter {
    /// Page size, 1–100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    #[serde(default)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// The checked fields of a new payment.
struct Checked {
    amount: i64,
    date: Date,
    reference: Option<String>,
    notes: Option<String>,
}

fn check(p: &NewPayment, today: Date) -> Result<Checked> {
    let mut errs = Errors::default();
    if p.amount <= 0 || p.amount > MAX_PAYMENT {
        errs.push(
            "amount",
            "out_of_range",
            "an amount in paise, more than 0 and at most 100000000000",
        );
    }
    let date = p.date.unwrap_or(today);
    if date > today {
        errs.push(
            "date",
            "in_future",
            "a payment cannot be dated in the future",
        );
    }
    if date.year() < 2000 {
        errs.push("date", "out_of_range", "a date in 2000 or later");
    }
    let opt = |errs: &mut Errors, f: &str, v: &Option<String>, max| {
        v.as_deref()
            .filter(|s| !s.trim().is_empty())
            .and_then(|s| errs.check(validate::text(f, s, max)))
    };
    let reference = opt(&mut errs, "reference", &p.reference, 100);
    let notes = opt(&mut errs, "notes", &p.notes, 500);
    errs.finish()?;
    Ok(Checked {
        amount: p.amount,
        date,
        reference,
        notes,
    })
}

impl Hisaab {
    /// The writes that apply `amount` of payment `pay` to an invoice (a
    /// negative amount takes a voided payment back): the invoice, under its
    /// version, and its copy of the payment.
    fn apply_writes(
        &self,
        old: &Invoice,
        amount: i64,
        pay: &Payment,
        deltas: &mut Deltas,
    ) -> Result<Vec<Write>> {
        let new = Invoice {
            amount_paid: old.amount_paid + amount,
            balance_due: old.balance_due - amount,
            updated_at: self.clock.now(),
            version: old.version + 1,
            ..old.clone()
        };
        deltas.change(Some(old), &new);
        Ok(vec![
            self.invoice_write(&new, Some(old.version))?,
            applied_write(old, pay, amount.abs())?,
        ])
    }

    /// The writes that pay a newly issued invoice from the customer's
    /// advances — recorded payments with `advance` left, oldest first —
    /// and the amounts on the invoice. The customer's balance needs no
    /// extra change: the advance was already in it, below zero.
    pub(crate) async fn apply_advances(
        &self,
        inv: &mut Invoice,
        customer: &crate::ledger::customers::Customer,
    ) -> Result<Vec<Write>> {
        let mut credit = (-customer.balance).min(inv.balance_due);
        let mut writes = vec![];
        let mut start = None;
        while credit > 0 && writes.len() < 2 * MAX_ADVANCES {
            let page = self
                .table
                .query(
                    &Query::on(keys::customer_payments(&inv.business_id, &customer.id))
                        .limit(1000)
                        .start(start),
                )
                .await?;
            for item in page.items {
                let listed: Payment = from_item(item)?;
                if listed.status != PaymentStatus::Recorded || listed.advance <= 0 {
                    continue;
                }
                // The index may lag: the payment itself is read strongly.
                let Some(item) = self
                    .table
                    .get(&keys::payment(&inv.business_id, &listed.id))
                    .await?
                else {
                    continue;
                };
                let p: Payment = from_item(item)?;
                if p.status != PaymentStatus::Recorded || p.advance <= 0 {
                    continue;
                }
                let a = credit.min(p.advance);
                let mut used = p.clone();
                used.advance -= a;
                used.allocations.push(Allocation {
                    invoice_id: inv.id.clone(),
                    invoice_number: inv.number.clone(),
                    amount: a,
                });
                used.version += 1;
                writes.push(self.payment_write(&used, Some(p.version))?);
                writes.push(applied_write(inv, &used, a)?);
                inv.amount_paid += a;
                inv.balance_due -= a;
                credit -= a;
                if credit == 0 || writes.len() >= 2 * MAX_ADVANCES {
                    break;
                }
            }
            match page.last_key {
                Some(k) => start = Some(k),
                None => break,
            }
        }
        Ok(writes)
    }

    fn payment_write(&self, p: &Payment, read_version: Option<i64>) -> Result<Write> {
        let mut item = to_item("payment", &keys::payment(&p.business_id, &p.id), p)?;
        keys::customer_payments(&p.business_id, &p.customer_id)
            .at(keys::date_sort_key(&p.date.to_string(), &p.id))
            .set_on(&mut item);
        Ok(Write::Put {
            item,
            cond: Some(match read_version {
                None => Cond::NotExists,
                Some(v) => Cond::version(v),
            }),
        })
    }

    fn new_payment(
        &self,
        actor: &Actor,
        bid: &str,
        customer_id: &str,
        c: &Checked,
        p: &NewPayment,
    ) -> Payment {
        Payment {
            id: new_id("pay"),
            business_id: bid.to_string(),
            customer_id: customer_id.to_string(),
            amount: c.amount,
            date: c.date,
            method: p.method,
            reference: c.reference.clone(),
            notes: c.notes.clone(),
            invoice_id: None,
            allocations: vec![],
            advance: 0,
            status: PaymentStatus::Recorded,
            void_reason: None,
            voided_at: None,
            created_by: actor.user.id.clone(),
            created_at: self.clock.now(),
            version: 1,
        }
    }

    /// `POST /v1/invoices/{invoice_id}/payments`: records a payment on an
    /// issued invoice. More than the balance due is a 422 naming `amount`
    /// (nothing is written); a draft or cancelled invoice is a 409.
    pub async fn pay_invoice(
        &self,
        actor: &Actor,
        invoice_id: &str,
        input: NewPayment,
        idem: Option<Idempotency>,
    ) -> Result<(Payment, bool)> {
        let bid = actor.business_id()?.to_string();
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
        let settings = self.business_settings(&bid).await?;
        self.retrying(|| async {
            let today = settings.today(self.clock.now());
            let inv = self.invoice_of(&bid, invoice_id).await?;
            if !inv.is_issued() || inv.is_cancelled() {
                return Err(Error::Conflict {
                    detail: "payments can be recorded only on issued invoices that are not cancelled"
                        .into(),
                    errors: vec![],
                });
            }
            let c = check(&input, today)?;
            if c.amount > inv.balance_due {
                return Err(Error::field(
                    "amount",
                    "above_balance",
                    format!(
                        "the invoice has {} paise left to pay; record the rest against the customer to keep it as an advance",
                        inv.balance_due
                    ),
                ));
            }
            let customer = self.customer_of(&bid, &inv.customer_id).await?;
            let mut pay = self.new_payment(actor, &bid, &customer.id, &c, &input);
            pay.invoice_id = Some(inv.id.clone());
            pay.allocations = vec![Allocation {
                invoice_id: inv.id.clone(),
                invoice_number: inv.number.clone(),
                amount: c.amount,
            }];
            let mut deltas = Deltas::default();
            deltas.payment(&bid, &c.date.to_string(), c.amount, 1);
            let mut writes = vec![self.payment_write(&pay, None)?];
            writes.extend(self.apply_writes(&inv, c.amount, &pay, &mut deltas)?);
            writes.push(self.customer_balance_write(&customer, customer.balance - c.amount)?);
            writes.push(self.event_write(
                &inv,
                &actor.user.id,
                "payment_recorded",
                format!(
                    "{} by {} ({})",
                    money(&settings, c.amount),
                    method_name(pay.method),
                    pay.id
                ),
            )?);
            writes.extend(deltas.into_writes());
            self.commit_create(&actor.user.id, idem.as_ref(), writes, pay, |_| None)
                .await
        })
        .await
    }

    /// `POST /v1/customers/{customer_id}/payments`: records a payment from
    /// a customer and applies it to their open invoices, oldest invoice
    /// date first; what is left becomes an advance (the customer's balance
    /// goes below zero). A payment that would settle more invoices than one
    /// transaction holds is a 422 asking to record it in parts.
    pub async fn pay_customer(
        &self,
        actor: &Actor,
        customer_id: &str,
        input: NewPayment,
        idem: Option<Idempotency>,
    ) -> Result<(Payment, bool)> {
        let bid = actor.business_id()?.to_string();
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
        let settings = self.business_settings(&bid).await?;
        self.retrying(|| async {
            let today = settings.today(self.clock.now());
            let customer = self.customer_of(&bid, customer_id).await?;
            let c = check(&input, today)?;
            let mut pay = self.new_payment(actor, &bid, &customer.id, &c, &input);
            let mut deltas = Deltas::default();
            deltas.payment(&bid, &c.date.to_string(), c.amount, 1);
            let mut writes = vec![self.payment_write(&pay, None)?];
            let mut left = c.amount;
            let mut applied = vec![];
            if customer.balance > 0 {
                for inv in self.open_invoices(&bid, &customer.id).await? {
                    if left == 0 {
                        break;
                    }
                    let a = left.min(inv.balance_due);
                    left -= a;
                    applied.push((inv, a));
                }
            }
            pay.allocations = applied
                .iter()
                .map(|(inv, a)| Allocation {
                    invoice_id: inv.id.clone(),
                    invoice_number: inv.number.clone(),
                    amount: *a,
                })
                .collect();
            pay.advance = left;
            for (inv, a) in &applied {
                writes.extend(self.apply_writes(inv, *a, &pay, &mut deltas)?);
                writes.push(self.event_write(
                    inv,
                    &actor.user.id,
                    "payment_recorded",
                    format!(
                        "{} of {} by {} ({})",
                        money(&settings, *a),
                        money(&settings, c.amount),
                        method_name(pay.method),
                        pay.id
                    ),
                )?);
            }
            // The payment item was built before the allocations were known.
            writes[0] = self.payment_write(&pay, None)?;
            writes.push(self.customer_balance_write(&customer, customer.balance - c.amount)?);
            writes.extend(deltas.into_writes());
            if writes.len() + usize::from(idem.is_some()) > MAX_WRITES {
                return Err(Error::field(
                    "amount",
                    "too_many_invoices",
                    format!(
                        "this payment would settle {} invoices at once; record it against fewer invoices or in parts",
                        applied.len()
                    ),
                ));
            }
            self.commit_create(&actor.user.id, idem.as_ref(), writes, pay, |_| None)
                .await
        })
        .await
    }

    /// The customer's open invoices, oldest invoice date first, each read
    /// strongly (the customer index only says which to read).
    async fn open_invoices(&self, bid: &str, customer_id: &str) -> Result<Vec<Invoice>> {
        let mut out = vec![];
        let listed: Vec<Invoice> = self
            .query_all(Query::on(keys::customer_invoices(bid, customer_id)).limit(1000))
            .await?;
        for listed in listed {
            if listed.is_open() || !listed.is_issued() {
                let inv = self.invoice_of(bid, &listed.id).await?;
                if inv.is_open() {
                    out.push(inv);
                }
            }
        }
        out.sort_by(|a, b| (a.invoice_date, &a.number).cmp(&(b.invoice_date, &b.number)));
        Ok(out)
    }

    /// `POST /v1/payments/{payment_id}/void`: voids (or refunds) a payment:
    /// every invoice it paid gets the amount back as due and the customer's
    /// balance rises by the whole amount, in one transaction. Voiding a
    /// voided payment changes nothing.
    pub async fn void_payment(
        &self,
        actor: &Actor,
        payment_id: &str,
        v: VoidPayment,
    ) -> Result<Payment> {
        let bid = actor.owned_business_id()?.to_string();
        let reason = validate::text("reason", &v.reason, 500)?;
        if !is_id("pay", payment_id) {
            return Err(Error::NotFound("payment"));
        }
        let settings = self.business_settings(&bid).await?;
        self.retrying(|| async {
            let old: Payment = from_item(
                self.table
                    .get(&keys::payment(&bid, payment_id))
                    .await?
                    .ok_or(Error::NotFound("payment"))?,
            )?;
            if old.status == PaymentStatus::Voided {
                return Ok(Some(old));
            }
            let now = self.clock.now();
            let new = Payment {
                status: PaymentStatus::Voided,
                void_reason: Some(reason.clone()),
                voided_at: Some(now),
                version: old.version + 1,
                ..old.clone()
            };
            let customer = self.customer_of(&bid, &old.customer_id).await?;
            let mut deltas = Deltas::default();
            deltas.payment(&bid, &old.date.to_string(), old.amount, -1);
            let mut writes = vec![self.payment_write(&new, Some(old.version))?];
            for a in &old.allocations {
                let inv = self.invoice_of(&bid, &a.invoice_id).await?;
                writes.extend(self.apply_writes(&inv, -a.amount, &new, &mut deltas)?);
                writes.push(self.event_write(
                    &inv,
                    &actor.user.id,
                    "payment_voided",
                    format!("{} ({}): {reason}", money(&settings, a.amount), old.id),
                )?);
            }
            writes.push(self.customer_balance_write(&customer, customer.balance + old.amount)?);
            writes.extend(deltas.into_writes());
            self.commit(writes, new).await
        })
        .await
    }

    /// `GET /v1/invoices/{invoice_id}/payments`: the payments applied to an
    /// invoice, oldest first (voided ones included, marked).
    pub async fn invoice_payments(
        &self,
        actor: &Actor,
        invoice_id: &str,
    ) -> Result<Vec<AppliedPayment>> {
        Ok(self.get_invoice(actor, invoice_id).await?.payments)
    }

    /// `GET /v1/customers/{customer_id}/payments`: the customer's payments,
    /// newest payment date first (404 for customers of other businesses).
    pub async fn customer_payments(
        &self,
        actor: &Actor,
        customer_id: &str,
        f: PaymentFilter,
    ) -> Result<Page<Payment>> {
        self.customer_payments_of(actor.business_id()?, customer_id, f)
            .await
    }

    /// [`Hisaab::customer_payments`] for business `bid`.
    pub(crate) async fn customer_payments_of(
        &self,
        bid: &str,
        customer_id: &str,
        f: PaymentFilter,
    ) -> Result<Page<Payment>> {
        self.customer_of(bid, customer_id).await?;
        let limit = page_limit(f.limit, 50, 100)?;
        self.query_page(
            Query::on(keys::customer_payments(bid, customer_id))
                .descending()
                .limit(limit),
            &format!("payments|{bid}|{customer_id}"),
            f.cursor.as_deref(),
            |_: &Payment| true,
        )
        .await
    }
}

/// An amount as a history entry shows it: `₹1,23,456.00` (Indian
/// grouping) for rupees, else the currency's label and the amount.
fn money(settings: &Settings, amount: i64) -> String {
    let cur = settings.currency();
    let figure = format_amount(amount, cur);
    if cur.code == "INR" {
        format!("₹{figure}")
    } else {
        format!("{} {figure}", cur.label)
    }
}

/// A payment method in words, for history entries.
fn method_name(m: PaymentMethod) -> &'static str {
    match m {
        PaymentMethod::Cash => "cash",
        PaymentMethod::Upi => "UPI",
        PaymentMethod::BankTransfer => "bank transfer",
        PaymentMethod::Cheque => "cheque",
        PaymentMethod::Card => "card",
        PaymentMethod::Other => "other means",
    }
}
