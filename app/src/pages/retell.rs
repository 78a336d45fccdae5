//! The seed's `/admin/retell-webhook` page: where Retell must send events and calls, and the
//! live webhook activity (counts by outcome, latency, recent errors).

use crate::api::{get_dashboard, get_webhook_activity};
use crate::contract::{DashboardOverview, WebhookActivity};
use leptos::either::Either;
use leptos::prelude::*;

/// URLs to enter at Retell, plus the activity monitor.
#[component]
pub fn RetellWebhookPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_dashboard());
    let activity = Resource::new(|| (), |_| get_webhook_activity());
    let hydrated = super::use_hydrated();
    view! {
        <super::PageHeader title="Retell webhook" subtitle="Connect your Retell agent to Slotline and watch what arrives."/>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => Either::Left(view! { <Connection o/> }),
                    Err(e) => Either::Right(view! { <super::ErrorNote message=e.to_string()/> }),
                }
            })}
        </Suspense>
        <section class="mt-8">
            <div class="mb-3 flex items-center gap-3">
                <h2 class="font-medium">"Webhook activity"</h2>
                <button
                    type="button"
                    class="rounded-md bg-white px-3 py-1 text-sm shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
                    disabled=move || !hydrated.get()
                    on:click=move |_| activity.refetch()
                >
                    "Refresh"
                </button>
            </div>
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match activity.await {
                        Ok(a) => Either::Left(view! { <Activity a/> }),
                        Err(e) => Either::Right(view! { <super::ErrorNote message=e.to_string()/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Connection(o: DashboardOverview) -> impl IntoView {
    view! {
        <dl class="max-w-2xl space-y-4 rounded-xl bg-white p-6 text-sm shadow-sm">
            <div>
                <dt class="font-medium">"Webhook URL (agent setting webhook_url)"</dt>
                <dd><code class="break-all">{o.webhook_url}</code></dd>
            </div>
            <div>
                <dt class="font-medium">"Retell API key (signs webhooks)"</dt>
                <dd>{if o.retell_api_key_set { "stored (encrypted)" } else { "not set yet" }}</dd>
            </div>
        </dl>
    }
}

#[component]
fn Activity(a: WebhookActivity) -> impl IntoView {
    let cell = "px-3 py-2 text-left";
    let latency = a
        .avg_apply_ms
        .map(|ms| format!("Average time from receipt to applied (24 h): {ms} ms"))
        .unwrap_or_else(|| "No events applied in the last 24 hours.".into());
    let errors = a.recent_errors;
    let empty = a.events.is_empty().then(|| {
        view! {
            <tr>
                <td class="px-3 py-4 text-slate-500" colspan="5">
                    "No webhook events yet. Enter the webhook URL above in your Retell agent."
                </td>
            </tr>
        }
    });
    view! {
        <div class="overflow-x-auto rounded-xl bg-white shadow-sm">
            <table class="min-w-full text-sm" data-testid="webhook-activity">
                <thead class="bg-slate-100 text-xs uppercase text-slate-500">
                    <tr>
                        <th class=cell>"Event"</th>
                        <th class=cell>"Applied"</th>
                        <th class=cell>"Pending"</th>
                        <th class=cell>"Failed"</th>
                        <th class=cell>"Retries (since start)"</th>
                    </tr>
                </thead>
                <tbody>
                    {a.events
                        .into_iter()
                        .map(|e| {
                            let name = e.event.clone();
                            view! {
                            <tr class="border-t border-slate-100" data-event=name>
                                <td class=cell>{e.event}</td>
                                <td class=cell>{e.applied}</td>
                                <td class=cell>{e.pending}</td>
                                <td class=cell>{e.failed}</td>
                                <td class=cell>{e.duplicates}</td>
                            </tr>
                        }})
                        .collect_view()}
                    {empty}
                </tbody>
            </table>
        </div>
        <p class="mt-2 text-sm text-slate-500">{latency}</p>
        {(!errors.is_empty()).then(|| view! {
            <ul class="mt-4 space-y-1 text-sm text-red-700">
                {errors
                    .into_iter()
                    .map(|e| view! { <li>{e.at_local}" · "{e.event.unwrap_or_default()}" · "{e.message}</li> })
                    .collect_view()}
            </ul>
        })}
    }
}
