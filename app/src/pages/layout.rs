//! The signed-in frame: sidebar navigation around every admin page; redirects to login.

use crate::api::{logout, whoami, ApiError};
use crate::contract::{AdminInfo, AdminRole};
use crate::i18n::*;
use crate::i18n_setup::LanguageSwitch;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::use_navigate;

/// A label read from the catalogue in the current language.
type Label = fn(I18nContext<Locale>) -> &'static str;

/// Navigation entries: (path, label, owner only).
const NAV: [(&str, Label, bool); 13] = [
    ("/admin", |i| t_string!(i, common.nav_dashboard), false),
    (
        "/admin/retell-webhook",
        |i| t_string!(i, common.nav_retell),
        false,
    ),
    ("/admin/calls", |i| t_string!(i, common.nav_calls), false),
    (
        "/admin/calendar",
        |i| t_string!(i, common.nav_calendar),
        false,
    ),
    (
        "/admin/appointments",
        |i| t_string!(i, common.nav_appointments),
        false,
    ),
    (
        "/admin/scheduling",
        |i| t_string!(i, common.nav_scheduling),
        false,
    ),
    ("/admin/setup", |i| t_string!(i, common.nav_setup), true),
    (
        "/admin/monitoring",
        |i| t_string!(i, common.nav_monitoring),
        false,
    ),
    (
        "/admin/notifications",
        |i| t_string!(i, common.nav_notifications),
        false,
    ),
    (
        "/admin/api-access",
        |i| t_string!(i, common.nav_api_access),
        true,
    ),
    (
        "/admin/settings",
        |i| t_string!(i, common.nav_settings),
        true,
    ),
    ("/admin/users", |i| t_string!(i, common.nav_users), true),
    (
        "/admin/password",
        |i| t_string!(i, common.nav_password),
        false,
    ),
];

/// Pages a platform admin sees before switching into a tenant (and their entries).
const PLATFORM_NAV: [(&str, Label); 2] = [
    ("/admin/platform", |i| t_string!(i, common.nav_platform)),
    ("/admin/password", |i| t_string!(i, common.nav_password)),
];

/// The signed-in admin, for pages that change who or where they are (a platform admin's
/// switch) and must load it again.
#[derive(Clone, Copy)]
pub struct Me(pub Resource<Result<AdminInfo, ApiError>>);

/// Whether the signed-in admin is the business owner (the pages hide what staff cannot do;
/// the gateway refuses it anyway).
pub fn is_owner() -> bool {
    use_context::<AdminInfo>().is_some_and(|a| a.role == AdminRole::Owner)
}

/// Loads the signed-in admin and renders the frame, or sends the visitor to the login page.
#[component]
pub fn AdminLayout() -> impl IntoView {
    let me = Resource::new(|| (), |_| whoami());
    provide_context(Me(me));
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="p-8 text-slate-500">{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(admin) => Either::Left(view! { <Frame admin/> }),
                    Err(ApiError::Unauthorized) => Either::Right(Either::Left(view! { <Redirect path="/admin/login"/> })),
                    Err(e) => Either::Right(Either::Right(view! { <div class="p-8"><super::ErrorNote message=super::error_text(&e, i18n)/></div> })),
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
    // The language cookie decides (sign-in sets it from the admin's remembered language, the
    // switch sets both); changing the locale here would make SSR and hydration disagree.
    let i18n = use_i18n();
    // A platform admin without a tenant sees only the platform pages.
    let platform_only = admin.platform && admin.tenant_id.is_none();
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
                        {t!(i18n, common.menu)}
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
                        .map(|(href, label, _)| (*href, *label))
                        .filter(|_| !platform_only)
                        .chain(PLATFORM_NAV.iter().copied().filter(|(href, _)| {
                            platform_only || (admin.platform && *href == "/admin/platform")
                        }))
                        .map(|(href, label)| {
                            view! {
                                <A
                                    href=href
                                    exact=true
                                    attr:class="block rounded px-3 py-2 text-sm text-slate-300 hover:bg-slate-800 hover:text-white aria-[current=page]:bg-slate-800 aria-[current=page]:text-white"
                                >
                                    {move || label(i18n)}
                                </A>
                            }
                        })
                        .collect_view()}
                </nav>
                <div class="border-t border-slate-800 px-4 py-3 text-xs text-slate-400">
                    <p data-testid="signed-in-as">{admin.email.clone()}</p>
                    <p>{admin.tenant_name.clone()}</p>
                    <p data-testid="signed-in-role" data-role=if admin.platform { "platform" } else if owner { "owner" } else { "staff" }>
                        {move || if admin.platform {
                            t_string!(i18n, common.role_platform)
                        } else if owner {
                            t_string!(i18n, common.role_owner)
                        } else {
                            t_string!(i18n, common.role_staff)
                        }}
                    </p>
                    <button
                        type="button"
                        class="mt-2 text-slate-300 hover:text-white hover:underline"
                        disabled=move || !hydrated.get()
                        on:click=move |_| { sign_out.dispatch(()); }
                    >
                        {t!(i18n, common.sign_out)}
                    </button>
                    <div class="mt-3"><LanguageSwitch signed_in=true/></div>
                </div>
            </aside>
            <main class="flex-1 p-6 md:p-10">
                {super::platform_frame::acting_banner(&admin)}
                {super::platform_frame::platform_redirect(platform_only)}
                <Outlet/>
            </main>
        </div>
    }
}
