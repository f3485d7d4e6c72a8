use pact_core::prelude::*;

#[derive(PactExample)]
#[serde(tag = "type")]
enum Event {
    Created { id: String },
    Deleted(String),
    #[serde(skip)]
    Hidden,
    Unit,
}

#[derive(PactExample)]
enum Never {}

#[derive(PactExample)]
union Bits {
    a: u32,
}

fn main() {}
