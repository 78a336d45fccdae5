//! Drift: per-field SHA-256 hashes of the fields a deploy manages, taken from what Retell
//! holds right after the deploy (as Retell returns it, so its own normalisation never reads
//! as a change); a later difference means someone edited that field in Retell.

use super::deploy::{by_name, events_of, list_of, project, MCP_KEYS, MCP_NAME, TOOL_KEYS};
use crate::functions::FUNCTIONS;
use crate::retell_api::Agent;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// JSON with object keys sorted, for hashing.
fn canonical(v: &Value) -> String {
    fn sort(v: &Value) -> Value {
        match v {
            Value::Object(o) => {
                let sorted: BTreeMap<&String, Value> =
                    o.iter().map(|(k, x)| (k, sort(x))).collect();
                serde_json::to_value(sorted).unwrap_or(Value::Null)
            }
            Value::Array(a) => Value::Array(a.iter().map(sort).collect()),
            other => other.clone(),
        }
    }
    sort(v).to_string()
}

fn hash(v: Option<&Value>) -> String {
    match v {
        Some(v) => hex::encode(Sha256::digest(canonical(v).as_bytes())),
        None => "absent".into(),
    }
}

/// Per-field hashes of what Retell holds now, for the fields a deploy manages.
pub fn fingerprint(
    agent: &Agent,
    llm: Option<&Value>,
    prompt: bool,
    mcp: bool,
) -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    f.insert(
        "agent.webhook_url".into(),
        hash(agent.webhook_url.as_ref().map(|u| json!(u)).as_ref()),
    );
    f.insert(
        "agent.webhook_events".into(),
        hash(Some(&json!(events_of(agent)))),
    );
    if let Some(llm) = llm {
        let tools = list_of(llm, "general_tools");
        for name in FUNCTIONS {
            let projected = by_name(&tools, name).map(|t| project(t, &TOOL_KEYS));
            f.insert(
                format!("llm.general_tools[{name}]"),
                hash(projected.as_ref()),
            );
        }
        if prompt {
            f.insert("llm.general_prompt".into(), hash(llm.get("general_prompt")));
        }
        if mcp {
            let mcps = list_of(llm, "mcps");
            let projected = by_name(&mcps, MCP_NAME).map(|m| project(m, &MCP_KEYS));
            f.insert(format!("llm.mcps[{MCP_NAME}]"), hash(projected.as_ref()));
        }
    }
    f
}

/// The fields whose hash differs from the stored fingerprint (edited in Retell since).
pub fn drift(stored: &BTreeMap<String, String>, now: &BTreeMap<String, String>) -> Vec<String> {
    stored
        .iter()
        .filter(|(field, h)| now.get(*field) != Some(*h))
        .map(|(field, _)| field.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retell_setup::deploy::tests::desired;

    fn agent(url: Option<&str>) -> Agent {
        serde_json::from_value(json!({"agent_id": "a", "webhook_url": url})).unwrap()
    }

    #[test]
    fn fingerprints_show_which_field_was_edited() {
        let d = desired();
        let llm = json!({"general_tools": [d.tools[0].1.clone()]});
        let before = fingerprint(&agent(Some("u")), Some(&llm), false, false);
        let mut edited = llm.clone();
        edited["general_tools"][0]["description"] = json!("changed in Retell");
        let after = fingerprint(&agent(Some("u")), Some(&edited), false, false);
        assert_eq!(
            drift(&before, &after),
            ["llm.general_tools[check_availability]"]
        );
        assert!(drift(&before, &before).is_empty());
    }
}
