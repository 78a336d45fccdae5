//! The four custom functions: a toggle each, and an editor for the description, the
//! parameters' JSON Schema, the timeout, the retries and what the agent says meanwhile.
//! Errors appear under the field that caused them.

use super::{field_error, other_error, FieldNote, Refresh};
use crate::api::{
    get_custom_functions, save_custom_function, toggle_custom_function, ApiError, FunctionForm,
};
use crate::contract::CustomFunction;
use leptos::either::Either;
use leptos::prelude::*;

const INPUT: &str = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-indigo-500 focus:outline-none";

type SaveAction = Action<FunctionForm, Result<CustomFunction, ApiError>>;
type ToggleAction = Action<(String, bool), Result<CustomFunction, ApiError>>;

/// The editors' fields.
const FIELDS: [&str; 5] = [
    "description",
    "parameters",
    "execution_message",
    "timeout_ms",
    "max_retry",
];

/// All four functions.
#[component]
pub fn Functions(refresh: Refresh, owner: bool) -> AnyView {
    let list = Resource::new(move || refresh.get(), |_| get_custom_functions());
    let save: SaveAction = Action::new(|f: &FunctionForm| save_custom_function(f.clone()));
    let toggle: ToggleAction =
        Action::new(|(name, on): &(String, bool)| toggle_custom_function(name.clone(), *on));
    // Which function the last save or toggle was for (its errors show there).
    let last = RwSignal::new(String::new());
    // One effect per action: a failed save must not re-run on an earlier toggle's success
    // (that reloaded the list, closed the editor and hid the save's error).
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            refresh.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if matches!(toggle.value().get(), Some(Ok(_))) {
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <section class="mb-6 rounded-xl bg-white p-6 text-sm shadow-sm" data-testid="functions">
            <h2 class="mb-1 text-base font-semibold">"3. Booking functions"</h2>
            <p class="mb-4 text-slate-500">"What your agent can do. The deploy sends the enabled ones to Retell; a disabled one is removed there and refused politely here."</p>
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(l) => Either::Left(l.functions.into_iter().map(|f| view! {
                            <Function f owner save toggle last/>
                        }).collect_view()),
                        Err(e) => Either::Right(view! { <crate::pages::ErrorNote message=e.to_string()/> }),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
fn Function(
    f: CustomFunction,
    owner: bool,
    save: SaveAction,
    toggle: ToggleAction,
    last: RwSignal<String>,
) -> AnyView {
    let name = f.name.clone();
    let description = RwSignal::new(f.description.clone());
    let parameters = RwSignal::new(serde_json::to_string_pretty(&f.parameters).unwrap_or_default());
    let speak = RwSignal::new(f.speak_during_execution);
    let message = RwSignal::new(f.execution_message.clone());
    let timeout = RwSignal::new(f.timeout_ms.to_string());
    let retries = RwSignal::new(f.max_retry.to_string());
    let open = RwSignal::new(false);
    let hydrated = crate::pages::use_hydrated();
    let mine = {
        let name = name.clone();
        move || last.get() == name
    };
    let err = {
        let mine = mine.clone();
        move |field: &'static str| {
            let mine = mine.clone();
            Signal::derive(move || {
                if mine() {
                    field_error(save.value().get(), field)
                } else {
                    None
                }
            })
        }
    };
    let other = {
        let mine = mine.clone();
        Signal::derive(move || {
            if !mine() {
                return None;
            }
            other_error(save.value().get(), &FIELDS).or_else(|| {
                toggle
                    .value()
                    .get()
                    .and_then(|r| r.err())
                    .map(|e| e.to_string())
            })
        })
    };
    let toggle_name = name.clone();
    let save_name = name.clone();
    let enabled = f.enabled;
    let switch = if owner {
        Either::Left(view! {
            <label class="flex items-center gap-2">
                <input type="checkbox" checked=enabled aria-label=format!("Enable {}", name)
                    disabled=move || !hydrated.get() || toggle.pending().get()
                    on:change=move |ev| {
                        last.set(toggle_name.clone());
                        toggle.dispatch((toggle_name.clone(), event_target_checked(&ev)));
                    }/>
                "enabled"
            </label>
        })
    } else {
        Either::Right(view! { <span>{if enabled { "enabled" } else { "disabled" }}</span> })
    };
    let on_save = move |_| {
        last.set(save_name.clone());
        save.dispatch(FunctionForm {
            name: save_name.clone(),
            description: description.get(),
            parameters: parameters.get(),
            speak_during_execution: speak.get(),
            execution_message: message.get(),
            timeout_ms: timeout.get(),
            max_retry: retries.get(),
        });
    };
    let editor = move || {
        open.get().then(|| {
            view! {
                <div class="mt-3 space-y-3">
                    <label class="block font-medium">
                        "Description"
                        <textarea class=INPUT rows="3" readonly=!owner prop:value=move || description.get()
                            on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                    </label>
                    <FieldNote message=err("description")/>
                    <label class="block font-medium">
                        "Parameters (JSON Schema)"
                        <textarea class=format!("{INPUT} font-mono text-xs") rows="10" readonly=!owner
                            prop:value=move || parameters.get()
                            on:input=move |ev| parameters.set(event_target_value(&ev))></textarea>
                    </label>
                    <FieldNote message=err("parameters") testid="parameters-error"/>
                    <div class="flex flex-wrap gap-4">
                        <label class="font-medium">
                            "Timeout (ms)"
                            <input class=INPUT inputmode="numeric" readonly=!owner prop:value=move || timeout.get()
                                on:input=move |ev| timeout.set(event_target_value(&ev))/>
                            <FieldNote message=err("timeout_ms")/>
                        </label>
                        <label class="font-medium">
                            "Retries (0–5)"
                            <input class=INPUT inputmode="numeric" readonly=!owner prop:value=move || retries.get()
                                on:input=move |ev| retries.set(event_target_value(&ev))/>
                            <FieldNote message=err("max_retry")/>
                        </label>
                    </div>
                    <label class="flex items-center gap-2">
                        <input type="checkbox" disabled=!owner prop:checked=move || speak.get()
                            on:change=move |ev| speak.set(event_target_checked(&ev))/>
                        "Speak while it runs"
                    </label>
                    <label class="block font-medium">
                        "What the agent says meanwhile"
                        <input class=INPUT readonly=!owner prop:value=move || message.get()
                            on:input=move |ev| message.set(event_target_value(&ev))/>
                    </label>
                    <FieldNote message=err("execution_message")/>
                    {owner.then(|| view! {
                        <button type="button"
                            class="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
                            disabled=move || !hydrated.get() || save.pending().get()
                            on:click=on_save.clone()>
                            "Save function"
                        </button>
                    })}
                </div>
            }
        })
    };
    view! {
        <article class="border-t border-slate-100 py-3" data-function=name.clone()>
            <div class="flex flex-wrap items-center gap-4">
                <span class="font-mono font-semibold">{name.clone()}</span>
                {switch}
                <span class="text-slate-500">{format!("timeout {} ms · {} retries", f.timeout_ms, f.max_retry)}</span>
                {f.customized.then(|| view! { <span class="rounded-full bg-slate-100 px-2 text-xs">"customized"</span> })}
                <button type="button" class="text-indigo-700 hover:underline" disabled=move || !hydrated.get()
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { "Close" } else if owner { "Edit" } else { "Show" }}
                </button>
            </div>
            <p class="mt-1 text-slate-600">{f.description.clone()}</p>
            <FieldNote message=other/>
            {editor}
        </article>
    }
    .into_any()
}
