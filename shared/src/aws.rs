//! AWS SDK clients: one HTTPS client and one configuration per process,
//! from which each port builds only the client it needs.
//!
//! A Lambda function's configuration comes straight from the variables the
//! Lambda runtime sets (`AWS_REGION`, `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), with `AWS_ENDPOINT_URL`
//! for emulators ([`Aws::from_env`]); the `hisaab` command uses the SDK's
//! whole provider chain (profiles, SSO, …) through `aws-config` and the same
//! HTTPS client ([`Aws::from_sdk_config`]).
//!
//! The HTTPS client is rustls on *ring*, trusting the roots of Amazon
//! Trust Services, which sign the certificates of every AWS service
//! endpoint (`aws_roots.pem`), instead of the SDK's default (rustls on
//! aws-lc reading the system's certificate files): it is smaller, and no
//! certificate file is read at start-up. `AWS_CA_BUNDLE` (a PEM file, as
//! the AWS SDKs read it) adds roots, for a proxy or an endpoint signed by
//! another authority.
//!
//! Building a TLS connector decodes the roots from PEM, which is most of
//! a function's start-up work (docs/benchmarks.md). The SDK builds one and
//! throws it away each time a client is created (its
//! `validate_base_client_config`), then builds the one it keeps at the
//! first request; [`https_client`] skips the first, so a process decodes
//! the roots once, at its first request.

use anyhow::Context;
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_dynamodb::config::BehaviorVersion;
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_types::SdkConfig;
use aws_types::region::Region;
use aws_types::sdk_config::SharedHttpClient;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

/// The roots of Amazon Trust Services (Amazon Root CA 1–4 and Starfield
/// Services Root G2, its cross-signing root), PEM.
pub const AMAZON_ROOTS_PEM: &str = include_str!("aws_roots.pem");

/// The HTTPS client every AWS client of the process shares: rustls with
/// the *ring* provider, trusting [`AMAZON_ROOTS_PEM`] and the certificates
/// of the PEM file `AWS_CA_BUNDLE` names, when set.
///
/// Errors: the bundle cannot be read, or holds no valid certificate.
pub fn https_client() -> anyhow::Result<SharedHttpClient> {
    let mut trust = TrustStore::empty()
        .with_native_roots(false)
        .with_pem_certificate(AMAZON_ROOTS_PEM);
    if let Some(path) = std::env::var_os("AWS_CA_BUNDLE").filter(|p| !p.is_empty()) {
        let pem = std::fs::read(&path)
            .with_context(|| format!("reading AWS_CA_BUNDLE {}", path.to_string_lossy()))?;
        let certs = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow::anyhow!("AWS_CA_BUNDLE {}: {e:?}", path.to_string_lossy()))?;
        anyhow::ensure!(
            !certs.is_empty(),
            "AWS_CA_BUNDLE {} holds no certificate",
            path.to_string_lossy()
        );
        trust = trust.with_pem_certificate(pem);
    }
    let context = TlsContext::builder()
        .with_trust_store(trust)
        .build()
        .context("building the TLS context")?;
    let client = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .tls_context(context)
        .build_https();
    Ok(SharedHttpClient::new(ConnectorOnFirstUse(client)))
}

/// The SDK's HTTPS client without its eager check: the client's
/// `validate_base_client_config` builds a whole TLS connector (decoding
/// every root) only to drop it, once per SDK client. The connector the
/// requests use is built by `http_connector` at the first request and
/// cached by its settings, as before.
#[derive(Debug)]
struct ConnectorOnFirstUse(SharedHttpClient);

impl HttpClient for ConnectorOnFirstUse {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.0.http_connector(settings, components)
    }

    fn connector_metadata(&self) -> Option<ConnectorMetadata> {
        self.0.connector_metadata()
    }
}

/// The AWS configuration of a process, and the clients built from it.
#[derive(Clone, Debug)]
pub struct Aws {
    config: SdkConfig,
    /// Whether an endpoint override points the clients at an emulator
    /// (then S3 uses path-style addressing, as moto needs).
    emulated: bool,
}

impl Aws {
    /// The configuration of a Lambda function, from its environment:
    /// `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
    /// `AWS_SESSION_TOKEN` (which the Lambda runtime sets for the function's
    /// role, valid for the life of the execution environment), and
    /// `AWS_ENDPOINT_URL` when set (an emulator such as moto).
    ///
    /// Errors name the missing variable.
    pub fn from_env() -> anyhow::Result<Aws> {
        let var = |n: &str| std::env::var(n).with_context(|| format!("{n} is not set"));
        let credentials = Credentials::new(
            var("AWS_ACCESS_KEY_ID")?,
            var("AWS_SECRET_ACCESS_KEY")?,
            std::env::var("AWS_SESSION_TOKEN").ok(),
            None,
            "lambda-environment",
        );
        let endpoint = std::env::var("AWS_ENDPOINT_URL")
            .ok()
            .filter(|e| !e.is_empty());
        let mut config = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(var("AWS_REGION")?))
            .credentials_provider(SharedCredentialsProvider::new(credentials))
            .http_client(https_client()?);
        config.set_endpoint_url(endpoint.clone());
        let config = config.build();
        Ok(Aws {
            config,
            emulated: endpoint.is_some(),
        })
    }

    /// Wraps a configuration loaded some other way (the `hisaab` command's
    /// `aws-config` chain, the tests' moto settings). Build it with
    /// [`https_client`] as its HTTP client.
    pub fn from_sdk_config(config: SdkConfig) -> Aws {
        let emulated = config.endpoint_url().is_some();
        Aws { config, emulated }
    }

    /// The configuration.
    pub fn config(&self) -> &SdkConfig {
        &self.config
    }

    /// A DynamoDB client.
    pub fn dynamodb(&self) -> aws_sdk_dynamodb::Client {
        aws_sdk_dynamodb::Client::new(&self.config)
    }

    /// An SNS client (SMS).
    pub fn sns(&self) -> aws_sdk_sns::Client {
        aws_sdk_sns::Client::new(&self.config)
    }

    /// An SES v2 client (mail).
    pub fn sesv2(&self) -> aws_sdk_sesv2::Client {
        aws_sdk_sesv2::Client::new(&self.config)
    }

    /// An S3 client; path-style addressing against an emulator.
    pub fn s3(&self) -> aws_sdk_s3::Client {
        aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&self.config)
                .force_path_style(self.emulated)
                .build(),
        )
    }

    /// The value of an SSM Parameter Store parameter, decrypted (a
    /// SecureString such as the signing key).
    pub async fn parameter(&self, name: &str) -> anyhow::Result<String> {
        aws_sdk_ssm::Client::new(&self.config)
            .get_parameter()
            .name(name)
            .with_decryption(true)
            .send()
            .await
            .with_context(|| format!("reading SSM parameter {name}"))?
            .parameter
            .and_then(|p| p.value)
            .with_context(|| format!("SSM parameter {name} has no value"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_amazon_roots_are_five_valid_trust_anchors() {
        let mut store = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(AMAZON_ROOTS_PEM.as_bytes()) {
            store.add(cert.unwrap()).unwrap();
        }
        assert_eq!(store.len(), 5);
    }
}
