//! Types of the `retell.config.*` methods about the connection itself: the webhook, the Retell
//! API key, the function token, the account's agents and numbers, tests and the status.

use serde::{Deserialize, Serialize};

/// Every webhook event Retell can send to an agent's `webhook_url`.
pub const RETELL_WEBHOOK_EVENTS: [&str; 8] = [
    "call_started",
    "call_ended",
    "call_analyzed",
    "transcript_updated",
    "transfer_started",
    "transfer_bridged",
    "transfer_cancelled",
    "transfer_ended",
];

/// The events an agent sends by default (Retell's own default, and Slotline's).
pub const DEFAULT_WEBHOOK_EVENTS: [&str; 3] = ["call_started", "call_ended", "call_analyzed"];

/// The header that carries the tenant's function token on every custom-function call.
pub const FUNCTION_TOKEN_HEADER: &str = "X-Slotline-Function-Token";

/// Call ids of synthetic test events start with this; they are left out of call figures.
pub const TEST_CALL_PREFIX: &str = "slotline_test_";

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

/// The tenant's function token as admins see it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FunctionTokenInfo {
    /// Whether a token is set (custom-function calls must then carry it).
    pub set: bool,
    /// The header Retell sends it in.
    pub header: String,
    /// When the current token was made, tenant's local time.
    pub created_local: Option<String>,
    /// Until when the previous token is still accepted, tenant's local time.
    pub previous_valid_until_local: Option<String>,
}

/// The last deploy to one agent, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeployRecord {
    /// Retell agent id.
    pub agent_id: String,
    /// The agent's Retell LLM, if it has one.
    pub llm_id: Option<String>,
    /// When, tenant's local time.
    pub deployed_local: String,
}

/// Result of `retell.config.getWebhook` and `retell.config.updateWebhook`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WebhookConfig {
    /// The URL to set as the agent's `webhook_url`.
    pub webhook_url: String,
    /// Events the agent should send.
    pub events: Vec<String>,
    /// Every event name Retell knows.
    pub available_events: Vec<String>,
    /// The stored Retell API key, masked (`…7f3a`), if one is stored.
    pub retell_api_key: Option<String>,
    /// When Retell last accepted the key, tenant's local time.
    pub key_verified_local: Option<String>,
    /// The function token.
    pub function_token: FunctionTokenInfo,
    /// The new function token: only in the answer that generated it, never again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_function_token: Option<String>,
    /// The last test's result.
    pub last_test: Option<WebhookTestResult>,
    /// The last deploy per agent.
    pub deploys: Vec<DeployRecord>,
}

/// Parameters of `retell.config.updateWebhook`; what is left out stays as it is.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UpdateWebhookParams {
    /// Events the agent should send (Retell's names; must include call_ended).
    #[serde(default)]
    pub events: Option<Vec<String>>,
    /// A new Retell API key; checked with Retell before it is stored.
    #[serde(default)]
    pub retell_api_key: Option<String>,
    /// Generates a function token (or rotates it: the previous one works 24 h more).
    #[serde(default)]
    pub rotate_function_token: bool,
}

/// Parameters of `retell.config.testWebhook`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TestWebhookParams {
    /// Also call each enabled custom function with sample arguments (default true).
    #[serde(default)]
    pub functions: Option<bool>,
}

/// One probe of the tests: a request to Slotline's own URL and what came back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProbeResult {
    /// What was tested (`webhook` or a function name).
    pub name: String,
    /// The URL called.
    pub url: String,
    /// HTTP status, if an answer came.
    pub status: Option<u16>,
    /// Time until the answer, ms.
    pub millis: u64,
    /// Whether it worked.
    pub ok: bool,
    /// What was recorded, or the reply (shortened), or what went wrong.
    pub detail: String,
}

/// Result of `retell.config.testWebhook` (also kept as the last test result).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WebhookTestResult {
    /// When, tenant's local time.
    pub at_local: String,
    /// Whether every probe worked.
    pub ok: bool,
    /// The signed synthetic event (call id starting `slotline_test_`).
    pub webhook: ProbeResult,
    /// One probe per enabled custom function.
    pub functions: Vec<ProbeResult>,
}

/// One agent of the Retell account (`retell.config.listAgents`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RetellAgentInfo {
    /// Agent id.
    pub agent_id: String,
    /// Name in Retell.
    pub agent_name: Option<String>,
    /// Numbers Retell routes to this agent (E.164).
    pub numbers: Vec<String>,
    /// Whether this agent is bound to the caller's tenant.
    pub bound_here: bool,
}

/// One phone number of the Retell account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RetellNumberInfo {
    /// E.164 number.
    pub e164: String,
    /// Nickname in Retell.
    pub nickname: Option<String>,
    /// The agent answering it, if any.
    pub inbound_agent_id: Option<String>,
    /// Whether this number is bound to the caller's tenant.
    pub bound_here: bool,
}

/// Result of `retell.config.listAgents`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RetellAccount {
    /// The account's agents.
    pub agents: Vec<RetellAgentInfo>,
    /// The account's phone numbers.
    pub phone_numbers: Vec<RetellNumberInfo>,
}

/// Parameters of `retell.config.bindAgent`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BindAgentParams {
    /// The Retell agent id.
    pub agent_id: String,
    /// Its numbers (E.164); left out: the numbers Retell routes to this agent.
    #[serde(default)]
    pub phone_numbers: Option<Vec<String>>,
}

/// Parameters of `retell.config.unbindNumber`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UnbindNumberParams {
    /// The number to remove from the tenant (E.164).
    pub e164: String,
}

/// Result of `retell.config.bindAgent` and `retell.config.unbindNumber`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BoundAgents {
    /// Agents bound to the tenant.
    pub agents: Vec<String>,
    /// The tenant's numbers and their agents.
    pub phone_numbers: Vec<crate::contract::PhoneNumberInfo>,
}

/// One line of `retell.config.status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StatusCheck {
    /// `key`, `agent`, `webhook`, `tools` or `events`.
    pub name: String,
    /// Whether this part is in place.
    pub ok: bool,
    /// What was found, or what is missing, in a sentence.
    pub detail: String,
}

/// The last event of one type the tenant received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LastEvent {
    /// Event name.
    pub event: String,
    /// When it arrived, tenant's local time.
    pub at_local: String,
}

/// Result of `retell.config.status`: "connected" only when Retell itself confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RetellStatus {
    /// Everything verified: key accepted, agent found, webhook and tools deployed unchanged.
    pub connected: bool,
    /// The parts, in order.
    pub checks: Vec<StatusCheck>,
    /// What is missing, as sentences saying what to do.
    pub missing: Vec<String>,
    /// Fields someone changed in Retell since Slotline's last deploy (`agent_id: field`).
    pub drift: Vec<String>,
    /// When Retell last accepted the key, tenant's local time.
    pub key_verified_local: Option<String>,
    /// The last real event per type (tests are left out).
    pub last_events: Vec<LastEvent>,
}
