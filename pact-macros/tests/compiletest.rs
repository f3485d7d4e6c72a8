//! Compile-time behaviour of the macros, with trybuild.
//!
//! - `tests/ui/<macro>/*.rs` must fail to compile, with exactly the diagnostics in the `.stderr`
//!   file beside each: every error the macros promise, spanned on the offending token.
//! - `tests/pass/*.rs` must compile (and their `main` must run). A `#[contract]` test expands to a
//!   `#[test]` function, which a non-test build drops after expansion; those cases therefore
//!   check that the macro accepts the input. Their expansions are compiled and run by the
//!   workspace's own contract tests (`tests/demo_consumer.rs`, `tests/consumer_failures.rs`).
//!
//! The `.stderr` files hold rustc's output, which changes between compiler versions. After a
//! compiler upgrade, regenerate them and review the diff:
//!
//! ```sh
//! TRYBUILD=overwrite cargo test -p pact-macros --test compiletest
//! ```

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/**/*.rs");
    t.pass("tests/pass/*.rs");
}
