//! `GET /calendar/{token}.ics`: a staff member's appointments as an iCalendar feed for phone
//! calendars. The token is secret (only its hash is looked up); customer phone numbers are
//! never in the feed.

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
    let now = crate::store::now_ms();
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
        escape(&format!("Slotline – {staff}"))
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
            escape(&format!("{} – {}", a.service_name, a.customer_name))
        ));
        if !a.notes.is_empty() {
            line(format!("DESCRIPTION:{}", escape(&a.notes)));
        }
        line(format!("STATUS:{status}"));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

fn utc(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .unwrap_or_default()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// RFC 5545 text escaping.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// Appends a content line, folded at 75 octets, with CRLF.
fn push_folded(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
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
}
