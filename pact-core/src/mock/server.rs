//! The HTTP side of the mock provider: a server of its own for each mock, on `127.0.0.1` with an
//! ephemeral port, started at once and stopped when dropped.
//!
//! Every server runs on one background thread (a Tokio runtime started on first use), not on
//! the test's thread or runtime. So a sync test, a `#[tokio::test]` and a client that blocks all
//! reach it, and there is no pool to run out of: a test can hold as many mocks as it likes, and
//! as many tests as the machine runs at once.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::runtime::Handle;
use tokio::task::{AbortHandle, JoinSet};

use crate::model::{parse_query_string, Body, Headers, Request};

/// The largest request body the mock reads; a larger one is refused with a `413`.
pub(crate) const MAX_BODY_BYTES: usize = 16 << 20;

/// A request as the mock received it; `problem` says why it could not be read in full.
pub(crate) struct Arrival {
    pub request: Request,
    pub problem: Option<String>,
}

/// The answer to a request.
pub(crate) struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What answers the requests of one server.
pub(crate) type Handler = Arc<dyn Fn(Arrival) -> Reply + Send + Sync>;

/// A running server; dropping it stops it and closes its connections.
pub(crate) struct Server {
    addr: SocketAddr,
    task: AbortHandle,
}

impl Server {
    /// Starts a server on `127.0.0.1` with an ephemeral port.
    pub(crate) fn start(handler: Handler) -> std::io::Result<Server> {
        let handle = runtime()?;
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let listener = {
            let _context = handle.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let task = handle.spawn(accept(listener, handler));
        Ok(Server { addr, task: task.abort_handle() })
    }

    /// The address it listens on.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Aborting the accept loop drops its set of connections, which aborts each of them.
        self.task.abort();
    }
}

/// The runtime every mock server runs on: one thread, started on first use, for the life of the
/// process.
fn runtime() -> std::io::Result<&'static Handle> {
    static RUNTIME: OnceLock<Result<Handle, String>> = OnceLock::new();
    let started = RUNTIME.get_or_init(|| {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("pact-mock-provider".into())
            .spawn(move || match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => {
                    let _ = sender.send(Ok(runtime.handle().clone()));
                    runtime.block_on(std::future::pending::<()>());
                }
                Err(e) => {
                    let _ = sender.send(Err(format!("cannot start the mock provider's runtime: {e}")));
                }
            })
            .map_err(|e| format!("cannot start the mock provider's thread: {e}"))?;
        receiver.recv().map_err(|_| "the mock provider's thread ended at start".to_string())?
    });
    started.as_ref().map_err(|e| std::io::Error::other(e.clone()))
}

async fn accept(listener: tokio::net::TcpListener, handler: Handler) {
    let mut connections = JoinSet::new();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, most likely: wait for some to be freed.
                tracing::warn!(error = %e, "the mock provider cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        // Forget the connections that ended, so that the set stays as small as the open ones.
        while connections.try_join_next().is_some() {}
        let handler = handler.clone();
        connections.spawn(async move {
            let service = service_fn(move |request| {
                let handler = handler.clone();
                async move { Ok::<_, Infallible>(answer(request, &handler).await) }
            });
            let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

async fn answer(request: hyper::Request<Incoming>, handler: &Handler) -> hyper::Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let (bytes, problem) = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => (collected.to_bytes(), None),
        Err(e) => {
            let why = if e.is::<http_body_util::LengthLimitError>() {
                format!("its body is larger than {MAX_BODY_BYTES} bytes")
            } else {
                format!("its body could not be read: {e}")
            };
            (Bytes::new(), Some(why))
        }
    };
    let mut headers = Headers::new();
    for (name, value) in &parts.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        headers.append(name.as_str(), value);
    }
    let content_type = headers.content_type().map(str::to_string);
    let request = Request {
        method: parts.method.as_str().to_ascii_uppercase(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(parse_query_string).filter(|q| !q.is_empty()),
        headers: Some(headers),
        body: Body::from_bytes(&bytes, content_type.as_deref()),
        ..Request::default()
    };
    let reply = handler(Arrival { request, problem });
    to_response(reply)
}

fn to_response(reply: Reply) -> hyper::Response<Full<Bytes>> {
    let mut response = hyper::Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(reply.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in reply.headers {
        // The contract checks its headers before the test runs; one that HTTP cannot carry is
        // reported there, and left out here.
        if let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value))
        {
            response.headers_mut().append(name, value);
        }
    }
    response
}
