//! The `contentType` matcher: judge a body's media type from its bytes, not from its headers.

use crate::model::ContentKind;

/// Checks that `bytes` look like `expected` (for example `image/png` or `application/json`).
/// `declared` is the content type the sender stated, used when the bytes alone cannot tell.
pub(crate) fn check(expected: &str, bytes: &[u8], declared: Option<&str>) -> Result<(), String> {
    let wanted = essence(expected);
    let detected = detect(bytes);
    let ok = match detected {
        Some(found) => same_family(&wanted, found),
        None => declared.is_some_and(|d| essence(d) == wanted),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "expected content of type {expected} but the content looks like {}",
            detected.unwrap_or("an unknown type")
        ))
    }
}

fn essence(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

fn same_family(wanted: &str, found: &str) -> bool {
    if wanted == found {
        return true;
    }
    let kind = ContentKind::of(wanted);
    match found {
        "application/json" => kind == ContentKind::Json,
        "application/xml" => kind == ContentKind::Xml,
        "text/plain" => kind == ContentKind::Text && !wanted.ends_with("html"),
        "text/html" => wanted.ends_with("html"),
        _ => false,
    }
}

/// Recognises common formats by their magic bytes, then JSON, XML, HTML and UTF-8 text.
pub(crate) fn detect(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xFF\xD8\xFF", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"%PDF-", "application/pdf"),
        (b"PK\x03\x04", "application/zip"),
        (b"\x1F\x8B", "application/gzip"),
        (b"BM", "image/bmp"),
        (b"RIFF", "image/webp"),
    ];
    for (magic, ct) in MAGIC {
        if bytes.starts_with(magic) {
            return Some(ct);
        }
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && serde_json::from_str::<serde_json::Value>(text).is_ok()
    {
        return Some("application/json");
    }
    let lower: String = trimmed.chars().take(64).collect::<String>().to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return Some("text/html");
    }
    if lower.starts_with("<?xml") || (trimmed.starts_with('<') && roxmltree::Document::parse(text).is_ok()) {
        return Some("application/xml");
    }
    Some("text/plain")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects() {
        assert_eq!(detect(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(detect(br#"{"a":1}"#), Some("application/json"));
        assert_eq!(detect(b"<?xml version=\"1.0\"?><a/>"), Some("application/xml"));
        assert_eq!(detect(b"hello"), Some("text/plain"));
        assert_eq!(detect(b"\xff\xfe\x00"), None);
        assert!(check("image/png", b"\x89PNG\r\n\x1a\n", None).is_ok());
        assert!(check("image/jpeg", b"\x89PNG\r\n\x1a\n", None).is_err());
        assert!(check("application/vnd.api+json", br#"{"a":1}"#, None).is_ok());
    }
}
