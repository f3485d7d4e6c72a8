use pact_core::prelude::*;

// Every mistake is reported in one pass: the unknown key, the bad spec, the duplicate, the
// missing provider, and both problems of the signature.
#[contract(consumer = "A", providr = "UserService", spec = "v9", consumer = "B")]
fn gets_a_user<T>(pact: Contract) {
    let _ = pact.base_url();
}

fn main() {}
