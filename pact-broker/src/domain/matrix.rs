//! The matrix and can-i-deploy: which verification results connect the versions a query names,
//! and whether those versions can be deployed together.
//!
//! With one selector (the can-i-deploy form) the broker finds every integration of the
//! pacticipant and infers the other side from the target: the versions currently in the
//! environment, the latest version with the tag, the latest of the main branch, or any version.
//! With several selectors, it connects the selected versions with each other. Each pact of a
//! selected consumer version gives one row per matching verification, or one row without a
//! verification. `latestby` keeps only the newest verification per consumer version and
//! provider (`cvp`) or per consumer version and provider version (`cvpv`).
//!
//! Deployable is `false` when a named version does not exist or a verification failed, `null`
//! (unknown) when a required pact has no verification, `true` otherwise.

use std::collections::{BTreeSet, HashSet};

use crate::storage::matrix::{self as rows, MatrixRow, RowQuery};
use crate::storage::{environments, pacticipants, versions, Conn, Pacticipant, Version};

/// One `q[]` group: a pacticipant and which of its versions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnresolvedSelector {
    /// `pacticipant`.
    pub pacticipant: String,
    /// `version`.
    pub version: Option<String>,
    /// `latest=true`.
    pub latest: bool,
    /// `tag`.
    pub tag: Option<String>,
    /// `branch`.
    pub branch: Option<String>,
    /// `mainBranch=true`.
    pub main_branch: bool,
    /// `environment`.
    pub environment: Option<String>,
}

impl UnresolvedSelector {
    fn only_name(&self) -> bool {
        self.version.is_none()
            && !self.latest
            && self.tag.is_none()
            && self.branch.is_none()
            && !self.main_branch
            && self.environment.is_none()
    }
}

/// Where the versions are to be deployed (with a single selector).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Nowhere in particular: any version of the other side.
    None,
    /// The latest versions with this tag (`latest=true&tag=prod`).
    Tag(String),
    /// The versions currently deployed or released in this environment.
    Environment(String),
    /// The latest versions of the main branches (`mainBranch=true`, can-i-merge).
    MainBranch,
}

/// Which verification of several to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LatestBy {
    /// The newest per consumer version and provider.
    Cvp,
    /// The newest per consumer version and provider version.
    Cvpv,
}

/// `ignore[]`: integrations to leave out of the verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreSelector {
    /// The pacticipant.
    pub pacticipant: String,
    /// Only this version of it.
    pub version: Option<String>,
}

/// A matrix query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The `q[]` selectors.
    pub selectors: Vec<UnresolvedSelector>,
    /// The target (single-selector queries).
    pub target: Target,
    /// `latestby`.
    pub latest_by: Option<LatestBy>,
    /// `ignore[]`.
    pub ignore: Vec<IgnoreSelector>,
    /// `limit` (at most this many rows are read).
    pub limit: i64,
}

/// A selector with its pacticipant and versions looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedSelector {
    /// What was asked for (for inferred selectors, the target as a selector).
    pub original: UnresolvedSelector,
    /// The pacticipant, if it exists.
    pub pacticipant: Option<Pacticipant>,
    /// The versions it stands for; `None` for "any version".
    pub versions: Option<Vec<Version>>,
}

impl ResolvedSelector {
    fn version_ids(&self) -> Option<Vec<i64>> {
        self.versions.as_ref().map(|vs| vs.iter().map(|v| v.id).collect())
    }

    /// A specified version (or tag, branch...) matched no version.
    pub fn version_does_not_exist(&self) -> bool {
        self.pacticipant.is_none() || self.versions.as_ref().is_some_and(Vec::is_empty)
    }

    /// The official broker's sentence for a missing version.
    pub fn version_does_not_exist_description(&self) -> String {
        let o = &self.original;
        let name = &o.pacticipant;
        if let Some(tag) = &o.tag {
            format!("No version with tag {tag} exists for {name}")
        } else if let Some(branch) = &o.branch {
            format!("No version of {name} from branch {branch} exists")
        } else if o.main_branch {
            format!("No version of {name} from the main branch exists")
        } else if let Some(env) = &o.environment {
            format!("No version of {name} is currently recorded as deployed or released in environment {env}")
        } else if let Some(version) = &o.version {
            format!("No pacts or verifications have been published for version {version} of {name}")
        } else {
            format!("No pacts or verifications have been published for {name}")
        }
    }

    /// The official broker's description of the selector, for the version `number` of a row
    /// (`None`: the selector as a whole).
    pub fn description(&self, number: Option<&str>) -> String {
        let o = &self.original;
        let name = &o.pacticipant;
        let number = number.map(str::to_string).or_else(|| match &self.versions {
            Some(vs) if vs.len() == 1 => Some(vs[0].number.clone()),
            _ => None,
        });
        let one_of_many = self.versions.as_ref().is_some_and(|vs| vs.len() > 1);
        if self.pacticipant.is_none() {
            return format!("any version of {name} (no such pacticipant exists)");
        }
        match (&number, o) {
            (Some(v), o) if o.latest && o.tag.is_some() => {
                format!("the latest version of {name} with tag {} ({v})", o.tag.as_deref().unwrap_or(""))
            }
            (None, o) if o.latest && o.tag.is_some() => {
                format!("the latest version of {name} with tag {} (no such version exists)", o.tag.as_deref().unwrap_or(""))
            }
            (None, o) if o.main_branch => {
                format!("the latest version of {name} from the main branch (no versions exist for this branch)")
            }
            (Some(v), o) if o.main_branch => format!("the latest version of {name} from the main branch ({v})"),
            (Some(v), o) if o.branch.is_some() && o.latest => {
                format!("the latest version of {name} from branch {} ({v})", o.branch.as_deref().unwrap_or(""))
            }
            (None, o) if o.branch.is_some() && o.latest => format!(
                "the latest version of {name} from branch {} (no such version exists)",
                o.branch.as_deref().unwrap_or("")
            ),
            (Some(v), o) if o.branch.is_some() => format!(
                "{}of {name} from branch {} ({v})",
                if one_of_many { "one of the versions " } else { "the version " },
                o.branch.as_deref().unwrap_or("")
            ),
            (None, o) if o.branch.is_some() => {
                format!("a version of {name} from branch {} (no such version exists)", o.branch.as_deref().unwrap_or(""))
            }
            (Some(v), o) if o.latest => format!("the latest version of {name} ({v})"),
            (None, o) if o.latest => format!("the latest version of {name} (no such version exists)"),
            (Some(v), o) if o.tag.is_some() => {
                format!("a version of {name} with tag {} ({v})", o.tag.as_deref().unwrap_or(""))
            }
            (None, o) if o.tag.is_some() => {
                format!("a version of {name} with tag {} (no such version exists)", o.tag.as_deref().unwrap_or(""))
            }
            (Some(v), o) if o.environment.is_some() => format!(
                "{} of {name} currently in {} ({v})",
                if one_of_many { "one of the versions" } else { "the version" },
                o.environment.as_deref().unwrap_or("")
            ),
            (None, o) if o.environment.is_some() => format!(
                "a version of {name} currently in {} (no version is currently recorded as deployed/released in this environment)",
                o.environment.as_deref().unwrap_or("")
            ),
            (Some(v), _) if self.version_does_not_exist() => format!("version {v} of {name} (no such version exists)"),
            (Some(v), _) => format!("version {v} of {name}"),
            (None, o) if o.version.is_some() && self.version_does_not_exist() => format!(
                "version {} of {name} (no such version exists)",
                o.version.as_deref().unwrap_or("")
            ),
            (None, _) => format!("any version of {name}"),
        }
    }
}

/// One row of the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The pact and its verification.
    pub row: MatrixRow,
    /// Left out of the verdict by an `ignore[]` selector.
    pub ignored: bool,
    /// How the consumer side of the row is described in reasons.
    pub consumer_description: String,
    /// How the provider side is described.
    pub provider_description: String,
}

impl Row {
    /// The verification's verdict: `None` when there is no verification.
    pub fn success(&self) -> Option<bool> {
        self.row.verification.as_ref().map(|v| v.success)
    }
}

/// The kind of a reason, which is the notice's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonKind {
    /// Deployable.
    Success,
    /// A warning.
    Warning,
    /// Why it is not deployable.
    Error,
}

impl ReasonKind {
    /// The notice type.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonKind::Success => "success",
            ReasonKind::Warning => "warning",
            ReasonKind::Error => "error",
        }
    }
}

/// The answer to a matrix query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The rows (considered ones first, then ignored ones).
    pub rows: Vec<Row>,
    /// `true`, `false`, or `None` for unknown.
    pub deployable: Option<bool>,
    /// The reasons, in order.
    pub reasons: Vec<(ReasonKind, String)>,
    /// Considered rows with a successful verification.
    pub success: usize,
    /// Considered rows with a failed verification.
    pub failed: usize,
    /// Considered rows without a verification.
    pub unknown: usize,
    /// Ignored rows, when `ignore[]` was given.
    pub ignored: Option<usize>,
}

impl Answer {
    /// All reasons joined by newlines (`summary.reason`).
    pub fn reason(&self) -> String {
        self.reasons.iter().map(|(_, r)| r.as_str()).collect::<Vec<_>>().join("\n")
    }
}

/// Why a query could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A selector or option is invalid; messages for the `errors` array.
    #[error("{}", .0.join(", "))]
    Invalid(Vec<String>),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] crate::storage::StorageError),
}

async fn resolve(conn: &mut Conn, s: &UnresolvedSelector) -> Result<ResolvedSelector, Error> {
    let pacticipant = pacticipants::find(conn, &s.pacticipant).await?;
    let Some(p) = &pacticipant else {
        return Ok(ResolvedSelector { original: s.clone(), pacticipant: None, versions: Some(Vec::new()) });
    };
    let versions = resolve_versions(conn, p, s).await?;
    Ok(ResolvedSelector { original: s.clone(), pacticipant, versions })
}

async fn resolve_versions(
    conn: &mut Conn,
    p: &Pacticipant,
    s: &UnresolvedSelector,
) -> Result<Option<Vec<Version>>, Error> {
    if let Some(number) = &s.version {
        return Ok(Some(versions::find(conn, p.id, number).await?.into_iter().collect()));
    }
    if let Some(env) = &s.environment {
        let Some(environment) = environments::find_by_name(conn, env).await? else {
            return Err(Error::Invalid(vec![format!("Environment with name '{env}' does not exist")]));
        };
        let mut found = Vec::new();
        for id in environments::current_version_ids(conn, p.id, environment.id).await? {
            found.extend(versions::find_by_id(conn, id).await?);
        }
        return Ok(Some(found));
    }
    if s.main_branch {
        return Ok(Some(match &p.main_branch {
            Some(main) => versions::latest(conn, p.id, None, Some(main)).await?.into_iter().collect(),
            None => Vec::new(),
        }));
    }
    if let Some(branch) = &s.branch {
        if s.latest {
            return Ok(Some(versions::latest(conn, p.id, None, Some(branch)).await?.into_iter().collect()));
        }
        let (all, _) = versions::list(conn, p.id, versions::VersionFilter::Branch(branch), 0, 1000).await?;
        return Ok(Some(all));
    }
    if let Some(tag) = &s.tag {
        if s.latest {
            return Ok(Some(versions::latest(conn, p.id, Some(tag), None).await?.into_iter().collect()));
        }
        let (all, _) = versions::list(conn, p.id, versions::VersionFilter::Tag(tag), 0, 1000).await?;
        return Ok(Some(all));
    }
    if s.latest {
        return Ok(Some(versions::latest(conn, p.id, None, None).await?.into_iter().collect()));
    }
    Ok(None)
}

/// The selector standing for the other side of an integration, from the target.
async fn infer(conn: &mut Conn, other: &Pacticipant, target: &Target) -> Result<ResolvedSelector, Error> {
    let original = match target {
        Target::None => UnresolvedSelector { pacticipant: other.name.clone(), ..Default::default() },
        Target::Tag(tag) => UnresolvedSelector {
            pacticipant: other.name.clone(),
            tag: Some(tag.clone()),
            latest: true,
            ..Default::default()
        },
        Target::Environment(env) => UnresolvedSelector {
            pacticipant: other.name.clone(),
            environment: Some(env.clone()),
            ..Default::default()
        },
        Target::MainBranch => UnresolvedSelector {
            pacticipant: other.name.clone(),
            main_branch: true,
            latest: true,
            ..Default::default()
        },
    };
    let versions = resolve_versions(conn, other, &original).await?;
    Ok(ResolvedSelector { original, pacticipant: Some(other.clone()), versions })
}

/// Runs a matrix query.
///
/// # Errors
///
/// An invalid query (unknown environment, no selector) or a database failure.
pub async fn query(conn: &mut Conn, query: &Query) -> Result<Answer, Error> {
    if query.selectors.is_empty() {
        return Err(Error::Invalid(vec!["Please provide 1 or more version selectors.".into()]));
    }
    if let Target::Environment(env) = &query.target {
        if environments::find_by_name(conn, env).await?.is_none() {
            return Err(Error::Invalid(vec![format!("Environment with name '{env}' does not exist")]));
        }
    }
    let mut specified = Vec::new();
    for s in &query.selectors {
        specified.push(resolve(conn, s).await?);
    }
    let mut found: Vec<(MatrixRow, String, String)> = Vec::new();
    let describe = |sel: &ResolvedSelector, number: Option<&str>| sel.description(number);

    if specified.len() == 1 {
        let selector = &specified[0];
        if let (Some(p), false) = (&selector.pacticipant, selector.version_does_not_exist()) {
            for (consumer_id, provider_id) in rows::integrations_of(conn, p.id).await? {
                if consumer_id == p.id && provider_id != p.id {
                    let Some(other) = pacticipants::find_by_id(conn, provider_id).await? else { continue };
                    let inferred = infer(conn, &other, &query.target).await?;
                    let mut rq = RowQuery {
                        consumer_id: Some(p.id),
                        provider_id: Some(provider_id),
                        consumer_version_ids: selector.version_ids(),
                        provider_version_ids: inferred.version_ids(),
                        limit: Some(query.limit),
                        ..Default::default()
                    };
                    if query.target == Target::None {
                        rq.provider_version_ids = None;
                    }
                    for row in rows::rows(conn, &rq).await? {
                        let c = describe(selector, Some(&row.publication.consumer_version_number));
                        let pv = row.verification.as_ref().map(|v| v.provider_version_number.clone());
                        let d = describe(&inferred, pv.as_deref());
                        found.push((row, c, d));
                    }
                }
                if provider_id == p.id && consumer_id != p.id {
                    let Some(other) = pacticipants::find_by_id(conn, consumer_id).await? else { continue };
                    let inferred = infer(conn, &other, &query.target).await?;
                    let rq = RowQuery {
                        consumer_id: Some(consumer_id),
                        provider_id: Some(p.id),
                        consumer_version_ids: if query.target == Target::None {
                            None
                        } else {
                            inferred.version_ids()
                        },
                        provider_version_ids: selector.version_ids(),
                        verified_only: query.target == Target::None,
                        limit: Some(query.limit),
                    };
                    for row in rows::rows(conn, &rq).await? {
                        let c = describe(&inferred, Some(&row.publication.consumer_version_number));
                        let pv = row.verification.as_ref().map(|v| v.provider_version_number.clone());
                        let d = match &pv {
                            Some(n) => describe(selector, Some(n)),
                            None => describe(selector, None),
                        };
                        found.push((row, c, d));
                    }
                }
            }
        }
    } else {
        for (i, consumer_sel) in specified.iter().enumerate() {
            for (j, provider_sel) in specified.iter().enumerate() {
                if i == j || consumer_sel.version_does_not_exist() || provider_sel.version_does_not_exist() {
                    continue;
                }
                let (Some(c), Some(p)) = (&consumer_sel.pacticipant, &provider_sel.pacticipant) else {
                    continue;
                };
                let rq = RowQuery {
                    consumer_id: Some(c.id),
                    provider_id: Some(p.id),
                    consumer_version_ids: consumer_sel.version_ids(),
                    provider_version_ids: provider_sel.version_ids(),
                    limit: Some(query.limit),
                    ..Default::default()
                };
                for row in rows::rows(conn, &rq).await? {
                    let cd = describe(consumer_sel, Some(&row.publication.consumer_version_number));
                    let pv = row.verification.as_ref().map(|v| v.provider_version_number.clone());
                    let pd = describe(provider_sel, pv.as_deref());
                    found.push((row, cd, pd));
                }
            }
        }
    }

    let found = latest_by(found, query.latest_by);

    // Ignore selectors.
    let mut ignore_warnings = Vec::new();
    let mut ignore_rules: Vec<(String, Option<String>)> = Vec::new();
    for ig in &query.ignore {
        let exists = match pacticipants::find(conn, &ig.pacticipant).await? {
            None => false,
            Some(p) => match &ig.version {
                Some(v) => versions::find(conn, p.id, v).await?.is_some(),
                None => true,
            },
        };
        if !exists {
            let what = match &ig.version {
                Some(v) => format!("version {v} of {} (no such version exists)", ig.pacticipant),
                None => format!("any version of {} (no such pacticipant exists)", ig.pacticipant),
            };
            ignore_warnings.push(format!("WARN: Cannot ignore {what}"));
        }
        ignore_rules.push((ig.pacticipant.clone(), ig.version.clone()));
    }
    let matches_ignore = |name: &str, number: Option<&str>| {
        ignore_rules.iter().any(|(n, v)| n == name && v.as_deref().is_none_or(|v| Some(v) == number))
    };
    let specified_names: HashSet<&str> = specified.iter().map(|s| s.original.pacticipant.as_str()).collect();
    let mut rows_out: Vec<Row> = found
        .into_iter()
        .map(|(row, consumer_description, provider_description)| {
            let p = &row.publication;
            let provider_number = row.verification.as_ref().map(|v| v.provider_version_number.as_str());
            let ignored = (!specified_names.contains(p.consumer_name.as_str())
                && matches_ignore(&p.consumer_name, Some(&p.consumer_version_number)))
                || (!specified_names.contains(p.provider_name.as_str())
                    && matches_ignore(&p.provider_name, provider_number));
            Row { row, ignored, consumer_description, provider_description }
        })
        .collect();
    rows_out.sort_by_key(|r| r.ignored);

    let considered: Vec<&Row> = rows_out.iter().filter(|r| !r.ignored).collect();
    let success = considered.iter().filter(|r| r.success() == Some(true)).count();
    let failed = considered.iter().filter(|r| r.success() == Some(false)).count();
    let unknown = considered.iter().filter(|r| r.success().is_none()).count();
    let ignored_count = rows_out.len() - considered.len();

    let mut errors: Vec<String> = specified
        .iter()
        .filter(|s| s.version_does_not_exist())
        .map(ResolvedSelector::version_does_not_exist_description)
        .collect();
    let missing_version = !errors.is_empty();
    if errors.is_empty() {
        for r in considered.iter().filter(|r| r.success() == Some(false)) {
            errors.push(format!(
                "The verification for the pact between {} and {} failed",
                r.consumer_description, r.provider_description
            ));
        }
        for r in considered.iter().filter(|r| r.success().is_none()) {
            errors.push(format!(
                "There is no verified pact between {} and {}",
                r.consumer_description, r.provider_description
            ));
        }
    }
    let mut unique = BTreeSet::new();
    errors.retain(|e| unique.insert(e.clone()));

    let mut warnings = ignore_warnings;
    if specified.len() == 1 && query.target == Target::None {
        warnings.push(
            "WARN: It is recommended to specify the environment into which you are deploying. Without the environment, \
             this result will not be reliable."
                .into(),
        );
    }
    let version_specified = query.selectors.iter().any(|s| s.version.is_some());
    let any_beyond_name = query.selectors.iter().any(|s| !s.only_name());
    if any_beyond_name && !version_specified {
        warnings.push(
            "WARN: It is recommended to specify the version number (rather than the tag or branch) of the pacticipant \
             you wish to deploy to avoid race conditions. Without a version number, this result will not be reliable."
                .into(),
        );
    }

    let deployable = if missing_version || failed > 0 {
        Some(false)
    } else if unknown > 0 {
        None
    } else {
        Some(true)
    };

    let mut reasons: Vec<(ReasonKind, String)> =
        warnings.into_iter().map(|w| (ReasonKind::Warning, w)).collect();
    if errors.is_empty() {
        let text = if considered.is_empty() {
            "There are no missing dependencies"
        } else {
            "All required verification results are published and successful"
        };
        reasons.push((ReasonKind::Success, text.into()));
    } else {
        reasons.extend(errors.into_iter().map(|e| (ReasonKind::Error, e)));
    }
    Ok(Answer {
        rows: rows_out,
        deployable,
        reasons,
        success,
        failed,
        unknown,
        ignored: if query.ignore.is_empty() { None } else { Some(ignored_count) },
    })
}

fn latest_by(
    found: Vec<(MatrixRow, String, String)>,
    by: Option<LatestBy>,
) -> Vec<(MatrixRow, String, String)> {
    let Some(by) = by else { return found };
    // Rows come newest verification first within each consumer version, so the first of each
    // key is the one to keep.
    let mut seen = HashSet::new();
    found
        .into_iter()
        .filter(|(row, _, _)| {
            let p = &row.publication;
            let provider_version = row.verification.as_ref().map(|v| v.provider_version_id);
            let key = match by {
                LatestBy::Cvp => (p.consumer_version_id, p.provider_id, None),
                LatestBy::Cvpv => (p.consumer_version_id, p.provider_id, provider_version),
            };
            seen.insert(key)
        })
        .collect()
}
