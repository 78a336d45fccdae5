//! `retell.config.getWebhook` / `updateWebhook`: the webhook URL and events, the Retell API
//! key (verified with Retell before it is stored, shown only masked) and the function token.

use super::super::calls::tenant_zone;
use super::super::local;
use super::{api_error, audit, webhook_url};
use crate::gateway::{store_failure, Ctx, Services};
use crate::retell_setup::token::{new_token, GRACE_MS};
use crate::store::retell::TokenRotation;
use app::contract::{
    DeployRecord, FunctionTokenInfo, NoParams, RpcError, UpdateWebhookParams, WebhookConfig,
    WebhookTestResult, DEFAULT_WEBHOOK_EVENTS, FUNCTION_TOKEN_HEADER, RETELL_WEBHOOK_EVENTS,
};

/// The stored events, or Retell's default when none are stored.
pub(super) fn events_of(json: &str) -> Vec<String> {
    match serde_json::from_str::<Vec<String>>(json) {
        Ok(v) if !v.is_empty() => v,
        _ => DEFAULT_WEBHOOK_EVENTS.iter().map(|e| (*e).into()).collect(),
    }
}

/// Everything `getWebhook` shows.
pub(super) async fn load(s: &Services, tenant_id: i64) -> Result<WebhookConfig, RpcError> {
    let tz = tenant_zone(s, tenant_id).await?;
    let cfg = s
        .store
        .retell_config(tenant_id)
        .await
        .map_err(store_failure)?;
    let key = cfg
        .key_sealed
        .as_deref()
        .map(|sealed| match s.secrets.open_for(tenant_id, sealed) {
            Ok(k) => crate::crypto::mask(&k),
            Err(_) => "stored, but it cannot be decrypted: paste it again".into(),
        });
    let now = s.store.now_ms();
    let deploys = s
        .store
        .deployments(tenant_id)
        .await
        .map_err(store_failure)?
        .into_iter()
        .map(|d| DeployRecord {
            agent_id: d.agent_id,
            llm_id: d.llm_id,
            deployed_local: local(d.deployed_at, &tz).unwrap_or_default(),
        })
        .collect();
    Ok(WebhookConfig {
        webhook_url: webhook_url(s),
        events: events_of(&cfg.webhook_events),
        available_events: RETELL_WEBHOOK_EVENTS.iter().map(|e| (*e).into()).collect(),
        retell_api_key: key,
        key_verified_local: cfg.key_verified_at.and_then(|ms| local(ms, &tz)),
        function_token: FunctionTokenInfo {
            set: cfg.function_token_hash.is_some(),
            header: FUNCTION_TOKEN_HEADER.into(),
            created_local: cfg.function_token_created_at.and_then(|ms| local(ms, &tz)),
            previous_valid_until_local: cfg
                .function_token_prev_until
                .filter(|until| *until > now)
                .and_then(|ms| local(ms, &tz)),
        },
        new_function_token: None,
        last_test: cfg
            .last_test_result
            .as_deref()
            .and_then(|t| serde_json::from_str::<WebhookTestResult>(t).ok()),
        deploys,
    })
}

/// `retell.config.getWebhook`.
pub(super) async fn get(s: Services, ctx: Ctx, _p: NoParams) -> Result<WebhookConfig, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    load(&s, tenant_id).await
}

/// A pasted key's form: one word of visible characters.
fn key_form(raw: &str) -> Result<String, RpcError> {
    let key = raw.trim();
    let ok = !key.is_empty() && key.len() <= 256 && key.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(key.to_owned())
    } else {
        Err(RpcError::invalid_field(
            "retell_api_key",
            "paste the API key from Retell's dashboard (Settings → API Keys): one word without spaces",
        ))
    }
}

/// `retell.config.updateWebhook`: everything is checked before anything is stored.
pub(super) async fn update(
    s: Services,
    ctx: Ctx,
    p: UpdateWebhookParams,
) -> Result<WebhookConfig, RpcError> {
    let admin = ctx.admin()?;
    let tenant_id = admin.tenant_id;
    let events = p
        .events
        .as_deref()
        .map(crate::retell_setup::validate_events)
        .transpose()
        .map_err(|m| RpcError::invalid_field("events", m))?;
    let key = p.retell_api_key.as_deref().map(key_form).transpose()?;
    if let Some(key) = &key {
        // Retell must accept the key before it replaces the stored one.
        s.retell_api.list_agents(key).await.map_err(|e| match e {
            crate::retell_api::RetellApiError::Unauthorized(code) => RpcError::invalid_field(
                "retell_api_key",
                format!(
                    "Retell refused this API key (HTTP {code}); copy it again from Retell's dashboard (Settings → API Keys). The stored key was kept."
                ),
            ),
            other => {
                let mut err = api_error(other);
                err.message = format!("{}; the key was not stored", err.message);
                err
            }
        })?;
    }
    if let Some(events) = &events {
        let json = serde_json::to_string(events).unwrap_or_else(|_| "[]".into());
        s.store
            .set_webhook_events(tenant_id, &json)
            .await
            .map_err(store_failure)?;
        audit(admin, "retell.config.updateWebhook", "webhook events");
    }
    if let Some(key) = &key {
        s.store
            .set_verified_retell_key(tenant_id, &s.secrets.seal_for(tenant_id, key))
            .await
            .map_err(store_failure)?;
        s.hooks.forget_cached_keys();
        audit(
            admin,
            "retell.config.updateWebhook",
            "Retell API key replaced",
        );
    }
    let mut created = None;
    if p.rotate_function_token {
        let cfg = s
            .store
            .retell_config(tenant_id)
            .await
            .map_err(store_failure)?;
        let token = new_token();
        let hash = crate::auth::token_hash(&token);
        let sealed = s.secrets.seal_for(tenant_id, &token);
        let previous_until = cfg
            .function_token_hash
            .as_ref()
            .map(|_| s.store.now_ms() + GRACE_MS);
        s.store
            .rotate_function_token(
                tenant_id,
                &TokenRotation {
                    hash: &hash,
                    sealed: &sealed,
                    previous_hash: cfg.function_token_hash.as_deref(),
                    previous_until,
                },
            )
            .await
            .map_err(store_failure)?;
        s.hooks.forget_cached_keys();
        let what = if cfg.function_token_hash.is_some() {
            "function token rotated"
        } else {
            "function token generated"
        };
        audit(admin, "retell.config.updateWebhook", what);
        created = Some(token);
    }
    let mut out = load(&s, tenant_id).await?;
    out.new_function_token = created;
    Ok(out)
}
