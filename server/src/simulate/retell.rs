//! Sends what Retell sends: custom-function calls (`{"name", "call", "args"}`) and webhooks
//! (`{"event", "call"}`), each signed `v=<ms>,d=<hex HMAC-SHA256(key, body + ms)>` with the
//! business's Retell API key, plus the function token header when the business has one.

use hmac::{Hmac, Mac};
use serde_json::{json, Map, Value};
use sha2::Sha256;

/// A call as Retell describes it in bodies.
#[derive(Debug, Clone)]
pub struct LiveCall {
    /// Retell's call id (unique per run).
    pub call_id: String,
    /// Agent id.
    pub agent_id: Option<String>,
    /// The caller.
    pub from: String,
    /// The number called.
    pub to: Option<String>,
    /// Start, ms since the epoch.
    pub start_ms: i64,
    /// What was said so far, as Retell's transcript lines.
    pub transcript: Vec<String>,
}

impl LiveCall {
    /// The `call` object at a moment of the call (`status`: registered, ongoing or ended).
    pub fn object(&self, status: &str, now_ms: i64) -> Value {
        let mut call = json!({
            "call_id": self.call_id,
            "call_type": "phone_call",
            "direction": "inbound",
            "from_number": self.from,
            "call_status": status,
            "start_timestamp": self.start_ms,
            "metadata": {},
            "retell_llm_dynamic_variables": {},
            "data_storage_setting": "everything",
        });
        if let Some(agent) = &self.agent_id {
            call["agent_id"] = json!(agent);
            call["agent_version"] = json!(1);
        }
        if let Some(to) = &self.to {
            call["to_number"] = json!(to);
        }
        if status == "ended" {
            call["end_timestamp"] = json!(now_ms);
            call["duration_ms"] = json!(now_ms - self.start_ms);
            call["disconnection_reason"] = json!("user_hangup");
            call["transcript"] = json!(self.transcript.join("\n"));
        }
        call
    }

    /// A custom-function body.
    pub fn function_body(&self, function: &str, args: &Map<String, Value>, now_ms: i64) -> Value {
        json!({ "name": function, "call": self.object("ongoing", now_ms), "args": args })
    }

    /// A webhook body.
    pub fn webhook_body(&self, event: &str, now_ms: i64) -> Value {
        let status = if event == "call_started" {
            "ongoing"
        } else {
            "ended"
        };
        let mut body = json!({ "event": event, "call": self.object(status, now_ms) });
        if event == "call_analyzed" {
            body["call"]["call_analysis"] = json!({
                "call_summary": "Simulated call.",
                "user_sentiment": "Neutral",
                "call_successful": true,
                "in_voicemail": false,
                "custom_analysis_data": {},
            });
        }
        body
    }
}

/// The signature header value for `body`, signed now (the server checks freshness against its
/// wall clock, not the simulated one).
pub fn sign(body: &[u8], key: &str, wall_ms: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(body);
    mac.update(wall_ms.to_string().as_bytes());
    format!("v={wall_ms},d={}", hex::encode(mac.finalize().into_bytes()))
}

/// A request sent and what came back.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// Method and path.
    pub target: String,
    /// The body sent.
    pub request: Value,
    /// HTTP status.
    pub status: u16,
    /// The reply (JSON, or the text as a string).
    pub reply: Value,
}

/// Sends signed requests to one Slotline.
#[derive(Clone)]
pub struct Sender {
    /// HTTP client.
    pub client: reqwest::Client,
    /// Base URL, without trailing slash.
    pub base: String,
    /// The business's Retell API key.
    pub key: String,
    /// The function token, when the business has one.
    pub function_token: Option<String>,
}

impl Sender {
    /// Posts a signed Retell body to `path`.
    pub async fn post(&self, path: &str, body: &Value) -> Result<Exchange, String> {
        let raw = body.to_string();
        let wall_ms = jiff::Timestamp::now().as_millisecond();
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .header(
                "x-retell-signature",
                sign(raw.as_bytes(), &self.key, wall_ms),
            )
            .body(raw);
        if path.contains("/functions/") {
            if let Some(token) = &self.function_token {
                req = req.header(app::contract::FUNCTION_TOKEN_HEADER, token);
            }
        }
        let res = req
            .send()
            .await
            .map_err(|e| format!("POST {}{path} failed: {e}", self.base))?;
        let status = res.status().as_u16();
        let text = res.text().await.map_err(|e| e.to_string())?;
        let reply = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok(Exchange {
            target: format!("POST {path}"),
            request: body.clone(),
            status,
            reply,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_have_retells_form_and_cover_body_and_time() {
        let a = sign(b"{}", "key_1", 1_764_061_200_000);
        assert!(a.starts_with("v=1764061200000,d="), "{a}");
        assert_eq!(a.len(), "v=1764061200000,d=".len() + 64);
        assert_ne!(a, sign(b"{} ", "key_1", 1_764_061_200_000));
        assert_ne!(a, sign(b"{}", "key_2", 1_764_061_200_000));
        assert_ne!(a, sign(b"{}", "key_1", 1_764_061_200_001));
    }

    #[test]
    fn an_ended_call_carries_its_end_duration_and_transcript() {
        let call = LiveCall {
            call_id: "call_x".into(),
            agent_id: Some("agent_x".into()),
            from: "+4915112345678".into(),
            to: Some("+493012345670".into()),
            start_ms: 1_000,
            transcript: vec!["User: Hallo".into()],
        };
        let ended = call.webhook_body("call_ended", 61_000);
        assert_eq!(ended["call"]["duration_ms"], 60_000);
        assert_eq!(ended["call"]["transcript"], "User: Hallo");
        let started = call.webhook_body("call_started", 1_000);
        assert_eq!(started["call"]["call_status"], "ongoing");
        assert!(started["call"].get("end_timestamp").is_none());
    }
}
