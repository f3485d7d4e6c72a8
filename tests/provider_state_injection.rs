//! Provider-state injected values: the verifier fills `${...}` expressions of the pact's
//! `ProviderState` generators from what the state handler returned, or else from the state's
//! params, before sending the request.

use demo_user_service::{app, AppState};
use pact_core::model::{
    DataType, Generator, HttpInteraction, Interaction, Pact, ProviderState, Request, Response,
};
use pact_core::provider::StateRegistry;
use pact_core::verify::{Outcome, PactSource, RegistryStates, Verifier};
use serde_json::json;

/// `GET /users/Nobody` whose path a generator rewrites to `/users/${name}`, given a state.
fn pact(state: ProviderState) -> Pact {
    let mut interaction = HttpInteraction::default();
    interaction.meta.description = "a request for a user made by the state".into();
    interaction.meta.provider_states = vec![state];
    interaction.request = Request::get("/users/Nobody");
    interaction.request.generators.path =
        Some(Generator::provider_state("/users/${name}", Some(DataType::String)).unwrap());
    interaction.response = Response::status(200);
    let mut pact = Pact::new("InjectionClient", "UserService");
    pact.interactions.push(Interaction::Http(interaction));
    pact
}

async fn verify(pact: Pact, registry: StateRegistry<AppState>) -> pact_core::verify::VerificationReport {
    let state = AppState::default();
    Verifier::service(app(state.clone(), false))
        .states(std::sync::Arc::new(RegistryStates::new(state, registry)))
        .pact(PactSource::Pact(Box::new(pact)))
        .verify()
        .await
        .unwrap()
}

#[tokio::test]
async fn values_returned_by_the_state_handler_are_injected() {
    // The handler creates "Injected" and returns its name; the params name someone else.
    let registry = StateRegistry::<AppState>::new().register("a user was created", |app, _params| {
        let user = app.insert("Injected", false);
        json!({"name": user.name})
    });
    let state = ProviderState::new("a user was created").with_param("name", json!("NotThisOne"));
    let report = verify(pact(state), registry).await;
    assert!(report.success(), "{}", report.to_human(false));
}

#[tokio::test]
async fn params_are_injected_when_the_handler_returns_nothing() {
    let registry = StateRegistry::<AppState>::new().register("a user exists", |app, params| {
        app.insert(params["name"].as_str().unwrap_or_default(), false);
    });
    let state = ProviderState::new("a user exists").with_param("name", json!("UserB"));
    let report = verify(pact(state), registry).await;
    assert!(report.success(), "{}", report.to_human(false));
}

#[tokio::test]
async fn without_injection_the_example_path_is_sent_and_fails() {
    // No value for ${name}: the example `/users/Nobody` is sent, which the service does not know.
    let registry = StateRegistry::<AppState>::new().register("a user was created", |app, _params| {
        app.insert("Someone", false);
    });
    let report = verify(pact(ProviderState::new("a user was created")), registry).await;
    let Outcome::Failed(mismatches) = &report.pacts[0].interactions[0].outcome else {
        panic!("{}", report.to_human(false))
    };
    assert_eq!(mismatches[0].path, "$.status");
    assert_eq!(mismatches[0].actual, "404");
}
