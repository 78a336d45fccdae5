//! Encryption of stored secrets (Retell API keys, calendar-feed tokens) with ChaCha20-Poly1305,
//! each bound to its tenant: a sealed value copied into another tenant's row does not open.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

/// Prefix of values sealed with their tenant as associated data (the current format).
pub const V2_PREFIX: &str = "v2:";

/// Bytes of a ChaCha20-Poly1305 nonce.
const NONCE_LEN: usize = 12;

/// Seals and opens tenant secrets with the server's secret key.
///
/// Current values are `v2:hex(nonce || ciphertext)` with `slotline:tenant:<id>` as associated
/// data. Values without a prefix are legacy ones, sealed without associated data; they still
/// open (and are re-sealed at start-up, see [`crate::reseal`]).
#[derive(Clone)]
pub struct SecretBox {
    cipher: ChaCha20Poly1305,
}

/// A stored secret could not be decrypted (wrong key, tampered data or another tenant's value).
#[derive(Debug, thiserror::Error)]
#[error("stored secret cannot be decrypted: was SLOTLINE_SECRET_KEY changed, or does the value belong to another tenant?")]
pub struct OpenError;

/// The associated data that binds a sealed value to its tenant.
pub fn tenant_aad(tenant_id: i64) -> Vec<u8> {
    format!("slotline:tenant:{tenant_id}").into_bytes()
}

/// Whether a stored value predates tenant binding (sealed without associated data).
pub fn is_legacy(sealed: &str) -> bool {
    !sealed.starts_with(V2_PREFIX)
}

impl SecretBox {
    /// Creates a box from a 32-byte key.
    pub fn new(key: &[u8; 32]) -> Self {
        Self {
            cipher: ChaCha20Poly1305::new(Key::from_slice(key)),
        }
    }

    /// Encrypts a tenant's secret with a fresh random nonce, bound to the tenant (`v2:` format).
    pub fn seal_for(&self, tenant_id: i64, plaintext: &str) -> String {
        let aad = tenant_aad(tenant_id);
        format!("{V2_PREFIX}{}", self.seal_with(plaintext, &aad))
    }

    /// Decrypts a tenant's secret: only a `v2:` value sealed with this tenant's associated
    /// data. A legacy value (no prefix) is refused here: start-up re-seals those
    /// ([`crate::reseal`]), so one copied from an old backup into another tenant's row never
    /// opens.
    pub fn open_for(&self, tenant_id: i64, sealed: &str) -> Result<String, OpenError> {
        match sealed.strip_prefix(V2_PREFIX) {
            Some(current) => self.open_with(current, &tenant_aad(tenant_id)),
            None => Err(OpenError),
        }
    }

    /// Decrypts a value sealed before tenant binding (no prefix), for the start-up re-seal.
    pub fn open_legacy(&self, sealed: &str) -> Result<String, OpenError> {
        if !is_legacy(sealed) {
            return Err(OpenError);
        }
        self.open_with(sealed, b"")
    }

    /// `hex(nonce || ciphertext)` of `plaintext` authenticated together with `aad`.
    fn seal_with(&self, plaintext: &str, aad: &[u8]) -> String {
        let nonce_bytes: [u8; NONCE_LEN] = rand::random();
        let payload = Payload {
            msg: plaintext.as_bytes(),
            aad,
        };
        let ciphertext = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce_bytes), payload)
            .expect("ChaCha20-Poly1305 encryption of an in-memory buffer cannot fail");
        let mut out = nonce_bytes.to_vec();
        out.extend_from_slice(&ciphertext);
        hex::encode(out)
    }

    /// Opens `hex(nonce || ciphertext)` that was sealed together with `aad`.
    fn open_with(&self, sealed_hex: &str, aad: &[u8]) -> Result<String, OpenError> {
        let bytes = hex::decode(sealed_hex).map_err(|_| OpenError)?;
        if bytes.len() < NONCE_LEN {
            return Err(OpenError);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let payload = Payload {
            msg: ciphertext,
            aad,
        };
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), payload)
            .map_err(|_| OpenError)?;
        String::from_utf8(plain).map_err(|_| OpenError)
    }
}

/// Masks a secret for display: `key_…7f3a`.
pub fn mask(secret: &str) -> String {
    let tail: String = secret
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value in the pre-v2 format: `hex(nonce || ciphertext)` without associated data.
    fn legacy_seal(key: &[u8; 32], plaintext: &str) -> String {
        SecretBox::new(key).seal_with(plaintext, b"")
    }

    #[test]
    fn sealed_secret_round_trips_and_hides_plaintext() {
        let b = SecretBox::new(&[7; 32]);
        let sealed = b.seal_for(1, "key_abc123");
        assert!(sealed.starts_with("v2:"), "{sealed}");
        assert!(!sealed.contains("key_abc123"));
        assert_eq!(b.open_for(1, &sealed).unwrap(), "key_abc123");
        assert_ne!(b.seal_for(1, "key_abc123"), sealed, "nonces must differ");
        assert!(!is_legacy(&sealed));
    }

    #[test]
    fn another_tenants_associated_data_does_not_open() {
        let b = SecretBox::new(&[7; 32]);
        let sealed = b.seal_for(1, "key_of_tenant_one");
        assert!(b.open_for(2, &sealed).is_err());
        assert!(b.open_for(11, &sealed).is_err());
        assert!(b.open_for(-1, &sealed).is_err());
        // Stripping the prefix does not turn it into an openable legacy value either.
        let stripped = sealed.trim_start_matches(V2_PREFIX);
        assert!(b.open_for(1, stripped).is_err());
        assert!(b.open_for(2, stripped).is_err());
    }

    #[test]
    fn legacy_values_open_only_for_the_re_seal() {
        let sealed = legacy_seal(&[7; 32], "key_from_before");
        assert!(is_legacy(&sealed));
        let b = SecretBox::new(&[7; 32]);
        assert!(
            b.open_for(1, &sealed).is_err(),
            "never as any tenant's secret"
        );
        assert_eq!(b.open_legacy(&sealed).unwrap(), "key_from_before");
        assert!(SecretBox::new(&[8; 32]).open_legacy(&sealed).is_err());
        assert!(b.open_legacy(&b.seal_for(1, "x")).is_err());
    }

    #[test]
    fn wrong_key_or_tampering_is_detected() {
        let sealed = SecretBox::new(&[7; 32]).seal_for(3, "secret");
        assert!(SecretBox::new(&[8; 32]).open_for(3, &sealed).is_err());
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 1;
        tampered[last] = if tampered[last] == b'0' { b'1' } else { b'0' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert!(SecretBox::new(&[7; 32]).open_for(3, &tampered).is_err());
        assert!(SecretBox::new(&[7; 32]).open_for(3, "zz").is_err());
        assert!(SecretBox::new(&[7; 32]).open_for(3, "v2:zz").is_err());
        assert!(SecretBox::new(&[7; 32]).open_for(3, "v2:").is_err());
    }

    #[test]
    fn mask_keeps_only_the_tail() {
        assert_eq!(mask("key_abcdef1234"), "…1234");
    }
}
