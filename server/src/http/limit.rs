//! Per-client-IP rate limit for the gateway and UI routes: 429 with `Retry-After` and a JSON
//! body. The IP is the TCP peer (a reverse proxy in front makes all clients one key; see
//! docs/decisions.md).

use crate::limits::{retry_secs, Limits};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::net::SocketAddr;

/// The middleware.
pub async fn per_ip(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if let Some(ip) = peer {
        if let Err(wait) = limits.ip(ip) {
            let secs = retry_secs(wait);
            tracing::warn!(%ip, "client rate-limited");
            let body = serde_json::json!({
                "error": "rate_limited",
                "retry_after_secs": secs,
                "message": format!("too many requests from your address; try again in {secs} s"),
            });
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, secs.to_string())],
                Json(body),
            )
                .into_response();
        }
    }
    next.run(request).await
}
