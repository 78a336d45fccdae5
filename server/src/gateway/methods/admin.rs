//! `admin.*`: sign in, sign out, who am I.

use crate::auth;
use crate::gateway::{store_failure, Access, Ctx, Registry, Services};
use app::contract::{
    AdminInfo, AdminRole, Language, LoginParams, LoginResult, NoParams, RpcError, SetLanguageParams,
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
        Access::Admin,
        logout,
    );
    r.register(
        "admin.whoami",
        "The signed-in admin and their tenant.",
        Access::Admin,
        whoami,
    );
    r.register(
        "admin.setLanguage",
        "Remembers the signed-in admin's UI language (de or en) for every device.",
        Access::Admin,
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
    let token = auth::new_token();
    let expires = s.store.now_ms() + auth::SESSION_TTL_SECS * 1000;
    s.store
        .create_session(&auth::token_hash(&token), admin.id, expires)
        .await
        .map_err(store_failure)?;
    tracing::info!(
        admin_id = admin.id,
        tenant_id = admin.tenant_id,
        "admin signed in"
    );
    let role = AdminRole::parse(&admin.role).unwrap_or(AdminRole::Staff);
    Ok(LoginResult {
        token,
        expires_in_secs: auth::SESSION_TTL_SECS,
        admin: AdminInfo {
            id: admin.id,
            email: admin.email,
            role,
            tenant_id: admin.tenant_id,
            tenant_name: admin.tenant_name,
            language: Language::parse(&admin.language).unwrap_or_default(),
        },
    })
}

async fn logout(s: Services, ctx: Ctx, _p: NoParams) -> Result<(), RpcError> {
    let admin = ctx.admin()?;
    s.store
        .delete_session(&admin.session_hash)
        .await
        .map_err(store_failure)
}

async fn whoami(_s: Services, ctx: Ctx, _p: NoParams) -> Result<AdminInfo, RpcError> {
    let a = ctx.admin()?;
    Ok(info(a, a.language))
}

/// The signed-in admin as the UI shows them, in `language`.
fn info(a: &crate::gateway::AdminPrincipal, language: Language) -> AdminInfo {
    AdminInfo {
        id: a.admin_id,
        email: a.email.clone(),
        role: a.role,
        tenant_id: a.tenant_id,
        tenant_name: a.tenant_name.clone(),
        language,
    }
}

async fn set_language(s: Services, ctx: Ctx, p: SetLanguageParams) -> Result<AdminInfo, RpcError> {
    let a = ctx.admin()?;
    s.store
        .set_admin_language(a.admin_id, p.language.code())
        .await
        .map_err(store_failure)?;
    Ok(info(a, p.language))
}
