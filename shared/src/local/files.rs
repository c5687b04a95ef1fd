//! Documents in a folder of the local data directory, linked through the
//! local server's `/_local/files/<key>?expires=<epoch seconds>&sig=<HMAC>`
//! (the stand-in for S3 presigned GETs) and uploaded through
//! `/_local/uploads/<key>?ct=&max=&expires=&sig=` (for presigned PUTs).

use crate::crypto::Keys;
use crate::files::Files;
use anyhow::Context;
use async_trait::async_trait;
use std::path::PathBuf;
use std::sync::Arc;

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
