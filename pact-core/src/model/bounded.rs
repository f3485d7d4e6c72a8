//! Pact JSON text to a `serde_json::Value` under limits: the body-size limit is enforced while
//! the text is parsed, and duplicate object keys are reported instead of silently keeping the
//! last value.
//!
//! Parsing takes two passes over a text long enough to hold a body over the limit. The first
//! builds nothing: it measures each body (as compact JSON) and stops at the first one over the
//! limit, so a huge body costs no memory beyond the text itself. The second builds the value. (One pass that built as it measured
//! would hold a whole limit's worth of values, several times the limit in memory, before it
//! could refuse the body.)

use std::fmt;

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::error::{Error, Result};
use super::json::push_key;
use super::pact::human_size;

/// At most this many duplicate keys are reported; the rest are counted.
const MAX_DUPLICATES: usize = 100;

/// A parsed document and what the parser noticed on the way.
pub(crate) struct Parsed {
    pub value: Value,
    /// JSON paths of object members that repeat an earlier key (the later value is kept, as
    /// serde_json and pact-reference keep it).
    pub duplicates: Vec<String>,
    /// Duplicates beyond those listed.
    pub more_duplicates: usize,
}

/// Parses JSON bytes (a UTF-8 byte-order mark is tolerated) with `max_body` the largest body,
/// measured as compact JSON.
pub(crate) fn parse_slice(bytes: &[u8], max_body: usize) -> Result<Parsed> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    run(bytes, max_body)
}

fn run(bytes: &[u8], max_body: usize) -> Result<Parsed> {
    let pass = |measure: bool| -> Result<(Value, Ctx)> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let mut ctx = Ctx {
            measure,
            path: Vec::new(),
            body: None,
            max_body,
            duplicates: Vec::new(),
            more: 0,
            error: None,
        };
        let value = match (Seed { ctx: &mut ctx }).deserialize(&mut de) {
            Ok(value) => value,
            Err(e) => return Err(ctx.error.take().unwrap_or_else(|| syntax(&e))),
        };
        de.end().map_err(|e| syntax(&e))?;
        Ok((value, ctx))
    };
    // Compact JSON is at most 4.5 times the text it was read from (`1e15` is written
    // `1000000000000000.0`), so a short enough text cannot hold a body over the limit.
    if bytes.len().saturating_mul(5) > max_body {
        pass(true)?;
    }
    let (value, ctx) = pass(false)?;
    Ok(Parsed { value, duplicates: ctx.duplicates, more_duplicates: ctx.more })
}

fn syntax(e: &serde_json::Error) -> Error {
    Error::Syntax {
        file: None,
        message: e.to_string().split(" at line ").next().unwrap_or_default().to_string(),
        line: e.line(),
        column: e.column(),
    }
}

#[derive(Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

/// The body being read: where it is and how many bytes of compact JSON it has so far.
struct Budget {
    depth: usize,
    used: usize,
}

struct Ctx {
    /// The first pass: measure bodies, build nothing.
    measure: bool,
    path: Vec<Segment>,
    body: Option<Budget>,
    max_body: usize,
    duplicates: Vec<String>,
    more: usize,
    error: Option<Error>,
}

impl Ctx {
    fn path_string(&self) -> String {
        let mut out = String::from("$");
        for segment in &self.path {
            match segment {
                Segment::Key(k) => push_key(&mut out, k),
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// Whether the value at the current path is the body (or contents) of a request, response or
    /// message: `$.interactions[i].request.body`, `$.messages[i].contents`,
    /// `$.interactions[i].response[j].contents` ...
    fn at_body(&self) -> bool {
        use Segment::{Index as I, Key as K};
        let key = |s: &Segment, names: &[&str]| matches!(s, K(k) if names.contains(&k.as_str()));
        let list = |s: &Segment| key(s, &["interactions", "messages"]);
        let body = |s: &Segment| key(s, &["body", "contents"]);
        let part = |s: &Segment| key(s, &["request", "response"]);
        match self.path.as_slice() {
            [l, I(_), b] => list(l) && body(b),
            [l, I(_), p, b] => list(l) && part(p) && body(b),
            [l, I(_), p, I(_), b] => list(l) && key(p, &["response"]) && body(b),
            _ => false,
        }
    }

    /// Adds `bytes` to the body being read, failing once it is over the limit.
    fn charge<E: serde::de::Error>(&mut self, bytes: usize) -> std::result::Result<(), E> {
        let Some(budget) = self.body.as_mut() else { return Ok(()) };
        budget.used = budget.used.saturating_add(bytes);
        if budget.used <= self.max_body {
            return Ok(());
        }
        let depth = budget.depth;
        let path = self.path[..depth].to_vec();
        let saved = std::mem::replace(&mut self.path, path);
        let where_ = self.path_string();
        self.path = saved;
        let limit = human_size(self.max_body);
        self.error = Some(Error::invalid(
            where_,
            format!("a body of at most {limit}"),
            format!("more than {limit} (the rest was not read)"),
        ));
        Err(E::custom("body over the size limit"))
    }

    /// Adds a string written as JSON: its length first (which alone may be over the limit),
    /// then its escapes.
    fn charge_str<E: serde::de::Error>(&mut self, s: &str) -> std::result::Result<(), E> {
        if self.body.is_none() {
            return Ok(());
        }
        self.charge(s.len().saturating_add(2))?;
        self.charge(string_size(s) - s.len() - 2)
    }

    fn duplicate(&mut self, key: &str) {
        if self.duplicates.len() < MAX_DUPLICATES {
            let mut path = self.path_string();
            push_key(&mut path, key);
            self.duplicates.push(path);
        } else {
            self.more += 1;
        }
    }
}

struct Seed<'c> {
    ctx: &'c mut Ctx,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<Value, D::Error> {
        let starts_body = self.ctx.measure && self.ctx.body.is_none() && self.ctx.at_body();
        if starts_body {
            self.ctx.body = Some(Budget { depth: self.ctx.path.len(), used: 0 });
        }
        let result = deserializer.deserialize_any(ValueVisitor { ctx: &mut *self.ctx });
        if starts_body {
            self.ctx.body = None;
        }
        result
    }
}

struct ValueVisitor<'c> {
    ctx: &'c mut Ctx,
}

/// Length of a string written as a JSON string (quotes and escapes included).
fn string_size(s: &str) -> usize {
    2 + s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0..=0x1f => 6,
            _ => 1,
        })
        .sum::<usize>()
}

fn digits(mut n: u64) -> usize {
    let mut count = 1;
    while n >= 10 {
        n /= 10;
        count += 1;
    }
    count
}

impl<'de> Visitor<'de> for ValueVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> std::result::Result<Value, E> {
        self.ctx.charge(if v { 4 } else { 5 })?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Value, E> {
        self.ctx.charge(digits(v.unsigned_abs()) + usize::from(v < 0))?;
        Ok(Value::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Value, E> {
        self.ctx.charge(digits(v))?;
        Ok(Value::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Value, E> {
        let value = serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number);
        if self.ctx.body.is_some() {
            self.ctx.charge(value.to_string().len())?;
        }
        Ok(value)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Value, E> {
        self.ctx.charge_str(v)?;
        if self.ctx.measure {
            return Ok(Value::Null);
        }
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> std::result::Result<Value, E> {
        self.ctx.charge_str(&v)?;
        Ok(Value::String(v))
    }

    fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Value, E> {
        self.ctx.charge(4)?;
        Ok(Value::Null)
    }

    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Value, E> {
        self.ctx.charge(4)?;
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<Value, D::Error> {
        Seed { ctx: self.ctx }.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        self.ctx.charge(2)?;
        let mut items = Vec::new();
        let mut index = 0;
        loop {
            self.ctx.path.push(Segment::Index(index));
            let item = seq.next_element_seed(Seed { ctx: &mut *self.ctx });
            self.ctx.path.pop();
            match item? {
                Some(_) if self.ctx.measure => {}
                Some(value) => items.push(value),
                None => break,
            }
            if index > 0 {
                self.ctx.charge(1)?;
            }
            index += 1;
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> std::result::Result<Value, A::Error> {
        self.ctx.charge(2)?;
        let mut map = Map::new();
        let mut members = 0usize;
        while let Some(key) = access.next_key::<String>()? {
            self.ctx.charge_str(&key)?;
            self.ctx.charge(1 + usize::from(members > 0))?;
            members += 1;
            self.ctx.path.push(Segment::Key(key));
            let value = access.next_value_seed(Seed { ctx: &mut *self.ctx });
            let Some(Segment::Key(key)) = self.ctx.path.pop() else {
                return Err(A::Error::custom("the JSON path lost its key"));
            };
            let value = value?;
            if self.ctx.measure {
                continue;
            }
            if map.contains_key(&key) {
                self.ctx.duplicate(&key);
            }
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_those_of_compact_json() {
        for text in [
            r#"{"body": {"a": [1, -20, 3.5, true, false, null, "x\"y\n\u0001"], "b": {}}}"#,
            r#"{"body": "plain"}"#,
            r#"{"body": [[], [{}], 18446744073709551615, -9223372036854775808, 1e300]}"#,
        ] {
            let value: Value = serde_json::from_str(text).unwrap();
            let exact = value["body"].to_string().len();
            let doc = format!(r#"{{"interactions": [{}]}}"#, text);
            assert!(parse_slice(doc.as_bytes(), exact).is_ok(), "{text} fits {exact}");
            let err = parse_slice(doc.as_bytes(), exact - 1).err().unwrap().to_string();
            assert!(err.starts_with("$.interactions[0].body: expected a body of at most"), "{err}");
        }
    }

    #[test]
    fn compact_json_is_at_most_five_times_its_text() {
        for text in
            ["1e15", "9e15", "-1e15", "1E+15", "-0", "1e16", "5e-324", "1.5e3", "[1e15,9e15]", r#""\u000a""#]
        {
            let value: Value = serde_json::from_str(text).unwrap();
            assert!(value.to_string().len() <= text.len() * 5, "{text} -> {value}");
        }
        // A short text is read in one pass, and its bodies are still measured after reading.
        let doc = br#"{"interactions": [{"body": [1e15, 1e15]}]}"#;
        assert!(parse_slice(doc, 1 << 20).is_ok());
    }

    #[test]
    fn duplicates_are_reported_with_their_path_and_the_last_value_is_kept() {
        let parsed = parse_slice(br#"{"a": 1, "b": {"c": 1, "c": 2}, "a": 3}"#, 100).unwrap();
        assert_eq!(parsed.duplicates, ["$.b.c", "$.a"]);
        assert_eq!(parsed.value, serde_json::json!({"a": 3, "b": {"c": 2}}));
    }

    #[test]
    fn syntax_errors_say_where() {
        let err = parse_slice(b"{\n  \"a\": }", 100).err().unwrap().to_string();
        assert_eq!(err, "not valid JSON: expected value (line 2, column 8)");
        let err = parse_slice(&b"\xEF\xBB\xBF[1] x"[..], 100).err().unwrap().to_string();
        assert!(err.starts_with("not valid JSON: trailing characters"), "{err}");
    }
}
