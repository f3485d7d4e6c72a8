//! pact_verifier_cli's command lines, run unchanged with the official `pact verifier` and with
//! ours (`pact verifier` and `pact verify`): each line must give the same verdict from all three.
//!
//! The lines cover the flags a CI script for the official verifier uses: `-f`, `-d`, `-u`, `-b`,
//! `-h`, `-p`, `--base-path`, `--scheme`, `-n`, `-s`, `--user`, `--password`,
//! `--consumer-version-tags`, `--ignore-no-pacts-error`, `--publish` with `--provider-version`,
//! `--provider-branch`, `--provider-tags` and `--build-url`, the report files `-j`, `-x` and
//! `--html` with `--no-colour`, and the filters through their environment variables
//! (`PACT_DESCRIPTION`, `PACT_PROVIDER_STATE`, `PACT_PROVIDER_NO_STATE`). The provider is the
//! demo service on 127.0.0.1 (sound, broken, or under `/api`); the broker is a real `pact-broker`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use demo_user_service::{app, AppState, Broken};
use test_support::broker::{BrokerOptions, PactBroker};

const USER: &str = "pactbroker";
const PASSWORD: &str = "pactbroker";

fn demo_pact() -> PathBuf {
    test_support::workspace().join("tests/pacts/UserServiceClient-UserService.json")
}

/// Serves `router` on 127.0.0.1 with an ephemeral port; returns the port.
async fn serve(router: axum::Router) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    port
}

/// Runs a command off the runtime (the providers run on it), bounded, with `env` set and the
/// test's own `PACT_*` variables removed.
async fn run(mut command: Command, env: &[(&str, &str)]) -> Output {
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if key.starts_with("PACT_BROKER_") || key.starts_with("PACT_PROVIDER") || key == "PACT_DESCRIPTION" {
            command.env_remove(key);
        }
    }
    command.env("NO_COLOR", "1").env("PACT_DO_NOT_TRACK", "true").envs(env.iter().copied());
    let child = tokio::task::spawn_blocking(move || command.output().unwrap());
    tokio::time::timeout(std::time::Duration::from_secs(120), child)
        .await
        .expect("the command took over 120 s")
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The demo pact plus an interaction without a provider state (it passes on every provider).
fn pact_dir(dir: &Path) -> PathBuf {
    let mut pact: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(demo_pact()).unwrap()).unwrap();
    pact["interactions"].as_array_mut().unwrap().push(serde_json::json!({
        "description": "a request for an unknown path",
        "request": {"method": "GET", "path": "/nothing/here"},
        "response": {"status": 404}
    }));
    let pacts = dir.join("pacts");
    std::fs::create_dir_all(&pacts).unwrap();
    std::fs::write(
        pacts.join("UserServiceClient-UserService.json"),
        serde_json::to_string_pretty(&pact).unwrap(),
    )
    .unwrap();
    pacts
}

/// One command line: its arguments after `verifier`, its environment, and the expected exit code.
struct Line {
    args: Vec<String>,
    env: Vec<(&'static str, &'static str)>,
    code: i32,
}

fn line(args: Vec<String>, env: &[(&'static str, &'static str)], code: i32) -> Line {
    Line { args, env: env.to_vec(), code }
}

/// The version's tags and branches in the broker, as `describe-version -o json` reports them.
async fn describe(broker: &str, pacticipant: &str, version: &str) -> serde_json::Value {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pact"));
    command.args([
        "broker",
        "describe-version",
        "-a",
        pacticipant,
        "-e",
        version,
        "-o",
        "json",
        "-b",
        broker,
        "-u",
        USER,
        "-p",
        PASSWORD,
    ]);
    let output = run(command, &[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn names(version: &serde_json::Value, key: &str) -> Vec<String> {
    let mut names: Vec<String> = version["_embedded"][key]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .filter_map(|t| t["name"].as_str().map(String::from))
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_pact_verifier_command_lines_give_the_same_verdicts_with_both_binaries() {
    let broker = PactBroker::start_with(BrokerOptions {
        basic_auth: Some((USER.into(), PASSWORD.into())),
        ..Default::default()
    });
    let b = broker.url.as_str();
    let pact = demo_pact().display().to_string();
    let mut publish = Command::new(env!("CARGO_BIN_EXE_pact"));
    publish.args([
        "publish", &pact, "-a", "1.0", "--branch", "main", "--tag", "prod", "-b", b, "-u", USER, "-p",
        PASSWORD,
    ]);
    let output = run(publish, &[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));

    let good = serve(app(AppState::default(), true)).await.to_string();
    let broken = serve(app(AppState::broken(Some(Broken::AdminAsString)), true)).await.to_string();
    let under_api = serve(axum::Router::new().nest("/api", app(AppState::default(), true))).await.to_string();
    let state = |port: &str| format!("http://127.0.0.1:{port}/_pact/provider_states");
    let (good_state, broken_state) = (state(&good), state(&broken));
    let api_state = format!("http://127.0.0.1:{under_api}/api/_pact/provider_states");
    let dir = tempfile::tempdir().unwrap();
    let pacts = pact_dir(dir.path()).display().to_string();
    let pact_url = format!("{b}/pacts/provider/UserService/consumer/UserServiceClient/version/1.0");
    let provider = |port: &str, state_url: &str| -> Vec<String> {
        ["-h", "127.0.0.1", "-p", port, "-s", state_url].iter().map(|s| s.to_string()).collect()
    };
    let with = |base: Vec<String>, more: &[&str]| -> Vec<String> {
        base.into_iter().chain(more.iter().map(|s| s.to_string())).collect()
    };
    let good_p = provider(&good, &good_state);
    let broken_p = provider(&broken, &broken_state);

    let lines = vec![
        // Files, directories, URLs.
        line(with(good_p.clone(), &["-f", &pact]), &[], 0),
        line(with(broken_p.clone(), &["-f", &pact]), &[], 1),
        line(with(broken_p.clone(), &["-n", "UserService", "-d", &pacts]), &[], 1),
        line(with(good_p.clone(), &["-u", &pact_url, "--user", USER, "--password", PASSWORD]), &[], 0),
        line(with(broken_p.clone(), &["-u", &pact_url, "--user", USER, "--password", PASSWORD]), &[], 1),
        // The filters, from their environment variables: only the interactions that pass on
        // the broken provider are left, or the failing one is kept.
        line(
            with(broken_p.clone(), &["-n", "UserService", "-d", &pacts]),
            &[("PACT_PROVIDER_NO_STATE", "true")],
            0,
        ),
        line(
            with(broken_p.clone(), &["-n", "UserService", "-d", &pacts]),
            &[("PACT_PROVIDER_STATE", "UserA does not exist")],
            0,
        ),
        line(
            with(broken_p.clone(), &["-n", "UserService", "-d", &pacts]),
            &[("PACT_PROVIDER_STATE", "UserA exists")],
            1,
        ),
        line(
            with(broken_p.clone(), &["-n", "UserService", "-d", &pacts]),
            &[("PACT_DESCRIPTION", "unknown path")],
            0,
        ),
        line(
            with(broken_p.clone(), &["-n", "UserService", "-d", &pacts]),
            &[("PACT_DESCRIPTION", "^a request for UserA$")],
            1,
        ),
        // A provider under a base path, with the scheme given.
        line(
            with(provider(&under_api, &api_state), &["-f", &pact, "--base-path", "/api", "--scheme", "http"]),
            &[],
            0,
        ),
        // From the broker, by consumer version tag.
        line(
            with(
                good_p.clone(),
                &[
                    "-b",
                    b,
                    "--user",
                    USER,
                    "--password",
                    PASSWORD,
                    "-n",
                    "UserService",
                    "--consumer-version-tags",
                    "prod",
                ],
            ),
            &[],
            0,
        ),
        line(
            with(
                broken_p.clone(),
                &[
                    "-b",
                    b,
                    "--user",
                    USER,
                    "--password",
                    PASSWORD,
                    "-n",
                    "UserService",
                    "--consumer-version-tags",
                    "prod",
                ],
            ),
            &[],
            1,
        ),
        // A provider nobody has a pact with: no error when told so.
        line(
            with(
                good_p.clone(),
                &["-b", b, "--user", USER, "--password", PASSWORD, "-n", "Nobody", "--ignore-no-pacts-error"],
            ),
            &[],
            0,
        ),
    ];
    for (i, l) in lines.iter().enumerate() {
        let args: Vec<&str> = l.args.iter().map(String::as_str).collect();
        let mut official = test_support::official_command();
        official.arg("verifier").args(&args);
        let theirs = run(official, &l.env).await;
        assert_eq!(
            theirs.status.code(),
            Some(l.code),
            "line {i}, official {args:?} {:?}:\n{}",
            l.env,
            text(&theirs)
        );
        for sub in ["verifier", "verify"] {
            let mut ours = Command::new(env!("CARGO_BIN_EXE_pact"));
            ours.arg(sub).args(&args);
            let output = run(ours, &l.env).await;
            assert_eq!(
                output.status.code(),
                Some(l.code),
                "line {i}, ours {sub} {args:?} {:?}:\n{}",
                l.env,
                text(&output)
            );
        }
    }

    // Publishing, with the provider version's branch, tags and build URL: both binaries record
    // the same things in the broker.
    for (binary, version) in [("official", "2.0-official"), ("ours", "2.0-ours")] {
        let args = with(
            good_p.clone(),
            &[
                "-b",
                b,
                "--user",
                USER,
                "--password",
                PASSWORD,
                "-n",
                "UserService",
                "--publish",
                "--provider-version",
                version,
                "--provider-branch",
                "main",
                "--provider-tags",
                "t1,t2",
                "--build-url",
                "http://ci.example/build/7",
            ],
        );
        let mut command = if binary == "official" {
            test_support::official_command()
        } else {
            Command::new(env!("CARGO_BIN_EXE_pact"))
        };
        command.arg("verifier").args(&args);
        let output = run(command, &[]).await;
        assert_eq!(output.status.code(), Some(0), "{binary}:\n{}", text(&output));
        let described = describe(b, "UserService", version).await;
        assert_eq!(names(&described, "tags"), ["t1", "t2"], "{binary}: {described}");
        assert_eq!(names(&described, "branchVersions"), ["main"], "{binary}: {described}");
    }
    // Both results are in the matrix of the consumer version, successful.
    let matrix_url = reqwest::Url::parse_with_params(
        &format!("{b}/matrix"),
        [("q[][pacticipant]", "UserServiceClient"), ("q[][version]", "1.0")],
    )
    .unwrap();
    let matrix: serde_json::Value = reqwest::Client::new()
        .get(matrix_url)
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut verified: Vec<(String, bool)> = matrix["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["provider"]["version"]["number"].as_str().is_some_and(|v| v.starts_with("2.0-")))
        .map(|row| {
            (
                row["provider"]["version"]["number"].as_str().unwrap().to_string(),
                row["verificationResult"]["success"] == true,
            )
        })
        .collect();
    verified.sort();
    assert_eq!(verified, [("2.0-official".to_string(), true), ("2.0-ours".to_string(), true)], "{matrix}");

    // The report files: both write the JSON, JUnit and HTML reports they are asked for.
    for binary in ["official", "ours"] {
        let reports = dir.path().join(binary);
        std::fs::create_dir_all(&reports).unwrap();
        let (json, junit, html) = (reports.join("r.json"), reports.join("r.xml"), reports.join("r.html"));
        let args = with(
            broken_p.clone(),
            &[
                "-f",
                &pact,
                "--no-colour",
                "-j",
                json.to_str().unwrap(),
                "-x",
                junit.to_str().unwrap(),
                "--html",
                html.to_str().unwrap(),
            ],
        );
        let mut command = if binary == "official" {
            test_support::official_command()
        } else {
            Command::new(env!("CARGO_BIN_EXE_pact"))
        };
        command.arg("verifier").args(&args);
        let output = run(command, &[]).await;
        assert_eq!(output.status.code(), Some(1), "{binary}:\n{}", text(&output));
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        assert!(report.is_object(), "{binary}: {report}");
        let junit = std::fs::read_to_string(&junit).unwrap();
        // (The wheel's verifier writes its own XML report shape there; ours writes JUnit.)
        let failed = if binary == "official" { "<result>false</result>" } else { "<failure" };
        assert!(junit.trim_start().starts_with('<') && junit.contains(failed), "{binary}: {junit}");
        let html = std::fs::read_to_string(&html).unwrap();
        assert!(html.to_lowercase().contains("<html"), "{binary}: {html}");
    }
}
