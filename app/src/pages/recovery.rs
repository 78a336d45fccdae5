//! "Needs attention" panel: bookings that could not be finalized when their call ended, with
//! retry, rebook and dismiss actions (shown above the appointments list).

use crate::api::{dismiss_recovery, list_recovery, rebook_recovery, retry_recovery};
use crate::contract::RecoveryItem;
use leptos::either::EitherOf3;
use leptos::prelude::*;

/// The panel; renders nothing when the queue is empty.
#[component]
pub fn RecoveryPanel() -> impl IntoView {
    let items = Resource::new(|| (), |_| list_recovery());
    let message = RwSignal::new(None::<String>);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(list) if list.is_empty() => EitherOf3::A(()),
                    Ok(list) => EitherOf3::B(view! {
                        <section class="mb-6 rounded-xl border border-amber-300 bg-amber-50 p-4" data-testid="recovery-panel">
                            <h2 class="mb-1 font-semibold text-amber-900">"Needs attention"</h2>
                            <p class="mb-3 text-sm text-amber-800">
                                "These bookings no longer fit the schedule: phone bookings that could not be confirmed when their call ended, and appointments a set-up change stranded. Retry once the cause is fixed, move them to another time, or dismiss them."
                            </p>
                            {move || message.get().map(|m| view! { <p class="mb-2 text-sm text-rose-700" role="alert">{m}</p> })}
                            {list.into_iter().map(|item| view! { <RecoveryRow item items message/> }).collect_view()}
                        </section>
                    }),
                    Err(e) => EitherOf3::C(view! {
                        <section class="mb-6"><super::ErrorNote message=e.to_string()/></section>
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
    let new_time = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let done = move |r: Result<RecoveryItem, crate::api::ApiError>| {
        match r {
            Ok(_) => message.set(None),
            Err(e) => message.set(Some(e.to_string())),
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
    let off = super::use_hydrated();
    let off = move || !off.get();
    let button =
        "rounded-md bg-white px-2 py-1 text-xs shadow-sm ring-1 ring-slate-300 hover:bg-slate-50";
    let input = "rounded-md border border-slate-300 px-2 py-1 text-xs";
    view! {
        <div class="mb-2 rounded-lg bg-white p-3 text-sm shadow-sm" data-recovery-id=id.to_string()>
            <div class="font-medium">{format!("{} · {} · {} with {}", a.starts_local, a.customer_name, a.service, a.staff)}</div>
            <div class="text-slate-500">{format!("{} · queued {} · {}", a.customer_phone, item.queued_local, item.reason)}</div>
            <div class="mt-2 flex flex-wrap items-center gap-2">
                <button type="button" class=button disabled=off on:click=move |_| { retry.dispatch(()); }>"Retry"</button>
                <input class=input placeholder="2026-12-03T15:00" aria-label="New time" bind:value=new_time/>
                <button type="button" class=button disabled=off on:click=move |_| { rebook.dispatch(new_time.get()); }>"Move & book"</button>
                <input class=input placeholder="Reason" aria-label="Dismiss reason" bind:value=reason/>
                <button type="button" class=button disabled=off on:click=move |_| { dismiss.dispatch(reason.get()); }>"Dismiss"</button>
            </div>
        </div>
    }
}
