//! Environments, and the versions deployed or released to them.

use super::db;
use super::db::Row;

use super::records::get;
use super::{now, Conn, Deployment, Environment, StorageError, StorageResult};

/// The fields of an environment, as a request sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentFields {
    /// Unique name.
    pub name: String,
    /// Display name.
    pub display_name: Option<String>,
    /// Production or not.
    pub production: bool,
    /// Contacts, as JSON text.
    pub contacts: Option<String>,
}

/// The environment with this uuid.
pub async fn find_by_uuid(conn: &mut Conn, uuid: &str) -> StorageResult<Option<Environment>> {
    let sql = format!("SELECT {} FROM environments e WHERE e.uuid = $1", Environment::COLUMNS);
    let row = db::query(&sql).bind(uuid).fetch_optional(&mut *conn).await?;
    row.as_ref().map(Environment::from_row).transpose()
}

/// The environment with this name.
pub async fn find_by_name(conn: &mut Conn, name: &str) -> StorageResult<Option<Environment>> {
    let sql = format!("SELECT {} FROM environments e WHERE e.name = $1", Environment::COLUMNS);
    let row = db::query(&sql).bind(name).fetch_optional(&mut *conn).await?;
    row.as_ref().map(Environment::from_row).transpose()
}

/// Every environment, by name.
pub async fn list(conn: &mut Conn) -> StorageResult<Vec<Environment>> {
    let sql = format!("SELECT {} FROM environments e ORDER BY e.name", Environment::COLUMNS);
    let rows = db::query(&sql).fetch_all(&mut *conn).await?;
    rows.iter().map(Environment::from_row).collect()
}

/// Creates an environment with this uuid.
pub async fn create(conn: &mut Conn, uuid: &str, fields: &EnvironmentFields) -> StorageResult<Environment> {
    let at = now();
    db::query(
        "INSERT INTO environments (uuid, name, display_name, production, contacts, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(uuid)
    .bind(&fields.name)
    .bind(fields.display_name.as_deref())
    .bind(i64::from(fields.production))
    .bind(fields.contacts.as_deref())
    .bind(&at)
    .execute(&mut *conn)
    .await?;
    find_by_uuid(conn, uuid)
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("environment {uuid} vanished")))
}

/// Replaces an environment's fields.
pub async fn update(conn: &mut Conn, id: i64, fields: &EnvironmentFields) -> StorageResult<()> {
    db::query(
        "UPDATE environments SET name = $1, display_name = $2, production = $3, contacts = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(&fields.name)
    .bind(fields.display_name.as_deref())
    .bind(i64::from(fields.production))
    .bind(fields.contacts.as_deref())
    .bind(now())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes an environment with its deployment records.
pub async fn delete(conn: &mut Conn, id: i64) -> StorageResult<()> {
    db::query("DELETE FROM environments WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Deployed (`false`) or released (`true`) records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `deployed_versions`.
    Deployed,
    /// `released_versions`.
    Released,
}

impl Kind {
    fn table(self) -> &'static str {
        match self {
            Kind::Deployed => "deployed_versions",
            Kind::Released => "released_versions",
        }
    }

    fn ended(self) -> &'static str {
        match self {
            Kind::Deployed => "undeployed_at",
            Kind::Released => "support_ended_at",
        }
    }

    fn select(self) -> String {
        let instance = match self {
            Kind::Deployed => "d.application_instance",
            Kind::Released => "NULL AS application_instance",
        };
        format!(
            "SELECT d.id AS d_id, d.uuid AS d_uuid, d.version_id, v.number AS version_number, d.pacticipant_id, \
             p.name AS pacticipant_name, {instance}, d.{} AS ended_at, d.created_at AS d_created_at, \
             d.updated_at AS d_updated_at, {} FROM {} d JOIN versions v ON v.id = d.version_id \
             JOIN pacticipants p ON p.id = d.pacticipant_id JOIN environments e ON e.id = d.environment_id",
            self.ended(),
            Environment::COLUMNS,
            self.table()
        )
    }
}

fn deployment_from_row(row: &Row) -> StorageResult<Deployment> {
    Ok(Deployment {
        id: get(row, "d_id")?,
        uuid: get(row, "d_uuid")?,
        version_id: get(row, "version_id")?,
        version_number: get(row, "version_number")?,
        pacticipant_id: get(row, "pacticipant_id")?,
        pacticipant_name: get(row, "pacticipant_name")?,
        environment: Environment::from_row(row)?,
        application_instance: get(row, "application_instance")?,
        ended_at: get(row, "ended_at")?,
        created_at: get(row, "d_created_at")?,
        updated_at: get(row, "d_updated_at")?,
    })
}

/// The record with this uuid.
pub async fn find_record(conn: &mut Conn, kind: Kind, uuid: &str) -> StorageResult<Option<Deployment>> {
    let sql = format!("{} WHERE d.uuid = $1", kind.select());
    let row = db::query(&sql).bind(uuid).fetch_optional(&mut *conn).await?;
    row.as_ref().map(deployment_from_row).transpose()
}

/// The records of a version, oldest first (all, or only current ones).
pub async fn records_of_version(
    conn: &mut Conn,
    kind: Kind,
    version_id: i64,
    current_only: bool,
) -> StorageResult<Vec<Deployment>> {
    let current = if current_only { format!(" AND d.{} IS NULL", kind.ended()) } else { String::new() };
    let sql = format!("{} WHERE d.version_id = $1{current} ORDER BY d.id", kind.select());
    let rows = db::query(&sql).bind(version_id).fetch_all(&mut *conn).await?;
    rows.iter().map(deployment_from_row).collect()
}

/// The current records in an environment, optionally for one pacticipant (by name), oldest first.
pub async fn current_in_environment(
    conn: &mut Conn,
    kind: Kind,
    environment_id: i64,
    pacticipant: Option<&str>,
) -> StorageResult<Vec<Deployment>> {
    let mut sql = format!("{} WHERE d.environment_id = $1 AND d.{} IS NULL", kind.select(), kind.ended());
    if pacticipant.is_some() {
        sql.push_str(" AND p.name = $2");
    }
    sql.push_str(" ORDER BY d.id");
    let mut query = db::query(&sql).bind(environment_id);
    if let Some(name) = pacticipant {
        query = query.bind(name);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter().map(deployment_from_row).collect()
}

/// The versions of a pacticipant currently deployed or released (still supported) in an
/// environment, as version ids, oldest first.
pub async fn current_version_ids(
    conn: &mut Conn,
    pacticipant_id: i64,
    environment_id: i64,
) -> StorageResult<Vec<i64>> {
    let ids: Vec<i64> = db::query_scalar(
        "SELECT version_id FROM deployed_versions WHERE pacticipant_id = $1 AND environment_id = $2 AND undeployed_at IS NULL \
         UNION SELECT version_id FROM released_versions WHERE pacticipant_id = $1 AND environment_id = $2 AND support_ended_at IS NULL \
         ORDER BY 1",
    )
    .bind(pacticipant_id)
    .bind(environment_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids)
}

/// Records a deployment; the previous deployment of the same pacticipant and application
/// instance to the environment is marked as undeployed.
pub async fn record_deployment(
    conn: &mut Conn,
    uuid: &str,
    version_id: i64,
    pacticipant_id: i64,
    environment_id: i64,
    application_instance: Option<&str>,
) -> StorageResult<Deployment> {
    let at = now();
    db::query(
        "UPDATE deployed_versions SET undeployed_at = $1, updated_at = $1 WHERE pacticipant_id = $2 \
         AND environment_id = $3 AND COALESCE(application_instance, '') = $4 AND undeployed_at IS NULL",
    )
    .bind(&at)
    .bind(pacticipant_id)
    .bind(environment_id)
    .bind(application_instance.unwrap_or(""))
    .execute(&mut *conn)
    .await?;
    db::query(
        "INSERT INTO deployed_versions (uuid, version_id, pacticipant_id, environment_id, application_instance, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(uuid)
    .bind(version_id)
    .bind(pacticipant_id)
    .bind(environment_id)
    .bind(application_instance)
    .bind(&at)
    .execute(&mut *conn)
    .await?;
    find_record(conn, Kind::Deployed, uuid)
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("deployment {uuid} vanished")))
}

/// Records a release; an existing release of the version to the environment is kept (and
/// supported again). `true` when it is new.
pub async fn record_release(
    conn: &mut Conn,
    uuid: &str,
    version_id: i64,
    pacticipant_id: i64,
    environment_id: i64,
) -> StorageResult<(Deployment, bool)> {
    let at = now();
    let existing: Option<String> =
        db::query_scalar("SELECT uuid FROM released_versions WHERE version_id = $1 AND environment_id = $2")
            .bind(version_id)
            .bind(environment_id)
            .fetch_optional(&mut *conn)
            .await?;
    let (uuid, created) = match existing {
        Some(existing) => {
            db::query(
                "UPDATE released_versions SET support_ended_at = NULL, updated_at = $1 WHERE uuid = $2",
            )
            .bind(&at)
            .bind(&existing)
            .execute(&mut *conn)
            .await?;
            (existing, false)
        }
        None => {
            db::query(
                "INSERT INTO released_versions (uuid, version_id, pacticipant_id, environment_id, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5)",
            )
            .bind(uuid)
            .bind(version_id)
            .bind(pacticipant_id)
            .bind(environment_id)
            .bind(&at)
            .execute(&mut *conn)
            .await?;
            (uuid.to_string(), true)
        }
    };
    let record = find_record(conn, Kind::Released, &uuid)
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("release {uuid} vanished")))?;
    Ok((record, created))
}

/// Marks a record as no longer deployed / supported.
pub async fn end(conn: &mut Conn, kind: Kind, id: i64) -> StorageResult<()> {
    let sql = format!(
        "UPDATE {} SET {} = $1, updated_at = $1 WHERE id = $2 AND {} IS NULL",
        kind.table(),
        kind.ended(),
        kind.ended()
    );
    db::query(&sql).bind(now()).bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// The current records of a pacticipant in every environment (deployed and not undeployed, or
/// released and still supported), oldest first.
pub async fn current_of_pacticipant(
    conn: &mut Conn,
    kind: Kind,
    pacticipant_id: i64,
) -> StorageResult<Vec<Deployment>> {
    let sql =
        format!("{} WHERE d.pacticipant_id = $1 AND d.{} IS NULL ORDER BY d.id", kind.select(), kind.ended());
    let rows = db::query(&sql).bind(pacticipant_id).fetch_all(&mut *conn).await?;
    rows.iter().map(deployment_from_row).collect()
}
