//! Which interactions a request could match, found without running the matcher on all of them.
//!
//! An interaction whose path has no matching rule can only match a request with exactly that
//! path and (ignoring ASCII case) that method, so it is filed under both. An interaction with a
//! path rule may match any path and is a candidate for every request. The candidates come back
//! in declaration order, so the first one the matching engine accepts is the same interaction a
//! scan of all of them would have picked, and the cost of a request no longer grows with the
//! number of interactions on other routes.

use std::collections::HashMap;

use crate::model::Request;

/// Interaction indexes by method and exact path, plus those whose path has a rule.
#[derive(Debug, Default)]
pub(crate) struct Routes {
    /// Upper-case method, then path, then the indexes in declaration order.
    exact: HashMap<String, HashMap<String, Vec<usize>>>,
    /// Interactions with a path rule, in declaration order.
    patterned: Vec<usize>,
}

impl Routes {
    /// Files the interaction at `index`, which must be larger than any index filed before.
    pub(crate) fn add(&mut self, index: usize, request: &Request) {
        if request.matching_rules.path.is_some() {
            self.patterned.push(index);
        } else {
            self.exact
                .entry(request.method.to_ascii_uppercase())
                .or_default()
                .entry(request.path.clone())
                .or_default()
                .push(index);
        }
    }

    /// The indexes of the interactions `request` could match, in declaration order.
    pub(crate) fn candidates(&self, request: &Request) -> Vec<usize> {
        let exact: &[usize] = self
            .exact
            .get(request.method.to_ascii_uppercase().as_str())
            .and_then(|by_path| by_path.get(request.path.as_str()))
            .map_or(&[], Vec::as_slice);
        merge(exact, &self.patterned)
    }
}

/// Two ascending lists as one ascending list.
fn merge(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MatchingRule, Request, RuleList};

    fn with_path_rule(path: &str) -> Request {
        let mut request = Request::get(path);
        request.matching_rules.path = Some(RuleList::one(MatchingRule::Type));
        request
    }

    #[test]
    fn candidates_are_the_same_route_and_the_patterned_ones_in_declaration_order() {
        let mut routes = Routes::default();
        routes.add(0, &Request::get("/users/UserA"));
        routes.add(1, &with_path_rule("/users/UserB"));
        routes.add(2, &Request::get("/orders/1"));
        let mut post = Request::get("/users/UserA");
        post.method = "POST".into();
        routes.add(3, &post);
        routes.add(4, &Request::get("/users/UserA"));
        let mut lower = Request::get("/users/UserA");
        lower.method = "get".into();
        assert_eq!(routes.candidates(&lower), vec![0, 1, 4]);
        assert_eq!(routes.candidates(&Request::get("/users/nobody")), vec![1]);
        assert_eq!(routes.candidates(&Request::get("/orders/1")), vec![1, 2]);
    }
}
