//! Appointments page: what is booked in the coming weeks, by phone or by admins, searchable by
//! the customer's name or phone; a row opens the appointment with its history.

use crate::api::list_appointments;
use crate::contract::{AppointmentInfo, AppointmentListParams, AppointmentStatus};
use crate::i18n::*;
use crate::i18n_setup::{current_language, local_time};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// Days shown.
const DAYS: i64 = 62;

/// Table of upcoming appointments with search and a reload button.
#[component]
pub fn AppointmentsPage() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let applied = RwSignal::new(String::new());
    let version = RwSignal::new(0u32);
    let selected = RwSignal::new(None::<i64>);
    let list = Resource::new(
        move || (applied.get(), version.get()),
        |(text, _)| {
            list_appointments(AppointmentListParams {
                days: Some(DAYS),
                search: (!text.trim().is_empty()).then_some(text),
                ..Default::default()
            })
        },
    );
    let hydrated = super::use_hydrated();
    let refresh = Callback::new(move |_: ()| version.update(|v| *v += 1));
    let i18n = use_i18n();
    view! {
        <super::PageHeader title=move || t_string!(i18n, appointments.title) subtitle=move || t_string!(i18n, appointments.subtitle)/>
        <super::recovery::RecoveryPanel/>
        <div class="mb-4 flex flex-wrap items-end gap-2">
            <label class="text-sm">{t!(i18n, appointments.search_label)}
                <input class="ml-1 rounded-md border border-slate-300 px-2 py-1 text-sm" bind:value=search
                    on:keydown=move |ev| if ev.key() == "Enter" { applied.set(search.get_untracked()); }/>
            </label>
            <button type="button" class="rounded-md bg-white px-3 py-1 text-sm shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
                disabled=move || !hydrated.get() on:click=move |_| applied.set(search.get_untracked())>{t!(i18n, appointments.search)}</button>
        </div>
        <super::ReloadButton on_reload=move || list.refetch()/>
        {move || selected.get().map(|id| view! {
            <super::appointment_panel::AppointmentPanel id on_changed=refresh on_close=Callback::new(move |_: ()| selected.set(None))/>
        })}
        <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) if l.is_empty() => view! {
                        <div class="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center text-sm text-slate-500">
                            {t!(i18n, appointments.empty)}
                        </div>
                    }.into_any(),
                    Ok(l) => view! { <AppointmentTable list=l selected/> }.into_any(),
                    Err(e) => view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Colour of a status badge.
pub fn badge(status: AppointmentStatus) -> &'static str {
    match status {
        AppointmentStatus::Held => "bg-amber-100 text-amber-800",
        AppointmentStatus::Booked => "bg-emerald-100 text-emerald-800",
        AppointmentStatus::Cancelled => "bg-slate-100 text-slate-500 line-through",
        AppointmentStatus::Completed => "bg-sky-100 text-sky-800",
        AppointmentStatus::NoShow => "bg-rose-100 text-rose-800",
    }
}

/// Label of a status badge in the current language.
pub fn status_label(status: AppointmentStatus, i18n: I18nContext<Locale>) -> &'static str {
    match status {
        AppointmentStatus::Held => t_string!(i18n, appointments.status_held),
        AppointmentStatus::Booked => t_string!(i18n, appointments.status_booked),
        AppointmentStatus::Cancelled => t_string!(i18n, appointments.status_cancelled),
        AppointmentStatus::Completed => t_string!(i18n, appointments.status_completed),
        AppointmentStatus::NoShow => t_string!(i18n, appointments.status_no_show),
    }
}

/// How an appointment came in (`phone` or `admin`) in the current language.
pub fn source_label(source: &str, i18n: I18nContext<Locale>) -> String {
    match source {
        "phone" => t_string!(i18n, appointments.source_phone).to_owned(),
        "admin" => t_string!(i18n, appointments.source_admin).to_owned(),
        other => other.to_owned(),
    }
}

#[component]
fn AppointmentTable(list: Vec<AppointmentInfo>, selected: RwSignal<Option<i64>>) -> impl IntoView {
    let cell = "px-3 py-2 text-left align-top";
    let hydrated = super::use_hydrated();
    let i18n = use_i18n();
    view! {
        <div class="overflow-x-auto rounded-xl bg-white shadow-sm">
            <table class="min-w-full text-sm" data-testid="appointments-table">
                <thead class="bg-slate-100 text-xs uppercase text-slate-500">
                    <tr>
                        <th class=cell>{t!(i18n, appointments.when)}</th>
                        <th class=cell>{t!(i18n, appointments.service)}</th>
                        <th class=cell>{t!(i18n, appointments.staff)}</th>
                        <th class=cell>{t!(i18n, appointments.customer)}</th>
                        <th class=cell>{t!(i18n, appointments.phone)}</th>
                        <th class=cell>{t!(i18n, appointments.status)}</th>
                        <th class=cell>{t!(i18n, appointments.source)}</th>
                        <th class=cell></th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|a| {
                            let (status, color) = (a.status, badge(a.status));
                            let label = move || status_label(status, i18n);
                            let when = format!("{} – {}", a.starts_local, a.ends_local.get(11..).unwrap_or(""));
                            let when = move || local_time(&when, current_language());
                            let id = a.id;
                            let source_code = a.source.clone();
                            let source_text = move || source_label(&source_code, i18n);
                            let source = match &a.call_id {
                                Some(c) => view! { <a class="text-indigo-600 underline" href=format!("/admin/calls/{c}")>{source_text}</a> }.into_any(),
                                None => view! { <span>{source_text}</span> }.into_any(),
                            };
                            view! {
                                <tr class="border-t border-slate-100" data-appointment-id=a.id.to_string() data-call-id=a.call_id.clone().unwrap_or_default()>
                                    <td class=cell>{when}</td>
                                    <td class=cell>{a.service}</td>
                                    <td class=cell>{a.staff}</td>
                                    <td class=cell>{a.customer_name}</td>
                                    <td class=cell>{a.customer_phone}</td>
                                    <td class=cell>
                                        <span class=format!("rounded-full px-2 py-0.5 text-xs {color}") data-status=a.status.as_str()>{label}</span>
                                    </td>
                                    <td class=cell>{source}</td>
                                    <td class=cell>
                                        <button type="button" class="rounded-md bg-white px-2 py-1 text-xs shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
                                            disabled=move || !hydrated.get() on:click=move |_| selected.set(Some(id))>{t!(i18n, appointments.details)}</button>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
