//! Dates and times made up "now" (or at what an expression such as `+ 1 day` says), written in a
//! Java-style format: what the `Date`, `Time` and `DateTime` generators produce.
//!
//! Following pact-reference, the defaults are `yyyy-MM-dd` for a date, `HH:mm:ss` for a time,
//! and `yyyy-MM-dd'T'HH:mm:ss.SSS` with a `+0000`-style offset for a date-time. Times are
//! written in UTC (pact-reference writes local time; this crate has no time-zone database), so
//! zone letters write `UTC`, `Z`, `+0000` or `+00:00`.

use crate::expression::{apply, Moment};
use crate::{check_format, Kind, DAYS, MONTHS};

/// The current time, in milliseconds since 1970-01-01T00:00:00Z.
pub fn now_millis() -> i64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// The value a `Date`, `Time` or `DateTime` generator makes at `now_millis` (milliseconds since
/// the epoch, UTC): `expression` moved, then written in `format`. The error says what cannot be
/// used.
///
/// ```
/// use pact_datetime::{generate, Kind};
///
/// // 2016-12-15T20:16:01.5Z
/// let at = 1_481_832_961_500;
/// assert_eq!(generate(Kind::DateTime, Some("yyyy-MM-dd'T'HH:mm:ss"), None, at).unwrap(), "2016-12-15T20:16:01");
/// assert_eq!(generate(Kind::Date, Some("EEE, d MMM yyyy"), Some("+ 1 day"), at).unwrap(), "Fri, 16 Dec 2016");
/// assert_eq!(generate(Kind::Time, None, Some("- 2 hours"), at).unwrap(), "18:16:01");
/// assert_eq!(generate(Kind::DateTime, None, None, at).unwrap(), "2016-12-15T20:16:01.500+0000");
/// ```
pub fn generate(
    kind: Kind,
    format: Option<&str>,
    expression: Option<&str>,
    now_millis: i64,
) -> Result<String, String> {
    let moment = apply(kind, expression.unwrap_or_default(), Moment::from_millis(now_millis))?;
    let format = match format {
        Some(f) => {
            check_format(kind, f)?;
            f
        }
        None => match kind {
            Kind::Date => "yyyy-MM-dd",
            Kind::Time => "HH:mm:ss",
            Kind::DateTime => "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
        },
    };
    write(format, &moment)
}

fn pad(out: &mut String, value: i64, width: usize) {
    if value < 0 {
        out.push('-');
    }
    let digits = value.unsigned_abs().to_string();
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(&digits);
}

fn write(format: &str, m: &Moment) -> Result<String, String> {
    let chars: Vec<char> = format.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let (literal, next, _) = crate::quoted_literal(&chars, i);
            out.push_str(&literal);
            i = next;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let mut n = 1;
        while chars.get(i + n) == Some(&c) {
            n += 1;
        }
        let month_name = MONTHS.get((m.month - 1) as usize).copied().unwrap_or("January");
        let day_name = DAYS.get((m.weekday - 1) as usize).copied().unwrap_or("Monday");
        let hour12 = if m.hour % 12 == 0 { 12 } else { m.hour % 12 };
        match c {
            'y' | 'u' | 'Y' if n == 2 => pad(&mut out, m.year.rem_euclid(100), 2),
            'y' | 'u' | 'Y' => pad(&mut out, m.year, n),
            'M' | 'L' => match n {
                1 | 2 => pad(&mut out, m.month, n),
                3 => out.push_str(&month_name[..3]),
                _ => out.push_str(month_name),
            },
            'd' => pad(&mut out, m.day, n),
            'D' => pad(&mut out, m.day_of_year, n),
            'H' => pad(&mut out, m.hour, n),
            'k' => pad(&mut out, if m.hour == 0 { 24 } else { m.hour }, n),
            'K' => pad(&mut out, m.hour % 12, n),
            'h' => pad(&mut out, hour12, n),
            'm' => pad(&mut out, m.minute, n),
            's' => pad(&mut out, m.second, n),
            'S' => {
                let mut fraction = format!("{:03}", m.millis);
                while fraction.len() < n {
                    fraction.push('0');
                }
                fraction.truncate(n);
                out.push_str(&fraction);
            }
            'n' => pad(&mut out, m.millis * 1_000_000, 1),
            'A' => pad(&mut out, ((m.hour * 60 + m.minute) * 60 + m.second) * 1000 + m.millis, 1),
            'N' => {
                pad(&mut out, (((m.hour * 60 + m.minute) * 60 + m.second) * 1000 + m.millis) * 1_000_000, 1)
            }
            'E' if n <= 3 => out.push_str(&day_name[..3]),
            'E' => out.push_str(day_name),
            'e' | 'c' => match n {
                1 | 2 => pad(&mut out, m.weekday, n),
                3 => out.push_str(&day_name[..3]),
                _ => out.push_str(day_name),
            },
            'a' => out.push_str(if m.hour < 12 { "AM" } else { "PM" }),
            'G' if n == 4 => out.push_str(if m.year > 0 { "Anno Domini" } else { "Before Christ" }),
            'G' => out.push_str(if m.year > 0 { "AD" } else { "BC" }),
            'w' => pad(&mut out, (m.day_of_year - 1) / 7 + 1, n.min(2)),
            'W' | 'F' => pad(&mut out, (m.day - 1) / 7 + 1, n.min(2)),
            'Q' | 'q' => {
                let quarter = (m.month - 1) / 3 + 1;
                match n {
                    1 | 2 => pad(&mut out, quarter, n),
                    3 => out.push_str(&format!("Q{quarter}")),
                    _ => out.push_str(match quarter {
                        1 => "1st quarter",
                        2 => "2nd quarter",
                        3 => "3rd quarter",
                        _ => "4th quarter",
                    }),
                }
            }
            'z' | 'V' => out.push_str("UTC"),
            'O' => out.push_str("GMT"),
            'Z' => out.push_str(match n {
                1..=3 => "+0000",
                4 => "GMT",
                _ => "Z",
            }),
            'X' => out.push('Z'),
            'x' => out.push_str(match n {
                1 => "+00",
                2 | 4 => "+0000",
                _ => "+00:00",
            }),
            other => {
                return Err(format!(
                    "the date/time format {format:?} uses the unknown pattern letter {other:?}"
                ))
            }
        }
        i += n;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check;

    #[test]
    fn what_is_made_is_what_the_format_accepts() {
        let formats = [
            (Kind::DateTime, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"),
            (Kind::DateTime, "yyyy-MM-dd'T'HH:mm:ssZ"),
            (Kind::DateTime, "EEEE, d MMMM yyyy h:mm a z"),
            (Kind::DateTime, "yy-M-d k:m:s.SSSSSS xxx"),
            (Kind::Date, "dd/MM/yyyy"),
            (Kind::Date, "D Q QQQ QQQQ G"),
            (Kind::Time, "HH:mm"),
            (Kind::Time, "hh:mm:ss a"),
            (Kind::Time, "K:mm O X x Z ZZZZ ZZZZZ"),
        ];
        // Every 29th hour of a leap year (each hour of the day, each month) and some odd instants.
        let mut instants: Vec<i64> =
            (0..366 * 24).step_by(29).map(|h| 1_577_836_800_000 + h * 3_600_000 + 1234).collect();
        instants.extend([0, 951_782_400_000, 4_102_444_799_999, -86_400_000]);
        for (kind, format) in formats {
            for at in &instants {
                let text = generate(kind, Some(format), None, *at).unwrap();
                assert!(check(kind, Some(format), &text).is_ok(), "{format}: {text}");
            }
        }
        for kind in [Kind::Date, Kind::Time, Kind::DateTime] {
            let text = generate(kind, None, None, now_millis()).unwrap();
            assert!(check(kind, None, &text).is_ok(), "{kind:?}: {text}");
        }
    }

    #[test]
    fn calendar_fields() {
        // 2000-02-29T23:59:59.999Z, a Tuesday.
        let at = 951_868_799_999;
        assert_eq!(
            generate(Kind::DateTime, Some("EEE yyyy-MM-dd HH:mm:ss.SSS D"), None, at).unwrap(),
            "Tue 2000-02-29 23:59:59.999 60"
        );
        // As pact-reference (chrono's `with_year`): no 29 February in 2001, so the date stays.
        assert_eq!(generate(Kind::Date, None, Some("+ 1 year"), at).unwrap(), "2000-02-29");
        assert_eq!(
            generate(Kind::DateTime, Some("yyyy-MM-dd HH:mm"), Some("tomorrow @ noon"), at).unwrap(),
            "2000-03-01 12:00"
        );
        assert!(generate(Kind::Date, Some("yyyy-bb"), None, at).is_err());
    }
}
