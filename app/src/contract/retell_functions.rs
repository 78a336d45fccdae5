//! Types of the `retell.config.*` methods about what Slotline deploys to Retell: the four
//! custom functions, the deploy (diff first) and the agent prompt.

use crate::contract::Locale;
use serde::{Deserialize, Serialize};

/// One of Slotline's custom functions as the tenant configured it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CustomFunction {
    /// `check_availability`, `collect_appointment`, `change_appointment` or `cancel_appointment`.
    pub name: String,
    /// Deployed to Retell and answered by Slotline; a disabled one is removed from the agent
    /// and refused with `function_disabled`.
    pub enabled: bool,
    /// What the tool does and when the agent calls it.
    pub description: String,
    /// JSON Schema of the arguments (an object schema with `properties`).
    pub parameters: serde_json::Value,
    /// Whether the agent says something while the call runs.
    pub speak_during_execution: bool,
    /// What it says meanwhile (a prompt for the agent).
    pub execution_message: String,
    /// How long Retell waits for Slotline, ms (1000–600000).
    pub timeout_ms: u32,
    /// Retell's retries after a failure (0–5; Slotline's functions are idempotent).
    pub max_retry: u8,
    /// Where Retell calls it.
    pub url: String,
    /// Whether it differs from Slotline's default.
    pub customized: bool,
}

/// Result of `retell.config.getCustomFunctions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CustomFunctions {
    /// The four functions.
    pub functions: Vec<CustomFunction>,
}

/// Parameters of `retell.config.updateCustomFunction`; what is left out stays as it is.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UpdateCustomFunctionParams {
    /// Which function.
    pub name: String,
    /// Enable or disable it.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// New description (1–1000 characters).
    #[serde(default)]
    pub description: Option<String>,
    /// New JSON Schema of the arguments (`type: object` with `properties`).
    #[serde(default)]
    pub parameters: Option<serde_json::Value>,
    /// Speak while it runs.
    #[serde(default)]
    pub speak_during_execution: Option<bool>,
    /// What to say meanwhile (at most 500 characters).
    #[serde(default)]
    pub execution_message: Option<String>,
    /// Timeout, ms (1000–600000).
    #[serde(default)]
    pub timeout_ms: Option<u32>,
    /// Retries (0–5).
    #[serde(default)]
    pub max_retry: Option<u8>,
    /// Back to Slotline's default (applied before the other fields).
    #[serde(default)]
    pub reset: bool,
}

/// Parameters of `retell.config.deployCustomFunctions`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeployParams {
    /// Only compute the changes (field by field), apply nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Also replace the LLM's `general_prompt` with the generated prompt.
    #[serde(default)]
    pub include_prompt: bool,
    /// Also attach Slotline's `/mcp` endpoint in the LLM's `mcps` (with its own API token).
    #[serde(default)]
    pub include_mcp: bool,
    /// Language of the prompt (default: the tenant's).
    #[serde(default)]
    pub locale: Option<Locale>,
    /// Only this agent (default: every agent bound to the tenant).
    #[serde(default)]
    pub agent_id: Option<String>,
}

/// One field a deploy changes: before (in Retell now) and after. Tokens are masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FieldChange {
    /// e.g. `agent.webhook_url`, `llm.general_tools[check_availability]`, `llm.mcps[slotline]`.
    pub field: String,
    /// The value in Retell now (absent: not set).
    pub before: Option<serde_json::Value>,
    /// The value after the deploy (absent: removed).
    pub after: Option<serde_json::Value>,
}

/// The deploy to one agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AgentDeploy {
    /// Agent id.
    pub agent_id: String,
    /// Name in Retell.
    pub agent_name: Option<String>,
    /// The agent's Retell LLM, if it uses one.
    pub llm_id: Option<String>,
    /// The changes (empty: Retell already has everything).
    pub changes: Vec<FieldChange>,
    /// Something Slotline could not deploy here, in a sentence.
    pub problem: Option<String>,
}

/// Result of `retell.config.deployCustomFunctions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeployResult {
    /// Whether this was a dry run.
    pub dry_run: bool,
    /// Whether changes were sent to Retell.
    pub applied: bool,
    /// Per agent.
    pub agents: Vec<AgentDeploy>,
    /// A summary sentence.
    pub message: String,
}

/// Parameters of `retell.config.getAgentPromptTemplate`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PromptTemplateParams {
    /// Language (default: the tenant's).
    #[serde(default)]
    pub locale: Option<Locale>,
}

/// Result of `retell.config.getAgentPromptTemplate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PromptTemplate {
    /// Language of the prompt.
    pub locale: Locale,
    /// The agent's general prompt, from the business's real services and hours.
    pub prompt: String,
    /// A first sentence for the agent (Retell's `begin_message`).
    pub begin_message: String,
    /// Retell dynamic variables the prompt uses.
    pub dynamic_variables: Vec<String>,
}
