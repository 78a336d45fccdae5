//! Routed pages of the admin UI.

pub mod appointment_panel;
pub mod appointments;
pub mod calendar;
pub mod call_detail;
pub mod calls;
pub mod charts;
pub mod dashboard;
pub mod layout;
pub mod live;
pub mod login;
pub mod monitoring;
pub mod recovery;
pub mod retell;
pub mod scheduling;
pub mod settings;
pub mod setup;
pub mod tokens;

use leptos::prelude::*;

/// Shown for any unknown path.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="mx-auto max-w-md p-8 text-center">
            <h1 class="text-2xl font-semibold">"Page not found"</h1>
            <a class="mt-4 inline-block text-indigo-600 hover:underline" href="/admin">"Back to the dashboard"</a>
        </main>
    }
}

/// A titled page section used by every page.
#[component]
pub fn PageHeader(title: &'static str, subtitle: &'static str) -> impl IntoView {
    view! {
        <header class="mb-6">
            <h1 class="text-2xl font-semibold tracking-tight">{title}</h1>
            <p class="mt-1 text-sm text-slate-500">{subtitle}</p>
        </header>
    }
}

/// A red box with an error sentence.
#[component]
pub fn ErrorNote(message: String) -> impl IntoView {
    view! {
        <p role="alert" class="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-700">
            {message}
        </p>
    }
}

/// The gateway's sentence for one input, shown beside it: the error's field is `field` or
/// lies inside it (`hours[2]` covers `hours[2].breaks[0].start`).
#[component]
pub fn FieldNote(
    #[prop(into)] error: Signal<Option<crate::api::ApiError>>,
    #[prop(into)] field: String,
) -> impl IntoView {
    let message = move || match error.get() {
        Some(crate::api::ApiError::Rejected {
            field: Some(f),
            message,
            ..
        }) if f == field
            || f.strip_prefix(field.as_str())
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('[')) =>
        {
            Some(message)
        }
        _ => None,
    };
    view! {
        {move || message().map(|m| view! { <p class="mt-1 text-xs text-rose-700" role="alert" data-field-error="">{m}</p> })}
    }
}

/// An error that belongs to no shown field (or any error without a field).
pub fn unplaced(error: &Option<crate::api::ApiError>, shown: &[&str]) -> Option<String> {
    match error {
        Some(crate::api::ApiError::Rejected { field: Some(f), .. })
            if shown.iter().any(|s| {
                f == s
                    || f.strip_prefix(s)
                        .is_some_and(|r| r.starts_with('.') || r.starts_with('['))
            }) =>
        {
            None
        }
        Some(e) => Some(e.to_string()),
        None => None,
    }
}

/// False until this component has been hydrated in the browser. Buttons whose click runs in
/// WASM use it as `disabled`, so a tap before the app is live is not silently lost.
pub fn use_hydrated() -> Signal<bool> {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    hydrated.into()
}

/// The "Reload" button above a list: refetches it; disabled until the app is hydrated.
#[component]
pub fn ReloadButton(#[prop(into)] on_reload: Callback<()>) -> impl IntoView {
    let hydrated = use_hydrated();
    view! {
        <button
            type="button"
            class="mb-4 rounded-md bg-white px-3 py-1.5 text-sm shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
            disabled=move || !hydrated.get()
            on:click=move |_| on_reload.run(())
        >
            "Reload"
        </button>
    }
}
