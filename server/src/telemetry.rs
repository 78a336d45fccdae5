//! Tracing set-up, once per process (RUST_LOG, default `info`).

/// Installs the fmt subscriber; safe to call more than once.
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}

/// A phone number safe for logs and error messages: only the last three digits stay
/// (`+49151•••••678`-style, never the full number).
pub fn mask_phone(raw: &str) -> String {
    let digits: Vec<char> = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() <= 4 {
        return "•••".into();
    }
    let tail: String = digits[digits.len() - 3..].iter().collect();
    format!("•••{tail}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn phones_are_masked_to_their_last_digits() {
        assert_eq!(super::mask_phone("+49 151 12345678"), "•••678");
        assert_eq!(super::mask_phone("12"), "•••");
    }
}
