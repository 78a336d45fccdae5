//! The Replay panel on a call's page: re-sends the call against a scratch copy of the schedule
//! as it was when the call started and shows the original and today's replies side by side.

use crate::api::replay_call;
use crate::contract::{ReplayResult, ReplayStep};
use crate::i18n::*;
use crate::i18n_setup::{current_language, local_time};
use leptos::either::EitherOf3;
use leptos::prelude::*;

/// The button and, once pressed, the comparison.
#[component]
pub fn ReplayPanel(call_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let hydrated = super::use_hydrated();
    let replay = Action::new(|id: &String| {
        let id = id.clone();
        async move { replay_call(id).await }
    });
    let pending = replay.pending();
    let outcome = move || match replay.value().get() {
        Some(Ok(r)) => EitherOf3::A(view! { <Comparison r/> }),
        Some(Err(e)) => EitherOf3::B(
            view! { <div class="mt-3"><super::ErrorNote message=super::error_text(&e, i18n)/></div> },
        ),
        None => EitherOf3::C(()),
    };
    view! {
        <section class="mb-6 rounded-xl bg-white p-5 shadow-sm" data-testid="replay">
            <h2 class="mb-1 font-semibold">{t!(i18n, calls.replay_title)}</h2>
            <p class="mb-3 text-sm text-slate-600">{t!(i18n, calls.replay_help)}</p>
            <button
                type="button"
                class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
                disabled=move || !hydrated.get() || pending.get()
                on:click=move |_| {
                    replay.dispatch(call_id.clone());
                }
            >
                {move || if pending.get() {
                    t_string!(i18n, calls.replay_running)
                } else {
                    t_string!(i18n, calls.replay_button)
                }}
            </button>
            {outcome}
        </section>
    }
}

#[component]
fn Comparison(r: ReplayResult) -> impl IntoView {
    let i18n = use_i18n();
    let start = r.started_local.clone();
    let total = r.steps.len();
    let differing = r.differing;
    let steps = r
        .steps
        .into_iter()
        .map(|s| view! { <StepRow s/> })
        .collect_view();
    view! {
        <div class="mt-4" data-testid="replay-result" data-differing=differing.to_string()>
            <p class="mb-3 text-sm font-medium" role="status">
                {t!(
                    i18n,
                    calls.replay_summary,
                    start = move || local_time(&start, current_language()),
                    differing = differing,
                    total = total
                )}
            </p>
            <div class="space-y-3">{steps}</div>
        </div>
    }
}

#[component]
fn StepRow(s: ReplayStep) -> impl IntoView {
    let i18n = use_i18n();
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
    let differs = s.differs;
    let border = if differs {
        "rounded-lg border border-amber-400 bg-amber-50 p-3 text-sm"
    } else {
        "rounded-lg border border-slate-200 p-3 text-sm"
    };
    let webhook = s.kind == "webhook";
    view! {
        <div class=border data-replay-step=s.name.clone() data-differs=differs.to_string()>
            <div class="flex flex-wrap gap-3">
                <span class="font-medium">{s.name.clone()}</span>
                {webhook.then(|| view! { <span class="text-slate-500">{t!(i18n, calls.replay_webhook)}</span> })}
                <span class=if differs { "font-medium text-amber-800" } else { "text-emerald-700" }>
                    {move || if differs {
                        t_string!(i18n, calls.replay_differs)
                    } else {
                        t_string!(i18n, calls.replay_same)
                    }}
                </span>
            </div>
            {(!s.arguments.is_null()).then(|| view! {
                <pre class="mt-2 overflow-x-auto rounded bg-slate-50 p-2 text-xs">{pretty(&s.arguments)}</pre>
            })}
            <div class="mt-2 grid gap-2 md:grid-cols-2">
                <div>
                    <div class="text-xs uppercase text-slate-500">{t!(i18n, calls.replay_then)}</div>
                    <pre class="overflow-x-auto rounded bg-slate-50 p-2 text-xs" data-side="original">{pretty(&s.original)}</pre>
                </div>
                <div>
                    <div class="text-xs uppercase text-slate-500">{t!(i18n, calls.replay_today)}</div>
                    <pre class="overflow-x-auto rounded bg-slate-50 p-2 text-xs" data-side="replayed">{pretty(&s.replayed)}</pre>
                </div>
            </div>
        </div>
    }
}
