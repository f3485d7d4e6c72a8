//! How a pact file write treats what is already there: stale interactions dropped in overwrite
//! mode, a corrupt file never overwritten, the version of a V4 test kept while its interaction
//! is in the file. (Runs, conflicts and versions across runs: `pactfile_runs.rs`.)

use pact_core::model::{HttpInteraction, Interaction, Pact, ProviderState, Request, Response, SpecVersion};
use pact_core::pactfile::{self, Error, WriteMode, WriteRequest};

fn interaction(description: &str) -> Interaction {
    let mut i = HttpInteraction::default();
    i.meta.description = description.into();
    i.meta.provider_states = vec![ProviderState::new("a state")];
    i.request = Request::get(format!("/{description}"));
    i.response = Response::status(200);
    Interaction::Http(i)
}

fn write(
    dir: &std::path::Path,
    test: &str,
    descriptions: &[&str],
    mode: WriteMode,
    run: Option<&str>,
) -> Result<Pact, Error> {
    let path = pactfile::merge(WriteRequest {
        dir,
        consumer: "C",
        provider: "P",
        interactions: descriptions.iter().map(|d| interaction(d)).collect(),
        test,
        version: SpecVersion::V3,
        mode,
        run: run.map(str::to_string),
    })?;
    Ok(Pact::from_file(path).unwrap())
}

fn descriptions(pact: &Pact) -> Vec<&str> {
    pact.interactions.iter().map(|i| i.description()).collect()
}

#[test]
fn merge_keeps_interactions_of_earlier_runs() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "t::a", &["a"], WriteMode::Merge, Some("run-1")).unwrap();
    write(dir.path(), "t::old_name", &["old"], WriteMode::Merge, Some("run-1")).unwrap();
    let pact = write(dir.path(), "t::a", &["a"], WriteMode::Merge, Some("run-2")).unwrap();
    assert_eq!(descriptions(&pact), ["a", "old"]);
}

#[test]
fn overwrite_drops_interactions_not_written_in_this_run() {
    let dir = tempfile::tempdir().unwrap();
    // Run 1: three tests.
    write(dir.path(), "t::a", &["a"], WriteMode::Overwrite, Some("run-1")).unwrap();
    write(dir.path(), "t::b", &["b"], WriteMode::Overwrite, Some("run-1")).unwrap();
    let pact = write(dir.path(), "t::old_name", &["old"], WriteMode::Overwrite, Some("run-1")).unwrap();
    assert_eq!(descriptions(&pact), ["a", "b", "old"]);
    // Run 2: the test behind "old" was deleted; the others run again.
    write(dir.path(), "t::a", &["a"], WriteMode::Overwrite, Some("run-2")).unwrap();
    let pact = write(dir.path(), "t::b", &["b"], WriteMode::Overwrite, Some("run-2")).unwrap();
    assert_eq!(descriptions(&pact), ["a", "b"]);
}

#[test]
fn overwrite_without_a_run_id_is_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let err = write(dir.path(), "t::a", &["a"], WriteMode::Overwrite, None).unwrap_err();
    assert!(matches!(err, Error::NoRunId), "{err}");
    assert!(err.to_string().contains("PACT_RUN_ID"), "{err}");
    assert!(!pactfile::pact_path(dir.path(), "C", "P").exists());
}

#[test]
fn a_corrupt_pact_file_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = pactfile::pact_path(dir.path(), "C", "P");
    std::fs::write(&path, b"{\"consumer\": {\"name\": \"C\"}, \"provid").unwrap();
    let err = write(dir.path(), "t::a", &["a"], WriteMode::Merge, None).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::Corrupt { .. }), "{text}");
    assert!(text.contains("C-P.json"), "{text}");
    assert!(text.contains("left untouched"), "{text}");
    assert_eq!(std::fs::read(&path).unwrap(), b"{\"consumer\": {\"name\": \"C\"}, \"provid");
}

#[test]
fn a_file_holding_the_interaction_of_a_v4_test_stays_v4() {
    let dir = tempfile::tempdir().unwrap();
    pactfile::merge(WriteRequest {
        dir: dir.path(),
        consumer: "C",
        provider: "P",
        interactions: vec![interaction("a")],
        test: "t::a",
        version: SpecVersion::V4,
        mode: WriteMode::Merge,
        run: None,
    })
    .unwrap();
    let pact = write(dir.path(), "t::b", &["b"], WriteMode::Merge, None).unwrap();
    assert_eq!(pact.spec_version, SpecVersion::V4);
    assert_eq!(descriptions(&pact), ["a", "b"]);
}
