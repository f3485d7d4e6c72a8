//! Whether a new constraint on a response value accepts everything the old one did.
//!
//! A constraint is what a pact asks of one value of the provider's response: equality with the
//! example, or matching rules with the example they were written for. A change is **safe** when
//! every value the old constraint accepts, the new one accepts too (a provider that satisfied
//! OLD still satisfies NEW), **breaking** when some value the old one accepts the new one
//! rejects, and **undecided** when this cannot be worked out (two different regexes that both
//! accept the old example): undecided counts as breaking.
//!
//! Two checks decide:
//! 1. a witness: every old example is run through the new constraint with the matching engine;
//!    an old example the new constraint rejects proves the change breaking;
//! 2. the rules compared as sets: `type` → `regex`, a higher `min`, `number` → `integer` are
//!    stricter even when the old example passes; `regex` → `type`, a lower `min` are looser.

use pact_core::matching::match_response;
use pact_core::model::{
    Body, MatchingRule, MatchingRules, PathExpr, Response, RuleList, RuleLogic, StatusCodeRule,
};
use serde_json::{json, Value};

/// What a pact asks of one value.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    /// Equal to one of these examples (no rule applies).
    Equal(Vec<Value>),
    /// These rules, written with these examples.
    Rules {
        /// The rules.
        list: RuleList,
        /// The example values where the rules apply.
        examples: Vec<Value>,
    },
}

/// The answer for one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// A provider that satisfied OLD satisfies NEW.
    Safe,
    /// Cannot be decided; counted as breaking.
    Undecided,
    /// A provider that satisfied OLD may fail NEW.
    Breaking,
}

impl Verdict {
    /// Counted as breaking.
    pub fn is_breaking(self) -> bool {
        self != Verdict::Safe
    }

    /// `safe`, `breaking` or `undecided`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Safe => "safe",
            Verdict::Breaking => "breaking",
            Verdict::Undecided => "undecided",
        }
    }
}

/// A verdict with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// The verdict.
    pub verdict: Verdict,
    /// Why, in a short phrase.
    pub reason: String,
}

impl Judgement {
    fn new(verdict: Verdict, reason: impl Into<String>) -> Self {
        Judgement { verdict, reason: reason.into() }
    }
}

impl Constraint {
    /// A short description: `equal to "x"`, `type`, `regex ^\d+$`, `min 2`...
    pub fn describe(&self) -> String {
        match self {
            Constraint::Equal(values) => match values.as_slice() {
                [one] => format!("equal to {}", short(one)),
                _ => "equal to the example".to_string(),
            },
            Constraint::Rules { list, .. } => describe_list(list),
        }
    }

    fn examples(&self) -> &[Value] {
        match self {
            Constraint::Equal(values) => values,
            Constraint::Rules { examples, .. } => examples,
        }
    }
}

/// Whether `new` accepts every value `old` accepts.
pub fn judge(old: &Constraint, new: &Constraint) -> Judgement {
    if old == new {
        return Judgement::new(Verdict::Safe, "unchanged");
    }
    // 1. The witness: OLD's own examples.
    for example in old.examples() {
        if !accepts(new, example) {
            return Judgement::new(
                Verdict::Breaking,
                format!("OLD's example {} fails the new constraint ({})", short(example), new.describe()),
            );
        }
    }
    match (old, new) {
        (Constraint::Equal(_), _) => Judgement::new(
            Verdict::Safe,
            format!("the new constraint ({}) accepts OLD's value", new.describe()),
        ),
        (Constraint::Rules { list, .. }, Constraint::Equal(values)) => Judgement::new(
            Verdict::Breaking,
            format!(
                "stricter: {} → {} (the matcher was removed)",
                describe_list(list),
                match values.as_slice() {
                    [one] => format!("equal to {}", short(one)),
                    _ => "equal to the example".to_string(),
                }
            ),
        ),
        (
            Constraint::Rules { list: old_list, examples: old_ex },
            Constraint::Rules { list: new_list, examples: new_ex },
        ) => compare_lists(old_list, old_ex, new_list, new_ex),
    }
}

fn compare_lists(old: &RuleList, old_ex: &[Value], new: &RuleList, new_ex: &[Value]) -> Judgement {
    let transition = format!("{} → {}", describe_list(old), describe_list(new));
    if old.rules == new.rules && old.combine == new.combine {
        return Judgement::new(Verdict::Safe, "the example changed; the matcher accepts both");
    }
    let or = |l: &RuleList| l.combine == RuleLogic::Or && l.rules.len() > 1;
    if or(old) || or(new) {
        return Judgement::new(
            Verdict::Undecided,
            format!("cannot compare OR-combined matchers: {transition}"),
        );
    }
    let mut worst = Verdict::Safe;
    for r in &new.rules {
        // An AND list accepts what all its rules accept: one old rule at least as strict as `r`
        // is enough.
        let verdicts: Vec<Verdict> = old.rules.iter().map(|o| subset(o, old_ex, r, new_ex)).collect();
        let verdict = if verdicts.contains(&Verdict::Safe) {
            Verdict::Safe
        } else if verdicts.contains(&Verdict::Undecided) {
            Verdict::Undecided
        } else {
            Verdict::Breaking
        };
        worst = worst.max(verdict);
    }
    match worst {
        Verdict::Safe => Judgement::new(Verdict::Safe, format!("looser or the same: {transition}")),
        Verdict::Breaking => Judgement::new(Verdict::Breaking, format!("stricter: {transition}")),
        Verdict::Undecided => Judgement::new(
            Verdict::Undecided,
            format!("cannot decide whether every value OLD accepts passes NEW: {transition}"),
        ),
    }
}

/// The JSON type of a value, as `type` matching sees it.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The one JSON type every value a rule accepts has, if there is one.
fn accepted_type(rule: &MatchingRule, examples: &[Value]) -> Option<&'static str> {
    use MatchingRule as R;
    match rule {
        R::Type | R::MinType(_) | R::MaxType(_) | R::MinMaxType(..) | R::Equality => {
            let mut types = examples.iter().map(json_type);
            let first = types.next()?;
            types.all(|t| t == first).then_some(first)
        }
        R::Regex(_) | R::Include(_) | R::Date(_) | R::Time(_) | R::DateTime(_) | R::Semver => Some("string"),
        R::Integer | R::Decimal | R::Number => Some("number"),
        R::Boolean => Some("boolean"),
        R::Null => Some("null"),
        _ => None,
    }
}

/// Array length bounds a rule sets: (at least, at most).
fn bounds(rule: &MatchingRule) -> (usize, Option<usize>) {
    match rule {
        MatchingRule::MinType(min) => (*min, None),
        MatchingRule::MaxType(max) => (0, Some(*max)),
        MatchingRule::MinMaxType(min, max) => (*min, Some(*max)),
        _ => (0, None),
    }
}

/// Does every value `o` accepts satisfy `r`?
fn subset(o: &MatchingRule, o_ex: &[Value], r: &MatchingRule, r_ex: &[Value]) -> Verdict {
    use MatchingRule as R;
    use Verdict::{Breaking as No, Safe as Yes, Undecided as Unknown};
    if o == r {
        return match r {
            // The same type rule with examples of another type is another constraint.
            R::Type | R::MinType(_) | R::MaxType(_) | R::MinMaxType(..) => {
                if accepted_type(o, o_ex) == accepted_type(r, r_ex) {
                    Yes
                } else {
                    No
                }
            }
            _ => Yes,
        };
    }
    let same_type = accepted_type(o, o_ex).is_some() && accepted_type(o, o_ex) == accepted_type(r, r_ex);
    let old_passes = |test: &dyn Fn(&str) -> bool| {
        o_ex.iter().all(|v| match v {
            Value::String(s) => test(s),
            other => test(&other.to_string()),
        })
    };
    match r {
        R::Type => {
            if same_type {
                Yes
            } else {
                No
            }
        }
        R::MinType(_) | R::MaxType(_) | R::MinMaxType(..) => {
            let (r_min, r_max) = bounds(r);
            let (o_min, o_max) = bounds(o);
            if !same_type {
                return No;
            }
            let min_ok = o_min >= r_min;
            let max_ok = match (o_max, r_max) {
                (_, None) => true,
                (Some(o_max), Some(r_max)) => o_max <= r_max,
                (None, Some(_)) => false,
            };
            if min_ok && max_ok {
                Yes
            } else {
                No
            }
        }
        R::Regex(p) => match o {
            R::Regex(q) if q.as_str() == p.as_str() => Yes,
            R::Regex(_)
            | R::Include(_)
            | R::Date(_)
            | R::Time(_)
            | R::DateTime(_)
            | R::Semver
            | R::Integer
            | R::Decimal
            | R::Number => Unknown,
            _ => No,
        },
        R::Integer => match o {
            R::Integer => Yes,
            R::Regex(_) => Unknown,
            _ => No,
        },
        R::Decimal => match o {
            R::Decimal => Yes,
            R::Regex(_) => Unknown,
            _ => No,
        },
        R::Number => match o {
            R::Integer | R::Decimal | R::Number => Yes,
            R::Type | R::MinType(_) | R::MaxType(_) | R::MinMaxType(..) if same_type => Yes,
            R::Regex(_) => Unknown,
            _ => No,
        },
        R::Boolean | R::Null => {
            if same_type {
                Yes
            } else {
                No
            }
        }
        R::Include(s) => match o {
            R::Include(t) if t.contains(s.as_str()) => Yes,
            R::Regex(_) if old_passes(&|v| v.contains(s.as_str())) => Unknown,
            _ => No,
        },
        R::Date(f) | R::Time(f) | R::DateTime(f) => match o {
            R::Date(g) | R::Time(g) | R::DateTime(g)
                if std::mem::discriminant(o) == std::mem::discriminant(r) && f == g =>
            {
                Yes
            }
            R::Date(_) | R::Time(_) | R::DateTime(_) | R::Regex(_) => Unknown,
            _ => No,
        },
        R::Semver => match o {
            R::Regex(_) => Unknown,
            _ => No,
        },
        R::NotEmpty => match o {
            R::MinType(n) | R::MinMaxType(n, _) if *n >= 1 => Yes,
            R::Regex(_) | R::Include(_) | R::Date(_) | R::Time(_) | R::DateTime(_) | R::Semver => Unknown,
            R::Integer | R::Decimal | R::Number | R::Boolean => Yes,
            _ => No,
        },
        R::StatusCode(r_codes) => match o {
            R::StatusCode(o_codes) => {
                let (r_set, o_set) = (status_codes(r_codes), status_codes(o_codes));
                if o_set.iter().all(|c| r_set.contains(c)) {
                    Yes
                } else {
                    No
                }
            }
            _ => Unknown,
        },
        R::Equality => No,
        _ => Unknown,
    }
}

fn status_codes(rule: &StatusCodeRule) -> Vec<u16> {
    let range = |a: u16, b: u16| (a..=b).collect::<Vec<_>>();
    match rule {
        StatusCodeRule::Information => range(100, 199),
        StatusCodeRule::Success => range(200, 299),
        StatusCodeRule::Redirect => range(300, 399),
        StatusCodeRule::ClientError => range(400, 499),
        StatusCodeRule::ServerError => range(500, 599),
        StatusCodeRule::NonError => range(100, 399),
        StatusCodeRule::Error => range(400, 599),
        StatusCodeRule::Codes(codes) => codes.clone(),
        #[allow(unreachable_patterns)]
        _ => Vec::new(),
    }
}

/// Whether a constraint accepts `value`, decided by the matching engine itself: the value is
/// matched as a response body field under the constraint's rules.
pub fn accepts(constraint: &Constraint, value: &Value) -> bool {
    match constraint {
        Constraint::Equal(values) => values.iter().any(|v| equal(v, value)),
        Constraint::Rules { list, examples } => {
            let Some(example) = examples.first() else { return true };
            let mut expected = Response::status(200);
            expected.body = Body::json(json!({ "v": example }));
            let mut rules = MatchingRules::default();
            if let Ok(path) = PathExpr::parse("$.v") {
                rules.body.insert(path, list.clone());
            }
            expected.matching_rules = rules;
            let mut actual = Response::status(200);
            actual.body = Body::json(json!({ "v": value }));
            match_response(&expected, &actual).is_empty()
        }
    }
}

/// JSON equality, with numbers compared by value (`1` and `1.0` are equal).
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// A value as a report shows it: compact JSON, cut at 60 characters.
pub fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 60 {
        return text;
    }
    let cut: String = text.chars().take(57).collect();
    format!("{cut}...")
}

/// `type`, `regex ^\d+$`, `min 2`, `integer AND regex x`...
pub fn describe_list(list: &RuleList) -> String {
    let join = if list.combine == RuleLogic::Or { " OR " } else { " AND " };
    list.rules.iter().map(describe_rule).collect::<Vec<_>>().join(join)
}

fn describe_rule(rule: &MatchingRule) -> String {
    use MatchingRule as R;
    match rule {
        R::Equality => "equality".into(),
        R::Regex(r) => format!("regex {}", r.as_str()),
        R::Type => "type".into(),
        R::MinType(n) => format!("type with min {n}"),
        R::MaxType(n) => format!("type with max {n}"),
        R::MinMaxType(a, b) => format!("type with min {a} and max {b}"),
        R::Include(s) => format!("include {s:?}"),
        R::Integer => "integer".into(),
        R::Decimal => "decimal".into(),
        R::Number => "number".into(),
        R::Boolean => "boolean".into(),
        R::Null => "null".into(),
        R::DateTime(f) => format!("datetime {}", f.as_deref().unwrap_or("(ISO 8601)")),
        R::Date(f) => format!("date {}", f.as_deref().unwrap_or("(ISO 8601)")),
        R::Time(f) => format!("time {}", f.as_deref().unwrap_or("(ISO 8601)")),
        R::ContentType(t) => format!("contentType {t}"),
        R::Values => "values".into(),
        R::ArrayContains(_) => "arrayContains".into(),
        R::EachKey(_) => "eachKey".into(),
        R::EachValue(_) => "eachValue".into(),
        R::NotEmpty => "notEmpty".into(),
        R::Semver => "semver".into(),
        R::StatusCode(_) => "statusCode".into(),
        R::Unknown { name, .. } => name.clone(),
        #[allow(unreachable_patterns)]
        _ => "a matcher".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pact_core::model::PactRegex;

    fn rules(rules: Vec<MatchingRule>, example: Value) -> Constraint {
        Constraint::Rules { list: RuleList { rules, combine: RuleLogic::And }, examples: vec![example] }
    }

    fn regex(p: &str) -> MatchingRule {
        MatchingRule::Regex(PactRegex::new(p).unwrap())
    }

    #[test]
    fn the_rules_of_the_issue() {
        let verdict = |old: &Constraint, new: &Constraint| judge(old, new).verdict;
        // type -> regex: stricter even though the old example passes.
        assert_eq!(
            verdict(
                &rules(vec![MatchingRule::Type], json!("abc")),
                &rules(vec![regex("^[a-z]+$")], json!("abc"))
            ),
            Verdict::Breaking
        );
        // regex -> type: looser.
        assert_eq!(
            verdict(
                &rules(vec![regex("^[a-z]+$")], json!("abc")),
                &rules(vec![MatchingRule::Type], json!("x"))
            ),
            Verdict::Safe
        );
        // a changed regex that rejects OLD's example.
        let j = judge(
            &rules(vec![regex("^[a-z]+$")], json!("abc")),
            &rules(vec![regex("^[0-9]+$")], json!("123")),
        );
        assert_eq!(j.verdict, Verdict::Breaking);
        assert!(j.reason.contains("OLD's example \"abc\""), "{}", j.reason);
        // two unrelated regexes that both accept OLD's example: undecided.
        assert_eq!(
            verdict(&rules(vec![regex("^[a-z]+$")], json!("abc")), &rules(vec![regex("^a.*")], json!("abc"))),
            Verdict::Undecided
        );
        // a higher min, a lower min.
        assert_eq!(
            verdict(
                &rules(vec![MatchingRule::MinType(1)], json!([1, 2])),
                &rules(vec![MatchingRule::MinType(2)], json!([1, 2]))
            ),
            Verdict::Breaking
        );
        assert_eq!(
            verdict(
                &rules(vec![MatchingRule::MinType(2)], json!([1, 2])),
                &rules(vec![MatchingRule::MinType(1)], json!([1]))
            ),
            Verdict::Safe
        );
        // a narrower type.
        assert_eq!(
            verdict(
                &rules(vec![MatchingRule::Number], json!(1)),
                &rules(vec![MatchingRule::Integer], json!(1))
            ),
            Verdict::Breaking
        );
        assert_eq!(
            verdict(
                &rules(vec![MatchingRule::Type], json!(1)),
                &rules(vec![MatchingRule::Integer], json!(1))
            ),
            Verdict::Breaking
        );
        assert_eq!(
            verdict(
                &rules(vec![MatchingRule::Integer], json!(1)),
                &rules(vec![MatchingRule::Number], json!(2))
            ),
            Verdict::Safe
        );
        // equality -> type: looser; type -> equality: stricter.
        assert_eq!(
            verdict(&Constraint::Equal(vec![json!("a")]), &rules(vec![MatchingRule::Type], json!("b"))),
            Verdict::Safe
        );
        assert_eq!(
            verdict(&rules(vec![MatchingRule::Type], json!("a")), &Constraint::Equal(vec![json!("a")])),
            Verdict::Breaking
        );
        // a changed value without a matcher.
        assert_eq!(
            verdict(&Constraint::Equal(vec![json!("a")]), &Constraint::Equal(vec![json!("b")])),
            Verdict::Breaking
        );
        // a changed type under a type matcher.
        assert_eq!(
            verdict(&rules(vec![MatchingRule::Type], json!("1")), &rules(vec![MatchingRule::Type], json!(1))),
            Verdict::Breaking
        );
    }

    #[test]
    fn the_engine_decides_acceptance() {
        assert!(accepts(&rules(vec![regex(r"^\d+$")], json!("1")), &json!("42")));
        assert!(!accepts(&rules(vec![regex(r"^\d+$")], json!("1")), &json!("x")));
        assert!(accepts(
            &rules(vec![MatchingRule::MinType(1)], json!([{"a": 1}])),
            &json!([{"a": 2}, {"a": 3}])
        ));
        assert!(!accepts(&rules(vec![MatchingRule::MinType(3)], json!([1, 2, 3])), &json!([1])));
    }
}
