//! Verification throughput: a generated pact of 1000 interactions, each with a provider state,
//! verified against the demo service by `pact verify`, by the official verifier (`pact verifier`
//! of the official CLI, installed by `scripts/official-tools.sh`), by the `Verifier` library call, and by a bare loop of the
//! same state-setup and request calls. Prints interactions per second for each.
//!
//! Run with `cargo bench -p pact-cli --bench verify_throughput`
//! (`PACT_OFFICIAL_CLI` points at another official CLI binary; `BENCH_INTERACTIONS` changes the count).

use std::process::Command;
use std::time::{Duration, Instant};

use pact_core::model::{
    Body, HttpInteraction, Interaction, MatchingRule, Pact, ProviderState, Request, Response, SpecVersion,
};
use pact_core::verify::{PactSource, Verifier};
use serde_json::json;

fn generate(count: usize) -> Pact {
    let mut pact = Pact::new("BenchConsumer", "UserService");
    for i in 0..count {
        let name = format!("User{i}");
        let mut interaction = HttpInteraction::default();
        interaction.meta.description = format!("a request for {name}");
        interaction.meta.provider_states = vec![ProviderState::new("a user exists")
            .with_param("name", json!(name))
            .with_param("admin", json!(i % 2 == 0))];
        interaction.request =
            Request::get(format!("/users/{name}")).with_header("Accept", "application/json");
        let mut response = Response::status(200);
        response.body = Body::json(
            json!({"name": name, "id": "fc763eba-0905-41c5-a27f-3934ab26786c", "created_on": "2016-12-15T20:16:01", "admin": i % 2 == 0}),
        );
        let rules = &mut response.matching_rules;
        rules
            .add_body(
                "$.id",
                MatchingRule::Regex(
                    pact_core::model::PactRegex::new("^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$").unwrap(),
                ),
            )
            .unwrap();
        rules
            .add_body(
                "$.created_on",
                MatchingRule::Regex(pact_core::model::PactRegex::new(r"^\d+-\d+-\d+T\d+:\d+:\d+$").unwrap()),
            )
            .unwrap();
        rules.add_body("$.admin", MatchingRule::Type).unwrap();
        interaction.response = response;
        pact.interactions.push(Interaction::Http(interaction));
    }
    pact
}

fn report(name: &str, count: usize, elapsed: Duration) -> f64 {
    let rate = count as f64 / elapsed.as_secs_f64();
    println!(
        "{name:<42} {:>8.3} s  {:>9.0} interactions/s  {:>7.3} ms/interaction",
        elapsed.as_secs_f64(),
        rate,
        elapsed.as_secs_f64() * 1000.0 / count as f64
    );
    rate
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let count: usize = std::env::var("BENCH_INTERACTIONS").ok().and_then(|c| c.parse().ok()).unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    let pact_file = dir.path().join("BenchConsumer-UserService.json");
    std::fs::write(&pact_file, generate(count).to_json_string(SpecVersion::V3).unwrap()).unwrap();

    // The demo service, on its own two-thread runtime, on an ephemeral loopback port.
    let server = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let listener = server.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    server.spawn(async move {
        let state = demo_user_service::AppState::default();
        let _ = axum::serve(listener, demo_user_service::app(state, true)).await;
    });
    let states_url = format!("{url}/_pact/provider_states");
    println!(
        "verifying {count} interactions (each with a provider state) against the demo service at {url}\n"
    );

    let client_rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();

    // 1. A bare loop of the same calls: state setup, then the request, on one reused connection.
    let bare = client_rt.block_on(async {
        let client = reqwest::Client::builder().no_proxy().tcp_nodelay(true).build().unwrap();
        let started = Instant::now();
        for i in 0..count {
            let body = json!({"state": "a user exists", "params": {"name": format!("User{i}"), "admin": i % 2 == 0}, "action": "setup"});
            client.post(&states_url).json(&body).send().await.unwrap().bytes().await.unwrap();
            let r = client.get(format!("{url}/users/User{i}")).header("Accept", "application/json").send().await.unwrap();
            assert_eq!(r.status(), 200);
            r.bytes().await.unwrap();
        }
        started.elapsed()
    });
    let bare_rate = report("bare loop (setup + request, no checks)", count, bare);

    // 2. The library call.
    let library = client_rt.block_on(async {
        let started = Instant::now();
        let result = Verifier::http(&url)
            .unwrap()
            .pact(PactSource::File(pact_file.clone()))
            .state_url(&states_url)
            .unwrap()
            .verify()
            .await
            .unwrap();
        assert!(result.success(), "{}", result.to_human(false));
        started.elapsed()
    });
    let library_rate = report("pact_core::verify::Verifier (library)", count, library);

    // 3. `pact verify`, the command.
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_pact"))
        .args([
            "verify",
            &format!("--provider-base-url={url}"),
            &format!("--pact-url={}", pact_file.display()),
            &format!("--provider-states-setup-url={states_url}"),
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let ours = started.elapsed();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
    let ours_rate = report("pact verify (this project's CLI)", count, ours);

    // 4. The official verifier.
    let official = test_support::official_cli();
    let port = url.rsplit(':').next().unwrap().to_string();
    let started = Instant::now();
    let output = Command::new(&official)
        .args([
            "verifier",
            "--hostname",
            "127.0.0.1",
            "--port",
            &port,
            "-f",
            &pact_file.display().to_string(),
            "--state-change-url",
            &states_url,
            "--no-colour",
        ])
        .env("PACT_DO_NOT_TRACK", "true")
        .output();
    let official_rate = match output {
        Ok(output) if output.status.success() => {
            Some(report("pact-verifier (pact_verifier_cli)", count, started.elapsed()))
        }
        Ok(output) => {
            println!(
                "pact-verifier failed: {}",
                String::from_utf8_lossy(&output.stdout).lines().last().unwrap_or_default()
            );
            None
        }
        Err(e) => {
            println!("pact-verifier not run ({}: {e})", official.display());
            None
        }
    };

    println!();
    println!("pact verify vs bare loop: {:.2}x the bare loop's time", bare_rate / ours_rate);
    println!("library vs bare loop:     {:.2}x the bare loop's time", bare_rate / library_rate);
    if let Some(official) = official_rate {
        println!("pact verify vs pact-verifier: {:.1}x faster", ours_rate / official);
    }
}
