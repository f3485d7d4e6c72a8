// Paths, query parameters and headers take strings, numbers and patterns of one value.
use pact_core::prelude::*;

fn main() {
    let dir = std::env::temp_dir();
    let mut pact = Contract::new("OrderClient", "OrderService").with_output_dir(dir);
    let carrier = String::from("DHL");
    pact.upon_receiving("a search for orders")
        .get(term!("^/orders/\\d+$", "/orders/7"))
        .query("carrier", &carrier)
        .query("carrier", "UPS")
        .query("limit", integer!(10))
        .query("page", 2)
        .query("since", date!("yyyy-MM-dd", "2024-02-29"))
        .query("sort", like!("date"))
        .header("Accept", "application/json")
        .header("X-Request-Id", term!("^[0-9a-f]{8}$", "fc763eba"))
        .header("X-Dry-Run", boolean!(false))
        .will_respond_with(200)
        .header("Last-Modified", datetime!("EEE, dd MMM yyyy HH:mm:ss 'GMT'", "Wed, 21 Oct 2015 07:28:00 GMT"))
        .header("X-Total", equality!(1))
        .json_body(json_pattern!({"orders": each_like!({"id": integer!(7), "carrier": like!("DHL")})}));
    // Nothing called the mock: verification fails, and nothing is written.
    assert!(pact.finish().is_err());
}
