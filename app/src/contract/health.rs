//! Types of the gateway's health report (`GET /api/mcp/gateway/health`, `gateway.health`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A circuit breaker's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CircuitState {
    /// Calls pass.
    Closed,
    /// Calls are refused at once.
    Open,
    /// One probe call may pass.
    HalfOpen,
}

/// What a breaker saw of its recent calls (at most 200, at most the last 5 minutes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CircuitReport {
    /// Breaker state.
    pub circuit: CircuitState,
    /// Number of recent calls.
    pub recent_calls: usize,
    /// Share of them that failed (0..1).
    pub error_rate: f64,
    /// Median latency.
    pub latency_p50_ms: Option<f64>,
    /// 95th percentile latency.
    pub latency_p95_ms: Option<f64>,
    /// The newest failure, if any.
    pub last_error: Option<String>,
    /// How long ago that failure was.
    pub last_error_age_secs: Option<u64>,
    /// How many times the breaker has opened since start.
    pub opened_total: u64,
}

/// One gateway server (AppointmentManagement, RetellCustomFunction, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ServerHealth {
    /// `up`, `recovering` (half-open) or `failing` (open).
    pub status: String,
    /// Methods the server offers.
    pub methods: usize,
    /// Its breaker's view of recent calls.
    pub recent: CircuitReport,
}

/// The database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DatabaseHealth {
    /// `up` or `down` (from a live query).
    pub status: String,
    /// Time of that query.
    pub latency_ms: u64,
    /// Why it is down.
    pub error: Option<String>,
    /// Its breaker's view of recent calls.
    pub recent: CircuitReport,
}

/// Retell's REST API, judged from recent calls only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RetellApiHealth {
    /// `up`, `recovering` or `failing`.
    pub status: String,
    /// Its breaker's view of recent calls.
    pub recent: CircuitReport,
}

/// The webhook inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WebhookBacklog {
    /// `ok` or `stuck` (an event has waited over a minute).
    pub status: String,
    /// Events waiting to be applied.
    pub pending: i64,
    /// Age of the oldest waiting event.
    pub oldest_pending_age_ms: Option<i64>,
    /// Events parked after repeated failures.
    pub failed: i64,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GatewayHealth {
    /// `healthy`, `degraded` (a circuit is open) or `unhealthy` (database down or webhooks stuck).
    pub status: String,
    /// The database.
    pub database: DatabaseHealth,
    /// The webhook inbox (absent when the database is down).
    pub webhooks: Option<WebhookBacklog>,
    /// Retell's API.
    pub retell_api: RetellApiHealth,
    /// Servers by name.
    pub servers: BTreeMap<String, ServerHealth>,
    /// Registered methods.
    pub methods: usize,
}
