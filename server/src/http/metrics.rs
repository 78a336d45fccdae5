//! `/metrics`: Prometheus text exposition.

use crate::metrics::MethodStats;
use crate::webhooks::stats::WebhookStats;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use std::sync::Arc;

/// Everything `/metrics` reports.
#[derive(Clone)]
pub struct Sources {
    /// Webhook counters.
    pub webhooks: Arc<WebhookStats>,
    /// Gateway method and custom-function counters.
    pub methods: Arc<MethodStats>,
    /// Circuit breakers.
    pub breakers: crate::breaker::Breakers,
}

/// Renders every counter Slotline keeps.
pub async fn metrics(State(sources): State<Sources>) -> impl IntoResponse {
    let mut out = String::new();
    sources.webhooks.render_prometheus(&mut out);
    sources.methods.render_prometheus(&mut out);
    sources.breakers.render(&mut out);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out)
}
