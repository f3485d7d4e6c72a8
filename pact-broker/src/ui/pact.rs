//! `/ui/pacts/provider/{p}/consumer/{c}/version/{v}`: a pact, its interactions laid out for
//! reading: provider states with their parameters, the request (method, path, query, headers,
//! body), the response (status, headers, body), matching rules and generators; messages with
//! their contents and metadata. Any specification version; unknown parts are shown as JSON.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::html::{self, esc, json_block, link};
use super::{nav, result_cell, Labels, UiError, UiResult};
use crate::api::extract::PathParams;
use crate::api::AppState;
use crate::hal::BaseUrl;
use crate::storage::{pacticipants, pacts, verifications, versions};

/// The path of a pact page.
#[derive(Debug, Deserialize)]
pub struct PactPath {
    /// Provider name.
    pub provider: String,
    /// Consumer name.
    pub consumer: String,
    /// Consumer version number.
    pub version: String,
}

/// `GET /ui/pacts/provider/{p}/consumer/{c}/version/{v}`.
pub async fn page(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<PactPath>,
) -> UiResult {
    let mut conn = state.storage.read().await?;
    let missing = || {
        UiError::not_found(format!(
            "No pact between {} and {} for consumer version {}",
            path.consumer, path.provider, path.version
        ))
    };
    let provider = pacticipants::find(&mut conn, &path.provider).await?.ok_or_else(missing)?;
    let consumer = pacticipants::find(&mut conn, &path.consumer).await?.ok_or_else(missing)?;
    let version = versions::find(&mut conn, consumer.id, &path.version).await?.ok_or_else(missing)?;
    let publication =
        pacts::find_publication(&mut conn, version.id, provider.id).await?.ok_or_else(missing)?;
    let stored = pacts::pact_version(&mut conn, publication.pact_version_id).await?.ok_or_else(missing)?;
    let document: Value = serde_json::from_str(&stored.content).unwrap_or(Value::Null);
    let verification = verifications::latest_for_pact_version(&mut conn, publication.pact_version_id).await?;
    let (class, result) = result_cell(verification.as_ref());
    let mut labels = Labels::default();

    let title = format!("Pact between {} ({}) and {}", consumer.name, version.number, provider.name);
    let api_href = base.href(&[
        "pacts",
        "provider",
        &provider.name,
        "consumer",
        &consumer.name,
        "version",
        &version.number,
    ]);
    let matrix = base
        .href_with_query(&["ui", "matrix"], &[("consumer", &consumer.name), ("provider", &provider.name)]);
    let spec = document
        .pointer("/metadata/pactSpecification/version")
        .or_else(|| document.pointer("/metadata/pact-specification/version"))
        .and_then(Value::as_str)
        .unwrap_or("unknown");
    let verified = match &verification {
        Some(v) => format!(
            "{} <span class=\"muted\">by {} {} at {}</span>",
            esc(result),
            esc(&provider.name),
            esc(&v.provider_version_number),
            html::when(&v.created_at)
        ),
        None => esc(result),
    };
    let mut body = format!(
        "<h1>{}</h1><table class=\"kv\"><tbody>\
         <tr><td>Consumer</td><td>{}</td></tr>\
         <tr><td>Consumer version</td><td>{} {}</td></tr>\
         <tr><td>Provider</td><td>{}</td></tr>\
         <tr><td>Pact specification</td><td>{}</td></tr>\
         <tr><td>Content hash</td><td><code>{}</code></td></tr>\
         <tr><td>Published</td><td>{}</td></tr>\
         <tr class=\"{class}\"><td>Latest verification</td><td class=\"result\">{verified}</td></tr>\
         </tbody></table><p>{} · {}</p>",
        esc(&title),
        esc(&consumer.name),
        esc(&version.number),
        labels.of(&mut conn, version.id).await?,
        esc(&provider.name),
        esc(spec),
        esc(&stored.sha),
        html::when(&publication.created_at),
        link(&api_href, "the pact as JSON"),
        link(&matrix, "the matrix of this integration"),
    );
    let interactions = document.get("interactions").and_then(Value::as_array).cloned().unwrap_or_default();
    let messages = document.get("messages").and_then(Value::as_array).cloned().unwrap_or_default();
    body.push_str(&format!(
        "<h2>{} interaction{}</h2>",
        interactions.len() + messages.len(),
        if interactions.len() + messages.len() == 1 { "" } else { "s" }
    ));
    for item in interactions.iter().chain(messages.iter()) {
        body.push_str(&interaction(item));
    }
    Ok(html::response(StatusCode::OK, html::page(&title, &nav(&base), &body)))
}

fn text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn states(item: &Value) -> String {
    let mut out = Vec::new();
    if let Some(list) = item.get("providerStates").and_then(Value::as_array) {
        for state in list {
            let mut line = format!("<li>{}", esc(&text(state.get("name"))));
            if let Some(params) = state.get("params").filter(|p| p.as_object().is_some_and(|m| !m.is_empty()))
            {
                line.push_str(&format!(
                    " <span class=\"muted\">with</span> <code>{}</code>",
                    esc(&params.to_string())
                ));
            }
            line.push_str("</li>");
            out.push(line);
        }
    } else if let Some(state) = item.get("providerState").and_then(Value::as_str) {
        out.push(format!("<li>{}</li>", esc(state)));
    }
    if out.is_empty() {
        String::new()
    } else {
        format!("<p><strong>Given</strong></p><ul>{}</ul>", out.join(""))
    }
}

fn headers(value: Option<&Value>) -> String {
    let Some(Value::Object(map)) = value else { return String::new() };
    if map.is_empty() {
        return String::new();
    }
    let rows: String = map
        .iter()
        .map(|(k, v)| {
            let value = match v {
                Value::Array(items) => items.iter().map(|i| text(Some(i))).collect::<Vec<_>>().join(", "),
                other => text(Some(other)),
            };
            format!("<tr><td>{}</td><td>{}</td></tr>", esc(k), esc(&value))
        })
        .collect();
    format!("<table class=\"kv\"><tbody>{rows}</tbody></table>")
}

fn query(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(q)) if !q.is_empty() => format!("?{q}"),
        Some(Value::Object(map)) if !map.is_empty() => {
            let mut pairs = Vec::new();
            for (k, v) in map {
                match v {
                    Value::Array(items) => {
                        pairs.extend(items.iter().map(|i| format!("{k}={}", text(Some(i)))))
                    }
                    other => pairs.push(format!("{k}={}", text(Some(other)))),
                }
            }
            format!("?{}", pairs.join("&"))
        }
        _ => String::new(),
    }
}

/// A body: V4 `{"content", "contentType", "encoded"}` objects are unwrapped; JSON is
/// pretty-printed; text is shown as it is.
fn body(value: Option<&Value>) -> String {
    let Some(value) = value.filter(|v| !v.is_null()) else { return String::new() };
    let content = match value {
        Value::Object(map)
            if map.contains_key("content")
                && (map.contains_key("contentType") || map.contains_key("encoded")) =>
        {
            map.get("content").cloned().unwrap_or(Value::Null)
        }
        other => other.clone(),
    };
    match content {
        Value::String(s) => format!("<p><strong>Body</strong></p><pre>{}</pre>", esc(&s)),
        other => format!("<p><strong>Body</strong></p>{}", json_block(&other)),
    }
}

fn extras(part: &Map<String, Value>, keys: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (key, label) in keys {
        if let Some(value) =
            part.get(*key).filter(|v| !v.is_null() && v.as_object().is_none_or(|m| !m.is_empty()))
        {
            out.push_str(&format!("<p><strong>{}</strong></p>{}", esc(label), json_block(value)));
        }
    }
    out
}

fn request(part: &Value) -> String {
    let Some(map) = part.as_object() else { return json_block(part) };
    let path = format!("{}{}", text(map.get("path")), query(map.get("query")));
    format!(
        "<p><span class=\"method\">{}</span> <code>{}</code></p>{}{}{}",
        esc(&text(map.get("method")).to_ascii_uppercase()),
        esc(&path),
        headers(map.get("headers")),
        body(map.get("body")),
        extras(map, &[("matchingRules", "Matching rules"), ("generators", "Generators")]),
    )
}

fn response(part: &Value) -> String {
    let Some(map) = part.as_object() else { return json_block(part) };
    format!(
        "<p>Status <strong>{}</strong></p>{}{}{}",
        esc(&text(map.get("status"))),
        headers(map.get("headers")),
        body(map.get("body")),
        extras(map, &[("matchingRules", "Matching rules"), ("generators", "Generators")]),
    )
}

fn message(part: &Map<String, Value>) -> String {
    let contents = part.get("contents").or_else(|| part.get("content"));
    format!(
        "{}{}",
        body(contents),
        extras(
            part,
            &[("metadata", "Metadata"), ("matchingRules", "Matching rules"), ("generators", "Generators")]
        ),
    )
}

/// One interaction (HTTP, message or synchronous message).
fn interaction(item: &Value) -> String {
    let Some(map) = item.as_object() else {
        return format!("<div class=\"interaction\">{}</div>", json_block(item));
    };
    let kind = text(map.get("type"));
    let mut out = format!(
        "<div class=\"interaction\"><h3>{}</h3>{}{}",
        esc(&text(map.get("description"))),
        if kind.is_empty() { String::new() } else { format!("<p class=\"muted\">{}</p>", esc(&kind)) },
        states(item),
    );
    if map.contains_key("request") || map.contains_key("response") {
        let response_part = match map.get("response") {
            Some(Value::Array(items)) => items
                .iter()
                .map(|r| {
                    if r.get("contents").is_some() {
                        message(r.as_object().unwrap_or(&Map::new()))
                    } else {
                        response(r)
                    }
                })
                .collect(),
            Some(r) if r.get("contents").is_some() => message(r.as_object().unwrap_or(&Map::new())),
            Some(r) => response(r),
            None => String::new(),
        };
        let request_part = match map.get("request") {
            Some(r) if r.get("contents").is_some() => message(r.as_object().unwrap_or(&Map::new())),
            Some(r) => request(r),
            None => String::new(),
        };
        out.push_str(&format!(
            "<div class=\"columns\"><div><h3>Request</h3>{request_part}</div><div><h3>Response</h3>{response_part}</div></div>"
        ));
    } else {
        out.push_str(&message(map));
    }
    out.push_str("</div>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn interactions_show_states_request_response_and_rules_escaped() {
        let html = interaction(&json!({
            "description": "a <b>request</b>",
            "providerStates": [{"name": "user <x> exists", "params": {"id": 1}}],
            "request": {"method": "get", "path": "/users/<x>", "query": {"a": ["1", "2"]}, "headers": {"Accept": "application/json"}},
            "response": {"status": 200, "body": {"name": "<script>"}, "matchingRules": {"body": {"$.name": {"matchers": [{"match": "type"}]}}}}
        }));
        assert!(html.contains("a &lt;b&gt;request&lt;/b&gt;"), "{html}");
        assert!(html.contains("user &lt;x&gt; exists"), "{html}");
        assert!(
            html.contains("<span class=\"method\">GET</span> <code>/users/&lt;x&gt;?a=1&amp;a=2</code>"),
            "{html}"
        );
        assert!(html.contains("&quot;&lt;script&gt;&quot;"), "{html}");
        assert!(html.contains("Matching rules"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
    }

    #[test]
    fn messages_and_v4_bodies_are_shown() {
        let html = interaction(
            &json!({"description": "an event", "contents": {"id": 1}, "metadata": {"topic": "t"}}),
        );
        assert!(html.contains("Metadata") && html.contains("&quot;id&quot;: 1"), "{html}");
        let v4 = interaction(
            &json!({"type": "Synchronous/HTTP", "description": "d", "request": {"method": "POST", "path": "/", "body": {"content": "plain", "contentType": "text/plain"}}, "response": {"status": 204}}),
        );
        assert!(v4.contains("<pre>plain</pre>") && v4.contains("Synchronous/HTTP"), "{v4}");
    }
}
