//! DynamoDB adapter of the table port (`aws-sdk-dynamodb` with `serde_dynamo`
//! for the item mapping). Conditions become condition expressions, `add`
//! becomes `UpdateItem ... ADD`, `transact` becomes `TransactWriteItems`.

use super::{Cond, Index, Item, Key, Page, Query, Scan, SortKey, Table, TableError, Write};
use anyhow::anyhow;
use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, ConditionCheck, Delete, GlobalSecondaryIndex,
    KeySchemaElement, KeyType, Projection, ProjectionType, Put, PutRequest, ReturnValue,
    ScalarAttributeType, TransactWriteItem, Update, WriteRequest,
};
use std::collections::HashMap;

type Attrs = HashMap<String, AttributeValue>;

/// The table on DynamoDB (or on any endpoint speaking its API, such as moto).
#[derive(Clone)]
pub struct DynamoTable {
    client: Client,
    table: String,
}

impl DynamoTable {
    /// Wraps a client built once per process and the table name.
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        DynamoTable {
            client,
            table: table.into(),
        }
    }

    /// The table name.
    pub fn table_name(&self) -> &str {
        &self.table
    }

    /// Creates the table with the same keys and GSIs as `template.yaml`
    /// (on-demand billing). For local emulators and tests; on AWS the SAM
    /// template owns the table.
    pub async fn create_table(&self) -> anyhow::Result<()> {
        let attr = |n: &str| {
            AttributeDefinition::builder()
                .attribute_name(n)
                .attribute_type(ScalarAttributeType::S)
                .build()
        };
        let key = |n: &str, t: KeyType| {
            KeySchemaElement::builder()
                .attribute_name(n)
                .key_type(t)
                .build()
        };
        let gsi = |name: &str| -> anyhow::Result<GlobalSecondaryIndex> {
            Ok(GlobalSecondaryIndex::builder()
                .index_name(name)
                .key_schema(key(&format!("{name}PK"), KeyType::Hash)?)
                .key_schema(key(&format!("{name}SK"), KeyType::Range)?)
                .projection(
                    Projection::builder()
                        .projection_type(ProjectionType::All)
                        .build(),
                )
                .build()?)
        };
        let mut req = self
            .client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .key_schema(key("PK", KeyType::Hash)?)
            .key_schema(key("SK", KeyType::Range)?)
            .global_secondary_indexes(gsi("GSI1")?)
            .global_secondary_indexes(gsi("GSI2")?)
            .global_secondary_indexes(gsi("GSI3")?)
            .global_secondary_indexes(gsi("GSI4")?);
        for a in [
            "PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK", "GSI4PK",
            "GSI4SK",
        ] {
            req = req.attribute_definitions(attr(a)?);
        }
        req.send().await?;
        Ok(())
    }
}

fn to_attrs(item: &Item) -> Result<Attrs, TableError> {
    serde_dynamo::to_item(item).map_err(|e| TableError::Backend(e.into()))
}

fn from_attrs(attrs: Attrs) -> Result<Item, TableError> {
    serde_dynamo::from_item(attrs).map_err(|e| TableError::Backend(e.into()))
}

fn key_attrs(key: &Key) -> Attrs {
    HashMap::from([
        ("PK".to_string(), AttributeValue::S(key.pk.clone())),
        ("SK".to_string(), AttributeValue::S(key.sk.clone())),
    ])
}

/// Collects expression attribute names and values while an expression is built.
#[derive(Default)]
struct Expr {
    names: HashMap<String, String>,
    values: Attrs,
}

impl Expr {
    fn name(&mut self, attr: &str) -> String {
        let n = format!("#n{}", self.names.len());
        self.names.insert(n.clone(), attr.to_string());
        n
    }

    fn value(&mut self, v: AttributeValue) -> String {
        let n = format!(":v{}", self.values.len());
        self.values.insert(n.clone(), v);
        n
    }

    fn cond(&mut self, c: &Cond) -> Result<String, TableError> {
        Ok(match c {
            Cond::NotExists => format!("attribute_not_exists({})", self.name("PK")),
            Cond::Exists => format!("attribute_exists({})", self.name("PK")),
            Cond::Equals(a, v) => {
                let av = serde_dynamo::to_attribute_value(v)
                    .map_err(|e| TableError::Backend(e.into()))?;
                format!("{} = {}", self.name(a), self.value(av))
            }
            Cond::And(all) => {
                let parts = all
                    .iter()
                    .map(|c| self.cond(c).map(|s| format!("({s})")))
                    .collect::<Result<Vec<_>, _>>()?;
                parts.join(" AND ")
            }
        })
    }

    fn names(&self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.clone())
    }

    fn values(&self) -> Option<Attrs> {
        (!self.values.is_empty()).then(|| self.values.clone())
    }
}

/// DynamoDB's error codes for a refused request (nothing applied) that
/// may succeed when sent again.
const THROTTLED: [&str; 3] = [
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
];

/// The cancellation reasons of a transaction cancelled for throttling.
const THROTTLED_REASONS: [&str; 2] = ["ProvisionedThroughputExceeded", "ThrottlingError"];

/// Maps an SDK failure (after the SDK's own retries): throttling is
/// [`TableError::throttled`]; a timeout, a failed dispatch (no answer), an
/// unreadable answer or a server error of DynamoDB is
/// [`TableError::timed_out`] (the write may have been applied); anything
/// else (a request we built wrong) is `Backend`.
fn sdk<E, R>(e: SdkError<E, R>) -> TableError
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let throttled = e.code().is_some_and(|c| THROTTLED.contains(&c));
    let lost = match &e {
        SdkError::TimeoutError(_) | SdkError::ResponseError(_) => true,
        SdkError::DispatchFailure(d) => !d.is_user(),
        SdkError::ServiceError(_) => {
            matches!(e.code(), Some("InternalServerError" | "ServiceUnavailable"))
        }
        _ => false,
    };
    if throttled {
        TableError::throttled(e)
    } else if lost {
        TableError::timed_out(e)
    } else {
        TableError::Backend(anyhow::Error::new(e))
    }
}

/// Maps the error of a single-item write: a failed condition (as the
/// operation's error type reports it) or anything else.
fn single<E, R>(err: SdkError<E, R>, failed: impl Fn(&E) -> bool) -> TableError
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    if err.as_service_error().is_some_and(failed) {
        TableError::ConditionFailed { index: None }
    } else {
        sdk(err)
    }
}

/// Maps the failure of `TransactWriteItems`: a cancellation for a failed
/// condition (naming the first failed write), for a conflicting
/// transaction, or for throttling (nothing of it applied); anything else
/// as [`sdk`] maps it.
fn transact_error<R>(err: SdkError<TransactWriteItemsError, R>) -> TableError
where
    R: std::fmt::Debug + Send + Sync + 'static,
{
    use TransactWriteItemsError as E;
    match err.as_service_error() {
        Some(E::TransactionCanceledException(c)) => {
            let reasons = c.cancellation_reasons();
            let failed = reasons
                .iter()
                .position(|r| r.code() == Some("ConditionalCheckFailed"));
            if failed.is_some() {
                TableError::ConditionFailed { index: failed }
            } else if reasons
                .iter()
                .any(|r| r.code() == Some("TransactionConflict"))
            {
                TableError::Contention
            } else if reasons
                .iter()
                .any(|r| r.code().is_some_and(|c| THROTTLED_REASONS.contains(&c)))
            {
                TableError::throttled(err)
            } else {
                sdk(err)
            }
        }
        Some(E::TransactionInProgressException(_)) => TableError::Contention,
        _ => sdk(err),
    }
}

#[async_trait]
impl Table for DynamoTable {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key_attrs(key)))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk)?;
        out.item.map(from_attrs).transpose()
    }

    async fn put(&self, item: Item, cond: Option<Cond>) -> Result<(), TableError> {
        let mut e = Expr::default();
        let expr = cond.as_ref().map(|c| e.cond(c)).transpose()?;
        let res = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_attrs(&item)?))
            .set_condition_expression(expr)
            .set_expression_attribute_names(e.names())
            .set_expression_attribute_values(e.values())
            .send()
            .await;
        res.map(|_| ())
            .map_err(|e| single(e, |s| s.is_conditional_check_failed_exception()))
    }

    async fn delete(&self, key: &Key, cond: Option<Cond>) -> Result<(), TableError> {
        let mut e = Expr::default();
        let expr = cond.as_ref().map(|c| e.cond(c)).transpose()?;
        let res = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_attrs(key)))
            .set_condition_expression(expr)
            .set_expression_attribute_names(e.names())
            .set_expression_attribute_values(e.values())
            .send()
            .await;
        res.map(|_| ())
            .map_err(|e| single(e, |s| s.is_conditional_check_failed_exception()))
    }

    async fn query(&self, q: &Query) -> Result<Page, TableError> {
        if q.limit == 0 || q.limit > 1000 {
            return Err(TableError::Invalid("query limit must be 1..=1000".into()));
        }
        let (pattr, sattr) = q.index.attrs();
        let mut e = Expr::default();
        let mut kce = format!(
            "{} = {}",
            e.name(pattr),
            e.value(AttributeValue::S(q.pk.clone()))
        );
        match &q.sk {
            None => {}
            Some(SortKey::Eq(v)) => {
                kce += &format!(
                    " AND {} = {}",
                    e.name(sattr),
                    e.value(AttributeValue::S(v.clone()))
                )
            }
            Some(SortKey::BeginsWith(p)) => {
                kce += &format!(
                    " AND begins_with({}, {})",
                    e.name(sattr),
                    e.value(AttributeValue::S(p.clone()))
                )
            }
            Some(SortKey::Between(a, b)) => {
                let n = e.name(sattr);
                let va = e.value(AttributeValue::S(a.clone()));
                let vb = e.value(AttributeValue::S(b.clone()));
                kce += &format!(" AND {n} BETWEEN {va} AND {vb}");
            }
        }
        let start = q.start.as_ref().map(to_attrs).transpose()?;
        // Ask for one more than the page so that `last_key` is set exactly
        // when more items follow, as in the SQLite adapter.
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .set_index_name(q.index.name().map(str::to_owned))
            .key_condition_expression(kce)
            .set_expression_attribute_names(e.names())
            .set_expression_attribute_values(e.values())
            .scan_index_forward(q.forward)
            .limit(q.limit as i32 + 1)
            .set_exclusive_start_key(start)
            .consistent_read(q.index == Index::Table)
            .send()
            .await
            .map_err(sdk)?;
        let mut items = out
            .items
            .unwrap_or_default()
            .into_iter()
            .map(from_attrs)
            .collect::<Result<Vec<_>, _>>()?;
        let more = items.len() > q.limit;
        items.truncate(q.limit);
        let last_key = if more {
            items.last().map(|i| q.index.key_of(i))
        } else {
            None
        };
        Ok(Page { items, last_key })
    }

    async fn add(
        &self,
        key: &Key,
        attr: &str,
        delta: i64,
        cond: Option<Cond>,
    ) -> Result<i64, TableError> {
        let mut e = Expr::default();
        let update = format!(
            "ADD {} {}",
            e.name(attr),
            e.value(AttributeValue::N(delta.to_string()))
        );
        let expr = cond.as_ref().map(|c| e.cond(c)).transpose()?;
        let res = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_attrs(key)))
            .update_expression(update)
            .set_condition_expression(expr)
            .set_expression_attribute_names(e.names())
            .set_expression_attribute_values(e.values())
            .return_values(ReturnValue::UpdatedNew)
            .send()
            .await;
        match res {
            Ok(out) => out
                .attributes
                .and_then(|a| a.get(attr).cloned())
                .and_then(|v| v.as_n().ok().and_then(|n| n.parse().ok()))
                .ok_or_else(|| TableError::Backend(anyhow!("ADD returned no number"))),
            Err(e) => Err(single(e, |s| s.is_conditional_check_failed_exception())),
        }
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), TableError> {
        super::validate_transaction(&writes)?;
        let mut items = Vec::with_capacity(writes.len());
        for w in &writes {
            let mut e = Expr::default();
            let build = |e: anyhow::Error| TableError::Backend(e);
            let item = match w {
                Write::Put { item, cond } => {
                    let expr = cond.as_ref().map(|c| e.cond(c)).transpose()?;
                    TransactWriteItem::builder()
                        .put(
                            Put::builder()
                                .table_name(&self.table)
                                .set_item(Some(to_attrs(item)?))
                                .set_condition_expression(expr)
                                .set_expression_attribute_names(e.names())
                                .set_expression_attribute_values(e.values())
                                .build()
                                .map_err(|x| build(x.into()))?,
                        )
                        .build()
                }
                Write::Delete { key, cond } => {
                    let expr = cond.as_ref().map(|c| e.cond(c)).transpose()?;
                    TransactWriteItem::builder()
                        .delete(
                            Delete::builder()
                                .table_name(&self.table)
                                .set_key(Some(key_attrs(key)))
                                .set_condition_expression(expr)
                                .set_expression_attribute_names(e.names())
                                .set_expression_attribute_values(e.values())
                                .build()
                                .map_err(|x| build(x.into()))?,
                        )
                        .build()
                }
                Write::Check { key, cond } => {
                    let expr = e.cond(cond)?;
                    TransactWriteItem::builder()
                        .condition_check(
                            ConditionCheck::builder()
                                .table_name(&self.table)
                                .set_key(Some(key_attrs(key)))
                                .condition_expression(expr)
                                .set_expression_attribute_names(e.names())
                                .set_expression_attribute_values(e.values())
                                .build()
                                .map_err(|x| build(x.into()))?,
                        )
                        .build()
                }
                Write::Add {
                    key,
                    deltas,
                    attrs,
                    cond,
                } => {
                    if deltas.is_empty() {
                        return Err(TableError::Invalid("an Add without deltas".into()));
                    }
                    let sets: Vec<String> = attrs
                        .iter()
                        .map(|(attr, value)| {
                            let n = e.name(attr);
                            let v = e.value(AttributeValue::S(value.clone()));
                            format!("{n} = if_not_exists({n}, {v})")
                        })
                        .collect();
                    let parts: Vec<String> = deltas
                        .iter()
                        .map(|(attr, delta)| {
                            format!(
                                "{} {}",
                                e.name(attr),
                                e.value(AttributeValue::N(delta.to_string()))
                            )
                        })
                        .collect();
                    let mut update = format!("ADD {}", parts.join(", "));
                    if !sets.is_empty() {
                        update = format!("SET {} {update}", sets.join(", "));
                    }
                    let expr = cond.as_ref().map(|c| e.cond(c)).transpose()?;
                    TransactWriteItem::builder()
                        .update(
                            Update::builder()
                                .table_name(&self.table)
                                .set_key(Some(key_attrs(key)))
                                .update_expression(update)
                                .set_condition_expression(expr)
                                .set_expression_attribute_names(e.names())
                                .set_expression_attribute_values(e.values())
                                .build()
                                .map_err(|x| build(x.into()))?,
                        )
                        .build()
                }
            };
            items.push(item);
        }
        let res = self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await;
        res.map(|_| ()).map_err(transact_error)
    }

    /// DynamoDB's parallel `Scan` (eventually consistent). A page may come
    /// back short, even empty, with a `last_key`: read on until it is `None`.
    async fn scan(&self, scan: &Scan) -> Result<Page, TableError> {
        super::validate_scan(scan)?;
        let start = scan.start.as_ref().map(to_attrs).transpose()?;
        let out = self
            .client
            .scan()
            .table_name(&self.table)
            .segment(scan.segment as i32)
            .total_segments(scan.segments as i32)
            .limit(scan.limit as i32)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(sdk)?;
        let items = out
            .items
            .unwrap_or_default()
            .into_iter()
            .map(from_attrs)
            .collect::<Result<Vec<_>, _>>()?;
        let last_key = out.last_evaluated_key.map(from_attrs).transpose()?;
        Ok(Page { items, last_key })
    }

    /// `BatchWriteItem`, sending again what DynamoDB left unprocessed
    /// (with a growing pause) up to eight times.
    async fn put_batch(&self, items: Vec<Item>) -> Result<(), TableError> {
        super::validate_batch(&items)?;
        let mut requests = items
            .iter()
            .map(|item| {
                let put = PutRequest::builder()
                    .set_item(Some(to_attrs(item)?))
                    .build()
                    .map_err(|e| TableError::Backend(e.into()))?;
                Ok(WriteRequest::builder().put_request(put).build())
            })
            .collect::<Result<Vec<_>, TableError>>()?;
        for attempt in 0..8u32 {
            let out = self
                .client
                .batch_write_item()
                .request_items(&self.table, requests)
                .send()
                .await
                .map_err(sdk)?;
            requests = out
                .unprocessed_items
                .and_then(|mut u| u.remove(&self.table))
                .unwrap_or_default();
            if requests.is_empty() {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(50 << attempt)).await;
        }
        Err(TableError::Backend(anyhow!(
            "DynamoDB left {} items of a batch unprocessed",
            requests.len()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Applied;
    use aws_sdk_dynamodb::error::ErrorMetadata;
    use aws_sdk_dynamodb::operation::put_item::PutItemError;
    use aws_sdk_dynamodb::types::CancellationReason;
    use aws_sdk_dynamodb::types::error::TransactionCanceledException;

    fn service(code: &str) -> SdkError<PutItemError, ()> {
        SdkError::service_error(
            PutItemError::generic(ErrorMetadata::builder().code(code).build()),
            (),
        )
    }

    fn applied(e: TableError) -> Option<Applied> {
        match e {
            TableError::Unavailable { applied, .. } => Some(applied),
            _ => None,
        }
    }

    #[test]
    fn throttling_timeouts_and_server_errors_are_unavailable() {
        for code in THROTTLED {
            assert_eq!(applied(sdk(service(code))), Some(Applied::No), "{code}");
        }
        assert_eq!(
            applied(sdk(service("InternalServerError"))),
            Some(Applied::Maybe)
        );
        let timeout = SdkError::<PutItemError, ()>::timeout_error("no answer in 3 s");
        assert_eq!(applied(sdk(timeout)), Some(Applied::Maybe));
        assert!(matches!(
            sdk(service("ResourceNotFoundException")),
            TableError::Backend(_)
        ));
    }

    fn cancelled(codes: &[&str]) -> SdkError<TransactWriteItemsError, ()> {
        let mut c = TransactionCanceledException::builder();
        for code in codes {
            c = c.cancellation_reasons(CancellationReason::builder().code(*code).build());
        }
        SdkError::service_error(
            TransactWriteItemsError::TransactionCanceledException(c.build()),
            (),
        )
    }

    #[test]
    fn a_transaction_cancelled_for_throttling_is_unavailable_and_not_applied() {
        let e = transact_error(cancelled(&["None", "ThrottlingError"]));
        assert_eq!(applied(e), Some(Applied::No));
        let e = transact_error(cancelled(&["ProvisionedThroughputExceeded", "None"]));
        assert_eq!(applied(e), Some(Applied::No));
        // A failed condition or a conflict says more than throttling.
        let e = transact_error(cancelled(&["ThrottlingError", "ConditionalCheckFailed"]));
        assert!(matches!(e, TableError::ConditionFailed { index: Some(1) }));
        let e = transact_error(cancelled(&["TransactionConflict", "ThrottlingError"]));
        assert!(matches!(e, TableError::Contention));
    }
}
