// The generator macros, `datetime!`/`date!`/`time!` given only a format, and `any_of!` in a path,
// a query value and headers, in a contract test's body. trybuild builds pass cases without
// `--test`, which drops the `#[test]` function `#[contract]` makes; the body is therefore a plain
// function that the test and `main` both call, so that it is type-checked and run here.
use pact_core::prelude::*;

fn declare(pact: &mut Contract) {
    pact.upon_receiving("a new order")
        .post(any_of!(term!("^/orders$", "/orders"), term!("^/orders/new$", "/orders/new")))
        .query("limit", any_of!(integer!(10), term!("^all$", "all")))
        .query("since", date!("yyyy-MM-dd"))
        .header("X-Mode", any_of!(equality!("fast"), term!("^slow$", "slow")))
        .header("X-Sent-At", datetime!("yyyy-MM-dd'T'HH:mm:ssXXX"))
        .json_body(json_pattern!({
            "id": uuid!(),
            "count": random_int!(1, 9),
            "price": random_decimal!(4),
            "code": random_hex!(8),
            "token": random_string!(10),
            "flag": random_boolean!(),
            "owner": from_provider_state!("${owner}", "UserA"),
            "nickname": nullable!(like!("Al")),
            "amount": any_of!(integer!(1), term!("^n/a$", "n/a")),
            "scores": values!(json_pattern!({"a": like!(1)})),
            "version": semver!("1.2.3"),
            "label": not_empty!("x"),
            "due": date!("yyyy-MM-dd"),
            "at": time!("HH:mm"),
        }))
        .will_respond_with(201)
        .header("X-Count", any_of!(integer!(3), term!("^none$", "none")))
        .json_body(json_pattern!({
            "link": mock_server_url!(".*(/orders/\\d+)$", "http://localhost:8080/orders/1"),
            "created_on": datetime!("yyyy-MM-dd'T'HH:mm:ss"),
        }));
}

#[contract(consumer = "OrderClient", provider = "OrderService")]
fn creates_an_order(pact: &mut Contract) {
    declare(pact);
    let _ = pact.base_url();
}

fn main() {
    let mut pact = Contract::new("OrderClient", "OrderService").with_output_dir(std::env::temp_dir());
    declare(&mut pact);
    // The declarations are valid: the only failure is that nothing called the mock provider.
    let error = pact.finish().unwrap_err().to_string();
    assert!(!error.contains("any_of!") && !error.contains("datetime!"), "{error}");
}
