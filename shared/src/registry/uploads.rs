//! Supporting documents: upload links (presigned PUTs) and the documents
//! of reports and disputes, with short-lived read links.

use crate::app::{Hisaab, to_item};
use crate::error::{Error, Errors, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::Actor;
use crate::ids::new_id;
use crate::keys;
use crate::table::{Cond, Write};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::ToSchema;

/// Most documents on one report: one of each [`DocumentKind`].
pub const MAX_DOCUMENTS: usize = 4;

/// Largest upload: 10 MiB.
pub const UPLOAD_MAX_BYTES: u64 = 10 << 20;

/// The content types an upload may have.
pub const UPLOAD_CONTENT_TYPES: [&str; 4] =
    ["application/pdf", "image/jpeg", "image/png", "image/webp"];

/// How long an upload link (and a document link) works: 15 minutes.
pub const LINK_SECS: i64 = 15 * 60;

/// The kind of a supporting document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A copy of the invoice.
    InvoiceCopy,
    /// The buyer's purchase order.
    PurchaseOrder,
    /// Proof of delivery.
    DeliveryProof,
    /// A ledger statement.
    LedgerStatement,
}

/// A supporting document of a report or a dispute.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Document {
    /// What it is.
    pub kind: DocumentKind,
    /// The upload it came from.
    pub upload_id: String,
    /// MIME type.
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// A link valid 15 minutes, on reads by those allowed to see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A reference to an upload in a request.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentRef {
    /// What it is.
    pub kind: DocumentKind,
    /// From `POST /v1/uploads`, after the file was PUT.
    pub upload_id: String,
}

/// `POST /v1/uploads`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUpload {
    /// `application/pdf`, `image/jpeg`, `image/png` or `image/webp`.
    pub content_type: String,
    /// Size of the file in bytes (1 to 10 MiB).
    pub size_bytes: u64,
}

/// An upload slot: PUT the file to `url` with the same `Content-Type`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Upload {
    /// `upl_<ULID>`: name it in a report or dispute.
    pub id: String,
    /// Always `PUT`.
    pub method: String,
    /// Where to PUT the bytes (a presigned S3 URL on AWS).
    pub url: String,
    /// Send exactly this `Content-Type`.
    pub content_type: String,
    /// Most bytes accepted.
    pub max_bytes: u64,
    /// The link works until then (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: Timestamp,
}

/// The stored upload slot.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct UploadRecord {
    id: String,
    user_id: String,
    key: String,
    content_type: String,
    max_bytes: u64,
    created_at: Timestamp,
}

impl Hisaab {
    /// `POST /v1/uploads`: a slot for one document and the link to PUT it
    /// to (valid 15 minutes). 422 naming `content_type` or `size_bytes`.
    /// With an idempotency key, a retry returns the first answer (`true` in
    /// the second value): the same slot and link, which still stops working
    /// at its `expires_at`.
    pub async fn create_upload(
        &self,
        actor: &Actor,
        u: NewUpload,
        idem: Option<Idempotency>,
    ) -> Result<(Upload, bool)> {
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
        let mut errs = Errors::default();
        if !UPLOAD_CONTENT_TYPES.contains(&u.content_type.as_str()) {
            errs.push(
                "content_type",
                "unsupported",
                "application/pdf, image/jpeg, image/png or image/webp",
            );
        }
        if u.size_bytes == 0 || u.size_bytes > UPLOAD_MAX_BYTES {
            errs.push("size_bytes", "out_of_range", "1 byte to 10 MiB");
        }
        errs.finish()?;
        let now = self.clock.now();
        let id = new_id("upl");
        let rec = UploadRecord {
            key: format!("uploads/{}/{}", actor.user.id, id),
            id,
            user_id: actor.user.id.clone(),
            content_type: u.content_type.clone(),
            max_bytes: u.size_bytes,
            created_at: now,
        };
        let expires = now.as_second() + LINK_SECS;
        let url = self
            .files
            .upload_link(
                &rec.key,
                &rec.content_type,
                rec.max_bytes,
                now.as_second(),
                expires,
            )
            .await?;
        // Kept for good: a report's documents are found through it.
        let writes = vec![Write::Put {
            item: to_item("upload", &keys::upload(&rec.id), &rec)?,
            cond: Some(Cond::NotExists),
        }];
        let upload = Upload {
            id: rec.id,
            method: "PUT".into(),
            url,
            content_type: rec.content_type,
            max_bytes: rec.max_bytes,
            expires_at: Timestamp::from_second(expires).unwrap_or(now),
        };
        self.commit_create(&actor.user.id, idem.as_ref(), writes, upload, |_| None)
            .await?
            .ok_or_else(Error::stale)
    }

    /// The documents named in a request, each checked: the caller's own
    /// upload, stored, of the type and size it was made for; at most four,
    /// one of each kind. Errors name `documents` or `documents[i]…`.
    pub(crate) async fn documents(
        &self,
        actor: &Actor,
        errs: &mut Errors,
        refs: &[DocumentRef],
    ) -> Result<Vec<Document>> {
        if refs.len() > MAX_DOCUMENTS {
            errs.push(
                "documents",
                "too_many",
                format!("at most {MAX_DOCUMENTS} documents, one of each kind"),
            );
            return Ok(vec![]);
        }
        let mut kinds = BTreeSet::new();
        let mut out = vec![];
        for (i, r) in refs.iter().enumerate() {
            let field = format!("documents[{i}].upload_id");
            if !kinds.insert(r.kind) {
                errs.push(
                    &format!("documents[{i}].kind"),
                    "duplicate",
                    "one document of each kind",
                );
                continue;
            }
            let rec: Option<UploadRecord> = self.get_as(&keys::upload(&r.upload_id)).await?;
            let Some(rec) = rec.filter(|u| u.user_id == actor.user.id) else {
                errs.push(&field, "unknown_upload", "no such upload of yours");
                continue;
            };
            match self.files.stat(&rec.key).await? {
                None => errs.push(&field, "not_uploaded", "the file was not uploaded yet"),
                Some((ct, _)) if ct != rec.content_type => errs.push(
                    &field,
                    "wrong_content_type",
                    format!("the file is {ct}, not {}", rec.content_type),
                ),
                Some((_, size)) if size > rec.max_bytes => {
                    errs.push(&field, "too_large", "the file is larger than declared")
                }
                Some((ct, size)) => out.push(Document {
                    kind: r.kind,
                    upload_id: rec.id,
                    content_type: ct,
                    size_bytes: size,
                    url: None,
                }),
            }
        }
        Ok(out)
    }

    /// Fills in each document's link (valid 15 minutes), reading where its
    /// upload is stored.
    pub(crate) async fn with_links(&self, docs: &mut [Document]) -> Result<()> {
        let now = self.now_secs();
        for d in docs {
            let rec: Option<UploadRecord> = self.get_as(&keys::upload(&d.upload_id)).await?;
            if let Some(rec) = rec {
                d.url = Some(self.files.link(&rec.key, now, now + LINK_SECS).await?);
            }
        }
        Ok(())
    }
}
