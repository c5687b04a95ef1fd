//! The files port: documents (invoice PDFs) stored by key and handed out
//! through short-lived links. On AWS an S3 bucket with presigned GET URLs;
//! locally a folder under the data directory served by `hisaab serve` at
//! `/_local/files/<key>?expires=<epoch seconds>&sig=<HMAC>`.

use crate::crypto::Keys;
use anyhow::Context;
use async_trait::async_trait;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Stores documents and links to them.
#[async_trait]
pub trait Files: Send + Sync {
    /// Stores `body` under `key` (a relative path such as
    /// `invoices/biz_…/inv_…/v3.pdf`), replacing what was there.
    async fn put(&self, key: &str, content_type: &str, body: Vec<u8>) -> anyhow::Result<()>;
    /// Whether something is stored under `key`.
    async fn exists(&self, key: &str) -> anyhow::Result<bool>;
    /// A link that reads `key` until `expires_at` (epoch seconds, UTC) and
    /// not after.
    async fn link(&self, key: &str, now: i64, expires_at: i64) -> anyhow::Result<String>;
}

/// An S3 bucket (`HISAAB_BUCKET` on AWS; moto's S3 in tests).
pub struct S3Files {
    client: aws_sdk_s3::Client,
    bucket: String,
}

impl S3Files {
    /// Wraps a client built once per process and the bucket name.
    pub fn new(client: aws_sdk_s3::Client, bucket: impl Into<String>) -> Self {
        S3Files {
            client,
            bucket: bucket.into(),
        }
    }
}

#[async_trait]
impl Files for S3Files {
    async fn put(&self, key: &str, content_type: &str, body: Vec<u8>) -> anyhow::Result<()> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(body.into())
            .send()
            .await
            .with_context(|| format!("S3 PutObject {key}"))?;
        Ok(())
    }

    async fn exists(&self, key: &str) -> anyhow::Result<bool> {
        match self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(false),
            Err(e) => Err(anyhow::Error::new(e).context(format!("S3 HeadObject {key}"))),
        }
    }

    async fn link(&self, key: &str, now: i64, expires_at: i64) -> anyhow::Result<String> {
        let ttl = Duration::from_secs((expires_at - now).max(1) as u64);
        let req = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .presigned(aws_sdk_s3::presigning::PresigningConfig::expires_in(ttl)?)
            .await
            .with_context(|| format!("presigning {key}"))?;
        Ok(req.uri().to_string())
    }
}

/// A folder of the local data directory; links are signed with the
/// deployment's key and served by `hisaab serve`.
pub struct LocalFiles {
    dir: PathBuf,
    base_url: String,
    keys: Arc<Keys>,
}

impl LocalFiles {
    /// Files under `dir`, linked from `base_url` (the local server's URL).
    pub fn new(dir: PathBuf, base_url: &str, keys: Arc<Keys>) -> Self {
        LocalFiles {
            dir,
            base_url: base_url.trim_end_matches('/').to_string(),
            keys,
        }
    }

    fn path(&self, key: &str) -> anyhow::Result<PathBuf> {
        anyhow::ensure!(
            !key.is_empty()
                && key
                    .split('/')
                    .all(|p| !p.is_empty() && p != "." && p != ".."),
            "bad file key {key}"
        );
        Ok(self.dir.join(key))
    }

    fn signed(key: &str, expires_at: i64) -> String {
        format!("files|{key}|{expires_at}")
    }

    /// The bytes under `key` when `sig` signs `key` and `expires_at` and
    /// `now` is not later; `None` for a bad or expired link or a missing file.
    pub fn read(&self, key: &str, expires_at: i64, sig: &str, now: i64) -> Option<Vec<u8>> {
        if now > expires_at
            || !self
                .keys
                .verify(Self::signed(key, expires_at).as_bytes(), sig)
        {
            return None;
        }
        std::fs::read(self.path(key).ok()?).ok()
    }
}

#[async_trait]
impl Files for LocalFiles {
    async fn put(&self, key: &str, _content_type: &str, body: Vec<u8>) -> anyhow::Result<()> {
        let path = self.path(key)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // Write then rename, so a reader never sees half a file.
        let tmp = path.with_extension("part");
        std::fs::write(&tmp, body).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &path)?;
        Ok(())
    }

    async fn exists(&self, key: &str) -> anyhow::Result<bool> {
        Ok(self.path(key)?.is_file())
    }

    async fn link(&self, key: &str, _now: i64, expires_at: i64) -> anyhow::Result<String> {
        let sig = self.keys.sign(Self::signed(key, expires_at).as_bytes());
        Ok(format!(
            "{}/_local/files/{key}?expires={expires_at}&sig={sig}",
            self.base_url
        ))
    }
}
