//! The operations token (`SLOTLINE_METRICS_TOKEN`): when set, `/metrics` needs it and the
//! gateway health shows its details only to it (or to a signed-in admin). Compared in constant
//! time and never printed.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Fewest characters accepted for the token (a short one could be guessed online).
pub const MIN_LEN: usize = 16;

/// Key of the HMAC that turns both tokens into equal-length tags before the constant-time
/// comparison (it hides nothing; it only makes lengths irrelevant).
const TAG_KEY: &[u8] = b"slotline operations token";

/// A configured operations token; its `Debug` output shows no part of it.
#[derive(Clone, PartialEq, Eq)]
pub struct OpsToken(String);

impl std::fmt::Debug for OpsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpsToken(<redacted>)")
    }
}

/// Why a configured token value is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpsTokenError {
    /// Fewer than [`MIN_LEN`] characters.
    #[error("must be at least {MIN_LEN} characters long (e.g. `openssl rand -hex 32`)")]
    TooShort,
    /// Spaces or characters a client cannot send in an `Authorization` header.
    #[error("may contain only visible ASCII characters (no spaces)")]
    NotPrintable,
}

impl OpsToken {
    /// Checks and wraps a token value (surrounding whitespace is dropped).
    pub fn new(value: &str) -> Result<Self, OpsTokenError> {
        let value = value.trim();
        if !value.chars().all(|c| c.is_ascii_graphic()) {
            return Err(OpsTokenError::NotPrintable);
        }
        if value.len() < MIN_LEN {
            return Err(OpsTokenError::TooShort);
        }
        Ok(Self(value.to_owned()))
    }

    /// Whether `presented` is this token, in time independent of where the two differ.
    pub fn matches(&self, presented: &str) -> bool {
        match (tagger(), tagger()) {
            (Ok(mut expected), Ok(mut given)) => {
                expected.update(self.0.as_bytes());
                given.update(presented.as_bytes());
                given
                    .verify_slice(&expected.finalize().into_bytes())
                    .is_ok()
            }
            _ => false,
        }
    }

    /// Whether the request carries `Authorization: Bearer <this token>`.
    pub fn presented_in(&self, headers: &HeaderMap) -> bool {
        crate::auth::bearer(headers).is_some_and(|token| self.matches(token))
    }
}

/// A fresh HMAC for [`OpsToken::matches`] (HMAC accepts keys of any length, so this is `Ok`).
fn tagger() -> Result<Hmac<Sha256>, hmac::digest::InvalidLength> {
    Hmac::<Sha256>::new_from_slice(TAG_KEY)
}

/// The 401 answer for a missing or wrong operations token.
pub fn unauthorized() -> Response {
    let body = serde_json::json!({
        "error": "unauthorized",
        "message": "send Authorization: Bearer <token> with the token configured in SLOTLINE_METRICS_TOKEN",
    });
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer")],
        Json(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_the_exact_token_matches() {
        let token = OpsToken::new("  metrics-token-0123456789 ").unwrap();
        assert!(token.matches("metrics-token-0123456789"));
        assert!(!token.matches("metrics-token-012345678"));
        assert!(!token.matches("metrics-token-01234567890"));
        assert!(!token.matches(""));
    }

    #[test]
    fn short_or_unprintable_tokens_are_refused() {
        assert_eq!(OpsToken::new("short"), Err(OpsTokenError::TooShort));
        assert_eq!(
            OpsToken::new("has a space in the middle"),
            Err(OpsTokenError::NotPrintable)
        );
    }

    #[test]
    fn the_bearer_header_is_read_and_debug_hides_the_token() {
        let token = OpsToken::new("metrics-token-0123456789").unwrap();
        let mut headers = HeaderMap::new();
        assert!(!token.presented_in(&headers));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer metrics-token-0123456789"),
        );
        assert!(token.presented_in(&headers));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic metrics-token-0123456789"),
        );
        assert!(!token.presented_in(&headers));
        assert!(!format!("{token:?}").contains("0123456789"));
    }
}
