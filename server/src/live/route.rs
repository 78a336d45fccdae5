//! `GET /api/live`: the server-sent events of the signed-in admin's tenant. The session
//! cookie decides the tenant (through the gateway's `admin.whoami`, so every rule of the
//! gateway applies); cross-site pages are refused like every request that acts with the
//! cookie. Events: `ready` once, then `change` with `calls`, `appointments` or `health`; a
//! heartbeat comment every 15 s, when the session is checked again: a signed-out or expired
//! session ends the stream.

use super::{Live, Subscription};
use crate::http::origin::SameOrigin;
use app::contract::{AdminInfo, NoParams};
use app::gateway::{call_typed, Credentials, Gateway};
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::stream::{self, Stream};
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr};
use tokio::sync::broadcast::error::RecvError;

/// What the route needs.
#[derive(Clone)]
pub struct LiveRoute {
    /// The hub.
    pub live: Live,
    /// The gateway, to resolve and re-check the session.
    pub gateway: crate::gateway::Gateway,
    /// Slotline's own origin.
    pub origin: SameOrigin,
}

fn refuse(status: StatusCode, error: &str, message: &str) -> Response {
    let body = serde_json::json!({ "error": error, "message": message });
    (status, Json(body)).into_response()
}

/// The handler.
pub async fn events(State(route): State<LiveRoute>, headers: HeaderMap) -> Response {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    // A GET changes nothing, but this one reads the tenant's activity with the cookie: it
    // gets the same origin check as the requests that act.
    if let Err(refusal) = route.origin.check(&Method::POST, &headers, host) {
        return refusal.into_response();
    }
    let cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok());
    let Some(token) = app::gateway::session_token(cookies) else {
        return refuse(StatusCode::UNAUTHORIZED, "unauthorized", "sign in first");
    };
    let admin = match whoami(&route.gateway, &token).await {
        Ok(a) => a,
        Err(e) if e.code == app::contract::codes::UNAUTHORIZED => {
            return refuse(StatusCode::UNAUTHORIZED, "unauthorized", &e.message)
        }
        Err(e) => return refuse(StatusCode::SERVICE_UNAVAILABLE, "unavailable", &e.message),
    };
    // A platform admin who has not switched into a tenant has no tenant to watch.
    // The front door always knows the peer; an in-process caller counts as one client.
    let client = crate::http::limit::client().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let Some(tenant_id) = admin.tenant_id else {
        return refuse(
            StatusCode::FORBIDDEN,
            "no_tenant",
            "switch into a tenant first",
        );
    };
    let sub = match route.live.subscribe(tenant_id, client) {
        Ok(s) => s,
        Err(full) => {
            return refuse(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_streams",
                &full.to_string(),
            )
        }
    };
    let heartbeat = route.live.settings().heartbeat;
    let stream = stream_of(Conn {
        sub,
        gateway: route.gateway,
        token,
        tenant: tenant_id,
        beat: tokio::time::interval_at(tokio::time::Instant::now() + heartbeat, heartbeat),
        greeted: false,
    });
    let mut response = Sse::new(stream).into_response();
    // Proxies must not buffer the stream.
    response.headers_mut().insert(
        header::HeaderName::from_static("x-accel-buffering"),
        header::HeaderValue::from_static("no"),
    );
    response
}

async fn whoami(
    gateway: &crate::gateway::Gateway,
    token: &str,
) -> Result<AdminInfo, app::contract::RpcError> {
    let gw: &dyn Gateway = gateway;
    call_typed(
        gw,
        Credentials::Session(token.to_owned()),
        "admin.whoami",
        &NoParams {},
    )
    .await
}

struct Conn {
    sub: Subscription,
    gateway: crate::gateway::Gateway,
    token: String,
    tenant: i64,
    beat: tokio::time::Interval,
    greeted: bool,
}

fn stream_of(conn: Conn) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold(conn, |mut c| async move {
        if !c.greeted {
            c.greeted = true;
            return Some((Ok(Event::default().event("ready").data("ok")), c));
        }
        let event = tokio::select! {
            got = c.sub.events.recv() => match got {
                Ok(topic) => Event::default().event("change").data(topic.as_str()),
                // Missed some: everything may have changed.
                Err(RecvError::Lagged(_)) => Event::default().event("change").data("all"),
                Err(RecvError::Closed) => return None,
            },
            _ = c.beat.tick() => {
                match whoami(&c.gateway, &c.token).await {
                    Ok(a) if a.tenant_id == Some(c.tenant) => Event::default().comment("heartbeat"),
                    Ok(_) => return None,
                    Err(e) if e.code == app::contract::codes::UNAUTHORIZED => return None,
                    // The database may be down for a moment: keep the stream, check again later.
                    Err(_) => Event::default().comment("heartbeat"),
                }
            }
            _ = c.sub.stop.cancelled() => return None,
        };
        Some((Ok(event), c))
    })
}
