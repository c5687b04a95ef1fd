//! Platform counters (members, businesses, companies, reports by status,
//! open cases) for the admin dashboard: added in the same transaction as
//! the change they count, spread over a few shard items so that
//! concurrent writers seldom meet (`keys::platform_stats_shard`).

use crate::app::Hisaab;
use crate::error::Result;
use crate::keys;
use crate::table::{TableError, Write};

/// Platform counters are spread over this many items so that concurrent
/// writers seldom touch the same one.
const STATS_SHARDS: u32 = 8;

/// Platform counters added in the writes that change them.
pub(crate) fn stats_write(deltas: &[(&str, i64)]) -> Write {
    use rand::Rng;
    let shard = rand::rng().random_range(0..STATS_SHARDS);
    Write::Add {
        key: keys::platform_stats_shard(shard),
        deltas: deltas.iter().map(|(a, d)| (a.to_string(), *d)).collect(),
        attrs: vec![("entity".into(), "platform_stats".into())],
        cond: None,
    }
}

/// Folds every platform-counter write of a transaction into the first
/// (a transaction may touch an item once).
pub(crate) fn merge_stats(writes: Vec<Write>) -> Vec<Write> {
    let mut out: Vec<Write> = Vec::with_capacity(writes.len());
    let mut first: Option<usize> = None;
    for w in writes {
        let is_stats = matches!(&w, Write::Add { key, .. } if key.pk == keys::PLATFORM_STATS_PK);
        match (is_stats, first) {
            (true, Some(i)) => {
                if let (Write::Add { deltas: into, .. }, Write::Add { deltas, .. }) =
                    (&mut out[i], w)
                {
                    into.extend(deltas);
                }
            }
            (true, None) => {
                first = Some(out.len());
                out.push(w);
            }
            (false, _) => out.push(w),
        }
    }
    out
}

impl Hisaab {
    /// Commits writes; a lost race (a version or a transaction conflict)
    /// is `Ok(None)` for [`Hisaab::retrying`].
    pub(crate) async fn commit_writes<T>(&self, w: Vec<Write>, value: T) -> Result<Option<T>> {
        match self.table.transact(merge_stats(w)).await {
            Ok(()) => Ok(Some(value)),
            Err(TableError::ConditionFailed { .. } | TableError::Contention) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
