//! `retell.config.*`: the tenant's Retell set-up as Retell's own API sees it.

use crate::gateway::{guard, store_failure, Access, Ctx, Registry, Services};
use crate::retell_api::{RetellApiError, RETELL_API};
use app::contract::{codes, AgentCheck, AgentChecks, NoParams, RpcError};

pub(super) fn register(r: &mut Registry) {
    r.register(
        "retell.config.checkAgents",
        "Asks Retell's API about each agent of the tenant's numbers and whether its webhook \
         URL points at this Slotline.",
        Access::Admin,
        check_agents,
    );
}

async fn check_agents(s: Services, ctx: Ctx, _p: NoParams) -> Result<AgentChecks, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let sealed = s
        .store
        .retell_api_key_sealed(tenant_id)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| {
            RpcError::invalid_field("retell_api_key", "store the tenant's Retell API key first")
        })?;
    let key = s
        .secrets
        .open_for(tenant_id, &sealed)
        .map_err(|_| RpcError::internal("the stored Retell API key cannot be decrypted"))?;
    let expected = format!("{}/api/webhooks/retell", s.public_url);
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

/// Maps a Retell API failure to the gateway's error codes.
fn api_error(e: RetellApiError) -> RpcError {
    match e {
        RetellApiError::CircuitOpen(refused) => guard::open(RETELL_API, refused),
        RetellApiError::Unauthorized(_) => RpcError::invalid_field("retell_api_key", e.to_string()),
        RetellApiError::NotFound(_) => RpcError::new(codes::NOT_FOUND, e.to_string()),
        RetellApiError::Failed(_) => {
            RpcError::downstream_failed(RETELL_API, codes::UPSTREAM_FAILED, e.to_string())
        }
    }
}
