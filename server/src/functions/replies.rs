//! The JSON the agent reads back: machine fields plus one `message` sentence in the tenant's
//! language.

use crate::booking::speech;
use crate::scheduling::{Availability, BookingError, Receipt, TenantView};
use app::contract::Locale;
use serde_json::{json, Value};

/// Reply to `check_availability`.
pub fn availability(view: &TenantView, a: &Availability) -> Value {
    let de = view.locale == Locale::De;
    let spoken: Vec<String> = a.offers.iter().map(|o| o.spoken.clone()).collect();
    let message = match (&a.requested, a.offers.is_empty(), de) {
        (Some(r), _, true) => format!(
            "{} ist frei (bei {}). Soll ich den Termin eintragen?",
            r.spoken, r.staff
        ),
        (Some(r), _, false) => format!(
            "{} is available (with {}). Shall I book it?",
            r.spoken, r.staff
        ),
        (None, true, true) => format!(
            "Für {} ist in den nächsten zwei Wochen leider nichts frei.",
            a.service
        ),
        (None, true, false) => format!(
            "There is nothing free for {} in the next two weeks.",
            a.service
        ),
        (None, false, true) => format!(
            "Frei wäre {}. Was passt Ihnen?",
            speech::list(view.locale, &spoken)
        ),
        (None, false, false) => format!(
            "Available would be {}. Which suits you?",
            speech::list(view.locale, &spoken)
        ),
    };
    let message = match (&a.requested, a.wish.time) {
        (None, crate::booking::when::TimeWish::At(_)) if !a.offers.is_empty() => {
            let lead = if de {
                "Zur gewünschten Zeit ist leider nichts frei."
            } else {
                "The requested time is not available."
            };
            format!("{lead} {message}")
        }
        _ => message,
    };
    let assumed: Vec<&str> = a
        .wish
        .assumptions
        .iter()
        .map(|x| match x {
            crate::booking::when::Assumption::Afternoon => "hour_read_as_afternoon",
            crate::booking::when::Assumption::NextWeek => "weekday_read_as_next_week",
            crate::booking::when::Assumption::NextYear => "date_read_as_next_year",
        })
        .collect();
    json!({
        "success": true,
        "service": a.service,
        "understood": { "wish": a.wish.render(), "assumed": assumed },
        "available": a.requested.is_some(),
        "requested": a.requested,
        "slots": a.offers,
        "message": message,
    })
}

/// Reply to a successful `collect_appointment`.
pub fn booked(view: &TenantView, r: &Receipt) -> String {
    let message = if view.locale == Locale::De {
        format!(
            "Ich habe {} am {} bei {} für Sie eingetragen.",
            r.service, r.offer.spoken, r.offer.staff
        )
    } else {
        format!(
            "I've booked {} on {} with {} for you.",
            r.service, r.offer.spoken, r.offer.staff
        )
    };
    receipt(r, message)
}

/// Reply to a successful `change_appointment`.
pub fn moved(view: &TenantView, r: &Receipt) -> String {
    let message = if view.locale == Locale::De {
        format!(
            "Ihr Termin für {} ist jetzt am {} bei {}.",
            r.service, r.offer.spoken, r.offer.staff
        )
    } else {
        format!(
            "Your {} appointment is now on {} with {}.",
            r.service, r.offer.spoken, r.offer.staff
        )
    };
    receipt(r, message)
}

/// Reply to a successful `cancel_appointment`.
pub fn cancelled(view: &TenantView, r: &Receipt) -> String {
    let message = if view.locale == Locale::De {
        format!(
            "Ihr Termin für {} am {} ist storniert.",
            r.service, r.offer.spoken
        )
    } else {
        format!(
            "Your {} appointment on {} is cancelled.",
            r.service, r.offer.spoken
        )
    };
    receipt(r, message)
}

fn receipt(r: &Receipt, message: String) -> String {
    json!({
        "success": true,
        "appointment_id": r.appointment_id,
        "status": r.status,
        "service": r.service,
        "staff": r.offer.staff,
        "start": r.offer.start,
        "local": r.offer.local,
        "message": message,
    })
    .to_string()
}

/// Reply when a function could not do what was asked.
pub fn failure(locale: Locale, e: &BookingError) -> Value {
    let mut body = json!({
        "success": false,
        "error": e.code(),
        "message": e.speak(locale),
    });
    if !e.alternatives().is_empty() {
        body["slots"] = json!(e.alternatives());
    }
    if let BookingError::WhichOne { candidates } = e {
        body["appointments"] = candidates
            .iter()
            .map(|(id, spoken)| json!({ "appointment_id": id, "spoken": spoken }))
            .collect();
    }
    body
}
