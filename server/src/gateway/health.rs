//! The gateway's health: the database (a live check), the webhook backlog, and per server and
//! downstream the circuit state, recent latency, error rate and last error taken from recent
//! calls (the Retell API is never probed here). Served at `GET /api/mcp/gateway/health`
//! (503 when unhealthy) — in full only with the operations token or an admin session, else
//! just `{"status": "up" | "degraded" | "down"}` — and to admins as `gateway.health` (the
//! Monitoring page).

use super::{guard, Gateway, Services};
use crate::http::ops_token::OpsToken;
use app::contract::{
    CircuitState, DatabaseHealth, GatewayHealth, RetellApiHealth, ServerHealth, WebhookBacklog,
};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A pending webhook older than this means the worker is not keeping up.
const STUCK_AFTER_MS: i64 = 60_000;

/// What the health route needs: the gateway, and the token that unlocks the full report.
#[derive(Clone)]
pub struct HealthRoute {
    /// The gateway whose health is reported.
    pub gateway: Gateway,
    /// `SLOTLINE_METRICS_TOKEN`, if configured.
    pub token: Option<OpsToken>,
}

/// The route handler: 200 when healthy or degraded, 503 when unhealthy; the full report for
/// the operations token or a signed-in admin, only the status word for everyone else.
pub async fn health(State(route): State<HealthRoute>, headers: HeaderMap) -> Response {
    let report = report_from(route.gateway.services()).await;
    let code = if report.status == "unhealthy" {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    if may_see_details(&route, &headers).await {
        (code, Json(report)).into_response()
    } else {
        let body = serde_json::json!({ "status": public_status(&report.status) });
        (code, Json(body)).into_response()
    }
}

/// The one word anonymous callers get: `up` (healthy), `degraded` or `down` (unhealthy).
pub fn public_status(status: &str) -> &'static str {
    match status {
        "healthy" => "up",
        "degraded" => "degraded",
        _ => "down",
    }
}

/// Whether the request carries the operations token or an unexpired admin session.
async fn may_see_details(route: &HealthRoute, headers: &HeaderMap) -> bool {
    if route
        .token
        .as_ref()
        .is_some_and(|token| token.presented_in(headers))
    {
        return true;
    }
    let cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok());
    let Some(session) = app::gateway::session_token(cookies) else {
        return false;
    };
    let hash = crate::auth::token_hash(&session);
    let lookup = route.gateway.services().store.session_admin(&hash);
    matches!(
        tokio::time::timeout(Duration::from_secs(2), lookup).await,
        Ok(Ok(Some(_)))
    )
}

/// Builds the report. Unhealthy: the database is down or its circuit is open, or webhooks are
/// stuck. Degraded: a server's or Retell's circuit is not closed.
pub async fn report_from(services: &Services) -> GatewayHealth {
    let breakers = &services.breakers;
    let started = Instant::now();
    let backlog =
        tokio::time::timeout(Duration::from_secs(2), services.store.inbox_backlog()).await;
    let mut database = DatabaseHealth {
        status: "up".into(),
        latency_ms: started.elapsed().as_millis() as u64,
        error: None,
        recent: breakers.get(guard::DATABASE).report(),
    };
    let webhooks = match backlog {
        Ok(Ok(b)) => {
            let oldest_pending_age_ms = b
                .oldest_pending_ms
                .map(|t| (services.store.now_ms() - t).max(0));
            let stuck = oldest_pending_age_ms.is_some_and(|age| age > STUCK_AFTER_MS);
            Some(WebhookBacklog {
                status: if stuck { "stuck" } else { "ok" }.into(),
                pending: b.pending,
                oldest_pending_age_ms,
                failed: b.failed,
            })
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database failed");
            database.status = "down".into();
            database.error = Some("the database does not answer".into());
            None
        }
        Err(_) => {
            database.status = "down".into();
            database.error = Some("no answer within 2 s".into());
            None
        }
    };
    let servers = servers(services);
    let retell = breakers.get(crate::retell_api::RETELL_API).report();
    let unhealthy = database.status == "down"
        || database.recent.circuit == CircuitState::Open
        || webhooks.as_ref().is_some_and(|w| w.status == "stuck");
    let degraded = retell.circuit != CircuitState::Closed
        || servers
            .values()
            .any(|s| s.recent.circuit != CircuitState::Closed);
    let status = match (unhealthy, degraded) {
        (true, _) => "unhealthy",
        (false, true) => "degraded",
        (false, false) => "healthy",
    };
    GatewayHealth {
        status: status.into(),
        database,
        webhooks,
        retell_api: RetellApiHealth {
            status: circuit_status(retell.circuit).into(),
            recent: retell,
        },
        servers,
        methods: services.server_methods.values().sum(),
    }
}

/// Per server of the registry: status, method count and its breaker's report.
fn servers(services: &Services) -> BTreeMap<String, ServerHealth> {
    services
        .server_methods
        .iter()
        .map(|(name, methods)| {
            let recent = services.breakers.get(&guard::server_breaker(name)).report();
            let health = ServerHealth {
                status: circuit_status(recent.circuit).into(),
                methods: *methods,
                recent,
            };
            ((*name).to_owned(), health)
        })
        .collect()
}

fn circuit_status(state: CircuitState) -> &'static str {
    match state {
        CircuitState::Closed => "up",
        CircuitState::HalfOpen => "recovering",
        CircuitState::Open => "failing",
    }
}
