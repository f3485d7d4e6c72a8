//! Validation of the names and numbers users choose: pacticipant names, version numbers,
//! branches, tags and environment names.
//!
//! They arrive percent-decoded from the path (or from a JSON body) and are stored exactly as
//! given: `../etc`, `'; DROP TABLE pacticipants;--` and `Zürich 🚀` are ordinary names (every
//! query binds them as parameters, and every href encodes them). What is refused:
//!
//! - blank values;
//! - more than [`MAX_CHARS`] characters (the official broker's columns hold 255);
//! - line breaks and other control characters;
//! - exactly `.` or `..`, which no URL can address (clients resolve them as dot-segments).
//!
//! ```
//! use pact_broker::domain::names::check;
//!
//! assert!(check("../../etc/passwd").is_ok());
//! assert_eq!(check("a\nb").unwrap_err(), "must be a single line");
//! assert_eq!(check("  ").unwrap_err(), "cannot be blank");
//! ```

/// The longest accepted name, in characters.
pub const MAX_CHARS: usize = 255;

/// Checks a name; the error is a message for the broker's `errors` object (`"cannot be blank"`).
///
/// # Errors
///
/// See the module documentation for what is refused.
pub fn check(value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err("cannot be blank".into());
    }
    if value.contains(['\n', '\r']) {
        return Err("must be a single line".into());
    }
    if value.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    let chars = value.chars().count();
    if chars > MAX_CHARS {
        return Err(format!("must be at most {MAX_CHARS} characters long (found {chars})"));
    }
    if value == "." || value == ".." {
        return Err(format!("cannot be {value:?}, which no URL can address"));
    }
    Ok(())
}
