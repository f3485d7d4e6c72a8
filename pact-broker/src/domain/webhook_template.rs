//! The `${pactbroker.*}` template variables of webhooks, and how a request template is rendered
//! with them, as in the official broker:
//!
//! - in the URL, each value is form-encoded (a space becomes `+`, `/` becomes `%2F`), so a
//!   value never changes the URL's structure;
//! - in headers, username and password, values are inserted as they are (a rendered header
//!   value with a line break is refused when the request is built);
//! - in a JSON body (an object or array), values are inserted into the JSON strings that hold
//!   the placeholders, so the body stays valid JSON whatever the names contain; a string body
//!   is rendered as text.
//!
//! Unknown variables (`${pactbroker.somethingElse}`) are left as they are.
//!
//! ```
//! use pact_broker::domain::webhook_template::{render_url, Variables};
//!
//! let mut vars = Variables::default();
//! vars.set("consumerName", "Foo App");
//! assert_eq!(render_url("https://ci.example/build?who=${pactbroker.consumerName}", &vars), "https://ci.example/build?who=Foo+App");
//! ```

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Every variable the broker fills in, without the `pactbroker.` prefix.
pub const NAMES: &[&str] = &[
    "pactUrl",
    "verificationResultUrl",
    "consumerName",
    "providerName",
    "consumerVersionNumber",
    "consumerVersionTags",
    "consumerVersionBranch",
    "providerVersionNumber",
    "providerVersionTags",
    "providerVersionBranch",
    "providerVersionDescriptions",
    "consumerLabels",
    "providerLabels",
    "githubVerificationStatus",
    "bitbucketVerificationStatus",
    "azureDevOpsVerificationStatus",
    "gitlabVerificationStatus",
    "buildUrl",
    "eventName",
    "currentlyDeployedProviderVersionNumber",
];

/// The values of the variables for one triggered webhook (names without the `pactbroker.`
/// prefix). Every name of [`NAMES`] renders, as an empty string when not set.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Variables(BTreeMap<String, String>);

impl Variables {
    /// Sets a value.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.insert(name.to_string(), value.into());
    }

    /// A value (empty when not set).
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map(String::as_str).unwrap_or("")
    }

    /// The values of known variables, as stored with a triggered webhook.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "{}".into())
    }

    /// Reads stored values; unreadable text gives no values.
    pub fn from_json(text: &str) -> Self {
        Variables(serde_json::from_str(text).unwrap_or_default())
    }

    /// All known variables with their values (empty for the ones not set), for logs.
    pub fn all(&self) -> Vec<(&'static str, &str)> {
        NAMES.iter().map(|n| (*n, self.get(n))).collect()
    }
}

const OPEN: &str = "${pactbroker.";

/// Replaces each known `${pactbroker.name}` in `template` with `escape(value)`.
fn render_with(template: &str, vars: &Variables, escape: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        match after.find('}') {
            Some(end) if NAMES.contains(&&after[..end]) => {
                out.push_str(&escape(vars.get(&after[..end])));
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Renders text (headers, credentials, a string body): values as they are.
pub fn render_text(template: &str, vars: &Variables) -> String {
    render_with(template, vars, &|v| v.to_string())
}

/// Renders a URL: values form-encoded, as the official broker does (`CGI.escape`).
pub fn render_url(template: &str, vars: &Variables) -> String {
    render_with(template, vars, &|v| url::form_urlencoded::byte_serialize(v.as_bytes()).collect())
}

/// Renders a template with a constant in place of every variable (to check the URL's shape).
pub fn render_placeholder(template: &str, placeholder: &str) -> String {
    let mut vars = Variables::default();
    for name in NAMES {
        vars.set(name, placeholder);
    }
    render_with(template, &vars, &|v| v.to_string())
}

/// Whether a text uses any known variable.
pub fn uses_variables(text: &str) -> bool {
    render_placeholder(text, "a") != render_placeholder(text, "b")
}

/// Renders a JSON body: each string (and object key) rendered as text, so the result is still
/// JSON; a string body is rendered as text. Returns the body's bytes.
pub fn render_body(body: &Value, vars: &Variables) -> Option<String> {
    match body {
        Value::Null => None,
        Value::String(text) => Some(render_text(text, vars)),
        other => Some(render_json(other, vars).to_string()),
    }
}

fn render_json(value: &Value, vars: &Variables) -> Value {
    match value {
        Value::String(s) => Value::String(render_text(s, vars)),
        Value::Array(items) => Value::Array(items.iter().map(|i| render_json(i, vars)).collect()),
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                out.insert(render_text(k, vars), render_json(v, vars));
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vars() -> Variables {
        let mut v = Variables::default();
        v.set("consumerName", "Foo \"quoted\" & <b>");
        v.set("pactUrl", "http://broker/pacts/provider/Bar/consumer/Foo/pact-version/abc");
        v
    }

    #[test]
    fn urls_get_form_encoded_values_and_unknown_variables_stay() {
        let rendered = render_url(
            "https://ci/x?c=${pactbroker.consumerName}&u=${pactbroker.pactUrl}&z=${pactbroker.nope}",
            &vars(),
        );
        assert_eq!(
            rendered,
            "https://ci/x?c=Foo+%22quoted%22+%26+%3Cb%3E&u=http%3A%2F%2Fbroker%2Fpacts%2Fprovider%2FBar%2Fconsumer%2FFoo%2Fpact-version%2Fabc&z=${pactbroker.nope}"
        );
    }

    #[test]
    fn json_bodies_stay_json_whatever_the_values() {
        let body =
            json!({"who": "${pactbroker.consumerName}", "list": ["${pactbroker.providerName}x"], "n": 1});
        let rendered: Value = serde_json::from_str(&render_body(&body, &vars()).unwrap()).unwrap();
        assert_eq!(rendered, json!({"who": "Foo \"quoted\" & <b>", "list": ["x"], "n": 1}));
        assert_eq!(
            render_body(&json!("plain ${pactbroker.consumerName}"), &vars()).unwrap(),
            "plain Foo \"quoted\" & <b>"
        );
        assert_eq!(render_body(&Value::Null, &vars()), None);
    }

    #[test]
    fn variables_survive_storage_and_placeholders_are_detected() {
        let v = vars();
        assert_eq!(Variables::from_json(&v.to_json()), v);
        assert!(uses_variables("${pactbroker.pactUrl}"));
        assert!(!uses_variables("${pactbroker.unknown} plain"));
        assert_eq!(render_text("${pactbroker.", &v), "${pactbroker.");
    }
}
