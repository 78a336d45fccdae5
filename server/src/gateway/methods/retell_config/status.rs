//! `retell.config.status`: "connected" only when Retell confirms it — the key is accepted, the
//! bound agents exist, their webhook settings and Slotline's tools are what Slotline deploys
//! and nobody changed them in Retell since (drift) — plus the last events that arrived and
//! what is still missing, as sentences. Asks Retell live; a Retell outage is reported, not
//! raised.

use super::super::calls::tenant_zone;
use super::super::local;
use super::deploy::{desired_base, engine_problem};
use super::webhook_url;
use crate::gateway::{store_failure, Ctx, Services};
use crate::retell_api::RetellApiError;
use crate::retell_setup::deploy;
use app::contract::{LastEvent, NoParams, RetellStatus, RpcError, StatusCheck};
use std::collections::BTreeMap;

fn check(name: &str, ok: bool, detail: impl Into<String>) -> StatusCheck {
    StatusCheck {
        name: name.into(),
        ok,
        detail: detail.into(),
    }
}

/// What the agents showed, gathered over all bound agents.
#[derive(Default)]
struct Findings {
    key: Option<Result<(), String>>,
    agents_found: Vec<String>,
    agents_missing: Vec<String>,
    webhook_off: Vec<String>,
    tool_changes: usize,
    tool_problems: Vec<String>,
    drift: Vec<String>,
}

/// `retell.config.status`.
pub(super) async fn run(s: Services, ctx: Ctx, _p: NoParams) -> Result<RetellStatus, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let tz = tenant_zone(&s, tenant_id).await?;
    let mut cfg = s
        .store
        .retell_config(tenant_id)
        .await
        .map_err(store_failure)?;
    let last_events: Vec<LastEvent> = s
        .store
        .last_events(tenant_id)
        .await
        .map_err(store_failure)?
        .into_iter()
        .map(|(event, at)| LastEvent {
            event,
            at_local: local(at, &tz).unwrap_or_default(),
        })
        .collect();
    let mut checks = Vec::new();
    let mut missing = Vec::new();
    let key = cfg
        .key_sealed
        .as_deref()
        .and_then(|sealed| s.secrets.open_for(tenant_id, sealed).ok());
    let agents = s
        .store
        .tenant_agents(tenant_id)
        .await
        .map_err(store_failure)?;
    let mut f = Findings::default();
    match &key {
        None => f.key = Some(Err("No usable Retell API key is stored.".into())),
        Some(key) if agents.is_empty() => f.key = Some(verify(&s, key).await),
        Some(key) => inspect(&s, tenant_id, key, &agents, &cfg, &mut f).await?,
    }
    if let Some(Ok(())) = f.key {
        s.store
            .mark_retell_key_verified(tenant_id)
            .await
            .map_err(store_failure)?;
        cfg.key_verified_at = Some(s.store.now_ms());
    }
    let verified = cfg.key_verified_at.and_then(|ms| local(ms, &tz));
    match &f.key {
        Some(Ok(())) => checks.push(check("key", true, "Retell accepts the API key.")),
        Some(Err(why)) => {
            checks.push(check("key", false, why.clone()));
            missing.push(
                "Paste a current Retell API key (Retell dashboard → Settings → API Keys) and save it."
                    .to_owned(),
            );
        }
        None => checks.push(check("key", false, "The key could not be checked.")),
    }
    if agents.is_empty() {
        checks.push(check(
            "agent",
            false,
            "No Retell agent is bound to this business.",
        ));
        missing.push("Pick your agent in the agent list and press Bind.".into());
    } else if !f.agents_missing.is_empty() {
        checks.push(check(
            "agent",
            false,
            format!(
                "Retell does not know {} any more.",
                f.agents_missing.join(", ")
            ),
        ));
        missing.push("Bind an agent that exists in your Retell account.".into());
    } else if f.agents_found.is_empty() {
        checks.push(check("agent", false, "The agents could not be checked."));
    } else {
        checks.push(check(
            "agent",
            true,
            format!("Retell knows {}.", f.agents_found.join(", ")),
        ));
    }
    let checked = !f.agents_found.is_empty();
    if !checked {
        checks.push(check("webhook", false, "Not checked: needs a found agent."));
        checks.push(check("tools", false, "Not checked: needs a found agent."));
    } else {
        let hook_ok = f.webhook_off.is_empty();
        checks.push(check(
            "webhook",
            hook_ok,
            if hook_ok {
                format!("Retell sends the agent's events to {}.", webhook_url(&s))
            } else {
                format!(
                    "{}: the webhook settings differ from Slotline's.",
                    f.webhook_off.join(", ")
                )
            },
        ));
        let tools_ok = f.tool_changes == 0 && f.tool_problems.is_empty();
        checks.push(check(
            "tools",
            tools_ok,
            if tools_ok {
                "Slotline's custom functions are deployed as configured.".to_owned()
            } else if !f.tool_problems.is_empty() {
                f.tool_problems.join(" ")
            } else {
                format!(
                    "{} of Slotline's tool settings differ from what Retell has.",
                    f.tool_changes
                )
            },
        ));
        if !hook_ok || f.tool_changes > 0 {
            missing.push(
                "Deploy (dry run, then apply) to put Slotline's settings into Retell.".into(),
            );
        }
    }
    if !f.drift.is_empty() {
        missing.push(format!(
            "Someone changed {} in Retell after the last deploy; deploy again to restore Slotline's settings.",
            f.drift.join(", ")
        ));
    }
    if last_events.is_empty() {
        missing.push("No call has reached Slotline yet: call your number once to try it.".into());
    }
    let connected = checks.iter().all(|c| c.ok) && f.drift.is_empty();
    Ok(RetellStatus {
        connected,
        checks,
        missing,
        drift: f.drift,
        key_verified_local: verified,
        last_events,
    })
}

/// Whether Retell accepts `key` (one list request).
async fn verify(s: &Services, key: &str) -> Result<(), String> {
    match s.retell_api.list_agents(key).await {
        Ok(_) => Ok(()),
        Err(e @ RetellApiError::Unauthorized(_)) => Err(e.to_string()),
        Err(e) => Err(format!("The key could not be checked now: {e}.")),
    }
}

/// Looks at every bound agent and its LLM.
async fn inspect(
    s: &Services,
    tenant_id: i64,
    key: &str,
    agents: &[String],
    cfg: &crate::store::retell::RetellConfigRow,
    f: &mut Findings,
) -> Result<(), RpcError> {
    let desired = desired_base(s, tenant_id, cfg);
    let deployed = s
        .store
        .deployments(tenant_id)
        .await
        .map_err(store_failure)?;
    for agent_id in agents {
        let agent = match s.retell_api.get_agent(key, agent_id).await {
            Ok(a) => a,
            Err(RetellApiError::NotFound(_)) => {
                f.key.get_or_insert(Ok(()));
                f.agents_missing.push(agent_id.clone());
                continue;
            }
            Err(e @ RetellApiError::Unauthorized(_)) => {
                f.key = Some(Err(e.to_string()));
                return Ok(());
            }
            Err(e) => {
                f.key = Some(Err(format!("Retell could not be asked now: {e}.")));
                return Ok(());
            }
        };
        f.key = Some(Ok(()));
        f.agents_found.push(agent_id.clone());
        let mut llm_failed = false;
        let llm = match agent.llm_id() {
            Some(id) => match s.retell_api.get_llm(key, id).await {
                Ok(v) => Some(v),
                Err(e) => {
                    f.tool_problems.push(format!("{agent_id}: {e}."));
                    llm_failed = true;
                    None
                }
            },
            None => {
                f.tool_problems
                    .push(format!("{agent_id}: {}.", engine_problem(&agent)));
                None
            }
        };
        let plan = deploy::plan(&agent, llm.as_ref(), &desired);
        if plan.changes.iter().any(|c| c.field.starts_with("agent.")) {
            f.webhook_off.push(agent_id.clone());
        }
        f.tool_changes += plan
            .changes
            .iter()
            .filter(|c| c.field.starts_with("llm."))
            .count();
        let row = deployed
            .iter()
            .find(|d| &d.agent_id == agent_id)
            .filter(|_| !llm_failed);
        if let Some(row) = row {
            let stored: BTreeMap<String, String> =
                serde_json::from_str(&row.fingerprint).unwrap_or_default();
            let now = crate::retell_setup::drift::fingerprint(
                &agent,
                llm.as_ref(),
                stored.contains_key("llm.general_prompt"),
                stored.keys().any(|k| k.starts_with("llm.mcps")),
            );
            f.drift.extend(
                crate::retell_setup::drift::drift(&stored, &now)
                    .into_iter()
                    .map(|field| format!("{agent_id}: {field}")),
            );
        }
    }
    Ok(())
}
