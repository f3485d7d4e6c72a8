//! The hook for webhooks: events reach the sink after their write committed, and a refused
//! write emits nothing.

mod support;

use std::sync::{Arc, Mutex};

use pact_broker::config::Config;
use pact_broker::events::{Event, EventSink};
use pact_broker::server::Broker as Server;
use pact_broker::storage::DatabaseUrl;
use serde_json::json;
use support::*;

#[derive(Debug, Default)]
struct Recorder(Mutex<Vec<Event>>);

impl EventSink for Recorder {
    fn committed(&self, events: &[Event]) {
        self.0.lock().unwrap().extend_from_slice(events);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishes_and_verifications_are_announced_after_they_commit() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(DatabaseUrl::Sqlite(dir.path().join("events.sqlite")));
    let recorder = Arc::new(Recorder::default());
    let server = Server::bind(config, "127.0.0.1", 0).await.unwrap().with_events(recorder.clone());
    let url = server.url();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve(async {
        let _ = stopped.await;
    }));
    let client = Client::new();

    let body = contracts_body("Foo", "1", Some("main"), &["t"], &[&pact("Foo", "Bar", "a")]);
    assert_eq!(client.post(&format!("{url}/contracts/publish"), &body).await.status, 200);
    let conflict = contracts_body("Foo", "1", None, &[], &[&pact("Foo", "Bar", "b")]);
    assert_eq!(client.post(&format!("{url}/contracts/publish"), &conflict).await.status, 409);
    // Version 2, with the same tag as version 1, republishes version 1's content: not a change
    // (the official broker compares with the previous pact with each of the version's tags).
    assert_eq!(
        client.put(&format!("{url}/pacticipants/Foo/versions/2/tags/t"), &json!({})).await.status,
        201
    );
    let same_content =
        client.put(&format!("{url}{}", pact_path("Bar", "Foo", "2")), &pact("Foo", "Bar", "a")).await;
    assert_eq!(same_content.status, 201);
    let publish = same_content.json["_links"]["pb:publish-verification-results"]["href"].as_str().unwrap();
    let verified = client.post(publish, &json!({"success": false, "providerApplicationVersion": "9"})).await;
    assert_eq!(verified.status, 201);

    let events = recorder.0.lock().unwrap().clone();
    assert_eq!(events.len(), 3, "{events:#?}");
    let Event::ContractPublished {
        consumer_version, branch, tags, content_changed, new_content, sha, ..
    } = &events[0]
    else {
        panic!("{events:#?}")
    };
    assert_eq!(
        (consumer_version.as_str(), branch.as_deref(), tags.as_slice()),
        ("1", Some("main"), &["t".to_string()][..])
    );
    assert!(*content_changed && *new_content);
    let Event::ContractPublished { content_changed, new_content, sha: same_sha, .. } = &events[1] else {
        panic!("{events:#?}")
    };
    assert!(!*content_changed && !*new_content, "version 2 republished version 1's content");
    assert_eq!(same_sha, sha);
    let Event::VerificationPublished { provider_version, success, number, .. } = &events[2] else {
        panic!("{events:#?}")
    };
    assert_eq!((provider_version.as_str(), *success, *number), ("9", false, 1));

    stop.send(()).unwrap();
    serving.await.unwrap().unwrap();
}
