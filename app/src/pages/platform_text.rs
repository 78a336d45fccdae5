//! Every user-facing sentence of the platform, users, password and invitation pages, in
//! English, in one place (to be moved into the i18n catalogues).

/// Platform page title.
pub const PLATFORM_TITLE: &str = "Platform";
/// Platform page subtitle.
pub const PLATFORM_SUBTITLE: &str =
    "Every business on this Slotline: create, rename, suspend, add users, or switch into one to help.";
/// Create-tenant section heading.
pub const NEW_TENANT: &str = "New tenant";
/// Label of a business name.
pub const BUSINESS_NAME: &str = "Business name";
/// Label of the slug.
pub const SLUG: &str = "Short name (optional)";
/// Label of the time zone.
pub const TIME_ZONE: &str = "Time zone (IANA)";
/// Label of the language.
pub const LANGUAGE: &str = "Language";
/// Button creating a tenant.
pub const CREATE_TENANT: &str = "Create tenant";
/// Column: status.
pub const STATUS: &str = "Status";
/// Column: users.
pub const USERS: &str = "Users";
/// Status word: active.
pub const ACTIVE: &str = "active";
/// Status word: suspended.
pub const SUSPENDED: &str = "suspended";
/// Button: rename.
pub const RENAME: &str = "Rename";
/// Button: suspend.
pub const SUSPEND: &str = "Suspend";
/// Button: resume.
pub const RESUME: &str = "Resume";
/// Button: switch into a tenant.
pub const SWITCH: &str = "Switch into";
/// Add-user section heading.
pub const ADD_USER: &str = "Add a user";
/// Label: tenant.
pub const TENANT: &str = "Tenant";
/// Label: e-mail.
pub const EMAIL: &str = "E-mail";
/// Label: role.
pub const ROLE: &str = "Role";
/// Label: how the user gets in.
pub const HOW: &str = "How they get in";
/// Mode: invitation link.
pub const MODE_INVITE: &str = "Invitation link (valid 72 hours, once)";
/// Mode: first password.
pub const MODE_PASSWORD: &str = "First password (shown once)";
/// Role names.
pub const OWNER: &str = "owner";
/// Role names.
pub const STAFF: &str = "staff";
/// Button adding a user.
pub const ADD_USER_BUTTON: &str = "Add user";
/// Shown with a new invitation link.
pub const LINK_ONCE: &str = "Send this link to them; it works once and is not shown again:";
/// Shown with a first password.
pub const PASSWORD_ONCE: &str =
    "Their first password (tell them to change it after signing in); it is not shown again:";
/// No tenants yet.
pub const NO_TENANTS: &str = "No tenants yet.";
/// The banner while a platform admin acts in a tenant.
pub fn acting_in(tenant: &str) -> String {
    format!("Platform admin: you are acting in {tenant}. Every switch is audited.")
}
/// Banner button back to the platform.
pub const BACK_TO_PLATFORM: &str = "Back to platform";
/// Users page title.
pub const USERS_TITLE: &str = "Users";
/// Users page subtitle.
pub const USERS_SUBTITLE: &str =
    "Who can sign in to your business: owners manage everything, staff the daily work.";
/// Column: created.
pub const CREATED: &str = "Created";
/// Marks the signed-in admin.
pub const YOU: &str = "(you)";
/// Button removing a user.
pub const REMOVE: &str = "Remove";
/// Pending invitations heading.
pub const INVITATIONS: &str = "Open invitations";
/// Invitation expiry.
pub fn expires(at: &str, expired: bool) -> String {
    if expired {
        format!("expired {at}")
    } else {
        format!("valid until {at}")
    }
}
/// Password page title.
pub const PASSWORD_TITLE: &str = "Password";
/// Password page subtitle.
pub const PASSWORD_SUBTITLE: &str = "Change the password you sign in with.";
/// Label: current password.
pub const CURRENT_PASSWORD: &str = "Current password";
/// Label: new password.
pub const NEW_PASSWORD: &str = "New password (at least 10 characters)";
/// Label: new password again.
pub const REPEAT_PASSWORD: &str = "New password again";
/// Button changing the password.
pub const CHANGE_PASSWORD: &str = "Change password";
/// The two new passwords differ.
pub const PASSWORDS_DIFFER: &str = "The two new passwords differ.";
/// Password changed.
pub const PASSWORD_CHANGED: &str = "Password changed. Your other sessions were signed out.";
/// Invitation page title.
pub const INVITE_TITLE: &str = "Join Slotline";
/// What the invitation is for.
pub fn invited_as(email: &str, tenant: &str, role: &str) -> String {
    format!("You are invited to {tenant} as {role}. Your login is {email}.")
}
/// Label: choose a password.
pub const CHOOSE_PASSWORD: &str = "Choose a password (at least 10 characters)";
/// Button accepting.
pub const ACCEPT: &str = "Set password and sign in";
/// Loading.
pub const LOADING: &str = "Loading…";
/// A tenant was created.
pub fn tenant_created(name: &str) -> String {
    format!("Tenant {name} created. Add its owner below.")
}
