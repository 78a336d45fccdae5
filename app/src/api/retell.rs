//! Server functions of the Retell page: each calls one `retell.config.*` gateway method with
//! the admin's session (the gateway decides who may change what).

use super::ApiError;
use crate::contract::{
    BoundAgents, CustomFunction, CustomFunctions, DeployResult, Locale, PromptTemplate,
    RetellAccount, RetellStatus, WebhookConfig, WebhookTestResult,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// A field error made on the server (input the form sent that is not even well-formed).
#[cfg(feature = "ssr")]
fn field_error(field: &str, message: &str) -> ApiError {
    ApiError::Rejected {
        code: crate::contract::codes::INVALID_PARAMS,
        message: message.to_owned(),
        field: Some(field.to_owned()),
    }
}

/// Whether Retell confirms the connection, and what is missing.
#[server(prefix = "/api/ui", endpoint = "retell_status")]
pub async fn get_retell_status() -> Result<RetellStatus, ApiError> {
    super::backend::call("retell.config.status", &crate::contract::NoParams {}).await
}

/// The webhook URL and events, the masked key, the function token and the last test.
#[server(prefix = "/api/ui", endpoint = "retell_webhook")]
pub async fn get_retell_webhook() -> Result<WebhookConfig, ApiError> {
    super::backend::call("retell.config.getWebhook", &crate::contract::NoParams {}).await
}

/// Stores a new Retell API key once Retell accepted it (also works as a plain form POST).
#[server(prefix = "/api/ui", endpoint = "retell_key")]
pub async fn save_retell_key(retell_api_key: String) -> Result<WebhookConfig, ApiError> {
    let params = crate::contract::UpdateWebhookParams {
        retell_api_key: Some(retell_api_key),
        ..Default::default()
    };
    super::backend::call("retell.config.updateWebhook", &params).await
}

/// Sets the webhook events.
#[server(prefix = "/api/ui", endpoint = "retell_events", input = Json)]
pub async fn save_retell_events(events: Vec<String>) -> Result<WebhookConfig, ApiError> {
    let params = crate::contract::UpdateWebhookParams {
        events: Some(events),
        ..Default::default()
    };
    super::backend::call("retell.config.updateWebhook", &params).await
}

/// Generates or rotates the function token; the answer carries it once.
#[server(prefix = "/api/ui", endpoint = "retell_function_token")]
pub async fn rotate_function_token() -> Result<WebhookConfig, ApiError> {
    let params = crate::contract::UpdateWebhookParams {
        rotate_function_token: true,
        ..Default::default()
    };
    super::backend::call("retell.config.updateWebhook", &params).await
}

/// Sends the signed test event and calls each enabled function.
#[server(prefix = "/api/ui", endpoint = "retell_test")]
pub async fn test_retell_webhook() -> Result<WebhookTestResult, ApiError> {
    super::backend::call(
        "retell.config.testWebhook",
        &crate::contract::TestWebhookParams::default(),
    )
    .await
}

/// The four custom functions.
#[server(prefix = "/api/ui", endpoint = "retell_functions")]
pub async fn get_custom_functions() -> Result<CustomFunctions, ApiError> {
    super::backend::call(
        "retell.config.getCustomFunctions",
        &crate::contract::NoParams {},
    )
    .await
}

/// Turns a function on or off.
#[server(prefix = "/api/ui", endpoint = "retell_function_toggle")]
pub async fn toggle_custom_function(
    name: String,
    enabled: bool,
) -> Result<CustomFunction, ApiError> {
    let params = crate::contract::UpdateCustomFunctionParams {
        name,
        enabled: Some(enabled),
        ..Default::default()
    };
    super::backend::call("retell.config.updateCustomFunction", &params).await
}

/// What the function editor sends: every field as typed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FunctionForm {
    /// Function name.
    pub name: String,
    /// Description.
    pub description: String,
    /// The JSON Schema as typed (parsed on the server).
    pub parameters: String,
    /// Speak while it runs.
    pub speak_during_execution: bool,
    /// What to say meanwhile.
    pub execution_message: String,
    /// Timeout in ms, as typed.
    pub timeout_ms: String,
    /// Retries, as typed.
    pub max_retry: String,
}

/// Saves one function's editor; text that is not JSON or not a number is refused on its field.
#[server(prefix = "/api/ui", endpoint = "retell_function_save", input = Json)]
pub async fn save_custom_function(form: FunctionForm) -> Result<CustomFunction, ApiError> {
    let parameters: serde_json::Value = serde_json::from_str(&form.parameters).map_err(|e| {
        field_error(
            "parameters",
            &format!("The parameters are not valid JSON ({e}); paste a JSON Schema object."),
        )
    })?;
    let timeout_ms: u32 = form.timeout_ms.trim().parse().map_err(|_| {
        field_error(
            "timeout_ms",
            "Enter the timeout in milliseconds, e.g. 10000.",
        )
    })?;
    let max_retry: u8 = form
        .max_retry
        .trim()
        .parse()
        .map_err(|_| field_error("max_retry", "Enter the retries as a number from 0 to 5."))?;
    let params = crate::contract::UpdateCustomFunctionParams {
        name: form.name,
        description: Some(form.description),
        parameters: Some(parameters),
        speak_during_execution: Some(form.speak_during_execution),
        execution_message: Some(form.execution_message),
        timeout_ms: Some(timeout_ms),
        max_retry: Some(max_retry),
        ..Default::default()
    };
    super::backend::call("retell.config.updateCustomFunction", &params).await
}

/// Puts Slotline's settings into Retell (or, with `dry_run`, only shows the changes).
#[server(prefix = "/api/ui", endpoint = "retell_deploy")]
pub async fn deploy_to_retell(
    dry_run: bool,
    include_prompt: bool,
    include_mcp: bool,
) -> Result<DeployResult, ApiError> {
    let params = crate::contract::DeployParams {
        dry_run,
        include_prompt,
        include_mcp,
        ..Default::default()
    };
    super::backend::call("retell.config.deployCustomFunctions", &params).await
}

/// The generated agent prompt in `locale`.
#[server(prefix = "/api/ui", endpoint = "retell_prompt")]
pub async fn get_prompt_template(locale: Locale) -> Result<PromptTemplate, ApiError> {
    super::backend::call(
        "retell.config.getAgentPromptTemplate",
        &crate::contract::PromptTemplateParams {
            locale: Some(locale),
        },
    )
    .await
}

/// The Retell account's agents and numbers.
#[server(prefix = "/api/ui", endpoint = "retell_agents")]
pub async fn list_retell_agents() -> Result<RetellAccount, ApiError> {
    super::backend::call("retell.config.listAgents", &crate::contract::NoParams {}).await
}

/// Binds an agent and the numbers Retell routes to it.
#[server(prefix = "/api/ui", endpoint = "retell_bind")]
pub async fn bind_retell_agent(agent_id: String) -> Result<BoundAgents, ApiError> {
    super::backend::call(
        "retell.config.bindAgent",
        &crate::contract::BindAgentParams {
            agent_id,
            phone_numbers: None,
        },
    )
    .await
}

/// Removes a number from the business.
#[server(prefix = "/api/ui", endpoint = "retell_unbind")]
pub async fn unbind_retell_number(e164: String) -> Result<BoundAgents, ApiError> {
    super::backend::call(
        "retell.config.unbindNumber",
        &crate::contract::UnbindNumberParams { e164 },
    )
    .await
}
