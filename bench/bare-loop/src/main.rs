//! `bare-loop PACT_FILE BASE_URL STATE_URL`: for each interaction of the pact, posts each provider
//! state's setup to STATE_URL (the body a verifier sends: `{"state", "params", "action"}`), then
//! sends the interaction's request to BASE_URL and reads the whole answer. No checks: the floor
//! that a verifier of the same calls cannot beat.

use serde_json::{json, Value};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [pact_file, base_url, state_url] = args.as_slice() else {
        eprintln!("usage: bare-loop PACT_FILE BASE_URL STATE_URL");
        std::process::exit(2);
    };
    let pact: Value = serde_json::from_slice(&std::fs::read(pact_file).expect("read the pact")).expect("JSON");
    let client = reqwest::Client::new();
    let base = base_url.trim_end_matches('/');
    let mut calls = 0;
    for interaction in pact["interactions"].as_array().expect("interactions") {
        for state in interaction["providerStates"].as_array().into_iter().flatten() {
            let body = json!({"state": state["name"], "params": state.get("params").cloned().unwrap_or(json!({})), "action": "setup"});
            let r = client.post(state_url).header("Content-Type", "application/json").body(body.to_string()).send().await.expect("state setup");
            r.bytes().await.expect("state setup answer");
        }
        let request = &interaction["request"];
        let method = reqwest::Method::from_bytes(request["method"].as_str().unwrap_or("GET").as_bytes()).expect("method");
        let mut url = format!("{base}{}", request["path"].as_str().unwrap_or("/"));
        match &request["query"] {
            Value::String(q) if !q.is_empty() => url = format!("{url}?{q}"),
            Value::Object(map) => {
                let pairs: Vec<String> = map
                    .iter()
                    .flat_map(|(k, v)| v.as_array().into_iter().flatten().map(move |v| format!("{k}={}", v.as_str().unwrap_or_default())))
                    .collect();
                if !pairs.is_empty() {
                    url = format!("{url}?{}", pairs.join("&"));
                }
            }
            _ => {}
        }
        let mut builder = client.request(method, url);
        for (name, value) in request["headers"].as_object().into_iter().flatten() {
            match value {
                Value::Array(values) => {
                    for v in values {
                        builder = builder.header(name, v.as_str().unwrap_or_default());
                    }
                }
                v => builder = builder.header(name, v.as_str().unwrap_or_default()),
            }
        }
        match &request["body"] {
            Value::Null => {}
            Value::String(s) => builder = builder.body(s.clone()),
            v => builder = builder.body(v.to_string()),
        }
        let response = builder.send().await.expect("request");
        response.bytes().await.expect("answer");
        calls += 1;
    }
    println!("{calls} interactions called");
}
