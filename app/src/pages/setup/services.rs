//! The services section: the list (archived ones greyed, with restore) and one form to create
//! or edit a service — name, duration, buffers, phone-bookable, price, description, staff.

use super::{cents, done, error_of, euros, number, FlashNote, ResultNote, SetupResource};
use super::{CARD, INPUT, PRIMARY, SECONDARY};
use crate::api::{archive_service, save_service};
use crate::contract::Language;
use crate::contract::{ArchiveParams, SaveServiceParams, ServiceSetup, SetupState};
use crate::i18n::*;
use crate::i18n_setup::current_language;
use crate::pages::FieldNote;
use leptos::prelude::*;

const FIELDS: &[&str] = &[
    "name",
    "duration_min",
    "buffer_before_min",
    "buffer_after_min",
    "price_cents",
    "description",
    "staff_ids",
];

/// The section.
#[component]
pub fn Services(s: SetupState, state: SetupResource) -> impl IntoView {
    let editing = RwSignal::new(None::<i64>);
    let name = RwSignal::new(String::new());
    let duration = RwSignal::new("30".to_owned());
    let before = RwSignal::new("0".to_owned());
    let after = RwSignal::new("0".to_owned());
    let phone = RwSignal::new(true);
    let price = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<i64>::new());
    let save = Action::new(|p: &SaveServiceParams| save_service(p.clone()));
    let archive = Action::new(|p: &ArchiveParams| archive_service(p.clone()));
    let last = StoredValue::new(None::<SaveServiceParams>);
    let last_archive = StoredValue::new(None::<ArchiveParams>);
    let hydrated = crate::pages::use_hydrated();
    let i18n = use_i18n();
    let clear = move || {
        editing.set(None);
        name.set(String::new());
        duration.set("30".into());
        before.set("0".into());
        after.set("0".into());
        phone.set(true);
        price.set(String::new());
        description.set(String::new());
        chosen.set(Vec::new());
    };
    Effect::new(move |_| {
        if let Some(Ok(r)) = save.value().get().filter(done) {
            clear();
            super::applied("services", r, state);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(r)) = archive.value().get().filter(done) {
            super::applied("services", r, state);
        }
    });
    let submit = move |confirm: bool| {
        let p = SaveServiceParams {
            id: editing.get_untracked(),
            name: name.get_untracked(),
            duration_min: number(&duration.get_untracked()),
            buffer_before_min: number(&before.get_untracked()),
            buffer_after_min: number(&after.get_untracked()),
            phone_bookable: phone.get_untracked(),
            price_cents: cents(&price.get_untracked()),
            description: description.get_untracked(),
            staff_ids: chosen.get_untracked(),
            confirm,
        };
        last.set_value(Some(p.clone()));
        save.dispatch(p);
    };
    let edit = move |v: &ServiceSetup| {
        editing.set(Some(v.id));
        name.set(v.name.clone());
        duration.set(v.duration_min.to_string());
        before.set(v.buffer_before_min.to_string());
        after.set(v.buffer_after_min.to_string());
        phone.set(v.phone_bookable);
        price.set(euros(v.price_cents));
        description.set(v.description.clone());
        chosen.set(v.staff_ids.clone());
    };
    let staff_names = s.staff.clone();
    let names = move |ids: &[i64]| {
        staff_names
            .iter()
            .filter(|m| ids.contains(&m.id))
            .map(|m| m.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let error = error_of(save);
    let cell = "px-2 py-1 text-left align-top";
    let rows = s
        .services
        .iter()
        .map(|v| {
            let v2 = v.clone();
            let (id, active, phone_bookable) = (v.id, v.active, v.phone_bookable);
            let price_cents = v.price_cents;
            let toggle = move |_| {
                let p = ArchiveParams { id, restore: !active, confirm: false };
                last_archive.set_value(Some(p.clone()));
                archive.dispatch(p);
            };
            view! {
                <tr class="border-t border-slate-100" class:text-slate-400=!active data-service=v.name.clone()>
                    <td class=cell>{v.name.clone()}{(!active).then(|| view! { " "{t!(i18n, setup.archived)} })}</td>
                    <td class=cell>{t!(i18n, scheduling.minutes, minutes = v.duration_min)}</td>
                    <td class=cell>{t!(i18n, scheduling.buffer_minutes, before = v.buffer_before_min, after = v.buffer_after_min)}</td>
                    <td class=cell>{move || if phone_bookable { t_string!(i18n, scheduling.yes) } else { t_string!(i18n, scheduling.in_person_only) }}</td>
                    <td class=cell>{move || price_cents.map(|c| {
                        let amount = euros(Some(c));
                        match current_language() {
                            Language::De => format!("{} €", amount.replace('.', ",")),
                            Language::En => format!("{amount} €"),
                        }
                    })}</td>
                    <td class=cell>{names(&v.staff_ids)}</td>
                    <td class="px-2 py-1 text-right whitespace-nowrap">
                        <button type="button" class=SECONDARY disabled=move || !hydrated.get() on:click=move |_| edit(&v2)>{t!(i18n, setup.edit)}</button>
                        " "
                        <button type="button" class=SECONDARY disabled=move || !hydrated.get() on:click=toggle>
                            {move || if active { t_string!(i18n, setup.archive) } else { t_string!(i18n, setup.restore) }}
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let staff_boxes = s
        .staff
        .iter()
        .filter(|m| m.active)
        .map(|m| {
            let id = m.id;
            view! {
                <label class="flex items-center gap-1">
                    <input
                        type="checkbox"
                        prop:checked=move || chosen.get().contains(&id)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|x| *x != id);
                                if on { c.push(id); }
                            });
                        }
                    />
                    {m.name.clone()}
                </label>
            }
        })
        .collect_view();
    let list = view! {
            <table class="mb-4 min-w-full text-sm" data-testid="setup-services-table">
                <thead class="text-xs uppercase text-slate-500">
                    <tr><th class=cell>{t!(i18n, scheduling.service)}</th><th class=cell>{t!(i18n, scheduling.duration)}</th><th class=cell>{t!(i18n, scheduling.buffers)}</th><th class=cell>{t!(i18n, scheduling.by_phone)}</th><th class=cell>{t!(i18n, setup.price)}</th><th class=cell>{t!(i18n, scheduling.staff)}</th><th></th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <ResultNote answer=archive.value() fields=&[] on_confirm=move || {
                if let Some(mut p) = last_archive.get_value() { p.confirm = true; archive.dispatch(p); }
            }/>
    }
    .into_any();
    view! {
        <section class=CARD data-testid="setup-services">
            <h2 class="mb-2 font-semibold">{t!(i18n, scheduling.services)}</h2>
            {list}
            <h3 class="mb-2 text-sm font-medium">{move || if editing.get().is_some() { t_string!(i18n, setup.edit_service) } else { t_string!(i18n, setup.new_service) }}</h3>
            <div class="grid gap-3 md:grid-cols-3">
                <label class="text-sm">{t!(i18n, setup.service_name)}<input class=INPUT bind:value=name/><FieldNote error field="name"/></label>
                <label class="text-sm">{t!(i18n, setup.duration_minutes)}<input class=INPUT inputmode="numeric" bind:value=duration/><FieldNote error field="duration_min"/></label>
                <label class="text-sm">{t!(i18n, setup.price_optional)}<input class=INPUT inputmode="decimal" bind:value=price/><FieldNote error field="price_cents"/></label>
                <label class="text-sm">{t!(i18n, setup.buffer_before)}<input class=INPUT inputmode="numeric" bind:value=before/><FieldNote error field="buffer_before_min"/></label>
                <label class="text-sm">{t!(i18n, setup.buffer_after)}<input class=INPUT inputmode="numeric" bind:value=after/><FieldNote error field="buffer_after_min"/></label>
                <label class="flex items-center gap-2 text-sm"><input type="checkbox" bind:checked=phone/>{t!(i18n, setup.bookable_by_phone)}</label>
            </div>
            <label class="mt-3 block text-sm">{t!(i18n, setup.description)}<textarea class=INPUT rows="2" bind:value=description></textarea><FieldNote error field="description"/></label>
            <fieldset class="mt-3 text-sm">
                <legend class="font-medium">{t!(i18n, setup.offered_by)}</legend>
                <div class="mt-1 flex flex-wrap gap-4">{staff_boxes}</div>
                <FieldNote error field="staff_ids"/>
            </fieldset>
            <div class="mt-3 flex gap-2">
                <button type="button" class=PRIMARY disabled=move || save.pending().get() || !hydrated.get() on:click=move |_| submit(false)>{t!(i18n, setup.save_service)}</button>
                <button type="button" class=SECONDARY disabled=move || !hydrated.get() on:click=move |_| clear()>{t!(i18n, setup.clear)}</button>
            </div>
            <FlashNote section="services"/>
            <ResultNote answer=save.value() fields=FIELDS on_confirm=move || {
                if let Some(mut p) = last.get_value() { p.confirm = true; save.dispatch(p); }
            }/>
        </section>
    }
}
