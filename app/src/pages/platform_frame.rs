//! What the signed-in frame adds for platform admins: the banner naming the tenant they act
//! in (with the way back), and keeping them on the platform pages until they switch.

use super::layout::Me;
use super::platform_text as t;
use crate::api::platform_leave;
use crate::contract::AdminInfo;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_navigate};

/// The banner while a platform admin acts in a tenant; nothing otherwise.
pub fn acting_banner(admin: &AdminInfo) -> Option<impl IntoView> {
    let tenant = admin.tenant_name.clone().filter(|_| admin.platform)?;
    let hydrated = super::use_hydrated();
    let me = use_context::<Me>();
    let navigate = use_navigate();
    let leave = Action::new(|_: &()| platform_leave());
    Effect::new(move |_| {
        if let Some(Ok(_)) = leave.value().get() {
            if let Some(me) = me {
                me.0.refetch();
            }
            navigate("/admin/platform", Default::default());
        }
    });
    Some(view! {
        <div class="mb-6 flex flex-wrap items-center justify-between gap-2 rounded-lg border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900"
            role="status" data-testid="acting-banner">
            <span>{move || t::acting_in(&tenant)}</span>
            <button type="button"
                class="rounded-md bg-white px-2 py-1 text-xs font-medium shadow-sm ring-1 ring-amber-300 hover:bg-amber-100"
                disabled=move || !hydrated.get()
                on:click=move |_| { leave.dispatch(()); }>{t::back_to_platform}</button>
        </div>
    })
}

/// Whether a platform admin without a tenant is sent away from `path`: the tenant pages of
/// the frame are; the platform and password pages, and the pages outside the frame (sign-in,
/// invitation) the router is leaving for, are not.
fn needs_tenant(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    let outside = [
        "/admin/platform",
        "/admin/password",
        "/admin/login",
        "/admin/invite",
    ];
    path.starts_with("/admin") && !outside.iter().any(|p| path.starts_with(p))
}

/// Sends a platform admin who has not switched into a tenant from a tenant page to the
/// platform page.
pub fn platform_redirect(platform_only: bool) -> impl IntoView {
    let location = use_location();
    move || {
        let path = location.pathname.get();
        (platform_only && needs_tenant(&path)).then(|| view! { <Redirect path="/admin/platform"/> })
    }
}

#[cfg(test)]
mod tests {
    use super::needs_tenant;

    #[test]
    fn only_tenant_pages_need_a_tenant() {
        for path in ["/admin", "/admin/", "/admin/calendar", "/admin/users"] {
            assert!(needs_tenant(path), "{path}");
        }
        for path in [
            "/admin/platform",
            "/admin/password",
            "/admin/login",
            "/admin/invite/x",
        ] {
            assert!(!needs_tenant(path), "{path}");
        }
    }
}
