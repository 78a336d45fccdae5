//! Types that cross a boundary (server functions, gateway methods, UI), defined once.

use serde::{Deserialize, Serialize};

mod booking;
mod calendar;
mod dashboard;
mod health;
mod notifications;
mod platform;
mod retell;
mod retell_functions;
mod setup;
mod tokens;
pub use booking::*;
pub use calendar::*;
pub use dashboard::*;
pub use health::*;
pub use notifications::*;
pub use platform::*;
pub use retell::*;
pub use retell_functions::*;
pub use setup::*;
pub use tokens::*;

/// Role of an admin user inside their tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdminRole {
    /// Full control over the tenant, including its Retell settings.
    Owner,
    /// Day-to-day work: calls and appointments.
    Staff,
}

impl AdminRole {
    /// The stored / wire name of the role.
    pub fn as_str(self) -> &'static str {
        match self {
            AdminRole::Owner => "owner",
            AdminRole::Staff => "staff",
        }
    }

    /// Parses a stored role name.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "owner" => Some(AdminRole::Owner),
            "staff" => Some(AdminRole::Staff),
            _ => None,
        }
    }
}

/// A language of the admin UI (German is the default: Slotline's businesses are German).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Deutsch.
    #[default]
    De,
    /// English.
    En,
}

impl Language {
    /// Every language, in the order the switch shows them.
    pub const ALL: [Language; 2] = [Language::De, Language::En];

    /// The two-letter code (`de`, `en`), as stored and as the `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
        }
    }

    /// Parses a stored or sent code; `None` for anything else.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "de" => Some(Language::De),
            "en" => Some(Language::En),
            _ => None,
        }
    }

    /// The language's own name, as the switch shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::De => "Deutsch",
            Language::En => "English",
        }
    }
}

/// Parameters of `admin.setLanguage`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SetLanguageParams {
    /// The language the admin wants the UI in.
    pub language: Language,
}

/// The signed-in admin as the UI shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AdminInfo {
    /// Admin user id.
    pub id: i64,
    /// Login e-mail.
    pub email: String,
    /// Role within the tenant (a platform admin acting in a tenant acts as its owner).
    pub role: AdminRole,
    /// Tenant the admin works in: their own, or the one a platform admin switched into; none
    /// for a platform admin who has not switched.
    pub tenant_id: Option<i64>,
    /// Display name of that tenant.
    pub tenant_name: Option<String>,
    /// True for a platform admin (who may switch into any tenant).
    #[serde(default)]
    pub platform: bool,
    /// The admin's UI language (remembered per user).
    #[serde(default)]
    pub language: Language,
}

impl AdminInfo {
    /// Where the admin starts after signing in: the platform page for a platform admin outside
    /// any tenant (tenant pages would refuse them), else the dashboard.
    pub fn home(&self) -> &'static str {
        if self.platform && self.tenant_id.is_none() {
            "/admin/platform"
        } else {
            "/admin"
        }
    }
}

/// Parameters of `admin.login`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LoginParams {
    /// Login e-mail (case-insensitive).
    pub email: String,
    /// Plain password, checked against the argon2id hash.
    pub password: String,
}

/// Result of `admin.login`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LoginResult {
    /// Opaque session token (only its hash is stored).
    pub token: String,
    /// Seconds until the session expires.
    pub expires_in_secs: i64,
    /// Who signed in.
    pub admin: AdminInfo,
}

/// Language the agent speaks and the UI uses for a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// German.
    De,
    /// English.
    En,
}

impl Locale {
    /// The stored / wire name of the locale.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::De => "de",
            Locale::En => "en",
        }
    }

    /// Parses a stored locale name.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "de" => Some(Locale::De),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

/// A phone number of a tenant that a Retell agent answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PhoneNumberInfo {
    /// Number in E.164 form.
    pub e164: String,
    /// Retell agent id answering this number, if linked.
    pub retell_agent_id: Option<String>,
    /// Free label ("Hauptnummer").
    pub label: String,
}

/// Tenant settings as shown and edited in the admin UI (`tenant.get`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TenantSettings {
    /// Tenant id.
    pub id: i64,
    /// URL-safe short name.
    pub slug: String,
    /// Business name.
    pub name: String,
    /// IANA time zone, e.g. `Europe/Berlin`.
    pub time_zone: String,
    /// Language of agent replies and UI.
    pub locale: Locale,
    /// ISO 3166 region used to read national phone numbers, e.g. `DE`.
    pub country: String,
    /// Phone numbers of the tenant.
    pub phone_numbers: Vec<PhoneNumberInfo>,
}

/// Parameters of `tenant.update`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TenantUpdate {
    /// New business name.
    pub name: String,
    /// New IANA time zone.
    pub time_zone: String,
    /// New language.
    pub locale: Locale,
}

/// What the dashboard shows at a glance (`dashboard.overview`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DashboardOverview {
    /// Business name.
    pub tenant_name: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Current local time in the tenant's zone, `YYYY-MM-DD HH:MM`.
    pub local_now: String,
    /// Number of phone numbers configured.
    pub phone_numbers: i64,
    /// Whether a Retell API key is stored for the tenant.
    pub retell_api_key_set: bool,
    /// The webhook URL to enter at Retell.
    pub webhook_url: String,
}

/// Parameters of `calls.list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CallListParams {
    /// At most this many calls, newest first (1–200, default 50).
    #[serde(default)]
    pub limit: Option<i64>,
    /// Only calls from this local day on, `YYYY-MM-DD`.
    #[serde(default)]
    pub from: Option<String>,
    /// Only calls up to this local day (included), `YYYY-MM-DD`.
    #[serde(default)]
    pub to: Option<String>,
    /// Only calls with this outcome.
    #[serde(default)]
    pub outcome: Option<CallOutcome>,
    /// Only callers whose number contains these digits.
    #[serde(default)]
    pub caller: Option<String>,
}

/// One call in the calls list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CallSummary {
    /// Retell call id.
    pub call_id: String,
    /// Caller in E.164, if known.
    pub from_number: Option<String>,
    /// registered | ongoing | ended | error.
    pub status: Option<String>,
    /// Start in the tenant's time zone, `YYYY-MM-DD HH:MM`.
    pub started_local: Option<String>,
    /// Duration in whole seconds.
    pub duration_secs: Option<i64>,
    /// Caller sentiment from the analysis.
    pub sentiment: Option<String>,
    /// Analysis summary.
    pub summary: Option<String>,
    /// Why the call ended.
    pub disconnection_reason: Option<String>,
    /// What the call did to appointments.
    pub outcome: CallOutcome,
}

/// Webhook counts of one event type (`webhooks.activity`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EventActivity {
    /// Event name.
    pub event: String,
    /// Stored and waiting for the worker.
    pub pending: i64,
    /// Applied.
    pub applied: i64,
    /// Parked after repeated failures.
    pub failed: i64,
    /// Retries Retell sent since the server started (answered 200, not applied again).
    pub duplicates: i64,
}

/// One recent webhook processing error of the tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ActivityError {
    /// When, in the tenant's time zone.
    pub at_local: String,
    /// Event name.
    pub event: Option<String>,
    /// What went wrong.
    pub message: String,
}

/// Webhook monitoring of the caller's tenant (`webhooks.activity`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WebhookActivity {
    /// Per event type.
    pub events: Vec<EventActivity>,
    /// Average time from receipt to application, ms (since the server started).
    pub avg_apply_ms: Option<i64>,
    /// Most recent errors, newest first.
    pub recent_errors: Vec<ActivityError>,
}

/// Empty parameters for methods that take none.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NoParams {}

/// A gateway error: JSON-RPC code, a sentence saying what to fix, and optional details.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
#[error("{message}")]
pub struct RpcError {
    /// JSON-RPC error code (standard or -32000..-32099 domain code).
    pub code: i64,
    /// Human-readable message.
    pub message: String,
    /// Machine-readable details, e.g. `{ "field": "time_zone" }`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
}

/// Stable error codes of the gateway.
pub mod codes {
    /// Invalid JSON was received.
    pub const PARSE_ERROR: i64 = -32700;
    /// The JSON sent is not a valid request object.
    pub const INVALID_REQUEST: i64 = -32600;
    /// The method does not exist.
    pub const METHOD_NOT_FOUND: i64 = -32601;
    /// Invalid method parameters.
    pub const INVALID_PARAMS: i64 = -32602;
    /// Internal error.
    pub const INTERNAL: i64 = -32603;
    /// Not signed in / credentials invalid.
    pub const UNAUTHORIZED: i64 = -32001;
    /// Signed in, but not allowed.
    pub const FORBIDDEN: i64 = -32002;
    /// The record does not exist within the caller's tenant.
    pub const NOT_FOUND: i64 = -32003;
    /// Domain validation failed.
    pub const VALIDATION: i64 = -32004;
    /// The requested slot was taken meanwhile; `data.alternatives` lists free ones.
    pub const SLOT_TAKEN: i64 = -32010;
    /// Too close to the appointment for this action (minimum notice).
    pub const TOO_LATE: i64 = -32011;
    /// The appointment is not in a state that allows this action.
    pub const WRONG_STATE: i64 = -32012;
    /// Too many requests; `data.retry_after_secs` says when to try again.
    pub const RATE_LIMITED: i64 = -32020;
    /// A circuit breaker is open; the downstream is not called for now.
    pub const CIRCUIT_OPEN: i64 = -32021;
    /// A downstream service failed.
    pub const UPSTREAM_FAILED: i64 = -32022;
}

impl RpcError {
    /// Builds an error with a code and message.
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: None,
        }
    }

    /// A validation error about one field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self {
            code: codes::VALIDATION,
            message: message.into(),
            data: Some(serde_json::json!({ "field": field })),
        }
    }

    /// The caller must sign in.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(codes::UNAUTHORIZED, message)
    }

    /// An internal failure; the message must not leak internals.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(codes::INTERNAL, message)
    }

    /// The field this error is about, if any.
    pub fn field(&self) -> Option<&str> {
        self.data.as_ref()?.get("field")?.as_str()
    }

    /// A failure of a downstream the gateway depends on (`database`, `retell_api`); the name
    /// goes into `data.downstream` so clients and circuit breakers can tell it apart.
    pub fn downstream_failed(downstream: &str, code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: Some(serde_json::json!({ "downstream": downstream })),
        }
    }

    /// The downstream that failed, if this error is about one.
    pub fn downstream(&self) -> Option<&str> {
        self.data.as_ref()?.get("downstream")?.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_is_read_from_error_data() {
        let e = RpcError::invalid_field("time_zone", "bad zone");
        assert_eq!(e.field(), Some("time_zone"));
        assert_eq!(e.code, codes::VALIDATION);
        assert_eq!(RpcError::internal("x").field(), None);
    }

    #[test]
    fn enums_round_trip_their_wire_names() {
        for l in [Locale::De, Locale::En] {
            assert_eq!(Locale::parse(l.as_str()), Some(l));
            assert_eq!(serde_json::to_value(l).unwrap(), l.as_str());
        }
        for r in [AdminRole::Owner, AdminRole::Staff] {
            assert_eq!(AdminRole::parse(r.as_str()), Some(r));
        }
        assert_eq!(Locale::parse("fr"), None);
    }
}
