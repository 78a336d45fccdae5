//! Dates and times as the agent says them: "Dienstag, 3. Dezember um 14:30 Uhr" or
//! "Tuesday, December 3 at 2:30 pm".

use app::contract::Locale;
use jiff::civil::{Date, DateTime, Weekday};

const WEEKDAYS_DE: [&str; 7] = [
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
];
const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn weekday_index(d: Weekday) -> usize {
    d.to_monday_zero_offset() as usize
}

/// "Dienstag, 3. Dezember" / "Tuesday, December 3".
pub fn day(locale: Locale, d: Date) -> String {
    let w = weekday_index(d.weekday());
    let m = (d.month() - 1) as usize;
    match locale {
        Locale::De => format!("{}, {}. {}", WEEKDAYS_DE[w], d.day(), MONTHS_DE[m]),
        Locale::En => format!("{}, {} {}", WEEKDAYS_EN[w], MONTHS_EN[m], d.day()),
    }
}

/// "14:30 Uhr" / "2:30 pm".
pub fn time(locale: Locale, dt: DateTime) -> String {
    let (h, m) = (dt.hour(), dt.minute());
    match locale {
        Locale::De => format!("{h}:{m:02} Uhr"),
        Locale::En => {
            let suffix = if h < 12 { "am" } else { "pm" };
            let h12 = match h % 12 {
                0 => 12,
                x => x,
            };
            if m == 0 {
                format!("{h12} {suffix}")
            } else {
                format!("{h12}:{m:02} {suffix}")
            }
        }
    }
}

/// "Dienstag, 3. Dezember um 14:30 Uhr" / "Tuesday, December 3 at 2:30 pm".
pub fn moment(locale: Locale, dt: DateTime) -> String {
    let joiner = match locale {
        Locale::De => "um",
        Locale::En => "at",
    };
    format!("{} {joiner} {}", day(locale, dt.date()), time(locale, dt))
}

/// "A, B oder C" / "A, B or C".
pub fn list(locale: Locale, items: &[String]) -> String {
    let or = match locale {
        Locale::De => "oder",
        Locale::En => "or",
    };
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {or} {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn moments_are_spoken_per_locale() {
        let dt = date(2026, 12, 1).at(14, 30, 0, 0);
        assert_eq!(moment(Locale::De, dt), "Dienstag, 1. Dezember um 14:30 Uhr");
        assert_eq!(moment(Locale::En, dt), "Tuesday, December 1 at 2:30 pm");
        let morning = date(2026, 3, 29).at(9, 0, 0, 0);
        assert_eq!(moment(Locale::De, morning), "Sonntag, 29. März um 9:00 Uhr");
        assert_eq!(time(Locale::En, morning), "9 am");
        assert_eq!(
            time(Locale::En, date(2026, 1, 1).at(12, 5, 0, 0)),
            "12:05 pm"
        );
        let items = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        assert_eq!(list(Locale::De, &items), "a, b oder c");
        assert_eq!(list(Locale::En, &items[..1]), "a");
    }
}
