//! Per-client rate limits: the refusal (429 with `Retry-After` and a JSON body) and the
//! client of the request a task serves. The front door (`crate::http::front`) decides which
//! quota a request counts against. The client is the TCP peer (a reverse proxy in front makes
//! all clients one key; see docs/decisions.md); it is kept for the request's task, so sign-in
//! can count attempts per client.

use crate::limits::retry_secs;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::net::IpAddr;
use std::time::Duration;

tokio::task_local! {
    static CLIENT: Option<IpAddr>;
}

/// The client address of the request this task serves, if known.
pub fn client() -> Option<IpAddr> {
    CLIENT.try_with(|c| *c).ok().flatten()
}

/// Runs `work` as a request of `client`.
pub async fn scope<F: std::future::Future>(client: Option<IpAddr>, work: F) -> F::Output {
    CLIENT.scope(client, work).await
}

/// The refusal of a client over its quota, saying when to retry.
pub fn too_many(ip: IpAddr, wait: Duration) -> Response {
    let secs = retry_secs(wait);
    tracing::warn!(%ip, "client rate-limited");
    let body = serde_json::json!({
        "error": "rate_limited",
        "retry_after_secs": secs,
        "message": format!("too many requests from your address; try again in {secs} s"),
    });
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, secs.to_string())],
        Json(body),
    )
        .into_response()
}
