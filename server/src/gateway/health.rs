//! The gateway's health: the database (a live check), the webhook backlog, and per server and
//! downstream the circuit state, recent latency, error rate and last error taken from recent
//! calls (the Retell API is never probed here). Served at `GET /api/mcp/gateway/health`
//! (503 when unhealthy) and to admins as `gateway.health` (the Monitoring page).

use super::{guard, Gateway, Services};
use app::contract::{
    CircuitState, DatabaseHealth, GatewayHealth, RetellApiHealth, ServerHealth, WebhookBacklog,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A pending webhook older than this means the worker is not keeping up.
const STUCK_AFTER_MS: i64 = 60_000;

/// The route handler: 200 when healthy or degraded, 503 when unhealthy.
pub async fn health(State(gateway): State<Gateway>) -> (StatusCode, Json<GatewayHealth>) {
    let report = report_from(gateway.services()).await;
    let code = if report.status == "unhealthy" {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    (code, Json(report))
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
                .map(|t| (crate::store::now_ms() - t).max(0));
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
