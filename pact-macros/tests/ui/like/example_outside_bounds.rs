use pact_core::prelude::*;

fn main() {
    let _ = like!([1], min = 2);
    let _ = like!([1, 2, 3], max = 2);
    let _ = like!([1, 2], min = 3, max = 1);
}
