//! HTTP routes outside the Leptos app: liveness and readiness.

pub mod calendar;
pub mod health;
pub mod limit;
pub mod metrics;
