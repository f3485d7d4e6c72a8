use pact_core::prelude::*;

fn main() {
    let _ = date!("yyyy-MM-bb", "2020-01-01");
    let _ = time!("HH:mm 'h", "20:16 h");
}
