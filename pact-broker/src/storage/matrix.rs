//! Matrix rows: each pact publication with each verification of its content (or with none).
//!
//! This is the query behind `GET /matrix`, can-i-deploy and the matrix page: a consumer
//! version × provider version × verification result table.

use super::db;
use super::records::{get, get_bool};
use super::{Args, Conn, PactPublication, StorageResult, Verification};

/// One row: a consumer version's pact with a provider and one verification of that content by a
/// provider version, or no verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    /// The pact.
    pub publication: PactPublication,
    /// The verification, if any matched.
    pub verification: Option<Verification>,
}

/// Which rows to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowQuery {
    /// Only this consumer.
    pub consumer_id: Option<i64>,
    /// Only this provider.
    pub provider_id: Option<i64>,
    /// Only these consumer versions.
    pub consumer_version_ids: Option<Vec<i64>>,
    /// Only verifications by these provider versions (a publication without one still gives a
    /// row, with no verification).
    pub provider_version_ids: Option<Vec<i64>>,
    /// Only rows with a verification.
    pub verified_only: bool,
    /// At most this many rows (newest consumer versions, then newest verifications, first).
    pub limit: Option<i64>,
}

/// The rows a query selects, newest consumer version first, then newest verification first.
pub async fn rows(conn: &mut Conn, query: &RowQuery) -> StorageResult<Vec<MatrixRow>> {
    let mut args = Args::default();
    let mut conditions = vec!["1 = 1".to_string()];
    if let Some(id) = query.consumer_id {
        conditions.push(format!("pp.consumer_id = {}", args.int(id)));
    }
    if let Some(id) = query.provider_id {
        conditions.push(format!("pp.provider_id = {}", args.int(id)));
    }
    if let Some(ids) = &query.consumer_version_ids {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        conditions.push(format!("pp.consumer_version_id IN ({})", args.ints(ids.iter().copied())));
    }
    let mut join = String::from("LEFT JOIN verifications ve ON ve.pact_version_id = pp.pact_version_id");
    if let Some(ids) = &query.provider_version_ids {
        join.push_str(&format!(" AND ve.provider_version_id IN ({})", args.ints(ids.iter().copied())));
    }
    if query.verified_only {
        conditions.push("ve.id IS NOT NULL".into());
    }
    let limit = match query.limit {
        Some(n) => format!(" LIMIT {}", args.int(n)),
        None => String::new(),
    };
    let sql = format!(
        "SELECT {}, ve.id AS ve_id, ve.provider_version_id AS ve_provider_version_id, prv.number AS ve_provider_version_number, \
         ve.success AS ve_success, ve.build_url AS ve_build_url, ve.test_results AS ve_test_results, \
         ve.verified_by AS ve_verified_by, ve.pending AS ve_pending, ve.wip AS ve_wip, ve.created_at AS ve_created_at \
         FROM {} {join} LEFT JOIN versions prv ON prv.id = ve.provider_version_id \
         WHERE {} ORDER BY pp.consumer_version_id DESC, ve.id DESC{limit}",
        PactPublication::COLUMNS,
        PactPublication::FROM,
        conditions.join(" AND ")
    );
    let rows = db::Query::with_args(&sql, args.0).fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let publication = PactPublication::from_row(row)?;
        let verification = match get::<Option<i64>>(row, "ve_id")? {
            None => None,
            Some(id) => Some(Verification {
                id,
                pact_version_id: publication.pact_version_id,
                sha: publication.sha.clone(),
                consumer_name: publication.consumer_name.clone(),
                provider_name: publication.provider_name.clone(),
                provider_version_id: get(row, "ve_provider_version_id")?,
                provider_version_number: get(row, "ve_provider_version_number")?,
                success: get_bool(row, "ve_success")?,
                build_url: get(row, "ve_build_url")?,
                test_results: get(row, "ve_test_results")?,
                verified_by: get(row, "ve_verified_by")?,
                pending: get::<Option<i64>>(row, "ve_pending")?.map(|v| v != 0),
                wip: get_bool(row, "ve_wip")?,
                created_at: get(row, "ve_created_at")?,
            }),
        };
        out.push(MatrixRow { publication, verification });
    }
    Ok(out)
}

/// The providers a consumer has pacts with, and the consumers a provider has pacts with, as
/// `(consumer_id, provider_id)` pairs involving `pacticipant_id`.
pub async fn integrations_of(conn: &mut Conn, pacticipant_id: i64) -> StorageResult<Vec<(i64, i64)>> {
    let rows = db::query(
        "SELECT DISTINCT consumer_id, provider_id FROM pact_publications WHERE consumer_id = $1 OR provider_id = $1",
    )
    .bind(pacticipant_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|row| Ok((get(row, "consumer_id")?, get(row, "provider_id")?))).collect()
}
