//! From set-up and occupied blocks to free slots, and from free slots to the few the agent
//! offers: the wished time if free, else the nearest ones, spread out so they sound useful.

use super::TenantView;
use crate::booking::availability::{
    self, Rules, ServiceShape, Slot, Span, StaffCalendar, WorkInterval,
};
use crate::booking::speech;
use crate::booking::when::{TimeWish, Wish};
use crate::store::scheduling::{ServiceRow, StaffRow};
use jiff::civil::{Date, Time, Weekday};
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::Serialize;

/// How many slots are offered at once (a phone call, not a list).
pub const MAX_OFFERS: usize = 3;

/// A free slot as offered to a caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offer {
    /// Start, RFC 3339 UTC.
    pub start: String,
    /// Start in the tenant's zone, `YYYY-MM-DDTHH:MM`.
    pub local: String,
    /// As the agent says it.
    pub spoken: String,
    /// Staff member.
    pub staff: String,
    /// Staff id.
    #[serde(skip)]
    pub staff_id: i64,
    /// Start, UTC ms.
    #[serde(skip)]
    pub start_ms: i64,
}

impl TenantView {
    /// An offer for a slot.
    pub fn offer(&self, slot: &Slot) -> Offer {
        let local = slot.start.to_zoned(self.tz.clone()).datetime();
        Offer {
            start: slot.start.to_string(),
            local: local.strftime("%Y-%m-%dT%H:%M").to_string(),
            spoken: speech::moment(self.locale, local),
            staff: self.staff_name(slot.staff_id),
            staff_id: slot.staff_id,
            start_ms: slot.start.as_millisecond(),
        }
    }

    /// Start of a local day as UTC ms (for store queries).
    pub fn day_start_ms(&self, day: Date) -> i64 {
        day.to_zoned(self.tz.clone())
            .map(|z| z.timestamp().as_millisecond())
            .unwrap_or(0)
    }

    /// A whole local day as UTC ms `[start, end)`.
    pub fn day_span_ms(&self, day: Date) -> (i64, i64) {
        (
            self.day_start_ms(day),
            self.day_start_ms(day.tomorrow().unwrap_or(day)),
        )
    }

    /// Free slots of `service` for `staff` on local days `from..=to`, given occupied blocks
    /// `(staff, start ms, end ms)`; `notice_min` is the minimum notice from `now`.
    #[allow(clippy::too_many_arguments)]
    pub fn free_slots(
        &self,
        service: &ServiceRow,
        staff: &[&StaffRow],
        busy: &[(i64, i64, i64)],
        from: Date,
        to: Date,
        now: Timestamp,
        notice_min: i64,
    ) -> Vec<Slot> {
        let rules = Rules {
            step_minutes: self.setup.rules.step_min,
            min_notice: SignedDuration::from_mins(notice_min),
            horizon: SignedDuration::from_hours(self.setup.rules.horizon_days * 24),
        };
        let (before, after) = self.buffers(service);
        let shape = ServiceShape {
            duration: SignedDuration::from_mins(service.duration_min),
            buffer_before: SignedDuration::from_mins(before),
            buffer_after: SignedDuration::from_mins(after),
        };
        let span = |a: i64, b: i64| {
            Some(Span {
                start: Timestamp::from_millisecond(a).ok()?,
                end: Timestamp::from_millisecond(b).ok()?,
            })
        };
        // Only time near the asked days matters; group it by staff once.
        let pad = 6 * 3_600_000;
        let window_start = self.day_start_ms(from) - pad;
        let window_end = self.day_start_ms(to.tomorrow().unwrap_or(to)) + pad;
        let mut by_staff: std::collections::HashMap<i64, Vec<Span>> =
            std::collections::HashMap::new();
        for &(id, a, b) in busy {
            if a < window_end && b > window_start {
                if let Some(sp) = span(a, b) {
                    by_staff.entry(id).or_default().push(sp);
                }
            }
        }
        let calendars: Vec<StaffCalendar> = staff
            .iter()
            .map(|s| StaffCalendar {
                staff_id: s.id,
                hours: s
                    .hours
                    .iter()
                    .filter_map(|&(d, a, b)| interval(d, a, b, None))
                    .chain(s.extra.iter().filter_map(|&(day, a, b)| {
                        let weekday = i64::from(day.weekday().to_monday_one_offset());
                        interval(weekday, a, b, Some(day))
                    }))
                    .collect(),
                busy: by_staff.remove(&s.id).unwrap_or_default(),
                closures: self
                    .setup
                    .closures
                    .iter()
                    .filter(|c| c.staff_id.is_none_or(|id| id == s.id))
                    .filter_map(|c| span(c.starts_at, c.ends_at))
                    .chain(s.off.iter().filter_map(|d| {
                        let (a, b) = self.day_span_ms(*d);
                        span(a, b)
                    }))
                    .collect(),
            })
            .collect();
        availability::free_slots(&self.tz, now, &rules, &shape, &calendars, from, to)
    }

    /// The wished slot if it is free, and up to [`MAX_OFFERS`] slots near the wish.
    pub fn pick(&self, slots: &[Slot], wish: &Wish) -> (Option<Slot>, Vec<Slot>) {
        let mut unique: Vec<Slot> = Vec::new();
        for s in slots {
            if unique.last().is_none_or(|l| l.start != s.start) {
                unique.push(*s);
            }
        }
        match wish.time {
            TimeWish::At(t) => {
                let Some(target) = self.instant(wish.day, t) else {
                    return (None, Vec::new());
                };
                let exact = slots.iter().find(|s| s.start == target).copied();
                let mut near = unique.clone();
                near.sort_by_key(|s| (s.start.as_second() - target.as_second()).abs());
                near.truncate(MAX_OFFERS);
                near.sort();
                (exact, near)
            }
            TimeWish::Part(part) => {
                let (a, b) = part.hours();
                let inside: Vec<Slot> = unique
                    .into_iter()
                    .filter(|s| {
                        let h = s.start.to_zoned(self.tz.clone()).hour();
                        h >= a && h < b
                    })
                    .collect();
                (None, spread(&inside))
            }
            TimeWish::Any => (None, spread(&unique)),
        }
    }

    /// The UTC instant of a local day and time (the later one in a DST fold).
    pub fn instant(&self, day: Date, t: Time) -> Option<Timestamp> {
        day.to_datetime(t)
            .to_zoned(self.tz.clone())
            .ok()
            .map(|z| z.timestamp())
    }

    /// The local day of an instant plus `days`.
    pub fn local_day(&self, at: Timestamp, days: i64) -> Date {
        let d = at.to_zoned(self.tz.clone()).date();
        d.checked_add(days.days()).unwrap_or(d)
    }
}

/// Up to [`MAX_OFFERS`] slots at least an hour apart, earliest first (then filled up).
fn spread(slots: &[Slot]) -> Vec<Slot> {
    let mut out: Vec<Slot> = Vec::new();
    for s in slots {
        if out.len() == MAX_OFFERS {
            break;
        }
        if out
            .last()
            .is_none_or(|l| s.start.duration_since(l.start) >= SignedDuration::from_hours(1))
        {
            out.push(*s);
        }
    }
    for s in slots {
        if out.len() >= MAX_OFFERS {
            break;
        }
        if !out.iter().any(|o| o.start == s.start) {
            out.push(*s);
        }
    }
    out.sort();
    out
}

/// A stored interval (weekly, or on one date) as the engine's type.
fn interval(
    weekday: i64,
    start_min: i64,
    end_min: i64,
    date: Option<Date>,
) -> Option<WorkInterval> {
    let weekday = Weekday::from_monday_one_offset(i8::try_from(weekday).ok()?).ok()?;
    let time = |m: i64| {
        if m >= 1440 {
            Time::new(23, 59, 59, 999_999_999).ok()
        } else {
            Time::new((m / 60) as i8, (m % 60) as i8, 0, 0).ok()
        }
    };
    Some(WorkInterval {
        weekday,
        date,
        start: time(start_min)?,
        end: time(end_min)?,
    })
}
