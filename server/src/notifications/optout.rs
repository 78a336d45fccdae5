//! Opt-out links: a token that names the tenant, channel and recipient, signed with a key
//! derived from Slotline's secret key (HMAC-SHA256), so nobody can opt out someone else.

use app::contract::Channel;
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

/// What a valid token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptOut {
    /// Tenant.
    pub tenant_id: i64,
    /// Channel.
    pub channel: Channel,
    /// Recipient address or number.
    pub recipient: String,
}

impl OptOutKey {
    /// Derives the opt-out key from the secret key (never the secret key itself).
    pub fn new(secret_key: &[u8; 32]) -> Self {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret_key)
            .expect("HMAC accepts any key length");
        mac.update(b"slotline notifications opt-out v1");
        Self(mac.finalize().into_bytes().into())
    }

    fn mac(&self, body: &str) -> Hmac<Sha256> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC accepts any key length");
        mac.update(body.as_bytes());
        mac
    }

    /// The token for a recipient.
    pub fn token(&self, o: &OptOut) -> String {
        let body = format!(
            "{}.{}.{}",
            o.tenant_id,
            o.channel.as_str(),
            hex::encode(o.recipient.to_lowercase())
        );
        let sig = hex::encode(self.mac(&body).finalize().into_bytes());
        format!("{body}.{sig}")
    }

    /// What a token names, if its signature is valid.
    pub fn verify(&self, token: &str) -> Option<OptOut> {
        let (body, sig) = token.rsplit_once('.')?;
        let sig = hex::decode(sig).ok()?;
        self.mac(body).verify_slice(&sig).ok()?;
        let mut parts = body.split('.');
        let tenant_id = parts.next()?.parse().ok()?;
        let channel = Channel::parse(parts.next()?)?;
        let recipient = String::from_utf8(hex::decode(parts.next()?).ok()?).ok()?;
        if parts.next().is_some() {
            return None;
        }
        Some(OptOut {
            tenant_id,
            channel,
            recipient,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_and_a_changed_one_does_not() {
        let key = OptOutKey::new(&[7; 32]);
        let o = OptOut {
            tenant_id: 3,
            channel: Channel::Email,
            recipient: "eva@example.com".into(),
        };
        let t = key.token(&o);
        assert_eq!(key.verify(&t), Some(o));
        let forged = t.replacen("3.", "4.", 1);
        assert_eq!(key.verify(&forged), None);
        assert_eq!(OptOutKey::new(&[8; 32]).verify(&t), None);
        assert_eq!(key.verify("garbage"), None);
    }
}
