//! The official `pact broker …` command lines (pact-broker-cli's), run unchanged with the
//! official binary and with ours against one real `pact-broker`: the same exit codes, the same
//! JSON answers (`-o json`), and the same records left in the broker. Also: `can-i-deploy
//! --retry-while-unknown` waits for a verification that arrives later, with both binaries; and
//! every broker command of ours takes the broker, the user and the password (or a token) from
//! the `PACT_BROKER_*` environment variables alone.

use std::process::{Command, Output};
use std::time::Duration;

use demo_user_service::{app, AppState, Broken};
use serde_json::Value;
use test_support::broker::{BrokerOptions, PactBroker};

const USER: &str = "pactbroker";
const PASSWORD: &str = "pactbroker";

fn demo_pact() -> String {
    test_support::workspace().join("tests/pacts/UserServiceClient-UserService.json").display().to_string()
}

fn broker() -> PactBroker {
    PactBroker::start_with(BrokerOptions {
        basic_auth: Some((USER.into(), PASSWORD.into())),
        ..Default::default()
    })
}

/// Serves the demo service (sound or broken) on 127.0.0.1; returns its port.
async fn provider(broken: Option<Broken>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app(AppState::broken(broken), true)).await;
    });
    port
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Binary {
    Official,
    Ours,
}

fn command(binary: Binary, args: &[&str]) -> Command {
    let mut command = match binary {
        Binary::Official => test_support::official_command(),
        Binary::Ours => Command::new(env!("CARGO_BIN_EXE_pact")),
    };
    command.args(args);
    command
}

/// Runs a command off the runtime (providers run on it), bounded, without the test's own
/// `PACT_BROKER_*` variables, with `env` set.
async fn run_env(mut command: Command, env: &[(&str, &str)]) -> Output {
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("PACT_BROKER_") {
            command.env_remove(key);
        }
    }
    command.env("NO_COLOR", "1").env("PACT_DO_NOT_TRACK", "true").envs(env.iter().copied());
    let child = tokio::task::spawn_blocking(move || command.output().unwrap());
    tokio::time::timeout(Duration::from_secs(120), child).await.expect("the command took over 120 s").unwrap()
}

async fn run(binary: Binary, args: &[&str]) -> Output {
    run_env(command(binary, args), &[]).await
}

fn text(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The command line with pact-broker-cli's broker flags appended.
fn with_broker<'a>(args: &[&'a str], url: &'a str) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(["--broker-base-url", url, "--broker-username", USER, "--broker-password", PASSWORD]);
    all
}

/// Runs the line with both binaries: each must exit `code`; returns (official, ours).
async fn both(args: &[&str], code: i32) -> (Output, Output) {
    let theirs = run(Binary::Official, args).await;
    assert_eq!(theirs.status.code(), Some(code), "official {args:?}:\n{}", text(&theirs));
    let ours = run(Binary::Ours, args).await;
    assert_eq!(ours.status.code(), Some(code), "ours {args:?}:\n{}", text(&ours));
    (theirs, ours)
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", text(output)))
}

/// Both print the same JSON document.
async fn same_json(args: &[&str], code: i32) -> Value {
    let (theirs, ours) = both(args, code).await;
    let (theirs, ours) = (json(&theirs), json(&ours));
    assert_eq!(theirs, ours, "{args:?}: the official and our JSON differ");
    ours
}

/// The verifier (ours) as the provider `version`, publishing its result.
async fn verify(url: &str, port: u16, version: &str, code: i32) {
    let port = port.to_string();
    let state = format!("http://127.0.0.1:{port}/_pact/provider_states");
    let args = [
        "verifier",
        "-b",
        url,
        "--user",
        USER,
        "--password",
        PASSWORD,
        "-n",
        "UserService",
        "-h",
        "127.0.0.1",
        "-p",
        &port,
        "-s",
        &state,
        "--publish",
        "--provider-version",
        version,
        "--provider-branch",
        "main",
    ];
    let output = run(Binary::Ours, &args).await;
    assert_eq!(output.status.code(), Some(code), "{}", text(&output));
}

fn names(resource: &Value, key: &str) -> Vec<String> {
    let mut names: Vec<String> = resource["_embedded"][key]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|t| t["name"].as_str().map(String::from))
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn the_official_broker_command_lines_give_the_same_answers_with_both_binaries() {
    let broker = broker();
    let url = broker.url.as_str();
    let pact = demo_pact();

    // publish: each binary publishes a version of its own (pact-broker-cli re-serialises the
    // pact, so the same version from both would be changed content); both record the same
    // branch and tags (`-t t1 t2`: pact-broker-cli takes several values after one `--tag`, and
    // refuses a second `--tag`).
    for (binary, version) in [(Binary::Official, "0.1-official"), (Binary::Ours, "0.1-ours")] {
        let args = with_broker(
            &["broker", "publish", &pact, "-a", version, "--branch", "main", "-t", "t1", "t2"],
            url,
        );
        let output = run(binary, &args).await;
        assert_eq!(output.status.code(), Some(0), "{binary:?}:\n{}", text(&output));
        let described = same_json(
            &with_broker(
                &["broker", "describe-version", "-a", "UserServiceClient", "-e", version, "-o", "json"],
                url,
            ),
            0,
        )
        .await;
        assert_eq!(names(&described, "tags"), ["t1", "t2"], "{binary:?}: {described}");
        assert_eq!(names(&described, "branchVersions"), ["main"], "{binary:?}: {described}");
    }
    let listed =
        same_json(&with_broker(&["broker", "list-latest-pact-versions", "-o", "json"], url), 0).await;
    assert_eq!(listed["pacts"].as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed["pacts"][0]["_embedded"]["consumer"]["_embedded"]["version"]["number"], "0.1-ours");
    let (theirs, ours) = both(&with_broker(&["broker", "list-latest-pact-versions"], url), 0).await;
    for output in [&theirs, &ours] {
        assert!(String::from_utf8_lossy(&output.stdout).contains("0.1-ours"), "{}", text(output));
    }

    // can-i-deploy before any verification: unknown, so no; the same matrix.
    let unknown = with_broker(&["broker", "can-i-deploy", "-a", "UserServiceClient", "-e", "0.1-ours"], url);
    let (theirs, ours) = both(&unknown, 1).await;
    for output in [&theirs, &ours] {
        assert!(String::from_utf8_lossy(&output.stdout).contains("Computer says no"), "{}", text(output));
    }
    let mut unknown_json = unknown.clone();
    unknown_json.extend(["-o", "json"]);
    let (theirs, ours) = (run(Binary::Official, &unknown_json).await, run(Binary::Ours, &unknown_json).await);
    // (pact-broker-cli exits 0 with `-o json` whatever the answer; ours keeps exit 1 for "no",
    // so that a script cannot take a JSON "no" for a pass.)
    assert_eq!(ours.status.code(), Some(1), "{}", text(&ours));
    assert_eq!(json(&theirs), json(&ours));
    assert_eq!(json(&ours)["summary"]["unknown"], 1, "{}", text(&ours));

    // Verified by UserService 0.2 (passing) and 0.3-broken (failing): yes for the consumer,
    // yes for 0.2, no for 0.3-broken, with the same matrices.
    verify(url, provider(None).await, "0.2", 0).await;
    verify(url, provider(Some(Broken::AdminAsString)).await, "0.3-broken", 1).await;
    for (pacticipant, version, code, verdict) in [
        ("UserServiceClient", "0.1-ours", 1, "Computer says no"),
        ("UserService", "0.2", 0, "Computer says yes"),
        ("UserService", "0.3-broken", 1, "Computer says no"),
    ] {
        let args =
            with_broker(&["broker", "can-i-deploy", "--pacticipant", pacticipant, "--version", version], url);
        let (theirs, ours) = both(&args, code).await;
        for output in [&theirs, &ours] {
            assert!(String::from_utf8_lossy(&output.stdout).contains(verdict), "{}", text(output));
        }
        let mut args = args.clone();
        args.extend(["-o", "json"]);
        let (theirs, ours) = (run(Binary::Official, &args).await, run(Binary::Ours, &args).await);
        assert_eq!(ours.status.code(), Some(code), "{}", text(&ours));
        assert_eq!(json(&theirs), json(&ours), "{args:?}");
    }
    // (UserServiceClient 0.1-ours is verified by 0.2 and 0.3-broken: without an environment the
    // broker checks every provider version, and one of them failed.)
    let args = with_broker(
        &[
            "broker",
            "can-i-deploy",
            "-a",
            "UserServiceClient",
            "-e",
            "0.1-ours",
            "-a",
            "UserService",
            "-e",
            "0.2",
        ],
        url,
    );
    let (theirs, ours) = both(&args, 0).await;
    for output in [&theirs, &ours] {
        assert!(String::from_utf8_lossy(&output.stdout).contains("Computer says yes"), "{}", text(output));
    }

    // Environments: created by each binary, the same attributes in the broker.
    for (binary, name) in [(Binary::Official, "production"), (Binary::Ours, "live")] {
        let args = with_broker(
            &["broker", "create-environment", "--name", name, "--display-name", "Live!", "--production"],
            url,
        );
        let output = run(binary, &args).await;
        assert_eq!(output.status.code(), Some(0), "{binary:?}:\n{}", text(&output));
    }
    let environments: Value = reqwest::Client::new()
        .get(format!("{url}/environments"))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut seen: Vec<(String, String, bool)> = environments["_embedded"]["environments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                e["displayName"].as_str().unwrap_or_default().to_string(),
                e["production"] == true,
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("live".to_string(), "Live!".to_string(), true),
            ("production".to_string(), "Live!".to_string(), true)
        ],
        "{environments}"
    );

    // Not deployable to either yet (the provider is in neither): no, from both.
    for environment in ["production", "live"] {
        let args = with_broker(
            &[
                "broker",
                "can-i-deploy",
                "-a",
                "UserServiceClient",
                "-e",
                "0.1-ours",
                "--to-environment",
                environment,
            ],
            url,
        );
        both(&args, 1).await;
    }
    // record-deployment and record-release, each binary into its own environment: the broker
    // then lists the same versions in both, and can-i-deploy says yes to both, from both.
    for (binary, environment) in [(Binary::Official, "production"), (Binary::Ours, "live")] {
        for step in ["record-deployment", "record-release"] {
            let args = with_broker(
                &["broker", step, "-a", "UserService", "-e", "0.2", "--environment", environment],
                url,
            );
            let output = run(binary, &args).await;
            assert_eq!(output.status.code(), Some(0), "{binary:?} {step}:\n{}", text(&output));
        }
    }
    let described = same_json(
        &with_broker(&["broker", "describe-version", "-a", "UserService", "-e", "0.2", "-o", "json"], url),
        0,
    )
    .await;
    for rel in ["pb:deployed-environments", "pb:released-environments"] {
        let mut environments: Vec<&str> = described["_links"][rel]
            .as_array()
            .unwrap_or_else(|| panic!("no {rel}: {described}"))
            .iter()
            .filter_map(|l| l["name"].as_str())
            .collect();
        environments.sort();
        assert_eq!(environments, ["live", "production"], "{rel}: {described}");
    }
    for environment in ["production", "live"] {
        let args = with_broker(
            &[
                "broker",
                "can-i-deploy",
                "-a",
                "UserServiceClient",
                "-e",
                "0.1-ours",
                "--to-environment",
                environment,
            ],
            url,
        );
        let (theirs, ours) = both(&args, 0).await;
        for output in [&theirs, &ours] {
            assert!(
                String::from_utf8_lossy(&output.stdout).contains("Computer says yes"),
                "{}",
                text(output)
            );
        }
    }

    // An unknown version: both refuse it.
    let args = with_broker(&["broker", "describe-version", "-a", "UserServiceClient", "-e", "9.9"], url);
    let (theirs, ours) = (run(Binary::Official, &args).await, run(Binary::Ours, &args).await);
    assert_ne!(theirs.status.code(), Some(0), "{}", text(&theirs));
    assert_ne!(ours.status.code(), Some(0), "{}", text(&ours));
}

#[tokio::test(flavor = "multi_thread")]
async fn can_i_deploy_retry_while_unknown_waits_for_the_verification_with_both_binaries() {
    let broker = broker();
    let url = broker.url.clone();
    let pact = demo_pact();
    let output =
        run(Binary::Ours, &with_broker(&["publish", &pact, "-a", "0.1", "--branch", "main"], &url)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));

    // Without retries: unknown is no.
    let ask = with_broker(&["broker", "can-i-deploy", "-a", "UserServiceClient", "-e", "0.1"], &url);
    both(&ask, 1).await;

    // With retries, both ask again until the result that the provider publishes a few seconds
    // later arrives, and then say yes.
    let mut polling: Vec<String> = ask.iter().map(|s| s.to_string()).collect();
    polling.extend(["--retry-while-unknown", "60", "--retry-interval", "1"].map(String::from));
    let waiting: Vec<_> = [Binary::Official, Binary::Ours]
        .into_iter()
        .map(|binary| {
            let args = polling.clone();
            let started = std::time::Instant::now();
            tokio::spawn(async move {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                (binary, run(binary, &args).await, started.elapsed())
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(3)).await;
    verify(&url, provider(None).await, "0.2", 0).await;
    for task in waiting {
        let (binary, output, took) = task.await.unwrap();
        assert_eq!(output.status.code(), Some(0), "{binary:?}:\n{}", text(&output));
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Computer says yes"),
            "{binary:?}:\n{}",
            text(&output)
        );
        assert!(took >= Duration::from_secs(3), "{binary:?} answered before the result existed: {took:?}");
    }
}

/// A broker in front of the real one that takes a bearer token instead of the basic auth.
async fn token_gate(target: String, token: &'static str) -> String {
    let client = reqwest::Client::new();
    let router = axum::Router::new().fallback(move |request: axum::extract::Request| {
        let (client, target) = (client.clone(), target.clone());
        async move {
            let (parts, body) = request.into_parts();
            let bearer = format!("Bearer {token}");
            if parts.headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(bearer.as_str()) {
                return axum::response::Response::builder()
                    .status(401)
                    .body(axum::body::Body::from("token required"))
                    .unwrap();
            }
            let body = axum::body::to_bytes(body, 64 << 20).await.unwrap();
            let url = format!("{target}{}", parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"));
            let mut outgoing = client
                .request(parts.method.as_str().parse().unwrap(), url)
                .basic_auth(USER, Some(PASSWORD))
                .body(body.to_vec());
            for (name, value) in &parts.headers {
                if name != "host" && name != "authorization" {
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
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    url
}

#[tokio::test(flavor = "multi_thread")]
async fn every_broker_command_takes_the_broker_and_credentials_from_the_environment() {
    // Two brokers, so that the second run starts from nothing too.
    let (broker, other) = (broker(), broker());
    let gate = token_gate(other.url.clone(), "s3cret").await;
    let pact = demo_pact();
    let port = provider(None).await.to_string();
    let state = format!("http://127.0.0.1:{port}/_pact/provider_states");
    let dir = tempfile::tempdir().unwrap();
    let cargo = dir.path().join("fake-cargo.sh");
    // A stand-in for `cargo test` that writes the demo pact where `pact test` tells it to.
    std::fs::write(
        &cargo,
        format!("#!/bin/sh\ncp '{pact}' \"$PACT_OUTPUT_DIR/UserServiceClient-UserService.json\"\n"),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    let pact_dir = dir.path().join("run");
    let pact_dir = pact_dir.to_str().unwrap();

    let basic: [(&str, &str); 3] = [
        ("PACT_BROKER_BASE_URL", &broker.url),
        ("PACT_BROKER_USERNAME", USER),
        ("PACT_BROKER_PASSWORD", PASSWORD),
    ];
    let token: [(&str, &str); 2] = [("PACT_BROKER_BASE_URL", &gate), ("PACT_BROKER_TOKEN", "s3cret")];
    for (credentials, suffix) in [(&basic[..], "basic"), (&token[..], "token")] {
        let v1 = format!("0.1-{suffix}");
        let v2 = format!("0.2-{suffix}");
        let environment = format!("env-{suffix}");
        let steps: Vec<(Vec<&str>, i32, &str)> = vec![
            (vec!["test", "--publish", &v1, "--pact-dir", pact_dir], 0, "published for UserServiceClient"),
            (
                vec!["publish", &pact, "--consumer-app-version", &v1, "--branch", "main"],
                0,
                "published for UserServiceClient",
            ),
            (vec!["broker", "publish", &pact, "-a", &v1], 0, "published for UserServiceClient"),
            (
                vec!["can-i-deploy", "--pacticipant", "UserServiceClient", "--version", &v1],
                1,
                "Computer says no",
            ),
            (
                vec![
                    "verify",
                    "-n",
                    "UserService",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &port,
                    "-s",
                    &state,
                    "--publish",
                    "--provider-version",
                    &v2,
                ],
                0,
                "Published the verification result",
            ),
            (
                vec!["verifier", "-n", "UserService", "-h", "127.0.0.1", "-p", &port, "-s", &state],
                0,
                "passed",
            ),
            (vec!["broker", "can-i-deploy", "-a", "UserServiceClient", "-e", &v1], 0, "Computer says yes"),
            (vec!["matrix", "--pacticipant", "UserServiceClient", "--version", &v1], 0, &v2),
            (vec!["create-environment", "--name", &environment], 0, &environment),
            (vec!["broker", "create-environment", "--name", &environment], 0, &environment),
            (
                vec!["record-deployment", "-a", "UserService", "-e", &v2, "--environment", &environment],
                0,
                "Recorded",
            ),
            (
                vec![
                    "broker",
                    "record-release",
                    "-a",
                    "UserService",
                    "-e",
                    &v2,
                    "--environment",
                    &environment,
                ],
                0,
                "Recorded",
            ),
            (
                vec!["record-release", "-a", "UserService", "-e", &v2, "--environment", &environment],
                0,
                "Recorded",
            ),
            (
                vec![
                    "broker",
                    "record-deployment",
                    "-a",
                    "UserService",
                    "-e",
                    &v2,
                    "--environment",
                    &environment,
                ],
                0,
                "Recorded",
            ),
            (
                vec!["can-i-deploy", "-a", "UserServiceClient", "-e", &v1, "--to-environment", &environment],
                0,
                "Computer says yes",
            ),
            (vec!["broker", "describe-version", "-a", "UserService", "-e", &v2], 0, &v2),
            (vec!["broker", "list-latest-pact-versions"], 0, &v1),
        ];
        for (args, code, expected) in &steps {
            let mut command = command(Binary::Ours, args);
            command.env("CARGO", &cargo);
            let output = run_env(command, credentials).await;
            assert_eq!(output.status.code(), Some(*code), "{suffix}: {args:?}\n{}", text(&output));
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(all.contains(expected), "{suffix}: {args:?}: no {expected:?}\n{}", text(&output));
        }
        // The environment alone, without the credentials: refused with the broker's 401.
        let output =
            run_env(command(Binary::Ours, &["broker", "list-latest-pact-versions"]), &credentials[..1]).await;
        assert_eq!(output.status.code(), Some(2), "{suffix}:\n{}", text(&output));
        assert!(String::from_utf8_lossy(&output.stderr).contains("401"), "{suffix}:\n{}", text(&output));
    }
}
