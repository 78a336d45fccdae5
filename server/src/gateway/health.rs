//! `GET /api/mcp/gateway/health`: the database (a live check), the webhook backlog, and per
//! server and downstream the circuit state, recent latency, error rate and last error taken
//! from recent calls (the Retell API is never probed here). 503 when the database is down or
//! its circuit is open, or webhooks are stuck; "degraded" (200) when another circuit is open.

use super::{discover, guard, Gateway};
use crate::breaker::{Breakers, CircuitState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// A pending webhook older than this means the worker is not keeping up.
const STUCK_AFTER_MS: i64 = 60_000;

/// The route handler.
pub async fn health(State(gateway): State<Gateway>) -> (StatusCode, Json<Value>) {
    let services = gateway.services();
    let started = Instant::now();
    let backlog =
        tokio::time::timeout(Duration::from_secs(2), services.store.inbox_backlog()).await;
    let latency_ms = started.elapsed().as_millis() as u64;
    let breakers = &services.breakers;
    let database_circuit = breakers.get(guard::DATABASE).report();
    let mut database = json!({ "latency_ms": latency_ms, "recent": database_circuit });
    let mut unhealthy = database_circuit.circuit == CircuitState::Open;
    let webhooks = match backlog {
        Ok(Ok(b)) => {
            database["status"] = json!("up");
            let oldest_age_ms = b
                .oldest_pending_ms
                .map(|t| (crate::store::now_ms() - t).max(0));
            let stuck = oldest_age_ms.is_some_and(|age| age > STUCK_AFTER_MS);
            unhealthy |= stuck;
            json!({
                "status": if stuck { "stuck" } else { "ok" },
                "pending": b.pending,
                "oldest_pending_age_ms": oldest_age_ms,
                "failed": b.failed,
            })
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database failed");
            unhealthy = true;
            database["status"] = json!("down");
            database["error"] = json!("the database does not answer");
            Value::Null
        }
        Err(_) => {
            unhealthy = true;
            database["status"] = json!("down");
            database["error"] = json!("no answer within 2 s");
            Value::Null
        }
    };
    let (servers, servers_open) = servers(&gateway, breakers);
    let retell = breakers.get(crate::retell_api::RETELL_API).report();
    let retell_open = retell.circuit != CircuitState::Closed;
    let status = if unhealthy {
        "unhealthy"
    } else if servers_open || retell_open {
        "degraded"
    } else {
        "healthy"
    };
    let code = if unhealthy {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    (
        code,
        Json(json!({
            "status": status,
            "database": database,
            "webhooks": webhooks,
            "retell_api": { "status": circuit_status(retell.circuit), "recent": retell },
            "servers": servers,
            "methods": gateway.registry().iter().count(),
        })),
    )
}

/// Per server of the registry: status, method count and its breaker's report.
fn servers(gateway: &Gateway, breakers: &Breakers) -> (Value, bool) {
    let names: BTreeSet<&str> = gateway
        .registry()
        .iter()
        .map(|m| discover::server_of(m.name))
        .collect();
    let mut any_open = false;
    let mut out = Map::new();
    for name in names {
        let report = breakers.get(&guard::server_breaker(name)).report();
        any_open |= report.circuit != CircuitState::Closed;
        let methods = gateway
            .registry()
            .iter()
            .filter(|m| discover::server_of(m.name) == name)
            .count();
        out.insert(
            name.to_owned(),
            json!({ "status": circuit_status(report.circuit), "methods": methods, "recent": report }),
        );
    }
    (Value::Object(out), any_open)
}

fn circuit_status(state: CircuitState) -> &'static str {
    match state {
        CircuitState::Closed => "up",
        CircuitState::HalfOpen => "recovering",
        CircuitState::Open => "failing",
    }
}
