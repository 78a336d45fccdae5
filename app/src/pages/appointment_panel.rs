//! One appointment: who, what, when, its call, its history (who or what created, moved and
//! cancelled it), and moving or cancelling it by hand. Used by the calendar, the appointments
//! list and the call detail.

use crate::api::{cancel_appointment, get_appointment_detail, move_appointment, WriteOutcome};
use crate::contract::{AdminCancelParams, AdminMoveParams, AppointmentDetail};
use crate::i18n::*;
use crate::i18n_setup::{current_language, local_time};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

const INPUT: &str = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm";
const BUTTON: &str = "rounded-md bg-white px-3 py-1 text-sm shadow-sm ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-50";

/// What happened to an appointment (a history action or a status code) in the current
/// language; codes without a wording are shown as they came.
pub fn action_label(code: &str, i18n: I18nContext<Locale>) -> String {
    let label = match code {
        "held" => t_string!(i18n, appointments.action_held),
        "booked" => t_string!(i18n, appointments.action_booked),
        "moved" => t_string!(i18n, appointments.action_moved),
        "cancelled" => t_string!(i18n, appointments.action_cancelled),
        "completed" => t_string!(i18n, appointments.action_completed),
        "no_show" => t_string!(i18n, appointments.action_no_show),
        "needs_recovery" => t_string!(i18n, appointments.action_needs_recovery),
        "recovery_retry_failed" => t_string!(i18n, appointments.action_recovery_retry_failed),
        "recovery_dismissed" => t_string!(i18n, appointments.action_recovery_dismissed),
        other => return other.replace('_', " "),
    };
    label.to_owned()
}

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
    let i18n = use_i18n();
    let close = on_close.map(|c| view! {
        <button type="button" class="text-sm text-slate-500 hover:underline" disabled=move || !hydrated.get() on:click=move |_| c.run(())>{t!(i18n, appointments.close)}</button>
    });
    view! {
        <section class="mb-6 rounded-xl border border-indigo-200 bg-white p-4 shadow-sm" data-testid="appointment-panel" data-appointment-id=id.to_string()>
            <div class="flex items-center justify-between">
                <h2 class="font-semibold">{t!(i18n, appointments.panel_title, id)}</h2>
                {close}
            </div>
            <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <Detail d changed/> }.into_any(),
                        Err(e) => view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }.into_any(),
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
    let i18n = use_i18n();
    let call = a.call_id.clone().map(|c| view! {
        <div><dt class="inline font-medium">{t!(i18n, appointments.label_call)}</dt><dd class="inline"><a class="text-indigo-600 underline" href=format!("/admin/calls/{c}")>{c.clone()}</a></dd></div>
    });
    let contact = d.contact_phone.clone().map(|p| view! { <div><dt class="inline font-medium">{t!(i18n, appointments.label_contact)}</dt><dd class="inline">{p}</dd></div> });
    let reason = d.cancel_reason.clone().map(|r| view! { <div><dt class="inline font-medium">{t!(i18n, appointments.label_cancel_reason)}</dt><dd class="inline">{r}</dd></div> });
    let history = d.history.into_iter().map(|h| {
        let by = match h.call_id.clone() {
            Some(c) => view! { <a class="text-indigo-600 underline" href=format!("/admin/calls/{c}")>{h.by.clone()}</a> }.into_any(),
            None => view! { <span>{h.by.clone()}</span> }.into_any(),
        };
        let at = h.at_local.clone();
        let action = h.action.clone();
        view! {
            <tr class="border-t border-slate-100" data-action=h.action.clone()>
                <td class="px-2 py-1 whitespace-nowrap">{move || local_time(&at, current_language())}</td>
                <td class="px-2 py-1">{move || action_label(&action, i18n)}</td>
                <td class="px-2 py-1">{by}</td>
                <td class="px-2 py-1">{h.summary}</td>
            </tr>
        }
    }).collect_view();
    let when = format!(
        "{} – {}",
        a.starts_local,
        a.ends_local.get(11..).unwrap_or("")
    );
    let status = a.status;
    let source = a.source.clone();
    view! {
        <dl class="mt-2 grid gap-1 text-sm" data-status=a.status.as_str()>
            <div><dt class="inline font-medium">{t!(i18n, appointments.label_when)}</dt><dd class="inline">{move || local_time(&when, current_language())}</dd></div>
            <div><dt class="inline font-medium">{t!(i18n, appointments.label_what)}</dt><dd class="inline">{t!(i18n, appointments.service_with_staff, service = a.service.clone(), staff = a.staff.clone())}</dd></div>
            <div><dt class="inline font-medium">{t!(i18n, appointments.label_customer)}</dt><dd class="inline">{format!("{} · {}", a.customer_name, a.customer_phone)}</dd></div>
            <div><dt class="inline font-medium">{t!(i18n, appointments.label_status)}</dt><dd class="inline">{t!(
                i18n,
                appointments.status_by_source,
                status = move || action_label(status.as_str(), i18n),
                source = move || super::appointments::source_label(&source, i18n)
            )}</dd></div>
            {call}{contact}{reason}
            {(!a.notes.is_empty()).then(|| view! { <div><dt class="inline font-medium">{t!(i18n, appointments.label_notes)}</dt><dd class="inline">{a.notes.clone()}</dd></div> })}
        </dl>
        <h3 class="mt-3 text-sm font-medium">{t!(i18n, appointments.history)}</h3>
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
    let i18n = use_i18n();
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
                    view! { <button type="button" class=BUTTON on:click=move |_| when.set(local.clone())>{move || format!("{} · {}", local_time(&alt.local.replace('T', " "), current_language()), alt.staff)}</button> }
                }).collect_view()}</div>
            </div>
        }.into_any(),
        Some(Err(e)) => view! { <p class="mt-1 text-xs text-rose-700" role="alert">{super::error_text(&e, i18n)}</p> }.into_any(),
        _ => ().into_any(),
    }
    };
    let cancel_note = move || {
        match cancelling.value().get() {
        Some(Err(e)) => {
            view! { <p class="mt-1 text-xs text-rose-700" role="alert">{super::error_text(&e, i18n)}</p> }
                .into_any()
        }
        _ => ().into_any(),
    }
    };
    view! {
        <div class="mt-3 grid gap-3 md:grid-cols-2">
            <div>
                <label class="block text-sm">{t!(i18n, appointments.move_to)}<input class=INPUT bind:value=when/></label>
                <button type="button" class=format!("mt-1 {BUTTON}") disabled=move || !hydrated.get() || moving.pending().get()
                    on:click=move |_| { moving.dispatch(AdminMoveParams { appointment_id: id, start: when.get_untracked(), staff_id: None }); }>{t!(i18n, appointments.move_button)}</button>
                {move_note}
            </div>
            <div>
                <label class="block text-sm">{t!(i18n, appointments.cancel_reason)}<input class=INPUT bind:value=reason/></label>
                <button type="button" class=format!("mt-1 {BUTTON}") disabled=move || !hydrated.get() || cancelling.pending().get()
                    on:click=move |_| { cancelling.dispatch(AdminCancelParams { appointment_id: id, reason: reason.get_untracked() }); }>{t!(i18n, appointments.cancel)}</button>
                {cancel_note}
            </div>
        </div>
    }
}
