//! `tokens.*`: admins create, list and revoke their tenant's API tokens (bearer tokens for
//! external JSON-RPC clients and the MCP endpoint). Only the hash is stored; the token is
//! shown once, in the answer to `tokens.create`.

use super::calls::tenant_zone;
use super::local;
use crate::gateway::{store_failure, Access, Ctx, Registry, Services};
use app::contract::{
    codes, ApiTokenInfo, ApiTokens, CreateTokenParams, CreatedToken, NoParams, RevokeTokenParams,
    RpcError,
};

pub(super) fn register(r: &mut Registry) {
    r.register(
        "tokens.list",
        "The tenant's API tokens (names and dates, never the tokens), newest first.",
        Access::Admin,
        list,
    );
    r.register(
        "tokens.create",
        "Creates an API token for the tenant and returns it once; only its hash is kept.",
        Access::Admin,
        create,
    );
    r.register(
        "tokens.revoke",
        "Revokes one of the tenant's API tokens; it stops working at once.",
        Access::Admin,
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
    Ok(rows
        .into_iter()
        .map(|t| ApiTokenInfo {
            id: t.id,
            name: t.name,
            created_local: local(t.created_at, &tz).unwrap_or_default(),
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
    let token = crate::auth::new_api_token();
    let id = s
        .store
        .create_api_token(admin.tenant_id, name, &crate::auth::token_hash(&token))
        .await
        .map_err(store_failure)?;
    tracing::info!(
        tenant_id = admin.tenant_id,
        token_id = id,
        admin_id = admin.admin_id,
        "API token created"
    );
    Ok(CreatedToken {
        id,
        name: name.to_owned(),
        token,
    })
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
