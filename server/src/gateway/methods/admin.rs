//! `admin.*`: sign in, sign out, who am I.

use crate::auth;
use crate::gateway::{store_failure, Access, Ctx, Principal, Registry, Services};
use app::contract::{
    codes, AdminInfo, AdminRole, Language, LoginParams, LoginResult, NoParams, RpcError,
    SetLanguageParams,
};

pub(super) fn register(r: &mut Registry) {
    r.register(
        "admin.login",
        "Signs an admin in with e-mail and password; returns a session token.",
        Access::Public,
        login,
    );
    r.register(
        "admin.logout",
        "Ends the current admin session.",
        Access::Account,
        logout,
    );
    r.register(
        "admin.whoami",
        "The signed-in admin and the tenant they work in (none for a platform admin who has not \
         switched into one).",
        Access::Account,
        whoami,
    );
    r.register(
        "admin.setLanguage",
        "Remembers the signed-in admin's UI language (de or en) for every device.",
        Access::Account,
        set_language,
    );
}

async fn login(s: Services, _ctx: Ctx, p: LoginParams) -> Result<LoginResult, RpcError> {
    let refused = || RpcError::unauthorized("e-mail or password is wrong");
    let Some(email) = auth::normalize_email(&p.email) else {
        return Err(RpcError::invalid_field(
            "email",
            "enter a valid e-mail address",
        ));
    };
    // Limits count sign-in attempts (per client, per account) and lock one client out of
    // one account after wrong passwords; all before any password hashing.
    let client = crate::http::limit::client();
    s.limits.login().check(&email, client).map_err(|wait| {
        crate::gateway::rate_limited(
            "too many wrong passwords for this account from your address",
            wait,
        )
    })?;
    s.limits
        .login_attempt(client)
        .map_err(|wait| crate::gateway::rate_limited("too many sign-in attempts", wait))?;
    crate::input::text("password", &p.password, 1_024).map_err(crate::gateway::invalid_input)?;
    let admin = s
        .store
        .admin_by_email(&email)
        .await
        .map_err(store_failure)?;
    let hash = admin.as_ref().map(|a| a.password_hash.clone());
    let ok = auth::hashing::PasswordChecks::global()
        .verify(p.password, hash)
        .await
        .map_err(|busy| {
            crate::gateway::rate_limited(&busy.to_string(), std::time::Duration::from_secs(1))
        })?;
    let admin = match (admin, ok) {
        (Some(a), true) => a,
        _ => {
            s.limits.login().failed(&email, client);
            return Err(refused());
        }
    };
    s.limits.login().succeeded(&email, client);
    if admin.suspended && admin.role != "platform" {
        tracing::info!(admin_id = admin.id, "sign-in refused: tenant suspended");
        return Err(RpcError::new(codes::FORBIDDEN, crate::gateway::SUSPENDED));
    }
    let (token, expires_in_secs) = start_session(&s, admin.id).await?;
    tracing::info!(
        admin_id = admin.id,
        tenant_id = admin.tenant_id,
        "admin signed in"
    );
    let platform = admin.role == "platform";
    let role = AdminRole::parse(&admin.role).unwrap_or(if platform {
        AdminRole::Owner
    } else {
        AdminRole::Staff
    });
    Ok(LoginResult {
        token,
        expires_in_secs,
        admin: AdminInfo {
            id: admin.id,
            email: admin.email,
            role,
            tenant_id: admin.tenant_id,
            tenant_name: admin.tenant_name,
            platform,
            language: Language::parse(&admin.language).unwrap_or_default(),
        },
    })
}

/// Stores a new session for an admin; returns its token (for the cookie) and lifetime.
pub(super) async fn start_session(s: &Services, admin_id: i64) -> Result<(String, i64), RpcError> {
    let token = auth::new_token();
    let expires = s.store.now_ms() + auth::SESSION_TTL_SECS * 1000;
    s.store
        .create_session(&auth::token_hash(&token), admin_id, expires)
        .await
        .map_err(store_failure)?;
    Ok((token, auth::SESSION_TTL_SECS))
}

async fn logout(s: Services, ctx: Ctx, _p: NoParams) -> Result<(), RpcError> {
    let account = ctx.account()?;
    s.store
        .delete_session(account.session_hash)
        .await
        .map_err(store_failure)
}

async fn whoami(_s: Services, ctx: Ctx, _p: NoParams) -> Result<AdminInfo, RpcError> {
    info(&ctx)
}

/// The caller as the UI shows them.
pub(super) fn info(ctx: &Ctx) -> Result<AdminInfo, RpcError> {
    match &ctx.principal {
        Principal::Platform(p) => Ok(AdminInfo {
            id: p.admin_id,
            email: p.email.clone(),
            role: AdminRole::Owner,
            tenant_id: None,
            tenant_name: None,
            platform: true,
            language: p.language,
        }),
        _ => {
            let a = ctx.admin()?;
            Ok(AdminInfo {
                id: a.admin_id,
                email: a.email.clone(),
                role: a.role,
                tenant_id: Some(a.tenant_id),
                tenant_name: Some(a.tenant_name.clone()),
                platform: a.platform,
                language: a.language,
            })
        }
    }
}

async fn set_language(s: Services, ctx: Ctx, p: SetLanguageParams) -> Result<AdminInfo, RpcError> {
    let admin_id = match &ctx.principal {
        Principal::Platform(pp) => pp.admin_id,
        _ => ctx.admin()?.admin_id,
    };
    s.store
        .set_admin_language(admin_id, p.language.code())
        .await
        .map_err(store_failure)?;
    let mut me = info(&ctx)?;
    me.language = p.language;
    Ok(me)
}
