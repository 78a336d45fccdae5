//! Every sentence the dashboard's charts show, read from the `dashboard` catalogue in the UI's
//! language (the panels refetch when the language changes, so these are read anew).

use crate::i18n::*;
use crate::i18n_setup::{current_language, number};

/// Range picker label.
pub fn range() -> &'static str {
    t_string!(use_i18n(), dashboard.range)
}
/// A range of `n` days (the picker offers 7 and 30).
pub fn days(n: u32) -> &'static str {
    if n == 30 {
        t_string!(use_i18n(), dashboard.days_30)
    } else {
        t_string!(use_i18n(), dashboard.days_7)
    }
}
/// Live indicator.
pub fn live() -> &'static str {
    t_string!(use_i18n(), dashboard.live)
}
/// Loading.
pub fn loading() -> &'static str {
    t_string!(use_i18n(), common.loading)
}
/// Chart: calls.
pub fn calls_title() -> &'static str {
    t_string!(use_i18n(), dashboard.calls_title)
}
/// Legend: calls.
pub fn calls() -> &'static str {
    t_string!(use_i18n(), dashboard.calls)
}
/// Legend: calls that booked.
pub fn booked_calls() -> &'static str {
    t_string!(use_i18n(), dashboard.booked_calls)
}
/// Chart: bookings.
pub fn bookings_title() -> &'static str {
    t_string!(use_i18n(), dashboard.bookings_title)
}
/// Legend: bookings.
pub fn bookings() -> &'static str {
    t_string!(use_i18n(), dashboard.bookings)
}
/// Chart: booking rate.
pub fn rate_title() -> &'static str {
    t_string!(use_i18n(), dashboard.rate_title)
}
/// Legend: booking rate.
pub fn rate() -> &'static str {
    t_string!(use_i18n(), dashboard.rate)
}
/// Chart: latency.
pub fn latency_title() -> &'static str {
    t_string!(use_i18n(), dashboard.latency_title)
}
/// Chart: webhooks.
pub fn webhooks_title() -> &'static str {
    t_string!(use_i18n(), dashboard.webhooks_title)
}
/// Legend: errors.
pub fn errors() -> &'static str {
    t_string!(use_i18n(), dashboard.errors)
}
/// Chart: failed bookings.
pub fn recovery_title() -> &'static str {
    t_string!(use_i18n(), dashboard.recovery_title)
}
/// Legend: waiting.
pub fn waiting() -> &'static str {
    t_string!(use_i18n(), dashboard.waiting)
}
/// Legend: queued.
pub fn queued() -> &'static str {
    t_string!(use_i18n(), dashboard.queued)
}
/// Failed bookings waiting now.
pub fn waiting_now(n: i64) -> String {
    format!("{n} {}", t_string!(use_i18n(), dashboard.waiting_now))
}
/// Link to the queue.
pub fn open_queue() -> &'static str {
    t_string!(use_i18n(), dashboard.open_queue)
}
/// Breakers heading.
pub fn breakers_title() -> &'static str {
    t_string!(use_i18n(), dashboard.breakers_title)
}
/// No breaker ever changed.
pub fn breakers_quiet() -> &'static str {
    t_string!(use_i18n(), dashboard.breakers_quiet)
}
/// Column headings of the breaker tables.
pub fn breaker_columns() -> [&'static str; 4] {
    let i18n = use_i18n();
    [
        t_string!(i18n, dashboard.col_breaker),
        t_string!(i18n, dashboard.col_state),
        t_string!(i18n, dashboard.col_since),
        t_string!(i18n, dashboard.col_why),
    ]
}
/// Column headings of the changes table.
pub fn change_columns() -> [&'static str; 4] {
    let i18n = use_i18n();
    [
        t_string!(i18n, dashboard.col_when),
        t_string!(i18n, dashboard.col_breaker),
        t_string!(i18n, dashboard.col_change),
        t_string!(i18n, dashboard.col_why),
    ]
}
/// Heading of the changes list.
pub fn recent_changes() -> &'static str {
    t_string!(use_i18n(), dashboard.recent_changes)
}
/// No changes in the range.
pub fn no_changes() -> &'static str {
    t_string!(use_i18n(), dashboard.no_changes)
}
/// A state's name.
pub fn state(raw: &str) -> &'static str {
    let i18n = use_i18n();
    match raw {
        "open" => t_string!(i18n, dashboard.state_open),
        "half_open" => t_string!(i18n, dashboard.state_half_open),
        _ => t_string!(i18n, dashboard.state_closed),
    }
}
/// Summary of a chart for screen readers.
pub fn summary(what: &str, first: Option<&String>, last: Option<&String>, total: String) -> String {
    let i18n = use_i18n();
    match (first, last) {
        (Some(f), Some(l)) => format!(
            "{what} {} {f} {} {l}: {total}.",
            t_string!(i18n, dashboard.summary_from),
            t_string!(i18n, dashboard.summary_to)
        ),
        _ => format!("{what}: {}.", t_string!(i18n, dashboard.summary_no_days)),
    }
}
/// Totals in a summary.
pub fn total_calls(calls: i64, rate: Option<f64>) -> String {
    let i18n = use_i18n();
    let unit = t_string!(i18n, dashboard.unit_calls);
    match rate {
        Some(r) => format!(
            "{calls} {unit}, {} % {}",
            number(r * 100.0, 0, current_language()),
            t_string!(i18n, dashboard.unit_booked)
        ),
        None => format!("{calls} {unit}"),
    }
}
/// Latency totals.
pub fn total_latency(p50: Option<i64>, p95: Option<i64>) -> String {
    match (p50, p95) {
        (Some(a), Some(b)) => format!(
            "p50 {a} ms, p95 {b} ms {}",
            t_string!(use_i18n(), dashboard.over_range)
        ),
        _ => t_string!(use_i18n(), dashboard.no_function_calls).to_owned(),
    }
}
/// Plain count totals (`what` from [`unit_bookings`] or [`unit_events`]).
pub fn total(n: i64, what: &str) -> String {
    format!("{n} {what} {}", t_string!(use_i18n(), dashboard.in_total))
}
/// "bookings" in a total.
pub fn unit_bookings() -> &'static str {
    t_string!(use_i18n(), dashboard.unit_bookings)
}
/// "events" in a total.
pub fn unit_events() -> &'static str {
    t_string!(use_i18n(), dashboard.unit_events)
}
