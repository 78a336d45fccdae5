//! `tokens.*`: admins create, list and revoke their tenant's API tokens (bearer tokens for
//! external JSON-RPC clients and the MCP endpoint). Only the hash is stored; the token is
//! shown once, in the answer to `tokens.create`. Each token has scopes (read, book, manage)
//! and may expire.

use super::calls::tenant_zone;
use super::local;
use crate::gateway::{store_failure, Access, Ctx, Registry, Services};
use app::contract::{
    codes, ApiTokenInfo, ApiTokens, CreateTokenParams, CreatedToken, NoParams, RevokeTokenParams,
    RpcError, Scope,
};

pub(super) fn register(r: &mut Registry) {
    r.register(
        "tokens.list",
        "The tenant's API tokens (names, scopes, dates and expiry, never the tokens), newest first.",
        Access::Owner,
        list,
    );
    r.register(
        "tokens.create",
        "Creates an API token for the tenant with scopes (read, book, manage; all three when left \
         out) and an optional expiry in days, and returns it once; only its hash is kept.",
        Access::Owner,
        create,
    );
    r.register(
        "tokens.revoke",
        "Revokes one of the tenant's API tokens; it stops working at once on this server and within \
         two seconds on every other instance.",
        Access::Owner,
        revoke,
    );
}

async fn list(s: Services, ctx: Ctx, _p: NoParams) -> Result<ApiTokens, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    Ok(ApiTokens {
        gateway_url: format!("{}/api/mcp/gateway", s.public_url),
        mcp_url: format!("{}{}", s.public_url, crate::mcp::PATH),
        tokens: tokens(&s, tenant_id).await?,
    })
}

async fn tokens(s: &Services, tenant_id: i64) -> Result<Vec<ApiTokenInfo>, RpcError> {
    let tz = tenant_zone(s, tenant_id).await?;
    let rows = s.store.api_tokens(tenant_id).await.map_err(store_failure)?;
    let now = s.store.now_ms();
    Ok(rows
        .into_iter()
        .map(|t| ApiTokenInfo {
            id: t.id,
            name: t.name,
            scopes: t.scopes,
            created_local: local(t.created_at, &tz).unwrap_or_default(),
            expires_local: t.expires_at.and_then(|ms| local(ms, &tz)),
            expired: t.expires_at.is_some_and(|at| at <= now),
            revoked_local: t.revoked_at.and_then(|ms| local(ms, &tz)),
        })
        .collect())
}

async fn create(s: Services, ctx: Ctx, p: CreateTokenParams) -> Result<CreatedToken, RpcError> {
    let admin = ctx.admin()?;
    let name = crate::auth::api_token_name(&p.name).ok_or_else(|| {
        RpcError::invalid_field(
            "name",
            "give the token a name of 1 to 80 characters, e.g. \"Claude Desktop\"",
        )
    })?;
    if p.scopes.is_empty() {
        return Err(invalid_param(
            "scopes",
            "choose at least one scope: read, book or manage",
        ));
    }
    let now = s.store.now_ms();
    let expires_at = p
        .expires_in_days
        .map(|days| {
            crate::auth::api_token_expiry(days, now).ok_or_else(|| {
                invalid_param(
                    "expires_in_days",
                    &format!(
                        "must be 1 to {} days, or left out for a token that never expires",
                        crate::auth::MAX_API_TOKEN_DAYS
                    ),
                )
            })
        })
        .transpose()?;
    let scopes = Scope::normalize(&p.scopes);
    let token = crate::auth::new_api_token();
    let id = s
        .store
        .create_api_token(
            admin.tenant_id,
            name,
            &crate::auth::token_hash(&token),
            &scopes,
            expires_at,
        )
        .await
        .map_err(store_failure)?;
    tracing::info!(
        tenant_id = admin.tenant_id,
        token_id = id,
        admin_id = admin.admin_id,
        scopes = %Scope::join(&scopes),
        expires_at,
        "API token created"
    );
    Ok(CreatedToken {
        id,
        name: name.to_owned(),
        token,
    })
}

/// Invalid params (-32602) about one field, worded like the registry's decoding errors.
fn invalid_param(field: &str, problem: &str) -> RpcError {
    RpcError {
        code: codes::INVALID_PARAMS,
        message: format!("invalid params for tokens.create: field `{field}`: {problem}"),
        data: Some(serde_json::json!({ "field": field })),
    }
}

async fn revoke(s: Services, ctx: Ctx, p: RevokeTokenParams) -> Result<ApiTokenInfo, RpcError> {
    let admin = ctx.admin()?;
    let revoked = s
        .store
        .revoke_api_token(admin.tenant_id, p.token_id)
        .await
        .map_err(store_failure)?;
    if !revoked {
        return Err(RpcError {
            code: codes::NOT_FOUND,
            message: "your tenant has no active token with this id".into(),
            data: Some(serde_json::json!({ "field": "token_id" })),
        });
    }
    tracing::info!(
        tenant_id = admin.tenant_id,
        token_id = p.token_id,
        admin_id = admin.admin_id,
        "API token revoked"
    );
    tokens(&s, admin.tenant_id)
        .await?
        .into_iter()
        .find(|t| t.id == p.token_id)
        .ok_or_else(|| RpcError::internal("the revoked token vanished"))
}
