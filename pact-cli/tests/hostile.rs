//! `pact verify` against hostile pacts and half-broken providers: every server here is started
//! by its test on 127.0.0.1 with an ephemeral port (a listener that records where requests
//! land, a redirecting provider, a provider streaming an endless body, one that closes pooled
//! connections), and every run of `pact` is killed if it outlives its timeout.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// A raw HTTP/1.1 server: records every request, answers with what the handler says.

/// One request as it arrived: the request line's target, and the headers (names lower-cased).
#[derive(Debug, Clone)]
struct Seen {
    target: String,
    headers: Vec<(String, String)>,
}

/// What the server does with a request.
enum Reply {
    /// Writes these bytes (a whole response) and keeps the connection open for more.
    Bytes(Vec<u8>),
    /// Writes a head, then body bytes forever (until the client goes away).
    Endless(String),
    /// Closes the connection without answering.
    Close,
}

type Handler = Arc<dyn Fn(&Seen, usize) -> Reply + Send + Sync>;

struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// `handler(request, index of the request on its connection)`.
    fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Handler = Arc::new(handler);
        let (seen2, connections2, stop2) = (seen.clone(), connections.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                connections2.fetch_add(1, Ordering::SeqCst);
                let (seen, handler) = (seen2.clone(), handler.clone());
                std::thread::spawn(move || serve_connection(stream, &seen, &handler));
            }
        });
        Server { port, seen, connections, stop }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn targets(&self) -> Vec<String> {
        self.seen().into_iter().map(|s| s.target).collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve_connection(stream: TcpStream, seen: &Mutex<Vec<Seen>>, handler: &Handler) {
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    for index in 0.. {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let target = line.split_whitespace().nth(1).unwrap_or_default().to_string();
        let mut headers = Vec::new();
        let mut length = 0;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap_or((header, ""));
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_string());
            if name == "content-length" {
                length = value.parse().unwrap_or(0);
            }
            headers.push((name, value));
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let request = Seen { target, headers };
        seen.lock().unwrap().push(request.clone());
        match handler(&request, index) {
            Reply::Bytes(bytes) => {
                if writer.write_all(&bytes).is_err() {
                    return;
                }
            }
            Reply::Endless(head) => {
                if writer.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
                while writer.write_all(chunk.as_bytes()).is_ok() {}
                return;
            }
            Reply::Close => return,
        }
    }
}

fn respond(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut out = format!("HTTP/1.1 {status} Whatever\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    Reply::Bytes(out.into_bytes())
}

fn user_a() -> String {
    json!({"name": "UserA", "id": "fc763eba-0905-41c5-a27f-3934ab26786c", "created_on": "2016-12-15T20:16:01", "admin": false}).to_string()
}

// ---------------------------------------------------------------------------------------------
// Running `pact`, bounded.

const LIMIT: Duration = Duration::from_secs(60);

/// Runs `pact` with `args`, killing it (and failing the test) if it runs longer than `LIMIT`.
fn pact(args: &[String]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pact"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("RUST_LOG", "off")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let stdout = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = out.read_to_end(&mut text);
        text
    });
    let stderr = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = err.read_to_end(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            panic!("pact {args:?} ran for more than {LIMIT:?} and was killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output { status, stdout: stdout.join().unwrap(), stderr: stderr.join().unwrap() }
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn verify(base: &str, pact: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "verify".to_string(),
        format!("--provider-base-url={base}"),
        format!("--pact-url={}", pact.display()),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    pact_args(args)
}

fn pact_args(args: Vec<String>) -> Output {
    pact(&args)
}

/// Writes a pact with these interactions (V3 unless the interactions say otherwise).
fn write_pact(dir: &Path, name: &str, interactions: Value) -> PathBuf {
    let path = dir.join(name);
    let pact = json!({"consumer": {"name": "C"}, "provider": {"name": "P"}, "interactions": interactions,
                      "metadata": {"pactSpecification": {"version": "3.0.0"}}});
    std::fs::write(&path, pact.to_string()).unwrap();
    path
}

fn get(description: &str, path: &str, status: u16) -> Value {
    json!({"description": description, "request": {"method": "GET", "path": path}, "response": {"status": status}})
}

fn demo_pact() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("tests/pacts/UserServiceClient-UserService.json")
}

// ---------------------------------------------------------------------------------------------
// 1. A pact's path cannot change the target.

#[test]
fn a_path_naming_another_host_is_refused_and_never_reaches_it() {
    let other = Server::start(|_, _| respond(200, &[("Content-Type", "application/json")], &user_a()));
    let provider = Server::start(|_, _| respond(200, &[("Content-Type", "application/json")], &user_a()));
    let dir = tempfile::tempdir().unwrap();
    let hostile = format!("@127.0.0.1:{}/users/UserA", other.port);
    let pact = write_pact(dir.path(), "hostile.json", json!([get("a request", &hostile, 200)]));
    let output = verify(&provider.url(), &pact, &["-H", "Authorization: Bearer s3cret"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.trim(),
        format!(
            "pact: {}: $.interactions[0].request.path: expected a path starting with \"/\", found {:?}",
            pact.display(),
            hostile
        )
    );
    assert_eq!(other.connections.load(Ordering::SeqCst), 0, "the other host was contacted");
    assert!(provider.seen().is_empty());
}

#[test]
fn paths_that_look_like_hosts_stay_on_the_provider_with_its_credentials() {
    let other = Server::start(|_, _| respond(200, &[], ""));
    let provider = Server::start(|_, _| respond(200, &[], ""));
    let dir = tempfile::tempdir().unwrap();
    let port = other.port;
    let paths = [
        format!("//127.0.0.1:{port}/users/UserA"),
        format!("/@127.0.0.1:{port}/users/UserA"),
        format!("/\\\\127.0.0.1:{port}/x"),
    ];
    let interactions: Vec<Value> =
        paths.iter().enumerate().map(|(i, p)| get(&format!("r{i}"), p, 200)).collect();
    let pact = write_pact(dir.path(), "tricky.json", Value::Array(interactions));
    let base = format!("http://user:pw@127.0.0.1:{}", provider.port);
    let output = verify(&base, &pact, &["-H", "Authorization: Bearer s3cret"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert_eq!(other.connections.load(Ordering::SeqCst), 0, "the other host was contacted");
    let targets = provider.targets();
    assert_eq!(
        targets,
        [
            format!("//127.0.0.1:{port}/users/UserA"),
            format!("/@127.0.0.1:{port}/users/UserA"),
            format!("/%5C%5C127.0.0.1:{port}/x"),
        ]
    );
    for request in provider.seen() {
        assert!(request.headers.contains(&("authorization".into(), "Bearer s3cret".into())), "{request:?}");
    }
}

#[test]
fn hash_question_mark_and_spaces_are_sent_as_written_under_the_base_path() {
    let provider = Server::start(|_, _| respond(200, &[], ""));
    let dir = tempfile::tempdir().unwrap();
    let mut with_query = get("query", "/a?b", 200);
    with_query["request"]["query"] = json!({"q": ["x y"]});
    let pact = write_pact(
        dir.path(),
        "chars.json",
        json!([
            get("hash", "/a#b", 200),
            with_query,
            get("space", "/a b/%41", 200),
            get("dots", "/a/../admin", 200)
        ]),
    );
    let output = verify(&format!("{}/api/", provider.url()), &pact, &[]);
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let mut targets = provider.targets();
    targets.sort();
    assert_eq!(targets, ["/api/a%20b/%41", "/api/a%23b", "/api/a%3Fb?q=x+y"]);
    assert!(
        stdout.contains(
            r#"the path "/a/../admin" cannot be sent as written: an HTTP client would send /api/admin"#
        ),
        "{stdout}"
    );
    assert!(stdout.contains("    dots ... ERROR"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// 2. Redirects are not followed, unless asked, and then only within the provider.

fn redirecting(to: String) -> Server {
    Server::start(move |request, _| {
        if request.target.starts_with("/real/") {
            respond(200, &[("Content-Type", "application/json")], &user_a())
        } else {
            let location = to.replace("{path}", &request.target);
            respond(302, &[("Location", &location)], "")
        }
    })
}

#[test]
fn a_redirecting_provider_fails_and_a_pact_expecting_302_passes() {
    let provider = redirecting("/real{path}".into());
    let dir = tempfile::tempdir().unwrap();
    let output = verify(&provider.url(), &demo_pact(), &["--filter-state=exists and"]);
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("$.status: expected status 200 but found 302"), "{stdout}");
    assert_eq!(provider.targets(), ["/users/UserA"], "the redirect was followed");

    let expects_302 = write_pact(dir.path(), "302.json", json!([get("moved", "/users/UserA", 302)]));
    let output = verify(&provider.url(), &expects_302, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output).0);

    let output = verify(&provider.url(), &demo_pact(), &["--filter-state=exists and", "--follow-redirects"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output).0);
    assert!(provider.targets().contains(&"/real/users/UserA".to_string()));
}

#[test]
fn an_opted_in_redirect_to_another_host_is_an_error() {
    let other = Server::start(|_, _| respond(200, &[("Content-Type", "application/json")], &user_a()));
    let provider = redirecting(format!("{}/real{{path}}", other.url()));
    let output = verify(&provider.url(), &demo_pact(), &["--filter-state=exists and", "--follow-redirects"]);
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("the provider redirected to {}/real/users/UserA, away from", other.url())),
        "{stdout}"
    );
    assert_eq!(other.connections.load(Ordering::SeqCst), 0);
}

// ---------------------------------------------------------------------------------------------
// 3. A run that verifies nothing does not pass; pending failures are said not to count.

#[test]
fn a_pact_with_nothing_to_verify_exits_non_zero_with_one_line() {
    let provider = Server::start(|_, _| respond(200, &[], ""));
    let dir = tempfile::tempdir().unwrap();
    let none = dir.path().join("none.json");
    std::fs::write(&none, r#"{"consumer": {"name": "C"}, "provider": {"name": "P"}}"#).unwrap();
    let empty = write_pact(dir.path(), "empty.json", json!([]));
    let messages = dir.path().join("messages.json");
    std::fs::write(
        &messages,
        json!({"consumer": {"name": "C"}, "provider": {"name": "P"}, "messages": [{"description": "m", "contents": {"a": 1}}],
               "metadata": {"pactSpecification": {"version": "3.0.0"}}})
        .to_string(),
    )
    .unwrap();
    for (pact, why) in [(&none, "has no interactions"), (&empty, "has no interactions")] {
        let output = verify(&provider.url(), pact, &[]);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{stdout}\n{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("pact: nothing to verify: the "), "{stderr}");
        assert!(stderr.contains(&pact.display().to_string()) && stderr.contains(why), "{stderr}");
    }
    assert!(provider.seen().is_empty());
    // A message pact is verified, as by pact_verifier_cli: its message is asked of the base URL,
    // and an empty answer does not pass.
    let output = verify(&provider.url(), &messages, &[]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert_eq!(provider.targets(), ["/"], "{stdout}");
}

#[test]
fn pending_failures_do_not_fail_the_run_and_the_last_line_says_so() {
    let provider = Server::start(|_, _| respond(500, &[], ""));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pending.json");
    let interaction = |d: &str, pending: bool| {
        json!({"type": "Synchronous/HTTP", "description": d, "pending": pending,
               "request": {"method": "GET", "path": "/x"}, "response": {"status": if pending { 200 } else { 500 }}})
    };
    std::fs::write(
        &path,
        json!({"consumer": {"name": "C"}, "provider": {"name": "P"}, "interactions": [interaction("new", true), interaction("old", false)],
               "metadata": {"pactSpecification": {"version": "4.0"}}})
        .to_string(),
    )
    .unwrap();
    let output = verify(&provider.url(), &path, &[]);
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert_eq!(
        stdout.lines().last().unwrap(),
        "2 interactions: 1 passed, 0 failed; 1 pending interaction(s) failed, which does not fail the verification"
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Memory is bounded.

#[test]
fn an_endless_body_is_refused_within_the_cap() {
    let provider = Server::start(|_, _| {
        Reply::Endless(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n".into(),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let pact = write_pact(dir.path(), "big.json", json!([get("big", "/big", 200)]));
    let output = verify(&provider.url(), &pact, &["--max-response-size=1MiB"]);
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "the response to GET {}/big has a body of more than 1.0 MiB (the rest was not read), more than the 1.0 MiB allowed (raise it with --max-response-size)",
            provider.url()
        )),
        "{stdout}"
    );
    // The default cap, 64 MiB, on an endless stream.
    let started = Instant::now();
    let output = verify(&provider.url(), &pact, &["--request-timeout=30000"]);
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("has a body of more than 64.0 MiB (the rest was not read)"), "{stdout}");
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn a_declared_1_gib_body_is_refused_before_it_is_read() {
    let provider = Server::start(|_, _| {
        Reply::Endless(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1073741824\r\n\r\n".into(),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let pact = write_pact(dir.path(), "big.json", json!([get("big", "/big", 200)]));
    let output = verify(&provider.url(), &pact, &[]);
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("has a body of 1.0 GiB (its Content-Length), more than the 64.0 MiB allowed"),
        "{stdout}"
    );
}

#[test]
fn a_pact_url_is_capped_while_it_streams() {
    let endless = Server::start(|_, _| {
        Reply::Endless(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".into(),
        )
    });
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let options = pact_core::model::ReadOptions { max_file_bytes: 1 << 20, ..Default::default() };
    let error = runtime
        .block_on(async {
            tokio::time::timeout(
                Duration::from_secs(30),
                pact_core::verify::Verifier::http("http://127.0.0.1:9")
                    .unwrap()
                    .read_options(options)
                    .pact(pact_core::verify::PactSource::Url(format!("{}/pact.json", endless.url())))
                    .verify(),
            )
            .await
        })
        .expect("the download was not cut off")
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        format!(
            "{}/pact.json: the pact has a body of more than 1.0 MiB (the rest was not read), more than the 1.0 MiB allowed (the limit of a pact file)",
            endless.url()
        )
    );
    // A declared size over the limit is refused without reading.
    let declared =
        Server::start(|_, _| Reply::Endless("HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n".into()));
    let output = pact_args(vec![
        "verify".into(),
        "--provider-base-url=http://127.0.0.1:9".into(),
        format!("--pact-url={}/pact.json", declared.url()),
    ]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr
            .contains("the pact has a body of 1.0 GiB (its Content-Length), more than the 256.0 MiB allowed"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Configuration errors are configuration errors.

#[test]
fn bad_base_urls_timeouts_and_report_paths_are_usage_errors_before_any_request() {
    let provider = Server::start(|_, _| respond(200, &[], ""));
    let dir = tempfile::tempdir().unwrap();
    let pact = write_pact(dir.path(), "p.json", json!([get("x", "/x", 200)]));
    let url = provider.url();
    let cases: Vec<(String, Vec<String>, &str)> = vec![
        ("http://".into(), vec![], "the provider base URL \"http://\" is not a URL (empty host)"),
        ("notaurl".into(), vec![], "the provider base URL \"notaurl\" is not a URL"),
        ("ftp://x".into(), vec![], "must start with http:// or https://"),
        ("http://localhost:99999".into(), vec![], "is not a URL (invalid port number)"),
        (url.clone(), vec!["--request-timeout=0".into()], "--request-timeout"),
        (url.clone(), vec!["--request-timeout=600001".into()], "--request-timeout"),
        (url.clone(), vec!["--max-response-size=12 parsecs".into()], "unknown unit"),
        (url.clone(), vec![format!("--json={}/missing/r.json", dir.path().display())], "--json"),
        (url.clone(), vec![format!("--junit={}", dir.path().display())], "is a directory"),
        (
            url.clone(),
            vec!["--provider-states-setup-url=http://".into()],
            "the state-change URL \"http://\" is not a URL",
        ),
    ];
    for (base, extra, message) in cases {
        let mut args = vec![
            "verify".to_string(),
            format!("--provider-base-url={base}"),
            format!("--pact-url={}", pact.display()),
        ];
        args.extend(extra.clone());
        let output = pact_args(args);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{base} {extra:?}: {stderr}");
        assert!(stderr.lines().next().unwrap_or_default().contains(message), "{base} {extra:?}: {stderr}");
    }
    assert!(provider.seen().is_empty(), "a request was sent before the configuration was checked");
    assert!(!dir.path().join("missing").exists());
}

// ---------------------------------------------------------------------------------------------
// 6. Warnings reach the human and the JSON report.

#[test]
fn reader_warnings_are_in_the_human_and_json_reports() {
    let provider = Server::start(|_, _| respond(200, &[], ""));
    let dir = tempfile::tempdir().unwrap();
    let pact = dir.path().join("warned.json");
    std::fs::write(
        &pact,
        r#"{"consumer": {"name": "C"}, "provider": {"name": "P"},
            "interactions": [{"description": "d", "request": {"method": "GET", "path": "/x", "path": "/y"},
                              "response": {"status": 200}}],
            "metadata": {"pactSpecification": {"version": "7.0.0"}}}"#,
    )
    .unwrap();
    let json_path = dir.path().join("report.json");
    let output = verify(&provider.url(), &pact, &[&format!("--json={}", json_path.display())]);
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("  warning: $.interactions[0].request.path: this key appears more than once in its object; the last value is used"), "{stdout}");
    assert!(stdout.contains("  warning: $.metadata.pactSpecification.version: unknown specification version \"7.0.0\"; read as V3"), "{stdout}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let warnings = report["pacts"][0]["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(provider.targets(), ["/y"]);
}

// ---------------------------------------------------------------------------------------------
// 8. Keep-alive resilience.

#[test]
fn a_pooled_connection_the_provider_closed_is_retried_once() {
    // Each connection answers its first request and keeps alive; a second request on it is read
    // and the connection closed unanswered, as when a provider's idle timeout races the client.
    let provider = Server::start(|_, index| if index == 0 { respond(200, &[], "") } else { Reply::Close });
    let dir = tempfile::tempdir().unwrap();
    let pact = write_pact(
        dir.path(),
        "p.json",
        json!([get("first", "/1", 200), get("second", "/2", 200), get("third", "/3", 200)]),
    );
    let output = verify(&provider.url(), &pact, &[]);
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("3 interactions: 3 passed, 0 failed"), "{stdout}");
    assert_eq!(provider.targets(), ["/1", "/2", "/2", "/3", "/3"]);

    // Not for a POST: it is not idempotent, so it fails rather than being sent twice.
    let mut post = get("post", "/p", 200);
    post["request"]["method"] = json!("POST");
    let pact = write_pact(dir.path(), "post.json", json!([get("first", "/1", 200), post]));
    let provider = Server::start(|_, index| if index == 0 { respond(200, &[], "") } else { Reply::Close });
    let output = verify(&provider.url(), &pact, &[]);
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert_eq!(provider.targets(), ["/1", "/p"]);
}
