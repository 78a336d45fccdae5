//! Free slots for a service: candidate starts on the tenant's local clock (every `step`
//! minutes inside each working interval), kept when the service fits the interval, the
//! buffered span touches no busy time or closure, and the start respects notice and horizon.
//! Working hours are civil times, so DST days get their real length.

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// A half-open UTC interval `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    /// Inclusive start.
    pub start: Timestamp,
    /// Exclusive end.
    pub end: Timestamp,
}

impl Span {
    /// Whether two spans share any instant.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// One working interval on a weekday (or one date), in local civil time (`start < end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkInterval {
    /// Day of the week.
    pub weekday: Weekday,
    /// Only on this date (an extra shift); None: every week.
    pub date: Option<Date>,
    /// Local start.
    pub start: Time,
    /// Local end.
    pub end: Time,
}

/// Everything known about one staff member's time.
#[derive(Debug, Clone)]
pub struct StaffCalendar {
    /// Staff id.
    pub staff_id: i64,
    /// Weekly working hours (several intervals a day model breaks).
    pub hours: Vec<WorkInterval>,
    /// Time already taken, each span including that appointment's own buffers.
    pub busy: Vec<Span>,
    /// Closures of this staff member and of the whole business.
    pub closures: Vec<Span>,
}

/// The service being booked.
#[derive(Debug, Clone, Copy)]
pub struct ServiceShape {
    /// How long the service takes.
    pub duration: SignedDuration,
    /// Preparation before, kept free of other appointments.
    pub buffer_before: SignedDuration,
    /// Clean-up after, kept free of other appointments.
    pub buffer_after: SignedDuration,
}

/// Booking rules of the tenant.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Distance between candidate starts, in minutes (e.g. 15).
    pub step_minutes: i64,
    /// Earliest start relative to now.
    pub min_notice: SignedDuration,
    /// Latest start relative to now.
    pub horizon: SignedDuration,
}

/// A bookable start for a staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slot {
    /// When the service starts (UTC).
    pub start: Timestamp,
    /// When it ends (UTC).
    pub end: Timestamp,
    /// Who performs it.
    pub staff_id: i64,
}

/// Free slots on the local dates `from..=to`, sorted by start then staff, without duplicates.
pub fn free_slots(
    tz: &TimeZone,
    now: Timestamp,
    rules: &Rules,
    service: &ServiceShape,
    staff: &[StaffCalendar],
    from: Date,
    to: Date,
) -> Vec<Slot> {
    let step = SignedDuration::from_mins(rules.step_minutes.max(1));
    let earliest = now + rules.min_notice;
    let latest = now + rules.horizon;
    let mut slots = Vec::new();
    let mut day = from;
    while day <= to {
        for cal in staff {
            let today = |h: &&WorkInterval| h.date.map_or(h.weekday == day.weekday(), |d| d == day);
            for interval in cal.hours.iter().filter(today) {
                let Some(work) = local_span(tz, day, interval) else {
                    continue;
                };
                // Only busy time and closures near this interval can block a candidate.
                let reach = Span {
                    start: work.start - service.buffer_before,
                    end: work.end + service.buffer_after,
                };
                let blockers: Vec<&Span> = cal
                    .busy
                    .iter()
                    .chain(&cal.closures)
                    .filter(|b| b.overlaps(&reach))
                    .collect();
                let mut start = work.start;
                while start + service.duration <= work.end {
                    let slot = Span {
                        start,
                        end: start + service.duration,
                    };
                    let guarded = Span {
                        start: slot.start - service.buffer_before,
                        end: slot.end + service.buffer_after,
                    };
                    let free = !blockers.iter().any(|b| b.overlaps(&guarded));
                    if free && start >= earliest && start <= latest {
                        slots.push(Slot {
                            start: slot.start,
                            end: slot.end,
                            staff_id: cal.staff_id,
                        });
                    }
                    start += step;
                }
            }
        }
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    slots.sort();
    slots.dedup();
    slots
}

/// The UTC span of a local working interval on a date (None if it collapses, e.g. in a gap).
fn local_span(tz: &TimeZone, day: Date, interval: &WorkInterval) -> Option<Span> {
    let start = day
        .to_datetime(interval.start)
        .to_zoned(tz.clone())
        .ok()?
        .timestamp();
    let end = day
        .to_datetime(interval.end)
        .to_zoned(tz.clone())
        .ok()?
        .timestamp();
    (start < end).then_some(Span { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};
    use proptest::prelude::*;

    fn berlin() -> TimeZone {
        TimeZone::get("Europe/Berlin").unwrap()
    }

    fn at(d: Date, t: Time) -> Timestamp {
        d.to_datetime(t).to_zoned(berlin()).unwrap().timestamp()
    }

    fn weekdays(start: Time, end: Time) -> Vec<WorkInterval> {
        [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
            Weekday::Saturday,
            Weekday::Sunday,
        ]
        .into_iter()
        .map(|weekday| WorkInterval {
            weekday,
            date: None,
            start,
            end,
        })
        .collect()
    }

    const RULES: Rules = Rules {
        step_minutes: 30,
        min_notice: SignedDuration::from_hours(0),
        horizon: SignedDuration::from_hours(24 * 365),
    };

    fn cut(mins: i64) -> ServiceShape {
        ServiceShape {
            duration: SignedDuration::from_mins(mins),
            buffer_before: SignedDuration::ZERO,
            buffer_after: SignedDuration::ZERO,
        }
    }

    #[test]
    fn a_lunch_break_and_a_booking_remove_their_slots() {
        let day = date(2026, 12, 1);
        let mut hours = weekdays(time(9, 0, 0, 0), time(12, 0, 0, 0));
        hours.extend(weekdays(time(13, 0, 0, 0), time(15, 0, 0, 0)));
        let cal = StaffCalendar {
            staff_id: 1,
            hours,
            busy: vec![Span {
                start: at(day, time(10, 0, 0, 0)),
                end: at(day, time(11, 0, 0, 0)),
            }],
            closures: vec![],
        };
        let now = at(date(2026, 11, 30), time(8, 0, 0, 0));
        let starts: Vec<_> = free_slots(&berlin(), now, &RULES, &cut(60), &[cal], day, day)
            .iter()
            .map(|s| s.start)
            .collect();
        let expect: Vec<_> = [(9, 0), (11, 0), (13, 0), (13, 30), (14, 0)]
            .iter()
            .map(|&(h, m)| at(day, time(h, m, 0, 0)))
            .collect();
        assert_eq!(starts, expect);
    }

    #[test]
    fn buffers_keep_distance_to_other_appointments() {
        let day = date(2026, 12, 1);
        let cal = StaffCalendar {
            staff_id: 1,
            hours: weekdays(time(9, 0, 0, 0), time(12, 0, 0, 0)),
            busy: vec![Span {
                start: at(day, time(10, 0, 0, 0)),
                end: at(day, time(10, 30, 0, 0)),
            }],
            closures: vec![],
        };
        let service = ServiceShape {
            buffer_after: SignedDuration::from_mins(15),
            ..cut(30)
        };
        let now = at(date(2026, 11, 30), time(8, 0, 0, 0));
        let starts: Vec<_> = free_slots(&berlin(), now, &RULES, &service, &[cal], day, day)
            .iter()
            .map(|s| s.start)
            .collect();
        // 09:30 would end at 10:00 and its buffer would reach 10:15: refused.
        assert!(!starts.contains(&at(day, time(9, 30, 0, 0))));
        assert!(starts.contains(&at(day, time(9, 0, 0, 0))));
        assert!(starts.contains(&at(day, time(10, 30, 0, 0))));
    }

    #[test]
    fn notice_horizon_and_closures_are_honoured() {
        let day = date(2026, 12, 1);
        let closed = date(2026, 12, 2);
        let cal = StaffCalendar {
            staff_id: 1,
            hours: weekdays(time(9, 0, 0, 0), time(17, 0, 0, 0)),
            busy: vec![],
            closures: vec![Span {
                start: at(closed, time(0, 0, 0, 0)),
                end: at(closed.tomorrow().unwrap(), time(0, 0, 0, 0)),
            }],
        };
        let now = at(day, time(10, 10, 0, 0));
        let rules = Rules {
            min_notice: SignedDuration::from_hours(2),
            horizon: SignedDuration::from_hours(48),
            ..RULES
        };
        let slots = free_slots(
            &berlin(),
            now,
            &rules,
            &cut(30),
            &[cal],
            day,
            date(2026, 12, 5),
        );
        assert_eq!(
            slots.first().unwrap().start,
            at(day, time(12, 30, 0, 0)),
            "first start after 2 h notice"
        );
        assert!(
            slots
                .iter()
                .all(|s| s.start.to_zoned(berlin()).date() != closed),
            "closure day empty"
        );
        assert!(
            slots
                .iter()
                .all(|s| s.start <= now + SignedDuration::from_hours(48)),
            "within horizon"
        );
    }

    #[test]
    fn dst_days_keep_local_opening_hours() {
        // 2026-03-29: clocks jump 02:00→03:00; 2026-10-25: 03:00→02:00 in Europe/Berlin.
        for day in [date(2026, 3, 29), date(2026, 10, 25)] {
            let cal = StaffCalendar {
                staff_id: 1,
                hours: weekdays(time(9, 0, 0, 0), time(11, 0, 0, 0)),
                busy: vec![],
                closures: vec![],
            };
            let now = at(date(2026, 1, 1), time(0, 0, 0, 0));
            let slots = free_slots(&berlin(), now, &RULES, &cut(60), &[cal], day, day);
            let local: Vec<String> = slots
                .iter()
                .map(|s| s.start.to_zoned(berlin()).strftime("%H:%M").to_string())
                .collect();
            assert_eq!(local, ["09:00", "09:30", "10:00"], "{day}");
        }
    }

    fn arb_calendar() -> impl Strategy<Value = StaffCalendar> {
        (
            0i64..1,
            6i8..12,
            2i8..8,
            proptest::collection::vec((0i64..20 * 24 * 4, 1i64..12), 0..12),
        )
            .prop_map(|(staff_id, open, len, busy)| {
                let base = at(date(2026, 12, 1), time(0, 0, 0, 0));
                StaffCalendar {
                    staff_id,
                    hours: weekdays(time(open, 0, 0, 0), time(open + len, 0, 0, 0)),
                    busy: busy
                        .into_iter()
                        .map(|(q, l)| {
                            let start = base + SignedDuration::from_mins(q * 15);
                            Span {
                                start,
                                end: start + SignedDuration::from_mins(l * 15),
                            }
                        })
                        .collect(),
                    closures: vec![],
                }
            })
    }

    proptest! {
        #[test]
        fn slots_are_free_inside_hours_sorted_and_unique(
            mut cals in proptest::collection::vec(arb_calendar(), 1..4),
            mins in 1i64..8,
            before in 0i64..3,
            after in 0i64..3,
        ) {
            let service = ServiceShape {
                duration: SignedDuration::from_mins(mins * 15),
                buffer_before: SignedDuration::from_mins(before * 5),
                buffer_after: SignedDuration::from_mins(after * 5),
            };
            for (i, c) in cals.iter_mut().enumerate() {
                c.staff_id = i as i64;
            }
            let now = at(date(2026, 11, 30), time(0, 0, 0, 0));
            let (from, to) = (date(2026, 12, 1), date(2026, 12, 20));
            let slots = free_slots(&berlin(), now, &RULES, &service, &cals, from, to);
            for w in slots.windows(2) {
                prop_assert!(w[0] < w[1], "sorted and deduplicated");
            }
            for s in &slots {
                let cal = &cals[s.staff_id as usize];
                let guarded = Span { start: s.start - service.buffer_before, end: s.end + service.buffer_after };
                prop_assert!(cal.busy.iter().all(|b| !b.overlaps(&guarded)),
                    "a slot overlaps neither a booking nor its buffers");
                let local_start = s.start.to_zoned(berlin());
                let local_end = s.end.to_zoned(berlin());
                prop_assert_eq!(local_start.date(), local_end.date());
                prop_assert!(cal.hours.iter().any(|h|
                    h.weekday == local_start.date().weekday()
                        && local_start.time() >= h.start
                        && local_end.time() <= h.end),
                    "inside working hours");
            }
        }
    }
}
