//! The per-tenant function token: Retell sends it in a header of every custom-function call
//! (Slotline puts it into each tool's `headers` when it deploys), beside Retell's signature.
//! Only its SHA-256 is checked; after a rotation the previous one works for 24 hours more, so
//! calls in flight and an agent not yet redeployed keep working.

/// How long a rotated-out token is still accepted.
pub const GRACE_MS: i64 = 24 * 60 * 60 * 1000;

/// A fresh function token: `slf_` and 64 hex characters.
pub fn new_token() -> String {
    format!("slf_{}", crate::auth::new_token())
}

/// What a tenant's calls are checked against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FunctionTokens {
    /// Hash of the current token; `None`: the tenant has none and no header is required.
    pub current: Option<String>,
    /// Hash of the previous token.
    pub previous: Option<String>,
    /// Until when (UTC ms) the previous one is accepted.
    pub previous_until: Option<i64>,
}

impl FunctionTokens {
    /// Whether a call carrying `presented` (the header's value, if any) may pass at `now_ms`.
    pub fn accepts(&self, presented: Option<&str>, now_ms: i64) -> bool {
        let Some(current) = &self.current else {
            return true;
        };
        let Some(presented) = presented.map(str::trim).filter(|p| !p.is_empty()) else {
            return false;
        };
        let hash = crate::auth::token_hash(presented);
        if same(&hash, current) {
            return true;
        }
        match (&self.previous, self.previous_until) {
            (Some(prev), Some(until)) => now_ms < until && same(&hash, prev),
            _ => false,
        }
    }
}

/// Compares two hashes without an early exit.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::token_hash;

    #[test]
    fn no_token_means_no_check_and_a_token_must_match() {
        assert!(FunctionTokens::default().accepts(None, 0));
        let t = new_token();
        assert!(t.starts_with("slf_") && t.len() == 68);
        let tokens = FunctionTokens {
            current: Some(token_hash(&t)),
            ..Default::default()
        };
        assert!(tokens.accepts(Some(&t), 0));
        assert!(!tokens.accepts(None, 0));
        assert!(!tokens.accepts(Some("slf_wrong"), 0));
    }

    #[test]
    fn the_previous_token_works_until_its_grace_ends() {
        let tokens = FunctionTokens {
            current: Some(token_hash("new")),
            previous: Some(token_hash("old")),
            previous_until: Some(1_000),
        };
        assert!(tokens.accepts(Some("old"), 999));
        assert!(!tokens.accepts(Some("old"), 1_000));
        assert!(tokens.accepts(Some("new"), 5_000));
    }
}
