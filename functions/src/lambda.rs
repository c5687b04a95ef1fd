//! The Lambda host: one route per function. A generated entry point
//! (`functions/src/bin/<name>.rs`) is `lambda::run::<routes::GetMe>()`;
//! [`run`] builds, once per execution environment, only the clients the
//! route's access names (its constant [`Endpoint::ACCESS`] decides at
//! compile time, so the linker drops the rest), then serves API Gateway
//! HTTP API (v2) events through the same router as the local server.
//!
//! Environment (set by `template.yaml`'s `Globals`):
//! - `HISAAB_TABLE`: the DynamoDB table (routes with table access);
//! - `HISAAB_SIGNING_KEY_PARAM`: SSM Parameter Store name of the signing key
//!   (a SecureString of at least 32 characters), or `HISAAB_SIGNING_KEY`
//!   holding the key itself (emulators, measurements); routes with table
//!   access only;
//! - `HISAAB_MAIL_FROM`: the verified SES sender (routes with mail);
//! - `HISAAB_BUCKET`: the documents bucket (routes with files);
//! - `HISAAB_APP_URL`: base URL of the app, for links in mails;
//! - `HISAAB_WRONG_REPORT_LIMIT`: see [`hisaab::Config::new`];
//! - the runtime's own `AWS_REGION` and credentials, and `AWS_ENDPOINT_URL`
//!   for an emulator (see [`hisaab::aws::Aws::from_env`]).

use crate::ports::Denied;
use crate::routes::{Endpoint, Route};
use anyhow::Context;
use hisaab::app::Ports;
use hisaab::aws::Aws;
use hisaab::crypto::Keys;
use hisaab::files::S3Files;
use hisaab::notify::{SesMail, SnsSms};
use hisaab::table::dynamo::DynamoTable;
use hisaab::{Config, Hisaab};
use std::sync::Arc;

/// The whole `main` of the Lambda of route `E`.
pub fn run<E: Endpoint>() -> Result<(), lambda_http::Error> {
    crate::init_tracing(true);
    // One request at a time reaches a Lambda: one thread is enough, and
    // starts faster than a pool.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let route = E::route();
        let app = app::<E>(route.name).await?;
        serve(app, route).await
    })
}

/// The process state of route `E`, from the environment. Generic so that
/// each branch on `E::ACCESS` is decided when the entry point is compiled.
async fn app<E: Endpoint>(name: &'static str) -> anyhow::Result<Hisaab> {
    let access = E::ACCESS;
    let var = |n: &str| std::env::var(n).with_context(|| format!("{n} is not set"));
    let mut ports = Ports {
        table: Arc::new(Denied(name)),
        sms: Arc::new(Denied(name)),
        mail: Arc::new(Denied(name)),
        files: Arc::new(Denied(name)),
    };
    let mut keys = None;
    if access.uses_table() || access.sms || access.mail || access.uses_files() {
        let aws = Aws::from_env()?;
        if access.uses_table() {
            ports.table = Arc::new(DynamoTable::new(aws.dynamodb(), var("HISAAB_TABLE")?));
            let secret = match std::env::var("HISAAB_SIGNING_KEY_PARAM") {
                Ok(param) => aws.parameter(&param).await?,
                Err(_) => var("HISAAB_SIGNING_KEY")?,
            };
            keys = Some(Keys::from_secret(secret.trim().as_bytes())?);
        }
        if access.sms {
            ports.sms = Arc::new(SnsSms::new(aws.sns()));
        }
        if access.mail {
            ports.mail = Arc::new(SesMail::new(aws.sesv2(), var("HISAAB_MAIL_FROM")?));
        }
        if access.uses_files() {
            ports.files = Arc::new(S3Files::new(aws.s3(), var("HISAAB_BUCKET")?));
        }
    }
    // A route without the table signs nothing that outlives the process.
    let keys = match keys {
        Some(k) => k,
        None => Keys::random(),
    };
    let app_url = std::env::var("HISAAB_APP_URL").unwrap_or_default();
    Ok(Hisaab::new(ports, Arc::new(keys), Config::new(&app_url)))
}

/// Serves `route` on `app` through the Lambda runtime (not generic, so it
/// is compiled once, in this crate).
async fn serve(app: Hisaab, route: Route) -> Result<(), lambda_http::Error> {
    lambda_http::run(crate::router(app, vec![route])).await
}
