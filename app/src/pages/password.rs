//! Password: the signed-in admin changes their own password (the current one is required).

use super::platform_text as t;
use crate::api::{change_password, ApiError};
use crate::contract::{codes, PasswordChange};
use leptos::either::Either;
use leptos::prelude::*;

/// The page.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let hydrated = super::use_hydrated();
    let change = Action::new(|p: &PasswordChange| {
        let p = p.clone();
        async move { change_password(p).await }
    });
    let mismatch = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            current.set(String::new());
            new.set(String::new());
            repeat.set(String::new());
        }
    });
    let error = Signal::derive(move || {
        if mismatch.get() {
            return Some(ApiError::Rejected {
                code: codes::INVALID_PARAMS,
                message: t::passwords_differ().into(),
                field: Some("repeat".into()),
            });
        }
        change.value().get().and_then(|r| r.err())
    });
    let outcome = move || match (mismatch.get(), change.value().get()) {
        (false, Some(Ok(()))) => Some(Either::Left(
            view! { <p role="status" class="text-sm text-emerald-700">{t::password_changed}</p> },
        )),
        (false, Some(Err(e))) => super::unplaced(&Some(e), &["current_password", "new_password"])
            .map(|m| Either::Right(view! { <super::ErrorNote message=m/> })),
        _ => None,
    };
    let submit = move |_| {
        let differ = new.get() != repeat.get();
        mismatch.set(differ);
        if !differ {
            change.dispatch(PasswordChange {
                current_password: current.get(),
                new_password: new.get(),
            });
        }
    };
    let input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2";
    view! {
        <super::PageHeader title=t::password_title subtitle=t::password_subtitle/>
        <div class="max-w-md space-y-4 rounded-xl bg-white p-6 shadow-sm">
            <label class="block text-sm font-medium">{t::current_password}
                <input type="password" autocomplete="current-password" class=input bind:value=current/>
                <super::FieldNote error field="current_password"/>
            </label>
            <label class="block text-sm font-medium">{t::new_password}
                <input type="password" autocomplete="new-password" class=input bind:value=new/>
                <super::FieldNote error field="new_password"/>
            </label>
            <label class="block text-sm font-medium">{t::repeat_password}
                <input type="password" autocomplete="new-password" class=input bind:value=repeat/>
                <super::FieldNote error field="repeat"/>
            </label>
            {outcome}
            <button type="button"
                class="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
                disabled=move || change.pending().get() || !hydrated.get()
                on:click=submit>{t::change_password}</button>
        </div>
    }
}
