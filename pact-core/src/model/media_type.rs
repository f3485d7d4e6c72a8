//! Content types as pact_models reads them (through the `mime` crate), for the checks that
//! follow its rules: whether a body's declared type can stand for the expected one, and whether a
//! body is XML.

/// A content type as pact_models reads one through the `mime` crate: the type, the subtype
/// without its `+suffix`, the suffix, and the parameters (in lower case: `charset=UTF-8` is
/// `charset=utf-8` to the official verifier).
#[derive(Debug, PartialEq)]
pub(crate) struct MediaType {
    pub(crate) main: String,
    sub: String,
    suffix: Option<String>,
    params: Vec<(String, String)>,
}

impl MediaType {
    pub(crate) fn parse(text: &str) -> Option<MediaType> {
        let mut parts = text.split(';');
        let essence = parts.next()?.trim().to_ascii_lowercase();
        let (main, sub) = essence.split_once('/')?;
        if main.is_empty() || sub.is_empty() || main.contains(char::is_whitespace) {
            return None;
        }
        let (sub, suffix) = match sub.split_once('+') {
            Some((sub, suffix)) => (sub.to_string(), Some(suffix.to_string())),
            None => (sub.to_string(), None),
        };
        let mut params: Vec<(String, String)> = parts
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().trim_matches('"').to_ascii_lowercase()))
            .collect();
        params.sort();
        Some(MediaType { main: main.to_string(), sub, suffix, params })
    }

    pub(crate) fn is_unknown(&self) -> bool {
        self.main == "*" || self.sub == "*"
    }

    /// pact_models' `is_xml`: `application/` or `text/` with `xml` or a `+xml` suffix.
    pub(crate) fn is_xml(&self) -> bool {
        (self.main == "application" || self.main == "text")
            && (self.sub == "xml" || self.suffix.as_deref() == Some("xml"))
    }

    fn is_strict_xml(&self) -> bool {
        (self.main == "application" || self.main == "text") && self.sub == "xml" && self.suffix.is_none()
    }

    /// pact_models' `is_equivalent_to`, against `other` or its base type (`+json` read as
    /// `json`).
    pub(crate) fn accepts(&self, other: &MediaType) -> bool {
        if self.is_strict_xml() && other.is_strict_xml() {
            return self.params.is_empty() || self.params == other.params;
        }
        if self.params.is_empty() {
            let base = other.suffix.as_deref().unwrap_or(&other.sub);
            return self.main == other.main && (self.sub == other.sub || self.sub == base);
        }
        self == other
    }

    pub(crate) fn text(&self) -> String {
        match &self.suffix {
            Some(suffix) => format!("{}/{}+{}", self.main, self.sub, suffix),
            None => format!("{}/{}", self.main, self.sub),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_are_equivalent_as_pact_models_judges() {
        let accepts = |e: &str, a: &str| MediaType::parse(e).unwrap().accepts(&MediaType::parse(a).unwrap());
        assert!(accepts("application/json", "application/json; charset=utf-8"));
        assert!(accepts("application/json", "application/hal+json"));
        assert!(accepts("application/json", "Application/JSON"));
        assert!(!accepts("application/json", "text/plain"));
        assert!(!accepts("application/hal+json", "application/json"));
        assert!(accepts("application/xml", "text/xml"));
        assert!(!accepts("text/plain", "text/html"));
        assert!(accepts("text/plain; charset=utf-8", "text/plain; charset=utf-8"));
        assert!(!accepts("text/plain; charset=utf-8", "text/plain"));
        assert!(accepts("application/json; charset=UTF-8", "application/json; charset=utf-8"));
        assert!(MediaType::parse("not a type").is_none());
        assert!(MediaType::parse("*/*").unwrap().is_unknown());
        let xml = |t: &str| MediaType::parse(t).unwrap().is_xml();
        assert!(xml("application/xml") && xml("text/xml; charset=utf-8") && xml("application/soap+xml"));
        assert!(!xml("image/svg+xml") && !xml("application/json"));
    }
}
