//! The OpenAPI 3.1 document: the document's own settings here, and the
//! paths of the route table ([`crate::routes::openapi_paths`]), each from
//! its handler's annotation.

use crate::handlers;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Hisaab API", description = "Receivables and trade credit for small businesses. Amounts are integers in paise; timestamps are RFC 3339 UTC; errors are RFC 9457 problem documents."),
    components(schemas(handlers::Accepted, crate::problem::Problem, hisaab::FieldError)),
    modifiers(&BearerAuth),
    tags((name = "auth"), (name = "me"), (name = "business"), (name = "customers"), (name = "catalogue"), (name = "stock"),
        (name = "invoices"), (name = "payments"), (name = "reports"), (name = "orders"), (name = "vendors"), (name = "deliveries"), (name = "months"), (name = "registry"), (name = "notifications"), (name = "admin"), (name = "meta"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let c = doc.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document, as JSON: the annotations' document with the
/// answers every route gives completed ([`complete_responses`]).
pub fn document() -> serde_json::Value {
    let mut doc = ApiDoc::openapi();
    let (paths, schemas) = crate::routes::openapi_paths();
    doc.paths = paths;
    doc.components
        .get_or_insert_with(Default::default)
        .schemas
        .extend(schemas);
    let mut value = serde_json::to_value(&doc).expect("the document serializes");
    let with_table: std::collections::HashSet<&str> = crate::routes::all()
        .into_iter()
        .filter(|r| r.access.table != crate::access::TableAccess::None)
        .map(|r| r.name)
        .collect();
    complete_responses(&mut value, &with_table);
    enforced_rules(&mut value);
    value
}

/// A problem answer of an operation: `what` it means, as an RFC 9457
/// problem document.
fn problem(what: &str) -> serde_json::Value {
    serde_json::json!({"description": what, "content": {"application/problem+json":
        {"schema": {"$ref": "#/components/schemas/Problem"}}}})
}

/// `yyyy-mm` with a month 01–12, as [`hisaab::deliveries::orders::parse_month`] takes it.
pub const MONTH_PATTERN: &str = "^[0-9]{4}-(0[1-9]|1[0-2])$";

/// The phone numbers [`hisaab::validate::Phone::parse`] takes, as a pattern:
/// spaces, dashes, dots and brackets anywhere; `+` and an E.164 number of
/// 8 to 15 digits (an Indian `+91` one with 10 digits starting 2–9), or,
/// without `+`, an Indian number of 10 digits, or 11 with the trunk `0`, or
/// 12 with `91`.
pub fn phone_pattern() -> String {
    let s = "[ .()-]*";
    let d = format!("[0-9]{s}");
    let national = format!("[2-9]{s}(?:{d}){{9}}");
    let plus = format!(
        "\\+{s}(?:9{s}1{s}{national}|[1-8]{s}(?:{d}){{7,14}}|9{s}[02-9]{s}(?:{d}){{6,13}})"
    );
    format!("^{s}(?:{plus}|{national}|0{s}{national}|9{s}1{s}{national})$")
}

/// A PAN as [`hisaab::validate::pan`] takes it (any case, trimmed): five
/// letters of which the fourth is the holder type, four digits, a letter.
pub const PAN_PATTERN: &str = "^\\s*[A-Za-z]{3}[ABCFGHJLPTabcfghjlpt][A-Za-z][0-9]{4}[A-Za-z]\\s*$";

/// A GSTIN as [`hisaab::validate::gstin`] takes it (any case, trimmed): a
/// state code (01–38, 97 or 99), a PAN, an entity number, `Z` and a check
/// character. The check character's checksum cannot be said in a pattern:
/// a GSTIN that matches and fails it is a 422 `invalid_gstin`.
pub const GSTIN_PATTERN: &str = "^\\s*(?:0[1-9]|[12][0-9]|3[0-8]|97|99)[A-Za-z]{3}[ABCFGHJLPTabcfghjlpt][A-Za-z][0-9]{4}[A-Za-z][1-9A-Za-z][Zz][0-9A-Za-z]\\s*$";

/// The input rules the server enforces on parameters and fields that
/// share a name across the API, written into the schemas once here (the
/// contract test in `tests/tests/contract.rs` checks them against the
/// server on a table of edge values):
///
/// - a `month` parameter: [`MONTH_PATTERN`];
/// - a `format` parameter: `json` or `csv`; an `interval` one: `day` or
///   `month`;
/// - an operation with query parameters answers 400 (a value that does not
///   parse, an unknown parameter) and 422 (a value out of its rules);
///   a month in the path, 422;
/// - `phone`, `pan` and `gstin` fields of request bodies (and of the
///   components they use): [`phone_pattern`], [`PAN_PATTERN`],
///   [`GSTIN_PATTERN`]; `name` fields are not blank (`\S`). Answers keep
///   their own schemas: they show masked numbers.
fn enforced_rules(doc: &mut serde_json::Value) {
    use serde_json::{Value, json};
    // Components a request body uses, directly or through others.
    let mut inputs: Vec<String> = Vec::new();
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                    out.push(r.trim_start_matches("#/components/schemas/").to_string());
                }
                m.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            for op in item
                .as_object_mut()
                .into_iter()
                .flat_map(|m| m.values_mut())
            {
                refs(&op["requestBody"], &mut inputs);
                let mut query = false;
                let mut month_in_path = false;
                for p in op
                    .get_mut("parameters")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    query |= p["in"] == "query";
                    let rule = match p["name"].as_str() {
                        Some("month") => {
                            month_in_path |= p["in"] == "path";
                            json!({"type": "string", "pattern": MONTH_PATTERN})
                        }
                        Some("format") if p["in"] == "query" => {
                            json!({"type": "string", "enum": ["json", "csv"]})
                        }
                        Some("interval") if p["in"] == "query" => {
                            json!({"type": "string", "enum": ["day", "month"]})
                        }
                        _ => continue,
                    };
                    p["schema"] = rule;
                }
                if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                    if query {
                        responses.entry("400").or_insert_with(|| {
                            problem(
                                "a query parameter does not parse, or is not one of this route's",
                            )
                        });
                    }
                    if query || month_in_path {
                        responses.entry("422").or_insert_with(|| {
                            problem("invalid parameters or fields, each named in errors[]")
                        });
                    }
                }
            }
        }
    }
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut i = 0;
    while i < inputs.len() {
        if let Some(s) = schemas.get(&inputs[i]) {
            let mut more = Vec::new();
            refs(s, &mut more);
            for m in more {
                if !inputs.contains(&m) {
                    inputs.push(m);
                }
            }
        }
        i += 1;
    }
    let phone = phone_pattern();
    for name in &inputs {
        let Some(props) = schemas
            .get_mut(name)
            .and_then(|s| s.get_mut("properties"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        for (field, schema) in props.iter_mut() {
            let pattern = match field.as_str() {
                "phone" => phone.as_str(),
                "pan" => PAN_PATTERN,
                "gstin" => GSTIN_PATTERN,
                // Names are trimmed and must not be blank.
                "name" => "\\S",
                _ => continue,
            };
            if let Some(s) = schema.as_object_mut() {
                s.insert("pattern".into(), Value::from(pattern));
            }
        }
    }
}

/// The answers every route of a kind can give, which the annotations leave
/// out, added to each operation (an annotation's own description wins):
///
/// - every error is an RFC 9457 problem document, `application/problem+json`;
/// - a route that needs a sign-in: 401 (no or a bad token) and 403 (the
///   caller's role or business may not);
/// - a route with a path parameter: 404;
/// - a route with a request body: 400 (unreadable JSON, unknown fields),
///   413 (over the body limit), 415 (not JSON) and 422 (invalid fields);
/// - a route that uses the table (its `operationId` in `with_table`): 503
///   when the store is throttling or did not answer in time, after the
///   table's own retries (`hisaab::table::retry::Retrying`);
/// - 429 and 503 carry `Retry-After`; an answer to a request with an
///   `Idempotency-Key` carries `Idempotent-Replayed` when it is a replay.
fn complete_responses(doc: &mut serde_json::Value, with_table: &std::collections::HashSet<&str>) {
    use serde_json::{Value, json};
    let retry_after = json!({"Retry-After": {"description": "seconds to wait before sending the request again",
        "schema": {"type": "integer", "minimum": 1}}});
    let replayed = json!({"Idempotent-Replayed": {"description": "`true` when this is the stored first answer to an earlier request with the same Idempotency-Key",
        "schema": {"type": "string", "enum": ["true"]}}});
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (_, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            shorten_summary(op);
            let secured = op.get("security").is_some();
            let uses_table = op
                .get("operationId")
                .and_then(Value::as_str)
                .is_some_and(|id| with_table.contains(id));
            let has_body = op.get("requestBody").is_some();
            let idempotent = op
                .get("parameters")
                .and_then(Value::as_array)
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == "Idempotency-Key"));
            let responses = op
                .entry("responses")
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .expect("responses is an object");
            let mut add = |status: &str, what: &str| {
                responses.entry(status).or_insert_with(|| problem(what));
            };
            if secured {
                add("401", "no access token, or an expired or invalid one");
                add("403", "the caller's role or business may not do this");
            }
            if path.contains('{') {
                add("404", "no such record, or not one the caller may see");
            }
            if has_body {
                add(
                    "400",
                    "the body is not readable JSON of this shape (unknown fields named)",
                );
                add("413", "the body is larger than the limit");
                add("415", "the body is not application/json");
                add("422", "invalid fields, each named in errors[]");
            }
            if uses_table {
                add(
                    "503",
                    "the data store is busy or did not answer in time; send the request again after Retry-After",
                );
            }
            for (status, r) in responses.iter_mut() {
                let Some(r) = r.as_object_mut() else { continue };
                // OpenAPI requires a description on every response.
                if r.get("description")
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty)
                {
                    let reason = status
                        .parse::<u16>()
                        .ok()
                        .and_then(|c| axum::http::StatusCode::from_u16(c).ok())
                        .and_then(|c| c.canonical_reason())
                        .unwrap_or("answer");
                    r.insert("description".into(), Value::from(reason));
                }
                if status.starts_with('4') || status.starts_with('5') {
                    // Error bodies are problem documents, whatever the
                    // annotation's media type.
                    if let Some(content) = r.get_mut("content").and_then(Value::as_object_mut)
                        && let Some(json) = content.remove("application/json")
                    {
                        content.insert("application/problem+json".into(), json);
                    }
                }
                if status == "429" || status == "503" {
                    r.insert("headers".into(), retry_after.clone());
                }
                if idempotent && status.starts_with('2') {
                    r.insert("headers".into(), replayed.clone());
                }
            }
        }
    }
}

/// An operation's summary is its doc comment's first paragraph, which is
/// often several sentences: readers (Scalar's sidebar, generated clients)
/// show it as a heading. The first sentence stays the summary; the whole
/// paragraph goes before the description.
fn shorten_summary(op: &mut serde_json::Map<String, serde_json::Value>) {
    let Some(summary) = op
        .get("summary")
        .and_then(|s| s.as_str())
        .map(str::to_string)
    else {
        return;
    };
    // A summary is one line.
    op.insert("summary".into(), summary.replace('\n', " ").into());
    let mut ticks = 0;
    let mut cut = None;
    for (i, c) in summary.char_indices() {
        match c {
            '`' => ticks += 1,
            '.' if ticks % 2 == 0 && summary[i + 1..].starts_with(char::is_whitespace) => {
                cut = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(i) = cut else { return };
    let first = summary[..i].replace('\n', " ");
    let description = match op.get("description").and_then(|d| d.as_str()) {
        Some(d) if !d.is_empty() => format!("{summary}\n\n{d}"),
        _ => summary.clone(),
    };
    op.insert("summary".into(), first.into());
    op.insert("description".into(), description.into());
}
