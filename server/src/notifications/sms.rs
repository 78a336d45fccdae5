//! Text messages behind one small trait, and the one real provider adapter: POST JSON
//! `{"to": "+49…", "text": "…"}` to the provider's URL with `Authorization: Bearer <token>`.

use std::time::Duration;

/// Sends a text message.
#[async_trait::async_trait]
pub trait SmsProvider: Send + Sync {
    /// Delivers `text` to `to` (E.164); the error says what failed.
    async fn send(&self, to: &str, text: &str) -> Result<(), String>;
}

/// A provider reached over HTTP.
pub struct HttpSms {
    client: reqwest::Client,
    url: String,
    token: String,
}

impl HttpSms {
    /// An adapter for `url` with a bearer `token`.
    pub fn new(client: reqwest::Client, url: &str, token: &str) -> Self {
        Self {
            client,
            url: url.to_owned(),
            token: token.to_owned(),
        }
    }
}

#[async_trait::async_trait]
impl SmsProvider for HttpSms {
    async fn send(&self, to: &str, text: &str) -> Result<(), String> {
        let res = self
            .client
            .post(&self.url)
            .bearer_auth(&self.token)
            .timeout(Duration::from_secs(15))
            .json(&serde_json::json!({ "to": to, "text": text }))
            .send()
            .await
            .map_err(|e| format!("SMS provider unreachable: {}", e.without_url()))?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(format!(
                "SMS provider answered HTTP {}",
                res.status().as_u16()
            ))
        }
    }
}
