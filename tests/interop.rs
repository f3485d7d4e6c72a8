//! Pacts written by other Pact implementations (pact-python 2.x on the Ruby mock service, V2
//! with `\Z` regexes; pact-python 4.x and pact-js on the Rust core, V3 and V4 with integer,
//! decimal, datetime, include, eachLike, header and query matchers, provider states with params
//! and provider-state injected values) verify against the demo service, and fail against a
//! broken one. `interop/generate.sh` regenerates them.

mod common;

use demo_user_service::{app, AppState, Broken};
use pact_core::model::{Interaction, SpecVersion};
use pact_core::verify::PactSource;

fn interop_pacts() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("interop/pacts");
    // The message pacts (`*-messages-*`) are verified by tests/message_provider.rs.
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().contains("-messages-"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "{files:?}");
    files
}

async fn verify(file: &std::path::Path, broken: Option<Broken>) -> pact_core::verify::VerificationReport {
    let url = common::serve(app(AppState::broken(broken), true)).await;
    common::verify_over_http(&url, PactSource::File(file.to_path_buf())).await
}

#[tokio::test(flavor = "multi_thread")]
async fn other_implementations_pacts_verify_against_the_demo_service() {
    for file in interop_pacts() {
        let report = verify(&file, None).await;
        assert!(report.success(), "{}: {}", file.display(), report.to_human(false));
        assert!(report.counts().1 >= 4, "{}", report.to_human(false));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn other_implementations_pacts_fail_against_a_broken_service() {
    for file in interop_pacts() {
        let report = verify(&file, Some(Broken::AdminAsString)).await;
        assert!(!report.success(), "{}", file.display());
        let human = report.to_human(false);
        assert!(human.contains("$.body.admin"), "{}: {human}", file.display());
        let report = verify(&file, Some(Broken::BadId)).await;
        assert!(
            report.to_human(false).contains(".id: expected a value matching"),
            "{}",
            report.to_human(false)
        );
    }
}

#[test]
fn the_interop_pacts_cover_what_they_claim() {
    let mut versions = Vec::new();
    let mut rules = std::collections::BTreeSet::new();
    let mut generators = 0;
    let mut params = 0;
    for file in interop_pacts() {
        let text = std::fs::read_to_string(&file).unwrap();
        let pact = pact_core::model::Pact::from_json_str(&text).unwrap();
        versions.push(pact.spec_version);
        for interaction in &pact.interactions {
            let Interaction::Http(http) = interaction else { continue };
            for part in [&http.request.matching_rules, &http.response.matching_rules] {
                for list in part.body.values().chain(part.header.values()).chain(part.query.values()) {
                    rules.extend(list.rules.iter().map(|r| r.name().to_string()));
                }
            }
            generators += usize::from(!http.request.generators.is_empty());
            params += http.meta.provider_states.iter().filter(|s| !s.params.is_empty()).count();
        }
        if file.to_string_lossy().contains("python-2") {
            assert!(text.contains(r"\\Z"), "the pact-python 2 pact uses Ruby's \\Z");
        }
    }
    assert!(
        versions.contains(&SpecVersion::V2)
            && versions.contains(&SpecVersion::V3)
            && versions.contains(&SpecVersion::V4)
    );
    for name in ["integer", "decimal", "datetime", "include", "type", "regex"] {
        assert!(rules.contains(name), "no {name} matcher in {rules:?}");
    }
    assert!(generators > 0, "no provider-state injected values");
    assert!(params > 0, "no provider states with params");
}
