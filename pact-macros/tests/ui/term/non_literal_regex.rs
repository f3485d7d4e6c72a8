use pact_core::prelude::*;

const DATE: &str = r"^\d+-\d+-\d+$";

fn main() {
    let _ = term!(DATE, "2016-12-15");
}
