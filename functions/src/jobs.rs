//! The scheduled jobs: written once here, run by `hisaab jobs run <name>`,
//! by `hisaab serve` on their schedule, and on AWS by one Lambda each
//! (`functions/src/bin/job_<name>.rs`, generated with its EventBridge
//! schedule and its own role in `template.yaml` by `cargo xtask codegen`).

use crate::access::{Access, Needs};
use hisaab::Hisaab;
use std::future::Future;
use std::time::{Duration, Instant};

/// A scheduled job.
pub trait Job: Needs {
    /// Name (`snake_case`): `hisaab jobs run <name>`, Lambda `job_<name>`.
    const NAME: &'static str;
    /// EventBridge schedule expression of its Lambda.
    const SCHEDULE: &'static str;
    /// Minutes between runs of `hisaab serve`.
    const EVERY_MINUTES: u64;
    /// Time a Lambda invocation keeps after the job stops starting work.
    const MARGIN: Duration = Duration::from_secs(30);
    /// What it does, for people.
    const DESCRIPTION: &'static str;
    /// Runs the job once at the app's clock, starting no new page of
    /// work after `deadline`; answers its report.
    fn run(
        app: &Hisaab,
        deadline: Option<Instant>,
    ) -> impl Future<Output = hisaab::Result<serde_json::Value>> + Send;
}

/// Payment reminders: every invoice whose next stage is due.
pub struct Reminders;

impl Needs for Reminders {
    const ACCESS: Access = Access::NONE.write().sms().mail();
}

impl Job for Reminders {
    const NAME: &'static str = "reminders";
    const SCHEDULE: &'static str = "rate(15 minutes)";
    const EVERY_MINUTES: u64 = 15;
    const DESCRIPTION: &'static str = "sends the payment reminders that are due";

    async fn run(app: &Hisaab, deadline: Option<Instant>) -> hisaab::Result<serde_json::Value> {
        let r = app.run_reminders(deadline).await?;
        Ok(serde_json::to_value(r).unwrap_or_default())
    }
}

/// The owners' daily digest.
pub struct Digest;

impl Needs for Digest {
    const ACCESS: Access = Access::NONE.write().sms().mail();
}

impl Job for Digest {
    const NAME: &'static str = "digest";
    const SCHEDULE: &'static str = "rate(1 hour)";
    const EVERY_MINUTES: u64 = 15;
    const DESCRIPTION: &'static str =
        "sends each owner the daily digest once, from 08.00 local time";

    async fn run(app: &Hisaab, deadline: Option<Instant>) -> hisaab::Result<serde_json::Value> {
        let r = app.run_digest(deadline).await?;
        Ok(serde_json::to_value(r).unwrap_or_default())
    }
}

/// The admins' exports: each queued export written to the documents
/// bucket.
pub struct Exports;

impl Needs for Exports {
    const ACCESS: Access = Access::NONE.write().scan().files_read().files_write();
}

impl Job for Exports {
    const NAME: &'static str = "exports";
    const SCHEDULE: &'static str = "rate(1 minute)";
    const EVERY_MINUTES: u64 = 1;
    const DESCRIPTION: &'static str = "writes the exports admins asked for to the documents bucket";

    async fn run(app: &Hisaab, deadline: Option<Instant>) -> hisaab::Result<serde_json::Value> {
        let r = app.run_exports(deadline).await?;
        Ok(serde_json::to_value(r).unwrap_or_default())
    }
}

/// A job as the generator and the local host see it.
#[derive(Clone, Copy, Debug)]
pub struct JobInfo {
    /// See [`Job::NAME`].
    pub name: &'static str,
    /// See [`Needs::ACCESS`].
    pub access: Access,
    /// See [`Job::SCHEDULE`].
    pub schedule: &'static str,
    /// See [`Job::EVERY_MINUTES`].
    pub every_minutes: u64,
    /// See [`Job::DESCRIPTION`].
    pub description: &'static str,
}

fn info<J: Job>() -> JobInfo {
    JobInfo {
        name: J::NAME,
        access: J::ACCESS,
        schedule: J::SCHEDULE,
        every_minutes: J::EVERY_MINUTES,
        description: J::DESCRIPTION,
    }
}

/// Every job.
pub fn all() -> Vec<JobInfo> {
    vec![info::<Reminders>(), info::<Digest>(), info::<Exports>()]
}

/// Runs the job named `name` once; `None` for an unknown name.
pub async fn run_named(
    app: &Hisaab,
    name: &str,
    deadline: Option<Instant>,
) -> Option<hisaab::Result<serde_json::Value>> {
    match name {
        Reminders::NAME => Some(Reminders::run(app, deadline).await),
        Digest::NAME => Some(Digest::run(app, deadline).await),
        Exports::NAME => Some(Exports::run(app, deadline).await),
        _ => None,
    }
}
