//! What Slotline sets up in a tenant's Retell account, without I/O: the four custom-function
//! definitions (defaults, validation, the tools Retell gets), the function token, the agent
//! prompt generated from the tenant's data, and the deploy plan (field-by-field diff against
//! what Retell has, the merged LLM tools, fingerprints to notice later edits in Retell).
//! The gateway's `retell.config.*` methods do the I/O around it.

pub mod deploy;
pub mod drift;
pub mod functions;
pub mod prompt;
pub mod token;

use app::contract::RETELL_WEBHOOK_EVENTS;

/// Checks a list of webhook events: Retell's names, each once, including `call_ended`
/// (Slotline books held appointments when it arrives). Returns them in Retell's order.
pub fn validate_events(events: &[String]) -> Result<Vec<String>, String> {
    if events.is_empty() {
        return Err("choose at least call_ended".into());
    }
    for e in events {
        if !RETELL_WEBHOOK_EVENTS.contains(&e.trim()) {
            let shown: String = e.chars().filter(|c| !c.is_control()).take(40).collect();
            return Err(format!(
                "{shown:?} is not a Retell webhook event; use {}",
                RETELL_WEBHOOK_EVENTS.join(", ")
            ));
        }
    }
    if !events.iter().any(|e| e.trim() == "call_ended") {
        return Err(
            "call_ended must stay on: Slotline books the appointments held during a call when it ends"
                .into(),
        );
    }
    Ok(RETELL_WEBHOOK_EVENTS
        .iter()
        .filter(|name| events.iter().any(|e| e.trim() == **name))
        .map(|s| (*s).to_owned())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn events_are_retells_names_with_call_ended() {
        assert_eq!(
            validate_events(&list(&["call_analyzed", "call_ended", "call_ended"])).unwrap(),
            list(&["call_ended", "call_analyzed"])
        );
        assert!(validate_events(&list(&["call_started"]))
            .unwrap_err()
            .contains("call_ended"));
        assert!(validate_events(&list(&["call_ended", "call_exploded"]))
            .unwrap_err()
            .contains("not a Retell webhook event"));
        assert!(validate_events(&[]).is_err());
    }
}
