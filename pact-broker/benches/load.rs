//! Load benchmark: a real `pact-broker` process (this build's release binary) on 127.0.0.1,
//! driven by 1, 10 and 50 concurrent clients, each sending its next request as soon as the
//! previous one was answered. It reports p50, p99 and the throughput of:
//!
//! - **publish**: `POST /contracts/publish` of a two-interaction pact, each one a new consumer
//!   version (on `main`, with a tag) with new content, so that every publish stores a version,
//!   a branch, a tag, new pact content and a publication;
//! - **for-verification**: `POST /pacts/provider/{p}/for-verification` with the usual selectors
//!   (`mainBranch`, `deployedOrReleased`) and pending status, over 10 consumers with 20 versions
//!   each, a few deployed. The same query again is answered from the broker's response cache
//!   (valid until the next write);
//! - **for-verif-uncached**: the same query from a new provider branch each time, which the
//!   cache cannot answer: the cost of computing the answer.
//!
//! on SQLite (a file in a temporary directory, `synchronous = FULL`, the default) and on
//! PostgreSQL, and the broker's peak RSS (and SQLite's WAL size) at the end of each backend's
//! rows. The column `broker µs` is the broker process's CPU time (every thread, user and
//! system) per request during the row: it moves much less than the throughput when the
//! machine's cores are shared with the clients, so it is the figure to compare two builds by
//! (on PostgreSQL it leaves out the database server's own CPU). `client µs` is the same for
//! this process, the clients, which share the broker's cores. The request bodies are built
//! before each row's clock starts. PostgreSQL is
//! `PACT_BROKER_TEST_DATABASE_URL` (a fresh database is created in it); without it, the
//! benchmark starts a throwaway cluster with `scripts/postgres.sh` (with `PACT_PG_DURABLE=1`, so
//! fsync stays on) and stops it at the end.
//!
//! ```text
//! cargo bench -p pact-broker --bench load                 # both backends
//! cargo bench -p pact-broker --bench load -- sqlite publish   # one backend, one operation
//! PACT_BENCH_REQUESTS=400 cargo bench -p pact-broker --bench load
//! PACT_BENCH_BROKER_LOG=sqlx::query=debug cargo bench ...   # the broker's RUST_LOG (to stderr)
//! PACT_BENCH_BROKER_BIN=/tmp/old/pact-broker cargo bench ...  # another build of the broker
//! PACT_BENCH_CLIENTS=50 cargo bench ...                   # only the rows with 50 clients
//! PACT_BENCH_BROKER_ARGS="--sqlite-synchronous normal" cargo bench ...  # more broker flags
//! PACT_BENCH_CLIENT_THREADS=1 cargo bench ...             # the clients' runtime threads
//! PACT_BENCH_SEED_VERSIONS=2000 cargo bench ...            # versions per consumer before the rows (20)
//! ```

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

/// Client counts, to show how latency grows with concurrency.
const CLIENTS: &[usize] = &[1, 10, 50];

fn main() {
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let chosen = |names: &[&str]| -> Vec<String> {
        let named: Vec<String> =
            names.iter().filter(|n| filter.iter().any(|f| f == *n)).map(|n| n.to_string()).collect();
        if named.is_empty() {
            names.iter().map(|n| n.to_string()).collect()
        } else {
            named
        }
    };
    let backends = chosen(&["sqlite", "postgres"]);
    let operations = chosen(&["for-verification", "for-verif-uncached", "publish"]);
    let wanted = |name: &str| backends.iter().any(|b| b == name);
    let requests: usize =
        std::env::var("PACT_BENCH_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    // PACT_BENCH_CLIENT_THREADS: the clients' runtime threads (tokio's default: one per core).
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if let Some(threads) = std::env::var("PACT_BENCH_CLIENT_THREADS").ok().and_then(|v| v.parse().ok()) {
        builder.worker_threads(threads);
    }
    let runtime = builder.enable_all().build().expect("runtime");
    println!(
        "pact-broker load benchmark: {requests} requests per row after a warm-up; load average {}",
        load_average()
    );
    println!(
        "{:<10} {:<18} {:>7} {:>9} {:>9} {:>9} {:>9} {:>11} {:>11}",
        "backend", "operation", "clients", "p50 ms", "p99 ms", "max ms", "req/s", "broker µs", "client µs"
    );
    if wanted("sqlite") {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = dir.path().join("bench.sqlite").display().to_string();
        runtime.block_on(run("sqlite", &database, requests, &operations));
    }
    if wanted("postgres") {
        let (url, cluster) = postgres();
        let database = runtime.block_on(fresh_postgres_database(&url));
        runtime.block_on(run("postgres", &database, requests, &operations));
        if let Some(dir) = cluster {
            let _ = Command::new("bash")
                .arg(workspace().join("scripts/postgres.sh"))
                .args(["stop", &dir])
                .status();
        }
    }
    println!("load average after the run: {}", load_average());
}

/// `CLIENTS`, or the comma-separated counts in `PACT_BENCH_CLIENTS`.
fn client_counts() -> Vec<usize> {
    match std::env::var("PACT_BENCH_CLIENTS") {
        Ok(list) => list.split(',').map(|n| n.trim().parse().expect("PACT_BENCH_CLIENTS: numbers")).collect(),
        Err(_) => CLIENTS.to_vec(),
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf()
}

/// The PostgreSQL server to use, and the data directory of a cluster this run started.
fn postgres() -> (String, Option<String>) {
    if let Some(url) = std::env::var("PACT_BROKER_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        return (url, None);
    }
    let output = Command::new("bash")
        .arg(workspace().join("scripts/postgres.sh"))
        .arg("start")
        .env("PACT_PG_DURABLE", "1")
        .stderr(Stdio::inherit())
        .output()
        .expect("bash scripts/postgres.sh start");
    assert!(output.status.success(), "scripts/postgres.sh start failed");
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let dir = text.lines().find_map(|l| l.strip_prefix("dir: ")).map(str::to_string);
    let url = text.lines().last().expect("postgres URL").to_string();
    (url, dir)
}

async fn fresh_postgres_database(admin: &str) -> String {
    use sqlx::Connection;
    let name = format!("pact_broker_bench_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(admin).await.expect("connect to PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut conn).await.expect("create database");
    let _ = conn.close().await;
    let mut url = url::Url::parse(admin).expect("PostgreSQL URL");
    url.set_path(&name);
    url.to_string()
}

/// A `pact-broker` process, killed when dropped.
struct Broker {
    child: Child,
    url: String,
}

impl Broker {
    fn start(database: &str) -> Broker {
        // PACT_BENCH_BROKER_BIN runs another build of the broker (to compare two builds).
        let binary = std::env::var("PACT_BENCH_BROKER_BIN")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_pact-broker").into());
        let mut command = Command::new(binary);
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("PACT_BROKER_") {
                command.env_remove(key);
            }
        }
        // PACT_BENCH_BROKER_ARGS adds flags (whitespace-separated), such as
        // `--sqlite-synchronous normal`.
        let extra = std::env::var("PACT_BENCH_BROKER_ARGS").unwrap_or_default();
        let mut child = command
            .args(["--port", "0", "--database-url", database])
            .args(extra.split_whitespace())
            .env("RUST_LOG", std::env::var("PACT_BENCH_BROKER_LOG").unwrap_or_else(|_| "warn".into()))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start pact-broker");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("listening on ") {
                    let _ = tx.send(url.to_string());
                }
            }
        });
        let url = rx.recv_timeout(Duration::from_secs(60)).expect("pact-broker did not start");
        eprintln!("pact-broker pid {} at {url}", child.id());
        Broker { child, url }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn pact(consumer: &str, marker: &str) -> Value {
    json!({
        "consumer": {"name": consumer},
        "provider": {"name": "Provider"},
        "interactions": [
            {
                "description": format!("a request for user {marker}"),
                "providerStates": [{"name": "the user exists"}],
                "request": {"method": "GET", "path": format!("/users/{marker}")},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": "application/json"},
                    "body": {"name": marker, "id": "fc763eba-0905-41c5-a27f-3934ab26786c", "admin": false},
                    "matchingRules": {"body": {"$.id": {"matchers": [{"match": "regex", "regex": "^[0-9a-f-]{36}$"}]}}}
                }
            },
            {
                "description": "a request for a missing user",
                "providerStates": [{"name": "the user does not exist"}],
                "request": {"method": "GET", "path": "/users/nobody"},
                "response": {"status": 404}
            }
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    })
}

fn publish_body(consumer: &str, version: &str, marker: &str) -> String {
    let content = base64::engine::general_purpose::STANDARD.encode(pact(consumer, marker).to_string());
    json!({
        "pacticipantName": consumer,
        "pacticipantVersionNumber": version,
        "branch": "main",
        "tags": ["main"],
        "buildUrl": "https://ci.example/builds/1",
        "contracts": [{
            "consumerName": consumer, "providerName": "Provider", "specification": "pact",
            "contentType": "application/json", "content": content,
        }],
    })
    .to_string()
}

const FOR_VERIFICATION: &str = r#"{"consumerVersionSelectors":[{"mainBranch":true},{"deployedOrReleased":true}],"providerVersionBranch":"main","includePendingStatus":true}"#;

async fn send(http: &reqwest::Client, url: &str, body: String) -> Duration {
    let started = Instant::now();
    let response = http
        .post(url)
        .header("Content-Type", "application/json")
        .header("Accept", "application/hal+json")
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    let status = response.status();
    let text = response.text().await.expect("response body");
    assert!(status.is_success(), "{url}: {status} {text}");
    started.elapsed()
}

/// 10 consumers with 20 versions each (`PACT_BENCH_SEED_VERSIONS`) on `main`, the newest of
/// each deployed to production.
async fn seed(http: &reqwest::Client, broker: &Broker) {
    let versions: usize =
        std::env::var("PACT_BENCH_SEED_VERSIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(20).max(1);
    let created = http
        .post(format!("{}/environments", broker.url))
        .header("Content-Type", "application/json")
        .body(json!({"name": "production", "production": true}).to_string())
        .send()
        .await
        .expect("create environment");
    let environment: Value = serde_json::from_str(&created.text().await.expect("environment")).expect("JSON");
    let uuid = environment["uuid"].as_str().expect("uuid").to_string();
    for c in 0..10 {
        let consumer = format!("Seed{c}");
        for v in 0..versions {
            send(
                http,
                &format!("{}/contracts/publish", broker.url),
                publish_body(&consumer, &format!("1.{v}"), &format!("{c}-{v}")),
            )
            .await;
        }
        let deploy = format!(
            "{}/pacticipants/{consumer}/versions/1.{}/deployed-versions/environment/{uuid}",
            broker.url,
            versions - 1
        );
        let response = http
            .post(deploy)
            .header("Content-Type", "application/json")
            .body("{}")
            .send()
            .await
            .expect("deploy");
        assert!(response.status().is_success());
    }
}

#[derive(Clone, Copy)]
enum Operation {
    Publish,
    ForVerification,
    /// The same query from a new provider branch each time: never answered from the cache.
    ForVerificationUncached,
}

impl Operation {
    fn name(self) -> &'static str {
        match self {
            Operation::Publish => "publish",
            Operation::ForVerification => "for-verification",
            Operation::ForVerificationUncached => "for-verif-uncached",
        }
    }
}

/// Runs `requests` requests from `clients` clients in closed loops; returns every latency and
/// the wall time.
async fn measure(
    http: &reqwest::Client,
    broker: &Broker,
    op: Operation,
    clients: usize,
    requests: usize,
    round: usize,
) -> (Vec<Duration>, Duration) {
    let per_client = requests.div_ceil(clients);
    let base = &broker.url;
    // The request bodies are built before the clock starts: the client's own JSON and base64
    // work is not the broker's latency, and on this machine the client shares its two cores.
    let bodies: Vec<Vec<(String, String)>> = (0..clients)
        .map(|client| (0..per_client).map(|i| request(op, base, round, client, i)).collect())
        .collect();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for requests in bodies {
        let http = http.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(requests.len());
            for (url, body) in requests {
                latencies.push(send(&http, &url, body).await);
            }
            latencies
        }));
    }
    let mut all = Vec::with_capacity(per_client * clients);
    for task in tasks {
        all.extend(task.await.expect("client task"));
    }
    (all, started.elapsed())
}

/// The URL and body of request `i` of `client` in `round`.
fn request(op: Operation, base: &str, round: usize, client: usize, i: usize) -> (String, String) {
    match op {
        Operation::Publish => {
            let consumer = format!("Consumer{}", client % 10);
            let version = format!("{round}.{client}.{i}");
            (format!("{base}/contracts/publish"), publish_body(&consumer, &version, &version))
        }
        Operation::ForVerification => {
            (format!("{base}/pacts/provider/Provider/for-verification"), FOR_VERIFICATION.to_string())
        }
        Operation::ForVerificationUncached => {
            let mut query: Value = serde_json::from_str(FOR_VERIFICATION).expect("JSON");
            query["providerVersionBranch"] = json!(format!("feat-{round}-{client}-{i}"));
            (format!("{base}/pacts/provider/Provider/for-verification"), query.to_string())
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index].as_secs_f64() * 1000.0
}

async fn run(backend: &str, database: &str, requests: usize, operations: &[String]) {
    let broker = Broker::start(database);
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .timeout(Duration::from_secs(120))
        .build()
        .expect("client");
    seed(&http, &broker).await;
    let mut round = 0;
    for op in [Operation::ForVerification, Operation::ForVerificationUncached, Operation::Publish] {
        if !operations.iter().any(|o| o == op.name()) {
            continue;
        }
        for clients in client_counts() {
            round += 1;
            // Warm-up: connections, caches, the database's pages.
            measure(&http, &broker, op, clients, clients * 5, round * 1000).await;
            let broker_before = cpu_ticks(broker.child.id());
            let client_before = cpu_ticks(std::process::id());
            let (mut latencies, wall) = measure(&http, &broker, op, clients, requests, round).await;
            latencies.sort();
            // CPU time (user and system, all threads) per request, of the broker and of this
            // process (the clients): unlike the throughput, it does not move with what else the
            // machine's cores are doing. The clients share the broker's cores here.
            let per_request = |pid: u32, before: Option<u64>| {
                cpu_ticks(pid).zip(before).map_or_else(
                    || "-".to_string(),
                    |(after, before)| {
                        let seconds = (after - before) as f64 / ticks_per_second();
                        format!("{:.0}", seconds * 1e6 / latencies.len() as f64)
                    },
                )
            };
            let broker_cpu = per_request(broker.child.id(), broker_before);
            let client_cpu = per_request(std::process::id(), client_before);
            println!(
                "{:<10} {:<18} {:>7} {:>9.2} {:>9.2} {:>9.2} {:>9.0} {:>11} {:>11}",
                backend,
                op.name(),
                clients,
                percentile(&latencies, 0.50),
                percentile(&latencies, 0.99),
                percentile(&latencies, 1.0),
                latencies.len() as f64 / wall.as_secs_f64(),
                broker_cpu,
                client_cpu
            );
        }
    }
    if let Some(kib) = peak_rss_kib(broker.child.id()) {
        println!("{backend} broker peak RSS: {kib} KiB");
    }
    if let Ok(wal) = std::fs::metadata(format!("{database}-wal")) {
        // It starts over once it holds 4,000 pages: it does not grow with what was written.
        println!("{backend} WAL file: {} KiB", wal.len() / 1024);
    }
}

/// The CPU time a live process has used, user and system, in clock ticks (`/proc/<pid>/stat`).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // utime and stime: fields 14 and 15 of the whole line, 12 and 13 after the name.
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// Clock ticks per second for [`cpu_ticks`] (`getconf CLK_TCK`; 100 on Linux).
fn ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100.0)
}

/// The peak resident set size of a live process (`VmHWM` in `/proc/<pid>/status`), in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
