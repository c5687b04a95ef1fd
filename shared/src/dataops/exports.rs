//! Admin exports: a super admin asks for one business, one kind, or
//! everything (`POST /v1/admin/exports`); the `exports` job (a scheduled
//! Lambda each minute, `hisaab serve` in-process) writes the JSON Lines
//! file to the documents bucket, since a Lambda's response is limited to
//! 6 MB; `GET /v1/admin/exports/{export_id}` gives the status and, once
//! done, a link valid for 15 minutes. Requests and links are audited.

use super::Kind;
use super::export::{self, Scope};
use crate::Hisaab;
use crate::admin::super_admin;
use crate::app::{from_item, to_item};
use crate::error::{Error, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::Actor;
use crate::ids::new_id;
use crate::keys;
use crate::table::{Cond, Query, Write};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::time::Instant;
use utoipa::ToSchema;

/// How long an export's download link works, in seconds.
pub const LINK_SECS: i64 = 15 * 60;

/// Where an export is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportStatus {
    /// Waiting for the next run of the `exports` job (at most a minute).
    Queued,
    /// Being written.
    Running,
    /// Written: `GET` it for a link.
    Done,
    /// Failed; `error` says why.
    Failed,
}

impl ExportStatus {
    fn as_str(self) -> &'static str {
        match self {
            ExportStatus::Queued => "queued",
            ExportStatus::Running => "running",
            ExportStatus::Done => "done",
            ExportStatus::Failed => "failed",
        }
    }
}

/// `POST /v1/admin/exports`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewExport {
    /// `all` (default) or one kind: `customers`, `invoices`, `companies`, …
    #[serde(default)]
    pub kind: Option<String>,
    /// One business (`biz_…`); without it, the whole platform.
    #[serde(default)]
    pub business_id: Option<String>,
}

/// An export asked for by an admin.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct AdminExport {
    /// `exp_<ULID>`.
    pub id: String,
    /// `all` or the kind.
    pub kind: String,
    /// The business, or absent for the whole platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_id: Option<String>,
    /// Where it is.
    pub status: ExportStatus,
    /// The admin who asked.
    pub requested_by: String,
    /// When (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub requested_at: Timestamp,
    /// When it was written or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub finished_at: Option<Timestamp>,
    /// Items written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<u64>,
    /// Size of the file in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Version, 1 on creation.
    pub version: i64,
}

/// An export with its download link once done.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct AdminExportView {
    /// The export.
    #[serde(flatten)]
    pub export: AdminExport,
    /// A link to the JSON Lines file, valid until `link_expires_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download_url: Option<String>,
    /// When the link stops working (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub link_expires_at: Option<Timestamp>,
}

/// What one run of the `exports` job did.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct ExportsReport {
    /// Exports written.
    pub done: usize,
    /// Exports that failed.
    pub failed: usize,
    /// Exports another run took first.
    pub conflicts: usize,
}

fn export_item(e: &AdminExport) -> Result<crate::table::Item> {
    let mut item = to_item("admin_export", &keys::admin_export(&e.id), e)?;
    keys::admin_exports().at(e.id.clone()).set_on(&mut item);
    keys::admin_exports_by_status(e.status.as_str())
        .at(e.id.clone())
        .set_on(&mut item);
    Ok(item)
}

/// The file of an export in the documents bucket.
fn file_key(id: &str) -> String {
    format!("exports/{id}.jsonl")
}

impl Hisaab {
    /// `POST /v1/admin/exports` (super admin): queues an export. 422 for
    /// an unknown kind or business; audited as `export.request`. With an
    /// idempotency key, a retry returns the first answer (`true` in the
    /// second value) and queues nothing.
    pub async fn request_export(
        &self,
        actor: &Actor,
        input: NewExport,
        idem: Option<Idempotency>,
    ) -> Result<(AdminExport, bool)> {
        super_admin(actor)?;
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
        let kind = input.kind.unwrap_or_else(|| "all".into());
        if kind != "all" && Kind::parse(&kind).is_none() {
            return Err(Error::field(
                "kind",
                "unknown_kind",
                format!("`all` or one of {}", Kind::names()),
            ));
        }
        if let Some(b) = &input.business_id
            && self.table.get(&keys::business(b)).await?.is_none()
        {
            return Err(Error::field(
                "business_id",
                "unknown_business",
                "no such business",
            ));
        }
        let e = AdminExport {
            id: new_id("exp"),
            kind,
            business_id: input.business_id,
            status: ExportStatus::Queued,
            requested_by: actor.user.id.clone(),
            requested_at: self.clock.now(),
            finished_at: None,
            items: None,
            bytes: None,
            error: None,
            version: 1,
        };
        let writes = vec![
            Write::Put {
                item: export_item(&e)?,
                cond: Some(Cond::NotExists),
            },
            self.audit_write(
                Some(actor),
                "export.request",
                "export",
                &e.id,
                None,
                Some(serde_json::to_value(&e).unwrap_or_default()),
                None,
            )?,
        ];
        self.commit_create(&actor.user.id, idem.as_ref(), writes, e, |_| None)
            .await?
            .ok_or_else(Error::stale)
    }

    /// `GET /v1/admin/exports/{export_id}` (super admin): the export and,
    /// once done, a link for [`LINK_SECS`] (audited as `export.link`).
    pub async fn get_export(&self, actor: &Actor, id: &str) -> Result<AdminExportView> {
        super_admin(actor)?;
        let export: AdminExport = self
            .get_as(&keys::admin_export(id))
            .await?
            .ok_or(Error::NotFound("export"))?;
        let mut view = AdminExportView {
            export,
            download_url: None,
            link_expires_at: None,
        };
        if view.export.status == ExportStatus::Done {
            let now = self.now_secs();
            view.download_url = Some(
                self.files
                    .link(&file_key(id), now, now + LINK_SECS)
                    .await
                    .map_err(Error::Internal)?,
            );
            view.link_expires_at = Timestamp::from_second(now + LINK_SECS).ok();
            self.table
                .transact(vec![self.audit_write(
                    Some(actor),
                    "export.link",
                    "export",
                    id,
                    None,
                    None,
                    None,
                )?])
                .await?;
        }
        Ok(view)
    }

    /// `GET /v1/admin/exports` (super admin): the 50 newest exports.
    pub async fn list_exports(&self, actor: &Actor) -> Result<Vec<AdminExport>> {
        super_admin(actor)?;
        let page = self
            .table
            .query(&Query::on(keys::admin_exports()).descending().limit(50))
            .await?;
        page.items.into_iter().map(from_item).collect()
    }

    /// The `exports` job: writes each queued export to the documents
    /// bucket (claimed first under its version, so two runs never write
    /// one twice), until `deadline`.
    ///
    /// The file is built in memory before it is stored (the files port
    /// stores whole objects): an export must fit in the Lambda's memory.
    pub async fn run_exports(&self, deadline: Option<Instant>) -> Result<ExportsReport> {
        let mut report = ExportsReport::default();
        let queued = self
            .table
            .query(&Query::on(keys::admin_exports_by_status("queued")).limit(20))
            .await?;
        for item in queued.items {
            if deadline.is_some_and(|d| Instant::now() >= d) {
                break;
            }
            let e: AdminExport = from_item(item)?;
            let mut running = e.clone();
            running.status = ExportStatus::Running;
            running.version += 1;
            let claim = vec![Write::Put {
                item: export_item(&running)?,
                cond: Some(Cond::version(e.version)),
            }];
            if self.commit(claim, ()).await?.is_none() {
                report.conflicts += 1;
                continue;
            }
            let mut done = running.clone();
            done.version += 1;
            done.finished_at = Some(self.clock.now());
            match self.write_export(&running).await {
                Ok((items, bytes)) => {
                    done.status = ExportStatus::Done;
                    done.items = Some(items);
                    done.bytes = Some(bytes);
                    report.done += 1;
                }
                Err(err) => {
                    tracing::error!(export = %e.id, error = %err, "export failed");
                    done.status = ExportStatus::Failed;
                    done.error = Some(err.to_string());
                    report.failed += 1;
                }
            }
            let finish = vec![Write::Put {
                item: export_item(&done)?,
                cond: Some(Cond::version(running.version)),
            }];
            self.commit(finish, ()).await?;
        }
        Ok(report)
    }

    async fn write_export(&self, e: &AdminExport) -> anyhow::Result<(u64, u64)> {
        let scope = match &e.business_id {
            Some(b) => Scope::Business(b.clone()),
            None => Scope::Platform { segments: 4 },
        };
        let kind = Kind::parse(&e.kind);
        let mut body = Vec::new();
        let counts = export::export(self.table.clone(), &scope, kind, &mut |item| {
            serde_json::to_writer(&mut body, item)?;
            body.push(b'\n');
            Ok(())
        })
        .await?;
        let bytes = body.len() as u64;
        self.files
            .put(&file_key(&e.id), "application/x-ndjson", body)
            .await?;
        Ok((counts.items, bytes))
    }
}
