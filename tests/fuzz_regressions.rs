//! The fuzz targets under the stable test harness, so that the normal suite keeps what fuzzing
//! found: every checked-in input of every target (`fuzz/seeds/<target>`, and the crash inputs
//! kept in `fuzz/regressions/<target>`), then a bounded random run per target, mutating those
//! inputs with fixed seeds (the same inputs on every run).
//!
//! The targets' bodies are `fuzz/src/lib.rs`, included here; cargo-fuzz runs the same functions
//! for as long as asked with `bash scripts/fuzz.sh [SECONDS]`.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod targets;

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for folder in ["seeds", "regressions"] {
        let dir = root.join(folder).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if path.is_file() && !hidden {
                let bytes = std::fs::read(&path).unwrap();
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

fn body(target: &str) -> targets::Body {
    targets::TARGETS.iter().find(|(name, _)| *name == target).map(|(_, f)| *f).unwrap()
}

/// Runs one input, turning a panic or a broken invariant into a message naming the input.
fn run(target: &str, name: &str, input: &[u8]) -> Option<String> {
    let f = body(target);
    match std::panic::catch_unwind(AssertUnwindSafe(|| f(input))) {
        Ok(Ok(())) => None,
        Ok(Err(violation)) => Some(format!("{target} {name}: {violation}")),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Some(format!("{target} {name}: panicked: {message}\ninput: {:?}", String::from_utf8_lossy(input)))
        }
    }
}

#[test]
fn every_checked_in_input_passes() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (target, _) in targets::TARGETS {
        let inputs = inputs(target);
        assert!(!inputs.is_empty(), "{target} has no checked-in inputs");
        for (path, bytes) in inputs {
            count += 1;
            failures.extend(run(target, &path.display().to_string(), &bytes));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(count >= 300, "only {count} inputs");
}

/// A small deterministic random stream (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that steer mutations towards the structures the targets read.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "null",
    "true",
    "-0",
    "1e400",
    "18446744073709551616",
    "\"\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"path\"",
    "\"method\"",
    "\"status\"",
    "\"headers\"",
    "\"query\"",
    "\"body\"",
    "\"contents\"",
    "\"request\"",
    "\"response\"",
    "\"interactions\"",
    "\"messages\"",
    "\"matchingRules\"",
    "\"generators\"",
    "\"match\"",
    "\"matchers\"",
    "\"combine\"",
    "\"regex\"",
    "\"type\"",
    "\"min\"",
    "\"max\"",
    "\"$.body\"",
    "\"$.a[*].b\"",
    "\"$['x y']\"",
    "\"eachLike\"",
    "\"arrayContains\"",
    "\"variants\"",
    "\"ProviderState\"",
    "\"expression\"",
    "\"${\"",
    "\"${a}\"",
    "\"RandomInt\"",
    "\"pending\"",
    "\"Synchronous/HTTP\"",
    "\"Asynchronous/Messages\"",
    "\"Synchronous/Messages\"",
    "\"content\"",
    "\"encoded\"",
    "\"base64\"",
    "\"contentType\"",
    "\"application/xml\"",
    "\"<a><b/></a>\"",
    "\"state\"",
    "\"states\"",
    "\"params\"",
    "\"action\"",
    "\"teardown\"",
    "\"providerStates\"",
    "\"pactSpecification\"",
    "\"version\"",
    "\"4.0\"",
    "\"2.0.0\"",
    "\\Q",
    "\\E",
    "\\Z",
    "\\h",
    "\\p{Alpha}",
    "{,3}",
    "(?=",
    "++",
    "\\1",
    ")|(",
    "*",
    "+",
    "?",
    "{2,1}",
    "\n",
    "\r\n ",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..=rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(7) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => data.insert(at, rng.next() as u8),
            2 if !data.is_empty() => {
                let end = (at + 1 + rng.below(16)).min(data.len());
                data.drain(at.min(end)..end);
            }
            3 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                data.splice(at..at, token.iter().copied());
            }
            4 if !data.is_empty() => {
                let start = rng.below(data.len());
                let end = (start + 1 + rng.below(32)).min(data.len());
                let chunk = data[start..end].to_vec();
                data.splice(at..at, chunk);
            }
            5 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len() + 1);
                data.truncate(at);
                data.extend_from_slice(&other[from..]);
            }
            _ => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let end = (at + rng.below(8)).min(data.len());
                data.splice(at..end, token.iter().copied());
            }
        }
    }
    data
}

/// `count` mutated inputs per fixed seed, through the target.
fn random_run(target: &str, count: usize) {
    let seeds: Vec<Vec<u8>> = inputs(target).into_iter().map(|(_, bytes)| bytes).collect();
    let mut failures = Vec::new();
    for seed in [1u64, 0x5EED, 0xC0FFEE, 2024] {
        let mut rng = Rng(seed);
        for i in 0..count {
            let input = mutate(&mut rng, &seeds);
            if let Some(failure) = run(target, &format!("(seed {seed:#x}, input {i})"), &input) {
                failures.push(failure);
                if failures.len() >= 5 {
                    break;
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn random_pact_reader() {
    random_run("pact_reader", 250);
}

#[test]
fn random_matching_rules() {
    random_run("matching_rules", 500);
}

#[test]
fn random_regex() {
    random_run("regex", 500);
}

#[test]
fn random_matching() {
    random_run("matching", 500);
}

#[test]
fn random_state_call() {
    random_run("state_call", 1000);
}
