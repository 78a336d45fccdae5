//! Understands when a caller wants an appointment ("morgen um halb drei", "next Tuesday
//! afternoon", "2026-12-03T14:30") relative to the call's local start. Ambiguities are
//! resolved the way a receptionist would (a bare "um vier" is 16:00; a bare weekday equal
//! to today means next week) and reported as [`Assumption`]s so the agent can say it back.

use super::words::{self, DayPart};
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::{ToSpan, Zoned};

/// What time of the day was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeWish {
    /// Nothing said about the time.
    Any,
    /// An exact local time.
    At(Time),
    /// A part of the day.
    Part(DayPart),
}

/// A guess the parser made that the agent should confirm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assumption {
    /// An hour 1–7 without am/pm was read as afternoon (16:00 for "vier").
    Afternoon,
    /// A weekday equal to today was read as the same weekday next week.
    NextWeek,
    /// A date without a year that has passed was read as next year.
    NextYear,
}

/// The understood wish: which day(s) and which time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wish {
    /// First day to look at.
    pub day: Date,
    /// Whether a day was actually named (otherwise `day` is the nearest sensible one).
    pub day_given: bool,
    /// Whether a whole week was named ("nächste Woche").
    pub whole_week: bool,
    /// The time wish.
    pub time: TimeWish,
    /// Guesses made.
    pub assumptions: Vec<Assumption>,
}

impl Wish {
    /// `YYYY-MM-DD HH:MM`, `YYYY-MM-DD <part>` or `YYYY-MM-DD` (for tests and logs).
    pub fn render(&self) -> String {
        let day = self.day.strftime("%Y-%m-%d");
        match self.time {
            TimeWish::Any if self.whole_week => format!("week {day}"),
            TimeWish::Any => day.to_string(),
            TimeWish::At(t) => format!("{day} {}", t.strftime("%H:%M")),
            TimeWish::Part(p) => format!("{day} {}", p.name()),
        }
    }
}

/// Why a phrase could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WhenError {
    /// Nothing in the text names a day or a time.
    #[error(
        "no date or time understood in {0:?}; say e.g. \"morgen um 14 Uhr\" or 2026-12-03T14:30"
    )]
    NotUnderstood(String),
    /// A date that does not exist, e.g. 31 February.
    #[error("{0} is not a valid date")]
    BadDate(String),
    /// A time that does not exist, e.g. 25:00.
    #[error("{0} is not a valid time")]
    BadTime(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WeekdayMod {
    Plain,
    Next,
    This,
    AfterNext,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
}

#[derive(Debug, Default)]
struct Parts {
    date: Option<Date>,
    day_month: Option<(i64, i8, Option<i16>)>,
    rel_days: Option<i64>,
    weekday: Option<(Weekday, WeekdayMod)>,
    week: Option<i64>,
    /// (hour, minute, explicit 24-hour form)
    clock: Option<(i64, i64, bool)>,
    meridiem: Option<Meridiem>,
    part: Option<DayPart>,
}

/// Parses a wish relative to the call's local start time.
pub fn parse(text: &str, now: &Zoned) -> Result<Wish, WhenError> {
    if let Some(w) = iso(text.trim(), now) {
        return w;
    }
    let toks = words::tokens(text);
    let t: Vec<&str> = toks.iter().map(String::as_str).collect();
    let mut p = Parts::default();
    let mut understood = false;
    let mut i = 0;
    while i < t.len() {
        let rest = &t[i..];
        let used = part_piece(rest, i, &t, &mut p)
            .or_else(|| date_piece(rest, &mut p))
            .or_else(|| time_piece(rest, &mut p));
        match used {
            Some(n) => {
                understood = true;
                i += n.max(1);
            }
            None => {
                // Unknown words (politeness, filler) are skipped; an ISO date may stand alone.
                if let Some(d) = iso_date_token(rest[0]) {
                    p.date = Some(d.map_err(|_| WhenError::BadDate(rest[0].to_owned()))?);
                    understood = true;
                }
                i += 1;
            }
        }
    }
    if !understood {
        return Err(WhenError::NotUnderstood(text.trim().to_owned()));
    }
    assemble(p, now.datetime())
}

/// Whole-text ISO 8601: a date, a local date-time, or an instant with an offset (converted
/// into the tenant's zone).
fn iso(text: &str, now: &Zoned) -> Option<Result<Wish, WhenError>> {
    let exact = |day: Date, time: Option<Time>| Wish {
        day,
        day_given: true,
        whole_week: false,
        time: time.map(TimeWish::At).unwrap_or(TimeWish::Any),
        assumptions: Vec::new(),
    };
    if !text.starts_with(|c: char| c.is_ascii_digit()) || text.len() < 10 {
        return None;
    }
    if text.len() == 10 {
        return text.parse::<Date>().ok().map(|d| Ok(exact(d, None)));
    }
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        let local = ts.to_zoned(now.time_zone().clone()).datetime();
        return Some(Ok(exact(local.date(), Some(local.time()))));
    }
    if let Ok(dt) = text.parse::<DateTime>() {
        return Some(Ok(exact(dt.date(), Some(dt.time()))));
    }
    if let Ok(d) = text.parse::<Date>() {
        return Some(Ok(exact(d, None)));
    }
    None
}

fn iso_date_token(t: &str) -> Option<Result<Date, jiff::Error>> {
    let b = t.as_bytes();
    (b.len() == 10 && b[4] == b'-' && b[7] == b'-').then(|| t.parse::<Date>())
}

fn date_piece(t: &[&str], p: &mut Parts) -> Option<usize> {
    let first = t[0];
    let second = t.get(1).copied().unwrap_or("");
    let third = t.get(2).copied().unwrap_or("");
    match first {
        "heute" | "today" => {
            p.rel_days = Some(0);
            return Some(1);
        }
        "tonight" => {
            p.rel_days = Some(0);
            p.part = Some(DayPart::Evening);
            return Some(1);
        }
        "morgen" | "tomorrow" => {
            p.rel_days = Some(1);
            return Some(1);
        }
        "uebermorgen" => {
            p.rel_days = Some(2);
            return Some(1);
        }
        "day" if second == "after" && third == "tomorrow" => {
            p.rel_days = Some(2);
            return Some(3);
        }
        "in" => {
            let n = words::count(second)?;
            let days = match third {
                "tag" | "tagen" | "day" | "days" => n,
                "woche" | "wochen" | "week" | "weeks" => n * 7,
                _ => return None,
            };
            p.rel_days = Some(days);
            return Some(3);
        }
        _ => {}
    }
    let modifier = match first {
        "naechsten" | "naechster" | "naechste" | "naechstes" | "kommenden" | "kommender"
        | "kommende" | "next" | "coming" => Some(WeekdayMod::Next),
        "diesen" | "dieser" | "diese" | "this" => Some(WeekdayMod::This),
        "uebernaechsten" | "uebernaechste" | "uebernaechster" => Some(WeekdayMod::AfterNext),
        _ => None,
    };
    if let Some(m) = modifier {
        if let Some(d) = words::weekday(second) {
            p.weekday = Some((d, m));
            return Some(2);
        }
        if matches!(second, "woche" | "week") {
            p.week = Some(match m {
                WeekdayMod::This => 0,
                WeekdayMod::AfterNext => 2,
                _ => 1,
            });
            return Some(2);
        }
        if m == WeekdayMod::This {
            if let Some(part) = words::day_part(second) {
                p.rel_days.get_or_insert(0);
                p.part = Some(part);
                return Some(2);
            }
        }
    }
    if first == "week" && second == "after" && third == "next" {
        p.week = Some(2);
        return Some(3);
    }
    if let Some(d) = words::weekday(first) {
        p.weekday.get_or_insert((d, WeekdayMod::Plain));
        return Some(1);
    }
    day_month(t, p)
}

/// "3. Dezember [2026]", "dritten Dezember", "3rd of December", "December 3rd", "3.12.",
/// "03.12.2026".
fn day_month(t: &[&str], p: &mut Parts) -> Option<usize> {
    let year_at = |i: usize| -> Option<i16> {
        t.get(i)
            .filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|y| y.parse().ok())
    };
    let (day, month, used) = if let Some(m) = t.get(1).and_then(|w| words::month(w)) {
        let d = words::ordinal(t[0])
            .or_else(|| words::number(t[0]).filter(|n| (1..=31).contains(n)))?;
        (d, m, 2)
    } else if t.get(1) == Some(&"of") && t.get(2).and_then(|w| words::month(w)).is_some() {
        let d = words::ordinal(t[0])?;
        (d, words::month(t[2])?, 3)
    } else if let Some(m) = words::month(t[0]) {
        let second = t.get(1)?;
        let d = words::ordinal(second).or_else(|| {
            words::number(second)
                .filter(|n| (1..=31).contains(n) && second.bytes().all(|b| b.is_ascii_digit()))
        })?;
        (d, m, 2)
    } else {
        return numeric_date(t[0], t.get(1).copied(), p);
    };
    let year = year_at(used);
    p.day_month = Some((day, month, year));
    Some(used + usize::from(year.is_some()))
}

/// "3.12.", "3.12", "03.12.2026", "3.12.26" (not "14.30 Uhr", which is a time).
fn numeric_date(tok: &str, next: Option<&str>, p: &mut Parts) -> Option<usize> {
    let parts: Vec<&str> = tok.split('.').collect();
    if parts.len() < 2 || parts.len() > 3 || parts.iter().take(2).any(|x| x.is_empty()) {
        return None;
    }
    if parts.len() == 2 && next == Some("uhr") {
        return None;
    }
    let day: i64 = parts[0].parse().ok()?;
    let month: i64 = parts[1].parse().ok()?;
    if !(1..=31).contains(&day) || !(1..=12).contains(&month) {
        return None;
    }
    let year = match parts.get(2).copied().unwrap_or("") {
        "" => None,
        y if y.len() == 2 => Some(2000 + y.parse::<i16>().ok()?),
        y if y.len() == 4 => Some(y.parse::<i16>().ok()?),
        _ => return None,
    };
    p.day_month = Some((day, month as i8, year));
    Some(1)
}

fn time_piece(t: &[&str], p: &mut Parts) -> Option<usize> {
    let first = t[0];
    let second = t.get(1).copied().unwrap_or("");
    let third = t.get(2).copied().unwrap_or("");
    let hour = |w: &str| words::number(w).filter(|h| (0..=24).contains(h));
    let mut set = |h: i64, m: i64, explicit: bool, used: usize| {
        p.clock.get_or_insert((h, m, explicit));
        Some(used)
    };
    match first {
        "noon" | "midday" => return set(12, 0, true, 1),
        "mitternacht" | "midnight" => return set(0, 0, true, 1),
        "halb" => return set(hour(second)? - 1, 30, false, 2),
        "dreiviertel" => return set(hour(second)? - 1, 45, false, 2),
        "drei" if second == "viertel" => return set(hour(third)? - 1, 45, false, 3),
        "viertel" => {
            return match second {
                "nach" => set(hour(third)?, 15, false, 3),
                "vor" => set(hour(third)? - 1, 45, false, 3),
                _ => set(hour(second)? - 1, 15, false, 2),
            }
        }
        "half" if second == "past" => return set(hour(third)?, 30, false, 3),
        "half" => return set(hour(second)?, 30, false, 2),
        "quarter" => {
            return match second {
                "past" | "after" => set(hour(third)?, 15, false, 3),
                "to" | "of" | "before" => set(hour(third)? - 1, 45, false, 3),
                _ => None,
            }
        }
        _ => {}
    }
    // "fünf nach halb drei", "zehn vor drei", "ten past three", "twenty to five"
    if let Some(m) = words::number(first).filter(|m| (1..=29).contains(m)) {
        let after = matches!(second, "nach" | "past" | "after");
        let before = matches!(second, "vor" | "to" | "before");
        if after || before {
            let (h, base, used) = if third == "halb" {
                (hour(t.get(3)?)? - 1, 30, 4)
            } else {
                (hour(third)?, 0, 3)
            };
            let total = h * 60 + base + if after { m } else { -m };
            return set(total.div_euclid(60), total.rem_euclid(60), false, used);
        }
    }
    // Digits with am/pm: "3pm", "3:30pm", "3 pm", "3 p.m."
    for (suffix, mer) in [("pm", Meridiem::Pm), ("am", Meridiem::Am)] {
        if let Some(num) = first.strip_suffix(suffix).filter(|n| !n.is_empty()) {
            let (h, m) = clock_digits(num)?;
            p.meridiem = Some(mer);
            return set(h, m, false, 1);
        }
    }
    if let Some((h, m)) = clock_digits(first) {
        let mer = match second {
            "pm" | "p.m" | "p.m." => Some(Meridiem::Pm),
            "am" | "a.m" | "a.m." => Some(Meridiem::Am),
            _ => None,
        };
        if let Some(mer) = mer {
            p.meridiem = Some(mer);
            return set(h, m, false, 2);
        }
        let explicit = h > 12 || first.starts_with('0');
        if first.contains(':') || (first.contains('.') && second == "uhr") {
            return set(h, m, explicit, 1 + usize::from(second == "uhr"));
        }
    }
    // "14 uhr [30]", "vier uhr", "4 o'clock", "um vier", "at 4", "gegen 3"
    if let Some(h) = hour(first) {
        if second == "uhr" {
            let minutes = words::number(third).filter(|m| (0..60).contains(m));
            let explicit = h > 12 || first.starts_with('0');
            return match minutes {
                Some(m) => set(h, m, explicit, 3),
                None => set(h, 0, explicit, 2),
            };
        }
        if second == "o'clock" || second == "oclock" {
            return set(h, 0, false, 2);
        }
    }
    if matches!(first, "um" | "at" | "gegen" | "around" | "ab") {
        let h = hour(second)?;
        let longer = [
            "uhr", "o'clock", "nach", "vor", "past", "to", "after", "before",
        ];
        if longer.contains(&third) {
            return None; // "um 14 Uhr", "um zehn nach zwei": read from the next word on
        }
        return set(h, 0, h > 12, 2);
    }
    None
}

/// "14:30", "9", "14.30", "1430" is not accepted (ambiguous with years).
fn clock_digits(t: &str) -> Option<(i64, i64)> {
    let (h, m) = match t.split_once([':', '.']) {
        Some((h, m)) => (h, m),
        None => (t, "0"),
    };
    if h.is_empty() || h.len() > 2 || !h.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if m.is_empty() || m.len() > 2 || !m.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((h.parse().ok()?, m.parse().ok()?))
}

fn part_piece(t: &[&str], i: usize, all: &[&str], p: &mut Parts) -> Option<usize> {
    let first = t[0];
    // "heute morgen", "am Morgen", "Dienstag morgen", "in the morning" — a part, not a day.
    if first == "morgen" {
        let prev = i.checked_sub(1).map(|j| all[j]).unwrap_or("");
        if prev == "am" || prev == "heute" || words::weekday(prev).is_some() {
            p.part = Some(DayPart::Morning);
            return Some(1);
        }
    }
    if matches!(first, "frueh" | "early") && t.get(1) == Some(&"morgens") {
        p.part = Some(DayPart::Early);
        return Some(2);
    }
    let part = words::day_part(first)?;
    p.part = Some(part);
    if first == "tonight" {
        p.rel_days.get_or_insert(0);
    }
    Some(1)
}

fn assemble(p: Parts, now: DateTime) -> Result<Wish, WhenError> {
    let today = now.date();
    let mut assumptions = Vec::new();
    let mut whole_week = false;
    let week_monday = |offset: i64| -> Date {
        let back = today.weekday().to_monday_zero_offset() as i64;
        today
            .checked_sub(back.days())
            .and_then(|d| d.checked_add((offset * 7).days()))
            .unwrap_or(today)
    };
    let day = if let Some(d) = p.date {
        Some(d)
    } else if let Some((d, m, y)) = p.day_month {
        let bad = || WhenError::BadDate(format!("{d}.{m}."));
        let year = y.unwrap_or(today.year());
        let date = Date::new(year, m, d as i8).map_err(|_| bad())?;
        if y.is_none() && date < today {
            assumptions.push(Assumption::NextYear);
            Some(Date::new(year + 1, m, d as i8).map_err(|_| bad())?)
        } else {
            Some(date)
        }
    } else if let Some((wd, m)) = p.weekday {
        if let Some(offset) = p.week {
            let monday = week_monday(offset);
            Some(
                monday
                    .checked_add((wd.to_monday_zero_offset() as i64).days())
                    .unwrap_or(monday),
            )
        } else {
            let ahead = (wd.to_monday_zero_offset() as i64
                - today.weekday().to_monday_zero_offset() as i64)
                .rem_euclid(7);
            let ahead = match m {
                WeekdayMod::This => ahead,
                WeekdayMod::AfterNext => {
                    if ahead == 0 {
                        14
                    } else {
                        ahead + 7
                    }
                }
                WeekdayMod::Plain | WeekdayMod::Next => {
                    if ahead == 0 {
                        if m == WeekdayMod::Plain {
                            assumptions.push(Assumption::NextWeek);
                        }
                        7
                    } else {
                        ahead
                    }
                }
            };
            today.checked_add(ahead.days()).ok()
        }
    } else if let Some(offset) = p.week {
        whole_week = offset > 0;
        Some(if offset == 0 {
            today
        } else {
            week_monday(offset)
        })
    } else {
        p.rel_days.and_then(|n| today.checked_add(n.days()).ok())
    };
    let time = match p.clock {
        Some((h, m, explicit)) => {
            let h = resolve_hour(h, explicit, p.meridiem, p.part, &mut assumptions);
            let bad = || WhenError::BadTime(format!("{h}:{m:02}"));
            if !(0..60).contains(&m) {
                return Err(bad());
            }
            let h = if h == 24 && m == 0 { 0 } else { h };
            TimeWish::At(Time::new(h as i8, m as i8, 0, 0).map_err(|_| bad())?)
        }
        None => p.part.map(TimeWish::Part).unwrap_or(TimeWish::Any),
    };
    let day_given = day.is_some();
    let day = match (day, time) {
        (Some(d), _) => d,
        (None, TimeWish::At(t)) if t <= now.time() => today.tomorrow().unwrap_or(today),
        (None, TimeWish::Part(part)) if part.hours().1 <= now.hour() => {
            today.tomorrow().unwrap_or(today)
        }
        (None, _) => today,
    };
    Ok(Wish {
        day,
        day_given,
        whole_week,
        time,
        assumptions,
    })
}

/// 24-hour value of a spoken hour: explicit forms stay, am/pm and day parts decide, and a
/// bare 1–7 is afternoon (a receptionist's reading of "um vier").
fn resolve_hour(
    h: i64,
    explicit: bool,
    meridiem: Option<Meridiem>,
    part: Option<DayPart>,
    assumptions: &mut Vec<Assumption>,
) -> i64 {
    if explicit || h > 12 {
        return h;
    }
    match (meridiem, part) {
        (Some(Meridiem::Pm), _) => h % 12 + 12,
        (Some(Meridiem::Am), _) => h % 12,
        (None, Some(DayPart::Early | DayPart::Morning)) => h,
        (None, Some(DayPart::Midday)) if h <= 4 => h + 12,
        (None, Some(DayPart::Midday)) => h,
        (None, Some(DayPart::Afternoon | DayPart::Evening)) if h < 12 => h + 12,
        (None, Some(_)) => h,
        (None, None) if (1..=7).contains(&h) => {
            assumptions.push(Assumption::Afternoon);
            h + 12
        }
        (None, None) => h,
    }
}

#[cfg(test)]
#[path = "when_table.rs"]
mod table;
