//! Consumer version selectors of `pacts for verification`: reading and validating them with
//! the official broker's rules.

use serde_json::{Map, Value};

/// One consumer version selector, as the provider sent it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    /// `mainBranch: true`.
    pub main_branch: bool,
    /// `branch`.
    pub branch: Option<String>,
    /// `fallbackBranch`.
    pub fallback_branch: Option<String>,
    /// `matchingBranch: true`.
    pub matching_branch: bool,
    /// `tag`.
    pub tag: Option<String>,
    /// `fallbackTag`.
    pub fallback_tag: Option<String>,
    /// `latest`.
    pub latest: Option<bool>,
    /// `deployed: true`.
    pub deployed: bool,
    /// `released: true`.
    pub released: bool,
    /// `deployedOrReleased: true`.
    pub deployed_or_released: bool,
    /// `environment`.
    pub environment: Option<String>,
    /// `consumer`.
    pub consumer: Option<String>,
}

impl Selector {
    /// `{"mainBranch": true}`.
    pub fn main_branch() -> Self {
        Selector { main_branch: true, ..Selector::default() }
    }

    /// `{"deployedOrReleased": true}`.
    pub fn deployed_or_released() -> Self {
        Selector { deployed_or_released: true, ..Selector::default() }
    }
}

/// Reads the `consumerVersionSelectors` array. Errors are keyed by the selector's index, as the
/// official broker reports them: `{"0": ["..."]}`.
///
/// ```
/// use pact_broker::domain::selectors::parse;
/// use serde_json::json;
///
/// let selectors = parse(&json!([{"branch": "main"}, {"tag": "prod", "latest": true}])).unwrap();
/// assert_eq!(selectors[0].branch.as_deref(), Some("main"));
/// let errors = parse(&json!([{"branch": "main", "environment": "prod"}])).unwrap_err();
/// assert!(errors["0"][0].as_str().unwrap().contains("cannot be specified together"));
/// ```
///
/// # Errors
///
/// The messages for each invalid selector, keyed by index.
pub fn parse(value: &Value) -> Result<Vec<Selector>, Map<String, Value>> {
    let mut errors = Map::new();
    let Some(items) = value.as_array() else {
        errors.insert("base".into(), Value::Array(vec![Value::String("must be an array".into())]));
        return Err(errors);
    };
    let mut selectors = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match parse_one(item) {
            Ok(selector) => selectors.push(selector),
            Err(messages) => {
                errors.insert(
                    index.to_string(),
                    Value::Array(messages.into_iter().map(Value::String).collect()),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(selectors)
    } else {
        Err(errors)
    }
}

fn parse_one(item: &Value) -> Result<Selector, Vec<String>> {
    let mut messages = Vec::new();
    let Some(object) = item.as_object() else {
        return Err(vec!["must be an object".into()]);
    };
    let string = |key: &str, messages: &mut Vec<String>| -> Option<String> {
        match object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if !s.trim().is_empty() => {
                if let Err(e) = super::names::check(s) {
                    messages.push(format!("{key} {e}"));
                }
                Some(s.clone())
            }
            Some(Value::String(_)) => {
                messages.push(format!("{key} cannot be blank"));
                None
            }
            Some(_) => {
                messages.push(format!("{key} must be a string"));
                None
            }
        }
    };
    let branch = string("branch", &mut messages);
    let fallback_branch = string("fallbackBranch", &mut messages);
    let tag = string("tag", &mut messages);
    let fallback_tag = string("fallbackTag", &mut messages);
    let environment = string("environment", &mut messages);
    let consumer = string("consumer", &mut messages);
    let only_true = |key: &str, messages: &mut Vec<String>| -> bool {
        match object.get(key) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(true)) => true,
            Some(_) => {
                messages.push(format!("{key} can only be set to true"));
                false
            }
        }
    };
    let main_branch = only_true("mainBranch", &mut messages);
    let matching_branch = only_true("matchingBranch", &mut messages);
    let deployed = only_true("deployed", &mut messages);
    let released = only_true("released", &mut messages);
    let deployed_or_released = only_true("deployedOrReleased", &mut messages);
    let latest = match object.get("latest") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            messages.push("latest must be a boolean".into());
            None
        }
    };
    let selector = Selector {
        main_branch,
        branch,
        fallback_branch,
        matching_branch,
        tag,
        fallback_tag,
        latest,
        deployed,
        released,
        deployed_or_released,
        environment,
        consumer,
    };
    if messages.is_empty() {
        messages.extend(rules(&selector));
    }
    if messages.is_empty() {
        Ok(selector)
    } else {
        Err(messages)
    }
}

/// The combination rules of the official broker.
fn rules(s: &Selector) -> Vec<String> {
    let mut messages = Vec::new();
    let has_any = s.main_branch
        || s.tag.is_some()
        || s.branch.is_some()
        || s.environment.is_some()
        || s.matching_branch
        || s.deployed
        || s.released
        || s.deployed_or_released
        || s.latest == Some(true);
    if !has_any {
        messages.push(
            "must specify a value for environment or tag or branch, or specify mainBranch=true, matchingBranch=true, \
             latest=true, deployed=true, released=true or deployedOrReleased=true"
                .into(),
        );
    }
    let branch_keys: Vec<&str> = [
        ("latest", s.latest.is_some()),
        ("tag", s.tag.is_some()),
        ("fallbackTag", s.fallback_tag.is_some()),
        ("branch", s.branch.is_some()),
        ("fallbackBranch", s.fallback_branch.is_some()),
        ("matchingBranch", s.matching_branch),
        ("mainBranch", s.main_branch),
    ]
    .into_iter()
    .filter(|(_, set)| *set)
    .map(|(k, _)| k)
    .collect();
    let environment_keys: Vec<&str> = [
        ("environment", s.environment.is_some()),
        ("deployed", s.deployed),
        ("released", s.released),
        ("deployedOrReleased", s.deployed_or_released),
    ]
    .into_iter()
    .filter(|(_, set)| *set)
    .map(|(k, _)| k)
    .collect();
    if !branch_keys.is_empty() && !environment_keys.is_empty() {
        messages.push(format!(
            "cannot specify the fields {} with the fields {} (the fields {} cannot be specified together)",
            branch_keys.join("/"),
            environment_keys.join("/"),
            [branch_keys.clone(), environment_keys.clone()].concat().join(", ")
        ));
    }
    if [s.deployed, s.released, s.deployed_or_released].iter().filter(|b| **b).count() > 1 {
        messages
            .push("the fields deployed, released and deployedOrReleased cannot be specified together".into());
    }
    if s.main_branch {
        if s.latest == Some(false) {
            messages.push("cannot specify mainBranch=true and latest=false".into());
        }
        let others = s.tag.is_some()
            || s.branch.is_some()
            || s.fallback_tag.is_some()
            || s.fallback_branch.is_some()
            || s.matching_branch;
        if others {
            messages.push(
                "cannot specify mainBranch=true with any other criteria apart from consumer and latest"
                    .into(),
            );
        }
    }
    if s.branch.is_some() && s.latest == Some(false) {
        messages.push("cannot specify a branch with latest=false".into());
    }
    if s.tag.is_some() && s.branch.is_some() {
        messages.push("cannot specify both a tag and a branch".into());
    }
    if s.fallback_tag.is_some() && !(s.tag.is_some() && s.latest == Some(true)) {
        messages.push("a fallbackTag can only be set if tag is set and latest=true".into());
    }
    if s.fallback_branch.is_some() && s.branch.is_none() {
        messages.push("a fallbackBranch can only be set if branch is set".into());
    }
    if s.matching_branch
        && (s.tag.is_some()
            || s.branch.is_some()
            || s.main_branch
            || s.latest.is_some()
            || s.fallback_tag.is_some()
            || s.fallback_branch.is_some())
    {
        messages
            .push("cannot specify matchingBranch=true with any other criteria apart from consumer".into());
    }
    messages
}
