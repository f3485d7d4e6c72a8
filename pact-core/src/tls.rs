//! HTTPS for the verifier and the broker client: how the HTTP clients check certificates.
//!
//! Every HTTP client the verifier and the broker client build comes from
//! [`TlsOptions::client_builder`], so that one set of options applies to providers, pact URLs and
//! brokers alike.
//!
//! - TLS is rustls (no OpenSSL), with the aws-lc-rs crypto provider that reqwest ships with
//!   (so a `reqwest::Client` built anywhere else in the same program keeps working).
//! - **Roots**: the operating system's trust store, through rustls-platform-verifier (on Linux it
//!   reads the system bundle, honouring `SSL_CERT_FILE` and `SSL_CERT_DIR`). We chose it over
//!   webpki-roots, a copy of Mozilla's roots compiled in, because a company CA installed on the
//!   machine is then trusted as every other tool on it trusts it.
//! - **Extra CAs**: [`TlsOptions::ca_files`] adds PEM certificates to those roots (`--cacert` on
//!   the command line), for a broker or provider behind a private CA or with a self-signed
//!   certificate.
//! - **No verification**: [`TlsOptions::disable_verification`] accepts any certificate
//!   (`--disable-ssl-verification`). Only for tests.
//!
//! ```
//! use pact_core::tls::TlsOptions;
//!
//! let client = TlsOptions::default().client_builder().unwrap().build().unwrap();
//! # drop(client);
//! let err = TlsOptions { ca_files: vec!["no/such/ca.pem".into()], ..TlsOptions::default() }
//!     .client_builder()
//!     .unwrap_err();
//! assert!(err.to_string().starts_with("no/such/ca.pem: cannot read the CA certificate file"));
//! ```

use std::path::PathBuf;

/// How HTTPS certificates are checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// PEM files of CA certificates to trust beside the system's roots.
    pub ca_files: Vec<PathBuf>,
    /// Accept any certificate, valid or not. Only for tests.
    pub disable_verification: bool,
}

/// Why the HTTP client could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A CA file could not be read.
    #[error("{}: cannot read the CA certificate file: {source}", file.display())]
    Read {
        /// The file.
        file: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A CA file holds no usable certificate.
    #[error("{}: expected PEM certificates (-----BEGIN CERTIFICATE-----), found {found}", file.display())]
    InvalidCertificate {
        /// The file.
        file: PathBuf,
        /// What was found instead.
        found: String,
    },
    /// The HTTP client could not be built with these options.
    #[error("cannot set up the HTTPS client: {0}")]
    Client(String),
}

/// The largest CA file read (a system bundle is about 200 KiB).
const MAX_CA_FILE: u64 = 8 << 20;

impl TlsOptions {
    /// Options that trust the system's roots and these extra CA files.
    pub fn with_ca_files(ca_files: impl IntoIterator<Item = PathBuf>) -> Self {
        TlsOptions { ca_files: ca_files.into_iter().collect(), disable_verification: false }
    }

    /// A reqwest client builder with these options applied and proxies off (the tools talk to
    /// the hosts they are given).
    pub fn client_builder(&self) -> Result<reqwest::ClientBuilder, TlsError> {
        let mut builder = reqwest::Client::builder().no_proxy();
        let mut certificates = Vec::new();
        for file in &self.ca_files {
            certificates.extend(read_ca_file(file)?);
        }
        if !certificates.is_empty() {
            builder = builder.tls_certs_merge(certificates);
        }
        if self.disable_verification {
            tracing::warn!("TLS certificate verification is disabled");
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        Ok(builder)
    }

    /// A client with these options, built by `configure` from [`client_builder`](Self::client_builder).
    pub fn build_client(
        &self,
        configure: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
    ) -> Result<reqwest::Client, TlsError> {
        configure(self.client_builder()?).build().map_err(|e| TlsError::Client(describe(&e)))
    }

    /// A client for calls that never leave the origin of `url` (a provider's base URL whose
    /// redirects are kept within it, a state-change URL that follows no redirect), built by
    /// `configure` from [`client_builder`](Self::client_builder).
    ///
    /// For an `http` origin the operating system's trust store is not read: such a client never
    /// speaks TLS, and reading the store costs about 20 ms of CPU per client. Its only roots are
    /// the extra CA files (still read, so a wrong `--cacert` is reported at once), so an `https`
    /// URL sent through it by mistake fails its certificate check instead of being trusted. For
    /// an `https` origin this is [`build_client`](Self::build_client).
    ///
    /// ```
    /// use pact_core::tls::TlsOptions;
    ///
    /// let url = reqwest::Url::parse("http://127.0.0.1:5001").unwrap();
    /// let client = TlsOptions::default().build_client_for_origin(&url, |b| b).unwrap();
    /// # drop(client);
    /// ```
    pub fn build_client_for_origin(
        &self,
        url: &reqwest::Url,
        configure: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
    ) -> Result<reqwest::Client, TlsError> {
        let mut builder = self.client_builder()?;
        if url.scheme() == "http" {
            builder = builder.tls_certs_only(Vec::new());
        }
        configure(builder).build().map_err(|e| TlsError::Client(describe(&e)))
    }
}

fn read_ca_file(file: &PathBuf) -> Result<Vec<reqwest::Certificate>, TlsError> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(MAX_CA_FILE + 1).read_to_end(&mut bytes))
        .map_err(|source| TlsError::Read { file: file.clone(), source })?;
    if bytes.len() as u64 > MAX_CA_FILE {
        return Err(TlsError::InvalidCertificate {
            file: file.clone(),
            found: format!("a file larger than {MAX_CA_FILE} bytes"),
        });
    }
    let text = String::from_utf8_lossy(&bytes);
    if !text.contains("-----BEGIN CERTIFICATE-----") {
        let first = text.lines().next().unwrap_or_default().chars().take(40).collect::<String>();
        return Err(TlsError::InvalidCertificate { file: file.clone(), found: format!("{first:?}") });
    }
    let certificates = reqwest::Certificate::from_pem_bundle(&bytes).map_err(|e| {
        TlsError::InvalidCertificate { file: file.clone(), found: format!("an unreadable certificate ({e})") }
    })?;
    if certificates.is_empty() {
        return Err(TlsError::InvalidCertificate { file: file.clone(), found: "no certificate".into() });
    }
    Ok(certificates)
}

fn describe(error: &reqwest::Error) -> String {
    let mut cause = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    cause
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_certificates_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ca.pem");
        std::fs::write(&file, "not a certificate\n").unwrap();
        let err = TlsOptions::with_ca_files([file.clone()]).client_builder().unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}: expected PEM certificates (-----BEGIN CERTIFICATE-----), found \"not a certificate\"",
                file.display()
            )
        );
    }
}
