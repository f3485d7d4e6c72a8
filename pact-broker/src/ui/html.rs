//! Writing HTML safely: every piece of text goes through [`esc`] (names, versions and pact
//! content come from users and are hostile), and every page has the same small layout with
//! inline CSS and no JavaScript.
//!
//! ```
//! use pact_broker::ui::html::esc;
//!
//! assert_eq!(esc("<script>alert('x') & \"y\"</script>"), "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
//! ```

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// A link: `href` (an href built by [`crate::hal::BaseUrl`]) and its text, both escaped.
pub fn link(href: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", esc(href), esc(text))
}

/// The style of every page.
const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
header { background: #24292f; color: #fff; padding: 0.8em 1.5em; display: flex; gap: 1.5em; align-items: baseline; }
header a { color: #fff; text-decoration: none; }
header .brand { font-weight: 600; font-size: 1.1em; }
main { padding: 1em 1.5em 3em; max-width: 1400px; }
h1 { font-size: 1.4em; margin: 0.6em 0; overflow-wrap: anywhere; }
h2 { font-size: 1.15em; margin: 1.4em 0 0.5em; }
h3 { font-size: 1em; margin: 0.8em 0 0.3em; }
table { border-collapse: collapse; background: #fff; width: 100%; margin-bottom: 1em; }
th, td { border: 1px solid #d0d7de; padding: 0.4em 0.6em; text-align: left; vertical-align: top; overflow-wrap: break-word; }
td.when, td.result { white-space: nowrap; }
form { margin: 0.5em 0 1em; }
th { background: #eaeef2; font-weight: 600; }
tr.success td.result { background: #dafbe1; color: #116329; font-weight: 600; }
tr.failure td.result { background: #ffebe9; color: #a40e26; font-weight: 600; }
tr.unverified td.result { background: #fff8c5; color: #7d4e00; }
.tag { display: inline-block; background: #ddf4ff; color: #0550ae; border-radius: 1em; padding: 0 0.5em; margin: 0.1em; font-size: 0.85em; }
.branch { display: inline-block; background: #fbefff; color: #8250df; border-radius: 1em; padding: 0 0.5em; margin: 0.1em; font-size: 0.85em; }
.muted { color: #57606a; }
pre { background: #fff; border: 1px solid #d0d7de; padding: 0.6em; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.2em 0; }
.interaction { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 0.2em 1em 0.8em; margin: 1em 0; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.kv td:first-child { width: 10em; color: #57606a; }
.method { font-family: ui-monospace, monospace; font-weight: 600; }
";

/// A whole page: `title` (escaped here) and `body` (already HTML).
pub fn page(title: &str, nav: &[(String, &str)], body: &str) -> String {
    let links: String = nav.iter().map(|(href, text)| link(href, text)).collect::<Vec<_>>().join(" ");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} - Pact Broker</title><style>{STYLE}</style></head>\n<body><header><span class=\"brand\">Pact Broker</span> {links}</header>\n\
         <main>\n{body}\n</main></body></html>\n",
        esc(title)
    )
}

/// An HTML response, with headers that forbid scripts and framing.
pub fn response(status: StatusCode, html: String) -> Response {
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; img-src 'self'"),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Tags and branches as small labels.
pub fn labels(branches: &[String], tags: &[String]) -> String {
    let mut out = String::new();
    for b in branches {
        out.push_str(&format!("<span class=\"branch\" title=\"branch\">{}</span>", esc(b)));
    }
    for t in tags {
        out.push_str(&format!("<span class=\"tag\" title=\"tag\">{}</span>", esc(t)));
    }
    out
}

/// A stored time (`2021-09-01T00:07:21+00:00`) as `2021-09-01 00:07:21 UTC`, escaped.
pub fn when(at: &str) -> String {
    esc(&at.replacen('T', " ", 1).replace("+00:00", " UTC"))
}

/// JSON pretty-printed in a `<pre>`.
pub fn json_block(value: &serde_json::Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    format!("<pre>{}</pre>", esc(&text))
}
