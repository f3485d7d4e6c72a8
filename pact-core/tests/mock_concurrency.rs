//! Many contract tests at once, each holding two mock providers (two providers from one test):
//! no pool of mock servers runs out, so nothing waits for ever. 64 threads stand for
//! `--test-threads=64`; a barrier makes all 128 mocks exist at the same moment; the whole run is
//! bounded by a timeout, so that a regression fails instead of hanging.

use std::io::{Read, Write};
use std::sync::{mpsc, Arc, Barrier};
use std::time::Duration;

use pact_core::prelude::*;

const CONTRACTS: usize = 64;

/// A bare HTTP/1.1 GET; returns the status line.
fn get(url: &str) -> String {
    let rest = url.trim_start_matches("http://");
    let (address, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.lines().next().unwrap_or_default().to_string()
}

#[test]
fn sixty_four_concurrent_tests_with_two_mocks_each_all_finish() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let (done, finished) = mpsc::channel();
    let barrier = Arc::new(Barrier::new(CONTRACTS));
    for i in 0..CONTRACTS {
        let (done, barrier, path) = (done.clone(), barrier.clone(), path.clone());
        std::thread::spawn(move || {
            let mut orders = Contract::new("CheckoutClient", "OrderService")
                .with_output_dir(&path)
                .with_test_name(format!("checkout::test_{i}"));
            let mut payments = Contract::new("CheckoutClient", "PaymentService")
                .with_output_dir(&path)
                .with_test_name(format!("checkout::test_{i}"));
            // Every test holds both of its mocks before any test goes on.
            barrier.wait();
            orders
                .upon_receiving(format!("a request for order {i}"))
                .get(format!("/orders/{i}"))
                .will_respond_with(200);
            payments
                .upon_receiving(format!("a request for payment {i}"))
                .get(format!("/payments/{i}"))
                .will_respond_with(204);
            let statuses =
                (get(&orders.url(&format!("/orders/{i}"))), get(&payments.url(&format!("/payments/{i}"))));
            orders.finish().unwrap();
            payments.finish().unwrap();
            done.send((i, statuses)).unwrap();
        });
    }
    drop(done);
    let mut seen = Vec::new();
    for _ in 0..CONTRACTS {
        match finished.recv_timeout(Duration::from_secs(60)) {
            Ok((i, (order, payment))) => {
                assert_eq!(order, "HTTP/1.1 200 OK", "test {i}");
                assert_eq!(payment, "HTTP/1.1 204 No Content", "test {i}");
                seen.push(i);
            }
            Err(e) => panic!(
                "{} of {CONTRACTS} tests finished within a minute ({e}): the others wait for a mock provider",
                seen.len()
            ),
        }
    }
    for provider in ["OrderService", "PaymentService"] {
        let pact = pact_core::model::Pact::from_file(pact_core::pactfile::pact_path(
            &path,
            "CheckoutClient",
            provider,
        ))
        .unwrap();
        assert_eq!(pact.interactions.len(), CONTRACTS, "{provider}");
    }
}
