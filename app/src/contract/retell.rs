//! Types of the `retell.config.*` methods: what Retell's own API says about the tenant's agents.

use serde::{Deserialize, Serialize};

/// What Retell reports about one agent answering one of the tenant's numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AgentCheck {
    /// Retell agent id.
    pub agent_id: String,
    /// The tenant's number this agent answers (E.164).
    pub phone_number: String,
    /// Agent name in Retell, when Retell knows the agent.
    pub agent_name: Option<String>,
    /// Where Retell sends this agent's call events.
    pub webhook_url: Option<String>,
    /// True when that is this Slotline's webhook URL.
    pub webhook_points_here: bool,
    /// What is wrong, in a sentence, or none.
    pub problem: Option<String>,
}

/// Result of `retell.config.checkAgents`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AgentChecks {
    /// The webhook URL every agent should use.
    pub expected_webhook_url: String,
    /// One entry per number with an agent id.
    pub agents: Vec<AgentCheck>,
}
