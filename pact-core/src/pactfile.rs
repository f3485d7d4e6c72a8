//! Writing pact files safely while many tests run at once, in threads or in processes.
//!
//! [`merge`] takes an exclusive lock over the whole read-merge-write of one pact file, reads the
//! file, merges the new interactions, and writes the result to a temporary file that it renames
//! over the old one. A reader never sees a half-written file, and no writer's interactions are
//! lost to another's.
//!
//! An interaction is identified by its description and provider states. Writing an interaction
//! again replaces it: that is a test re-running. A *different* test writing the same key with
//! different content is a conflict, reported with both versions, and nothing is written. To tell
//! tests apart, a ledger beside the pact (`.pact-ledger/<file>`, under the same lock) records which
//! test wrote each interaction, and in which run.
//!
//! The content is deterministic: interactions sorted by description and states, keys in a stable
//! order. Re-running a suite gives byte-identical files, so a broker sees no spurious versions.
//!
//! Stale interactions (from renamed or deleted tests) are dropped with
//! `PACT_FILE_WRITE_MODE=overwrite`: each write then removes the interactions that were not
//! written during the current run. A run is named by `PACT_RUN_ID`, or by cargo-nextest's
//! `NEXTEST_RUN_ID`.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{json, Map, Value};

use crate::model::{Interaction, Pact, SpecVersion};

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
    /// Two tests declare the same interaction with different content.
    #[error(
        "{}: the interaction {key} is declared by two tests with different content:\n  by {other_test}:\n{theirs}\n  by {test}:\n{ours}",
        path.display()
    )]
    Conflict {
        /// The file.
        path: PathBuf,
        /// The interaction's description and states.
        key: String,
        /// The test writing now.
        test: String,
        /// The test that wrote the existing interaction.
        other_test: String,
        /// The new version, as JSON.
        ours: String,
        /// The existing version, as JSON.
        theirs: String,
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
    /// The write mode needs a run id that is not set.
    #[error("PACT_FILE_WRITE_MODE=overwrite needs PACT_RUN_ID (any value unique to this run) unless the tests run under cargo-nextest")]
    NoRunId,
}

/// How a write treats interactions already in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WriteMode {
    /// Keep them (the default); replace those written again.
    #[default]
    Merge,
    /// Drop those not written during the current run.
    Overwrite,
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
    /// Specification version to write; an existing file of a later version keeps its version.
    pub version: SpecVersion,
    /// Merge or overwrite.
    pub mode: WriteMode,
    /// The current run, for overwrite mode.
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

/// The write mode and run id the environment asks for (`PACT_FILE_WRITE_MODE`, `PACT_RUN_ID`,
/// `NEXTEST_RUN_ID`).
pub fn mode_from_env() -> (WriteMode, Option<String>) {
    let mode = match std::env::var("PACT_FILE_WRITE_MODE").map(|m| m.to_ascii_lowercase()) {
        Ok(m) if m == "overwrite" => WriteMode::Overwrite,
        _ => WriteMode::Merge,
    };
    let run = std::env::var("PACT_RUN_ID")
        .ok()
        .or_else(|| std::env::var("NEXTEST_RUN_ID").ok())
        .filter(|r| !r.is_empty());
    (mode, run)
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
    let ledger_dir = request.dir.join(".pact-ledger");
    std::fs::create_dir_all(&ledger_dir).map_err(io(&ledger_dir))?;
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
    let existing_version = if path.exists() { Some(pact.spec_version) } else { None };
    let version = existing_version.map_or(request.version, |v| v.max(request.version));
    if version < SpecVersion::V3 {
        // V2 holds one provider state without params: writing more would lose them, and the
        // interaction would no longer match its own key when read back (a duplicate next run).
        for interaction in &request.interactions {
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
    let mut ledger = read_ledger(&ledger_path);
    let run = request.run.clone().unwrap_or_default();

    let show = |i: &Interaction| {
        serde_json::to_string_pretty(&i.to_json(request.version.max(SpecVersion::V3))).unwrap_or_default()
    };
    let mut by_key: BTreeMap<String, Interaction> = BTreeMap::new();
    for interaction in pact.interactions.drain(..) {
        let key = interaction_key(&interaction);
        match by_key.get(&key) {
            // Two versions under one key (from another tool): keeping one would lose the other.
            Some(first) if first != &interaction => {
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
        by_key.retain(|key, _| ledger.get(key).is_some_and(|entry| entry.run == run));
    }
    for interaction in request.interactions {
        let key = interaction_key(&interaction);
        if let Some(existing) = by_key.get(&key) {
            let owner = ledger.get(&key).map(|e| e.test.clone()).unwrap_or_default();
            if existing != &interaction && !owner.is_empty() && owner != request.test {
                return Err(Error::Conflict {
                    path,
                    key,
                    test: request.test.to_string(),
                    other_test: owner,
                    ours: show(&interaction),
                    theirs: show(existing),
                });
            }
        }
        ledger.insert(key.clone(), LedgerEntry { test: request.test.to_string(), run: run.clone() });
        by_key.insert(key, interaction);
    }
    ledger.retain(|key, _| by_key.contains_key(key));

    // Sorted by key: description, then states.
    pact.interactions = by_key.into_values().collect();
    pact.consumer = request.consumer.to_string();
    pact.provider = request.provider.to_string();
    pact.metadata.insert("pactRs".into(), json!({"version": env!("CARGO_PKG_VERSION")}));
    let text = pact.to_json_string(version)?;
    write_atomically(&path, text.as_bytes())?;
    let ledger_text = ledger_to_string(&ledger);
    write_atomically(&ledger_path, ledger_text.as_bytes())?;
    drop(lock_file);
    Ok(path)
}

#[derive(Debug, Clone)]
struct LedgerEntry {
    test: String,
    run: String,
}

fn read_ledger(path: &Path) -> BTreeMap<String, LedgerEntry> {
    let Ok(bytes) = std::fs::read(path) else { return BTreeMap::new() };
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&bytes) else {
        tracing::warn!(ledger = %path.display(), "the pact ledger is unreadable; starting a new one");
        return BTreeMap::new();
    };
    map.into_iter()
        .map(|(key, entry)| {
            let field = |name: &str| entry.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
            (key, LedgerEntry { test: field("test"), run: field("run") })
        })
        .collect()
}

fn ledger_to_string(ledger: &BTreeMap<String, LedgerEntry>) -> String {
    let map: Map<String, Value> =
        ledger.iter().map(|(k, e)| (k.clone(), json!({"test": e.test, "run": e.run}))).collect();
    let mut text = serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
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
