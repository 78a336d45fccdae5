//! The dashboard's charts, each loading its own `dashboard.*` series for the chosen range and
//! refetching when the live counters it depends on move.

use super::text;
use crate::api::{
    get_dashboard_breakers, get_dashboard_calls, get_dashboard_latency, get_dashboard_recovery,
    get_dashboard_webhooks,
};
use crate::contract::{BreakerHistory, CallSeries, LatencySeries, RecoverySeries, WebhookSeries};
use crate::pages::charts::{Chart, Kind, Series};
use crate::pages::live::use_live;
use leptos::either::Either;
use leptos::prelude::*;

const INDIGO: &str = "#4f46e5";
const EMERALD: &str = "#059669";
const AMBER: &str = "#d97706";
const ROSE: &str = "#e11d48";
const PALETTE: [&str; 5] = ["#4f46e5", "#0891b2", "#7c3aed", "#65a30d", "#db2777"];

/// A panel's loading state and error.
fn loading() -> impl IntoView {
    view! { <p class="rounded-xl bg-white p-5 text-slate-500 shadow-sm">{text::loading()}</p> }
}

/// Every chart for the last `days` days.
#[component]
pub fn Charts(days: RwSignal<u32>) -> impl IntoView {
    let live = use_live();
    // The language is a source too: a switch refetches and redraws every chart in it.
    let i18n = crate::i18n::use_i18n();
    let calls = Resource::new(
        move || {
            (
                days.get(),
                i18n.get_locale(),
                live.calls.get(),
                live.appointments.get(),
            )
        },
        |(d, _, _, _)| get_dashboard_calls(d),
    );
    let latency = Resource::new(
        move || (days.get(), i18n.get_locale(), live.calls.get()),
        |(d, _, _)| get_dashboard_latency(d),
    );
    let webhooks = Resource::new(
        move || {
            (
                days.get(),
                i18n.get_locale(),
                live.calls.get(),
                live.health.get(),
            )
        },
        |(d, _, _, _)| get_dashboard_webhooks(d),
    );
    let recovery = Resource::new(
        move || (days.get(), i18n.get_locale(), live.appointments.get()),
        |(d, _, _)| get_dashboard_recovery(d),
    );
    let breakers = Resource::new(
        move || (days.get(), i18n.get_locale(), live.health.get()),
        |(d, _, _)| get_dashboard_breakers(d),
    );
    view! {
        <div class="grid gap-4 lg:grid-cols-2">
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match calls.await {
                        Ok(s) => Either::Left(calls_charts(s)),
                        Err(e) => Either::Right(view! { <crate::pages::ErrorNote message=crate::pages::error_text(&e, crate::i18n::use_i18n())/> }),
                    }
                })}
            </Transition>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match latency.await {
                        Ok(s) => Either::Left(latency_chart(s)),
                        Err(e) => Either::Right(view! { <crate::pages::ErrorNote message=crate::pages::error_text(&e, crate::i18n::use_i18n())/> }),
                    }
                })}
            </Transition>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match webhooks.await {
                        Ok(s) => Either::Left(webhooks_chart(s)),
                        Err(e) => Either::Right(view! { <crate::pages::ErrorNote message=crate::pages::error_text(&e, crate::i18n::use_i18n())/> }),
                    }
                })}
            </Transition>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match recovery.await {
                        Ok(s) => Either::Left(recovery_chart(s)),
                        Err(e) => Either::Right(view! { <crate::pages::ErrorNote message=crate::pages::error_text(&e, crate::i18n::use_i18n())/> }),
                    }
                })}
            </Transition>
        </div>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match breakers.await {
                    Ok(h) => Either::Left(view! { <super::breakers::Breakers h/> }),
                    Err(e) => Either::Right(view! { <crate::pages::ErrorNote message=crate::pages::error_text(&e, crate::i18n::use_i18n())/> }),
                }
            })}
        </Transition>
    }
}

fn labels<T>(days: &[T], day: impl Fn(&T) -> &String) -> Vec<String> {
    days.iter().map(|d| day(d).clone()).collect()
}

fn calls_charts(s: CallSeries) -> impl IntoView {
    let labels = labels(&s.days, |d| &d.day);
    let summary = text::summary(
        text::calls_title(),
        labels.first(),
        labels.last(),
        text::total_calls(s.total_calls, s.booking_rate),
    );
    let calls = vec![
        Series::counts(text::calls(), INDIGO, s.days.iter().map(|d| d.calls)),
        Series::counts(
            text::booked_calls(),
            EMERALD,
            s.days.iter().map(|d| d.booked_calls),
        ),
    ];
    let bookings = vec![Series::counts(
        text::bookings(),
        EMERALD,
        s.days.iter().map(|d| d.phone_bookings),
    )];
    let total_bookings: i64 = s.days.iter().map(|d| d.phone_bookings).sum();
    let rate = vec![Series {
        name: text::rate().to_owned(),
        color: AMBER,
        values: s
            .days
            .iter()
            .map(|d| d.booking_rate.map(|r| r * 100.0))
            .collect(),
    }];
    let rate_summary = text::summary(
        text::rate_title(),
        labels.first(),
        labels.last(),
        text::total_calls(s.total_calls, s.booking_rate),
    );
    let bookings_summary = text::summary(
        text::bookings_title(),
        labels.first(),
        labels.last(),
        text::total(total_bookings, text::unit_bookings()),
    );
    view! {
        <Chart title=text::calls_title() summary labels=labels.clone() series=calls kind=Kind::Bars testid="chart-calls"/>
        <Chart title=text::bookings_title() summary=bookings_summary labels=labels.clone() series=bookings kind=Kind::Bars testid="chart-bookings"/>
        <Chart title=text::rate_title() summary=rate_summary labels series=rate kind=Kind::Lines unit="%" top=100.0 testid="chart-rate"/>
    }
}

fn latency_chart(s: LatencySeries) -> impl IntoView {
    let labels = labels(&s.days, |d| &d.day);
    let summary = text::summary(
        text::latency_title(),
        labels.first(),
        labels.last(),
        text::total_latency(s.p50_ms, s.p95_ms),
    );
    let series = vec![
        Series {
            name: "p50".into(),
            color: INDIGO,
            values: s.days.iter().map(|d| d.p50_ms.map(|v| v as f64)).collect(),
        },
        Series {
            name: "p95".into(),
            color: ROSE,
            values: s.days.iter().map(|d| d.p95_ms.map(|v| v as f64)).collect(),
        },
    ];
    view! { <Chart title=text::latency_title() summary labels series kind=Kind::Lines unit=" ms" testid="chart-latency"/> }
}

fn webhooks_chart(s: WebhookSeries) -> impl IntoView {
    let labels = labels(&s.days, |d| &d.day);
    let mut series: Vec<Series> = s
        .event_types
        .iter()
        .enumerate()
        .map(|(t, event)| {
            Series::counts(
                event,
                PALETTE[t % PALETTE.len()],
                s.days
                    .iter()
                    .map(|d| d.by_type.get(t).map_or(0, |c| c.count)),
            )
        })
        .collect();
    let total: i64 = s
        .days
        .iter()
        .flat_map(|d| d.by_type.iter().map(|c| c.count))
        .sum();
    series.push(Series::counts(
        text::errors(),
        ROSE,
        s.days.iter().map(|d| d.errors),
    ));
    let summary = text::summary(
        text::webhooks_title(),
        labels.first(),
        labels.last(),
        text::total(total, text::unit_events()),
    );
    view! { <Chart title=text::webhooks_title() summary labels series kind=Kind::Stacked testid="chart-webhooks"/> }
}

fn recovery_chart(s: RecoverySeries) -> impl IntoView {
    let labels = labels(&s.days, |d| &d.day);
    let summary = text::summary(
        text::recovery_title(),
        labels.first(),
        labels.last(),
        text::waiting_now(s.waiting_now),
    );
    let series = vec![
        Series::counts(text::waiting(), AMBER, s.days.iter().map(|d| d.waiting)),
        Series::counts(text::queued(), ROSE, s.days.iter().map(|d| d.queued)),
    ];
    view! {
        <div>
            <Chart title=text::recovery_title() summary labels series kind=Kind::Bars testid="chart-recovery"/>
            <p class="mt-2 text-sm text-slate-600" data-testid="recovery-waiting">
                {text::waiting_now(s.waiting_now)} " · "
                <a class="text-indigo-600 hover:underline" href="/admin/appointments">{text::open_queue()}</a>
            </p>
        </div>
    }
}

/// For the breakers' panel.
pub type History = BreakerHistory;
