//! Generators applied before a request is sent: provider-state injected values (`${name}`
//! expressions filled from what the state setup returned, or from the state's params) and
//! random values (UUIDs, integers, decimals, hexadecimal and plain strings, booleans). The
//! same generators fill the responses of a stub server ([`generate_stub_response`]).
//!
//! Generators the verifier does not run (`Regex`, `Date`, `Time`, `DateTime`, `MockServerURL`)
//! leave the pact's example in place, which satisfies the interaction's rules by construction.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value};

use crate::model::{Body, Content, Data, PathExpr, PathToken, Request, Response};

/// Applies the request's generators, with `context` holding injected values and params.
pub(crate) fn generate_request<'r>(request: &'r Request, context: &Map<String, Value>) -> Cow<'r, Request> {
    if request.generators.is_empty() {
        return Cow::Borrowed(request);
    }
    let mut out = request.clone();
    let generators = &request.generators;
    if let Some(generator) = generators.get("path") {
        if let Some(Value::String(path)) =
            generate(generator, &Value::String(out.path.clone()), context, true)
        {
            out.path = path;
        }
    }
    if let (Some(Value::Object(by_name)), Some(headers)) = (generators.get("header"), out.headers.as_mut()) {
        for (name, generator) in by_name {
            if let Some(values) =
                headers.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v)
            {
                for value in values.iter_mut() {
                    if let Some(new) = generate(generator, &Value::String(value.clone()), context, true) {
                        *value = text_of(&new);
                    }
                }
            }
        }
    }
    if let (Some(Value::Object(by_name)), Some(query)) = (generators.get("query"), out.query.as_mut()) {
        for (name, generator) in by_name {
            if let Some(values) = query.get_mut(name) {
                for value in values.iter_mut() {
                    if let Some(new) = generate(generator, &Value::String(value.clone()), context, true) {
                        *value = text_of(&new);
                    }
                }
            }
        }
    }
    if let Some(Value::Object(by_path)) = generators.get("body") {
        out.body = generate_body(&out.body, by_path, context, true);
    }
    Cow::Owned(out)
}

/// Applies provider-state generators to the expected response, so it is compared with the
/// injected values rather than the consumer's examples.
pub(crate) fn generate_response<'r>(
    response: &'r Response,
    context: &Map<String, Value>,
) -> Cow<'r, Response> {
    response_with(response, context, false)
}

/// Applies every generator of a response, the random ones too, as a stub server answers a
/// request: `ProviderState` expressions are filled from `context` (for example the
/// interaction's provider-state params) and keep the example when it lacks the value;
/// `Uuid`, `RandomInt`, `RandomDecimal`, `RandomHexadecimal`, `RandomString` and
/// `RandomBoolean` produce new values. The other generators keep the example, which satisfies
/// the interaction's rules by construction.
///
/// ```
/// use pact_core::model::{Body, Response};
/// use pact_core::verify::generate_stub_response;
/// use serde_json::{json, Map};
///
/// let mut response = Response::status(200);
/// response.body = Body::json(json!({"id": 1}));
/// response.generators = json!({"body": {"$.id": {"type": "RandomInt", "min": 5, "max": 9}}})
///     .as_object().unwrap().clone();
/// let generated = generate_stub_response(&response, &Map::new());
/// let id = generated.body.as_json().unwrap()["id"].as_i64().unwrap();
/// assert!((5..=9).contains(&id));
/// ```
pub fn generate_stub_response(response: &Response, context: &Map<String, Value>) -> Response {
    response_with(response, context, true).into_owned()
}

fn response_with<'r>(
    response: &'r Response,
    context: &Map<String, Value>,
    random: bool,
) -> Cow<'r, Response> {
    if response.generators.is_empty() {
        return Cow::Borrowed(response);
    }
    let mut out = response.clone();
    if let Some(Value::Object(by_path)) = response.generators.get("body") {
        out.body = generate_body(&out.body, by_path, context, random);
    }
    if let (Some(Value::Object(by_name)), Some(headers)) =
        (response.generators.get("header"), out.headers.as_mut())
    {
        for (name, generator) in by_name {
            if let Some(values) =
                headers.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v)
            {
                for value in values.iter_mut() {
                    if let Some(new) = generate(generator, &Value::String(value.clone()), context, random) {
                        *value = text_of(&new);
                    }
                }
            }
        }
    }
    Cow::Owned(out)
}

fn generate_body(
    body: &Body,
    by_path: &Map<String, Value>,
    context: &Map<String, Value>,
    random: bool,
) -> Body {
    let Body::Present(Content { data: Data::Json(json), content_type }) = body else {
        return body.clone();
    };
    let mut json = json.clone();
    for (path, generator) in by_path {
        let Ok(expr) = PathExpr::parse(path) else { continue };
        for_each_at(&mut json, &expr.tokens()[1..], &mut |value| {
            if let Some(new) = generate(generator, value, context, random) {
                *value = new;
            }
        });
    }
    Body::Present(Content { data: Data::Json(json), content_type: content_type.clone() })
}

/// Calls `f` on every value of `json` that the path tokens reach.
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

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One generator applied to one value; `None` keeps the value.
fn generate(generator: &Value, current: &Value, context: &Map<String, Value>, random: bool) -> Option<Value> {
    let kind = generator.get("type").and_then(Value::as_str)?;
    let number = |key: &str, default: u64| generator.get(key).and_then(Value::as_u64).unwrap_or(default);
    match kind {
        "ProviderState" => {
            let expression = generator.get("expression").and_then(Value::as_str)?;
            let data_type = generator.get("dataType").and_then(Value::as_str).unwrap_or("RAW");
            provider_state(expression, data_type, context)
        }
        _ if !random => None,
        "Uuid" => {
            let id = uuid();
            Some(Value::String(match generator.get("format").and_then(Value::as_str) {
                Some("simple") => id.replace('-', ""),
                Some("upper-case-hyphenated") => id.to_uppercase(),
                Some("URN") => format!("urn:uuid:{id}"),
                _ => id,
            }))
        }
        "RandomInt" => {
            let min = generator.get("min").and_then(Value::as_i64).unwrap_or(0);
            let max = generator.get("max").and_then(Value::as_i64).unwrap_or(i64::from(i32::MAX)).max(min);
            // In i128: the span of the whole i64 range does not fit an i64 (or a u64, plus one).
            let span = i128::from(max) - i128::from(min) + 1;
            let offset = i128::from(next()) % span;
            Some(i64::try_from(i128::from(min) + offset).map_or(current.clone(), Value::from))
        }
        "RandomDecimal" => {
            let digits = number("digits", 6).clamp(2, 15) as u32;
            let scale = 10u64.pow(digits - 1);
            let value = (next() % (scale * 10)) as f64 / scale as f64 + 0.5 / scale as f64;
            Some(serde_json::Number::from_f64(value).map_or(current.clone(), Value::Number))
        }
        "RandomHexadecimal" => {
            let digits = number("digits", 8).min(64) as usize;
            Some(Value::String(
                (0..digits).map(|_| char::from(b"0123456789abcdef"[(next() % 16) as usize])).collect(),
            ))
        }
        "RandomString" => {
            let size = number("size", 10).min(1024) as usize;
            const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            Some(Value::String(
                (0..size).map(|_| char::from(ALPHABET[(next() % ALPHABET.len() as u64) as usize])).collect(),
            ))
        }
        "RandomBoolean" => Some(Value::Bool(next().is_multiple_of(2))),
        _ => None,
    }
}

/// Fills `${name}` placeholders from `context`. An expression that is exactly one placeholder
/// takes the value's own type (or `data_type`); otherwise the result is a string.
fn provider_state(expression: &str, data_type: &str, context: &Map<String, Value>) -> Option<Value> {
    let lookup = |name: &str| lookup(context, name);
    let trimmed = expression.trim();
    let whole =
        trimmed.strip_prefix("${").and_then(|r| r.strip_suffix('}')).filter(|n| !n.contains(['$', '{', '}']));
    let raw = if let Some(name) = whole {
        lookup(name)?.clone()
    } else {
        let mut out = String::new();
        let mut rest = expression;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after.find('}')?;
            out.push_str(&text_of(lookup(&after[..end])?));
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Value::String(out)
    };
    Some(match data_type {
        "STRING" => Value::String(text_of(&raw)),
        "INTEGER" => text_of(&raw).parse::<i64>().map(Value::from).unwrap_or(raw),
        "DECIMAL" => text_of(&raw)
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(raw, Value::Number),
        "BOOLEAN" => text_of(&raw).parse::<bool>().map(Value::Bool).unwrap_or(raw),
        _ => raw,
    })
}

/// `name` or a dotted path `a.b` into the context.
fn lookup<'a>(context: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    let name = name.trim();
    if let Some(v) = context.get(name) {
        return Some(v);
    }
    let mut parts = name.split('.');
    let mut current = context.get(parts.next()?)?;
    for part in parts {
        current = current.get(part)?;
    }
    Some(current)
}

/// A fast, non-cryptographic random stream (xorshift, seeded from the clock).
fn next() -> u64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let mut x = STATE.load(Ordering::Relaxed);
    if x == 0 {
        x = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9E37_79B9_7F4A_7C15, |d| d.as_nanos() as u64)
            | 1;
    }
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    STATE.store(x, Ordering::Relaxed);
    x
}

fn uuid() -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&next().to_be_bytes());
    bytes[8..].copy_from_slice(&next().to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn provider_state_expressions() {
        let ctx = json!({"id": 42, "name": "UserB", "user": {"email": "b@x"}});
        let ctx = ctx.as_object().unwrap();
        assert_eq!(provider_state("${id}", "RAW", ctx), Some(json!(42)));
        assert_eq!(provider_state("${id}", "STRING", ctx), Some(json!("42")));
        assert_eq!(provider_state("/users/${name}", "RAW", ctx), Some(json!("/users/UserB")));
        assert_eq!(provider_state("${user.email}", "RAW", ctx), Some(json!("b@x")));
        assert_eq!(provider_state("/x/${missing}", "RAW", ctx), None);
        // Only `${name}` alone is a whole-value expression; a later `}` is literal text.
        assert_eq!(provider_state("${id}/{literal}", "RAW", ctx), Some(json!("42/{literal}")));
    }

    #[test]
    fn random_int_takes_the_whole_i64_range() {
        let ctx = Map::new();
        for (min, max) in [(i64::MIN, i64::MAX), (-1, i64::MAX), (i64::MIN, 0), (7, 7)] {
            let generator = json!({"type": "RandomInt", "min": min, "max": max});
            for _ in 0..100 {
                let value = generate(&generator, &json!(0), &ctx, true).unwrap().as_i64().unwrap();
                assert!((min..=max).contains(&value), "{value} in {min}..={max}");
            }
        }
    }

    #[test]
    fn request_generators() {
        let mut request = Request::get("/users/UserA");
        request.body = Body::json(json!({"id": 1, "items": [{"ref": "a"}, {"ref": "b"}]}));
        request.generators = json!({
            "path": {"type": "ProviderState", "expression": "/users/${name}"},
            "body": {"$.id": {"type": "RandomInt", "min": 5, "max": 5}, "$.items[*].ref": {"type": "RandomString", "size": 3}}
        })
        .as_object()
        .unwrap()
        .clone();
        let out = generate_request(&request, json!({"name": "UserB"}).as_object().unwrap());
        assert_eq!(out.path, "/users/UserB");
        let body = out.body.as_json().unwrap();
        assert_eq!(body["id"], 5);
        assert_eq!(body["items"][1]["ref"].as_str().unwrap().len(), 3);
        assert_eq!(uuid().len(), 36);
    }
}
