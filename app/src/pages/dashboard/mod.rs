//! The dashboard: the tenant at a glance, charts over a chosen range of local days and the
//! breakers' history, updated live.

mod breakers;
mod panels;
mod text;

use crate::api::{get_dashboard, get_retell_status};
use crate::contract::DashboardOverview;
use crate::i18n::*;
use crate::i18n_setup::{current_language, local_time};
use leptos::either::Either;
use leptos::prelude::*;

/// Cards with the tenant's local time, phone numbers and Retell status; charts below.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_dashboard());
    // Created here, not inside the cards' `Suspend`: a resource made while a suspended view
    // renders gets another id on the server than in the browser, and hydration fails.
    let live = super::live::use_live();
    let status: StatusResource = Resource::new(move || live.health.get(), |_| get_retell_status());
    let days = RwSignal::new(7u32);
    let i18n = use_i18n();
    view! {
        <super::PageHeader title=move || t_string!(i18n, dashboard.title) subtitle=move || t_string!(i18n, dashboard.subtitle)/>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => Either::Left(view! { <Cards o status/> }),
                    Err(e) => Either::Right(view! { <super::ErrorNote message=crate::pages::error_text(&e, crate::i18n::use_i18n())/> }),
                }
            })}
        </Suspense>
        <div class="mt-8">
            <RangePicker days/>
            <panels::Charts days/>
        </div>
    }
}

/// Retell's status, refetched when health changes.
type StatusResource = Resource<Result<crate::contract::RetellStatus, crate::api::ApiError>>;

/// Retell's card: "Connected" only when Retell confirms the key, agent, webhook and tools.
#[component]
fn RetellCard(status: StatusResource) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a href="/admin/retell-webhook" class="block rounded-xl bg-white p-5 shadow-sm hover:ring-1 hover:ring-indigo-300" data-testid="retell-card">
            <p class="text-xs uppercase tracking-wide text-slate-500">"Retell"</p>
            <Suspense fallback=move || view! { <p class="mt-2 text-lg font-semibold text-slate-400">{t!(i18n, dashboard.checking)}</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) if s.connected => {
                            let last = match s.last_events.first().cloned() {
                                Some(e) => {
                                    let at = move || local_time(&e.at_local, current_language());
                                    Either::Left(t!(i18n, dashboard.last_event, event = e.event.clone(), at = at))
                                }
                                None => Either::Right(t!(i18n, dashboard.no_call_yet)),
                            };
                            Either::Left(view! {
                                <p class="mt-2 text-lg font-semibold text-emerald-700">{t!(i18n, dashboard.connected)}</p>
                                <p class="text-xs text-slate-500">{last}</p>
                            })
                        }
                        Ok(s) => Either::Right(Either::Left(view! {
                            <p class="mt-2 text-lg font-semibold text-amber-700">{t!(i18n, dashboard.not_connected)}</p>
                            <p class="text-xs text-slate-500">{s.missing.first().cloned().unwrap_or_default()}</p>
                        })),
                        Err(e) => Either::Right(Either::Right(view! {
                            <p class="mt-2 text-lg font-semibold text-slate-500">{t!(i18n, dashboard.unknown)}</p>
                            <p class="text-xs text-slate-500">{super::error_text(&e, i18n)}</p>
                        })),
                    }
                })}
            </Suspense>
        </a>
    }
}

#[component]
fn Cards(o: DashboardOverview, status: StatusResource) -> impl IntoView {
    let i18n = use_i18n();
    let zone = o.time_zone.clone();
    let now = o.local_now.clone();
    view! {
        <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <Card label=move || t_string!(i18n, dashboard.business).to_string() value=o.tenant_name/>
            <Card
                label=move || format!("{} ({})", t_string!(i18n, dashboard.local_time), zone)
                value=move || local_time(&now, current_language())
            />
            <Card label=move || t_string!(i18n, dashboard.phone_numbers).to_string() value=o.phone_numbers.to_string()/>
            <RetellCard status/>
        </div>
        <section class="mt-8 rounded-xl bg-white p-6 shadow-sm">
            <h2 class="font-medium">{t!(i18n, dashboard.webhook_url)}</h2>
            <code data-testid="webhook-url" class="mt-2 block break-all rounded bg-slate-100 px-3 py-2 text-sm">{o.webhook_url}</code>
        </section>
    }
}

#[component]
fn Card(#[prop(into)] label: Signal<String>, #[prop(into)] value: Signal<String>) -> impl IntoView {
    view! {
        <div class="rounded-xl bg-white p-5 shadow-sm">
            <p class="text-xs uppercase tracking-wide text-slate-500">{move || label.get()}</p>
            <p class="mt-2 text-lg font-semibold">{move || value.get()}</p>
        </div>
    }
}

/// The range buttons (7 or 30 days) and the live indicator.
#[component]
fn RangePicker(days: RwSignal<u32>) -> impl IntoView {
    let hydrated = super::use_hydrated();
    let button = move |n: u32| {
        view! {
            <button
                type="button"
                class="rounded-md px-3 py-1 text-sm ring-1 ring-slate-300 aria-pressed:bg-indigo-600 aria-pressed:text-white"
                aria-pressed=move || (days.get() == n).to_string()
                disabled=move || !hydrated.get()
                on:click=move |_| days.set(n)
            >
                {move || text::days(n)}
            </button>
        }
    };
    view! {
        <div class="mb-4 flex items-center gap-2" role="group" aria-label=text::range data-testid="range">
            <span class="text-sm text-slate-600">{text::range}</span>
            {button(7)}
            {button(30)}
            <span class="ml-auto flex items-center gap-1 text-xs text-slate-500" data-testid="live-indicator">
                <span class="inline-block h-2 w-2 rounded-full bg-emerald-500"></span>
                {text::live}
            </span>
        </div>
    }
}
