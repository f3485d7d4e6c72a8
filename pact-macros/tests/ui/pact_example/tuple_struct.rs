use pact_core::prelude::*;

#[derive(PactExample)]
struct Pair(String, String);

#[derive(PactExample)]
struct Marker;

fn main() {
    let _ = like_type!(Pair("a".into(), "b".into()));
}
