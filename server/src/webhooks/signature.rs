//! Retell's `x-retell-signature`: `v=<unix_ms>,d=<hex HMAC-SHA256(api_key, raw_body + unix_ms)>`.
//! Verified on the raw body bytes, constant-time, within a 5-minute window.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Largest accepted distance between the signature's timestamp and now.
pub const TOLERANCE_MS: i64 = 5 * 60 * 1000;

/// The one answer to every request that is not signed by a Retell account Slotline serves:
/// a missing, malformed, stale or wrong signature and an unknown agent or number all read
/// the same, so nobody can probe which businesses use Slotline.
pub const UNAUTHORIZED_MESSAGE: &str = "the request is not signed with the Retell API key of a business on this Slotline; check the agent's webhook and function URLs and the API key stored in Slotline";

/// Why a signature was refused (also the monitoring label).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No `x-retell-signature` header.
    #[error("the x-retell-signature header is missing")]
    Missing,
    /// The header is not `v=<digits>,d=<64 lowercase hex>`.
    #[error("the x-retell-signature header is malformed (expected v=<unix ms>,d=<64 hex>)")]
    Malformed,
    /// The timestamp is more than 5 minutes from now.
    #[error("the signature timestamp is more than 5 minutes off")]
    Stale,
    /// The digest does not match the body and key.
    #[error("the signature does not match the body")]
    Mismatch,
}

impl SignatureError {
    /// Stable label for counters.
    pub fn label(self) -> &'static str {
        match self {
            SignatureError::Missing => "missing_signature",
            SignatureError::Malformed => "malformed_signature",
            SignatureError::Stale => "stale_signature",
            SignatureError::Mismatch => "bad_signature",
        }
    }
}

/// A parsed signature header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Signing time, ms since epoch.
    pub timestamp_ms: i64,
    digest: [u8; 32],
}

/// Whether a request declares a JSON body (`application/json`, any parameters).
pub fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        })
}

impl Signature {
    /// Reads and parses the `x-retell-signature` header.
    pub fn from_headers(headers: &axum::http::HeaderMap) -> Result<Self, SignatureError> {
        let raw = headers
            .get("x-retell-signature")
            .ok_or(SignatureError::Missing)?
            .to_str()
            .map_err(|_| SignatureError::Malformed)?;
        Self::parse(raw)
    }

    /// Parses the header value exactly as Retell's SDK does (`v=(\d+),d=([0-9a-f]{64})`).
    pub fn parse(header: &str) -> Result<Self, SignatureError> {
        let rest = header.strip_prefix("v=").ok_or(SignatureError::Malformed)?;
        let (ts, digest_hex) = rest.split_once(",d=").ok_or(SignatureError::Malformed)?;
        if ts.is_empty() || !ts.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SignatureError::Malformed);
        }
        if digest_hex.len() != 64
            || !digest_hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(SignatureError::Malformed);
        }
        let timestamp_ms = ts.parse().map_err(|_| SignatureError::Malformed)?;
        let mut digest = [0u8; 32];
        hex::decode_to_slice(digest_hex, &mut digest).map_err(|_| SignatureError::Malformed)?;
        Ok(Self {
            timestamp_ms,
            digest,
        })
    }

    /// Checks freshness against `now_ms`, then the digest in constant time.
    pub fn verify(&self, body: &[u8], api_key: &str, now_ms: i64) -> Result<(), SignatureError> {
        if (now_ms - self.timestamp_ms).abs() > TOLERANCE_MS {
            return Err(SignatureError::Stale);
        }
        let mut mac = mac(api_key);
        mac.update(body);
        mac.update(self.timestamp_ms.to_string().as_bytes());
        mac.verify_slice(&self.digest)
            .map_err(|_| SignatureError::Mismatch)
    }
}

fn mac(api_key: &str) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(api_key.as_bytes()).expect("HMAC accepts keys of any length")
}

/// Produces a header value the way Retell does (used by tests, benchmarks and webhook tests).
pub fn sign(body: &[u8], api_key: &str, timestamp_ms: i64) -> String {
    let mut mac = mac(api_key);
    mac.update(body);
    mac.update(timestamp_ms.to_string().as_bytes());
    format!(
        "v={timestamp_ms},d={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Produced by retell-sdk 6.2.13: `symmetric["sign"]('{"event":"call_started"}',
    /// "key_test_vector", 1764061200000)`.
    const SDK_VECTOR: &str =
        "v=1764061200000,d=4b8e914f820ed035c4b7c9d462ac8d559912c075aacc52239f57ad11a8575166";
    const BODY: &[u8] = br#"{"event":"call_started"}"#;
    const NOW: i64 = 1_764_061_200_000;

    #[test]
    fn the_vendor_sdk_signature_verifies_and_ours_matches_it() {
        let sig = Signature::parse(SDK_VECTOR).unwrap();
        assert_eq!(sig.verify(BODY, "key_test_vector", NOW), Ok(()));
        assert_eq!(sign(BODY, "key_test_vector", NOW), SDK_VECTOR);
    }

    #[test]
    fn tampered_body_or_wrong_key_is_a_mismatch() {
        let sig = Signature::parse(SDK_VECTOR).unwrap();
        assert_eq!(
            sig.verify(br#"{"event":"call_ended"}"#, "key_test_vector", NOW),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            sig.verify(BODY, "key_other", NOW),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn five_minutes_is_the_limit_either_way() {
        let sig = Signature::parse(SDK_VECTOR).unwrap();
        assert!(sig
            .verify(BODY, "key_test_vector", NOW + TOLERANCE_MS)
            .is_ok());
        assert!(sig
            .verify(BODY, "key_test_vector", NOW - TOLERANCE_MS)
            .is_ok());
        assert_eq!(
            sig.verify(BODY, "key_test_vector", NOW + TOLERANCE_MS + 1),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            sig.verify(BODY, "key_test_vector", NOW - TOLERANCE_MS - 1),
            Err(SignatureError::Stale)
        );
    }

    #[test]
    fn malformed_headers_are_refused() {
        for bad in [
            "",
            "d=abc",
            "v=123",
            "v=abc,d=4b8e914f820ed035c4b7c9d462ac8d559912c075aacc52239f57ad11a8575166",
            "v=1,d=4B8E914F820ED035C4B7C9D462AC8D559912C075AACC52239F57AD11A8575166",
            "v=1,d=4b8e",
            "v=99999999999999999999999,d=4b8e914f820ed035c4b7c9d462ac8d559912c075aacc52239f57ad11a8575166",
        ] {
            assert_eq!(Signature::parse(bad), Err(SignatureError::Malformed), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_body_signed_by_us_verifies_and_any_flip_fails(body: Vec<u8>, flip: usize) {
            let header = sign(&body, "k", NOW);
            let sig = Signature::parse(&header).unwrap();
            proptest::prop_assert!(sig.verify(&body, "k", NOW).is_ok());
            if !body.is_empty() {
                let mut tampered = body.clone();
                let i = flip % tampered.len();
                tampered[i] ^= 0x01;
                proptest::prop_assert_eq!(sig.verify(&tampered, "k", NOW), Err(SignatureError::Mismatch));
            }
        }
    }
}
