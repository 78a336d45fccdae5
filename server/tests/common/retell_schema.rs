//! Retell's schema for what a deploy sends (docs/retell.md): custom tools in an LLM's
//! `general_tools` and entries of its `mcps`. The fake Retell API refuses and records every
//! payload that breaks it.

use serde_json::Value;

/// Retell's custom tool schema (docs/retell.md): every problem of one tool.
pub fn check_custom_tool(t: &Value) -> Vec<String> {
    let mut p = Vec::new();
    let name = t["name"].as_str().unwrap_or_default();
    let ok_name = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !ok_name {
        p.push(format!(
            "tool name {name:?} must be 1-64 of a-z A-Z 0-9 _ -"
        ));
    }
    let known = [
        "type",
        "name",
        "url",
        "description",
        "parameters",
        "method",
        "headers",
        "query_params",
        "args_at_root",
        "timeout_ms",
        "max_retry",
        "speak_during_execution",
        "speak_after_execution",
        "execution_message_description",
        "response_variables",
    ];
    for k in t.as_object().into_iter().flatten().map(|(k, _)| k) {
        if !known.contains(&k.as_str()) {
            p.push(format!("{name}: unknown field {k}"));
        }
    }
    match t["url"].as_str().map(url::Url::parse) {
        Some(Ok(u)) if matches!(u.scheme(), "http" | "https") => {}
        _ => p.push(format!("{name}: url must be an http(s) URL")),
    }
    if t["description"]
        .as_str()
        .is_none_or(|d| d.trim().is_empty())
    {
        p.push(format!("{name}: description is required"));
    }
    let params = &t["parameters"];
    if !params.is_null() && (params["type"] != "object" || !params["properties"].is_object()) {
        p.push(format!(
            "{name}: parameters must be an object schema with properties"
        ));
    }
    if let Some(m) = t.get("method") {
        if !["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&m.as_str().unwrap_or("")) {
            p.push(format!("{name}: method {m} is not allowed"));
        }
    }
    for k in ["headers", "query_params", "response_variables"] {
        if let Some(h) = t.get(k) {
            let ok = h
                .as_object()
                .is_some_and(|o| o.values().all(Value::is_string));
            if !ok {
                p.push(format!("{name}: {k} must map names to strings"));
            }
        }
    }
    if let Some(ms) = t.get("timeout_ms") {
        if !ms.as_u64().is_some_and(|v| (1_000..=600_000).contains(&v)) {
            p.push(format!("{name}: timeout_ms must be 1000-600000"));
        }
    }
    if let Some(r) = t.get("max_retry") {
        if r.as_u64().is_none_or(|v| v > 5) {
            p.push(format!("{name}: max_retry must be 0-5"));
        }
    }
    for k in [
        "args_at_root",
        "speak_during_execution",
        "speak_after_execution",
    ] {
        if t.get(k).is_some_and(|v| !v.is_boolean()) {
            p.push(format!("{name}: {k} must be true or false"));
        }
    }
    if t.get("execution_message_description")
        .is_some_and(|v| !v.is_string())
    {
        p.push(format!(
            "{name}: execution_message_description must be text"
        ));
    }
    p
}

/// Retell's `mcps` entry: name and url required, headers and query params map to strings.
pub fn check_mcp(m: &Value) -> Vec<String> {
    let mut p = Vec::new();
    if m["name"].as_str().is_none_or(str::is_empty) {
        p.push("mcps: name is required".into());
    }
    if m["url"]
        .as_str()
        .is_none_or(|u| url::Url::parse(u).is_err())
    {
        p.push("mcps: url must be a URL".into());
    }
    for k in ["headers", "query_params"] {
        if let Some(h) = m.get(k) {
            if !h
                .as_object()
                .is_some_and(|o| o.values().all(Value::is_string))
            {
                p.push(format!("mcps: {k} must map names to strings"));
            }
        }
    }
    if let Some(ms) = m.get("timeout_ms") {
        if !ms.is_u64() {
            p.push("mcps: timeout_ms must be a number".into());
        }
    }
    p
}
