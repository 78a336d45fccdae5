//! Messages to callers about their appointments: the outbox (written with each booking
//! change, see [`crate::store::outbox`]), rendering from templates, e-mail over SMTP, text
//! messages through one HTTP provider, opt-out links, and the worker that delivers.

pub mod ics;
pub mod mail;
pub mod optout;
pub mod sms;
pub mod templates;
pub mod worker;

use crate::crypto::SecretBox;
use crate::store::outbox::{OutboxRow, Snapshot};
use crate::store::{Store, StoreError};
use app::contract::{Language, NotificationKind, TemplatePreview};
use optout::OptOutKey;

/// What the worker and the gateway methods share.
#[derive(Clone)]
pub struct Notifier {
    /// Storage (and its clock).
    pub store: Store,
    /// Opens sealed SMTP passwords and SMS tokens.
    pub secrets: SecretBox,
    /// Signs opt-out links.
    pub optout: OptOutKey,
    /// Slotline's public base URL (for opt-out links).
    pub public_url: String,
    /// HTTP client for the SMS provider.
    pub http: reqwest::Client,
    /// This worker's name in claims.
    pub name: String,
}

impl Notifier {
    /// A notifier with a unique worker name.
    pub fn new(store: Store, secret_key: &[u8; 32], public_url: &str) -> Self {
        Self {
            store,
            secrets: SecretBox::new(secret_key),
            optout: OptOutKey::new(secret_key),
            public_url: public_url.trim_end_matches('/').to_owned(),
            http: reqwest::Client::new(),
            name: format!(
                "{}-{}",
                std::process::id(),
                hex::encode(rand::random::<[u8; 6]>())
            ),
        }
    }

    /// The opt-out link for a message's recipient.
    pub fn optout_url(&self, row: &OutboxRow) -> String {
        let token = self.optout.token(row.id);
        format!("{}/notifications/opt-out/{token}", self.public_url)
    }

    /// Subject, text and HTML of a message in its language, from the tenant's template (or
    /// the default).
    pub async fn render(
        &self,
        tenant_id: i64,
        kind: NotificationKind,
        language: Language,
        snapshot: &Snapshot,
        optout_url: Option<&str>,
    ) -> Result<TemplatePreview, StoreError> {
        let (subject, body) = match self
            .store
            .notification_template(tenant_id, kind, language)
            .await?
        {
            Some(t) => (t.subject, t.body),
            None => {
                let (s, b) = templates::default_template(kind, language);
                (s.to_owned(), b.to_owned())
            }
        };
        Ok(render_with(&subject, &body, language, snapshot, optout_url))
    }
}

/// Fills a template; the opt-out link goes under the text and into the HTML footer.
pub fn render_with(
    subject: &str,
    body: &str,
    language: Language,
    snapshot: &Snapshot,
    optout_url: Option<&str>,
) -> TemplatePreview {
    let values = templates::values(snapshot, language);
    let subject = templates::fill(subject, &values).replace(['\r', '\n'], " ");
    let mut text = templates::fill(body, &values);
    let label = match language {
        Language::De => "Keine Nachrichten mehr erhalten",
        Language::En => "Stop these messages",
    };
    if let Some(url) = optout_url {
        text.push_str(&format!("\n\n-- \n{label}: {url}\n"));
    }
    let html = templates::html_body(
        &templates::fill(body, &values),
        optout_url.map(|u| (label, u)),
    );
    TemplatePreview {
        subject,
        text,
        html,
    }
}

/// An address or number shortened for lists and logs (`e…@example.com`, `+49…89`).
pub fn mask(recipient: &str) -> String {
    if let Some((local, domain)) = recipient.split_once('@') {
        let first: String = local.chars().take(1).collect();
        return format!("{first}…@{domain}");
    }
    let chars: Vec<char> = recipient.chars().collect();
    if chars.len() <= 5 {
        return "…".into();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}…{tail}")
}

/// A sample appointment for template previews.
pub fn sample_snapshot(business: &str, time_zone: &str, now_ms: i64) -> Snapshot {
    // Tomorrow at 10:00 in the business's zone, 45 minutes.
    let tz = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let today = jiff::Timestamp::from_millisecond(now_ms)
        .unwrap_or_default()
        .to_zoned(tz.clone())
        .date();
    let start = today
        .tomorrow()
        .unwrap_or(today)
        .at(10, 0, 0, 0)
        .to_zoned(tz)
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(now_ms);
    Snapshot {
        starts_at: start,
        ends_at: start + 45 * 60_000,
        service: "Haarschnitt".into(),
        staff: "Anna".into(),
        customer: "Eva Muster".into(),
        business: business.into(),
        time_zone: time_zone.into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn masks_keep_only_a_hint() {
        assert_eq!(super::mask("eva.muster@example.com"), "e…@example.com");
        assert_eq!(super::mask("+4915112345689"), "+49…89");
    }
}
