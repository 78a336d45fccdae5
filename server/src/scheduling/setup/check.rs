//! The rules that guard set-up input: names, durations and buffers on 5-minute steps, known
//! staff and services, sensible booking rules. Each refusal is a [`FieldError`] naming the
//! field with one sentence saying what to fix.

use crate::booking::hours::{refuse, FieldError};
use crate::store::setup::{ServiceRecord, StaffRecord};
use crate::store::setup_write::{ServiceFields, StaffFields};
use app::contract::{BookingRulesInfo, SaveServiceParams, SaveStaffParams};

/// Longest name of a service or staff member.
pub const MAX_NAME: usize = 100;
/// Longest service description.
pub const MAX_DESCRIPTION: usize = 500;
/// Longest reason of a closure or exception.
pub const MAX_REASON: usize = 200;

/// A trimmed single-line text of at most `max` characters (`required`: not empty).
pub fn text(field: &str, raw: &str, max: usize, required: &str) -> Result<String, FieldError> {
    let t = raw.trim();
    if t.is_empty() && !required.is_empty() {
        return Err(refuse(field, required));
    }
    if t.chars().count() > max {
        return Err(refuse(field, format!("keep it to {max} characters")));
    }
    if t.chars().any(char::is_control) {
        return Err(refuse(field, "use plain text on one line"));
    }
    Ok(t.to_owned())
}

/// Minutes in `min..=max` on a 5-minute step.
fn minutes(field: &str, value: i64, min: i64, max: i64, what: &str) -> Result<i64, FieldError> {
    if value < min || value > max || value % 5 != 0 {
        return Err(refuse(
            field,
            format!("{what} must be {min} to {max} minutes, in steps of 5"),
        ));
    }
    Ok(value)
}

/// A whole number in `min..=max`.
fn within(field: &str, value: i64, min: i64, max: i64, what: &str) -> Result<i64, FieldError> {
    if value < min || value > max {
        return Err(refuse(field, format!("{what} must be {min} to {max}")));
    }
    Ok(value)
}

/// A name not used by another record (`others`: (id, name, active)).
fn unique_name<'a>(
    name: &str,
    own: Option<i64>,
    others: impl Iterator<Item = (i64, &'a str, bool)>,
    what: &str,
) -> Result<(), FieldError> {
    let folded = name.to_lowercase();
    for (id, other, active) in others {
        if Some(id) != own && other.to_lowercase() == folded {
            let message = if active {
                format!("a {what} called {other} already exists; choose another name")
            } else {
                format!("an archived {what} is called {other}; restore it or choose another name")
            };
            return Err(refuse("name", message));
        }
    }
    Ok(())
}

/// Ids that must all be among `known`, without repeats.
fn known_ids(field: &str, ids: &[i64], known: &[i64], what: &str) -> Result<Vec<i64>, FieldError> {
    let mut out: Vec<i64> = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        if !known.contains(id) {
            return Err(refuse(
                format!("{field}[{i}]"),
                format!("there is no {what} #{id} in this business"),
            ));
        }
        if !out.contains(id) {
            out.push(*id);
        }
    }
    Ok(out)
}

/// A service's saved fields from what the admin sent.
pub fn service(
    p: &SaveServiceParams,
    services: &[ServiceRecord],
    staff: &[StaffRecord],
) -> Result<ServiceFields, FieldError> {
    let name = text("name", &p.name, MAX_NAME, "give the service a name")?;
    unique_name(
        &name,
        p.id,
        services.iter().map(|s| (s.id, s.name.as_str(), s.active)),
        "service",
    )?;
    let staff_ids: Vec<i64> = staff.iter().filter(|s| s.active).map(|s| s.id).collect();
    if let Some(price) = p.price_cents {
        within("price_cents", price, 0, 100_000_000, "a price in cents")?;
    }
    Ok(ServiceFields {
        name,
        duration_min: minutes("duration_min", p.duration_min, 5, 720, "a service")?,
        buffer_before_min: minutes("buffer_before_min", p.buffer_before_min, 0, 240, "a buffer")?,
        buffer_after_min: minutes("buffer_after_min", p.buffer_after_min, 0, 240, "a buffer")?,
        phone_bookable: p.phone_bookable,
        price_cents: p.price_cents,
        description: text("description", &p.description, MAX_DESCRIPTION, "")?,
        staff_ids: known_ids("staff_ids", &p.staff_ids, &staff_ids, "staff member")?,
    })
}

/// A staff member's saved fields from what the admin sent.
pub fn staff(
    p: &SaveStaffParams,
    services: &[ServiceRecord],
    staff: &[StaffRecord],
) -> Result<StaffFields, FieldError> {
    let name = text("name", &p.name, MAX_NAME, "give the staff member a name")?;
    unique_name(
        &name,
        p.id,
        staff.iter().map(|s| (s.id, s.name.as_str(), s.active)),
        "staff member",
    )?;
    let service_ids: Vec<i64> = services.iter().filter(|s| s.active).map(|s| s.id).collect();
    Ok(StaffFields {
        name,
        service_ids: known_ids("service_ids", &p.service_ids, &service_ids, "service")?,
        hours: crate::booking::hours::weekly_intervals(&p.hours)?,
    })
}

/// Booking rules within their ranges.
pub fn rules(r: &BookingRulesInfo) -> Result<crate::store::scheduling::BookingRules, FieldError> {
    let notice = |field: &str, v: i64| within(field, v, 0, 43_200, "a notice in minutes");
    Ok(crate::store::scheduling::BookingRules {
        step_min: minutes("step_min", r.step_min, 5, 240, "the slot step")?,
        notice_book_min: notice("notice_book_min", r.notice_book_min)?,
        notice_change_min: notice("notice_change_min", r.notice_change_min)?,
        notice_cancel_min: notice("notice_cancel_min", r.notice_cancel_min)?,
        horizon_days: within(
            "horizon_days",
            r.horizon_days,
            1,
            730,
            "the horizon in days",
        )?,
        buffer_min: minutes(
            "buffer_min",
            r.buffer_min,
            0,
            240,
            "the gap between appointments",
        )?,
        hold_min: within(
            "hold_min",
            r.hold_min,
            5,
            1440,
            "a hold's lifetime in minutes",
        )?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(name: &str, minutes: i64) -> SaveServiceParams {
        SaveServiceParams {
            name: name.into(),
            duration_min: minutes,
            phone_bookable: true,
            ..Default::default()
        }
    }

    #[test]
    fn services_are_checked_field_by_field() {
        let existing = ServiceRecord {
            id: 1,
            name: "Färben".into(),
            duration_min: 60,
            buffer_before_min: 0,
            buffer_after_min: 0,
            phone_bookable: true,
            price_cents: None,
            description: String::new(),
            active: false,
        };
        let e = service(&params("Schnitt", 0), &[], &[]).unwrap_err();
        assert_eq!(e.field, "duration_min");
        let e = service(&params("färben", 30), std::slice::from_ref(&existing), &[]).unwrap_err();
        assert_eq!(e.field, "name");
        assert!(e.message.contains("archived"), "{e}");
        assert!(service(&params("Färben", 30), std::slice::from_ref(&existing), &[]).is_err());
        let mut own = params("Färben", 30);
        own.id = Some(1);
        assert!(service(&own, &[existing], &[]).is_ok());
        let mut staffed = params("Schnitt", 30);
        staffed.staff_ids = vec![7];
        assert_eq!(
            service(&staffed, &[], &[]).unwrap_err().field,
            "staff_ids[0]"
        );
    }
}
