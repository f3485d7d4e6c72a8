//! The database's generation: a counter that every write transaction bumps just before it
//! commits, in the same transaction as its data.
//!
//! Reading the same generation before and after a series of reads proves that no write
//! committed in between, so what those reads returned is the state at that generation. The
//! response cache ([`crate::api::response_cache`]) relies on this to keep nothing stale: the
//! counter lives in the database, so it holds for several replicas on one PostgreSQL database.

use super::db;
use super::{Conn, StorageResult};

/// The current generation.
///
/// # Errors
///
/// The database failed.
pub async fn current(conn: &mut Conn) -> StorageResult<i64> {
    db::query_scalar("SELECT value FROM broker_generation WHERE id = 1").fetch_one(&mut *conn).await
}

/// Bumps the generation inside the caller's write transaction. Run it last before the
/// commit: on PostgreSQL the row stays locked until then.
///
/// # Errors
///
/// The database failed.
pub(crate) async fn bump(conn: &mut Conn) -> StorageResult<()> {
    db::query("UPDATE broker_generation SET value = value + 1 WHERE id = 1").execute(&mut *conn).await?;
    Ok(())
}
