use pact_core::prelude::*;

fn main() {
    let _ = term!("^[0-9a-f{8}$", "fc763eba");
    // Look-around is beyond the regex engine that runs the pact.
    let _ = term!(r"^(?!admin)\w+$", "UserA");
}
