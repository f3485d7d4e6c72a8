//! A real `pact-broker` process for end-to-end tests: started on 127.0.0.1 with `--port 0` and a
//! SQLite file in a temporary directory (or a PostgreSQL URL), stopped when dropped.

use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How to start the broker.
#[derive(Debug, Clone, Default)]
pub struct BrokerOptions {
    /// Basic auth (read/write user and password).
    pub basic_auth: Option<(String, String)>,
    /// A database URL instead of a fresh SQLite file (PostgreSQL).
    pub database_url: Option<String>,
}

/// A running `pact-broker`.
pub struct PactBroker {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    child: Child,
    stderr: PathBuf,
    _dir: tempfile::TempDir,
}

/// The `pact-broker` binary beside the running test's own build (`target/debug/pact-broker`).
///
/// # Panics
///
/// When it is not there, with the command that builds it.
pub fn binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    // target/debug/deps/<test> -> target/debug/pact-broker
    let dir = exe.parent().and_then(|d| if d.ends_with("deps") { d.parent() } else { Some(d) });
    let path = dir.map(|d| d.join("pact-broker")).unwrap_or_default();
    assert!(
        path.is_file(),
        "the pact-broker binary is not at {}; build it with `cargo build -p pact-broker` \
         (`cargo test --workspace` and scripts/test.sh build it)",
        path.display()
    );
    path
}

impl PactBroker {
    /// Starts a broker with an empty SQLite database.
    pub fn start() -> PactBroker {
        Self::start_with(BrokerOptions::default())
    }

    /// Starts a broker.
    ///
    /// # Panics
    ///
    /// When it does not start within 60 seconds, with its stderr.
    pub fn start_with(options: BrokerOptions) -> PactBroker {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = options
            .database_url
            .clone()
            .unwrap_or_else(|| dir.path().join("broker.sqlite").display().to_string());
        let stderr_path = dir.path().join("broker.err");
        let stderr = std::fs::File::create(&stderr_path).expect("broker stderr file");
        let mut command = Command::new(binary());
        command.args(["--host", "127.0.0.1", "--port", "0", "--database-url", &database]);
        // The broker reads PACT_BROKER_* settings; the test's own must not leak into it.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("PACT_BROKER_") {
                command.env_remove(key);
            }
        }
        command.env("PACT_BROKER_LOG_LEVEL", "warn");
        if let Some((user, password)) = &options.basic_auth {
            command.args(["--basic-auth-username", user, "--basic-auth-password", password]);
        }
        let mut child = command.stdout(Stdio::piped()).stderr(stderr).spawn().expect("start pact-broker");
        let stdout = child.stdout.take().expect("broker stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("listening on ") {
                    let _ = tx.send(url.trim().to_string());
                }
            }
        });
        let url = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "pact-broker did not say where it listens within 60 s: {}",
                    std::fs::read_to_string(&stderr_path).unwrap_or_default()
                );
            }
        };
        PactBroker { url, child, stderr: stderr_path, _dir: dir }
    }

    /// What the broker wrote on stderr so far (its logs), for failure messages.
    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }
}

impl Drop for PactBroker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The PostgreSQL URL for broker tests: `PACT_BROKER_TEST_DATABASE_URL`.
///
/// # Panics
///
/// When it is not set, with the command that starts a throw-away PostgreSQL and sets it.
pub fn postgres_url() -> String {
    std::env::var("PACT_BROKER_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| {
        panic!(
            "PACT_BROKER_TEST_DATABASE_URL is not set; run the tests under `bash scripts/postgres.sh run cargo test ...` \
             (scripts/test.sh and .ci/run do)"
        )
    })
}

/// A fresh, empty database in the test cluster ([`postgres_url`]), created with `psql` (on PATH
/// or in `/usr/lib/postgresql/*/bin`); returns its URL. For tests whose pacticipant names would
/// meet other tests' data in the shared database.
///
/// # Panics
///
/// When the cluster is not configured, or `psql` is missing or fails, with its output.
pub fn fresh_postgres_url() -> String {
    let admin = postgres_url();
    let name = format!(
        "pact_e2e_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    );
    let psql = std::fs::read_dir("/usr/lib/postgresql")
        .ok()
        .and_then(|versions| {
            let mut found: Vec<PathBuf> =
                versions.flatten().map(|v| v.path().join("bin/psql")).filter(|p| p.is_file()).collect();
            found.sort();
            found.pop()
        })
        .unwrap_or_else(|| PathBuf::from("psql"));
    let output = Command::new(&psql)
        .args([admin.as_str(), "-v", "ON_ERROR_STOP=1", "-c", &format!("CREATE DATABASE \"{name}\"")])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e} (bash scripts/postgres.sh install)", psql.display()));
    assert!(
        output.status.success(),
        "psql could not create {name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The admin URL ends with its database name (`…/postgres`): replace it.
    match admin.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("unexpected database URL {admin}"),
    }
}
