//! A spreadsheet of customers (CSV) into one business, through the same
//! writes as `POST /v1/customers`, so every rule, lookup and aggregate is
//! the API's own.
//!
//! Columns, by header (case and spaces ignored, any order, others
//! ignored): `name` (required), `phone` or `mobile`, `gstin` or `gst`,
//! `email`, `address`, and `opening balance` in rupees (`1,25,000.50`;
//! negative for an advance). A positive opening balance becomes an issued
//! invoice "Opening balance" dated the day of the import, without tax; a
//! negative one an advance payment (method `other`), so the customer's
//! balance, the dashboard and the aging all count it.
//!
//! A row whose phone (or, without one, GSTIN) already belongs to a
//! customer of the business is left alone, so importing the same sheet
//! twice creates no duplicates.

use super::import::{ImportReport, LineIssue, OnError};
use crate::Hisaab;
use crate::error::Error;
use crate::identity::{Actor, Business, User};
use crate::keys;
use crate::ledger::customers::NewCustomer;
use crate::ledger::invoices::{LineInput, NewInvoice, PaymentMethod};
use crate::ledger::payments::NewPayment;
use crate::money::Quantity;
use crate::table::Query;
use crate::validate;

/// One row of the sheet, as read.
#[derive(Default)]
struct Row {
    name: String,
    phone: Option<String>,
    gstin: Option<String>,
    email: Option<String>,
    address: Option<String>,
    opening: i64,
}

/// Parses rupees with Indian or plain grouping and at most two decimals
/// (`-1,25,000.5` → −12,500,050 paise).
pub fn parse_rupees(field: &str, raw: &str) -> Result<i64, crate::FieldError> {
    let bad = || {
        crate::FieldError::new(
            field,
            "amount",
            "must be an amount in rupees, like 1,25,000.50",
        )
    };
    let s: String = raw.trim().replace([',', '₹', ' '], "");
    if s.is_empty() {
        return Ok(0);
    }
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, s),
    };
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || whole.len() > 13
    {
        return Err(bad());
    }
    let paise = whole.parse::<i64>().map_err(|_| bad())? * 100
        + format!("{frac:0<2}").parse::<i64>().map_err(|_| bad())?;
    Ok(if neg { -paise } else { paise })
}

impl Hisaab {
    /// Imports a CSV of customers into business `business_id`, acting as
    /// its owner. Every row is checked as `POST /v1/customers` checks
    /// (422 rules: name, E.164 phone, GSTIN checksum, email) plus the
    /// opening balance; a bad row is reported with its line number (the
    /// header is line 1) and field, and skipped or stops the import.
    ///
    /// Errors: no such business, a CSV that cannot be read, the store.
    pub async fn import_customers_csv(
        &self,
        business_id: &str,
        csv_text: impl std::io::Read,
        on_error: OnError,
    ) -> crate::Result<ImportReport> {
        let business: Business = self
            .get_as(&keys::business(business_id))
            .await?
            .ok_or(Error::NotFound("business"))?;
        let owner: User = self
            .get_as(&keys::user(&business.owner_id))
            .await?
            .ok_or(Error::NotFound("the business's owner"))?;
        let actor = Actor { user: owner };
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(csv_text);
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| Error::field("file", "csv", format!("not a CSV file: {e}")))?
            .iter()
            .map(|h| h.to_lowercase().replace([' ', '_', '-'], ""))
            .collect();
        let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
        let Some(name_col) = col(&["name", "customer", "customername"]) else {
            return Err(Error::field(
                "name",
                "required",
                "the sheet has no `name` column",
            ));
        };
        let cols = [
            col(&["phone", "mobile", "phonenumber", "mobilenumber"]),
            col(&["gstin", "gst", "gstnumber"]),
            col(&["email", "mail"]),
            col(&["address"]),
            col(&["openingbalance", "opening", "balance"]),
        ];
        let mut report = ImportReport::default();
        for (n, record) in rdr.records().enumerate() {
            let line = n as u64 + 2;
            report.lines += 1;
            let issue = |field: &str, detail: String| LineIssue {
                line,
                field: field.to_string(),
                detail,
            };
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    report.invalid.push(issue("line", e.to_string()));
                    if on_error == OnError::Stop {
                        report.stopped = true;
                        break;
                    }
                    continue;
                }
            };
            let cell = |c: Option<usize>| {
                c.and_then(|c| record.get(c))
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
            };
            let mut row = Row {
                name: cell(Some(name_col)).unwrap_or_default(),
                phone: cell(cols[0]),
                gstin: cell(cols[1]),
                email: cell(cols[2]),
                address: cell(cols[3]),
                opening: 0,
            };
            let outcome = match cell(cols[4]).map(|v| parse_rupees("opening_balance", &v)) {
                Some(Err(e)) => Err(issue(&e.field, e.detail)),
                Some(Ok(p)) => {
                    row.opening = p;
                    self.import_row(&actor, business_id, row).await
                }
                None => self.import_row(&actor, business_id, row).await,
            };
            match outcome {
                Ok(true) => report.written += 1,
                Ok(false) => report.unchanged += 1,
                Err(mut i) => {
                    i.line = line;
                    report.invalid.push(i);
                    if on_error == OnError::Stop {
                        report.stopped = true;
                        break;
                    }
                }
            }
        }
        Ok(report)
    }

    /// Creates one row's customer (and opening balance); `Ok(false)` when
    /// the customer is already there.
    async fn import_row(&self, actor: &Actor, bid: &str, row: Row) -> Result<bool, LineIssue> {
        let issue = |field: &str, detail: String| LineIssue {
            line: 0,
            field: field.to_string(),
            detail,
        };
        let from = |e: Error| match e {
            Error::Validation(errs) => {
                let f = &errs[0];
                issue(&f.field, f.detail.clone())
            }
            e => issue("line", e.to_string()),
        };
        let input = NewCustomer {
            name: row.name.clone(),
            phone: row.phone.clone(),
            email: row.email.clone(),
            address: row.address.clone(),
            business_type: None,
            gstin: row.gstin.clone(),
            pan: None,
            contacts: None,
            photo_url: None,
            notes: None,
        };
        self.check_new_customer(actor, input.clone())
            .await
            .map_err(from)?;
        if self.sheet_duplicate(bid, &row).await.map_err(from)? {
            return Ok(false);
        }
        let (customer, _) = self
            .create_customer(actor, input, None)
            .await
            .map_err(from)?;
        if row.opening > 0 {
            self.create_invoice(
                actor,
                NewInvoice {
                    customer_id: customer.id.clone(),
                    lines: vec![LineInput {
                        product_id: None,
                        description: Some("Opening balance".into()),
                        hsn_sac: None,
                        unit: None,
                        quantity: Quantity(1000),
                        unit_price: Some(row.opening),
                        discount: None,
                        discount_rate_bp: None,
                        tax_rate_bp: Some(0),
                    }],
                    invoice_date: None,
                    due_date: None,
                    place_of_supply: None,
                    notes: Some("Opening balance brought in from a spreadsheet".into()),
                    draft: false,
                },
                None,
            )
            .await
            .map_err(from)?;
        } else if row.opening < 0 {
            self.pay_customer(
                actor,
                &customer.id,
                NewPayment {
                    amount: -row.opening,
                    date: None,
                    method: PaymentMethod::Other,
                    reference: None,
                    notes: Some("Opening advance brought in from a spreadsheet".into()),
                },
                None,
            )
            .await
            .map_err(from)?;
        }
        Ok(true)
    }

    /// A customer of the business already has the row's phone (or,
    /// without a phone, its GSTIN).
    async fn sheet_duplicate(&self, bid: &str, row: &Row) -> crate::Result<bool> {
        if let Some(p) = &row.phone {
            let e164 = validate::Phone::parse("phone", p)?;
            let q = Query::on(keys::business_partition(bid))
                .begins_with(keys::customer_phone_prefix(&format!("{}#", e164.as_str())))
                .limit(1);
            return Ok(!self.table.query(&q).await?.items.is_empty());
        }
        if let Some(g) = &row.gstin {
            let g = validate::gstin("gstin", g)?;
            let mut q = Query::on(keys::business_partition(bid))
                .begins_with("CUS#")
                .limit(1000);
            loop {
                let page = self.table.query(&q).await?;
                if page
                    .items
                    .iter()
                    .any(|i| i.get("gstin").and_then(|v| v.as_str()) == Some(g.as_str()))
                {
                    return Ok(true);
                }
                match page.last_key {
                    Some(k) => q.start = Some(k),
                    None => return Ok(false),
                }
            }
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_rupees;

    #[test]
    fn rupees_read_with_indian_grouping_and_paise() {
        assert_eq!(parse_rupees("b", "1,25,000.50").unwrap(), 12_500_050);
        assert_eq!(parse_rupees("b", "₹ 99").unwrap(), 9_900);
        assert_eq!(parse_rupees("b", "-1500.5").unwrap(), -150_050);
        assert_eq!(parse_rupees("b", "").unwrap(), 0);
        for bad in ["12.345", "abc", "1.2.3", "-", "1e5"] {
            assert!(parse_rupees("b", bad).is_err(), "{bad}");
        }
    }
}
