//! The files port: documents (invoice PDFs) stored by key and handed out
//! through short-lived links. On AWS an S3 bucket with presigned GET URLs;
//! locally a folder under the data directory ([`crate::local::LocalFiles`]).

use anyhow::Context;
use async_trait::async_trait;
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
    /// A link that lets a client `PUT` exactly one body of `content_type`
    /// and at most `max_bytes` bytes under `key` until `expires_at` (epoch
    /// seconds, UTC): a presigned S3 PUT, or the local server's upload route.
    async fn upload_link(
        &self,
        key: &str,
        content_type: &str,
        max_bytes: u64,
        now: i64,
        expires_at: i64,
    ) -> anyhow::Result<String>;
    /// The content type and size in bytes of what is stored under `key`,
    /// `None` when nothing is.
    async fn stat(&self, key: &str) -> anyhow::Result<Option<(String, u64)>>;
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

    async fn upload_link(
        &self,
        key: &str,
        content_type: &str,
        max_bytes: u64,
        now: i64,
        expires_at: i64,
    ) -> anyhow::Result<String> {
        let ttl = Duration::from_secs((expires_at - now).max(1) as u64);
        // The content type is signed, so S3 refuses a PUT of another type;
        // the size is checked by `stat` before an upload is used.
        let _ = max_bytes;
        let req = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .presigned(aws_sdk_s3::presigning::PresigningConfig::expires_in(ttl)?)
            .await
            .with_context(|| format!("presigning the upload of {key}"))?;
        Ok(req.uri().to_string())
    }

    async fn stat(&self, key: &str) -> anyhow::Result<Option<(String, u64)>> {
        match self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(h) => Ok(Some((
                h.content_type().unwrap_or_default().to_string(),
                h.content_length().unwrap_or_default().max(0) as u64,
            ))),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(None),
            Err(e) => Err(anyhow::Error::new(e).context(format!("S3 HeadObject {key}"))),
        }
    }
}
