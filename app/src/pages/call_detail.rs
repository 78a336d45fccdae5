//! One call: summary, sentiment, duration and transcript; every custom-function call the
//! agent made with its arguments and Slotline's reply; the appointments the call created,
//! moved or cancelled, each opening with its history.

use crate::api::get_call_detail;
use crate::contract::{CallDetail, FunctionCallInfo};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The page at `/admin/calls/{call id}`.
#[component]
pub fn CallDetailPage() -> impl IntoView {
    let params = use_params_map();
    let call_id = move || params.read().get("id").unwrap_or_default();
    let detail = Resource::new(call_id, get_call_detail);
    view! {
        <super::PageHeader title="Call" subtitle="What was said, what the agent asked Slotline, and what it booked."/>
        <a class="mb-4 inline-block text-sm text-indigo-600 hover:underline" href="/admin/calls">"← All calls"</a>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <Detail d/> }.into_any(),
                    Err(e) => view! { <super::ErrorNote message=e.to_string()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(d: CallDetail) -> impl IntoView {
    let c = d.call.clone();
    let selected = RwSignal::new(None::<i64>);
    let card = "mb-6 rounded-xl bg-white p-5 shadow-sm";
    let facts = [
        ("Call id", Some(c.call_id.clone())),
        ("Started", c.started_local.clone()),
        ("Caller", c.from_number.clone()),
        ("Called number", d.to_number.clone()),
        ("Status", c.status.clone()),
        (
            "Duration",
            c.duration_secs.map(|s| format!("{}:{:02}", s / 60, s % 60)),
        ),
        ("Sentiment", c.sentiment.clone()),
        (
            "Successful",
            d.successful
                .map(|s| if s { "yes".into() } else { "no".into() }),
        ),
        ("Outcome", Some(c.outcome.as_str().to_owned())),
        ("Summary", c.summary.clone()),
    ];
    let facts = facts.into_iter().filter_map(|(k, v)| v.map(|v| view! {
        <div><dt class="inline font-medium">{format!("{k}: ")}</dt><dd class="inline" data-fact=k>{v}</dd></div>
    })).collect_view();
    let transcript = match d.transcript.clone() {
        Some(t) => view! { <pre class="whitespace-pre-wrap text-sm" data-testid="transcript">{t}</pre> }.into_any(),
        None => view! { <p class="text-sm text-slate-500">"No transcript (not sent yet, or removed after the retention period)."</p> }.into_any(),
    };
    let functions = d
        .function_calls
        .clone()
        .into_iter()
        .map(|f| view! { <FunctionRow f/> })
        .collect_view();
    let no_functions = d
        .function_calls
        .is_empty()
        .then(|| view! { <p class="text-sm text-slate-500">"The agent called no functions."</p> });
    let hydrated = super::use_hydrated();
    let appointments = d.appointments.clone().into_iter().map(|x| {
        let a = x.appointment;
        let id = a.id;
        view! {
            <li data-appointment-id=id.to_string()>
                <button type="button" class="text-indigo-600 underline" disabled=move || !hydrated.get() on:click=move |_| selected.set(Some(id))>
                    {format!("{} {} with {} for {}", a.starts_local, a.service, a.staff, a.customer_name)}
                </button>
                {format!(" — {} (now {})", x.actions.join(", "), a.status.as_str())}
            </li>
        }
    }).collect_view();
    let facts = view! { <section class=card><dl class="grid gap-1 text-sm" data-testid="call-facts">{facts}</dl></section> }.into_any();
    let functions = view! {
        <section class=card>
            <h2 class="mb-2 font-semibold">"Function calls"</h2>
            <div class="space-y-3" data-testid="function-calls">{functions}</div>
            {no_functions}
        </section>
    }
    .into_any();
    let transcript = view! {
        <section class=card>
            <h2 class="mb-2 font-semibold">"Transcript"</h2>
            {transcript}
        </section>
    }
    .into_any();
    view! {
        {facts}
        <section class=card>
            <h2 class="mb-2 font-semibold">"Appointments of this call"</h2>
            <ul class="space-y-1 text-sm" data-testid="call-appointments">{appointments}</ul>
            {d.appointments.is_empty().then(|| view! { <p class="text-sm text-slate-500">"None."</p> })}
            {move || selected.get().map(|id| view! {
                <div class="mt-3"><super::appointment_panel::AppointmentPanel id on_changed=|| () on_close=Callback::new(move |_: ()| selected.set(None))/></div>
            })}
        </section>
        {functions}
        {transcript}
    }
}

#[component]
fn FunctionRow(f: FunctionCallInfo) -> impl IntoView {
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
    let ok = f.outcome == "ok" || f.outcome == "replayed";
    view! {
        <div class="rounded-lg border border-slate-200 p-3 text-sm" data-function=f.function.clone() data-outcome=f.outcome.clone()>
            <div class="flex flex-wrap gap-3">
                <span class="font-medium">{f.function.clone()}</span>
                <span class="text-slate-500">{f.at_local.clone()}</span>
                <span class=if ok { "text-emerald-700" } else { "text-amber-700" }>{format!("{} (HTTP {})", f.outcome, f.http_status)}</span>
            </div>
            <div class="mt-2 grid gap-2 md:grid-cols-2">
                <div><div class="text-xs uppercase text-slate-500">"Arguments"</div><pre class="overflow-x-auto rounded bg-slate-50 p-2 text-xs">{pretty(&f.arguments)}</pre></div>
                <div><div class="text-xs uppercase text-slate-500">"Reply"</div><pre class="overflow-x-auto rounded bg-slate-50 p-2 text-xs">{pretty(&f.reply)}</pre></div>
            </div>
        </div>
    }
}
