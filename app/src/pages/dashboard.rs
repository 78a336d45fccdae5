//! The dashboard: the tenant at a glance.

use crate::api::{get_dashboard, get_retell_status};
use crate::contract::DashboardOverview;
use crate::i18n::*;
use crate::i18n_setup::{current_language, local_time};
use leptos::either::Either;
use leptos::prelude::*;

/// Cards with the tenant's local time, phone numbers and Retell status.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_dashboard());
    let i18n = use_i18n();
    view! {
        <super::PageHeader title=move || t_string!(i18n, dashboard.title) subtitle=move || t_string!(i18n, dashboard.subtitle)/>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => Either::Left(view! { <Cards o/> }),
                    Err(e) => Either::Right(view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }),
                }
            })}
        </Suspense>
    }
}

/// Retell's card: "Connected" only when Retell confirms the key, agent, webhook and tools.
#[component]
fn RetellCard() -> impl IntoView {
    let status = Resource::new(|| (), |_| get_retell_status());
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
fn Cards(o: DashboardOverview) -> impl IntoView {
    let i18n = use_i18n();
    let zone = o.time_zone.clone();
    let now = o.local_now.clone();
    view! {
        <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <Card label=move || t_string!(i18n, dashboard.business) value=o.tenant_name/>
            <Card
                label=move || format!("{} ({})", t_string!(i18n, dashboard.local_time), zone)
                value=move || local_time(&now, current_language())
            />
            <Card label=move || t_string!(i18n, dashboard.phone_numbers) value=o.phone_numbers.to_string()/>
            <RetellCard/>
        </div>
        <section class="mt-8 rounded-xl bg-white p-6 shadow-sm">
            <h2 class="font-medium">{t!(i18n, dashboard.webhook_url)}</h2>
            <code data-testid="webhook-url" class="mt-2 block break-all rounded bg-slate-100 px-3 py-2 text-sm">{o.webhook_url}</code>
        </section>
    }
}

#[component]
fn Card(#[prop(into)] label: TextProp, #[prop(into)] value: TextProp) -> impl IntoView {
    view! {
        <div class="rounded-xl bg-white p-5 shadow-sm">
            <p class="text-xs uppercase tracking-wide text-slate-500">{move || label.get()}</p>
            <p class="mt-2 text-lg font-semibold">{move || value.get()}</p>
        </div>
    }
}
