//! The connection itself: the webhook URL to copy, the Retell API key (masked; checked by
//! Retell before it is stored), the webhook events, the function token (shown once), and the
//! agent picker that binds an agent and its numbers. Actions live above the reloading parts,
//! so their answers (a new token, an error) stay on screen when the page reloads its data.

use super::{failure, field_error, other_error, when, CopyButton, FieldNote, Refresh};
use crate::api::{
    bind_retell_agent, get_retell_webhook, list_retell_agents, rotate_function_token,
    save_retell_events, unbind_retell_number, ApiError, SaveRetellKey,
};
use crate::contract::{BoundAgents, RetellAccount, WebhookConfig};
use crate::i18n::*;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

const INPUT: &str = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-indigo-500 focus:outline-none";
const BUTTON: &str = "rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50";
const SECONDARY: &str = "rounded-md bg-white px-3 py-1.5 text-sm shadow-sm ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-50";

type ConfigAction<I> = Action<I, Result<WebhookConfig, ApiError>>;
type BindAction = Action<String, Result<BoundAgents, ApiError>>;

/// Bumps `refresh` whenever `value` turns into a success.
fn reload_on_success<T: Clone + Send + Sync + 'static>(
    value: impl Fn() -> Option<Result<T, ApiError>> + 'static,
    refresh: Refresh,
) {
    Effect::new(move |_| {
        if let Some(Ok(_)) = value() {
            refresh.update(|n| *n += 1);
        }
    });
}

/// Webhook, key, events, token and agents.
#[component]
pub fn Connect(refresh: Refresh, owner: bool) -> AnyView {
    let config = Resource::new(move || refresh.get(), |_| get_retell_webhook());
    let save_key = ServerAction::<SaveRetellKey>::new();
    let save_events: ConfigAction<Vec<String>> =
        Action::new(|events: &Vec<String>| save_retell_events(events.clone()));
    let rotate: ConfigAction<()> = Action::new(|_: &()| rotate_function_token());
    reload_on_success(move || save_key.value().get(), refresh);
    reload_on_success(move || save_events.value().get(), refresh);
    reload_on_success(move || rotate.value().get(), refresh);
    let i18n = use_i18n();
    let new_token = move || {
        match rotate.value().get() {
        Some(Ok(c)) => c.new_function_token.map(|t| {
            view! {
                <div role="status" class="mt-2 rounded-md border border-emerald-300 bg-emerald-50 p-2">
                    <p>{t!(i18n, retell.new_function_token)}</p>
                    <code class="block break-all font-mono text-xs" data-testid="new-function-token">{t}</code>
                </div>
            }
        }),
        _ => None,
    }
    };
    view! {
        <section class="mb-6 rounded-xl bg-white p-6 text-sm shadow-sm" data-testid="connect">
            <h2 class="mb-4 text-base font-semibold">{t!(i18n, retell.connect_title)}</h2>
            <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match config.await {
                        Ok(c) => Either::Left(view! { <Settings c owner save_key save_events rotate/> }),
                        Err(e) => Either::Right(view! { <crate::pages::ErrorNote message=crate::pages::error_text(&e, i18n)/> }),
                    }
                })}
            </Suspense>
            {new_token}
            <FieldNote message=Signal::derive(move || failure(rotate.value().get(), i18n))/>
        </section>
        <section class="mb-6 rounded-xl bg-white p-6 text-sm shadow-sm" data-testid="agents">
            <h2 class="mb-4 text-base font-semibold">{t!(i18n, retell.agents_title)}</h2>
            <Agents refresh owner/>
        </section>
    }
    .into_any()
}

#[component]
fn Settings(
    c: WebhookConfig,
    owner: bool,
    save_key: ServerAction<SaveRetellKey>,
    save_events: ConfigAction<Vec<String>>,
    rotate: ConfigAction<()>,
) -> AnyView {
    let i18n = use_i18n();
    let has_key = c.retell_api_key.is_some();
    let key_shown = c.retell_api_key.clone();
    let key_shown = move || match &key_shown {
        Some(key) => key.clone(),
        None => t_string!(i18n, retell.key_not_set).to_owned(),
    };
    let verified = c
        .key_verified_local
        .clone()
        .map(|at| view! { {t!(i18n, retell.key_accepted_at, at = when(&at))} });
    let token = match (c.function_token.set, &c.function_token.created_local) {
        (true, Some(at)) => EitherOf3::A(view! { {t!(i18n, retell.token_set_at, at = when(at))} }),
        (true, None) => EitherOf3::B(view! { {t!(i18n, retell.token_set)} }),
        _ => EitherOf3::C(view! { {t!(i18n, retell.token_not_set)} }),
    };
    let events = if owner {
        Either::Left(view! { <Events c=c.clone() save_events/> })
    } else {
        Either::Right(view! { <span>{c.events.join(", ")}</span> })
    };
    let hydrated = crate::pages::use_hydrated();
    let token_set = c.function_token.set;
    let token_label = move || {
        if token_set {
            t_string!(i18n, retell.rotate_token)
        } else {
            t_string!(i18n, retell.generate_token)
        }
    };
    view! {
        <dl class="space-y-4">
            <div>
                <dt class="font-medium">{t!(i18n, retell.webhook_url)}</dt>
                <dd class="mt-1 flex items-center gap-2">
                    <code class="break-all rounded bg-slate-100 px-2 py-1" data-testid="webhook-url">{c.webhook_url.clone()}</code>
                    <CopyButton text=c.webhook_url.clone() label=move || t_string!(i18n, retell.copy)/>
                </dd>
            </div>
            <div>
                <dt class="font-medium">{t!(i18n, retell.api_key)}</dt>
                <dd class="mt-1">
                    <span data-testid="masked-key">{key_shown}</span>
                    <span class="text-slate-500">{verified}</span>
                </dd>
                {owner.then(|| view! { <KeyForm has_key save_key/> })}
            </div>
            <div>
                <dt class="font-medium">{t!(i18n, retell.webhook_events)}</dt>
                <dd class="mt-1">{events}</dd>
            </div>
            <div>
                <dt class="font-medium">{t!(i18n, retell.function_token, header = c.function_token.header.clone())}</dt>
                <dd class="mt-1" data-testid="function-token">
                    {token}
                    {c.function_token.previous_valid_until_local.clone().map(|until| view! {
                        <span class="block text-slate-500">{t!(i18n, retell.previous_token_until, until = when(&until))}</span>
                    })}
                </dd>
                {owner.then(|| view! {
                    <button type="button" class=format!("mt-2 {SECONDARY}")
                        disabled=move || !hydrated.get() || rotate.pending().get()
                        on:click=move |_| { rotate.dispatch(()); }>
                        {token_label}
                    </button>
                })}
            </div>
        </dl>
    }
    .into_any()
}

/// Paste and save a key (a plain form POST works before the app is loaded).
#[component]
fn KeyForm(has_key: bool, save_key: ServerAction<SaveRetellKey>) -> AnyView {
    let i18n = use_i18n();
    let label = move || {
        if has_key {
            t_string!(i18n, retell.replace_key)
        } else {
            t_string!(i18n, retell.save_key)
        }
    };
    view! {
        <ActionForm action=save_key attr:class="mt-2">
            <div class="flex flex-wrap items-start gap-2">
                <input
                    name="retell_api_key"
                    type="password"
                    autocomplete="off"
                    required
                    placeholder=move || t_string!(i18n, retell.key_placeholder)
                    aria-label=move || t_string!(i18n, retell.api_key)
                    class=format!("w-96 {INPUT}")
                />
                <button type="submit" class=format!("mt-1 {BUTTON}") disabled=move || save_key.pending().get()>{label}</button>
            </div>
            <FieldNote
                message=Signal::derive(move || field_error(save_key.value().get(), "retell_api_key"))
                testid="key-error"
            />
            <FieldNote message=Signal::derive(move || other_error(save_key.value().get(), &["retell_api_key"], i18n))/>
        </ActionForm>
        {move || matches!(save_key.value().get(), Some(Ok(_))).then(|| view! {
            <p role="status" class="mt-1 text-sm text-emerald-700">{t!(i18n, retell.key_accepted)}</p>
        })}
    }
    .into_any()
}

/// Event checkboxes and a save button.
#[component]
fn Events(c: WebhookConfig, save_events: ConfigAction<Vec<String>>) -> AnyView {
    let chosen = RwSignal::new(c.events.clone());
    let hydrated = crate::pages::use_hydrated();
    let i18n = use_i18n();
    view! {
        <div class="flex flex-wrap items-center gap-3">
            {c.available_events.into_iter().map(|e| {
                let name = e.clone();
                let toggle = e.clone();
                view! {
                    <label class="flex items-center gap-1">
                        <input
                            type="checkbox"
                            prop:checked=move || chosen.get().contains(&name)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let t = toggle.clone();
                                chosen.update(|list| {
                                    list.retain(|x| *x != t);
                                    if on {
                                        list.push(t);
                                    }
                                });
                            }
                        />
                        {e}
                    </label>
                }
            }).collect_view()}
            <button type="button" class=SECONDARY
                disabled=move || !hydrated.get() || save_events.pending().get()
                on:click=move |_| { save_events.dispatch(chosen.get()); }>
                {t!(i18n, retell.save_events)}
            </button>
        </div>
        <FieldNote message=Signal::derive(move || field_error(save_events.value().get(), "events"))/>
    }
    .into_any()
}

/// The account's agents and numbers, with bind and remove.
#[component]
fn Agents(refresh: Refresh, owner: bool) -> AnyView {
    let account = Resource::new(move || refresh.get(), |_| list_retell_agents());
    let bind: BindAction = Action::new(|id: &String| bind_retell_agent(id.clone()));
    let unbind: BindAction = Action::new(|e164: &String| unbind_retell_number(e164.clone()));
    reload_on_success(move || bind.value().get(), refresh);
    reload_on_success(move || unbind.value().get(), refresh);
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, retell.asking_for_agents)}</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(a) => Either::Left(view! { <AgentPicker a owner bind unbind/> }),
                    Err(e) => Either::Right(view! {
                        <p class="text-slate-600" data-testid="agents-unavailable">{crate::pages::error_text(&e, i18n)}</p>
                    }),
                }
            })}
        </Suspense>
        <FieldNote
            message=Signal::derive(move || failure(bind.value().get(), i18n))
            testid="bind-error"
        />
        <FieldNote message=Signal::derive(move || failure(unbind.value().get(), i18n))/>
    }
    .into_any()
}

#[component]
fn AgentPicker(
    a: RetellAccount,
    owner: bool,
    bind: BindAction,
    unbind: BindAction,
) -> impl IntoView {
    let hydrated = crate::pages::use_hydrated();
    let i18n = use_i18n();
    if a.agents.is_empty() {
        return Either::Left(view! {
            <p class="text-slate-600">{t!(i18n, retell.no_agents)}</p>
        });
    }
    let first = a
        .agents
        .iter()
        .find(|x| !x.bound_here)
        .or(a.agents.first())
        .map(|x| x.agent_id.clone())
        .unwrap_or_default();
    let picked = RwSignal::new(first.clone());
    let bound: Vec<String> = a
        .agents
        .iter()
        .filter(|x| x.bound_here)
        .map(|x| match &x.agent_name {
            Some(n) => format!("{n} ({})", x.agent_id),
            None => x.agent_id.clone(),
        })
        .collect();
    let options = a
        .agents
        .iter()
        .map(|x| {
            let (agent_name, agent_id, bound_here) =
                (x.agent_name.clone(), x.agent_id.clone(), x.bound_here);
            let numbers = if x.numbers.is_empty() {
                String::new()
            } else {
                format!(" · {}", x.numbers.join(", "))
            };
            let label = move || {
                format!(
                    "{} ({agent_id}){numbers}{}",
                    agent_name
                        .clone()
                        .unwrap_or_else(|| t_string!(i18n, retell.unnamed).to_owned()),
                    if bound_here {
                        format!(" · {}", t_string!(i18n, retell.bound))
                    } else {
                        String::new()
                    },
                )
            };
            let selected = x.agent_id == first;
            view! { <option value=x.agent_id.clone() selected=selected>{label}</option> }
        })
        .collect_view();
    let picker = owner.then(|| {
        view! {
            <div class="flex flex-wrap items-end gap-2">
                <label class="text-sm font-medium">
                    {t!(i18n, retell.agent)}
                    <select class=INPUT aria-label=move || t_string!(i18n, retell.agent) on:change=move |ev| picked.set(event_target_value(&ev))>
                        {options}
                    </select>
                </label>
                <button type="button" class=BUTTON
                    disabled=move || !hydrated.get() || bind.pending().get()
                    on:click=move |_| { bind.dispatch(picked.get()); }>
                    {t!(i18n, retell.bind)}
                </button>
            </div>
        }
    });
    let rows = a
        .phone_numbers
        .into_iter()
        .map(|n| {
            let e164 = n.e164.clone();
            let bound_here = n.bound_here;
            let remove = (owner && n.bound_here).then(|| {
                view! {
                    <button type="button" class="text-xs text-red-700 hover:underline"
                        disabled=move || !hydrated.get()
                        on:click=move |_| { unbind.dispatch(e164.clone()); }>
                        {t!(i18n, retell.remove)}
                    </button>
                }
            });
            view! {
                <tr class="border-t border-slate-100" data-number=n.e164.clone()>
                    <td class="py-1 font-mono">{n.e164.clone()}</td>
                    <td>{n.inbound_agent_id.unwrap_or_default()}</td>
                    <td>{move || if bound_here { t_string!(i18n, retell.bound) } else { "–" }}</td>
                    <td>{remove}</td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <p class="mb-2" data-testid="bound-agents">
            {if bound.is_empty() {
                Either::Left(view! { {t!(i18n, retell.no_agent_bound)} })
            } else {
                Either::Right(view! { {t!(i18n, retell.bound_agents, agents = bound.join(", "))} })
            }}
        </p>
        {picker}
        <table class="mt-4 w-full text-left">
            <thead class="text-xs uppercase text-slate-500">
                <tr>
                    <th class="py-1">{t!(i18n, retell.column_number)}</th>
                    <th>{t!(i18n, retell.column_agent)}</th>
                    <th>{t!(i18n, retell.column_here)}</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    })
}
