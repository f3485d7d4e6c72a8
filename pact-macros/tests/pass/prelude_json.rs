// `json!` comes with the prelude, for provider-state params; no serde_json import is needed.
use pact_core::prelude::*;

fn main() {
    let dir = std::env::temp_dir();
    let pact = Contract::new("OrderClient", "OrderService")
        .with_output_dir(dir)
        .given_with("an order exists", json!({"id": 7, "carrier": "DHL"}));
    let _ = pact.base_url();
}
