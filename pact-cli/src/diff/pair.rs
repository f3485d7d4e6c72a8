//! Pairs the interactions of OLD with those of NEW: by V4 `key` where both have one, then by
//! description and provider states (names and params), then, among what is left, by a
//! description that is unique on both sides (the same interaction with other states).

use pact_core::model::{Interaction, ProviderState};

/// One interaction of OLD, of NEW, or of both.
#[derive(Debug, Clone, Copy)]
pub enum Paired<'a> {
    /// In both pacts.
    Both(&'a Interaction, &'a Interaction),
    /// Only in NEW.
    Added(&'a Interaction),
    /// Only in OLD.
    Removed(&'a Interaction),
}

fn states_key(states: &[ProviderState]) -> Vec<String> {
    let mut key: Vec<String> = states
        .iter()
        .map(|s| format!("{}\u{0}{}", s.name, serde_json::Value::Object(s.params.clone())))
        .collect();
    key.sort();
    key
}

/// Pairs the interactions, in NEW's order, then the removed ones in OLD's order.
pub fn pair<'a>(old: &'a [Interaction], new: &'a [Interaction]) -> Vec<Paired<'a>> {
    let mut old_used = vec![false; old.len()];
    let mut partner: Vec<Option<usize>> = vec![None; new.len()];
    let mut take = |test: &dyn Fn(&Interaction, &Interaction) -> bool, partner: &mut Vec<Option<usize>>| {
        for (n, new_i) in new.iter().enumerate() {
            if partner[n].is_some() {
                continue;
            }
            if let Some(o) = (0..old.len()).find(|&o| !old_used[o] && test(&old[o], new_i)) {
                old_used[o] = true;
                partner[n] = Some(o);
            }
        }
    };
    // 1. The V4 key.
    take(&|o, n| matches!((&o.meta().key, &n.meta().key), (Some(a), Some(b)) if a == b), &mut partner);
    // 2. Description and provider states.
    take(
        &|o, n| {
            o.description() == n.description()
                && states_key(o.provider_states()) == states_key(n.provider_states())
                && o.type_name() == n.type_name()
        },
        &mut partner,
    );
    // 3. A description left once on each side.
    let left_new: Vec<usize> = (0..new.len()).filter(|&n| partner[n].is_none()).collect();
    let left_old: Vec<usize> = (0..old.len()).filter(|&o| !old_used[o]).collect();
    for &n in &left_new {
        let description = new[n].description();
        let same_new = left_new.iter().filter(|&&m| new[m].description() == description).count();
        let same_old: Vec<usize> =
            left_old.iter().copied().filter(|&o| old[o].description() == description).collect();
        if same_new == 1 && same_old.len() == 1 && old[same_old[0]].type_name() == new[n].type_name() {
            old_used[same_old[0]] = true;
            partner[n] = Some(same_old[0]);
        }
    }
    let mut out: Vec<Paired<'a>> = new
        .iter()
        .enumerate()
        .map(|(n, i)| match partner[n] {
            Some(o) => Paired::Both(&old[o], i),
            None => Paired::Added(i),
        })
        .collect();
    out.extend(old.iter().enumerate().filter(|(o, _)| !old_used[*o]).map(|(_, i)| Paired::Removed(i)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pact_core::model::HttpInteraction;

    fn interaction(description: &str, state: &str, key: Option<&str>) -> Interaction {
        let mut i = HttpInteraction::default();
        i.meta.description = description.into();
        if !state.is_empty() {
            i.meta.provider_states.push(ProviderState::new(state));
        }
        i.meta.key = key.map(str::to_string);
        Interaction::Http(i)
    }

    #[test]
    fn pairs_by_key_then_description_and_states_then_description() {
        let old = vec![
            interaction("a", "s1", None),
            interaction("a", "s2", None),
            interaction("renamed", "", Some("k1")),
            interaction("moved", "old state", None),
            interaction("gone", "", None),
        ];
        let new = vec![
            interaction("a", "s2", None),
            interaction("new name", "", Some("k1")),
            interaction("moved", "new state", None),
            interaction("fresh", "", None),
            interaction("a", "s1", None),
        ];
        let pairs = pair(&old, &new);
        let show = |p: &Paired| match p {
            Paired::Both(o, n) => format!(
                "{}/{:?}={}/{:?}",
                o.description(),
                o.provider_states().first().map(|s| &s.name),
                n.description(),
                n.provider_states().first().map(|s| &s.name)
            ),
            Paired::Added(n) => format!("+{}", n.description()),
            Paired::Removed(o) => format!("-{}", o.description()),
        };
        let shown: Vec<String> = pairs.iter().map(show).collect();
        assert_eq!(
            shown,
            vec![
                "a/Some(\"s2\")=a/Some(\"s2\")",
                "renamed/None=new name/None",
                "moved/Some(\"old state\")=moved/Some(\"new state\")",
                "+fresh",
                "a/Some(\"s1\")=a/Some(\"s1\")",
                "-gone",
            ]
        );
    }
}
