//! Server functions of the dashboard's charts: each calls one `dashboard.*` gateway method.

use super::ApiError;
use crate::contract::{BreakerHistory, CallSeries, LatencySeries, RecoverySeries, WebhookSeries};
use leptos::prelude::*;

/// Calls, phone bookings and the booking rate per local day.
#[server(prefix = "/api/ui", endpoint = "dashboard_calls")]
pub async fn get_dashboard_calls(days: u32) -> Result<CallSeries, ApiError> {
    super::backend::call(
        "dashboard.calls",
        &crate::contract::SeriesParams { days: Some(days) },
    )
    .await
}

/// Custom-function latency per local day.
#[server(prefix = "/api/ui", endpoint = "dashboard_latency")]
pub async fn get_dashboard_latency(days: u32) -> Result<LatencySeries, ApiError> {
    super::backend::call(
        "dashboard.latency",
        &crate::contract::SeriesParams { days: Some(days) },
    )
    .await
}

/// Webhook events by type and errors per local day.
#[server(prefix = "/api/ui", endpoint = "dashboard_webhooks")]
pub async fn get_dashboard_webhooks(days: u32) -> Result<WebhookSeries, ApiError> {
    super::backend::call(
        "dashboard.webhooks",
        &crate::contract::SeriesParams { days: Some(days) },
    )
    .await
}

/// Failed bookings waiting per local day.
#[server(prefix = "/api/ui", endpoint = "dashboard_recovery")]
pub async fn get_dashboard_recovery(days: u32) -> Result<RecoverySeries, ApiError> {
    super::backend::call(
        "dashboard.recovery",
        &crate::contract::SeriesParams { days: Some(days) },
    )
    .await
}

/// Breaker states and their recent changes.
#[server(prefix = "/api/ui", endpoint = "dashboard_breakers")]
pub async fn get_dashboard_breakers(days: u32) -> Result<BreakerHistory, ApiError> {
    super::backend::call(
        "dashboard.breakers",
        &crate::contract::SeriesParams { days: Some(days) },
    )
    .await
}
