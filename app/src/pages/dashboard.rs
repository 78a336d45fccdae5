//! The dashboard: the tenant at a glance.

use crate::api::get_dashboard;
use crate::contract::DashboardOverview;
use leptos::either::Either;
use leptos::prelude::*;

/// Cards with the tenant's local time, phone numbers and Retell status.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_dashboard());
    view! {
        <super::PageHeader title="Dashboard" subtitle="Your phone agent at a glance."/>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => Either::Left(view! { <Cards o/> }),
                    Err(e) => Either::Right(view! { <super::ErrorNote message=e.to_string()/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Cards(o: DashboardOverview) -> impl IntoView {
    let retell = if o.retell_api_key_set {
        "Connected"
    } else {
        "API key missing"
    };
    view! {
        <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <Card label="Business" value=o.tenant_name/>
            <Card label=format!("Local time ({})", o.time_zone) value=o.local_now/>
            <Card label="Phone numbers".to_string() value=o.phone_numbers.to_string()/>
            <Card label="Retell".to_string() value=retell.to_string()/>
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
