//! The seed's `/admin/retell-webhook` page: connect the business to Retell from the browser —
//! the verified status, the webhook URL, the API key, the agent, the four functions, tests,
//! the prompt and the deploy — and watch what arrives (webhook activity, Retell's circuit).
//! Staff see everything read-only; the changing controls are the owner's.

mod connect;
mod deploy;
mod functions;

use crate::api::{get_health, get_retell_status, get_webhook_activity, ApiError};
use crate::contract::{RetellStatus, WebhookActivity};
use leptos::either::Either;
use leptos::prelude::*;

/// Bumped after every change, so every part of the page reloads what it shows.
pub type Refresh = RwSignal<u32>;

/// The sentence of an error if it is about `field`.
fn field_error<T>(value: Option<Result<T, ApiError>>, field: &str) -> Option<String> {
    match value {
        Some(Err(ApiError::Rejected {
            field: Some(f),
            message,
            ..
        })) if f == field => Some(message),
        _ => None,
    }
}

/// The sentence of an error not about one of `fields`.
fn other_error<T>(value: Option<Result<T, ApiError>>, fields: &[&str]) -> Option<String> {
    match value {
        Some(Err(ApiError::Rejected { field: Some(f), .. })) if fields.contains(&f.as_str()) => {
            None
        }
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    }
}

/// A small red sentence next to the control that caused it (none: nothing shown).
#[component]
fn FieldNote(
    #[prop(into)] message: Signal<Option<String>>,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    move || {
        message.get().map(|m| {
            view! { <p role="alert" class="mt-1 text-sm text-red-700" data-testid=testid>{m}</p> }
        })
    }
}

/// A button that copies `text` (plain script: works before the app is hydrated, too).
#[component]
fn CopyButton(text: String, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <button
            type="button"
            class="rounded-md bg-white px-2 py-1 text-xs shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
            data-copy=text
            onclick="navigator.clipboard && navigator.clipboard.writeText(this.dataset.copy).then(() => { this.textContent = 'Copied'; })"
        >
            {label}
        </button>
    }
}

/// The page.
#[component]
pub fn RetellWebhookPage() -> AnyView {
    let refresh: Refresh = RwSignal::new(0);
    // Staff see the page read-only (the gateway refuses their changes anyway).
    let owner = super::layout::is_owner();
    view! {
        <super::PageHeader
            title="Retell webhook"
            subtitle="Connect your Retell agent to Slotline, deploy the booking functions and watch what arrives."
        />
        {(!owner).then(|| view! {
            <p class="mb-4 rounded-md bg-slate-100 px-4 py-2 text-sm text-slate-600" data-testid="read-only">
                "You can see the connection here; only the business owner can change it."
            </p>
        })}
        <Status refresh/>
        <connect::Connect refresh owner/>
        <functions::Functions refresh owner/>
        <deploy::TestPanel refresh owner/>
        <deploy::PromptPreview/>
        <deploy::DeployPanel refresh owner/>
        <Live refresh/>
    }
    .into_any()
}

/// "Connected" as Retell confirms it, what is missing, and drift.
#[component]
fn Status(refresh: Refresh) -> AnyView {
    let live = super::live::use_live();
    let status = Resource::new(
        move || (refresh.get(), live.calls.get(), live.health.get()),
        |_| get_retell_status(),
    );
    view! {
        <section class="mb-6" data-testid="retell-status">
            <Suspense fallback=|| view! { <p class="text-slate-500">"Checking with Retell…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) => Either::Left(view! { <StatusCard s/> }),
                        Err(e) => Either::Right(view! { <super::ErrorNote message=e.to_string()/> }),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
fn StatusCard(s: RetellStatus) -> AnyView {
    let (badge, class) = if s.connected {
        ("Connected", "bg-emerald-100 text-emerald-800")
    } else {
        ("Not connected yet", "bg-amber-100 text-amber-900")
    };
    let drift = (!s.drift.is_empty()).then(|| {
        view! {
            <div role="alert" class="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="drift-warning">
                <p class="font-medium">"Changed in Retell since Slotline's last deploy:"</p>
                <ul class="list-disc pl-5">{s.drift.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ul>
                <p>"Deploy again to restore Slotline's settings, or copy the change into Slotline first."</p>
            </div>
        }
    });
    let verified = s
        .key_verified_local
        .clone()
        .map(|at| format!("Retell last accepted the key at {at}."));
    let events = if s.last_events.is_empty() {
        Either::Left(view! { <p class="text-slate-500">"No call has reached Slotline yet."</p> })
    } else {
        Either::Right(view! {
            <ul class="text-slate-600">
                {s.last_events.iter().map(|e| view! { <li data-last-event=e.event.clone()>{format!("{}: {}", e.event, e.at_local)}</li> }).collect_view()}
            </ul>
        })
    };
    view! {
        <div class="rounded-xl bg-white p-6 text-sm shadow-sm">
            <div class="flex items-center gap-3">
                <span class=format!("rounded-full px-3 py-1 text-sm font-semibold {class}") data-testid="connection-badge">{badge}</span>
                <span class="text-slate-500">{verified}</span>
            </div>
            <ul class="mt-4 space-y-1">
                {s.checks.into_iter().map(|c| {
                    let mark = if c.ok { "✓" } else { "✗" };
                    let color = if c.ok { "text-emerald-700" } else { "text-red-700" };
                    view! {
                        <li data-check=c.name.clone()>
                            <span class=format!("mr-2 font-semibold {color}")>{mark}</span>
                            <span class="font-medium">{c.name.clone()}</span>": "{c.detail}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!s.missing.is_empty()).then(|| view! {
                <div class="mt-4">
                    <p class="font-medium">"What is missing"</p>
                    <ul class="list-disc pl-5 text-slate-700" data-testid="missing">
                        {s.missing.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                    </ul>
                </div>
            })}
            {drift}
            <div class="mt-4">
                <p class="font-medium">"Last events"</p>
                {events}
            </div>
        </div>
    }
    .into_any()
}

/// Live activity: events by type and outcome, error rate, and Retell's circuit.
#[component]
fn Live(refresh: Refresh) -> AnyView {
    // New events and health changes appear without pressing Refresh.
    let live = super::live::use_live();
    let activity = Resource::new(
        move || (refresh.get(), live.calls.get(), live.health.get()),
        |_| get_webhook_activity(),
    );
    let health = Resource::new(move || (refresh.get(), live.health.get()), |_| get_health());
    let hydrated = super::use_hydrated();
    view! {
        <section class="mt-8">
            <div class="mb-3 flex items-center gap-3">
                <h2 class="font-medium">"Webhook activity"</h2>
                <button
                    type="button"
                    class="rounded-md bg-white px-3 py-1 text-sm shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
                    disabled=move || !hydrated.get()
                    on:click=move |_| refresh.update(|n| *n += 1)
                >
                    "Refresh"
                </button>
            </div>
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let circuit = match health.await {
                        Ok(h) => format!(
                            "Retell API: circuit {}, {} recent calls, {:.0} % errors{}",
                            format!("{:?}", h.retell_api.recent.circuit).to_lowercase(),
                            h.retell_api.recent.recent_calls,
                            h.retell_api.recent.error_rate * 100.0,
                            h.retell_api.recent.last_error.map(|e| format!(" (last: {e})")).unwrap_or_default(),
                        ),
                        Err(_) => String::new(),
                    };
                    match activity.await {
                        Ok(a) => Either::Left(view! {
                            <Activity a/>
                            <p class="mt-1 text-sm text-slate-500" data-testid="retell-circuit">{circuit}</p>
                        }),
                        Err(e) => Either::Right(view! { <super::ErrorNote message=e.to_string()/> }),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
fn Activity(a: WebhookActivity) -> AnyView {
    let cell = "px-3 py-2 text-left";
    let latency = a
        .avg_apply_ms
        .map(|ms| format!("Average time from receipt to applied (24 h): {ms} ms"))
        .unwrap_or_else(|| "No events applied in the last 24 hours.".into());
    let (applied, failed) = a
        .events
        .iter()
        .fold((0, 0), |(ok, bad), e| (ok + e.applied, bad + e.failed));
    let rate = (applied + failed > 0).then(|| {
        format!(
            "Error rate: {:.0} % of {} events",
            failed as f64 * 100.0 / (applied + failed) as f64,
            applied + failed
        )
    });
    let errors = a.recent_errors;
    let empty = a.events.is_empty().then(|| {
        view! {
            <tr>
                <td class="px-3 py-4 text-slate-500" colspan="5">
                    "No webhook events yet. Deploy to Retell, then call your number (tests are not counted here)."
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
        <p class="text-sm text-slate-500">{rate}</p>
        {(!errors.is_empty()).then(|| view! {
            <ul class="mt-4 space-y-1 text-sm text-red-700">
                {errors
                    .into_iter()
                    .map(|e| view! { <li>{e.at_local}" · "{e.event.unwrap_or_default()}" · "{e.message}</li> })
                    .collect_view()}
            </ul>
        })}
    }
    .into_any()
}
