//! `/metrics`: Prometheus text exposition.

use crate::webhooks::Webhooks;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

/// Renders every counter Slotline keeps.
pub async fn metrics(State(hooks): State<Webhooks>) -> impl IntoResponse {
    let mut out = String::new();
    hooks.stats.render_prometheus(&mut out);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out)
}
