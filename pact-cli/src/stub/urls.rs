//! The `MockServerURL` generator in the stub's responses: a URL in the example (a link to
//! another resource, say) is rewritten to point at the stub itself. The generator gives the
//! example and a regex whose first group is the part to keep (`.*(/orders/\d+)$`); the answer is
//! the stub's base URL followed by that part.

use pact_core::model::{Body, Content, Data, PathExpr, PathToken, Response};
use regex::Regex;
use serde_json::Value;

/// Rewrites the values the response's `MockServerURL` generators point at.
pub fn point_at_stub(response: &mut Response, base_url: &str) {
    let generators = response.generators.clone();
    if let (Some(Value::Object(by_path)), Body::Present(Content { data: Data::Json(json), .. })) =
        (generators.get("body"), &mut response.body)
    {
        for (path, generator) in by_path {
            let Ok(expr) = PathExpr::parse(path) else { continue };
            for_each_at(json, &expr.tokens()[1..], &mut |value| {
                if let Some(new) = value.as_str().and_then(|text| rewrite(generator, text, base_url)) {
                    *value = Value::String(new);
                }
            });
        }
    }
    if let (Some(Value::Object(by_name)), Some(headers)) =
        (generators.get("header"), response.headers.as_mut())
    {
        for (name, generator) in by_name {
            for (_, values) in headers.iter_mut().filter(|(k, _)| k.eq_ignore_ascii_case(name)) {
                for value in values.iter_mut() {
                    if let Some(new) = rewrite(generator, value, base_url) {
                        *value = new;
                    }
                }
            }
        }
    }
}

/// `None` unless the generator is a `MockServerURL` whose regex matches `current`.
fn rewrite(generator: &Value, current: &str, base_url: &str) -> Option<String> {
    if generator.get("type").and_then(Value::as_str) != Some("MockServerURL") {
        return None;
    }
    let regex = Regex::new(generator.get("regex")?.as_str()?).ok()?;
    let kept = regex.captures(current)?.get(1)?.as_str();
    Some(format!("{}{kept}", base_url.trim_end_matches('/')))
}

fn for_each_at(json: &mut Value, tokens: &[PathToken], f: &mut dyn FnMut(&mut Value)) {
    let Some((first, rest)) = tokens.split_first() else {
        f(json);
        return;
    };
    match (first, json) {
        (PathToken::Field(name), Value::Object(map)) => {
            if let Some(child) = map.get_mut(name) {
                for_each_at(child, rest, f);
            }
        }
        (PathToken::Index(i), Value::Array(items)) => {
            if let Some(child) = items.get_mut(*i) {
                for_each_at(child, rest, f);
            }
        }
        (PathToken::StarIndex | PathToken::Star, Value::Array(items)) => {
            for child in items {
                for_each_at(child, rest, f);
            }
        }
        (PathToken::Star, Value::Object(map)) => {
            for child in map.values_mut() {
                for_each_at(child, rest, f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn links_point_at_the_stub() {
        let mut response = Response::status(200);
        response.body = Body::json(json!({"links": [{"href": "http://localhost:1234/orders/1"}]}));
        response.headers =
            Some([("Location".to_string(), vec!["http://localhost:1234/orders/1".to_string()])].into());
        response.generators = json!({
            "body": {"$.links[*].href": {"type": "MockServerURL", "example": "http://localhost:1234/orders/1", "regex": ".*(/orders/\\d+)$"}},
            "header": {"location": {"type": "MockServerURL", "example": "http://localhost:1234/orders/1", "regex": ".*(/orders/\\d+)$"}}
        })
        .as_object()
        .unwrap()
        .clone();
        point_at_stub(&mut response, "http://127.0.0.1:4000");
        assert_eq!(response.body.as_json().unwrap()["links"][0]["href"], "http://127.0.0.1:4000/orders/1");
        assert_eq!(response.header("Location").unwrap()[0], "http://127.0.0.1:4000/orders/1");
    }
}
