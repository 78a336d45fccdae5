//! Limits on untrusted input, checked before anything reaches a query: no control characters
//! (PostgreSQL refuses NUL in text, logs and speech choke on the rest), bounded string
//! lengths, nesting and collection sizes, and the form of Retell's ids and phone numbers.
//! A refusal names the field and says what to send instead.

use serde_json::Value;

/// Longest string accepted anywhere in a JSON request (field-specific limits are tighter).
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Deepest nesting of arrays/objects accepted in a request.
pub const MAX_DEPTH: usize = 32;
/// Most entries accepted in one array or object.
pub const MAX_ENTRIES: usize = 1_000;
/// Longest Retell agent id accepted.
pub const MAX_AGENT_ID: usize = 64;
/// Longest Retell call id accepted.
pub const MAX_CALL_ID: usize = 128;

/// Why a piece of input was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// A string holds a control character.
    #[error("{field} contains a control character (U+{code:04X}); send plain text")]
    Control {
        /// Path of the field, e.g. `args.customer_name`.
        field: String,
        /// The character's code point.
        code: u32,
    },
    /// A string is too long.
    #[error("{field} is too long: at most {max} characters")]
    TooLong {
        /// Path of the field.
        field: String,
        /// The limit.
        max: usize,
    },
    /// Arrays/objects nested too deeply.
    #[error("{field} is nested too deeply: at most {max} levels")]
    TooDeep {
        /// Path of the field.
        field: String,
        /// The limit.
        max: usize,
    },
    /// An array or object with too many entries.
    #[error("{field} has too many entries: at most {max}")]
    TooMany {
        /// Path of the field.
        field: String,
        /// The limit.
        max: usize,
    },
    /// A value does not have the required form.
    #[error("{field} {expected}")]
    Form {
        /// Path of the field.
        field: String,
        /// What it must look like.
        expected: &'static str,
    },
}

impl InputError {
    /// The path of the refused field.
    pub fn field(&self) -> &str {
        match self {
            InputError::Control { field, .. }
            | InputError::TooLong { field, .. }
            | InputError::TooDeep { field, .. }
            | InputError::TooMany { field, .. }
            | InputError::Form { field, .. } => field,
        }
    }
}

/// Whether `c` is allowed in text: everything but control characters, except tab and the
/// line breaks that free text (notes, transcripts) may hold.
fn allowed(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\n' | '\r')
}

/// Checks one string: allowed characters and at most `max` characters.
pub fn text(field: &str, s: &str, max: usize) -> Result<(), InputError> {
    if let Some(c) = s.chars().find(|c| !allowed(*c)) {
        return Err(InputError::Control {
            field: field.to_owned(),
            code: c as u32,
        });
    }
    if s.len() > max && s.chars().count() > max {
        return Err(InputError::TooLong {
            field: field.to_owned(),
            max,
        });
    }
    Ok(())
}

/// A single-line text (no line breaks or tabs either), at most `max` characters.
pub fn line(field: &str, s: &str, max: usize) -> Result<(), InputError> {
    text(field, s, max)?;
    if let Some(c) = s.chars().find(|c| matches!(c, '\t' | '\n' | '\r')) {
        return Err(InputError::Control {
            field: field.to_owned(),
            code: c as u32,
        });
    }
    Ok(())
}

/// Walks a JSON value: every string and key is text of at most [`MAX_TEXT_CHARS`], nesting at
/// most [`MAX_DEPTH`], collections at most [`MAX_ENTRIES`] entries.
pub fn json(field: &str, value: &Value) -> Result<(), InputError> {
    walk(field, value, 0)
}

fn walk(path: &str, value: &Value, depth: usize) -> Result<(), InputError> {
    let deeper = |max| InputError::TooDeep {
        field: path.to_owned(),
        max,
    };
    match value {
        Value::String(s) => text(path, s, MAX_TEXT_CHARS),
        Value::Array(items) => {
            if depth >= MAX_DEPTH {
                return Err(deeper(MAX_DEPTH));
            }
            if items.len() > MAX_ENTRIES {
                return Err(InputError::TooMany {
                    field: path.to_owned(),
                    max: MAX_ENTRIES,
                });
            }
            for (i, item) in items.iter().enumerate() {
                walk(&format!("{path}[{i}]"), item, depth + 1)?;
            }
            Ok(())
        }
        Value::Object(map) => walk_object(path, map, depth),
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

/// Walks a JSON object like [`json`] (without cloning it into a value first).
pub fn object(field: &str, map: &serde_json::Map<String, Value>) -> Result<(), InputError> {
    walk_object(field, map, 0)
}

fn walk_object(
    path: &str,
    map: &serde_json::Map<String, Value>,
    depth: usize,
) -> Result<(), InputError> {
    if depth >= MAX_DEPTH {
        return Err(InputError::TooDeep {
            field: path.to_owned(),
            max: MAX_DEPTH,
        });
    }
    if map.len() > MAX_ENTRIES {
        return Err(InputError::TooMany {
            field: path.to_owned(),
            max: MAX_ENTRIES,
        });
    }
    for (key, item) in map {
        let shown: String = key.chars().filter(|c| allowed(*c)).take(64).collect();
        let child = if path.is_empty() {
            shown
        } else {
            format!("{path}.{shown}")
        };
        text(&child, key, 256)?;
        walk(&child, item, depth + 1)?;
    }
    Ok(())
}

/// A Retell agent id: 1 to 64 letters, digits, `_` or `-` (e.g. `agent_3f9c2a7b…`).
pub fn agent_id(field: &str, s: &str) -> Result<(), InputError> {
    let ok = !s.is_empty()
        && s.len() <= MAX_AGENT_ID
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    ok.then_some(()).ok_or_else(|| InputError::Form {
        field: field.to_owned(),
        expected: "must be a Retell agent id: 1 to 64 letters, digits, _ or -",
    })
}

/// A call id: 1 to 128 visible ASCII characters.
pub fn call_id(field: &str, s: &str) -> Result<(), InputError> {
    let ok = !s.is_empty() && s.len() <= MAX_CALL_ID && s.bytes().all(|b| b.is_ascii_graphic());
    ok.then_some(()).ok_or_else(|| InputError::Form {
        field: field.to_owned(),
        expected: "must be 1 to 128 visible ASCII characters",
    })
}

/// Whether `s` has the form of an E.164 number: `+`, then 2 to 15 digits, the first not 0.
pub fn is_e164_form(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// A called number: the E.164 form (`+4930…`).
pub fn e164(field: &str, s: &str) -> Result<(), InputError> {
    is_e164_form(s)
        .then_some(())
        .ok_or_else(|| InputError::Form {
            field: field.to_owned(),
            expected: "must be a phone number in E.164 form, like +493012345678",
        })
}

/// `s` cut to at most `max_bytes` bytes, never inside a character (for bounded map keys).
pub fn cut(s: &str, max_bytes: usize) -> &str {
    let mut end = s.len().min(max_bytes);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Removes control characters (except tab and line breaks) from text Retell sent, so it can
/// be stored on every engine.
pub fn clean(s: &str) -> String {
    s.chars().filter(|c| allowed(*c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn control_characters_are_refused_with_the_field() {
        let e = json("", &json!({"args": {"name": "Anna\u{0}"}})).unwrap_err();
        assert_eq!(e.field(), "args.name");
        assert!(e.to_string().contains("U+0000"), "{e}");
        assert!(json("", &json!({"notes": "line one\nline two\ttab"})).is_ok());
        assert_eq!(cut("äb", 1), "");
        assert_eq!(cut("äb", 2), "ä");
        assert!(text("x", "\u{7f}", 10).is_err(), "DEL is a control");
        assert!(text("x", "\u{85}", 10).is_err(), "C1 controls too");
    }

    #[test]
    fn sizes_are_bounded() {
        assert!(text("x", &"ä".repeat(10), 10).is_ok());
        assert!(matches!(
            text("x", &"a".repeat(11), 10),
            Err(InputError::TooLong { max: 10, .. })
        ));
        let mut deep = json!(1);
        for _ in 0..MAX_DEPTH + 1 {
            deep = json!([deep]);
        }
        assert!(matches!(json("p", &deep), Err(InputError::TooDeep { .. })));
        let many = Value::Array(vec![json!(1); MAX_ENTRIES + 1]);
        assert!(matches!(json("p", &many), Err(InputError::TooMany { .. })));
    }

    #[test]
    fn retell_ids_and_numbers_have_a_form() {
        assert!(agent_id("a", "agent_3f9c2a7b1d4e5f60718293a4").is_ok());
        assert!(agent_id("a", "agent 1").is_err());
        assert!(agent_id("a", &"a".repeat(65)).is_err());
        assert!(agent_id("a", "").is_err());
        assert!(call_id("c", "Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6").is_ok());
        assert!(call_id("c", "a b").is_err());
        assert!(is_e164_form("+493012345678"));
        assert!(!is_e164_form("+0301234"));
        assert!(!is_e164_form("030 1234"));
        assert!(!is_e164_form(&format!("+{}", "1".repeat(16))));
        assert_eq!(clean("a\u{0}b\nc"), "ab\nc");
    }

    proptest! {
        #[test]
        fn accepted_text_never_holds_a_control_character(s in "\\PC*|[\\x00-\\x1f]{1,3}") {
            if text("f", &s, MAX_TEXT_CHARS).is_ok() {
                prop_assert!(s.chars().all(allowed));
            }
            prop_assert!(clean(&s).chars().all(allowed));
        }
    }
}
