//! The test/dev-only settable clock: `--unsafe-test-clock --clock-at <RFC 3339>` (or
//! `SLOTLINE_UNSAFE_TEST_CLOCK=1 SLOTLINE_CLOCK_AT=…`) makes the server's clock stand at an
//! instant that `slotline simulate` moves per scenario through `POST /api/test/clock`.
//! Refused without the flag, refused on a non-loopback listen address, logged loudly at start
//! and on every change (see docs/decisions.md, "Simulator clock").

use crate::clock::Clock;
use crate::error::StartupError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;

/// Path of the route that sets a settable clock (mounted only for one).
pub const ROUTE: &str = "/api/test/clock";

/// The clock the options ask for: the system clock, or a settable one standing at `clock_at`.
pub fn resolve(
    clock_at: Option<&str>,
    unsafe_test_clock: bool,
    listen_addr: SocketAddr,
) -> Result<Clock, StartupError> {
    let clock_at = clock_at.map(str::trim).filter(|s| !s.is_empty());
    match (clock_at, unsafe_test_clock) {
        (None, false) => Ok(Clock::system()),
        (Some(_), false) => Err(StartupError::Config {
            name: "SLOTLINE_CLOCK_AT",
            reason: "setting the server's clock is for tests only; give --unsafe-test-clock \
                     (SLOTLINE_UNSAFE_TEST_CLOCK=1) too, never in production"
                .into(),
        }),
        (None, true) => Err(StartupError::Config {
            name: "SLOTLINE_UNSAFE_TEST_CLOCK",
            reason: "needs --clock-at <RFC 3339 instant> (SLOTLINE_CLOCK_AT), e.g. \
                     2027-03-01T08:00:00Z"
                .into(),
        }),
        (Some(at), true) => {
            let at: Timestamp = at.parse().map_err(|e| StartupError::Config {
                name: "SLOTLINE_CLOCK_AT",
                reason: format!(
                    "{at:?} is not an RFC 3339 instant like 2027-03-01T08:00:00Z ({e})"
                ),
            })?;
            if !listen_addr.ip().is_loopback() {
                return Err(StartupError::Config {
                    name: "SLOTLINE_UNSAFE_TEST_CLOCK",
                    reason: format!(
                        "a settable clock is only allowed on a loopback listen address, not \
                         {listen_addr}; it is for tests and local simulation"
                    ),
                });
            }
            tracing::warn!(
                at = %at,
                "UNSAFE TEST CLOCK: the server's clock stands at {at} and anyone reaching \
                 {listen_addr} may set it (POST {ROUTE}); never run this in production"
            );
            Ok(Clock::settable(at))
        }
    }
}

/// Body of `POST /api/test/clock`.
#[derive(Debug, Deserialize)]
pub struct SetClock {
    /// The instant to stand at (RFC 3339).
    pub at: String,
}

/// `POST /api/test/clock`: sets the settable clock; answers `{"now": …}`.
pub async fn set(State(clock): State<Clock>, body: Option<Json<SetClock>>) -> Response {
    let Some(Json(body)) = body else {
        return bad("send {\"at\": \"<RFC 3339 instant>\"} as application/json");
    };
    let at: Timestamp = match body.at.trim().parse() {
        Ok(at) => at,
        Err(e) => {
            return bad(&format!(
                "at: {:?} is not an RFC 3339 instant ({e})",
                body.at
            ))
        }
    };
    clock.set(at);
    tracing::warn!(at = %at, "UNSAFE TEST CLOCK set");
    Json(json!({ "now": clock.now().to_string() })).into_response()
}

/// `GET /api/test/clock`: where the clock stands.
pub async fn get(State(clock): State<Clock>) -> Json<serde_json::Value> {
    Json(json!({ "now": clock.now().to_string() }))
}

fn bad(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": "bad_request", "message": message })),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> SocketAddr {
        "127.0.0.1:3000".parse().unwrap()
    }

    #[test]
    fn without_options_the_clock_is_the_system_clock() {
        let clock = resolve(None, false, loopback()).unwrap();
        assert!(!clock.is_settable());
    }

    #[test]
    fn an_instant_without_the_unsafe_flag_is_refused() {
        let e = resolve(Some("2027-03-01T08:00:00Z"), false, loopback()).unwrap_err();
        assert!(e.to_string().contains("--unsafe-test-clock"), "{e}");
    }

    #[test]
    fn the_flag_needs_an_instant_of_rfc3339_form_and_a_loopback_address() {
        assert!(resolve(None, true, loopback()).is_err());
        let e = resolve(Some("tomorrow"), true, loopback()).unwrap_err();
        assert!(e.to_string().contains("RFC 3339"), "{e}");
        let public: SocketAddr = "0.0.0.0:3000".parse().unwrap();
        let e = resolve(Some("2027-03-01T08:00:00Z"), true, public).unwrap_err();
        assert!(e.to_string().contains("loopback"), "{e}");
        let clock = resolve(Some("2027-03-01T08:00:00Z"), true, loopback()).unwrap();
        assert!(clock.is_settable());
        assert_eq!(clock.now().to_string(), "2027-03-01T08:00:00Z");
    }
}
