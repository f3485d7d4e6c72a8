//! Versions, their tags and their branches.

use super::db;
use super::db::Row;

use super::pacticipants;
use super::records::get;
use super::{now, Branch, BranchVersion, Conn, Pacticipant, StorageError, StorageResult, Tag, Version};

/// The version `number` of the pacticipant.
pub async fn find(conn: &mut Conn, pacticipant_id: i64, number: &str) -> StorageResult<Option<Version>> {
    let sql = format!(
        "SELECT {} FROM {} WHERE v.pacticipant_id = $1 AND v.number = $2",
        Version::COLUMNS,
        Version::FROM
    );
    let row = db::query(&sql).bind(pacticipant_id).bind(number).fetch_optional(&mut *conn).await?;
    row.as_ref().map(Version::from_row).transpose()
}

/// The version with this id.
pub async fn find_by_id(conn: &mut Conn, id: i64) -> StorageResult<Option<Version>> {
    let sql = format!("SELECT {} FROM {} WHERE v.id = $1", Version::COLUMNS, Version::FROM);
    let row = db::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(Version::from_row).transpose()
}

/// The version, created if missing; `true` when it was created.
pub async fn find_or_create(
    conn: &mut Conn,
    pacticipant: &Pacticipant,
    number: &str,
) -> StorageResult<(Version, bool)> {
    find_or_create_with_build_url(conn, pacticipant, number, None).await
}

/// The version, created if missing (with `build_url`, which an existing version keeps: see
/// [`set_build_url`]); `true` when it was created.
pub async fn find_or_create_with_build_url(
    conn: &mut Conn,
    pacticipant: &Pacticipant,
    number: &str,
    build_url: Option<&str>,
) -> StorageResult<(Version, bool)> {
    if let Some(found) = find(conn, pacticipant.id, number).await? {
        return Ok((found, false));
    }
    let at = now();
    let inserted = db::query(
        "INSERT INTO versions (pacticipant_id, number, build_url, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (pacticipant_id, number) DO NOTHING RETURNING id",
    )
    .bind(pacticipant.id)
    .bind(number)
    .bind(build_url)
    .bind(&at)
    .fetch_inserted_id(&mut *conn)
    .await?;
    if let Some(id) = inserted {
        // The row as just written: no need to read it back.
        let version = Version {
            id,
            pacticipant_id: pacticipant.id,
            pacticipant_name: pacticipant.name.clone(),
            number: number.to_string(),
            build_url: build_url.map(str::to_string),
            created_at: at.clone(),
            updated_at: at,
        };
        return Ok((version, true));
    }
    // Another transaction created it meanwhile (PostgreSQL).
    match find(conn, pacticipant.id, number).await? {
        Some(v) => Ok((v, false)),
        None => Err(StorageError::Corrupt(format!("version {number:?} vanished after insert"))),
    }
}

/// The pacticipant and version named so, both created if missing; `true` when the version was
/// created.
pub async fn find_or_create_by_names(
    conn: &mut Conn,
    pacticipant: &str,
    number: &str,
) -> StorageResult<(Pacticipant, Version, bool)> {
    let (p, _) = pacticipants::find_or_create(conn, pacticipant).await?;
    let (v, created) = find_or_create(conn, &p, number).await?;
    Ok((p, v, created))
}

/// Sets (or, with `None` and `replace`, clears) the build URL.
pub async fn set_build_url(conn: &mut Conn, version_id: i64, build_url: Option<&str>) -> StorageResult<()> {
    db::query("UPDATE versions SET build_url = $1, updated_at = $2 WHERE id = $3")
        .bind(build_url)
        .bind(now())
        .bind(version_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The latest version of a pacticipant, optionally only among those with `tag`, or on `branch`.
pub async fn latest(
    conn: &mut Conn,
    pacticipant_id: i64,
    tag: Option<&str>,
    branch: Option<&str>,
) -> StorageResult<Option<Version>> {
    let mut sql = format!("SELECT {} FROM {} WHERE v.pacticipant_id = $1", Version::COLUMNS, Version::FROM);
    let mut text = None;
    if let Some(tag) = tag {
        sql.push_str(" AND EXISTS (SELECT 1 FROM tags t WHERE t.version_id = v.id AND t.name = $2)");
        text = Some(tag);
    } else if let Some(branch) = branch {
        sql.push_str(
            " AND EXISTS (SELECT 1 FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id \
             WHERE bv.version_id = v.id AND b.name = $2)",
        );
        text = Some(branch);
    }
    sql.push_str(" ORDER BY v.id DESC LIMIT 1");
    let mut query = db::query(&sql).bind(pacticipant_id);
    if let Some(text) = text {
        query = query.bind(text);
    }
    let row = query.fetch_optional(&mut *conn).await?;
    row.as_ref().map(Version::from_row).transpose()
}

/// One page of a pacticipant's versions, newest first, optionally only those on `branch` or
/// with `tag`; and the total count.
pub async fn list(
    conn: &mut Conn,
    pacticipant_id: i64,
    filter: VersionFilter<'_>,
    offset: i64,
    limit: i64,
) -> StorageResult<(Vec<Version>, i64)> {
    let condition = match filter {
        VersionFilter::All => "",
        VersionFilter::Branch(_) => {
            " AND EXISTS (SELECT 1 FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id \
             WHERE bv.version_id = v.id AND b.name = $2)"
        }
        VersionFilter::Tag(_) => {
            " AND EXISTS (SELECT 1 FROM tags t WHERE t.version_id = v.id AND t.name = $2)"
        }
    };
    let name = match filter {
        VersionFilter::All => None,
        VersionFilter::Branch(n) | VersionFilter::Tag(n) => Some(n),
    };
    let (limit_param, offset_param) = if name.is_some() { ("$3", "$4") } else { ("$2", "$3") };
    let sql = format!(
        "SELECT {} FROM {} WHERE v.pacticipant_id = $1{condition} ORDER BY v.id DESC LIMIT {limit_param} OFFSET {offset_param}",
        Version::COLUMNS,
        Version::FROM
    );
    let mut query = db::query(&sql).bind(pacticipant_id);
    if let Some(name) = name {
        query = query.bind(name);
    }
    let rows = query.bind(limit).bind(offset).fetch_all(&mut *conn).await?;
    let items = rows.iter().map(Version::from_row).collect::<StorageResult<Vec<_>>>()?;
    let count_sql = format!("SELECT COUNT(*) FROM versions v WHERE v.pacticipant_id = $1{condition}");
    let mut count = db::query(&count_sql).bind(pacticipant_id);
    if let Some(name) = name {
        count = count.bind(name);
    }
    let total: i64 = count.fetch_one(&mut *conn).await?.try_get(0)?;
    Ok((items, total))
}

/// Which versions [`list`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionFilter<'a> {
    /// All of them.
    All,
    /// Those on this branch.
    Branch(&'a str),
    /// Those with this tag.
    Tag(&'a str),
}

/// Deletes a version with its tags, branch memberships, pacts and verifications.
pub async fn delete(conn: &mut Conn, version_id: i64) -> StorageResult<()> {
    db::query("DELETE FROM versions WHERE id = $1").bind(version_id).execute(&mut *conn).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Tags

const TAG_SELECT: &str =
    "SELECT t.name, t.version_id, v.number AS version_number, p.name AS pacticipant_name, \
     t.created_at, (SELECT t2.version_id FROM tags t2 JOIN versions v2 ON v2.id = t2.version_id \
     WHERE t2.name = t.name AND v2.pacticipant_id = v.pacticipant_id \
     ORDER BY t2.version_id DESC LIMIT 1) AS latest_version_id \
     FROM tags t JOIN versions v ON v.id = t.version_id JOIN pacticipants p ON p.id = v.pacticipant_id";

fn tag_from_row(row: &Row) -> StorageResult<Tag> {
    let version_id: i64 = get(row, "version_id")?;
    let latest: Option<i64> = get(row, "latest_version_id")?;
    Ok(Tag {
        name: get(row, "name")?,
        version_id,
        version_number: get(row, "version_number")?,
        pacticipant_name: get(row, "pacticipant_name")?,
        latest: latest == Some(version_id),
        created_at: get(row, "created_at")?,
    })
}

/// The tags of a version, oldest first.
pub async fn tags_of(conn: &mut Conn, version_id: i64) -> StorageResult<Vec<Tag>> {
    let sql = format!("{TAG_SELECT} WHERE t.version_id = $1 ORDER BY t.id");
    let rows = db::query(&sql).bind(version_id).fetch_all(&mut *conn).await?;
    rows.iter().map(tag_from_row).collect()
}

/// One tag of a version.
pub async fn find_tag(conn: &mut Conn, version_id: i64, name: &str) -> StorageResult<Option<Tag>> {
    let sql = format!("{TAG_SELECT} WHERE t.version_id = $1 AND t.name = $2");
    let row = db::query(&sql).bind(version_id).bind(name).fetch_optional(&mut *conn).await?;
    row.as_ref().map(tag_from_row).transpose()
}

/// Tags a version; `true` when the tag is new.
pub async fn add_tag(conn: &mut Conn, version_id: i64, name: &str) -> StorageResult<(Tag, bool)> {
    let inserted = tag(conn, version_id, name).await?;
    match find_tag(conn, version_id, name).await? {
        Some(tag) => Ok((tag, inserted)),
        None => Err(StorageError::Corrupt(format!("tag {name:?} vanished after insert"))),
    }
}

/// Tags a version, without reading the tag back ([`add_tag`] does); `true` when the tag is new.
pub async fn tag(conn: &mut Conn, version_id: i64, name: &str) -> StorageResult<bool> {
    let inserted = db::query(
        "INSERT INTO tags (version_id, name, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (version_id, name) DO NOTHING RETURNING id",
    )
    .bind(version_id)
    .bind(name)
    .bind(now())
    .fetch_inserted_id(&mut *conn)
    .await?;
    Ok(inserted.is_some())
}

/// Removes a tag from a version; `true` when it was there.
pub async fn delete_tag(conn: &mut Conn, version_id: i64, name: &str) -> StorageResult<bool> {
    let done = db::query("DELETE FROM tags WHERE version_id = $1 AND name = $2")
        .bind(version_id)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    Ok(done > 0)
}

// ---------------------------------------------------------------------------------------------
// Branches

fn branch_from_row(row: &Row) -> StorageResult<Branch> {
    Ok(Branch {
        id: get(row, "branch_id")?,
        pacticipant_id: get(row, "pacticipant_id")?,
        pacticipant_name: get(row, "pacticipant_name")?,
        name: get(row, "branch_name")?,
        created_at: get(row, "branch_created_at")?,
    })
}

const BRANCH_SELECT: &str = "SELECT b.id AS branch_id, b.pacticipant_id, p.name AS pacticipant_name, \
     b.name AS branch_name, b.created_at AS branch_created_at FROM branches b JOIN pacticipants p ON p.id = b.pacticipant_id";

/// A branch of a pacticipant.
pub async fn find_branch(conn: &mut Conn, pacticipant_id: i64, name: &str) -> StorageResult<Option<Branch>> {
    let sql = format!("{BRANCH_SELECT} WHERE b.pacticipant_id = $1 AND b.name = $2");
    let row = db::query(&sql).bind(pacticipant_id).bind(name).fetch_optional(&mut *conn).await?;
    row.as_ref().map(branch_from_row).transpose()
}

/// The branches of a pacticipant, newest first.
pub async fn branches_of(conn: &mut Conn, pacticipant_id: i64) -> StorageResult<Vec<Branch>> {
    let sql = format!("{BRANCH_SELECT} WHERE b.pacticipant_id = $1 ORDER BY b.id DESC");
    let rows = db::query(&sql).bind(pacticipant_id).fetch_all(&mut *conn).await?;
    rows.iter().map(branch_from_row).collect()
}

/// Adds a version to a branch (creating the branch); `true` when the version was not on it yet.
/// A first branch named like a main-branch candidate becomes the pacticipant's main branch.
pub async fn add_to_branch(
    conn: &mut Conn,
    version: &Version,
    branch: &str,
) -> StorageResult<(BranchVersion, bool)> {
    let inserted = put_on_branch(conn, version.pacticipant_id, None, version.id, branch).await?;
    let bv = find_branch_version(conn, version.pacticipant_id, branch, version.id)
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("branch version {branch:?} vanished after insert")))?;
    Ok((bv, inserted))
}

/// What [`add_to_branch`] does, without reading the membership back: `true` when the version
/// was not on the branch yet. `main_branch` is the pacticipant's main branch as read in this
/// transaction, when the caller has it (`Some(None)`: it has none), which spares the main
/// branch detection a statement when it is set already.
pub async fn put_on_branch(
    conn: &mut Conn,
    pacticipant_id: i64,
    main_branch: Option<Option<&str>>,
    version_id: i64,
    branch: &str,
) -> StorageResult<bool> {
    let at = now();
    let found: Option<i64> =
        db::query_scalar("SELECT id FROM branches WHERE pacticipant_id = $1 AND name = $2")
            .bind(pacticipant_id)
            .bind(branch)
            .fetch_optional(&mut *conn)
            .await?;
    let branch_id = match found {
        Some(id) => id,
        None => {
            let created = db::query(
                "INSERT INTO branches (pacticipant_id, name, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (pacticipant_id, name) DO NOTHING RETURNING id",
            )
            .bind(pacticipant_id)
            .bind(branch)
            .bind(&at)
            .fetch_inserted_id(&mut *conn)
            .await?;
            match created {
                Some(id) => id,
                None => {
                    find_branch(conn, pacticipant_id, branch)
                        .await?
                        .ok_or_else(|| {
                            StorageError::Corrupt(format!("branch {branch:?} vanished after insert"))
                        })?
                        .id
                }
            }
        }
    };
    let inserted = db::query(
        "INSERT INTO branch_versions (branch_id, version_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (branch_id, version_id) DO NOTHING RETURNING id",
    )
    .bind(branch_id)
    .bind(version_id)
    .bind(&at)
    .fetch_inserted_id(&mut *conn)
    .await?;
    if !matches!(main_branch, Some(Some(_))) {
        pacticipants::detect_main_branch(conn, pacticipant_id, branch).await?;
    }
    Ok(inserted.is_some())
}

const BRANCH_VERSION_SELECT: &str = "SELECT b.id AS branch_id, b.pacticipant_id, p.name AS pacticipant_name, \
     b.name AS branch_name, b.created_at AS branch_created_at, bv.version_id, v.number AS version_number, \
     bv.created_at, (SELECT MAX(bv2.version_id) FROM branch_versions bv2 WHERE bv2.branch_id = b.id) AS latest_version_id \
     FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id JOIN versions v ON v.id = bv.version_id \
     JOIN pacticipants p ON p.id = b.pacticipant_id";

fn branch_version_from_row(row: &Row) -> StorageResult<BranchVersion> {
    let version_id: i64 = get(row, "version_id")?;
    let latest: Option<i64> = get(row, "latest_version_id")?;
    Ok(BranchVersion {
        branch: branch_from_row(row)?,
        version_id,
        version_number: get(row, "version_number")?,
        latest: latest == Some(version_id),
        created_at: get(row, "created_at")?,
    })
}

/// A version's membership of a branch.
pub async fn find_branch_version(
    conn: &mut Conn,
    pacticipant_id: i64,
    branch: &str,
    version_id: i64,
) -> StorageResult<Option<BranchVersion>> {
    let sql =
        format!("{BRANCH_VERSION_SELECT} WHERE b.pacticipant_id = $1 AND b.name = $2 AND bv.version_id = $3");
    let row =
        db::query(&sql).bind(pacticipant_id).bind(branch).bind(version_id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(branch_version_from_row).transpose()
}

/// The branches a version is on, oldest first.
pub async fn branch_versions_of(conn: &mut Conn, version_id: i64) -> StorageResult<Vec<BranchVersion>> {
    let sql = format!("{BRANCH_VERSION_SELECT} WHERE bv.version_id = $1 ORDER BY bv.id");
    let rows = db::query(&sql).bind(version_id).fetch_all(&mut *conn).await?;
    rows.iter().map(branch_version_from_row).collect()
}

/// Removes a version from a branch; `true` when it was on it.
pub async fn remove_from_branch(conn: &mut Conn, branch_id: i64, version_id: i64) -> StorageResult<bool> {
    let done = db::query("DELETE FROM branch_versions WHERE branch_id = $1 AND version_id = $2")
        .bind(branch_id)
        .bind(version_id)
        .execute(&mut *conn)
        .await?;
    Ok(done > 0)
}

/// Deletes a branch (its versions stay).
pub async fn delete_branch(conn: &mut Conn, branch_id: i64) -> StorageResult<()> {
    db::query("DELETE FROM branches WHERE id = $1").bind(branch_id).execute(&mut *conn).await?;
    Ok(())
}
