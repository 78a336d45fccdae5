//! The seed's `/admin/retell-webhook` page: connect the business to Retell from the browser —
//! the verified status, the webhook URL, the API key, the agent, the four functions, tests,
//! the prompt and the deploy — and watch what arrives (webhook activity, Retell's circuit).
//! Staff see everything read-only; the changing controls are the owner's.

mod connect;
mod deploy;
mod functions;

use crate::api::{get_health, get_retell_status, get_webhook_activity, ApiError};
use crate::contract::{CircuitReport, CircuitState, RetellStatus, WebhookActivity};
use crate::i18n::*;
use crate::i18n_setup::{current_language, local_time, number};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

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
fn other_error<T>(
    value: Option<Result<T, ApiError>>,
    fields: &[&str],
    i18n: I18nContext<Locale>,
) -> Option<String> {
    match value {
        Some(Err(ApiError::Rejected { field: Some(f), .. })) if fields.contains(&f.as_str()) => {
            None
        }
        Some(Err(e)) => Some(super::error_text(&e, i18n)),
        _ => None,
    }
}

/// The sentence of an error, if the action failed.
fn failure<T>(value: Option<Result<T, ApiError>>, i18n: I18nContext<Locale>) -> Option<String> {
    value
        .and_then(|r| r.err())
        .map(|e| super::error_text(&e, i18n))
}

/// A server time label in the language the UI shows now.
fn when(at: &str) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let at = at.to_owned();
    move || local_time(&at, current_language())
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
fn CopyButton(text: String, #[prop(into)] label: TextProp) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button
            type="button"
            class="rounded-md bg-white px-2 py-1 text-xs shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
            data-copy=text
            data-copied=move || t_string!(i18n, retell.copied)
            onclick="navigator.clipboard && navigator.clipboard.writeText(this.dataset.copy).then(() => { this.textContent = this.dataset.copied; })"
        >
            {move || label.get()}
        </button>
    }
}

/// The page.
#[component]
pub fn RetellWebhookPage() -> AnyView {
    let refresh: Refresh = RwSignal::new(0);
    // Staff see the page read-only (the gateway refuses their changes anyway).
    let owner = super::layout::is_owner();
    let i18n = use_i18n();
    view! {
        <super::PageHeader
            title=move || t_string!(i18n, retell.title)
            subtitle=move || t_string!(i18n, retell.subtitle)
        />
        {(!owner).then(|| view! {
            <p class="mb-4 rounded-md bg-slate-100 px-4 py-2 text-sm text-slate-600" data-testid="read-only">
                {t!(i18n, retell.read_only)}
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
    let i18n = use_i18n();
    view! {
        <section class="mb-6" data-testid="retell-status">
            <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, retell.checking)}</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) => Either::Left(view! { <StatusCard s/> }),
                        Err(e) => Either::Right(view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
fn StatusCard(s: RetellStatus) -> AnyView {
    let i18n = use_i18n();
    let connected = s.connected;
    let badge = move || {
        if connected {
            t_string!(i18n, retell.connected)
        } else {
            t_string!(i18n, retell.not_connected)
        }
    };
    let class = if connected {
        "bg-emerald-100 text-emerald-800"
    } else {
        "bg-amber-100 text-amber-900"
    };
    let drift = (!s.drift.is_empty()).then(|| {
        view! {
            <div role="alert" class="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="drift-warning">
                <p class="font-medium">{t!(i18n, retell.drift_title)}</p>
                <ul class="list-disc pl-5">{s.drift.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ul>
                <p>{t!(i18n, retell.drift_hint)}</p>
            </div>
        }
    });
    let verified = s
        .key_verified_local
        .clone()
        .map(|at| view! { {t!(i18n, retell.key_last_accepted, at = when(&at))} });
    let events = if s.last_events.is_empty() {
        Either::Left(view! { <p class="text-slate-500">{t!(i18n, retell.no_call_yet)}</p> })
    } else {
        Either::Right(view! {
            <ul class="text-slate-600">
                {s.last_events.iter().map(|e| {
                    let (event, at) = (e.event.clone(), when(&e.at_local));
                    view! { <li data-last-event=e.event.clone()>{move || format!("{event}: {}", at())}</li> }
                }).collect_view()}
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
                    <p class="font-medium">{t!(i18n, retell.missing)}</p>
                    <ul class="list-disc pl-5 text-slate-700" data-testid="missing">
                        {s.missing.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                    </ul>
                </div>
            })}
            {drift}
            <div class="mt-4">
                <p class="font-medium">{t!(i18n, retell.last_events)}</p>
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
    let i18n = use_i18n();
    view! {
        <section class="mt-8">
            <div class="mb-3 flex items-center gap-3">
                <h2 class="font-medium">{t!(i18n, retell.webhook_activity)}</h2>
                <button
                    type="button"
                    class="rounded-md bg-white px-3 py-1 text-sm shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
                    disabled=move || !hydrated.get()
                    on:click=move |_| refresh.update(|n| *n += 1)
                >
                    {t!(i18n, retell.refresh)}
                </button>
            </div>
            <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    let circuit = health.await.ok().map(|h| circuit_summary(h.retell_api.recent, i18n));
                    match activity.await {
                        Ok(a) => Either::Left(view! {
                            <Activity a/>
                            <p class="mt-1 text-sm text-slate-500" data-testid="retell-circuit">{circuit}</p>
                        }),
                        Err(e) => Either::Right(view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

/// Retell's circuit breaker: its state, recent calls, error share and the last error.
fn circuit_summary(recent: CircuitReport, i18n: I18nContext<Locale>) -> impl IntoView {
    let state = recent.circuit;
    let share = recent.error_rate * 100.0;
    let last = recent
        .last_error
        .map(|error| view! { {t!(i18n, retell.circuit_last_error, error = error)} });
    view! {
        {t!(
            i18n,
            retell.circuit_summary,
            state = move || circuit_state(state, i18n),
            calls = recent.recent_calls,
            errors = move || number(share, 0, current_language())
        )}
        {last}
    }
}

/// A circuit breaker's state as a word.
fn circuit_state(state: CircuitState, i18n: I18nContext<Locale>) -> &'static str {
    match state {
        CircuitState::Closed => t_string!(i18n, retell.circuit_closed),
        CircuitState::Open => t_string!(i18n, retell.circuit_open),
        CircuitState::HalfOpen => t_string!(i18n, retell.circuit_half_open),
    }
}

#[component]
fn Activity(a: WebhookActivity) -> AnyView {
    let i18n = use_i18n();
    let cell = "px-3 py-2 text-left";
    let latency = match a.avg_apply_ms {
        Some(ms) => Either::Left(view! { {t!(i18n, retell.average_apply_time, ms = ms)} }),
        None => Either::Right(view! { {t!(i18n, retell.no_events_applied)} }),
    };
    let (applied, failed) = a
        .events
        .iter()
        .fold((0, 0), |(ok, bad), e| (ok + e.applied, bad + e.failed));
    let rate = (applied + failed > 0).then(|| {
        let share = failed as f64 * 100.0 / (applied + failed) as f64;
        view! {
            {t!(
                i18n,
                retell.error_rate,
                rate = move || number(share, 0, current_language()),
                count = applied + failed
            )}
        }
    });
    let errors = a.recent_errors;
    let empty = a.events.is_empty().then(|| {
        view! {
            <tr>
                <td class="px-3 py-4 text-slate-500" colspan="5">
                    {t!(i18n, retell.no_webhook_events)}
                </td>
            </tr>
        }
    });
    view! {
        <div class="overflow-x-auto rounded-xl bg-white shadow-sm">
            <table class="min-w-full text-sm" data-testid="webhook-activity">
                <thead class="bg-slate-100 text-xs uppercase text-slate-500">
                    <tr>
                        <th class=cell>{t!(i18n, retell.column_event)}</th>
                        <th class=cell>{t!(i18n, retell.column_applied)}</th>
                        <th class=cell>{t!(i18n, retell.column_pending)}</th>
                        <th class=cell>{t!(i18n, retell.column_failed)}</th>
                        <th class=cell>{t!(i18n, retell.column_retries)}</th>
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
                    .map(|e| view! { <li>{when(&e.at_local)}" · "{e.event.unwrap_or_default()}" · "{e.message}</li> })
                    .collect_view()}
            </ul>
        })}
    }
    .into_any()
}
