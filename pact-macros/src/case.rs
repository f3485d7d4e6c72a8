//! serde's `rename_all` conventions, applied the way serde applies them: to field names written
//! in `snake_case` and to variant names written in `PascalCase`.

/// A `rename_all` convention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

/// Every convention serde accepts, as written in the attribute.
pub(crate) const NAMES: &[(&str, Case)] = &[
    ("lowercase", Case::Lower),
    ("UPPERCASE", Case::Upper),
    ("PascalCase", Case::Pascal),
    ("camelCase", Case::Camel),
    ("snake_case", Case::Snake),
    ("SCREAMING_SNAKE_CASE", Case::ScreamingSnake),
    ("kebab-case", Case::Kebab),
    ("SCREAMING-KEBAB-CASE", Case::ScreamingKebab),
];

impl Case {
    pub(crate) fn from_name(name: &str) -> Option<Case> {
        NAMES.iter().find(|(n, _)| *n == name).map(|(_, case)| *case)
    }

    /// A field name (`snake_case` in Rust) in this convention.
    pub(crate) fn field(self, name: &str) -> String {
        match self {
            Case::Lower | Case::Snake => name.to_string(),
            Case::Upper | Case::ScreamingSnake => name.to_ascii_uppercase(),
            Case::Pascal => pascal(name),
            Case::Camel => lower_first(&pascal(name)),
            Case::Kebab => name.replace('_', "-"),
            Case::ScreamingKebab => name.to_ascii_uppercase().replace('_', "-"),
        }
    }

    /// A variant name (`PascalCase` in Rust) in this convention.
    pub(crate) fn variant(self, name: &str) -> String {
        match self {
            Case::Pascal => name.to_string(),
            Case::Lower => name.to_ascii_lowercase(),
            Case::Upper => name.to_ascii_uppercase(),
            Case::Camel => lower_first(name),
            Case::Snake => snake(name),
            Case::ScreamingSnake => snake(name).to_ascii_uppercase(),
            Case::Kebab => snake(name).replace('_', "-"),
            Case::ScreamingKebab => snake(name).to_ascii_uppercase().replace('_', "-"),
        }
    }
}

fn pascal(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper_next = true;
    for c in snake.chars() {
        if c == '_' {
            upper_next = true;
        } else if upper_next {
            out.push(c.to_ascii_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn snake(pascal: &str) -> String {
    let mut out = String::with_capacity(pascal.len() + 4);
    for (i, c) in pascal.char_indices() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_variants_follow_serde() {
        let field = |case: &str| Case::from_name(case).unwrap().field("created_on_utc");
        let variant = |case: &str| Case::from_name(case).unwrap().variant("CreatedOnUtc");
        let expected = [
            ("lowercase", "created_on_utc", "createdonutc"),
            ("UPPERCASE", "CREATED_ON_UTC", "CREATEDONUTC"),
            ("PascalCase", "CreatedOnUtc", "CreatedOnUtc"),
            ("camelCase", "createdOnUtc", "createdOnUtc"),
            ("snake_case", "created_on_utc", "created_on_utc"),
            ("SCREAMING_SNAKE_CASE", "CREATED_ON_UTC", "CREATED_ON_UTC"),
            ("kebab-case", "created-on-utc", "created-on-utc"),
            ("SCREAMING-KEBAB-CASE", "CREATED-ON-UTC", "CREATED-ON-UTC"),
        ];
        for (case, f, v) in expected {
            assert_eq!((field(case).as_str(), variant(case).as_str()), (f, v), "{case}");
        }
        assert_eq!(Case::from_name("Camel"), None);
    }
}
