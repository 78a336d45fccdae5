//! Compares what came back with what a step expects; each difference is one sentence.

use super::retell::Exchange;
use super::scenario::{Expect, ExpectedAppointment, Language, Offered};
use crate::store::appointments::AppointmentRecord;
use serde_json::Value;

/// Differences between a function reply and the step's expectation (language: the call's).
pub fn function_reply(ex: &Exchange, expect: &Expect, language: Language) -> Vec<String> {
    let mut problems = Vec::new();
    let status = expect.status.unwrap_or(200);
    if ex.status != status {
        problems.push(format!("HTTP status {} instead of {status}", ex.status));
    }
    if let Some(wanted) = &expect.reply {
        subset("reply", wanted, &ex.reply, &mut problems);
    }
    let slots = ex.reply["slots"].as_array().map(Vec::len).unwrap_or(0);
    match expect.slots {
        Some(Offered::Some) if slots == 0 => problems.push("no slots offered".into()),
        Some(Offered::None) if slots > 0 => {
            problems.push(format!("{slots} slots offered, expected none"))
        }
        _ => {}
    }
    if let Some(first) = &expect.first_slot {
        let got = ex.reply["slots"][0]["local"].as_str().unwrap_or("(none)");
        if got != first {
            problems.push(format!("first slot {got}, expected {first}"));
        }
    }
    for slot in ex.reply["slots"].as_array().into_iter().flatten() {
        let local = slot["local"].as_str().unwrap_or_default();
        if expect
            .slots_not_on
            .iter()
            .any(|d| local.starts_with(d.as_str()))
        {
            problems.push(format!(
                "a slot is offered on {local}, a day that must have none"
            ));
        }
    }
    let message = ex.reply["message"].as_str().unwrap_or_default();
    for phrase in &expect.message_contains {
        if !message.contains(phrase.as_str()) {
            problems.push(format!("the message does not say {phrase:?}"));
        }
    }
    if ex.status == 200 && !message.is_empty() {
        match language_of(message) {
            Some(said) if said != language => problems.push(format!(
                "the message is in {said:?}, the caller speaks {language:?}"
            )),
            None => problems.push("the message's language cannot be told".into()),
            _ => {}
        }
    }
    problems
}

/// The language a reply's sentence is in, by common words; None when it cannot be told.
pub fn language_of(text: &str) -> Option<Language> {
    const DE: [&str; 14] = [
        "ist", "sie", "ihr", "ihren", "ihre", "leider", "für", "uhr", "am", "nicht", "bei",
        "termin", "wäre", "ich",
    ];
    const EN: [&str; 13] = [
        "is",
        "the",
        "you",
        "your",
        "with",
        "on",
        "not",
        "i",
        "i'm",
        "for",
        "would",
        "there",
        "appointment",
    ];
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let count = |list: &[&str]| words.iter().filter(|w| list.contains(&w.as_str())).count();
    let (de, en) = (count(&DE), count(&EN));
    match de.cmp(&en) {
        std::cmp::Ordering::Greater => Some(Language::De),
        std::cmp::Ordering::Less => Some(Language::En),
        std::cmp::Ordering::Equal => None,
    }
}

/// Records where `got` lacks or differs from a field of `wanted` (objects recursively,
/// arrays element by element).
pub fn subset(path: &str, wanted: &Value, got: &Value, problems: &mut Vec<String>) {
    match (wanted, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, v) in w {
                match g.get(k) {
                    Some(gv) => subset(&format!("{path}.{k}"), v, gv, problems),
                    None => problems.push(format!("{path}.{k} is missing (expected {v})")),
                }
            }
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                subset(&format!("{path}[{i}]"), wv, gv, problems);
            }
        }
        _ if wanted == got => {}
        _ => problems.push(format!("{path} is {got}, expected {wanted}")),
    }
}

/// Differences between the caller's appointments and the expected ones.
pub fn appointments(
    tz: &jiff::tz::TimeZone,
    got: &[AppointmentRecord],
    wanted: &[ExpectedAppointment],
) -> Vec<String> {
    let shown: Vec<String> = got
        .iter()
        .map(|a| {
            format!(
                "{} {} {} with {}",
                a.status.as_str(),
                super::state::local(tz, a.starts_at),
                a.service_name,
                a.staff_name
            )
        })
        .collect();
    let matches = got.len() == wanted.len()
        && got.iter().zip(wanted).all(|(a, w)| {
            a.status.as_str() == w.status
                && super::state::local(tz, a.starts_at) == w.start
                && w.staff.as_ref().is_none_or(|s| *s == a.staff_name)
                && w.service.as_ref().is_none_or(|s| *s == a.service_name)
        });
    if matches {
        return Vec::new();
    }
    let expected: Vec<String> = wanted
        .iter()
        .map(|w| {
            format!(
                "{} {}{}{}",
                w.status,
                w.start,
                w.service
                    .as_ref()
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default(),
                w.staff
                    .as_ref()
                    .map(|s| format!(" with {s}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    vec![format!(
        "the caller's appointments are [{}], expected [{}]",
        shown.join("; "),
        expected.join("; ")
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn replies_are_told_apart_by_language() {
        assert_eq!(
            language_of("Ich habe Damenhaarschnitt am Mittwoch bei Anna für Sie eingetragen."),
            Some(Language::De)
        );
        assert_eq!(
            language_of("I've booked Men's cut on Tuesday with Ben for you."),
            Some(Language::En)
        );
        assert_eq!(language_of("OK"), None);
    }

    #[test]
    fn a_subset_matches_only_what_it_names() {
        let got = json!({"success": false, "error": "slot_taken", "slots": [{"local": "x"}]});
        let mut problems = Vec::new();
        subset("reply", &json!({"success": false}), &got, &mut problems);
        assert!(problems.is_empty());
        subset(
            "reply",
            &json!({"error": "closed", "x": 1}),
            &got,
            &mut problems,
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("reply.error"));
    }
}
