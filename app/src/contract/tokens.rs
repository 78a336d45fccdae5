//! Types of the `tokens.*` methods: per-tenant API tokens for external clients and MCP.

use serde::{Deserialize, Serialize};

/// What an API token may do; every method a token can call needs one scope.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Look up: appointments by phone, free slots, calls, the tenant's settings.
    Read,
    /// Book, move and cancel for the call's own caller number (the Retell custom functions).
    Book,
    /// Change, cancel and confirm any phone number's appointment, and every other write.
    Manage,
}

impl Scope {
    /// Every scope, in their canonical order.
    pub const ALL: [Scope; 3] = [Scope::Read, Scope::Book, Scope::Manage];

    /// The stored / wire name of the scope.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Book => "book",
            Scope::Manage => "manage",
        }
    }

    /// Parses a scope name.
    pub fn parse(raw: &str) -> Option<Self> {
        Scope::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// A set of scopes in canonical order, each once.
    pub fn normalize(scopes: &[Scope]) -> Vec<Scope> {
        Scope::ALL
            .into_iter()
            .filter(|s| scopes.contains(s))
            .collect()
    }

    /// The stored form of a set: the names joined by commas, e.g. `read,book`.
    pub fn join(scopes: &[Scope]) -> String {
        Scope::normalize(scopes)
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads a stored set; unknown names are skipped, so a token never gains a scope by a typo.
    pub fn split(raw: &str) -> Vec<Scope> {
        let names: Vec<&str> = raw.split(',').map(str::trim).collect();
        Scope::ALL
            .into_iter()
            .filter(|s| names.contains(&s.as_str()))
            .collect()
    }
}

/// An API token as admins see it (the token itself is shown only once, at creation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ApiTokenInfo {
    /// Token id (for revoking).
    pub id: i64,
    /// Label given at creation.
    pub name: String,
    /// What the token may do.
    pub scopes: Vec<Scope>,
    /// Created, in the tenant's time zone (YYYY-MM-DD HH:MM).
    pub created_local: String,
    /// When the token stops working, in the tenant's time zone; none if it never expires.
    pub expires_local: Option<String>,
    /// True once the expiry has passed (the token is refused like an unknown one).
    pub expired: bool,
    /// Revoked, in the tenant's time zone, if it was.
    pub revoked_local: Option<String>,
}

/// Every scope: what `tokens.create` grants when no scopes are sent.
fn all_scopes() -> Vec<Scope> {
    Scope::ALL.to_vec()
}

/// Params of `tokens.create`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CreateTokenParams {
    /// A label to recognise the token by (1–80 characters), e.g. "Claude Desktop".
    pub name: String,
    /// What the token may do (at least one). Left out, the token gets all three, as every
    /// token could before scopes existed, so older callers keep working; the API access page
    /// always sends its choice (read only by default).
    #[serde(default = "all_scopes")]
    pub scopes: Vec<Scope>,
    /// Days until the token stops working (1–3650); left out, it never expires.
    #[serde(default)]
    pub expires_in_days: Option<u32>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip_their_wire_and_stored_names() {
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(Scope::parse("admin"), None);
        assert_eq!(
            Scope::join(&[Scope::Manage, Scope::Read, Scope::Manage]),
            "read,manage"
        );
        assert_eq!(
            Scope::split("manage, read,bogus"),
            vec![Scope::Read, Scope::Manage]
        );
        assert_eq!(Scope::split(""), Vec::<Scope>::new());
    }

    #[test]
    fn create_params_default_to_every_scope_and_no_expiry() {
        let p: CreateTokenParams =
            serde_json::from_value(serde_json::json!({"name": "x"})).unwrap();
        assert_eq!(p.scopes, Scope::ALL.to_vec());
        assert_eq!(p.expires_in_days, None);
        let p: CreateTokenParams =
            serde_json::from_value(serde_json::json!({"name": "x", "scopes": []})).unwrap();
        assert!(
            p.scopes.is_empty(),
            "an empty choice stays empty (and is refused)"
        );
    }
}
