//! Scheduling page: booking rules, services, staff with hours and calendar links, closures.

use crate::api::get_scheduling_overview;
use crate::contract::SchedulingOverview;
use leptos::either::Either;
use leptos::prelude::*;

/// The tenant's scheduling set-up.
#[component]
pub fn SchedulingPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_scheduling_overview());
    view! {
        <super::PageHeader title="Scheduling" subtitle="Staff, services, opening hours and booking rules the phone agent books against."/>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => Either::Left(view! { <Overview o/> }),
                    Err(e) => Either::Right(view! { <super::ErrorNote message=e.to_string()/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(o: SchedulingOverview) -> impl IntoView {
    let card = "mb-6 rounded-xl bg-white p-5 shadow-sm";
    let cell = "px-3 py-2 text-left align-top";
    let rules = format!(
        "Slots every {} min · book ≥ {} min ahead · change ≥ {} h · cancel ≥ {} h before · up to {} days ahead · times in {}",
        o.step_min,
        o.notice_book_min,
        o.notice_change_min / 60,
        o.notice_cancel_min / 60,
        o.horizon_days,
        o.time_zone
    );
    let closures = if o.closures.is_empty() {
        Either::Left(view! { <p class="text-sm text-slate-500">"No closures planned."</p> })
    } else {
        Either::Right(
            view! { <ul class="list-disc pl-5 text-sm">{o.closures.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul> },
        )
    };
    view! {
        <section class=card>
            <h2 class="mb-2 font-semibold">"Booking rules"</h2>
            <p class="text-sm text-slate-600" data-testid="booking-rules">{rules}</p>
        </section>
        <section class=card>
            <h2 class="mb-2 font-semibold">"Services"</h2>
            <table class="min-w-full text-sm" data-testid="services-table">
                <thead class="text-xs uppercase text-slate-500">
                    <tr><th class=cell>"Service"</th><th class=cell>"Duration"</th><th class=cell>"Buffer before / after"</th><th class=cell>"By phone"</th></tr>
                </thead>
                <tbody>
                    {o.services.into_iter().map(|s| view! {
                        <tr class="border-t border-slate-100">
                            <td class=cell>{s.name}</td>
                            <td class=cell>{format!("{} min", s.duration_min)}</td>
                            <td class=cell>{format!("{} / {} min", s.buffer_before_min, s.buffer_after_min)}</td>
                            <td class=cell>{if s.phone_bookable { "yes" } else { "in person only" }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class=card>
            <h2 class="mb-2 font-semibold">"Staff"</h2>
            <table class="min-w-full text-sm" data-testid="staff-table">
                <thead class="text-xs uppercase text-slate-500">
                    <tr><th class=cell>"Name"</th><th class=cell>"Services"</th><th class=cell>"Weekly hours"</th><th class=cell>"Calendar"</th></tr>
                </thead>
                <tbody>
                    {o.staff.into_iter().map(|s| view! {
                        <tr class="border-t border-slate-100">
                            <td class=cell>{s.name}</td>
                            <td class=cell>{s.services.join(", ")}</td>
                            <td class=cell>{s.hours.into_iter().map(|h| view! { <div>{h}</div> }).collect_view()}</td>
                            <td class=cell><a class="text-indigo-600 underline" href=s.calendar_url>".ics feed"</a></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class=card>
            <h2 class="mb-2 font-semibold">"Closures"</h2>
            {closures}
        </section>
    }
}
