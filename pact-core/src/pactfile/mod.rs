//! Writing pact files safely while many tests run at once, in threads or in processes.
//!
//! [`merge`] takes an exclusive lock over the whole read-merge-write of one pact file, reads the
//! file, merges the new interactions, and writes the result to a temporary file that it renames
//! over the old one. A reader never sees a half-written file, and no writer's interactions are
//! lost to another's.
//!
//! An interaction is identified by its description and provider states. A ledger beside the pact
//! (`.pact-ledger/<file>`, under the same lock) records which test wrote each interaction, in
//! which run (see [`current_run`] for what a run is) and for which specification version.
//!
//! - Writing an interaction again replaces it: that is a test re-running, or a test whose
//!   declaration changed since an earlier run wrote it.
//! - A *different* test of the *same run* writing the same key with different content is a
//!   conflict: only one can be in the pact. It is reported as the JSON paths where the two
//!   declarations differ, with both values, and nothing is written.
//! - Each interaction carries the name of the test that wrote it (V4 `comments.testname`). It is
//!   not part of the declaration: two tests declaring the same interaction do not conflict, and
//!   the file names the smaller of their test names, whichever ran last.
//! - The file is written in the highest specification version among the tests whose
//!   interactions it holds (as the ledger records them): one `spec = "v4"` test makes it V4, and
//!   when that test is gone (overwrite mode drops its interaction) the file goes back to the
//!   others' version. Interactions without a ledger entry (a file from a fresh checkout) do not
//!   count.
//!
//! The content is deterministic: interactions sorted by description and states, keys in a stable
//! order. Re-running a suite gives byte-identical files, so a broker sees no spurious versions.
//!
//! Stale interactions (from renamed or deleted tests) are dropped with
//! `PACT_FILE_WRITE_MODE=overwrite`: each write then removes the interactions that were not
//! written during the current run, and the first write of a run for a consumer removes that
//! consumer's pact files of earlier runs, so a provider no test writes any more loses its file.
//! Any other value of `PACT_FILE_WRITE_MODE` than `merge` or `overwrite` is an error.

mod diff;
mod ledger;
mod run;
mod stale;

pub use diff::Difference;
pub use run::{current_run, mode_from_env, Run, RunSource, WriteMode};

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{json, Value};

use crate::model::{Interaction, Pact, SpecVersion};
use ledger::{Entry, Ledger};

/// Why a pact file could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading, writing or locking failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The existing pact file cannot be read; it is left untouched.
    #[error("{}: the existing pact file cannot be read, so it was left untouched: {source}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// Why it cannot be read.
        #[source]
        source: crate::model::Error,
    },
    /// Two tests of one run declare the same interaction with different content.
    #[error("{}", conflict_text(path, key, test, other_test, differences))]
    Conflict {
        /// The file.
        path: PathBuf,
        /// The interaction's description and states.
        key: String,
        /// The test writing now.
        test: String,
        /// The test that wrote the existing interaction, earlier in the same run.
        other_test: String,
        /// Where the two declarations differ: `theirs` is the other test's value, `ours` this
        /// test's.
        differences: Vec<Difference>,
    },
    /// The existing pact file holds two different interactions under one key (written by
    /// another tool); it is left untouched.
    #[error(
        "{}: the existing pact file holds two different interactions {key}, so it was left untouched:\n{first}\n{second}",
        path.display()
    )]
    Duplicate {
        /// The file.
        path: PathBuf,
        /// The interactions' description and states.
        key: String,
        /// The first version, as JSON.
        first: String,
        /// The second version, as JSON.
        second: String,
    },
    /// The pact cannot be written in the requested version.
    #[error(transparent)]
    Model(#[from] crate::model::Error),
    /// Overwrite mode needs to know the run, and this platform cannot tell it by itself.
    #[error(
        "PACT_FILE_WRITE_MODE=overwrite needs PACT_RUN_ID (any value unique to this run) here: the run cannot be told \
         from the test process on this platform"
    )]
    NoRunId,
    /// `PACT_FILE_WRITE_MODE` is neither `merge` nor `overwrite`.
    #[error("PACT_FILE_WRITE_MODE={value:?} is not a write mode: use `merge` (the default) or `overwrite`")]
    UnknownWriteMode {
        /// The value found.
        value: String,
    },
}

/// At most this many differences are listed in a conflict.
const SHOWN_DIFFERENCES: usize = 10;

fn conflict_text(path: &Path, key: &str, test: &str, other: &str, differences: &[Difference]) -> String {
    let mut text = format!(
        "{}: two tests of this run declare the interaction {key} differently, and a pact holds one:\n",
        path.display()
    );
    for d in differences.iter().take(SHOWN_DIFFERENCES) {
        text.push_str(&format!(
            "  {}: {} in {other}, {} in {test}\n",
            d.path,
            diff::show(d.theirs.as_ref()),
            diff::show(d.ours.as_ref())
        ));
    }
    if differences.len() > SHOWN_DIFFERENCES {
        text.push_str(&format!("  ... and {} more\n", differences.len() - SHOWN_DIFFERENCES));
    }
    text.push_str(
        "Give one of them its own description or provider state, or make both declare the same interaction \
         (for example from one helper function).",
    );
    text
}

/// What to write and where.
#[derive(Debug, Clone)]
pub struct WriteRequest<'a> {
    /// Directory of the pact files.
    pub dir: &'a Path,
    /// Consumer name.
    pub consumer: &'a str,
    /// Provider name.
    pub provider: &'a str,
    /// The interactions to merge.
    pub interactions: Vec<Interaction>,
    /// The test writing them (for conflict detection).
    pub test: &'a str,
    /// Specification version the test asks for; the file gets the highest version among the
    /// tests whose interactions it holds.
    pub version: SpecVersion,
    /// Merge or overwrite.
    pub mode: WriteMode,
    /// The current run ([`current_run`]). Without one, every entry of another test counts as
    /// written in this run, and overwrite mode is refused.
    pub run: Option<String>,
}

/// `<dir>/<Consumer>-<Provider>.json`.
pub fn pact_path(dir: &Path, consumer: &str, provider: &str) -> PathBuf {
    dir.join(format!("{}-{}.json", file_part(consumer), file_part(provider)))
}

fn file_part(name: &str) -> String {
    name.chars().map(|c| if c == '/' || c == '\\' || c == '\0' { '_' } else { c }).collect()
}

/// The key identifying an interaction in a pact file: description and provider states, and
/// the kind of a message interaction (a V4 file may hold an HTTP interaction and a message with
/// the same description).
pub fn interaction_key(interaction: &Interaction) -> String {
    let states: Vec<Value> = interaction
        .provider_states()
        .iter()
        .map(|s| if s.params.is_empty() { json!(s.name) } else { json!([s.name, s.params]) })
        .collect();
    let mut key = format!("{:?}", interaction.description());
    if !states.is_empty() {
        key.push_str(&format!(" given {}", Value::Array(states)));
    }
    if !matches!(interaction, Interaction::Http(_)) {
        key.push_str(&format!(" ({})", interaction.type_name()));
    }
    key
}

/// Whether two interactions are one declaration: equal but for the name of the test that wrote
/// them (V4 `comments.testname`), as pact-reference's V4 equality ignores comments. Two tests
/// that declare the same interaction do not conflict only because their names differ.
fn same_declaration(a: &Interaction, b: &Interaction) -> bool {
    a == b || without_test_name(a) == without_test_name(b)
}

fn without_test_name(interaction: &Interaction) -> Interaction {
    let mut copy = interaction.clone();
    copy.meta_mut().comments.remove(crate::model::TEST_NAME_COMMENT);
    copy
}

/// Of one interaction declared identically by two tests of a run, whether the file keeps the
/// existing copy's test name: a name rather than none, else the smaller name.
fn keeps_existing_name(existing: &Interaction, new: &Interaction) -> bool {
    match (existing.meta().test_name(), new.meta().test_name()) {
        (Some(old), Some(new)) => old <= new,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// Merges interactions into their pact file under an exclusive lock; returns the file's path.
pub fn merge(request: WriteRequest<'_>) -> Result<PathBuf, Error> {
    let path = pact_path(request.dir, request.consumer, request.provider);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    if request.mode == WriteMode::Overwrite && request.run.is_none() {
        return Err(Error::NoRunId);
    }
    let ledger_dir = ledger::create_dir(request.dir)?;
    if let (WriteMode::Overwrite, Some(run)) = (request.mode, &request.run) {
        stale::start_overwrite_run(request.dir, &ledger_dir, request.consumer, run)?;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let lock_path = ledger_dir.join(format!("{name}.lock"));
    let ledger_path = ledger_dir.join(&name);

    // The lock covers the whole read-merge-write. `File::lock` is an OS lock per open file
    // description, so it excludes other threads of this process as well as other processes.
    let lock_file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(io(&lock_path))?;
    lock_file.lock().map_err(io(&lock_path))?;

    let mut pact = match std::fs::read(&path) {
        Ok(bytes) if !bytes.iter().all(u8::is_ascii_whitespace) => {
            Pact::from_slice_with(&bytes, Default::default())
                .map_err(|source| Error::Corrupt { path: path.clone(), source: source.in_file(&path) })?
        }
        Ok(_) => Pact::new(request.consumer, request.provider),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Pact::new(request.consumer, request.provider),
        Err(e) => return Err(Error::Io { path, source: e }),
    };
    let mut ledger = Ledger::read(&ledger_path);
    let run = request.run.clone().unwrap_or_default();
    let shown_version = request.version.max(SpecVersion::V3);

    let mut by_key: BTreeMap<String, Interaction> = BTreeMap::new();
    for interaction in pact.interactions.drain(..) {
        let key = interaction_key(&interaction);
        match by_key.get(&key) {
            // Two versions under one key (from another tool): keeping one would lose the other.
            Some(first) if !same_declaration(first, &interaction) => {
                let show = |i: &Interaction| {
                    serde_json::to_string_pretty(&i.to_json(shown_version)).unwrap_or_default()
                };
                return Err(Error::Duplicate {
                    path: path.clone(),
                    key,
                    first: show(first),
                    second: show(&interaction),
                });
            }
            Some(_) => {}
            None => {
                by_key.insert(key, interaction);
            }
        }
    }
    if request.mode == WriteMode::Overwrite {
        by_key.retain(|key, _| ledger.entries.get(key).is_some_and(|entry| entry.run == run));
    }
    for mut interaction in request.interactions {
        interaction.meta_mut().name_test(request.test);
        let key = interaction_key(&interaction);
        if let (Some(existing), Some(entry)) = (by_key.get(&key), ledger.entries.get(&key)) {
            // Without a run, every entry counts as this run's (the conservative reading).
            let same_run = request.run.is_none() || entry.run == run;
            if same_run && !entry.test.is_empty() && entry.test != request.test {
                if !same_declaration(existing, &interaction) {
                    return Err(Error::Conflict {
                        differences: diff::differences(
                            &without_test_name(existing).to_json(shown_version),
                            &without_test_name(&interaction).to_json(shown_version),
                        ),
                        path,
                        key,
                        test: request.test.to_string(),
                        other_test: entry.test.clone(),
                    });
                }
                // Two tests of this run declare it identically: the file names one of them, the
                // same whichever ran last, so that a rerun writes the same bytes.
                if keeps_existing_name(existing, &interaction) {
                    continue;
                }
            }
        }
        let entry = Entry { test: request.test.to_string(), run: run.clone(), spec: Some(request.version) };
        ledger.entries.insert(key.clone(), entry);
        by_key.insert(key, interaction);
    }
    ledger.entries.retain(|key, _| by_key.contains_key(key));
    ledger.consumer = request.consumer.to_string();
    ledger.provider = request.provider.to_string();

    // The highest version among the tests whose interactions the file holds.
    let version = ledger.entries.values().filter_map(|e| e.spec).fold(request.version, SpecVersion::max);
    if version < SpecVersion::V3 {
        // V2 holds one provider state without params: writing more would lose them, and the
        // interaction would no longer match its own key when read back (a duplicate next run).
        for interaction in by_key.values() {
            let states = interaction.provider_states();
            let reason = if states.len() > 1 {
                "has more than one provider state; a V2 pact holds one provider state"
            } else if states.iter().any(|s| !s.params.is_empty()) {
                "has provider state params, which a V2 pact cannot hold"
            } else {
                continue;
            };
            return Err(Error::Model(crate::model::Error::Unsupported {
                what: format!("the interaction {} in {}", interaction_key(interaction), path.display()),
                version: version.to_string(),
                reason: format!("it {reason}; write V3 (spec = \"v3\") instead"),
            }));
        }
    }

    // Sorted by key: description, then states.
    pact.interactions = by_key.into_values().collect();
    pact.consumer = request.consumer.to_string();
    pact.provider = request.provider.to_string();
    pact.metadata.insert("pactRs".into(), json!({"version": env!("CARGO_PKG_VERSION")}));
    let text = pact.to_json_string(version)?;
    write_atomically(&path, text.as_bytes())?;
    write_atomically(&ledger_path, ledger.to_text().as_bytes())?;
    drop(lock_file);
    Ok(path)
}

/// Writes to a temporary file in the same directory, syncs it, then renames it into place.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp =
        dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed)));
    let result = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        Error::Io { path: path.to_path_buf(), source }
    })
}

/// The directory pact files go to: `PACT_OUTPUT_DIR`, or `pacts/` at the root of the cargo
/// workspace that holds `manifest_dir`.
pub fn output_dir(manifest_dir: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("PACT_OUTPUT_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    workspace_root(manifest_dir).join("pacts")
}

/// The nearest ancestor of `manifest_dir` whose `Cargo.toml` declares `[workspace]`, or
/// `manifest_dir` itself.
pub fn workspace_root(manifest_dir: &Path) -> PathBuf {
    for dir in manifest_dir.ancestors() {
        if let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) {
            if text.lines().any(|l| l.trim() == "[workspace]") {
                return dir.to_path_buf();
            }
        }
    }
    manifest_dir.to_path_buf()
}
