//! The in-process target (`Verifier::service`) keeps the HTTP target's rules: the pact's path is
//! sent percent-encoded, and a response body over the cap is an error for its interaction.

use std::time::Duration;

use axum::routing::get;
use pact_core::model::{HttpInteraction, Interaction, Pact, Request, Response};
use pact_core::verify::{Outcome, PactSource, Verifier};

fn pact(paths: &[&str]) -> PactSource {
    let mut pact = Pact::new("C", "P");
    for path in paths {
        pact.interactions.push(Interaction::Http(HttpInteraction {
            request: Request::get(*path),
            response: Response::status(200),
            meta: pact_core::model::InteractionMeta { description: path.to_string(), ..Default::default() },
        }));
    }
    PactSource::Pact(Box::new(pact))
}

#[tokio::test]
async fn paths_are_encoded_and_bodies_capped_in_process() {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let router = axum::Router::new().route("/big", get(|| async { "x".repeat(2 << 20) })).fallback(
        move |uri: axum::http::Uri| {
            let record = record.clone();
            async move {
                record.lock().unwrap().push(uri.to_string());
                "ok"
            }
        },
    );
    let verifier = Verifier::service(router).max_response_bytes(1 << 20).pact(pact(&["/a#b?c d", "/big"]));
    let report = tokio::time::timeout(Duration::from_secs(30), verifier.verify()).await.unwrap().unwrap();
    assert_eq!(*seen.lock().unwrap(), ["/a%23b%3Fc%20d"]);
    let results = &report.pacts[0].interactions;
    assert_eq!(results[0].outcome, Outcome::Passed);
    let Outcome::Error(error) = &results[1].outcome else { panic!("{:?}", results[1].outcome) };
    assert!(
        error.starts_with("the response to GET /big: length limit exceeded (at most 1.0 MiB is read"),
        "{error}"
    );
    assert!(!report.success());
}
