use pact_core::prelude::*;

#[derive(PactExample)]
#[serde(rename_all = "Camel", deny_unknown_fields)]
#[pact(term = "^a$")]
struct User {
    #[serde(flatten)]
    extra: Extra,
    #[serde(with = "my_format", default)]
    when: String,
    #[serde(rename(serialize = "a", deserialize = "b"))]
    name: String,
    #[pact(regex = "^a$")]
    code: String,
    #[pact(term = "(")]
    id: String,
    #[pact(datetime = "yyyy-MM-bb")]
    created_on: String,
    #[pact(term = "^a$", date = "yyyy-MM-dd")]
    day: String,
}

#[derive(PactExample)]
struct Extra {
    note: String,
}

fn main() {}
