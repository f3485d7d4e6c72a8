//! Consumer-side costs, measured as wall time:
//! 1. one contract declaring 100 interactions, each called once, then verified and written;
//! 2. 100 contracts of one interaction each (start, call, verify, write), as 100 tests would.
//!
//! Run with `cargo bench -p pact-core --bench consumer`.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use pact_core::prelude::*;

/// A bare HTTP/1.1 GET, so the client's own cost stays out of the figures.
fn get(base_url: &str, path: &str) -> String {
    let address = base_url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.set_nodelay(true).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

fn declare(pact: &mut Contract, i: usize) {
    pact.upon_receiving(format!("a request for User{i}"))
        .get(format!("/users/User{i}"))
        .header("Accept", "application/json")
        .will_respond_with(200)
        .json_body(json_pattern!({
            "name": format!("User{i}"),
            "id": term!("^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$", "fc763eba-0905-41c5-a27f-3934ab26786c"),
            "created_on": term!(r"^\d+-\d+-\d+T\d+:\d+:\d+$", "2016-12-15T20:16:01"),
            "admin": like!(false),
        }));
}

fn one_contract_100_interactions(dir: &std::path::Path) -> Duration {
    let started = Instant::now();
    let mut pact = Contract::new("BenchClient", "UserService").with_output_dir(dir).given("users exist");
    for i in 0..100 {
        declare(&mut pact, i);
    }
    for i in 0..100 {
        assert!(get(&pact.base_url(), &format!("/users/User{i}")).starts_with("HTTP/1.1 200"));
    }
    pact.finish().unwrap();
    started.elapsed()
}

fn hundred_contracts(dir: &std::path::Path) -> Duration {
    let started = Instant::now();
    for i in 0..100 {
        let mut pact = Contract::new("BenchClient", "UserService")
            .with_output_dir(dir)
            .with_test_name(format!("test_{i}"))
            .given("a user exists");
        declare(&mut pact, i);
        assert!(get(&pact.base_url(), &format!("/users/User{i}")).starts_with("HTTP/1.1 200"));
        pact.finish().unwrap();
    }
    started.elapsed()
}

fn best_of(runs: usize, f: impl Fn(&std::path::Path) -> Duration) -> Duration {
    (0..runs)
        .map(|_| {
            let dir = tempfile::tempdir().unwrap();
            f(dir.path())
        })
        .min()
        .unwrap()
}

fn main() {
    // Warm the mock provider's runtime thread and the regex cache, as a test binary would after its
    // first test.
    let warm = tempfile::tempdir().unwrap();
    hundred_contracts(warm.path());

    let case1 = best_of(5, one_contract_100_interactions);
    println!(
        "1. one #[contract] test, 100 interactions each called once:  {:>8.1} ms",
        case1.as_secs_f64() * 1000.0
    );
    let case2 = best_of(5, hundred_contracts);
    println!(
        "2. 100 contract tests of one interaction each (sequential):   {:>8.1} ms",
        case2.as_secs_f64() * 1000.0
    );
}
