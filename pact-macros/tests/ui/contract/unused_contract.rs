#![deny(unused_must_use)]

use pact_core::prelude::*;

fn main() {
    Contract::new("OrderClient", "OrderService");
}
