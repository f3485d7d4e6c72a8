//! Applying generators: the values an interaction's [`Generators`] say to make up.
//!
//! The specification has two modes, and this crate follows pact-reference in both:
//!
//! - **consumer mode**, the mock provider's responses: every generator but `ProviderState` (there
//!   is no provider state on the consumer's side); `MockServerURL` rewrites the example's URL
//!   onto the mock provider's.
//! - **provider mode**, the verifier's requests: every generator but `MockServerURL` (there is no
//!   mock provider); `ProviderState` fills `${name}` expressions from the values the state setup
//!   returned, or from the state's params. The expected response gets only its `ProviderState`
//!   generators, so it is compared with the injected values rather than the consumer's examples.
//!
//! A generator that cannot make a value here (an expression naming a value nobody gave, an
//! [`Generator::Unsupported`] one) leaves the example in place, which the interaction's own rules
//! accept by construction.

mod form;
mod random;
mod xml;

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::model::{
    Body, Content, ContentKind, Data, DataType, Generator, Generators, PactRegex, PathExpr, PathToken,
    Request, Response, UuidFormat,
};

/// Which side applies the generators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The mock provider, answering the consumer.
    Consumer,
    /// The verifier, calling the provider.
    Provider,
    /// A stub server (`pact stub`): every generator, with provider-state values from the
    /// state's params and `MockServerURL` pointing at the stub.
    Stub,
}

/// What generators may draw on.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Values for `ProviderState` expressions: the state's params, then what its setup returned.
    pub values: Map<String, Value>,
    /// The mock provider's base URL, for `MockServerURL`.
    pub mock_server_url: Option<String>,
}

impl Context {
    /// A context with provider-state values.
    pub fn with_values(values: Map<String, Value>) -> Self {
        Context { values, mock_server_url: None }
    }

    /// A context for the mock provider at `url`.
    pub fn for_mock_server(url: impl Into<String>) -> Self {
        Context { values: Map::new(), mock_server_url: Some(url.into()) }
    }
}

/// Whether `generator` runs in `mode`.
pub fn applies(generator: &Generator, mode: Mode) -> bool {
    match generator {
        Generator::ProviderState { .. } => mode != Mode::Consumer,
        Generator::MockServerUrl { .. } => mode != Mode::Provider,
        _ => true,
    }
}

/// The request the verifier sends: the pact's, with its generators applied (provider mode).
pub fn request<'r>(request: &'r Request, context: &Context) -> Cow<'r, Request> {
    let generators = &request.generators;
    if generators.is_empty() {
        return Cow::Borrowed(request);
    }
    let keep = |g: &Generator| applies(g, Mode::Provider);
    let mut out = request.clone();
    if let Some(generator) = generators.path.as_ref().filter(|g| keep(g)) {
        if let Some(Value::String(path)) = value(generator, &Value::String(out.path.clone()), context) {
            out.path = path;
        }
    }
    if let Some(generator) = generators.method.as_ref().filter(|g| keep(g)) {
        if let Some(Value::String(method)) = value(generator, &Value::String(out.method.clone()), context) {
            out.method = method.to_ascii_uppercase();
        }
    }
    if let Some(headers) = out.headers.as_mut() {
        for (name, generator) in generators.header.iter().filter(|(_, g)| keep(g)) {
            if let Some(values) = headers.get_mut(name) {
                generate_texts(values, generator, context);
            }
        }
    }
    if let Some(query) = out.query.as_mut() {
        for (name, generator) in generators.query.iter().filter(|(_, g)| keep(g)) {
            if let Some(values) = query.get_mut(name) {
                generate_texts(values, generator, context);
            }
        }
    }
    out.body = generate_body(&out.body, &generators.body, Mode::Provider, context);
    Cow::Owned(out)
}

/// The response the verifier expects: the pact's, with its `ProviderState` generators applied.
pub fn expected_response<'r>(response: &'r Response, context: &Context) -> Cow<'r, Response> {
    let only_states = |g: &Generator| matches!(g, Generator::ProviderState { .. });
    apply_to_response(response, context, Mode::Provider, &only_states)
}

/// The response the mock provider answers with: the pact's, with its generators applied
/// (consumer mode).
pub fn mock_response<'r>(response: &'r Response, context: &Context) -> Cow<'r, Response> {
    apply_to_response(response, context, Mode::Consumer, &|g| applies(g, Mode::Consumer))
}

/// The response a stub server answers with: the pact's, with every generator applied.
/// `ProviderState` expressions take the state's params from `context.values`, and
/// `MockServerURL` values point at `context.mock_server_url` (the stub's own address).
///
/// ```
/// use pact_core::generate::{stub_response, Context};
/// use pact_core::model::{Body, Generator, PathExpr, Response};
/// use serde_json::json;
///
/// let mut response = Response::status(200);
/// response.body = Body::json(json!({"id": 1}));
/// response.generators.body.insert(PathExpr::parse("$.id").unwrap(), Generator::RandomInt { min: 5, max: 9 });
/// let generated = stub_response(&response, &Context::for_mock_server("http://127.0.0.1:4000"));
/// let id = generated.body.as_json().unwrap()["id"].as_i64().unwrap();
/// assert!((5..=9).contains(&id));
/// ```
pub fn stub_response<'r>(response: &'r Response, context: &Context) -> Cow<'r, Response> {
    apply_to_response(response, context, Mode::Stub, &|_| true)
}

fn apply_to_response<'r>(
    response: &'r Response,
    context: &Context,
    mode: Mode,
    keep: &dyn Fn(&Generator) -> bool,
) -> Cow<'r, Response> {
    let generators = &response.generators;
    if generators.is_empty() {
        return Cow::Borrowed(response);
    }
    let mut out = response.clone();
    if let Some(generator) = generators.status.as_ref().filter(|g| keep(g)) {
        let code = value(generator, &Value::from(out.status), context)
            .and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
            .and_then(|c| u16::try_from(c).ok())
            .filter(|c| (100..=599).contains(c));
        if let Some(code) = code {
            out.status = code;
        }
    }
    if let Some(headers) = out.headers.as_mut() {
        for (name, generator) in generators.header.iter().filter(|(_, g)| keep(g)) {
            if let Some(values) = headers.get_mut(name) {
                generate_texts(values, generator, context);
            }
        }
    }
    let body: std::collections::BTreeMap<PathExpr, Generator> =
        generators.body.iter().filter(|(_, g)| keep(g)).map(|(k, g)| (k.clone(), g.clone())).collect();
    out.body = generate_body(&out.body, &body, mode, context);
    Cow::Owned(out)
}

/// Each text value (of a header or a query parameter) through the generator.
fn generate_texts(values: &mut [String], generator: &Generator, context: &Context) {
    for text in values.iter_mut() {
        if let Some(new) = value(generator, &Value::String(text.clone()), context) {
            *text = text_of(&new);
        }
    }
}

fn generate_body(
    body: &Body,
    by_path: &std::collections::BTreeMap<PathExpr, Generator>,
    mode: Mode,
    context: &Context,
) -> Body {
    // Shallowest paths first, as pact-reference does: a generator that replaces a value runs
    // before those filling in what is inside it.
    let mut ordered: Vec<(&PathExpr, &Generator)> =
        by_path.iter().filter(|(_, g)| applies(g, mode)).collect();
    ordered.sort_by_key(|(path, _)| path.depth());
    match body {
        Body::Present(Content { data: Data::Json(json), content_type }) => {
            let mut json = json.clone();
            for (path, generator) in ordered {
                for_each_at(&mut json, &path.tokens()[1..], &mut |current| {
                    if let Some(new) = value(generator, current, context) {
                        *current = new;
                    }
                });
            }
            Body::Present(Content { data: Data::Json(json), content_type: content_type.clone() })
        }
        Body::Present(Content { data: Data::Text(text), content_type: Some(content_type) })
            if ContentKind::of(content_type) == ContentKind::Form && !ordered.is_empty() =>
        {
            Body::Present(Content {
                data: Data::Text(form::generate(text, &ordered, context)),
                content_type: Some(content_type.clone()),
            })
        }
        Body::Present(Content { data: Data::Text(text), content_type })
            if !ordered.is_empty()
                && content_type.as_deref().map_or_else(|| xml::looks_like_xml(text), xml::is_xml) =>
        {
            match xml::generate(text, &ordered, context) {
                Some(text) => {
                    Body::Present(Content { data: Data::Text(text), content_type: content_type.clone() })
                }
                None => body.clone(),
            }
        }
        _ => body.clone(),
    }
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

/// One generator applied to one value; `None` keeps the value. A number stays a number and
/// text stays text where the generator allows it, as pact-reference does.
pub fn value(generator: &Generator, current: &Value, context: &Context) -> Option<Value> {
    let as_text = current.is_string();
    let text_or = |text: String, number: Option<Value>| match number {
        Some(number) if !as_text => number,
        _ => Value::String(text),
    };
    Some(match generator {
        Generator::ProviderState { expression, data_type } => {
            provider_state(expression, data_type.unwrap_or_default(), &context.values)?
        }
        Generator::MockServerUrl { example, regex } => {
            let base = context.mock_server_url.as_deref()?;
            let kept = regex.regex().captures(example)?.get(1)?.as_str();
            Value::String(format!("{}{kept}", base.trim_end_matches('/')))
        }
        Generator::Uuid { format } => {
            let id = random::uuid();
            Value::String(match format.unwrap_or_default() {
                UuidFormat::Simple => id.replace('-', ""),
                UuidFormat::LowerCaseHyphenated => id,
                UuidFormat::UpperCaseHyphenated => id.to_uppercase(),
                UuidFormat::Urn => format!("urn:uuid:{id}"),
            })
        }
        Generator::RandomInt { min, max } => {
            let n = random::int_between(*min, *max);
            text_or(n.to_string(), Some(Value::from(n)))
        }
        Generator::RandomDecimal { digits } => {
            let text = random::decimal_text(*digits);
            let number = text.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number);
            text_or(text, number)
        }
        Generator::RandomHexadecimal { digits } => {
            Value::String(random::string_of(b"0123456789abcdef", usize::from(*digits).min(1 << 12)))
        }
        Generator::RandomString { size } => Value::String(random::string_of(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            usize::from(*size).min(1 << 12),
        )),
        Generator::RandomBoolean => {
            let b = random::below(2) == 0;
            text_or(b.to_string(), Some(Value::Bool(b)))
        }
        Generator::Regex(re) => Value::String(regex_text(re)?),
        Generator::Date { format, expression } => {
            date_time(pact_datetime::Kind::Date, format.as_deref(), expression.as_deref())?
        }
        Generator::Time { format, expression } => {
            date_time(pact_datetime::Kind::Time, format.as_deref(), expression.as_deref())?
        }
        Generator::DateTime { format, expression } => {
            date_time(pact_datetime::Kind::DateTime, format.as_deref(), expression.as_deref())?
        }
        Generator::Unsupported { .. } => return None,
    })
}

/// A string `re` matches, or `None` (the example is kept) when the pattern cannot make one:
/// a few tries, each checked with the compiled pattern, since anchors and word boundaries write
/// nothing.
fn regex_text(re: &PactRegex) -> Option<String> {
    for _ in 0..10 {
        match pact_regex::generate(re.as_str(), &mut random::next) {
            Ok(text) if re.is_match(&text) => return Some(text),
            Ok(_) => {}
            Err(e) => {
                tracing::warn!("Regex generator: {e}; the example is kept");
                return None;
            }
        }
    }
    tracing::warn!("Regex generator: no string made matches {:?}; the example is kept", re.as_str());
    None
}

/// The date, time or date-time now (moved by `expression`) in `format`, or `None` (the example
/// is kept) when the format or expression cannot be used.
fn date_time(kind: pact_datetime::Kind, format: Option<&str>, expression: Option<&str>) -> Option<Value> {
    match pact_datetime::generate(kind, format, expression, pact_datetime::now_millis()) {
        Ok(text) => Some(Value::String(text)),
        Err(e) => {
            tracing::warn!("{kind:?} generator: {e}; the example is kept");
            None
        }
    }
}

/// Fills `${name}` placeholders from `values`. An expression that is exactly one placeholder
/// takes the value's own type (or `data_type`); otherwise the result is a string.
fn provider_state(expression: &str, data_type: DataType, values: &Map<String, Value>) -> Option<Value> {
    let lookup = |name: &str| lookup(values, name);
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
        DataType::String => Value::String(text_of(&raw)),
        DataType::Integer => text_of(&raw).parse::<i64>().map(Value::from).unwrap_or(raw),
        DataType::Decimal | DataType::Float => text_of(&raw)
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(raw, Value::Number),
        DataType::Boolean => text_of(&raw).parse::<bool>().map(Value::Bool).unwrap_or(raw),
        DataType::Raw => raw,
    })
}

/// `name` or a dotted path `a.b` into the values.
fn lookup<'a>(values: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    let name = name.trim();
    if let Some(v) = values.get(name) {
        return Some(v);
    }
    let mut parts = name.split('.');
    let mut current = values.get(parts.next()?)?;
    for part in parts {
        current = current.get(part)?;
    }
    Some(current)
}

/// Whether `generators` hold anything a mode runs.
pub fn any_applies(generators: &Generators, mode: Mode) -> bool {
    generators.iter().iter().any(|(_, g)| applies(g, mode))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn provider_state_expressions() {
        let ctx = values(json!({"id": 42, "name": "UserB", "user": {"email": "b@x"}}));
        assert_eq!(provider_state("${id}", DataType::Raw, &ctx), Some(json!(42)));
        assert_eq!(provider_state("${id}", DataType::String, &ctx), Some(json!("42")));
        assert_eq!(provider_state("/users/${name}", DataType::Raw, &ctx), Some(json!("/users/UserB")));
        assert_eq!(provider_state("${user.email}", DataType::Raw, &ctx), Some(json!("b@x")));
        assert_eq!(provider_state("/x/${missing}", DataType::Raw, &ctx), None);
        // Only `${name}` alone is a whole-value expression; a later `}` is literal text.
        assert_eq!(provider_state("${id}/{literal}", DataType::Raw, &ctx), Some(json!("42/{literal}")));
    }

    #[test]
    fn request_generators_run_in_provider_mode() {
        let mut request = Request::get("/users/UserA");
        request.body =
            Body::json(json!({"id": 1, "items": [{"ref": "a"}, {"ref": "b"}], "link": "http://x/o/1"}));
        request.generators.path = Some(Generator::provider_state("/users/${name}", None).unwrap());
        request
            .generators
            .body
            .insert(PathExpr::parse("$.id").unwrap(), Generator::random_int(5, 5).unwrap());
        request
            .generators
            .body
            .insert(PathExpr::parse("$.items[*].ref").unwrap(), Generator::random_string(3).unwrap());
        request.generators.body.insert(
            PathExpr::parse("$.link").unwrap(),
            Generator::mock_server_url("http://x/o/1", ".*(/o/\\d+)$").unwrap(),
        );
        let context =
            Context { values: values(json!({"name": "UserB"})), mock_server_url: Some("http://m".into()) };
        let out = super::request(&request, &context);
        assert_eq!(out.path, "/users/UserB");
        let body = out.body.as_json().unwrap();
        assert_eq!(body["id"], 5);
        assert_eq!(body["items"][1]["ref"].as_str().unwrap().len(), 3);
        // No mock provider on the provider's side.
        assert_eq!(body["link"], "http://x/o/1");
    }

    #[test]
    fn regex_and_date_time_generators_make_fresh_values_that_keep_their_rules() {
        let mut request = Request::get("/orders");
        request.body = Body::json(json!({"ref": "ORD-0000", "day": "2000-01-01", "at": "x", "t": "00:00"}));
        let body = &mut request.generators.body;
        body.insert(PathExpr::parse("$.ref").unwrap(), Generator::regex(r"^ORD-\d{4}$").unwrap());
        body.insert(PathExpr::parse("$.day").unwrap(), Generator::date(Some("yyyy-MM-dd")).unwrap());
        body.insert(PathExpr::parse("$.t").unwrap(), Generator::time(None).unwrap());
        body.insert(
            PathExpr::parse("$.at").unwrap(),
            Generator::DateTime {
                format: Some("yyyy-MM-dd HH:mm".into()),
                expression: Some("+ 1 day".into()),
            },
        );
        let out = super::request(&request, &Context::default());
        let body = out.body.as_json().unwrap();
        let re = PactRegex::new(r"^ORD-\d{4}$").unwrap();
        assert!(re.is_match(body["ref"].as_str().unwrap()), "{body}");
        let today =
            pact_datetime::generate(pact_datetime::Kind::Date, None, None, pact_datetime::now_millis());
        assert_eq!(body["day"].as_str(), today.as_deref().ok(), "{body}");
        assert!(pact_datetime::check(pact_datetime::Kind::Time, None, body["t"].as_str().unwrap()).is_ok());
        let tomorrow = pact_datetime::generate(
            pact_datetime::Kind::Date,
            None,
            Some("+ 1 day"),
            pact_datetime::now_millis(),
        )
        .unwrap();
        assert!(body["at"].as_str().unwrap().starts_with(&tomorrow), "{body}");

        // An expression or a pattern that cannot be used keeps the example.
        let cannot = Generator::Date { format: None, expression: Some("whenever".into()) };
        assert_eq!(value(&cannot, &json!("2000-01-01"), &Context::default()), None);
        let bounded = Generator::regex(r"^\bword\b$").unwrap();
        assert!(value(&bounded, &json!("word"), &Context::default()).is_none_or(|v| PactRegex::new(
            r"^\bword\b$"
        )
        .unwrap()
        .is_match(v.as_str().unwrap())));
    }

    #[test]
    fn xml_bodies_take_generators_when_their_content_type_is_xml() {
        let xml = |content_type: Option<&str>| {
            Body::Present(Content {
                data: Data::Text(r#"<order id="1"><ref>r</ref></order>"#.into()),
                content_type: content_type.map(str::to_string),
            })
        };
        let mut request = Request::get("/orders");
        let generators = &mut request.generators.body;
        generators.insert(
            PathExpr::parse("$.order['@id']").unwrap(),
            Generator::provider_state("${id}", None).unwrap(),
        );
        generators
            .insert(PathExpr::parse("$.order.ref['#text']").unwrap(), Generator::random_int(5, 5).unwrap());
        let context = Context::with_values(values(json!({"id": 42})));
        for content_type in
            [Some("application/xml"), Some("text/xml;charset=UTF-8"), Some("application/soap+xml"), None]
        {
            request.body = xml(content_type);
            let out = super::request(&request, &context);
            assert_eq!(
                out.body.as_text().as_deref(),
                Some(r#"<order id="42"><ref>5</ref></order>"#),
                "{content_type:?}"
            );
            assert_eq!(out.body.content_type(), content_type, "the content type is kept");
        }
        // pact-reference generates into `application/` and `text/` XML only.
        request.body = xml(Some("image/svg+xml"));
        assert_eq!(super::request(&request, &context).body, request.body);
        // The mock (consumer mode) runs the random generator but has no provider state.
        let mut response = Response::status(200);
        response.body = xml(Some("application/xml"));
        response.generators.body = request.generators.body.clone();
        let out = mock_response(&response, &Context::for_mock_server("http://127.0.0.1:1"));
        assert_eq!(out.body.as_text().as_deref(), Some(r#"<order id="1"><ref>5</ref></order>"#));
    }

    #[test]
    fn mock_responses_run_in_consumer_mode() {
        let mut response = Response::status(200);
        response.body = Body::json(json!({"id": "7", "link": "http://localhost:8080/orders/7", "who": "x"}));
        response
            .generators
            .body
            .insert(PathExpr::parse("$.id").unwrap(), Generator::random_int(1, 3).unwrap());
        response.generators.body.insert(
            PathExpr::parse("$.link").unwrap(),
            Generator::mock_server_url("http://localhost:8080/orders/7", ".*(/orders/\\d+)$").unwrap(),
        );
        response
            .generators
            .body
            .insert(PathExpr::parse("$.who").unwrap(), Generator::provider_state("${name}", None).unwrap());
        let out = mock_response(&response, &Context::for_mock_server("http://127.0.0.1:4000"));
        let body = out.body.as_json().unwrap();
        // A string example stays a string.
        assert!(["1", "2", "3"].contains(&body["id"].as_str().unwrap()), "{body}");
        assert_eq!(body["link"], "http://127.0.0.1:4000/orders/7");
        assert_eq!(body["who"], "x");
    }
}
