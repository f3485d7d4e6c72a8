//! SQLite's read connections: in-process, pooled, each statement run by the task that awaits it.
//!
//! Through sqlx's SQLite driver every statement is handed to the connection's own thread and
//! its rows handed back: two thread wake-ups a statement, where an indexed read itself takes a
//! few microseconds. A never-cached pacts-for-verification answer ran about 48 statements, and
//! the hand-overs were over a third of its CPU (1,300 µs an answer through sqlx at 50 clients,
//! 830 µs here; BENCHMARKS.md). Here a statement runs in the calling task, on the runtime
//! thread it is on; WAL lets a read run beside the writer without waiting for it.
//!
//! The price: while a statement runs, its runtime thread serves nothing else. The broker's
//! statements are indexed lookups of microseconds; a scan of a large table (the row counts of
//! `/metrics`) holds one runtime thread for its duration, and the other threads go on. A
//! request's statements would otherwise all run in one poll (each is ready at once), so each
//! one first spends from tokio's co-operative budget: after a task's budget of work, it yields
//! to the other tasks of its thread. Should a statement meet a lock (in WAL mode a reader
//! does only in rare moments, such as the recovery after a crash), SQLite's busy handler
//! sleeps on the runtime thread, for up to [`BUSY_TIMEOUT`].
//!
//! A connection is taken from the pool for a whole request ([`ReadConn`]) and put back when it
//! is dropped. At most `max` are out at once; a request that finds none free waits for one, up
//! to [`ACQUIRE_TIMEOUT`].

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::Any;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::db::{Arg, Db, DbFuture, Row};
use super::{StorageError, StorageResult};

/// How long a request waits for a free read connection before it fails.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a statement waits on a lock before it fails (in WAL mode a reader waits only in
/// rare moments, such as the recovery after a crash).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The pool of SQLite read connections to one database file.
#[derive(Debug)]
pub(crate) struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<rusqlite::Connection>>,
    permits: Arc<Semaphore>,
    max: u32,
}

impl Readers {
    /// A pool of at most `max` (at least one) connections to the database at `path`, opened
    /// when first needed.
    pub(crate) fn new(path: &Path, max: u32) -> Readers {
        let max = max.clamp(1, u32::try_from(Semaphore::MAX_PERMITS).unwrap_or(u32::MAX));
        Readers {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(usize::try_from(max).unwrap_or(1))),
            max,
        }
    }

    /// A read connection: an idle one, or a new one while fewer than `max` exist.
    pub(crate) async fn acquire(self: &Arc<Self>) -> StorageResult<ReadConn> {
        let permit = tokio::time::timeout(ACQUIRE_TIMEOUT, Arc::clone(&self.permits).acquire_owned())
            .await
            .map_err(|_| StorageError::Query(sqlx::Error::PoolTimedOut))?
            .map_err(|_| StorageError::Query(sqlx::Error::PoolClosed))?;
        let idle = self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner).pop();
        let conn = match idle {
            Some(conn) => conn,
            None => self.open()?,
        };
        Ok(ReadConn(Inner::Sqlite(SqliteRead {
            conn: Some(conn),
            readers: Arc::clone(self),
            _permit: permit,
        })))
    }

    fn open(&self) -> StorageResult<rusqlite::Connection> {
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // A read connection never writes, even by mistake.
        conn.execute_batch("PRAGMA query_only = ON;")?;
        conn.set_prepared_statement_cache_capacity(256);
        Ok(conn)
    }

    /// Refuses new requests, waits for the connections in use to come back (up to
    /// [`ACQUIRE_TIMEOUT`]; one still out then closes when it is dropped), and closes them.
    pub(crate) async fn close(&self) {
        let all = tokio::time::timeout(ACQUIRE_TIMEOUT, self.permits.acquire_many(self.max)).await;
        if all.is_err() {
            tracing::warn!("a read connection was still in use when the database closed");
        }
        let mut idle = self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.permits.close();
        idle.clear();
    }
}

/// A read connection for one request, back in its pool when dropped: an in-process SQLite
/// connection (see [the module](self)), or a pooled sqlx connection (PostgreSQL).
/// `&mut *conn` is a [`super::Conn`], which every repository function takes.
///
/// ```
/// use pact_broker::storage::{pacticipants, Storage, StorageResult};
///
/// async fn main_branch(storage: &Storage, name: &str) -> StorageResult<Option<String>> {
///     let mut conn = storage.read().await?;
///     Ok(pacticipants::find(&mut *conn, name).await?.and_then(|p| p.main_branch))
/// }
/// ```
#[derive(Debug)]
pub struct ReadConn(Inner);

#[derive(Debug)]
enum Inner {
    Sqlite(SqliteRead),
    Pool(PoolConnection<Any>),
}

impl From<PoolConnection<Any>> for ReadConn {
    fn from(conn: PoolConnection<Any>) -> Self {
        ReadConn(Inner::Pool(conn))
    }
}

impl std::ops::Deref for ReadConn {
    type Target = super::Conn;
    fn deref(&self) -> &Self::Target {
        match &self.0 {
            Inner::Sqlite(read) => read,
            Inner::Pool(conn) => conn,
        }
    }
}

impl std::ops::DerefMut for ReadConn {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match &mut self.0 {
            Inner::Sqlite(read) => read,
            Inner::Pool(conn) => conn,
        }
    }
}

impl Db for ReadConn {
    fn fetch_all<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, Vec<Row>> {
        (**self).fetch_all(sql, args)
    }
    fn fetch_optional<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, Option<Row>> {
        (**self).fetch_optional(sql, args)
    }
    fn execute<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, u64> {
        (**self).execute(sql, args)
    }
}

/// An SQLite read connection, lent by [`Readers`]; it is `None` only while being dropped.
#[derive(Debug)]
struct SqliteRead {
    conn: Option<rusqlite::Connection>,
    readers: Arc<Readers>,
    _permit: OwnedSemaphorePermit,
}

impl SqliteRead {
    /// Runs a statement on the connection, after spending from the task's co-operative budget.
    fn conn<'a, T: Send + 'a>(
        &'a mut self,
        run: impl FnOnce(&'a mut rusqlite::Connection) -> DbFuture<'a, T> + Send + 'a,
    ) -> DbFuture<'a, T> {
        Box::pin(async move {
            tokio::task::coop::consume_budget().await;
            match &mut self.conn {
                Some(conn) => run(conn).await,
                None => Err(StorageError::Batch("the read connection was returned to its pool".into())),
            }
        })
    }
}

impl Db for SqliteRead {
    fn fetch_all<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, Vec<Row>> {
        self.conn(|conn| conn.fetch_all(sql, args))
    }
    fn fetch_optional<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, Option<Row>> {
        self.conn(|conn| conn.fetch_optional(sql, args))
    }
    fn execute<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, u64> {
        self.conn(|conn| conn.execute(sql, args))
    }
}

impl Drop for SqliteRead {
    fn drop(&mut self) {
        // A connection left inside an explicit transaction is closed rather than given to the
        // next request (statements are reset when their rows are dropped, so none is left
        // unfinished); so is every connection once the pool is closed.
        if let Some(conn) = self.conn.take().filter(|c| c.is_autocommit()) {
            let mut idle = self.readers.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if !self.readers.permits.is_closed() {
                idle.push(conn);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{db, pacticipants, ConnectOptions, DatabaseUrl, Storage};
    use super::*;

    /// A read sees what the writer committed, waits while every connection is out, cannot
    /// write, and is refused once the storage is closed.
    #[test]
    fn readers_see_commits_wait_for_a_free_connection_refuse_writes_and_close() {
        let dir = tempfile::tempdir().unwrap();
        let database = DatabaseUrl::Sqlite(dir.path().join("broker.sqlite"));
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let options = ConnectOptions { max_connections: 1, ..ConnectOptions::default() };
            let storage = Storage::connect(&database, options).await.unwrap();
            storage
                .transaction(|conn| {
                    Box::pin(async move { pacticipants::find_or_create(conn, "A").await.map(|_| ()) })
                })
                .await
                .unwrap();
            let mut first = storage.read().await.unwrap();
            assert!(pacticipants::find(&mut *first, "A").await.unwrap().is_some());
            let waiting = tokio::time::timeout(Duration::from_millis(200), storage.read()).await;
            assert!(waiting.is_err(), "a second connection was lent while the only one was out");
            drop(first);
            let mut second = storage.read().await.unwrap();
            let write = db::query("DELETE FROM pacticipants").execute(&mut *second).await;
            assert!(write.is_err(), "a read connection wrote");
            assert!(pacticipants::find(&mut *second, "A").await.unwrap().is_some());
            drop(second);
            storage.close().await;
            assert!(storage.read().await.is_err());
        });
    }

    /// Statements are ready at once, but a long run of them still lets the other tasks of the
    /// runtime thread have their turn.
    #[test]
    fn a_long_run_of_reads_yields_to_the_other_tasks_of_its_thread() {
        let dir = tempfile::tempdir().unwrap();
        let database = DatabaseUrl::Sqlite(dir.path().join("broker.sqlite"));
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let storage = Storage::connect(&database, ConnectOptions::default()).await.unwrap();
            let ticked = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let reads = tokio::spawn({
                let (storage, ticked) = (storage.clone(), Arc::clone(&ticked));
                async move {
                    let mut conn = storage.read().await.unwrap();
                    for i in 0..1000 {
                        db::query("SELECT 1").fetch_one(&mut *conn).await.unwrap();
                        if ticked.load(std::sync::atomic::Ordering::SeqCst) {
                            return Some(i);
                        }
                    }
                    None
                }
            });
            tokio::spawn(async move { ticked.store(true, std::sync::atomic::Ordering::SeqCst) });
            let yielded_after = reads.await.unwrap();
            assert!(yielded_after.is_some(), "1000 reads ran without letting another task run");
            storage.close().await;
        });
    }
}
