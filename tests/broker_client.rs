//! The broker client against small in-test brokers that misbehave on purpose: retries after a
//! 500, giving up with the broker's own message, a broker that is down, 401, HAL templates and
//! hrefs naming another host, the classic publish flow of old brokers, bounded answers, and
//! HTTPS with a certificate from a CA made for the test. (The real `pact-broker` is exercised
//! end to end by `pact-cli/tests/broker_e2e.rs`.)

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use pact_core::broker::{
    load_contracts, Auth, BrokerClient, BrokerConfig, BrokerError, PactSelection, PublishOptions,
};
use pact_core::tls::TlsOptions;
use serde_json::{json, Value};

/// One request the fake broker saw.
#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    uri: String,
    headers: HeaderMap,
    body: Bytes,
}

type Answer = (StatusCode, &'static str, String);
type Handler = dyn Fn(&Seen, usize) -> Answer + Send + Sync;

/// A fake broker: every request is logged and answered by `handler(request, index)`.
async fn fake(
    handler: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static,
) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let log: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let handler: Arc<Handler> = Arc::new(handler);
    let app = {
        let log = log.clone();
        axum::Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let (log, handler) = (log.clone(), handler.clone());
            async move {
                let seen = Seen { method, uri: uri.to_string(), headers, body };
                let n = {
                    let mut log = log.lock().unwrap();
                    log.push(seen.clone());
                    log.len() - 1
                };
                let (status, content_type, body) = handler(&seen, n);
                Response::builder()
                    .status(status)
                    .header("content-type", content_type)
                    .body(axum::body::Body::from(body))
                    .unwrap()
                    .into_response()
            }
        })
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, log)
}

const HAL: &str = "application/hal+json;charset=utf-8";

fn ok(body: Value) -> Answer {
    (StatusCode::OK, HAL, body.to_string())
}

fn client(url: &str, retries: u32) -> BrokerClient {
    let mut config = BrokerConfig::new(url);
    config.retries = retries;
    config.backoff = Duration::from_millis(5);
    config.timeout = Duration::from_secs(5);
    BrokerClient::new(config).unwrap()
}

#[tokio::test]
async fn a_500_is_retried_and_the_answer_after_it_is_used() {
    let (url, log) = fake(|_, n| {
        if n == 0 {
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                HAL,
                json!({"error": {"message": "database is restarting"}}).to_string(),
            )
        } else {
            ok(json!({"_links": {"self": {"href": "/"}}}))
        }
    })
    .await;
    let index = client(&url, 3).index().await.unwrap();
    assert!(index.link("self").is_some());
    assert_eq!(log.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn after_the_retries_the_error_carries_the_brokers_message() {
    let (url, log) = fake(|_, _| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            HAL,
            json!({"error": {"message": "database is down", "reference": "r1"}}).to_string(),
        )
    })
    .await;
    let err = client(&url, 2).index().await.unwrap_err();
    assert_eq!(log.lock().unwrap().len(), 3);
    assert!(err.is_transient());
    assert_eq!(
        err.to_string(),
        format!("GET {url}/: 503 Service Unavailable: database is down (reference r1) (after 3 attempts)")
    );
}

#[tokio::test]
async fn a_broker_that_is_down_is_a_connection_error_naming_the_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = client(&url, 1).index().await.unwrap_err();
    assert!(matches!(err, BrokerError::Connect { attempts: 2, .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.starts_with(&format!("GET {url}/: cannot connect to the broker: ")), "{text}");
    assert!(text.ends_with("(after 2 attempts)"), "{text}");
}

#[tokio::test]
async fn credentials_are_sent_and_a_401_says_which_to_check() {
    let (url, log) = fake(|seen, _| {
        let auth = seen.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
        // "pactbroker:pactbroker" in base64, or a bearer token.
        if auth == "Basic cGFjdGJyb2tlcjpwYWN0YnJva2Vy" || auth == "Bearer t0k3n" {
            ok(json!({"_links": {}}))
        } else {
            (StatusCode::UNAUTHORIZED, "text/plain", String::new())
        }
    })
    .await;
    let with = |auth: Auth| {
        let mut config = BrokerConfig::new(&url).auth(auth);
        config.retries = 0;
        BrokerClient::new(config).unwrap()
    };
    with(Auth::Basic { username: "pactbroker".into(), password: "pactbroker".into() }).index().await.unwrap();
    with(Auth::Bearer("t0k3n".into())).index().await.unwrap();
    let err = with(Auth::Basic { username: "pactbroker".into(), password: "wrong".into() })
        .index()
        .await
        .unwrap_err();
    assert!(matches!(err, BrokerError::Unauthorized { .. }), "{err:?}");
    assert!(err.to_string().contains("401 Unauthorized: check the broker credentials"), "{err}");
    // A 401 is not retried.
    assert_eq!(log.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn templates_are_percent_encoded_and_foreign_hrefs_go_to_the_configured_broker() {
    let (url, log) = fake(|seen, _| match seen.uri.as_str() {
        "/" => ok(json!({"_links": {
            "pb:latest-provider-pacts": {"href": "http://broker.internal:9292/pacts/provider/{provider}/latest", "templated": true}
        }})),
        _ => (StatusCode::NOT_FOUND, HAL, json!({"error": "No provider with name 'User Service/v2'"}).to_string()),
    })
    .await;
    let err = client(&url, 0)
        .pacts_for_verification(&PactSelection::provider("User Service/v2"))
        .await
        .unwrap_err();
    let seen: Vec<String> = log.lock().unwrap().iter().map(|s| s.uri.clone()).collect();
    assert_eq!(seen, vec!["/", "/pacts/provider/User%20Service%2Fv2/latest"]);
    assert!(matches!(err, BrokerError::NoPacts { .. }), "{err:?}");
    assert!(err.to_string().starts_with("no pacts found for provider \"User Service/v2\""), "{err}");
}

#[tokio::test]
async fn pending_and_wip_come_from_the_pacts_for_verification_answer() {
    let pact = json!({
        "consumer": {"name": "C"}, "provider": {"name": "P"},
        "interactions": [{"description": "d", "request": {"method": "GET", "path": "/"}, "response": {"status": 200}}],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
        "_links": {"pb:publish-verification-results": {"href": "/pacts/provider/P/consumer/C/pact-version/abc/verification-results"}}
    });
    let (url, log) = fake(move |seen, _| match (seen.method.as_str(), seen.uri.as_str()) {
        ("GET", "/") => ok(json!({"_links": {
            "pb:provider-pacts-for-verification": {"href": "/pacts/provider/{provider}/for-verification", "templated": true}
        }})),
        ("GET", "/pacts/provider/P/for-verification") => {
            ok(json!({"_links": {"self": {"href": "/pacts/provider/P/for-verification"}}}))
        }
        ("POST", "/pacts/provider/P/for-verification") => ok(json!({"_embedded": {"pacts": [{
            "shortDescription": "latest from branch feat-x",
            "verificationProperties": {"pending": true, "wip": true, "notices": [
                {"when": "before_verification", "text": "This pact is in pending state for this version of P because..."},
                {"when": "after_verification:success_false_published_true", "text": "This does not fail the build."}
            ]},
            "_links": {"self": {"href": "/pacts/provider/P/consumer/C/pact-version/abc/metadata/xyz"}}
        }]}})),
        ("GET", "/pacts/provider/P/consumer/C/pact-version/abc/metadata/xyz") => ok(pact.clone()),
        _ => (StatusCode::NOT_FOUND, HAL, "{}".into()),
    })
    .await;
    let selection = PactSelection {
        selectors: vec![json!({"mainBranch": true})],
        provider_branch: Some("main".into()),
        include_pending: true,
        include_wip_since: Some("2024-01-01".into()),
        ..PactSelection::provider("P")
    };
    let pacts = client(&url, 0).pacts_for_verification(&selection).await.unwrap();
    assert_eq!(pacts.len(), 1);
    let p = &pacts[0];
    assert!(p.pending && p.wip);
    assert_eq!(p.description, "latest from branch feat-x");
    assert_eq!(p.pending_reason().unwrap(), "This pact is in pending state for this version of P because...");
    assert_eq!(
        p.notices_for("after_verification:success_false_published_true"),
        vec!["This does not fail the build."]
    );
    let post = log.lock().unwrap().iter().find(|s| s.method == Method::POST).cloned().unwrap();
    let body: Value = serde_json::from_slice(&post.body).unwrap();
    assert_eq!(
        body,
        json!({"consumerVersionSelectors": [{"mainBranch": true}], "includePendingStatus": true,
               "providerVersionBranch": "main", "includeWipPactsSince": "2024-01-01"})
    );
    assert_eq!(post.headers["content-type"], "application/json");
}

fn demo_pacts_dir() -> String {
    format!("{}/tests/pacts", env!("CARGO_MANIFEST_DIR"))
}

/// The demo's HTTP pact (the directory also holds the demo's event pacts).
fn demo_pact() -> String {
    format!("{}/UserServiceClient-UserService.json", demo_pacts_dir())
}

#[tokio::test]
async fn publish_sends_the_official_body_and_reports_validation_errors() {
    let (url, log) = fake(|seen, _| match seen.uri.as_str() {
        "/" => ok(json!({"_links": {"pb:publish-contracts": {"href": "/contracts/publish"}}})),
        _ => {
            let body: Value = serde_json::from_slice(&seen.body).unwrap();
            if body["pacticipantVersionNumber"] == "bad" {
                (StatusCode::BAD_REQUEST, HAL, json!({"errors": {"pacticipantVersionNumber": ["is invalid"]}}).to_string())
            } else {
                ok(json!({"notices": [{"type": "success", "text": "Pact successfully published"}],
                          "_links": {"pb:contracts": [{"href": "http://x/pacts/provider/UserService/consumer/UserServiceClient/version/0.1"}]}}))
            }
        }
    })
    .await;
    let contracts = load_contracts(&[demo_pact()]).unwrap();
    let options = PublishOptions {
        version: "0.1".into(),
        branch: Some("main".into()),
        tags: vec!["a".into(), "b".into()],
        build_url: Some("http://ci/1".into()),
        merge: false,
    };
    let published = client(&url, 0).publish(&contracts, &options).await.unwrap();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].notices[0].text, "Pact successfully published");
    assert!(!published[0].classic);
    let post = log.lock().unwrap()[1].clone();
    let body: Value = serde_json::from_slice(&post.body).unwrap();
    assert_eq!(body["pacticipantName"], "UserServiceClient");
    assert_eq!(body["branch"], "main");
    assert_eq!(body["tags"], json!(["a", "b"]));
    assert_eq!(body["buildUrl"], "http://ci/1");
    let contract = &body["contracts"][0];
    assert_eq!(contract["providerName"], "UserService");
    assert_eq!(contract["specification"], "pact");
    assert_eq!(contract["onConflict"], "overwrite");
    use base64::Engine as _;
    let content =
        base64::engine::general_purpose::STANDARD.decode(contract["content"].as_str().unwrap()).unwrap();
    let file = std::fs::read(format!("{}/UserServiceClient-UserService.json", demo_pacts_dir())).unwrap();
    assert_eq!(content, file);

    let err = client(&url, 0)
        .publish(&contracts, &PublishOptions { version: "bad".into(), ..Default::default() })
        .await
        .unwrap_err();
    assert!(err.to_string().ends_with("400 Bad Request: pacticipantVersionNumber: is invalid"), "{err}");
}

#[tokio::test]
async fn an_old_broker_gets_the_classic_put_with_branch_and_tags_first() {
    let (url, log) = fake(|seen, _| match seen.uri.as_str() {
        "/" => ok(json!({"_links": {
            "pb:publish-pact": {"href": "/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}", "templated": true},
            "pb:pacticipant-version-tag": {"href": "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}", "templated": true},
            "pb:pacticipant-branch-version": {"href": "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}", "templated": true},
        }})),
        _ => (StatusCode::CREATED, HAL, "{}".into()),
    })
    .await;
    let contracts = load_contracts(&[demo_pact()]).unwrap();
    let options = PublishOptions {
        version: "0.1 beta".into(),
        branch: Some("feat/x".into()),
        tags: vec!["dev".into()],
        ..Default::default()
    };
    let published = client(&url, 0).publish(&contracts, &options).await.unwrap();
    assert!(published[0].classic);
    let seen: Vec<String> = log.lock().unwrap().iter().map(|s| format!("{} {}", s.method, s.uri)).collect();
    assert_eq!(
        seen,
        vec![
            "GET /",
            "PUT /pacticipants/UserServiceClient/branches/feat%2Fx/versions/0.1%20beta",
            "PUT /pacticipants/UserServiceClient/versions/0.1%20beta/tags/dev",
            "PUT /pacts/provider/UserService/consumer/UserServiceClient/version/0.1%20beta",
        ]
    );
}

#[tokio::test]
async fn answers_are_bounded_and_must_be_json() {
    let (url, _) = fake(|seen, _| match seen.uri.as_str() {
        "/" => ok(json!({"_links": {"self": {"href": "/"}}, "padding": "x".repeat(5000)})),
        _ => (StatusCode::OK, "text/html", "<html>a login page</html>".into()),
    })
    .await;
    let mut config = BrokerConfig::new(&url);
    config.max_response_bytes = 1000;
    let err = BrokerClient::new(config).unwrap().index().await.unwrap_err();
    assert_eq!(err.to_string(), format!("{url}/: the answer is larger than 1000 bytes"));

    let c = client(&url, 0);
    let err = c.get(c.resolve("/login").unwrap()).await.unwrap_err();
    assert!(
        err.to_string().contains("expected a JSON answer (application/hal+json), found text/html"),
        "{err}"
    );
}

#[tokio::test]
async fn https_brokers_are_trusted_through_the_ca_file_or_not_at_all() {
    let app = axum::Router::new()
        .fallback(|| async { ([("content-type", HAL)], json!({"_links": {}}).to_string()) });
    let server = test_support::tls::serve_https(app).await;
    let make = |tls: TlsOptions| {
        let mut config = BrokerConfig::new(&server.url);
        config.retries = 0;
        config.tls = tls;
        BrokerClient::new(config).unwrap()
    };
    // The system's roots do not know the test's CA.
    let err = make(TlsOptions::default()).index().await.unwrap_err();
    assert!(matches!(err, BrokerError::Connect { .. }), "{err:?}");
    assert!(err.to_string().to_lowercase().contains("certificate"), "{err}");
    // With the CA file, or with verification off, it works.
    make(TlsOptions::with_ca_files([server.ca_file.clone()])).index().await.unwrap();
    make(TlsOptions { disable_verification: true, ..TlsOptions::default() }).index().await.unwrap();
    // A localhost name is checked against the certificate too.
    let by_name = server.url.replace("127.0.0.1", "localhost");
    let mut config = BrokerConfig::new(&by_name);
    config.tls = TlsOptions::with_ca_files([server.ca_file.clone()]);
    BrokerClient::new(config).unwrap().index().await.unwrap();
}

#[tokio::test]
async fn the_verifier_reaches_an_https_provider_with_the_ca_file() {
    let state = demo_user_service::AppState::default();
    let server = test_support::tls::serve_https(demo_user_service::app(state, true)).await;
    let pact = format!("{}/UserServiceClient-UserService.json", demo_pacts_dir());
    let verify = |tls: TlsOptions| {
        let (url, pact) = (server.url.clone(), pact.clone());
        async move {
            pact_core::verify::Verifier::http_with_tls(&url, &tls)
                .unwrap()
                .pact(pact_core::verify::PactSource::File(pact.into()))
                .state_url(&format!("{url}/_pact/provider_states"))
                .unwrap()
                .verify()
                .await
                .unwrap()
        }
    };
    let report = verify(TlsOptions::with_ca_files([server.ca_file.clone()])).await;
    assert!(report.success(), "{}", report.to_human(false));
    let report = verify(TlsOptions::default()).await;
    assert!(!report.success());
    let human = report.to_human(false);
    assert!(human.to_lowercase().contains("certificate"), "{human}");
}

#[tokio::test]
async fn a_client_for_an_http_origin_trusts_only_the_ca_files_and_still_checks_them() {
    // The verifier's clients for an http provider and state-change URL skip the system's trust
    // store; sent to an https URL by mistake, such a client must refuse the certificate rather
    // than trust it, honour the CA files, and still report a wrong CA file.
    let server = test_support::tls::serve_https(axum::Router::new().fallback(|| async { "ok" })).await;
    let http_origin = reqwest::Url::parse("http://127.0.0.1:1").unwrap();
    let https = reqwest::Url::parse(&server.url).unwrap();
    let client = TlsOptions::default().build_client_for_origin(&http_origin, |b| b).unwrap();
    let err = client.get(https.clone()).send().await.unwrap_err();
    assert!(format!("{err:?}").to_lowercase().contains("certificate"), "{err:?}");
    let with_ca = TlsOptions::with_ca_files([server.ca_file.clone()]);
    let client = with_ca.build_client_for_origin(&http_origin, |b| b).unwrap();
    assert_eq!(client.get(https).send().await.unwrap().status(), StatusCode::OK);
    let bad = TlsOptions::with_ca_files(["no/such/ca.pem".into()]);
    let err = bad.build_client_for_origin(&http_origin, |b| b).unwrap_err();
    assert!(err.to_string().starts_with("no/such/ca.pem: cannot read the CA certificate file"), "{err}");
    let err = pact_core::verify::Verifier::http_with_tls("http://127.0.0.1:1", &bad).err().unwrap();
    assert!(err.to_string().starts_with("no/such/ca.pem: cannot read the CA certificate file"), "{err}");
}

#[tokio::test]
async fn a_408_and_a_429_are_retried_honouring_retry_after_and_a_404_is_not() {
    // 408, then 429 with `Retry-After: 1`, then the index.
    let seen = Arc::new(Mutex::new(Vec::<std::time::Instant>::new()));
    let log = seen.clone();
    let app = axum::Router::new().fallback(move || {
        let log = log.clone();
        async move {
            let n = {
                let mut log = log.lock().unwrap();
                log.push(std::time::Instant::now());
                log.len() - 1
            };
            let builder = Response::builder().header("content-type", HAL);
            match n {
                0 => builder.status(StatusCode::REQUEST_TIMEOUT).body(axum::body::Body::from("{}")).unwrap(),
                1 => builder
                    .status(StatusCode::TOO_MANY_REQUESTS)
                    .header("retry-after", "1")
                    .body(axum::body::Body::from(r#"{"error": {"message": "slow down"}}"#))
                    .unwrap(),
                _ => builder
                    .status(StatusCode::OK)
                    .body(axum::body::Body::from(json!({"_links": {"self": {"href": "/"}}}).to_string()))
                    .unwrap(),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let index = client(&url, 3).index().await.unwrap();
    assert!(index.link("self").is_some());
    let times = seen.lock().unwrap().clone();
    assert_eq!(times.len(), 3);
    // The back-off is 5 ms; the wait after the 429 is the broker's second.
    assert!(times[2] - times[1] >= Duration::from_millis(950), "{:?}", times[2] - times[1]);
    assert!(times[1] - times[0] < Duration::from_millis(900), "{:?}", times[1] - times[0]);

    // A 404 is an answer, not a failure to retry.
    let (url, log) =
        fake(|_, _| (StatusCode::NOT_FOUND, HAL, json!({"error": {"message": "no such thing"}}).to_string()))
            .await;
    let err = client(&url, 3).index().await.unwrap_err();
    assert_eq!(log.lock().unwrap().len(), 1, "{err}");
    assert!(!err.is_transient(), "{err:?}");
    assert!(err.to_string().contains("no such thing"), "{err}");
}
