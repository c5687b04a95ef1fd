//! Cursor pagination shared by every list endpoint: the page size check,
//! the signed cursor bound to the query that made it, and a page of typed
//! items read from one key-condition query.

use crate::app::{Hisaab, from_item};
use crate::cursor;
use crate::error::{Error, FieldError, Result};
use crate::table::{Item, Query};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

/// A page of a list endpoint.
#[derive(Clone, Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct Page<T> {
    /// The items of this page, in the order of the list.
    pub items: Vec<T>,
    /// Pass as `cursor` (with the same filters) for the next page; `null`
    /// on the last page.
    pub next_cursor: Option<String>,
}

/// Checks a `limit` query parameter: `default` when absent, else 1..=`max`.
pub fn page_limit(limit: Option<usize>, default: usize, max: usize) -> Result<usize> {
    let l = limit.unwrap_or(default);
    if (1..=max).contains(&l) {
        Ok(l)
    } else {
        Err(Error::Validation(vec![FieldError::new(
            "limit",
            "out_of_range",
            format!("limit is 1 to {max}"),
        )]))
    }
}

impl Hisaab {
    /// One page of `query` (its `limit` is the page size), starting after
    /// `cursor`, which must have been made for the same `binding` (the
    /// endpoint, the caller's business and every filter). Items for which
    /// `keep` is false are left out after reading (a page can then be
    /// shorter than the limit while `next_cursor` is still set).
    pub(crate) async fn query_page<T: DeserializeOwned>(
        &self,
        query: Query,
        binding: &str,
        cursor: Option<&str>,
        keep: impl Fn(&T) -> bool,
    ) -> Result<Page<T>> {
        let start = cursor
            .map(|c| cursor::decode(&self.keys, binding, c))
            .transpose()?;
        let page = self.table.query_stored(&query.start(start)).await?;
        let mut items = Vec::with_capacity(page.items.len());
        for item in page.items {
            let t: T = item
                .decode()
                .map_err(|e| Error::Internal(anyhow::anyhow!("corrupt item: {e}")))?;
            if keep(&t) {
                items.push(t);
            }
        }
        Ok(Page {
            items,
            next_cursor: page
                .last_key
                .map(|k| cursor::encode(&self.keys, binding, &k)),
        })
    }

    /// Every item of `query` as stored, reading page after page (of
    /// `query.limit` items) to the end: the one paging loop of the crate.
    /// For partitions known to stay small.
    pub(crate) async fn query_items(&self, mut query: Query) -> Result<Vec<Item>> {
        let mut out = vec![];
        loop {
            let page = self.table.query(&query).await?;
            out.extend(page.items);
            match page.last_key {
                Some(k) => query.start = Some(k),
                None => return Ok(out),
            }
        }
    }

    /// Every item of `query` as entities (see [`Hisaab::query_items`]).
    pub(crate) async fn query_all<T: DeserializeOwned>(&self, query: Query) -> Result<Vec<T>> {
        self.query_items(query)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }
}
