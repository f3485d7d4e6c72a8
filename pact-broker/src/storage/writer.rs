//! SQLite's one writer: a thread that owns the only write connection, and group commit.
//!
//! SQLite has one writer at a time. One thread owns the write path: it takes every write job
//! waiting in its queue, runs them one after the other inside one transaction, each under its
//! own savepoint (a job that fails is rolled back to its savepoint alone, and answered at
//! once), then commits once. The result is what running the jobs one by one would give, with
//! one commit per batch instead of one per job. When the commit fails, every job of the batch
//! gets the error and none of them is stored.
//!
//! Nothing is acknowledged before it is durable. With `synchronous = FULL` (the default) the
//! batch's answers wait for a flush of the WAL that began after the commit, which runs in a
//! thread of its own (`storage::wal_sync`) while this one goes on with the next batch; with
//! `NORMAL` they are answered at the commit. WAL checkpoints run apart too
//! (`storage::checkpoint`), except that once the WAL is long, this thread checkpoints its last
//! frames between two batches, so that the WAL starts over instead of growing.
//!
//! The connection is an in-process [`rusqlite::Connection`], so a statement runs in this
//! thread, with no hand-over to another thread per statement (which is what sqlx's SQLite
//! driver does, at about 40 µs a statement). The jobs are the same async closures as on
//! PostgreSQL, written against [`super::db::Db`]; a single-threaded runtime here drives them.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::pin::Pin;

use tokio::sync::{mpsc, oneshot};

use super::checkpoint::Checkpointer;
use super::wal_sync::{Deliver, WalSync};
use super::{Conn, SqliteSync, StorageError, StorageResult};

/// The future a write job returns; it borrows the connection.
pub type JobFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

/// The most jobs one transaction takes: a bound on how long the first job of a batch waits for
/// the others.
pub const MAX_BATCH: usize = 32;

type BoxedJob = Box<dyn for<'c> FnOnce(&'c mut Conn) -> JobFuture<'c, (bool, Deliver)> + Send>;

enum Message {
    Job(BoxedJob),
    /// Stop taking jobs, close the connection, then answer.
    Close(oneshot::Sender<()>),
}

/// The sending side of the writer thread.
pub(crate) struct Writer {
    messages: mpsc::UnboundedSender<Message>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Writer")
    }
}

fn higher_ranked<F>(f: F) -> F
where
    F: for<'c> FnOnce(&'c mut Conn) -> JobFuture<'c, (bool, Deliver)> + Send + 'static,
{
    f
}

fn wrap<'c, T, E>(
    job: JobFuture<'c, Result<T, E>>,
    answer: oneshot::Sender<Result<T, E>>,
) -> JobFuture<'c, (bool, Deliver)>
where
    T: Send + 'static,
    E: From<StorageError> + Send + 'static,
{
    Box::pin(async move {
        match job.await {
            Ok(value) => {
                let deliver: Deliver = Box::new(move |committed: Result<(), String>| {
                    let _ =
                        answer.send(committed.map(|()| value).map_err(|m| E::from(StorageError::Batch(m))));
                });
                (true, deliver)
            }
            Err(error) => {
                let deliver: Deliver = Box::new(move |_| {
                    let _ = answer.send(Err(error));
                });
                (false, deliver)
            }
        }
    })
}

/// What the writer thread owns.
struct Connection {
    conn: rusqlite::Connection,
    /// With `synchronous = FULL`: the thread that flushes the WAL.
    wal_sync: Option<WalSync>,
    /// The thread that checkpoints the WAL.
    checkpointer: Option<Checkpointer>,
}

/// Opens the write connection to the SQLite file at `path` (migrated already), and the
/// threads that flush ([`WalSync`]) and checkpoint ([`Checkpointer`]) its WAL.
fn open(path: &Path, sync: SqliteSync) -> StorageResult<Connection> {
    let conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // `temp_store`: each job's savepoint journals the pages it changes; in memory, not in a
    // temporary file opened and closed per job.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
         PRAGMA temp_store = MEMORY;",
    )?;
    // Every statement the repositories run is prepared once.
    conn.set_prepared_statement_cache_capacity(256);
    let wal_sync = match sync {
        SqliteSync::Normal => None,
        SqliteSync::Full => {
            // A read opens (and if need be creates) the WAL file.
            conn.query_row("SELECT value FROM broker_generation WHERE id = 1", [], |_| Ok(()))?;
            let wal = conn.path().map(|db| std::path::PathBuf::from(format!("{db}-wal")));
            match wal.map(WalSync::start) {
                Some(Ok(wal_sync)) => Some(wal_sync),
                failed => {
                    let cause = match failed {
                        Some(Err(e)) => e.to_string(),
                        _ => "the database has no file name".into(),
                    };
                    tracing::warn!("cannot flush the WAL apart ({cause}); each commit flushes it instead");
                    conn.execute_batch("PRAGMA synchronous = FULL")?;
                    None
                }
            }
        }
    };
    let checkpointer = match Checkpointer::start(path) {
        Ok(checkpointer) => {
            conn.execute_batch(&format!(
                "PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = {}",
                super::checkpoint::WAL_LIMIT_BYTES
            ))?;
            Some(checkpointer)
        }
        Err(e) => {
            tracing::warn!("cannot checkpoint apart ({e}); commits checkpoint instead");
            None
        }
    };
    Ok(Connection { conn, wal_sync, checkpointer })
}

impl Writer {
    /// Opens the write connection and starts the writer thread.
    pub(crate) fn spawn(path: &Path, sync: SqliteSync) -> StorageResult<Writer> {
        let connection = open(path, sync)?;
        let (messages, queue) = mpsc::unbounded_channel();
        std::thread::Builder::new()
            .name("pact-broker-writer".into())
            .spawn(move || run(connection, queue))
            .map_err(|e| StorageError::Batch(format!("cannot start the database writer: {e}")))?;
        Ok(Writer { messages })
    }

    /// Runs `job` in the next batch; answers after the batch committed.
    pub(crate) async fn run<T, E, F>(&self, job: F) -> Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut Conn) -> JobFuture<'c, Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let boxed: BoxedJob = Box::new(higher_ranked(move |conn| wrap(job(conn), answer)));
        if self.messages.send(Message::Job(boxed)).is_err() {
            return Err(E::from(StorageError::Batch("the database writer has stopped".into())));
        }
        answered.await.unwrap_or_else(|_| {
            Err(E::from(StorageError::Batch("the write was abandoned (the writer failed)".into())))
        })
    }

    /// Finishes the jobs already queued, closes the connection and stops the thread.
    pub(crate) async fn close(&self) {
        let (done, closed) = oneshot::channel();
        if self.messages.send(Message::Close(done)).is_ok() {
            let _ = closed.await;
        }
    }
}

fn run(connection: Connection, mut queue: mpsc::UnboundedReceiver<Message>) {
    let Connection { mut conn, wal_sync, checkpointer } = connection;
    // The jobs are futures; on this connection they complete without waiting, and a
    // single-threaded runtime in this thread drives them.
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!("the database writer cannot start a runtime: {e}");
            return;
        }
    };
    let mut closing = None;
    while let Some(message) = queue.blocking_recv() {
        let first = match message {
            Message::Job(job) => job,
            Message::Close(done) => {
                closing = Some(done);
                break;
            }
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(Message::Job(job)) => batch.push(job),
                Ok(Message::Close(done)) => {
                    closing = Some(done);
                    break;
                }
                Err(_) => break,
            }
        }
        let committed = run_batch(&runtime, &mut conn, batch);
        match &wal_sync {
            Some(wal_sync) => wal_sync.acknowledge(committed),
            None => {
                for deliver in committed {
                    deliver(Ok(()));
                }
            }
        }
        if let Some(checkpointer) = &checkpointer {
            checkpointer.nudge();
            checkpointer.finish_if_asked(&conn);
        }
        if closing.is_some() {
            break;
        }
    }
    drop(conn);
    if let Some(done) = closing {
        let _ = done.send(());
    }
}

// The statements between jobs, prepared once. A failure of any of them fails the whole batch,
// as it did one by one.
const BEGIN: &[&str] = &["BEGIN IMMEDIATE", "SAVEPOINT job"];
const NEXT: &[&str] = &["RELEASE job", "SAVEPOINT job"];
const ROLLBACK_NEXT: &[&str] = &["ROLLBACK TO job", "RELEASE job", "SAVEPOINT job"];
const ROLLBACK_LAST: &[&str] = &["ROLLBACK TO job", "RELEASE job"];
/// Readers compare generations to know that nothing committed while they read
/// ([`super::generation`]); the bump is the last statement before the commit.
const COMMIT: &[&str] = &["RELEASE job", BUMP, "COMMIT"];
const BUMP_COMMIT: &[&str] = &[BUMP, "COMMIT"];
const BUMP: &str = "UPDATE broker_generation SET value = value + 1 WHERE id = 1";

/// Runs statements that return no rows, each prepared once per connection.
fn run_all(conn: &rusqlite::Connection, statements: &[&str]) -> rusqlite::Result<()> {
    for sql in statements {
        conn.prepare_cached(sql)?.raw_execute()?;
    }
    Ok(())
}

/// Runs a batch in one transaction; returns the answers of the jobs it committed (the others
/// are answered already).
fn run_batch(
    runtime: &tokio::runtime::Runtime,
    conn: &mut rusqlite::Connection,
    batch: Vec<BoxedJob>,
) -> Vec<Deliver> {
    let started = std::time::Instant::now();
    if run_all(conn, BEGIN).is_err() {
        // A batch that died mid-way may have left its transaction open.
        let _ = conn.execute_batch("ROLLBACK");
        if let Err(e) = run_all(conn, BEGIN) {
            // Dropping the jobs answers their callers with an error.
            tracing::error!("cannot begin a write transaction: {e}");
            return Vec::new();
        }
    }
    let mut committed = Vec::with_capacity(batch.len());
    let jobs = batch.len();
    // Whether the last job's savepoint is still open (it was rolled back and released when
    // the job failed).
    let mut open = true;
    for (i, job) in batch.into_iter().enumerate() {
        let last = i + 1 == jobs;
        // A job that panics is a failed job: its caller gets an error (its answer was dropped)
        // and the rest of the batch goes on.
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| runtime.block_on(job(&mut *conn))));
        let (keep, deliver) = match outcome {
            Ok((keep, deliver)) => (keep, Some(deliver)),
            Err(_) => {
                tracing::error!("a write job panicked; it was rolled back");
                (false, None)
            }
        };
        let between = match (keep, last) {
            (true, false) => Some(NEXT),
            (false, false) => Some(ROLLBACK_NEXT),
            (true, true) => None,
            (false, true) => {
                open = false;
                Some(ROLLBACK_LAST)
            }
        };
        if let Some(sql) = between {
            if let Err(e) = run_all(conn, sql) {
                if let Some(deliver) = deliver {
                    deliver(Err(e.to_string()));
                }
                abort(conn, committed, &e.to_string());
                return Vec::new();
            }
        }
        match deliver {
            Some(deliver) if keep => committed.push(deliver),
            Some(deliver) => deliver(Ok(())),
            None => {}
        }
    }
    let committing = std::time::Instant::now();
    match run_all(conn, if open { COMMIT } else { BUMP_COMMIT }) {
        Ok(()) => {
            tracing::debug!(
                jobs,
                elapsed_us = started.elapsed().as_micros() as u64,
                commit_us = committing.elapsed().as_micros() as u64,
                "write batch committed"
            );
            committed
        }
        Err(e) => {
            abort(conn, committed, &e.to_string());
            Vec::new()
        }
    }
}

fn abort(conn: &mut rusqlite::Connection, waiting: Vec<Deliver>, message: &str) {
    let _ = conn.execute_batch("ROLLBACK");
    tracing::error!("a write batch was rolled back: {message}");
    for deliver in waiting {
        deliver(Err(message.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::super::{pacticipants, ConnectOptions, DatabaseUrl, Storage};
    use super::*;

    #[derive(Debug)]
    enum Refused {
        Storage(StorageError),
        ByJob,
    }

    impl From<StorageError> for Refused {
        fn from(e: StorageError) -> Self {
            Refused::Storage(e)
        }
    }

    /// Jobs sent together share batches; a job that fails or panics after writing leaves
    /// nothing behind, and the others are stored.
    #[test]
    fn failed_and_panicking_jobs_are_rolled_back_alone() {
        let dir = tempfile::tempdir().unwrap();
        let database = DatabaseUrl::Sqlite(dir.path().join("broker.sqlite"));
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let storage = Storage::connect(&database, ConnectOptions::default()).await.unwrap();
            let mut jobs = Vec::new();
            for i in 0..60 {
                let storage = storage.clone();
                jobs.push(tokio::spawn(async move {
                    storage
                        .transaction(move |conn| {
                            Box::pin(async move {
                                pacticipants::find_or_create(conn, &format!("P{i}")).await?;
                                match i % 3 {
                                    1 => Err(Refused::ByJob),
                                    2 if i == 2 => panic!("a job panics after writing"),
                                    _ => Ok(i),
                                }
                            })
                        })
                        .await
                }));
            }
            for (i, job) in jobs.into_iter().enumerate() {
                match (i % 3, job.await.unwrap()) {
                    (0, Ok(n)) => assert_eq!(n, i),
                    (1, Err(Refused::ByJob)) => {}
                    (2, Ok(n)) if i != 2 => assert_eq!(n, i),
                    (2, Err(Refused::Storage(StorageError::Batch(_)))) if i == 2 => {}
                    (_, other) => panic!("job {i}: {other:?}"),
                }
            }
            let mut conn = storage.read().await.unwrap();
            for i in 0..60 {
                let found = pacticipants::find(&mut conn, &format!("P{i}")).await.unwrap();
                assert_eq!(found.is_some(), i % 3 != 1 && i != 2, "P{i}");
            }
            drop(conn);
            storage.close().await;
        });
    }
}
