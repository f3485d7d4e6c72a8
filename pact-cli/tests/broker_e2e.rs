//! The broker workflow end to end, as a user runs it: our `pact` binary and the official one
//! against a real `pact-broker` process (SQLite in a temporary directory, or PostgreSQL), with
//! the demo service as the provider on an ephemeral loopback port.
//!
//! - the seed's flow: publish 0.1, verify as 0.2 with the seed's flags, can-i-deploy says yes;
//! - `pact verify` from the broker with pact_verifier_cli's flags gives the official verifier's
//!   verdict, for a good and a broken provider;
//! - pending and WIP pacts: a new pact from a feature branch does not fail the provider build
//!   while pending, and the report says why;
//! - a broker that is down, one that answers 500 and then recovers, one that answers 401;
//! - the official `pact broker ...` command lines give the same exit codes with both binaries;
//! - `pact test --publish` publishes nothing when a test fails, and each pact once otherwise;
//! - HTTPS to a broker behind a TLS proxy with `--ssl-certificate`;
//! - the same flow on PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use demo_user_service::{app, AppState, Broken};
use test_support::broker::{BrokerOptions, PactBroker};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn demo_pact() -> String {
    workspace().join("tests/pacts/UserServiceClient-UserService.json").display().to_string()
}

const USER: &str = "pactbroker";
const PASSWORD: &str = "pactbroker";

fn broker() -> PactBroker {
    PactBroker::start_with(BrokerOptions {
        basic_auth: Some((USER.into(), PASSWORD.into())),
        ..Default::default()
    })
}

/// Serves the demo service on 127.0.0.1 with an ephemeral port; returns (base URL, port).
async fn provider(broken: Option<Broken>) -> (String, u16) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app(AppState::broken(broken), true)).await;
    });
    (format!("http://127.0.0.1:{port}"), port)
}

/// Runs a command off the runtime (the provider runs on it), with a 120 s bound.
async fn run(mut command: Command) -> Output {
    command.env("NO_COLOR", "1").env("PACT_DO_NOT_TRACK", "true");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("PACT_BROKER_") {
            command.env_remove(key);
        }
    }
    let child = tokio::task::spawn_blocking(move || command.output().unwrap());
    tokio::time::timeout(std::time::Duration::from_secs(120), child)
        .await
        .expect("the command took over 120 s")
        .unwrap()
}

fn ours(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pact"));
    command.args(args);
    command
}

fn official(args: &[&str]) -> Command {
    let mut command = test_support::official_command();
    command.args(args);
    command
}

fn text(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `--broker-base-url URL -u pactbroker -p pactbroker` (pact-broker-cli's names).
fn auth(url: &str) -> Vec<&str> {
    vec!["--broker-base-url", url, "--broker-username", USER, "--broker-password", PASSWORD]
}

async fn publish(broker: &str, version: &str, extra: &[&str]) {
    let pact = demo_pact();
    let mut args = vec!["publish", pact.as_str(), "--consumer-app-version", version];
    args.extend(auth(broker));
    args.extend(extra);
    let output = run(ours(&args)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
}

/// The seed's flow, with the seed's own `pact-verifier` command line (pact-python 2's flags).
async fn seed_flow(broker: &PactBroker, version_suffix: &str) {
    let (consumer_version, provider_version) =
        (format!("0.1{version_suffix}"), format!("0.2{version_suffix}"));
    publish(&broker.url, &consumer_version, &["--branch", "main"]).await;

    let (service, _) = provider(None).await;
    let pact_url = format!("{}/pacts/provider/UserService/consumer/UserServiceClient/latest", broker.url);
    let output = run(ours(&[
        "verify",
        &format!("--provider-base-url={service}"),
        &format!("--pact-url={pact_url}"),
        &format!("--provider-states-setup-url={service}/_pact/provider_states"),
        "--publish-verification-results",
        "--provider-app-version",
        &provider_version,
        "--pact-broker-url",
        &broker.url,
        "--pact-broker-username",
        USER,
        "--pact-broker-password",
        PASSWORD,
    ]))
    .await;
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{}\n{}", text(&output), broker.logs());
    assert!(out.contains("2 interactions: 2 passed, 0 failed"), "{out}");
    assert!(
        out.contains(&format!(
            "Published the verification result of the pact between UserServiceClient and UserService for UserService {provider_version}"
        )),
        "{out}"
    );

    // The same pact through pacts-for-verification, with pact_verifier_cli's flags.
    let (_, port) = provider(None).await;
    let selector = r#"{"branch": "main"}"#;
    let args =
        verifier_args(&broker.url, port, &["--consumer-version-selectors", selector, "--enable-pending"]);
    let output =
        run(ours(&[&["verify"], &args.iter().map(String::as_str).collect::<Vec<_>>()[..]].concat())).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let out = stdout(&output);
    assert!(out.contains(&format!("latest version from branch 'main' ({consumer_version})")), "{out}");
    assert!(out.contains("2 interactions: 2 passed, 0 failed"), "{out}");

    let mut args = vec!["can-i-deploy", "--pacticipant", "UserServiceClient", "--version", &consumer_version];
    args.extend(auth(&broker.url));
    let output = run(ours(&args)).await;
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(out.contains("Computer says yes \\o/"), "{out}");
    let row = out.lines().find(|l| l.starts_with("UserServiceClient")).unwrap_or_default();
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    assert_eq!(
        cells[..5],
        ["UserServiceClient", consumer_version.as_str(), "UserService", provider_version.as_str(), "true"],
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_seed_flow_on_sqlite_publish_verify_and_can_i_deploy() {
    let broker = broker();
    seed_flow(&broker, "").await;

    // The official can-i-deploy agrees, through the same command line.
    let mut args = vec!["broker", "can-i-deploy", "--pacticipant", "UserServiceClient", "--version", "0.1"];
    args.extend(auth(&broker.url));
    let theirs = run(official(&args)).await;
    assert_eq!(theirs.status.code(), Some(0), "{}", text(&theirs));
    let ours_out = run(ours(&args)).await;
    assert_eq!(ours_out.status.code(), Some(0), "{}", text(&ours_out));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_seed_flow_on_postgresql() {
    let broker = PactBroker::start_with(BrokerOptions {
        basic_auth: Some((USER.into(), PASSWORD.into())),
        database_url: Some(test_support::broker::postgres_url()),
    });
    // The database may be shared with other tests: versions of our own.
    let suffix = format!("-pg{}", std::process::id());
    seed_flow(&broker, &suffix).await;
}

/// `pact verifier` / `pact verify` with pact_verifier_cli's flags, from the broker.
fn verifier_args(broker: &str, port: u16, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> =
        ["-b", broker, "-n", "UserService", "--user", USER, "--password", PASSWORD, "-h", "127.0.0.1", "-p"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    args.push(port.to_string());
    args.push("-s".into());
    args.push(format!("http://127.0.0.1:{port}/_pact/provider_states"));
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_pact_verifier_command_line_gives_the_official_verdict() {
    let broker = broker();
    publish(&broker.url, "1.0", &["--branch", "main"]).await;
    for (broken, expected) in [(None, 0), (Some(Broken::AdminAsString), 1)] {
        let (_, port) = provider(broken).await;
        let version = if broken.is_none() { "2.0.0" } else { "2.0.1-broken" };
        let args = verifier_args(
            &broker.url,
            port,
            &["--publish", "--provider-version", version, "--provider-branch", "main"],
        );
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let theirs = run(official(&[&["verifier"], &args[..]].concat())).await;
        let ours_verify = run(ours(&[&["verify"], &args[..]].concat())).await;
        let ours_verifier = run(ours(&[&["verifier"], &args[..]].concat())).await;
        assert_eq!(theirs.status.code(), Some(expected), "official:\n{}", text(&theirs));
        assert_eq!(ours_verify.status.code(), Some(expected), "ours:\n{}", text(&ours_verify));
        assert_eq!(ours_verifier.status.code(), Some(expected), "ours:\n{}", text(&ours_verifier));
        if broken.is_some() {
            assert!(
                stdout(&ours_verify).contains("$.body.admin: expected a boolean"),
                "{}",
                text(&ours_verify)
            );
        }
    }
    // Our results reached the broker: the matrix has 2.0.0 passing and 2.0.1-broken failing.
    let mut args = vec!["can-i-deploy", "--pacticipant", "UserService", "--version", "2.0.1-broken"];
    args.extend(auth(&broker.url));
    let output = run(ours(&args)).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(stdout(&output).contains("Computer says no"), "{}", text(&output));
}

/// A pact from a feature branch with an interaction the provider does not support yet.
fn feature_pact(dir: &Path) -> String {
    let mut pact: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(demo_pact()).unwrap()).unwrap();
    let mut interaction = pact["interactions"][0].clone();
    interaction["description"] = "a request for the administrators".into();
    // The official verifier calls the state-change URL even for interactions without a state.
    interaction["providerStates"] = serde_json::json!([{"name": "UserA exists and is not an administrator"}]);
    interaction["request"]["path"] = "/admins".into();
    interaction["response"] = serde_json::json!({"status": 200, "body": {"admins": []}});
    pact["interactions"].as_array_mut().unwrap().push(interaction);
    let file = dir.join("UserServiceClient-UserService.json");
    std::fs::write(&file, serde_json::to_string_pretty(&pact).unwrap()).unwrap();
    file.display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pending_pact_from_a_feature_branch_does_not_fail_the_provider_build() {
    pending_and_wip(broker()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pending_pact_from_a_feature_branch_on_postgresql() {
    // A database of its own: pending depends on every verification of the provider branch.
    pending_and_wip(PactBroker::start_with(BrokerOptions {
        basic_auth: Some((USER.into(), PASSWORD.into())),
        database_url: Some(test_support::broker::fresh_postgres_url()),
    }))
    .await;
}

async fn pending_and_wip(broker: PactBroker) {
    let (_, port) = provider(None).await;
    // main: verified by the provider's main branch.
    publish(&broker.url, "1.0", &["--branch", "main"]).await;
    let args = verifier_args(
        &broker.url,
        port,
        &[
            "--consumer-version-selectors",
            r#"{"branch": "main"}"#,
            "--publish",
            "--provider-version",
            "5.0",
            "--provider-branch",
            "main",
        ],
    );
    let output =
        run(ours(&[&["verify"], &args.iter().map(String::as_str).collect::<Vec<_>>()[..]].concat())).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));

    // feat-x: a new interaction the provider fails.
    let dir = tempfile::tempdir().unwrap();
    let file = feature_pact(dir.path());
    let mut publish_args =
        vec!["publish", file.as_str(), "--consumer-app-version", "1.1-feat", "--branch", "feat-x"];
    publish_args.extend(auth(&broker.url));
    let output = run(ours(&publish_args)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));

    // Selected explicitly, without pending: the build fails.
    let strict = verifier_args(
        &broker.url,
        port,
        &["--consumer-version-selectors", r#"{"branch": "feat-x"}"#, "--provider-branch", "main"],
    );
    let strict: Vec<&str> = strict.iter().map(String::as_str).collect();
    let output = run(ours(&[&["verify"], &strict[..]].concat())).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));

    // With pending: the same failure is reported, and does not fail the build; the official
    // verifier agrees.
    let pending = verifier_args(
        &broker.url,
        port,
        &[
            "--consumer-version-selectors",
            r#"{"branch": "feat-x"}"#,
            "--provider-branch",
            "main",
            "--enable-pending",
        ],
    );
    let pending: Vec<&str> = pending.iter().map(String::as_str).collect();
    let html = dir.path().join("report.html");
    let html_arg = html.display().to_string();
    let output = run(ours(&[&["verify"], &pending[..], &["--html", html_arg.as_str()]].concat())).await;
    let out = stdout(&output);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<h2>Pending pacts</h2>"), "{page}");
    assert!(page.contains("<td class=\"pending\">failed (pending)</td>"), "{page}");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        out.contains("a request for the administrators ... FAILED (pending: does not fail the verification)"),
        "{out}"
    );
    assert!(out.contains("Pending pacts:\nThe pact between UserServiceClient and UserService"), "{out}");
    assert!(
        out.contains("is pending: 1 interaction(s) failed, which does not fail the verification."),
        "{out}"
    );
    assert!(out.contains("  Why: "), "{out}");
    let theirs = run(official(&[&["verifier"], &pending[..]].concat())).await;
    assert_eq!(theirs.status.code(), Some(0), "official:\n{}", text(&theirs));

    // WIP: selecting main only, the feature pact comes in as work in progress, pending (WIP
    // needs pending, as the Pact docs say; both verifiers fail the build without it).
    let json = dir.path().join("report.json");
    let wip = verifier_args(
        &broker.url,
        port,
        &[
            "--consumer-version-selectors",
            r#"{"branch": "main"}"#,
            "--provider-branch",
            "main",
            "--enable-pending",
            "--include-wip-pacts-since",
            "2020-01-01",
            "--json",
            json.to_str().unwrap(),
        ],
    );
    let wip: Vec<&str> = wip.iter().map(String::as_str).collect();
    let output = run(ours(&[&["verify"], &wip[..]].concat())).await;
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(out.contains("is work in progress (pending): 1 interaction(s) failed"), "{out}");
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let wip_entries: Vec<&serde_json::Value> =
        report["brokerPacts"].as_array().unwrap().iter().filter(|p| p["wip"] == true).collect();
    assert_eq!(wip_entries.len(), 1, "{report}");
    assert_eq!(wip_entries[0]["pending"], true);
    let theirs = run(official(&[&["verifier"], &wip[..]].concat())).await;
    assert_eq!(theirs.status.code(), Some(0), "official:\n{}", text(&theirs));
    let without_pending: Vec<&str> = wip.iter().copied().filter(|a| *a != "--enable-pending").collect();
    let output = run(ours(&[&["verify"], &without_pending[..]].concat())).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let theirs = run(official(&[&["verifier"], &without_pending[..]].concat())).await;
    assert_eq!(theirs.status.code(), Some(1), "official:\n{}", text(&theirs));
}

/// A proxy to the broker that answers 500 to the first `failures` requests.
async fn flaky_proxy(target: String, failures: usize) -> (String, Arc<AtomicUsize>) {
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    let client = reqwest::Client::new();
    let router = axum::Router::new().fallback(move |request: axum::extract::Request| {
        let (client, target, counter) = (client.clone(), target.clone(), counter.clone());
        async move {
            if counter.fetch_add(1, Ordering::SeqCst) < failures {
                return axum::response::Response::builder()
                    .status(500)
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(r#"{"error": {"message": "the database is restarting"}}"#))
                    .unwrap();
            }
            forward(&client, &target, request).await
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (url, seen)
}

async fn forward(
    client: &reqwest::Client,
    target: &str,
    request: axum::extract::Request,
) -> axum::response::Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 64 << 20).await.unwrap();
    let url = format!("{target}{}", parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"));
    let mut outgoing = client.request(parts.method.as_str().parse().unwrap(), url).body(body.to_vec());
    for (name, value) in &parts.headers {
        if name != "host" {
            outgoing = outgoing.header(name.as_str(), value.as_bytes());
        }
    }
    let answer = outgoing.send().await.unwrap();
    let mut response = axum::response::Response::builder().status(answer.status().as_u16());
    for (name, value) in answer.headers() {
        response = response.header(name.as_str(), value.as_bytes());
    }
    response.body(axum::body::Body::from(answer.bytes().await.unwrap())).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broker_that_is_down_fails_a_500_is_retried_and_a_401_is_named() {
    let broker = broker();
    publish(&broker.url, "1.0", &[]).await;
    let (_, port) = provider(None).await;

    // Down: exit 2 with one line naming the URL.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let args = verifier_args(&down, port, &["--retries", "1"]);
    let output =
        run(ours(&[&["verify"], &args.iter().map(String::as_str).collect::<Vec<_>>()[..]].concat())).await;
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(err.starts_with(&format!("pact: GET {down}/: cannot connect to the broker")), "{err}");
    assert!(err.trim_end().ends_with("(after 2 attempts)"), "{err}");

    // 500 once, then the broker answers: the verification and the publication go through.
    let (proxy, seen) = flaky_proxy(broker.url.clone(), 1).await;
    let args = verifier_args(&proxy, port, &["--publish", "--provider-version", "3.0"]);
    let output =
        run(ours(&[&["verify"], &args.iter().map(String::as_str).collect::<Vec<_>>()[..]].concat())).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(stdout(&output).contains("Published the verification result"), "{}", text(&output));
    assert!(seen.load(Ordering::SeqCst) >= 4);

    // 401: exit 2, naming the credentials to check.
    let mut args = verifier_args(&broker.url, port, &[]);
    let at = args.iter().position(|a| a == "--password").unwrap();
    args[at + 1] = "wrong".into();
    let output =
        run(ours(&[&["verify"], &args.iter().map(String::as_str).collect::<Vec<_>>()[..]].concat())).await;
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(err.contains("401 Unauthorized") && err.contains("check the broker credentials"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_official_broker_command_lines_work_with_both_binaries() {
    let broker = broker();
    let pact = demo_pact();
    let a = auth(&broker.url);
    // Each step runs the same command line with both binaries (on distinct names where the
    // step creates something), and both must give the same exit code.
    let steps: Vec<(Vec<String>, Vec<String>, i32)> = vec![
        (
            // (pact-broker-cli re-serialises the pact, so the same version cannot be published
            // twice with both: the broker would see changed content.)
            vec![
                "broker",
                "publish",
                &pact,
                "--consumer-app-version",
                "0.1",
                "--branch",
                "main",
                "--tag",
                "t1",
            ],
            vec![
                "broker",
                "publish",
                &pact,
                "--consumer-app-version",
                "0.3",
                "--branch",
                "main",
                "--tag",
                "t1",
            ],
            0,
        ),
        (
            vec!["broker", "create-environment", "--name", "production", "--production"],
            vec!["broker", "create-environment", "--name", "staging", "--display-name", "Staging"],
            0,
        ),
        (
            vec![
                "broker",
                "can-i-deploy",
                "--pacticipant",
                "UserServiceClient",
                "--version",
                "0.1",
                "--to-environment",
                "production",
            ],
            vec![
                "broker",
                "can-i-deploy",
                "--pacticipant",
                "UserServiceClient",
                "--version",
                "0.1",
                "--to-environment",
                "staging",
            ],
            1,
        ),
        (
            vec!["broker", "describe-version", "--pacticipant", "UserServiceClient", "--version", "0.1"],
            vec!["broker", "describe-version", "--pacticipant", "UserServiceClient", "--version", "0.1"],
            0,
        ),
        (vec!["broker", "list-latest-pact-versions"], vec!["broker", "list-latest-pact-versions"], 0),
    ]
    .into_iter()
    .map(|(x, y, code)| {
        (x.into_iter().map(String::from).collect(), y.into_iter().map(String::from).collect(), code)
    })
    .collect();
    for (theirs_args, ours_args, code) in &steps {
        let theirs_args: Vec<&str> =
            theirs_args.iter().map(String::as_str).chain(a.iter().copied()).collect();
        let ours_args: Vec<&str> = ours_args.iter().map(String::as_str).chain(a.iter().copied()).collect();
        let theirs = run(official(&theirs_args)).await;
        assert_eq!(theirs.status.code(), Some(*code), "official {theirs_args:?}:\n{}", text(&theirs));
        let output = run(ours(&ours_args)).await;
        assert_eq!(output.status.code(), Some(*code), "ours {ours_args:?}:\n{}", text(&output));
    }

    // Ours creates or updates: a deployment script may run it every time.
    let mut again = vec!["create-environment", "--name", "staging", "--display-name", "Staging 2"];
    again.extend(a.iter().copied());
    let output = run(ours(&again)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(stdout(&output).starts_with("Updated environment staging with UUID "), "{}", text(&output));

    // Verified by the provider, deployed where the consumer is going: both say yes.
    let (_, port) = provider(None).await;
    let args = verifier_args(&broker.url, port, &["--publish", "--provider-version", "0.2"]);
    let output =
        run(ours(&[&["verify"], &args.iter().map(String::as_str).collect::<Vec<_>>()[..]].concat())).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    for (binary, environment) in [("official", "production"), ("ours", "staging")] {
        let mut args = vec![
            "broker",
            "record-deployment",
            "--pacticipant",
            "UserService",
            "--version",
            "0.2",
            "--environment",
            environment,
        ];
        args.extend(a.iter().copied());
        let output = if binary == "official" { run(official(&args)).await } else { run(ours(&args)).await };
        assert_eq!(output.status.code(), Some(0), "{binary}:\n{}", text(&output));
    }
    let mut release = vec![
        "broker",
        "record-release",
        "--pacticipant",
        "UserService",
        "--version",
        "0.2",
        "--environment",
        "production",
    ];
    release.extend(a.iter().copied());
    for output in [run(official(&release)).await, run(ours(&release)).await] {
        assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    }
    // (The verification without selectors took the latest pact: the one of version 0.3.)
    for environment in ["production", "staging"] {
        let mut args = vec![
            "broker",
            "can-i-deploy",
            "--pacticipant",
            "UserServiceClient",
            "--version",
            "0.3",
            "--to-environment",
            environment,
        ];
        args.extend(a.iter().copied());
        let theirs = run(official(&args)).await;
        let output = run(ours(&args)).await;
        assert_eq!(theirs.status.code(), Some(0), "official:\n{}", text(&theirs));
        assert_eq!(output.status.code(), Some(0), "ours:\n{}", text(&output));
    }
    // An unknown environment: ours says which exist.
    let mut args = vec![
        "record-deployment",
        "--pacticipant",
        "UserService",
        "--version",
        "0.2",
        "--environment",
        "nowhere",
    ];
    args.extend(a.iter().copied());
    let output = run(ours(&args)).await;
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no environment \"nowhere\" (known: "),
        "{}",
        text(&output)
    );
}

/// A stand-in for `cargo` that plays a test run: each "test process" writes one pact into
/// `PACT_OUTPUT_DIR`, then the run exits with `FAKE_CARGO_EXIT`.
fn fake_cargo(dir: &Path) -> PathBuf {
    let script = dir.join("fake-cargo.sh");
    let pact = std::fs::read_to_string(demo_pact()).unwrap();
    let other = pact.replace("\"UserService\"", "\"OrderService\"");
    std::fs::write(dir.join("a.json"), pact).unwrap();
    std::fs::write(dir.join("b.json"), other).unwrap();
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n# args: $*\n( cp '{a}' \"$PACT_OUTPUT_DIR/UserServiceClient-UserService.json\" ) &\n\
             ( cp '{b}' \"$PACT_OUTPUT_DIR/UserServiceClient-OrderService.json\" ) &\nwait\nexit ${{FAKE_CARGO_EXIT:-0}}\n",
            a = dir.join("a.json").display(),
            b = dir.join("b.json").display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

#[tokio::test(flavor = "multi_thread")]
async fn pact_test_publishes_only_after_a_passing_run_each_pact_once() {
    let broker = broker();
    let dir = tempfile::tempdir().unwrap();
    let cargo = fake_cargo(dir.path());
    let pact_dir = dir.path().join("run");
    let pact_dir_arg = pact_dir.display().to_string();
    let mut args = vec!["test", "--publish", "0.1", "--pact-dir", pact_dir_arg.as_str()];
    args.extend(auth(&broker.url));
    args.extend(["--", "--test", "contracts"]);

    let mut failing = ours(&args);
    failing.env("CARGO", &cargo).env("FAKE_CARGO_EXIT", "101");
    let output = run(failing).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("the tests failed (exit status: 101); nothing was published"),
        "{}",
        text(&output)
    );
    let mut list = vec!["broker", "list-latest-pact-versions", "-o", "json"];
    list.extend(auth(&broker.url));
    let output = run(ours(&list)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(listed["pacts"], serde_json::json!([]), "{listed}");

    let mut passing = ours(&args);
    passing.env("CARGO", &cargo);
    let output = run(passing).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("--test contracts"), "{err}");
    assert!(err.contains("wrote 2 pact file(s)"), "{err}");
    let output = run(ours(&list)).await;
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut providers: Vec<&str> = listed["pacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["_embedded"]["provider"]["name"].as_str().unwrap())
        .collect();
    providers.sort();
    assert_eq!(providers, ["OrderService", "UserService"], "{listed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn https_to_the_broker_with_the_ca_file() {
    let broker = broker();
    let client = reqwest::Client::new();
    let target = broker.url.clone();
    let router = axum::Router::new().fallback(move |request: axum::extract::Request| {
        let (client, target) = (client.clone(), target.clone());
        async move { forward(&client, &target, request).await }
    });
    let tls = test_support::tls::serve_https(router).await;
    let pact = demo_pact();
    let ca = tls.ca_file.display().to_string();
    let mut args = vec!["publish", pact.as_str(), "--consumer-app-version", "0.1"];
    args.extend(auth(&tls.url));
    args.extend(["--retries", "0"]);
    let output = run(ours(&args)).await;
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).to_lowercase().contains("certificate"),
        "{}",
        text(&output)
    );
    args.extend(["--ssl-certificate", ca.as_str()]);
    let output = run(ours(&args)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    // Or with verification off (tests only).
    let at = args.iter().position(|a| *a == "--ssl-certificate").unwrap();
    args.truncate(at);
    args.push("--disable-ssl-verification");
    let output = run(ours(&args)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));

    // And the provider over HTTPS, with the verifier's --cacert.
    let state = AppState::default();
    let service = test_support::tls::serve_https(app(state, true)).await;
    let output = run(ours(&[
        "verify",
        "--provider-base-url",
        &service.url,
        "--pact-url",
        &demo_pact(),
        "--provider-states-setup-url",
        &format!("{}/_pact/provider_states", service.url),
        "--cacert",
        &service.ca_file.display().to_string(),
    ]))
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    // Without the CA the provider is not trusted; with --disable-ssl-verification it is.
    let plain = |extra: &'static [&'static str]| {
        let mut args = vec![
            "verify".to_string(),
            "--provider-base-url".into(),
            service.url.clone(),
            "--pact-url".into(),
            demo_pact(),
            "--provider-states-setup-url".into(),
            format!("{}/_pact/provider_states", service.url),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let mut command = Command::new(env!("CARGO_BIN_EXE_pact"));
        command.args(args);
        command
    };
    let output = run(plain(&[])).await;
    assert_ne!(output.status.code(), Some(0), "{}", text(&output));
    let output = run(plain(&["--disable-ssl-verification"])).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
}
