use pact_core::prelude::*;

struct Money(u64);

#[derive(PactExample)]
struct Order {
    total: Money,
    #[pact(term = "^[0-9]+$")]
    id: i64,
}

fn main() {}
