//! Path expressions of matching rules and generators: `$.items[*].id`, `$['a b'][0]`, `$.*`.

use std::fmt;

/// One step of a [`PathExpr`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathToken {
    /// `$`, the root.
    Root,
    /// `.name` or `['name']`.
    Field(String),
    /// `[3]`.
    Index(usize),
    /// `[*]`: any array index.
    StarIndex,
    /// `.*`: any key or index.
    Star,
}

/// A parsed path expression such as `$.animals[*].name`, keeping its source text.
///
/// ```
/// use pact_core::model::{PathExpr, PathToken};
///
/// let path = PathExpr::parse("$.animals[*]['first name']").unwrap();
/// assert_eq!(path.tokens(), &[
///     PathToken::Root,
///     PathToken::Field("animals".into()),
///     PathToken::StarIndex,
///     PathToken::Field("first name".into()),
/// ]);
/// assert!(PathExpr::parse("animals").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PathExpr {
    source: String,
    tokens: Vec<PathToken>,
}

/// Why a path expression cannot be read: the expression and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("path expression {source_text:?} {reason}")]
pub struct PathError {
    /// The expression as written.
    pub source_text: String,
    /// What is wrong, such as `must start with '$'`.
    pub reason: String,
}

/// A segment of a concrete path inside a document, used while matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// An object key (or an XML element or attribute name).
    Key(&'a str),
    /// An array index.
    Index(usize),
}

impl PathExpr {
    /// Parses a path expression. It must start at the root `$`.
    pub fn parse(source: &str) -> Result<Self, PathError> {
        let tokens =
            parse_tokens(source).map_err(|reason| PathError { source_text: source.to_string(), reason })?;
        Ok(PathExpr { source: source.to_string(), tokens })
    }

    /// The root expression `$`.
    pub fn root() -> Self {
        PathExpr { source: "$".into(), tokens: vec![PathToken::Root] }
    }

    /// The source text.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The parsed tokens, starting with [`PathToken::Root`].
    pub fn tokens(&self) -> &[PathToken] {
        &self.tokens
    }

    /// How well this expression matches a concrete `path` (whose first segment stands for the
    /// root): 0 when it does not apply, otherwise the product of per-token weights (2 for an exact
    /// name or index, 1 for a wildcard). An expression shorter than the path applies to it too
    /// (rules cascade to children); a longer one never does.
    pub fn weight(&self, path: &[Segment<'_>]) -> u64 {
        // `path` does not include the root; tokens do.
        if self.tokens.len() > path.len() + 1 {
            return 0;
        }
        let mut weight = 2u64; // the root
        for (token, segment) in self.tokens.iter().skip(1).zip(path) {
            // Saturates rather than overflows on paths more than 63 segments deep.
            weight = weight.saturating_mul(token_weight(token, segment));
            if weight == 0 {
                return 0;
            }
        }
        weight
    }

    /// Number of segments below the root.
    pub fn depth(&self) -> usize {
        self.tokens.len() - 1
    }
}

/// How well one token matches one concrete segment: 2 for an exact name or index, 1 for a
/// wildcard, 0 for no match.
pub(crate) fn token_weight(token: &PathToken, segment: &Segment<'_>) -> u64 {
    match (token, segment) {
        (PathToken::Field(name), Segment::Key(key)) => u64::from(name == key) * 2,
        (PathToken::Field(name), Segment::Index(i)) => u64::from(name.parse::<usize>() == Ok(*i)) * 2,
        (PathToken::Index(n), Segment::Index(i)) => u64::from(n == i) * 2,
        (PathToken::Index(n), Segment::Key(key)) => u64::from(key.parse::<usize>() == Ok(*n)) * 2,
        (PathToken::StarIndex, Segment::Index(_)) => 1,
        (PathToken::StarIndex, Segment::Key(key)) => u64::from(key.parse::<usize>().is_ok()),
        (PathToken::Star, _) => 1,
        (PathToken::Root, _) => 0,
    }
}

impl fmt::Display for PathExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

fn parse_tokens(source: &str) -> Result<Vec<PathToken>, String> {
    let chars: Vec<char> = source.chars().collect();
    if chars.first() != Some(&'$') {
        return Err("must start with '$'".to_string());
    }
    let mut tokens = vec![PathToken::Root];
    let mut i = 1;
    while i < chars.len() {
        match chars[i] {
            '.' => {
                let start = i + 1;
                let mut end = start;
                while end < chars.len() && chars[end] != '.' && chars[end] != '[' {
                    end += 1;
                }
                let name: String = chars[start..end].iter().collect();
                if name.is_empty() {
                    return Err(format!("has an empty name at character {start}"));
                }
                tokens.push(if name == "*" { PathToken::Star } else { PathToken::Field(name) });
                i = end;
            }
            '[' => {
                let close_quote = match chars.get(i + 1) {
                    Some('\'') => Some('\''),
                    Some('"') => Some('"'),
                    _ => None,
                };
                if let Some(q) = close_quote {
                    let start = i + 2;
                    let mut end = start;
                    let mut name = String::new();
                    while end < chars.len() && chars[end] != q {
                        // `\'` and `\\` are escapes; any other backslash is itself (pacts from
                        // other implementations write `['C:\dir']`).
                        if chars[end] == '\\' && matches!(chars.get(end + 1), Some(&c) if c == q || c == '\\')
                        {
                            end += 1;
                        }
                        name.push(chars[end]);
                        end += 1;
                    }
                    if chars.get(end + 1) != Some(&']') {
                        return Err(format!("has an unterminated ['...'] at character {i}"));
                    }
                    tokens.push(PathToken::Field(name));
                    i = end + 2;
                } else {
                    let start = i + 1;
                    let end = chars[start..]
                        .iter()
                        .position(|&c| c == ']')
                        .map(|p| p + start)
                        .ok_or_else(|| format!("has an unterminated [ at character {i}"))?;
                    let inner: String = chars[start..end].iter().collect();
                    let inner = inner.trim();
                    if inner == "*" {
                        tokens.push(PathToken::StarIndex);
                    } else if let Ok(n) = inner.parse::<usize>() {
                        tokens.push(PathToken::Index(n));
                    } else {
                        return Err(format!("has [{inner}] where an index, * or a quoted name belongs"));
                    }
                    i = end + 1;
                }
            }
            other => return Err(format!("has {other:?} at character {i} where '.' or '[' belongs")),
        }
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PathExpr {
        PathExpr::parse(s).unwrap()
    }

    #[test]
    fn parses_forms() {
        assert_eq!(p("$").tokens(), &[PathToken::Root]);
        assert_eq!(
            p("$.a[2].*[*]['x.y']").tokens(),
            &[
                PathToken::Root,
                PathToken::Field("a".into()),
                PathToken::Index(2),
                PathToken::Star,
                PathToken::StarIndex,
                PathToken::Field("x.y".into())
            ]
        );
        assert_eq!(
            p("$.animals.alligator['@phoneNumber']").tokens()[3],
            PathToken::Field("@phoneNumber".into())
        );
        assert!(PathExpr::parse("$.").is_err());
        assert!(PathExpr::parse("$[x]").is_err());
        assert!(PathExpr::parse("$['x").is_err());
    }

    #[test]
    fn weights_prefer_exact() {
        let path = [Segment::Key("animals"), Segment::Index(0), Segment::Key("name")];
        assert_eq!(p("$.animals[0].name").weight(&path), 16);
        assert_eq!(p("$.animals[*].name").weight(&path), 8);
        assert_eq!(p("$.animals[*].*").weight(&path), 4);
        assert_eq!(p("$.animals").weight(&path), 4);
        assert_eq!(p("$.animals[1]").weight(&path), 0);
        assert_eq!(p("$.animals[0].name.first").weight(&path), 0);
        assert_eq!(p("$.animals.0").weight(&path[..2]), 8);
    }
}
