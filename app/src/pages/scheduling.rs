//! Scheduling page: booking rules, services, staff with hours and calendar links, closures.

use crate::api::get_scheduling_overview;
use crate::contract::SchedulingOverview;
use crate::i18n::*;
use leptos::either::Either;
use leptos::prelude::*;

/// The tenant's scheduling set-up.
#[component]
pub fn SchedulingPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_scheduling_overview());
    let i18n = use_i18n();
    view! {
        <super::PageHeader title=move || t_string!(i18n, scheduling.title) subtitle=move || t_string!(i18n, scheduling.subtitle)/>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => Either::Left(view! { <Overview o/> }),
                    Err(e) => Either::Right(view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(o: SchedulingOverview) -> impl IntoView {
    let card = "mb-6 rounded-xl bg-white p-5 shadow-sm";
    let cell = "px-3 py-2 text-left align-top";
    let i18n = use_i18n();
    let rules = t!(
        i18n,
        scheduling.rules_summary,
        step = o.step_min,
        book = o.notice_book_min,
        change = o.notice_change_min / 60,
        cancel = o.notice_cancel_min / 60,
        horizon = o.horizon_days,
        zone = o.time_zone.clone()
    );
    let closures = if o.closures.is_empty() {
        Either::Left(
            view! { <p class="text-sm text-slate-500">{t!(i18n, scheduling.no_closures)}</p> },
        )
    } else {
        Either::Right(
            view! { <ul class="list-disc pl-5 text-sm">{o.closures.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul> },
        )
    };
    view! {
        <section class=card>
            <h2 class="mb-2 font-semibold">{t!(i18n, scheduling.booking_rules)}</h2>
            <p class="text-sm text-slate-600" data-testid="booking-rules">{rules}</p>
        </section>
        <section class=card>
            <h2 class="mb-2 font-semibold">{t!(i18n, scheduling.services)}</h2>
            <table class="min-w-full text-sm" data-testid="services-table">
                <thead class="text-xs uppercase text-slate-500">
                    <tr><th class=cell>{t!(i18n, scheduling.service)}</th><th class=cell>{t!(i18n, scheduling.duration)}</th><th class=cell>{t!(i18n, scheduling.buffers)}</th><th class=cell>{t!(i18n, scheduling.by_phone)}</th></tr>
                </thead>
                <tbody>
                    {o.services.into_iter().map(|s| { let phone = s.phone_bookable; view! {
                        <tr class="border-t border-slate-100">
                            <td class=cell>{s.name}</td>
                            <td class=cell>{t!(i18n, scheduling.minutes, minutes = s.duration_min)}</td>
                            <td class=cell>{t!(i18n, scheduling.buffer_minutes, before = s.buffer_before_min, after = s.buffer_after_min)}</td>
                            <td class=cell>{move || if phone { t_string!(i18n, scheduling.yes) } else { t_string!(i18n, scheduling.in_person_only) }}</td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
        </section>
        <section class=card>
            <h2 class="mb-2 font-semibold">{t!(i18n, scheduling.staff)}</h2>
            <table class="min-w-full text-sm" data-testid="staff-table">
                <thead class="text-xs uppercase text-slate-500">
                    <tr><th class=cell>{t!(i18n, scheduling.name)}</th><th class=cell>{t!(i18n, scheduling.services)}</th><th class=cell>{t!(i18n, scheduling.weekly_hours)}</th><th class=cell>{t!(i18n, scheduling.calendar)}</th></tr>
                </thead>
                <tbody>
                    {o.staff.into_iter().map(|s| view! {
                        <tr class="border-t border-slate-100">
                            <td class=cell>{s.name}</td>
                            <td class=cell>{s.services.join(", ")}</td>
                            <td class=cell>{s.hours.into_iter().map(|h| view! { <div>{h}</div> }).collect_view()}</td>
                            <td class=cell><a class="text-indigo-600 underline" href=s.calendar_url>{t!(i18n, scheduling.ics_feed)}</a></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class=card>
            <h2 class="mb-2 font-semibold">{t!(i18n, scheduling.closures)}</h2>
            {closures}
        </section>
    }
}
