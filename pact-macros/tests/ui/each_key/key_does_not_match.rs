use pact_core::prelude::*;

fn main() {
    let _ = each_key!({"en": "Hello", "fr-CA": "Bonjour"}, "^[a-z]{2}$");
}
