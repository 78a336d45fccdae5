//! Calls page: the calls Retell reported through webhooks, newest first.

use crate::api::list_calls;
use crate::contract::CallSummary;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

/// Table of recent calls with a reload button.
#[component]
pub fn CallsPage() -> impl IntoView {
    let calls = Resource::new(|| (), |_| list_calls(crate::contract::CallListParams { limit: Some(100), ..Default::default() }));
    view! {
        <super::PageHeader title="Calls" subtitle="Calls your Retell agent answered."/>
        <super::ReloadButton on_reload=move || calls.refetch()/>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match calls.await {
                    Ok(list) if list.is_empty() => EitherOf3::A(view! {
                        <div class="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center text-sm text-slate-500">
                            "No calls recorded yet. Calls appear here once Retell sends webhooks to Slotline."
                        </div>
                    }),
                    Ok(list) => EitherOf3::B(view! { <CallTable list/> }),
                    Err(e) => EitherOf3::C(view! { <super::ErrorNote message=e.to_string()/> }),
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
                            view! {
                                <tr class="border-t border-slate-100" data-call-id=id>
                                    <td class=cell>{c.started_local}</td>
                                    <td class=cell>{c.from_number}</td>
                                    <td class=cell>{c.status}</td>
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
