//! The invitation link's page (`/admin/invite/{token}`, no sign-in needed): who it is for,
//! choose a password, be signed in.

use super::platform_text as t;
use crate::api::{invitation_accept, invitation_get};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

/// The page.
#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let preview = Resource::new(token, invitation_get);
    view! {
        <main class="flex min-h-screen items-center justify-center p-4">
            <div class="w-full max-w-sm rounded-xl bg-white p-8 shadow">
                <h1 class="mb-4 text-2xl font-semibold">{t::invite_title}</h1>
                <Suspense fallback=|| view! { <p class="text-slate-500">{t::loading}</p> }>
                    {move || Suspend::new(async move {
                        match preview.await {
                            Ok(p) => Either::Left(view! {
                                <p class="mb-4 text-sm text-slate-700" data-testid="invitation">
                                    {t::invited_as(&p.email, &p.tenant_name, p.role.as_str())}
                                </p>
                                <AcceptForm token=token()/>
                            }),
                            Err(e) => Either::Right(view! { <super::ErrorNote message=e.to_string()/> }),
                        }
                    })}
                </Suspense>
            </div>
        </main>
    }
}

#[component]
fn AcceptForm(token: String) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let hydrated = super::use_hydrated();
    let accept = Action::new(move |pw: &String| invitation_accept(token.clone(), pw.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = accept.value().get() {
            navigate("/admin", Default::default());
        }
    });
    let error = move || match accept.value().get() {
        Some(Err(e)) => Some(view! { <super::ErrorNote message=e.to_string()/> }),
        _ => None,
    };
    view! {
        <div class="space-y-4">
            <label class="block text-sm font-medium">{t::choose_password}
                <input type="password" autocomplete="new-password" bind:value=password
                    class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"/>
            </label>
            {error}
            <button type="button"
                class="w-full rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
                disabled=move || accept.pending().get() || !hydrated.get()
                on:click=move |_| { accept.dispatch(password.get()); }>{t::accept}</button>
        </div>
    }
}
