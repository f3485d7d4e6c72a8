//! The `/metadata/{metadata}` segment of pact URLs handed out by pacts for verification.
//!
//! As in the official broker it is `base64url` (no padding) of a Rack nested query string:
//! `s[][b]=main&s[][l]=true&s[][cv]=12&p=true` (`s` selectors with `b` branch, `t` tag, `l`
//! latest, `e` environment, `cv` consumer version id; `p` pending; `w` work in progress). This
//! broker writes indexed keys (`s[0][b]=main`), which keep selectors apart whatever fields
//! they have, and reads both forms. The
//! verifier sends it back in the URL it publishes results to, which is how a verification
//! result learns whether the pact was pending or WIP for it. Unknown or undecodable metadata is
//! ignored, as the official broker treats it as opaque.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};

/// One selector as carried in metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaSelector {
    /// `b`: branch.
    pub branch: Option<String>,
    /// `t`: tag.
    pub tag: Option<String>,
    /// `l`: latest.
    pub latest: Option<bool>,
    /// `e`: environment name.
    pub environment: Option<String>,
    /// `cv`: consumer version id.
    pub consumer_version_id: Option<i64>,
}

impl MetaSelector {
    fn has(&self, field: &str) -> bool {
        match field {
            "b" => self.branch.is_some(),
            "t" => self.tag.is_some(),
            "l" => self.latest.is_some(),
            "e" => self.environment.is_some(),
            "cv" => self.consumer_version_id.is_some(),
            _ => false,
        }
    }

    fn set(&mut self, field: &str, value: &str) {
        match field {
            "b" => self.branch = Some(value.to_string()),
            "t" => self.tag = Some(value.to_string()),
            "l" => self.latest = Some(value == "true"),
            "e" => self.environment = Some(value.to_string()),
            "cv" => self.consumer_version_id = value.parse().ok(),
            _ => {}
        }
    }
}

/// Decoded metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// `s`: the selectors that chose the pact.
    pub selectors: Vec<MetaSelector>,
    /// `p`: whether the pact was pending.
    pub pending: Option<bool>,
    /// `w`: whether the pact was work in progress.
    pub wip: bool,
    /// `cvn`: the consumer version number (in the pact URLs webhooks hand out).
    pub consumer_version_number: Option<String>,
    /// `cvt[]`: the consumer version's tags (in the pact URLs webhooks hand out).
    pub consumer_version_tags: Vec<String>,
}

impl Metadata {
    /// Encodes as the URL segment.
    ///
    /// ```
    /// use pact_broker::domain::metadata::{Metadata, MetaSelector};
    ///
    /// let meta = Metadata {
    ///     selectors: vec![MetaSelector { branch: Some("main".into()), latest: Some(true), consumer_version_id: Some(3), ..Default::default() }],
    ///     pending: Some(false),
    ///     ..Default::default()
    /// };
    /// let segment = meta.encode();
    /// assert_eq!(Metadata::decode(&segment), meta);
    /// ```
    pub fn encode(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (i, s) in self.selectors.iter().enumerate() {
            let key = |field: &str| format!("s[{i}][{field}]");
            if let Some(b) = &s.branch {
                query.append_pair(&key("b"), b);
            }
            if let Some(t) = &s.tag {
                query.append_pair(&key("t"), t);
            }
            if let Some(l) = s.latest {
                query.append_pair(&key("l"), if l { "true" } else { "false" });
            }
            if let Some(e) = &s.environment {
                query.append_pair(&key("e"), e);
            }
            if let Some(cv) = s.consumer_version_id {
                query.append_pair(&key("cv"), &cv.to_string());
            }
        }
        if let Some(p) = self.pending {
            query.append_pair("p", if p { "true" } else { "false" });
        }
        if self.wip {
            query.append_pair("w", "true");
        }
        URL_SAFE_NO_PAD.encode(query.finish())
    }

    /// Decodes a URL segment; anything unreadable gives empty metadata.
    pub fn decode(segment: &str) -> Self {
        let Ok(bytes) = URL_SAFE_NO_PAD.decode(segment.trim_end_matches('=')) else {
            return Metadata::default();
        };
        let mut meta = Metadata::default();
        let mut unindexed: Vec<MetaSelector> = Vec::new();
        let mut indexed: std::collections::BTreeMap<u32, MetaSelector> = std::collections::BTreeMap::new();
        for (key, value) in url::form_urlencoded::parse(&bytes) {
            let bool_value = value == "true";
            match key.as_ref() {
                "p" => meta.pending = Some(bool_value),
                "w" => meta.wip = bool_value,
                "cvn" => meta.consumer_version_number = Some(value.to_string()),
                "cvt[]" => meta.consumer_version_tags.push(value.to_string()),
                other => {
                    let Some((index, field)) = other
                        .strip_prefix("s[")
                        .and_then(|rest| rest.split_once("]["))
                        .and_then(|(i, f)| Some((i, f.strip_suffix(']')?)))
                    else {
                        continue;
                    };
                    let s = if index.is_empty() {
                        // Rack's form: a repeated key starts a new hash.
                        let repeats = unindexed.last().is_none_or(|s| s.has(field));
                        if repeats {
                            unindexed.push(MetaSelector::default());
                        }
                        unindexed.last_mut()
                    } else {
                        index.parse().ok().map(|i| indexed.entry(i).or_default())
                    };
                    if let Some(s) = s {
                        s.set(field, &value);
                    }
                }
            }
        }
        meta.selectors = unindexed;
        meta.selectors.extend(indexed.into_values());
        meta
    }

    /// The metadata of the pact URL a webhook hands out for a publication, as the official
    /// broker writes it: the consumer version number, its tags, and `w=true`.
    ///
    /// ```
    /// use pact_broker::domain::metadata::Metadata;
    ///
    /// let segment = Metadata::for_webhook("1.0", &["main".to_string()]);
    /// let meta = Metadata::decode(&segment);
    /// assert_eq!(meta.consumer_version_number.as_deref(), Some("1.0"));
    /// assert_eq!(meta.consumer_version_tags, ["main"]);
    /// ```
    pub fn for_webhook(consumer_version: &str, tags: &[String]) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("cvn", consumer_version);
        for tag in tags {
            query.append_pair("cvt[]", tag);
        }
        query.append_pair("w", "true");
        URL_SAFE_NO_PAD.encode(query.finish())
    }

    /// The selectors as JSON, for storage with a verification result.
    pub fn selectors_json(&self) -> Option<String> {
        if self.selectors.is_empty() {
            return None;
        }
        let items: Vec<Value> = self
            .selectors
            .iter()
            .map(|s| {
                json!({"branch": s.branch, "tag": s.tag, "latest": s.latest, "environment": s.environment,
                       "consumerVersionId": s.consumer_version_id})
            })
            .collect();
        Some(Value::Array(items).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_selectors_and_flags_survive_the_round_trip() {
        let meta = Metadata {
            selectors: vec![
                MetaSelector {
                    tag: Some("prod".into()),
                    latest: Some(true),
                    consumer_version_id: Some(10),
                    ..Default::default()
                },
                MetaSelector {
                    environment: Some("test env".into()),
                    consumer_version_id: Some(11),
                    ..Default::default()
                },
            ],
            pending: Some(true),
            wip: true,
            ..Default::default()
        };
        assert_eq!(Metadata::decode(&meta.encode()), meta);
    }

    #[test]
    fn the_official_brokers_encoding_is_read() {
        // base64url of "s[][t]=prod&s[][l]=true&s[][cv]=10" (the form in broker-api.md).
        let segment = URL_SAFE_NO_PAD.encode("s%5B%5D%5Bt%5D=prod&s%5B%5D%5Bl%5D=true&s%5B%5D%5Bcv%5D=10");
        let meta = Metadata::decode(&segment);
        assert_eq!(meta.selectors.len(), 1);
        assert_eq!(meta.selectors[0].tag.as_deref(), Some("prod"));
        assert_eq!(meta.selectors[0].consumer_version_id, Some(10));
        assert_eq!(Metadata::decode("not base64 !!"), Metadata::default());
    }
}
