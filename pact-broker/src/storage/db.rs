//! The one interface the repositories query through, whatever the connection behind it.
//!
//! Two kinds of connection implement [`Db`]:
//!
//! - sqlx's [`AnyConnection`] (and a pooled one): every PostgreSQL query;
//! - an in-process [`rusqlite::Connection`]: SQLite's single writer ([`super::writer`]), which
//!   runs the statements of every write in its own thread, and SQLite's pooled readers
//!   ([`super::readers`]). Each statement costs a few microseconds there, against tens
//!   through sqlx's SQLite worker thread, which hands every statement to a thread of its own.
//!
//! A query is built with [`query`] or [`query_scalar`] (the shape of sqlx's functions of the
//! same names), in the SQL both backends accept, with `$1`, `$2`, … placeholders. Results come
//! back as plain [`Row`]s, decoded by column name or index with [`Row::try_get`].

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use sqlx::{Any, AnyConnection, Column as _, Row as _, ValueRef as _};

use super::{StorageError, StorageResult};

/// The future a [`Db`] method returns.
pub type DbFuture<'a, T> = Pin<Box<dyn Future<Output = StorageResult<T>> + Send + 'a>>;

/// A database connection the repositories can query.
pub trait Db: Send {
    /// Runs `sql` with `args` and returns every row.
    fn fetch_all<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, Vec<Row>>;
    /// Runs `sql` with `args` and returns the first row, if any.
    fn fetch_optional<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, Option<Row>>;
    /// Runs `sql` with `args`; returns the number of rows it changed.
    fn execute<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, u64>;
    /// Runs an insert of one row that ends in `RETURNING id` (see [`Query::fetch_inserted_id`]);
    /// returns the new row's id, or `None` when `ON CONFLICT … DO NOTHING` inserted nothing.
    /// By default the statement runs as written and the id is its one returned column.
    fn insert_id<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, Option<i64>> {
        Box::pin(async move { self.fetch_optional(sql, args).await?.map(|row| row.try_get(0)).transpose() })
    }
}

/// An argument bound to a placeholder. A `NULL` keeps its type: PostgreSQL refuses an integer
/// `NULL` for a text column.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// An integer `NULL`.
    NullInt,
    /// A text `NULL`.
    NullText,
    /// An integer.
    Int(i64),
    /// A text value.
    Text(String),
}

impl From<i64> for Arg {
    fn from(value: i64) -> Self {
        Arg::Int(value)
    }
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Text(value.to_string())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Text(value)
    }
}

impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Arg::Text(value.clone())
    }
}

/// The `NULL` of a type that binds as an [`Arg`].
pub trait TypedNull {
    /// That `NULL`.
    const NULL: Arg;
}

impl TypedNull for i64 {
    const NULL: Arg = Arg::NullInt;
}

impl TypedNull for &str {
    const NULL: Arg = Arg::NullText;
}

impl TypedNull for String {
    const NULL: Arg = Arg::NullText;
}

impl TypedNull for &String {
    const NULL: Arg = Arg::NullText;
}

impl<T: Into<Arg> + TypedNull> From<Option<T>> for Arg {
    fn from(value: Option<T>) -> Self {
        value.map_or(T::NULL, Into::into)
    }
}

/// A query under construction: `query(sql).bind(a).bind(b).fetch_all(conn)`.
#[derive(Debug)]
#[must_use = "a query does nothing until it is run"]
pub struct Query<'q> {
    sql: &'q str,
    args: Vec<Arg>,
}

/// Starts a query.
pub fn query(sql: &str) -> Query<'_> {
    Query { sql, args: Vec::new() }
}

impl<'q> Query<'q> {
    /// A query with its arguments already collected.
    pub fn with_args(sql: &'q str, args: Vec<Arg>) -> Self {
        Query { sql, args }
    }

    /// Binds the next placeholder.
    pub fn bind(mut self, value: impl Into<Arg>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Every row.
    ///
    /// # Errors
    ///
    /// The query failed.
    pub async fn fetch_all(self, conn: &mut super::Conn) -> StorageResult<Vec<Row>> {
        conn.fetch_all(self.sql, &self.args).await
    }

    /// The first row, if any.
    ///
    /// # Errors
    ///
    /// The query failed.
    pub async fn fetch_optional(self, conn: &mut super::Conn) -> StorageResult<Option<Row>> {
        conn.fetch_optional(self.sql, &self.args).await
    }

    /// The first row.
    ///
    /// # Errors
    ///
    /// The query failed or returned no row.
    pub async fn fetch_one(self, conn: &mut super::Conn) -> StorageResult<Row> {
        let sql = self.sql;
        conn.fetch_optional(sql, &self.args)
            .await?
            .ok_or_else(|| StorageError::Corrupt(format!("expected a row from `{sql}`, found none")))
    }

    /// Runs the statement; returns the number of rows it changed.
    ///
    /// # Errors
    ///
    /// The statement failed.
    pub async fn execute(self, conn: &mut super::Conn) -> StorageResult<u64> {
        conn.execute(self.sql, &self.args).await
    }

    /// Runs an insert of one row, `INSERT INTO … VALUES (…) [ON CONFLICT (…) DO NOTHING]
    /// RETURNING id`, where `id` is the table's auto-incrementing key; returns the new row's
    /// id, or `None` when the conflict clause inserted nothing.
    ///
    /// PostgreSQL runs the statement as written. SQLite's writer runs it without the
    /// `RETURNING` clause and reads the id from the connection (`last_insert_rowid`): SQLite
    /// answers `RETURNING` by collecting the rows in a temporary table first, which cost about
    /// 15 µs per insert on a path where every publish waits for the one writer.
    ///
    /// # Errors
    ///
    /// The statement failed, or returned something other than one integer or nothing.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn example(conn: &mut pact_broker::storage::Conn) -> pact_broker::storage::StorageResult<()> {
    /// use pact_broker::storage::db::query;
    ///
    /// let id: Option<i64> = query(
    ///     "INSERT INTO pacticipants (name, created_at, updated_at) VALUES ($1, $2, $2) \
    ///      ON CONFLICT (name) DO NOTHING RETURNING id",
    /// )
    /// .bind("UserService")
    /// .bind("2026-11-30T00:00:00+00:00")
    /// .fetch_inserted_id(conn)
    /// .await?;
    /// # Ok(()) }
    /// ```
    pub async fn fetch_inserted_id(self, conn: &mut super::Conn) -> StorageResult<Option<i64>> {
        conn.insert_id(self.sql, &self.args).await
    }
}

/// A query whose result is the first column of each row.
#[derive(Debug)]
#[must_use = "a query does nothing until it is run"]
pub struct QueryScalar<'q, T> {
    query: Query<'q>,
    decoded: std::marker::PhantomData<fn() -> T>,
}

/// Starts a query whose result is the first column of each row.
pub fn query_scalar<T: FromValue>(sql: &str) -> QueryScalar<'_, T> {
    QueryScalar { query: query(sql), decoded: std::marker::PhantomData }
}

impl<T: FromValue> QueryScalar<'_, T> {
    /// Binds the next placeholder.
    pub fn bind(mut self, value: impl Into<Arg>) -> Self {
        self.query = self.query.bind(value);
        self
    }

    /// The first column of every row.
    ///
    /// # Errors
    ///
    /// The query failed, or a value is not a `T`.
    pub async fn fetch_all(self, conn: &mut super::Conn) -> StorageResult<Vec<T>> {
        self.query.fetch_all(conn).await?.iter().map(|row| row.try_get(0)).collect()
    }

    /// The first column of the first row, if any.
    ///
    /// # Errors
    ///
    /// The query failed, or the value is not a `T`.
    pub async fn fetch_optional(self, conn: &mut super::Conn) -> StorageResult<Option<T>> {
        self.query.fetch_optional(conn).await?.map(|row| row.try_get(0)).transpose()
    }

    /// The first column of the first row.
    ///
    /// # Errors
    ///
    /// The query failed or returned no row, or the value is not a `T`.
    pub async fn fetch_one(self, conn: &mut super::Conn) -> StorageResult<T> {
        self.query.fetch_one(conn).await?.try_get(0)
    }
}

/// A stored value, as a row holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `NULL`.
    Null,
    /// An integer (SQLite's INTEGER, PostgreSQL's integer types and booleans).
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Int(_) => "an integer",
            Value::Real(_) => "a real number",
            Value::Text(_) => "text",
            Value::Blob(_) => "bytes",
        }
    }
}

/// A row of a query's result: its values, by column name or index.
#[derive(Debug, Clone)]
pub struct Row {
    columns: Arc<[String]>,
    values: Values,
}

/// A row's values: decoded already (rusqlite), or decoded by sqlx when asked for, as the
/// repositories read only some columns.
#[derive(Clone)]
enum Values {
    Plain(Vec<Value>),
    Sqlx(sqlx::any::AnyRow),
}

impl std::fmt::Debug for Values {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Values::Plain(values) => values.fmt(f),
            Values::Sqlx(_) => f.write_str("<sqlx row>"),
        }
    }
}

/// Names a column of a [`Row`]: its name, or its index from 0.
pub trait ColumnIndex: std::fmt::Debug {
    /// The column's index in `columns`, if there is one.
    fn position(&self, columns: &[String]) -> Option<usize>;
}

impl ColumnIndex for usize {
    fn position(&self, columns: &[String]) -> Option<usize> {
        (*self < columns.len()).then_some(*self)
    }
}

impl ColumnIndex for &str {
    fn position(&self, columns: &[String]) -> Option<usize> {
        columns.iter().position(|c| c == self)
    }
}

impl Row {
    /// The value of a column, decoded as a `T`.
    ///
    /// # Errors
    ///
    /// No such column, or its value is not a `T`.
    pub fn try_get<T: FromValue, I: ColumnIndex>(&self, column: I) -> StorageResult<T> {
        let index = column
            .position(&self.columns)
            .ok_or_else(|| StorageError::Corrupt(format!("the result has no column {column:?}")))?;
        match &self.values {
            Values::Plain(values) => {
                let value = &values[index];
                T::from_value(value).ok_or_else(|| {
                    StorageError::Corrupt(format!(
                        "column {:?}: expected {}, found {}",
                        self.columns[index],
                        T::EXPECTED,
                        value.kind()
                    ))
                })
            }
            Values::Sqlx(row) => Ok(T::from_sqlx(row, index)?),
        }
    }
}

/// A Rust type a [`Value`] decodes into.
pub trait FromValue: Sized {
    /// What the type expects, for errors.
    const EXPECTED: &'static str;
    /// The value as a `Self`, if it is one.
    fn from_value(value: &Value) -> Option<Self>;
    /// Column `index` of an sqlx row, decoded by sqlx.
    ///
    /// # Errors
    ///
    /// The value is not a `Self`.
    fn from_sqlx(row: &sqlx::any::AnyRow, index: usize) -> Result<Self, sqlx::Error>;
}

impl FromValue for i64 {
    const EXPECTED: &'static str = "an integer";
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
    fn from_sqlx(row: &sqlx::any::AnyRow, index: usize) -> Result<Self, sqlx::Error> {
        row.try_get(index)
    }
}

impl FromValue for String {
    const EXPECTED: &'static str = "text";
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
    fn from_sqlx(row: &sqlx::any::AnyRow, index: usize) -> Result<Self, sqlx::Error> {
        row.try_get(index)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
    fn from_sqlx(row: &sqlx::any::AnyRow, index: usize) -> Result<Self, sqlx::Error> {
        if row.try_get_raw(index)?.is_null() {
            Ok(None)
        } else {
            T::from_sqlx(row, index).map(Some)
        }
    }
}

// ---- sqlx: PostgreSQL, and SQLite's reads ----

fn bind_sqlx<'q>(sql: &'q str, args: &'q [Arg]) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    let mut query = sqlx::query(sql);
    for arg in args {
        query = match arg {
            Arg::NullInt => query.bind(None::<i64>),
            Arg::NullText => query.bind(None::<&str>),
            Arg::Int(i) => query.bind(*i),
            Arg::Text(s) => query.bind(s.as_str()),
        };
    }
    query
}

fn column_names(row: &sqlx::any::AnyRow) -> Arc<[String]> {
    row.columns().iter().map(|c| c.name().to_string()).collect()
}

fn from_sqlx_rows(rows: Vec<sqlx::any::AnyRow>) -> Vec<Row> {
    let Some(first) = rows.first() else { return Vec::new() };
    let columns = column_names(first);
    rows.into_iter().map(|row| Row { columns: Arc::clone(&columns), values: Values::Sqlx(row) }).collect()
}

fn sqlx_fetch_all<'a>(conn: &'a mut AnyConnection, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, Vec<Row>> {
    Box::pin(async move {
        let rows = bind_sqlx(sql, args).fetch_all(conn).await?;
        Ok(from_sqlx_rows(rows))
    })
}

fn sqlx_fetch_optional<'a>(
    conn: &'a mut AnyConnection,
    sql: &'a str,
    args: &'a [Arg],
) -> DbFuture<'a, Option<Row>> {
    Box::pin(async move {
        let row = bind_sqlx(sql, args).fetch_optional(conn).await?;
        Ok(row.map(|row| Row { columns: column_names(&row), values: Values::Sqlx(row) }))
    })
}

fn sqlx_execute<'a>(conn: &'a mut AnyConnection, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, u64> {
    Box::pin(async move { Ok(bind_sqlx(sql, args).execute(conn).await?.rows_affected()) })
}

/// sqlx's connection, and a pooled one (the same connection behind a guard).
macro_rules! sqlx_db {
    ($($connection:ty),+) => {$(
        impl Db for $connection {
            fn fetch_all<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, Vec<Row>> {
                sqlx_fetch_all(self, sql, args)
            }
            fn fetch_optional<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, Option<Row>> {
                sqlx_fetch_optional(self, sql, args)
            }
            fn execute<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, u64> {
                sqlx_execute(self, sql, args)
            }
        }
    )+};
}

sqlx_db!(AnyConnection, sqlx::pool::PoolConnection<Any>);

// ---- rusqlite: SQLite's writer and readers, in-process ----

/// Binds `args` to a prepared statement by placeholder number (`$3` takes the third argument,
/// wherever it appears in the text, as sqlx binds them).
fn bind_rusqlite(statement: &mut rusqlite::Statement<'_>, args: &[Arg]) -> StorageResult<()> {
    let mut next = 0usize;
    for index in 1..=statement.parameter_count() {
        let number = match statement.parameter_name(index) {
            Some(name) => name
                .strip_prefix(['$', '?'])
                .and_then(|n| n.parse::<usize>().ok())
                .ok_or_else(|| StorageError::Corrupt(format!("unsupported placeholder {name}")))?,
            None => {
                next += 1;
                next
            }
        };
        let arg = args.get(number.wrapping_sub(1)).ok_or_else(|| {
            StorageError::Corrupt(format!("placeholder ${number} has no argument ({} given)", args.len()))
        })?;
        match arg {
            Arg::NullInt | Arg::NullText => statement.raw_bind_parameter(index, rusqlite::types::Null)?,
            Arg::Int(i) => statement.raw_bind_parameter(index, i)?,
            Arg::Text(s) => statement.raw_bind_parameter(index, s.as_str())?,
        }
    }
    Ok(())
}

/// The column names of a statement, read once per SQL text (and thread): rows share them.
fn statement_columns(sql: &str, statement: &rusqlite::Statement<'_>) -> Arc<[String]> {
    /// More distinct statements than the broker has: a bound on memory all the same.
    const MAX: usize = 512;
    thread_local! {
        static NAMES: std::cell::RefCell<std::collections::HashMap<String, Arc<[String]>>> =
            std::cell::RefCell::default();
    }
    NAMES.with_borrow_mut(|names| {
        if let Some(found) = names.get(sql) {
            return Arc::clone(found);
        }
        if names.len() >= MAX {
            names.clear();
        }
        let found: Arc<[String]> = statement.column_names().into_iter().map(str::to_string).collect();
        names.insert(sql.to_string(), Arc::clone(&found));
        found
    })
}

fn rusqlite_rows(
    conn: &rusqlite::Connection,
    sql: &str,
    args: &[Arg],
    limit: usize,
) -> StorageResult<Vec<Row>> {
    tracing::trace!(sql, "SQLite statement");
    let mut statement = conn.prepare_cached(sql)?;
    bind_rusqlite(&mut statement, args)?;
    // `execute` wants no rows: no column names either.
    let columns: Arc<[String]> = if limit == 0 { Arc::new([]) } else { statement_columns(sql, &statement) };
    let width = columns.len();
    let read_only = statement.readonly();
    let mut rows = statement.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        if out.len() == limit {
            // The rest is not wanted, but a statement that writes (`RETURNING`) runs to the end.
            if read_only {
                break;
            }
            continue;
        }
        let mut values = Vec::with_capacity(width);
        for index in 0..width {
            values.push(match row.get_ref(index)? {
                rusqlite::types::ValueRef::Null => Value::Null,
                rusqlite::types::ValueRef::Integer(i) => Value::Int(i),
                rusqlite::types::ValueRef::Real(r) => Value::Real(r),
                rusqlite::types::ValueRef::Text(t) => Value::Text(
                    std::str::from_utf8(t)
                        .map_err(|e| StorageError::Corrupt(format!("column {:?}: {e}", columns[index])))?
                        .to_string(),
                ),
                rusqlite::types::ValueRef::Blob(b) => Value::Blob(b.to_vec()),
            });
        }
        out.push(Row { columns: Arc::clone(&columns), values: Values::Plain(values) });
    }
    Ok(out)
}

impl Db for rusqlite::Connection {
    fn fetch_all<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, Vec<Row>> {
        let result = rusqlite_rows(self, sql, args, usize::MAX);
        Box::pin(std::future::ready(result))
    }
    fn fetch_optional<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, Option<Row>> {
        let result = rusqlite_rows(self, sql, args, 1).map(|rows| rows.into_iter().next());
        Box::pin(std::future::ready(result))
    }
    fn execute<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, u64> {
        let result = rusqlite_rows(self, sql, args, 0).map(|_| self.changes());
        Box::pin(std::future::ready(result))
    }
    fn insert_id<'a>(&'a mut self, sql: &'a str, args: &'a [Arg]) -> DbFuture<'a, Option<i64>> {
        Box::pin(std::future::ready(rusqlite_insert_id(self, sql, args)))
    }
}

/// [`Db::insert_id`] on SQLite: a one-row insert without its `RETURNING id`, then the
/// connection's last inserted rowid (the `id` column is the rowid: `INTEGER PRIMARY KEY`).
/// Any other statement runs as written.
fn rusqlite_insert_id(conn: &rusqlite::Connection, sql: &str, args: &[Arg]) -> StorageResult<Option<i64>> {
    let plain = sql.strip_suffix(" RETURNING id").filter(|plain| {
        plain.starts_with("INSERT INTO ") && !plain.contains(" SELECT ") && !plain.contains(" DO UPDATE")
    });
    let Some(plain) = plain else {
        return rusqlite_rows(conn, sql, args, 1)?.into_iter().next().map(|row| row.try_get(0)).transpose();
    };
    tracing::trace!(sql = plain, "SQLite statement");
    let mut statement = conn.prepare_cached(plain)?;
    bind_rusqlite(&mut statement, args)?;
    match statement.raw_execute()? {
        0 => Ok(None),
        1 => Ok(Some(conn.last_insert_rowid())),
        n => Err(StorageError::Corrupt(format!("`{sql}` inserted {n} rows, where one was expected"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> rusqlite::Connection {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n BIGINT)").unwrap();
        conn
    }

    fn block<T>(future: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(future)
    }

    #[test]
    fn placeholders_bind_by_number_wherever_they_appear() {
        let mut conn = memory();
        block(async {
            let db: &mut super::super::Conn = &mut conn;
            query("INSERT INTO t (n, name) VALUES ($2, $1)").bind("a").bind(7).execute(db).await.unwrap();
            let row = query("SELECT name, n FROM t WHERE n = $1").bind(7).fetch_one(db).await.unwrap();
            assert_eq!(row.try_get::<String, _>("name").unwrap(), "a");
            assert_eq!(row.try_get::<i64, _>(1).unwrap(), 7);
        });
    }

    #[test]
    fn nulls_options_and_mismatches_decode_as_the_schema_says() {
        let mut conn = memory();
        block(async {
            let db: &mut super::super::Conn = &mut conn;
            query("INSERT INTO t (name, n) VALUES ($1, $2)")
                .bind(None::<&str>)
                .bind(3)
                .execute(db)
                .await
                .unwrap();
            let row = query("SELECT name, n FROM t").fetch_one(db).await.unwrap();
            assert_eq!(row.try_get::<Option<String>, _>("name").unwrap(), None);
            let wrong = row.try_get::<String, _>("n").unwrap_err().to_string();
            assert!(wrong.contains("column \"n\": expected text, found an integer"), "{wrong}");
            let missing = row.try_get::<i64, _>("nope").unwrap_err().to_string();
            assert!(missing.contains("no column \"nope\""), "{missing}");
            assert!(query("SELECT name FROM t WHERE n = $2").bind(1).fetch_all(db).await.is_err());
        });
    }

    #[test]
    fn execute_counts_changes_and_runs_returning_statements_to_the_end() {
        let mut conn = memory();
        block(async {
            let db: &mut super::super::Conn = &mut conn;
            for n in 0..3 {
                query("INSERT INTO t (n) VALUES ($1)").bind(n).execute(db).await.unwrap();
            }
            let changed = query("UPDATE t SET name = 'x' RETURNING id").execute(db).await.unwrap();
            assert_eq!(changed, 3);
            let first: Option<i64> =
                query_scalar("UPDATE t SET name = 'y' RETURNING n").fetch_optional(db).await.unwrap();
            assert!(first.is_some());
            let names: Vec<String> = query_scalar("SELECT name FROM t").fetch_all(db).await.unwrap();
            assert_eq!(names, ["y", "y", "y"]);
        });
    }

    /// The SQLite writer reads an insert's id from the connection instead of `RETURNING`: the
    /// same answers as `RETURNING`, a conflict inserts nothing, and any other shape of
    /// statement runs as written.
    #[test]
    fn inserted_ids_come_from_the_connection_as_returning_would_give_them() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE u (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE); \
             INSERT INTO u (name) VALUES ('seed'); DELETE FROM u;",
        )
        .unwrap();
        block(async {
            let db: &mut super::super::Conn = &mut conn;
            let insert = "INSERT INTO u (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id";
            let first = query(insert).bind("a").fetch_inserted_id(db).await.unwrap();
            let second = query(insert).bind("b").fetch_inserted_id(db).await.unwrap();
            // AUTOINCREMENT: the deleted row's id is not given out again.
            assert_eq!((first, second), (Some(2), Some(3)));
            assert_eq!(query(insert).bind("a").fetch_inserted_id(db).await.unwrap(), None);
            let stored: Vec<i64> = query_scalar("SELECT id FROM u ORDER BY id").fetch_all(db).await.unwrap();
            assert_eq!(stored, [2, 3]);
            // Not a one-row VALUES insert: run with its RETURNING clause.
            let selected = query("INSERT INTO u (name) SELECT $1 RETURNING id")
                .bind("c")
                .fetch_inserted_id(db)
                .await
                .unwrap();
            let c: Option<i64> =
                query_scalar("SELECT id FROM u WHERE name = 'c'").fetch_optional(db).await.unwrap();
            assert!(selected.is_some());
            assert_eq!(selected, c);
            let upsert = "INSERT INTO u (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id";
            assert_eq!(query(upsert).bind("a").fetch_inserted_id(db).await.unwrap(), Some(2));
            // Two rows where one was expected: an error, not one of the ids.
            let two = query("INSERT INTO u (name) VALUES ($1), ($2) RETURNING id").bind("d").bind("e");
            assert!(two.fetch_inserted_id(db).await.is_err());
        });
    }
}
