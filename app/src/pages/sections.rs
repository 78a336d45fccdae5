//! Sections the scheduling feature fills: appointments and scheduling setup.

use leptos::prelude::*;

/// An empty state explaining what the section will list.
#[component]
fn EmptySection(title: &'static str, subtitle: &'static str, empty: &'static str) -> impl IntoView {
    view! {
        <super::PageHeader title subtitle/>
        <div class="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center text-sm text-slate-500">
            {empty}
        </div>
    }
}

/// Appointments booked by phone or by admins.
#[component]
pub fn AppointmentsPage() -> impl IntoView {
    view! { <EmptySection title="Appointments" subtitle="Booked, changed and cancelled appointments." empty="No appointments yet."/> }
}

/// Staff, services and opening hours.
#[component]
pub fn SchedulingPage() -> impl IntoView {
    view! { <EmptySection title="Scheduling" subtitle="Staff, services, opening hours and booking rules." empty="Scheduling setup is not configured yet."/> }
}
