//! Server functions of the platform and user pages: tenants (platform admins), the own
//! tenant's users (owners), the own password, and accepting an invitation link.

use super::ApiError;
use crate::contract::{
    AddedUser, AdminInfo, InvitationPreview, PasswordChange, PlatformTenant, PlatformTenantCreate,
    PlatformTenantRename, PlatformUserAdd, TenantUsers, UserAdd, UserRoleChange,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Every tenant (platform admins).
#[server(prefix = "/api/ui", endpoint = "platform_tenants")]
pub async fn platform_tenants() -> Result<Vec<PlatformTenant>, ApiError> {
    super::backend::call("platform.tenants.list", &crate::contract::NoParams {}).await
}

/// Creates a tenant.
#[server(prefix = "/api/ui", endpoint = "platform_tenant_create", input = Json)]
pub async fn platform_create_tenant(
    params: PlatformTenantCreate,
) -> Result<PlatformTenant, ApiError> {
    super::backend::call("platform.tenants.create", &params).await
}

/// Renames a tenant.
#[server(prefix = "/api/ui", endpoint = "platform_tenant_rename", input = Json)]
pub async fn platform_rename_tenant(
    params: PlatformTenantRename,
) -> Result<PlatformTenant, ApiError> {
    super::backend::call("platform.tenants.rename", &params).await
}

/// Suspends (`suspend`) or resumes a tenant.
#[server(prefix = "/api/ui", endpoint = "platform_tenant_suspend", input = Json)]
pub async fn platform_suspend_tenant(
    tenant_id: i64,
    suspend: bool,
) -> Result<PlatformTenant, ApiError> {
    let method = if suspend {
        "platform.tenants.suspend"
    } else {
        "platform.tenants.resume"
    };
    super::backend::call(method, &crate::contract::TenantRef { tenant_id }).await
}

/// Acts in a tenant from now on (audited).
#[server(prefix = "/api/ui", endpoint = "platform_switch", input = Json)]
pub async fn platform_switch(tenant_id: i64) -> Result<AdminInfo, ApiError> {
    super::backend::call(
        "platform.tenants.switch",
        &crate::contract::TenantRef { tenant_id },
    )
    .await
}

/// Back to the platform view.
#[server(prefix = "/api/ui", endpoint = "platform_leave")]
pub async fn platform_leave() -> Result<AdminInfo, ApiError> {
    super::backend::call("platform.tenants.leave", &crate::contract::NoParams {}).await
}

/// Adds a user to any tenant (platform admins).
#[server(prefix = "/api/ui", endpoint = "platform_user_add", input = Json)]
pub async fn platform_add_user(params: PlatformUserAdd) -> Result<AddedUser, ApiError> {
    super::backend::call("platform.users.add", &params).await
}

/// The own tenant's users and invitations (owners).
#[server(prefix = "/api/ui", endpoint = "users_list")]
pub async fn list_users() -> Result<TenantUsers, ApiError> {
    super::backend::call("users.list", &crate::contract::NoParams {}).await
}

/// Adds a user to the own tenant.
#[server(prefix = "/api/ui", endpoint = "users_add", input = Json)]
pub async fn add_user(params: UserAdd) -> Result<AddedUser, ApiError> {
    super::backend::call("users.add", &params).await
}

/// Changes a user's role.
#[server(prefix = "/api/ui", endpoint = "users_role", input = Json)]
pub async fn change_user_role(params: UserRoleChange) -> Result<TenantUsers, ApiError> {
    super::backend::call("users.role", &params).await
}

/// Removes a user.
#[server(prefix = "/api/ui", endpoint = "users_remove", input = Json)]
pub async fn remove_user(user_id: i64) -> Result<TenantUsers, ApiError> {
    super::backend::call("users.remove", &crate::contract::UserRef { user_id }).await
}

/// Changes the signed-in admin's own password.
#[server(prefix = "/api/ui", endpoint = "password_change", input = Json)]
pub async fn change_password(params: PasswordChange) -> Result<(), ApiError> {
    let outcome: Result<serde_json::Value, ApiError> =
        super::backend::call("admin.password.change", &params).await;
    outcome.map(|_| ())
}

/// Who an invitation link is for.
#[server(prefix = "/api/ui", endpoint = "invitation_get", input = Json)]
pub async fn invitation_get(token: String) -> Result<InvitationPreview, ApiError> {
    use crate::contract::InvitationToken;
    super::backend::call_rpc("admin.invitation.get", &InvitationToken { token })
        .await
        .map_err(ApiError::rejected)
}

/// Uses an invitation link: sets the password and signs in (sets the session cookie).
#[server(prefix = "/api/ui", endpoint = "invitation_accept", input = Json)]
pub async fn invitation_accept(token: String, password: String) -> Result<AdminInfo, ApiError> {
    use crate::contract::{InvitationAccept, LoginResult};
    let result: LoginResult = super::backend::call_rpc(
        "admin.invitation.accept",
        &InvitationAccept { token, password },
    )
    .await
    .map_err(ApiError::rejected)?;
    super::backend::set_session_cookie(Some(&result.token), result.expires_in_secs).await;
    Ok(result.admin)
}
