//! Calendar: one day with the staff side by side, or a week, in the business's time zone;
//! held, booked and cancelled appointments told apart. A click opens the appointment (history,
//! move, cancel); the form beside books by hand from real availability.

mod book;
pub mod dates;

use crate::api::{get_setup, list_appointments, ApiError};
use crate::contract::Language;
use crate::contract::{AppointmentInfo, AppointmentListParams, SetupState};
use crate::i18n::*;
use crate::i18n_setup::current_language;
use dates::{add_days, minute_of, monday_of, weekday_index};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The page.
#[component]
pub fn CalendarPage() -> impl IntoView {
    let setup = Resource::new(|| (), |_| get_setup());
    // The list's resource lives here, beside the set-up's, not inside the set-up's Suspend: a
    // resource created inside a resolving Suspend was not found in the server's serialized
    // data during hydration, its Suspense then hydrated as pending and the page panicked.
    // An empty date means the business's today (the gateway's default).
    let view = ListView {
        date: RwSignal::new(String::new()),
        week: RwSignal::new(false),
        staff: RwSignal::new(None),
        version: RwSignal::new(0),
    };
    let list: ListResource = Resource::new(
        move || {
            (
                view.date.get(),
                view.week.get(),
                view.staff.get(),
                view.version.get(),
            )
        },
        |(d, w, st, _)| {
            let from = (!d.is_empty()).then(|| if w { monday_of(&d) } else { d });
            list_appointments(AppointmentListParams {
                from,
                days: Some(if w { 7 } else { 1 }),
                search: None,
                staff_id: st,
            })
        },
    );
    let i18n = use_i18n();
    view! {
        <super::PageHeader title=move || t_string!(i18n, calendar.title) subtitle=move || t_string!(i18n, calendar.subtitle)/>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match setup.await {
                    Ok(s) => view! { <Calendar s view list/> }.into_any(),
                    Err(e) => view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Short weekday name of `date` in the current language.
fn weekday_label(date: &str, i18n: I18nContext<Locale>) -> &'static str {
    match weekday_index(date) {
        Some(0) => t_string!(i18n, calendar.weekday_mon),
        Some(1) => t_string!(i18n, calendar.weekday_tue),
        Some(2) => t_string!(i18n, calendar.weekday_wed),
        Some(3) => t_string!(i18n, calendar.weekday_thu),
        Some(4) => t_string!(i18n, calendar.weekday_fri),
        Some(5) => t_string!(i18n, calendar.weekday_sat),
        Some(6) => t_string!(i18n, calendar.weekday_sun),
        _ => "",
    }
}

/// Day and month of `YYYY-MM-DD` as the language writes them (`26.11.` / `11-26`).
fn day_month(date: &str, language: Language) -> String {
    match language {
        Language::De => match (date.get(8..10), date.get(5..7)) {
            (Some(d), Some(m)) => format!("{d}.{m}."),
            _ => date.to_owned(),
        },
        Language::En => date.get(5..).unwrap_or("").to_owned(),
    }
}

/// Colour classes of a status.
pub fn status_class(status: crate::contract::AppointmentStatus) -> &'static str {
    use crate::contract::AppointmentStatus as S;
    match status {
        S::Held => "border-amber-400 bg-amber-50 text-amber-900",
        S::Booked => "border-emerald-500 bg-emerald-50 text-emerald-900",
        S::Cancelled => "border-slate-300 bg-slate-50 text-slate-400 line-through opacity-70",
        S::Completed => "border-sky-400 bg-sky-50 text-sky-900",
        S::NoShow => "border-rose-400 bg-rose-50 text-rose-900",
    }
}

type ListResource = Resource<Result<Vec<AppointmentInfo>, ApiError>>;

/// What the calendar shows: the day (empty = today), day or week, one staff member or all.
#[derive(Clone, Copy)]
struct ListView {
    date: RwSignal<String>,
    week: RwSignal<bool>,
    staff: RwSignal<Option<i64>>,
    version: RwSignal<u32>,
}

#[component]
fn Calendar(s: SetupState, view: ListView, list: ListResource) -> impl IntoView {
    let ListView {
        date: chosen,
        week,
        staff,
        version,
    } = view;
    let selected = RwSignal::new(None::<i64>);
    let today = s.today.clone();
    // The day shown: the chosen one, or the business's today before any is chosen.
    let date = Signal::derive(move || {
        let d = chosen.get();
        if d.is_empty() {
            today.clone()
        } else {
            d
        }
    });
    let refresh = Callback::new(move |_: ()| version.update(|v| *v += 1));
    let hydrated = super::use_hydrated();
    let i18n = use_i18n();
    let people: Vec<(i64, String)> = s
        .staff
        .iter()
        .filter(|m| m.active)
        .map(|m| (m.id, m.name.clone()))
        .collect();
    let people = StoredValue::new(people);
    let step = move |n: i64| {
        let from = date.get_untracked();
        chosen.set(add_days(
            &from,
            if week.get_untracked() { 7 * n } else { n },
        ))
    };
    let button = "rounded-md bg-white px-3 py-1 text-sm shadow-sm ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-50";
    let options = people
        .get_value()
        .into_iter()
        .map(|(id, name)| view! { <option value=id.to_string()>{name}</option> })
        .collect_view();
    let today = s.today.clone();
    let controls = view! {
        <div class="mb-4 flex flex-wrap items-end gap-2" data-testid="calendar-controls">
            <button type="button" class=button disabled=move || !hydrated.get() on:click=move |_| step(-1)>{t!(i18n, calendar.previous)}</button>
            <label class="text-sm">{t!(i18n, calendar.date)}
                <input class="ml-1 rounded-md border border-slate-300 px-2 py-1 text-sm" aria-label=move || t_string!(i18n, calendar.date_aria) prop:value=move || date.get()
                    on:change=move |ev| chosen.set(event_target_value(&ev))/>
            </label>
            <button type="button" class=button disabled=move || !hydrated.get() on:click=move |_| step(1)>{t!(i18n, calendar.next)}</button>
            <button type="button" class=button disabled=move || !hydrated.get() on:click=move |_| chosen.set(today.clone())>{t!(i18n, calendar.today)}</button>
            <label class="text-sm">{t!(i18n, calendar.staff)}
                <select class="ml-1 rounded-md border border-slate-300 px-2 py-1 text-sm" aria-label=move || t_string!(i18n, calendar.staff_aria)
                    on:change=move |ev| staff.set(event_target_value(&ev).parse().ok())>
                    <option value="">{t!(i18n, calendar.all_staff)}</option>
                    {options}
                </select>
            </label>
            <button type="button" class=button aria-pressed=move || (!week.get()).to_string() disabled=move || !hydrated.get() on:click=move |_| week.set(false)>{t!(i18n, calendar.day)}</button>
            <button type="button" class=button aria-pressed=move || week.get().to_string() disabled=move || !hydrated.get() on:click=move |_| { chosen.set(date.get_untracked()); week.set(true) }>{t!(i18n, calendar.week)}</button>
            <span class="text-xs text-slate-500">{t!(i18n, calendar.times_in, zone = s.time_zone.clone())}</span>
        </div>
    }
    .into_any();
    view! {
        {controls}
        <div class="grid gap-6 xl:grid-cols-[1fr_24rem]">
            <div>
                <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
                    {move || Suspend::new(async move {
                        match list.await {
                            Ok(items) if week.get_untracked() => view! { <Week items from=monday_of(&date.get_untracked()) selected/> }.into_any(),
                            Ok(items) => {
                                let mut columns = match staff.get_untracked() {
                                    Some(id) => people.get_value().into_iter().filter(|p| p.0 == id).collect(),
                                    None => people.get_value(),
                                };
                                for a in &items {
                                    if !columns.iter().any(|c| c.0 == a.staff_id) && staff.get_untracked().is_none_or(|id| id == a.staff_id) {
                                        columns.push((a.staff_id, a.staff.clone()));
                                    }
                                }
                                view! { <Day items columns selected/> }.into_any()
                            }
                            Err(e) => view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
            <aside>
                {move || selected.get().map(|id| view! {
                    <super::appointment_panel::AppointmentPanel id on_changed=refresh on_close=Callback::new(move |_: ()| selected.set(None))/>
                })}
                <book::NewAppointment s=s.clone() date on_booked=refresh/>
            </aside>
        </div>
    }
}

/// An appointment in the calendar: a button that opens it.
#[component]
fn Item(
    a: AppointmentInfo,
    selected: RwSignal<Option<i64>>,
    #[prop(optional)] style: String,
    #[prop(optional)] with_staff: bool,
) -> impl IntoView {
    let id = a.id;
    let time = format!(
        "{}–{}",
        a.starts_local.get(11..).unwrap_or(""),
        a.ends_local.get(11..).unwrap_or("")
    );
    let who = if with_staff {
        format!(" · {}", a.staff)
    } else {
        String::new()
    };
    let i18n = use_i18n();
    let title_start = format!("{} {} · {} · {}", time, a.customer_name, a.service, a.staff);
    let status = a.status;
    let title = move || {
        format!(
            "{title_start} · {}",
            super::appointment_panel::action_label(status.as_str(), i18n)
        )
    };
    view! {
        <button
            type="button"
            class=format!("block w-full overflow-hidden rounded border-l-4 px-2 py-1 text-left text-xs shadow-sm {}", status_class(a.status))
            style=style
            data-appointment-id=id.to_string()
            data-status=a.status.as_str()
            title=title
            on:click=move |_| selected.set(Some(id))
        >
            // One text node between elements: adjacent text nodes merge in the browser's parse
            // of the server's HTML and then no longer match during hydration.
            <span class="font-medium">{time}</span>{format!(" {}", a.customer_name)}<br/>{format!("{}{who}", a.service)}
        </button>
    }
}

/// One day, a column per staff member, one pixel per minute.
#[component]
fn Day(
    items: Vec<AppointmentInfo>,
    columns: Vec<(i64, String)>,
    selected: RwSignal<Option<i64>>,
) -> impl IntoView {
    let first = items
        .iter()
        .map(|a| minute_of(&a.starts_local) / 60)
        .min()
        .unwrap_or(7)
        .min(7);
    let last = items
        .iter()
        .map(|a| (minute_of(&a.ends_local) + 59) / 60)
        .max()
        .unwrap_or(20)
        .clamp(20, 24);
    let height = (last - first) * 60;
    let lines = move || {
        (first..last).map(|h| view! {
        <div class="absolute left-0 right-0 border-t border-slate-100 text-[10px] text-slate-400" style=format!("top: {}px", (h - first) * 60)>{format!("{h:02}:00")}</div>
    }).collect_view()
    };
    let i18n = use_i18n();
    let empty = columns
        .is_empty()
        .then(|| view! { <p class="text-sm text-slate-500">{t!(i18n, calendar.no_staff)}</p> });
    let cols = columns.into_iter().map(|(id, name)| {
        let mine: Vec<AppointmentInfo> = items.iter().filter(|a| a.staff_id == id).cloned().collect();
        let blocks = mine.into_iter().map(|a| {
            let top = minute_of(&a.starts_local) - first * 60;
            let end = minute_of(&a.ends_local).max(minute_of(&a.starts_local) + 20);
            let style = format!("position: absolute; top: {top}px; height: {}px; left: 2.5rem; right: 2px;", end - top - first * 60);
            view! { <Item a selected style/> }
        }).collect_view();
        let column = name.clone();
        view! {
            <div class="min-w-[12rem] flex-1" data-staff-column=column>
                <div class="mb-1 text-sm font-medium">{name}</div>
                <div class="relative rounded-lg bg-white shadow-sm" style=format!("height: {height}px")>{lines()}{blocks}</div>
            </div>
        }
    }).collect_view();
    view! { <div class="flex gap-3 overflow-x-auto" data-testid="calendar-day">{empty}{cols}</div> }
}

/// A week from Monday, the appointments of each day in order.
#[component]
fn Week(
    items: Vec<AppointmentInfo>,
    from: String,
    selected: RwSignal<Option<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let days = (0..7).map(|i| {
        let day = add_days(&from, i);
        let mine: Vec<AppointmentInfo> = items.iter().filter(|a| a.starts_local.starts_with(&day)).cloned().collect();
        let list = mine.into_iter().map(|a| view! { <Item a selected with_staff=true/> }).collect_view();
        view! {
            <div class="min-w-[9rem] flex-1 space-y-1" data-day=day.clone()>
                <div class="text-sm font-medium">{
                    let day = day.clone();
                    move || format!("{} {}", weekday_label(&day, i18n), day_month(&day, current_language()))
                }</div>
                {list}
            </div>
        }
    }).collect_view();
    view! { <div class="flex gap-2 overflow-x-auto" data-testid="calendar-week">{days}</div> }
}
