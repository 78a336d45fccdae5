//! The own account: `admin.password.change` (any signed-in admin, current password required)
//! and `admin.invitation.get|accept` (the public side of an invitation link: see who it is
//! for, choose a password, be signed in).

use super::admin::start_session;
use super::users::invalid;
use crate::auth::{self, hashing::PasswordChecks};
use crate::gateway::{invalid_input, rate_limited, store_failure, Access, Ctx, Registry, Services};
use crate::store::platform::AuditEntry;
use crate::store::users::InvitationRow;
use app::contract::{
    codes, AdminInfo, AdminRole, InvitationAccept, InvitationPreview, InvitationToken, LoginResult,
    PasswordChange, RpcError,
};

pub(super) fn register(r: &mut Registry) {
    r.register(
        "admin.password.change",
        "Changes the signed-in admin's own password (the current one is required); their other \
         sessions end.",
        Access::Account,
        change_password,
    );
    r.register(
        "admin.invitation.get",
        "Who an invitation link is for (e-mail, business, role), while it is unused and unexpired.",
        Access::Public,
        invitation_get,
    );
    r.register(
        "admin.invitation.accept",
        "Uses an invitation link once: sets the new user's password and signs them in.",
        Access::Public,
        invitation_accept,
    );
}

/// Checks the length of a new password (field `field`).
fn new_password(method: &str, field: &str, password: &str) -> Result<(), RpcError> {
    crate::input::text(field, password, 1_024).map_err(invalid_input)?;
    if password.chars().count() < auth::MIN_PASSWORD_LEN {
        return Err(invalid(
            method,
            field,
            &format!(
                "the password must have at least {} characters",
                auth::MIN_PASSWORD_LEN
            ),
        ));
    }
    Ok(())
}

/// Hashes a new password inside the shared limit on password work.
async fn hash(password: String) -> Result<String, RpcError> {
    PasswordChecks::global()
        .hash(password)
        .await
        .map_err(|e| match e {
            auth::hashing::HashError::Busy => {
                rate_limited(&e.to_string(), std::time::Duration::from_secs(1))
            }
            auth::hashing::HashError::Failed(_) => {
                tracing::error!(error = %e, "hashing a password failed");
                RpcError::internal("the password could not be stored; please try again")
            }
        })
}

async fn change_password(s: Services, ctx: Ctx, p: PasswordChange) -> Result<(), RpcError> {
    const METHOD: &str = "admin.password.change";
    let account = ctx.account()?;
    crate::input::text("current_password", &p.current_password, 1_024).map_err(invalid_input)?;
    new_password(METHOD, "new_password", &p.new_password)?;
    if p.new_password == p.current_password {
        return Err(invalid(
            METHOD,
            "new_password",
            "choose a password different from the current one",
        ));
    }
    // Wrong current passwords count like wrong sign-ins, so a stolen session cannot guess it.
    let client = crate::http::limit::client();
    s.limits
        .login()
        .check(account.email, client)
        .map_err(|wait| rate_limited("too many wrong passwords for this account", wait))?;
    let stored = s
        .store
        .admin_by_email(account.email)
        .await
        .map_err(store_failure)?
        .map(|a| a.password_hash);
    let ok = PasswordChecks::global()
        .verify(p.current_password, stored)
        .await
        .map_err(|busy| rate_limited(&busy.to_string(), std::time::Duration::from_secs(1)))?;
    if !ok {
        s.limits.login().failed(account.email, client);
        return Err(invalid(
            METHOD,
            "current_password",
            "the current password is wrong",
        ));
    }
    let hashed = hash(p.new_password).await?;
    let audit = AuditEntry {
        tenant_id: if account.platform {
            None
        } else {
            account.tenant_id
        },
        actor: account.email,
        action: METHOD,
        detail: "own password changed; other sessions ended",
    };
    s.store
        .change_password(account.admin_id, &hashed, account.session_hash, &audit)
        .await
        .map_err(store_failure)?;
    tracing::info!(admin_id = account.admin_id, "audit: password changed");
    Ok(())
}

/// The usable invitation of a token: unused, unexpired, of an active tenant.
async fn usable_invitation(s: &Services, token: &str) -> Result<InvitationRow, RpcError> {
    crate::input::text("token", token, 200).map_err(invalid_input)?;
    let gone = || RpcError {
        code: codes::NOT_FOUND,
        message: "this invitation link is not valid any more (used, expired or replaced); ask \
                  for a new one"
            .into(),
        data: Some(serde_json::json!({ "field": "token" })),
    };
    let found = s
        .store
        .invitation_by_token(&auth::token_hash(token.trim()))
        .await
        .map_err(store_failure)?
        .ok_or_else(gone)?;
    if found.accepted_at.is_some() || found.expires_at <= s.store.now_ms() {
        return Err(gone());
    }
    if found.suspended {
        return Err(RpcError::new(codes::FORBIDDEN, crate::gateway::SUSPENDED));
    }
    Ok(found)
}

async fn invitation_get(
    s: Services,
    _ctx: Ctx,
    p: InvitationToken,
) -> Result<InvitationPreview, RpcError> {
    let inv = usable_invitation(&s, &p.token).await?;
    Ok(InvitationPreview {
        email: inv.email,
        tenant_name: inv.tenant_name,
        role: AdminRole::parse(&inv.role).unwrap_or(AdminRole::Staff),
    })
}

async fn invitation_accept(
    s: Services,
    _ctx: Ctx,
    p: InvitationAccept,
) -> Result<LoginResult, RpcError> {
    // Accepting hashes a password: it counts like a sign-in attempt of the address.
    s.limits
        .login_attempt(crate::http::limit::client())
        .map_err(|wait| rate_limited("too many sign-in attempts", wait))?;
    let inv = usable_invitation(&s, &p.token).await?;
    new_password("admin.invitation.accept", "password", &p.password)?;
    let hashed = hash(p.password).await?;
    let id = s
        .store
        .accept_invitation(&inv, &hashed)
        .await
        .map_err(|e| match e {
            crate::store::StoreError::Duplicate(_) => invalid(
                "admin.invitation.accept",
                "token",
                "an account with this e-mail exists already; sign in with it instead",
            ),
            other => store_failure(other),
        })?
        .ok_or_else(|| {
            RpcError::new(
                codes::NOT_FOUND,
                "this invitation link was just used or has expired; ask for a new one",
            )
        })?;
    tracing::info!(
        admin_id = id,
        tenant_id = inv.tenant_id,
        "audit: invitation accepted"
    );
    let (token, expires_in_secs) = start_session(&s, id).await?;
    let role = AdminRole::parse(&inv.role).unwrap_or(AdminRole::Staff);
    Ok(LoginResult {
        token,
        expires_in_secs,
        admin: AdminInfo {
            id,
            email: inv.email,
            role,
            tenant_id: Some(inv.tenant_id),
            tenant_name: Some(inv.tenant_name),
            platform: false,
            // A new account starts in the default language (the column's default).
            language: app::contract::Language::default(),
        },
    })
}
