//! Every sentence the dashboard's charts show, in English, kept together for translation.

/// Range picker label.
pub const RANGE: &str = "Range";
/// A range of `n` days.
pub fn days(n: u32) -> String {
    format!("{n} days")
}
/// Live indicator.
pub const LIVE: &str = "Updates live";
/// Loading.
pub const LOADING: &str = "Loading…";
/// Chart: calls.
pub const CALLS_TITLE: &str = "Calls per day";
/// Legend: calls.
pub const CALLS: &str = "Calls";
/// Legend: calls that booked.
pub const BOOKED_CALLS: &str = "Calls that booked";
/// Chart: bookings.
pub const BOOKINGS_TITLE: &str = "Bookings made by phone";
/// Legend: bookings.
pub const BOOKINGS: &str = "Bookings";
/// Chart: booking rate.
pub const RATE_TITLE: &str = "Booking rate (booked calls / calls)";
/// Legend: booking rate.
pub const RATE: &str = "Booking rate";
/// Chart: latency.
pub const LATENCY_TITLE: &str = "Custom-function answer time";
/// Chart: webhooks.
pub const WEBHOOKS_TITLE: &str = "Webhook events by type";
/// Legend: errors.
pub const ERRORS: &str = "Errors";
/// Chart: failed bookings.
pub const RECOVERY_TITLE: &str = "Failed bookings waiting";
/// Legend: waiting.
pub const WAITING: &str = "Waiting at day's end";
/// Legend: queued.
pub const QUEUED: &str = "Newly queued";
/// Failed bookings waiting now.
pub fn waiting_now(n: i64) -> String {
    format!("{n} waiting now")
}
/// Link to the queue.
pub const OPEN_QUEUE: &str = "Open the queue";
/// Breakers heading.
pub const BREAKERS_TITLE: &str = "Circuit breakers";
/// No breaker ever changed.
pub const BREAKERS_QUIET: &str = "No breaker has opened yet: every downstream answered.";
/// Column headings of the breaker tables.
pub const BREAKER_COLUMNS: [&str; 4] = ["Breaker", "State", "Since", "Why"];
/// Column headings of the changes table.
pub const CHANGE_COLUMNS: [&str; 4] = ["When", "Breaker", "Change", "Why"];
/// Heading of the changes list.
pub const RECENT_CHANGES: &str = "Recent changes";
/// No changes in the range.
pub const NO_CHANGES: &str = "No changes in this range.";
/// A state's name.
pub fn state(raw: &str) -> &'static str {
    match raw {
        "open" => "Open",
        "half_open" => "Testing (half-open)",
        _ => "Closed",
    }
}
/// Summary of a chart for screen readers.
pub fn summary(what: &str, first: Option<&String>, last: Option<&String>, total: String) -> String {
    match (first, last) {
        (Some(f), Some(l)) => format!("{what} from {f} to {l}: {total}."),
        _ => format!("{what}: no days."),
    }
}
/// Totals in a summary.
pub fn total_calls(calls: i64, rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{calls} calls, {:.0}% booked", r * 100.0),
        None => format!("{calls} calls"),
    }
}
/// Latency totals.
pub fn total_latency(p50: Option<i64>, p95: Option<i64>) -> String {
    match (p50, p95) {
        (Some(a), Some(b)) => format!("p50 {a} ms, p95 {b} ms over the range"),
        _ => "no custom-function calls".to_owned(),
    }
}
/// Plain count totals.
pub fn total(n: i64, what: &str) -> String {
    format!("{n} {what} in total")
}
