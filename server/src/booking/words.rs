//! Vocabulary of the date-time parser: normalising text into tokens and reading numbers,
//! ordinals, months, weekdays and parts of the day in German and English.

use jiff::civil::Weekday;

/// A part of the day a caller can name instead of a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayPart {
    /// "früh", "morgens", "early": 07:00–10:00.
    Early,
    /// "vormittags", "morning": 08:00–12:00.
    Morning,
    /// "mittags", "lunchtime": 11:00–14:00.
    Midday,
    /// "nachmittags", "afternoon": 13:00–18:00.
    Afternoon,
    /// "abends", "evening": 17:00–21:00.
    Evening,
}

impl DayPart {
    /// Local (start, end) hours of the part.
    pub fn hours(self) -> (i8, i8) {
        match self {
            DayPart::Early => (7, 10),
            DayPart::Morning => (8, 12),
            DayPart::Midday => (11, 14),
            DayPart::Afternoon => (13, 18),
            DayPart::Evening => (17, 21),
        }
    }

    /// English name (used in tests and logs).
    pub fn name(self) -> &'static str {
        match self {
            DayPart::Early => "early",
            DayPart::Morning => "morning",
            DayPart::Midday => "midday",
            DayPart::Afternoon => "afternoon",
            DayPart::Evening => "evening",
        }
    }
}

/// Lower-cases, folds umlauts (ä → ae …), drops punctuation that never matters, and splits.
pub fn tokens(text: &str) -> Vec<String> {
    let mut folded = String::with_capacity(text.len() + 8);
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => folded.push_str("ae"),
            'ö' => folded.push_str("oe"),
            'ü' => folded.push_str("ue"),
            'ß' => folded.push_str("ss"),
            ',' | ';' | '!' | '?' | '"' | '(' | ')' | '/' => folded.push(' '),
            c => folded.push(c),
        }
    }
    folded
        .split_whitespace()
        .map(|t| {
            let starts_digit = t.chars().next().is_some_and(|c| c.is_ascii_digit());
            if starts_digit {
                t.to_owned()
            } else {
                t.trim_end_matches('.').to_owned()
            }
        })
        .filter(|t| !t.is_empty())
        .collect()
}

const UNITS_DE: [&str; 10] = [
    "", "ein", "zwei", "drei", "vier", "fuenf", "sechs", "sieben", "acht", "neun",
];
const TEENS_DE: [&str; 10] = [
    "zehn",
    "elf",
    "zwoelf",
    "dreizehn",
    "vierzehn",
    "fuenfzehn",
    "sechzehn",
    "siebzehn",
    "achtzehn",
    "neunzehn",
];
const TENS_DE: [&str; 4] = ["", "", "zwanzig", "dreissig"];
const UNITS_EN: [&str; 10] = [
    "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];
const TEENS_EN: [&str; 10] = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS_EN: [&str; 6] = ["", "", "twenty", "thirty", "forty", "fifty"];

/// How many, for "in einer Woche" / "in a week": a number or an indefinite article.
pub fn count(t: &str) -> Option<i64> {
    match t {
        "einer" | "einem" | "einen" | "a" | "an" => Some(1),
        _ => number(t),
    }
}

/// A cardinal number 0–59 in digits or words ("vier", "zwo", "twenty-five").
pub fn number(t: &str) -> Option<i64> {
    if t.is_empty() {
        return None;
    }
    if t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse().ok();
    }
    match t {
        "null" | "zero" => return Some(0),
        "eins" | "eine" => return Some(1),
        "zwo" => return Some(2),
        "sech" => return Some(6),
        "sieb" => return Some(7),
        _ => {}
    }
    (0..60).find(|&n| word_de(n) == t || word_en(n) == t)
}

fn word_de(n: i64) -> String {
    let n = n as usize;
    match n {
        0 => "null".into(),
        1..=9 => UNITS_DE[n].into(),
        10..=19 => TEENS_DE[n - 10].into(),
        _ if n.is_multiple_of(10) => TENS_DE.get(n / 10).copied().unwrap_or("").into(),
        _ => match TENS_DE.get(n / 10) {
            Some(tens) if !tens.is_empty() => format!("{}und{}", UNITS_DE[n % 10], tens),
            _ => String::new(),
        },
    }
}

fn word_en(n: i64) -> String {
    let n = n as usize;
    match n {
        0 => "zero".into(),
        1..=9 => UNITS_EN[n].into(),
        10..=19 => TEENS_EN[n - 10].into(),
        _ if n.is_multiple_of(10) => TENS_EN[n / 10].into(),
        _ => format!("{}-{}", TENS_EN[n / 10], UNITS_EN[n % 10]),
    }
}

/// A day ordinal 1–31: "3.", "3rd", "dritten", "third", "einunddreissigsten".
pub fn ordinal(t: &str) -> Option<i64> {
    if let Some(d) = t.strip_suffix('.') {
        return number(d).filter(|n| (1..=31).contains(n) && d.bytes().all(|b| b.is_ascii_digit()));
    }
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(d) = t.strip_suffix(suffix) {
            if !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) {
                return d.parse().ok().filter(|n| (1..=31).contains(n));
            }
        }
    }
    let irregular = [
        ("erste", 1),
        ("dritte", 3),
        ("siebte", 7),
        ("achte", 8),
        ("first", 1),
        ("second", 2),
        ("third", 3),
        ("fifth", 5),
        ("eighth", 8),
        ("ninth", 9),
        ("twelfth", 12),
        ("twentieth", 20),
        ("thirtieth", 30),
    ];
    let stem = ["n", "r", "m", "s"]
        .iter()
        .find_map(|s| t.strip_suffix(s).filter(|x| x.ends_with('e')))
        .unwrap_or(t);
    if let Some((_, n)) = irregular.iter().find(|(w, _)| *w == stem || *w == t) {
        return Some(*n);
    }
    // English compounds: "twenty-first", "thirty-first".
    if let Some((tens, unit)) = t.split_once('-') {
        let tens = number(tens)?;
        let unit = ordinal(unit)?;
        return Some(tens + unit).filter(|n| (21..=31).contains(n));
    }
    // German: stem + "te" (2–19) or + "ste" (20+); English: + "th".
    (1..=31).find(|&n| {
        let de = word_de(n);
        let en = word_en(n);
        stem == format!("{de}te") || stem == format!("{de}ste") || t == format!("{en}th")
    })
}

/// A month 1–12 by German or English name or abbreviation.
pub fn month(t: &str) -> Option<i8> {
    let names: [&[&str]; 12] = [
        &["januar", "jaenner", "january", "jan"],
        &["februar", "february", "feb"],
        &["maerz", "march", "mar", "maer"],
        &["april", "apr"],
        &["mai", "may"],
        &["juni", "june", "jun"],
        &["juli", "july", "jul"],
        &["august", "aug"],
        &["september", "sep", "sept"],
        &["oktober", "october", "okt", "oct"],
        &["november", "nov"],
        &["dezember", "december", "dez", "dec"],
    ];
    names
        .iter()
        .position(|n| n.contains(&t))
        .map(|i| i as i8 + 1)
}

/// A weekday by German or English name ("montag", "tuesday", "di", "wed").
pub fn weekday(t: &str) -> Option<Weekday> {
    let days = [
        (Weekday::Monday, ["montag", "monday", "mon"]),
        (Weekday::Tuesday, ["dienstag", "tuesday", "tue"]),
        (Weekday::Wednesday, ["mittwoch", "wednesday", "wed"]),
        (Weekday::Thursday, ["donnerstag", "thursday", "thu"]),
        (Weekday::Friday, ["freitag", "friday", "fri"]),
        (Weekday::Saturday, ["samstag", "saturday", "sat"]),
        (Weekday::Sunday, ["sonntag", "sunday", "sun"]),
    ];
    let t = t
        .strip_suffix('s')
        .filter(|s| s.ends_with("tag"))
        .unwrap_or(t);
    days.iter()
        .find(|(_, names)| names.contains(&t) || t == format!("{}s", names[0]))
        .map(|(d, _)| *d)
}

/// A part of the day ("nachmittags", "evening"); "morgen" is a date, not a part.
pub fn day_part(t: &str) -> Option<DayPart> {
    Some(match t {
        "frueh" | "morgens" | "early" | "frueh morgens" => DayPart::Early,
        "vormittag" | "vormittags" | "morning" | "mornings" => DayPart::Morning,
        "mittag" | "mittags" | "mittagszeit" | "lunchtime" | "lunch" => DayPart::Midday,
        "nachmittag" | "nachmittags" | "afternoon" | "afternoons" => DayPart::Afternoon,
        "abend" | "abends" | "evening" | "evenings" | "tonight" => DayPart::Evening,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_ordinals_months_and_days_are_read() {
        assert_eq!(number("vier"), Some(4));
        assert_eq!(number("zwoelf"), Some(12));
        assert_eq!(number("fuenfundzwanzig"), Some(25));
        assert_eq!(number("twenty-five"), Some(25));
        assert_eq!(number("einen"), None);
        assert_eq!(count("einer"), Some(1));
        assert_eq!(number(""), None);
        assert_eq!(ordinal("3."), Some(3));
        assert_eq!(ordinal("dritten"), Some(3));
        assert_eq!(ordinal("zwanzigsten"), Some(20));
        assert_eq!(ordinal("einunddreissigsten"), Some(31));
        assert_eq!(ordinal("twenty-first"), Some(21));
        assert_eq!(ordinal("22nd"), Some(22));
        assert_eq!(ordinal("fourth"), Some(4));
        assert_eq!(ordinal("32."), None);
        assert_eq!(month("dez"), Some(12));
        assert_eq!(weekday("dienstags"), Some(Weekday::Tuesday));
        assert_eq!(
            tokens("Am 3. Dezember, um 14 Uhr."),
            ["am", "3.", "dezember", "um", "14", "uhr"]
        );
        assert_eq!(tokens("Übermorgen"), ["uebermorgen"]);
    }
}
