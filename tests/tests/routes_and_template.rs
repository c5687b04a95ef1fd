//! The route table is the single source: `template.yaml`, the Lambda
//! binaries, the sample events and the OpenAPI document must all match it.

use hisaab_functions::routes::routes;
use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

#[test]
fn template_declares_exactly_the_route_table() {
    let text = std::fs::read_to_string(root().join("template.yaml")).unwrap();
    let doc: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    let mut declared = BTreeSet::new();
    for (_, res) in doc["Resources"].as_mapping().unwrap() {
        if res["Type"].as_str() != Some("AWS::Serverless::Function") {
            continue;
        }
        let binary = res["Metadata"]["BuildProperties"]["Binary"]
            .as_str()
            .unwrap()
            .to_string();
        let events = res["Properties"]["Events"].as_mapping().unwrap();
        assert_eq!(events.len(), 1, "{binary} has one event");
        for (_, ev) in events {
            assert_eq!(ev["Type"].as_str(), Some("HttpApi"));
            let p = &ev["Properties"];
            declared.insert((
                binary.clone(),
                p["Method"].as_str().unwrap().to_uppercase(),
                p["Path"].as_str().unwrap().to_string(),
            ));
        }
    }
    let table: BTreeSet<_> = routes()
        .iter()
        .map(|r| (r.name.to_string(), r.method.to_string(), r.path.to_string()))
        .collect();
    assert_eq!(declared, table);
}

#[test]
fn every_route_has_its_binary_and_a_sample_event() {
    for r in routes() {
        let bin = root().join(format!("functions/src/bin/{}.rs", r.name));
        let src =
            std::fs::read_to_string(&bin).unwrap_or_else(|_| panic!("missing {}", bin.display()));
        assert!(
            src.contains(&format!("lambda_main(\"{}\")", r.name)),
            "{} serves its own route",
            r.name
        );
        let ev = root().join(format!("events/{}.json", r.name));
        let text =
            std::fs::read_to_string(&ev).unwrap_or_else(|_| panic!("missing {}", ev.display()));
        let req = lambda_http::request::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", ev.display()));
        assert_eq!(req.method(), r.method, "{}", r.name);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v["routeKey"].as_str(),
            Some(format!("{} {}", r.method, r.path).as_str()),
            "{}",
            r.name
        );
    }
    let bins = std::fs::read_dir(root().join("functions/src/bin"))
        .unwrap()
        .count();
    assert_eq!(bins, routes().len(), "no binary without a route");
}

#[test]
fn openapi_documents_every_route() {
    let doc = serde_json::to_value(hisaab_functions::openapi::document()).unwrap();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in item.as_object().unwrap().keys() {
            documented.insert((m.to_uppercase(), path.clone()));
        }
    }
    let table: BTreeSet<_> = routes()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let missing: Vec<_> = table.difference(&documented).collect();
    assert!(missing.is_empty(), "undocumented routes: {missing:?}");
    assert_eq!(
        doc["openapi"].as_str().map(|v| v.starts_with("3.1")),
        Some(true)
    );
}
