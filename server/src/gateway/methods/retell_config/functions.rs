//! `retell.config.getCustomFunctions` / `updateCustomFunction` / `getAgentPromptTemplate`.

use super::{audit, function_error};
use crate::functions::FUNCTIONS;
use crate::gateway::{store_failure, Ctx, Services};
use crate::retell_setup::functions::{self as defs, Definition};
use app::contract::{
    CustomFunction, CustomFunctions, NoParams, PromptTemplate, PromptTemplateParams, RpcError,
    UpdateCustomFunctionParams,
};

fn shown(s: &Services, name: &str, d: Definition, customized: bool) -> CustomFunction {
    CustomFunction {
        name: name.to_owned(),
        enabled: d.enabled,
        description: d.description,
        parameters: d.parameters,
        speak_during_execution: d.speak_during_execution,
        execution_message: d.execution_message,
        timeout_ms: d.timeout_ms,
        max_retry: d.max_retry,
        url: defs::url(&s.public_url, name),
        customized,
    }
}

/// The tenant's stored custom-function JSON.
async fn stored(s: &Services, tenant_id: i64) -> Result<String, RpcError> {
    Ok(s.store
        .retell_config(tenant_id)
        .await
        .map_err(store_failure)?
        .custom_functions)
}

/// `retell.config.getCustomFunctions`.
pub(super) async fn get(s: Services, ctx: Ctx, _p: NoParams) -> Result<CustomFunctions, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let json = stored(&s, tenant_id).await?;
    Ok(CustomFunctions {
        functions: defs::effective(&json)
            .into_iter()
            .map(|(name, d, customized)| shown(&s, name, d, customized))
            .collect(),
    })
}

/// `retell.config.updateCustomFunction`.
pub(super) async fn update(
    s: Services,
    ctx: Ctx,
    p: UpdateCustomFunctionParams,
) -> Result<CustomFunction, RpcError> {
    let admin = ctx.admin()?;
    let name = FUNCTIONS
        .iter()
        .copied()
        .find(|f| *f == p.name.trim())
        .ok_or_else(|| {
            RpcError::invalid_field(
                "name",
                format!(
                    "choose one of Slotline's functions: {}",
                    FUNCTIONS.join(", ")
                ),
            )
        })?;
    let json = stored(&s, admin.tenant_id).await?;
    let mut d = if p.reset {
        defs::default_for(name)
    } else {
        defs::effective(&json)
            .into_iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, d, _)| d)
            .unwrap_or_else(|| defs::default_for(name))
    };
    if let Some(v) = p.enabled {
        d.enabled = v;
    }
    if let Some(v) = p.description {
        d.description = v.trim().to_owned();
    }
    if let Some(v) = p.parameters {
        defs::validate_parameters(&v).map_err(function_error)?;
        d.parameters = v;
    }
    if let Some(v) = p.speak_during_execution {
        d.speak_during_execution = v;
    }
    if let Some(v) = p.execution_message {
        d.execution_message = v.trim().to_owned();
    }
    if let Some(v) = p.timeout_ms {
        d.timeout_ms = v;
    }
    if let Some(v) = p.max_retry {
        d.max_retry = v;
    }
    defs::validate(&d).map_err(function_error)?;
    let updated = defs::store_one(&json, name, &d);
    s.store
        .set_custom_functions(admin.tenant_id, &updated)
        .await
        .map_err(store_failure)?;
    // The function route caches which functions are disabled.
    s.hooks.forget_cached_keys();
    audit(
        admin,
        "retell.config.updateCustomFunction",
        &format!("{name} (enabled: {})", d.enabled),
    );
    let customized = d != defs::default_for(name);
    Ok(shown(&s, name, d, customized))
}

/// `retell.config.getAgentPromptTemplate`.
pub(super) async fn prompt(
    s: Services,
    ctx: Ctx,
    p: PromptTemplateParams,
) -> Result<PromptTemplate, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    prompt_for(&s, tenant_id, p.locale).await
}

/// The prompt for the tenant in `locale` (default: the tenant's language).
pub(super) async fn prompt_for(
    s: &Services,
    tenant_id: i64,
    locale: Option<app::contract::Locale>,
) -> Result<PromptTemplate, RpcError> {
    let view = s.scheduler.view(tenant_id).await.map_err(|e| e.rpc())?;
    let json = stored(s, tenant_id).await?;
    let enabled: Vec<&str> = defs::effective(&json)
        .into_iter()
        .filter(|(_, d, _)| d.enabled)
        .map(|(n, _, _)| n)
        .collect();
    Ok(crate::retell_setup::prompt::template(
        &view,
        locale.unwrap_or(view.locale),
        &enabled,
    ))
}
