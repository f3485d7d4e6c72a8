//! Generators on a form-urlencoded body, as pact_models' `FormUrlEncodedHandler` applies them: a
//! generator at `$.name` makes the first `name` field's value, one at `$.name[n]` the value of the
//! `n`th `name` field (counting from 0); any other path reaches nothing.

use serde_json::Value;

use super::{text_of, value, Context};
use crate::model::{decode, encode, Generator, PathExpr, PathToken};

/// `form` with each generator of `ordered` applied, written back as a form.
pub(super) fn generate(form: &str, ordered: &[(&PathExpr, &Generator)], context: &Context) -> String {
    let mut fields: Vec<(String, String)> = form
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect();
    for (path, generator) in ordered {
        let (name, index) = match path.tokens().get(1..) {
            Some([PathToken::Field(name)]) => (name, None),
            Some([PathToken::Field(name), PathToken::Index(i)]) => (name, Some(*i)),
            _ => continue,
        };
        let target = fields
            .iter_mut()
            .filter(|(field, _)| field == name)
            .enumerate()
            .find(|(n, _)| index.is_none_or(|i| i == *n))
            .map(|(_, field)| field);
        if let Some((_, current)) = target {
            if let Some(new) = value(generator, &Value::String(current.clone()), context) {
                *current = text_of(&new);
            }
        }
    }
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(form: &str, path: &str, generator: Generator) -> String {
        let path = PathExpr::parse(path).unwrap();
        generate(form, &[(&path, &generator)], &Context::default())
    }

    #[test]
    fn paths_reach_fields_as_pact_reference_does() {
        let int = || Generator::RandomInt { min: 5, max: 5 };
        assert_eq!(run("a=100&b=B&c=C", "$.b", int()), "a=100&b=5&c=C");
        // `$.b` is the first `b`; `$.b[1]` the second.
        assert_eq!(run("a=1&b=B1&b=B2", "$.b", int()), "a=1&b=5&b=B2");
        assert_eq!(run("a=1&b=B1&b=B2", "$.b[1]", int()), "a=1&b=B1&b=5");
        assert_eq!(run("a=100&b=B", "$.a[0]", int()), "a=5&b=B");
        // Paths that reach no field leave the form as it was.
        for path in ["$.d", "$.b[3]", "$", "$.*", "$[*]", "$.a[1].b['2']"] {
            assert_eq!(run("a=100&b=B", path, int()), "a=100&b=B", "{path}");
        }
        // Values are decoded before and encoded after.
        let state = Generator::ProviderState { expression: "${name}".into(), data_type: Default::default() };
        let context =
            Context::with_values(serde_json::json!({"name": "Ann Lee & co"}).as_object().unwrap().clone());
        let path = PathExpr::parse("$.who").unwrap();
        let out = generate("who=x&n=a%2Bb", &[(&path, &state)], &context);
        assert_eq!(crate::model::parse_query_string(&out)["who"], vec!["Ann Lee & co"]);
        assert_eq!(crate::model::parse_query_string(&out)["n"], vec!["a+b"]);
    }
}
