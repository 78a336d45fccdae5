//! Request ids: every request gets one (a caller's well-formed `x-request-id` is kept, else a
//! new one is made); it is in the logs of everything the request does, in the gateway's
//! per-call context, and echoed in the response's `x-request-id` header.

use axum::extract::Request;
use axum::http::HeaderValue;

/// The header carrying the id.
pub const HEADER: &str = "x-request-id";

tokio::task_local! {
    // The id as the header value it is echoed in: cloning it copies no bytes.
    static REQUEST_ID: HeaderValue;
}

/// The id of the request being served by this task, if any.
pub fn current() -> Option<String> {
    REQUEST_ID
        .try_with(|id| id.to_str().ok().map(str::to_owned))
        .ok()
        .flatten()
}

/// Runs `work` as the request `id` (its log lines name it).
pub async fn scope<F: std::future::Future>(id: HeaderValue, work: F) -> F::Output {
    REQUEST_ID.scope(id, work).await
}

/// A fresh id: 16 random hex digits.
pub fn generate() -> String {
    String::from_utf8_lossy(fresh().as_bytes()).into_owned()
}

/// A fresh id as a header value, written without an intermediate string.
fn fresh() -> HeaderValue {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let n = rand::random::<u64>();
    let mut digits = [0u8; 16];
    for (i, digit) in digits.iter_mut().enumerate() {
        *digit = HEX[((n >> (60 - 4 * i)) & 0xf) as usize];
    }
    HeaderValue::from_bytes(&digits).expect("hex digits are a valid header value")
}

/// Whether a caller's id is kept: short and plain (it goes into logs).
fn accepted(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && bytes
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// The id of `request`: the caller's, if acceptable, else a new one. The front door
/// (`crate::http::front`) runs the request in its [`scope`] and echoes it; no span: the log
/// formatter reads the id from the task (`crate::telemetry`).
pub fn of(request: &Request) -> HeaderValue {
    match request.headers().get(HEADER) {
        Some(value) if accepted(value) => value.clone(),
        _ => fresh(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_short_ids_are_kept() {
        assert!(accepted(&HeaderValue::from_static("abc-123_x.y")));
        assert!(!accepted(&HeaderValue::from_static("a b")));
        assert!(!accepted(&HeaderValue::from_str(&"x".repeat(65)).unwrap()));
        assert!(!accepted(&HeaderValue::from_static("")));
        assert_eq!(generate().len(), 16);
    }

    #[test]
    fn fresh_ids_are_sixteen_hex_digits_and_differ() {
        let (a, b) = (fresh(), fresh());
        assert_eq!(a.len(), 16);
        assert!(a.as_bytes().iter().all(u8::is_ascii_hexdigit));
        assert_ne!(a, b);
    }
}
