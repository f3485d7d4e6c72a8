use pact_core::prelude::*;

fn main() {
    let _ = each_like!({"id": 1}, min = 1, maxi = 10);
}
