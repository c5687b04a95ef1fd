//! The API contract as a test: every answer an end-to-end suite gets
//! through [`super::TestApp::raw`] is checked against the OpenAPI document
//! that `/v1/openapi.json` serves (`hisaab_functions::openapi::document`),
//! on both stores. An answer fails the test when its status is not listed
//! for the operation, when its media type is not one the status lists, when
//! a JSON body does not match the listed schema (JSON Schema 2020-12, as
//! OpenAPI 3.1 uses it), or when a listed required header is missing.
//!
//! Paths the document does not describe are the local server's own
//! (`/_local/…`, not part of the API) or unknown ones, whose answer must be
//! a `404`/`405` problem document.

use axum::http::{HeaderMap, Method, StatusCode};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The document's operations and a compiled validator for every schema an
/// answer or a parameter can be checked against.
pub struct Contract {
    /// The document, as served.
    pub doc: Value,
    operations: Vec<Operation>,
    validators: jsonschema::ValidatorMap,
}

/// One operation: `method` on a path template such as
/// `/v1/customers/{customer_id}`.
pub struct Operation {
    /// Lower-case method, as the document keys it (`get`, `post`, …).
    pub method: String,
    /// The path template.
    pub path: String,
    segments: Vec<Segment>,
    /// JSON pointer of the operation object in the document.
    pub pointer: String,
}

enum Segment {
    Literal(String),
    Param,
}

/// The contract of this test process, built once.
pub fn contract() -> &'static Contract {
    static CONTRACT: OnceLock<Contract> = OnceLock::new();
    CONTRACT.get_or_init(|| Contract::new(hisaab_functions::openapi::document()))
}

/// Escapes a JSON pointer token (RFC 6901).
fn token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Every schema of the document an answer or request is checked against,
/// keyed by its JSON pointer in the document (`/paths/…/schema`).
fn schemas(doc: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for name in doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        let pointer = format!("/components/schemas/{}", token(name));
        out.insert(pointer.clone(), json!({ "$ref": format!("#{pointer}") }));
    }
    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item") {
            let at = format!("/paths/{}/{method}", token(path));
            for (status, res) in op["responses"].as_object().into_iter().flatten() {
                for (media, m) in res["content"].as_object().into_iter().flatten() {
                    if let Some(s) = m.get("schema") {
                        out.insert(
                            format!("{at}/responses/{status}/content/{}/schema", token(media)),
                            s.clone(),
                        );
                    }
                }
            }
            for (i, p) in op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                if let Some(s) = p.get("schema") {
                    out.insert(format!("{at}/parameters/{i}/schema"), s.clone());
                }
            }
            if let Some(s) = op.pointer("/requestBody/content/application~1json/schema") {
                out.insert(
                    format!("{at}/requestBody/content/application~1json/schema"),
                    s.clone(),
                );
            }
        }
    }
    out
}

/// Closes the document's object schemas for the check: an answer with a
/// field the document does not describe is a mismatch too. Serde writes
/// every field it has, so `unevaluatedProperties: false` holds for every
/// object but the parts of an `allOf` (which see only their own fields):
/// those, and the components an `allOf` is made of, stay open.
fn close_objects(schemas: &mut Value) {
    fn parts(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k == "allOf" {
                        for r in x.as_array().into_iter().flatten() {
                            if let Some(r) = r["$ref"].as_str() {
                                out.push(r.trim_start_matches("#/components/schemas/").into());
                            }
                        }
                    }
                    parts(x, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| parts(x, out)),
            _ => {}
        }
    }
    fn close(v: &mut Value, open: bool) {
        let Value::Object(m) = v else { return };
        let object = m.contains_key("properties") || m.contains_key("allOf");
        if object
            && !open
            && !m.contains_key("additionalProperties")
            && !m.contains_key("unevaluatedProperties")
        {
            m.insert("unevaluatedProperties".into(), Value::Bool(false));
        }
        for (k, x) in m.iter_mut() {
            match k.as_str() {
                "allOf" => x
                    .as_array_mut()
                    .into_iter()
                    .flatten()
                    .for_each(|p| close(p, true)),
                "oneOf" | "anyOf" | "prefixItems" => x
                    .as_array_mut()
                    .into_iter()
                    .flatten()
                    .for_each(|p| close(p, false)),
                "properties" => x
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|m| m.values_mut())
                    .for_each(|p| close(p, false)),
                "items" | "additionalProperties" => close(x, false),
                _ => {}
            }
        }
    }
    let mut open = Vec::new();
    parts(schemas, &mut open);
    for (name, schema) in schemas.as_object_mut().expect("components.schemas") {
        close(schema, open.contains(name));
    }
}

impl Contract {
    /// Compiles the document's schemas; panics when one does not compile.
    pub fn new(doc: Value) -> Contract {
        let schemas = schemas(&doc);
        let mut defs = Map::new();
        for (pointer, schema) in &schemas {
            defs.insert(pointer.clone(), schema.clone());
        }
        // One root: the document's components (which `$ref`s point into)
        // and every schema under `$defs`, keyed by its pointer.
        let mut components = doc["components"].clone();
        close_objects(&mut components["schemas"]);
        let root = json!({ "components": components, "$defs": defs });
        let validators = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .should_ignore_unknown_formats(true)
            .build_map(&root)
            .expect("the OpenAPI document's schemas compile");
        for pointer in schemas.keys() {
            assert!(
                validators.contains_key(&format!("#/$defs/{}", token(pointer))),
                "schema {pointer} did not compile"
            );
        }
        let mut operations = Vec::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for method in item.as_object().expect("path item").keys() {
                operations.push(Operation {
                    method: method.clone(),
                    path: path.clone(),
                    segments: path
                        .split('/')
                        .map(|s| {
                            if s.starts_with('{') && s.ends_with('}') {
                                Segment::Param
                            } else {
                                Segment::Literal(s.to_string())
                            }
                        })
                        .collect(),
                    pointer: format!("/paths/{}/{method}", token(path)),
                });
            }
        }
        Contract {
            doc,
            operations,
            validators,
        }
    }

    /// The operation a request goes to: the matching template with the
    /// most literal segments (`/v1/customers/import` before
    /// `/v1/customers/{customer_id}`), as the router picks.
    pub fn operation(&self, method: &Method, path: &str) -> Option<&Operation> {
        let path = path.split('?').next().unwrap_or(path);
        let parts: Vec<&str> = path.split('/').collect();
        let method = method.as_str().to_ascii_lowercase();
        self.operations
            .iter()
            .filter(|op| op.method == method && op.segments.len() == parts.len())
            .filter(|op| {
                op.segments.iter().zip(&parts).all(|(s, p)| match s {
                    Segment::Literal(l) => l == p,
                    Segment::Param => !p.is_empty(),
                })
            })
            .max_by_key(|op| {
                op.segments
                    .iter()
                    .filter(|s| matches!(s, Segment::Literal(_)))
                    .count()
            })
    }

    /// Whether `instance` matches the schema at `pointer` (a key of
    /// [`schemas`]); the validation messages when it does not.
    pub fn validate(&self, pointer: &str, instance: &Value) -> Result<(), Vec<String>> {
        let v = self
            .validators
            .get(&format!("#/$defs/{}", token(pointer)))
            .unwrap_or_else(|| panic!("no schema at {pointer}"));
        let errors: Vec<String> = v
            .iter_errors(instance)
            .map(|e| format!("at '{}': {e}", e.instance_path()))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Checks one answer against the document; the mismatch, if any.
    pub fn check(
        &self,
        method: &Method,
        path: &str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(), String> {
        let bare = path.split('?').next().unwrap_or(path);
        if bare.starts_with("/_local/") {
            return Ok(());
        }
        let media = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or(v).trim().to_string());
        let Some(op) = self.operation(method, path) else {
            // Not a documented operation: the router's own 404/405.
            if matches!(status.as_u16(), 404 | 405)
                && media.as_deref() == Some("application/problem+json")
            {
                return Ok(());
            }
            return Err(format!(
                "{method} {bare} is in no operation of the document and answered {status}"
            ));
        };
        let name = format!("{} {} ({method} {bare})", op.method.to_uppercase(), op.path);
        let responses = self
            .doc
            .pointer(&format!("{}/responses", op.pointer))
            .and_then(Value::as_object)
            .expect("responses");
        let code = status.as_str().to_string();
        let class = format!("{}XX", &code[..1]);
        let Some((key, res)) = [code.as_str(), class.as_str(), "default"]
            .into_iter()
            .find_map(|k| responses.get(k).map(|r| (k, r)))
        else {
            return Err(format!(
                "{name} answered {status}, which the document does not list (it lists {:?}); body: {}",
                responses.keys().collect::<Vec<_>>(),
                String::from_utf8_lossy(&body[..body.len().min(400)])
            ));
        };
        for (h, spec) in res["headers"].as_object().into_iter().flatten() {
            if spec["required"] == json!(true) && !headers.contains_key(h.as_str()) {
                return Err(format!(
                    "{name} answered {status} without its required header {h}"
                ));
            }
        }
        let content = res["content"].as_object();
        if body.is_empty() {
            return match content {
                Some(c) if !c.is_empty() && status != StatusCode::NO_CONTENT => Err(format!(
                    "{name} answered {status} with no body; the document gives it {:?}",
                    c.keys().collect::<Vec<_>>()
                )),
                _ => Ok(()),
            };
        }
        let Some(content) = content.filter(|c| !c.is_empty()) else {
            return Err(format!(
                "{name} answered {status} with a body ({media:?}); the document gives it none"
            ));
        };
        let Some(media) = media else {
            return Err(format!("{name} answered {status} without a Content-Type"));
        };
        let Some(spec) = content.get(&media) else {
            return Err(format!(
                "{name} answered {status} as {media}; the document gives {:?}",
                content.keys().collect::<Vec<_>>()
            ));
        };
        if spec.get("schema").is_none() || !media.ends_with("json") {
            return Ok(());
        }
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| format!("{name} answered {status} as {media} that is not JSON: {e}"))?;
        let pointer = format!(
            "{}/responses/{key}/content/{}/schema",
            op.pointer,
            token(&media)
        );
        self.validate(&pointer, &value).map_err(|errors| {
            let mut shown = value.to_string();
            shown.truncate(600);
            format!(
                "{name} answered {status} with a body the document does not allow:\n  {}\nbody: {shown}",
                errors.join("\n  ")
            )
        })
    }
}
