//! The ledger beside each pact file (`.pact-ledger/<file>`): for each interaction of the file,
//! the test that wrote it, the run it was written in and the specification version that test
//! asked for. It is read and written under the pact file's lock, and only the writer needs it.
//!
//! ```json
//! {
//!   "consumer": "UserServiceClient",
//!   "provider": "UserService",
//!   "interactions": {
//!     "\"a request for UserA\" given [\"UserA exists\"]": {"test": "users::gets_user_a", "run": "parent:4242:9913:…", "spec": "V3"}
//!   }
//! }
//! ```
//!
//! The directory ignores itself (it holds a `.gitignore` of `*`), so it stays out of version
//! control without the user doing anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::Error;
use crate::model::SpecVersion;

/// The directory of the ledgers, locks and run markers beside the pact files in `dir`.
pub(crate) fn ledger_dir(dir: &Path) -> PathBuf {
    dir.join(".pact-ledger")
}

/// Creates the ledger directory, with a `.gitignore` that ignores all of it.
pub(crate) fn create_dir(dir: &Path) -> Result<PathBuf, Error> {
    let ledgers = ledger_dir(dir);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(&ledgers).map_err(io(&ledgers))?;
    let ignore = ledgers.join(".gitignore");
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&ignore) {
        Ok(mut file) => {
            use std::io::Write as _;
            file.write_all(
                b"# Written by pact-rs: which test wrote each interaction, and in which run.\n*\n",
            )
            .map_err(io(&ignore))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(Error::Io { path: ignore, source: e }),
    }
    Ok(ledgers)
}

/// Who wrote one interaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The test, as `module::name`.
    pub test: String,
    /// The run it was written in.
    pub run: String,
    /// The version the test asked for; `None` when unknown (a ledger of an earlier pact-rs).
    pub spec: Option<SpecVersion>,
}

/// The ledger of one pact file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ledger {
    pub consumer: String,
    pub provider: String,
    pub entries: BTreeMap<String, Entry>,
}

impl Ledger {
    /// Reads a ledger; a missing or unreadable one is empty (it only refines conflict reports
    /// and versions, and is rebuilt by the writes of a run).
    pub(crate) fn read(path: &Path) -> Ledger {
        let Ok(bytes) = std::fs::read(path) else { return Ledger::default() };
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&bytes) else {
            tracing::warn!(ledger = %path.display(), "the pact ledger is unreadable; starting a new one");
            return Ledger::default();
        };
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
        let entries = match map.get("interactions") {
            Some(Value::Object(entries)) => entries
                .iter()
                .map(|(key, entry)| {
                    let entry = Entry {
                        test: text(entry.get("test")),
                        run: text(entry.get("run")),
                        spec: entry.get("spec").and_then(Value::as_str).and_then(SpecVersion::parse),
                    };
                    (key.clone(), entry)
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        Ledger { consumer: text(map.get("consumer")), provider: text(map.get("provider")), entries }
    }

    /// The ledger as written: keys sorted, one entry per interaction.
    pub(crate) fn to_text(&self) -> String {
        let entries: Map<String, Value> = self
            .entries
            .iter()
            .map(|(key, e)| {
                let spec = e.spec.map(|v| v.to_string());
                (key.clone(), json!({"test": e.test, "run": e.run, "spec": spec}))
            })
            .collect();
        let ledger = json!({"consumer": self.consumer, "provider": self.provider, "interactions": entries});
        let mut text = serde_json::to_string_pretty(&ledger).unwrap_or_else(|_| "{}".into());
        text.push('\n');
        text
    }
}
