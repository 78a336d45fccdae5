//! Booking by hand: choose a service and a staff member (or anyone), pick one of the free
//! times the availability engine offers, enter the customer's name and phone (E.164). A time
//! taken meanwhile comes back with alternatives to pick from.

use crate::api::{book_appointment, list_slots, WriteOutcome};
use crate::contract::{AdminBookParams, SetupState, SlotInfo, SlotsParams};
use crate::i18n::*;
use crate::i18n_setup::{current_language, local_time};
use crate::pages::FieldNote;
use leptos::prelude::*;

const INPUT: &str = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm";
const CHIP: &str = "rounded-md bg-white px-2 py-1 text-xs shadow-sm ring-1 ring-slate-300 hover:bg-indigo-50 aria-[pressed=true]:bg-indigo-600 aria-[pressed=true]:text-white";

/// The form.
#[component]
pub fn NewAppointment(
    s: SetupState,
    #[prop(into)] date: Signal<String>,
    #[prop(into)] on_booked: Callback<()>,
) -> impl IntoView {
    let services: Vec<(i64, String)> = s
        .services
        .iter()
        .filter(|v| v.active)
        .map(|v| (v.id, v.name.clone()))
        .collect();
    let service = RwSignal::new(services.first().map(|v| v.0).unwrap_or_default());
    let staff = RwSignal::new(None::<i64>);
    let day = RwSignal::new(date.get_untracked());
    let start = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let find = Action::new(|p: &SlotsParams| list_slots(p.clone()));
    let book = Action::new(|p: &AdminBookParams| book_appointment(p.clone()));
    let hydrated = crate::pages::use_hydrated();
    let i18n = use_i18n();
    // Follow the calendar's day until a time is picked.
    Effect::new(move |_| {
        let d = date.get();
        if start.get_untracked().is_empty() {
            day.set(d);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(WriteOutcome::Done(_))) = book.value().get() {
            start.set(String::new());
            name.set(String::new());
            phone.set(String::new());
            notes.set(String::new());
            on_booked.run(());
        }
    });
    let staff_all: Vec<(i64, String, Vec<i64>)> = s
        .staff
        .iter()
        .filter(|m| m.active)
        .map(|m| (m.id, m.name.clone(), m.service_ids.clone()))
        .collect();
    let staff_options = move || {
        let chosen = service.get();
        staff_all.iter().filter(|m| m.2.contains(&chosen)).map(|(id, name, _)| {
            let id = *id;
            view! { <option value=id.to_string() selected=move || staff.get() == Some(id)>{name.clone()}</option> }
        }).collect_view()
    };
    let service_options = services
        .into_iter()
        .map(|(id, name)| view! { <option value=id.to_string()>{name}</option> })
        .collect_view();
    let search = move |_| {
        start.set(String::new());
        find.dispatch(SlotsParams {
            service_id: service.get_untracked(),
            staff_id: staff.get_untracked(),
            date: day.get_untracked(),
            days: Some(1),
        });
    };
    let submit = move |_| {
        book.dispatch(AdminBookParams {
            service_id: service.get_untracked(),
            staff_id: staff.get_untracked(),
            start: start.get_untracked(),
            customer_name: name.get_untracked(),
            customer_phone: phone.get_untracked(),
            customer_email: None,
            notes: notes.get_untracked(),
        });
    };
    let chip = move |slot: SlotInfo| {
        let (local, staff_id) = (slot.local.clone(), slot.staff_id);
        let label = format!("{} · {}", slot.local.get(11..).unwrap_or(""), slot.staff);
        let pressed = {
            let local = local.clone();
            move || (start.get() == local && staff.get() == Some(staff_id)).to_string()
        };
        view! {
            <button type="button" class=CHIP aria-pressed=pressed data-slot=slot.local.clone()
                on:click=move |_| { start.set(local.clone()); staff.set(Some(staff_id)); }>{label}</button>
        }
    };
    let slots = move || {
        match find.value().get() {
        Some(Ok(list)) if list.is_empty() => view! { <p class="text-xs text-slate-500">{t!(i18n, calendar.nothing_free)}</p> }.into_any(),
        Some(Ok(list)) => view! { <div class="flex flex-wrap gap-1" data-testid="free-slots">{list.into_iter().map(chip).collect_view()}</div> }.into_any(),
        Some(Err(e)) => view! { <p class="text-xs text-rose-700" role="alert">{crate::pages::error_text(&e, i18n)}</p> }.into_any(),
        None => ().into_any(),
    }
    };
    let error = Signal::derive(move || match book.value().get() {
        Some(Err(e)) => Some(e),
        _ => None,
    });
    let outcome = move || {
        match book.value().get() {
        Some(Ok(WriteOutcome::Done(a))) => {
            let starts = a.starts_local.clone();
            view! {
            <p class="mt-2 text-sm text-emerald-800" role="status">{t!(
                i18n,
                calendar.booked,
                start = move || local_time(&starts, current_language()),
                service = a.service.clone(),
                staff = a.staff.clone(),
                customer = a.customer_name.clone()
            )}</p>
            }.into_any()
        }
        Some(Ok(WriteOutcome::Taken { message, alternatives })) => view! {
            <div class="mt-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900" role="alert" data-testid="slot-taken">
                <p>{message}</p>
                <div class="mt-1 flex flex-wrap gap-1">
                    {alternatives.into_iter().map(|alt| {
                        let local = alt.local.clone();
                        view! { <button type="button" class=CHIP on:click=move |_| start.set(local.clone())>{move || format!("{} · {}", local_time(&alt.local.replace('T', " "), current_language()), alt.staff)}</button> }
                    }).collect_view()}
                </div>
            </div>
        }.into_any(),
        Some(Err(e)) => match crate::pages::unplaced(&Some(e), &["customer_name", "customer_phone", "start", "notes", "service_id", "staff_id"]) {
            Some(m) => view! { <div class="mt-2"><crate::pages::ErrorNote message=m/></div> }.into_any(),
            None => ().into_any(),
        },
        None => ().into_any(),
    }
    };
    view! {
        <section class="rounded-xl bg-white p-4 shadow-sm" data-testid="new-appointment">
            <h2 class="mb-2 font-semibold">{t!(i18n, calendar.new_appointment)}</h2>
            <label class="block text-sm">{t!(i18n, calendar.service)}
                <select class=INPUT on:change=move |ev| { service.set(event_target_value(&ev).parse().unwrap_or_default()); staff.set(None); }>{service_options}</select>
                <FieldNote error field="service_id"/>
            </label>
            <label class="mt-2 block text-sm">{t!(i18n, calendar.staff_member)}
                <select class=INPUT on:change=move |ev| staff.set(event_target_value(&ev).parse().ok())>
                    <option value="" selected=move || staff.get().is_none()>{t!(i18n, calendar.anyone)}</option>
                    {staff_options}
                </select>
                <FieldNote error field="staff_id"/>
            </label>
            <label class="mt-2 block text-sm">{t!(i18n, calendar.day_input)}<input class=INPUT bind:value=day/></label>
            <button type="button" class="mt-2 rounded-md bg-white px-3 py-1 text-sm shadow-sm ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-50"
                disabled=move || !hydrated.get() || find.pending().get() on:click=search>{t!(i18n, calendar.find_free_times)}</button>
            <div class="mt-2">{slots}</div>
            <label class="mt-2 block text-sm">{t!(i18n, calendar.start_input)}<input class=INPUT bind:value=start/><FieldNote error field="start"/></label>
            <label class="mt-2 block text-sm">{t!(i18n, calendar.customer_name)}<input class=INPUT bind:value=name/><FieldNote error field="customer_name"/></label>
            <label class="mt-2 block text-sm">{t!(i18n, calendar.customer_phone)}<input class=INPUT placeholder="+4915112345678" bind:value=phone/><FieldNote error field="customer_phone"/></label>
            <label class="mt-2 block text-sm">{t!(i18n, calendar.notes)}<input class=INPUT bind:value=notes/><FieldNote error field="notes"/></label>
            <button type="button" class="mt-3 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
                disabled=move || !hydrated.get() || book.pending().get() on:click=submit>{t!(i18n, calendar.book)}</button>
            {outcome}
        </section>
    }
}
