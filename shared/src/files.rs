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

    fn upload_signed(key: &str, content_type: &str, max_bytes: u64, expires_at: i64) -> String {
        format!("upload|{key}|{content_type}|{max_bytes}|{expires_at}")
    }

    /// Stores an upload made through an [`Files::upload_link`] link: `Err`
    /// with the reason when the link is bad or expired, the content type
    /// differs from the signed one, or the body is larger than allowed.
    pub fn accept_upload(
        &self,
        key: &str,
        link: &UploadLink,
        content_type: &str,
        body: &[u8],
        now: i64,
    ) -> Result<(), &'static str> {
        let signed = Self::upload_signed(key, &link.ct, link.max, link.expires);
        if now > link.expires || !self.keys.verify(signed.as_bytes(), &link.sig) {
            return Err("this upload link is not valid (expired?)");
        }
        if content_type != link.ct {
            return Err("the Content-Type is not the one the upload was made for");
        }
        if body.len() as u64 > link.max {
            return Err("the body is larger than the upload allows");
        }
        let path = self.path(key).map_err(|_| "bad key")?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|_| "cannot store the file")?;
        }
        std::fs::write(meta_path(&path), content_type).map_err(|_| "cannot store the file")?;
        std::fs::write(&path, body).map_err(|_| "cannot store the file")?;
        Ok(())
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

    async fn upload_link(
        &self,
        key: &str,
        content_type: &str,
        max_bytes: u64,
        _now: i64,
        expires_at: i64,
    ) -> anyhow::Result<String> {
        let sig = self
            .keys
            .sign(Self::upload_signed(key, content_type, max_bytes, expires_at).as_bytes());
        let ct: String = form_urlencoded::byte_serialize(content_type.as_bytes()).collect();
        Ok(format!(
            "{}/_local/uploads/{key}?ct={ct}&max={max_bytes}&expires={expires_at}&sig={sig}",
            self.base_url
        ))
    }

    async fn stat(&self, key: &str) -> anyhow::Result<Option<(String, u64)>> {
        let path = self.path(key)?;
        let Ok(meta) = std::fs::metadata(&path) else {
            return Ok(None);
        };
        let ct = std::fs::read_to_string(meta_path(&path)).unwrap_or_default();
        Ok(Some((ct, meta.len())))
    }

    async fn link(&self, key: &str, _now: i64, expires_at: i64) -> anyhow::Result<String> {
        let sig = self.keys.sign(Self::signed(key, expires_at).as_bytes());
        Ok(format!(
            "{}/_local/files/{key}?expires={expires_at}&sig={sig}",
            self.base_url
        ))
    }
}

/// The query of a local upload link (see [`LocalFiles::accept_upload`]).
#[derive(Clone, Debug, serde::Deserialize)]
pub struct UploadLink {
    /// The content type the upload was made for.
    pub ct: String,
    /// Most bytes allowed.
    pub max: u64,
    /// Expiry, epoch seconds (UTC).
    pub expires: i64,
    /// HMAC of the above and the key.
    pub sig: String,
}

/// Where the content type of a local upload is kept, beside it.
fn meta_path(path: &std::path::Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".content-type");
    PathBuf::from(p)
}
