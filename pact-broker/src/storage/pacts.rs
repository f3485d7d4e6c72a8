//! Pact content (deduplicated by hash) and pact publications (the pact a consumer version has
//! with a provider), and the queries that select publications for the API and the domain.

use super::db;

use super::{
    now, Args, Conn, PactPublication, PactVersion, Pacticipant, StorageError, StorageResult, Version,
};

fn pact_version_from_row(row: &db::Row) -> StorageResult<PactVersion> {
    Ok(PactVersion {
        id: row.try_get("id")?,
        sha: row.try_get("sha")?,
        content: row.try_get("content")?,
        created_at: row.try_get("created_at")?,
    })
}

/// The content with this hash between the two pacticipants.
pub async fn find_pact_version(
    conn: &mut Conn,
    consumer_id: i64,
    provider_id: i64,
    sha: &str,
) -> StorageResult<Option<PactVersion>> {
    let row = db::query(
        "SELECT id, sha, content, created_at FROM pact_versions WHERE consumer_id = $1 AND provider_id = $2 AND sha = $3",
    )
    .bind(consumer_id)
    .bind(provider_id)
    .bind(sha)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(pact_version_from_row).transpose()
}

/// The content with this id.
pub async fn pact_version(conn: &mut Conn, id: i64) -> StorageResult<Option<PactVersion>> {
    let row = db::query("SELECT id, sha, content, created_at FROM pact_versions WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(pact_version_from_row).transpose()
}

/// Stores content unless content with the same hash is stored already; returns the stored row.
pub async fn insert_pact_version(
    conn: &mut Conn,
    consumer_id: i64,
    provider_id: i64,
    sha: &str,
    content: &str,
) -> StorageResult<PactVersion> {
    let at = now();
    let inserted = db::query(
        "INSERT INTO pact_versions (consumer_id, provider_id, sha, content, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (consumer_id, provider_id, sha) DO NOTHING RETURNING id",
    )
    .bind(consumer_id)
    .bind(provider_id)
    .bind(sha)
    .bind(content)
    .bind(&at)
    .fetch_inserted_id(&mut *conn)
    .await?;
    if let Some(id) = inserted {
        // The row as just written: no need to read it back.
        return Ok(PactVersion { id, sha: sha.to_string(), content: content.to_string(), created_at: at });
    }
    find_pact_version(conn, consumer_id, provider_id, sha)
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("pact version {sha} vanished after insert")))
}

/// The publication of a consumer version for a provider.
pub async fn find_publication(
    conn: &mut Conn,
    consumer_version_id: i64,
    provider_id: i64,
) -> StorageResult<Option<PactPublication>> {
    let sql = format!(
        "SELECT {} FROM {} WHERE pp.consumer_version_id = $1 AND pp.provider_id = $2",
        PactPublication::COLUMNS,
        PactPublication::FROM
    );
    let row = db::query(&sql).bind(consumer_version_id).bind(provider_id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(PactPublication::from_row).transpose()
}

/// Records that a consumer version has `pact_version` with the provider (revision 1); returns
/// the row as written.
pub async fn create_publication(
    conn: &mut Conn,
    consumer: &Pacticipant,
    provider: &Pacticipant,
    consumer_version: &Version,
    pact_version: &PactVersion,
) -> StorageResult<PactPublication> {
    let at = now();
    let id = db::query(
        "INSERT INTO pact_publications (consumer_id, provider_id, consumer_version_id, pact_version_id, revision, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id",
    )
    .bind(consumer.id)
    .bind(provider.id)
    .bind(consumer_version.id)
    .bind(pact_version.id)
    .bind(&at)
    .fetch_inserted_id(&mut *conn)
    .await?
    .ok_or_else(|| StorageError::Corrupt("a pact publication was not inserted".into()))?;
    Ok(PactPublication {
        id,
        consumer_id: consumer.id,
        consumer_name: consumer.name.clone(),
        provider_id: provider.id,
        provider_name: provider.name.clone(),
        consumer_version_id: consumer_version.id,
        consumer_version_number: consumer_version.number.clone(),
        pact_version_id: pact_version.id,
        sha: pact_version.sha.clone(),
        revision: 1,
        created_at: at.clone(),
        updated_at: at,
    })
}

/// Points a publication at other content (a merge, or an allowed modification).
pub async fn replace_content(
    conn: &mut Conn,
    publication_id: i64,
    pact_version_id: i64,
) -> StorageResult<()> {
    db::query(
        "UPDATE pact_publications SET pact_version_id = $1, revision = revision + 1, updated_at = $2 WHERE id = $3",
    )
    .bind(pact_version_id)
    .bind(now())
    .bind(publication_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes a publication (the content stays while other publications or verifications use it).
pub async fn delete_publication(conn: &mut Conn, publication_id: i64) -> StorageResult<()> {
    db::query("DELETE FROM pact_publications WHERE id = $1").bind(publication_id).execute(&mut *conn).await?;
    Ok(())
}

/// The publication of the same pair for the latest consumer version older than
/// `consumer_version_id` that has the tag `tag`, or no tag at all when `tag` is `None`.
pub async fn previous_publication(
    conn: &mut Conn,
    consumer_id: i64,
    provider_id: i64,
    consumer_version_id: i64,
    tag: Option<&str>,
) -> StorageResult<Option<PactPublication>> {
    let tagged = match tag {
        Some(_) => {
            "EXISTS (SELECT 1 FROM tags tg WHERE tg.version_id = pp.consumer_version_id AND tg.name = $4)"
        }
        None => "NOT EXISTS (SELECT 1 FROM tags tg WHERE tg.version_id = pp.consumer_version_id)",
    };
    let sql = format!(
        "SELECT {} FROM {} WHERE pp.consumer_id = $1 AND pp.provider_id = $2 AND pp.consumer_version_id < $3 \
         AND {tagged} ORDER BY pp.consumer_version_id DESC LIMIT 1",
        PactPublication::COLUMNS,
        PactPublication::FROM
    );
    let mut query = db::query(&sql).bind(consumer_id).bind(provider_id).bind(consumer_version_id);
    if let Some(tag) = tag {
        query = query.bind(tag);
    }
    let row = query.fetch_optional(&mut *conn).await?;
    row.as_ref().map(PactPublication::from_row).transpose()
}

/// For a new publication: the hash of the previous publication of the same pair with each
/// tag of its consumer version (as [`previous_publication`] finds it), tag by tag, oldest tag
/// first; `None` for a tag that no earlier version of the pair has. Empty when the version has
/// no tags. One statement, where a query per tag would cost one each.
pub async fn previous_shas_by_tag(
    conn: &mut Conn,
    consumer_id: i64,
    provider_id: i64,
    consumer_version_id: i64,
) -> StorageResult<Vec<Option<String>>> {
    let rows = db::query(
        "SELECT (SELECT pv.sha FROM pact_publications pp JOIN pact_versions pv ON pv.id = pp.pact_version_id \
         WHERE pp.consumer_id = $1 AND pp.provider_id = $2 AND pp.consumer_version_id < $3 \
         AND EXISTS (SELECT 1 FROM tags tg WHERE tg.version_id = pp.consumer_version_id AND tg.name = t.name) \
         ORDER BY pp.consumer_version_id DESC LIMIT 1) AS previous_sha \
         FROM tags t WHERE t.version_id = $3 ORDER BY t.id",
    )
    .bind(consumer_id)
    .bind(provider_id)
    .bind(consumer_version_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|row| row.try_get::<Option<String>, _>("previous_sha")).collect()
}

/// Which consumer versions a [`PublicationQuery`] selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsumerVersions {
    /// Every version.
    All,
    /// Versions with this tag.
    Tag(String),
    /// Versions without any tag.
    Untagged,
    /// Versions on this branch.
    Branch(String),
    /// Versions on their pacticipant's main branch.
    MainBranch,
    /// Versions currently deployed, to this environment if given.
    Deployed(Option<String>),
    /// Versions released and still supported, in this environment if given.
    Released(Option<String>),
    /// Either of the last two.
    DeployedOrReleased(Option<String>),
    /// These versions.
    Ids(Vec<i64>),
}

/// A selection of pact publications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicationQuery {
    /// Only this provider.
    pub provider_id: Option<i64>,
    /// Only this consumer.
    pub consumer_id: Option<i64>,
    /// Only these consumer versions.
    pub versions: ConsumerVersions,
    /// Only the latest selected version per consumer and provider.
    pub latest: bool,
    /// Only publications created at or after this time (text in the stored form).
    pub created_since: Option<String>,
}

impl PublicationQuery {
    /// Every publication.
    pub fn all() -> Self {
        PublicationQuery {
            provider_id: None,
            consumer_id: None,
            versions: ConsumerVersions::All,
            latest: false,
            created_since: None,
        }
    }

    /// Every publication for `provider_id`.
    pub fn for_provider(provider_id: i64) -> Self {
        PublicationQuery {
            provider_id: Some(provider_id),
            consumer_id: None,
            versions: ConsumerVersions::All,
            latest: false,
            created_since: None,
        }
    }

    /// Restricts to these consumer versions.
    pub fn versions(mut self, versions: ConsumerVersions) -> Self {
        self.versions = versions;
        self
    }

    /// Restricts to the latest per consumer and provider.
    pub fn latest(mut self, latest: bool) -> Self {
        self.latest = latest;
        self
    }

    /// Restricts to one consumer.
    pub fn consumer(mut self, consumer_id: Option<i64>) -> Self {
        self.consumer_id = consumer_id;
        self
    }
}

/// The condition on the consumer version of publication alias `a`, with placeholders bound once.
fn version_condition(versions: &ConsumerVersions, placeholders: &[String], a: &str) -> String {
    // The versions in an environment are few, and found by their own index: an uncorrelated
    // `IN` lets the database start from them and look each one's publication up by its unique
    // (consumer version, provider) index, where a correlated `EXISTS` was evaluated for every
    // publication of the provider (five times the cost at 20 versions per consumer, growing
    // with the history).
    let env = |alias: &str, table: &str, current: &str| -> String {
        match placeholders.first() {
            Some(p) => format!(
                "{a}.consumer_version_id IN (SELECT {alias}.version_id FROM {table} {alias} \
                 JOIN environments e ON e.id = {alias}.environment_id WHERE {alias}.{current} IS NULL AND e.name = {p})"
            ),
            None => format!(
                "{a}.consumer_version_id IN (SELECT {alias}.version_id FROM {table} {alias} WHERE {alias}.{current} IS NULL)"
            ),
        }
    };
    let first = placeholders.first().map(String::as_str).unwrap_or("NULL");
    match versions {
        ConsumerVersions::All => "1 = 1".into(),
        ConsumerVersions::Tag(_) => {
            format!("EXISTS (SELECT 1 FROM tags tg WHERE tg.version_id = {a}.consumer_version_id AND tg.name = {first})")
        }
        ConsumerVersions::Untagged => {
            format!("NOT EXISTS (SELECT 1 FROM tags tg WHERE tg.version_id = {a}.consumer_version_id)")
        }
        ConsumerVersions::Branch(_) => format!(
            "EXISTS (SELECT 1 FROM branch_versions bv JOIN branches br ON br.id = bv.branch_id \
             WHERE bv.version_id = {a}.consumer_version_id AND br.name = {first})"
        ),
        ConsumerVersions::MainBranch => format!(
            "EXISTS (SELECT 1 FROM branch_versions bv JOIN branches br ON br.id = bv.branch_id \
             JOIN pacticipants mp ON mp.id = br.pacticipant_id \
             WHERE bv.version_id = {a}.consumer_version_id AND br.name = mp.main_branch)"
        ),
        ConsumerVersions::Deployed(_) => env("dv", "deployed_versions", "undeployed_at"),
        ConsumerVersions::Released(_) => env("rv", "released_versions", "support_ended_at"),
        ConsumerVersions::DeployedOrReleased(_) => format!(
            "({} OR {})",
            env("dv", "deployed_versions", "undeployed_at"),
            env("rv", "released_versions", "support_ended_at")
        ),
        ConsumerVersions::Ids(_) => format!("{a}.consumer_version_id IN ({})", placeholders.join(", ")),
    }
}

/// The publications a query selects, by consumer name, then newest consumer version first.
pub async fn publications(conn: &mut Conn, query: &PublicationQuery) -> StorageResult<Vec<PactPublication>> {
    let mut args = Args::default();
    let placeholders: Vec<String> = match &query.versions {
        ConsumerVersions::Tag(name) | ConsumerVersions::Branch(name) => vec![args.text(name)],
        ConsumerVersions::Deployed(Some(env))
        | ConsumerVersions::Released(Some(env))
        | ConsumerVersions::DeployedOrReleased(Some(env)) => vec![args.text(env)],
        ConsumerVersions::Ids(ids) => {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            ids.iter().map(|id| args.int(*id)).collect()
        }
        _ => Vec::new(),
    };
    if query.latest {
        return latest_publications(conn, query, args, &placeholders).await;
    }
    let mut conditions = vec![version_condition(&query.versions, &placeholders, "pp")];
    if let Some(provider_id) = query.provider_id {
        conditions.push(format!("pp.provider_id = {}", args.int(provider_id)));
    }
    if let Some(consumer_id) = query.consumer_id {
        conditions.push(format!("pp.consumer_id = {}", args.int(consumer_id)));
    }
    if let Some(since) = &query.created_since {
        conditions.push(format!("pp.created_at >= {}", args.text(since)));
    }
    let sql = format!(
        "SELECT {} FROM {} WHERE {} ORDER BY c.name, pr.name, pp.consumer_version_id DESC",
        PactPublication::COLUMNS,
        PactPublication::FROM,
        conditions.join(" AND ")
    );
    let rows = db::Query::with_args(&sql, args.0).fetch_all(&mut *conn).await?;
    rows.iter().map(PactPublication::from_row).collect()
}

/// The latest selected publication of each consumer and provider. Each pair's pick walks the
/// `(provider_id, consumer_id, consumer_version_id)` index from its newest consumer version down
/// to the first one selected, so for one provider the cost grows with the number of consumers
/// rather than with their history. (A window function ranking every selected publication per
/// pair cost seven times more at 20 versions per consumer, and 25 times more at 2,000; a
/// correlated `MAX` per candidate row made PostgreSQL run the selection once per row.) The
/// picks are `MATERIALIZED`: PostgreSQL would otherwise fold them into the join and run each
/// pick once per publication (seconds per answer at 2,000 versions per consumer).
async fn latest_publications(
    conn: &mut Conn,
    query: &PublicationQuery,
    mut args: Args,
    placeholders: &[String],
) -> StorageResult<Vec<PactPublication>> {
    let condition = version_condition(&query.versions, placeholders, "sel");
    let pairs = match query.provider_id {
        // One provider: its consumers are the pacticipants with a publication for it, each
        // found by an index seek, so the pairs cost no more as the history grows.
        Some(provider_id) => {
            let provider = args.int(provider_id);
            let mut consumers = vec![format!(
                "EXISTS (SELECT 1 FROM pact_publications pk WHERE pk.provider_id = {} AND pk.consumer_id = pc.id)",
                args.int(provider_id)
            )];
            if let Some(consumer_id) = query.consumer_id {
                consumers.push(format!("pc.id = {}", args.int(consumer_id)));
            }
            format!(
                "SELECT CAST({provider} AS BIGINT) AS provider_id, pc.id AS consumer_id FROM pacticipants pc WHERE {}",
                consumers.join(" AND ")
            )
        }
        None => {
            let consumer = match query.consumer_id {
                Some(consumer_id) => format!(" WHERE pk.consumer_id = {}", args.int(consumer_id)),
                None => String::new(),
            };
            format!("SELECT DISTINCT pk.provider_id, pk.consumer_id FROM pact_publications pk{consumer}")
        }
    };
    // As before: the latest selected version first, then the date filter on it.
    let since = match &query.created_since {
        Some(since) => format!(" WHERE pp.created_at >= {}", args.text(since)),
        None => String::new(),
    };
    let sql = format!(
        "WITH pick AS MATERIALIZED (SELECT (SELECT sel.id FROM pact_publications sel \
         WHERE sel.provider_id = k.provider_id AND sel.consumer_id = k.consumer_id AND {condition} \
         ORDER BY sel.consumer_version_id DESC LIMIT 1) AS latest_id FROM ({pairs}) k) \
         SELECT {} FROM pick JOIN pact_publications pp ON pp.id = pick.latest_id{}{since} \
         ORDER BY c.name, pr.name, pp.consumer_version_id DESC",
        PactPublication::COLUMNS,
        PactPublication::JOINS,
    );
    let rows = db::Query::with_args(&sql, args.0).fetch_all(&mut *conn).await?;
    rows.iter().map(PactPublication::from_row).collect()
}

/// For each branch of each consumer of the provider, the publication of the branch's latest
/// version that has a pact with the provider; with the branch name.
pub async fn branch_heads(
    conn: &mut Conn,
    provider_id: i64,
) -> StorageResult<Vec<(PactPublication, String)>> {
    heads(conn, provider_id, HeadKind::Branch).await
}

/// For each tag of each consumer of the provider, the publication of the latest version with
/// that tag that has a pact with the provider; with the tag name.
pub async fn tag_heads(conn: &mut Conn, provider_id: i64) -> StorageResult<Vec<(PactPublication, String)>> {
    heads(conn, provider_id, HeadKind::Tag).await
}

enum HeadKind {
    Branch,
    Tag,
}

async fn heads(
    conn: &mut Conn,
    provider_id: i64,
    kind: HeadKind,
) -> StorageResult<Vec<(PactPublication, String)>> {
    let (join, head) = match kind {
        HeadKind::Branch => (
            "JOIN branch_versions bv ON bv.version_id = pp.consumer_version_id JOIN branches br ON br.id = bv.branch_id",
            "pp.consumer_version_id = (SELECT MAX(pp2.consumer_version_id) FROM pact_publications pp2 \
             JOIN branch_versions bv2 ON bv2.version_id = pp2.consumer_version_id \
             WHERE bv2.branch_id = br.id AND pp2.provider_id = pp.provider_id)",
        ),
        HeadKind::Tag => (
            "JOIN tags br ON br.version_id = pp.consumer_version_id",
            "pp.consumer_version_id = (SELECT MAX(pp2.consumer_version_id) FROM pact_publications pp2 \
             JOIN tags t2 ON t2.version_id = pp2.consumer_version_id \
             WHERE t2.name = br.name AND pp2.consumer_id = pp.consumer_id AND pp2.provider_id = pp.provider_id)",
        ),
    };
    let sql = format!(
        "SELECT {}, br.name AS head_name FROM {} {join} WHERE pp.provider_id = $1 AND {head} \
         ORDER BY c.name, pp.consumer_version_id",
        PactPublication::COLUMNS,
        PactPublication::FROM
    );
    let rows = db::query(&sql).bind(provider_id).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| Ok((PactPublication::from_row(row)?, row.try_get::<String, _>("head_name")?)))
        .collect()
}

/// Every publication of every pair whose consumer version is the latest with a pact for that
/// pair (`GET /pacts/latest`).
pub async fn latest_of_every_pair(conn: &mut Conn) -> StorageResult<Vec<PactPublication>> {
    publications(conn, &PublicationQuery::all().latest(true)).await
}

/// The publications whose content is `pact_version_id`, newest consumer version first.
pub async fn publications_of_content(
    conn: &mut Conn,
    pact_version_id: i64,
) -> StorageResult<Vec<PactPublication>> {
    let sql = format!(
        "SELECT {} FROM {} WHERE pp.pact_version_id = $1 ORDER BY pp.consumer_version_id DESC",
        PactPublication::COLUMNS,
        PactPublication::FROM
    );
    let rows = db::query(&sql).bind(pact_version_id).fetch_all(&mut *conn).await?;
    rows.iter().map(PactPublication::from_row).collect()
}
