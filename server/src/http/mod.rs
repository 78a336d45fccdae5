//! HTTP routes outside the Leptos app: liveness and readiness.

pub mod health;
pub mod metrics;
