//! The web UI in a real browser: headless Chromium (Debian's `chromium` package) loads the
//! pages of a real `pact-broker` process, with basic auth, on SQLite and PostgreSQL, and the
//! test reads the DOM the browser built (`--dump-dom`):
//!
//! - the matrix page shows consumer 0.1 × provider 0.2 as a success and 0.3 × 0.2 as a failure,
//!   in words and in colour classes; a screenshot is kept under `target/tmp/ui/`;
//! - `/` in a browser leads to the index of pacts and pacticipants; the pact page lays out the
//!   interactions (states, request, response);
//! - hostile names and descriptions (`<script>`) are shown as text, never run;
//! - the pages are behind the same auth as the API.
//!
//! Without Chromium the test fails and names the command that installs it.

mod support;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use support::*;

const USER: &str = "pactbroker";
const PASSWORD: &str = "pactbroker";

on_both_backends!(the_matrix_page_renders_in_chromium, hostile_names_are_shown_as_text_in_every_page);

/// The Chromium binary: `CHROMIUM`, or `chromium` on PATH.
fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return PathBuf::from(path);
    }
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).map(|d| d.join("chromium")).find(|p| p.is_file()))
        .unwrap_or_default();
    found.unwrap_or_else(|| {
        panic!(
            "chromium is not installed: install it with `apt-get install -y chromium chromium-driver` \
             (.ci/run does), or set CHROMIUM to its path"
        )
    })
}

/// Runs headless Chromium with a fresh profile and a deadline.
fn run_chromium(args: &[String]) -> Output {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run chromium ({e}): install it with `apt-get install -y chromium chromium-driver`")
        });
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "chromium failed: {}", String::from_utf8_lossy(&output.stderr));
    output
}

/// `url` with the basic-auth user in its userinfo, as a browser user would type it.
fn with_credentials(url: &str) -> String {
    let mut url = url::Url::parse(url).unwrap();
    url.set_username(USER).unwrap();
    url.set_password(Some(PASSWORD)).unwrap();
    url.to_string()
}

/// The DOM Chromium built for a page.
async fn dom(url: &str) -> String {
    let url = with_credentials(url);
    tokio::task::spawn_blocking(move || {
        String::from_utf8(run_chromium(&["--dump-dom".into(), url]).stdout).unwrap()
    })
    .await
    .unwrap()
}

/// The `<tr …>` start tags of a DOM, with the row's text.
fn rows(dom: &str) -> Vec<String> {
    dom.split("<tr").skip(1).map(|r| r.split("</tr>").next().unwrap_or("").to_string()).collect()
}

async fn publish(client: &Client, broker: &Broker, version: &str, pact: &serde_json::Value, success: bool) {
    let body = contracts_body("UserServiceClient", version, Some("main"), &[], &[pact]);
    let published = client.post(&broker.at("/contracts/publish"), &body).await;
    assert_eq!(published.status, 200, "{}", published.text);
    let stored = client.get(&broker.at(&pact_path("UserService", "UserServiceClient", version))).await;
    let href = stored.json["_links"]["pb:publish-verification-results"]["href"].as_str().unwrap();
    let verified = client.post(href, &json!({"success": success, "providerApplicationVersion": "0.2"})).await;
    assert_eq!(verified.status, 201, "{}", verified.text);
}

async fn the_matrix_page_renders_in_chromium(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &["--basic-auth-username", USER, "--basic-auth-password", PASSWORD]);
    let client = Client::with_auth(USER, PASSWORD);
    // The seed's flow: consumer 0.1 verified by provider 0.2; then 0.3, which 0.2 fails.
    let demo = demo_pact();
    publish(&client, &broker, "0.1", &demo, true).await;
    let mut changed = demo.clone();
    changed["interactions"][0]["description"] = json!("a request for UserA, changed");
    publish(&client, &broker, "0.3", &changed, false).await;

    let matrix_url = url::Url::parse_with_params(
        &broker.at("/ui/matrix"),
        &[("consumer", "UserServiceClient"), ("provider", "UserService")],
    )
    .unwrap()
    .to_string();
    let page = dom(&matrix_url).await;
    let matrix_rows = rows(&page);
    let verified = matrix_rows
        .iter()
        .find(|r| r.contains("data-consumer-version=\"0.1\""))
        .unwrap_or_else(|| panic!("no row for consumer version 0.1 in {page}"));
    assert!(verified.contains("data-provider-version=\"0.2\""), "{verified}");
    assert!(verified.contains("class=\"success\""), "{verified}");
    assert!(verified.contains("\u{2714} success"), "{verified}");
    assert!(verified.contains(">UserServiceClient<") && verified.contains(">UserService<"), "{verified}");
    let failed = matrix_rows.iter().find(|r| r.contains("data-consumer-version=\"0.3\"")).unwrap();
    assert!(failed.contains("class=\"failure\"") && failed.contains("\u{2718} failed"), "{failed}");
    assert!(failed.contains("data-provider-version=\"0.2\""), "{failed}");

    // A screenshot, kept as a test artifact.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ui");
    std::fs::create_dir_all(&dir).unwrap();
    let shot = dir.join(format!("matrix-{backend:?}.png").to_lowercase());
    let _ = std::fs::remove_file(&shot);
    let args = vec![
        format!("--screenshot={}", shot.display()),
        "--window-size=1200,400".into(),
        with_credentials(&matrix_url),
    ];
    tokio::task::spawn_blocking(move || run_chromium(&args)).await.unwrap();
    let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot at {}: {e}", shot.display()));
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "{} is not a screenshot", shot.display());

    // `/` in a browser shows the index: the pacts with their latest verification, the pacticipants.
    let index = dom(&broker.at("/")).await;
    assert!(index.contains("<title>Pacts - Pact Broker</title>"), "{index}");
    let pact_row =
        rows(&index).into_iter().find(|r| r.contains("UserServiceClient") && r.contains("0.3")).unwrap();
    assert!(pact_row.contains("\u{2718} failed"), "{pact_row}");
    assert!(
        index.contains(&broker.at("/ui/pacts/provider/UserService/consumer/UserServiceClient/version/0.3")),
        "{index}"
    );
    // The pact page lays out the interactions.
    let pact_page =
        dom(&broker.at("/ui/pacts/provider/UserService/consumer/UserServiceClient/version/0.1")).await;
    for expected in [
        "Pact between UserServiceClient (0.1) and UserService",
        "UserA exists and is not an administrator",
        "UserA does not exist",
        "<span class=\"method\">GET</span> <code>/users/UserA</code>",
        "Status <strong>404</strong>",
        "Matching rules",
    ] {
        assert!(pact_page.contains(expected), "{expected:?} missing from {pact_page}");
    }

    // The API's clients still get the HAL index; the pages are behind the same auth.
    let hal = client.get(&broker.at("/")).await;
    assert_eq!((hal.status, hal.header("content-type")), (200, Some("application/hal+json;charset=utf-8")));
    let any = client.send("GET", &broker.at("/"), None, &[("Accept", "*/*")]).await;
    assert_eq!(any.header("content-type"), Some("application/hal+json;charset=utf-8"));
    let anonymous = reqwest::Client::new()
        .get(broker.at("/ui/matrix"))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

async fn hostile_names_are_shown_as_text_in_every_page(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &["--basic-auth-username", USER, "--basic-auth-password", PASSWORD]);
    let client = Client::with_auth(USER, PASSWORD);
    let consumer = "<script>document.title='pwned'</script>";
    let provider = "\"><img src=x onerror=alert(1)>";
    let mut content = pact(consumer, provider, "<b>bold</b>");
    content["interactions"][0]["providerStates"] = json!([{"name": "<i>state</i>"}]);
    let put = client.put(&broker.at(&pact_path(provider, consumer, "1 <u>")), &content).await;
    assert_eq!(put.status, 201, "{}", put.text);

    let matrix =
        url::Url::parse_with_params(&broker.at("/ui/matrix"), &[("consumer", consumer)]).unwrap().to_string();
    let pact_page = broker.at(&format!("/ui{}", pact_path(provider, consumer, "1 <u>")));
    for url in [broker.at("/ui"), matrix, pact_page.clone()] {
        let page = dom(&url).await;
        assert!(!page.contains("<title>pwned</title>"), "a script ran: {page}");
        assert!(page.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"), "{url}: {page}");
        assert!(page.contains("\"&gt;&lt;img src=x onerror=alert(1)&gt;"), "{url}: {page}");
        assert!(
            !page.contains("<img") && !page.contains("<u>") && !page.contains("<script>"),
            "{url}: {page}"
        );
        if url == pact_page {
            assert!(
                page.contains("a request for &lt;b&gt;bold&lt;/b&gt;")
                    && page.contains("&lt;i&gt;state&lt;/i&gt;"),
                "{page}"
            );
        }
    }
}
