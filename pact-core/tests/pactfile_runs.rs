//! What a run is to a pact file: a changed declaration from an earlier run replaces the old one,
//! two tests of one run that disagree conflict with a short diff, the file's version comes from
//! the tests whose interactions it holds, and overwrite mode removes a consumer's files no test
//! of the run wrote. And how a run is recognised under `cargo test`: every test binary is a child
//! of the same `cargo` process.

use std::path::Path;
use std::process::Command;

use pact_core::model::{HttpInteraction, Interaction, Pact, ProviderState, Request, Response, SpecVersion};
use pact_core::pactfile::{self, Difference, Error, RunSource, WriteMode, WriteRequest};
use serde_json::json;

fn interaction(description: &str, status: u16) -> Interaction {
    let mut i = HttpInteraction::default();
    i.meta.description = description.into();
    i.meta.provider_states = vec![ProviderState::new("a state")];
    i.request = Request::get(format!("/{description}"));
    i.response = Response::status(status);
    Interaction::Http(i)
}

struct Write<'a> {
    provider: &'a str,
    test: &'a str,
    interactions: Vec<Interaction>,
    version: SpecVersion,
    mode: WriteMode,
    run: &'a str,
}

impl<'a> Write<'a> {
    fn new(test: &'a str, interactions: Vec<Interaction>, run: &'a str) -> Self {
        Write { provider: "P", test, interactions, version: SpecVersion::V3, mode: WriteMode::Merge, run }
    }

    fn to(self, dir: &Path) -> Result<Pact, Error> {
        let path = pactfile::merge(WriteRequest {
            dir,
            consumer: "C",
            provider: self.provider,
            interactions: self.interactions,
            test: self.test,
            version: self.version,
            mode: self.mode,
            run: Some(self.run.to_string()),
        })?;
        Ok(Pact::from_file(path).unwrap())
    }
}

fn status_of(pact: &Pact, description: &str) -> u16 {
    match pact.interactions.iter().find(|i| i.description() == description).unwrap() {
        Interaction::Http(i) => i.response.status,
        other => panic!("not HTTP: {other:?}"),
    }
}

#[test]
fn a_declaration_changed_since_an_earlier_run_replaces_it_without_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    // Run 1: three tests share one interaction (through a helper), which says 200.
    for test in ["orders::a", "orders::b", "orders::c"] {
        Write::new(test, vec![interaction("shared", 200)], "run-1").to(dir.path()).unwrap();
    }
    // Run 2: the helper changed to 201. The first test to write is not in conflict with the
    // stale entry of run 1, whichever test wrote it; the others agree with it.
    for test in ["orders::c", "orders::a", "orders::b"] {
        let pact = Write::new(test, vec![interaction("shared", 201)], "run-2").to(dir.path()).unwrap();
        assert_eq!(status_of(&pact, "shared"), 201);
    }
}

#[test]
fn two_tests_of_one_run_that_disagree_conflict_with_the_paths_that_differ() {
    let dir = tempfile::tempdir().unwrap();
    Write::new("orders::a", vec![interaction("shared", 200)], "run-1").to(dir.path()).unwrap();
    let before = std::fs::read(pactfile::pact_path(dir.path(), "C", "P")).unwrap();
    let error =
        Write::new("orders::b", vec![interaction("shared", 201)], "run-1").to(dir.path()).unwrap_err();
    let Error::Conflict { test, other_test, differences, .. } = &error else { panic!("{error}") };
    assert_eq!((test.as_str(), other_test.as_str()), ("orders::b", "orders::a"));
    assert_eq!(
        differences,
        &[Difference { path: "$.response.status".into(), theirs: Some(json!(200)), ours: Some(json!(201)) }]
    );
    let text = error.to_string();
    assert!(text.ends_with(
        "two tests of this run declare the interaction \"shared\" given [\"a state\"] differently, and a pact holds one:\n  \
         $.response.status: 200 in orders::a, 201 in orders::b\n\
         Give one of them its own description or provider state, or make both declare the same interaction (for \
         example from one helper function)."
    ), "{text}");
    assert_eq!(std::fs::read(pactfile::pact_path(dir.path(), "C", "P")).unwrap(), before);
}

#[test]
fn a_long_conflict_shows_ten_differences() {
    let dir = tempfile::tempdir().unwrap();
    let with_headers = |value: &str| {
        let Interaction::Http(mut i) = interaction("shared", 200) else { unreachable!() };
        i.request.headers = Some((0..12).map(|n| (format!("X-H{n:02}"), vec![value.to_string()])).collect());
        Interaction::Http(i)
    };
    Write::new("t::a", vec![with_headers("a")], "run-1").to(dir.path()).unwrap();
    let text = Write::new("t::b", vec![with_headers("b")], "run-1").to(dir.path()).unwrap_err().to_string();
    assert!(
        text.contains("  $.request.headers.X-H09: \"a\" in t::a, \"b\" in t::b\n  ... and 2 more\n"),
        "{text}"
    );
    assert!(!text.contains("X-H10"), "{text}");
}

fn v4(mut write: Write<'_>) -> Write<'_> {
    write.version = SpecVersion::V4;
    write
}

fn overwrite(mut write: Write<'_>) -> Write<'_> {
    write.mode = WriteMode::Overwrite;
    write
}

#[test]
fn the_version_is_the_highest_among_the_tests_whose_interactions_the_file_holds() {
    let dir = tempfile::tempdir().unwrap();
    // Run 1: a V3 test and a V4 test.
    let pact = Write::new("t::v3", vec![interaction("a", 200)], "run-1").to(dir.path()).unwrap();
    assert_eq!(pact.spec_version, SpecVersion::V3);
    let pact = v4(Write::new("t::v4", vec![interaction("b", 200)], "run-1")).to(dir.path()).unwrap();
    assert_eq!(pact.spec_version, SpecVersion::V4);
    // A filtered run of the V3 test alone leaves the file V4: the V4 test's interaction is in it.
    let pact = Write::new("t::v3", vec![interaction("a", 200)], "run-2").to(dir.path()).unwrap();
    assert_eq!(pact.spec_version, SpecVersion::V4);
    // The V4 test is deleted; an overwrite run drops its interaction, and the version with it.
    let pact = overwrite(Write::new("t::v3", vec![interaction("a", 200)], "run-3")).to(dir.path()).unwrap();
    assert_eq!(pact.spec_version, SpecVersion::V3);
    assert_eq!(pact.interactions.len(), 1);
}

fn test_name_of(pact: &Pact, description: &str) -> Option<String> {
    let interaction = pact.interactions.iter().find(|i| i.description() == description).unwrap();
    interaction.meta().test_name().map(str::to_string)
}

#[test]
fn every_interaction_names_its_test_next_to_the_users_comments() {
    let dir = tempfile::tempdir().unwrap();
    let mut commented = interaction("a", 200);
    commented.meta_mut().comments.insert("text".into(), json!(["see ticket 12"]));
    let pact = v4(Write::new("orders::a", vec![commented], "run-1")).to(dir.path()).unwrap();
    let text = std::fs::read_to_string(pactfile::pact_path(dir.path(), "C", "P")).unwrap();
    let written: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        written["interactions"][0]["comments"],
        json!({"testname": "orders::a", "text": ["see ticket 12"]}),
        "{text}"
    );
    assert_eq!(test_name_of(&pact, "a").as_deref(), Some("orders::a"));
    // A V3 file has no comments: the name is not written, and reading it back is no change.
    let dir = tempfile::tempdir().unwrap();
    Write::new("orders::a", vec![interaction("a", 200)], "run-1").to(dir.path()).unwrap();
    let text = std::fs::read_to_string(pactfile::pact_path(dir.path(), "C", "P")).unwrap();
    assert!(!text.contains("testname"), "{text}");
    Write::new("orders::b", vec![interaction("a", 200)], "run-2").to(dir.path()).unwrap();
}

#[test]
fn two_tests_declaring_one_interaction_do_not_conflict_and_the_file_does_not_depend_on_their_order() {
    let mut files = Vec::new();
    for order in [["orders::b", "orders::a"], ["orders::a", "orders::b"]] {
        let dir = tempfile::tempdir().unwrap();
        let mut last = None;
        for test in order {
            last =
                Some(v4(Write::new(test, vec![interaction("shared", 200)], "run-1")).to(dir.path()).unwrap());
        }
        assert_eq!(test_name_of(&last.unwrap(), "shared").as_deref(), Some("orders::a"));
        files.push(std::fs::read(pactfile::pact_path(dir.path(), "C", "P")).unwrap());
    }
    assert_eq!(files[0], files[1], "the same bytes whichever test wrote last");

    // A real difference is still a conflict, and the test names are not listed as one.
    let dir = tempfile::tempdir().unwrap();
    v4(Write::new("orders::a", vec![interaction("shared", 200)], "run-1")).to(dir.path()).unwrap();
    let error =
        v4(Write::new("orders::b", vec![interaction("shared", 201)], "run-1")).to(dir.path()).unwrap_err();
    let Error::Conflict { differences, .. } = &error else { panic!("not a conflict: {error}") };
    let paths: Vec<&str> = differences.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["$.response.status"], "{error}");
}

#[test]
fn a_rerun_under_a_renamed_test_writes_the_new_name() {
    let dir = tempfile::tempdir().unwrap();
    v4(Write::new("orders::old_name", vec![interaction("a", 200)], "run-1")).to(dir.path()).unwrap();
    let pact =
        v4(Write::new("orders::new_name", vec![interaction("a", 200)], "run-2")).to(dir.path()).unwrap();
    assert_eq!(test_name_of(&pact, "a").as_deref(), Some("orders::new_name"));
}

#[test]
fn a_file_from_a_checkout_without_its_ledger_gets_the_version_of_this_runs_tests() {
    let dir = tempfile::tempdir().unwrap();
    v4(Write::new("t::v4", vec![interaction("b", 200)], "run-1")).to(dir.path()).unwrap();
    // A fresh checkout: the V4 pact file is committed, the ledger is not.
    std::fs::remove_dir_all(dir.path().join(".pact-ledger")).unwrap();
    let pact = Write::new("t::v3", vec![interaction("a", 200)], "run-2").to(dir.path()).unwrap();
    assert_eq!(pact.spec_version, SpecVersion::V3, "a committed file's past version does not decide");
    assert_eq!(pact.interactions.len(), 2, "merge mode keeps the interaction");
}

#[test]
fn overwrite_removes_the_consumers_pact_files_that_no_test_of_the_run_writes() {
    let dir = tempfile::tempdir().unwrap();
    let on =
        |provider| Write { provider, ..overwrite(Write::new("t::a", vec![interaction("a", 200)], "run-1")) };
    on("Orders").to(dir.path()).unwrap();
    on("Payments").to(dir.path()).unwrap();
    // Another consumer's file, and a file of this consumer that another tool wrote.
    pactfile::merge(WriteRequest {
        dir: dir.path(),
        consumer: "D",
        provider: "Orders",
        interactions: vec![interaction("d", 200)],
        test: "d::t",
        version: SpecVersion::V3,
        mode: WriteMode::Merge,
        run: Some("run-1".into()),
    })
    .unwrap();
    let foreign = dir.path().join("C-Legacy.json");
    std::fs::write(
        &foreign,
        r#"{"consumer": {"name": "C"}, "provider": {"name": "Legacy"}, "interactions": []}"#,
    )
    .unwrap();

    // Run 2 no longer talks to Payments.
    let run2 =
        |provider| Write { provider, ..overwrite(Write::new("t::a", vec![interaction("a", 200)], "run-2")) };
    run2("Orders").to(dir.path()).unwrap();
    let exists = |consumer, provider| pactfile::pact_path(dir.path(), consumer, provider).exists();
    assert!(exists("C", "Orders"));
    assert!(!exists("C", "Payments"), "the Payments pact of run 1 is removed");
    assert!(!dir.path().join(".pact-ledger/C-Payments.json").exists(), "and its ledger");
    assert!(exists("D", "Orders"), "another consumer's file stays");
    assert!(foreign.exists(), "a file pact-rs did not write stays");

    // A provider written later in the same run is written as usual (the removal is once a run).
    run2("Shipping").to(dir.path()).unwrap();
    let pact = run2("Orders").to(dir.path()).unwrap();
    assert!(exists("C", "Shipping") && exists("C", "Orders"));
    assert_eq!(pact.interactions.len(), 1);
}

#[test]
fn the_ledger_directory_ignores_itself() {
    let dir = tempfile::tempdir().unwrap();
    Write::new("t::a", vec![interaction("a", 200)], "run-1").to(dir.path()).unwrap();
    let ignore = std::fs::read_to_string(dir.path().join(".pact-ledger/.gitignore")).unwrap();
    assert_eq!(ignore.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>(), ["*"]);
}

#[test]
fn an_unknown_write_mode_is_an_error() {
    assert_eq!(WriteMode::parse("merge").unwrap(), WriteMode::Merge);
    assert_eq!(WriteMode::parse("").unwrap(), WriteMode::Merge);
    assert_eq!(WriteMode::parse("OVERWRITE").unwrap(), WriteMode::Overwrite);
    let error = WriteMode::parse("overwite").unwrap_err();
    assert!(matches!(&error, Error::UnknownWriteMode { value } if value == "overwite"), "{error}");
    assert_eq!(
        error.to_string(),
        r#"PACT_FILE_WRITE_MODE="overwite" is not a write mode: use `merge` (the default) or `overwrite`"#
    );
}

// The run under `cargo test`: each test binary is a child of the `cargo` process. Here this
// test binary plays cargo: it starts itself twice as the worker, which prints its run.

const WORKER_ENV: &str = "PACT_RUN_WORKER";

#[test]
fn run_worker() {
    let run = pactfile::current_run();
    if std::env::var_os(WORKER_ENV).is_some() {
        println!("RUN={} SOURCE={:?}", run.id, run.source);
        return;
    }
    // Run on its own: under cargo-nextest the run is nextest's; under `cargo test`, cargo's.
    let expected = if std::env::var_os("PACT_RUN_ID").is_some() {
        RunSource::Explicit
    } else if std::env::var_os("NEXTEST_RUN_ID").is_some() {
        RunSource::Nextest
    } else {
        RunSource::ParentProcess
    };
    assert_eq!(run.source, expected, "{run:?}");
}

/// The run the worker reports when started by this process, or through a shell, with `env`.
fn worker_run(through_shell: bool, env: &[(&str, &str)]) -> String {
    let exe = std::env::current_exe().unwrap();
    let mut command = if through_shell {
        let mut c = Command::new("sh");
        c.arg("-c").arg("\"$0\" --exact run_worker --nocapture --test-threads 1").arg(&exe);
        c
    } else {
        let mut c = Command::new(&exe);
        c.args(["--exact", "run_worker", "--nocapture", "--test-threads", "1"]);
        c
    };
    command.env(WORKER_ENV, "1").env_remove("PACT_RUN_ID").env_remove("NEXTEST_RUN_ID");
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    // The harness prints `test run_worker ... ` before the worker's own line.
    let line =
        stdout.lines().find_map(|l| l.find("RUN=").map(|at| &l[at..])).unwrap_or_else(|| panic!("{stdout}"));
    line.to_string()
}

#[cfg(unix)]
#[test]
fn the_test_binaries_of_one_cargo_test_share_a_run_and_another_invocation_is_another_run() {
    // Two binaries started one after the other by the same parent (as cargo starts them).
    let first = worker_run(false, &[]);
    let second = worker_run(false, &[]);
    assert_eq!(first, second);
    assert!(first.starts_with(&format!("RUN=parent:{}:", std::process::id())), "{first}");
    assert!(first.ends_with("SOURCE=ParentProcess"), "{first}");
    // Started by another process (another `cargo test`): another run.
    let other = worker_run(true, &[]);
    assert_ne!(first, other);
    // PACT_RUN_ID and NEXTEST_RUN_ID name the run when set.
    assert_eq!(worker_run(false, &[("PACT_RUN_ID", "release-7")]), "RUN=release-7 SOURCE=Explicit");
    assert_eq!(worker_run(false, &[("NEXTEST_RUN_ID", "abc")]), "RUN=nextest:abc SOURCE=Nextest");
}
