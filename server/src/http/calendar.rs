//! `GET /calendar/{token}.ics`: a staff member's appointments as an iCalendar feed for phone
//! calendars. The token is secret (only its hash is looked up); customer phone numbers are
//! never in the feed; every name and note is escaped as RFC 5545 TEXT ([`super::ics`]).

use super::ics::{push_folded, text, utc};
use crate::store::appointments::AppointmentRecord;
use crate::store::Store;
use app::contract::AppointmentStatus;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Days of past appointments kept in the feed.
const PAST_DAYS: i64 = 30;
/// Days of future appointments in the feed.
const FUTURE_DAYS: i64 = 180;

/// The route handler.
pub async fn feed(State(store): State<Store>, Path(file): Path<String>) -> Response {
    let not_found = || {
        (
            StatusCode::NOT_FOUND,
            "no calendar at this address; ask your salon admin for the current link",
        )
            .into_response()
    };
    let Some(token) = file
        .strip_suffix(".ics")
        .filter(|t| !t.is_empty() && t.len() <= 128)
    else {
        return not_found();
    };
    let hash = crate::auth::token_hash(token);
    let now = store.now_ms();
    let day = 86_400_000;
    let result = async {
        let Some((tenant_id, staff_id, name)) = store.staff_by_feed(&hash).await? else {
            return Ok(None);
        };
        let list = store
            .appointments_between(
                tenant_id,
                now - PAST_DAYS * day,
                now + FUTURE_DAYS * day,
                Some(staff_id),
            )
            .await?;
        Ok::<_, crate::store::StoreError>(Some((name, list)))
    }
    .await;
    match result {
        Ok(Some((name, list))) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            render(&name, &list, now),
        )
            .into_response(),
        Ok(None) => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "calendar feed failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the calendar is unavailable; try again later",
            )
                .into_response()
        }
    }
}

/// The VCALENDAR text.
pub fn render(staff: &str, list: &[AppointmentRecord], now_ms: i64) -> String {
    let mut out = String::new();
    let mut line = |s: String| push_folded(&mut out, &s);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Slotline//Appointments//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line(format!(
        "X-WR-CALNAME:{}",
        text(&format!("Slotline – {staff}"))
    ));
    for a in list {
        if matches!(a.status, AppointmentStatus::NoShow) {
            continue;
        }
        let status = match a.status {
            AppointmentStatus::Held => "TENTATIVE",
            AppointmentStatus::Cancelled => "CANCELLED",
            _ => "CONFIRMED",
        };
        line("BEGIN:VEVENT".into());
        line(format!("UID:appointment-{}@slotline", a.id));
        line(format!("DTSTAMP:{}", utc(now_ms)));
        line(format!("LAST-MODIFIED:{}", utc(a.updated_at)));
        line(format!("DTSTART:{}", utc(a.starts_at)));
        line(format!("DTEND:{}", utc(a.ends_at)));
        line(format!(
            "SUMMARY:{}",
            text(&format!("{} – {}", a.service_name, a.customer_name))
        ));
        if !a.notes.is_empty() {
            line(format!("DESCRIPTION:{}", text(&a.notes)));
        }
        line(format!("STATUS:{status}"));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_escaped_folded_and_carry_status() {
        let a = AppointmentRecord {
            id: 7,
            staff_id: 1,
            staff_name: "Anna".into(),
            service_id: 1,
            service_name: "Färben".into(),
            customer_name: "Müller, Eva".into(),
            customer_phone: "+4915112345678".into(),
            starts_at: 1_764_601_200_000,
            ends_at: 1_764_606_600_000,
            status: AppointmentStatus::Held,
            source: "phone".into(),
            call_id: None,
            notes: "x".repeat(100),
            updated_at: 1_764_000_000_000,
        };
        let ics = render("Anna", &[a], 1_764_000_000_000);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.contains("SUMMARY:Färben – Müller\\, Eva\r\n"));
        assert!(ics.contains("STATUS:TENTATIVE"));
        assert!(ics.contains("DTSTART:20251201T150000Z"));
        assert!(!ics.contains("+4915112345678"));
        assert!(ics.lines().all(|l| l.len() <= 75), "lines are folded");
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn user_typed_text_cannot_add_properties() {
        let a = AppointmentRecord {
            id: 8,
            staff_id: 1,
            staff_name: "Anna".into(),
            service_id: 1,
            service_name: "Schnitt;\r\nLOCATION:evil".into(),
            customer_name: "Eva\r\nATTENDEE:evil\rORGANIZER:evil\nX-EVIL:1".into(),
            customer_phone: "+4915112345678".into(),
            starts_at: 1_764_601_200_000,
            ends_at: 1_764_606_600_000,
            status: AppointmentStatus::Booked,
            source: "phone".into(),
            call_id: None,
            notes: "first\rBEGIN:VALARM\nsecond".into(),
            updated_at: 1_764_000_000_000,
        };
        let ics = render("Anna\r\nX-WR-TIMEZONE:evil", &[a], 1_764_000_000_000);
        let bare_cr = ics
            .match_indices('\r')
            .any(|(i, _)| !ics[i..].starts_with("\r\n"));
        let bare_lf = ics
            .match_indices('\n')
            .any(|(i, _)| i == 0 || !ics[..i].ends_with('\r'));
        assert!(!bare_cr && !bare_lf, "only CRLF ends lines: {ics:?}");
        let unfolded = ics.replace("\r\n ", "");
        for content_line in unfolded.split("\r\n") {
            for name in [
                "ATTENDEE",
                "ORGANIZER",
                "X-EVIL",
                "LOCATION",
                "X-WR-TIMEZONE",
            ] {
                assert!(
                    !content_line.starts_with(name),
                    "{content_line:?} was injected"
                );
            }
            assert_ne!(content_line, "BEGIN:VALARM");
        }
        assert!(unfolded.contains(
            "SUMMARY:Schnitt\\;\\nLOCATION:evil – Eva\\nATTENDEE:evil\\nORGANIZER:evil\\nX-EVIL:1\r\n"
        ));
        assert!(unfolded.contains("DESCRIPTION:first\\nBEGIN:VALARM\\nsecond\r\n"));
    }
}
