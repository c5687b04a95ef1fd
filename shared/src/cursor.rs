//! Page cursors: the last evaluated key of a query, signed and bound to the
//! query that made it, opaque to clients (base64url JSON, `.`, signature).

use crate::crypto::{Keys, b64, unb64};
use crate::error::{Error, FieldError, Result};
use crate::table::Item;

/// Encodes the last key of a page for the query described by `binding`
/// (for example `customers|biz_...|q=gup|status=active`).
pub fn encode(keys: &Keys, binding: &str, last_key: &Item) -> String {
    let body = serde_json::json!({ "b": binding, "k": last_key }).to_string();
    format!("{}.{}", b64(body.as_bytes()), keys.sign(body.as_bytes()))
}

/// Decodes a cursor made by [`encode`] for the same query. A cursor that was
/// tampered with or made for another query is a 400 naming `cursor`.
pub fn decode(keys: &Keys, binding: &str, cursor: &str) -> Result<Item> {
    let bad = || Error::BadRequest {
        kind: "invalid-cursor",
        detail: "the cursor is not one this query returned".into(),
        errors: vec![FieldError::new(
            "cursor",
            "invalid_cursor",
            "pass next_cursor back unchanged, with the same filters",
        )],
    };
    let (body, sig) = cursor.split_once('.').ok_or_else(bad)?;
    let body = unb64(body).ok_or_else(bad)?;
    if !keys.verify(&body, sig) {
        return Err(bad());
    }
    let v: serde_json::Value = serde_json::from_slice(&body).map_err(|_| bad())?;
    if v.get("b").and_then(|b| b.as_str()) != Some(binding) {
        return Err(bad());
    }
    v.get("k")
        .and_then(|k| k.as_object())
        .cloned()
        .ok_or_else(bad)
}
