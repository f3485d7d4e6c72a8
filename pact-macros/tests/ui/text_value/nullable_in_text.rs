// A path, a query value or a header is text, which is never null: nullable! belongs in bodies.
use pact_core::prelude::*;

fn declare(pact: &mut Contract) {
    pact.upon_receiving("a search for orders")
        .get("/orders")
        .header("X-Tag", nullable!(like!("a")))
        .will_respond_with(200);
}

fn main() {}
