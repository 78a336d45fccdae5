//! Opt-out links: a token that names the outbox message whose recipient opts out, signed
//! with a key derived from Slotline's secret key (HMAC-SHA256, 128 bits), so nobody can opt
//! out someone else.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Signs and checks opt-out tokens.
#[derive(Clone)]
pub struct OptOutKey([u8; 32]);

impl std::fmt::Debug for OptOutKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OptOutKey(…)")
    }
}

impl OptOutKey {
    /// Derives the opt-out key from the secret key (never the secret key itself).
    pub fn new(secret_key: &[u8; 32]) -> Self {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(secret_key).expect("HMAC accepts any key length");
        mac.update(b"slotline notifications opt-out v1");
        Self(mac.finalize().into_bytes().into())
    }

    fn mac(&self, body: &str) -> Hmac<Sha256> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC accepts any key length");
        mac.update(body.as_bytes());
        mac
    }

    /// The token for the recipient of an outbox message (it names the message, never the
    /// address, so links in logs give nothing away).
    pub fn token(&self, message_id: i64) -> String {
        let body = format!("m{message_id}");
        let sig = hex::encode(&self.mac(&body).finalize().into_bytes()[..16]);
        format!("{body}.{sig}")
    }

    /// The outbox message a token names, if its signature is valid.
    pub fn verify(&self, token: &str) -> Option<i64> {
        let (body, sig) = token.split_once('.')?;
        let sig = hex::decode(sig).ok().filter(|s| s.len() == 16)?;
        self.mac(body).verify_truncated_left(&sig).ok()?;
        body.strip_prefix('m')?.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_and_a_changed_one_does_not() {
        let key = OptOutKey::new(&[7; 32]);
        let t = key.token(31);
        assert_eq!(key.verify(&t), Some(31));
        assert_eq!(key.verify(&t.replacen("m31", "m32", 1)), None);
        assert_eq!(key.verify(&format!("{t}00")), None);
        assert_eq!(OptOutKey::new(&[8; 32]).verify(&t), None);
        assert_eq!(key.verify("garbage"), None);
    }
}
