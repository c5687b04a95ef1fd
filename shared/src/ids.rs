//! Ids: ULIDs with a short type prefix (`cus_01JD2Q...`), sortable by
//! creation time.

/// A new id with the given type prefix, e.g. `new_id("cus")`.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", ulid::Ulid::new())
}

/// Checks that `raw` is an id of the given type. Path parameters that are
/// not are answered with 404 without touching the table.
pub fn is_id(prefix: &str, raw: &str) -> bool {
    raw.strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('_'))
        .is_some_and(|u| ulid::Ulid::from_string(u).is_ok())
}
