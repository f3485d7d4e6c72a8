//! The rows the repositories return, and how they are read from a query result.

use super::db::{FromValue, Row};
use super::StorageResult;

pub(crate) fn get<T: FromValue>(row: &Row, column: &str) -> StorageResult<T> {
    row.try_get::<T, _>(column)
}

pub(crate) fn get_bool(row: &Row, column: &str) -> StorageResult<bool> {
    Ok(get::<i64>(row, column)? != 0)
}

pub(crate) fn get_opt_bool(row: &Row, column: &str) -> StorageResult<Option<bool>> {
    Ok(get::<Option<i64>>(row, column)?.map(|v| v != 0))
}

/// An application or service taking part in contracts: a consumer, a provider or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pacticipant {
    /// Row id.
    pub id: i64,
    /// The name, exactly as given.
    pub name: String,
    /// A display name.
    pub display_name: Option<String>,
    /// The main branch (set explicitly, or detected from `develop`, `main`, `master`).
    pub main_branch: Option<String>,
    /// Repository URL.
    pub repository_url: Option<String>,
    /// Repository name.
    pub repository_name: Option<String>,
    /// Repository namespace.
    pub repository_namespace: Option<String>,
    /// When it was created.
    pub created_at: String,
    /// When it was last changed.
    pub updated_at: String,
}

impl Pacticipant {
    pub(crate) const COLUMNS: &'static str =
        "p.id, p.name, p.display_name, p.main_branch, p.repository_url, \
         p.repository_name, p.repository_namespace, p.created_at, p.updated_at";

    pub(crate) fn from_row(row: &Row) -> StorageResult<Self> {
        Ok(Pacticipant {
            id: get(row, "id")?,
            name: get(row, "name")?,
            display_name: get(row, "display_name")?,
            main_branch: get(row, "main_branch")?,
            repository_url: get(row, "repository_url")?,
            repository_name: get(row, "repository_name")?,
            repository_namespace: get(row, "repository_namespace")?,
            created_at: get(row, "created_at")?,
            updated_at: get(row, "updated_at")?,
        })
    }
}

/// A version of a pacticipant (a consumer or provider build).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Row id; versions are ordered by it (creation order).
    pub id: i64,
    /// The pacticipant's id.
    pub pacticipant_id: i64,
    /// The pacticipant's name.
    pub pacticipant_name: String,
    /// The version number, exactly as given.
    pub number: String,
    /// The CI build that made it.
    pub build_url: Option<String>,
    /// When it was created.
    pub created_at: String,
    /// When it was last changed.
    pub updated_at: String,
}

impl Version {
    pub(crate) const COLUMNS: &'static str = "v.id, v.pacticipant_id, p.name AS pacticipant_name, v.number, \
         v.build_url, v.created_at, v.updated_at";
    pub(crate) const FROM: &'static str = "versions v JOIN pacticipants p ON p.id = v.pacticipant_id";

    pub(crate) fn from_row(row: &Row) -> StorageResult<Self> {
        Ok(Version {
            id: get(row, "id")?,
            pacticipant_id: get(row, "pacticipant_id")?,
            pacticipant_name: get(row, "pacticipant_name")?,
            number: get(row, "number")?,
            build_url: get(row, "build_url")?,
            created_at: get(row, "created_at")?,
            updated_at: get(row, "updated_at")?,
        })
    }
}

/// A tag on a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The tag's name.
    pub name: String,
    /// The tagged version's id.
    pub version_id: i64,
    /// The tagged version's number.
    pub version_number: String,
    /// The pacticipant's name.
    pub pacticipant_name: String,
    /// Whether this version is the latest of the pacticipant with this tag.
    pub latest: bool,
    /// When it was created.
    pub created_at: String,
}

/// A branch of a pacticipant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// Row id.
    pub id: i64,
    /// The pacticipant's id.
    pub pacticipant_id: i64,
    /// The pacticipant's name.
    pub pacticipant_name: String,
    /// The branch name.
    pub name: String,
    /// When it was created.
    pub created_at: String,
}

/// A version's membership of a branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchVersion {
    /// The branch.
    pub branch: Branch,
    /// The version's id.
    pub version_id: i64,
    /// The version's number.
    pub version_number: String,
    /// Whether this is the latest version of the branch.
    pub latest: bool,
    /// When the version was added to the branch.
    pub created_at: String,
}

/// The content of a pact, stored once per distinct content (per consumer/provider pair).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PactVersion {
    /// Row id.
    pub id: i64,
    /// The content hash.
    pub sha: String,
    /// The content (canonical JSON).
    pub content: String,
    /// When this content was first published.
    pub created_at: String,
}

/// The pact a consumer version has with a provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PactPublication {
    /// Row id.
    pub id: i64,
    /// Consumer id.
    pub consumer_id: i64,
    /// Consumer name.
    pub consumer_name: String,
    /// Provider id.
    pub provider_id: i64,
    /// Provider name.
    pub provider_name: String,
    /// Consumer version id.
    pub consumer_version_id: i64,
    /// Consumer version number.
    pub consumer_version_number: String,
    /// The content's id.
    pub pact_version_id: i64,
    /// The content hash.
    pub sha: String,
    /// How many times the content of this publication was replaced, plus one.
    pub revision: i64,
    /// When it was first published.
    pub created_at: String,
    /// When it was last changed.
    pub updated_at: String,
}

macro_rules! publication_joins {
    () => {
        " JOIN pacticipants c ON c.id = pp.consumer_id \
         JOIN pacticipants pr ON pr.id = pp.provider_id \
         JOIN versions cv ON cv.id = pp.consumer_version_id \
         JOIN pact_versions pv ON pv.id = pp.pact_version_id"
    };
}

impl PactPublication {
    pub(crate) const COLUMNS: &'static str =
        "pp.id, pp.consumer_id, c.name AS consumer_name, pp.provider_id, \
         pr.name AS provider_name, pp.consumer_version_id, cv.number AS consumer_version_number, \
         pp.pact_version_id, pv.sha, pp.revision, pp.created_at, pp.updated_at";
    pub(crate) const FROM: &'static str = concat!("pact_publications pp", publication_joins!());
    /// What [`Self::COLUMNS`] needs joined to publications aliased `pp`.
    pub(crate) const JOINS: &'static str = publication_joins!();

    pub(crate) fn from_row(row: &Row) -> StorageResult<Self> {
        Ok(PactPublication {
            id: get(row, "id")?,
            consumer_id: get(row, "consumer_id")?,
            consumer_name: get(row, "consumer_name")?,
            provider_id: get(row, "provider_id")?,
            provider_name: get(row, "provider_name")?,
            consumer_version_id: get(row, "consumer_version_id")?,
            consumer_version_number: get(row, "consumer_version_number")?,
            pact_version_id: get(row, "pact_version_id")?,
            sha: get(row, "sha")?,
            revision: get(row, "revision")?,
            created_at: get(row, "created_at")?,
            updated_at: get(row, "updated_at")?,
        })
    }
}

/// A verification result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Row id, which is also the verification number.
    pub id: i64,
    /// The verified content's id.
    pub pact_version_id: i64,
    /// The verified content's hash.
    pub sha: String,
    /// Consumer name.
    pub consumer_name: String,
    /// Provider name.
    pub provider_name: String,
    /// The provider version's id.
    pub provider_version_id: i64,
    /// The provider version's number.
    pub provider_version_number: String,
    /// Whether verification passed.
    pub success: bool,
    /// The CI build.
    pub build_url: Option<String>,
    /// `testResults` as JSON text.
    pub test_results: Option<String>,
    /// `verifiedBy` as JSON text.
    pub verified_by: Option<String>,
    /// Whether the pact was pending for this verification (from the pact URL's metadata).
    pub pending: Option<bool>,
    /// Whether the pact was work in progress for this verification.
    pub wip: bool,
    /// When it was published.
    pub created_at: String,
}

impl Verification {
    pub(crate) const COLUMNS: &'static str = "ve.id, ve.pact_version_id, pv.sha, c.name AS consumer_name, \
         pr.name AS provider_name, ve.provider_version_id, prv.number AS provider_version_number, ve.success, \
         ve.build_url, ve.test_results, ve.verified_by, ve.pending, ve.wip, ve.created_at";
    pub(crate) const FROM: &'static str = "verifications ve \
         JOIN pact_versions pv ON pv.id = ve.pact_version_id \
         JOIN pacticipants c ON c.id = pv.consumer_id \
         JOIN pacticipants pr ON pr.id = pv.provider_id \
         JOIN versions prv ON prv.id = ve.provider_version_id";

    pub(crate) fn from_row(row: &Row) -> StorageResult<Self> {
        Ok(Verification {
            id: get(row, "id")?,
            pact_version_id: get(row, "pact_version_id")?,
            sha: get(row, "sha")?,
            consumer_name: get(row, "consumer_name")?,
            provider_name: get(row, "provider_name")?,
            provider_version_id: get(row, "provider_version_id")?,
            provider_version_number: get(row, "provider_version_number")?,
            success: get_bool(row, "success")?,
            build_url: get(row, "build_url")?,
            test_results: get(row, "test_results")?,
            verified_by: get(row, "verified_by")?,
            pending: get_opt_bool(row, "pending")?,
            wip: get_bool(row, "wip")?,
            created_at: get(row, "created_at")?,
        })
    }
}

/// A deployment environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// Row id.
    pub id: i64,
    /// Public identifier.
    pub uuid: String,
    /// Unique name (no spaces).
    pub name: String,
    /// Display name.
    pub display_name: Option<String>,
    /// Whether it is a production environment.
    pub production: bool,
    /// `contacts` as JSON text.
    pub contacts: Option<String>,
    /// When it was created.
    pub created_at: String,
    /// When it was last changed.
    pub updated_at: String,
}

impl Environment {
    pub(crate) const COLUMNS: &'static str =
        "e.id, e.uuid, e.name, e.display_name, e.production, e.contacts, e.created_at, e.updated_at";

    pub(crate) fn from_row(row: &Row) -> StorageResult<Self> {
        Ok(Environment {
            id: get(row, "id")?,
            uuid: get(row, "uuid")?,
            name: get(row, "name")?,
            display_name: get(row, "display_name")?,
            production: get_bool(row, "production")?,
            contacts: get(row, "contacts")?,
            created_at: get(row, "created_at")?,
            updated_at: get(row, "updated_at")?,
        })
    }
}

/// A version recorded as deployed to an environment (or released, with `released = true`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    /// Row id.
    pub id: i64,
    /// Public identifier.
    pub uuid: String,
    /// The version.
    pub version_id: i64,
    /// The version number.
    pub version_number: String,
    /// The pacticipant's id.
    pub pacticipant_id: i64,
    /// The pacticipant's name.
    pub pacticipant_name: String,
    /// The environment.
    pub environment: Environment,
    /// The application instance (deployments only).
    pub application_instance: Option<String>,
    /// When it stopped being deployed, or its support ended.
    pub ended_at: Option<String>,
    /// When it was recorded.
    pub created_at: String,
    /// When it was last changed.
    pub updated_at: String,
}

impl Deployment {
    /// Whether it is still deployed (or, for a release, supported).
    pub fn current(&self) -> bool {
        self.ended_at.is_none()
    }
}
