//! A demo data set, made through the domain's own writes (the same calls
//! as the API's routes), so every lookup and kept aggregate is right:
//!
//! - **Sharma Traders** (owner +91 98000 00001), a wholesale trader:
//!   customers with Indian names, phones and valid GSTINs (GSTN's
//!   checksum), a product list, two invoices a month per customer over
//!   the chosen months, most paid (in full or in part), some overdue, and
//!   a few of those reported to the shared registry;
//! - **Gokul Dairy** (owner +91 98000 00002), a daily-delivery vendor:
//!   `customers` households, each with a daily milk order, and every day
//!   of the chosen months marked in morning rounds of 500 (every ninth
//!   delivery skipped).
//!
//! Owners log in with their phone and the OTP the local outbox shows.
//! Deterministic: the same arguments give the same names and figures.

use crate::Hisaab;
use crate::deliveries::orders::NewOrder;
use crate::deliveries::records::{BulkMark, BulkMarks, DeliveryStatus};
use crate::error::{Error, Result};
use crate::identity::Actor;
use crate::identity::accounts::{AccountType, Registration};
use crate::ledger::catalogue::NewProduct;
use crate::ledger::customers::NewCustomer;
use crate::ledger::invoices::{LineInput, NewInvoice, PaymentMethod};
use crate::ledger::payments::NewPayment;
use crate::ledger::settings::SettingsPatch;
use crate::money::Quantity;
use crate::registry::filing::NewReport;
use jiff::ToSpan;
use jiff::civil::Date;

/// The phones of the demo's owners: the trader's, the dairy's.
pub const DEMO_OWNERS: [&str; 2] = ["+919800000001", "+919800000002"];

/// The size of a demo data set.
#[derive(Clone, Copy, Debug)]
pub struct DemoSize {
    /// Households of the dairy (the trader gets a fiftieth, 20 to 200).
    pub customers: usize,
    /// Months of history, ending yesterday.
    pub months: u32,
}

/// What the demo seeding made.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct DemoReport {
    /// The owners' phones, to log in with.
    pub owners: Vec<String>,
    /// Customers created.
    pub customers: usize,
    /// Invoices issued.
    pub invoices: usize,
    /// Payments recorded.
    pub payments: usize,
    /// Orders created.
    pub orders: usize,
    /// Delivery records marked.
    pub deliveries: usize,
    /// Registry reports filed.
    pub reports: usize,
}

const FIRST: [&str; 24] = [
    "Aarav", "Vivaan", "Aditya", "Arjun", "Sai", "Reyansh", "Ishaan", "Kabir", "Ananya", "Diya",
    "Saanvi", "Aadhya", "Kavya", "Meera", "Priya", "Rohan", "Vikram", "Suresh", "Lakshmi",
    "Harpreet", "Farhan", "Zoya", "Gurpreet", "Nandini",
];
const LAST: [&str; 20] = [
    "Sharma",
    "Verma",
    "Patel",
    "Reddy",
    "Iyer",
    "Nair",
    "Gupta",
    "Singh",
    "Kaur",
    "Khan",
    "Mehta",
    "Joshi",
    "Kulkarni",
    "Deshmukh",
    "Banerjee",
    "Chatterjee",
    "Rao",
    "Agarwal",
    "Das",
    "Pillai",
];
const SHOPS: [&str; 10] = [
    "Kirana Stores",
    "General Stores",
    "Traders",
    "Provision Mart",
    "Enterprises",
    "Supermarket",
    "& Sons",
    "Agencies",
    "Wholesale",
    "Bazaar",
];
const GOODS: [(&str, &str, i64, i64, &str); 8] = [
    ("Basmati rice (25 kg bag)", "bag", 210_000, 500, "1006"),
    ("Toor dal (30 kg)", "bag", 390_000, 500, "0713"),
    ("Sugar (50 kg)", "bag", 215_000, 500, "1701"),
    ("Sunflower oil (15 L tin)", "tin", 195_000, 500, "1512"),
    ("Wheat atta (10 kg)", "bag", 42_000, 0, "1101"),
    ("Tea (1 kg)", "pack", 52_000, 500, "0902"),
    ("Jaggery (1 kg)", "kg", 6_500, 0, "1701"),
    ("Turmeric powder (500 g)", "pack", 14_000, 500, "0910"),
];

/// A valid GSTIN for demo party `n` in state `state` (PAN `AB<letter>
/// <P|F>...`, entity 1, `Z`, GSTN's check character).
pub fn demo_gstin(state: u32, n: usize) -> String {
    let l = |k: usize| (b'A' + (k % 26) as u8) as char;
    let pan = format!(
        "{}{}{}{}{}{:04}{}",
        l(n / 26 / 26),
        l(n / 26),
        l(n),
        if n.is_multiple_of(2) { 'P' } else { 'F' },
        l(n * 7),
        n % 10_000,
        l(n * 3)
    );
    let first14 = format!("{state:02}{pan}1Z");
    let check = crate::validate::gstin_check_char(first14.as_bytes()).expect("GSTIN characters");
    format!("{first14}{}", check as char)
}

impl Hisaab {
    /// Seeds the demo data set (see the module) into this store, which
    /// must have a local outbox (the OTPs are read from it).
    ///
    /// Errors: a 409 when the store already holds the demo owners; any
    /// domain error of a write.
    pub async fn seed_demo(
        &self,
        size: DemoSize,
        progress: &mut (dyn FnMut(&str, u64, u64) + Send),
    ) -> Result<DemoReport> {
        let mut report = DemoReport::default();
        let today = self
            .clock
            .now()
            .to_zoned_datetime(
                jiff::tz::TimeZone::get("Asia/Kolkata").map_err(|e| Error::Internal(e.into()))?,
            )
            .date();
        let start = today
            .checked_sub((size.months as i64).months())
            .map_err(|e| Error::Internal(e.into()))?;
        let trader = self
            .demo_owner(DEMO_OWNERS[0], "Sharma Traders", "Ramesh Sharma", 27)
            .await?;
        report.owners.push(DEMO_OWNERS[0].into());
        self.seed_trader(&trader, size, start, today, &mut report, progress)
            .await?;
        let dairy = self
            .demo_owner(DEMO_OWNERS[1], "Gokul Dairy", "Savitri Yadav", 9)
            .await?;
        report.owners.push(DEMO_OWNERS[1].into());
        self.seed_dairy(&dairy, size, start, today, &mut report, progress)
            .await?;
        Ok(report)
    }

    async fn demo_owner(
        &self,
        phone: &str,
        business: &str,
        name: &str,
        state: u32,
    ) -> Result<Actor> {
        self.register(Registration {
            name: name.into(),
            phone: phone.into(),
            account_type: AccountType::Business,
            business_name: Some(business.into()),
            email: None,
            password: None,
        })
        .await?;
        let outbox = self
            .outbox
            .as_ref()
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("the demo needs the local outbox")))?;
        let code = outbox
            .messages()
            .map_err(Error::Internal)?
            .into_iter()
            .rfind(|m| m.channel == "sms" && m.to == phone)
            .and_then(|m| {
                m.body
                    .split_whitespace()
                    .find(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
                    .map(str::to_owned)
            })
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("no OTP for {phone} in the outbox")))?;
        let tokens = self.verify_otp(phone, &code).await?;
        let actor = self.authenticate(&tokens.access_token).await?;
        self.update_settings(
            &actor,
            SettingsPatch {
                gstin: Some(Some(demo_gstin(state, 9_999))),
                payment_terms_days: Some(15),
                ..Default::default()
            },
        )
        .await?;
        Ok(actor)
    }

    async fn seed_trader(
        &self,
        actor: &Actor,
        size: DemoSize,
        start: Date,
        today: Date,
        report: &mut DemoReport,
        progress: &mut (dyn FnMut(&str, u64, u64) + Send),
    ) -> Result<()> {
        let mut products = Vec::new();
        for (name, unit, price, tax, hsn) in GOODS {
            let (p, _) = self
                .create_product(
                    actor,
                    NewProduct {
                        name: name.into(),
                        unit: Some(unit.into()),
                        unit_price: price,
                        tax_rate_bp: Some(tax),
                        hsn_sac: Some(hsn.into()),
                        category_id: None,
                        description: None,
                        // Goods keep stock: a good opening stock at 80 % of the price.
                        track_stock: true,
                        opening_quantity: Some(Quantity(2_000_000)),
                        opening_cost: Some(price * 4 / 5),
                        low_stock_threshold: Some(Quantity(100_000)),
                        reorder_quantity: Some(Quantity(500_000)),
                    },
                    None,
                )
                .await?;
            products.push(p.id);
        }
        self.demo_purchases(actor, &products, start).await?;
        let n = (size.customers / 50).clamp(20, 200);
        let days = (today - start).get_days().max(1) as usize;
        let mut overdue: Vec<(String, String)> = Vec::new();
        for i in 0..n {
            progress("trader", i as u64, n as u64);
            let owner = format!("{} {}", FIRST[i % FIRST.len()], LAST[(i / 3) % LAST.len()]);
            let (c, _) = self
                .create_customer(
                    actor,
                    NewCustomer {
                        name: format!("{} {}", LAST[(i * 7) % LAST.len()], SHOPS[i % SHOPS.len()]),
                        phone: Some(format!("+9197{:08}", 10_000_000 + i)),
                        gstin: Some(demo_gstin(27, i)),
                        address: Some(format!("Shop {}, APMC Market, Vashi, Navi Mumbai", i + 1)),
                        business_type: Some("Retail".into()),
                        contacts: Some(vec![crate::ledger::customers::Contact {
                            name: owner,
                            phone: None,
                            email: None,
                            role: Some("Owner".into()),
                        }]),
                        ..Default::default()
                    },
                    None,
                )
                .await?;
            report.customers += 1;
            let invoices = (size.months as usize * 2).max(1);
            for k in 0..invoices {
                let date = start + ((k * days / invoices + i % 7) as i64).days();
                if date >= today {
                    continue;
                }
                let lines = (0..1 + (i + k) % 3)
                    .map(|l| LineInput {
                        product_id: Some(products[(i + k + l) % products.len()].clone()),
                        description: None,
                        hsn_sac: None,
                        unit: None,
                        quantity: Quantity(1000 * (1 + ((i * 3 + k + l) % 6) as i64)),
                        unit_price: None,
                        discount: None,
                        discount_rate_bp: None,
                        tax_rate_bp: None,
                    })
                    .collect();
                let (inv, _) = self
                    .create_invoice(
                        actor,
                        NewInvoice {
                            customer_id: c.id.clone(),
                            lines,
                            invoice_date: Some(date),
                            due_date: None,
                            place_of_supply: None,
                            notes: None,
                            draft: false,
                        },
                        None,
                    )
                    .await?;
                report.invoices += 1;
                let age = (today - date).get_days();
                // Older invoices are mostly paid; every 11th customer
                // pays late, every 13th invoice is paid in part.
                let paid_by = date + ((10 + (i + k) % 20) as i64).days();
                if age > 20 && i % 11 != 5 && paid_by < today {
                    let amount = if (i + k) % 13 == 0 {
                        inv.balance_due / 2
                    } else {
                        inv.balance_due
                    };
                    self.pay_invoice(
                        actor,
                        &inv.id,
                        NewPayment {
                            amount,
                            date: Some(paid_by),
                            method: [
                                PaymentMethod::Upi,
                                PaymentMethod::BankTransfer,
                                PaymentMethod::Cash,
                                PaymentMethod::Cheque,
                            ][(i + k) % 4],
                            reference: None,
                            notes: None,
                        },
                        None,
                    )
                    .await?;
                    report.payments += 1;
                } else if age > 30 && i % 11 == 5 {
                    overdue.push((c.id.clone(), inv.id.clone()));
                }
            }
        }
        for (customer_id, invoice_id) in overdue.iter().step_by(4).take(3) {
            self.create_report(
                actor,
                NewReport {
                    customer_id: Some(customer_id.clone()),
                    invoice_ids: Some(vec![invoice_id.clone()]),
                    note: Some("Not paid despite reminders.".into()),
                    ..Default::default()
                },
                None,
            )
            .await?;
            report.reports += 1;
        }
        Ok(())
    }

    async fn seed_dairy(
        &self,
        actor: &Actor,
        size: DemoSize,
        start: Date,
        today: Date,
        report: &mut DemoReport,
        progress: &mut (dyn FnMut(&str, u64, u64) + Send),
    ) -> Result<()> {
        let mut orders = Vec::with_capacity(size.customers);
        for i in 0..size.customers {
            if i % 100 == 0 {
                progress("dairy households", i as u64, size.customers as u64);
            }
            let (c, _) = self
                .create_customer(
                    actor,
                    NewCustomer {
                        name: format!(
                            "{} {}",
                            FIRST[i % FIRST.len()],
                            LAST[(i / FIRST.len()) % LAST.len()]
                        ),
                        phone: Some(format!("+9196{:08}", 10_000_000 + i)),
                        address: Some(format!(
                            "Flat {}, Sector {}, Noida",
                            101 + i % 900,
                            1 + i % 60
                        )),
                        ..Default::default()
                    },
                    None,
                )
                .await?;
            report.customers += 1;
            let (o, _) = self
                .create_order(
                    actor,
                    NewOrder {
                        customer_id: Some(c.id),
                        item: Some(
                            if i % 4 == 0 {
                                "Buffalo milk"
                            } else {
                                "Cow milk"
                            }
                            .into(),
                        ),
                        unit: Some("litre".into()),
                        quantity: Quantity(500 * (1 + (i % 4) as i64)),
                        rate: Some(if i % 4 == 0 { 7_000 } else { 5_600 }),
                        tax_rate_bp: Some(0),
                        valid_from: Some(start),
                        ..Default::default()
                    },
                    None,
                )
                .await?;
            report.orders += 1;
            orders.push(o.id);
        }
        let days = (today - start).get_days().max(0) as u64;
        let mut date = start;
        let mut d = 0;
        while date < today {
            progress("dairy rounds", d, days);
            for (chunk_no, chunk) in orders.chunks(500).enumerate() {
                let items = chunk
                    .iter()
                    .enumerate()
                    .map(|(k, id)| BulkMark {
                        order_id: id.clone(),
                        status: ((chunk_no * 500 + k + d as usize) % 9 == 4)
                            .then_some(DeliveryStatus::Skipped),
                        quantity: None,
                        extra: false,
                    })
                    .collect();
                let out = self
                    .mark_deliveries(actor, BulkMarks { date, items })
                    .await?;
                report.deliveries += chunk.len() - out.failed;
            }
            date = date.tomorrow().map_err(|e| Error::Internal(e.into()))?;
            d += 1;
        }
        progress("dairy rounds", days, days);
        Ok(())
    }
}

impl Hisaab {
    /// The trader's supplier, a bill of 500 units of the first three goods
    /// at 78 % of their price, and a damaged bag written off.
    async fn demo_purchases(
        &self,
        actor: &Actor,
        products: &[String],
        bill_date: Date,
    ) -> Result<()> {
        use crate::ledger::inventory::receipts::{
            AdjustmentKind, NewAdjustment, NewReceipt, ReceiptLineInput,
        };
        use crate::ledger::inventory::suppliers::NewSupplier;
        let (s, _) = self
            .create_supplier(
                actor,
                NewSupplier {
                    name: "Agarwal Wholesale".into(),
                    phone: Some("+919820000011".into()),
                    gstin: Some(demo_gstin(27, 9_000)),
                },
                None,
            )
            .await?;
        let mut lines = vec![];
        for (id, (_, _, price, _, _)) in products.iter().zip(GOODS).take(3) {
            lines.push(ReceiptLineInput {
                product_id: id.clone(),
                quantity: Quantity(500_000),
                unit_cost: price * 78 / 100,
            });
        }
        self.create_receipt(
            actor,
            NewReceipt {
                supplier_id: s.id,
                bill_number: "AW/2026/1187".into(),
                bill_date,
                lines,
                notes: None,
            },
            None,
        )
        .await?;
        self.create_adjustment(
            actor,
            NewAdjustment {
                product_id: products[0].clone(),
                quantity: Quantity(-1_000),
                reason: Some("bag torn in the godown".into()),
                kind: AdjustmentKind::Adjustment,
                customer_id: None,
            },
            None,
        )
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_gstins_pass_the_checksum() {
        for n in [0, 1, 25, 26, 677, 9_999] {
            let g = super::demo_gstin(27, n);
            assert_eq!(crate::validate::gstin("gstin", &g).unwrap(), g);
        }
    }
}
