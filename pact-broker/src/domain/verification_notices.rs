//! The texts of pacts for verification, worded as the official broker words them: the short
//! description, and the notices a verifier prints before and after verifying each pact.

use serde_json::{json, Value};

use super::for_verification::{Criterion, Selection, VerifiablePact};

const READ_MORE_PENDING: &str = "Read more at https://docs.pact.io/go/pending";
const READ_MORE_WIP: &str = "Read more at https://docs.pact.io/go/wip";

/// The `shortDescription` (what Pact Go uses as a test name): `latest from branch main, deployed to prod`.
pub fn short_description(pact: &VerifiablePact) -> String {
    let parts: Vec<String> = pact.selections.iter().map(short_selection).collect();
    parts.join(", ")
}

fn short_selection(s: &Selection) -> String {
    match &s.criterion {
        Criterion::OverallLatest => "latest".into(),
        Criterion::LatestForTag { tag, fallback } => {
            format!("latest with tag {}", fallback.as_ref().unwrap_or(tag))
        }
        Criterion::LatestForMainBranch => "latest from main branch".into(),
        Criterion::LatestForBranch { branch, fallback } => {
            format!("latest from branch {}", fallback.as_ref().unwrap_or(branch))
        }
        Criterion::AllForTag { tag } => match &s.consumer {
            Some(c) => format!("one of {c} {tag}"),
            None => format!("one of {tag}"),
        },
        Criterion::Deployed { environment } => format!("deployed to {environment}"),
        Criterion::Released { environment } => format!("released in {environment}"),
    }
}

/// The `name` of the pact's self link: `Pact between Foo (1.0.0) and Bar`.
pub fn pact_name(pact: &VerifiablePact) -> String {
    let p = &pact.publication;
    format!("Pact between {} ({}) and {}", p.consumer_name, p.consumer_version_number, p.provider_name)
}

fn quote_join(items: &[String]) -> String {
    join_unquoted(&items.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>())
}

fn join_unquoted(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn version_label(s: &Selection) -> String {
    match &s.consumer {
        Some(c) => format!("version of {c}"),
        None => "version".into(),
    }
}

fn selection_description(s: &Selection, provider: &str, main_branch: Option<&str>) -> String {
    let text = match &s.criterion {
        Criterion::OverallLatest => format!(
            "latest version of {} that has a pact with {provider}",
            s.consumer.as_deref().unwrap_or("a consumer")
        ),
        Criterion::LatestForTag { tag, fallback: Some(fallback) } => format!(
            "latest {} tagged '{fallback}' (fallback tag used as no pact was found with tag '{tag}')",
            version_label(s)
        ),
        Criterion::LatestForTag { tag, fallback: None } => format!("latest {} tagged '{tag}'", version_label(s)),
        Criterion::LatestForMainBranch => {
            format!("latest {} from the main branch '{}'", version_label(s), main_branch.unwrap_or(""))
        }
        Criterion::LatestForBranch { branch, fallback: Some(fallback) } => format!(
            "latest {} from branch '{fallback}' (fallback branch used as no pact was found from branch '{branch}')",
            version_label(s)
        ),
        Criterion::LatestForBranch { branch, fallback: None } => {
            format!("latest {} from branch '{branch}'", version_label(s))
        }
        Criterion::AllForTag { tag } => match &s.consumer {
            Some(c) => format!("all {c} versions tagged '{tag}'"),
            None => format!("all consumer versions tagged '{tag}'"),
        },
        Criterion::Deployed { environment } | Criterion::Released { environment } => {
            format!("{} version in environment {environment}", s.consumer.as_deref().unwrap_or("a consumer"))
        }
    };
    format!("{text} ({})", s.consumer_version_number)
}

/// The criteria lines of the inclusion notice, deployed and released ones grouped per consumer.
fn criteria_lines(pact: &VerifiablePact) -> Vec<String> {
    let provider = &pact.publication.provider_name;
    let mut lines = Vec::new();
    let mut deployed: Vec<(&Option<String>, String)> = Vec::new();
    let mut released: Vec<(&Option<String>, String)> = Vec::new();
    for s in &pact.selections {
        match &s.criterion {
            Criterion::Deployed { environment } => {
                deployed.push((&s.consumer, format!("{environment} ({})", s.consumer_version_number)))
            }
            Criterion::Released { environment } => {
                released.push((&s.consumer, format!("{environment} ({})", s.consumer_version_number)))
            }
            _ => lines.push(selection_description(s, provider, pact.consumer_main_branch.as_deref())),
        }
    }
    for (group, verb) in [(deployed, "currently deployed to"), (released, "released and supported in")] {
        let mut consumers: Vec<&Option<String>> = group.iter().map(|(c, _)| *c).collect();
        consumers.dedup();
        for consumer in consumers {
            let places: Vec<String> =
                group.iter().filter(|(c, _)| *c == consumer).map(|(_, p)| p.clone()).collect();
            let who = match consumer {
                Some(c) => format!("version(s) of {c}"),
                None => "consumer version(s)".into(),
            };
            lines.push(format!("{who} {verb} {}", join_unquoted(&places)));
        }
    }
    lines
}

fn pending_provider_description(pact: &VerifiablePact, any_or_a: &str) -> String {
    let provider = &pact.publication.provider_name;
    if let Some(branch) = &pact.provider_branch {
        return format!("{any_or_a} version of {provider} from branch '{branch}'");
    }
    match pact.pending_provider_tags.len() {
        0 => provider.clone(),
        1 => format!("{any_or_a} version of {provider} with tag '{}'", pact.pending_provider_tags[0]),
        _ => {
            format!("{any_or_a} versions of {provider} with tag {}", quote_join(&pact.pending_provider_tags))
        }
    }
}

fn non_pending_provider_description(pact: &VerifiablePact) -> String {
    let provider = &pact.publication.provider_name;
    if let Some(branch) = &pact.provider_branch {
        return format!("a version of {provider} from branch '{branch}'");
    }
    match pact.non_pending_provider_tags.len() {
        0 => provider.clone(),
        1 => format!("a version of {provider} with tag '{}'", pact.non_pending_provider_tags[0]),
        _ => format!("a version of {provider} with tag {}", quote_join(&pact.non_pending_provider_tags)),
    }
}

fn with_these_tags(pact: &VerifiablePact) -> &'static str {
    match pact.pending_provider_tags.len() {
        0 => "",
        1 => "with this tag ",
        _ => "with these tags ",
    }
}

/// Why the pact is included (the first `before_verification` notice).
pub fn inclusion_reason(pact: &VerifiablePact, pact_url: &str) -> String {
    if pact.wip {
        let branches: Vec<String> = pact
            .selections
            .iter()
            .filter_map(|s| match &s.criterion {
                Criterion::LatestForBranch { branch, .. } => Some(branch.clone()),
                _ => None,
            })
            .collect();
        let tags: Vec<String> = pact
            .selections
            .iter()
            .filter_map(|s| match &s.criterion {
                Criterion::LatestForTag { tag, .. } => Some(tag.clone()),
                _ => None,
            })
            .collect();
        let version_text = if branches.len() == 1 || tags.len() == 1 { "version" } else { "versions" };
        let mut parts = Vec::new();
        if !branches.is_empty() {
            parts.push(format!(
                "from {} {}",
                if branches.len() == 1 { "branch" } else { "branches" },
                quote_join(&branches)
            ));
        }
        if !tags.is_empty() {
            parts.push(format!("tagged with {}", quote_join(&tags)));
        }
        let same = match pact.selections.len() {
            1 => "",
            2 => " (both have the same content)",
            _ => " (all have the same content)",
        };
        format!(
            "The pact at {pact_url} is being verified because it is a 'work in progress' pact (ie. it is the pact for \
             the latest {version_text} of {} {}{same} and it has not yet been successfully verified by {} when the \
             pact's application version was explicitly specified in the consumer version selectors). {READ_MORE_WIP}",
            pact.publication.consumer_name,
            parts.join(" and "),
            pending_provider_description(pact, "a")
        )
    } else {
        let lines = criteria_lines(pact);
        let (versions, criteria) = if lines.len() > 1 {
            ("the consumer versions", "criteria")
        } else {
            ("the consumer version", "criterion")
        };
        let bullets: Vec<String> = lines.iter().map(|l| format!("    * {l}")).collect();
        format!(
            "The pact at {pact_url} is being verified because the pact content belongs to {versions} matching the \
             following {criteria}:\n{}",
            bullets.join("\n")
        )
    }
}

/// Why the pact is, or is not, pending.
pub fn pending_reason(pact: &VerifiablePact) -> String {
    let provider = &pact.publication.provider_name;
    if pact.pending && pact.wip {
        format!(
            "This pact is in pending state for this version of {provider} because it was included as a 'work in \
             progress' pact. If this verification fails, it will not cause the overall build to fail. {READ_MORE_PENDING}"
        )
    } else if pact.pending {
        format!(
            "This pact is in pending state for this version of {provider} because a successful verification result \
             for {} has not yet been published. If this verification fails, it will not cause the overall build to \
             fail. {READ_MORE_PENDING}",
            pending_provider_description(pact, "a")
        )
    } else {
        format!(
            "This pact has previously been successfully verified by {}. If this verification fails, it will fail the \
             build. {READ_MORE_PENDING}",
            non_pending_provider_description(pact)
        )
    }
}

/// The `verificationProperties.notices` of a pact.
pub fn notices(pact: &VerifiablePact, pact_url: &str, include_pending_status: bool) -> Vec<Value> {
    let mut notices = vec![json!({"when": "before_verification", "text": inclusion_reason(pact, pact_url)})];
    if include_pending_status {
        notices.push(json!({"when": "before_verification", "text": pending_reason(pact)}));
        if pact.pending {
            let who = pending_provider_description(pact, "any");
            let tags = with_these_tags(pact);
            let provider = &pact.publication.provider_name;
            let still = format!(
                "This pact is still in pending state for {who} as a successful verification result {tags}has not yet been published"
            );
            notices.push(json!({"when": "after_verification:success_true_published_false", "text": format!(
                "This pact is still in pending state for {who} as the successful verification results {tags}have not yet been published."
            )}));
            notices.push(json!({"when": "after_verification:success_false_published_false", "text": still}));
            notices.push(json!({"when": "after_verification:success_true_published_true", "text": format!(
                "This pact is no longer in pending state for {who}, as a successful verification result {tags}has been \
                 published. If a verification for a version of {provider} {tags}fails in the future, it will fail the \
                 build. {READ_MORE_PENDING}"
            )}));
            notices.push(json!({"when": "after_verification:success_false_published_true", "text": still}));
        }
    }
    notices
}
