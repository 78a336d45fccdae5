//! One call: summary, sentiment, duration and transcript; every custom-function call the
//! agent made with its arguments and Slotline's reply; the appointments the call created,
//! moved or cancelled, each opening with its history.

use crate::api::get_call_detail;
use crate::contract::{CallDetail, FunctionCallInfo};
use crate::i18n::*;
use crate::i18n_setup::{current_language, local_time};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_params_map;

/// The page at `/admin/calls/{call id}`.
#[component]
pub fn CallDetailPage() -> impl IntoView {
    let params = use_params_map();
    let call_id = move || params.read().get("id").unwrap_or_default();
    let detail = Resource::new(call_id, get_call_detail);
    let i18n = use_i18n();
    view! {
        <super::PageHeader title=move || t_string!(i18n, calls.detail_title) subtitle=move || t_string!(i18n, calls.detail_subtitle)/>
        <a class="mb-4 inline-block text-sm text-indigo-600 hover:underline" href="/admin/calls">{t!(i18n, calls.all_calls)}</a>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <Detail d/> }.into_any(),
                    Err(e) => view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }.into_any(),
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
    let i18n = use_i18n();
    let outcome = c.outcome;
    let successful = d.successful;
    // (test hook, label, value in the current language)
    let facts: [(&str, Label, Option<Text>); 10] = [
        (
            "Call id",
            |i| t_string!(i, calls.fact_call_id),
            Some(Text::plain(c.call_id.clone())),
        ),
        (
            "Started",
            |i| t_string!(i, calls.started),
            c.started_local
                .clone()
                .map(|s| Text::new(move |_| local_time(&s, current_language()))),
        ),
        (
            "Caller",
            |i| t_string!(i, calls.caller),
            c.from_number.clone().map(Text::plain),
        ),
        (
            "Called number",
            |i| t_string!(i, calls.fact_called_number),
            d.to_number.clone().map(Text::plain),
        ),
        (
            "Status",
            |i| t_string!(i, calls.status),
            c.status.clone().map(Text::plain),
        ),
        (
            "Duration",
            |i| t_string!(i, calls.duration),
            c.duration_secs
                .map(|s| Text::plain(format!("{}:{:02}", s / 60, s % 60))),
        ),
        (
            "Sentiment",
            |i| t_string!(i, calls.sentiment),
            c.sentiment.clone().map(Text::plain),
        ),
        (
            "Successful",
            |i| t_string!(i, calls.fact_successful),
            successful.map(|s| {
                Text::new(move |i| {
                    if s {
                        t_string!(i, calls.yes).to_owned()
                    } else {
                        t_string!(i, calls.no).to_owned()
                    }
                })
            }),
        ),
        (
            "Outcome",
            |i| t_string!(i, calls.outcome),
            Some(Text::new(move |i| {
                super::calls::outcome_label(outcome, i).to_owned()
            })),
        ),
        (
            "Summary",
            |i| t_string!(i, calls.summary),
            c.summary.clone().map(Text::plain),
        ),
    ];
    let facts = facts.into_iter().filter_map(|(k, label, v)| v.map(|v| view! {
        <div><dt class="inline font-medium">{move || format!("{}: ", label(i18n))}</dt><dd class="inline" data-fact=k>{move || v.get(i18n)}</dd></div>
    })).collect_view();
    let transcript = match d.transcript.clone() {
        Some(t) => {
            view! { <pre class="whitespace-pre-wrap text-sm" data-testid="transcript">{t}</pre> }
                .into_any()
        }
        None => view! { <p class="text-sm text-slate-500">{t!(i18n, calls.no_transcript)}</p> }
            .into_any(),
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
        .then(|| view! { <p class="text-sm text-slate-500">{t!(i18n, calls.no_functions)}</p> });
    let hydrated = super::use_hydrated();
    let appointments = d.appointments.clone().into_iter().map(|x| {
        let a = x.appointment;
        let id = a.id;
        let starts = a.starts_local.clone();
        let actions = x.actions.clone();
        let status = a.status;
        view! {
            <li data-appointment-id=id.to_string()>
                <button type="button" class="text-indigo-600 underline" disabled=move || !hydrated.get() on:click=move |_| selected.set(Some(id))>
                    {t!(
                        i18n,
                        calls.appointment_line,
                        start = move || local_time(&starts, current_language()),
                        service = a.service.clone(),
                        staff = a.staff.clone(),
                        customer = a.customer_name.clone()
                    )}
                </button>
                " — "
                {t!(
                    i18n,
                    calls.appointment_actions,
                    actions = move || {
                        actions
                            .iter()
                            .map(|code| super::appointment_panel::action_label(code, i18n))
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                    status = move || super::appointment_panel::action_label(status.as_str(), i18n)
                )}
            </li>
        }
    }).collect_view();
    let facts = view! { <section class=card><dl class="grid gap-1 text-sm" data-testid="call-facts">{facts}</dl></section> }.into_any();
    let functions = view! {
        <section class=card>
            <h2 class="mb-2 font-semibold">{t!(i18n, calls.function_calls)}</h2>
            <div class="space-y-3" data-testid="function-calls">{functions}</div>
            {no_functions}
        </section>
    }
    .into_any();
    let transcript = view! {
        <section class=card>
            <h2 class="mb-2 font-semibold">{t!(i18n, calls.transcript)}</h2>
            {transcript}
        </section>
    }
    .into_any();
    let call_id = c.call_id.clone();
    view! {
        {facts}
        <super::call_replay::ReplayPanel call_id/>
        <section class=card>
            <h2 class="mb-2 font-semibold">{t!(i18n, calls.call_appointments)}</h2>
            <ul class="space-y-1 text-sm" data-testid="call-appointments">{appointments}</ul>
            {d.appointments.is_empty().then(|| view! { <p class="text-sm text-slate-500">{t!(i18n, calls.none)}</p> })}
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
    let i18n = use_i18n();
    let at = f.at_local.clone();
    view! {
        <div class="rounded-lg border border-slate-200 p-3 text-sm" data-function=f.function.clone() data-outcome=f.outcome.clone()>
            <div class="flex flex-wrap gap-3">
                <span class="font-medium">{f.function.clone()}</span>
                <span class="text-slate-500">{move || local_time(&at, current_language())}</span>
                <span class=if ok { "text-emerald-700" } else { "text-amber-700" }>{format!("{} (HTTP {})", f.outcome, f.http_status)}</span>
            </div>
            <div class="mt-2 grid gap-2 md:grid-cols-2">
                <div><div class="text-xs uppercase text-slate-500">{t!(i18n, calls.arguments)}</div><pre class="overflow-x-auto rounded bg-slate-50 p-2 text-xs">{pretty(&f.arguments)}</pre></div>
                <div><div class="text-xs uppercase text-slate-500">{t!(i18n, calls.reply)}</div><pre class="overflow-x-auto rounded bg-slate-50 p-2 text-xs">{pretty(&f.reply)}</pre></div>
            </div>
        </div>
    }
}

/// A label read from the catalogue in the current language.
type Label = fn(I18nContext<Locale>) -> &'static str;

/// A fact's value: as it came, or worded in the current language.
#[derive(Clone)]
struct Text(std::sync::Arc<dyn Fn(I18nContext<Locale>) -> String + Send + Sync>);

impl Text {
    fn new(f: impl Fn(I18nContext<Locale>) -> String + Send + Sync + 'static) -> Self {
        Self(std::sync::Arc::new(f))
    }

    fn plain(s: String) -> Self {
        Self::new(move |_| s.clone())
    }

    fn get(&self, i18n: I18nContext<Locale>) -> String {
        (self.0)(i18n)
    }
}
