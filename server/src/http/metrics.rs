//! `/metrics`: Prometheus text exposition; with `SLOTLINE_METRICS_TOKEN` set, only for
//! `Authorization: Bearer <token>` (401 otherwise).

use crate::http::ops_token::{self, OpsToken};
use crate::metrics::MethodStats;
use crate::webhooks::stats::WebhookStats;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Everything `/metrics` reports, and the token it needs.
#[derive(Clone)]
pub struct Sources {
    /// Webhook counters.
    pub webhooks: Arc<WebhookStats>,
    /// Gateway method and custom-function counters.
    pub methods: Arc<MethodStats>,
    /// Circuit breakers.
    pub breakers: crate::breaker::Breakers,
    /// The operations token a scraper must send, if one is configured.
    pub token: Option<OpsToken>,
}

/// Renders every counter Slotline keeps.
pub async fn metrics(State(sources): State<Sources>, headers: HeaderMap) -> Response {
    if let Some(token) = &sources.token {
        if !token.presented_in(&headers) {
            return ops_token::unauthorized();
        }
    }
    let mut out = String::new();
    sources.webhooks.render_prometheus(&mut out);
    sources.methods.render_prometheus(&mut out);
    sources.breakers.render(&mut out);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}
