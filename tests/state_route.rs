//! The state-change route (`POST /_pact/provider_states`) answers the caller's mistakes with a
//! 400 that names what is wrong, and applies nothing when it refuses a call. Driven over HTTP
//! against the demo service on an ephemeral loopback port; every call has a timeout.

use std::time::Duration;

use demo_user_service::{app, AppState};
use serde_json::{json, Value};

struct Service {
    url: String,
    client: reqwest::Client,
}

async fn serve() -> Service {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app(AppState::default(), true)).await;
    });
    let client = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(10)).build().unwrap();
    Service { url, client }
}

impl Service {
    async fn state(&self, body: &str) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}/_pact/provider_states", self.url))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    async fn user_exists(&self, name: &str) -> bool {
        let response = self.client.get(format!("{}/users/{name}", self.url)).send().await.unwrap();
        response.status() == 200
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_or_ill_typed_parameter_is_a_400_naming_it() {
    let service = serve().await;
    let cases = [
        (json!({"state": "a user exists"}), "name", "the provider-state parameter \"name\" is missing"),
        (json!({"state": "a user exists", "params": {"name": 5}}), "name", "\"name\" has the wrong type"),
        (
            json!({"state": "a user exists", "params": {"name": "UserB", "admin": "yes"}}),
            "admin",
            "\"admin\" has the wrong type",
        ),
    ];
    for (body, parameter, message) in cases {
        let (status, answer) = service.state(&body.to_string()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(answer["parameter"], parameter, "{answer}");
        assert!(answer["error"].as_str().unwrap().contains(message), "{answer}");
    }
    assert!(!service.user_exists("UserB").await, "a refused call must not create the user");
    let (status, answer) =
        service.state(&json!({"state": "a user exists", "params": {"name": "UserB"}}).to_string()).await;
    assert_eq!((status, answer["name"].as_str()), (200, Some("UserB")));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ill_typed_field_of_the_call_is_a_400_naming_the_field() {
    let service = serve().await;
    let cases = [
        (r#"{"state": 5}"#, r#""state" must be a string, not 5"#),
        (r#"{"states": "UserA exists"}"#, r#""states" must be an array of state names, not "UserA exists""#),
        (r#"{"states": ["UserA exists", 7]}"#, r#""states[1]" must be a string, not 7"#),
        (r#"{"state": "UserA exists", "params": [1]}"#, r#""params" must be a JSON object, not an array"#),
        (r#"{"state": "UserA exists", "action": 1}"#, r#""action" must be a string, not 1"#),
        (
            r#"{"state": "UserA exists", "action": "explode"}"#,
            r#""action" must be "setup" or "teardown", not "explode""#,
        ),
        (r#"{"state": "UserA exists", "consumer": {}}"#, r#""consumer" must be a string, not an object"#),
        (r#"{"params": {}}"#, "names no state"),
        ("not json", "the state-change body is not JSON"),
        ("", "the state-change body is not JSON"),
    ];
    for (body, message) in cases {
        let (status, answer) = service.state(body).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(answer["error"].as_str().unwrap().contains(message), "{body}: {answer}");
    }
    assert!(!service.user_exists("UserA").await, "nothing may have been applied");
}

#[tokio::test(flavor = "multi_thread")]
async fn with_one_unknown_state_among_several_nothing_is_applied() {
    let service = serve().await;
    let body = json!({"consumer": "C", "state": "UserA exists", "states": ["UserA exists", "no such state"], "params": {}});
    let (status, answer) = service.state(&body.to_string()).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("\"no such state\""), "{answer}");
    assert!(answer["known_states"].as_array().unwrap().iter().any(|s| s == "UserA exists"), "{answer}");
    assert!(!service.user_exists("UserA").await, "UserA exists was applied before the check");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_state_refused_later_in_the_call_undoes_the_earlier_ones() {
    let service = serve().await;
    // "UserA exists" runs, then "a user exists" rejects its missing parameter: the first is torn down.
    let body = json!({"states": ["UserA exists", "a user exists"]});
    let (status, answer) = service.state(&body.to_string()).await;
    assert_eq!((status, answer["parameter"].as_str()), (400, Some("name")), "{answer}");
    assert!(!service.user_exists("UserA").await, "the earlier state was left applied");
}
