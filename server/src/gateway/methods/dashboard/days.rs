//! Local days of a tenant's time zone as UTC bounds, so rows stored in UTC milliseconds fall
//! into the day the business lived them — a day is 23 or 25 hours long when the clocks change.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// Consecutive local days with the UTC instants they start at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Days {
    days: Vec<Date>,
    /// `days.len() + 1` instants: each day's start and the end of the last.
    bounds: Vec<i64>,
}

/// The UTC ms a local day starts at (its first existing instant when midnight is skipped).
fn start_ms(day: Date, tz: &TimeZone) -> Option<i64> {
    day.to_zoned(tz.clone())
        .ok()
        .map(|z| z.timestamp().as_millisecond())
}

impl Days {
    /// `n` days (at least one) ending with the local day of `now`.
    pub fn ending(now: Timestamp, tz: &TimeZone, n: u32) -> Option<Self> {
        let n = n.max(1);
        let today = now.to_zoned(tz.clone()).date();
        let first = today.checked_sub(i64::from(n - 1).days()).ok()?;
        let mut days = Vec::with_capacity(n as usize);
        let mut bounds = Vec::with_capacity(n as usize + 1);
        let mut day = first;
        for _ in 0..n {
            days.push(day);
            bounds.push(start_ms(day, tz)?);
            day = day.tomorrow().ok()?;
        }
        bounds.push(start_ms(day, tz)?);
        Some(Self { days, bounds })
    }

    /// Start of the first day, UTC ms.
    pub fn start_ms(&self) -> i64 {
        self.bounds[0]
    }

    /// End of the last day (exclusive), UTC ms.
    pub fn end_ms(&self) -> i64 {
        self.bounds[self.days.len()]
    }

    /// End of day `i` (exclusive), UTC ms.
    pub fn end_of(&self, i: usize) -> i64 {
        self.bounds[i + 1]
    }

    /// How many days (at least one).
    pub(super) fn len(&self) -> usize {
        self.days.len()
    }

    /// The days as `YYYY-MM-DD`.
    pub fn labels(&self) -> Vec<String> {
        self.days.iter().map(|d| d.to_string()).collect()
    }

    /// The day an instant falls on, if inside the range.
    pub fn index(&self, at_ms: i64) -> Option<usize> {
        if at_ms < self.start_ms() || at_ms >= self.end_ms() {
            return None;
        }
        Some(self.bounds.partition_point(|b| *b <= at_ms) - 1)
    }

    /// How many instants fall on each day.
    pub fn count(&self, instants: impl IntoIterator<Item = i64>) -> Vec<i64> {
        let mut out = vec![0; self.len()];
        for at in instants {
            if let Some(i) = self.index(at) {
                out[i] += 1;
            }
        }
        out
    }
}

/// The `q` quantile (0–1) of sorted values by the nearest-rank method.
pub fn percentile(sorted: &[i64], q: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin() -> TimeZone {
        TimeZone::get("Europe/Berlin").unwrap()
    }

    fn ms(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn days_follow_the_zone_across_a_clock_change() {
        // 2027-03-28: Berlin skips 02:00–03:00, so that day has 23 hours.
        let days = Days::ending("2027-03-29T10:00:00Z".parse().unwrap(), &berlin(), 3).unwrap();
        assert_eq!(days.labels(), ["2027-03-27", "2027-03-28", "2027-03-29"]);
        assert_eq!(days.start_ms(), ms("2027-03-26T23:00:00Z"));
        assert_eq!(days.end_of(1) - days.end_of(0), 23 * 3_600_000);
        assert_eq!(days.end_ms(), ms("2027-03-29T22:00:00Z"));
        assert_eq!(days.index(ms("2027-03-27T23:30:00Z")), Some(1), "00:30 CET");
        assert_eq!(
            days.index(ms("2027-03-28T21:59:59Z")),
            Some(1),
            "23:59 CEST"
        );
        assert_eq!(
            days.index(ms("2027-03-28T22:00:00Z")),
            Some(2),
            "midnight CEST"
        );
        assert_eq!(days.index(ms("2027-03-26T22:59:59Z")), None);
        assert_eq!(
            days.count([ms("2027-03-27T23:30:00Z"), ms("2027-03-28T22:10:00Z"), 0]),
            [0, 1, 1]
        );
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<i64> = (1..=20).collect();
        assert_eq!(percentile(&v, 0.5), Some(10));
        assert_eq!(percentile(&v, 0.95), Some(19));
        assert_eq!(percentile(&[7], 0.95), Some(7));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
