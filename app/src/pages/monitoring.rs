//! Monitoring: overall status, the database, the webhook inbox, Retell's API and every gateway
//! server with circuit state, recent calls, error rate, latency and the last error.

use crate::api::get_health;
use crate::contract::{CircuitReport, GatewayHealth};
use leptos::either::Either;
use leptos::prelude::*;

/// The page.
#[component]
pub fn MonitoringPage() -> impl IntoView {
    let health = Resource::new(|| (), |_| get_health());
    view! {
        <super::PageHeader
            title="Monitoring"
            subtitle="Health of Slotline's servers and what they depend on, from the last five minutes of calls."
        />
        <super::ReloadButton on_reload=move || health.refetch()/>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match health.await {
                    Ok(h) => Either::Left(view! { <Report h/> }),
                    Err(e) => Either::Right(view! { <super::ErrorNote message=e.to_string()/> }),
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

fn ms(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1} ms"))
        .unwrap_or_else(|| "–".into())
}

#[component]
fn Report(h: GatewayHealth) -> impl IntoView {
    let webhooks = match h.webhooks {
        Some(w) => Either::Left(view! {
            <p class="text-sm">
                <span class=format!("rounded-full px-2 py-0.5 text-xs font-medium {}", pill(&w.status))>{w.status.clone()}</span>
                {format!(" {} waiting · {} parked after failures", w.pending, w.failed)}
                {w.oldest_pending_age_ms.map(|a| format!(" · oldest {} s", a / 1000))}
            </p>
        }),
        None => Either::Right(
            view! { <p class="text-sm text-slate-500">"Unknown while the database is down."</p> },
        ),
    };
    let database_note = h
        .database
        .error
        .clone()
        .unwrap_or_else(|| format!("answered in {} ms", h.database.latency_ms));
    view! {
        <div class=format!("mb-6 rounded-xl border p-4 {}", banner(&h.status)) data-testid="overall-status">
            <span class="text-lg font-semibold">{h.status.clone()}</span>
            <span class="ml-2 text-sm">{format!("{} methods", h.methods)}</span>
        </div>
        <h2 class="mb-2 font-semibold">"Webhook inbox"</h2>
        <div class="mb-6">{webhooks}</div>
        <h2 class="mb-2 font-semibold">"Servers and downstreams"</h2>
        <table class="w-full overflow-hidden rounded-xl bg-white text-sm shadow-sm">
            <thead class="bg-slate-100 text-left text-slate-600">
                <tr>
                    <th class="p-2">"Name"</th><th class="p-2">"Status"</th><th class="p-2">"Circuit"</th>
                    <th class="p-2">"Calls"</th><th class="p-2">"Errors"</th><th class="p-2">"p50"</th>
                    <th class="p-2">"p95"</th><th class="p-2">"Last error"</th>
                </tr>
            </thead>
            <tbody>
                <Row name="Database".into() status=h.database.status.clone() r=h.database.recent.clone() note=database_note/>
                <Row name="Retell API".into() status=h.retell_api.status.clone() r=h.retell_api.recent.clone() note=String::new()/>
                {h.servers.into_iter().map(|(name, s)| {
                    let note = match s.methods {
                        1 => "1 method".to_owned(),
                        n => format!("{n} methods"),
                    };
                    view! { <Row name status=s.status r=s.recent note/> }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Row(name: String, status: String, r: CircuitReport, note: String) -> impl IntoView {
    let circuit = format!("{:?}", r.circuit).to_lowercase();
    let last = match (&r.last_error, r.last_error_age_secs) {
        (Some(e), Some(age)) => format!("{e} ({age} s ago)"),
        _ => "–".into(),
    };
    let key = name.clone();
    view! {
        <tr class="border-t border-slate-100" data-health-row=key>
            <td class="p-2"><div class="font-medium">{name}</div><div class="text-xs text-slate-500">{note}</div></td>
            <td class="p-2"><span class=format!("rounded-full px-2 py-0.5 text-xs font-medium {}", pill(&status))>{status.clone()}</span></td>
            <td class="p-2">{circuit}{(r.opened_total > 0).then(|| format!(" · opened {}×", r.opened_total))}</td>
            <td class="p-2">{r.recent_calls}</td>
            <td class="p-2">{format!("{:.0} %", r.error_rate * 100.0)}</td>
            <td class="p-2">{ms(r.latency_p50_ms)}</td>
            <td class="p-2">{ms(r.latency_p95_ms)}</td>
            <td class="p-2 text-slate-600">{last}</td>
        </tr>
    }
}
