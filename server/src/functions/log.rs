//! The log of custom-function calls shown on a call's detail page: the arguments with phone
//! numbers masked and every text bounded, and Slotline's reply, bounded. Writing it never
//! changes the reply: a failure is only logged.

use super::args::Args;
use serde_json::Value;

/// Longest text kept of one argument.
const MAX_ARGUMENT: usize = 500;
/// Longest arguments text kept.
const MAX_ARGUMENTS: usize = 4_000;
/// Longest reply text kept.
pub const MAX_REPLY: usize = 8_000;

/// At most `max` characters of `text` (cut on a character boundary, marked with `…`).
pub fn bounded(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Whether a text looks like a phone number: only digits, spaces and `+ -()/.`, and either
/// `+` with at least six digits or at least nine digits (more than any date has).
fn phone_like(s: &str) -> bool {
    let s = s.trim();
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let charset = s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '(' | ')' | '/' | '.' | ' '));
    charset && ((s.starts_with('+') && digits >= 6) || digits >= 9)
}

/// Whether an argument's name says it holds a phone number.
fn phone_key(key: &str) -> bool {
    ["phone", "number", "tel", "mobile", "handy"]
        .iter()
        .any(|k| key.contains(k))
}

fn redact_value(key: &str, v: &Value) -> Value {
    match v {
        Value::String(s)
            if phone_like(s) || (phone_key(key) && s.chars().any(|c| c.is_ascii_digit())) =>
        {
            Value::String(crate::telemetry::mask_phone(s))
        }
        Value::String(s) => Value::String(bounded(s, MAX_ARGUMENT)),
        Value::Number(n) if phone_like(&n.to_string()) => {
            Value::String(crate::telemetry::mask_phone(&n.to_string()))
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| redact_value(key, i)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), redact_value(&k.to_lowercase(), v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The arguments as logged: phone numbers masked to their last digits, texts bounded.
pub fn redact(args: &Args) -> String {
    let redacted = redact_value("", &Value::Object(args.0.clone()));
    bounded(&redacted.to_string(), MAX_ARGUMENTS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_never_reach_the_log() {
        let args: serde_json::Map<String, Value> = serde_json::from_str(
            r#"{"customer_name":"Eva","phone":"0151 1234 5678","contact":"+4917699887766","date":"2026-12-01","day":"01.12.2026","n":4915112345678,"appointment_id":42}"#,
        )
        .unwrap();
        let logged = redact(&Args(args));
        assert!(logged.contains(r#""phone":"•••678""#), "{logged}");
        assert!(!logged.contains("17699887766"), "{logged}");
        assert!(!logged.contains("4915112345678"), "{logged}");
        assert!(
            logged.contains("Eva") && logged.contains("2026-12-01"),
            "{logged}"
        );
        assert!(
            logged.contains("01.12.2026") && logged.contains(r#""appointment_id":42"#),
            "{logged}"
        );
        assert_eq!(bounded("äöü", 2), "äö…");
    }
}
