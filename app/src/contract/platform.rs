//! Types of the platform and user methods: `platform.*` (tenants, switching into one, the
//! audit log), `users.*` (an owner's users and invitations) and the own account
//! (`admin.password.change`, `admin.invitation.*`).

use super::{AdminRole, Locale};
use serde::{Deserialize, Serialize};

/// A tenant as a platform admin sees it (`platform.tenants.list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlatformTenant {
    /// Tenant id.
    pub id: i64,
    /// URL-safe short name.
    pub slug: String,
    /// Business name.
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Language of the agent and the UI.
    pub locale: Locale,
    /// True while suspended: its users cannot sign in and its phone functions refuse politely.
    pub suspended: bool,
    /// Since when, in the tenant's time zone (YYYY-MM-DD HH:MM).
    pub suspended_local: Option<String>,
    /// Number of admin users (owners and staff).
    pub users: i64,
    /// Created, in the tenant's time zone.
    pub created_local: String,
}

/// The default time zone of a new tenant.
fn berlin() -> String {
    "Europe/Berlin".into()
}

/// The default language of a new tenant.
fn german() -> Locale {
    Locale::De
}

/// Params of `platform.tenants.create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlatformTenantCreate {
    /// Business name (1–120 characters).
    pub name: String,
    /// URL-safe short name (lower-case letters, digits, dashes; 1–40); made from the name when
    /// left out.
    #[serde(default)]
    pub slug: Option<String>,
    /// IANA time zone, e.g. Europe/Berlin (the default).
    #[serde(default = "berlin")]
    pub time_zone: String,
    /// Language: de (the default) or en.
    #[serde(default = "german")]
    pub locale: Locale,
}

/// Params of `platform.tenants.rename`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlatformTenantRename {
    /// Tenant id.
    pub tenant_id: i64,
    /// New business name (1–120 characters).
    pub name: String,
}

/// Params naming one tenant (`suspend`, `resume`, `switch`, `platform.users.list`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TenantRef {
    /// Tenant id.
    pub tenant_id: i64,
}

/// Params of `platform.audit.list`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AuditListParams {
    /// Only this tenant's lines; all when left out.
    #[serde(default)]
    pub tenant_id: Option<i64>,
    /// At most this many lines (1–500, default 100), newest first.
    #[serde(default)]
    pub limit: Option<u32>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AuditEntryInfo {
    /// Id (increasing).
    pub id: i64,
    /// Tenant concerned, if any.
    pub tenant_id: Option<i64>,
    /// E-mail of the admin who acted.
    pub actor: String,
    /// The method, e.g. `platform.tenants.switch`.
    pub action: String,
    /// What changed.
    pub detail: String,
    /// When, UTC (YYYY-MM-DD HH:MM:SS).
    pub at_utc: String,
}

/// How a new user gets in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AddMode {
    /// An invitation link with a one-time token that expires; they choose their password.
    Invite,
    /// A first password, shown once in the answer.
    Password,
}

/// Params of `users.add`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UserAdd {
    /// Login e-mail.
    pub email: String,
    /// owner or staff.
    pub role: AdminRole,
    /// invite (a link) or password (a first password shown once).
    pub mode: AddMode,
}

/// Params of `platform.users.add`: a user for any tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlatformUserAdd {
    /// Tenant id.
    pub tenant_id: i64,
    /// Login e-mail.
    pub email: String,
    /// owner or staff.
    pub role: AdminRole,
    /// invite (a link) or password (a first password shown once).
    pub mode: AddMode,
}

/// Result of adding a user: the only time the link or the password is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AddedUser {
    /// Login e-mail.
    pub email: String,
    /// owner or staff.
    pub role: AdminRole,
    /// The first password (mode password); they should change it after signing in.
    pub password: Option<String>,
    /// The invitation link to send them (mode invite); it works once.
    pub invitation_url: Option<String>,
    /// When the link stops working, in the tenant's time zone (mode invite).
    pub expires_local: Option<String>,
}

/// A user of a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UserInfo {
    /// User id.
    pub id: i64,
    /// Login e-mail.
    pub email: String,
    /// owner or staff.
    pub role: AdminRole,
    /// Created, in the tenant's time zone.
    pub created_local: String,
    /// True for the signed-in admin themself.
    pub you: bool,
}

/// An invitation not yet used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InvitationInfo {
    /// Invitation id.
    pub id: i64,
    /// Invited e-mail.
    pub email: String,
    /// owner or staff.
    pub role: AdminRole,
    /// When the link stops working, in the tenant's time zone.
    pub expires_local: String,
    /// True once it has expired.
    pub expired: bool,
}

/// Result of `users.list` and `platform.users.list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TenantUsers {
    /// Tenant id.
    pub tenant_id: i64,
    /// Business name.
    pub tenant_name: String,
    /// Its users, owners first.
    pub users: Vec<UserInfo>,
    /// Its invitations not yet used, newest first.
    pub invitations: Vec<InvitationInfo>,
}

/// Params of `users.remove`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UserRef {
    /// User id.
    pub user_id: i64,
}

/// Params of `users.role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UserRoleChange {
    /// User id.
    pub user_id: i64,
    /// The new role: owner or staff.
    pub role: AdminRole,
}

/// Params of `admin.password.change`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PasswordChange {
    /// The password used now.
    pub current_password: String,
    /// The new password (at least 10 characters).
    pub new_password: String,
}

/// Params of `admin.invitation.get`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InvitationToken {
    /// The token from the invitation link.
    pub token: String,
}

/// What an invitation link is for (`admin.invitation.get`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InvitationPreview {
    /// The invited e-mail (the login).
    pub email: String,
    /// The business.
    pub tenant_name: String,
    /// owner or staff.
    pub role: AdminRole,
}

/// Params of `admin.invitation.accept`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InvitationAccept {
    /// The token from the invitation link.
    pub token: String,
    /// The password chosen (at least 10 characters).
    pub password: String,
}
