//! `users.*`: an owner manages the users of the own tenant (list, add with an invitation link
//! or a first password, change a role, remove). `platform.users.list|add` do the same for any
//! tenant a platform admin names. The tenant comes from the caller's context or, for platform
//! admins only, from the params: an owner can never name another tenant.

use super::calls::tenant_zone;
use super::local;
use crate::auth;
use crate::gateway::{invalid_input, store_failure, Access, Ctx, Registry, Services};
use crate::store::platform::AuditEntry;
use crate::store::users::{NewUser, UserChange};
use crate::store::StoreError;
use app::contract::{
    codes, AddMode, AddedUser, AdminRole, InvitationInfo, NoParams, PlatformUserAdd, RpcError,
    TenantRef, TenantUsers, UserAdd, UserInfo, UserRef, UserRoleChange,
};

/// How long an invitation link works.
pub const INVITATION_HOURS: i64 = 72;

pub(super) fn register(r: &mut Registry) {
    r.register(
        "users.list",
        "The users of the caller's tenant (owners and staff) and its unused invitations.",
        Access::Owner,
        list,
    );
    r.register(
        "users.add",
        "Adds an owner or staff user to the caller's tenant: an invitation link (one-time, \
         expires after 72 hours) or a first password, shown once.",
        Access::Owner,
        add,
    );
    r.register(
        "users.role",
        "Makes a user of the caller's tenant owner or staff (a tenant always keeps an owner).",
        Access::Owner,
        role,
    );
    r.register(
        "users.remove",
        "Removes a user of the caller's tenant; their sessions end (not yourself, not the last \
         owner).",
        Access::Owner,
        remove,
    );
    r.register(
        "platform.users.list",
        "The users and unused invitations of any tenant.",
        Access::Platform,
        platform_list,
    );
    r.register(
        "platform.users.add",
        "Adds an owner or staff user to any tenant: an invitation link or a first password, \
         shown once.",
        Access::Platform,
        platform_add,
    );
}

/// Invalid params (-32602) about one field, worded like the registry's decoding errors.
pub(super) fn invalid(method: &str, field: &str, problem: &str) -> RpcError {
    RpcError {
        code: codes::INVALID_PARAMS,
        message: format!("invalid params for {method}: field `{field}`: {problem}"),
        data: Some(serde_json::json!({ "field": field })),
    }
}

/// The users and invitations of a tenant; `me` marks the caller.
async fn users_of(s: &Services, tenant_id: i64, me: Option<i64>) -> Result<TenantUsers, RpcError> {
    let tenant = s
        .store
        .tenant_by_id(tenant_id)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| RpcError::new(codes::NOT_FOUND, "there is no tenant with this id"))?;
    let tz = tenant_zone(s, tenant_id).await?;
    let now = s.store.now_ms();
    let users = s
        .store
        .tenant_users(tenant_id)
        .await
        .map_err(store_failure)?;
    let invitations = s
        .store
        .pending_invitations(tenant_id)
        .await
        .map_err(store_failure)?;
    Ok(TenantUsers {
        tenant_id,
        tenant_name: tenant.name,
        users: users
            .into_iter()
            .map(|u| UserInfo {
                id: u.id,
                email: u.email,
                role: AdminRole::parse(&u.role).unwrap_or(AdminRole::Staff),
                created_local: local(u.created_at, &tz).unwrap_or_default(),
                you: Some(u.id) == me,
            })
            .collect(),
        invitations: invitations
            .into_iter()
            .map(|i| InvitationInfo {
                id: i.id,
                email: i.email,
                role: AdminRole::parse(&i.role).unwrap_or(AdminRole::Staff),
                expires_local: local(i.expires_at, &tz).unwrap_or_default(),
                expired: i.expires_at <= now,
            })
            .collect(),
    })
}

/// Who adds, to which tenant, with which method.
struct Adding<'a> {
    tenant_id: i64,
    actor: &'a str,
    method: &'static str,
}

/// Adds a user (or invites them) to a tenant; the link or the password is in the answer only.
async fn add_user(
    s: &Services,
    by: Adding<'_>,
    email: &str,
    role: AdminRole,
    mode: AddMode,
) -> Result<AddedUser, RpcError> {
    crate::input::text("email", email, 320).map_err(invalid_input)?;
    let email = auth::normalize_email(email).ok_or_else(|| {
        invalid(
            by.method,
            "email",
            "enter an e-mail address like anna@example.com",
        )
    })?;
    let taken = || {
        invalid(
            by.method,
            "email",
            "an account with this e-mail exists already; every login is used once on Slotline",
        )
    };
    if s.store
        .admin_by_email(&email)
        .await
        .map_err(store_failure)?
        .is_some()
    {
        return Err(taken());
    }
    let user = NewUser {
        tenant_id: by.tenant_id,
        email: &email,
        role: role.as_str(),
    };
    let mode_word = match mode {
        AddMode::Invite => "invited",
        AddMode::Password => "added with a first password",
    };
    let detail = format!("{email} {mode_word} as {}", role.as_str());
    let audit = AuditEntry {
        tenant_id: Some(by.tenant_id),
        actor: by.actor,
        action: by.method,
        detail: &detail,
    };
    let duplicate = |e: StoreError| match e {
        StoreError::Duplicate(_) => taken(),
        other => store_failure(other),
    };
    let mut added = AddedUser {
        email: email.clone(),
        role,
        password: None,
        invitation_url: None,
        expires_local: None,
    };
    match mode {
        AddMode::Password => {
            let password = auth::random_password();
            let hashed = auth::hashing::PasswordChecks::global()
                .hash(password.clone())
                .await
                .map_err(|e| {
                    crate::gateway::rate_limited(&e.to_string(), std::time::Duration::from_secs(1))
                })?;
            s.store
                .create_tenant_user(&user, &hashed, &audit)
                .await
                .map_err(duplicate)?;
            added.password = Some(password);
        }
        AddMode::Invite => {
            let token = auth::new_token();
            let expires_at = s.store.now_ms() + INVITATION_HOURS * 60 * 60 * 1000;
            s.store
                .create_invitation(&user, &auth::token_hash(&token), expires_at, &audit)
                .await
                .map_err(duplicate)?;
            let tz = tenant_zone(s, by.tenant_id).await?;
            added.invitation_url = Some(format!("{}/admin/invite/{token}", s.public_url));
            added.expires_local = local(expires_at, &tz);
        }
    }
    tracing::info!(tenant_id = by.tenant_id, actor = by.actor, method = by.method, %detail, "audit: user added");
    Ok(added)
}

async fn list(s: Services, ctx: Ctx, _p: NoParams) -> Result<TenantUsers, RpcError> {
    let a = ctx.admin()?;
    users_of(&s, a.tenant_id, Some(a.admin_id)).await
}

async fn add(s: Services, ctx: Ctx, p: UserAdd) -> Result<AddedUser, RpcError> {
    let a = ctx.admin()?;
    let by = Adding {
        tenant_id: a.tenant_id,
        actor: &a.email,
        method: "users.add",
    };
    add_user(&s, by, &p.email, p.role, p.mode).await
}

/// The answer to a change of a user that did not happen.
fn not_changed(change: UserChange, method: &str) -> Result<(), RpcError> {
    match change {
        UserChange::Done => Ok(()),
        UserChange::NotFound => Err(RpcError {
            code: codes::NOT_FOUND,
            message: "your tenant has no user with this id".into(),
            data: Some(serde_json::json!({ "field": "user_id" })),
        }),
        UserChange::LastOwner => Err(RpcError {
            code: codes::VALIDATION,
            message: format!(
                "{method}: this is the business's only owner; make someone else owner first"
            ),
            data: Some(serde_json::json!({ "field": "user_id" })),
        }),
    }
}

async fn role(s: Services, ctx: Ctx, p: UserRoleChange) -> Result<TenantUsers, RpcError> {
    let a = ctx.admin()?;
    let detail = format!("user {} made {}", p.user_id, p.role.as_str());
    let audit = AuditEntry {
        tenant_id: Some(a.tenant_id),
        actor: &a.email,
        action: "users.role",
        detail: &detail,
    };
    let change = s
        .store
        .set_tenant_user_role(a.tenant_id, p.user_id, p.role.as_str(), &audit)
        .await
        .map_err(store_failure)?;
    not_changed(change, "users.role")?;
    tracing::info!(tenant_id = a.tenant_id, actor = %a.email, %detail, "audit: user role changed");
    users_of(&s, a.tenant_id, Some(a.admin_id)).await
}

async fn remove(s: Services, ctx: Ctx, p: UserRef) -> Result<TenantUsers, RpcError> {
    let a = ctx.admin()?;
    if p.user_id == a.admin_id {
        return Err(RpcError {
            code: codes::VALIDATION,
            message: "you cannot remove yourself; another owner can".into(),
            data: Some(serde_json::json!({ "field": "user_id" })),
        });
    }
    let detail = format!("user {} removed", p.user_id);
    let audit = AuditEntry {
        tenant_id: Some(a.tenant_id),
        actor: &a.email,
        action: "users.remove",
        detail: &detail,
    };
    let change = s
        .store
        .remove_tenant_user(a.tenant_id, p.user_id, &audit)
        .await
        .map_err(store_failure)?;
    not_changed(change, "users.remove")?;
    tracing::info!(tenant_id = a.tenant_id, actor = %a.email, %detail, "audit: user removed");
    users_of(&s, a.tenant_id, Some(a.admin_id)).await
}

async fn platform_list(s: Services, _ctx: Ctx, p: TenantRef) -> Result<TenantUsers, RpcError> {
    users_of(&s, p.tenant_id, None).await
}

async fn platform_add(s: Services, ctx: Ctx, p: PlatformUserAdd) -> Result<AddedUser, RpcError> {
    let account = ctx.account()?;
    if s.store
        .tenant_by_id(p.tenant_id)
        .await
        .map_err(store_failure)?
        .is_none()
    {
        return Err(RpcError {
            code: codes::NOT_FOUND,
            message: "there is no tenant with this id".into(),
            data: Some(serde_json::json!({ "field": "tenant_id" })),
        });
    }
    let by = Adding {
        tenant_id: p.tenant_id,
        actor: account.email,
        method: "platform.users.add",
    };
    add_user(&s, by, &p.email, p.role, p.mode).await
}
