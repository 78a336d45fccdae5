//! The deploy plan: what Slotline wants in an agent and its Retell LLM, compared field by
//! field with what Retell has. Only Slotline's fields are touched: the agent's webhook URL and
//! events, Slotline's four tools in `general_tools` (by name; every other tool is handed back
//! exactly as it was, a disabled function's tool is removed), optionally `general_prompt` and
//! Slotline's entry in `mcps`. Fingerprints (per-field SHA-256 of what Retell holds after a
//! deploy, see [`super::drift`]) show later edits made in Retell.

use crate::retell_api::Agent;
use app::contract::{FieldChange, DEFAULT_WEBHOOK_EVENTS};
use serde_json::{json, Map, Value};

/// Name of Slotline's entry in an LLM's `mcps`.
pub const MCP_NAME: &str = "slotline";

/// Shown instead of the API token a dry run would create for the MCP entry.
pub const NEW_TOKEN_PLACEHOLDER: &str = "(a new API token, created when you apply)";

/// Tool fields Slotline sets; others Retell may add are left alone.
pub(super) const TOOL_KEYS: [&str; 14] = [
    "type",
    "name",
    "description",
    "url",
    "method",
    "parameters",
    "headers",
    "query_params",
    "timeout_ms",
    "max_retry",
    "speak_during_execution",
    "speak_after_execution",
    "execution_message_description",
    "args_at_root",
];

/// `mcps` entry fields Slotline sets.
pub(super) const MCP_KEYS: [&str; 5] = ["name", "url", "headers", "query_params", "timeout_ms"];

/// What Slotline wants in Retell for one agent.
#[derive(Debug, Clone)]
pub struct Desired {
    /// The agent's `webhook_url`.
    pub webhook_url: String,
    /// The agent's `webhook_events`.
    pub webhook_events: Vec<String>,
    /// Each function's tool, `None` when disabled (removed from the LLM).
    pub tools: Vec<(&'static str, Option<Value>)>,
    /// The `general_prompt`, when the deploy includes it.
    pub prompt: Option<String>,
    /// Slotline's `mcps` entry, when the deploy includes it.
    pub mcp: Option<Value>,
}

/// The changes and the PATCH bodies that make them.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Field-by-field changes (tokens masked).
    pub changes: Vec<FieldChange>,
    /// Body for update-agent, if the agent changes.
    pub agent_patch: Option<Value>,
    /// Body for update-retell-llm, if the LLM changes.
    pub llm_patch: Option<Value>,
}

/// Whether a value counts as "not set" (Retell may return defaults for fields we leave out).
fn empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

/// `v` restricted to `keys`, without "not set" values: the part Slotline manages.
pub(super) fn project(v: &Value, keys: &[&str]) -> Value {
    let mut out = Map::new();
    for k in keys {
        if let Some(x) = v.get(*k).filter(|x| !empty(Some(x))) {
            out.insert((*k).to_owned(), x.clone());
        }
    }
    Value::Object(out)
}

/// Whether `current` already holds `desired` (both projected to `keys`).
fn same_managed(current: Option<&Value>, desired: Option<&Value>, keys: &[&str]) -> bool {
    match (current, desired) {
        (None, None) => true,
        (Some(c), Some(d)) => project(c, keys) == project(d, keys),
        _ => false,
    }
}

/// The entry named `name` in a list of objects.
pub(super) fn by_name<'a>(list: &'a [Value], name: &str) -> Option<&'a Value> {
    list.iter()
        .find(|t| t.get("name").and_then(Value::as_str) == Some(name))
}

pub(super) fn list_of(llm: &Value, key: &str) -> Vec<Value> {
    llm.get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The agent's events as a sorted list (Retell's default when unset).
pub(super) fn events_of(agent: &Agent) -> Vec<String> {
    let mut e = agent
        .webhook_events
        .clone()
        .unwrap_or_else(|| DEFAULT_WEBHOOK_EVENTS.iter().map(|s| (*s).into()).collect());
    e.sort();
    e.dedup();
    e
}

/// Replaces header values by their masked form, so no token appears in a diff.
pub fn masked(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| {
                    let x = match (k.as_str(), x) {
                        ("headers", Value::Object(h)) => Value::Object(
                            h.iter()
                                .map(|(hk, hv)| {
                                    let shown = hv.as_str().map(|t| {
                                        if t.contains(NEW_TOKEN_PLACEHOLDER) {
                                            t.to_owned()
                                        } else {
                                            crate::crypto::mask(t)
                                        }
                                    });
                                    (hk.clone(), shown.map(Value::String).unwrap_or(Value::Null))
                                })
                                .collect(),
                        ),
                        _ => masked(x),
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(masked).collect()),
        other => other.clone(),
    }
}

fn change(field: String, before: Option<&Value>, after: Option<&Value>) -> FieldChange {
    FieldChange {
        field,
        before: before.map(masked),
        after: after.map(masked),
    }
}

/// Compares what Retell has (`agent`, its LLM if any) with `desired`.
pub fn plan(agent: &Agent, llm: Option<&Value>, desired: &Desired) -> Plan {
    let mut out = Plan::default();
    let mut agent_patch = Map::new();
    if agent.webhook_url.as_deref() != Some(desired.webhook_url.as_str()) {
        let before = agent.webhook_url.as_ref().map(|u| json!(u));
        out.changes.push(change(
            "agent.webhook_url".into(),
            before.as_ref(),
            Some(&json!(desired.webhook_url)),
        ));
        agent_patch.insert("webhook_url".into(), json!(desired.webhook_url));
    }
    let mut want_events = desired.webhook_events.clone();
    want_events.sort();
    if events_of(agent) != want_events {
        out.changes.push(change(
            "agent.webhook_events".into(),
            agent.webhook_events.as_ref().map(|e| json!(e)).as_ref(),
            Some(&json!(desired.webhook_events)),
        ));
        agent_patch.insert("webhook_events".into(), json!(desired.webhook_events));
    }
    if !agent_patch.is_empty() {
        out.agent_patch = Some(Value::Object(agent_patch));
    }
    let Some(llm) = llm else {
        return out;
    };
    let mut llm_patch = Map::new();
    let tools = list_of(llm, "general_tools");
    let mut tools_change = false;
    for (name, want) in &desired.tools {
        let have = by_name(&tools, name);
        if !same_managed(have, want.as_ref(), &TOOL_KEYS) {
            tools_change = true;
            out.changes.push(change(
                format!("llm.general_tools[{name}]"),
                have.map(|h| project(h, &TOOL_KEYS)).as_ref(),
                want.as_ref(),
            ));
        }
    }
    if tools_change {
        llm_patch.insert(
            "general_tools".into(),
            Value::Array(merge_tools(&tools, desired)),
        );
    }
    if let Some(prompt) = &desired.prompt {
        let have = llm.get("general_prompt").and_then(Value::as_str);
        if have != Some(prompt.as_str()) {
            out.changes.push(change(
                "llm.general_prompt".into(),
                have.map(|p| json!(p)).as_ref(),
                Some(&json!(prompt)),
            ));
            llm_patch.insert("general_prompt".into(), json!(prompt));
        }
    }
    if let Some(mcp) = &desired.mcp {
        let mcps = list_of(llm, "mcps");
        let have = by_name(&mcps, MCP_NAME);
        if !same_managed(have, Some(mcp), &MCP_KEYS) {
            out.changes.push(change(
                format!("llm.mcps[{MCP_NAME}]"),
                have.map(|h| project(h, &MCP_KEYS)).as_ref(),
                Some(mcp),
            ));
            let mut merged: Vec<Value> = Vec::new();
            let mut placed = false;
            for m in mcps {
                if m.get("name").and_then(Value::as_str) == Some(MCP_NAME) {
                    if !placed {
                        merged.push(mcp.clone());
                        placed = true;
                    }
                } else {
                    merged.push(m);
                }
            }
            if !placed {
                merged.push(mcp.clone());
            }
            llm_patch.insert("mcps".into(), Value::Array(merged));
        }
    }
    if !llm_patch.is_empty() {
        out.llm_patch = Some(Value::Object(llm_patch));
    }
    out
}

/// The LLM's tools with Slotline's four replaced in place (or appended), disabled ones
/// removed, and every other tool exactly as it was.
fn merge_tools(current: &[Value], desired: &Desired) -> Vec<Value> {
    let ours = |t: &Value| {
        t.get("name")
            .and_then(Value::as_str)
            .and_then(|n| desired.tools.iter().find(|(name, _)| *name == n))
    };
    let mut placed: Vec<&str> = Vec::new();
    let mut merged = Vec::new();
    for t in current {
        match ours(t) {
            Some((name, want)) => {
                if !placed.contains(name) {
                    placed.push(name);
                    if let Some(w) = want {
                        merged.push(w.clone());
                    }
                }
            }
            None => merged.push(t.clone()),
        }
    }
    for (name, want) in &desired.tools {
        if let (false, Some(w)) = (placed.contains(name), want) {
            merged.push(w.clone());
        }
    }
    merged
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn agent(url: Option<&str>) -> Agent {
        serde_json::from_value(json!({"agent_id": "a", "webhook_url": url,
            "response_engine": {"type": "retell-llm", "llm_id": "l"}}))
        .unwrap()
    }

    pub(crate) fn desired() -> Desired {
        let def = super::super::functions::default_for("check_availability");
        Desired {
            webhook_url: "https://x/api/webhooks/retell".into(),
            webhook_events: DEFAULT_WEBHOOK_EVENTS.iter().map(|s| (*s).into()).collect(),
            tools: vec![
                (
                    "check_availability",
                    Some(super::super::functions::tool(
                        "https://x",
                        "check_availability",
                        &def,
                        Some("slf_secret"),
                    )),
                ),
                ("cancel_appointment", None),
            ],
            prompt: None,
            mcp: None,
        }
    }

    #[test]
    fn a_plan_changes_only_ours_and_applying_it_leaves_nothing_to_do() {
        let foreign = json!({"type": "end_call", "name": "end_call", "description": "bye"});
        let old_cancel = json!({"type": "custom", "name": "cancel_appointment", "url": "u"});
        let llm = json!({"llm_id": "l", "general_tools": [foreign, old_cancel]});
        let d = desired();
        let p = plan(&agent(None), Some(&llm), &d);
        let fields: Vec<&str> = p.changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "agent.webhook_url",
                "llm.general_tools[check_availability]",
                "llm.general_tools[cancel_appointment]"
            ]
        );
        let text = serde_json::to_string(&p.changes).unwrap();
        assert!(!text.contains("slf_secret"), "tokens are masked: {text}");
        let tools = p.llm_patch.as_ref().unwrap()["general_tools"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(tools[0], foreign, "other tools untouched and in place");
        assert_eq!(tools.len(), 2);
        let after_llm = json!({"llm_id": "l", "general_tools": tools});
        let again = plan(&agent(Some(&d.webhook_url)), Some(&after_llm), &d);
        assert!(again.changes.is_empty(), "{:?}", again.changes);
        assert!(again.agent_patch.is_none() && again.llm_patch.is_none());
    }
}
