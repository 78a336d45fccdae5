//! A scenario file (JSON): one or more phone calls to one business, step by step, with what
//! each step must produce. See `scenarios/README.md` for the format.

use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// A whole scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name printed in reports.
    pub name: String,
    /// What it shows (free text).
    #[serde(default)]
    pub description: String,
    /// The instant the calls start (RFC 3339); the server's clock is set to it.
    pub at: String,
    /// The business called.
    pub tenant: TenantRef,
    /// The calls by label (`a`, `b`, …).
    pub calls: BTreeMap<String, CallSpec>,
    /// What happens, in order.
    pub steps: Vec<Step>,
    /// Labels, e.g. `race` (also run against PostgreSQL).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Set when the file is read: where it came from.
    #[serde(skip)]
    pub file: String,
}

/// The business: by Retell agent id or by the number called.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantRef {
    /// Retell agent id.
    #[serde(default)]
    pub agent_id: Option<String>,
    /// The number called (E.164).
    #[serde(default)]
    pub phone: Option<String>,
}

/// One phone call.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallSpec {
    /// The caller's number (E.164).
    pub from: String,
    /// The language the agent must answer in: `de` or `en`.
    pub language: Language,
    /// Seconds after the scenario's instant the call starts (default 0).
    #[serde(default)]
    pub starts_after_s: i64,
}

/// A reply language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// German.
    De,
    /// English.
    En,
}

/// One step: a custom-function call, a webhook event, an admin action, a race of several
/// function calls, or a pause.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The call it belongs to (a label of [`Scenario::calls`]).
    #[serde(default)]
    pub call: Option<String>,
    /// A custom function: check_availability, collect_appointment, change_appointment or
    /// cancel_appointment.
    #[serde(default)]
    pub function: Option<String>,
    /// The caller's words this step answers (for reports and the transcript).
    #[serde(default)]
    pub said: Option<String>,
    /// The function's arguments, as the agent's LLM fills them.
    #[serde(default)]
    pub args: Map<String, Value>,
    /// A webhook event: call_started, call_ended or call_analyzed.
    #[serde(default)]
    pub event: Option<String>,
    /// A fault Retell produces: `retry` (a function call sent again while the first is still
    /// running, as on a timeout) or `twice` (an event delivered twice).
    #[serde(default)]
    pub fault: Option<Fault>,
    /// A gateway method run as the business's admin (e.g. a closure added during the call).
    #[serde(default)]
    pub admin: Option<AdminAction>,
    /// Function calls of different calls sent at the same moment.
    #[serde(default)]
    pub race: Vec<Step>,
    /// A pause before the next step, in milliseconds (wall time).
    #[serde(default)]
    pub pause_ms: Option<u64>,
    /// Seconds into the call this step happens (default: 20 s after the previous one).
    #[serde(default)]
    pub after_s: Option<i64>,
    /// What must come out.
    #[serde(default)]
    pub expect: Expect,
}

/// A fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// The same function call sent twice at once (Retell's retry on timeout).
    Retry,
    /// The same webhook event delivered twice.
    Twice,
}

/// A gateway call made as the business's admin.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminAction {
    /// Method name.
    pub method: String,
    /// Params.
    #[serde(default)]
    pub params: Value,
}

/// Expectations after a step; everything left out is not checked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// HTTP status (default 200).
    #[serde(default)]
    pub status: Option<u16>,
    /// Fields the JSON reply must contain with these values (objects compared recursively).
    #[serde(default)]
    pub reply: Option<Value>,
    /// Slots offered: `some` or `none`.
    #[serde(default)]
    pub slots: Option<Offered>,
    /// The first offered slot's local start (`YYYY-MM-DDTHH:MM`).
    #[serde(default)]
    pub first_slot: Option<String>,
    /// Local dates (`YYYY-MM-DD`) no offered slot may lie on.
    #[serde(default)]
    pub slots_not_on: Vec<String>,
    /// Phrases the spoken `message` must contain.
    #[serde(default)]
    pub message_contains: Vec<String>,
    /// The caller's appointments after the step (all statuses), in start order.
    #[serde(default)]
    pub appointments: Option<Vec<ExpectedAppointment>>,
    /// Open recovery entries of this call after the step.
    #[serde(default)]
    pub recovery: Option<usize>,
    /// For a race: how many of the function calls succeed (the others must offer slots).
    #[serde(default)]
    pub winners: Option<usize>,
}

/// Whether slots are offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Offered {
    /// At least one.
    Some,
    /// None.
    None,
}

/// An appointment as the caller should have it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ExpectedAppointment {
    /// held, booked, cancelled, …
    pub status: String,
    /// Local start, `YYYY-MM-DDTHH:MM`.
    pub start: String,
    /// Staff member, when it matters.
    #[serde(default)]
    pub staff: Option<String>,
    /// Service, when it matters.
    #[serde(default)]
    pub service: Option<String>,
}

/// Why a scenario file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// Unreadable file.
    #[error("{file}: cannot read it: {reason}")]
    Read {
        /// File.
        file: String,
        /// Why.
        reason: String,
    },
    /// Not a scenario.
    #[error("{file}: {reason}")]
    Invalid {
        /// File.
        file: String,
        /// What to fix.
        reason: String,
    },
}

/// Reads and checks a scenario file.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ScenarioError::Read {
        file: file.clone(),
        reason: e.to_string(),
    })?;
    let mut de = serde_json::Deserializer::from_str(&text);
    let mut scenario: Scenario =
        serde_path_to_error::deserialize(&mut de).map_err(|e| ScenarioError::Invalid {
            file: file.clone(),
            reason: format!("at {}: {}", e.path(), e.inner()),
        })?;
    scenario.file = file.clone();
    validate(&scenario).map_err(|reason| ScenarioError::Invalid { file, reason })?;
    Ok(scenario)
}

/// Checks references and the shape of each step.
fn validate(s: &Scenario) -> Result<(), String> {
    s.at.parse::<jiff::Timestamp>()
        .map_err(|e| format!("at: {:?} is not an RFC 3339 instant ({e})", s.at))?;
    if s.tenant.agent_id.is_none() && s.tenant.phone.is_none() {
        return Err("tenant: give agent_id or phone".into());
    }
    if s.calls.is_empty() {
        return Err("calls: name at least one call".into());
    }
    for (i, step) in s.steps.iter().enumerate() {
        validate_step(s, step).map_err(|e| format!("steps[{i}]: {e}"))?;
        for (j, inner) in step.race.iter().enumerate() {
            validate_step(s, inner).map_err(|e| format!("steps[{i}].race[{j}]: {e}"))?;
            if inner.function.is_none() {
                return Err(format!("steps[{i}].race[{j}]: a race runs function calls"));
            }
        }
    }
    Ok(())
}

fn validate_step(s: &Scenario, step: &Step) -> Result<(), String> {
    let kinds = [
        step.function.is_some(),
        step.event.is_some(),
        step.admin.is_some(),
        !step.race.is_empty(),
    ]
    .iter()
    .filter(|k| **k)
    .count();
    if kinds > 1 {
        return Err("one of function, event, admin or race per step".into());
    }
    if kinds == 0 && step.pause_ms.is_none() {
        return Err("say what happens: function, event, admin, race or pause_ms".into());
    }
    if step.function.is_some() || step.event.is_some() {
        let Some(call) = &step.call else {
            return Err("call: name the call this step belongs to".into());
        };
        if !s.calls.contains_key(call) {
            return Err(format!("call: {call:?} is not one of the scenario's calls"));
        }
    }
    if let Some(f) = &step.function {
        if !crate::functions::FUNCTIONS.contains(&f.as_str()) {
            return Err(format!("function: {f:?} is not a Slotline custom function"));
        }
        if step.fault == Some(Fault::Twice) {
            return Err("fault: a function call is retried (`retry`), not `twice`".into());
        }
    }
    if let Some(e) = &step.event {
        if !["call_started", "call_ended", "call_analyzed"].contains(&e.as_str()) {
            return Err(format!(
                "event: {e:?}; use call_started, call_ended or call_analyzed"
            ));
        }
        if step.fault == Some(Fault::Retry) {
            return Err("fault: an event is delivered `twice`, not retried".into());
        }
    }
    Ok(())
}
