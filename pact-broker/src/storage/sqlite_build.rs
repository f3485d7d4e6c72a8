//! How the SQLite linked into the broker was compiled, and a warning when the build shares one
//! page cache between all connections.
//!
//! `libsqlite3-sys` compiles its bundled SQLite with `SQLITE_ENABLE_MEMORY_MANAGEMENT`, which
//! makes every connection draw its pages from one global cache behind one mutex, and with
//! SQLite's default `SQLITE_DEFAULT_MEMSTATUS=1`, which takes another global mutex on every
//! allocation to count memory. The broker's read connections run side by side on every runtime
//! thread, so both mutexes are contended: at 50 clients, never-cached pacts for verification
//! spent about a third of the broker's CPU locking and waiting (BENCHMARKS.md). The workspace's
//! `.cargo/config.toml` sets `LIBSQLITE3_FLAGS` to compile SQLite without the first and with
//! memory statistics off, as SQLite's own list of recommended options advises. A broker built
//! outside the workspace (with `cargo install` from a registry, say) does not get those flags;
//! it works the same, more slowly under concurrent reads, and says so once at start-up.

/// The options that make concurrent readers contend, if this build of SQLite has them.
///
/// # Errors
///
/// SQLite could not open an in-memory database or answer `PRAGMA compile_options`.
pub(crate) fn contended_options() -> rusqlite::Result<Vec<String>> {
    let conn = rusqlite::Connection::open_in_memory()?;
    let mut statement = conn.prepare("PRAGMA compile_options")?;
    let options = statement.query_map([], |row| row.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(contended(&options))
}

/// Of SQLite's compile options (as `PRAGMA compile_options` lists them), those that make
/// concurrent connections contend for a global mutex.
fn contended(options: &[String]) -> Vec<String> {
    let memstatus_off = options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0");
    let mut found: Vec<String> =
        options.iter().filter(|o| *o == "ENABLE_MEMORY_MANAGEMENT").cloned().collect();
    if !memstatus_off {
        found.push("DEFAULT_MEMSTATUS=1".to_owned());
    }
    found
}

/// Logs a warning when this build of SQLite makes concurrent readers contend.
pub(crate) fn warn_if_contended() {
    match contended_options() {
        Ok(options) if options.is_empty() => {}
        Ok(options) => tracing::warn!(
            options = %options.join(", "),
            "SQLite was compiled with options that make concurrent reads share global locks; \
             reads under load cost up to twice the CPU. Build inside the pact-rs workspace, or set \
             LIBSQLITE3_FLAGS=\"-USQLITE_ENABLE_MEMORY_MANAGEMENT -DSQLITE_DEFAULT_MEMSTATUS=0\" \
             when building"
        ),
        Err(error) => tracing::debug!(%error, "could not read SQLite's compile options"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_compiles_sqlite_without_global_locks_on_reads() {
        // .cargo/config.toml's LIBSQLITE3_FLAGS: without it this lists both options.
        assert_eq!(contended_options().unwrap(), Vec::<String>::new());
    }

    #[test]
    fn each_contended_option_is_named() {
        let options = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            contended(&options(&["ENABLE_MEMORY_MANAGEMENT", "THREADSAFE=1"])),
            options(&["ENABLE_MEMORY_MANAGEMENT", "DEFAULT_MEMSTATUS=1"])
        );
        assert_eq!(
            contended(&options(&["ENABLE_MEMORY_MANAGEMENT", "DEFAULT_MEMSTATUS=0"])),
            options(&["ENABLE_MEMORY_MANAGEMENT"])
        );
        assert!(contended(&options(&["DEFAULT_MEMSTATUS=0", "THREADSAFE=1"])).is_empty());
    }
}
