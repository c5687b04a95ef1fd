//! The route table is the single source: the generated files (entry
//! points, `[[bin]]` list, sample events, `template.yaml`'s functions and
//! roles) must be in step with it, the template must say what the table
//! says, and each route must get only the ports its line grants.

mod common;

use axum::http::{Method, StatusCode};
use common::{Backend, TestApp};
use hisaab_functions::access::{Access, Needs, TableAccess};
use hisaab_functions::routes::{self, Endpoint};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn generated_files_are_in_step_with_the_route_table() {
    let stale = xtask::stale(&xtask::root()).unwrap();
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run `{}`",
        xtask::COMMAND
    );
}

/// The IAM actions a role's inline policy grants.
fn granted(role: &serde_norway::Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in role["Properties"]["Policies"].as_sequence().unwrap() {
        for s in p["PolicyDocument"]["Statement"].as_sequence().unwrap() {
            assert_eq!(s["Effect"].as_str(), Some("Allow"));
            for a in s["Action"].as_sequence().unwrap() {
                out.insert(a.as_str().unwrap().to_string());
            }
        }
    }
    out
}

/// The IAM actions an access should grant.
fn expected(a: &Access) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = ["logs:CreateLogStream", "logs:PutLogEvents"]
        .map(String::from)
        .into();
    let mut add = |actions: &[&str]| out.extend(actions.iter().map(|s| s.to_string()));
    if a.uses_table() {
        add(&["dynamodb:GetItem", "dynamodb:Query", "ssm:GetParameter"]);
    }
    if a.scan {
        add(&["dynamodb:Scan"]);
    }
    if a.table == TableAccess::Write {
        add(&[
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:ConditionCheckItem",
        ]);
    }
    if a.sms {
        add(&["sns:Publish"]);
    }
    if a.mail {
        add(&["ses:SendEmail"]);
    }
    if a.files_read {
        add(&["s3:GetObject"]);
    }
    if a.files_write {
        add(&["s3:PutObject"]);
    }
    out
}

#[test]
fn template_deploys_each_route_with_the_access_it_declares() {
    let text = std::fs::read_to_string(xtask::root().join("template.yaml")).unwrap();
    let doc: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    let resources = doc["Resources"].as_mapping().unwrap();
    let mut deployed = BTreeMap::new();
    let mut scheduled = BTreeMap::new();
    for (_, res) in resources {
        if res["Type"].as_str() != Some("AWS::Serverless::Function") {
            continue;
        }
        let p = &res["Properties"];
        let code = p["CodeUri"].as_str().unwrap();
        let name = code
            .strip_prefix("target/lambda/")
            .and_then(|c| c.strip_suffix("/bootstrap.zip"))
            .unwrap_or_else(|| panic!("CodeUri {code} is not a built zip"))
            .to_string();
        let role_id = p["Role"]["Fn::GetAtt"][0].as_str().unwrap();
        let role = &doc["Resources"][role_id];
        assert_eq!(
            role["Type"].as_str(),
            Some("AWS::IAM::Role"),
            "{name}: {role_id}"
        );
        let events = p["Events"].as_mapping().unwrap();
        assert_eq!(events.len(), 1, "{name} has one event");
        let (_, ev) = events.iter().next().unwrap();
        let e = &ev["Properties"];
        if let Some(job) = name.strip_prefix("job_") {
            // A scheduled job: its schedule, and the jobs' role with
            // exactly the access the job declares.
            assert_eq!(ev["Type"].as_str(), Some("Schedule"), "{name}");
            scheduled.insert(
                job.to_string(),
                (
                    e["Schedule"].as_str().unwrap().to_string(),
                    role_id.to_string(),
                    granted(role),
                ),
            );
            continue;
        }
        assert_eq!(ev["Type"].as_str(), Some("HttpApi"));
        deployed.insert(
            name,
            (
                e["Method"].as_str().unwrap().to_string(),
                e["Path"].as_str().unwrap().to_string(),
                granted(role),
            ),
        );
    }
    let table: BTreeMap<_, _> = routes::all()
        .into_iter()
        .map(|r| {
            (
                r.name.to_string(),
                (r.method.to_string(), r.path, expected(&r.access)),
            )
        })
        .collect();
    assert_eq!(deployed.len(), table.len(), "one function per route");
    for (name, want) in &table {
        assert_eq!(deployed.get(name), Some(want), "{name}");
    }
    let jobs: BTreeMap<_, _> = hisaab_functions::jobs::all()
        .into_iter()
        .map(|j| {
            (
                j.name.to_string(),
                (
                    j.schedule.to_string(),
                    format!("RoleJob{}", xtask::camel(j.name)),
                    expected(&j.access),
                ),
            )
        })
        .collect();
    assert_eq!(scheduled, jobs, "one function per job, on its own role");
}

#[test]
fn every_sample_event_is_an_http_api_request_for_its_route() {
    for r in routes::all() {
        let path = xtask::root().join(format!("events/{}.json", r.name));
        let text = std::fs::read_to_string(&path).unwrap();
        let req = lambda_http::request::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(req.method(), r.method, "{}", r.name);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v["routeKey"].as_str(),
            Some(format!("{} {}", r.method, r.path).as_str()),
            "{}",
            r.name
        );
        assert!(
            !v["rawPath"].as_str().unwrap().contains('{'),
            "{}: every path parameter has an example",
            r.name
        );
    }
}

#[test]
fn openapi_documents_every_route_under_its_name() {
    let doc = hisaab_functions::openapi::document();
    assert_eq!(
        doc["openapi"].as_str().map(|v| v.starts_with("3.1")),
        Some(true)
    );
    let mut documented = 0;
    for r in routes::all() {
        let op = &doc["paths"][&r.path][r.method.as_str().to_lowercase()];
        assert_eq!(
            op["operationId"].as_str(),
            Some(r.name),
            "{} {}",
            r.method,
            r.path
        );
        documented += 1;
    }
    let operations: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert_eq!(operations, documented, "no operation without a route");
}

/// Every create of a signed-in caller takes `Idempotency-Key` (and so
/// documents `Idempotent-Replayed` on its 2xx answers): each operation that
/// answers `201`, and the creates that answer otherwise. Registration has
/// no caller to scope a key to, and a delivery record is one per order
/// and day (a second is a `409`).
#[test]
fn every_create_takes_an_idempotency_key() {
    let doc = hisaab_functions::openapi::document();
    let other_creates = ["send_invoice", "answer_dispute", "request_export"];
    let without = ["register", "mark_delivery"];
    let mut checked = vec![];
    for r in routes::all() {
        let op = &doc["paths"][&r.path][r.method.as_str().to_lowercase()];
        let creates = op["responses"].get("201").is_some() || other_creates.contains(&r.name);
        if !creates || without.contains(&r.name) {
            continue;
        }
        let takes = op["parameters"].as_array().is_some_and(|ps| {
            ps.iter()
                .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header")
        });
        assert!(
            takes,
            "{} ({} {}) takes no Idempotency-Key",
            r.name, r.method, r.path
        );
        for (status, answer) in op["responses"].as_object().unwrap() {
            if status.starts_with('2') {
                assert!(
                    answer["headers"].get("Idempotent-Replayed").is_some(),
                    "{}: {status} documents Idempotent-Replayed",
                    r.name
                );
            }
        }
        checked.push(r.name);
    }
    assert_eq!(checked.len(), 21, "{checked:?}");
}

/// A route whose line grants less than its handler uses fails with a 500
/// problem document (the port panics and the edge catches it), on both
/// hosts alike.
#[tokio::test]
async fn a_route_gets_only_the_ports_its_line_grants() {
    let t = TestApp::new(Backend::Sqlite).await;
    let (owner, _, _) = t.owner().await;
    let mut create = routes::CreateCustomer::route();
    assert_eq!(routes::CreateCustomer::ACCESS, Access::NONE.write());
    create.access = Access::NONE.read();
    let mut me = routes::GetMe::route();
    me.access = Access::NONE;
    let mut t = t;
    t.router = hisaab_functions::router(t.app.clone(), vec![create, me]);
    // A misconfigured router answers 500s, which no contract lists.
    t.check_contract = false;

    let res = t
        .call(
            Method::POST,
            "/v1/customers",
            Some(&owner),
            Some(json!({"name": "Gupta Kirana Store"})),
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        res.body
    );
    assert_eq!(res.problem(), "internal-error");
    let res = t.call(Method::GET, "/v1/me", Some(&owner), None).await;
    assert_eq!(
        res.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        res.body
    );

    // With the lines of the table, the same requests work.
    t.router = hisaab_functions::api(t.app.clone());
    t.check_contract = true;
    let res = t
        .call(
            Method::POST,
            "/v1/customers",
            Some(&owner),
            Some(json!({"name": "Gupta Kirana Store"})),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let res = t.call(Method::GET, "/v1/me", Some(&owner), None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

/// `GET /v1/openapi.json` serves the committed document, which is the one
/// the annotations make (the generated-files test keeps it so).
#[tokio::test]
async fn the_served_document_is_the_one_the_annotations_make() {
    let t = TestApp::new(Backend::Sqlite).await;
    let res = t.call(Method::GET, "/v1/openapi.json", None, None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers.get("content-type").unwrap(), "application/json");
    let doc = hisaab_functions::openapi::document();
    assert_eq!(res.body, doc);
}
