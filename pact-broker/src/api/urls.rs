//! The hrefs of the broker's resources, built from a [`BaseUrl`] with every name encoded.

use crate::hal::BaseUrl;

/// `/pacticipants/{p}`.
pub fn pacticipant(base: &BaseUrl, p: &str) -> String {
    base.href(&["pacticipants", p])
}

/// `/pacticipants/{p}/versions/{v}`.
pub fn version(base: &BaseUrl, p: &str, v: &str) -> String {
    base.href(&["pacticipants", p, "versions", v])
}

/// `/pacticipants/{p}/versions/{v}/tags/{t}`.
pub fn tag(base: &BaseUrl, p: &str, v: &str, t: &str) -> String {
    base.href(&["pacticipants", p, "versions", v, "tags", t])
}

/// `/pacticipants/{p}/branches/{b}`.
pub fn branch(base: &BaseUrl, p: &str, b: &str) -> String {
    base.href(&["pacticipants", p, "branches", b])
}

/// `/pacticipants/{p}/branches/{b}/versions/{v}`.
pub fn branch_version(base: &BaseUrl, p: &str, b: &str, v: &str) -> String {
    base.href(&["pacticipants", p, "branches", b, "versions", v])
}

/// `/pacts/provider/{p}/consumer/{c}/version/{v}`.
pub fn pact(base: &BaseUrl, provider: &str, consumer: &str, version: &str) -> String {
    base.href(&["pacts", "provider", provider, "consumer", consumer, "version", version])
}

/// `/pacts/provider/{p}/consumer/{c}` followed by `rest`.
pub fn pair(base: &BaseUrl, provider: &str, consumer: &str, rest: &[&str]) -> String {
    let mut segments = vec!["pacts", "provider", provider, "consumer", consumer];
    segments.extend_from_slice(rest);
    base.href(&segments)
}

/// `/pacts/provider/{p}/consumer/{c}/pact-version/{sha}[/metadata/{m}]`.
pub fn pact_version(
    base: &BaseUrl,
    provider: &str,
    consumer: &str,
    sha: &str,
    metadata: Option<&str>,
) -> String {
    match metadata {
        Some(m) => pair(base, provider, consumer, &["pact-version", sha, "metadata", m]),
        None => pair(base, provider, consumer, &["pact-version", sha]),
    }
}

/// Where verification results of the content are published (keeping the metadata).
pub fn publish_verification(
    base: &BaseUrl,
    provider: &str,
    consumer: &str,
    sha: &str,
    metadata: Option<&str>,
) -> String {
    match metadata {
        Some(m) => {
            pair(base, provider, consumer, &["pact-version", sha, "metadata", m, "verification-results"])
        }
        None => pair(base, provider, consumer, &["pact-version", sha, "verification-results"]),
    }
}

/// `/pacts/provider/{p}/consumer/{c}/pact-version/{sha}/verification-results/{n}`.
pub fn verification(base: &BaseUrl, provider: &str, consumer: &str, sha: &str, number: i64) -> String {
    pair(base, provider, consumer, &["pact-version", sha, "verification-results", &number.to_string()])
}

/// `/environments/{uuid}`.
pub fn environment(base: &BaseUrl, uuid: &str) -> String {
    base.href(&["environments", uuid])
}

/// `/deployed-versions/{uuid}`.
pub fn deployed_version(base: &BaseUrl, uuid: &str) -> String {
    base.href(&["deployed-versions", uuid])
}

/// `/released-versions/{uuid}`.
pub fn released_version(base: &BaseUrl, uuid: &str) -> String {
    base.href(&["released-versions", uuid])
}

/// `/matrix?q[][pacticipant]={c}&q[][version]={v}&latestby=cvpv`.
pub fn matrix_for_consumer_version(base: &BaseUrl, consumer: &str, version: &str) -> String {
    base.href_with_query(
        &["matrix"],
        &[("q[][pacticipant]", consumer), ("q[][version]", version), ("latestby", "cvpv")],
    )
}
