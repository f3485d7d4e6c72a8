//! Random values for the generators: a fast, non-cryptographic stream (xorshift, seeded from the
//! clock) and the shapes the specification asks for.

use std::sync::atomic::{AtomicU64, Ordering};

/// The next number of the stream.
pub(crate) fn next() -> u64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let mut x = STATE.load(Ordering::Relaxed);
    if x == 0 {
        x = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9E37_79B9_7F4A_7C15, |d| d.as_nanos() as u64)
            | 1;
    }
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    STATE.store(x, Ordering::Relaxed);
    x
}

/// A number from `0` to `bound - 1` (`bound` at least 1).
pub(crate) fn below(bound: u64) -> u64 {
    next() % bound.max(1)
}

/// An integer from `min` to `max`, both included (`min` when `min > max`).
pub(crate) fn int_between(min: i64, max: i64) -> i64 {
    if min >= max {
        return min;
    }
    // In i128: the span of the whole i64 range does not fit an i64 (or a u64, plus one).
    let span = i128::from(max) - i128::from(min) + 1;
    let offset = i128::from(next()) % span;
    i64::try_from(i128::from(min) + offset).unwrap_or(min)
}

/// A version 4 UUID, lower-case and hyphenated.
pub(crate) fn uuid() -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&next().to_be_bytes());
    bytes[8..].copy_from_slice(&next().to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// `size` characters from `alphabet`.
pub(crate) fn string_of(alphabet: &[u8], size: usize) -> String {
    (0..size).map(|_| char::from(alphabet[below(alphabet.len() as u64) as usize])).collect()
}

/// A decimal number of `digits` digits (at least 2) with a fractional part, as text: no leading
/// zero unless it is the only digit before the point, and never ending in `.0`'s alone.
pub(crate) fn decimal_text(digits: u16) -> String {
    let digits = usize::from(digits.clamp(2, 15));
    // The point goes after 1 to digits-1 digits.
    let point = 1 + below(digits as u64 - 1) as usize;
    let mut text = String::with_capacity(digits + 1);
    for i in 0..digits {
        if i == point {
            text.push('.');
        }
        // No leading zero before a longer integer part; the last digit is not zero, so that the
        // number keeps a fractional part however it is written.
        let nonzero = (i == 0 && point > 1) || i == digits - 1;
        let digit = if nonzero { 1 + below(9) } else { below(10) };
        text.push(char::from(b'0' + digit as u8));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_stay_in_range_over_the_whole_i64_range() {
        for (min, max) in [(i64::MIN, i64::MAX), (-1, i64::MAX), (i64::MIN, 0), (7, 7), (9, 1)] {
            for _ in 0..100 {
                let value = int_between(min, max);
                assert!((min..=max.max(min)).contains(&value), "{value} in {min}..={max}");
            }
        }
    }

    #[test]
    fn decimals_have_their_digits_and_a_fraction() {
        for digits in [2u16, 3, 6, 15] {
            for _ in 0..200 {
                let text = decimal_text(digits);
                assert_eq!(text.chars().filter(char::is_ascii_digit).count(), usize::from(digits), "{text}");
                let value: f64 = text.parse().unwrap();
                assert!(value.fract() != 0.0, "{text}");
                assert!(!text.starts_with("0") || text.starts_with("0."), "{text}");
            }
        }
        assert_eq!(uuid().len(), 36);
    }
}
