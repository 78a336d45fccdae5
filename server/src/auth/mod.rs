//! Admin authentication: argon2id password hashes and opaque session tokens.

pub mod hashing;

/// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), if any.
pub fn bearer(headers: &http::HeaderMap) -> Option<&str> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    (!token.is_empty()).then_some(token)
}

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use sha2::{Digest, Sha256};

/// Lifetime of an admin session.
pub const SESSION_TTL_SECS: i64 = 12 * 60 * 60;

/// Minimum password length accepted for admins.
pub const MIN_PASSWORD_LEN: usize = 10;

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Checks a password against a stored PHC hash; false for a malformed hash.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A fresh random session token (64 hex characters) for the cookie.
pub fn new_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// A fresh API token for external clients: `slt_` and 64 hex characters.
pub fn new_api_token() -> String {
    format!("slt_{}", new_token())
}

/// An API token's label, trimmed, if it has 1 to 80 characters.
pub fn api_token_name(name: &str) -> Option<&str> {
    let name = name.trim();
    (!name.is_empty() && name.chars().count() <= 80).then_some(name)
}

/// The longest life an API token can be given, in days (ten years).
pub const MAX_API_TOKEN_DAYS: u32 = 3650;

/// When (UTC ms) a token made at `now_ms` that lives `days` days expires, if `days` is
/// 1 to [`MAX_API_TOKEN_DAYS`].
pub fn api_token_expiry(days: u32, now_ms: i64) -> Option<i64> {
    const DAY_MS: i64 = 24 * 60 * 60 * 1000;
    if (1..=MAX_API_TOKEN_DAYS).contains(&days) {
        Some(now_ms.saturating_add(i64::from(days) * DAY_MS))
    } else {
        None
    }
}

/// What is stored for a token: its SHA-256 in hex.
pub fn token_hash(token: &str) -> String {
    // Into a buffer: `hex::encode` builds its string a character at a time, and this runs on
    // every authenticated call.
    let mut text = [0u8; 64];
    let digest = Sha256::digest(token.as_bytes());
    match hex::encode_to_slice(digest, &mut text) {
        Ok(()) => String::from_utf8_lossy(&text).into_owned(),
        Err(_) => hex::encode(digest),
    }
}

/// A random password for generated accounts (demo admin).
pub fn random_password() -> String {
    use rand::distributions::{Alphanumeric, DistString};
    Alphanumeric.sample_string(&mut rand::thread_rng(), 16)
}

/// Normalises an e-mail for lookup; `None` if it cannot be an address.
pub fn normalize_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    if local.is_empty() || !domain.contains('.') || domain.starts_with('.') || email.contains(' ') {
        return None;
    }
    Some(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hash_verifies_only_the_right_password() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token();
        assert_ne!(a, new_token());
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        // Lower-case hex SHA-256, as every stored token hash was written.
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn token_expiry_is_whole_days_within_ten_years() {
        assert_eq!(api_token_expiry(1, 1_000), Some(1_000 + 86_400_000));
        assert!(api_token_expiry(MAX_API_TOKEN_DAYS, 0).is_some());
        assert_eq!(api_token_expiry(0, 0), None);
        assert_eq!(api_token_expiry(MAX_API_TOKEN_DAYS + 1, 0), None);
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            normalize_email(" Anna@Example.DE ").as_deref(),
            Some("anna@example.de")
        );
        assert_eq!(normalize_email("nope"), None);
        assert_eq!(normalize_email("a@b"), None);
    }
}
