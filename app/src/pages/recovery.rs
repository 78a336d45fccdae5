//! "Needs attention" panel: bookings that could not be finalized when their call ended, with
//! retry, rebook and dismiss actions (shown above the appointments list).

use crate::api::{dismiss_recovery, list_recovery, rebook_recovery, retry_recovery};
use crate::contract::RecoveryItem;
use crate::i18n::*;
use crate::i18n_setup::{current_language, local_time};
use leptos::either::EitherOf3;
use leptos::prelude::*;

/// The panel; renders nothing when the queue is empty.
#[component]
pub fn RecoveryPanel() -> impl IntoView {
    let items = Resource::new(|| (), |_| list_recovery());
    let message = RwSignal::new(None::<String>);
    let i18n = use_i18n();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(list) if list.is_empty() => EitherOf3::A(()),
                    Ok(list) => EitherOf3::B(view! {
                        <section class="mb-6 rounded-xl border border-amber-300 bg-amber-50 p-4" data-testid="recovery-panel">
                            <h2 class="mb-1 font-semibold text-amber-900">{t!(i18n, recovery.title)}</h2>
                            <p class="mb-3 text-sm text-amber-800">
                                {t!(i18n, recovery.explanation)}
                            </p>
                            {move || message.get().map(|m| view! { <p class="mb-2 text-sm text-rose-700" role="alert">{m}</p> })}
                            {list.into_iter().map(|item| view! { <RecoveryRow item items message/> }).collect_view()}
                        </section>
                    }),
                    Err(e) => EitherOf3::C(view! {
                        <section class="mb-6"><super::ErrorNote message=super::error_text(&e, i18n)/></section>
                    }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RecoveryRow(
    item: RecoveryItem,
    items: Resource<Result<Vec<RecoveryItem>, crate::api::ApiError>>,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let id = item.id;
    let i18n = use_i18n();
    let new_time = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let done = move |r: Result<RecoveryItem, crate::api::ApiError>| {
        match r {
            Ok(_) => message.set(None),
            Err(e) => message.set(Some(super::error_text(&e, i18n))),
        }
        items.refetch();
    };
    let retry = Action::new(move |_: &()| async move { done(retry_recovery(id).await) });
    let rebook = Action::new(move |t: &String| {
        let t = t.clone();
        async move { done(rebook_recovery(id, t).await) }
    });
    let dismiss = Action::new(move |r: &String| {
        let r = r.clone();
        async move { done(dismiss_recovery(id, r).await) }
    });
    let a = item.appointment;
    let starts = a.starts_local.clone();
    let queued = item.queued_local.clone();
    let off = super::use_hydrated();
    let off = move || !off.get();
    let button =
        "rounded-md bg-white px-2 py-1 text-xs shadow-sm ring-1 ring-slate-300 hover:bg-slate-50";
    let input = "rounded-md border border-slate-300 px-2 py-1 text-xs";
    view! {
        <div class="mb-2 rounded-lg bg-white p-3 text-sm shadow-sm" data-recovery-id=id.to_string()>
            <div class="font-medium">{t!(
                i18n,
                recovery.appointment,
                start = move || local_time(&starts, current_language()),
                customer = a.customer_name.clone(),
                service = a.service.clone(),
                staff = a.staff.clone()
            )}</div>
            <div class="text-slate-500">{t!(
                i18n,
                recovery.queued,
                phone = a.customer_phone.clone(),
                queued = move || local_time(&queued, current_language()),
                reason = item.reason.clone()
            )}</div>
            <div class="mt-2 flex flex-wrap items-center gap-2">
                <button type="button" class=button disabled=off on:click=move |_| { retry.dispatch(()); }>{t!(i18n, recovery.retry)}</button>
                <input class=input placeholder="2026-12-03T15:00" aria-label=move || t_string!(i18n, recovery.new_time) bind:value=new_time/>
                <button type="button" class=button disabled=off on:click=move |_| { rebook.dispatch(new_time.get()); }>{t!(i18n, recovery.move_and_book)}</button>
                <input class=input placeholder=move || t_string!(i18n, recovery.reason) aria-label=move || t_string!(i18n, recovery.dismiss_reason) bind:value=reason/>
                <button type="button" class=button disabled=off on:click=move |_| { dismiss.dispatch(reason.get()); }>{t!(i18n, recovery.dismiss)}</button>
            </div>
        </div>
    }
}
