//! Client of Retell's REST API (base URL configurable), behind the `retell_api` circuit
//! breaker: timeouts, transport errors, 429 and 5xx count as failures; an open breaker
//! answers at once instead of letting an admin wait on a Retell outage.

use crate::breaker::{Breaker, Breakers, Refused};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

/// Name of the Retell API's breaker.
pub const RETELL_API: &str = "retell_api";

/// How long one Retell API request may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// An agent as Retell's `get-agent` returns it (the fields Slotline reads).
#[derive(Debug, Clone, Deserialize)]
pub struct Agent {
    /// Agent id.
    pub agent_id: String,
    /// Name shown in Retell's dashboard.
    #[serde(default)]
    pub agent_name: Option<String>,
    /// Where Retell sends this agent's call events.
    #[serde(default)]
    pub webhook_url: Option<String>,
}

/// Why a Retell API request failed.
#[derive(Debug, thiserror::Error)]
pub enum RetellApiError {
    /// The breaker is open; nothing was sent.
    #[error("the Retell API is failing; its circuit breaker is open")]
    CircuitOpen(Refused),
    /// Retell refused the API key (401/403).
    #[error("Retell refused the API key (HTTP {0}); store the key shown in Retell's dashboard")]
    Unauthorized(u16),
    /// Retell does not know the object (404).
    #[error("Retell does not know {0}")]
    NotFound(String),
    /// Retell failed or could not be reached.
    #[error("the Retell API failed: {0}")]
    Failed(String),
}

/// The client.
#[derive(Clone)]
pub struct RetellApi {
    base: String,
    http: reqwest::Client,
    breaker: Arc<Breaker>,
}

impl RetellApi {
    /// A client of the API at `base` (no trailing slash).
    pub fn new(base: &str, breakers: &Breakers) -> Self {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .unwrap_or_default();
        Self {
            base: base.trim_end_matches('/').to_owned(),
            http,
            breaker: breakers.get(RETELL_API),
        }
    }

    /// `GET /get-agent/{agent_id}`.
    pub async fn get_agent(&self, api_key: &str, agent_id: &str) -> Result<Agent, RetellApiError> {
        let url = format!("{}/get-agent/{}", self.base, urlencoding(agent_id));
        let permit = self.breaker.admit().map_err(RetellApiError::CircuitOpen)?;
        let result = self.http.get(url).bearer_auth(api_key).send().await;
        let outcome = match result {
            Err(e) if e.is_timeout() => Err(RetellApiError::Failed("no answer within 10 s".into())),
            Err(_) => Err(RetellApiError::Failed("could not connect".into())),
            Ok(r) => match r.status().as_u16() {
                200..=299 => r
                    .json::<Agent>()
                    .await
                    .map_err(|e| RetellApiError::Failed(format!("unreadable answer: {e}"))),
                code @ (401 | 403) => Err(RetellApiError::Unauthorized(code)),
                404 => Err(RetellApiError::NotFound(format!("agent {agent_id}"))),
                code => Err(RetellApiError::Failed(format!("HTTP {code}"))),
            },
        };
        // Retell answering "no" is not a Retell failure.
        let health = match &outcome {
            Err(RetellApiError::Failed(reason)) => Err(reason.as_str()),
            _ => Ok(()),
        };
        self.breaker.record(permit, health);
        outcome
    }
}

/// Percent-encodes a path segment (agent ids are plain, but never trust input).
fn urlencoding(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes()).collect()
}
