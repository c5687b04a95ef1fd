//! The harness of the end-to-end suites: the real router in-process on a
//! real backend — SQLite in a temporary directory with the local outbox,
//! or DynamoDB, SNS and SES on moto's server (started by `infra/test.sh`,
//! address in `HISAAB_TEST_DYNAMODB_ENDPOINT`). Only the clock is a fake.
#![allow(dead_code)]

pub mod contract;
pub mod idempotency;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use hisaab::Hisaab;
use hisaab::clock::ManualClock;
use hisaab::crypto::Keys;
use hisaab::files::{Files, S3Files};
use hisaab::local::{LocalFiles, Outbox};
use hisaab::notify::{Mail, SesMail, Sms, SnsSms};
use hisaab::table::Table;
use hisaab::table::dynamo::DynamoTable;
use hisaab::table::faults::Faulty;
use hisaab::table::retry::Retrying;
use hisaab::table::sqlite::SqliteTable;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

/// Which storage (and messaging) backend a test runs on.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    /// SQLite file + local outbox.
    Sqlite,
    /// DynamoDB + SNS + SES on moto.
    Dynamo,
}

/// Runs the body once per backend: `both!(name, |app| async move { ... })`.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = common::TestApp::new(common::Backend::Sqlite).await;
                ($body)(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn dynamodb() {
                let Some(app) = common::TestApp::dynamo().await else {
                    return;
                };
                ($body)(app).await;
            }
        }
    };
}

/// The moto endpoint, or `None` (with a note) when the run has none.
pub fn moto_endpoint() -> Option<String> {
    match std::env::var("HISAAB_TEST_DYNAMODB_ENDPOINT") {
        Ok(e) => Some(e),
        Err(_) if std::env::var("HISAAB_REQUIRE_DYNAMODB").is_ok() => {
            panic!("HISAAB_REQUIRE_DYNAMODB is set but HISAAB_TEST_DYNAMODB_ENDPOINT is not")
        }
        Err(_) => {
            eprintln!("skipping the DynamoDB run: run infra/test.sh to start moto");
            None
        }
    }
}

/// An SDK configuration pointing at moto.
pub async fn moto_config(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(hisaab::aws::https_client().expect("the HTTPS client"))
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
            "test", "test", None, None, "test",
        ))
        .load()
        .await
}

/// A fresh table on the backend (a new DynamoDB table per test on moto).
pub async fn table(backend: Backend, dir: &std::path::Path) -> Arc<dyn Table> {
    match backend {
        Backend::Sqlite => Arc::new(SqliteTable::open(&dir.join("hisaab.sqlite")).unwrap()),
        Backend::Dynamo => {
            let ep = moto_endpoint().expect("moto");
            let t = DynamoTable::new(
                aws_sdk_dynamodb::Client::new(&moto_config(&ep).await),
                hisaab::ids::new_id("t").to_lowercase(),
            );
            t.create_table().await.unwrap();
            Arc::new(t)
        }
    }
}

/// A response, with its body parsed as JSON (`Value::Null` when empty).
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Res {
    /// The `type` slug of a problem document.
    pub fn problem(&self) -> &str {
        assert_eq!(
            self.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/problem+json"),
            "not a problem document: {} {}",
            self.status,
            self.body
        );
        self.body["type"]
            .as_str()
            .unwrap()
            .trim_start_matches("urn:hisaab:problem:")
    }

    /// The fields named in a problem document.
    pub fn fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The ports of one backend: SMS, mail, files, the local files and outbox
/// (SQLite) or moto's endpoint (DynamoDB).
type Ports = (
    Arc<dyn Sms>,
    Arc<dyn Mail>,
    Arc<dyn Files>,
    Option<Arc<LocalFiles>>,
    Option<Arc<Outbox>>,
    Option<String>,
);

/// The app under test.
pub struct TestApp {
    pub app: Hisaab,
    pub router: Router,
    pub clock: Arc<ManualClock>,
    pub backend: Backend,
    /// The faults armed on the app's table, which is
    /// `Retrying(Faulty(the real table))` as a process builds it (with
    /// `Faulty` between): nothing is armed unless a test arms it.
    pub faults: Arc<Faulty>,
    /// Whether each answer is checked against the OpenAPI document
    /// ([`contract`]); off only while a test runs a router that is not the
    /// API's (restricted ports, injected faults that make 500s).
    pub check_contract: bool,
    outbox: Option<Arc<Outbox>>,
    moto: Option<String>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// The app on DynamoDB/moto, or `None` when this run has no moto.
    pub async fn dynamo() -> Option<TestApp> {
        moto_endpoint()?;
        Some(TestApp::new(Backend::Dynamo).await)
    }

    /// A fresh app on the backend.
    pub async fn new(backend: Backend) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new());
        let faults = Arc::new(Faulty::new(table(backend, dir.path()).await));
        let table: Arc<dyn Table> = Arc::new(Retrying::new(faults.clone()));
        let keys = Arc::new(Keys::from_secret(&[42u8; 32]).unwrap());
        let (sms, mail, files, local_files, outbox, moto): Ports = match backend {
            Backend::Sqlite => {
                let o = Arc::new(Outbox::new(dir.path().join("outbox.jsonl")));
                let f = Arc::new(LocalFiles::new(
                    dir.path().join("files"),
                    LOCAL_URL,
                    keys.clone(),
                ));
                (o.clone(), o.clone(), f.clone(), Some(f), Some(o), None)
            }
            Backend::Dynamo => {
                let ep = moto_endpoint().unwrap();
                let conf = moto_config(&ep).await;
                let ses = aws_sdk_sesv2::Client::new(&conf);
                let from = "no-reply@hisaab.test";
                let _ = ses
                    .create_email_identity()
                    .email_identity(from)
                    .send()
                    .await;
                let s3 = aws_sdk_s3::Client::from_conf(
                    aws_sdk_s3::config::Builder::from(&conf)
                        .force_path_style(true)
                        .build(),
                );
                let bucket = hisaab::ids::new_id("b").to_lowercase().replace('_', "-");
                s3.create_bucket().bucket(&bucket).send().await.unwrap();
                (
                    Arc::new(SnsSms::new(aws_sdk_sns::Client::new(&conf))),
                    Arc::new(SesMail::new(ses, from)),
                    Arc::new(S3Files::new(s3, bucket)),
                    None,
                    None,
                    Some(ep),
                )
            }
        };
        let app = Hisaab {
            table,
            sms,
            mail,
            files,
            clock: clock.clone(),
            keys,
            config: hisaab::Config {
                app_url: "https://app.hisaab.test".into(),
                wrong_report_limit: 2,
            },
            outbox: outbox.clone(),
            local_files,
        };
        TestApp {
            router: hisaab_functions::api(app.clone())
                .merge(hisaab_functions::local::router(app.clone())),
            app,
            clock,
            backend,
            faults,
            check_contract: true,
            outbox,
            moto,
            _dir: dir,
        }
    }

    /// Sends a request with raw body bytes and headers.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Res {
        let mut req = Request::builder().method(method.clone()).uri(path);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self
            .router
            .clone()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        if self.check_contract
            && let Err(mismatch) =
                contract::contract().check(&method, path, status, &headers, &bytes)
        {
            panic!("the answer breaks the API contract: {mismatch}");
        }
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Res {
            status,
            headers,
            body,
        }
    }

    /// Sends a JSON request, with a bearer token when given.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Res {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("content-type", "application/json")];
        if let Some(a) = &auth {
            headers.push(("authorization", a.as_str()));
        }
        let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        self.raw(method, path, &headers, bytes).await
    }

    /// SMS bodies sent to the phone, oldest first.
    pub fn sms(&self, phone: &str) -> Vec<String> {
        match (&self.outbox, &self.moto) {
            (Some(o), _) => o
                .messages()
                .unwrap()
                .into_iter()
                .filter(|m| m.channel == "sms" && m.to == phone)
                .map(|m| m.body)
                .collect(),
            (None, Some(ep)) => moto_data(ep)["sns"]["SMS"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|m| m["phone_number"] == phone)
                .map(|m| m["message"].as_str().unwrap().to_string())
                .collect(),
            _ => unreachable!(),
        }
    }

    /// Mails (subject, body) sent to the address, oldest first.
    pub fn mails(&self, to: &str) -> Vec<(String, String)> {
        match (&self.outbox, &self.moto) {
            (Some(o), _) => o
                .messages()
                .unwrap()
                .into_iter()
                .filter(|m| m.channel == "email" && m.to == to)
                .map(|m| (m.subject.unwrap_or_default(), m.body))
                .collect(),
            (None, Some(ep)) => moto_data(ep)["ses"]["Message"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|m| {
                    m["destinations"]["ToAddresses"]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|x| x == to))
                })
                .map(|m| {
                    (
                        m["subject"].as_str().unwrap_or_default().to_string(),
                        m["body"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect(),
            _ => unreachable!(),
        }
    }

    /// The newest OTP texted to the phone.
    pub fn last_otp(&self, phone: &str) -> String {
        let msgs = self.sms(phone);
        let last = msgs.last().unwrap_or_else(|| panic!("no SMS to {phone}"));
        last.split_whitespace()
            .find(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
            .expect("a 6-digit code")
            .to_string()
    }

    /// Registers a business owner and verifies the phone; returns
    /// (access token, refresh token, user JSON).
    pub async fn owner(&self) -> (String, String, Value) {
        let phone = unique_phone();
        let email = format!("{}@example.com", phone.trim_start_matches('+'));
        let r = self
            .call(
                Method::POST,
                "/v1/auth/register",
                None,
                Some(json!({
                    "name": "Asha", "phone": phone, "account_type": "business",
                    "business_name": "Asha Traders", "email": email, "password": "correct horse"
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        self.verify(&phone).await
    }

    /// A platform admin of the level, logged in with an OTP; returns
    /// (access token, user id).
    pub async fn admin(&self, role: hisaab::identity::Role) -> (String, String) {
        let phone = unique_phone();
        let u = self.app.create_admin("Admin", &phone, role).await.unwrap();
        (self.verify_again(&phone).await, u.id)
    }

    /// Logs an existing user in with a new OTP; returns the access token.
    pub async fn verify_again(&self, phone: &str) -> String {
        let r = self
            .call(
                Method::POST,
                "/v1/auth/otp",
                None,
                Some(json!({ "phone": phone })),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.body);
        self.verify(phone).await.0
    }

    /// Verifies the newest OTP of the phone; returns (access, refresh, user).
    pub async fn verify(&self, phone: &str) -> (String, String, Value) {
        let code = self.last_otp(phone);
        let r = self
            .call(
                Method::POST,
                "/v1/auth/otp/verify",
                None,
                Some(json!({"phone": phone, "code": code})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        (
            r.body["access_token"].as_str().unwrap().to_string(),
            r.body["refresh_token"].as_str().unwrap().to_string(),
            r.body["user"].clone(),
        )
    }
}

/// The base URL of file links on the SQLite backend (served by the local
/// routes of the router under test).
pub const LOCAL_URL: &str = "http://local.test";

impl TestApp {
    /// Fetches a document link as a client would: a local link through the
    /// router, a presigned S3 link from moto. Returns (status, bytes).
    pub async fn fetch_link(&self, url: &str) -> (u16, Vec<u8>) {
        if let Some(path) = url.strip_prefix(LOCAL_URL) {
            let req = Request::builder().uri(path).body(Body::empty()).unwrap();
            let res = self.router.clone().oneshot(req).await.unwrap();
            let status = res.status().as_u16();
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            (status, bytes.to_vec())
        } else {
            let url = url.to_string();
            tokio::task::spawn_blocking(move || match ureq::get(&url).call() {
                Ok(mut r) => (
                    r.status().as_u16(),
                    r.body_mut()
                        .with_config()
                        .limit(50 << 20)
                        .read_to_vec()
                        .unwrap(),
                ),
                Err(ureq::Error::StatusCode(c)) => (c, vec![]),
                Err(e) => panic!("GET {url}: {e}"),
            })
            .await
            .unwrap()
        }
    }

    /// Registers a business owner and gives the business a GSTIN in
    /// Maharashtra (27) and a UPI ID; returns the access token.
    pub async fn billing_owner(&self) -> String {
        self.billing_owner_sessions().await.0
    }

    /// As [`TestApp::billing_owner`], also returning the refresh token (for
    /// tests that move the clock past the access token's 15 minutes).
    pub async fn billing_owner_sessions(&self) -> (String, String) {
        let (tok, refresh, _) = self.owner().await;
        let r = self
            .call(
                Method::PATCH,
                "/v1/business/settings",
                Some(&tok),
                Some(json!({"gstin": "27AAPFU0939F1ZV", "upi_vpa": "asha@okaxis",
                             "address": "Shop 4, APMC Market, Vashi", "payment_terms_days": 15})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        (tok, refresh)
    }

    /// Exchanges a refresh token; returns (access, refresh).
    pub async fn refresh(&self, refresh: &str) -> (String, String) {
        let r = self
            .call(
                Method::POST,
                "/v1/auth/refresh",
                None,
                Some(json!({"refresh_token": refresh})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        (
            r.body["access_token"].as_str().unwrap().to_string(),
            r.body["refresh_token"].as_str().unwrap().to_string(),
        )
    }

    /// Today's date in Asia/Kolkata on the test clock.
    pub fn today(&self) -> jiff::civil::Date {
        use hisaab::clock::Clock;
        self.clock
            .now()
            .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Kolkata").unwrap())
            .date()
    }
}

/// POSTs a JSON body and returns the answer's body, which must be a 2xx.
pub async fn post(t: &TestApp, tok: &str, path: &str, body: Value) -> Value {
    let r = t.call(Method::POST, path, Some(tok), Some(body)).await;
    assert!(
        r.status.is_success(),
        "POST {path}: {} {}",
        r.status,
        r.body
    );
    r.body
}

/// GETs a path and returns the answer's body, which must be a 200.
pub async fn get(t: &TestApp, tok: &str, path: &str) -> Value {
    let r = t.call(Method::GET, path, Some(tok), None).await;
    assert_eq!(r.status, StatusCode::OK, "GET {path}: {}", r.body);
    r.body
}

/// moto's record of the SMS and mail it received (served by
/// `infra/moto_server.py`, without the DynamoDB items of /moto-api/data.json).
pub fn moto_data(endpoint: &str) -> Value {
    ureq::get(&format!("{endpoint}/_hisaab/messages"))
        .call()
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap()
}

/// A random Indian mobile number, so that parallel tests sharing moto's
/// message log never read each other's messages.
pub fn unique_phone() -> String {
    let n = ulid::Ulid::new().random() % 100_000_000;
    format!("+9198{n:08}")
}
