//! Appointments page: what is booked in the coming weeks, by phone or by admins.

use crate::api::list_appointments;
use crate::contract::{AppointmentInfo, AppointmentStatus};
use leptos::either::EitherOf3;
use leptos::prelude::*;

/// Days shown.
const DAYS: i64 = 62;

/// Table of upcoming appointments with a reload button.
#[component]
pub fn AppointmentsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_appointments(crate::contract::AppointmentListParams { days: Some(DAYS), ..Default::default() }));
    view! {
        <super::PageHeader title="Appointments" subtitle="Booked, held and cancelled appointments of the next two months."/>
        <super::recovery::RecoveryPanel/>
        <super::ReloadButton on_reload=move || list.refetch()/>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) if l.is_empty() => EitherOf3::A(view! {
                        <div class="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center text-sm text-slate-500">
                            "No appointments in the next two months."
                        </div>
                    }),
                    Ok(l) => EitherOf3::B(view! { <AppointmentTable list=l/> }),
                    Err(e) => EitherOf3::C(view! { <super::ErrorNote message=e.to_string()/> }),
                }
            })}
        </Suspense>
    }
}

fn badge(status: AppointmentStatus) -> (&'static str, &'static str) {
    match status {
        AppointmentStatus::Held => ("held (call running)", "bg-amber-100 text-amber-800"),
        AppointmentStatus::Booked => ("booked", "bg-emerald-100 text-emerald-800"),
        AppointmentStatus::Cancelled => ("cancelled", "bg-slate-100 text-slate-500 line-through"),
        AppointmentStatus::Completed => ("completed", "bg-sky-100 text-sky-800"),
        AppointmentStatus::NoShow => ("no-show", "bg-rose-100 text-rose-800"),
    }
}

#[component]
fn AppointmentTable(list: Vec<AppointmentInfo>) -> impl IntoView {
    let cell = "px-3 py-2 text-left align-top";
    view! {
        <div class="overflow-x-auto rounded-xl bg-white shadow-sm">
            <table class="min-w-full text-sm" data-testid="appointments-table">
                <thead class="bg-slate-100 text-xs uppercase text-slate-500">
                    <tr>
                        <th class=cell>"When"</th>
                        <th class=cell>"Service"</th>
                        <th class=cell>"Staff"</th>
                        <th class=cell>"Customer"</th>
                        <th class=cell>"Phone"</th>
                        <th class=cell>"Status"</th>
                        <th class=cell>"Source"</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|a| {
                            let (label, color) = badge(a.status);
                            let when = format!("{} – {}", a.starts_local, a.ends_local.get(11..).unwrap_or(""));
                            view! {
                                <tr class="border-t border-slate-100" data-appointment-id=a.id.to_string() data-call-id=a.call_id.unwrap_or_default()>
                                    <td class=cell>{when}</td>
                                    <td class=cell>{a.service}</td>
                                    <td class=cell>{a.staff}</td>
                                    <td class=cell>{a.customer_name}</td>
                                    <td class=cell>{a.customer_phone}</td>
                                    <td class=cell>
                                        <span class=format!("rounded-full px-2 py-0.5 text-xs {color}") data-status=a.status.as_str()>{label}</span>
                                    </td>
                                    <td class=cell>{a.source}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
