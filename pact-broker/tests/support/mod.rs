//! Shared by the broker's integration tests: a fresh database per test on either backend, a
//! real `pact-broker` process on 127.0.0.1 with an ephemeral port, and a small HTTP client.
//!
//! PostgreSQL comes from `PACT_BROKER_TEST_DATABASE_URL` (`scripts/test.sh` and `.ci/run`
//! start a throwaway cluster and set it). Each test creates its own database in it, so tests
//! run in parallel and under nextest. Without the variable a PostgreSQL test panics, naming the
//! script: it never skips.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file in a temporary directory.
    Sqlite,
    /// A fresh database in the test cluster.
    Postgres,
}

/// A database of its own for one test.
pub struct Database {
    /// The `--database-url` to give the broker.
    pub url: String,
    /// The backend.
    pub backend: Backend,
    /// Keeps the SQLite directory alive.
    pub dir: Option<tempfile::TempDir>,
}

impl Database {
    /// The SQLite file, for SQLite databases.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.path().join("broker.sqlite"))
    }
}

/// The test cluster's URL.
pub fn postgres_url() -> String {
    std::env::var("PACT_BROKER_TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "PACT_BROKER_TEST_DATABASE_URL is not set: run the tests with `bash scripts/test.sh` (or \
             `bash scripts/postgres.sh run cargo test -p pact-broker`), which start a throwaway PostgreSQL"
        )
    })
}

/// A fresh, empty database on `backend`.
pub async fn fresh_database(backend: Backend) -> Database {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let url = dir.path().join("broker.sqlite").display().to_string();
            Database { url, backend, dir: Some(dir) }
        }
        Backend::Postgres => {
            use sqlx::Connection;
            let admin = postgres_url();
            let name = format!("pact_broker_test_{}", uuid::Uuid::new_v4().simple());
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .unwrap_or_else(|e| panic!("cannot connect to {admin} (started by scripts/test.sh): {e}"));
            sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut conn).await.unwrap();
            let _ = conn.close().await;
            let mut url = url::Url::parse(&admin).unwrap();
            url.set_path(&name);
            Database { url: url.to_string(), backend, dir: None }
        }
    }
}

/// A running `pact-broker` process, killed when dropped.
pub struct Broker {
    /// The process.
    pub child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    stderr: Arc<Mutex<String>>,
}

/// How long a broker may take to start.
const START_TIMEOUT: Duration = Duration::from_secs(60);

impl Broker {
    /// Starts a broker on `database` with extra flags.
    pub fn start(database: &Database, args: &[&str]) -> Broker {
        Broker::start_in(database, args, None)
    }

    /// Starts a broker with extra flags, in `cwd` when given.
    pub fn start_in(database: &Database, args: &[&str], cwd: Option<&Path>) -> Broker {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pact-broker"));
        command.args(["--port", "0", "--database-url", &database.url]).args(args);
        Broker::spawn(command, cwd)
    }

    /// Starts `command` (a `pact-broker` command line) and waits for its address.
    pub fn spawn(mut command: Command, cwd: Option<&Path>) -> Broker {
        let explicit: Vec<std::ffi::OsString> = command.get_envs().map(|(k, _)| k.to_os_string()).collect();
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("PACT_BROKER_") && !explicit.contains(&key) {
                command.env_remove(key);
            }
        }
        if let Some(dir) = cwd {
            command.current_dir(dir);
        }
        command.env("RUST_LOG", "warn").stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command.spawn().expect("cannot start pact-broker");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        });
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = tx.send(line);
            }
            for _ in lines {}
        });
        let line = match rx.recv_timeout(START_TIMEOUT) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("pact-broker did not start: {}", stderr.lock().unwrap());
            }
        };
        let url = line
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}: {}", stderr.lock().unwrap()))
            .to_string();
        Broker { child, url, stderr }
    }

    /// What the broker wrote on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// `url` + `path` (a test-side convenience: the path is given already encoded).
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// Sends a signal (`-TERM`, `-INT`) and waits for the exit status.
    pub fn terminate(mut self, signal: &str) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args([signal, &pid]).status().unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "pact-broker did not stop after {signal}: {}", self.stderr());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the process with SIGKILL (no chance to clean up) and reaps it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A response, with the body parsed as JSON when it is JSON.
#[derive(Debug)]
pub struct Resp {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body text.
    pub text: String,
    /// The body as JSON (`Null` when it is not JSON).
    pub json: Value,
}

impl Resp {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A small HTTP client for the broker.
#[derive(Clone)]
pub struct Client {
    inner: reqwest::Client,
    auth: Option<(String, String)>,
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl Client {
    /// An anonymous client.
    pub fn new() -> Self {
        Client {
            inner: reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap(),
            auth: None,
        }
    }

    /// A client with basic auth.
    pub fn with_auth(user: &str, password: &str) -> Self {
        Client { auth: Some((user.into(), password.into())), ..Client::new() }
    }

    /// Sends a request; `body` is sent as `application/json` (or as given in `headers`).
    pub async fn send(
        &self,
        method: &str,
        url: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request =
            self.inner.request(method, url).header("Accept", "application/hal+json, application/json");
        if let Some((u, p)) = &self.auth {
            request = request.basic_auth(u, Some(p));
        }
        if let Some(body) = body {
            request = request.header("Content-Type", "application/json").body(body.to_string());
        }
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{url}: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp { status, headers, text, json }
    }

    /// Sends raw bytes with a content type.
    pub async fn send_raw(&self, method: &str, url: &str, body: Vec<u8>, content_type: &str) -> Resp {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.inner.request(method, url).header("Content-Type", content_type).body(body);
        if let Some((u, p)) = &self.auth {
            request = request.basic_auth(u, Some(p));
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{url}: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp { status, headers, text, json }
    }

    /// `GET`.
    pub async fn get(&self, url: &str) -> Resp {
        self.send("GET", url, None, &[]).await
    }

    /// `PUT` with a JSON body.
    pub async fn put(&self, url: &str, body: &Value) -> Resp {
        self.send("PUT", url, Some(body), &[]).await
    }

    /// `POST` with a JSON body.
    pub async fn post(&self, url: &str, body: &Value) -> Resp {
        self.send("POST", url, Some(body), &[]).await
    }

    /// `PATCH` with a JSON body.
    pub async fn patch(&self, url: &str, body: &Value) -> Resp {
        self.send("PATCH", url, Some(body), &[]).await
    }

    /// `DELETE`.
    pub async fn delete(&self, url: &str) -> Resp {
        self.send("DELETE", url, None, &[]).await
    }
}

/// Runs the official CLI (`pact …`, see `test_support::official_command`) with a deadline of
/// three minutes, without the caller's `PACT_BROKER_*` settings; returns its output.
pub async fn official(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        let mut command: Command = test_support::official_command();
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("PACT_BROKER_") {
                command.env_remove(key);
            }
        }
        let mut child = command
            .args(&args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(180);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

/// A command's stdout and stderr, for assertions and failure messages.
pub fn text(output: &std::process::Output) -> String {
    format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The demo pact (UserServiceClient → UserService).
pub fn demo_pact() -> Value {
    let text =
        std::fs::read_to_string(workspace().join("tests/pacts/UserServiceClient-UserService.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A small valid pact between `consumer` and `provider` whose content depends on `marker`.
pub fn pact(consumer: &str, provider: &str, marker: &str) -> Value {
    serde_json::json!({
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [{
            "description": format!("a request for {marker}"),
            "request": {"method": "GET", "path": format!("/things/{marker}")},
            "response": {"status": 200, "body": {"marker": marker}}
        }],
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    })
}

/// Percent-encodes one path segment (every byte but unreserved characters).
pub fn enc(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes()).collect::<String>().replace('+', "%20")
}

/// `/pacts/provider/{p}/consumer/{c}/version/{v}`, encoded.
pub fn pact_path(provider: &str, consumer: &str, version: &str) -> String {
    format!("/pacts/provider/{}/consumer/{}/version/{}", enc(provider), enc(consumer), enc(version))
}

/// The body of `POST /contracts/publish` for one pact.
pub fn contracts_body(
    consumer: &str,
    version: &str,
    branch: Option<&str>,
    tags: &[&str],
    pacts: &[&Value],
) -> Value {
    use base64::Engine as _;
    let contracts: Vec<Value> = pacts
        .iter()
        .map(|p| {
            serde_json::json!({
                "consumerName": consumer,
                "providerName": p["provider"]["name"],
                "specification": "pact",
                "contentType": "application/json",
                "content": base64::engine::general_purpose::STANDARD.encode(p.to_string()),
            })
        })
        .collect();
    let mut body = serde_json::json!({
        "pacticipantName": consumer,
        "pacticipantVersionNumber": version,
        "contracts": contracts,
    });
    if let Some(b) = branch {
        body["branch"] = serde_json::json!(b);
    }
    if !tags.is_empty() {
        body["tags"] = serde_json::json!(tags);
    }
    body
}

/// Generates one test per backend for each async test function `name(Backend)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Postgres).await
                }
            )*
        }
    };
}
