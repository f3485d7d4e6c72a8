//! Where the verifier's requests go: URLs parsed and checked once, and request URLs built from
//! the parsed base URL's parts, never by joining text.
//!
//! A pact's path is percent-encoded and set as the path after the base URL's own path, so that
//! nothing in it can change the scheme, host or port (`@other-host/x`, `//other-host/x`), and
//! `#`, `?` and spaces are sent as part of the path (`%23`, `%3F`, `%20`) rather than starting a
//! fragment or a query. `%XX` sequences already in the path are sent as written, as the
//! official verifier sends them. A path holding `.` or `..` segments cannot be sent as written
//! by any WHATWG URL client (they are normalised away, even as `%2E%2E`), so such a request is
//! refused with an error instead of going to a different path.

use reqwest::Url;

use crate::model::{query_to_string, Request};

/// Parses a URL the verifier calls (`what` names it in errors: "the provider base URL"...):
/// `http` or `https`, a host, a valid port, no fragment.
pub(crate) fn parse_http_url(text: &str, what: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("{what} {text:?} is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{what} {text:?} must start with http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{what} {text:?} has no host"));
    }
    if url.fragment().is_some() {
        return Err(format!("{what} {text:?} must not have a #fragment"));
    }
    Ok(url)
}

/// Parses the provider's base URL: as [`parse_http_url`], and no query either (a pact's query
/// replaces it).
pub(crate) fn parse_base_url(text: &str) -> Result<Url, String> {
    let what = "the provider base URL";
    let url = parse_http_url(text, what)?;
    if url.query().is_some() {
        return Err(format!("{what} {text:?} must not have a ?query"));
    }
    Ok(url)
}

/// Whether two URLs have the same scheme, host and port.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme() && a.host() == b.host() && a.port_or_known_default() == b.port_or_known_default()
}

/// Percent-encodes a pact path for sending: every byte that may not appear in a URL path as
/// data (and `#`, `?`, `%` not starting an escape, `\`) is escaped; `%XX` escapes are kept.
pub(crate) fn encode_path(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len() + 8);
    for (i, &b) in bytes.iter().enumerate() {
        let escape =
            b == b'%' && bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => out.push(char::from(b)),
            b'-' | b'.' | b'_' | b'~' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b','
            | b';' | b'=' | b':' | b'@' | b'/' => out.push(char::from(b)),
            b'%' if escape => out.push('%'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The path and query a request is sent with, relative to the base: `/users/a%20b?x=1`.
#[cfg_attr(not(feature = "axum"), allow(dead_code))]
pub(crate) fn request_target(request: &Request) -> String {
    let mut target = if request.path.is_empty() { "/".to_string() } else { encode_path(&request.path) };
    if let Some(query) = request.query.as_ref().filter(|q| !q.is_empty()) {
        target.push('?');
        target.push_str(&query_to_string(query));
    }
    target
}

/// The URL `request` goes to: the base URL with the pact's path (percent-encoded) after the
/// base's own path, and the pact's query.
///
/// Fails, rather than sending the request elsewhere, when the path cannot be sent as written
/// or the URL would not have the base URL's scheme, host and port.
pub(crate) fn request_url(base: &Url, request: &Request) -> Result<Url, String> {
    if !(request.path.is_empty() || request.path.starts_with('/')) {
        return Err(format!(
            "the path {:?} does not start with \"/\", so the request was not sent",
            request.path
        ));
    }
    let prefix = base.path().trim_end_matches('/');
    let mut path = format!("{prefix}{}", encode_path(&request.path));
    if path.is_empty() {
        path.push('/');
    }
    let mut url = base.clone();
    url.set_path(&path);
    url.set_fragment(None);
    match request.query.as_ref().filter(|q| !q.is_empty()) {
        Some(query) => url.set_query(Some(&query_to_string(query))),
        None => url.set_query(None),
    }
    if url.path() != path {
        return Err(format!(
            "the path {:?} cannot be sent as written: an HTTP client would send {} (its . and .. segments \
             are normalised away), so the request was not sent",
            request.path,
            url.path()
        ));
    }
    if !same_origin(&url, base) {
        return Err(format!("the path {:?} would send the request to {url}, away from {base}", request.path));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(base: &str, path: &str) -> Result<String, String> {
        let base = parse_base_url(base)?;
        request_url(&base, &Request::get(path)).map(|u| u.to_string())
    }

    #[test]
    fn paths_are_set_on_the_parsed_base_url() {
        assert_eq!(
            url("http://127.0.0.1:5001", "/users/UserA").unwrap(),
            "http://127.0.0.1:5001/users/UserA"
        );
        assert_eq!(
            url("http://127.0.0.1:5001/", "/users/UserA").unwrap(),
            "http://127.0.0.1:5001/users/UserA"
        );
        assert_eq!(url("http://h:1/api", "/users/UserA").unwrap(), "http://h:1/api/users/UserA");
        assert_eq!(url("http://h:1/api/", "/users/UserA").unwrap(), "http://h:1/api/users/UserA");
        assert_eq!(url("http://h:1/api", "").unwrap(), "http://h:1/api");
        assert_eq!(url("http://h:1", "").unwrap(), "http://h:1/");
        assert_eq!(url("http://u:p@h:1", "/x").unwrap(), "http://u:p@h:1/x");
    }

    #[test]
    fn nothing_in_a_path_changes_the_host() {
        assert_eq!(url("http://h:1", "//evil:2/x").unwrap(), "http://h:1//evil:2/x");
        assert_eq!(url("http://h:1", "/@evil:2/x").unwrap(), "http://h:1/@evil:2/x");
        assert_eq!(url("http://h:1", "/\\\\evil/x").unwrap(), "http://h:1/%5C%5Cevil/x");
        // The reader refuses paths without a leading slash, and so does the URL builder.
        assert!(url("http://h:1", "@evil:2/x").unwrap_err().contains("does not start with \"/\""));
    }

    #[test]
    fn hash_question_mark_and_spaces_are_sent_in_the_path() {
        assert_eq!(url("http://h:1", "/a#b?c d").unwrap(), "http://h:1/a%23b%3Fc%20d");
        assert_eq!(url("http://h:1", "/caf\u{e9}/%20/%zz/%").unwrap(), "http://h:1/caf%C3%A9/%20/%25zz/%25");
        let mut request = Request::get("/a?b");
        request.query = Some([("q".to_string(), vec!["x y&z".to_string()])].into());
        let base = parse_base_url("http://h:1").unwrap();
        assert_eq!(request_url(&base, &request).unwrap().as_str(), "http://h:1/a%3Fb?q=x+y%26z");
        assert_eq!(request_target(&request), "/a%3Fb?q=x+y%26z");
    }

    #[test]
    fn dot_segments_are_refused_rather_than_sent_elsewhere() {
        for path in ["/a/../admin", "/a/./b", "/a/%2E%2E/b", "/..", "/a/.%2e"] {
            let err = url("http://h:1", path).unwrap_err();
            assert!(err.contains("cannot be sent as written"), "{path}: {err}");
        }
        assert_eq!(url("http://h:1", "/a/.../b..c/.d").unwrap(), "http://h:1/a/.../b..c/.d");
    }

    #[test]
    fn base_urls_are_checked() {
        for (text, message) in [
            ("http://", "is not a URL (empty host)"),
            ("notaurl", "is not a URL (relative URL without a base)"),
            ("ftp://x", "must start with http:// or https://"),
            ("localhost:5001", "must start with http:// or https://"),
            ("http://localhost:99999", "is not a URL (invalid port number)"),
            ("http://h/api?x=1", "must not have a ?query"),
            ("http://h/#top", "must not have a #fragment"),
        ] {
            let err = parse_base_url(text).unwrap_err();
            assert!(err.starts_with(&format!("the provider base URL {text:?}")), "{err}");
            assert!(err.ends_with(message), "{text}: {err}");
        }
        assert!(parse_base_url("https://[::1]:8443/api").is_ok());
    }
}
