//! Days off and extra shifts of one staff member, and closures of the business or of one
//! staff member, each with a reason.

use super::{error_of, ResultNote, SetupResource};
use super::{CARD, INPUT, PRIMARY, SECONDARY};
use crate::api::{add_closure, add_exception, remove_closure, remove_exception};
use crate::contract::{
    AddClosureParams, AddExceptionParams, ExceptionKind, RemoveParams, SetupState, StaffSetup,
    TimeRange,
};
use crate::i18n::*;
use crate::i18n_setup::{current_language, local_time};
use crate::pages::FieldNote;
use leptos::prelude::*;

/// A staff member's days off and extra shifts, each removable.
#[component]
pub fn Exceptions(m: StaffSetup, state: SetupResource) -> impl IntoView {
    let remove = Action::new(|p: &RemoveParams| remove_exception(p.clone()));
    let last = StoredValue::new(None::<RemoveParams>);
    let hydrated = crate::pages::use_hydrated();
    let i18n = use_i18n();
    Effect::new(move |_| {
        if let Some(Ok(r)) = remove.value().get().filter(super::done) {
            super::applied("staff", r, state);
        }
    });
    let items = m.exceptions.into_iter().map(|e| {
        let id = e.id;
        let day = e.date.clone();
        let date = move || local_time(&day, current_language());
        let what = match (e.kind, &e.time) {
            (ExceptionKind::Extra, Some(t)) => t!(
                i18n,
                setup.exception_extra,
                date,
                start = t.start.clone(),
                end = t.end.clone()
            )
            .into_any(),
            _ => t!(i18n, setup.exception_off, date).into_any(),
        };
        let reason = (!e.reason.is_empty()).then(|| format!(" ({})", e.reason));
        view! {
            <li data-exception-id=id.to_string()>
                {what}{reason}" "
                <button type="button" class=SECONDARY disabled=move || !hydrated.get() on:click=move |_| {
                    let p = RemoveParams { id, confirm: false };
                    last.set_value(Some(p.clone()));
                    remove.dispatch(p);
                }>{t!(i18n, setup.remove)}</button>
            </li>
        }
    }).collect_view();
    view! {
        <ul class="space-y-1">{items}</ul>
        <ResultNote answer=remove.value() fields=&[] on_confirm=move || {
            if let Some(mut p) = last.get_value() { p.confirm = true; remove.dispatch(p); }
        }/>
    }
}

/// The form for a day off or an extra shift.
#[component]
pub fn AddException(s: SetupState, state: SetupResource) -> impl IntoView {
    let staff_id = RwSignal::new(
        s.staff
            .iter()
            .find(|m| m.active)
            .map(|m| m.id)
            .unwrap_or_default(),
    );
    let date = RwSignal::new(String::new());
    let extra = RwSignal::new(false);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let add = Action::new(|p: &AddExceptionParams| add_exception(p.clone()));
    let last = StoredValue::new(None::<AddExceptionParams>);
    let hydrated = crate::pages::use_hydrated();
    let i18n = use_i18n();
    Effect::new(move |_| {
        if let Some(Ok(r)) = add.value().get().filter(super::done) {
            date.set(String::new());
            reason.set(String::new());
            super::applied("staff", r, state);
        }
    });
    let submit = move |_| {
        let p = AddExceptionParams {
            staff_id: staff_id.get_untracked(),
            date: date.get_untracked(),
            kind: if extra.get_untracked() {
                ExceptionKind::Extra
            } else {
                ExceptionKind::Off
            },
            time: extra.get_untracked().then(|| TimeRange {
                start: from.get_untracked(),
                end: to.get_untracked(),
            }),
            reason: reason.get_untracked(),
            confirm: false,
        };
        last.set_value(Some(p.clone()));
        add.dispatch(p);
    };
    let error = error_of(add);
    let options = s.staff.iter().filter(|m| m.active).map(|m| {
        let id = m.id;
        view! { <option value=id.to_string() selected=move || staff_id.get() == id>{m.name.clone()}</option> }
    }).collect_view();
    view! {
        <div class="rounded-lg border border-slate-200 p-3" data-testid="add-exception">
            <h3 class="mb-2 text-sm font-medium">{t!(i18n, setup.exception_title)}</h3>
            <div class="grid gap-2 md:grid-cols-6">
                <label class="text-sm">{t!(i18n, setup.who)}
                    <select class=INPUT on:change=move |ev| staff_id.set(event_target_value(&ev).parse().unwrap_or_default())>{options}</select>
                    <FieldNote error field="staff_id"/>
                </label>
                <label class="text-sm">{t!(i18n, setup.date_input)}<input class=INPUT bind:value=date/><FieldNote error field="date"/></label>
                <label class="text-sm">{t!(i18n, setup.kind)}
                    <select class=INPUT on:change=move |ev| extra.set(event_target_value(&ev) == "extra")>
                        <option value="off">{t!(i18n, setup.day_off)}</option>
                        <option value="extra">{t!(i18n, setup.extra_shift)}</option>
                    </select>
                </label>
                <label class="text-sm">{t!(i18n, setup.shift_from)}<input class=INPUT placeholder="18:00" bind:value=from prop:disabled=move || !extra.get()/></label>
                <label class="text-sm">{t!(i18n, setup.shift_to)}<input class=INPUT placeholder="20:00" bind:value=to prop:disabled=move || !extra.get()/></label>
                <label class="text-sm">{t!(i18n, setup.reason)}<input class=INPUT bind:value=reason/><FieldNote error field="reason"/></label>
            </div>
            <FieldNote error field="time"/>
            <button type="button" class=format!("mt-2 {PRIMARY}") disabled=move || add.pending().get() || !hydrated.get() on:click=submit>{t!(i18n, setup.add)}</button>
            <ResultNote answer=add.value() fields=&["staff_id", "date", "time", "reason"] on_confirm=move || {
                if let Some(mut p) = last.get_value() { p.confirm = true; add.dispatch(p); }
            }/>
        </div>
    }
}

/// The closures section.
#[component]
pub fn Closures(s: SetupState, state: SetupResource) -> impl IntoView {
    let who = RwSignal::new(None::<i64>);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let add = Action::new(|p: &AddClosureParams| add_closure(p.clone()));
    let remove = Action::new(|p: &RemoveParams| remove_closure(p.clone()));
    let last = StoredValue::new(None::<AddClosureParams>);
    let hydrated = crate::pages::use_hydrated();
    let i18n = use_i18n();
    Effect::new(move |_| {
        if let Some(Ok(r)) = add.value().get().filter(super::done) {
            from.set(String::new());
            to.set(String::new());
            reason.set(String::new());
            super::applied("closures", r, state);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(r)) = remove.value().get().filter(super::done) {
            super::applied("closures", r, state);
        }
    });
    let submit = move |_| {
        let p = AddClosureParams {
            staff_id: who.get_untracked(),
            from: from.get_untracked(),
            to: to.get_untracked(),
            reason: reason.get_untracked(),
            confirm: false,
        };
        last.set_value(Some(p.clone()));
        add.dispatch(p);
    };
    let error = error_of(add);
    let list = s.closures.iter().map(|c| {
        let id = c.id;
        let (staff, starts, ends, reason) = (c.staff.clone(), c.starts_local.clone(), c.ends_local.clone(), c.reason.clone());
        let line = move || {
            let language = current_language();
            let whom = staff.clone().unwrap_or_else(|| t_string!(i18n, setup.everyone).to_owned());
            format!("{} – {} ({whom}): {}", local_time(&starts, language), local_time(&ends, language), reason)
        };
        view! {
            <li data-closure-id=id.to_string()>
                {line}" "
                <button type="button" class=SECONDARY disabled=move || !hydrated.get() on:click=move |_| { remove.dispatch(RemoveParams { id, confirm: false }); }>{t!(i18n, setup.remove)}</button>
            </li>
        }
    }).collect_view();
    let empty = s.closures.is_empty().then(
        || view! { <p class="text-sm text-slate-500">{t!(i18n, scheduling.no_closures)}</p> },
    );
    let options = s
        .staff
        .iter()
        .filter(|m| m.active)
        .map(|m| {
            view! { <option value=m.id.to_string()>{m.name.clone()}</option> }
        })
        .collect_view();
    view! {
        <section class=CARD data-testid="setup-closures">
            <h2 class="mb-2 font-semibold">{t!(i18n, setup.closures_title)}</h2>
            <ul class="mb-3 space-y-1 text-sm" data-testid="closures-list">{list}</ul>
            {empty}
            <ResultNote answer=remove.value() fields=&[] on_confirm=|| ()/>
            <div class="grid gap-2 md:grid-cols-4">
                <label class="text-sm">{t!(i18n, setup.closed_for)}
                    <select class=INPUT on:change=move |ev| who.set(event_target_value(&ev).parse().ok())>
                        <option value="">{t!(i18n, setup.everyone_business)}</option>
                        {options}
                    </select>
                    <FieldNote error field="staff_id"/>
                </label>
                <label class="text-sm">{t!(i18n, setup.closure_from)}<input class=INPUT bind:value=from/><FieldNote error field="from"/></label>
                <label class="text-sm">{t!(i18n, setup.closure_to)}<input class=INPUT bind:value=to/><FieldNote error field="to"/></label>
                <label class="text-sm">{t!(i18n, setup.closure_reason)}<input class=INPUT bind:value=reason/><FieldNote error field="reason"/></label>
            </div>
            <button type="button" class=format!("mt-2 {PRIMARY}") disabled=move || add.pending().get() || !hydrated.get() on:click=submit>{t!(i18n, setup.add_closure)}</button>
            <super::FlashNote section="closures"/>
            <ResultNote answer=add.value() fields=&["staff_id", "from", "to", "reason"] on_confirm=move || {
                if let Some(mut p) = last.get_value() { p.confirm = true; add.dispatch(p); }
            }/>
        </section>
    }
}
