//! Trying and deploying: the webhook and function test with status and response times, the
//! generated prompt to preview and copy, and the deploy — first the changes field by field
//! (dry run), then apply, then the result.

use super::{failure, when, CopyButton, FieldNote, Refresh};
use crate::api::{deploy_to_retell, get_prompt_template, test_retell_webhook, ApiError};
use crate::contract::{DeployResult, Locale, ProbeResult, WebhookTestResult};
use crate::i18n::{t, t_string, use_i18n};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

const BUTTON: &str = "rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50";
const SECONDARY: &str = "rounded-md bg-white px-3 py-1.5 text-sm shadow-sm ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-50";

/// Sends the signed test event and calls each function; shows what came back.
#[component]
pub fn TestPanel(refresh: Refresh, owner: bool) -> AnyView {
    let run: Action<(), Result<WebhookTestResult, ApiError>> =
        Action::new(|_: &()| test_retell_webhook());
    let hydrated = crate::pages::use_hydrated();
    let i18n = use_i18n();
    Effect::new(move |_| {
        if let Some(Ok(_)) = run.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    let result = move || match run.value().get() {
        Some(Ok(r)) => Some(view! { <TestResult r/> }),
        _ => None,
    };
    view! {
        <section class="mb-6 rounded-xl bg-white p-6 text-sm shadow-sm">
            <h2 class="mb-1 text-base font-semibold">{t!(i18n, retell.test_title)}</h2>
            <p class="mb-3 text-slate-500">
                {t!(i18n, retell.test_intro)}
            </p>
            {owner.then(|| view! {
                <button type="button" class=BUTTON disabled=move || !hydrated.get() || run.pending().get()
                    on:click=move |_| { run.dispatch(()); }>
                    {move || {
                        if run.pending().get() {
                            t_string!(i18n, retell.testing)
                        } else {
                            t_string!(i18n, retell.run_test)
                        }
                    }}
                </button>
            })}
            <FieldNote message=Signal::derive(move || failure(run.value().get(), i18n)) testid="test-error"/>
            {result}
        </section>
    }
    .into_any()
}

#[component]
fn TestResult(r: WebhookTestResult) -> AnyView {
    let i18n = use_i18n();
    let ok = r.ok;
    let at = when(&r.at_local);
    let verdict = move || {
        let sentence = if ok {
            t_string!(i18n, retell.test_ok)
        } else {
            t_string!(i18n, retell.test_failed)
        };
        format!("{sentence} ({})", at())
    };
    view! {
        <div class="mt-3" data-testid="test-result">
            <p class="font-medium">{verdict}</p>
            <table class="mt-2 w-full text-left">
                <thead class="text-xs uppercase text-slate-500">
                    <tr>
                        <th class="py-1">{t!(i18n, retell.column_what)}</th>
                        <th>{t!(i18n, retell.column_status)}</th>
                        <th>{t!(i18n, retell.column_time)}</th>
                        <th>{t!(i18n, retell.column_answer)}</th>
                    </tr>
                </thead>
                <tbody>
                    <Probe p=r.webhook/>
                    {r.functions.into_iter().map(|p| view! { <Probe p/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Probe(p: ProbeResult) -> impl IntoView {
    let i18n = use_i18n();
    let code = p.status;
    let status = move || match code {
        Some(s) => s.to_string(),
        None => t_string!(i18n, retell.no_answer).to_owned(),
    };
    let color = if p.ok {
        "text-emerald-700"
    } else {
        "text-red-700"
    };
    let key = p.name.clone();
    view! {
        <tr class="border-t border-slate-100 align-top" data-probe=key>
            <td class="py-1 font-mono">{p.name}</td>
            <td class=color>{status}</td>
            <td>{format!("{} ms", p.millis)}</td>
            <td class="text-slate-600">{p.detail}</td>
        </tr>
    }
}

/// The generated prompt in German or English, with a copy button.
#[component]
pub fn PromptPreview() -> AnyView {
    let locale = RwSignal::new(Locale::De);
    let show = RwSignal::new(false);
    let prompt = Resource::new(move || locale.get(), get_prompt_template);
    let hydrated = crate::pages::use_hydrated();
    let i18n = use_i18n();
    view! {
        <section class="mb-6 rounded-xl bg-white p-6 text-sm shadow-sm">
            <h2 class="mb-1 text-base font-semibold">{t!(i18n, retell.prompt_title)}</h2>
            <p class="mb-3 text-slate-500">{t!(i18n, retell.prompt_intro)}</p>
            <div class="flex items-center gap-2">
                <select class="rounded-md border border-slate-300 px-2 py-1" aria-label=move || t_string!(i18n, retell.prompt_language)
                    on:change=move |ev| locale.set(if event_target_value(&ev) == "en" { Locale::En } else { Locale::De })>
                    <option value="de">"Deutsch"</option>
                    <option value="en">"English"</option>
                </select>
                <button type="button" class=SECONDARY disabled=move || !hydrated.get()
                    on:click=move |_| show.update(|s| *s = !*s)>
                    {move || {
                        if show.get() {
                            t_string!(i18n, retell.hide_prompt)
                        } else {
                            t_string!(i18n, retell.show_prompt)
                        }
                    }}
                </button>
            </div>
            <Suspense fallback=|| ()>
                {move || show.get().then(|| Suspend::new(async move {
                    match prompt.await {
                        Ok(p) => Either::Left(view! {
                            <div class="mt-3">
                                <CopyButton text=p.prompt.clone() label=move || t_string!(i18n, retell.copy_prompt)/>
                                <p class="mt-2 text-slate-500">{t!(i18n, retell.first_sentence, sentence = p.begin_message)}</p>
                                <pre class="mt-2 max-h-96 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-3 text-xs" data-testid="prompt">{p.prompt}</pre>
                            </div>
                        }),
                        Err(e) => Either::Right(view! { <crate::pages::ErrorNote message=crate::pages::error_text(&e, i18n)/> }),
                    }
                }))}
            </Suspense>
        </section>
    }
    .into_any()
}

/// Dry run first (the changes field by field), then apply.
#[component]
pub fn DeployPanel(refresh: Refresh, owner: bool) -> AnyView {
    let include_prompt = RwSignal::new(false);
    let include_mcp = RwSignal::new(false);
    let deploy: Action<bool, Result<DeployResult, ApiError>> = Action::new(move |dry: &bool| {
        let dry = *dry;
        let (p, m) = (include_prompt.get_untracked(), include_mcp.get_untracked());
        async move { deploy_to_retell(dry, p, m).await }
    });
    let hydrated = crate::pages::use_hydrated();
    let i18n = use_i18n();
    Effect::new(move |_| {
        if let Some(Ok(r)) = deploy.value().get() {
            if !r.dry_run {
                refresh.update(|n| *n += 1);
            }
        }
    });
    // Apply only after a preview of the same choices.
    let previewed = move || matches!(deploy.value().get(), Some(Ok(r)) if r.dry_run);
    let outcome = move || match deploy.value().get() {
        Some(Ok(r)) => EitherOf3::A(view! { <Diff r/> }),
        Some(Err(e)) => EitherOf3::B(
            view! { <p role="alert" class="mt-2 text-sm text-red-700" data-testid="deploy-error">{crate::pages::error_text(&e, i18n)}</p> },
        ),
        None => EitherOf3::C(()),
    };
    view! {
        <section class="mb-6 rounded-xl bg-white p-6 text-sm shadow-sm">
            <h2 class="mb-1 text-base font-semibold">{t!(i18n, retell.deploy_title)}</h2>
            <p class="mb-3 text-slate-500">
                {t!(i18n, retell.deploy_intro)}
            </p>
            {owner.then(|| view! {
                <div class="flex flex-wrap items-center gap-4">
                    <label class="flex items-center gap-1">
                        <input type="checkbox" prop:checked=move || include_prompt.get()
                            on:change=move |ev| { include_prompt.set(event_target_checked(&ev)); deploy.value().set(None); }/>
                        {t!(i18n, retell.include_prompt)}
                    </label>
                    <label class="flex items-center gap-1">
                        <input type="checkbox" prop:checked=move || include_mcp.get()
                            on:change=move |ev| { include_mcp.set(event_target_checked(&ev)); deploy.value().set(None); }/>
                        {t!(i18n, retell.include_mcp)}
                    </label>
                    <button type="button" class=SECONDARY disabled=move || !hydrated.get() || deploy.pending().get()
                        on:click=move |_| { deploy.dispatch(true); }>
                        {t!(i18n, retell.preview_changes)}
                    </button>
                    <button type="button" class=BUTTON
                        disabled=move || !hydrated.get() || deploy.pending().get() || !previewed()
                        on:click=move |_| { deploy.dispatch(false); }>
                        {t!(i18n, retell.apply)}
                    </button>
                </div>
            })}
            {outcome}
        </section>
    }
    .into_any()
}

#[component]
fn Diff(r: DeployResult) -> AnyView {
    let i18n = use_i18n();
    let testid = if r.dry_run {
        "deploy-diff"
    } else {
        "deploy-result"
    };
    let pretty = move |v: Option<serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => Either::Left(s),
        Some(v) => Either::Left(serde_json::to_string_pretty(&v).unwrap_or_default()),
        None => Either::Right(move || t_string!(i18n, retell.not_set)),
    };
    view! {
        <div class="mt-3" data-testid=testid>
            <p role="status" class="font-medium">{r.message.clone()}</p>
            {r.agents.into_iter().map(|a| view! {
                <div class="mt-2" data-agent=a.agent_id.clone()>
                    <p class="text-slate-600">{t!(i18n, retell.agent_heading, name = a.agent_name.unwrap_or_default(), id = a.agent_id.clone())}</p>
                    {a.problem.map(|p| view! { <p class="text-amber-800">{p}</p> })}
                    <table class="mt-1 w-full table-fixed text-left text-xs">
                        <tbody>
                            {a.changes.into_iter().map(|c| view! {
                                <tr class="border-t border-slate-100 align-top" data-field=c.field.clone()>
                                    <td class="w-1/5 py-1 font-mono">{c.field.clone()}</td>
                                    <td class="w-2/5"><pre class="max-h-48 overflow-auto whitespace-pre-wrap text-red-800">{pretty(c.before)}</pre></td>
                                    <td class="w-2/5"><pre class="max-h-48 overflow-auto whitespace-pre-wrap text-emerald-800">{pretty(c.after)}</pre></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }).collect_view()}
        </div>
    }
    .into_any()
}
