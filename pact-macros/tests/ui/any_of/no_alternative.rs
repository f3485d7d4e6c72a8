use pact_core::prelude::*;

fn main() {
    let _ = json_pattern!({"amount": any_of!()});
}
