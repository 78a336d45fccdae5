//! The dashboard's series (`dashboard.calls|latency|webhooks|recovery|breakers`): per local
//! day of the tenant's time zone, read from the database.

use serde::{Deserialize, Serialize};

/// Parameters of every `dashboard.*` series: how many local days, ending today.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SeriesParams {
    /// Days, ending with today in the tenant's time zone (1–90, default 7).
    #[serde(default)]
    pub days: Option<u32>,
}

/// Calls of one local day (`dashboard.calls`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CallDay {
    /// Local day, `YYYY-MM-DD`.
    pub day: String,
    /// Calls that started that day (test calls left out).
    pub calls: i64,
    /// Of those, calls that booked at least one appointment.
    pub booked_calls: i64,
    /// Appointments made by phone that day.
    pub phone_bookings: i64,
    /// Booked calls / calls, 0–1; `None` without calls.
    pub booking_rate: Option<f64>,
}

/// Calls per day (`dashboard.calls`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CallSeries {
    /// The tenant's IANA time zone the days are counted in.
    pub time_zone: String,
    /// One entry per day, oldest first.
    pub days: Vec<CallDay>,
    /// Calls in the whole range.
    pub total_calls: i64,
    /// Booked calls / calls over the whole range; `None` without calls.
    pub booking_rate: Option<f64>,
}

/// Custom-function latency of one local day (`dashboard.latency`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LatencyDay {
    /// Local day, `YYYY-MM-DD`.
    pub day: String,
    /// Custom-function calls that day.
    pub calls: i64,
    /// Of those, answered with a temporary failure.
    pub failures: i64,
    /// Median answer time, ms; `None` without measured calls.
    pub p50_ms: Option<i64>,
    /// 95th percentile answer time, ms.
    pub p95_ms: Option<i64>,
}

/// Custom-function latency per day (`dashboard.latency`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LatencySeries {
    /// One entry per day, oldest first.
    pub days: Vec<LatencyDay>,
    /// Median over the whole range, ms.
    pub p50_ms: Option<i64>,
    /// 95th percentile over the whole range, ms.
    pub p95_ms: Option<i64>,
}

/// How many events of one type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EventCount {
    /// Event name (`call_started`, `call_ended`, `call_analyzed`, …).
    pub event: String,
    /// How many.
    pub count: i64,
}

/// Webhook events of one local day (`dashboard.webhooks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WebhookDay {
    /// Local day, `YYYY-MM-DD`.
    pub day: String,
    /// Events received that day by type, in the order of [`WebhookSeries::event_types`].
    pub by_type: Vec<EventCount>,
    /// Events of that day whose application failed at least once.
    pub errors: i64,
}

/// Webhook events per day by type, and errors (`dashboard.webhooks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WebhookSeries {
    /// Every event type seen in the range, sorted.
    pub event_types: Vec<String>,
    /// One entry per day, oldest first.
    pub days: Vec<WebhookDay>,
}

/// Failed bookings waiting at the end of one local day (`dashboard.recovery`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecoveryDay {
    /// Local day, `YYYY-MM-DD`.
    pub day: String,
    /// Failed bookings queued that day.
    pub queued: i64,
    /// Failed bookings waiting at the end of the day (today: now).
    pub waiting: i64,
}

/// Failed bookings waiting for an admin (`dashboard.recovery`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecoverySeries {
    /// Waiting now.
    pub waiting_now: i64,
    /// One entry per day, oldest first.
    pub days: Vec<RecoveryDay>,
}

/// One recorded state change of a circuit breaker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BreakerTransition {
    /// Breaker (`database`, `retell_api`, a gateway server).
    pub circuit: String,
    /// The Slotline instance it happened in.
    pub instance: String,
    /// State before: `closed`, `open` or `half_open`.
    pub from: String,
    /// State after.
    pub to: String,
    /// Why it opened (the last error), for openings.
    pub reason: Option<String>,
    /// When, in the tenant's time zone, `YYYY-MM-DD HH:MM:SS`.
    pub at_local: String,
}

/// A breaker's state as last recorded by one instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BreakerNow {
    /// Breaker name.
    pub circuit: String,
    /// The instance.
    pub instance: String,
    /// `closed`, `open` or `half_open`.
    pub state: String,
    /// Since when, in the tenant's time zone.
    pub since_local: String,
    /// Why it opened, when it is not closed.
    pub reason: Option<String>,
}

/// Breaker states and their recent changes (`dashboard.breakers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BreakerHistory {
    /// Every breaker that ever changed state, as last recorded per instance.
    pub current: Vec<BreakerNow>,
    /// Changes within the range, newest first (at most 50).
    pub transitions: Vec<BreakerTransition>,
}
