//! Message texts: built-in defaults in German and English, `{placeholder}` filling with the
//! appointment in the business's time zone, and the HTML part made from the plain text (so an
//! owner edits one text and both parts say the same).

use crate::store::outbox::Snapshot;
use app::contract::{Language, NotificationKind};

/// Placeholders a template may use.
pub const PLACEHOLDERS: [&str; 7] = [
    "customer", "service", "staff", "date", "time", "end_time", "business",
];

/// Longest subject accepted.
pub const MAX_SUBJECT: usize = 200;
/// Longest body accepted.
pub const MAX_BODY: usize = 5_000;

/// The built-in (subject, body) of a kind in a language.
pub fn default_template(
    kind: NotificationKind,
    language: Language,
) -> (&'static str, &'static str) {
    use NotificationKind::*;
    match (language, kind) {
        (Language::De, Booked) => (
            "Ihr Termin am {date} um {time} ist gebucht",
            "Hallo {customer},\n\nvielen Dank für Ihre Buchung bei {business}. Wir haben Ihren \
             Termin eingetragen:\n\n{service} bei {staff}\n{date}, {time}–{end_time} Uhr\n\n\
             Den Termin finden Sie auch im Anhang für Ihren Kalender. Falls Sie nicht kommen \
             können, rufen Sie uns bitte kurz an.\n\nBis bald\n{business}",
        ),
        (Language::De, Moved) => (
            "Ihr Termin wurde verlegt: {date} um {time}",
            "Hallo {customer},\n\nIhr Termin bei {business} wurde verlegt. Der neue Termin:\n\n\
             {service} bei {staff}\n{date}, {time}–{end_time} Uhr\n\nDer aktualisierte Termin \
             liegt für Ihren Kalender bei.\n\nBis bald\n{business}",
        ),
        (Language::De, Cancelled) => (
            "Ihr Termin am {date} um {time} wurde abgesagt",
            "Hallo {customer},\n\nIhr Termin bei {business} ({service} am {date} um {time} Uhr) \
             wurde abgesagt. Wenn Sie einen neuen Termin möchten, rufen Sie uns gern an.\n\n\
             Viele Grüße\n{business}",
        ),
        (Language::De, Reminder) => (
            "Erinnerung: Ihr Termin am {date} um {time}",
            "Hallo {customer},\n\nwir freuen uns auf Sie! Zur Erinnerung an Ihren Termin bei \
             {business}:\n\n{service} bei {staff}\n{date}, {time}–{end_time} Uhr\n\nFalls Sie \
             nicht kommen können, sagen Sie bitte rechtzeitig ab.\n\nBis bald\n{business}",
        ),
        (Language::En, Booked) => (
            "Your appointment on {date} at {time} is booked",
            "Hello {customer},\n\nthank you for booking with {business}. Your appointment is \
             confirmed:\n\n{service} with {staff}\n{date}, {time}–{end_time}\n\nThe appointment \
             is attached for your calendar. If you cannot make it, please give us a call.\n\n\
             See you soon\n{business}",
        ),
        (Language::En, Moved) => (
            "Your appointment has moved to {date} at {time}",
            "Hello {customer},\n\nyour appointment with {business} has moved. The new time:\n\n\
             {service} with {staff}\n{date}, {time}–{end_time}\n\nThe updated appointment is \
             attached for your calendar.\n\nSee you soon\n{business}",
        ),
        (Language::En, Cancelled) => (
            "Your appointment on {date} at {time} is cancelled",
            "Hello {customer},\n\nyour appointment with {business} ({service} on {date} at \
             {time}) has been cancelled. If you would like a new appointment, just give us a \
             call.\n\nKind regards\n{business}",
        ),
        (Language::En, Reminder) => (
            "Reminder: your appointment on {date} at {time}",
            "Hello {customer},\n\nwe look forward to seeing you! A reminder of your appointment \
             with {business}:\n\n{service} with {staff}\n{date}, {time}–{end_time}\n\nIf you \
             cannot make it, please let us know in good time.\n\nSee you soon\n{business}",
        ),
    }
}

/// A placeholder in `text` that is not one of [`PLACEHOLDERS`], if any.
pub fn unknown_placeholder(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Some(name.to_owned());
        }
        rest = &after[close + 1..];
    }
    None
}

/// The values of the placeholders for an appointment, in its business's zone and language.
pub fn values(s: &Snapshot, language: Language) -> Vec<(&'static str, String)> {
    let tz = jiff::tz::TimeZone::get(&s.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let at = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .unwrap_or_default()
            .to_zoned(tz.clone())
    };
    let (start, end) = (at(s.starts_at), at(s.ends_at));
    let date = match language {
        Language::De => format!(
            "{}, {}",
            german_weekday(start.weekday()),
            start.strftime("%d.%m.%Y")
        ),
        Language::En => start.strftime("%A, %-d %B %Y").to_string(),
    };
    vec![
        ("customer", s.customer.clone()),
        ("service", s.service.clone()),
        ("staff", s.staff.clone()),
        ("date", date),
        ("time", start.strftime("%H:%M").to_string()),
        ("end_time", end.strftime("%H:%M").to_string()),
        ("business", s.business.clone()),
    ]
}

fn german_weekday(w: jiff::civil::Weekday) -> &'static str {
    use jiff::civil::Weekday::*;
    match w {
        Monday => "Montag",
        Tuesday => "Dienstag",
        Wednesday => "Mittwoch",
        Thursday => "Donnerstag",
        Friday => "Freitag",
        Saturday => "Samstag",
        Sunday => "Sonntag",
    }
}

/// Fills the placeholders (one pass: a value containing `{x}` is not filled again).
pub fn fill(template: &str, values: &[(&'static str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            values
                .iter()
                .find(|(k, _)| *k == &after[..close])
                .map(|(_, v)| (close, v))
        }) {
            Some((close, v)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes text for HTML.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The HTML part: the plain text's paragraphs, escaped, with the opt-out link below.
pub fn html_body(text: &str, footer: Option<(&str, &str)>) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>\
         <body style=\"font-family:sans-serif;line-height:1.5\">",
    );
    for para in text.split("\n\n") {
        let lines: Vec<String> = para.lines().map(escape_html).collect();
        html.push_str(&format!("<p>{}</p>", lines.join("<br>")));
    }
    if let Some((label, url)) = footer {
        html.push_str(&format!(
            "<p style=\"font-size:small;color:#666\"><a href=\"{}\">{}</a></p>",
            escape_html(url),
            escape_html(label)
        ));
    }
    html.push_str("</body></html>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Snapshot {
        Snapshot {
            starts_at: 1_804_582_800_000, // 2027-03-09T09:00:00Z, 10:00 in Berlin
            ends_at: 1_804_584_600_000,
            service: "Haarschnitt".into(),
            staff: "Anna".into(),
            customer: "Eva <Muster>".into(),
            business: "Salon Test".into(),
            time_zone: "Europe/Berlin".into(),
        }
    }

    #[test]
    fn defaults_fill_in_the_business_zone_in_both_languages() {
        let (subject, body) = default_template(NotificationKind::Booked, Language::De);
        let v = values(&sample(), Language::De);
        assert_eq!(
            fill(subject, &v),
            "Ihr Termin am Dienstag, 09.03.2027 um 10:00 ist gebucht"
        );
        assert!(
            fill(body, &v).contains("Haarschnitt bei Anna\nDienstag, 09.03.2027, 10:00–10:30 Uhr")
        );
        let v = values(&sample(), Language::En);
        let (subject, _) = default_template(NotificationKind::Reminder, Language::En);
        assert_eq!(
            fill(subject, &v),
            "Reminder: your appointment on Tuesday, 9 March 2027 at 10:00"
        );
    }

    #[test]
    fn every_default_uses_only_known_placeholders() {
        for kind in NotificationKind::ALL {
            for lang in Language::ALL {
                let (s, b) = default_template(kind, lang);
                assert_eq!(unknown_placeholder(s), None);
                assert_eq!(unknown_placeholder(b), None);
            }
        }
        assert_eq!(unknown_placeholder("Hi {nme}"), Some("nme".into()));
    }

    #[test]
    fn values_are_not_filled_twice_and_html_is_escaped() {
        let v = vec![
            ("customer", "{business}".to_owned()),
            ("business", "X".to_owned()),
        ];
        assert_eq!(fill("{customer} {unknown} {", &v), "{business} {unknown} {");
        let html = html_body("Hi <b>\n& you\n\nbye", Some(("Stop", "https://x/?a=1&b=2")));
        assert!(html.contains("<p>Hi &lt;b&gt;<br>&amp; you</p><p>bye</p>"));
        assert!(html.contains("href=\"https://x/?a=1&amp;b=2\""));
    }
}
