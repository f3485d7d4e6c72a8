//! An HTTPS server for tests: any axum router, served on 127.0.0.1 with an ephemeral port and a
//! certificate issued by a throw-away CA made for the test.

use std::path::PathBuf;

use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// A running HTTPS server.
pub struct HttpsServer {
    /// `https://127.0.0.1:PORT` (the certificate also names `localhost`).
    pub url: String,
    /// The PEM file of the CA that issued the server's certificate.
    pub ca_file: PathBuf,
    _dir: tempfile::TempDir,
}

/// Serves `router` over HTTPS for the rest of the test (on the current Tokio runtime).
///
/// # Panics
///
/// When the certificate cannot be made or the port cannot be bound (a test set-up failure).
pub async fn serve_https(router: axum::Router) -> HttpsServer {
    let ca_key = rcgen::KeyPair::generate().expect("CA key");
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, "pact-rs test CA");
    let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).expect("CA certificate");
    let key = rcgen::KeyPair::generate().expect("server key");
    let params = rcgen::CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .expect("server params");
    let cert = params.signed_by(&key, &ca).expect("server certificate");

    let dir = tempfile::tempdir().expect("temp dir");
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca.pem()).expect("write the CA file");

    let chain = vec![cert.der().clone(), CertificateDer::from(ca.der().to_vec())];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let config =
        ServerConfig::builder().with_no_client_auth().with_single_cert(chain, key).expect("TLS config");
    let acceptor = TlsAcceptor::from(std::sync::Arc::new(config));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let url = format!("https://{}", listener.local_addr().expect("local address"));
    tokio::spawn(async move {
        let _ = axum::serve(TlsListener { inner: listener, acceptor }, router).await;
    });
    HttpsServer { url, ca_file, _dir: dir }
}

struct TlsListener {
    inner: tokio::net::TcpListener,
    acceptor: TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, addr)) = self.inner.accept().await else { continue };
            // A client that rejects the certificate fails the handshake; wait for the next one.
            if let Ok(tls) = self.acceptor.accept(stream).await {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}
