use pact_core::prelude::*;

fn main() {
    // Pact regular expressions match the whole value, anchored or not.
    let _ = term!(r"\d+", "id-42");
}
