//! Calls page: the calls Retell reported through webhooks, newest first, filtered by day,
//! outcome (booked, changed, cancelled, nothing, failed) and caller; each opens its detail.

use crate::api::filter_calls;
use crate::contract::{CallListParams, CallOutcome, CallSummary};
use leptos::either::Either;
use leptos::prelude::*;

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
        <super::PageHeader title="Calls" subtitle="Calls your Retell agent answered."/>
        <div class="mb-4 flex flex-wrap items-end gap-2" data-testid="call-filters">
            <label class="text-sm">"From day"<input class=input placeholder="YYYY-MM-DD" bind:value=from/></label>
            <label class="text-sm">"To day"<input class=input placeholder="YYYY-MM-DD" bind:value=to/></label>
            <label class="text-sm">"Outcome"
                <select class=input on:change=move |ev| outcome.set(event_target_value(&ev))>
                    <option value="">"Any"</option>
                    <option value="booked">"Booked"</option>
                    <option value="changed">"Changed"</option>
                    <option value="cancelled">"Cancelled"</option>
                    <option value="nothing">"Nothing"</option>
                    <option value="failed">"Failed"</option>
                </select>
            </label>
            <label class="text-sm">"Caller"<input class=input placeholder="digits" bind:value=caller/></label>
            <button type="button" class="rounded-md bg-white px-3 py-1 text-sm shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
                disabled=move || !hydrated.get() on:click=apply>"Filter"</button>
        </div>
        <super::ReloadButton on_reload=move || calls.refetch()/>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match calls.await {
                    Ok(list) if list.is_empty() => view! {
                        <div class="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center text-sm text-slate-500">
                            "No calls recorded yet. Calls appear here once Retell sends webhooks to Slotline."
                        </div>
                    }.into_any(),
                    Ok(list) => view! { <CallTable list/> }.into_any(),
                    Err(e) => view! { <super::ErrorNote message=e.to_string()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CallTable(list: Vec<CallSummary>) -> impl IntoView {
    let cell = "px-3 py-2 text-left align-top";
    view! {
        <div class="overflow-x-auto rounded-xl bg-white shadow-sm">
            <table class="min-w-full text-sm" data-testid="calls-table">
                <thead class="bg-slate-100 text-xs uppercase text-slate-500">
                    <tr>
                        <th class=cell>"Started"</th>
                        <th class=cell>"Caller"</th>
                        <th class=cell>"Status"</th>
                        <th class=cell>"Outcome"</th>
                        <th class=cell>"Duration"</th>
                        <th class=cell>"Sentiment"</th>
                        <th class=cell>"Summary"</th>
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
                            view! {
                                <tr class="border-t border-slate-100" data-call-id=id.clone() data-outcome=c.outcome.as_str()>
                                    <td class=cell><a class="text-indigo-600 underline" href=format!("/admin/calls/{id}")>{started}</a></td>
                                    <td class=cell>{c.from_number}</td>
                                    <td class=cell>{c.status}</td>
                                    <td class=cell>{c.outcome.as_str()}</td>
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
