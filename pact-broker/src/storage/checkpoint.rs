//! WAL checkpoints in a thread of their own, so that the writer never stops for one.
//!
//! By default SQLite checkpoints inside the `COMMIT` that takes the WAL past 1,000 pages: it
//! copies the pages into the database file and flushes both files, which holds up the one
//! writer (and every write queued behind it) for milliseconds. The writer's connection turns
//! automatic checkpoints off, and after each commit it nudges this thread, which runs a
//! `PASSIVE` checkpoint on a connection of its own: it copies what no reader still needs,
//! beside the writer, and SQLite starts the WAL over once all of it is copied.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// Checkpoints at most this often.
const PAUSE: Duration = Duration::from_millis(20);

/// The sending side of the checkpointing thread.
pub(crate) struct Checkpointer {
    nudges: mpsc::SyncSender<()>,
}

impl Checkpointer {
    /// Opens a connection to the database at `path` and starts the thread.
    pub(crate) fn start(path: &Path) -> Result<Checkpointer, String> {
        let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(|e| e.to_string())?;
        let (nudges, queue) = mpsc::sync_channel(1);
        std::thread::Builder::new()
            .name("pact-broker-checkpoint".into())
            .spawn(move || run(&conn, &queue))
            .map_err(|e| e.to_string())?;
        Ok(Checkpointer { nudges })
    }

    /// Asks for a checkpoint soon (there were commits).
    pub(crate) fn nudge(&self) {
        // A nudge already waiting covers this one.
        let _ = self.nudges.try_send(());
    }
}

fn run(conn: &rusqlite::Connection, queue: &mpsc::Receiver<()>) {
    while queue.recv().is_ok() {
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!("a WAL checkpoint failed: {e}");
        }
        std::thread::sleep(PAUSE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nudge_copies_the_wal_into_the_database_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        let writer = rusqlite::Connection::open(&path).unwrap();
        writer
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; \
                 CREATE TABLE t (body TEXT); \
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) \
                 INSERT INTO t SELECT hex(randomblob(1000)) FROM n;",
            )
            .unwrap();
        let size = || std::fs::metadata(&path).unwrap().len();
        assert!(size() < 100_000, "nothing is checkpointed yet: {}", size());
        let checkpointer = Checkpointer::start(&path).unwrap();
        checkpointer.nudge();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while size() < 1_000_000 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(size() >= 1_000_000, "the database file holds the rows: {} bytes", size());
    }
}
