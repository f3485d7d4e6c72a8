//! Overwrite mode and the pact files no test writes.
//!
//! In an overwrite run, the pact files of a consumer are exactly what the run's tests write. The
//! first write of the run for a consumer therefore removes that consumer's pact files left by
//! earlier runs; each test's write then recreates its own file. A file whose provider no test of
//! the run writes (a provider the consumer no longer talks to) is thus gone at the end of the
//! run, as its interactions would be if it were written.
//!
//! Only files that pact-rs wrote (`metadata.pactRs`) for that consumer are removed, never a
//! file of another consumer, one another tool wrote, or one written in this run. A marker in
//! the ledger directory (`runs.json`, the last overwrite run of each consumer) makes the removal
//! happen once per run, whichever process writes first; it is taken under a lock of its own, and
//! each file is removed under the file's lock.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::path::Path;

use serde_json::Value;

use super::ledger::Ledger;
use super::{write_atomically, Error};

/// Removes the consumer's pact files of earlier runs, once per run.
pub(crate) fn start_overwrite_run(
    dir: &Path,
    ledgers: &Path,
    consumer: &str,
    run: &str,
) -> Result<(), Error> {
    let lock_path = ledgers.join("runs.lock");
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|source| Error::Io { path: lock_path.clone(), source })?;
    lock.lock().map_err(|source| Error::Io { path: lock_path.clone(), source })?;

    let marker = ledgers.join("runs.json");
    let mut runs: BTreeMap<String, Value> =
        std::fs::read(&marker).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default();
    if runs.get(consumer).and_then(Value::as_str) == Some(run) {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
        if !name.ends_with(".json") || name.starts_with('.') || !path.is_file() {
            continue;
        }
        remove_if_stale(&path, &ledgers.join(&name), &ledgers.join(format!("{name}.lock")), consumer, run)?;
    }
    runs.insert(consumer.to_string(), Value::String(run.to_string()));
    let mut text = serde_json::to_string_pretty(&runs).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    write_atomically(&marker, text.as_bytes())
}

fn remove_if_stale(
    pact: &Path,
    ledger: &Path,
    lock_path: &Path,
    consumer: &str,
    run: &str,
) -> Result<(), Error> {
    // A cheap look first, without the lock: most files are someone else's.
    if !written_by_us_for(pact, consumer) {
        return Ok(());
    }
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path)
        .map_err(|source| Error::Io { path: lock_path.to_path_buf(), source })?;
    lock.lock().map_err(|source| Error::Io { path: lock_path.to_path_buf(), source })?;
    if !written_by_us_for(pact, consumer) || Ledger::read(ledger).entries.values().any(|e| e.run == run) {
        return Ok(());
    }
    for path in [pact, ledger] {
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(Error::Io { path: path.to_path_buf(), source }),
        }
    }
    tracing::info!(
        pact = %pact.display(),
        "overwrite mode: removed a pact file of an earlier run; the tests of this run that write it recreate it"
    );
    Ok(())
}

/// Whether `path` is a pact that pact-rs wrote for `consumer`.
fn written_by_us_for(path: &Path, consumer: &str) -> bool {
    let Ok(bytes) = std::fs::read(path) else { return false };
    let Ok(pact) = serde_json::from_slice::<Value>(&bytes) else { return false };
    pact.pointer("/consumer/name").and_then(Value::as_str) == Some(consumer)
        && pact.pointer("/metadata/pactRs").is_some()
}
