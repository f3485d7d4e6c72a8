use pact_core::prelude::*;

fn main() {
    let _ = datetime!("yyyy-MM-dd'T'HH:mm:ss", "2016-12-15T20:16:01", "extra");
    let _ = date!("yyyy-MM-dd" "2016-12-15");
}
