//! Per-client rate limits: the gateway and UI routes (not the site's built files), and (with a
//! higher quota) Retell's webhook and custom-function routes. 429 with `Retry-After` and a
//! JSON body. The client is the TCP peer (a reverse proxy in front makes all clients one key;
//! see docs/decisions.md); it is also kept for the request's task, so sign-in can count
//! attempts per client.

use crate::limits::{retry_secs, Limits};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

tokio::task_local! {
    static CLIENT: Option<IpAddr>;
}

/// The client address of the request this task serves, if known.
pub fn client() -> Option<IpAddr> {
    CLIENT.try_with(|c| *c).ok().flatten()
}

fn peer(request: &Request) -> Option<IpAddr> {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

fn too_many(ip: IpAddr, wait: Duration) -> Response {
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

/// The middleware of the gateway and UI routes.
pub async fn per_ip(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    let ip = peer(&request);
    if let Some(ip) = ip {
        if let Err(wait) = limits.ip(ip) {
            return too_many(ip, wait);
        }
    }
    CLIENT.scope(ip, next.run(request)).await
}

/// The middleware of the site: a page (and every server function it calls) counts against
/// the client's limit, the built files under `/pkg/` do not. One page's first visit fetches
/// its WASM chunks — about a hundred small files for the dashboard — and counting them would
/// refuse a second page view; they are static files, read from disk without any store or
/// tenant work.
pub async fn per_ip_pages(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    if request
        .uri()
        .path()
        .starts_with(crate::http::assets::PKG_PREFIX)
    {
        return next.run(request).await;
    }
    per_ip(State(limits), request, next).await
}

/// The middleware of Retell's routes (webhooks and custom functions).
pub async fn per_retell_ip(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    let ip = peer(&request);
    if let Some(ip) = ip {
        if let Err(wait) = limits.retell_ip(ip) {
            return too_many(ip, wait);
        }
    }
    next.run(request).await
}
