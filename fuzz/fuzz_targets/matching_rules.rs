#![no_main]
//! cargo-fuzz target; the body is `pact_fuzz::matching_rules`, which the main test suite also runs.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(violation) = pact_fuzz::matching_rules(data) {
        panic!("{violation}");
    }
});
