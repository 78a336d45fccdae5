//! Calls page: the calls Retell reported through webhooks, newest first, filtered by day,
//! outcome (booked, changed, cancelled, nothing, failed) and caller; each opens its detail.

use crate::api::filter_calls;
use crate::contract::{CallListParams, CallOutcome, CallSummary};
use crate::i18n::*;
use crate::i18n_setup::{current_language, local_time};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The filter as typed: from, to, outcome, caller.
type Filter = (String, String, String, String);

fn params((from, to, outcome, caller): Filter) -> CallListParams {
    let given = |s: String| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    CallListParams {
        limit: Some(100),
        from: given(from),
        to: given(to),
        outcome: CallOutcome::parse(&outcome),
        caller: given(caller),
    }
}

/// The label of a call's outcome in the call list and the call detail.
pub fn outcome_label(outcome: CallOutcome, i18n: I18nContext<Locale>) -> &'static str {
    match outcome {
        CallOutcome::Booked => t_string!(i18n, calls.outcome_booked),
        CallOutcome::Changed => t_string!(i18n, calls.outcome_changed),
        CallOutcome::Cancelled => t_string!(i18n, calls.outcome_cancelled),
        CallOutcome::Nothing => t_string!(i18n, calls.outcome_nothing),
        CallOutcome::Failed => t_string!(i18n, calls.outcome_failed),
    }
}

/// Table of recent calls with filters and a reload button.
#[component]
pub fn CallsPage() -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let caller = RwSignal::new(String::new());
    let applied = RwSignal::new(Filter::default());
    let live = super::live::use_live();
    // New calls (and their outcomes) appear without a reload.
    let calls = Resource::new(
        move || (applied.get(), live.calls.get(), live.appointments.get()),
        |(f, _, _)| filter_calls(params(f)),
    );
    let hydrated = super::use_hydrated();
    let i18n = use_i18n();
    let input = "ml-1 rounded-md border border-slate-300 px-2 py-1 text-sm";
    let apply = move |_| {
        applied.set((
            from.get_untracked(),
            to.get_untracked(),
            outcome.get_untracked(),
            caller.get_untracked(),
        ))
    };
    view! {
        <super::PageHeader title=move || t_string!(i18n, calls.title) subtitle=move || t_string!(i18n, calls.subtitle)/>
        <div class="mb-4 flex flex-wrap items-end gap-2" data-testid="call-filters">
            <label class="text-sm">{t!(i18n, calls.from_day)}<input class=input placeholder=move || t_string!(i18n, calls.date_placeholder) bind:value=from/></label>
            <label class="text-sm">{t!(i18n, calls.to_day)}<input class=input placeholder=move || t_string!(i18n, calls.date_placeholder) bind:value=to/></label>
            <label class="text-sm">{t!(i18n, calls.outcome)}
                <select class=input on:change=move |ev| outcome.set(event_target_value(&ev))>
                    <option value="">{t!(i18n, calls.filter_any)}</option>
                    <option value="booked">{t!(i18n, calls.filter_booked)}</option>
                    <option value="changed">{t!(i18n, calls.filter_changed)}</option>
                    <option value="cancelled">{t!(i18n, calls.filter_cancelled)}</option>
                    <option value="nothing">{t!(i18n, calls.filter_nothing)}</option>
                    <option value="failed">{t!(i18n, calls.filter_failed)}</option>
                </select>
            </label>
            <label class="text-sm">{t!(i18n, calls.caller)}<input class=input placeholder=move || t_string!(i18n, calls.caller_placeholder) bind:value=caller/></label>
            <button type="button" class="rounded-md bg-white px-3 py-1 text-sm shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
                disabled=move || !hydrated.get() on:click=apply>{t!(i18n, calls.filter)}</button>
        </div>
        <super::ReloadButton on_reload=move || calls.refetch()/>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match calls.await {
                    Ok(list) if list.is_empty() => view! {
                        <div class="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center text-sm text-slate-500">
                            {t!(i18n, calls.empty)}
                        </div>
                    }.into_any(),
                    Ok(list) => view! { <CallTable list/> }.into_any(),
                    Err(e) => view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CallTable(list: Vec<CallSummary>) -> impl IntoView {
    let cell = "px-3 py-2 text-left align-top";
    let i18n = use_i18n();
    view! {
        <div class="overflow-x-auto rounded-xl bg-white shadow-sm">
            <table class="min-w-full text-sm" data-testid="calls-table">
                <thead class="bg-slate-100 text-xs uppercase text-slate-500">
                    <tr>
                        <th class=cell>{t!(i18n, calls.started)}</th>
                        <th class=cell>{t!(i18n, calls.caller)}</th>
                        <th class=cell>{t!(i18n, calls.status)}</th>
                        <th class=cell>{t!(i18n, calls.outcome)}</th>
                        <th class=cell>{t!(i18n, calls.duration)}</th>
                        <th class=cell>{t!(i18n, calls.sentiment)}</th>
                        <th class=cell>{t!(i18n, calls.summary)}</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|c| {
                            let duration = c.duration_secs.map(|s| format!("{}:{:02}", s / 60, s % 60));
                            let summary = match c.summary {
                                Some(s) => Either::Left(view! { <span>{s}</span> }),
                                None => Either::Right(view! { <span class="text-slate-400">{c.disconnection_reason}</span> }),
                            };
                            let id = c.call_id.clone();
                            let started = c.started_local.unwrap_or_else(|| "—".into());
                            let started = move || local_time(&started, current_language());
                            let outcome = c.outcome;
                            view! {
                                <tr class="border-t border-slate-100" data-call-id=id.clone() data-outcome=c.outcome.as_str()>
                                    <td class=cell><a class="text-indigo-600 underline" href=format!("/admin/calls/{id}")>{started}</a></td>
                                    <td class=cell>{c.from_number}</td>
                                    <td class=cell>{c.status}</td>
                                    <td class=cell>{move || outcome_label(outcome, i18n)}</td>
                                    <td class=cell>{duration}</td>
                                    <td class=cell>{c.sentiment}</td>
                                    <td class=cell>{summary}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
