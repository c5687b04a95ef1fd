//! Keys and the cryptography built on them: JWT access tokens (HS256),
//! keyed hashes of OTPs, SHA-256 of long random tokens, signed cursors, argon2id
//! password hashes. Every key is derived from one signing key (at least 32
//! bytes) kept in SSM Parameter Store on AWS or in `<data dir>/signing.key`
//! locally.

use crate::error::{Error, Result};
use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::path::Path;

type HmacSha256 = Hmac<Sha256>;

/// Lifetime of an access token: 15 minutes, in seconds.
pub const ACCESS_TOKEN_SECS: i64 = 15 * 60;

/// The claims of an access token.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Claims {
    /// User id (`usr_...`).
    pub sub: String,
    /// Role at issue time (`owner`, `staff`, `customer`, `admin_l1`, …).
    pub role: String,
    /// Business id for `owner` and `staff`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bid: Option<String>,
    /// Issued at, seconds since the Unix epoch (UTC).
    pub iat: i64,
    /// Expires at, seconds since the Unix epoch (UTC).
    pub exp: i64,
}

/// jsonwebtoken's crypto for the one algorithm Hisaab signs with, HS256
/// (RFC 7518 §3.2), on RustCrypto's `hmac` and `sha2`: installed by every
/// constructor of [`Keys`], so a token made or checked with any other
/// algorithm is refused (`InvalidAlgorithm`).
mod hs256 {
    use super::HmacSha256;
    use hmac::Mac;
    use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
    use jsonwebtoken::errors::{Error, ErrorKind};
    use jsonwebtoken::signature::{self, Signer, Verifier};
    use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, EncodingKey};

    struct Hs256(HmacSha256);

    impl Hs256 {
        fn new(alg: &Algorithm, family: AlgorithmFamily, secret: &[u8]) -> Result<Hs256, Error> {
            if *alg != Algorithm::HS256 || family != AlgorithmFamily::Hmac {
                return Err(ErrorKind::InvalidAlgorithm.into());
            }
            Ok(Hs256(
                HmacSha256::new_from_slice(secret).map_err(|_| ErrorKind::InvalidKeyFormat)?,
            ))
        }
    }

    impl Signer<Vec<u8>> for Hs256 {
        fn try_sign(&self, msg: &[u8]) -> Result<Vec<u8>, signature::Error> {
            let mut m = self.0.clone();
            m.update(msg);
            Ok(m.finalize().into_bytes().to_vec())
        }
    }

    impl Verifier<Vec<u8>> for Hs256 {
        fn verify(&self, msg: &[u8], sig: &Vec<u8>) -> Result<(), signature::Error> {
            let mut m = self.0.clone();
            m.update(msg);
            m.verify_slice(sig).map_err(signature::Error::from_source)
        }
    }

    impl JwtSigner for Hs256 {
        fn algorithm(&self) -> Algorithm {
            Algorithm::HS256
        }
    }

    impl JwtVerifier for Hs256 {
        fn algorithm(&self) -> Algorithm {
            Algorithm::HS256
        }
    }

    static PROVIDER: CryptoProvider = CryptoProvider {
        signer_factory: |alg, key: &EncodingKey| {
            Ok(Box::new(Hs256::new(alg, key.family(), key.as_bytes())?))
        },
        verifier_factory: |alg, key: &DecodingKey| {
            Ok(Box::new(Hs256::new(
                alg,
                key.family(),
                key.try_get_as_bytes()?,
            )?))
        },
        key_utils: KeyUtils::new_unimplemented(),
    };

    /// Installs the provider for the process (once; later calls do nothing).
    pub(super) fn install() {
        let _ = PROVIDER.install_default();
    }
}

/// Key material of one process, derived once at start-up.
pub struct Keys {
    jwt_enc: EncodingKey,
    jwt_dec: DecodingKey,
    mac: Vec<u8>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

fn derive(secret: &[u8], purpose: &str) -> Vec<u8> {
    let mut m = HmacSha256::new_from_slice(secret).expect("HMAC takes any key length");
    m.update(purpose.as_bytes());
    m.finalize().into_bytes().to_vec()
}

impl Keys {
    /// Derives the keys from a signing key of at least 32 bytes.
    pub fn from_secret(secret: &[u8]) -> anyhow::Result<Keys> {
        anyhow::ensure!(
            secret.len() >= 32,
            "the signing key must have at least 32 bytes"
        );
        hs256::install();
        let jwt = derive(secret, "hisaab/jwt/v1");
        Ok(Keys {
            jwt_enc: EncodingKey::from_secret(&jwt),
            jwt_dec: DecodingKey::from_secret(&jwt),
            mac: derive(secret, "hisaab/mac/v1"),
        })
    }

    /// Keys from 32 fresh random bytes, for a process that signs nothing
    /// that must outlive it (a Lambda without table access).
    pub fn random() -> Keys {
        let mut b = [0u8; 32];
        rand::rng().fill_bytes(&mut b);
        Keys::from_secret(&b).expect("32 bytes make a signing key")
    }

    /// Reads `<data dir>/signing.key`, creating it with 32 random bytes
    /// (base64, mode 0600) on first use.
    pub fn local(data_dir: &Path) -> anyhow::Result<Keys> {
        let path = data_dir.join("signing.key");
        if !path.exists() {
            let mut b = [0u8; 32];
            rand::rng().fill_bytes(&mut b);
            std::fs::write(&path, B64.encode(b))
                .with_context(|| format!("writing {}", path.display()))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
            }
        }
        let text = std::fs::read_to_string(&path)?;
        Keys::from_secret(text.trim().as_bytes())
    }

    /// Issues an access token for the claims.
    pub fn access_token(&self, claims: &Claims) -> Result<String> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.jwt_enc)
            .map_err(|e| Error::Internal(e.into()))
    }

    /// Verifies an access token's signature and expiry against `now_secs`
    /// (the process clock, so that tests can move time).
    pub fn verify_access_token(&self, token: &str, now_secs: i64) -> Result<Claims> {
        let mut v = Validation::new(Algorithm::HS256);
        v.validate_exp = false;
        v.required_spec_claims = ["exp".to_string()].into();
        let claims = jsonwebtoken::decode::<Claims>(token, &self.jwt_dec, &v)
            .map_err(|_| Error::unauthorized("invalid-token", "the access token is not valid"))?
            .claims;
        if claims.exp <= now_secs {
            return Err(Error::unauthorized(
                "token-expired",
                "the access token has expired; refresh it",
            ));
        }
        Ok(claims)
    }

    /// Keyed hash (HMAC-SHA-256, hex) of a secret value such as an OTP.
    /// Six digits are easy to guess from a plain hash; this needs the key.
    pub fn mac_hex(&self, parts: &[&str]) -> String {
        let mut m = HmacSha256::new_from_slice(&self.mac).expect("HMAC takes any key length");
        for p in parts {
            m.update(p.as_bytes());
            m.update(b"\x1f");
        }
        hex(&m.finalize().into_bytes())
    }

    /// Signs bytes (HMAC-SHA-256, base64url) for opaque tokens such as cursors.
    pub fn sign(&self, data: &[u8]) -> String {
        let mut m = HmacSha256::new_from_slice(&self.mac).expect("HMAC takes any key length");
        m.update(b"sig\x1f");
        m.update(data);
        B64.encode(m.finalize().into_bytes())
    }

    /// Checks a signature made by [`Keys::sign`] in constant time.
    pub fn verify(&self, data: &[u8], sig: &str) -> bool {
        let Ok(sig) = B64.decode(sig) else {
            return false;
        };
        let mut m = HmacSha256::new_from_slice(&self.mac).expect("HMAC takes any key length");
        m.update(b"sig\x1f");
        m.update(data);
        m.verify_slice(&sig).is_ok()
    }
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a string, hex. Used to key long random tokens, which need no
/// secret key to be safe from guessing.
pub fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// A random token of 32 bytes, base64url without padding (256 bits).
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    B64.encode(b)
}

/// A uniformly random 6-digit code, leading zeros kept.
pub fn otp_code() -> String {
    use rand::Rng;
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// Compares two strings in constant time.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Hashes a password with argon2id (default parameters: 19 MiB, 2 passes)
/// into a PHC string.
pub fn hash_password(password: &str) -> Result<String> {
    use argon2::password_hash::PasswordHasher;
    argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(anyhow::anyhow!("argon2: {e}")))
}

/// Checks a password against a PHC string made by [`hash_password`].
pub fn verify_password(password: &str, phc: &str) -> bool {
    use argon2::password_hash::{PasswordVerifier, phc::PasswordHash};
    PasswordHash::new(phc).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Base64url (no padding) encoding, for opaque tokens.
pub fn b64(data: &[u8]) -> String {
    B64.encode(data)
}

/// Decodes [`b64`].
pub fn unb64(s: &str) -> Option<Vec<u8>> {
    B64.decode(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_with_the_right_password() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("correct horsE", &h));
    }

    #[test]
    fn tokens_expire_and_signatures_bind() {
        let k = Keys::from_secret(&[7u8; 32]).unwrap();
        let c = Claims {
            sub: "usr_1".into(),
            role: "owner".into(),
            bid: None,
            iat: 0,
            exp: 100,
        };
        let t = k.access_token(&c).unwrap();
        assert_eq!(k.verify_access_token(&t, 99).unwrap().sub, "usr_1");
        assert!(k.verify_access_token(&t, 100).is_err());
        let other = Keys::from_secret(&[8u8; 32]).unwrap();
        assert!(other.verify_access_token(&t, 1).is_err());
        let s = k.sign(b"abc");
        assert!(k.verify(b"abc", &s) && !k.verify(b"abd", &s) && !other.verify(b"abc", &s));
        assert_eq!(otp_code().len(), 6);
    }

    #[test]
    fn jwts_are_made_and_checked_with_hs256_only() {
        let k = Keys::from_secret(&[7u8; 32]).unwrap();
        let c = Claims {
            sub: "usr_1".into(),
            role: "owner".into(),
            bid: None,
            iat: 0,
            exp: 100,
        };
        let t = k.access_token(&c).unwrap();
        let header: serde_json::Value =
            serde_json::from_slice(&unb64(t.split('.').next().unwrap()).unwrap()).unwrap();
        assert_eq!(header["alg"], "HS256");
        let hs384 = jsonwebtoken::encode(&Header::new(Algorithm::HS384), &c, &k.jwt_enc);
        assert!(hs384.is_err(), "the provider signs HS256 only");
    }
}
