//! A short difference between two declarations of one interaction: the JSON paths where they
//! differ, with both values, so that a conflict shows what to reconcile rather than two dumps.

use serde_json::Value;

/// One place where two declarations differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// The JSON path inside the interaction, such as `$.response.body.admin`.
    pub path: String,
    /// The value in the pact file already (the other test's), or `None` where it has none.
    pub theirs: Option<Value>,
    /// The value being written (this test's), or `None` where it has none.
    pub ours: Option<Value>,
}

/// The differences between two interactions as JSON, in document order.
pub(crate) fn differences(theirs: &Value, ours: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    walk("$", Some(theirs), Some(ours), &mut out);
    out
}

fn walk(path: &str, theirs: Option<&Value>, ours: Option<&Value>, out: &mut Vec<Difference>) {
    match (theirs, ours) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().collect();
            keys.extend(b.keys().filter(|k| !a.contains_key(*k)));
            for key in keys {
                let mut child = path.to_string();
                crate::model::json::push_key(&mut child, key);
                walk(&child, a.get(key), b.get(key), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for i in 0..a.len().max(b.len()) {
                walk(&format!("{path}[{i}]"), a.get(i), b.get(i), out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(Difference { path: path.to_string(), theirs: a.cloned(), ours: b.cloned() }),
    }
}

/// A value in a line of a report: compact JSON, cut at 80 characters.
pub(crate) fn show(value: Option<&Value>) -> String {
    let Some(value) = value else { return "nothing".to_string() };
    let text = value.to_string();
    if text.chars().count() <= 80 {
        return text;
    }
    let cut: String = text.chars().take(77).collect();
    format!("{cut}...")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_only_the_paths_that_differ() {
        let a = json!({"request": {"path": "/a", "headers": {"Accept": "x"}}, "response": {"body": {"admin": false, "tags": [1, 2]}}});
        let b = json!({"request": {"path": "/a"}, "response": {"body": {"admin": true, "tags": [1, 2, 3]}}});
        let found: Vec<(String, String, String)> = differences(&a, &b)
            .iter()
            .map(|d| (d.path.clone(), show(d.theirs.as_ref()), show(d.ours.as_ref())))
            .collect();
        assert_eq!(
            found,
            [
                ("$.request.headers".into(), r#"{"Accept":"x"}"#.into(), "nothing".into()),
                ("$.response.body.admin".into(), "false".into(), "true".into()),
                ("$.response.body.tags[2]".into(), "nothing".into(), "3".into()),
            ]
        );
    }
}
