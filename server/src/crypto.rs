//! Encryption of stored secrets (Retell API keys, webhook secrets) with ChaCha20-Poly1305.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

/// Seals and opens secrets with the server's secret key; output is `hex(nonce || ciphertext)`.
#[derive(Clone)]
pub struct SecretBox {
    cipher: ChaCha20Poly1305,
}

/// A stored secret could not be decrypted (wrong key or tampered data).
#[derive(Debug, thiserror::Error)]
#[error("stored secret cannot be decrypted: was SLOTLINE_SECRET_KEY changed?")]
pub struct OpenError;

impl SecretBox {
    /// Creates a box from a 32-byte key.
    pub fn new(key: &[u8; 32]) -> Self {
        Self {
            cipher: ChaCha20Poly1305::new(Key::from_slice(key)),
        }
    }

    /// Encrypts a secret with a fresh random nonce.
    pub fn seal(&self, plaintext: &str) -> String {
        let nonce_bytes: [u8; 12] = rand::random();
        let ciphertext = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce_bytes), plaintext.as_bytes())
            .expect("ChaCha20-Poly1305 encryption of an in-memory buffer cannot fail");
        let mut out = nonce_bytes.to_vec();
        out.extend_from_slice(&ciphertext);
        hex::encode(out)
    }

    /// Decrypts a value produced by [`SecretBox::seal`].
    pub fn open(&self, sealed: &str) -> Result<String, OpenError> {
        let bytes = hex::decode(sealed).map_err(|_| OpenError)?;
        if bytes.len() < 12 {
            return Err(OpenError);
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), ciphertext)
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

    #[test]
    fn sealed_secret_round_trips_and_hides_plaintext() {
        let b = SecretBox::new(&[7; 32]);
        let sealed = b.seal("key_abc123");
        assert!(!sealed.contains("key_abc123"));
        assert_eq!(b.open(&sealed).unwrap(), "key_abc123");
        assert_ne!(b.seal("key_abc123"), sealed, "nonces must differ");
    }

    #[test]
    fn wrong_key_or_tampering_is_detected() {
        let sealed = SecretBox::new(&[7; 32]).seal("secret");
        assert!(SecretBox::new(&[8; 32]).open(&sealed).is_err());
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 1;
        tampered[last] = if tampered[last] == b'0' { b'1' } else { b'0' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert!(SecretBox::new(&[7; 32]).open(&tampered).is_err());
        assert!(SecretBox::new(&[7; 32]).open("zz").is_err());
    }

    #[test]
    fn mask_keeps_only_the_tail() {
        assert_eq!(mask("key_abcdef1234"), "…1234");
    }
}
