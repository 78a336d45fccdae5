//! Calendar arithmetic on `YYYY-MM-DD` strings in the browser (no time-zone work: the server
//! sends every time already in the business's zone).

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of days since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days since 1970-01-01 of `YYYY-MM-DD`.
fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| days_from_civil(y, m, d))
}

/// `date` plus `n` days (`date` itself when it is no date).
pub fn add_days(date: &str, n: i64) -> String {
    match day_number(date) {
        Some(z) => {
            let (y, m, d) = civil_from_days(z + n);
            format!("{y:04}-{m:02}-{d:02}")
        }
        None => date.to_owned(),
    }
}

/// The Monday of `date`'s week.
pub fn monday_of(date: &str) -> String {
    match day_number(date) {
        // 1970-01-01 was a Thursday (index 3 from Monday).
        Some(z) => add_days(date, -(z + 3).rem_euclid(7)),
        None => date.to_owned(),
    }
}

/// Index of `date`'s weekday, Monday 0 … Sunday 6 (the page names it in the UI's language).
pub fn weekday_index(date: &str) -> Option<usize> {
    day_number(date).map(|z| (z + 3).rem_euclid(7) as usize)
}

/// Minutes after midnight of a local `YYYY-MM-DD HH:MM`.
pub fn minute_of(local: &str) -> i64 {
    let hm = local.get(11..16).unwrap_or("00:00");
    let h: i64 = hm.get(..2).and_then(|h| h.parse().ok()).unwrap_or(0);
    let m: i64 = hm.get(3..).and_then(|m| m.parse().ok()).unwrap_or(0);
    h * 60 + m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_move_across_months_and_weeks() {
        assert_eq!(add_days("2026-12-31", 1), "2027-01-01");
        assert_eq!(add_days("2024-03-01", -1), "2024-02-29");
        assert_eq!(monday_of("2026-11-26"), "2026-11-23");
        assert_eq!(weekday_index("2026-11-26"), Some(3));
        assert_eq!(minute_of("2026-11-26 14:30"), 870);
        assert_eq!(add_days("soon", 1), "soon");
    }
}
