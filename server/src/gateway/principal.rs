//! Who a session belongs to: a tenant admin in their tenant (refused while it is suspended),
//! a platform admin in the tenant they switched into, or a platform admin without one.

use super::{AdminPrincipal, Ctx, Principal};
use app::contract::{codes, AdminRole, Language, RpcError};

/// A signed-in platform admin who has not switched into a tenant.
#[derive(Debug, Clone)]
pub struct PlatformPrincipal {
    /// Admin user id.
    pub admin_id: i64,
    /// Login e-mail.
    pub email: String,
    /// UI language.
    pub language: Language,
    /// Hash of the session token used.
    pub session_hash: String,
}

/// The signed-in person behind a session, with or without a tenant.
#[derive(Debug, Clone, Copy)]
pub struct Account<'a> {
    /// Admin user id.
    pub admin_id: i64,
    /// Login e-mail.
    pub email: &'a str,
    /// Hash of the session token used.
    pub session_hash: &'a str,
    /// True for a platform admin.
    pub platform: bool,
    /// The tenant worked in, if any.
    pub tenant_id: Option<i64>,
}

impl Ctx {
    /// The signed-in person (tenant admin or platform admin), or an error for API tokens and
    /// anonymous callers.
    pub fn account(&self) -> Result<Account<'_>, RpcError> {
        match &self.principal {
            Principal::Admin(a) => Ok(Account {
                admin_id: a.admin_id,
                email: &a.email,
                session_hash: &a.session_hash,
                platform: a.platform,
                tenant_id: Some(a.tenant_id),
            }),
            Principal::Platform(p) => Ok(Account {
                admin_id: p.admin_id,
                email: &p.email,
                session_hash: &p.session_hash,
                platform: true,
                tenant_id: None,
            }),
            Principal::Token { .. } | Principal::Anonymous => Err(self
                .admin()
                .err()
                .unwrap_or_else(|| RpcError::unauthorized("sign in first"))),
        }
    }
}

/// The refusal of a tenant method for a platform admin who has not chosen a tenant.
pub(super) fn switch_first() -> RpcError {
    RpcError::new(
        codes::FORBIDDEN,
        "you are signed in as a platform admin: switch into a tenant first (Platform page, or \
         platform.tenants.switch)",
    )
}

/// The refusal of a platform method for anyone but a platform admin.
pub(super) fn not_platform(method: &str) -> RpcError {
    RpcError::new(
        codes::FORBIDDEN,
        format!("{method} is for platform admins only"),
    )
}

/// What a suspended tenant's users and tokens are told.
pub const SUSPENDED: &str =
    "this business's Slotline account is suspended; please contact the Slotline platform team";

/// The principal of a session's admin: a tenant admin in their tenant (refused while it is
/// suspended), a platform admin in the tenant they switched into, or without one.
pub(super) fn principal_of(
    admin: crate::store::admins::AdminUser,
    session_hash: String,
) -> Result<Principal, RpcError> {
    let language = Language::parse(&admin.language).unwrap_or_default();
    if admin.role == "platform" {
        return Ok(match admin.acting {
            Some((tenant_id, tenant_name)) => Principal::Admin(AdminPrincipal {
                admin_id: admin.id,
                tenant_id,
                tenant_name,
                email: admin.email,
                role: AdminRole::Owner,
                language,
                session_hash,
                platform: true,
            }),
            None => Principal::Platform(PlatformPrincipal {
                admin_id: admin.id,
                email: admin.email,
                language,
                session_hash,
            }),
        });
    }
    let role = AdminRole::parse(&admin.role)
        .ok_or_else(|| RpcError::internal("stored admin role is unknown"))?;
    let (Some(tenant_id), Some(tenant_name)) = (admin.tenant_id, admin.tenant_name) else {
        return Err(RpcError::internal("a tenant admin without a tenant"));
    };
    if admin.suspended {
        return Err(RpcError::unauthorized(SUSPENDED));
    }
    Ok(Principal::Admin(AdminPrincipal {
        admin_id: admin.id,
        tenant_id,
        tenant_name,
        email: admin.email,
        role,
        language,
        session_hash,
        platform: false,
    }))
}
