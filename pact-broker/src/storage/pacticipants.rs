//! Pacticipants: find, create implicitly or explicitly, update, delete, list.

use super::db;

use std::collections::HashMap;

use super::{now, Args, Conn, Pacticipant, StorageResult};

/// Branch names that become a pacticipant's main branch when it has none (the official
/// broker's `PACT_BROKER_MAIN_BRANCH_CANDIDATES` default).
pub const MAIN_BRANCH_CANDIDATES: &[&str] = &["develop", "main", "master"];

/// The optional properties of a pacticipant, as a request sets them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PacticipantFields {
    /// `displayName`.
    pub display_name: Option<String>,
    /// `mainBranch`.
    pub main_branch: Option<String>,
    /// `repositoryUrl`.
    pub repository_url: Option<String>,
    /// `repositoryName`.
    pub repository_name: Option<String>,
    /// `repositoryNamespace`.
    pub repository_namespace: Option<String>,
}

/// The pacticipant named `name`.
pub async fn find(conn: &mut Conn, name: &str) -> StorageResult<Option<Pacticipant>> {
    let sql = format!("SELECT {} FROM pacticipants p WHERE p.name = $1", Pacticipant::COLUMNS);
    let row = db::query(&sql).bind(name).fetch_optional(&mut *conn).await?;
    row.as_ref().map(Pacticipant::from_row).transpose()
}

/// The pacticipant with this id.
pub async fn find_by_id(conn: &mut Conn, id: i64) -> StorageResult<Option<Pacticipant>> {
    let sql = format!("SELECT {} FROM pacticipants p WHERE p.id = $1", Pacticipant::COLUMNS);
    let row = db::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(Pacticipant::from_row).transpose()
}

/// The pacticipants with these ids (those that exist), by id: one statement for them all.
pub async fn find_by_ids(conn: &mut Conn, ids: &[i64]) -> StorageResult<HashMap<i64, Pacticipant>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut args = Args::default();
    let list = args.ints(ids.iter().copied());
    let sql = format!("SELECT {} FROM pacticipants p WHERE p.id IN ({list})", Pacticipant::COLUMNS);
    let rows = db::Query::with_args(&sql, args.0).fetch_all(&mut *conn).await?;
    rows.iter().map(|row| Pacticipant::from_row(row).map(|p| (p.id, p))).collect()
}

/// The pacticipant named `name`, created if missing; `true` when it was created.
pub async fn find_or_create(conn: &mut Conn, name: &str) -> StorageResult<(Pacticipant, bool)> {
    // Most calls find it: a read is much cheaper than an insert that conflicts.
    if let Some(found) = find(conn, name).await? {
        return Ok((found, false));
    }
    let at = now();
    let inserted = db::query(
        "INSERT INTO pacticipants (name, created_at, updated_at) VALUES ($1, $2, $2) \
         ON CONFLICT (name) DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(&at)
    .fetch_inserted_id(&mut *conn)
    .await?;
    let found = find(conn, name).await?;
    match found {
        Some(p) => Ok((p, inserted.is_some())),
        None => Err(super::StorageError::Corrupt(format!("pacticipant {name:?} vanished after insert"))),
    }
}

/// Creates or updates a pacticipant with `fields`. With `replace`, unset fields are cleared
/// (PUT); otherwise only the given fields change (PATCH, POST). `true` when it was created.
pub async fn upsert(
    conn: &mut Conn,
    name: &str,
    fields: &PacticipantFields,
    replace: bool,
) -> StorageResult<(Pacticipant, bool)> {
    let (existing, created) = find_or_create(conn, name).await?;
    let merged = |new: &Option<String>, old: &Option<String>| {
        if replace {
            new.clone()
        } else {
            new.clone().or_else(|| old.clone())
        }
    };
    db::query(
        "UPDATE pacticipants SET display_name = $1, main_branch = $2, repository_url = $3, \
         repository_name = $4, repository_namespace = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(merged(&fields.display_name, &existing.display_name))
    .bind(merged(&fields.main_branch, &existing.main_branch))
    .bind(merged(&fields.repository_url, &existing.repository_url))
    .bind(merged(&fields.repository_name, &existing.repository_name))
    .bind(merged(&fields.repository_namespace, &existing.repository_namespace))
    .bind(now())
    .bind(existing.id)
    .execute(&mut *conn)
    .await?;
    let updated = find_by_id(conn, existing.id).await?;
    Ok((updated.unwrap_or(existing), created))
}

/// Sets the main branch when the pacticipant has none and `branch` is a main-branch candidate.
pub async fn detect_main_branch(conn: &mut Conn, pacticipant_id: i64, branch: &str) -> StorageResult<()> {
    if MAIN_BRANCH_CANDIDATES.contains(&branch) {
        db::query("UPDATE pacticipants SET main_branch = $1 WHERE id = $2 AND main_branch IS NULL")
            .bind(branch)
            .bind(pacticipant_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// One page of pacticipants, by name; and the total count.
pub async fn list(conn: &mut Conn, offset: i64, limit: i64) -> StorageResult<(Vec<Pacticipant>, i64)> {
    let sql =
        format!("SELECT {} FROM pacticipants p ORDER BY p.name LIMIT $1 OFFSET $2", Pacticipant::COLUMNS);
    let rows = db::query(&sql).bind(limit).bind(offset).fetch_all(&mut *conn).await?;
    let items = rows.iter().map(Pacticipant::from_row).collect::<StorageResult<Vec<_>>>()?;
    let total: i64 =
        db::query("SELECT COUNT(*) FROM pacticipants").fetch_one(&mut *conn).await?.try_get(0)?;
    Ok((items, total))
}

/// Deletes a pacticipant with its versions, pacts and verifications.
pub async fn delete(conn: &mut Conn, id: i64) -> StorageResult<()> {
    db::query("DELETE FROM pacticipants WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(())
}
