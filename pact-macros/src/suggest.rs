//! "Did you mean ...?" for a mistyped key: the valid key nearest to what was written.

/// The candidate nearest to `word` by edit distance, when it is near enough to be a typo: at
/// most one edit for a short key, a third of its length for a longer one.
pub(crate) fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (distance(word, c), *c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The message for an unknown key (`place` says where, such as ` of each_like!`): the nearest
/// valid one if any, then all of them.
pub(crate) fn unknown_key(word: &str, place: &str, candidates: &[&str]) -> String {
    let all = candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
    match nearest(word, candidates) {
        Some(near) => format!("unknown key `{word}`{place}: did you mean `{near}`? The keys are {all}"),
        None => format!("unknown key `{word}`{place}: the keys are {all}"),
    }
}

/// Levenshtein distance, counted in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &[&str] = &["consumer", "provider", "given", "spec"];

    #[test]
    fn suggests_the_key_a_typo_came_from() {
        assert_eq!(nearest("provder", KEYS), Some("provider"));
        assert_eq!(nearest("Provider", KEYS), Some("provider"));
        assert_eq!(nearest("givn", KEYS), Some("given"));
        assert_eq!(nearest("specs", KEYS), Some("spec"));
        assert_eq!(nearest("mn", &["min", "max"]), Some("min"));
    }

    #[test]
    fn suggests_nothing_for_an_unrelated_word() {
        assert_eq!(nearest("state", KEYS), None);
        assert_eq!(nearest("timeout", KEYS), None);
    }
}
