//! Which run a write belongs to, and how it treats what is already in the file
//! (`PACT_FILE_WRITE_MODE`).
//!
//! A *run* is one invocation of the test suite. It is what tells a real conflict (two tests of
//! the same run declaring one interaction differently) from a stale entry (written by an earlier
//! run, before a test changed), and what overwrite mode keeps. It is, in this order:
//!
//! 1. `PACT_RUN_ID`, when set: any value the user makes unique to the run;
//! 2. `NEXTEST_RUN_ID`, which cargo-nextest gives every test process of one `cargo nextest run`;
//! 3. under `cargo test`, the process that started the test binary: cargo runs each test binary
//!    of a `cargo test` as its own child, one after another, so they all share their parent,
//!    which is the `cargo` process itself. On Linux the parent's start time and the boot id are
//!    part of the identity, so a later `cargo test` that happens to get the same process id is
//!    still another run; on other Unix systems the parent's process id alone is used.
//! 4. elsewhere (Windows), this process: each test binary is then a run of its own, so a
//!    conflict between tests is only seen within one binary, and overwrite mode needs
//!    `PACT_RUN_ID`.
//!
//! Rule 3 also applies to a test binary started by hand: every binary started from the same
//! shell counts as one run, for as long as that shell lives. Set `PACT_RUN_ID` when that is not
//! what you want.

use std::sync::OnceLock;

use super::Error;

/// How a write treats interactions already in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WriteMode {
    /// Keep them (the default); replace those written again.
    #[default]
    Merge,
    /// Drop those not written during the current run, and remove the consumer's pact files
    /// that no test of the run writes.
    Overwrite,
}

impl WriteMode {
    /// Reads a `PACT_FILE_WRITE_MODE` value: `merge` or `overwrite`, in any case; empty means
    /// `merge`. Anything else is an error, never a silent merge.
    ///
    /// ```
    /// use pact_core::pactfile::WriteMode;
    ///
    /// assert_eq!(WriteMode::parse("Overwrite").unwrap(), WriteMode::Overwrite);
    /// assert!(WriteMode::parse("overwite").unwrap_err().to_string().contains("overwrite"));
    /// ```
    pub fn parse(value: &str) -> Result<Self, Error> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "merge" => Ok(WriteMode::Merge),
            "overwrite" => Ok(WriteMode::Overwrite),
            _ => Err(Error::UnknownWriteMode { value: value.to_string() }),
        }
    }
}

/// Where the identity of the current run comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunSource {
    /// `PACT_RUN_ID`.
    Explicit,
    /// cargo-nextest's `NEXTEST_RUN_ID`.
    Nextest,
    /// The process that started this one (`cargo` under `cargo test`).
    ParentProcess,
    /// This process alone.
    Process,
}

/// The run this process belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The identity, compared between ledger entries.
    pub id: String,
    /// Where it comes from.
    pub source: RunSource,
}

/// The current run, by the rules of the module documentation.
pub fn current_run() -> Run {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if let Some(id) = var("PACT_RUN_ID") {
        return Run { id, source: RunSource::Explicit };
    }
    if let Some(id) = var("NEXTEST_RUN_ID") {
        return Run { id: format!("nextest:{id}"), source: RunSource::Nextest };
    }
    if let Some(id) = parent_identity() {
        return Run { id, source: RunSource::ParentProcess };
    }
    Run { id: process_identity().to_string(), source: RunSource::Process }
}

/// The write mode and the run the environment asks for. The run is `None` in overwrite mode when
/// it cannot be told apart from this process (see the module documentation), because then
/// overwrite mode would drop the interactions of the other test binaries of the same run.
pub fn mode_from_env() -> Result<(WriteMode, Option<String>), Error> {
    let mode = match std::env::var("PACT_FILE_WRITE_MODE") {
        Ok(value) => WriteMode::parse(&value)?,
        Err(std::env::VarError::NotPresent) => WriteMode::Merge,
        Err(std::env::VarError::NotUnicode(value)) => {
            return Err(Error::UnknownWriteMode { value: value.to_string_lossy().into_owned() })
        }
    };
    let run = current_run();
    let run =
        if mode == WriteMode::Overwrite && run.source == RunSource::Process { None } else { Some(run.id) };
    Ok((mode, run))
}

#[cfg(unix)]
fn parent_identity() -> Option<String> {
    let parent = std::os::unix::process::parent_id();
    if parent == 0 {
        return None;
    }
    Some(match linux_start(parent) {
        Some(start) => format!("parent:{parent}:{start}"),
        None => format!("parent:{parent}"),
    })
}

#[cfg(not(unix))]
fn parent_identity() -> Option<String> {
    None
}

/// On Linux: the start time of process `pid` (in clock ticks since boot) and the boot id, which
/// together tell it from a later process with the same id.
#[cfg(unix)]
fn linux_start(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (command) state ppid ...`: the command may hold spaces and parentheses, so count the
    // fields from the last `)`. The start time is field 22 of the line, the 20th after it.
    let after = &stat[stat.rfind(')')? + 1..];
    let start = after.split_whitespace().nth(19)?;
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").unwrap_or_default();
    Some(format!("{start}:{}", boot.trim()))
}

/// This process: its id and the time it first asked, so that a later process with the same id
/// is another run.
fn process_identity() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        format!("process:{}:{since_epoch}", std::process::id())
    })
}
