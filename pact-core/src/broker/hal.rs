//! HAL: the links a broker resource offers, templated links, and where an href points.
//!
//! - A link is followed by its relation name (`pb:publish-contracts`), never by a path the
//!   client made up.
//! - `{placeholders}` are filled only when the link says `"templated": true`, and each value is
//!   percent-encoded (every byte but the unreserved `A-Z a-z 0-9 - . _ ~`), so a name such as
//!   `Consumer 2` or `a/b` stays one path segment.
//! - An href is parsed as a URL (or resolved against the broker's URL when relative). When it
//!   names another origin than the configured broker (a broker behind a proxy that does not know
//!   its public URL), the path is kept and sent to the configured broker, with its context path:
//!   credentials never go to a host the user did not name.

use reqwest::Url;
use serde_json::Value;

use super::BrokerError;

/// One HAL link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The href, possibly with `{placeholders}`.
    pub href: String,
    /// Whether the href is a template.
    pub templated: bool,
    /// The link's `name`, when it has one.
    pub name: Option<String>,
    /// The link's `title`, when it has one.
    pub title: Option<String>,
}

impl Link {
    fn from_json(value: &Value) -> Option<Link> {
        let href = value.get("href")?.as_str()?.to_string();
        Some(Link {
            href,
            templated: value.get("templated").and_then(Value::as_bool).unwrap_or(false),
            name: value.get("name").and_then(Value::as_str).map(str::to_string),
            title: value.get("title").and_then(Value::as_str).map(str::to_string),
        })
    }

    /// The href with its placeholders filled, each value percent-encoded.
    ///
    /// A link that is not templated is returned as it is.
    ///
    /// ```
    /// use pact_core::broker::Link;
    ///
    /// let link = Link {
    ///     href: "http://broker/pacts/provider/{provider}/latest".into(),
    ///     templated: true,
    ///     name: None,
    ///     title: None,
    /// };
    /// assert_eq!(
    ///     link.expand(&[("provider", "User Service/v2")]).unwrap(),
    ///     "http://broker/pacts/provider/User%20Service%2Fv2/latest"
    /// );
    /// assert!(link.expand(&[]).is_err());
    /// ```
    pub fn expand(&self, values: &[(&str, &str)]) -> Result<String, BrokerError> {
        if !self.templated {
            return Ok(self.href.clone());
        }
        let mut out = String::with_capacity(self.href.len());
        let mut rest = self.href.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                out.push_str(&rest[open..]);
                rest = "";
                break;
            };
            let name = &rest[open + 1..open + close];
            let value = values.iter().find(|(k, _)| *k == name).map(|(_, v)| *v).ok_or_else(|| {
                BrokerError::Template { href: self.href.clone(), placeholder: name.to_string() }
            })?;
            out.push_str(&percent_encode(value));
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// Percent-encodes every byte but the unreserved characters of RFC 3986.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A resource read from the broker: where it came from and its JSON body.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The URL it was read from.
    pub url: Url,
    /// The body.
    pub body: Value,
}

impl Resource {
    /// The single link of a relation (the first, when the relation is an array).
    pub fn link(&self, relation: &str) -> Option<Link> {
        match self.body.get("_links")?.get(relation)? {
            Value::Array(items) => items.iter().find_map(Link::from_json),
            other => Link::from_json(other),
        }
    }

    /// The link of a relation, or an error naming the resource and the relation.
    pub fn require(&self, relation: &str, hint: Option<&str>) -> Result<Link, BrokerError> {
        self.link(relation).ok_or_else(|| BrokerError::MissingRelation {
            url: self.url.to_string(),
            relation: relation.to_string(),
            hint: hint.map(str::to_string),
        })
    }

    /// Every link of a relation (an array relation, or a single link).
    pub fn links(&self, relation: &str) -> Vec<Link> {
        match self.body.get("_links").and_then(|l| l.get(relation)) {
            Some(Value::Array(items)) => items.iter().filter_map(Link::from_json).collect(),
            Some(other) => Link::from_json(other).into_iter().collect(),
            None => Vec::new(),
        }
    }

    /// An embedded resource or list (`_embedded.<name>`).
    pub fn embedded(&self, name: &str) -> Option<&Value> {
        self.body.get("_embedded")?.get(name)
    }
}

/// Resolves an href against the configured broker URL.
pub(crate) fn resolve(base: &Url, href: &str) -> Result<Url, BrokerError> {
    let invalid = |e: String| BrokerError::InvalidResponse {
        url: base.to_string(),
        message: format!("the link {href:?} is not a URL: {e}"),
    };
    let url = match Url::parse(href) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            // A path relative to the broker's root keeps the broker's context path.
            let mut root = base.clone();
            if !root.path().ends_with('/') {
                let path = format!("{}/", root.path());
                root.set_path(&path);
            }
            root.join(href.trim_start_matches('/')).map_err(|e| invalid(e.to_string()))?
        }
        Err(e) => return Err(invalid(e.to_string())),
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!("the scheme {:?} is not http or https", url.scheme())));
    }
    if url.origin() == base.origin() {
        return Ok(url);
    }
    // Another origin: keep the path and query, send them to the configured broker.
    let mut fixed = base.clone();
    let context = base.path().trim_end_matches('/');
    let path = if context.is_empty() || url.path().starts_with(&format!("{context}/")) {
        url.path().to_string()
    } else {
        format!("{context}{}", url.path())
    };
    fixed.set_path(&path);
    fixed.set_query(url.query());
    tracing::debug!(href, resolved = %fixed, "the broker's link names another origin; using the configured broker");
    Ok(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn a_link_that_is_not_templated_keeps_its_braces() {
        let link = Link { href: "http://b/tag/{tag}".into(), templated: false, name: None, title: None };
        assert_eq!(link.expand(&[("tag", "x")]).unwrap(), "http://b/tag/{tag}");
    }

    #[test]
    fn values_are_percent_encoded_in_paths_and_queries() {
        let link = Link {
            href: "http://b/can-i-deploy?pacticipant={pacticipant}&version={version}".into(),
            templated: true,
            name: None,
            title: None,
        };
        assert_eq!(
            link.expand(&[("pacticipant", "Foo&Bar"), ("version", "1.0+build é")]).unwrap(),
            "http://b/can-i-deploy?pacticipant=Foo%26Bar&version=1.0%2Bbuild%20%C3%A9"
        );
    }

    #[test]
    fn hrefs_resolve_against_the_configured_broker() {
        let base = url("https://broker.example/ctx");
        assert_eq!(
            resolve(&base, "/pacts/latest").unwrap().as_str(),
            "https://broker.example/ctx/pacts/latest"
        );
        assert_eq!(
            resolve(&base, "https://broker.example/ctx/pacts/x").unwrap().as_str(),
            "https://broker.example/ctx/pacts/x"
        );
        // A broker that does not know its public URL: same path, configured origin, context kept.
        assert_eq!(
            resolve(&base, "http://localhost:9292/pacts/provider/P/latest?x=1").unwrap().as_str(),
            "https://broker.example/ctx/pacts/provider/P/latest?x=1"
        );
        let root = url("http://127.0.0.1:9292");
        assert_eq!(
            resolve(&root, "http://internal/pacts/provider/P%20Q").unwrap().as_str(),
            "http://127.0.0.1:9292/pacts/provider/P%20Q"
        );
        assert!(resolve(&root, "ftp://x/y").is_err());
    }

    #[test]
    fn array_relations_and_missing_relations() {
        let resource = Resource {
            url: url("http://b/"),
            body: serde_json::json!({"_links": {
                "pb:pacts": [{"href": "http://b/1", "name": "A"}, {"href": "http://b/2"}],
                "self": {"href": "http://b/"}
            }}),
        };
        assert_eq!(resource.links("pb:pacts").len(), 2);
        assert_eq!(resource.link("pb:pacts").unwrap().name.as_deref(), Some("A"));
        assert_eq!(resource.links("self").len(), 1);
        let err = resource.require("pb:publish-contracts", Some("broker 2.86 or later")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "http://b/: the broker offers no \"pb:publish-contracts\" link (broker 2.86 or later)"
        );
    }
}
