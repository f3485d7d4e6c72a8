// Given only a format (a generator for "now"), the format is still checked at compile time.
use pact_core::prelude::*;

fn main() {
    let _ = datetime!("yyyy-MM-dd'T'HH:mm:ss.bbb");
    let _ = date!("dd/MM/yyyy 'on");
}
