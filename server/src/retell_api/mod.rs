//! Client of Retell's REST API (base URL and paths configurable), behind the `retell_api`
//! circuit breaker. Every request has a timeout; 429 and 5xx answers and refused connections
//! are retried a bounded number of times with growing pauses (honouring `Retry-After` up to a
//! cap); a timeout is not retried, so no admin waits on a hanging Retell longer than one
//! timeout. Retell's refusals become sentences an admin understands. The API key is sent only
//! in the `Authorization` header and never appears in an error, a log line or a metric.

pub mod types;

use crate::breaker::{Breaker, Breakers, Refused};
use reqwest::Method;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
pub use types::{Agent, AgentSummary, RetellNumber};

/// Name of the Retell API's breaker.
pub const RETELL_API: &str = "retell_api";

/// Retell's REST paths, in one place (tests' fakes serve the same).
#[derive(Debug, Clone)]
pub struct Paths {
    /// `GET`: the account's agents.
    pub list_agents: String,
    /// `GET …/{agent_id}`.
    pub get_agent: String,
    /// `PATCH …/{agent_id}`.
    pub update_agent: String,
    /// `GET`: the account's phone numbers.
    pub list_phone_numbers: String,
    /// `GET …/{llm_id}`.
    pub get_retell_llm: String,
    /// `PATCH …/{llm_id}`.
    pub update_retell_llm: String,
}

impl Default for Paths {
    fn default() -> Self {
        Self {
            list_agents: "/list-agents".into(),
            get_agent: "/get-agent".into(),
            update_agent: "/update-agent".into(),
            list_phone_numbers: "/list-phone-numbers".into(),
            get_retell_llm: "/get-retell-llm".into(),
            update_retell_llm: "/update-retell-llm".into(),
        }
    }
}

/// Timeouts and retries of the client.
#[derive(Debug, Clone)]
pub struct ApiSettings {
    /// How long one request may take (`SLOTLINE_RETELL_API_TIMEOUT_MS`).
    pub timeout: Duration,
    /// Attempts per request for 429, 5xx and refused connections (at least 1).
    pub tries: u32,
    /// Pause before the second attempt; each later pause is four times longer.
    pub backoff: Duration,
    /// Longest `Retry-After` honoured.
    pub retry_after_cap: Duration,
    /// The REST paths.
    pub paths: Paths,
}

impl Default for ApiSettings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            tries: 3,
            backoff: Duration::from_millis(200),
            retry_after_cap: Duration::from_secs(2),
            paths: Paths::default(),
        }
    }
}

/// Why a Retell API request failed; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum RetellApiError {
    /// The breaker is open; nothing was sent.
    #[error("the Retell API is failing; its circuit breaker is open")]
    CircuitOpen(Refused),
    /// Retell refused the API key (401/403).
    #[error("Retell refused the API key (HTTP {0}); copy the key again from Retell's dashboard (Settings → API Keys) and paste all of it")]
    Unauthorized(u16),
    /// Retell does not know the object (404).
    #[error("Retell does not know {0}")]
    NotFound(String),
    /// Retell refused the request itself (another 4xx), with its reason.
    #[error("Retell refused the change (HTTP {status}): {reason}")]
    Rejected {
        /// HTTP status.
        status: u16,
        /// Retell's reason, shortened.
        reason: String,
    },
    /// Still 429 after every attempt.
    #[error("Retell is limiting the requests of this account (HTTP 429) even after {0} tries; wait a minute and try again")]
    RateLimited(u32),
    /// No answer within the timeout.
    #[error("Retell did not answer within {0} ms; try again in a moment")]
    Timeout(u128),
    /// Retell could not be reached at all.
    #[error("Retell's API could not be reached; check the server's internet access and SLOTLINE_RETELL_API_URL")]
    Unreachable,
    /// Retell failed (5xx) on every attempt, or answered something unreadable.
    #[error("Retell's API failed ({0}); try again later")]
    Failed(String),
}

impl RetellApiError {
    /// A short, secret-free reason for the breaker and health report; `None` when Retell
    /// answering "no" is not a failure of Retell. A 429 limits one business's account, not
    /// Retell: counting it would let one tenant open the breaker every tenant shares.
    fn breaker_reason(&self) -> Option<String> {
        match self {
            RetellApiError::Timeout(_) => Some("timeout".into()),
            RetellApiError::Unreachable => Some("could not connect".into()),
            RetellApiError::Failed(reason) => Some(reason.clone()),
            _ => None,
        }
    }

    /// A short reason for logs, for every kind of failure.
    fn log_reason(&self) -> String {
        match self {
            RetellApiError::RateLimited(_) => "HTTP 429".into(),
            other => other.breaker_reason().unwrap_or_default(),
        }
    }
}

/// The client.
#[derive(Clone)]
pub struct RetellApi {
    base: String,
    http: reqwest::Client,
    breaker: Arc<Breaker>,
    settings: Arc<ApiSettings>,
}

/// What one attempt came to: done, or worth another try after a pause.
enum Attempt {
    Done(Result<Value, RetellApiError>),
    Retry(RetellApiError, Option<Duration>),
}

impl RetellApi {
    /// A client of the API at `base` (no trailing slash) with default timeouts and retries.
    pub fn new(base: &str, breakers: &Breakers) -> Self {
        Self::with_settings(base, breakers, ApiSettings::default())
    }

    /// A client with these timeouts, retries and paths.
    pub fn with_settings(base: &str, breakers: &Breakers, settings: ApiSettings) -> Self {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .build()
            .unwrap_or_default();
        Self {
            base: base.trim_end_matches('/').to_owned(),
            http,
            breaker: breakers.get(RETELL_API),
            settings: Arc::new(settings),
        }
    }

    /// The paths in use.
    pub fn paths(&self) -> &Paths {
        &self.settings.paths
    }

    /// `GET /list-agents`: every agent of the account, once each (Retell lists versions).
    pub async fn list_agents(&self, key: &str) -> Result<Vec<AgentSummary>, RetellApiError> {
        let path = self.paths().list_agents.clone();
        let v = self
            .send(key, Method::GET, &path, None, "the agent list")
            .await?;
        let mut agents: Vec<AgentSummary> = types::items(v)?;
        agents.sort_by(|a, b| a.agent_id.cmp(&b.agent_id));
        agents.dedup_by(|a, b| a.agent_id == b.agent_id);
        Ok(agents)
    }

    /// `GET /get-agent/{agent_id}`.
    pub async fn get_agent(&self, key: &str, agent_id: &str) -> Result<Agent, RetellApiError> {
        let path = format!("{}/{}", self.paths().get_agent, segment(agent_id));
        let v = self
            .send(key, Method::GET, &path, None, &format!("agent {agent_id}"))
            .await?;
        types::parse(v)
    }

    /// `PATCH /update-agent/{agent_id}` with the fields to change.
    pub async fn update_agent(
        &self,
        key: &str,
        agent_id: &str,
        patch: &Value,
    ) -> Result<Agent, RetellApiError> {
        let path = format!("{}/{}", self.paths().update_agent, segment(agent_id));
        let what = format!("agent {agent_id}");
        let v = self
            .send(key, Method::PATCH, &path, Some(patch), &what)
            .await?;
        types::parse(v)
    }

    /// `GET /list-phone-numbers`.
    pub async fn list_phone_numbers(&self, key: &str) -> Result<Vec<RetellNumber>, RetellApiError> {
        let path = self.paths().list_phone_numbers.clone();
        let v = self
            .send(key, Method::GET, &path, None, "the phone number list")
            .await?;
        types::items(v)
    }

    /// `GET /get-retell-llm/{llm_id}`: the whole LLM object as Retell returns it.
    pub async fn get_llm(&self, key: &str, llm_id: &str) -> Result<Value, RetellApiError> {
        let path = format!("{}/{}", self.paths().get_retell_llm, segment(llm_id));
        self.send(
            key,
            Method::GET,
            &path,
            None,
            &format!("Retell LLM {llm_id}"),
        )
        .await
    }

    /// `PATCH /update-retell-llm/{llm_id}` with the fields to change.
    pub async fn update_llm(
        &self,
        key: &str,
        llm_id: &str,
        patch: &Value,
    ) -> Result<Value, RetellApiError> {
        let path = format!("{}/{}", self.paths().update_retell_llm, segment(llm_id));
        let what = format!("Retell LLM {llm_id}");
        self.send(key, Method::PATCH, &path, Some(patch), &what)
            .await
    }

    /// Sends one request with retries, behind the breaker (one breaker outcome per request).
    async fn send(
        &self,
        key: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
        what: &str,
    ) -> Result<Value, RetellApiError> {
        let permit = self.breaker.admit().map_err(RetellApiError::CircuitOpen)?;
        let url = format!("{}{path}", self.base);
        let tries = self.settings.tries.max(1);
        let mut pause = self.settings.backoff;
        let mut attempt = 1;
        let outcome = loop {
            match self.attempt(key, &method, &url, body, what).await {
                Attempt::Done(result) => break result,
                Attempt::Retry(e, _) if attempt >= tries => {
                    break Err(match e {
                        RetellApiError::RateLimited(_) => RetellApiError::RateLimited(tries),
                        other => other,
                    })
                }
                Attempt::Retry(e, retry_after) => {
                    let wait = retry_after
                        .map(|d| d.min(self.settings.retry_after_cap))
                        .unwrap_or(pause);
                    tracing::info!(path = %path_label(path), attempt, reason = %e.log_reason(), wait_ms = wait.as_millis() as u64, "Retell API: retrying");
                    tokio::time::sleep(wait).await;
                    pause *= 4;
                    attempt += 1;
                }
            }
        };
        let reason = outcome
            .as_ref()
            .err()
            .and_then(RetellApiError::breaker_reason);
        self.breaker
            .record(permit, reason.as_deref().map_or(Ok(()), Err));
        if let Err(e) = &outcome {
            tracing::warn!(path = %path_label(path), error = %e, "Retell API request failed");
        }
        outcome
    }

    /// One HTTP exchange.
    async fn attempt(
        &self,
        key: &str,
        method: &Method,
        url: &str,
        body: Option<&Value>,
        what: &str,
    ) -> Attempt {
        let mut req = self.http.request(method.clone(), url).bearer_auth(key);
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = match req.send().await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Attempt::Done(Err(RetellApiError::Timeout(
                    self.settings.timeout.as_millis(),
                )))
            }
            Err(_) => return Attempt::Retry(RetellApiError::Unreachable, None),
        };
        let status = res.status().as_u16();
        let retry_after = res
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        match status {
            200..=299 => Attempt::Done(match res.json::<Value>().await {
                Ok(v) => Ok(v),
                Err(e) if e.is_timeout() => {
                    Err(RetellApiError::Timeout(self.settings.timeout.as_millis()))
                }
                Err(_) => Err(RetellApiError::Failed("an unreadable answer".into())),
            }),
            401 | 403 => Attempt::Done(Err(RetellApiError::Unauthorized(status))),
            404 => Attempt::Done(Err(RetellApiError::NotFound(what.to_owned()))),
            429 => Attempt::Retry(RetellApiError::RateLimited(1), retry_after),
            500..=599 => Attempt::Retry(RetellApiError::Failed(format!("HTTP {status}")), None),
            _ => {
                let text = res.text().await.unwrap_or_default();
                Attempt::Done(Err(RetellApiError::Rejected {
                    status,
                    reason: reason_of(&text, key),
                }))
            }
        }
    }
}

/// Retell's own reason from an error body (`error_message`, `message` or the text), short,
/// one line, and never containing the key.
fn reason_of(text: &str, key: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(text).ok();
    let reason = parsed
        .as_ref()
        .and_then(|v| {
            ["error_message", "message", "error"]
                .iter()
                .find_map(|k| v.get(*k).and_then(Value::as_str))
        })
        .unwrap_or(text);
    let mut clean: String = reason
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(300)
        .collect();
    if !key.is_empty() {
        clean = clean.replace(key, &crate::crypto::mask(key));
    }
    if clean.trim().is_empty() {
        "no reason given".into()
    } else {
        clean.trim().to_owned()
    }
}

/// The path without ids, for logs (`/get-agent/…`).
fn path_label(path: &str) -> String {
    match path.rsplit_once('/') {
        Some((head, _)) if !head.is_empty() => format!("{head}/…"),
        _ => path.to_owned(),
    }
}

/// Percent-encodes a path segment (agent ids are plain, but never trust input).
fn segment(raw: &str) -> String {
    url::form_urlencoded::byte_serialize(raw.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_short_single_lines_without_the_key() {
        let body = r#"{"error_message":"bad tool key_secret_123\nname"}"#;
        let r = reason_of(body, "key_secret_123");
        assert!(!r.contains("key_secret_123"), "{r}");
        assert!(!r.contains('\n'));
        assert_eq!(reason_of("", "k"), "no reason given");
        assert_eq!(reason_of(&"x".repeat(500), "k").len(), 300);
    }

    #[test]
    fn logged_paths_hide_ids() {
        assert_eq!(path_label("/get-agent/agent_1"), "/get-agent/…");
        assert_eq!(path_label("/list-agents"), "/list-agents");
    }

    #[test]
    fn only_outages_count_against_the_breaker() {
        assert_eq!(
            RetellApiError::Failed("HTTP 500".into()).breaker_reason(),
            Some("HTTP 500".into())
        );
        assert_eq!(RetellApiError::Unauthorized(401).breaker_reason(), None);
        assert_eq!(RetellApiError::NotFound("x".into()).breaker_reason(), None);
        assert!(RetellApiError::Timeout(10).breaker_reason().is_some());
    }
}
