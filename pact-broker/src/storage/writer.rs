//! Group commit for SQLite: write transactions that arrive together share one commit.
//!
//! With `synchronous = FULL` each SQLite commit waits for the disk (an fsync of the WAL), and
//! SQLite has one writer at a time, so concurrent publishes would each wait for every fsync
//! before theirs. Instead one task owns the write path: it takes every write job waiting in
//! its queue, runs them one after the other inside one transaction, each under its own
//! savepoint (a job that fails is rolled back to its savepoint alone, and answered at once),
//! then commits once and answers every job that succeeded. Nothing is acknowledged before the
//! commit that makes it durable; when the commit fails, every job of the batch gets the error
//! and none of them is stored. The result is what running the jobs one by one would give, with
//! one fsync per batch instead of one per job.

use std::future::Future;
use std::pin::Pin;

use sqlx::{AnyConnection, AnyPool, Executor as _};
use tokio::sync::{mpsc, oneshot};

use super::StorageError;

/// The future a write job returns; it borrows the connection.
pub type JobFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

/// The most jobs one transaction takes: a bound on how long the first job of a batch waits for
/// the others.
pub const MAX_BATCH: usize = 32;

type Deliver = Box<dyn FnOnce(Result<(), String>) + Send>;
type BoxedJob = Box<dyn for<'c> FnOnce(&'c mut AnyConnection) -> JobFuture<'c, (bool, Deliver)> + Send>;

/// The sending side of the writer task.
pub(crate) struct Writer {
    jobs: mpsc::UnboundedSender<BoxedJob>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Writer")
    }
}

fn higher_ranked<F>(f: F) -> F
where
    F: for<'c> FnOnce(&'c mut AnyConnection) -> JobFuture<'c, (bool, Deliver)> + Send + 'static,
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

impl Writer {
    /// Starts the writer task on `pool` (the single SQLite write connection).
    pub(crate) fn spawn(pool: AnyPool) -> Writer {
        let (jobs, queue) = mpsc::unbounded_channel();
        tokio::spawn(run(pool, queue));
        Writer { jobs }
    }

    /// Runs `job` in the next batch; answers after the batch committed.
    pub(crate) async fn run<T, E, F>(&self, job: F) -> Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut AnyConnection) -> JobFuture<'c, Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let boxed: BoxedJob = Box::new(higher_ranked(move |conn| wrap(job(conn), answer)));
        if self.jobs.send(boxed).is_err() {
            return Err(E::from(StorageError::Batch("the database writer has stopped".into())));
        }
        answered.await.unwrap_or_else(|_| {
            Err(E::from(StorageError::Batch("the write was abandoned (the writer failed)".into())))
        })
    }
}

async fn run(pool: AnyPool, mut queue: mpsc::UnboundedReceiver<BoxedJob>) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // A batch runs in a task of its own: should a job panic, only its batch is lost (its
        // callers get an error) and the writer goes on.
        if let Err(e) = tokio::spawn(run_batch(pool.clone(), batch)).await {
            tracing::error!("a write batch failed: {e}");
        }
    }
}

// The statements between jobs go to SQLite together: each round trip to sqlx's SQLite worker
// thread costs more than the statements themselves, and the writer is the one path every
// write waits for. A failure of any of them fails the whole batch, as it did one by one.
const BEGIN: &str = "BEGIN IMMEDIATE; SAVEPOINT job";
const NEXT: &str = "RELEASE job; SAVEPOINT job";
const ROLLBACK_NEXT: &str = "ROLLBACK TO job; RELEASE job; SAVEPOINT job";
const ROLLBACK_LAST: &str = "ROLLBACK TO job; RELEASE job";
/// Readers compare generations to know that nothing committed while they read
/// ([`super::generation`]); the bump is the last statement before the commit.
const COMMIT: &str = "RELEASE job; UPDATE broker_generation SET value = value + 1 WHERE id = 1; COMMIT";
const BUMP_COMMIT: &str = "UPDATE broker_generation SET value = value + 1 WHERE id = 1; COMMIT";

async fn run_batch(pool: AnyPool, batch: Vec<BoxedJob>) {
    let started = std::time::Instant::now();
    let mut conn = match pool.acquire().await {
        Ok(conn) => conn,
        Err(e) => {
            tracing::error!("no write connection: {e}");
            return;
        }
    };
    if exec(&mut conn, BEGIN).await.is_err() {
        // A batch that died mid-way may have left its transaction open.
        let _ = exec(&mut conn, "ROLLBACK").await;
        if let Err(e) = exec(&mut conn, BEGIN).await {
            tracing::error!("cannot begin a write transaction: {e}");
            return;
        }
    }
    let mut committed = Vec::with_capacity(batch.len());
    let jobs = batch.len();
    // Whether the last job's savepoint is still open (it was rolled back and released when
    // the job failed).
    let mut open = true;
    for (i, job) in batch.into_iter().enumerate() {
        let last = i + 1 == jobs;
        let (keep, deliver) = job(&mut conn).await;
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
            if let Err(e) = exec(&mut conn, sql).await {
                deliver(Err(e.to_string()));
                abort(&mut conn, committed, &e.to_string()).await;
                return;
            }
        }
        if keep {
            committed.push(deliver);
        } else {
            deliver(Ok(()));
        }
    }
    match exec(&mut conn, if open { COMMIT } else { BUMP_COMMIT }).await {
        Ok(_) => {
            tracing::debug!(jobs, elapsed_us = started.elapsed().as_micros() as u64, "write batch committed");
            for deliver in committed {
                deliver(Ok(()));
            }
        }
        Err(e) => abort(&mut conn, committed, &e.to_string()).await,
    }
}

async fn abort(conn: &mut AnyConnection, waiting: Vec<Deliver>, message: &str) {
    let _ = exec(conn, "ROLLBACK").await;
    tracing::error!("a write batch was rolled back: {message}");
    for deliver in waiting {
        deliver(Err(message.to_string()));
    }
}

/// Runs `sql`: one or more statements without parameters, sent to SQLite together.
async fn exec(conn: &mut AnyConnection, sql: &'static str) -> Result<(), sqlx::Error> {
    conn.execute(sql).await.map(|_| ())
}
