//! The .ics attachment of a message: one event, cancelled for a cancellation.

use crate::http::ics::{push_folded, text, utc};
use crate::store::outbox::Snapshot;

/// The VCALENDAR text of one appointment (`uid` stays the same across its messages, so a
/// calendar updates the event it already has).
pub fn event(appointment_id: i64, s: &Snapshot, cancelled: bool, now_ms: i64) -> String {
    let mut out = String::new();
    let mut line = |s: String| push_folded(&mut out, &s);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Slotline//Notifications//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line(format!(
        "METHOD:{}",
        if cancelled { "CANCEL" } else { "PUBLISH" }
    ));
    line("BEGIN:VEVENT".into());
    line(format!("UID:appointment-{appointment_id}@slotline"));
    line(format!("DTSTAMP:{}", utc(now_ms)));
    line(format!("SEQUENCE:{}", now_ms / 1000));
    line(format!("DTSTART:{}", utc(s.starts_at)));
    line(format!("DTEND:{}", utc(s.ends_at)));
    line(format!(
        "SUMMARY:{}",
        text(&format!("{} – {}", s.service, s.business))
    ));
    line(format!("DESCRIPTION:{}", text(&s.staff)));
    line(format!(
        "STATUS:{}",
        if cancelled { "CANCELLED" } else { "CONFIRMED" }
    ));
    line("END:VEVENT".into());
    line("END:VCALENDAR".into());
    out
}
