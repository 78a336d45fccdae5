//! Monitoring: overall status, the database, the webhook inbox, Retell's API and every gateway
//! server with circuit state, recent calls, error rate, latency and the last error.

use crate::api::get_health;
use crate::contract::{CircuitReport, CircuitState, GatewayHealth};
use crate::i18n::*;
use crate::i18n_setup::{current_language, number};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The page.
#[component]
pub fn MonitoringPage() -> impl IntoView {
    let health = Resource::new(|| (), |_| get_health());
    let i18n = use_i18n();
    view! {
        <super::PageHeader
            title=move || t_string!(i18n, monitoring.title)
            subtitle=move || t_string!(i18n, monitoring.subtitle)
        />
        <super::ReloadButton on_reload=move || health.refetch()/>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match health.await {
                    Ok(h) => Either::Left(view! { <Report h/> }),
                    Err(e) => Either::Right(view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }),
                }
            })}
        </Suspense>
    }
}

fn banner(status: &str) -> &'static str {
    match status {
        "healthy" => "border-emerald-300 bg-emerald-50 text-emerald-900",
        "degraded" => "border-amber-300 bg-amber-50 text-amber-900",
        _ => "border-rose-300 bg-rose-50 text-rose-900",
    }
}

fn pill(status: &str) -> &'static str {
    match status {
        "up" | "ok" => "bg-emerald-100 text-emerald-800",
        "recovering" => "bg-amber-100 text-amber-800",
        _ => "bg-rose-100 text-rose-800",
    }
}

/// A status the gateway reports, in the current language (unknown ones as they came).
fn status_label(status: &str, i18n: I18nContext<Locale>) -> String {
    let label = match status {
        "healthy" => t_string!(i18n, monitoring.status_healthy),
        "degraded" => t_string!(i18n, monitoring.status_degraded),
        "unhealthy" => t_string!(i18n, monitoring.status_unhealthy),
        "up" => t_string!(i18n, monitoring.status_up),
        "ok" => t_string!(i18n, monitoring.status_ok),
        "recovering" => t_string!(i18n, monitoring.status_recovering),
        "failing" => t_string!(i18n, monitoring.status_failing),
        "down" => t_string!(i18n, monitoring.status_down),
        "stuck" => t_string!(i18n, monitoring.status_stuck),
        other => return other.to_owned(),
    };
    label.to_owned()
}

/// A breaker's state in the current language.
fn circuit_label(state: CircuitState, i18n: I18nContext<Locale>) -> &'static str {
    match state {
        CircuitState::Closed => t_string!(i18n, monitoring.circuit_closed),
        CircuitState::Open => t_string!(i18n, monitoring.circuit_open),
        CircuitState::HalfOpen => t_string!(i18n, monitoring.circuit_half_open),
    }
}

/// "1 method" / "n methods".
fn methods(n: usize, i18n: I18nContext<Locale>) -> String {
    match n {
        1 => t_string!(i18n, monitoring.one_method).to_owned(),
        n => format!("{n} {}", t_string!(i18n, monitoring.methods)),
    }
}

fn ms(v: Option<f64>) -> String {
    v.map(|v| format!("{} ms", number(v, 1, current_language())))
        .unwrap_or_else(|| "–".into())
}

#[component]
fn Report(h: GatewayHealth) -> impl IntoView {
    let i18n = use_i18n();
    let webhooks = match h.webhooks {
        Some(w) => {
            let status = w.status.clone();
            let (pending, failed) = (w.pending, w.failed);
            Either::Left(view! {
                <p class="text-sm">
                    <span class=format!("rounded-full px-2 py-0.5 text-xs font-medium {}", pill(&w.status))>{move || status_label(&status, i18n)}</span>
                    " "
                    {t!(i18n, monitoring.webhooks_waiting, pending, failed)}
                    {w.oldest_pending_age_ms.map(|a| {
                        let seconds = a / 1000;
                        view! { " · "{t!(i18n, monitoring.oldest_pending, seconds)} }
                    })}
                </p>
            })
        }
        None => Either::Right(
            view! { <p class="text-sm text-slate-500">{t!(i18n, monitoring.webhooks_unknown)}</p> },
        ),
    };
    let database_error = h.database.error.clone();
    let database_ms = h.database.latency_ms;
    let database_note = move || match &database_error {
        Some(e) => e.clone(),
        None => format!(
            "{} {database_ms} ms",
            t_string!(i18n, monitoring.answered_in)
        ),
    };
    let overall = h.status.clone();
    let method_count = h.methods;
    view! {
        <div class=format!("mb-6 rounded-xl border p-4 {}", banner(&h.status)) data-testid="overall-status">
            <span class="text-lg font-semibold">{move || status_label(&overall, i18n)}</span>
            <span class="ml-2 text-sm">{move || methods(method_count, i18n)}</span>
        </div>
        <h2 class="mb-2 font-semibold">{t!(i18n, monitoring.webhook_inbox)}</h2>
        <div class="mb-6">{webhooks}</div>
        <h2 class="mb-2 font-semibold">{t!(i18n, monitoring.servers)}</h2>
        <table class="w-full overflow-hidden rounded-xl bg-white text-sm shadow-sm">
            <thead class="bg-slate-100 text-left text-slate-600">
                <tr>
                    <th class="p-2">{t!(i18n, monitoring.name)}</th><th class="p-2">{t!(i18n, monitoring.status)}</th><th class="p-2">{t!(i18n, monitoring.circuit)}</th>
                    <th class="p-2">{t!(i18n, monitoring.calls)}</th><th class="p-2">{t!(i18n, monitoring.errors)}</th><th class="p-2">"p50"</th>
                    <th class="p-2">"p95"</th><th class="p-2">{t!(i18n, monitoring.last_error)}</th>
                </tr>
            </thead>
            <tbody>
                <Row
                    name="Database".into()
                    label=move || t_string!(i18n, monitoring.database)
                    status=h.database.status.clone()
                    r=h.database.recent.clone()
                    note=database_note
                />
                <Row name="Retell API".into() status=h.retell_api.status.clone() r=h.retell_api.recent.clone() note=String::new()/>
                {h.servers.into_iter().map(|(name, s)| {
                    let n = s.methods;
                    view! { <Row name status=s.status r=s.recent note=move || methods(n, i18n)/> }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// One row; `name` is the row's test hook and, without a `label`, what it shows.
#[component]
fn Row(
    name: String,
    #[prop(optional, into)] label: Option<TextProp>,
    status: String,
    r: CircuitReport,
    #[prop(into)] note: TextProp,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = r.circuit;
    let opened = r.opened_total;
    let last = match (r.last_error.clone(), r.last_error_age_secs) {
        (Some(error), Some(age)) => Either::Left(t!(i18n, monitoring.last_error_ago, error, age)),
        _ => Either::Right("–"),
    };
    let key = name.clone();
    // A server's own name (no label) is an identifier, the same in every language.
    let identifier = if label.is_none() { "no" } else { "yes" };
    let shown = move || match &label {
        Some(l) => l.get().to_string(),
        None => name.clone(),
    };
    let (p50, p95) = (r.latency_p50_ms, r.latency_p95_ms);
    let status_text = status.clone();
    view! {
        <tr class="border-t border-slate-100" data-health-row=key>
            <td class="p-2"><div class="font-medium" translate=identifier>{shown}</div><div class="text-xs text-slate-500">{move || note.get()}</div></td>
            <td class="p-2"><span class=format!("rounded-full px-2 py-0.5 text-xs font-medium {}", pill(&status))>{move || status_label(&status_text, i18n)}</span></td>
            <td class="p-2">{move || circuit_label(state, i18n)}{(opened > 0).then(|| view! { " · "{t!(i18n, monitoring.opened_times, opened)} })}</td>
            <td class="p-2">{r.recent_calls}</td>
            <td class="p-2">{format!("{:.0} %", r.error_rate * 100.0)}</td>
            <td class="p-2">{move || ms(p50)}</td>
            <td class="p-2">{move || ms(p95)}</td>
            <td class="p-2 text-slate-600">{last}</td>
        </tr>
    }
}
