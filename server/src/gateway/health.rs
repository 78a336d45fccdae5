//! `GET /api/mcp/gateway/health`: database reachability and latency, webhook backlog and the
//! registry size. 200 when healthy, 503 when the database is down or webhooks are stuck.

use super::Gateway;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A pending webhook older than this means the worker is not keeping up.
const STUCK_AFTER_MS: i64 = 60_000;

/// The route handler.
pub async fn health(State(gateway): State<Gateway>) -> (StatusCode, Json<Value>) {
    let store = &gateway.services().store;
    let started = Instant::now();
    let backlog = tokio::time::timeout(Duration::from_secs(2), store.inbox_backlog()).await;
    let latency_ms = started.elapsed().as_millis() as u64;
    let methods = gateway.registry().iter().count();
    match backlog {
        Ok(Ok(b)) => {
            let oldest_age_ms = b
                .oldest_pending_ms
                .map(|t| (crate::store::now_ms() - t).max(0));
            let stuck = oldest_age_ms.is_some_and(|age| age > STUCK_AFTER_MS);
            let status = if stuck { "degraded" } else { "healthy" };
            let code = if stuck {
                StatusCode::SERVICE_UNAVAILABLE
            } else {
                StatusCode::OK
            };
            (
                code,
                Json(json!({
                    "status": status,
                    "database": { "status": "up", "latency_ms": latency_ms },
                    "webhooks": {
                        "status": if stuck { "stuck" } else { "ok" },
                        "pending": b.pending,
                        "oldest_pending_age_ms": oldest_age_ms,
                        "failed": b.failed,
                    },
                    "methods": methods,
                })),
            )
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database failed");
            down(latency_ms, methods, "the database does not answer")
        }
        Err(_) => down(latency_ms, methods, "no answer within 2 s"),
    }
}

fn down(latency_ms: u64, methods: usize, reason: &str) -> (StatusCode, Json<Value>) {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({
            "status": "unhealthy",
            "database": { "status": "down", "latency_ms": latency_ms, "error": reason },
            "methods": methods,
        })),
    )
}
