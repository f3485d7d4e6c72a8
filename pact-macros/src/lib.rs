//! Macros of [pact-core](https://docs.rs/pact-core). Use them through `pact_core::prelude`; the
//! generated code calls into `pact_core`, so that crate must be a dependency under that name.
//!
//! - [`macro@contract`]: turns a test function into a consumer contract test.
//! - [`macro@provider_state`]: registers a provider-state handler.
//! - [`macro@message_contract`]: turns a test function into a message contract test.
//! - [`macro@message_provider`]: registers a message producer, for message pact verification.
//! - [`derive@PactExample`]: types as contracts, a type whose example value is its own pattern.
//! - [`term!`], [`json_pattern!`], [`like!`], [`each_like!`], [`each_key!`], [`each_value!`],
//!   [`array_contains!`], [`equality!`], [`datetime!`], [`date!`], [`time!`]: the matcher DSL.
//!   `term!` checks its regular expression, and that the example matches it, at compile time;
//!   `datetime!`, `date!` and `time!` check their format, and that the example follows it; given
//!   only a format they write a generator for "now".
//!
//! # A consumer test and a provider state
//!
//! The consumer's test declares what its client sends and needs back; the provider registers a
//! handler for each provider state the consumer names, which its verification runs before
//! replaying the interaction (see the repository's `docs/consumer.md` and `docs/provider.md`).
//!
//! ```no_run,test_harness
//! use pact_core::prelude::*;
//!
//! // The consumer's side: a contract test (it runs the real client against pact.base_url()).
//! #[contract(consumer = "UserServiceClient", provider = "UserService", given = "UserA exists")]
//! fn gets_user_a(pact: &mut Contract) {
//!     pact.upon_receiving("a request for UserA")
//!         .get("/users/UserA")
//!         .will_respond_with(200)
//!         .json_body(json_pattern!({
//!             "name": "UserA",
//!             "id": term!("^[0-9a-f-]{36}$", "fc763eba-0905-41c5-a27f-3934ab26786c"),
//!             "created_on": datetime!("yyyy-MM-dd'T'HH:mm:ss", "2016-12-15T20:16:01"),
//!             "admin": like!(false),
//!         }));
//! #   let _ = pact.base_url();
//! }
//! ```
//!
//! ```
//! use pact_core::provider::{Params, StateRegistry};
//! use pact_core::provider_state;
//! use std::sync::Mutex;
//!
//! // The provider's side: the handler of the state the consumer named.
//! #[derive(Default)]
//! struct Users(Mutex<Vec<String>>);
//!
//! #[provider_state("UserA exists")]
//! fn user_a_exists(users: &Users, _params: &Params) {
//!     users.0.lock().unwrap().push("UserA".into());
//! }
//!
//! let registry = StateRegistry::<Users>::registered();
//! assert!(registry.knows("UserA exists"));
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod attr;
mod case;
mod contract;
mod datetime;
mod errors;
mod example_attr;
mod message_contract;
mod message_provider;
mod pact_example;
mod pattern;
mod provider_state;
mod suggest;
mod test_fn;

use proc_macro::TokenStream;

/// Makes a consumer contract test out of a test function, sync or async.
///
/// Keys: `provider = "..."` (required, or several `provider("Name", given ...)`), `consumer = "..."` (defaults to the package name of the
/// crate the test is in), `given = "state"` or `given("state", key = value, ...)` (repeatable;
/// the states apply to every interaction of the test), and `spec = "v2" | "v3" | "v4"` (the pact
/// file version, V3 by default).
///
/// The function takes `&mut Contract`. The macro starts a mock provider, runs the body against it,
/// checks that every expected request arrived and matched, and then merges the interactions into
/// `pacts/<Consumer>-<Provider>.json`. When the body panics or returns an `Err`, or the check
/// fails, the test fails with the mock provider's report and nothing is written; a failed check
/// panics at the test's name.
///
/// An `async fn` runs on a current-thread Tokio runtime, unless it already carries a test
/// attribute such as `#[tokio::test]`, which then drives it.
///
/// Every interaction carries the test's name, `<crate>::<module>::<fn>`, which a V4 pact writes
/// as `comments.testname`.
///
/// A test that calls several providers lists each as `provider("Name", given ...)`, with its own
/// provider states, and takes one `&mut Contract` per provider in that order: each provider gets
/// its own mock and its own pact, and the test writes all of its pacts or none.
///
/// ```no_run
/// use pact_core::prelude::*;
///
/// #[contract(
///     consumer = "CheckoutClient",
///     provider("UserService", given = "UserA exists"),
///     provider("BillingService", given("an account exists", id = 7)),
/// )]
/// fn bills_user_a(users: &mut Contract, billing: &mut Contract) {
///     users.upon_receiving("a request for UserA").get("/users/UserA").will_respond_with(200);
///     billing.upon_receiving("a request to bill UserA").post("/invoices").will_respond_with(201);
///     // ... run the checkout flow against users.base_url() and billing.base_url() ...
/// #   let _ = (users.base_url(), billing.base_url());
/// }
/// ```
///
/// ```no_run
/// use pact_core::prelude::*;
///
/// #[contract(consumer = "UserServiceClient", provider = "UserService", given = "UserA exists")]
/// fn gets_user_a(pact: &mut Contract) {
///     pact.upon_receiving("a request for UserA")
///         .get("/users/UserA")
///         .will_respond_with(200)
///         .json_body(json_pattern!({"name": "UserA", "admin": like!(false)}));
///     // ... call the real client with pact.base_url() and check what it returns ...
/// #   let _ = pact.base_url();
/// }
///
/// #[contract(provider = "UserService", given("an administrator exists", name = "AdminA"))]
/// async fn gets_an_administrator(pact: &mut Contract) {
///     pact.upon_receiving("a request for AdminA")
///         .get("/users/AdminA")
///         .will_respond_with(200)
///         .json_body(json_pattern!({"name": "AdminA", "admin": true}));
/// #   let _ = pact.base_url();
/// }
/// ```
#[proc_macro_attribute]
pub fn contract(args: TokenStream, item: TokenStream) -> TokenStream {
    contract::expand(args.into(), item.into()).into()
}

/// Registers a function as the handler of a provider state, for the application state type of
/// its first argument.
///
/// The function, sync or async, takes `&AppState` and optionally `&Params` (the state's V3
/// parameters), and returns `()`, a JSON object of values to inject into the request, or a
/// `Result` of those. `#[provider_state("name", teardown)]` registers the state's teardown.
///
/// ```
/// use pact_core::provider::Params;
/// use pact_core::provider_state;
///
/// struct AppState;
///
/// #[provider_state("UserA exists")]
/// async fn user_a_exists(app: &AppState, params: &Params) -> Result<(), String> {
///     let _ = (app, params);
///     Ok(())
/// }
/// ```
#[proc_macro_attribute]
pub fn provider_state(args: TokenStream, item: TokenStream) -> TokenStream {
    provider_state::expand(args.into(), item.into()).into()
}

/// Turns a test function into a message contract test: the message counterpart of
/// `#[contract]`, with the same keys (`consumer`, `provider`, `given` with params, `spec`) and
/// the same compile-time checks.
///
/// The function takes `pact: &mut MessagePact` (sync or async), declares the messages the
/// consumer expects to receive, and passes their examples to the consumer's real handler with
/// `pact.handle(...)`. When the body returns (or returns `Ok`), the messages are merged into
/// `pacts/<Consumer>-<Provider>.json`; when it panics or returns an `Err`, nothing is written.
/// A message declared but never handed to a handler fails the test.
///
/// ```
/// use pact_core::prelude::*;
///
/// #[message_contract(consumer = "UserEventsClient", provider = "UserService")]
/// fn handles_user_created(pact: &mut MessagePact) {
///     pact.expects_to_receive("a UserCreated event")
///         .with_content(json_pattern!({"type": "UserCreated", "user": {"name": like!("UserC")}}))
///         .with_metadata("topic", "user-events");
///     pact.handle(|received| match received.message.contents.as_json() {
///         Some(event) if event["type"] == "UserCreated" => Ok(()),
///         _ => Err("not a UserCreated event"),
///     })
///     .unwrap();
/// }
/// ```
#[proc_macro_attribute]
pub fn message_contract(args: TokenStream, item: TokenStream) -> TokenStream {
    message_contract::expand(args.into(), item.into()).into()
}

/// Registers a function as the producer of a message, for verifying message pacts.
///
/// The function, sync or async, builds the message with the service's own code and returns a
/// `pact_core::message::Message` (or several, the responses of a synchronous message, as a
/// `Vec`), or a `Result` of those whose error fails the interaction. It takes the application
/// state and optionally the `&MessageRequest` (the provider states, their params, and the request
/// of a synchronous message): `fn(app: &AppState, request: &MessageRequest)`, `fn(app: &AppState)`,
/// `fn(request: &MessageRequest)` or `fn()`. A producer without an application state serves
/// every state type.
///
/// The verifier runs it in-process (`Verifier::message_producers(app)`), and
/// `pact_core::message::with_message_route` serves it over HTTP to `pact verify --message-url`
/// and the official verifiers.
///
/// ```
/// use pact_core::message::{Message, MessageRequest};
/// use pact_core::message_provider;
///
/// struct AppState;
///
/// #[message_provider("a user created event")]
/// async fn user_created(app: &AppState, request: &MessageRequest) -> Result<Message, String> {
///     let _ = (app, request);
///     Ok(Message::from_bytes(br#"{"name": "UserC"}"#, "application/json").with_metadata("topic", "users"))
/// }
/// ```
#[proc_macro_attribute]
pub fn message_provider(args: TokenStream, item: TokenStream) -> TokenStream {
    message_provider::expand(args.into(), item.into()).into()
}

/// Types as contracts: derives `pact_core::PactExample`, which turns an example value of the
/// type into a pattern whose rules accept any value of the same shape. Declare a body with
/// `like_type!(User { ... })` instead of repeating the type's shape.
///
/// A struct with named fields becomes an object; each field's pattern comes from its type:
/// `String` matches by type, integers by `integer`, floats by `decimal`, `bool` by type (the `boolean`
/// matcher also accepts the strings "true" and "false", which a `bool` cannot read),
/// `Vec<T>` (and arrays) is an each-like of its first item with `min: 1`, `Option<T>` is the
/// inner matcher or `null` (`nullable!`), maps use `values`, and a nested type that derives it
/// recurses. An enum of unit variants becomes a string matched by a regular expression of every
/// name the type can read (by type when a variant is `#[serde(other)]`).
///
/// An example must show what a value looks like: an empty `Vec` or map, a `None`, or a NaN is
/// not one, and the contract test fails before it runs with the JSON path and the field
/// (`$.tags: User.tags: the example is an empty list ...`).
///
/// Field attributes refine a string field (or a `Vec`, `Option` or `Box` of one), and the
/// example is checked against them when the pattern is built:
/// `#[pact(term = "regex")]`, `#[pact(datetime = "format")]`, `#[pact(date = "format")]`,
/// `#[pact(time = "format")]`. The regular expression and the format are checked at compile
/// time, as `term!` and `datetime!` check theirs.
///
/// serde's attributes are read as written (the derive needs neither serde nor serde_derive):
/// `rename` and `skip`, `skip_serializing`, `skip_deserializing` and `skip_serializing_if` on
/// fields, `rename` and `alias` on variants, and every `rename_all` convention on the type.
/// Attributes that change how a value is written (`flatten`, `with`, `tag`, `untagged`,
/// `transparent`, `from`/`into` ...) are compile errors, all reported in one build, as are
/// tuple structs and variants with data.
///
/// ```
/// use pact_core::prelude::*;
///
/// #[derive(PactExample)]
/// #[serde(rename_all = "camelCase")]
/// struct User {
///     name: String,
///     #[pact(term = "^[0-9a-f-]{36}$")]
///     id: String,
///     #[pact(datetime = "yyyy-MM-dd'T'HH:mm:ss")]
///     created_on: String,
///     admin: bool,
///     #[serde(skip)]
///     cached: bool,
/// }
///
/// let user = like_type!(User {
///     name: "UserA".into(),
///     id: "fc763eba-0905-41c5-a27f-3934ab26786c".into(),
///     created_on: "2016-12-15T20:16:01".into(),
///     admin: false,
///     cached: true,
/// });
/// assert_eq!(user.example()["createdOn"], "2016-12-15T20:16:01");
/// let rules = user.body_rules().unwrap();
/// let paths: Vec<&str> = rules.keys().map(|p| p.as_str()).collect();
/// assert_eq!(paths, ["$.admin", "$.createdOn", "$.id", "$.name"]);
/// ```
///
/// ```compile_fail
/// use pact_core::prelude::*;
///
/// #[derive(PactExample)]
/// struct Pair(String, String); // no field names to write
/// ```
#[proc_macro_derive(PactExample, attributes(pact, serde))]
pub fn derive_pact_example(input: TokenStream) -> TokenStream {
    pact_example::expand(input.into()).into()
}

/// A string matched by a regular expression: `term!(regex, example)`.
///
/// Both must be string literals. The regular expression must match the whole value; an invalid
/// expression, or an example it does not match, is a compile-time error.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"id": term!("^\\d+$", "42")});
/// assert_eq!(body.example()["id"], "42");
/// let rules = body.compile().unwrap().rules;
/// assert!(matches!(&rules[&PathExpr::parse("$.id").unwrap()].rules[0], MatchingRule::Regex(re) if re.as_str() == "^\\d+$"));
/// ```
#[proc_macro]
pub fn term(input: TokenStream) -> TokenStream {
    pattern::expand_term(input.into()).into()
}

/// A JSON value with matchers nested anywhere inside: `json_pattern!({"id": integer!(1), "tags": ["a"]})`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"id": integer!(1), "tags": ["a"], "parent": null});
/// assert_eq!(body.example(), serde_json::json!({"id": 1, "tags": ["a"], "parent": null}));
/// let rules = body.compile().unwrap().rules;
/// assert_eq!(rules.len(), 1);
/// assert_eq!(rules[&PathExpr::parse("$.id").unwrap()].rules, [MatchingRule::Integer]);
/// ```
#[proc_macro]
pub fn json_pattern(input: TokenStream) -> TokenStream {
    pattern::expand_json_pattern(input.into()).into()
}

/// Matches by type, the example's and its children's: `like!({"name": "UserA", "admin": false})`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"user": like!({"name": "UserA", "admin": false})});
/// assert_eq!(body.example()["user"]["name"], "UserA");
/// let rules = body.compile().unwrap().rules;
/// assert_eq!(rules[&PathExpr::parse("$.user").unwrap()].rules, [MatchingRule::Type]);
/// ```
#[proc_macro]
pub fn like(input: TokenStream) -> TokenStream {
    pattern::expand_like(input.into()).into()
}

/// An array whose items are all like the example: `each_like!({"id": 1}, min = 1, max = 10)`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"orders": each_like!({"id": 1}, min = 1, max = 10)});
/// assert_eq!(body.example()["orders"][0]["id"], 1);
/// let rules = body.compile().unwrap().rules;
/// assert_eq!(rules[&PathExpr::parse("$.orders").unwrap()].rules, [MatchingRule::MinMaxType(1, 10)]);
/// ```
#[proc_macro]
pub fn each_like(input: TokenStream) -> TokenStream {
    pattern::expand_each_like(input.into()).into()
}

/// An object whose every key matches a regular expression: `each_key!({"en": "Hello"}, "^[a-z]{2}$")`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"greetings": each_key!({"en": "Hello"}, "^[a-z]{2}$")});
/// let rules = body.compile().unwrap().rules;
/// assert!(matches!(rules[&PathExpr::parse("$.greetings").unwrap()].rules[0], MatchingRule::EachKey(_)));
/// ```
#[proc_macro]
pub fn each_key(input: TokenStream) -> TokenStream {
    pattern::expand_each_key(input.into()).into()
}

/// An object or array whose every value matches a matcher: `each_value!({"a": 1}, integer!(1))`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"counts": each_value!({"a": 1}, integer!(1))});
/// let rules = body.compile().unwrap().rules;
/// assert!(matches!(rules[&PathExpr::parse("$.counts").unwrap()].rules[0], MatchingRule::EachValue(_)));
/// ```
#[proc_macro]
pub fn each_value(input: TokenStream) -> TokenStream {
    pattern::expand_each_value(input.into()).into()
}

/// An array that contains an item like each variant, in any order: `array_contains!([{"type": "a"}, {"type": "b"}])`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"events": array_contains!([{"type": "a"}, {"type": "b"}])});
/// assert_eq!(body.example()["events"][1]["type"], "b");
/// let rules = body.compile().unwrap().rules;
/// assert!(matches!(rules[&PathExpr::parse("$.events").unwrap()].rules[0], MatchingRule::ArrayContains(_)));
/// ```
#[proc_macro]
pub fn array_contains(input: TokenStream) -> TokenStream {
    pattern::expand_array_contains(input.into()).into()
}

/// Exactly equal to the example, stopping any type matcher of a parent: `equality!("v1")`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = like!({"kind": "order", "version": equality!("v1")});
/// let rules = body.compile().unwrap().rules;
/// assert_eq!(rules[&PathExpr::parse("$.version").unwrap()].rules, [MatchingRule::Equality]);
/// ```
#[proc_macro]
pub fn equality(input: TokenStream) -> TokenStream {
    pattern::expand_equality(input.into()).into()
}

/// A date and time in a Java-style format: `datetime!("yyyy-MM-dd'T'HH:mm:ss", "2016-12-15T20:16:01")`, or `datetime!("yyyy-MM-dd'T'HH:mm:ss")` for "now": then a
/// `DateTime` generator makes the value when the interaction is replayed (by the mock provider in a
/// response, by the verifier in a request), and the example is 2016-12-15T20:16:01 (UTC) in
/// that format.
///
/// A literal format that cannot be used, or a literal example that does not follow it, is a
/// compile-time error.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// // A format and an example: the example is kept.
/// let body = json_pattern!({"created_on": datetime!("yyyy-MM-dd'T'HH:mm:ss", "2016-12-15T20:16:01")});
/// let compiled = body.compile().unwrap();
/// let created_on = PathExpr::parse("$.created_on").unwrap();
/// assert_eq!(compiled.rules[&created_on].rules, [MatchingRule::DateTime(Some("yyyy-MM-dd'T'HH:mm:ss".into()))]);
/// assert!(compiled.generators.is_empty());
///
/// // Only a format: a `DateTime` generator makes the value "now" on replay; the pact's example is
/// // 2016-12-15T20:16:01 (UTC) in that format.
/// let body = json_pattern!({"updated_at": datetime!("yyyy-MM-dd HH:mm")});
/// assert_eq!(body.example()["updated_at"], "2016-12-15 20:16");
/// let generators = body.compile().unwrap().generators;
/// assert_eq!(
///     generators[&PathExpr::parse("$.updated_at").unwrap()],
///     Generator::DateTime { format: Some("yyyy-MM-dd HH:mm".into()), expression: None }
/// );
/// ```
#[proc_macro]
pub fn datetime(input: TokenStream) -> TokenStream {
    datetime::expand(pact_datetime::Kind::DateTime, input.into()).into()
}

/// A date in a Java-style format: `date!("yyyy-MM-dd", "2016-12-15")`, or `date!("yyyy-MM-dd")` for "now": then a
/// `Date` generator makes the value when the interaction is replayed (by the mock provider in a
/// response, by the verifier in a request), and the example is 2016-12-15T20:16:01 (UTC) in
/// that format.
///
/// A literal format that cannot be used, or a literal example that does not follow it, is a
/// compile-time error.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"born": date!("yyyy-MM-dd", "2016-12-15"), "today": date!("dd/MM/yyyy")});
/// assert_eq!(body.example()["today"], "15/12/2016");
/// let compiled = body.compile().unwrap();
/// assert_eq!(compiled.rules[&PathExpr::parse("$.born").unwrap()].rules, [MatchingRule::Date(Some("yyyy-MM-dd".into()))]);
/// assert_eq!(
///     compiled.generators[&PathExpr::parse("$.today").unwrap()],
///     Generator::Date { format: Some("dd/MM/yyyy".into()), expression: None }
/// );
/// ```
#[proc_macro]
pub fn date(input: TokenStream) -> TokenStream {
    datetime::expand(pact_datetime::Kind::Date, input.into()).into()
}

/// A time in a Java-style format: `time!("HH:mm", "20:16")`, or `time!("HH:mm")` for "now": then a
/// `Time` generator makes the value when the interaction is replayed (by the mock provider in a
/// response, by the verifier in a request), and the example is 2016-12-15T20:16:01 (UTC) in
/// that format.
///
/// A literal format that cannot be used, or a literal example that does not follow it, is a
/// compile-time error.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"opens": time!("HH:mm", "09:30"), "now": time!("HH:mm:ss")});
/// assert_eq!(body.example()["now"], "20:16:01");
/// let compiled = body.compile().unwrap();
/// assert_eq!(compiled.rules[&PathExpr::parse("$.opens").unwrap()].rules, [MatchingRule::Time(Some("HH:mm".into()))]);
/// assert_eq!(
///     compiled.generators[&PathExpr::parse("$.now").unwrap()],
///     Generator::Time { format: Some("HH:mm:ss".into()), expression: None }
/// );
/// ```
#[proc_macro]
pub fn time(input: TokenStream) -> TokenStream {
    datetime::expand(pact_datetime::Kind::Time, input.into()).into()
}
