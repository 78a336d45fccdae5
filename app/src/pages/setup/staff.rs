//! The staff section: the list with hours and exceptions, a form to create or edit a staff
//! member (services, and each weekday's hours with breaks), and days off / extra shifts.

use super::{error_of, ResultNote, SetupResource};
use super::{CARD, INPUT, PRIMARY, SECONDARY};
use crate::api::{archive_staff, save_staff, ApiError};
use crate::contract::{
    ArchiveParams, DayHours, SaveStaffParams, SetupState, StaffSetup, TimeRange,
};
use crate::i18n::*;
use crate::pages::FieldNote;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// Weekday names, Monday first (the rows' test hooks; the UI names them in its language).
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// One weekday row of the form: works, from, to, breaks as typed.
type DayRow = (
    RwSignal<bool>,
    RwSignal<String>,
    RwSignal<String>,
    RwSignal<String>,
);

/// Breaks typed as `12:00-13:00, 15:00-15:15`.
fn breaks(raw: &str) -> Vec<TimeRange> {
    raw.split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once(['-', '–']) {
            Some((a, b)) => TimeRange {
                start: a.trim().into(),
                end: b.trim().into(),
            },
            None => TimeRange {
                start: p.into(),
                end: String::new(),
            },
        })
        .collect()
}

/// The name of weekday `index` (Monday 0) in the current language.
fn weekday_name(index: usize, i18n: I18nContext<Locale>) -> &'static str {
    match index {
        0 => t_string!(i18n, setup.monday),
        1 => t_string!(i18n, setup.tuesday),
        2 => t_string!(i18n, setup.wednesday),
        3 => t_string!(i18n, setup.thursday),
        4 => t_string!(i18n, setup.friday),
        5 => t_string!(i18n, setup.saturday),
        6 => t_string!(i18n, setup.sunday),
        _ => "?",
    }
}

/// The short name of weekday `index` (Monday 0) in the current language.
fn weekday_short(index: usize, i18n: I18nContext<Locale>) -> &'static str {
    match index {
        0 => t_string!(i18n, calendar.weekday_mon),
        1 => t_string!(i18n, calendar.weekday_tue),
        2 => t_string!(i18n, calendar.weekday_wed),
        3 => t_string!(i18n, calendar.weekday_thu),
        4 => t_string!(i18n, calendar.weekday_fri),
        5 => t_string!(i18n, calendar.weekday_sat),
        6 => t_string!(i18n, calendar.weekday_sun),
        _ => "?",
    }
}

/// A week as one line per working day.
pub fn week(hours: &[DayHours], i18n: I18nContext<Locale>) -> Vec<String> {
    hours
        .iter()
        .map(|d| {
            let day = weekday_short((d.weekday - 1).max(0) as usize, i18n);
            let pauses: Vec<String> = d
                .breaks
                .iter()
                .map(|b| format!("{}–{}", b.start, b.end))
                .collect();
            match pauses.is_empty() {
                true => format!("{} {}–{}", day, d.start, d.end),
                false => format!(
                    "{} {}–{} ({} {})",
                    day,
                    d.start,
                    d.end,
                    t_string!(i18n, setup.break_word),
                    pauses.join(", ")
                ),
            }
        })
        .collect()
}

/// The error of one weekday row: `hours[k]…` where the k-th sent day is this weekday.
fn row_error(error: Option<ApiError>, sent: &[i64], weekday: i64) -> Option<String> {
    let ApiError::Rejected {
        field: Some(f),
        message,
        ..
    } = error?
    else {
        return None;
    };
    let k = sent.iter().position(|w| *w == weekday)?;
    let prefix = format!("hours[{k}]");
    (f == prefix || f.starts_with(&format!("{prefix}.")) || f.starts_with(&format!("{prefix}[")))
        .then_some(message)
}

/// The section.
#[component]
pub fn Staff(s: SetupState, state: SetupResource) -> impl IntoView {
    let editing = RwSignal::new(None::<i64>);
    let name = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<i64>::new());
    let days: [DayRow; 7] = std::array::from_fn(|_| {
        (
            RwSignal::new(false),
            RwSignal::new("09:00".to_owned()),
            RwSignal::new("18:00".to_owned()),
            RwSignal::new(String::new()),
        )
    });
    let sent = RwSignal::new(Vec::<i64>::new());
    let save = Action::new(|p: &SaveStaffParams| save_staff(p.clone()));
    let archive = Action::new(|p: &ArchiveParams| archive_staff(p.clone()));
    let last = StoredValue::new(None::<SaveStaffParams>);
    let last_archive = StoredValue::new(None::<ArchiveParams>);
    let hydrated = crate::pages::use_hydrated();
    let i18n = use_i18n();
    let clear = move || {
        editing.set(None);
        name.set(String::new());
        chosen.set(Vec::new());
        for (works, from, to, pause) in days {
            works.set(false);
            from.set("09:00".into());
            to.set("18:00".into());
            pause.set(String::new());
        }
    };
    Effect::new(move |_| {
        if let Some(Ok(r)) = save.value().get().filter(super::done) {
            clear();
            super::applied("staff", r, state);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(r)) = archive.value().get().filter(super::done) {
            super::applied("staff", r, state);
        }
    });
    let submit = move |confirm: bool| {
        let mut hours = Vec::new();
        for (i, (works, from, to, pause)) in days.iter().enumerate() {
            if works.get_untracked() {
                hours.push(DayHours {
                    weekday: i as i64 + 1,
                    start: from.get_untracked(),
                    end: to.get_untracked(),
                    breaks: breaks(&pause.get_untracked()),
                });
            }
        }
        sent.set(hours.iter().map(|d| d.weekday).collect());
        let p = SaveStaffParams {
            id: editing.get_untracked(),
            name: name.get_untracked(),
            service_ids: chosen.get_untracked(),
            hours,
            confirm,
        };
        last.set_value(Some(p.clone()));
        save.dispatch(p);
    };
    let edit = move |m: &StaffSetup| {
        clear();
        editing.set(Some(m.id));
        name.set(m.name.clone());
        chosen.set(m.service_ids.clone());
        for d in &m.hours {
            if let Some((works, from, to, pause)) = days.get((d.weekday - 1).max(0) as usize) {
                works.set(true);
                from.set(d.start.clone());
                to.set(d.end.clone());
                pause.set(
                    d.breaks
                        .iter()
                        .map(|b| format!("{}-{}", b.start, b.end))
                        .collect::<Vec<_>>()
                        .join(", "),
                );
            }
        }
    };
    let copy_monday = move |_| {
        let (works, from, to, pause) = days[0];
        for (w, f, t, p) in &days[1..] {
            w.set(works.get_untracked());
            f.set(from.get_untracked());
            t.set(to.get_untracked());
            p.set(pause.get_untracked());
        }
    };
    let error = error_of(save);
    let service_names = s.services.clone();
    let names = move |ids: &[i64]| {
        service_names
            .iter()
            .filter(|v| ids.contains(&v.id))
            .map(|v| v.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let cell = "px-2 py-1 text-left align-top";
    let rows = s.staff.iter().map(|m| {
        let m2 = m.clone();
        let hours = m.hours.clone();
        let (id, active) = (m.id, m.active);
        let toggle = move |_| {
            let p = ArchiveParams { id, restore: !active, confirm: false };
            last_archive.set_value(Some(p.clone()));
            archive.dispatch(p);
        };
        view! {
            <tr class="border-t border-slate-100" class:text-slate-400=!active data-staff=m.name.clone()>
                <td class=cell>{m.name.clone()}{(!active).then(|| view! { " "{t!(i18n, setup.archived)} })}</td>
                <td class=cell>{names(&m.service_ids)}</td>
                <td class=cell>{move || week(&hours, i18n).into_iter().map(|l| view! { <div>{l}</div> }).collect_view()}</td>
                <td class=cell><super::closures::Exceptions m=m.clone() state/></td>
                <td class="px-2 py-1 text-right whitespace-nowrap">
                    <button type="button" class=SECONDARY disabled=move || !hydrated.get() on:click=move |_| edit(&m2)>{t!(i18n, setup.edit)}</button>
                    " "
                    <button type="button" class=SECONDARY disabled=move || !hydrated.get() on:click=toggle>{move || if active { t_string!(i18n, setup.archive) } else { t_string!(i18n, setup.restore) }}</button>
                </td>
            </tr>
        }
    }).collect_view();
    let service_boxes = s.services.iter().filter(|v| v.active).map(|v| {
        let id = v.id;
        view! {
            <label class="flex items-center gap-1">
                <input type="checkbox" prop:checked=move || chosen.get().contains(&id) on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id); } });
                }/>
                {v.name.clone()}
            </label>
        }
    }).collect_view();
    let day_rows = days.iter().enumerate().map(|(i, &(works, from, to, pause))| {
        let day = WEEKDAYS[i];
        let name = move || weekday_name(i, i18n);
        let weekday = i as i64 + 1;
        let note = move || row_error(error.get(), &sent.get(), weekday)
            .map(|m| view! { <p class="text-xs text-rose-700" role="alert" data-field-error="">{m}</p> });
        view! {
            <div class="grid grid-cols-[8rem_6rem_6rem_1fr] items-center gap-2 text-sm" data-weekday=day>
                <label class="flex items-center gap-2"><input type="checkbox" bind:checked=works/>{name}</label>
                <input class=INPUT aria-label=move || format!("{} {}", name(), t_string!(i18n, setup.day_from)) bind:value=from prop:disabled=move || !works.get()/>
                <input class=INPUT aria-label=move || format!("{} {}", name(), t_string!(i18n, setup.day_to)) bind:value=to prop:disabled=move || !works.get()/>
                <input class=INPUT aria-label=move || format!("{} {}", name(), t_string!(i18n, setup.day_breaks)) placeholder="12:00-13:00" bind:value=pause prop:disabled=move || !works.get()/>
                <div class="col-span-4">{note}</div>
            </div>
        }
    }).collect_view();
    let list = view! {
            <table class="mb-4 min-w-full text-sm" data-testid="setup-staff-table">
                <thead class="text-xs uppercase text-slate-500">
                    <tr><th class=cell>{t!(i18n, scheduling.name)}</th><th class=cell>{t!(i18n, scheduling.services)}</th><th class=cell>{t!(i18n, scheduling.weekly_hours)}</th><th class=cell>{t!(i18n, setup.days_off_and_extra)}</th><th></th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <ResultNote answer=archive.value() fields=&[] on_confirm=move || {
                if let Some(mut p) = last_archive.get_value() { p.confirm = true; archive.dispatch(p); }
            }/>
            <super::closures::AddException s=s.clone() state/>
    }
    .into_any();
    view! {
        <section class=CARD data-testid="setup-staff">
            <h2 class="mb-2 font-semibold">{t!(i18n, scheduling.staff)}</h2>
            {list}
            <h3 class="mb-2 mt-4 text-sm font-medium">{move || if editing.get().is_some() { t_string!(i18n, setup.edit_staff) } else { t_string!(i18n, setup.new_staff) }}</h3>
            <label class="block max-w-sm text-sm">{t!(i18n, setup.staff_name)}<input class=INPUT bind:value=name/><FieldNote error field="name"/></label>
            <fieldset class="mt-3 text-sm">
                <legend class="font-medium">{t!(i18n, scheduling.services)}</legend>
                <div class="mt-1 flex flex-wrap gap-4">{service_boxes}</div>
                <FieldNote error field="service_ids"/>
            </fieldset>
            <fieldset class="mt-3 space-y-1">
                <legend class="text-sm font-medium">{t!(i18n, setup.weekly_hours_help)}</legend>
                {day_rows}
                <button type="button" class=SECONDARY disabled=move || !hydrated.get() on:click=copy_monday>{t!(i18n, setup.copy_monday)}</button>
            </fieldset>
            <div class="mt-3 flex gap-2">
                <button type="button" class=PRIMARY disabled=move || save.pending().get() || !hydrated.get() on:click=move |_| submit(false)>{t!(i18n, setup.save_staff)}</button>
                <button type="button" class=SECONDARY disabled=move || !hydrated.get() on:click=move |_| clear()>{t!(i18n, setup.clear)}</button>
            </div>
            <super::FlashNote section="staff"/>
            <ResultNote answer=save.value() fields=&["name", "service_ids", "hours"] on_confirm=move || {
                if let Some(mut p) = last.get_value() { p.confirm = true; save.dispatch(p); }
            }/>
        </section>
    }
}
