//! Date and time expressions, read and applied as pact-reference's generators do (pact_models'
//! `date_expression_parser`, `time_expression_parser` and `datetime_expressions`).
//!
//! - A date expression is a base (`now`, `today`, `yesterday`, `tomorrow`) or `next`/`last` with
//!   an offset (`day`, `week`, `month`, `year`, `fortnight`, a weekday such as `monday` or `mon`,
//!   a month such as `june` or `jun`), then any number of `+ N unit` / `- N unit` with `day(s)`,
//!   `week(s)`, `month(s)` or `year(s)`.
//! - A time expression is a base (`now`, `midnight`, `noon`, `N o'clock` with an optional `am` or
//!   `pm`, N from 1 to 12) or `next`/`last` with `hour`, `minute`, `second` or `millisecond`,
//!   then any number of `+ N unit` / `- N unit` with those units.
//! - A date-time expression is a date expression, or a date expression, `@` and a time
//!   expression (`tomorrow @ midnight`, `+ 1 day @ + 1 hour`).
//!
//! Words are lower case. `next monday` is the first Monday after the base, `last december` the
//! first day of the December before it; `+ 1 month` keeps the day of the month, or takes the
//! first of the month (forward) or its last day (back) when the month is too short, and
//! `+ 1 year` from 29 February to a year without one leaves the date unchanged, all as
//! pact-reference computes them.

use crate::Kind;

/// A calendar instant in UTC, broken into the fields formats write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Moment {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    pub millis: i64,
    /// 1 (Monday) to 7 (Sunday).
    pub weekday: i64,
    /// 1 to 366.
    pub day_of_year: i64,
}

const DAY_MILLIS: i64 = 86_400_000;

/// Days since 1970-01-01 to a civil date (the proleptic Gregorian calendar).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A civil date to days since 1970-01-01.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

impl Moment {
    pub(crate) fn from_millis(millis: i64) -> Self {
        let days = millis.div_euclid(DAY_MILLIS);
        let in_day = millis.rem_euclid(DAY_MILLIS);
        let (year, month, day) = civil(days);
        Moment {
            year,
            month,
            day,
            hour: in_day / 3_600_000,
            minute: in_day / 60_000 % 60,
            second: in_day / 1000 % 60,
            millis: in_day % 1000,
            weekday: (days + 3).rem_euclid(7) + 1,
            day_of_year: days - days_from_civil(year, 1, 1) + 1,
        }
    }

    fn to_millis(self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * DAY_MILLIS
            + ((self.hour * 60 + self.minute) * 60 + self.second) * 1000
            + self.millis
    }

    fn add_millis(self, millis: i64) -> Self {
        Moment::from_millis(self.to_millis().saturating_add(millis))
    }

    /// The same day at `hour` o'clock sharp.
    fn at_hour(self, hour: i64) -> Self {
        Moment::from_millis(Moment { hour, minute: 0, second: 0, millis: 0, ..self }.to_millis())
    }

    fn add_days(self, days: i64) -> Self {
        self.add_millis(days.saturating_mul(DAY_MILLIS))
    }

    /// pact-reference's `roll_month`: the same day `months` months on, or when that month is too
    /// short, its first day (going forward) or its last day (going back).
    fn roll_months(self, months: i64) -> Self {
        let index = self.year * 12 + (self.month - 1) + months;
        let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
        let last = days_in_month(year, month);
        let day = if self.day <= last {
            self.day
        } else if months > 0 {
            1
        } else {
            last
        };
        Moment::from_millis(Moment { year, month, day, ..self }.to_millis())
    }

    /// The same date `years` years on, or unchanged when that year has no such day (29 February).
    fn add_years(self, years: i64) -> Self {
        let year = self.year + years;
        if self.day > days_in_month(year, self.month) {
            return self;
        }
        Moment::from_millis(Moment { year, ..self }.to_millis())
    }

    /// The first day after this one (forward) or before it (back) whose `field` is `value`,
    /// having first left the run of days that already have it.
    fn step_to(self, forward: bool, field: fn(&Moment) -> i64, value: i64) -> Self {
        let step = if forward { 1 } else { -1 };
        let mut moment = self;
        // At most a year and a bit either way: months recur within 13 months, weekdays in 7 days.
        for _ in 0..800 {
            if field(&moment) != value {
                break;
            }
            moment = moment.add_days(step);
        }
        for _ in 0..800 {
            if field(&moment) == value {
                break;
            }
            moment = moment.add_days(step);
        }
        moment
    }
}

/// `base` moved as `expression` says. A `Date` generator reads a date expression, a `Time`
/// generator a time expression, and a `DateTime` generator a date expression optionally followed
/// by `@` and a time expression. An empty expression (or part) leaves `base` as it is.
pub(crate) fn apply(kind: Kind, expression: &str, base: Moment) -> Result<Moment, String> {
    let fail = |what: String| format!("the {} expression {expression:?} {what}", crate::kind_name(kind));
    match kind {
        Kind::Date => date(expression, base),
        Kind::Time => time(expression, base),
        Kind::DateTime => match expression.split_once('@') {
            Some((date_part, time_part)) => date(date_part, base).and_then(|moment| time(time_part, moment)),
            None => date(expression, base),
        },
    }
    .map_err(fail)
}

/// A word of the expression, a number, or a sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Word(&'static str),
    Number(i64),
    Plus,
    Minus,
}

const DATE_WORDS: &[&str] = &[
    "now",
    "today",
    "yesterday",
    "tomorrow",
    "next",
    "last",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "fortnight",
    "mon",
    "monday",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
    "thurs",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
];

const TIME_WORDS: &[&str] = &[
    "now",
    "midnight",
    "noon",
    "o'clock",
    "am",
    "pm",
    "next",
    "last",
    "hour",
    "hours",
    "minute",
    "minutes",
    "second",
    "seconds",
    "millisecond",
    "milliseconds",
];

/// The largest count an offset takes (pact-reference steps months a day at a time, so no pact
/// relies on more).
const MAX_COUNT: i64 = 1_000_000;

/// Splits `part` as pact-reference's lexers do: spaces, tabs, newlines and form feeds separate
/// tokens but are not needed between them (`+1day`), and a word is the longest one known.
fn lex(part: &str, words: &[&'static str]) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut rest = part;
    loop {
        rest = rest.trim_start_matches([' ', '\t', '\n', '\u{c}']);
        let Some(c) = rest.chars().next() else { return Ok(tokens) };
        let (token, len) = match c {
            '+' => (Token::Plus, 1),
            '-' => (Token::Minus, 1),
            '0'..='9' => {
                let len = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
                let number = rest[..len]
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n <= MAX_COUNT)
                    .ok_or_else(|| format!("has the number {} (at most {MAX_COUNT})", &rest[..len]))?;
                (Token::Number(number), len)
            }
            _ => match words.iter().filter(|w| rest.starts_with(**w)).max_by_key(|w| w.len()) {
                Some(word) => (Token::Word(word), word.len()),
                None => {
                    return Err(format!("cannot use {:?}", rest.split_whitespace().next().unwrap_or(rest)))
                }
            },
        };
        tokens.push(token);
        rest = &rest[len..];
    }
}

/// The signed count of a `+ N`/`- N`, the sign being `sign`.
fn signed(sign: Token, count: Option<Token>) -> Result<i64, String> {
    match count {
        Some(Token::Number(n)) => Ok(if sign == Token::Minus { -n } else { n }),
        _ => Err("needs a number after + or -".into()),
    }
}

/// Applies `+ N unit` / `- N unit` adjustments from `tokens` with `unit`, as pact-reference's
/// `adjustments` does: a token other than a sign ends them, and is ignored when it is the last.
fn adjustments(
    mut tokens: std::slice::Iter<'_, Token>,
    mut moment: Moment,
    unit: fn(&str, i64, Moment) -> Option<Moment>,
    units: &str,
) -> Result<Moment, String> {
    while let Some(&token) = tokens.next() {
        if !matches!(token, Token::Plus | Token::Minus) {
            if tokens.next().is_some() {
                return Err("has more after its last adjustment".into());
            }
            break;
        }
        let count = signed(token, tokens.next().copied())?;
        moment = match tokens.next() {
            Some(Token::Word(word)) => unit(word, count, moment),
            _ => None,
        }
        .ok_or_else(|| format!("needs a unit ({units}) after the number"))?;
    }
    Ok(moment)
}

const DATE_UNITS: &str = "day(s), week(s), month(s) or year(s)";

fn date_unit(word: &str, count: i64, moment: Moment) -> Option<Moment> {
    Some(match word {
        "day" | "days" => moment.add_days(count),
        "week" | "weeks" => moment.add_days(count * 7),
        "month" | "months" => moment.roll_months(count),
        "year" | "years" => moment.add_years(count),
        _ => return None,
    })
}

/// 1 (Monday) to 7 (Sunday).
fn weekday(word: &str) -> Option<i64> {
    Some(match word {
        "mon" | "monday" => 1,
        "tues" | "tuesday" => 2,
        "wed" | "wednesday" => 3,
        "thurs" | "thursday" => 4,
        "fri" | "friday" => 5,
        "sat" | "saturday" => 6,
        "sun" | "sunday" => 7,
        _ => return None,
    })
}

fn month(word: &str) -> Option<i64> {
    Some(match word {
        "jan" | "january" => 1,
        "feb" | "february" => 2,
        "mar" | "march" => 3,
        "apr" | "april" => 4,
        "may" => 5,
        "jun" | "june" => 6,
        "jul" | "july" => 7,
        "aug" | "august" => 8,
        "sep" | "september" => 9,
        "oct" | "october" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    })
}

/// `next`/`last` with a date offset.
fn date_offset(forward: bool, word: &str, moment: Moment) -> Option<Moment> {
    let sign = if forward { 1 } else { -1 };
    Some(match word {
        "day" | "week" | "month" | "year" => date_unit(word, sign, moment)?,
        "fortnight" => moment.add_days(sign * 14),
        _ if weekday(word).is_some() => {
            let day = weekday(word)?;
            moment.step_to(forward, |m| m.weekday, day)
        }
        _ => {
            let wanted = month(word)?;
            let found = moment.step_to(forward, |m| m.month, wanted);
            if forward {
                found
            } else {
                Moment::from_millis(Moment { day: 1, ..found }.to_millis())
            }
        }
    })
}

/// The date part of an expression, applied to `base`.
fn date(part: &str, base: Moment) -> Result<Moment, String> {
    if part.is_empty() {
        return Ok(base);
    }
    const START: &str = "must start with now, today, yesterday, tomorrow, +, -, next or last";
    let tokens = lex(part, DATE_WORDS)?;
    let mut rest = tokens.iter();
    let moment = match rest.next() {
        Some(Token::Word("now" | "today")) => base,
        Some(Token::Word("yesterday")) => base.add_days(-1),
        Some(Token::Word("tomorrow")) => base.add_days(1),
        Some(Token::Plus | Token::Minus) => return adjustments(tokens.iter(), base, date_unit, DATE_UNITS),
        Some(Token::Word(direction @ ("next" | "last"))) => match rest.next() {
            Some(Token::Word(word)) => date_offset(*direction == "next", word, base),
            _ => None,
        }
        .ok_or_else(|| {
            format!("needs a day, week, month, year, fortnight, weekday or month after {direction:?}")
        })?,
        _ => return Err(START.into()),
    };
    match rest.as_slice().first() {
        None | Some(Token::Plus | Token::Minus) => adjustments(rest, moment, date_unit, DATE_UNITS),
        Some(_) => Err("needs + or - after its start".into()),
    }
}

const TIME_UNITS: &str = "hour(s), minute(s), second(s) or millisecond(s)";

fn time_unit(word: &str, count: i64, moment: Moment) -> Option<Moment> {
    let millis = match word {
        "hour" | "hours" => 3_600_000,
        "minute" | "minutes" => 60_000,
        "second" | "seconds" => 1000,
        "millisecond" | "milliseconds" => 1,
        _ => return None,
    };
    Some(moment.add_millis(count.saturating_mul(millis)))
}

/// The time part of an expression, applied to `base`.
fn time(part: &str, base: Moment) -> Result<Moment, String> {
    if part.is_empty() {
        return Ok(base);
    }
    const START: &str = "must start with now, midnight, noon, 1-12 o'clock, +, -, next or last";
    let tokens = lex(part, TIME_WORDS)?;
    let mut rest = tokens.iter();
    let moment = match rest.next() {
        Some(Token::Word("now")) => base,
        Some(Token::Word("midnight")) => base.at_hour(0),
        Some(Token::Word("noon")) => base.at_hour(12),
        Some(&Token::Number(hour)) => {
            if rest.next() != Some(&Token::Word("o'clock")) {
                return Err(format!("needs o'clock after {hour}"));
            }
            if !(1..=12).contains(&hour) {
                return Err(format!("has the hour {hour} (1 to 12)"));
            }
            // As pact-reference: `am` is the hour as written (so `12 o'clock am` is noon), `pm`
            // twelve hours on (`12 o'clock pm` would be hour 24, and leaves the time as it is),
            // and neither the next of the two (the afternoon's before noon, the morning's after).
            let hour = match rest.as_slice().first() {
                Some(Token::Word("am")) => {
                    rest.next();
                    hour
                }
                Some(Token::Word("pm")) => {
                    rest.next();
                    hour + 12
                }
                _ if base.hour < 12 => hour + 12,
                _ => hour,
            };
            if hour < 24 {
                base.at_hour(hour)
            } else {
                base
            }
        }
        Some(Token::Plus | Token::Minus) => return adjustments(tokens.iter(), base, time_unit, TIME_UNITS),
        Some(Token::Word(direction @ ("next" | "last"))) => match rest.next() {
            Some(Token::Word(word)) => time_unit(word, if *direction == "next" { 1 } else { -1 }, base),
            _ => None,
        }
        .ok_or_else(|| format!("needs an hour, minute, second or millisecond after {direction:?}"))?,
        _ => return Err(START.into()),
    };
    match rest.as_slice().first() {
        None | Some(Token::Plus | Token::Minus) => adjustments(rest, moment, time_unit, TIME_UNITS),
        Some(_) => Err("needs + or - after its start".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        // 1970-01-01 was a Thursday.
        assert_eq!(Moment::from_millis(0).weekday, 4);
    }

    /// pact-reference's own table (pact_models' `datetime_expressions` tests), from
    /// 2000-01-01T10:00Z.
    #[test]
    fn pact_reference_cases() {
        let base = Moment::from_millis(946_720_800_000);
        let text = |m: Moment| {
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}",
                m.year, m.month, m.day, m.hour, m.minute, m.second, m.millis
            )
        };
        let date_cases = [
            ("", "2000-01-01T10:00:00.000"),
            ("now", "2000-01-01T10:00:00.000"),
            ("today", "2000-01-01T10:00:00.000"),
            ("yesterday", "1999-12-31T10:00:00.000"),
            ("tomorrow", "2000-01-02T10:00:00.000"),
            ("+ 1 day", "2000-01-02T10:00:00.000"),
            ("+ 1 week", "2000-01-08T10:00:00.000"),
            ("- 2 weeks", "1999-12-18T10:00:00.000"),
            ("+ 4 years", "2004-01-01T10:00:00.000"),
            ("tomorrow+ 4 years", "2004-01-02T10:00:00.000"),
            ("next week", "2000-01-08T10:00:00.000"),
            ("last month", "1999-12-01T10:00:00.000"),
            ("next fortnight", "2000-01-15T10:00:00.000"),
            ("next monday", "2000-01-03T10:00:00.000"),
            ("last wednesday", "1999-12-29T10:00:00.000"),
            ("next mon", "2000-01-03T10:00:00.000"),
            ("last december", "1999-12-01T10:00:00.000"),
            ("next jan", "2001-01-01T10:00:00.000"),
            ("next june + 2 weeks", "2000-06-15T10:00:00.000"),
            ("last mon + 2 weeks", "2000-01-10T10:00:00.000"),
            ("+ 1 day - 2 weeks", "1999-12-19T10:00:00.000"),
            ("last december + 2 weeks + 4 days", "1999-12-19T10:00:00.000"),
        ];
        for (expression, expected) in date_cases {
            assert_eq!(text(apply(Kind::Date, expression, base).unwrap()), expected, "{expression:?}");
        }
        let time_cases = [
            ("", "10:00:00.000"),
            ("now", "10:00:00.000"),
            ("midnight", "00:00:00.000"),
            ("noon", "12:00:00.000"),
            ("1 o'clock", "13:00:00.000"),
            ("1 o'clock am", "01:00:00.000"),
            ("1 o'clock pm", "13:00:00.000"),
            ("+ 1 hour", "11:00:00.000"),
            ("- 2 minutes", "09:58:00.000"),
            ("+ 4 seconds", "10:00:04.000"),
            ("+ 4 milliseconds", "10:00:00.004"),
            ("midnight+ 4 minutes", "00:04:00.000"),
            ("next hour", "11:00:00.000"),
            ("last minute", "09:59:00.000"),
            ("now + 2 hours - 4 minutes", "11:56:00.000"),
            (" + 2 hours - 4 minutes", "11:56:00.000"),
        ];
        for (expression, expected) in time_cases {
            assert_eq!(&text(apply(Kind::Time, expression, base).unwrap())[11..], expected, "{expression:?}");
        }
        let datetime_cases = [
            ("today @ 1 o'clock", "2000-01-01T13:00:00.000"),
            ("yesterday @ midnight", "1999-12-31T00:00:00.000"),
            ("yesterday @ midnight - 1 hour", "1999-12-30T23:00:00.000"),
            ("tomorrow @ now", "2000-01-02T10:00:00.000"),
            ("+ 1 day @ noon", "2000-01-02T12:00:00.000"),
            ("+ 1 week @ +1 hour", "2000-01-08T11:00:00.000"),
            ("- 2 weeks @ now + 1 hour", "1999-12-18T11:00:00.000"),
            ("+ 4 years @ midnight", "2004-01-01T00:00:00.000"),
            ("tomorrow+ 4 years @ 3 o'clock + 40 milliseconds", "2004-01-02T15:00:00.040"),
            ("next week @ next hour", "2000-01-08T11:00:00.000"),
            ("last month @ last hour", "1999-12-01T09:00:00.000"),
            ("@ now", "2000-01-01T10:00:00.000"),
            ("@ 12 o'clock am", "2000-01-01T12:00:00.000"),
            ("@ 2 o'clock", "2000-01-01T14:00:00.000"),
        ];
        for (expression, expected) in datetime_cases {
            assert_eq!(text(apply(Kind::DateTime, expression, base).unwrap()), expected, "{expression:?}");
        }
    }

    #[test]
    fn calendar_edges_follow_pact_reference() {
        let at = |y, m, d| Moment::from_millis(days_from_civil(y, m, d) * DAY_MILLIS + 10 * 3_600_000);
        let date = |e: &str, base: Moment| {
            let m = apply(Kind::Date, e, base).unwrap();
            (m.year, m.month, m.day)
        };
        // A month too short for the day: forward lands on its first day, back on its last.
        assert_eq!(date("+ 1 month", at(2021, 1, 31)), (2021, 2, 1));
        assert_eq!(date("- 1 month", at(2021, 3, 31)), (2021, 2, 28));
        assert_eq!(date("+ 13 months", at(2020, 1, 15)), (2021, 2, 15));
        // 29 February to a year without one: unchanged.
        assert_eq!(date("+ 1 year", at(2020, 2, 29)), (2020, 2, 29));
        assert_eq!(date("+ 4 years", at(2020, 2, 29)), (2024, 2, 29));
        // `next`/`last` a weekday or month leave today's first.
        assert_eq!(date("next saturday", at(2000, 1, 1)), (2000, 1, 8));
        assert_eq!(date("last jan", at(2000, 1, 20)), (1999, 1, 1));
        assert_eq!(date("next dec", at(2000, 12, 31)), (2001, 12, 1));
        // In the afternoon, `N o'clock` is the next morning's hour on the same day.
        let afternoon = at(2000, 1, 1).add_millis(5 * 3_600_000);
        assert_eq!(apply(Kind::Time, "3 o'clock", afternoon).unwrap().hour, 3);
        // `12 o'clock pm` would be hour 24: the time stays as it is, minutes and all.
        let late = afternoon.add_millis(61_000);
        assert_eq!(apply(Kind::Time, "12 o'clock pm", late).unwrap(), late);
    }

    #[test]
    fn what_pact_reference_refuses_is_refused() {
        let base = Moment::from_millis(946_720_800_000);
        for (kind, expression) in [
            (Kind::Date, "+ 1 fortnite"),
            (Kind::Date, "sometime"),
            (Kind::Date, "Tomorrow"),
            (Kind::Date, "+ 1 hour"),
            (Kind::Date, "next days"),
            (Kind::Date, "next months"),
            (Kind::Date, "now today"),
            (Kind::Date, "  "),
            (Kind::Date, "+ 2 weeks @ noon"),
            (Kind::Time, "13 o'clock"),
            (Kind::Time, "0 o'clock"),
            (Kind::Time, "+ 1 day"),
            (Kind::Time, "midnight 2 hours"),
            (Kind::DateTime, "+ 1 hour"),
            (Kind::DateTime, "+ 1 day @ + 1 day"),
            (Kind::DateTime, "+ 99999999 days"),
        ] {
            assert!(apply(kind, expression, base).is_err(), "{kind:?} {expression:?} was accepted");
        }
    }
}
