//! The Retell account's agents and numbers, binding them to the tenant, and the agents check.

use super::{api_error, api_key, audit, bind_error, webhook_url};
use crate::gateway::{invalid_input, store_failure, Ctx, Services};
use crate::retell_api::RetellApiError;
use app::contract::{
    codes, AgentCheck, AgentChecks, BindAgentParams, BoundAgents, NoParams, PhoneNumberInfo,
    RetellAccount, RetellAgentInfo, RetellNumberInfo, RpcError, UnbindNumberParams,
};

/// `retell.config.checkAgents`.
pub(super) async fn check_agents(
    s: Services,
    ctx: Ctx,
    _p: NoParams,
) -> Result<AgentChecks, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let key = api_key(&s, tenant_id).await?;
    let expected = webhook_url(&s);
    let numbers = s
        .store
        .phone_numbers(tenant_id)
        .await
        .map_err(store_failure)?;
    let mut agents = Vec::new();
    for number in numbers {
        let Some(agent_id) = number.retell_agent_id else {
            continue;
        };
        let mut check = AgentCheck {
            agent_id: agent_id.clone(),
            phone_number: number.e164,
            agent_name: None,
            webhook_url: None,
            webhook_points_here: false,
            problem: None,
        };
        match s.retell_api.get_agent(&key, &agent_id).await {
            Ok(agent) => {
                check.webhook_points_here = agent.webhook_url.as_deref() == Some(&expected);
                if !check.webhook_points_here {
                    check.problem = Some(format!("the agent's webhook URL should be {expected}"));
                }
                check.agent_name = agent.agent_name;
                check.webhook_url = agent.webhook_url;
            }
            Err(e @ RetellApiError::NotFound(_)) => check.problem = Some(e.to_string()),
            Err(e) => return Err(api_error(e)),
        }
        agents.push(check);
    }
    Ok(AgentChecks {
        expected_webhook_url: expected,
        agents,
    })
}

/// `retell.config.listAgents`.
pub(super) async fn list(s: Services, ctx: Ctx, _p: NoParams) -> Result<RetellAccount, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let key = api_key(&s, tenant_id).await?;
    let agents = s.retell_api.list_agents(&key).await.map_err(api_error)?;
    let numbers = s
        .retell_api
        .list_phone_numbers(&key)
        .await
        .map_err(api_error)?;
    let bound_agents = s
        .store
        .tenant_agents(tenant_id)
        .await
        .map_err(store_failure)?;
    let bound_numbers = s
        .store
        .phone_numbers(tenant_id)
        .await
        .map_err(store_failure)?;
    Ok(RetellAccount {
        agents: agents
            .into_iter()
            .map(|a| RetellAgentInfo {
                numbers: numbers
                    .iter()
                    .filter(|n| n.inbound_agent() == Some(a.agent_id.as_str()))
                    .map(|n| n.phone_number.clone())
                    .collect(),
                bound_here: bound_agents.contains(&a.agent_id),
                agent_id: a.agent_id,
                agent_name: a.agent_name,
            })
            .collect(),
        phone_numbers: numbers
            .iter()
            .map(|n| RetellNumberInfo {
                e164: n.phone_number.clone(),
                nickname: n.nickname.clone(),
                inbound_agent_id: n.inbound_agent().map(str::to_owned),
                bound_here: bound_numbers.iter().any(|b| b.e164 == n.phone_number),
            })
            .collect(),
    })
}

/// The tenant's agents and numbers.
async fn bound(s: &Services, tenant_id: i64) -> Result<BoundAgents, RpcError> {
    Ok(BoundAgents {
        agents: s
            .store
            .tenant_agents(tenant_id)
            .await
            .map_err(store_failure)?,
        phone_numbers: s
            .store
            .phone_numbers(tenant_id)
            .await
            .map_err(store_failure)?
            .into_iter()
            .map(|p| PhoneNumberInfo {
                e164: p.e164,
                retell_agent_id: p.retell_agent_id,
                label: p.label,
            })
            .collect(),
    })
}

/// `retell.config.bindAgent`.
pub(super) async fn bind(
    s: Services,
    ctx: Ctx,
    p: BindAgentParams,
) -> Result<BoundAgents, RpcError> {
    let admin = ctx.admin()?;
    let agent_id = p.agent_id.trim();
    crate::input::agent_id("agent_id", agent_id).map_err(invalid_input)?;
    if let Some(numbers) = &p.phone_numbers {
        for n in numbers {
            crate::input::e164("phone_numbers", n.trim()).map_err(invalid_input)?;
        }
    }
    let key = api_key(&s, admin.tenant_id).await?;
    let agent = match s.retell_api.get_agent(&key, agent_id).await {
        Ok(a) => a,
        Err(RetellApiError::NotFound(_)) => {
            return Err(RpcError::invalid_field(
                "agent_id",
                format!(
                "Retell does not know the agent {agent_id} in this account; pick one from the list"
            ),
            ))
        }
        Err(e) => return Err(api_error(e)),
    };
    let numbers: Vec<String> = match &p.phone_numbers {
        Some(given) => given.iter().map(|n| n.trim().to_owned()).collect(),
        None => s
            .retell_api
            .list_phone_numbers(&key)
            .await
            .map_err(api_error)?
            .into_iter()
            .filter(|n| n.inbound_agent() == Some(agent_id))
            .map(|n| n.phone_number)
            .filter(|n| crate::input::is_e164_form(n))
            .collect(),
    };
    let name = agent.agent_name.unwrap_or_default();
    let name: String = name.chars().filter(|c| !c.is_control()).take(80).collect();
    s.store
        .bind_agent(admin.tenant_id, agent_id, &name, &numbers)
        .await
        .map_err(bind_error)?;
    s.hooks.forget_cached_keys();
    audit(
        admin,
        "retell.config.bindAgent",
        &format!("agent {agent_id} with {} number(s)", numbers.len()),
    );
    bound(&s, admin.tenant_id).await
}

/// `retell.config.unbindNumber`.
pub(super) async fn unbind(
    s: Services,
    ctx: Ctx,
    p: UnbindNumberParams,
) -> Result<BoundAgents, RpcError> {
    let admin = ctx.admin()?;
    let e164 = p.e164.trim();
    crate::input::e164("e164", e164).map_err(invalid_input)?;
    let removed = s
        .store
        .unbind_number(admin.tenant_id, e164)
        .await
        .map_err(store_failure)?;
    if !removed {
        return Err(RpcError {
            code: codes::NOT_FOUND,
            message: "your business has no such phone number".into(),
            data: Some(serde_json::json!({ "field": "e164" })),
        });
    }
    s.hooks.forget_cached_keys();
    audit(
        admin,
        "retell.config.unbindNumber",
        &format!("number {}", crate::telemetry::mask_phone(e164)),
    );
    bound(&s, admin.tenant_id).await
}
