//! `pactfile::merge` under contention: 8 processes × 8 threads, each thread merging 10 distinct
//! interactions, one merge at a time, into the same pact file. Nothing may be lost, the file must
//! stay valid JSON, and two such runs must give byte-identical files.
//!
//! The processes are this test binary, run again with `--exact merge_worker`: the worker reads its
//! directory and index from `PACT_STRESS_WORKER`. Run on its own, without that variable, the
//! worker is an ordinary test: its 8 threads merge into a directory of its own, and it checks the
//! result. This works the same under `cargo test` and `cargo nextest run`.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::Barrier;

use pact_core::model::{HttpInteraction, Interaction, Request, Response, SpecVersion};
use pact_core::pactfile::{self, WriteMode, WriteRequest};
use serde_json::Value;

const PROCESSES: usize = 8;
const THREADS: usize = 8;
const PER_THREAD: usize = 10;
const CONSUMER: &str = "StressConsumer";
const PROVIDER: &str = "StressProvider";
/// `<process index>:<directory>`, set for the worker processes only.
const WORKER_ENV: &str = "PACT_STRESS_WORKER";
const WORKER_TEST: &str = "merge_worker";

fn description(process: usize, thread: usize, item: usize) -> String {
    format!("interaction {item} of thread {thread} of process {process}")
}

fn interaction(process: usize, thread: usize, item: usize) -> Interaction {
    let mut interaction = HttpInteraction::default();
    interaction.meta.description = description(process, thread, item);
    interaction.request = Request::get(format!("/p{process}/t{thread}/i{item}"));
    interaction.response = Response::status(200);
    Interaction::Http(interaction)
}

/// The work of one process: its threads start together, and each merges its interactions one
/// call at a time.
fn merge_from_threads(dir: &Path, process: usize) {
    let barrier = Barrier::new(THREADS);
    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            let barrier = &barrier;
            scope.spawn(move || {
                let test = format!("process {process} thread {thread}");
                barrier.wait();
                for item in 0..PER_THREAD {
                    pactfile::merge(WriteRequest {
                        dir,
                        consumer: CONSUMER,
                        provider: PROVIDER,
                        interactions: vec![interaction(process, thread, item)],
                        test: &test,
                        version: SpecVersion::V3,
                        mode: WriteMode::Merge,
                        run: None,
                    })
                    .unwrap();
                }
            });
        }
    });
}

/// Reads the pact file in `dir`, checks it holds exactly the interactions of `processes`, and
/// returns its bytes.
fn check_pact(dir: &Path, processes: &[usize]) -> Vec<u8> {
    let path = pactfile::pact_path(dir, CONSUMER, PROVIDER);
    let bytes = std::fs::read(&path).unwrap();
    let pact: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let interactions = pact["interactions"].as_array().unwrap();
    let found: Vec<&str> = interactions.iter().map(|i| i["description"].as_str().unwrap()).collect();
    let expected: BTreeSet<String> = processes
        .iter()
        .flat_map(|&p| (0..THREADS).flat_map(move |t| (0..PER_THREAD).map(move |i| description(p, t, i))))
        .collect();
    assert_eq!(found.len(), expected.len(), "interactions in the file");
    let found_set: BTreeSet<String> = found.iter().map(|d| d.to_string()).collect();
    assert_eq!(found_set, expected);
    // Sorted by description: the order does not depend on who wrote first.
    assert!(found.windows(2).all(|w| w[0] < w[1]), "interactions are not sorted");
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    bytes
}

/// One worker process's share, or, run on its own, a single-process check.
#[test]
fn merge_worker() {
    match std::env::var(WORKER_ENV) {
        Ok(value) => {
            let (index, dir) = value.split_once(':').unwrap();
            merge_from_threads(Path::new(dir), index.parse().unwrap());
        }
        Err(_) => {
            let dir = tempfile::tempdir().unwrap();
            merge_from_threads(dir.path(), 0);
            check_pact(dir.path(), &[0]);
        }
    }
}

/// Runs the worker processes against a fresh directory and returns the pact's bytes.
fn run_processes() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..PROCESSES)
        .map(|process| {
            Command::new(&exe)
                .args(["--exact", WORKER_TEST, "--nocapture", "--test-threads", "1"])
                .env(WORKER_ENV, format!("{process}:{}", dir.path().display()))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for (process, child) in children.into_iter().enumerate() {
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "worker {process} failed:\n{stdout}\n{stderr}");
        // The filter must have run the worker, not nothing.
        assert!(stdout.contains("1 passed"), "worker {process} did not run {WORKER_TEST}:\n{stdout}");
    }
    check_pact(dir.path(), &(0..PROCESSES).collect::<Vec<_>>())
}

#[test]
fn processes_and_threads_lose_no_interaction_and_agree_byte_for_byte() {
    let first = run_processes();
    let second = run_processes();
    assert!(first == second, "two runs gave different pact files");
}
