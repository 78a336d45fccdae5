//! `retell.config.deployCustomFunctions`: Slotline's settings into the tenant's Retell agents
//! and LLMs through Retell's REST API — a field-by-field diff first (dry run), applying only
//! what differs, then a fingerprint of what Retell holds so later edits there show as drift.

use super::webhook::events_of;
use super::{api_error, api_key, audit, webhook_url};
use crate::gateway::{store_failure, Ctx, Services};
use crate::retell_setup::deploy::{self, Desired, MCP_NAME, NEW_TOKEN_PLACEHOLDER};
use crate::retell_setup::functions as defs;
use crate::store::retell::{DeploymentRow, RetellConfigRow};
use app::contract::{AgentDeploy, DeployParams, DeployResult, Locale, RpcError, Scope};
use serde_json::{json, Value};

/// Name of the API token a deploy creates for the agent's MCP access.
pub const MCP_TOKEN_NAME: &str = "Retell agent (deploy)";

/// What the tenant's agents should hold, without the optional parts.
pub(super) fn desired_base(s: &Services, tenant_id: i64, cfg: &RetellConfigRow) -> Desired {
    let token = cfg
        .function_token_sealed
        .as_deref()
        .and_then(|sealed| s.secrets.open_for(tenant_id, sealed).ok());
    Desired {
        webhook_url: webhook_url(s),
        webhook_events: events_of(&cfg.webhook_events),
        tools: defs::effective(&cfg.custom_functions)
            .into_iter()
            .map(|(name, d, _)| {
                let tool = d
                    .enabled
                    .then(|| defs::tool(&s.public_url, name, &d, token.as_deref()));
                (name, tool)
            })
            .collect(),
        prompt: None,
        mcp: None,
    }
}

/// The API token Retell's agent uses on `/mcp`: the one an earlier deploy made while it is
/// still valid, else (when applying) a new one with the read and book scopes.
async fn mcp_token(
    s: &Services,
    tenant_id: i64,
    cfg: &RetellConfigRow,
    create: bool,
) -> Result<String, RpcError> {
    if let Some(token) = cfg
        .mcp_token_sealed
        .as_deref()
        .and_then(|sealed| s.secrets.open_for(tenant_id, sealed).ok())
    {
        let grant = s
            .store
            .api_token_grant(&crate::auth::token_hash(&token))
            .await
            .map_err(store_failure)?;
        let usable =
            grant.is_some_and(|g| g.tenant_id == tenant_id && !g.expired_at(s.store.now_ms()));
        if usable {
            return Ok(token);
        }
    }
    if !create {
        return Ok(NEW_TOKEN_PLACEHOLDER.into());
    }
    let token = crate::auth::new_api_token();
    let id = s
        .store
        .create_api_token(
            tenant_id,
            MCP_TOKEN_NAME,
            &crate::auth::token_hash(&token),
            &[Scope::Read, Scope::Book],
            None,
        )
        .await
        .map_err(store_failure)?;
    s.store
        .set_mcp_token(tenant_id, id, &s.secrets.seal_for(tenant_id, &token))
        .await
        .map_err(store_failure)?;
    tracing::info!(
        tenant_id,
        token_id = id,
        "API token created for the Retell agent's MCP access"
    );
    Ok(token)
}

/// The agents to deploy to: the one asked for (it must be bound), else every bound agent.
pub(super) async fn target_agents(
    s: &Services,
    tenant_id: i64,
    only: Option<&str>,
) -> Result<Vec<String>, RpcError> {
    let bound = s
        .store
        .tenant_agents(tenant_id)
        .await
        .map_err(store_failure)?;
    match only.map(str::trim) {
        Some(one) if bound.iter().any(|b| b == one) => Ok(vec![one.to_owned()]),
        Some(_) => Err(RpcError::invalid_field(
            "agent_id",
            "this agent is not bound to your business; bind it first",
        )),
        None if bound.is_empty() => Err(RpcError::invalid_field(
            "agent_id",
            "bind your Retell agent first (pick it in the agent list and press Bind)",
        )),
        None => Ok(bound),
    }
}

/// Why an agent cannot get Slotline's tools.
pub(super) fn engine_problem(agent: &crate::retell_api::Agent) -> String {
    format!(
        "this agent answers with a {}; Slotline can add its functions only to an agent that uses a Retell LLM, so add them there by hand (the webhook settings were still compared)",
        agent.engine_type().unwrap_or("response engine without an LLM")
    )
}

/// `retell.config.deployCustomFunctions`.
pub(super) async fn run(s: Services, ctx: Ctx, p: DeployParams) -> Result<DeployResult, RpcError> {
    let admin = ctx.admin()?;
    let tenant_id = admin.tenant_id;
    let key = api_key(&s, tenant_id).await?;
    let agents = target_agents(&s, tenant_id, p.agent_id.as_deref()).await?;
    let cfg = s
        .store
        .retell_config(tenant_id)
        .await
        .map_err(store_failure)?;
    let mut desired = desired_base(&s, tenant_id, &cfg);
    if p.include_prompt {
        let locale: Option<Locale> = p.locale;
        desired.prompt = Some(
            super::functions::prompt_for(&s, tenant_id, locale)
                .await?
                .prompt,
        );
    }
    if p.include_mcp {
        let token = mcp_token(&s, tenant_id, &cfg, !p.dry_run).await?;
        desired.mcp = Some(json!({
            "name": MCP_NAME,
            "url": format!("{}{}", s.public_url, crate::mcp::PATH),
            "headers": { "Authorization": format!("Bearer {token}") },
            "timeout_ms": 10_000,
        }));
    }
    let mut out = Vec::new();
    let mut changed = 0;
    for agent_id in agents {
        let agent = s
            .retell_api
            .get_agent(&key, &agent_id)
            .await
            .map_err(api_error)?;
        let llm_id = agent.llm_id().map(str::to_owned);
        let llm: Option<Value> = match &llm_id {
            Some(id) => Some(s.retell_api.get_llm(&key, id).await.map_err(api_error)?),
            None => None,
        };
        let plan = deploy::plan(&agent, llm.as_ref(), &desired);
        let problem = llm.is_none().then(|| engine_problem(&agent));
        changed += plan.changes.len();
        if !p.dry_run {
            if let Some(patch) = &plan.agent_patch {
                s.retell_api
                    .update_agent(&key, &agent_id, patch)
                    .await
                    .map_err(api_error)?;
            }
            if let (Some(patch), Some(id)) = (&plan.llm_patch, &llm_id) {
                s.retell_api
                    .update_llm(&key, id, patch)
                    .await
                    .map_err(api_error)?;
            }
            // The fingerprint is taken from what Retell holds now, as Retell returns it.
            let agent_now = s
                .retell_api
                .get_agent(&key, &agent_id)
                .await
                .map_err(api_error)?;
            let llm_now = match &llm_id {
                Some(id) => Some(s.retell_api.get_llm(&key, id).await.map_err(api_error)?),
                None => None,
            };
            let fingerprint = crate::retell_setup::drift::fingerprint(
                &agent_now,
                llm_now.as_ref(),
                p.include_prompt,
                p.include_mcp,
            );
            s.store
                .save_deployment(
                    tenant_id,
                    &DeploymentRow {
                        agent_id: agent_id.clone(),
                        llm_id: llm_id.clone(),
                        fingerprint: serde_json::to_string(&fingerprint)
                            .unwrap_or_else(|_| "{}".into()),
                        deployed_at: s.store.now_ms(),
                    },
                    admin.admin_id,
                )
                .await
                .map_err(store_failure)?;
        }
        out.push(AgentDeploy {
            agent_id,
            agent_name: agent.agent_name,
            llm_id,
            changes: plan.changes,
            problem,
        });
    }
    if !p.dry_run {
        audit(
            admin,
            "retell.config.deployCustomFunctions",
            &format!("{changed} change(s) to {} agent(s)", out.len()),
        );
    }
    let message = match (p.dry_run, changed) {
        (_, 0) => "Retell already has everything: nothing to change.".to_owned(),
        (true, n) => format!("{n} change(s) would be made; apply to send them to Retell."),
        (false, n) => format!("{n} change(s) sent to Retell."),
    };
    Ok(DeployResult {
        dry_run: p.dry_run,
        applied: !p.dry_run && changed > 0,
        agents: out,
        message,
    })
}
