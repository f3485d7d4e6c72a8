//! Hostile names: stored literally, never interpreted, every href encoded; invalid ones refused.

use serde_json::json;

use crate::on_both_backends;
use crate::support::*;

on_both_backends!(
    names_are_stored_literally_and_round_trip_through_hrefs,
    invalid_names_are_refused_with_400
);

async fn names_are_stored_literally_and_round_trip_through_hrefs(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    let long = "é".repeat(255);
    let names = [
        "../../etc/passwd",
        "Robert'); DROP TABLE pacticipants;--",
        "Zürich 🚀 Ω",
        "a%2Fb %41 + & ? # [x]",
        "back\\slash",
        long.as_str(),
    ];
    for (i, name) in names.iter().enumerate() {
        let version = format!("{i}/../v ?#%");
        let published = client
            .put(&broker.at(&pact_path("Provider ?", name, &version)), &pact(name, "Provider ?", "x"))
            .await;
        assert_eq!(published.status, 201, "{name}: {}", published.text);
        // The hrefs the broker hands out lead back to the same resources.
        let consumer_href = published.json["_links"]["pb:consumer"]["href"].as_str().unwrap();
        let consumer = client.get(consumer_href).await;
        assert_eq!(consumer.status, 200, "{consumer_href}");
        assert_eq!(consumer.json["name"], json!(name));
        let version_href = published.json["_links"]["pb:consumer-version"]["href"].as_str().unwrap();
        let fetched = client.get(version_href).await;
        assert_eq!(fetched.json["number"], json!(version), "{version_href}");
        let self_href = published.json["_links"]["self"]["href"].as_str().unwrap();
        assert!(!self_href.contains("/../"), "{self_href}");
        assert_eq!(client.get(self_href).await.json["consumer"]["name"], json!(name));
    }
    // The SQL metacharacters did nothing: every pacticipant is there.
    let list = client.get(&broker.at("/pacticipants")).await;
    assert_eq!(list.json["_embedded"]["pacticipants"].as_array().unwrap().len(), names.len() + 1);
    // A raw dot-segment in a request path (clients normalise them away, so it is sent by hand)
    // is not resolved by the server: no route matches.
    assert_eq!(raw_get(&broker, "/pacticipants/x/../Provider%20%3F"), 404);
}

/// Sends `GET path` exactly as written and returns the status.
fn raw_get(broker: &Broker, path: &str) -> u16 {
    use std::io::{Read, Write};
    let address = broker.url.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.split(' ').nth(1).unwrap().parse().unwrap()
}

async fn invalid_names_are_refused_with_400(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    let too_long = "x".repeat(256);
    let cases = [
        (too_long.as_str(), "must be at most 255 characters long (found 256)"),
        ("a\nb", "must be a single line"),
        ("nul\u{0}byte", "must not contain control characters"),
        ("   ", "cannot be blank"),
    ];
    for (name, message) in cases {
        let refused = client.put(&broker.at(&pact_path("Bar", name, "1")), &pact(name, "Bar", "x")).await;
        assert_eq!(refused.status, 400, "{name:?}: {}", refused.text);
        assert_eq!(refused.json, json!({"errors": {"consumer": [message]}}), "{name:?}");
        let refused = client
            .post(
                &broker.at("/contracts/publish"),
                &contracts_body("Foo", name, None, &[], &[&pact("Foo", "Bar", "x")]),
            )
            .await;
        assert_eq!(refused.status, 400, "{name:?}");
        assert_eq!(refused.json, json!({"errors": {"pacticipantVersionNumber": [message]}}), "{name:?}");
        let refused = client
            .put(&broker.at(&format!("/pacticipants/Foo/versions/1/tags/{}", enc(name))), &json!({}))
            .await;
        assert_eq!(refused.status, 400, "{name:?}");
        assert_eq!(refused.json, json!({"errors": {"tag": [message]}}));
    }
    // `..` cannot even be sent in a path (clients resolve it), so bodies are where it arrives.
    let dots = contracts_body("Foo", "..", None, &[], &[&pact("Foo", "Bar", "x")]);
    let refused = client.post(&broker.at("/contracts/publish"), &dots).await;
    assert_eq!(
        refused.json,
        json!({"errors": {"pacticipantVersionNumber": ["cannot be \"..\", which no URL can address"]}})
    );
    assert_eq!(client.get(&broker.at("/pacticipants")).await.json["_embedded"]["pacticipants"], json!([]));
}
