//! The dashboard: the tenant at a glance, charts over a chosen range of local days and the
//! breakers' history, updated live.

mod breakers;
mod panels;
mod text;

use crate::api::{get_dashboard, get_retell_status};
use crate::contract::DashboardOverview;
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
    view! {
        <super::PageHeader title="Dashboard" subtitle="Your phone agent at a glance."/>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => Either::Left(view! { <Cards o status/> }),
                    Err(e) => Either::Right(view! { <super::ErrorNote message=e.to_string()/> }),
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
    view! {
        <a href="/admin/retell-webhook" class="block rounded-xl bg-white p-5 shadow-sm hover:ring-1 hover:ring-indigo-300" data-testid="retell-card">
            <p class="text-xs uppercase tracking-wide text-slate-500">"Retell"</p>
            <Suspense fallback=|| view! { <p class="mt-2 text-lg font-semibold text-slate-400">"Checking…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) if s.connected => Either::Left(view! {
                            <p class="mt-2 text-lg font-semibold text-emerald-700">"Connected"</p>
                            <p class="text-xs text-slate-500">{s.last_events.first().map(|e| format!("last event {} at {}", e.event, e.at_local)).unwrap_or_else(|| "no call yet".into())}</p>
                        }),
                        Ok(s) => Either::Right(view! {
                            <p class="mt-2 text-lg font-semibold text-amber-700">"Not connected yet"</p>
                            <p class="text-xs text-slate-500">{s.missing.first().cloned().unwrap_or_default()}</p>
                        }),
                        Err(e) => Either::Right(view! {
                            <p class="mt-2 text-lg font-semibold text-slate-500">"Unknown"</p>
                            <p class="text-xs text-slate-500">{e.to_string()}</p>
                        }),
                    }
                })}
            </Suspense>
        </a>
    }
}

#[component]
fn Cards(o: DashboardOverview, status: StatusResource) -> impl IntoView {
    view! {
        <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <Card label="Business" value=o.tenant_name/>
            <Card label=format!("Local time ({})", o.time_zone) value=o.local_now/>
            <Card label="Phone numbers".to_string() value=o.phone_numbers.to_string()/>
            <RetellCard status/>
        </div>
        <section class="mt-8 rounded-xl bg-white p-6 shadow-sm">
            <h2 class="font-medium">"Webhook URL for Retell"</h2>
            <code data-testid="webhook-url" class="mt-2 block break-all rounded bg-slate-100 px-3 py-2 text-sm">{o.webhook_url}</code>
        </section>
    }
}

#[component]
fn Card(#[prop(into)] label: String, value: String) -> impl IntoView {
    view! {
        <div class="rounded-xl bg-white p-5 shadow-sm">
            <p class="text-xs uppercase tracking-wide text-slate-500">{label}</p>
            <p class="mt-2 text-lg font-semibold">{value}</p>
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
                {text::days(n)}
            </button>
        }
    };
    view! {
        <div class="mb-4 flex items-center gap-2" role="group" aria-label=text::RANGE data-testid="range">
            <span class="text-sm text-slate-600">{text::RANGE}</span>
            {button(7)}
            {button(30)}
            <span class="ml-auto flex items-center gap-1 text-xs text-slate-500" data-testid="live-indicator">
                <span class="inline-block h-2 w-2 rounded-full bg-emerald-500"></span>
                {text::LIVE}
            </span>
        </div>
    }
}
