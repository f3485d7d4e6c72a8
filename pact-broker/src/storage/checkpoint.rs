//! WAL checkpoints in a thread of their own, so that the writer never stops for one.
//!
//! By default SQLite checkpoints inside the `COMMIT` that takes the WAL past 1,000 pages: it
//! copies the pages into the database file and flushes both files, which holds up the one
//! writer (and every write queued behind it) for milliseconds. The writer's connection turns
//! automatic checkpoints off, and after each commit it nudges this thread, which runs a
//! `PASSIVE` checkpoint on a connection of its own: it copies what no reader still needs,
//! beside the writer.
//!
//! SQLite starts the WAL over, at its first frame, only when a write transaction begins with
//! every frame copied. A writer that never pauses always has frames that this thread has not
//! copied yet, so the WAL would grow without end: by 50 MB a second under the load benchmark,
//! in new blocks that every `fdatasync` must also allocate and describe. Once the WAL holds
//! [`RESTART_FRAMES`], this thread asks the writer to finish the job: between two batches,
//! the writer checkpoints the few frames committed since this thread's last pass
//! ([`Checkpointer::finish_if_asked`]), and its next transaction starts the WAL over, in the
//! file's existing blocks.
//!
//! The two never checkpoint at once (a lock), so the writer's checkpoint is not refused as busy.
//! Should this thread fall behind (a writer faster than its copying, or a thread starved of CPU),
//! the writer does not wait to be asked: once the WAL file is past [`WAL_LIMIT_BYTES`] it
//! checkpoints after each batch, waiting for this thread's pass if one is running, until the
//! WAL starts over. Writes slow down to the pace of the copying, and the WAL stays bounded; its
//! connection's `journal_size_limit` truncates a longer file back to that size when it starts
//! over.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// Checkpoints at most this often.
const PAUSE: Duration = Duration::from_millis(20);

/// The WAL's length, in frames (pages), from which the writer is asked to let it start over
/// (16 MB with 4 KB pages). Each start-over holds the writer up for a few milliseconds (its
/// checkpoint flushes both files); four times SQLite's own automatic threshold makes that four
/// times rarer: about once per 800 publishes.
const RESTART_FRAMES: i64 = 4000;

/// The WAL file's length past which the writer checkpoints without being asked (64 MB).
pub(crate) const WAL_LIMIT_BYTES: u64 = 64 * 1024 * 1024;

/// The sending side of the checkpointing thread.
pub(crate) struct Checkpointer {
    nudges: mpsc::SyncSender<()>,
    /// What the thread and the writer share.
    shared: Arc<Shared>,
    /// The WAL file.
    wal: PathBuf,
}

/// What the checkpointing thread and the writer share.
struct Shared {
    /// Set by the thread when the WAL is long enough to start over.
    restart: AtomicBool,
    /// The WAL's length in frames when the writer last copied all of it (-1: never): the WAL
    /// starts over at the writer's next transaction, so a pass that finds it so has nothing
    /// to ask for.
    finished: AtomicI64,
    /// Held by whichever of the thread and the writer is checkpointing.
    pass: Mutex<()>,
}

impl Checkpointer {
    /// Opens a connection to the database at `path` and starts the thread.
    pub(crate) fn start(path: &Path) -> Result<Checkpointer, String> {
        let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(|e| e.to_string())?;
        let (nudges, queue) = mpsc::sync_channel(1);
        let shared = Arc::new(Shared {
            restart: AtomicBool::new(false),
            finished: AtomicI64::new(-1),
            pass: Mutex::new(()),
        });
        let theirs = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("pact-broker-checkpoint".into())
            .spawn(move || run(&conn, &queue, &theirs))
            .map_err(|e| e.to_string())?;
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        Ok(Checkpointer { nudges, shared, wal: PathBuf::from(wal) })
    }

    /// Asks for a checkpoint soon (there were commits).
    pub(crate) fn nudge(&self) {
        // A nudge already waiting covers this one.
        let _ = self.nudges.try_send(());
    }

    /// Called by the writer between batches, outside any transaction: when the thread asked
    /// for it, or the WAL file is past [`WAL_LIMIT_BYTES`], checkpoints what is left of the WAL
    /// on the writer's connection (after the thread's pass, if one is running), so that the
    /// next transaction starts the WAL over. Asks again later if a reader kept frames from
    /// being copied.
    pub(crate) fn finish_if_asked(&self, conn: &rusqlite::Connection) {
        let asked = self.shared.restart.swap(false, Ordering::Relaxed);
        if !asked && !self.wal_is_past_limit() {
            return;
        }
        let started = std::time::Instant::now();
        let _pass = self.shared.pass.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match checkpoint(conn) {
            Ok(progress) => {
                tracing::debug!(
                    frames = progress.frames,
                    copied = progress.copied,
                    elapsed_us = started.elapsed().as_micros() as u64,
                    "WAL checkpointed by the writer"
                );
                if progress.complete() {
                    self.shared.finished.store(progress.frames, Ordering::Relaxed);
                } else {
                    self.shared.restart.store(true, Ordering::Relaxed);
                }
            }
            Err(e) => {
                tracing::warn!("a WAL checkpoint failed: {e}");
                self.shared.restart.store(true, Ordering::Relaxed);
            }
        }
    }
}

impl Checkpointer {
    fn wal_is_past_limit(&self) -> bool {
        std::fs::metadata(&self.wal).is_ok_and(|m| m.len() > WAL_LIMIT_BYTES)
    }
}

/// What `PRAGMA wal_checkpoint` reports.
struct Progress {
    /// Another checkpoint was running, or a writer held the lock.
    busy: bool,
    /// Frames in the WAL.
    frames: i64,
    /// Frames copied into the database file, by this checkpoint or earlier ones.
    copied: i64,
}

impl Progress {
    fn complete(&self) -> bool {
        !self.busy && self.copied >= self.frames
    }
}

fn checkpoint(conn: &rusqlite::Connection) -> rusqlite::Result<Progress> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
        Ok(Progress { busy: row.get::<_, i64>(0)? != 0, frames: row.get(1)?, copied: row.get(2)? })
    })
}

fn run(conn: &rusqlite::Connection, queue: &mpsc::Receiver<()>, shared: &Shared) {
    while queue.recv().is_ok() {
        let done = {
            let _pass = shared.pass.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            checkpoint(conn)
        };
        match done {
            // A pass that waited for the writer's own checkpoint finds the WAL as the writer left
            // it, all copied; it starts over at the writer's next transaction. Asking again
            // would make the writer pause once more after that transaction, for nothing.
            Ok(progress)
                if progress.frames >= RESTART_FRAMES
                    && !(progress.complete()
                        && progress.frames == shared.finished.load(Ordering::Relaxed)) =>
            {
                shared.restart.store(true, Ordering::Relaxed);
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("a WAL checkpoint failed: {e}"),
        }
        std::thread::sleep(PAUSE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database in WAL mode with automatic checkpoints off, as the writer opens it, after
    /// `sql`; its path and the connection.
    fn wal_database(dir: &Path, sql: &str) -> (PathBuf, rusqlite::Connection) {
        let path = dir.join("db.sqlite");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0").unwrap();
        conn.execute_batch(sql).unwrap();
        (path, conn)
    }

    #[test]
    fn a_nudge_copies_the_wal_into_the_database_file() {
        let dir = tempfile::tempdir().unwrap();
        let (path, _writer) = wal_database(
            dir.path(),
            "CREATE TABLE t (body TEXT); \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) \
             INSERT INTO t SELECT hex(randomblob(1000)) FROM n;",
        );
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

    /// A pass that comes after the writer's own checkpoint, before the writer's next
    /// transaction, finds the WAL complete: it does not ask the writer for another checkpoint,
    /// and the next transaction starts the WAL over.
    #[test]
    fn a_pass_after_the_writers_checkpoint_does_not_ask_again() {
        let dir = tempfile::tempdir().unwrap();
        let rows = RESTART_FRAMES + 100;
        let (path, writer) = wal_database(
            dir.path(),
            &format!(
                "CREATE TABLE t (body BLOB); \
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) \
                 INSERT INTO t SELECT zeroblob(3000) FROM n;"
            ),
        );
        let checkpointer = Checkpointer::start(&path).unwrap();
        checkpointer.shared.restart.store(true, Ordering::Relaxed);
        checkpointer.finish_if_asked(&writer);
        assert!(!checkpointer.shared.restart.load(Ordering::Relaxed), "the writer copied the whole WAL");
        checkpointer.nudge();
        // The nudge is taken at once; the pass holds the lock while it runs, and the flag is
        // set, if at all, as soon as it returns.
        std::thread::sleep(Duration::from_millis(100));
        drop(checkpointer.shared.pass.lock().unwrap());
        std::thread::sleep(Duration::from_millis(100));
        assert!(!checkpointer.shared.restart.load(Ordering::Relaxed), "the writer was asked again");
        writer.execute("INSERT INTO t (body) VALUES (zeroblob(10))", []).unwrap();
        let header = std::fs::read(dir.path().join("db.sqlite-wal")).unwrap();
        let restarts = u32::from_be_bytes([header[12], header[13], header[14], header[15]]);
        assert_eq!(restarts, 1, "the next transaction started the WAL over");
    }

    /// A writer that commits without pause, as under load: the WAL starts over instead of
    /// growing with everything ever written.
    #[test]
    fn the_wal_starts_over_under_continuous_writes() {
        let dir = tempfile::tempdir().unwrap();
        let (path, writer) =
            wal_database(dir.path(), "PRAGMA synchronous = NORMAL; CREATE TABLE t (body BLOB)");
        let checkpointer = Checkpointer::start(&path).unwrap();
        let wal = dir.path().join("db.sqlite-wal");
        let mut largest = 0;
        // Over 24,000 pages in all: six times the length at which the thread asks for a start
        // over, and more than twice the limit at which the writer no longer waits to be asked.
        let commits = 6 * RESTART_FRAMES as usize;
        for _ in 0..commits {
            writer.execute("INSERT INTO t (body) VALUES (zeroblob(3000))", []).unwrap();
            checkpointer.nudge();
            checkpointer.finish_if_asked(&writer);
            largest = largest.max(std::fs::metadata(&wal).unwrap().len());
        }
        // The WAL header's checkpoint sequence number counts the times the WAL started over.
        let header = std::fs::read(&wal).unwrap();
        let restarts = u32::from_be_bytes([header[12], header[13], header[14], header[15]]);
        assert!(restarts >= 2, "the WAL started over {restarts} times in {commits} commits");
        // Past the limit the writer checkpoints after every commit: one commit's frames over it.
        assert!(
            largest <= WAL_LIMIT_BYTES + 64 * 1024,
            "the WAL grew to {largest} bytes (limit {WAL_LIMIT_BYTES}) in {commits} commits"
        );
    }
}
