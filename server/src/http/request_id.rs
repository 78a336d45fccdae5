//! Request ids: every request gets one (a caller's well-formed `x-request-id` is kept, else a
//! new one is made); it is in the logs of everything the request does, in the gateway's
//! per-call context, and echoed in the response's `x-request-id` header.

use axum::extract::Request;
use axum::http::HeaderValue;

/// The header carrying the id.
pub const HEADER: &str = "x-request-id";

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being served by this task, if any.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Runs `work` as the request `id` (its log lines name it).
pub async fn scope<F: std::future::Future>(id: String, work: F) -> F::Output {
    REQUEST_ID.scope(id, work).await
}

/// A fresh id: 16 random hex digits.
pub fn generate() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// Keeps a caller's id only when it is short and plain (it goes into logs).
fn accepted(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    let plain = !text.is_empty()
        && text.len() <= 64
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    plain.then(|| text.to_owned())
}

/// The id of `request`: the caller's, if acceptable, else a new one. The front door
/// (`crate::http::front`) runs the request in its [`scope`] and echoes it; no span: the log
/// formatter reads the id from the task (`crate::telemetry`).
pub fn of(request: &Request) -> String {
    request
        .headers()
        .get(HEADER)
        .and_then(accepted)
        .unwrap_or_else(generate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_short_ids_are_kept() {
        assert_eq!(
            accepted(&HeaderValue::from_static("abc-123_x.y")).as_deref(),
            Some("abc-123_x.y")
        );
        assert_eq!(accepted(&HeaderValue::from_static("a b")), None);
        assert_eq!(
            accepted(&HeaderValue::from_str(&"x".repeat(65)).unwrap()),
            None
        );
        assert_eq!(generate().len(), 16);
    }
}
