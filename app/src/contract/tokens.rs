//! Types of the `tokens.*` methods: per-tenant API tokens for external clients and MCP.

use serde::{Deserialize, Serialize};

/// An API token as admins see it (the token itself is shown only once, at creation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ApiTokenInfo {
    /// Token id (for revoking).
    pub id: i64,
    /// Label given at creation.
    pub name: String,
    /// Created, in the tenant's time zone (YYYY-MM-DD HH:MM).
    pub created_local: String,
    /// Revoked, in the tenant's time zone, if it was.
    pub revoked_local: Option<String>,
}

/// Params of `tokens.create`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CreateTokenParams {
    /// A label to recognise the token by (1–80 characters), e.g. "Claude Desktop".
    pub name: String,
}

/// Result of `tokens.create`: the only time the token is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CreatedToken {
    /// Token id.
    pub id: i64,
    /// Label.
    pub name: String,
    /// The bearer token; store it now, Slotline keeps only its hash.
    pub token: String,
}

/// Params of `tokens.revoke`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RevokeTokenParams {
    /// Id of the token to revoke.
    pub token_id: i64,
}

/// Result of `tokens.list`: the tokens and where external clients use them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ApiTokens {
    /// JSON-RPC gateway URL (send `Authorization: Bearer <token>`).
    pub gateway_url: String,
    /// Standard MCP endpoint (Streamable HTTP) for MCP clients and Retell's `mcps`.
    pub mcp_url: String,
    /// The tenant's tokens, newest first.
    pub tokens: Vec<ApiTokenInfo>,
}
