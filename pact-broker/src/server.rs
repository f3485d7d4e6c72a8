//! Running the broker: open the database, bind, log where it listens, serve until SIGTERM or
//! Ctrl-C, then finish the requests in flight and close the database.

use std::future::Future;
use std::io::Write as _;
use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::api::{self, AppState};
use crate::config::Config;
use crate::hal::BaseUrl;
use crate::storage::{Storage, StorageError};

/// Why the broker could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// The database could not be opened or migrated.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The address could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address.
        address: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("server error: {0}")]
    Serve(#[source] std::io::Error),
    /// The HTTP client for webhooks could not be built.
    #[error("cannot set up the webhook HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

/// A broker bound to its address, ready to serve.
#[derive(Debug)]
pub struct Broker {
    listener: TcpListener,
    state: AppState,
    address: SocketAddr,
}

impl Broker {
    /// Opens the database and binds `host:port` (port 0 picks a free one).
    ///
    /// # Errors
    ///
    /// The database cannot be opened, or the address cannot be bound.
    pub async fn bind(config: Config, host: &str, port: u16) -> Result<Self, ServerError> {
        let storage = Storage::connect(&config.database, config.connect).await?;
        let listener = TcpListener::bind((host, port))
            .await
            .map_err(|source| ServerError::Bind { address: format!("{host}:{port}"), source })?;
        let address = listener
            .local_addr()
            .map_err(|source| ServerError::Bind { address: format!("{host}:{port}"), source })?;
        let listen_base = BaseUrl::from_host(&address.to_string())
            .or_else(|| BaseUrl::parse("http://127.0.0.1/").ok())
            .ok_or_else(|| ServerError::Bind {
                address: address.to_string(),
                source: std::io::Error::other("no usable base URL"),
            })?;
        let state = AppState::new(storage, config, listen_base).map_err(ServerError::Http)?;
        Ok(Broker { listener, state, address })
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The URL clients use: `http://127.0.0.1:9292`.
    pub fn url(&self) -> String {
        self.state.listen_base.as_str().to_string()
    }

    /// Installs the sink that receives events after their writes committed.
    pub fn with_events(mut self, events: std::sync::Arc<dyn crate::events::EventSink>) -> Self {
        self.state = self.state.with_events(events);
        self
    }

    /// Serves until `shutdown` completes, then lets requests in flight finish and closes the
    /// database. Webhooks are delivered in the background meanwhile ([`crate::delivery`]).
    ///
    /// # Errors
    ///
    /// The server failed.
    pub async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), ServerError> {
        let storage = self.state.storage.clone();
        let dispatcher = crate::delivery::spawn(storage.clone(), self.state.delivery.clone());
        let router = api::router(self.state);
        let result = axum::serve(self.listener, router).with_graceful_shutdown(shutdown).await;
        // Webhook requests in flight are sent again after their lease expires.
        dispatcher.abort();
        storage.close().await;
        result.map_err(ServerError::Serve)
    }
}

/// A future that resolves on SIGTERM or Ctrl-C (SIGINT). The handlers are installed when
/// this is called, not when the future is first polled, so that a signal sent as soon as the
/// broker says it listens is not lost (or fatal).
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let terminate = signal(SignalKind::terminate());
        let interrupt = signal(SignalKind::interrupt());
        async move {
            match (terminate, interrupt) {
                (Ok(mut terminate), Ok(mut interrupt)) => {
                    tokio::select! {
                        _ = terminate.recv() => tracing::info!("SIGTERM: shutting down"),
                        _ = interrupt.recv() => tracing::info!("SIGINT: shutting down"),
                    }
                }
                _ => {
                    tracing::warn!("cannot install signal handlers; stop the broker with SIGKILL");
                    std::future::pending::<()>().await
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("Ctrl-C: shutting down");
        }
    }
}

/// Runs the broker until SIGTERM or Ctrl-C: prints `listening on http://HOST:PORT` on stdout
/// (the first line, for scripts and tests) once it accepts connections.
///
/// # Errors
///
/// See [`Broker::bind`] and [`Broker::serve`].
pub async fn run(config: Config, host: &str, port: u16) -> Result<(), ServerError> {
    let database = config.database.display();
    let broker = Broker::bind(config, host, port).await?;
    let shutdown = shutdown_signal();
    let url = broker.url();
    tracing::info!(%url, %database, "pact-broker ready");
    println!("listening on {url}");
    let _ = std::io::stdout().flush();
    broker.serve(shutdown).await?;
    tracing::info!("pact-broker stopped");
    Ok(())
}
