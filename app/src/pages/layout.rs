//! The signed-in frame: sidebar navigation around every admin page; redirects to login.

use crate::api::{logout, whoami, ApiError};
use crate::contract::{AdminInfo, AdminRole};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::use_navigate;

/// Navigation entries: (path, label, owner only).
const NAV: [(&str, &str, bool); 10] = [
    ("/admin", "Dashboard", false),
    ("/admin/retell-webhook", "Retell webhook", false),
    ("/admin/calls", "Calls", false),
    ("/admin/calendar", "Calendar", false),
    ("/admin/appointments", "Appointments", false),
    ("/admin/scheduling", "Scheduling", false),
    ("/admin/setup", "Set-up", true),
    ("/admin/monitoring", "Monitoring", false),
    ("/admin/api-access", "API access", true),
    ("/admin/settings", "Settings", true),
];

/// Whether the signed-in admin is the business owner (the pages hide what staff cannot do;
/// the gateway refuses it anyway).
pub fn is_owner() -> bool {
    use_context::<AdminInfo>().is_some_and(|a| a.role == AdminRole::Owner)
}

/// Loads the signed-in admin and renders the frame, or sends the visitor to the login page.
#[component]
pub fn AdminLayout() -> impl IntoView {
    let me = Resource::new(|| (), |_| whoami());
    view! {
        <Suspense fallback=|| view! { <p class="p-8 text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(admin) => Either::Left(view! { <Frame admin/> }),
                    Err(ApiError::Unauthorized) => Either::Right(Either::Left(view! { <Redirect path="/admin/login"/> })),
                    Err(e) => Either::Right(Either::Right(view! { <div class="p-8"><super::ErrorNote message=e.to_string()/></div> })),
                }
            })}
        </Suspense>
    }
}

/// Sidebar + content; the menu button opens the navigation on small screens.
#[component]
fn Frame(admin: AdminInfo) -> impl IntoView {
    // Pages read who is signed in (e.g. to show owner-only controls) without asking again.
    let owner = admin.role == AdminRole::Owner;
    provide_context(admin.clone());
    // One live-update stream per tab, for every page of the frame.
    super::live::provide_live();
    let menu_open = RwSignal::new(false);
    let hydrated = super::use_hydrated();
    let sign_out = Action::new(|_: &()| logout());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            navigate("/admin/login", Default::default());
        }
    });
    view! {
        <div class="min-h-screen md:flex">
            <aside class="bg-slate-900 text-slate-100 md:w-60 md:min-h-screen">
                <div class="flex items-center justify-between px-4 py-4">
                    <span class="text-lg font-semibold">"Slotline"</span>
                    <button
                        type="button"
                        class="rounded px-2 py-1 text-sm ring-1 ring-slate-600 hover:bg-slate-800 md:hidden"
                        aria-controls="main-nav"
                        aria-expanded=move || menu_open.get().to_string()
                        disabled=move || !hydrated.get()
                        on:click=move |_| menu_open.update(|open| *open = !*open)
                    >
                        "Menu"
                    </button>
                </div>
                <nav
                    id="main-nav"
                    class="px-2 pb-4 md:block"
                    class:hidden=move || !menu_open.get()
                >
                    {NAV
                        .iter()
                        .filter(|(_, _, owner_only)| owner || !owner_only)
                        .map(|(href, label, _)| {
                            view! {
                                <A
                                    href=*href
                                    exact=true
                                    attr:class="block rounded px-3 py-2 text-sm text-slate-300 hover:bg-slate-800 hover:text-white aria-[current=page]:bg-slate-800 aria-[current=page]:text-white"
                                >
                                    {*label}
                                </A>
                            }
                        })
                        .collect_view()}
                </nav>
                <div class="border-t border-slate-800 px-4 py-3 text-xs text-slate-400">
                    <p data-testid="signed-in-as">{admin.email.clone()}</p>
                    <p>{admin.tenant_name.clone()}</p>
                    <p data-testid="signed-in-role">{if owner { "owner" } else { "staff" }}</p>
                    <button
                        type="button"
                        class="mt-2 text-slate-300 hover:text-white hover:underline"
                        disabled=move || !hydrated.get()
                        on:click=move |_| { sign_out.dispatch(()); }
                    >
                        "Sign out"
                    </button>
                </div>
            </aside>
            <main class="flex-1 p-6 md:p-10">
                <Outlet/>
            </main>
        </div>
    }
}
