//! The sign-in page (works without WASM through a plain form POST as well).

use crate::api::Login;
use crate::i18n::*;
use crate::i18n_setup::{locale_of, LanguageSwitch};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// E-mail + password form; on success goes to the dashboard.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let navigate = use_navigate();
    let i18n = use_i18n();
    Effect::new(move |_| {
        if let Some(Ok(admin)) = login.value().get() {
            i18n.set_locale(locale_of(admin.language));
            navigate(admin.home(), Default::default());
        }
    });
    let error = move || match login.value().get() {
        Some(Err(e)) => Some(view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }),
        _ => None,
    };
    view! {
        <main class="flex min-h-screen items-center justify-center p-4">
            <div class="w-full max-w-sm rounded-xl bg-white p-8 shadow">
                <div class="mb-4 flex justify-end"><LanguageSwitch/></div>
                <h1 class="mb-6 text-2xl font-semibold">{t!(i18n, common.login_title)}</h1>
                <ActionForm action=login attr:class="space-y-4">
                    <label class="block text-sm font-medium">
                        {t!(i18n, common.email)}
                        <input name="email" type="email" required autocomplete="username"
                            class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none"/>
                    </label>
                    <label class="block text-sm font-medium">
                        {t!(i18n, common.password)}
                        <input name="password" type="password" required autocomplete="current-password"
                            class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none"/>
                    </label>
                    {error}
                    <button type="submit"
                        class="w-full rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
                        disabled=move || login.pending().get()>
                        {t!(i18n, common.sign_in)}
                    </button>
                </ActionForm>
            </div>
        </main>
    }
}
