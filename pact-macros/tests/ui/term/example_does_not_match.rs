use pact_core::prelude::*;

fn main() {
    let _ = term!(r"^\d+-\d+-\d+$", "2016/12/15");
}
