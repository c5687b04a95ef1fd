//! The API contract's own tests. Every suite checks each answer it gets
//! against the OpenAPI document (`common::contract`); these tests check
//! that the check can fail, and that the rules the document gives for
//! parameters and fields are the rules the server enforces, on a table of
//! edge values.

mod common;

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use common::contract::contract;
use common::{TestApp, post};
use serde_json::{Value, json};

fn json_headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("content-type", HeaderValue::from_static("application/json"));
    h
}

#[test]
fn the_check_refuses_answers_the_document_does_not_allow() {
    let c = contract();
    let h = json_headers();
    let problem = |status: u16| json!({"type": "urn:hisaab:problem:not-found", "title": "Not Found", "status": status, "detail": "customer not found"});
    let ok = |m: Method, p: &str, s: u16, h: &HeaderMap, b: &Value| {
        c.check(
            &m,
            p,
            StatusCode::from_u16(s).unwrap(),
            h,
            b.to_string().as_bytes(),
        )
    };
    let mut ph = HeaderMap::new();
    ph.insert(
        "content-type",
        HeaderValue::from_static("application/problem+json"),
    );
    // A problem document where the document lists one.
    ok(Method::GET, "/v1/customers/cus_1", 404, &ph, &problem(404)).unwrap();
    // A status the operation does not list.
    let e = ok(Method::GET, "/v1/customers/cus_1", 418, &ph, &problem(418)).unwrap_err();
    assert!(e.contains("does not list"), "{e}");
    // A listed status in a media type it does not list.
    let e = ok(Method::GET, "/v1/customers/cus_1", 404, &h, &problem(404)).unwrap_err();
    assert!(e.contains("application/json"), "{e}");
    // A problem document without its required `status`.
    let e = ok(
        Method::GET,
        "/v1/customers/cus_1",
        404,
        &ph,
        &json!({"type": "x", "title": "Not Found"}),
    )
    .unwrap_err();
    assert!(e.contains("status"), "{e}");
    // A field the schema does not describe (objects are closed).
    let mut extra = problem(404);
    extra["stack"] = json!("at main.rs:1");
    let e = ok(Method::GET, "/v1/customers/cus_1", 404, &ph, &extra).unwrap_err();
    assert!(e.contains("stack"), "{e}");
    // A field of the wrong type in a 200.
    let e = ok(
        Method::GET,
        "/v1/customers?limit=5",
        200,
        &h,
        &json!({"items": "none", "next_cursor": null}),
    )
    .unwrap_err();
    assert!(e.contains("items"), "{e}");
    // An unknown path is only a 404 or 405 problem document.
    ok(Method::GET, "/v1/nothing-here", 404, &ph, &problem(404)).unwrap();
    ok(Method::GET, "/v1/nothing-here", 200, &h, &json!({})).unwrap_err();
}

#[test]
fn every_example_in_the_document_is_valid_against_its_schema() {
    let c = contract();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (path, item) in c.doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!(
                "/paths/{}/{method}",
                path.replace('~', "~0").replace('/', "~1")
            );
            let mut examples: Vec<(String, &Value)> = Vec::new();
            if let Some(e) = op.pointer("/requestBody/content/application~1json/example") {
                examples.push((
                    format!("{at}/requestBody/content/application~1json/schema"),
                    e,
                ));
            }
            for (status, r) in op["responses"].as_object().unwrap() {
                for (media, m) in r["content"].as_object().into_iter().flatten() {
                    if let Some(e) = m.get("example") {
                        examples.push((
                            format!(
                                "{at}/responses/{status}/content/{}/schema",
                                media.replace('/', "~1")
                            ),
                            e,
                        ));
                    }
                }
            }
            for (i, p) in op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                if let Some(e) = p.get("example") {
                    examples.push((format!("{at}/parameters/{i}/schema"), e));
                }
            }
            for (pointer, example) in examples {
                checked += 1;
                if let Err(e) = c.validate(&pointer, example) {
                    wrong.push(format!("{method} {path}: {pointer}: {}", e.join("; ")));
                }
            }
        }
    }
    for (name, schema) in c.doc["components"]["schemas"].as_object().unwrap() {
        let given = schema
            .get("example")
            .into_iter()
            .chain(schema["examples"].as_array().into_iter().flatten());
        for example in given {
            checked += 1;
            if let Err(e) = c.validate(&format!("/components/schemas/{name}"), example) {
                wrong.push(format!("component {name}: {}", e.join("; ")));
            }
        }
    }
    assert!(checked > 60, "only {checked} examples");
    assert!(
        wrong.is_empty(),
        "{} examples break their schema:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The disagreement, if any, between the server's answer `r` to the
/// request `what` and the document (`schema`: whether it allows the
/// request). The server accepts with a 2xx and refuses the input with a
/// 400 or 422; any other answer fails the test.
fn compare(what: &str, r: &common::Res, schema: bool) -> Option<String> {
    let server = match r.status.as_u16() {
        200..=299 => true,
        400 | 422 => false,
        s => panic!(
            "{what}: neither accepted nor refused for its input: {s} {}",
            r.body
        ),
    };
    (server != schema).then(|| {
        format!(
            "{what}: the server {} it, the document {} it ({} {})",
            if server { "accepts" } else { "refuses" },
            if schema { "allows" } else { "forbids" },
            r.status,
            r.body
        )
    })
}

/// Whether the document's schema for the query or path parameter `name` of
/// the operation allows `raw`: as an integer or boolean where it parses as
/// one, else as a string (a query string carries no types).
fn param_allows(method: &Method, path: &str, name: &str, raw: &str) -> bool {
    let c = contract();
    let op = c
        .operation(method, path)
        .unwrap_or_else(|| panic!("no operation for {method} {path}"));
    let params = c
        .doc
        .pointer(&format!("{}/parameters", op.pointer))
        .and_then(Value::as_array)
        .expect("parameters");
    let i = params
        .iter()
        .position(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{} {} has no parameter {name}", op.method, op.path));
    let pointer = format!("{}/parameters/{i}/schema", op.pointer);
    let mut candidates = vec![Value::String(raw.into())];
    if let Ok(n) = raw.parse::<i64>() {
        candidates.push(json!(n));
    }
    if let Ok(b) = raw.parse::<bool>() {
        candidates.push(json!(b));
    }
    candidates.iter().any(|v| c.validate(&pointer, v).is_ok())
}

/// Whether the document's request body schema of the operation allows it.
fn body_allows(method: &Method, path: &str, body: &Value) -> bool {
    let c = contract();
    let op = c.operation(method, path).expect("operation");
    c.validate(
        &format!(
            "{}/requestBody/content/application~1json/schema",
            op.pointer
        ),
        body,
    )
    .is_ok()
}

both!(
    the_schema_and_the_server_agree_on_edge_values,
    |t: TestApp| async move {
        let tok = t.billing_owner().await;
        let cus = post(
            &t,
            &tok,
            "/v1/customers",
            json!({"name": "Edge Case Stores", "phone": common::unique_phone()}),
        )
        .await;
        let cid = cus["id"].as_str().unwrap().to_string();
        let mut disagreements = Vec::new();

        // Query parameters: (path without the parameter, name, values).
        let month = [
            "2026-11",
            "2026-13",
            "2026-00",
            "2026-1",
            "+026-01",
            "2026-11-01",
            "0000-01",
        ];
        let query: Vec<(String, &str, Vec<&str>)> = vec![
            (
                "/v1/customers".into(),
                "limit",
                vec!["0", "1", "100", "101", "-1", "ten"],
            ),
            (
                "/v1/customers".into(),
                "status",
                vec!["active", "inactive", "gone"],
            ),
            (
                format!("/v1/customers/{cid}/deliveries"),
                "month",
                month.to_vec(),
            ),
            (
                format!("/v1/customers/{cid}/deliveries"),
                "limit",
                vec!["500", "501"],
            ),
            (
                format!("/v1/customers/{cid}/invoices"),
                "limit",
                vec!["1000", "1001"],
            ),
            (
                format!("/v1/customers/{cid}/invoices"),
                "format",
                vec!["json", "csv", "xml"],
            ),
            (
                format!("/v1/customers/{cid}/invoices"),
                "from",
                vec!["2026-02-28", "2026-02-30", "28-02-2026"],
            ),
            (
                format!("/v1/customers/{cid}/invoices"),
                "status",
                vec!["paid", "overdue", "bogus"],
            ),
            (
                "/v1/reports/sales".into(),
                "interval",
                vec!["day", "month", "week"],
            ),
            (
                "/v1/reports/sales".into(),
                "format",
                vec!["json", "csv", "xml"],
            ),
            (
                "/v1/reports/top-customers".into(),
                "limit",
                vec!["0", "100", "101"],
            ),
            (
                "/v1/deliveries".into(),
                "date",
                vec!["2026-11-30", "2026-11-31"],
            ),
        ];
        for (path, name, values) in &query {
            for v in values {
                let url = format!("{path}?{name}={}", v.replace('+', "%2B"));
                let r = t.call(Method::GET, &url, Some(&tok), None).await;
                let schema = param_allows(&Method::GET, path, name, v);
                disagreements.extend(compare(&format!("GET {url}"), &r, schema));
            }
        }

        // Path parameters: a month in the path.
        for template in [
            "/v1/customers/{cid}/months/{month}",
            "/v1/deliveries/months/{month}",
        ] {
            for v in month {
                let url = template.replace("{cid}", &cid).replace("{month}", v);
                let url = url.replace('+', "%2B");
                let r = t.call(Method::GET, &url, Some(&tok), None).await;
                let schema = param_allows(&Method::GET, &url, "month", v);
                disagreements.extend(compare(&format!("GET {url}"), &r, schema));
            }
        }

        // Body fields: (path, body) — each accepted body creates a record,
        // so phones differ where they are accepted.
        let n = || common::unique_phone();
        let tail = |p: &str| p[p.len() - 10..].to_string();
        let p1 = n();
        let p2 = n();
        let p3 = n();
        let bodies: Vec<(String, Value)> = vec![
            ("/v1/customers".into(), json!({"name": "A", "phone": n()})),
            (
                "/v1/customers".into(),
                json!({"name": "B", "phone": format!("{} {}", &tail(&p1)[..5], &tail(&p1)[5..])}),
            ),
            (
                "/v1/customers".into(),
                json!({"name": "C", "phone": format!("0{}", tail(&p2))}),
            ),
            (
                "/v1/customers".into(),
                json!({"name": "D", "phone": format!("91{}", tail(&p3))}),
            ),
            (
                "/v1/customers".into(),
                json!({"name": "E", "phone": "12345"}),
            ),
            (
                "/v1/customers".into(),
                json!({"name": "F", "phone": "+0123456789"}),
            ),
            (
                "/v1/customers".into(),
                json!({"name": "G", "phone": "+911234567890"}),
            ),
            (
                "/v1/customers".into(),
                json!({"name": "H", "phone": "+44 20 7946 0958"}),
            ),
            (
                "/v1/customers".into(),
                json!({"name": "I", "gstin": "27AAPFU0939F1ZV"}),
            ),
            (
                "/v1/customers".into(),
                json!({"name": "J", "gstin": "27AAPFU0939F1Z"}),
            ),
            (
                "/v1/customers".into(),
                json!({"name": "K", "gstin": "40AAPFU0939F1ZV"}),
            ),
            (
                "/v1/customers".into(),
                json!({"name": "L", "pan": "AAPFU0939G"}),
            ),
            (
                "/v1/customers".into(),
                json!({"name": "M", "pan": "AAPXU0939F"}),
            ),
            ("/v1/customers".into(), json!({"name": ""})),
            (
                format!("/v1/customers/{cid}/payments"),
                json!({"amount": 1, "method": "cash"}),
            ),
            (
                format!("/v1/customers/{cid}/payments"),
                json!({"amount": 0, "method": "cash"}),
            ),
            (
                format!("/v1/customers/{cid}/payments"),
                json!({"amount": -5, "method": "cash"}),
            ),
            (
                format!("/v1/customers/{cid}/payments"),
                json!({"amount": 100_000_000_000i64, "method": "cash"}),
            ),
            (
                format!("/v1/customers/{cid}/payments"),
                json!({"amount": 100_000_000_001i64, "method": "cash"}),
            ),
            (
                format!("/v1/customers/{cid}/payments"),
                json!({"amount": 100, "method": "barter"}),
            ),
            (
                "/v1/products".into(),
                json!({"name": "Milk", "unit": "l", "unit_price": 0}),
            ),
            (
                "/v1/products".into(),
                json!({"name": "Ghee", "unit": "kg", "unit_price": 1_000_000_000}),
            ),
            (
                "/v1/products".into(),
                json!({"name": "Gold", "unit": "g", "unit_price": 1_000_000_001}),
            ),
            (
                "/v1/products".into(),
                json!({"name": "Curd", "unit": "kg", "unit_price": -1}),
            ),
        ];
        // Quantities, in an invoice line: as strings, at most
        // three decimals and 10^9 units.
        let mut bodies = bodies;
        for q in [
            json!("2.5"),
            json!(" 3 "),
            json!("2.5555"),
            json!("1e3"),
            json!("-"),
            json!("1000000000"),
            json!("10000000000"),
        ] {
            bodies.push((
                "/v1/invoices".into(),
                json!({"customer_id": cid, "lines": [
                    {"description": "Loading and transport", "quantity": q, "unit_price": 1}
                ]}),
            ));
        }
        for (path, body) in &bodies {
            let r = t
                .call(Method::POST, path, Some(&tok), Some(body.clone()))
                .await;
            let schema = body_allows(&Method::POST, path, body);
            disagreements.extend(compare(&format!("POST {path} {body}"), &r, schema));
        }
        assert!(
            disagreements.is_empty(),
            "{} disagreements:\n{}",
            disagreements.len(),
            disagreements.join("\n")
        );
    }
);
