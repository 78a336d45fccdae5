//! The parts of Retell's objects Slotline reads. Unknown fields are ignored; a Retell LLM is
//! kept as raw JSON, because a deploy must hand every field it does not manage back untouched.

use super::RetellApiError;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

/// An agent as `list-agents` returns it.
#[derive(Debug, Clone, Deserialize)]
pub struct AgentSummary {
    /// Agent id.
    pub agent_id: String,
    /// Name shown in Retell's dashboard.
    #[serde(default)]
    pub agent_name: Option<String>,
}

/// An agent as `get-agent` / `update-agent` return it (the fields Slotline reads).
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
    /// Which events it sends (Retell's default when absent).
    #[serde(default)]
    pub webhook_events: Option<Vec<String>>,
    /// What answers the caller: `{"type": "retell-llm", "llm_id": …}` or another engine.
    #[serde(default)]
    pub response_engine: Option<Value>,
}

impl Agent {
    /// The id of the Retell LLM this agent uses, if its engine is a Retell LLM.
    pub fn llm_id(&self) -> Option<&str> {
        let engine = self.response_engine.as_ref()?;
        match engine.get("type").and_then(Value::as_str) {
            Some("retell-llm") | None => engine.get("llm_id").and_then(Value::as_str),
            Some(_) => None,
        }
    }

    /// The engine's type (`retell-llm`, `custom-llm`, `conversation-flow`), if stated.
    pub fn engine_type(&self) -> Option<&str> {
        self.response_engine.as_ref()?.get("type")?.as_str()
    }
}

/// One weighted agent of a number (`inbound_agents`).
#[derive(Debug, Clone, Deserialize)]
pub struct WeightedAgent {
    /// Agent id.
    pub agent_id: String,
}

/// A phone number of the account (`list-phone-numbers`).
#[derive(Debug, Clone, Deserialize)]
pub struct RetellNumber {
    /// E.164 number.
    pub phone_number: String,
    /// Nickname.
    #[serde(default)]
    pub nickname: Option<String>,
    /// The agent answering inbound calls (older API form).
    #[serde(default)]
    pub inbound_agent_id: Option<String>,
    /// The agents answering inbound calls (current API form).
    #[serde(default)]
    pub inbound_agents: Option<Vec<WeightedAgent>>,
}

impl RetellNumber {
    /// The agent answering inbound calls, in either form.
    pub fn inbound_agent(&self) -> Option<&str> {
        self.inbound_agent_id.as_deref().or_else(|| {
            self.inbound_agents
                .as_ref()?
                .first()
                .map(|a| a.agent_id.as_str())
        })
    }
}

/// Decodes an answer into `T`.
pub(super) fn parse<T: DeserializeOwned>(v: Value) -> Result<T, RetellApiError> {
    serde_json::from_value(v)
        .map_err(|_| RetellApiError::Failed("an answer of an unexpected shape".into()))
}

/// Decodes a list answer: a plain array, or `{"items": [...]}` (Retell's paginated form).
/// Entries that do not decode are skipped.
pub(super) fn items<T: DeserializeOwned>(v: Value) -> Result<Vec<T>, RetellApiError> {
    let list = match v {
        Value::Array(a) => a,
        Value::Object(mut o) => match o.remove("items") {
            Some(Value::Array(a)) => a,
            _ => {
                return Err(RetellApiError::Failed(
                    "a list of an unexpected shape".into(),
                ))
            }
        },
        _ => {
            return Err(RetellApiError::Failed(
                "a list of an unexpected shape".into(),
            ))
        }
    };
    Ok(list
        .into_iter()
        .filter_map(|item| serde_json::from_value(item).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_come_plain_or_paginated() {
        let plain: Vec<AgentSummary> = items(json!([{"agent_id": "a"}, {"x": 1}])).unwrap();
        assert_eq!(plain.len(), 1);
        let paged: Vec<AgentSummary> =
            items(json!({"items": [{"agent_id": "a"}, {"agent_id": "b"}], "has_more": false}))
                .unwrap();
        assert_eq!(paged.len(), 2);
        assert!(items::<AgentSummary>(json!("no")).is_err());
    }

    #[test]
    fn engines_and_inbound_agents_are_read_in_both_forms() {
        let agent: Agent = parse(json!({"agent_id": "a",
            "response_engine": {"type": "retell-llm", "llm_id": "llm_1"}}))
        .unwrap();
        assert_eq!(agent.llm_id(), Some("llm_1"));
        let flow: Agent = parse(json!({"agent_id": "a",
            "response_engine": {"type": "conversation-flow", "conversation_flow_id": "f"}}))
        .unwrap();
        assert_eq!(flow.llm_id(), None);
        assert_eq!(flow.engine_type(), Some("conversation-flow"));
        let old: RetellNumber =
            parse(json!({"phone_number": "+1", "inbound_agent_id": "a"})).unwrap();
        assert_eq!(old.inbound_agent(), Some("a"));
        let new: RetellNumber = parse(json!({"phone_number": "+1",
            "inbound_agents": [{"agent_id": "b", "weight": 1.0}]}))
        .unwrap();
        assert_eq!(new.inbound_agent(), Some("b"));
    }
}
