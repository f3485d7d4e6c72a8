//! Storage on SQLite (a file in WAL mode, the default) or PostgreSQL.
//!
//! Both backends run the same migrations ([`migrations`]) and the same queries, written in the
//! SQL both understand (`$1` parameters, `ON CONFLICT`, `RETURNING`) and run through one
//! interface, [`db::Db`], with runtime (not macro-checked) queries. Integers are `BIGINT` and
//! booleans are stored as `0`/`1`, so that values decode the same way from both.
//!
//! Every write goes through one transaction ([`Storage::transaction`]), committed before the
//! response is sent: an acknowledged write survives a `kill -9` of the broker.
//!
//! - **SQLite**: writes go through a single connection, owned by the writer thread ([`writer`]):
//!   SQLite has one writer at a time anyway, and a single writer never meets `SQLITE_BUSY`.
//!   Jobs that arrive together share one commit (group commit), and with `synchronous = FULL`
//!   (the default; see [`SqliteSync`] for `NORMAL`) nothing is acknowledged before it is on
//!   the disk. That connection is rusqlite's, in-process; so are the pooled read connections
//!   ([`readers`]), which WAL lets run beside the writer.
//! - **PostgreSQL**: one sqlx pool serves both, each transaction commits on its own
//!   (PostgreSQL groups concurrent commits itself), and the server keeps nothing in memory
//!   that another replica would need.
//!
//! The repositories, one module per table family, take a `&mut Conn` (any [`db::Db`]), so that
//! a caller composes them inside one transaction.

mod checkpoint;
pub mod db;
pub mod environments;
pub mod generation;
pub mod matrix;
pub mod migrations;
pub mod pacticipants;
pub mod pacts;
pub mod readers;
pub mod records;
mod sqlite_build;
pub mod verifications;
pub mod versions;
mod wal_sync;
pub mod webhooks;
pub mod writer;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection as _, Executor};

pub use readers::ReadConn;
pub use records::*;

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// An SQLite database file (created when missing).
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (`postgres://user:pass@host:port/db`).
    Postgres(String),
}

impl DatabaseUrl {
    /// Reads `postgres://…`/`postgresql://…`, the official broker's `sqlite:///relative` and
    /// `sqlite:////absolute` forms, sqlx's `sqlite://path`, or a plain file path.
    ///
    /// ```
    /// use pact_broker::storage::DatabaseUrl;
    /// use std::path::PathBuf;
    ///
    /// assert_eq!(DatabaseUrl::parse("sqlite:///db.sqlite3").unwrap(), DatabaseUrl::Sqlite(PathBuf::from("db.sqlite3")));
    /// assert_eq!(DatabaseUrl::parse("sqlite:////tmp/db.sqlite3").unwrap(), DatabaseUrl::Sqlite(PathBuf::from("/tmp/db.sqlite3")));
    /// assert_eq!(DatabaseUrl::parse("data/broker.sqlite").unwrap(), DatabaseUrl::Sqlite(PathBuf::from("data/broker.sqlite")));
    /// assert!(DatabaseUrl::parse("mysql://localhost/db").is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// An unsupported scheme, or a PostgreSQL URL that does not parse.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            url::Url::parse(text).map_err(|e| format!("{}: {e}", redact(text)))?;
            return Ok(DatabaseUrl::Postgres(text.to_string()));
        }
        if let Some(rest) = text.strip_prefix("sqlite:") {
            let path = match rest.strip_prefix("//") {
                Some(after_authority) => after_authority.strip_prefix('/').unwrap_or(after_authority),
                None => rest,
            };
            if path.is_empty() || path.starts_with(':') {
                return Err(format!("{text}: expected a database file path"));
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if text.contains("://") {
            return Err(format!("{}: only postgres:// and sqlite: URLs are supported", redact(text)));
        }
        if text.is_empty() {
            return Err("expected a URL or a file path, found nothing".into());
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(text)))
    }

    /// The URL without its password, for logs.
    pub fn display(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite file {}", path.display()),
            DatabaseUrl::Postgres(url) => redact(url),
        }
    }
}

fn redact(text: &str) -> String {
    match url::Url::parse(text) {
        Ok(mut url) => {
            if url.password().is_some() {
                let _ = url.set_password(Some("***"));
            }
            url.to_string()
        }
        Err(_) => "<unparseable URL>".into(),
    }
}

/// How an SQLite commit reaches the disk (`PRAGMA synchronous`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SqliteSync {
    /// Every commit is flushed to the disk before it is acknowledged: nothing acknowledged is
    /// lost, even on a power cut (an fsync per write).
    #[default]
    Full,
    /// Commits are flushed at checkpoints only: nothing acknowledged is lost when the broker
    /// crashes or is killed, but a power cut or an OS crash may lose the latest writes. Faster.
    Normal,
}

impl SqliteSync {
    fn pragma(self) -> &'static str {
        match self {
            SqliteSync::Full => "FULL",
            SqliteSync::Normal => "NORMAL",
        }
    }
}

/// Connection settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectOptions {
    /// PostgreSQL: the pool size. SQLite: the number of reader connections (there is one writer).
    pub max_connections: u32,
    /// SQLite's durability setting.
    pub sqlite_sync: SqliteSync,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions { max_connections: 10, sqlite_sync: SqliteSync::Full }
    }
}

/// Which database a [`Storage`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A database failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// The database could not be opened.
    #[error("cannot open {what}: {source}")]
    Connect {
        /// The database, without password.
        what: String,
        /// The cause.
        #[source]
        source: sqlx::Error,
    },
    /// A migration failed.
    #[error("migration {version} ({name}) failed: {source}")]
    Migration {
        /// The migration's number.
        version: i64,
        /// Its name.
        name: &'static str,
        /// The cause.
        #[source]
        source: sqlx::Error,
    },
    /// The database holds a migration newer than this binary knows.
    #[error("the database was migrated by a newer pact-broker (schema version {found}, this binary knows up to {known})")]
    TooNew {
        /// The newest migration in the database.
        found: i64,
        /// The newest migration of this binary.
        known: i64,
    },
    /// A query failed.
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    /// A query of SQLite's writer failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored value is not what the schema promises (a bug, or a database edited by hand).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// The transaction a write was batched into could not be committed: nothing of it is stored.
    #[error("the write was not stored: {0}")]
    Batch(String),
}

/// Result alias of the storage layer.
pub type StorageResult<T> = Result<T, StorageError>;

/// The broker's database.
#[derive(Debug, Clone)]
pub struct Storage {
    access: Access,
}

#[derive(Debug, Clone)]
enum Access {
    /// In-process connections: pooled readers, and the writer thread's one write connection.
    Sqlite { readers: Arc<readers::Readers>, writer: Arc<writer::Writer> },
    /// One sqlx pool for reads and writes.
    Postgres { pool: AnyPool },
}

const SQLITE_PATH: &AsciiSet = &CONTROLS.add(b'%').add(b'?').add(b'#').add(b' ');

impl Storage {
    /// Opens (creating an SQLite file if needed) and migrates the database.
    ///
    /// # Errors
    ///
    /// The database cannot be opened or migrated.
    pub async fn connect(database: &DatabaseUrl, options: ConnectOptions) -> StorageResult<Self> {
        let max_connections = options.max_connections;
        sqlx::any::install_default_drivers();
        let what = database.display();
        let connect_error = |source| StorageError::Connect { what: what.clone(), source };
        let storage = match database {
            DatabaseUrl::Sqlite(path) => {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    if !parent.exists() {
                        return Err(connect_error(sqlx::Error::Io(std::io::Error::new(
                            std::io::ErrorKind::NotFound,
                            format!("the directory {} does not exist", parent.display()),
                        ))));
                    }
                }
                let url = sqlite_url(path);
                let connect_options = AnyConnectOptions::from_str(&url).map_err(connect_error)?;
                let pragmas: &'static str = match options.sqlite_sync {
                    SqliteSync::Full => {
                        "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                         PRAGMA foreign_keys = ON;"
                    }
                    SqliteSync::Normal => {
                        "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA foreign_keys = ON;"
                    }
                };
                tracing::debug!(synchronous = options.sqlite_sync.pragma(), "SQLite durability");
                // The schema first, through one connection of its own; then the writer thread
                // opens the only write connection, and the readers theirs.
                let mut setup = AnyConnection::connect_with(&connect_options).await.map_err(connect_error)?;
                setup.execute(pragmas).await.map_err(connect_error)?;
                migrations::run(&mut setup, Backend::Sqlite).await?;
                setup.close().await.map_err(connect_error)?;
                sqlite_build::warn_if_contended();
                let writer = Arc::new(writer::Writer::spawn(path, options.sqlite_sync)?);
                let readers = Arc::new(readers::Readers::new(path, max_connections));
                Storage { access: Access::Sqlite { readers, writer } }
            }
            DatabaseUrl::Postgres(url) => {
                let connect_options = AnyConnectOptions::from_str(url).map_err(connect_error)?;
                let pool = AnyPoolOptions::new()
                    .max_connections(max_connections.max(1))
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(connect_options)
                    .await
                    .map_err(connect_error)?;
                let mut conn = pool.acquire().await?;
                migrations::run(&mut conn, Backend::Postgres).await?;
                drop(conn);
                Storage { access: Access::Postgres { pool } }
            }
        };
        Ok(storage)
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        match self.access {
            Access::Sqlite { .. } => Backend::Sqlite,
            Access::Postgres { .. } => Backend::Postgres,
        }
    }

    /// A connection for reads, back in its pool when dropped. On SQLite it is an in-process
    /// connection, and each statement runs in the task that awaits it ([`readers`]).
    ///
    /// # Errors
    ///
    /// No connection could be had within the pool's timeout (30 s), or a new one could not
    /// be opened.
    pub async fn read(&self) -> StorageResult<ReadConn> {
        match &self.access {
            Access::Sqlite { readers, .. } => readers.acquire().await,
            Access::Postgres { pool } => Ok(ReadConn::from(pool.acquire().await?)),
        }
    }

    /// Runs `job` in a write transaction and commits it; nothing of it is stored when it
    /// returns an error. The result comes back after the commit.
    ///
    /// On SQLite, jobs run in the writer thread, and jobs that arrive together run in one
    /// transaction, each under a savepoint, and share one commit ([`writer`]): keep a job to
    /// its database work.
    ///
    /// # Errors
    ///
    /// The job's error, or the commit's.
    pub async fn transaction<T, E, F>(&self, job: F) -> Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut Conn) -> writer::JobFuture<'c, Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        let pool = match &self.access {
            Access::Sqlite { writer, .. } => return writer.run(job).await,
            Access::Postgres { pool } => pool,
        };
        let mut tx = pool.begin().await.map_err(StorageError::from)?;
        match job(&mut *tx).await {
            Ok(value) => {
                generation::bump(&mut *tx).await?;
                tx.commit().await.map_err(StorageError::from)?;
                Ok(value)
            }
            Err(e) => {
                let _ = tx.rollback().await;
                Err(e)
            }
        }
    }

    /// Closes every connection (waits for connections in use to be returned, and for the
    /// writes already queued).
    pub async fn close(&self) {
        match &self.access {
            Access::Sqlite { readers, writer } => {
                readers.close().await;
                writer.close().await;
            }
            Access::Postgres { pool } => pool.close().await,
        }
    }
}

fn sqlite_url(path: &Path) -> String {
    let text = path.to_string_lossy();
    format!("sqlite://{}?mode=rwc", utf8_percent_encode(&text, SQLITE_PATH))
}

/// How many rows the main tables hold, keyed as `/metrics` names them.
///
/// # Errors
///
/// A query failed.
pub async fn counts(conn: &mut Conn) -> StorageResult<Vec<(&'static str, i64)>> {
    let tables = [
        ("pacticipants", "pacticipants"),
        ("pacticipantVersions", "versions"),
        ("pactVersions", "pact_versions"),
        ("pactPublications", "pact_publications"),
        ("verificationResults", "verifications"),
        ("environments", "environments"),
        ("deployedVersions", "deployed_versions"),
        ("releasedVersions", "released_versions"),
    ];
    let mut out = Vec::new();
    for (key, table) in tables {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let count: i64 = db::query_scalar(&sql).fetch_one(&mut *conn).await?;
        out.push((key, count));
    }
    Ok(out)
}

/// The current time as the broker writes it: `2021-09-01T00:07:21+00:00` (UTC, seconds). This
/// fixed form also sorts correctly as text.
pub fn now() -> String {
    format_timestamp(time::OffsetDateTime::now_utc())
}

/// Formats a time as [`now`] does.
pub fn format_timestamp(at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

pub(crate) use db::Arg;

/// Collects the arguments of a query built at run time and names their placeholders.
#[derive(Debug, Default)]
pub(crate) struct Args(pub Vec<Arg>);

impl Args {
    /// Adds an integer argument; returns its placeholder (`$n`).
    pub fn int(&mut self, value: i64) -> String {
        self.0.push(Arg::Int(value));
        format!("${}", self.0.len())
    }

    /// Adds a text argument; returns its placeholder (`$n`).
    pub fn text(&mut self, value: &str) -> String {
        self.0.push(Arg::Text(value.to_string()));
        format!("${}", self.0.len())
    }

    /// A comma-separated list of placeholders for `values` (`NULL` when empty, which matches
    /// nothing in `IN (...)`).
    pub fn ints(&mut self, values: impl IntoIterator<Item = i64>) -> String {
        let list: Vec<String> = values.into_iter().map(|v| self.int(v)).collect();
        if list.is_empty() {
            "NULL".into()
        } else {
            list.join(", ")
        }
    }
}

/// What the repositories take: any connection (`&mut conn` of a pooled read connection, or the
/// connection a [`Storage::transaction`] job is given).
pub type Conn = dyn db::Db;
