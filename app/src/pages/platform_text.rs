//! Every user-facing sentence of the platform, users, password and invitation pages, read
//! from the `platform` catalogue in the UI's language.

use crate::i18n::*;

/// `platform.platform_title` in the current language.
pub fn platform_title() -> &'static str {
    t_string!(use_i18n(), platform.platform_title)
}
/// `platform.platform_subtitle` in the current language.
pub fn platform_subtitle() -> &'static str {
    t_string!(use_i18n(), platform.platform_subtitle)
}
/// `platform.new_tenant` in the current language.
pub fn new_tenant() -> &'static str {
    t_string!(use_i18n(), platform.new_tenant)
}
/// `platform.business_name` in the current language.
pub fn business_name() -> &'static str {
    t_string!(use_i18n(), platform.business_name)
}
/// `platform.slug` in the current language.
pub fn slug() -> &'static str {
    t_string!(use_i18n(), platform.slug)
}
/// `platform.time_zone` in the current language.
pub fn time_zone() -> &'static str {
    t_string!(use_i18n(), platform.time_zone)
}
/// `platform.language` in the current language.
pub fn language() -> &'static str {
    t_string!(use_i18n(), platform.language)
}
/// `platform.create_tenant` in the current language.
pub fn create_tenant() -> &'static str {
    t_string!(use_i18n(), platform.create_tenant)
}
/// `platform.status` in the current language.
pub fn status() -> &'static str {
    t_string!(use_i18n(), platform.status)
}
/// `platform.users` in the current language.
pub fn users() -> &'static str {
    t_string!(use_i18n(), platform.users)
}
/// `platform.active` in the current language.
pub fn active() -> &'static str {
    t_string!(use_i18n(), platform.active)
}
/// `platform.suspended` in the current language.
pub fn suspended() -> &'static str {
    t_string!(use_i18n(), platform.suspended)
}
/// `platform.rename` in the current language.
pub fn rename() -> &'static str {
    t_string!(use_i18n(), platform.rename)
}
/// `platform.suspend` in the current language.
pub fn suspend() -> &'static str {
    t_string!(use_i18n(), platform.suspend)
}
/// `platform.resume` in the current language.
pub fn resume() -> &'static str {
    t_string!(use_i18n(), platform.resume)
}
/// `platform.switch` in the current language.
pub fn switch() -> &'static str {
    t_string!(use_i18n(), platform.switch)
}
/// `platform.add_user` in the current language.
pub fn add_user() -> &'static str {
    t_string!(use_i18n(), platform.add_user)
}
/// `platform.tenant` in the current language.
pub fn tenant() -> &'static str {
    t_string!(use_i18n(), platform.tenant)
}
/// `platform.email` in the current language.
pub fn email() -> &'static str {
    t_string!(use_i18n(), platform.email)
}
/// `platform.role` in the current language.
pub fn role() -> &'static str {
    t_string!(use_i18n(), platform.role)
}
/// `platform.how` in the current language.
pub fn how() -> &'static str {
    t_string!(use_i18n(), platform.how)
}
/// `platform.mode_invite` in the current language.
pub fn mode_invite() -> &'static str {
    t_string!(use_i18n(), platform.mode_invite)
}
/// `platform.mode_password` in the current language.
pub fn mode_password() -> &'static str {
    t_string!(use_i18n(), platform.mode_password)
}
/// `platform.owner` in the current language.
pub fn owner() -> &'static str {
    t_string!(use_i18n(), platform.owner)
}
/// `platform.staff` in the current language.
pub fn staff() -> &'static str {
    t_string!(use_i18n(), platform.staff)
}
/// `platform.add_user_button` in the current language.
pub fn add_user_button() -> &'static str {
    t_string!(use_i18n(), platform.add_user_button)
}
/// `platform.link_once` in the current language.
pub fn link_once() -> &'static str {
    t_string!(use_i18n(), platform.link_once)
}
/// `platform.password_once` in the current language.
pub fn password_once() -> &'static str {
    t_string!(use_i18n(), platform.password_once)
}
/// `platform.no_tenants` in the current language.
pub fn no_tenants() -> &'static str {
    t_string!(use_i18n(), platform.no_tenants)
}
/// `platform.back_to_platform` in the current language.
pub fn back_to_platform() -> &'static str {
    t_string!(use_i18n(), platform.back_to_platform)
}
/// `platform.users_title` in the current language.
pub fn users_title() -> &'static str {
    t_string!(use_i18n(), platform.users_title)
}
/// `platform.users_subtitle` in the current language.
pub fn users_subtitle() -> &'static str {
    t_string!(use_i18n(), platform.users_subtitle)
}
/// `platform.created` in the current language.
pub fn created() -> &'static str {
    t_string!(use_i18n(), platform.created)
}
/// `platform.you` in the current language.
pub fn you() -> &'static str {
    t_string!(use_i18n(), platform.you)
}
/// `platform.remove` in the current language.
pub fn remove() -> &'static str {
    t_string!(use_i18n(), platform.remove)
}
/// `platform.invitations` in the current language.
pub fn invitations() -> &'static str {
    t_string!(use_i18n(), platform.invitations)
}
/// `platform.password_title` in the current language.
pub fn password_title() -> &'static str {
    t_string!(use_i18n(), platform.password_title)
}
/// `platform.password_subtitle` in the current language.
pub fn password_subtitle() -> &'static str {
    t_string!(use_i18n(), platform.password_subtitle)
}
/// `platform.current_password` in the current language.
pub fn current_password() -> &'static str {
    t_string!(use_i18n(), platform.current_password)
}
/// `platform.new_password` in the current language.
pub fn new_password() -> &'static str {
    t_string!(use_i18n(), platform.new_password)
}
/// `platform.repeat_password` in the current language.
pub fn repeat_password() -> &'static str {
    t_string!(use_i18n(), platform.repeat_password)
}
/// `platform.change_password` in the current language.
pub fn change_password() -> &'static str {
    t_string!(use_i18n(), platform.change_password)
}
/// `platform.passwords_differ` in the current language.
pub fn passwords_differ() -> &'static str {
    t_string!(use_i18n(), platform.passwords_differ)
}
/// `platform.password_changed` in the current language.
pub fn password_changed() -> &'static str {
    t_string!(use_i18n(), platform.password_changed)
}
/// `platform.invite_title` in the current language.
pub fn invite_title() -> &'static str {
    t_string!(use_i18n(), platform.invite_title)
}
/// `platform.choose_password` in the current language.
pub fn choose_password() -> &'static str {
    t_string!(use_i18n(), platform.choose_password)
}
/// `platform.accept` in the current language.
pub fn accept() -> &'static str {
    t_string!(use_i18n(), platform.accept)
}
/// `platform.loading` in the current language.
pub fn loading() -> &'static str {
    t_string!(use_i18n(), platform.loading)
}
/// The banner while a platform admin acts in a tenant.
pub fn acting_in(tenant: &str) -> String {
    t_string!(use_i18n(), platform.acting_in).replace("{tenant}", tenant)
}
/// Invitation expiry.
pub fn expires(at: &str, expired: bool) -> String {
    let at = crate::i18n_setup::local_time(at, crate::i18n_setup::current_language());
    if expired {
        t_string!(use_i18n(), platform.expired_at).replace("{at}", &at)
    } else {
        t_string!(use_i18n(), platform.valid_until).replace("{at}", &at)
    }
}
/// What the invitation is for.
pub fn invited_as(email: &str, tenant: &str, role: &str) -> String {
    let role = match role {
        "owner" => owner(),
        "staff" => staff(),
        other => other,
    };
    t_string!(use_i18n(), platform.invited_as)
        .replace("{tenant}", tenant)
        .replace("{role}", role)
        .replace("{email}", email)
}
/// A tenant was created.
pub fn tenant_created(name: &str) -> String {
    t_string!(use_i18n(), platform.tenant_created).replace("{name}", name)
}
