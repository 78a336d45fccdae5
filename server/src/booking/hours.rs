//! Working hours and closures as people type them: `HH:MM` times, a weekday's start and end
//! with breaks, closure ranges of whole days or local date-times. Pure: each refusal names
//! the field and says in one sentence what to fix.

use app::contract::{DayHours, TimeRange};
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// A refused input: the field (`hours[1].breaks[0].start`) and a sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    /// Path of the field.
    pub field: String,
    /// What to fix.
    pub message: String,
}

/// A [`FieldError`].
pub fn refuse(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// English weekday names, Monday first.
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// `HH:MM` of minutes after midnight.
pub fn hhmm(min: i64) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

/// Minutes after midnight of `HH:MM` (or `H:MM`); `24:00` only as an end. Times must fall on
/// 5-minute marks, like every appointment.
pub fn parse_time(field: &str, raw: &str, is_end: bool) -> Result<i64, FieldError> {
    let raw = raw.trim();
    let bad = || {
        refuse(
            field,
            format!("{raw:?} is not a time of day; write it as HH:MM, e.g. 09:30"),
        )
    };
    let (h, m) = raw.split_once(':').ok_or_else(bad)?;
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 1..=2) || !digits(m, 2..=2) {
        return Err(bad());
    }
    let (h, m): (i64, i64) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 24 || m > 59 || (h == 24 && m > 0) {
        return Err(refuse(
            field,
            format!("{raw} is not a time of day; hours go from 00:00 to 24:00"),
        ));
    }
    if h == 24 && !is_end {
        return Err(refuse(field, "24:00 can only end a time range"));
    }
    if m % 5 != 0 {
        return Err(refuse(
            field,
            format!(
                "{raw} is not on a 5-minute mark; appointments start every 5 minutes at the finest"
            ),
        ));
    }
    Ok(h * 60 + m)
}

/// A `start`–`end` range in minutes, `start < end`.
fn range(field: &str, r: &TimeRange) -> Result<(i64, i64), FieldError> {
    let start = parse_time(&format!("{field}.start"), &r.start, false)?;
    let end = parse_time(&format!("{field}.end"), &r.end, true)?;
    if end <= start {
        return Err(refuse(
            format!("{field}.end"),
            format!("{} must be after {}", hhmm(end), hhmm(start)),
        ));
    }
    Ok((start, end))
}

/// The weekly intervals `(weekday, start, end)` of a week of [`DayHours`]: each day's span
/// minus its breaks. Refuses unknown weekdays, a weekday listed twice, a break outside its
/// day, overlapping breaks and breaks that leave no working time.
pub fn weekly_intervals(days: &[DayHours]) -> Result<Vec<(i64, i64, i64)>, FieldError> {
    let mut out = Vec::new();
    let mut seen = [false; 7];
    for (i, day) in days.iter().enumerate() {
        let field = format!("hours[{i}]");
        let Some(index) = usize::try_from(day.weekday - 1).ok().filter(|d| *d < 7) else {
            return Err(refuse(
                format!("{field}.weekday"),
                "the weekday must be 1 (Monday) to 7 (Sunday)",
            ));
        };
        let name = WEEKDAYS[index];
        if std::mem::replace(&mut seen[index], true) {
            return Err(refuse(
                format!("{field}.weekday"),
                format!("{name} is listed twice; give it one entry and split it with breaks"),
            ));
        }
        let (start, end) = range(
            &field,
            &TimeRange {
                start: day.start.clone(),
                end: day.end.clone(),
            },
        )?;
        let mut breaks = Vec::new();
        for (j, b) in day.breaks.iter().enumerate() {
            let bf = format!("{field}.breaks[{j}]");
            let (bs, be) = range(&bf, b)?;
            if bs < start || be > end {
                return Err(refuse(
                    bf,
                    format!(
                        "the break {}–{} lies outside {name}'s working time {}–{}",
                        hhmm(bs),
                        hhmm(be),
                        hhmm(start),
                        hhmm(end)
                    ),
                ));
            }
            breaks.push((bs, be, bf));
        }
        breaks.sort();
        for pair in breaks.windows(2) {
            if pair[1].0 < pair[0].1 {
                return Err(refuse(
                    pair[1].2.clone(),
                    format!(
                        "the breaks {}–{} and {}–{} on {name} overlap",
                        hhmm(pair[0].0),
                        hhmm(pair[0].1),
                        hhmm(pair[1].0),
                        hhmm(pair[1].1)
                    ),
                ));
            }
        }
        let before = out.len();
        let mut from = start;
        for (bs, be, _) in &breaks {
            if *bs > from {
                out.push((day.weekday, from, *bs));
            }
            from = from.max(*be);
        }
        if end > from {
            out.push((day.weekday, from, end));
        }
        if out.len() == before {
            return Err(refuse(
                format!("{field}.breaks"),
                format!("the breaks leave no working time on {name}; remove the day instead"),
            ));
        }
    }
    out.sort();
    Ok(out)
}

/// Stored weekly intervals back as [`DayHours`]: first start to last end, gaps as breaks.
pub fn day_hours(intervals: &[(i64, i64, i64)]) -> Vec<DayHours> {
    let mut sorted = intervals.to_vec();
    sorted.sort();
    let mut out: Vec<DayHours> = Vec::new();
    let mut last_end = 0;
    for (weekday, start, end) in sorted {
        match out.last_mut() {
            Some(day) if day.weekday == weekday => {
                day.breaks.push(TimeRange {
                    start: hhmm(last_end),
                    end: hhmm(start),
                });
                day.end = hhmm(end);
            }
            _ => out.push(DayHours {
                weekday,
                start: hhmm(start),
                end: hhmm(end),
                breaks: Vec::new(),
            }),
        }
        last_end = end;
    }
    out
}

/// A local date `YYYY-MM-DD`.
pub fn parse_date(field: &str, raw: &str) -> Result<Date, FieldError> {
    raw.trim().parse::<Date>().map_err(|_| {
        refuse(
            field,
            format!("{:?} is not a date; write it as YYYY-MM-DD", raw.trim()),
        )
    })
}

/// A closure's UTC span `[start, end)` in ms from what was typed: whole local days
/// `YYYY-MM-DD` (the end day included) or local times `YYYY-MM-DDTHH:MM` (the end excluded).
pub fn closure_span(tz: &TimeZone, from: &str, to: &str) -> Result<(i64, i64), FieldError> {
    let start = moment(tz, "from", from, false)?;
    let end = moment(tz, "to", to, true)?;
    if end <= start {
        return Err(refuse(
            "to",
            "the closure must end after it starts; for one day give the same date twice",
        ));
    }
    Ok((start, end))
}

/// UTC ms of a typed moment; a bare date is its local midnight (the next one for an end).
fn moment(tz: &TimeZone, field: &str, raw: &str, is_end: bool) -> Result<i64, FieldError> {
    let raw = raw.trim();
    let bad = || {
        refuse(
            field,
            format!("{raw:?} is neither a date (YYYY-MM-DD) nor a time (YYYY-MM-DDTHH:MM)"),
        )
    };
    // jiff reads the date of a date-time too: a time, if given, decides.
    let local: DateTime = if raw.contains(['T', 't', ' ']) {
        raw.replace(' ', "T")
            .parse::<DateTime>()
            .map_err(|_| bad())?
    } else {
        let day = raw.parse::<Date>().map_err(|_| bad())?;
        let day = if is_end {
            day.tomorrow().map_err(|_| bad())?
        } else {
            day
        };
        day.to_datetime(jiff::civil::Time::midnight())
    };
    local
        .to_zoned(tz.clone())
        .map(|z| z.timestamp().as_millisecond())
        .map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(weekday: i64, start: &str, end: &str, breaks: &[(&str, &str)]) -> DayHours {
        DayHours {
            weekday,
            start: start.into(),
            end: end.into(),
            breaks: breaks
                .iter()
                .map(|(s, e)| TimeRange {
                    start: (*s).into(),
                    end: (*e).into(),
                })
                .collect(),
        }
    }

    #[test]
    fn times_are_checked_with_a_sentence() {
        assert_eq!(parse_time("t", "09:30", false), Ok(570));
        assert_eq!(parse_time("t", "24:00", true), Ok(1440));
        let e = parse_time("t", "25:00", false).unwrap_err();
        assert!(e.message.contains("not a time of day"), "{e}");
        assert!(parse_time("t", "24:00", false).is_err());
        assert!(parse_time("t", "9:07", false)
            .unwrap_err()
            .message
            .contains("5-minute"));
        assert!(parse_time("t", "nine", false).is_err());
    }

    #[test]
    fn breaks_split_a_day_and_come_back() {
        let week = [
            day(2, "09:00", "18:00", &[("12:00", "13:00")]),
            day(6, "09:00", "14:00", &[]),
        ];
        let intervals = weekly_intervals(&week).unwrap();
        assert_eq!(
            intervals,
            vec![(2, 540, 720), (2, 780, 1080), (6, 540, 840)]
        );
        assert_eq!(day_hours(&intervals), week.to_vec());
    }

    #[test]
    fn bad_weeks_name_the_field() {
        let outside = weekly_intervals(&[day(1, "09:00", "12:00", &[("12:30", "13:00")])]);
        assert_eq!(outside.unwrap_err().field, "hours[0].breaks[0]");
        let overlap = weekly_intervals(&[day(
            1,
            "09:00",
            "18:00",
            &[("12:00", "13:00"), ("12:30", "14:00")],
        )]);
        assert!(overlap.unwrap_err().message.contains("overlap"));
        let twice =
            weekly_intervals(&[day(1, "09:00", "12:00", &[]), day(1, "13:00", "15:00", &[])]);
        assert_eq!(twice.unwrap_err().field, "hours[1].weekday");
        let hour = weekly_intervals(&[day(1, "09:00", "25:00", &[])]);
        assert_eq!(hour.unwrap_err().field, "hours[0].end");
        assert!(weekly_intervals(&[day(8, "09:00", "10:00", &[])]).is_err());
    }

    #[test]
    fn closures_cover_whole_days_or_exact_times() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let (a, b) = closure_span(&tz, "2026-12-24", "2026-12-26").unwrap();
        assert_eq!(b - a, 3 * 86_400_000);
        let (a, b) = closure_span(&tz, "2026-12-01T12:00", "2026-12-01T14:00").unwrap();
        assert_eq!(b - a, 2 * 3_600_000);
        assert_eq!(
            closure_span(&tz, "2026-12-02", "2026-12-01")
                .unwrap_err()
                .field,
            "to"
        );
        assert_eq!(
            closure_span(&tz, "soon", "2026-12-01").unwrap_err().field,
            "from"
        );
    }
}
