//! Verification results, and the questions pending/WIP status asks of them.

use std::collections::HashSet;

use super::db;
use super::{now, Args, Conn, StorageError, StorageResult, Verification};

/// A verification result to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVerification {
    /// The verified content.
    pub pact_version_id: i64,
    /// The provider version that verified it.
    pub provider_version_id: i64,
    /// Whether it passed.
    pub success: bool,
    /// The CI build.
    pub build_url: Option<String>,
    /// `testResults` as JSON text.
    pub test_results: Option<String>,
    /// `verifiedBy` as JSON text.
    pub verified_by: Option<String>,
    /// Pending status from the pact URL's metadata.
    pub pending: Option<bool>,
    /// WIP status from the pact URL's metadata.
    pub wip: bool,
    /// The selectors from the pact URL's metadata, as JSON text.
    pub consumer_version_selectors: Option<String>,
}

/// Stores a verification result; its id is the verification number.
pub async fn insert(conn: &mut Conn, new: &NewVerification) -> StorageResult<Verification> {
    let id = db::query(
        "INSERT INTO verifications (pact_version_id, provider_version_id, success, build_url, test_results, \
         verified_by, pending, wip, consumer_version_selectors, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(new.pact_version_id)
    .bind(new.provider_version_id)
    .bind(i64::from(new.success))
    .bind(new.build_url.as_deref())
    .bind(new.test_results.as_deref())
    .bind(new.verified_by.as_deref())
    .bind(new.pending.map(i64::from))
    .bind(i64::from(new.wip))
    .bind(new.consumer_version_selectors.as_deref())
    .bind(now())
    .fetch_inserted_id(&mut *conn)
    .await?
    .ok_or_else(|| StorageError::Corrupt("a verification was not inserted".into()))?;
    find(conn, id)
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("verification {id} vanished after insert")))
}

/// The verification with this number.
pub async fn find(conn: &mut Conn, id: i64) -> StorageResult<Option<Verification>> {
    let sql = format!("SELECT {} FROM {} WHERE ve.id = $1", Verification::COLUMNS, Verification::FROM);
    let row = db::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(Verification::from_row).transpose()
}

/// The latest verification of this content.
pub async fn latest_for_pact_version(
    conn: &mut Conn,
    pact_version_id: i64,
) -> StorageResult<Option<Verification>> {
    let sql = format!(
        "SELECT {} FROM {} WHERE ve.pact_version_id = $1 ORDER BY ve.id DESC LIMIT 1",
        Verification::COLUMNS,
        Verification::FROM
    );
    let row = db::query(&sql).bind(pact_version_id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(Verification::from_row).transpose()
}

/// The latest verification of each content a consumer version has published, newest first.
pub async fn latest_for_consumer_version(
    conn: &mut Conn,
    consumer_version_id: i64,
) -> StorageResult<Vec<Verification>> {
    let sql = format!(
        "SELECT {} FROM {} WHERE ve.id IN (SELECT MAX(v2.id) FROM verifications v2 \
         JOIN pact_publications pp ON pp.pact_version_id = v2.pact_version_id \
         WHERE pp.consumer_version_id = $1 GROUP BY v2.pact_version_id) ORDER BY ve.id DESC",
        Verification::COLUMNS,
        Verification::FROM
    );
    let rows = db::query(&sql).bind(consumer_version_id).fetch_all(&mut *conn).await?;
    rows.iter().map(Verification::from_row).collect()
}

/// Whether this content was ever verified successfully (by any provider version).
pub async fn any_success(conn: &mut Conn, pact_version_id: i64) -> StorageResult<bool> {
    let row = db::query("SELECT 1 FROM verifications WHERE pact_version_id = $1 AND success = 1 LIMIT 1")
        .bind(pact_version_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

/// Which of `pact_version_ids` are not pending for the provider's `branch`: those that a
/// provider version on `branch` verified successfully, and those that a provider version on
/// another branch verified successfully before `branch` was created (at any time, if it does
/// not exist yet: this is how a new provider branch inherits what its parent verified). Two
/// statements, however many pact versions.
pub async fn verified_for_branch(
    conn: &mut Conn,
    pact_version_ids: &[i64],
    provider_id: i64,
    branch: &str,
) -> StorageResult<HashSet<i64>> {
    if pact_version_ids.is_empty() {
        return Ok(HashSet::new());
    }
    let created: Option<String> =
        db::query_scalar("SELECT created_at FROM branches WHERE pacticipant_id = $1 AND name = $2")
            .bind(provider_id)
            .bind(branch)
            .fetch_optional(&mut *conn)
            .await?;
    let mut args = Args::default();
    let list = args.ints(pact_version_ids.iter().copied());
    // Without the branch, a success on any branch counts.
    let on_a_branch = match &created {
        Some(created) => {
            let branch = args.text(branch);
            format!("(b.name = {branch} OR ve.created_at < {})", args.text(created))
        }
        None => "1 = 1".to_string(),
    };
    let sql = format!(
        "SELECT DISTINCT ve.pact_version_id FROM verifications ve \
         JOIN branch_versions bv ON bv.version_id = ve.provider_version_id \
         JOIN branches b ON b.id = bv.branch_id \
         WHERE ve.pact_version_id IN ({list}) AND ve.success = 1 AND {on_a_branch}"
    );
    let rows = db::Query::with_args(&sql, args.0).fetch_all(&mut *conn).await?;
    rows.iter().map(|row| row.try_get::<i64, _>(0)).collect()
}

/// Which of `pact_version_ids` are not pending for the provider's `tag`: those that a provider
/// version tagged `tag` verified successfully, and those that a provider version with another
/// tag verified successfully before the provider first used `tag` (at any time, if it never
/// did). Two statements, however many pact versions.
pub async fn verified_for_tag(
    conn: &mut Conn,
    pact_version_ids: &[i64],
    provider_id: i64,
    tag: &str,
) -> StorageResult<HashSet<i64>> {
    if pact_version_ids.is_empty() {
        return Ok(HashSet::new());
    }
    let first_used: Option<String> = db::query_scalar(
        "SELECT MIN(t.created_at) FROM tags t JOIN versions v ON v.id = t.version_id \
         WHERE v.pacticipant_id = $1 AND t.name = $2",
    )
    .bind(provider_id)
    .bind(tag)
    .fetch_one(&mut *conn)
    .await?;
    let mut args = Args::default();
    let list = args.ints(pact_version_ids.iter().copied());
    // Before the provider first used the tag, a success with any tag counts.
    let with_a_tag = match &first_used {
        Some(first) => {
            let tag = args.text(tag);
            format!("(t.name = {tag} OR ve.created_at < {})", args.text(first))
        }
        None => "1 = 1".to_string(),
    };
    let sql = format!(
        "SELECT DISTINCT ve.pact_version_id FROM verifications ve \
         JOIN tags t ON t.version_id = ve.provider_version_id \
         WHERE ve.pact_version_id IN ({list}) AND ve.success = 1 AND {with_a_tag}"
    );
    let rows = db::Query::with_args(&sql, args.0).fetch_all(&mut *conn).await?;
    rows.iter().map(|row| row.try_get::<i64, _>(0)).collect()
}

/// Which of `pact_version_ids` any provider version verified successfully: one statement.
pub async fn verified_ever(conn: &mut Conn, pact_version_ids: &[i64]) -> StorageResult<HashSet<i64>> {
    if pact_version_ids.is_empty() {
        return Ok(HashSet::new());
    }
    let mut args = Args::default();
    let list = args.ints(pact_version_ids.iter().copied());
    let sql = format!(
        "SELECT DISTINCT pact_version_id FROM verifications WHERE pact_version_id IN ({list}) AND success = 1"
    );
    let rows = db::Query::with_args(&sql, args.0).fetch_all(&mut *conn).await?;
    rows.iter().map(|row| row.try_get::<i64, _>(0)).collect()
}

/// Whether `provider_version_id` published any verification result of this content.
pub async fn exists_for(
    conn: &mut Conn,
    pact_version_id: i64,
    provider_version_id: i64,
) -> StorageResult<bool> {
    let row = db::query(
        "SELECT 1 FROM verifications WHERE pact_version_id = $1 AND provider_version_id = $2 LIMIT 1",
    )
    .bind(pact_version_id)
    .bind(provider_version_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

/// The latest verification of this content by a provider version on `branch`.
pub async fn latest_for_pact_version_on_branch(
    conn: &mut Conn,
    pact_version_id: i64,
    branch: &str,
) -> StorageResult<Option<Verification>> {
    let sql = format!(
        "SELECT {} FROM {} WHERE ve.pact_version_id = $1 AND EXISTS (SELECT 1 FROM branch_versions bv \
         JOIN branches b ON b.id = bv.branch_id WHERE bv.version_id = ve.provider_version_id AND b.name = $2) \
         ORDER BY ve.id DESC LIMIT 1",
        Verification::COLUMNS,
        Verification::FROM
    );
    let row = db::query(&sql).bind(pact_version_id).bind(branch).fetch_optional(&mut *conn).await?;
    row.as_ref().map(Verification::from_row).transpose()
}
