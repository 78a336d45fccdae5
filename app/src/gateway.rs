//! The handle through which server functions reach the gateway (implemented by the server).

use crate::contract::RpcError;
use serde::{de::DeserializeOwned, Serialize};
use std::sync::Arc;

/// Who is calling a gateway method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// No credentials: only public methods are allowed.
    Anonymous,
    /// An admin session token from the UI's cookie.
    Session(String),
    /// A per-tenant API bearer token.
    Bearer(String),
}

/// One way into every method: used by the UI's server functions, HTTP clients and MCP.
#[async_trait::async_trait]
pub trait Gateway: Send + Sync + 'static {
    /// Calls `method` with JSON `params` on behalf of `credentials`.
    async fn call(
        &self,
        credentials: Credentials,
        method: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, RpcError>;
}

/// Shared handle put into Leptos context by the server.
pub type GatewayHandle = Arc<dyn Gateway>;

/// Settings the UI's server functions need from the server (cookie policy).
#[derive(Debug, Clone)]
pub struct UiSettings {
    /// When the session cookie gets the `Secure` flag.
    pub cookie_security: CookieSecurity,
}

/// When the session cookie gets the `Secure` flag (the server decides from its configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CookieSecurity {
    /// Always: Slotline is reached over https.
    Always,
    /// Never: Slotline is reached over plain http.
    Never,
    /// When a trusted reverse proxy says the browser used https (`X-Forwarded-Proto: https`).
    WhenForwardedHttps,
}

impl CookieSecurity {
    /// Whether a cookie set in answer to a request with these headers gets `Secure`.
    pub fn secure_for(self, headers: &http::HeaderMap) -> bool {
        match self {
            CookieSecurity::Always => true,
            CookieSecurity::Never => false,
            CookieSecurity::WhenForwardedHttps => headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https")),
        }
    }
}

/// Calls a method with typed params and result.
pub async fn call_typed<P: Serialize, R: DeserializeOwned>(
    gateway: &dyn Gateway,
    credentials: Credentials,
    method: &str,
    params: &P,
) -> Result<R, RpcError> {
    let params = serde_json::to_value(params)
        .map_err(|e| RpcError::internal(format!("could not encode params: {e}")))?;
    let value = gateway.call(credentials, method, params).await?;
    serde_json::from_value(value)
        .map_err(|e| RpcError::internal(format!("unexpected result of {method}: {e}")))
}

/// The admin session token from `Cookie` header values, if present.
pub fn session_token<'a>(cookie_headers: impl Iterator<Item = &'a str>) -> Option<String> {
    cookie_headers
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == crate::api::SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}
