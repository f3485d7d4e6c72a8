//! Which interaction answers a request: the one the matching engine finds closest, among those
//! whose route (method and path) and query match.
//!
//! The rules are pact_stub_server's, so that `pact stub` is a drop-in for it:
//!
//! - method, path and query must match; so must the body when the request has one and its
//!   method carries a payload (`POST`, `PUT`, `PATCH`);
//! - other mismatches (a header, a body of a `GET`) are allowed, and the interaction with the
//!   fewest of them wins;
//! - a provider-state regex (`--provider-state`, or the request header named by
//!   `--provider-state-header-name`) keeps only interactions with a matching state.
//!
//! Where several interactions match equally well (typically the same request given different
//! provider states), a 2xx answer is preferred, then the first in the pacts' order; the
//! official server takes the first, which for the demo pact is its 404.

use pact_core::matching::{match_request, match_route, Mismatch, MismatchKind};
use pact_core::model::{Body, HttpInteraction, Request};
use regex::Regex;

/// One HTTP interaction the stub can answer with, and the pact it came from.
#[derive(Debug, Clone)]
pub struct StubInteraction {
    /// The interaction.
    pub interaction: HttpInteraction,
    /// Where its pact came from (a file or a URL), for the logs.
    pub origin: String,
}

impl StubInteraction {
    /// `a request for UserA (given UserA exists)`, for the logs.
    pub fn label(&self) -> String {
        let meta = &self.interaction.meta;
        let states: Vec<&str> = meta.provider_states.iter().map(|s| s.name.as_str()).collect();
        if states.is_empty() {
            format!("{:?}", meta.description)
        } else {
            format!("{:?} given {:?}", meta.description, states.join(" and "))
        }
    }
}

/// Which provider states may answer.
#[derive(Debug, Clone)]
pub struct StateFilter {
    /// A state name must match this.
    pub regex: Regex,
    /// Interactions without a state (or with an empty one) may answer too.
    pub include_empty: bool,
}

impl StateFilter {
    fn admits(&self, interaction: &HttpInteraction) -> bool {
        let states = &interaction.meta.provider_states;
        (self.include_empty && states.is_empty())
            || states
                .iter()
                .any(|s| (self.include_empty && s.name.is_empty()) || self.regex.is_match(&s.name))
    }
}

/// Why one interaction did not answer.
#[derive(Debug, Clone)]
pub struct Rejected {
    /// Its index in the stub's list.
    pub index: usize,
    /// The mismatches that ruled it out (empty when the state filter did).
    pub mismatches: Vec<Mismatch>,
    /// The state filter ruled it out.
    pub filtered_by_state: bool,
}

/// The outcome of choosing.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The index of the interaction that answers, if any.
    pub chosen: Option<usize>,
    /// The mismatches the chosen interaction still has (headers, for example).
    pub tolerated: Vec<Mismatch>,
    /// How many other interactions matched as well as the chosen one.
    pub ties: usize,
    /// The interactions with a matching route that were ruled out, and why.
    pub rejected: Vec<Rejected>,
    /// Whether any interaction has the request's route (method and path).
    pub route_known: bool,
}

/// Chooses the interaction that answers `request`.
pub fn choose(interactions: &[StubInteraction], request: &Request, states: Option<&StateFilter>) -> Choice {
    let payload = matches!(request.method.as_str(), "POST" | "PUT" | "PATCH")
        && matches!(request.body, Body::Present(_));
    let mut rejected = Vec::new();
    let mut accepted: Vec<(usize, Vec<Mismatch>)> = Vec::new();
    let mut route_known = false;
    for (index, stub) in interactions.iter().enumerate() {
        let expected = &stub.interaction.request;
        if !match_route(expected, request).is_empty() {
            continue;
        }
        route_known = true;
        if states.is_some_and(|f| !f.admits(&stub.interaction)) {
            rejected.push(Rejected { index, mismatches: Vec::new(), filtered_by_state: true });
            continue;
        }
        let mismatches = match_request(expected, request);
        let disqualified = mismatches.iter().any(|m| match m.kind {
            MismatchKind::Method | MismatchKind::Path | MismatchKind::Query => true,
            MismatchKind::Body | MismatchKind::BodyType => payload,
            _ => false,
        });
        if disqualified {
            rejected.push(Rejected { index, mismatches, filtered_by_state: false });
        } else {
            accepted.push((index, mismatches));
        }
    }
    let success = |index: usize| (200..300).contains(&interactions[index].interaction.response.status);
    // Fewest mismatches first, then a 2xx answer, then the pacts' order (the sort is stable).
    accepted.sort_by_key(|(index, mismatches)| (mismatches.len(), !success(*index)));
    let ties = accepted
        .first()
        .map_or(0, |(_, best)| accepted.iter().skip(1).filter(|(_, m)| m.len() == best.len()).count());
    let mut accepted = accepted.into_iter();
    match accepted.next() {
        Some((index, tolerated)) => Choice { chosen: Some(index), tolerated, ties, rejected, route_known },
        None => Choice { chosen: None, tolerated: Vec::new(), ties: 0, rejected, route_known },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pact_core::model::{ProviderState, Response};
    use serde_json::json;

    fn stub(description: &str, state: &str, request: Request, status: u16) -> StubInteraction {
        let mut interaction = HttpInteraction::default();
        interaction.meta.description = description.into();
        if !state.is_empty() {
            interaction.meta.provider_states.push(ProviderState::new(state));
        }
        interaction.request = request;
        interaction.response = Response::status(status);
        StubInteraction { interaction, origin: "test".into() }
    }

    fn demo() -> Vec<StubInteraction> {
        let request = || Request::get("/users/UserA").with_header("Accept", "application/json");
        vec![
            stub("a request for UserA", "UserA does not exist", request(), 404),
            stub("a request for UserA", "UserA exists", request(), 200),
        ]
    }

    #[test]
    fn among_states_the_2xx_answer_wins() {
        let choice = choose(&demo(), &Request::get("/users/UserA"), None);
        assert_eq!(choice.chosen, Some(1));
        assert_eq!(choice.ties, 1);
        // The missing Accept header is tolerated, and reported.
        assert_eq!(choice.tolerated.len(), 1);
        assert_eq!(choice.tolerated[0].kind, MismatchKind::Header);
    }

    #[test]
    fn a_state_filter_chooses_another() {
        let filter = StateFilter { regex: Regex::new("does not").unwrap(), include_empty: false };
        let choice = choose(&demo(), &Request::get("/users/UserA"), Some(&filter));
        assert_eq!(choice.chosen, Some(0));
        assert!(choice.rejected[0].filtered_by_state);
        let nothing = StateFilter { regex: Regex::new("^nobody$").unwrap(), include_empty: false };
        let choice = choose(&demo(), &Request::get("/users/UserA"), Some(&nothing));
        assert_eq!(choice.chosen, None);
        assert!(choice.route_known);
    }

    #[test]
    fn an_exact_match_beats_one_with_tolerated_mismatches() {
        let mut list = demo();
        list.push(stub("a plain request", "", Request::get("/users/UserA"), 404));
        let choice = choose(&list, &Request::get("/users/UserA"), None);
        assert_eq!(choice.chosen, Some(2), "the only exact match, though not 2xx");
        assert_eq!(choice.ties, 0);
    }

    #[test]
    fn a_query_or_payload_mismatch_rules_an_interaction_out() {
        let mut with_query = Request::get("/search");
        with_query.query = Some([("q".to_string(), vec!["a".to_string()])].into());
        let mut post = Request::get("/users");
        post.method = "POST".into();
        post.body = Body::json(json!({"name": "UserA"}));
        let list = vec![stub("search", "", with_query, 200), stub("create", "", post.clone(), 201)];

        let mut asked = Request::get("/search");
        asked.query = Some([("q".to_string(), vec!["b".to_string()])].into());
        let choice = choose(&list, &asked, None);
        assert_eq!(choice.chosen, None);
        assert_eq!(choice.rejected[0].mismatches[0].kind, MismatchKind::Query);

        let mut other = post.clone();
        other.body = Body::json(json!({"name": "UserB"}));
        assert_eq!(choose(&list, &other, None).chosen, None);
        assert_eq!(choose(&list, &post, None).chosen, Some(1));
        assert!(!choose(&list, &Request::get("/nowhere"), None).route_known);
    }
}
