//! A whole pact: consumer, provider, interactions and metadata; reading any version and writing
//! V2, V3 or V4.

use std::fmt;
use std::path::Path;

use serde_json::{json, Map, Value};

use super::bounded;
use super::error::{Error, Result};
use super::interaction::Interaction;
use super::json::Node;
use super::lint::{self, ReadWarning};

/// Versions of the Pact specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum SpecVersion {
    /// 1.0.0
    V1,
    /// 1.1.0
    V1_1,
    /// 2.0.0
    V2,
    /// 3.0.0 (the default for writing)
    #[default]
    V3,
    /// 4.0
    V4,
}

impl SpecVersion {
    /// The version string written in `metadata.pactSpecification.version`.
    pub fn as_str(self) -> &'static str {
        match self {
            SpecVersion::V1 => "1.0.0",
            SpecVersion::V1_1 => "1.1.0",
            SpecVersion::V2 => "2.0.0",
            SpecVersion::V3 => "3.0.0",
            SpecVersion::V4 => "4.0",
        }
    }

    /// Parses `"3.0.0"`, `"4.0"`, `"v2"`, `"V1.1"` and similar.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().trim_start_matches(['v', 'V']);
        let mut parts = s.split('.').map(|p| p.parse::<u32>().ok());
        let major = parts.next().flatten()?;
        let minor = parts.next().flatten().unwrap_or(0);
        Some(match (major, minor) {
            (1, 0) => SpecVersion::V1,
            (1, _) => SpecVersion::V1_1,
            (2, _) => SpecVersion::V2,
            (3, _) => SpecVersion::V3,
            (4, _) => SpecVersion::V4,
            _ => return None,
        })
    }
}

impl fmt::Display for SpecVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            SpecVersion::V1 => "V1",
            SpecVersion::V1_1 => "V1.1",
            SpecVersion::V2 => "V2",
            SpecVersion::V3 => "V3",
            SpecVersion::V4 => "V4",
        };
        f.write_str(name)
    }
}

/// Limits applied while reading pacts, so that bad input gives an error instead of exhausting
/// memory.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Largest accepted file, in bytes (default 256 MiB).
    pub max_file_bytes: u64,
    /// Largest accepted body of one request, response or message, in bytes (default 16 MiB).
    pub max_body_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { max_file_bytes: 256 << 20, max_body_bytes: 16 << 20 }
    }
}

/// A pact between a consumer and a provider.
///
/// ```
/// use pact_core::model::{Pact, SpecVersion};
///
/// let text = r#"{
///   "consumer": {"name": "UserServiceClient"},
///   "provider": {"name": "UserService"},
///   "interactions": [{
///     "description": "a request for UserA",
///     "providerState": "UserA exists",
///     "request": {"method": "GET", "path": "/users/UserA"},
///     "response": {"status": 200, "body": {"name": "UserA"}}
///   }],
///   "metadata": {"pactSpecification": {"version": "2.0.0"}}
/// }"#;
/// let pact = Pact::from_json_str(text).unwrap();
/// assert_eq!(pact.spec_version, SpecVersion::V2);
/// assert_eq!(pact.interactions[0].provider_states()[0].name, "UserA exists");
///
/// // Written as V3 by default; the same pact always gives the same bytes.
/// let v3 = pact.to_json_string(SpecVersion::V3).unwrap();
/// assert!(v3.contains("\"providerStates\""));
/// assert_eq!(Pact::from_json_str(&v3).unwrap().interactions, pact.interactions);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Pact {
    /// The consumer's name.
    pub consumer: String,
    /// The provider's name.
    pub provider: String,
    /// The interactions, in file order.
    pub interactions: Vec<Interaction>,
    /// Metadata other than the specification version, kept as written.
    pub metadata: Map<String, Value>,
    /// The version the pact was read as (V3 for new pacts).
    pub spec_version: SpecVersion,
}

impl Pact {
    /// An empty pact between `consumer` and `provider`.
    pub fn new(consumer: impl Into<String>, provider: impl Into<String>) -> Self {
        Pact {
            consumer: consumer.into(),
            provider: provider.into(),
            interactions: Vec::new(),
            metadata: Map::new(),
            spec_version: SpecVersion::V3,
        }
    }

    /// Reads a pact file. Errors name the file and the JSON path inside it; warnings (see
    /// [`from_file_checked`](Self::from_file_checked)) are logged.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        Self::from_file_with(path, ReadOptions::default())
    }

    /// Reads a pact file with explicit limits; warnings are logged.
    pub fn from_file_with(path: impl AsRef<Path>, options: ReadOptions) -> Result<Self> {
        let path = path.as_ref();
        let (pact, warnings) = Self::from_file_checked(path, options)?;
        log_warnings(&path.display().to_string(), &warnings);
        Ok(pact)
    }

    /// Reads a pact file with explicit limits, returning what the reader accepted but a user
    /// should hear about (see [`ReadWarning`]). A body over the limit stops the parser there,
    /// before the rest of it is built.
    pub fn from_file_checked(
        path: impl AsRef<Path>,
        options: ReadOptions,
    ) -> Result<(Self, Vec<ReadWarning>)> {
        let path = path.as_ref();
        let io = |source| Error::Io { file: path.to_path_buf(), source };
        let len = std::fs::metadata(path).map_err(io)?.len();
        if len > options.max_file_bytes {
            return Err(Error::invalid(
                "$",
                format!("a pact file of at most {}", human_size(options.max_file_bytes as usize)),
                human_size(len as usize),
            )
            .in_file(path));
        }
        let file = std::fs::File::open(path).map_err(io)?;
        // Bounded even if the file grew after the size check.
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(file, options.max_file_bytes), &mut bytes)
            .map_err(io)?;
        let parsed = bounded::parse_slice(&bytes, options.max_body_bytes).map_err(|e| e.in_file(path))?;
        drop(bytes);
        Self::from_parsed(parsed, options).map_err(|e| e.in_file(path))
    }

    /// Reads a pact from JSON text; warnings are logged.
    pub fn from_json_str(text: &str) -> Result<Self> {
        Self::from_slice_with(text.as_bytes(), ReadOptions::default())
    }

    /// Reads a pact from JSON bytes (a UTF-8 byte-order mark is tolerated); warnings are logged.
    pub fn from_slice_with(bytes: &[u8], options: ReadOptions) -> Result<Self> {
        let (pact, warnings) = Self::from_slice_checked(bytes, options)?;
        log_warnings("(bytes)", &warnings);
        Ok(pact)
    }

    /// Reads a pact from JSON bytes, returning its warnings (see [`ReadWarning`]). The limits
    /// are enforced while parsing: a body over `max_body_bytes` stops the parser there.
    pub fn from_slice_checked(bytes: &[u8], options: ReadOptions) -> Result<(Self, Vec<ReadWarning>)> {
        if bytes.len() as u64 > options.max_file_bytes {
            return Err(Error::invalid(
                "$",
                format!("a pact of at most {}", human_size(options.max_file_bytes as usize)),
                human_size(bytes.len()),
            ));
        }
        let parsed = bounded::parse_slice(bytes, options.max_body_bytes)?;
        Self::from_parsed(parsed, options)
    }

    fn from_parsed(parsed: bounded::Parsed, options: ReadOptions) -> Result<(Self, Vec<ReadWarning>)> {
        let pact = Self::from_value_unlogged(&parsed.value)?;
        let from_interactions =
            parsed.value.get("interactions").and_then(Value::as_array).map_or(0, Vec::len);
        check_body_sizes(&pact, from_interactions, options.max_body_bytes)?;
        let warnings = lint::warnings(&parsed, pact.spec_version);
        Ok((pact, warnings))
    }

    /// Reads a pact from a parsed JSON document; warnings are logged (duplicate keys cannot
    /// be seen in a parsed document).
    pub fn from_value(value: &Value) -> Result<Self> {
        let pact = Self::from_value_unlogged(value)?;
        log_warnings("(value)", &lint::document_warnings(value, pact.spec_version));
        Ok(pact)
    }

    fn from_value_unlogged(value: &Value) -> Result<Self> {
        let root = Node::root(value, "$");
        root.object()?;
        let name_of = |key: &str| -> Result<String> {
            let node = root.get(key).ok_or_else(|| root.missing(key, "an object with a \"name\""))?;
            match node.get("name") {
                Some(name) => Ok(name.str()?.to_string()),
                None => Err(node.error("an object with a \"name\"")),
            }
        };
        let consumer = name_of("consumer")?;
        let provider = name_of("provider")?;
        let mut metadata = match root.get("metadata") {
            Some(m) => m.object()?.clone(),
            None => Map::new(),
        };
        let stated = stated_version(&metadata);
        for key in ["pactSpecification", "pact-specification", "pactSpecificationVersion"] {
            metadata.remove(key);
        }
        let is_v4 = root
            .value
            .get("interactions")
            .and_then(Value::as_array)
            .is_some_and(|items| items.iter().any(|i| i.get("type").is_some()));
        let spec_version = stated.unwrap_or(if is_v4 { SpecVersion::V4 } else { SpecVersion::V3 });
        let mut interactions = Vec::new();
        if let Some(items) = root.get("interactions") {
            for item in items.items()? {
                interactions.push(Interaction::from_json(&item, spec_version, false)?);
            }
        }
        if let Some(items) = root.get("messages") {
            for item in items.items()? {
                interactions.push(Interaction::from_json(&item, spec_version, true)?);
            }
        }
        Ok(Pact { consumer, provider, interactions, metadata, spec_version })
    }

    /// The pact as a JSON document in `version`'s format.
    ///
    /// V2 holds only HTTP interactions, and V3 either HTTP interactions or messages; asking for
    /// anything else is an [`Error::Unsupported`].
    pub fn to_json(&self, version: SpecVersion) -> Result<Value> {
        let http = self.interactions.iter().filter(|i| matches!(i, Interaction::Http(_))).count();
        let messages = self.interactions.iter().filter(|i| matches!(i, Interaction::Message(_))).count();
        let sync = self.interactions.len() - http - messages;
        let unsupported = |reason: &str| Error::Unsupported {
            what: format!("the pact between {} and {}", self.consumer, self.provider),
            version: version.to_string(),
            reason: reason.into(),
        };
        if version < SpecVersion::V4 && sync > 0 {
            return Err(unsupported("synchronous messages need V4"));
        }
        if version < SpecVersion::V3 && messages > 0 {
            return Err(unsupported("messages need V3 or later"));
        }
        if version == SpecVersion::V3 && messages > 0 && http > 0 {
            return Err(unsupported("a V3 pact holds either HTTP interactions or messages; use V4 for both"));
        }
        let items: Vec<Value> = self.interactions.iter().map(|i| i.to_json(version)).collect();
        let mut metadata = self.metadata.clone();
        metadata.insert("pactSpecification".into(), json!({"version": version.as_str()}));
        let list_key = if version == SpecVersion::V3 && messages > 0 { "messages" } else { "interactions" };
        let mut out = Map::new();
        out.insert("consumer".into(), json!({"name": self.consumer}));
        out.insert("provider".into(), json!({"name": self.provider}));
        out.insert(list_key.into(), Value::Array(items));
        out.insert("metadata".into(), Value::Object(metadata));
        Ok(Value::Object(out))
    }

    /// The pact as pretty-printed JSON text in `version`'s format, ending with a newline.
    pub fn to_json_string(&self, version: SpecVersion) -> Result<String> {
        let value = self.to_json(version)?;
        let mut text = serde_json::to_string_pretty(&value).map_err(|e| Error::Unsupported {
            what: "the pact".into(),
            version: version.to_string(),
            reason: e.to_string(),
        })?;
        text.push('\n');
        Ok(text)
    }
}

fn stated_version(metadata: &Map<String, Value>) -> Option<SpecVersion> {
    let nested = |key: &str| metadata.get(key).and_then(|v| v.get("version")).and_then(Value::as_str);
    nested("pactSpecification")
        .or_else(|| nested("pact-specification"))
        .or_else(|| metadata.get("pactSpecificationVersion").and_then(Value::as_str))
        .and_then(SpecVersion::parse)
}

fn log_warnings(origin: &str, warnings: &[ReadWarning]) {
    for warning in warnings {
        tracing::warn!(pact = origin, "{warning}");
    }
}

/// `from_interactions`: how many of the interactions were read from `interactions` (the rest
/// came from `messages`), so that errors name the right array.
fn check_body_sizes(pact: &Pact, from_interactions: usize, limit: usize) -> Result<()> {
    for (i, interaction) in pact.interactions.iter().enumerate() {
        let item = match i.checked_sub(from_interactions) {
            Some(j) => format!("$.messages[{j}]"),
            None => format!("$.interactions[{i}]"),
        };
        let mut bodies = Vec::new();
        match interaction {
            Interaction::Http(h) => {
                bodies.push(("request.body".to_string(), &h.request.body));
                bodies.push(("response.body".to_string(), &h.response.body));
            }
            Interaction::Message(m) => bodies.push(("contents".to_string(), &m.message.contents)),
            Interaction::SyncMessage(s) => {
                bodies.push(("request.contents".to_string(), &s.request.contents));
                for (j, r) in s.response.iter().enumerate() {
                    bodies.push((format!("response[{j}].contents"), &r.contents));
                }
            }
        }
        for (path, body) in bodies {
            let size = body.size();
            if size > limit {
                return Err(Error::invalid(
                    format!("{item}.{path}"),
                    format!("a body of at most {}", human_size(limit)),
                    human_size(size),
                ));
            }
        }
    }
    Ok(())
}

/// `1536` -> `1.5 KiB`.
pub(crate) fn human_size(bytes: usize) -> String {
    const UNITS: [&str; 4] = ["bytes", "KiB", "MiB", "GiB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}
