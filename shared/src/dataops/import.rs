//! Import: a JSON Lines export back into a store, empty or not.
//!
//! Each line is checked before anything is written: it must be an item
//! with its keys; an entity the domain knows (customer, product,
//! category, invoice, payment, order, delivery, comment, company,
//! report, dispute, edit request, user, member, business, audit entry)
//! must read as that entity, field by field, and its keys must be the
//! ones the domain gives it (so a line cannot be filed under another
//! business or index); a customer's name, phone (E.164), email and GSTIN
//! (checksum) pass the API's own rules. A bad line is reported with its
//! number and field and is skipped, or stops the import.
//!
//! Re-importing changes nothing: an item already there with the same
//! version (or, for an item without a version, the same content) is left
//! alone; one that differs is a conflict, reported and not written.
//! New items are written 25 at a time (`BatchWriteItem`: one write per
//! item, no transaction, as each line is one whole item).

use super::{kind_of, text};
use crate::table::{Item, KEY_ATTRS, Key, Table};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashSet;
use std::io::BufRead;

/// What to do with a bad line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnError {
    /// Report it and go on with the next line.
    Skip,
    /// Report it and stop; the lines before it stay imported.
    Stop,
}

/// A line that was not imported.
#[derive(Clone, Debug, serde::Serialize, PartialEq, Eq)]
pub struct LineIssue {
    /// Line number in the file, from 1.
    pub line: u64,
    /// The field at fault (`PK`, `phone`, `lines[0].quantity`, …).
    pub field: String,
    /// What is wrong.
    pub detail: String,
}

/// The outcome of an import.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ImportReport {
    /// Lines read (blank lines are not counted).
    pub lines: u64,
    /// Items written.
    pub written: u64,
    /// Items already there, the same: left alone.
    pub unchanged: u64,
    /// Items already there and different: reported, not written.
    pub conflicts: Vec<LineIssue>,
    /// Lines that failed their checks: reported, not written.
    pub invalid: Vec<LineIssue>,
    /// `true` when `--on-error stop` stopped at a bad line or a conflict.
    pub stopped: bool,
}

/// Imports the JSON Lines of `reader` into `table`; `progress` hears the
/// number of lines read so far, every 1,000 lines.
///
/// Errors: reading the input or the table failing (what was written
/// before stays written; run the import again to finish it).
pub async fn import(
    table: &dyn Table,
    reader: impl BufRead,
    on_error: OnError,
    progress: &mut (dyn FnMut(u64) + Send),
) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut batch: Vec<(u64, Item)> = Vec::new();
    let mut in_batch: HashSet<Key> = HashSet::new();
    for (n, line) in reader.lines().enumerate() {
        let line_no = n as u64 + 1;
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        report.lines += 1;
        if report.lines % 1000 == 0 {
            progress(report.lines);
        }
        match check_line(&line) {
            Ok(item) => {
                let key = Key::of(&item).expect("checked");
                if in_batch.contains(&key) {
                    flush(table, &mut batch, &mut report).await?;
                    in_batch.clear();
                }
                in_batch.insert(key);
                batch.push((line_no, item));
                if batch.len() == 25 {
                    flush(table, &mut batch, &mut report).await?;
                    in_batch.clear();
                }
            }
            Err((field, detail)) => {
                report.invalid.push(LineIssue {
                    line: line_no,
                    field,
                    detail,
                });
            }
        }
        if on_error == OnError::Stop && !(report.invalid.is_empty() && report.conflicts.is_empty())
        {
            break;
        }
    }
    // The good lines read before a stop are written; only a conflict
    // found in this last batch can come after the bad line.
    flush(table, &mut batch, &mut report).await?;
    report.stopped =
        on_error == OnError::Stop && !(report.invalid.is_empty() && report.conflicts.is_empty());
    progress(report.lines);
    Ok(report)
}

/// Writes the new items of a batch; counts those already there.
async fn flush(
    table: &dyn Table,
    batch: &mut Vec<(u64, Item)>,
    report: &mut ImportReport,
) -> anyhow::Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let current = futures::future::try_join_all(
        batch
            .iter()
            .map(|(_, item)| async { table.get(&Key::of(item).expect("checked")).await }),
    )
    .await?;
    let mut new = Vec::new();
    for ((line, item), current) in batch.drain(..).zip(current) {
        match current {
            None => new.push(item),
            Some(existing) if same(&existing, &item) => report.unchanged += 1,
            Some(existing) => report.conflicts.push(LineIssue {
                line,
                field: "version".into(),
                detail: format!(
                    "{} {} / {} is already there, different (version {} there, {} here)",
                    text(&item, "entity").unwrap_or("item"),
                    text(&item, "PK").unwrap_or_default(),
                    text(&item, "SK").unwrap_or_default(),
                    existing.get("version").unwrap_or(&Value::Null),
                    item.get("version").unwrap_or(&Value::Null),
                ),
            }),
        }
    }
    if !new.is_empty() {
        report.written += new.len() as u64;
        table.put_batch(new).await?;
    }
    Ok(())
}

/// The item is already there: the same version of a versioned entity,
/// the same content otherwise.
fn same(existing: &Item, item: &Item) -> bool {
    match (existing.get("version"), item.get("version")) {
        (Some(a), Some(b)) => a == b,
        _ => existing == item,
    }
}

type Bad = (String, String);

fn bad(field: &str, detail: impl Into<String>) -> Bad {
    (field.to_string(), detail.into())
}

/// Checks one line and gives the item to write.
pub fn check_line(line: &str) -> Result<Item, Bad> {
    let item: Item =
        serde_json::from_str(line).map_err(|e| bad("line", format!("not a JSON object: {e}")))?;
    for attr in KEY_ATTRS {
        match item.get(attr) {
            None if attr == "PK" || attr == "SK" => {
                return Err(bad(attr, "is missing"));
            }
            None => {}
            Some(Value::String(s)) if !s.is_empty() => {}
            Some(_) => return Err(bad(attr, "must be a non-empty string")),
        }
    }
    if kind_of(&item).is_none() {
        return Err(bad(
            "entity",
            "sessions, one-time passwords, idempotent answers and upload slots are never imported",
        ));
    }
    let entity = text(&item, "entity").unwrap_or_default().to_string();
    use crate::deliveries::{comments::Comment, orders, records};
    use crate::identity::{self, Business, Member, User, audit::AuditEntry};
    use crate::ledger::{catalogue, customers, invoices, payments::Payment};
    use crate::registry::{cases, reports};
    let rebuilt = match entity.as_str() {
        "customer" => {
            let c: customers::Customer = typed(&item)?;
            customer_rules(&c)?;
            Some(customers::customer_item(&c))
        }
        "product" => Some(catalogue::product_item(&typed(&item)?)),
        "category" => Some(catalogue::category_item(&typed(&item)?)),
        "invoice" => Some(invoices::invoice_item(&typed(&item)?)),
        "order" => Some(orders::order_item(&typed(&item)?)),
        "delivery" => Some(records::delivery_item(&typed(&item)?)),
        "report" => Some(reports::report_item(&typed(&item)?)),
        "dispute" => Some(cases::dispute_item(&typed(&item)?)),
        "edit_request" => Some(cases::edit_item(&typed(&item)?)),
        "user" => Some(identity::user_item(&typed::<User>(&item)?)),
        "payment" => typed::<Payment>(&item).map(|_| None)?,
        "comment" => typed::<Comment>(&item).map(|_| None)?,
        "company" => typed::<crate::companies::Company>(&item).map(|_| None)?,
        "audit" => typed::<AuditEntry>(&item).map(|_| None)?,
        "business" => typed::<Business>(&item).map(|_| None)?,
        "member" => typed::<Member>(&item).map(|_| None)?,
        "supplier" => Some(crate::ledger::inventory::suppliers::supplier_item(&typed(
            &item,
        )?)),
        "stock_movement" => typed::<crate::ledger::stock::StockMovement>(&item).map(|_| None)?,
        "low_stock" => typed::<crate::ledger::stock::StockRow>(&item).map(|_| None)?,
        "receipt" => typed::<crate::ledger::inventory::receipts::Receipt>(&item).map(|_| None)?,
        _ => None,
    };
    if let Some(rebuilt) = rebuilt {
        let rebuilt = rebuilt.map_err(|e| bad("line", e.to_string()))?;
        for attr in KEY_ATTRS {
            if rebuilt.get(attr) != item.get(attr) {
                return Err(bad(
                    attr,
                    format!(
                        "does not match the {entity}'s own key ({})",
                        rebuilt.get(attr).and_then(|v| v.as_str()).unwrap_or("none")
                    ),
                ));
            }
        }
    }
    Ok(item)
}

/// Reads the item as entity `T`, naming the first field that does not fit.
fn typed<T: DeserializeOwned>(item: &Item) -> Result<T, Bad> {
    let value = Value::Object(item.clone());
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "line".into() } else { path };
        (field, e.into_inner().to_string())
    })
}

/// The API's rules for a customer's checked fields: the stored value must
/// be what the API would have stored for it.
fn customer_rules(c: &crate::ledger::customers::Customer) -> Result<(), Bad> {
    use crate::validate;
    let field = |e: crate::FieldError| (e.field, e.detail);
    validate::text("name", &c.name, 120).map_err(field)?;
    if let Some(p) = &c.phone {
        let parsed = validate::Phone::parse("phone", p).map_err(field)?;
        if parsed.as_str() != p {
            return Err(bad("phone", "must be stored in E.164 form"));
        }
    }
    if let Some(m) = &c.email
        && validate::email("email", m).map_err(field)? != *m
    {
        return Err(bad("email", "must be stored in lower case"));
    }
    if let Some(g) = &c.gstin
        && validate::gstin("gstin", g).map_err(field)? != *g
    {
        return Err(bad("gstin", "must be stored in upper case"));
    }
    Ok(())
}
