//! Routed pages of the admin UI.

pub mod appointment_panel;
pub mod appointments;
pub mod calendar;
pub mod call_detail;
pub mod call_replay;
pub mod calls;
pub mod charts;
pub mod dashboard;
pub mod invite;
pub mod layout;
pub mod lazy;
pub mod live;
pub mod login;
pub mod monitoring;
pub mod notification_settings;
pub mod notifications;
pub mod password;
pub mod platform;
pub mod platform_frame;
pub mod platform_text;
pub mod recovery;
pub mod retell;
pub mod scheduling;
pub mod settings;
pub mod setup;
pub mod tokens;
pub mod users;

use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// An error as a sentence in the UI's language. The gateway's own sentence (which names the
/// field and what to fix, in English) is shown as it is in English; in German it follows a
/// German sentence for its error code.
pub fn error_text(error: &crate::api::ApiError, i18n: I18nContext<Locale>) -> String {
    match error {
        crate::api::ApiError::Unauthorized => {
            t_string!(i18n, common.error_unauthorized).to_string()
        }
        crate::api::ApiError::Transport(detail) => {
            format!("{} {detail}", t_string!(i18n, common.error_transport))
        }
        crate::api::ApiError::Rejected { message, .. }
            if crate::i18n_setup::language_of(i18n.get_locale_untracked())
                == crate::contract::Language::En =>
        {
            message.clone()
        }
        crate::api::ApiError::Rejected {
            code,
            message,
            field,
        } => {
            use crate::contract::codes;
            let lead = match (*code, field) {
                (codes::UNAUTHORIZED, _) => {
                    t_string!(i18n, common.error_code_unauthorized).to_string()
                }
                (codes::FORBIDDEN, _) => t_string!(i18n, common.error_code_forbidden).to_string(),
                (codes::NOT_FOUND, _) => t_string!(i18n, common.error_code_not_found).to_string(),
                (codes::INVALID_PARAMS | codes::VALIDATION, Some(f)) => {
                    format!(
                        "{} „{f}“.",
                        t_string!(i18n, common.error_code_invalid_field)
                    )
                }
                (codes::INVALID_PARAMS | codes::VALIDATION, None) => {
                    t_string!(i18n, common.error_code_invalid).to_string()
                }
                (codes::SLOT_TAKEN, _) => t_string!(i18n, common.error_code_slot_taken).to_string(),
                (codes::TOO_LATE, _) => t_string!(i18n, common.error_code_too_late).to_string(),
                (codes::WRONG_STATE, _) => {
                    t_string!(i18n, common.error_code_wrong_state).to_string()
                }
                (codes::RATE_LIMITED, _) => {
                    t_string!(i18n, common.error_code_rate_limited).to_string()
                }
                (codes::CIRCUIT_OPEN | codes::UPSTREAM_FAILED, _) => {
                    t_string!(i18n, common.error_code_unavailable).to_string()
                }
                _ => t_string!(i18n, common.error_code_internal).to_string(),
            };
            format!(
                "{lead} ({}: {message})",
                t_string!(i18n, common.error_details)
            )
        }
    }
}

/// Shown for any unknown path.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <main class="mx-auto max-w-md p-8 text-center">
            <h1 class="text-2xl font-semibold">{t!(i18n, common.not_found_title)}</h1>
            <a class="mt-4 inline-block text-indigo-600 hover:underline" href="/admin">{t!(i18n, common.back_to_dashboard)}</a>
        </main>
    }
}

/// A titled page section used by every page (title and subtitle from the catalogue, e.g.
/// `title=move || t_string!(i18n, calls.title)`).
#[component]
pub fn PageHeader(
    #[prop(into)] title: TextProp,
    #[prop(into)] subtitle: TextProp,
) -> impl IntoView {
    view! {
        <header class="mb-6">
            <h1 class="text-2xl font-semibold tracking-tight">{move || title.get()}</h1>
            <p class="mt-1 text-sm text-slate-500">{move || subtitle.get()}</p>
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
    let i18n = use_i18n();
    let message = move || {
        let e = error.get()?;
        let crate::api::ApiError::Rejected { field: Some(f), .. } = &e else {
            return None;
        };
        let here = *f == field
            || f.strip_prefix(field.as_str())
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['));
        here.then(|| error_text(&e, i18n))
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
        Some(e) => Some(error_text(e, use_i18n())),
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
    let i18n = use_i18n();
    view! {
        <button
            type="button"
            class="mb-4 rounded-md bg-white px-3 py-1.5 text-sm shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
            disabled=move || !hydrated.get()
            on:click=move |_| on_reload.run(())
        >
            {t!(i18n, common.reload)}
        </button>
    }
}
