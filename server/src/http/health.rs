//! `/healthz` (the process answers) and `/readyz` (database reachable, migrations current).

use crate::store::Store;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

/// Liveness: always 200 while the process serves requests.
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

/// Readiness: 200 when the database answers and every shipped migration is applied, else 503.
pub async fn readyz(State(store): State<Store>) -> (StatusCode, Json<Value>) {
    match store.migration_state().await {
        Ok(m) if m.applied >= m.expected => (
            StatusCode::OK,
            Json(json!({ "status": "ready", "database": "ok", "migrations": m })),
        ),
        Ok(m) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({ "status": "not_ready", "database": "ok", "migrations": m,
                         "reason": "migrations pending: run `slotline migrate`" }),
            ),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "not_ready", "database": "unreachable",
                             "reason": "the database does not answer" })),
            )
        }
    }
}
