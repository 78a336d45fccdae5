//! `retell.config.*`: connecting a business to Retell from the browser. The webhook, the
//! Retell API key (checked with Retell before it is stored) and the function token; the four
//! custom functions; tests through Slotline's own routes; the account's agents and numbers;
//! the deploy to Retell (diff first); the generated prompt; and the verified status.
//! Changes need the owner; every change is audited (admin, tenant, method — never a secret).

mod agents;
mod deploy;
mod functions;
mod status;
mod test;
mod webhook;

use crate::gateway::{guard, store_failure, Access, AdminPrincipal, Registry, Services};
use crate::retell_api::{RetellApiError, RETELL_API};
use crate::store::retell::BindError;
use app::contract::{codes, RpcError};

pub(super) fn register(r: &mut Registry) {
    r.register(
        "retell.config.checkAgents",
        "Asks Retell's API about each agent of the tenant's numbers and whether its webhook \
         URL points at this Slotline.",
        Access::Admin,
        agents::check_agents,
    );
    r.register(
        "retell.config.getWebhook",
        "The webhook URL and events, the Retell API key (masked), the function token (never \
         shown again), the last test result and the last deploy per agent.",
        Access::Admin,
        webhook::get,
    );
    r.register(
        "retell.config.updateWebhook",
        "Sets the webhook events, stores a new Retell API key (after Retell accepted it) and \
         generates or rotates the function token (shown once; the previous one works 24 h).",
        Access::Owner,
        webhook::update,
    );
    r.register(
        "retell.config.testWebhook",
        "Sends a signed synthetic call_started event (call id slotline_test_…) through the \
         real webhook receiver and calls each enabled custom function with sample arguments; \
         reports status, time and what was recorded. Tests are left out of call figures.",
        Access::Owner,
        test::run,
    );
    r.register(
        "retell.config.getCustomFunctions",
        "The four custom functions: description, JSON-Schema parameters, enabled, speech \
         while running, timeout, retries and URL.",
        Access::Admin,
        functions::get,
    );
    r.register(
        "retell.config.updateCustomFunction",
        "Edits, enables or disables one custom function (the parameters must be an object \
         JSON Schema with properties), or resets it to Slotline's default.",
        Access::Owner,
        functions::update,
    );
    r.register(
        "retell.config.deployCustomFunctions",
        "Puts the webhook settings and the enabled functions (optionally the prompt and \
         Slotline's MCP endpoint) into the tenant's Retell agents and LLMs; dry_run returns the \
         field-by-field diff; applying twice changes nothing.",
        Access::Owner,
        deploy::run,
    );
    r.register(
        "retell.config.getAgentPromptTemplate",
        "A German or English agent prompt generated from the tenant's services, durations, \
         opening hours and team, with Retell dynamic variables.",
        Access::Admin,
        functions::prompt,
    );
    r.register(
        "retell.config.listAgents",
        "The Retell account's agents and phone numbers, and which are bound to this tenant.",
        Access::Admin,
        agents::list,
    );
    r.register(
        "retell.config.bindAgent",
        "Binds a Retell agent and its numbers (E.164) to the tenant; an agent or number of \
         another business is refused.",
        Access::Owner,
        agents::bind,
    );
    r.register(
        "retell.config.unbindNumber",
        "Removes one of the tenant's phone numbers.",
        Access::Owner,
        agents::unbind,
    );
    r.register(
        "retell.config.status",
        "Whether the business is really connected, as Retell confirms it: key accepted, agent \
         found, webhook and tools deployed and unchanged, the last events, and what is missing.",
        Access::Admin,
        status::run,
    );
}

/// Maps a Retell API failure to the gateway's errors (the one place this happens).
pub(super) fn api_error(e: RetellApiError) -> RpcError {
    match e {
        RetellApiError::CircuitOpen(refused) => guard::open(RETELL_API, refused),
        RetellApiError::Unauthorized(_) => RpcError::invalid_field("retell_api_key", e.to_string()),
        RetellApiError::NotFound(_) => RpcError::new(codes::NOT_FOUND, e.to_string()),
        // One account's 429 is not an outage of Retell: no `downstream`, so no breaker counts it.
        RetellApiError::Rejected { .. } | RetellApiError::RateLimited(_) => {
            RpcError::new(codes::UPSTREAM_FAILED, e.to_string())
        }
        RetellApiError::Timeout(_) | RetellApiError::Unreachable | RetellApiError::Failed(_) => {
            RpcError::downstream_failed(RETELL_API, codes::UPSTREAM_FAILED, e.to_string())
        }
    }
}

/// Maps a refused binding.
fn bind_error(e: BindError) -> RpcError {
    match e {
        BindError::AgentTaken => RpcError::invalid_field("agent_id", e.to_string()),
        BindError::NumberTaken(_) => RpcError::invalid_field("phone_numbers", e.to_string()),
        BindError::Store(s) => store_failure(s),
    }
}

/// Maps a refused custom-function edit.
fn function_error(e: crate::retell_setup::functions::Invalid) -> RpcError {
    RpcError::invalid_field(e.field, e.message)
}

/// The tenant's Retell API key, opened; a sentence on `retell_api_key` when none is stored.
async fn api_key(s: &Services, tenant_id: i64) -> Result<String, RpcError> {
    let sealed = s
        .store
        .retell_api_key_sealed(tenant_id)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| {
            RpcError::invalid_field(
                "retell_api_key",
                "paste your Retell API key first (Retell dashboard → Settings → API Keys)",
            )
        })?;
    // Not the caller's input but a server state (a changed secret key, a value copied from
    // another tenant): an internal error, still pointing at the field that fixes it.
    s.secrets.open_for(tenant_id, &sealed).map_err(|_| RpcError {
        code: codes::INTERNAL,
        message: "the stored Retell API key cannot be decrypted (was SLOTLINE_SECRET_KEY changed?); paste it again".into(),
        data: Some(serde_json::json!({ "field": "retell_api_key" })),
    })
}

/// Where Retell sends the tenant's webhooks.
fn webhook_url(s: &Services) -> String {
    format!("{}/api/webhooks/retell", s.public_url)
}

/// The audit line of a change: who, which tenant, which method, what (never a secret).
fn audit(admin: &AdminPrincipal, method: &str, what: &str) {
    tracing::info!(
        admin_id = admin.admin_id,
        tenant_id = admin.tenant_id,
        method,
        what,
        "audit: Retell set-up changed"
    );
}
