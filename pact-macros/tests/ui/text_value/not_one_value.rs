use pact_core::prelude::*;

fn declare(pact: &mut Contract) {
    pact.upon_receiving("a search for orders")
        .get("/orders")
        .query("fields", each_like!("carrier", min = 1))
        .header("X-Filter", json_pattern!({"carrier": "DHL"}))
        .will_respond_with(200);
}

fn main() {}
