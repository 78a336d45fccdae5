//! Server functions of the admin UI. Each one calls the gateway with the caller's session,
//! so the UI takes exactly the path external clients take. Set-up and calendar actions live
//! in the submodules.

mod calendar;
mod dashboard;
mod notifications;
mod platform;
mod setup;
pub use calendar::*;
pub use dashboard::*;
pub use notifications::*;
pub use platform::*;
pub use setup::*;

pub mod retell;

pub use retell::*;

use crate::contract::{AdminInfo, DashboardOverview, RpcError, TenantSettings, TenantUpdate};
use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Name of the admin session cookie.
pub const SESSION_COOKIE: &str = "slotline_session";

/// Error of a UI server function, shown to the admin as a sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    /// The session is missing or expired.
    #[error("Please sign in again.")]
    Unauthorized,
    /// The gateway refused the request; `field` names the input to fix, if any.
    #[error("{message}")]
    Rejected {
        /// Gateway error code.
        code: i64,
        /// What to fix.
        message: String,
        /// Offending input field.
        field: Option<String>,
    },
    /// The request did not reach the server or the answer was unreadable.
    #[error("The server could not be reached: {0}")]
    Transport(String),
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        ApiError::Transport(value.to_string())
    }
}

impl ApiError {
    /// Keeps the gateway's own sentence (used where "sign in again" would be misleading,
    /// e.g. a refused sign-in).
    pub fn rejected(err: RpcError) -> Self {
        ApiError::Rejected {
            code: err.code,
            field: err.field().map(str::to_owned),
            message: err.message,
        }
    }
}

impl From<RpcError> for ApiError {
    fn from(err: RpcError) -> Self {
        if err.code == crate::contract::codes::UNAUTHORIZED {
            return ApiError::Unauthorized;
        }
        ApiError::rejected(err)
    }
}

#[cfg(feature = "ssr")]
mod backend {
    //! Server-side helpers: the gateway from context and the session from the cookie.
    use super::{ApiError, SESSION_COOKIE};
    use crate::gateway::{call_typed, CookieSecurity, Credentials, GatewayHandle, UiSettings};
    use leptos::prelude::*;

    /// The session token from the request's cookie header.
    pub async fn session_credentials() -> Credentials {
        let headers: http::HeaderMap = match leptos_axum::extract().await {
            Ok(h) => h,
            Err(_) => return Credentials::Anonymous,
        };
        let values = headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok());
        crate::gateway::session_token(values)
            .map(Credentials::Session)
            .unwrap_or(Credentials::Anonymous)
    }

    /// Calls the gateway as the signed-in admin.
    pub async fn call<P: serde::Serialize, R: serde::de::DeserializeOwned>(
        method: &str,
        params: &P,
    ) -> Result<R, ApiError> {
        Ok(call_rpc(method, params).await?)
    }

    /// Calls the gateway as the signed-in admin and keeps the gateway's own error (with its
    /// data, e.g. the alternatives of a taken slot).
    pub async fn call_rpc<P: serde::Serialize, R: serde::de::DeserializeOwned>(
        method: &str,
        params: &P,
    ) -> Result<R, crate::contract::RpcError> {
        let gateway = use_context::<GatewayHandle>()
            .ok_or_else(|| crate::contract::RpcError::internal("gateway missing from context"))?;
        let credentials = session_credentials().await;
        call_typed(gateway.as_ref(), credentials, method, params).await
    }

    /// Sets (or clears, with `None`) the session cookie on the response; `Secure` as the
    /// server's cookie policy says for this request.
    pub async fn set_session_cookie(token: Option<&str>, max_age_secs: i64) {
        let security = use_context::<UiSettings>()
            .map(|s| s.cookie_security)
            .unwrap_or(CookieSecurity::Never);
        let response = use_context::<leptos_axum::ResponseOptions>();
        let headers: http::HeaderMap = leptos_axum::extract().await.unwrap_or_default();
        let secure = if security.secure_for(&headers) {
            "; Secure"
        } else {
            ""
        };
        let value = match token {
            Some(t) => format!(
                "{SESSION_COOKIE}={t}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}"
            ),
            None => {
                format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
            }
        };
        if let (Some(response), Ok(value)) = (response, http::HeaderValue::from_str(&value)) {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }

    /// Sets the UI-language cookie the i18n context reads (readable by the page's script,
    /// which rewrites it when the admin switches language; it holds no secret).
    pub fn set_language_cookie(language: crate::contract::Language) {
        let value = format!(
            "{}={}; Path=/; SameSite=Lax; Max-Age=31536000",
            crate::i18n_setup::LANGUAGE_COOKIE,
            language.code()
        );
        if let (Some(response), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::HeaderValue::from_str(&value),
        ) {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }
}

/// Signs an admin in and sets the session cookie.
#[server(prefix = "/api/ui", endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<AdminInfo, ApiError> {
    use crate::contract::{LoginParams, LoginResult};
    use crate::gateway::{call_typed, Credentials, GatewayHandle};
    let gateway = use_context::<GatewayHandle>()
        .ok_or_else(|| ApiError::Transport("gateway missing from context".into()))?;
    let result: LoginResult = call_typed(
        gateway.as_ref(),
        Credentials::Anonymous,
        "admin.login",
        &LoginParams { email, password },
    )
    .await
    .map_err(ApiError::rejected)?;
    backend::set_session_cookie(Some(&result.token), result.expires_in_secs).await;
    // The admin's remembered language follows them to every device they sign in on.
    backend::set_language_cookie(result.admin.language);
    // A plain form POST (the app not loaded yet) is sent on to the admin's home page; the WASM
    // app navigates there itself.
    leptos_axum::redirect(result.admin.home());
    Ok(result.admin)
}

/// Ends the session and clears the cookie.
#[server(prefix = "/api/ui", endpoint = "logout")]
pub async fn logout() -> Result<(), ApiError> {
    let outcome: Result<serde_json::Value, ApiError> =
        backend::call("admin.logout", &crate::contract::NoParams {}).await;
    backend::set_session_cookie(None, 0).await;
    match outcome {
        Ok(_) | Err(ApiError::Unauthorized) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Remembers the signed-in admin's UI language (the page switches at once; this makes the
/// choice follow the admin to other devices).
#[server(prefix = "/api/ui", endpoint = "set_language")]
pub async fn set_language(language: crate::contract::Language) -> Result<AdminInfo, ApiError> {
    let admin: AdminInfo = backend::call(
        "admin.setLanguage",
        &crate::contract::SetLanguageParams { language },
    )
    .await?;
    backend::set_language_cookie(admin.language);
    Ok(admin)
}

/// The signed-in admin.
#[server(prefix = "/api/ui", endpoint = "whoami")]
pub async fn whoami() -> Result<AdminInfo, ApiError> {
    backend::call("admin.whoami", &crate::contract::NoParams {}).await
}

/// The dashboard figures of the admin's tenant.
#[server(prefix = "/api/ui", endpoint = "dashboard")]
pub async fn get_dashboard() -> Result<DashboardOverview, ApiError> {
    backend::call("dashboard.overview", &crate::contract::NoParams {}).await
}

/// The admin's tenant settings.
#[server(prefix = "/api/ui", endpoint = "tenant_get")]
pub async fn get_tenant_settings() -> Result<TenantSettings, ApiError> {
    backend::call("tenant.get", &crate::contract::NoParams {}).await
}

/// Saves the admin's tenant settings.
#[server(prefix = "/api/ui", endpoint = "tenant_update")]
pub async fn update_tenant(update: TenantUpdate) -> Result<TenantSettings, ApiError> {
    backend::call("tenant.update", &update).await
}

/// The tenant's most recent calls.
#[server(prefix = "/api/ui", endpoint = "calls_list")]
pub async fn list_calls() -> Result<Vec<crate::contract::CallSummary>, ApiError> {
    backend::call(
        "calls.list",
        &crate::contract::CallListParams {
            limit: Some(100),
            ..Default::default()
        },
    )
    .await
}

/// The tenant's most recent calls matching a filter (day range, outcome, caller).
#[server(prefix = "/api/ui", endpoint = "calls_filter", input = leptos::server_fn::codec::Json)]
pub async fn filter_calls(
    filter: crate::contract::CallListParams,
) -> Result<Vec<crate::contract::CallSummary>, ApiError> {
    backend::call("calls.list", &filter).await
}

/// Webhook monitoring of the tenant.
#[server(prefix = "/api/ui", endpoint = "webhook_activity")]
pub async fn get_webhook_activity() -> Result<crate::contract::WebhookActivity, ApiError> {
    backend::call("webhooks.activity", &crate::contract::NoParams {}).await
}

/// The tenant's appointments in a range of local days, optionally of one staff member or
/// matching a name or phone.
#[server(
    prefix = "/api/ui",
    endpoint = "appointments_list",
    input = leptos::server_fn::codec::Json
)]
pub async fn list_appointments(
    params: crate::contract::AppointmentListParams,
) -> Result<Vec<crate::contract::AppointmentInfo>, ApiError> {
    backend::call("appointments.list", &params).await
}

/// The tenant's scheduling set-up.
#[server(prefix = "/api/ui", endpoint = "scheduling_overview")]
pub async fn get_scheduling_overview() -> Result<crate::contract::SchedulingOverview, ApiError> {
    backend::call("scheduling.overview", &crate::contract::NoParams {}).await
}

/// Bookings waiting for an admin because they could not be finalized.
#[server(prefix = "/api/ui", endpoint = "recovery_list")]
pub async fn list_recovery() -> Result<Vec<crate::contract::RecoveryItem>, ApiError> {
    backend::call(
        "webhooks.recovery.list",
        &crate::contract::RecoveryListParams::default(),
    )
    .await
}

/// Books a queued hold if it fits again.
#[server(prefix = "/api/ui", endpoint = "recovery_retry")]
pub async fn retry_recovery(id: i64) -> Result<crate::contract::RecoveryItem, ApiError> {
    backend::call(
        "webhooks.recovery.retry",
        &crate::contract::RecoveryRetryParams { id },
    )
    .await
}

/// Moves a queued hold to another time and books it.
#[server(prefix = "/api/ui", endpoint = "recovery_rebook")]
pub async fn rebook_recovery(
    id: i64,
    new_time: String,
) -> Result<crate::contract::RecoveryItem, ApiError> {
    backend::call(
        "webhooks.recovery.rebook",
        &crate::contract::RecoveryRebookParams {
            id,
            new_time,
            staff: None,
        },
    )
    .await
}

/// Cancels a queued hold with a reason.
#[server(prefix = "/api/ui", endpoint = "recovery_dismiss")]
pub async fn dismiss_recovery(
    id: i64,
    reason: String,
) -> Result<crate::contract::RecoveryItem, ApiError> {
    backend::call(
        "webhooks.recovery.dismiss",
        &crate::contract::RecoveryDismissParams { id, reason },
    )
    .await
}

/// The tenant's API tokens and the URLs external clients use them at.
#[server(prefix = "/api/ui", endpoint = "tokens_list")]
pub async fn list_tokens() -> Result<crate::contract::ApiTokens, ApiError> {
    backend::call("tokens.list", &crate::contract::NoParams {}).await
}

/// Creates an API token with these scopes and optional expiry; the answer is the only time it
/// is shown. JSON-encoded, so an empty choice of scopes reaches the gateway (and is refused)
/// instead of vanishing from a URL-encoded form.
#[server(
    prefix = "/api/ui",
    endpoint = "tokens_create",
    input = leptos::server_fn::codec::Json
)]
pub async fn create_token(
    name: String,
    scopes: Vec<crate::contract::Scope>,
    expires_in_days: Option<u32>,
) -> Result<crate::contract::CreatedToken, ApiError> {
    backend::call(
        "tokens.create",
        &crate::contract::CreateTokenParams {
            name,
            scopes,
            expires_in_days,
        },
    )
    .await
}

/// Revokes an API token.
#[server(prefix = "/api/ui", endpoint = "tokens_revoke")]
pub async fn revoke_token(token_id: i64) -> Result<crate::contract::ApiTokenInfo, ApiError> {
    backend::call(
        "tokens.revoke",
        &crate::contract::RevokeTokenParams { token_id },
    )
    .await
}

/// Health of the gateway, its servers and downstreams.
#[server(prefix = "/api/ui", endpoint = "gateway_health")]
pub async fn get_health() -> Result<crate::contract::GatewayHealth, ApiError> {
    backend::call("gateway.health", &crate::contract::NoParams {}).await
}
