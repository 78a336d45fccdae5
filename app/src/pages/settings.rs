//! Tenant settings: business name, time zone and language (an interactive, hydrated form).

use crate::api::{get_tenant_settings, update_tenant, ApiError};
use crate::contract::{Locale, TenantSettings, TenantUpdate};
use crate::i18n::*;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// Loads the settings and shows the edit form.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| get_tenant_settings());
    let i18n = use_i18n();
    view! {
        <super::PageHeader
            title=move || t_string!(i18n, settings.title)
            subtitle=move || t_string!(i18n, settings.subtitle)
        />
        <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(s) => Either::Left(view! { <SettingsForm initial=s/> }),
                    Err(e) => Either::Right(view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }),
                }
            })}
        </Suspense>
    }
}

/// The form; saving needs the WASM app (the button dispatches a server action).
#[component]
fn SettingsForm(initial: TenantSettings) -> impl IntoView {
    let name = RwSignal::new(initial.name.clone());
    let time_zone = RwSignal::new(initial.time_zone.clone());
    let locale = RwSignal::new(initial.locale);
    let save = Action::new(|update: &TenantUpdate| update_tenant(update.clone()));
    let hydrated = super::use_hydrated();
    let i18n = use_i18n();
    let on_save = move |_| {
        save.dispatch(TenantUpdate {
            name: name.get(),
            time_zone: time_zone.get(),
            locale: locale.get(),
        });
    };
    let status = move || match save.value().get() {
        Some(Ok(_)) => Some(Either::Left(view! {
            <p role="status" class="text-sm text-emerald-700">{t!(i18n, settings.saved)}</p>
        })),
        Some(Err(e)) => Some(Either::Right(
            view! { <super::ErrorNote message=field_message(&e, i18n)/> },
        )),
        None => None,
    };
    let input_class = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none";
    view! {
        <div class="max-w-xl space-y-5 rounded-xl bg-white p-6 shadow-sm">
            <label class="block text-sm font-medium">
                {t!(i18n, settings.business_name)}
                <input name="name" class=input_class bind:value=name/>
            </label>
            <label class="block text-sm font-medium">
                {t!(i18n, settings.time_zone)}
                <input name="time_zone" class=input_class bind:value=time_zone placeholder="Europe/Berlin"/>
            </label>
            <label class="block text-sm font-medium">
                {t!(i18n, settings.language)}
                <select
                    name="locale"
                    class=input_class
                    on:change=move |ev| {
                        if let Some(l) = Locale::parse(&event_target_value(&ev)) {
                            locale.set(l);
                        }
                    }
                >
                    <option value="de" selected=move || locale.get() == Locale::De>"Deutsch"</option>
                    <option value="en" selected=move || locale.get() == Locale::En>"English"</option>
                </select>
            </label>
            <div class="text-sm text-slate-600">
                <span class="font-medium">{t!(i18n, settings.phone_numbers)}</span>
                {initial
                    .phone_numbers
                    .iter()
                    .map(|p| p.e164.clone())
                    .collect::<Vec<_>>()
                    .join(", ")}
            </div>
            {status}
            <button
                type="button"
                class="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
                disabled=move || save.pending().get() || !hydrated.get()
                on:click=on_save
            >
                {t!(i18n, settings.save)}
            </button>
        </div>
    }
}

/// The error sentence, prefixed with the field it concerns.
fn field_message(e: &ApiError, i18n: I18nContext<crate::i18n::Locale>) -> String {
    match e {
        ApiError::Rejected {
            field: Some(f),
            message,
            ..
        } => format!("{f}: {message}"),
        other => super::error_text(other, i18n),
    }
}
