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

use crate::access::Needs;
use crate::jobs::Job;
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
    crate::init_json_tracing();
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

/// The process state of route `E`, from the environment. Every branch on
/// `E::ACCESS` is a `const` block, decided when the entry point is
/// compiled: the clients a route does not use are never built, so the
/// linker leaves them out.
async fn app<E: Needs>(name: &'static str) -> anyhow::Result<Hisaab> {
    let aws = if const { E::ACCESS.uses_aws() } {
        Some(Aws::from_env()?)
    } else {
        None
    };
    let ports = ports::<E>(name, aws.as_ref())?;
    let keys = match &aws {
        Some(aws) if const { E::ACCESS.uses_table() } => {
            let secret = match std::env::var("HISAAB_SIGNING_KEY_PARAM") {
                Ok(param) => aws.parameter(&param).await?,
                Err(_) => var("HISAAB_SIGNING_KEY")?,
            };
            Keys::from_secret(secret.trim().as_bytes())?
        }
        // A route without the table signs nothing that outlives the process.
        _ => Keys::random(),
    };
    let app_url = std::env::var("HISAAB_APP_URL").unwrap_or_default();
    Ok(Hisaab::new(ports, Arc::new(keys), Config::new(&app_url)))
}

/// The ports of route `E`: the AWS adapters its access names, [`Denied`]
/// for the rest. Not `async`, so that no branch condition is kept in a
/// future's state, where the optimiser could not see it is constant.
fn ports<E: Needs>(name: &'static str, aws: Option<&Aws>) -> anyhow::Result<Ports> {
    let mut ports = Ports {
        table: Arc::new(Denied(name)),
        sms: Arc::new(Denied(name)),
        mail: Arc::new(Denied(name)),
        files: Arc::new(Denied(name)),
    };
    let Some(aws) = aws else {
        return Ok(ports);
    };
    if const { E::ACCESS.uses_table() } {
        ports.table = Arc::new(DynamoTable::new(aws.dynamodb(), var("HISAAB_TABLE")?));
    }
    if const { E::ACCESS.sms } {
        ports.sms = Arc::new(SnsSms::new(aws.sns()));
    }
    if const { E::ACCESS.mail } {
        ports.mail = Arc::new(SesMail::new(aws.sesv2(), var("HISAAB_MAIL_FROM")?));
    }
    if const { E::ACCESS.uses_files() } {
        ports.files = Arc::new(S3Files::new(aws.s3(), var("HISAAB_BUCKET")?));
    }
    Ok(ports)
}

/// The whole `main` of the Lambda of scheduled job `J`: each invocation
/// (an EventBridge scheduled event; its body is not read) runs the job
/// once, stopping 30 seconds before the invocation's deadline, and answers
/// the job's report as JSON.
pub fn run_job<J: Job>() -> Result<(), lambda_http::Error> {
    crate::init_json_tracing();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let app = app::<J>(J::NAME).await?;
        let app = &app;
        lambda_http::lambda_runtime::run(lambda_http::service_fn(
            move |event: lambda_http::LambdaEvent<serde_json::Value>| async move {
                let left = event
                    .context
                    .deadline()
                    .duration_since(std::time::SystemTime::now())
                    .unwrap_or_default();
                let stop = std::time::Instant::now() + left.saturating_sub(J::MARGIN);
                let report = J::run(app, Some(stop)).await?;
                tracing::info!(job = J::NAME, report = %report, "job run");
                Ok::<_, lambda_http::Error>(report)
            },
        ))
        .await
    })
}

/// An environment variable the route needs.
fn var(name: &str) -> anyhow::Result<String> {
    std::env::var(name).with_context(|| format!("{name} is not set"))
}

/// Serves `route` on `app` through the Lambda runtime (not generic, so it
/// is compiled once, in this crate).
async fn serve(app: Hisaab, route: Route) -> Result<(), lambda_http::Error> {
    lambda_http::run(crate::router(app, vec![route])).await
}
