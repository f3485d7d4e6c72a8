//! Date and time expressions, as pact-reference's generators read them: `now`, `today`,
//! `tomorrow`, `yesterday`, `midnight`, `noon`, `3 o'clock`, `next week`, `last month`, and
//! offsets `+ 1 day`, `- 2 hours`. A date-time expression may split its date and time parts with
//! `@` (`+ 1 day @ + 1 hour`, `tomorrow @ midnight`).

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

    fn add_months(self, months: i64) -> Self {
        let index = self.year * 12 + (self.month - 1) + months;
        let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
        let day = self.day.min(days_in_month(year, month));
        Moment::from_millis(Moment { year, month, day, ..self }.to_millis())
    }

    fn add_millis(self, millis: i64) -> Self {
        Moment::from_millis(self.to_millis().saturating_add(millis))
    }

    fn at(self, hour: i64, minute: i64) -> Self {
        Moment::from_millis(Moment { hour, minute, second: 0, millis: 0, ..self }.to_millis())
    }
}

/// `base` moved as `expression` says; `kind` is the generator's (a `Date` expression has no time
/// part, a `Time` one no date part).
pub(crate) fn apply(kind: Kind, expression: &str, base: Moment) -> Result<Moment, String> {
    let fail = |what: String| format!("the {} expression {expression:?} {what}", crate::kind_name(kind));
    let mut moment = base;
    let parts: Vec<&str> = expression.split('@').collect();
    if parts.len() > 2 {
        return Err(fail("has more than one '@'".into()));
    }
    for part in parts {
        moment = apply_part(part, moment).map_err(fail)?;
    }
    Ok(moment)
}

fn tokens(part: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in part.split_whitespace() {
        let mut current = String::new();
        for c in word.chars() {
            if c == '+' || c == '-' {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                out.push(c.to_string());
            } else {
                current.push(c.to_ascii_lowercase());
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

fn apply_part(part: &str, base: Moment) -> Result<Moment, String> {
    let tokens = tokens(part);
    let mut moment = base;
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i].as_str();
        match token {
            "now" | "today" => i += 1,
            "tomorrow" => {
                moment = moment.add_millis(DAY_MILLIS);
                i += 1;
            }
            "yesterday" => {
                moment = moment.add_millis(-DAY_MILLIS);
                i += 1;
            }
            "midnight" => {
                moment = moment.at(0, 0);
                i += 1;
            }
            "noon" => {
                moment = moment.at(12, 0);
                i += 1;
            }
            "+" | "-" | "next" | "last" => {
                let sign = if token == "-" || token == "last" { -1 } else { 1 };
                let (count, unit_at) = if token == "next" || token == "last" {
                    (1, i + 1)
                } else {
                    let count = tokens
                        .get(i + 1)
                        .and_then(|n| n.parse::<i64>().ok())
                        .filter(|n| *n <= 1_000_000)
                        .ok_or_else(|| format!("needs a number after {token:?}"))?;
                    (count, i + 2)
                };
                let unit = tokens.get(unit_at).ok_or_else(|| format!("needs a unit after {token:?}"))?;
                moment = offset(moment, sign * count, unit)?;
                i = unit_at + 1;
            }
            number if number.parse::<i64>().is_ok() => {
                // `3 o'clock`, `3 o'clock pm`
                let hour: i64 = number.parse().unwrap_or(0);
                if tokens.get(i + 1).map(String::as_str) != Some("o'clock") || !(0..=12).contains(&hour) {
                    return Err(format!("cannot use {number:?} here"));
                }
                i += 2;
                let hour = match tokens.get(i).map(String::as_str) {
                    Some("pm") => {
                        i += 1;
                        hour % 12 + 12
                    }
                    Some("am") => {
                        i += 1;
                        hour % 12
                    }
                    _ => hour,
                };
                moment = moment.at(hour, 0);
            }
            other => return Err(format!("cannot use {other:?}")),
        }
    }
    Ok(moment)
}

fn offset(moment: Moment, count: i64, unit: &str) -> Result<Moment, String> {
    let unit = unit.strip_suffix('s').unwrap_or(unit);
    Ok(match unit {
        "year" => moment.add_months(count * 12),
        "month" => moment.add_months(count),
        "fortnight" => moment.add_millis(count * 14 * DAY_MILLIS),
        "week" => moment.add_millis(count * 7 * DAY_MILLIS),
        "day" => moment.add_millis(count * DAY_MILLIS),
        "hour" => moment.add_millis(count * 3_600_000),
        "minute" => moment.add_millis(count * 60_000),
        "second" => moment.add_millis(count * 1000),
        "millisecond" => moment.add_millis(count),
        other => return Err(format!("has the unknown unit {other:?}")),
    })
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

    #[test]
    fn expressions() {
        let base = Moment::from_millis(1_481_832_961_500); // 2016-12-15T20:16:01.5Z
        let at = |e: &str| apply(Kind::DateTime, e, base).unwrap();
        assert_eq!(at("+ 1 day + 1 hour"), base.add_millis(25 * 3_600_000));
        assert_eq!(at("+1 day @ +1 hour"), base.add_millis(25 * 3_600_000));
        assert_eq!(at("next month").month, 1);
        assert_eq!(at("last year").year, 2015);
        assert_eq!(at("today @ 3 o'clock pm").hour, 15);
        assert_eq!(at("yesterday @ midnight").day, 14);
        assert!(apply(Kind::Date, "+ 1 fortnite", base).unwrap_err().contains("unknown unit"));
        assert!(apply(Kind::Date, "sometime", base).is_err());
    }
}
