//! The four custom functions as Retell tools: Slotline's defaults (descriptions and argument
//! schemas matching what `functions::args` reads), the tenant's stored edits, their validation,
//! and the `general_tools` entry each becomes.

use crate::functions::FUNCTIONS;
use app::contract::FUNCTION_TOKEN_HEADER;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// One function's settings, as stored (every field, once the tenant edited it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    /// Deployed and answered.
    pub enabled: bool,
    /// What it does and when to call it.
    pub description: String,
    /// JSON Schema of the arguments.
    pub parameters: Value,
    /// Speak while it runs.
    pub speak_during_execution: bool,
    /// What to say meanwhile (a prompt for the agent).
    pub execution_message: String,
    /// Retell's timeout, ms.
    pub timeout_ms: u32,
    /// Retell's retries.
    pub max_retry: u8,
}

/// A refused edit: the field and a sentence saying what to send.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    /// The parameter at fault.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

fn invalid(field: &'static str, message: impl Into<String>) -> Invalid {
    Invalid {
        field,
        message: message.into(),
    }
}

fn text(description: &str) -> Value {
    json!({ "type": "string", "description": description })
}

const DATE: &str = "The wished day in the caller's words or as YYYY-MM-DD, e.g. \"morgen\", \
    \"nächsten Dienstag\", \"next Friday\", \"2027-03-10\". Leave empty when no day was said.";
const TIME: &str = "The wished time in the caller's words or as HH:MM, e.g. \"halb drei\", \
    \"vormittags\", \"14:30\". Leave empty when no time was said.";
const SERVICE: &str = "The service the caller wants, as they said it (one of the business's \
    services, e.g. \"Damenhaarschnitt\").";
const STAFF: &str = "A staff member the caller asked for by name; leave empty for anyone.";
const APPOINTMENT_ID: &str = "Only when the caller has several appointments: the id of the one \
    they mean, from an earlier answer.";

/// Slotline's default for `name` (one of [`FUNCTIONS`]).
pub fn default_for(name: &str) -> Definition {
    let (description, parameters, message) = match name {
        "check_availability" => (
            "Checks which times are free for a service. Call it whenever the caller asks for an \
             appointment or a time, before you propose or confirm any time. The answer says \
             whether the wished time is free (`available`), offers alternatives (`slots`) and \
             has a `message` to say.",
            json!({ "type": "object", "properties": {
                "service": text(SERVICE), "date": text(DATE), "time": text(TIME), "staff": text(STAFF),
            }, "required": ["service"] }),
            "Tell the caller in one short sentence that you are checking the calendar.",
        ),
        "collect_appointment" => (
            "Books the appointment once the caller has chosen a free time and confirmed service, \
             day, time and their name. The slot is held for this call and confirmed when the call \
             ends. The caller's own number is taken from the call: pass `phone` only if they want \
             to be reached at another number.",
            json!({ "type": "object", "properties": {
                "service": text(SERVICE), "date": text(DATE), "time": text(TIME), "staff": text(STAFF),
                "customer_name": text("The caller's full name, as they spelled it."),
                "phone": text("Another number to reach the caller at, only if they gave one."),
                "email": text("The caller's e-mail address, only if they gave one."),
                "notes": text("Anything the business should know (wishes, remarks)."),
            }, "required": ["service", "date", "time", "customer_name"] }),
            "Tell the caller in one short sentence that you are booking the appointment.",
        ),
        "change_appointment" => (
            "Moves the caller's existing appointment (found by the number they call from) to a \
             new day and time. Call check_availability first when you are not sure the new time \
             is free.",
            json!({ "type": "object", "properties": {
                "new_date": text("The new day, in the caller's words or as YYYY-MM-DD."),
                "new_time": text("The new time, in the caller's words or as HH:MM."),
                "staff": text(STAFF),
                "appointment_id": { "type": "integer", "description": APPOINTMENT_ID },
            }, "required": ["new_date"] }),
            "Tell the caller in one short sentence that you are moving the appointment.",
        ),
        _ => (
            "Cancels the caller's appointment (found by the number they call from) after they \
             confirmed that they want to cancel it. Pass the reason they gave.",
            json!({ "type": "object", "properties": {
                "reason": text("Why the caller cancels, in their words."),
                "appointment_id": { "type": "integer", "description": APPOINTMENT_ID },
            }, "required": [] }),
            "Tell the caller in one short sentence that you are cancelling the appointment.",
        ),
    };
    Definition {
        enabled: true,
        description: description.split_whitespace().collect::<Vec<_>>().join(" "),
        parameters,
        speak_during_execution: true,
        execution_message: message.into(),
        timeout_ms: 10_000,
        max_retry: 2,
    }
}

/// The tenant's four definitions (stored edits over the defaults), in [`FUNCTIONS`] order,
/// each with whether it differs from the default. A stored value that no longer reads is
/// replaced by the default (and logged).
pub fn effective(stored: &str) -> Vec<(&'static str, Definition, bool)> {
    let map: BTreeMap<String, Value> = serde_json::from_str(stored).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "stored custom functions do not read; using the defaults");
        BTreeMap::new()
    });
    FUNCTIONS
        .iter()
        .map(|name| {
            let default = default_for(name);
            let def = map
                .get(*name)
                .and_then(|v| serde_json::from_value::<Definition>(v.clone()).ok())
                .unwrap_or_else(|| default.clone());
            let customized = def != default;
            (*name, def, customized)
        })
        .collect()
}

/// Names of the functions the tenant disabled.
pub fn disabled(stored: &str) -> Vec<String> {
    effective(stored)
        .into_iter()
        .filter(|(_, d, _)| !d.enabled)
        .map(|(n, _, _)| n.to_owned())
        .collect()
}

/// The stored JSON with `name` set to `def` (defaults are not stored).
pub fn store_one(stored: &str, name: &str, def: &Definition) -> String {
    let mut map: BTreeMap<String, Value> = serde_json::from_str(stored).unwrap_or_default();
    if *def == default_for(name) {
        map.remove(name);
    } else if let Ok(v) = serde_json::to_value(def) {
        map.insert(name.to_owned(), v);
    }
    serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
}

/// Checks a JSON Schema for a tool's arguments: an object schema with `properties` whose
/// entries are schemas, and a `required` list naming only those properties.
pub fn validate_parameters(p: &Value) -> Result<(), Invalid> {
    let field = "parameters";
    let obj = p.as_object().ok_or_else(|| {
        invalid(
            field,
            "parameters must be a JSON Schema object like {\"type\": \"object\", \"properties\": {…}}",
        )
    })?;
    if obj.get("type").and_then(Value::as_str) != Some("object") {
        return Err(invalid(
            field,
            "parameters must have \"type\": \"object\" at the top: Retell sends the arguments as one object",
        ));
    }
    let props = obj.get("properties").and_then(Value::as_object).ok_or_else(|| {
        invalid(
            field,
            "parameters needs \"properties\": an object naming each argument with its schema, e.g. {\"service\": {\"type\": \"string\"}}",
        )
    })?;
    for (name, schema) in props {
        let ok_name = !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !ok_name {
            return Err(invalid(
                field,
                format!("the argument name {name:?} must be 1 to 64 letters, digits, _ or -"),
            ));
        }
        if !schema.is_object() {
            return Err(invalid(
                field,
                format!("the argument {name:?} must be described by a schema object like {{\"type\": \"string\"}}"),
            ));
        }
    }
    if let Some(required) = obj.get("required") {
        let list = required
            .as_array()
            .ok_or_else(|| invalid(field, "\"required\" must be a list of argument names"))?;
        for r in list {
            match r.as_str() {
                Some(n) if props.contains_key(n) => {}
                _ => {
                    return Err(invalid(
                        field,
                        format!("\"required\" names {r}, which is not in \"properties\""),
                    ))
                }
            }
        }
    }
    if p.to_string().len() > 20_000 {
        return Err(invalid(
            field,
            "parameters must stay under 20 000 characters",
        ));
    }
    Ok(())
}

/// Checks a whole definition (the scalar fields; `parameters` with [`validate_parameters`]).
pub fn validate(def: &Definition) -> Result<(), Invalid> {
    let description = def.description.trim();
    if description.is_empty() || description.chars().count() > 1000 {
        return Err(invalid(
            "description",
            "describe what the function does and when to call it in 1 to 1000 characters",
        ));
    }
    crate::input::text("description", description, 1000)
        .map_err(|e| invalid("description", e.to_string()))?;
    crate::input::text("execution_message", &def.execution_message, 500)
        .map_err(|e| invalid("execution_message", e.to_string()))?;
    if def.execution_message.contains(['\n', '\r', '\t']) {
        return Err(invalid(
            "execution_message",
            "the message while it runs must be one line",
        ));
    }
    if !(1_000..=600_000).contains(&def.timeout_ms) {
        return Err(invalid(
            "timeout_ms",
            "the timeout must be 1000 to 600000 ms (Retell's limits); 10000 suits Slotline",
        ));
    }
    if def.max_retry > 5 {
        return Err(invalid(
            "max_retry",
            "retries must be 0 to 5 (Retell's limit)",
        ));
    }
    validate_parameters(&def.parameters)
}

/// Where Retell calls `name`.
pub fn url(public_url: &str, name: &str) -> String {
    format!("{public_url}/api/mcp/gateway/retell/functions/{name}")
}

/// The `general_tools` entry for an enabled function; the function token goes into its
/// headers when the tenant has one.
pub fn tool(public_url: &str, name: &str, def: &Definition, token: Option<&str>) -> Value {
    let mut t = Map::new();
    t.insert("type".into(), json!("custom"));
    t.insert("name".into(), json!(name));
    t.insert("description".into(), json!(def.description));
    t.insert("url".into(), json!(url(public_url, name)));
    t.insert("method".into(), json!("POST"));
    t.insert("parameters".into(), def.parameters.clone());
    if let Some(token) = token {
        t.insert("headers".into(), json!({ FUNCTION_TOKEN_HEADER: token }));
    }
    t.insert("timeout_ms".into(), json!(def.timeout_ms));
    t.insert("max_retry".into(), json!(def.max_retry));
    t.insert(
        "speak_during_execution".into(),
        json!(def.speak_during_execution),
    );
    t.insert("speak_after_execution".into(), json!(true));
    if def.speak_during_execution && !def.execution_message.trim().is_empty() {
        t.insert(
            "execution_message_description".into(),
            json!(def.execution_message),
        );
    }
    Value::Object(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_name_what_the_route_reads() {
        for name in FUNCTIONS {
            let d = default_for(name);
            assert_eq!(validate(&d), Ok(()), "{name}");
            let props = d.parameters["properties"].as_object().unwrap();
            let expected: &[&str] = match name {
                "check_availability" => &["service", "date", "time", "staff"],
                "collect_appointment" => &["customer_name", "phone", "email", "notes"],
                "change_appointment" => &["new_date", "new_time", "appointment_id"],
                _ => &["reason", "appointment_id"],
            };
            for arg in expected {
                assert!(props.contains_key(*arg), "{name} lacks {arg}");
            }
        }
    }

    #[test]
    fn schemas_must_be_object_schemas_with_properties() {
        for (bad, needle) in [
            (json!([]), "JSON Schema object"),
            (json!({"type": "string"}), "\"type\": \"object\""),
            (json!({"type": "object"}), "\"properties\""),
            (
                json!({"type": "object", "properties": {"a": 1}}),
                "schema object",
            ),
            (
                json!({"type": "object", "properties": {"a b": {}}}),
                "argument name",
            ),
            (
                json!({"type": "object", "properties": {"a": {}}, "required": ["b"]}),
                "not in",
            ),
        ] {
            let e = validate_parameters(&bad).unwrap_err();
            assert_eq!(e.field, "parameters");
            assert!(e.message.contains(needle), "{bad}: {}", e.message);
        }
    }

    #[test]
    fn edits_are_stored_and_defaults_are_not() {
        let mut d = default_for("cancel_appointment");
        d.enabled = false;
        let stored = store_one("{}", "cancel_appointment", &d);
        assert_eq!(disabled(&stored), vec!["cancel_appointment"]);
        let all = effective(&stored);
        assert!(all[3].2, "customized");
        assert!(!all[0].2);
        let back = store_one(
            &stored,
            "cancel_appointment",
            &default_for("cancel_appointment"),
        );
        assert_eq!(back, "{}");
        assert_eq!(effective("not json").len(), 4);
    }

    #[test]
    fn tools_carry_the_token_header_only_when_there_is_one() {
        let d = default_for("check_availability");
        let with = tool("https://x", "check_availability", &d, Some("slf_1"));
        assert_eq!(with["headers"][FUNCTION_TOKEN_HEADER], "slf_1");
        assert_eq!(
            with["url"],
            "https://x/api/mcp/gateway/retell/functions/check_availability"
        );
        assert!(tool("https://x", "check_availability", &d, None)
            .get("headers")
            .is_none());
    }
}
