//! One appointment: who, what, when, its call, its history (who or what created, moved and
//! cancelled it), and moving or cancelling it by hand. Used by the calendar, the appointments
//! list and the call detail.

use crate::api::{cancel_appointment, get_appointment_detail, move_appointment, WriteOutcome};
use crate::contract::{AdminCancelParams, AdminMoveParams, AppointmentDetail};
use leptos::prelude::*;

const INPUT: &str = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm";
const BUTTON: &str = "rounded-md bg-white px-3 py-1 text-sm shadow-sm ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-50";

/// The panel of appointment `id`; `on_changed` runs after a move or cancellation.
#[component]
pub fn AppointmentPanel(
    id: i64,
    #[prop(into)] on_changed: Callback<()>,
    #[prop(into, optional)] on_close: Option<Callback<()>>,
) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let detail = Resource::new(move || version.get(), move |_| get_appointment_detail(id));
    let changed = Callback::new(move |_: ()| {
        version.update(|v| *v += 1);
        on_changed.run(());
    });
    let hydrated = super::use_hydrated();
    let close = on_close.map(|c| view! {
        <button type="button" class="text-sm text-slate-500 hover:underline" disabled=move || !hydrated.get() on:click=move |_| c.run(())>"Close"</button>
    });
    view! {
        <section class="mb-6 rounded-xl border border-indigo-200 bg-white p-4 shadow-sm" data-testid="appointment-panel" data-appointment-id=id.to_string()>
            <div class="flex items-center justify-between">
                <h2 class="font-semibold">{format!("Appointment #{id}")}</h2>
                {close}
            </div>
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <Detail d changed/> }.into_any(),
                        Err(e) => view! { <super::ErrorNote message=e.to_string()/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Detail(d: AppointmentDetail, changed: Callback<()>) -> impl IntoView {
    let a = d.appointment.clone();
    let id = a.id;
    let active = a.status.occupies();
    let call = a.call_id.clone().map(|c| view! {
        <div><dt class="inline font-medium">"Call: "</dt><dd class="inline"><a class="text-indigo-600 underline" href=format!("/admin/calls/{c}")>{c.clone()}</a></dd></div>
    });
    let contact = d.contact_phone.clone().map(|p| view! { <div><dt class="inline font-medium">"Contact number: "</dt><dd class="inline">{p}</dd></div> });
    let reason = d.cancel_reason.clone().map(|r| view! { <div><dt class="inline font-medium">"Cancelled because: "</dt><dd class="inline">{r}</dd></div> });
    let history = d.history.into_iter().map(|h| {
        let by = match h.call_id.clone() {
            Some(c) => view! { <a class="text-indigo-600 underline" href=format!("/admin/calls/{c}")>{h.by.clone()}</a> }.into_any(),
            None => view! { <span>{h.by.clone()}</span> }.into_any(),
        };
        view! {
            <tr class="border-t border-slate-100" data-action=h.action.clone()>
                <td class="px-2 py-1 whitespace-nowrap">{h.at_local}</td>
                <td class="px-2 py-1">{h.action.replace('_', " ")}</td>
                <td class="px-2 py-1">{by}</td>
                <td class="px-2 py-1">{h.summary}</td>
            </tr>
        }
    }).collect_view();
    view! {
        <dl class="mt-2 grid gap-1 text-sm" data-status=a.status.as_str()>
            <div><dt class="inline font-medium">"When: "</dt><dd class="inline">{format!("{} – {}", a.starts_local, a.ends_local.get(11..).unwrap_or(""))}</dd></div>
            <div><dt class="inline font-medium">"What: "</dt><dd class="inline">{format!("{} with {}", a.service, a.staff)}</dd></div>
            <div><dt class="inline font-medium">"Customer: "</dt><dd class="inline">{format!("{} · {}", a.customer_name, a.customer_phone)}</dd></div>
            <div><dt class="inline font-medium">"Status: "</dt><dd class="inline">{format!("{} (by {})", a.status.as_str(), a.source)}</dd></div>
            {call}{contact}{reason}
            {(!a.notes.is_empty()).then(|| view! { <div><dt class="inline font-medium">"Notes: "</dt><dd class="inline">{a.notes.clone()}</dd></div> })}
        </dl>
        <h3 class="mt-3 text-sm font-medium">"History"</h3>
        <table class="mt-1 w-full text-xs" data-testid="appointment-history">
            <tbody>{history}</tbody>
        </table>
        {active.then(|| view! { <Actions id start=a.starts_local.replace(' ', "T") changed/> })}
    }
}

/// Move and cancel.
#[component]
fn Actions(id: i64, start: String, changed: Callback<()>) -> impl IntoView {
    let when = RwSignal::new(start);
    let reason = RwSignal::new(String::new());
    let moving = Action::new(|p: &AdminMoveParams| move_appointment(p.clone()));
    let cancelling = Action::new(|p: &AdminCancelParams| cancel_appointment(p.clone()));
    let hydrated = super::use_hydrated();
    Effect::new(move |_| {
        if matches!(moving.value().get(), Some(Ok(WriteOutcome::Done(_))))
            || matches!(cancelling.value().get(), Some(Ok(_)))
        {
            changed.run(());
        }
    });
    let move_note = move || {
        match moving.value().get() {
        Some(Ok(WriteOutcome::Taken { message, alternatives })) => view! {
            <div class="mt-1 text-xs text-amber-900" role="alert" data-testid="move-taken">
                <p>{message}</p>
                <div class="mt-1 flex flex-wrap gap-1">{alternatives.into_iter().map(|alt| {
                    let local = alt.local.clone();
                    view! { <button type="button" class=BUTTON on:click=move |_| when.set(local.clone())>{format!("{} · {}", alt.local.replace('T', " "), alt.staff)}</button> }
                }).collect_view()}</div>
            </div>
        }.into_any(),
        Some(Err(e)) => view! { <p class="mt-1 text-xs text-rose-700" role="alert">{e.to_string()}</p> }.into_any(),
        _ => ().into_any(),
    }
    };
    let cancel_note = move || match cancelling.value().get() {
        Some(Err(e)) => {
            view! { <p class="mt-1 text-xs text-rose-700" role="alert">{e.to_string()}</p> }
                .into_any()
        }
        _ => ().into_any(),
    };
    view! {
        <div class="mt-3 grid gap-3 md:grid-cols-2">
            <div>
                <label class="block text-sm">"Move to (YYYY-MM-DDTHH:MM)"<input class=INPUT bind:value=when/></label>
                <button type="button" class=format!("mt-1 {BUTTON}") disabled=move || !hydrated.get() || moving.pending().get()
                    on:click=move |_| { moving.dispatch(AdminMoveParams { appointment_id: id, start: when.get_untracked(), staff_id: None }); }>"Move"</button>
                {move_note}
            </div>
            <div>
                <label class="block text-sm">"Cancellation reason"<input class=INPUT bind:value=reason/></label>
                <button type="button" class=format!("mt-1 {BUTTON}") disabled=move || !hydrated.get() || cancelling.pending().get()
                    on:click=move |_| { cancelling.dispatch(AdminCancelParams { appointment_id: id, reason: reason.get_untracked() }); }>"Cancel appointment"</button>
                {cancel_note}
            </div>
        </div>
    }
}
