//! Server functions of the notifications page: each calls one `notifications.*` method.

use super::ApiError;
#[cfg(feature = "ssr")]
use crate::contract::{NoParams, OutboxListParams, OutboxResendParams};
use crate::contract::{
    NotificationSettings, NotificationSettingsInput, NotificationTemplate, OutboxEntry,
    TemplateInput, TemplatePreview,
};
use leptos::prelude::*;

/// The newest outgoing messages.
#[server(prefix = "/api/ui", endpoint = "notifications_outbox")]
pub async fn list_outbox() -> Result<Vec<OutboxEntry>, ApiError> {
    super::backend::call("notifications.outbox.list", &OutboxListParams::default()).await
}

/// Queues a message again.
#[server(prefix = "/api/ui", endpoint = "notifications_resend")]
pub async fn resend_message(id: i64) -> Result<bool, ApiError> {
    super::backend::call("notifications.outbox.resend", &OutboxResendParams { id }).await
}

/// The delivery settings (secrets only as set / not set).
#[server(prefix = "/api/ui", endpoint = "notifications_settings_get")]
pub async fn get_notification_settings() -> Result<NotificationSettings, ApiError> {
    super::backend::call("notifications.settings.get", &NoParams {}).await
}

/// Saves the delivery settings.
#[server(
    prefix = "/api/ui",
    endpoint = "notifications_settings_set",
    input = leptos::server_fn::codec::Json
)]
pub async fn set_notification_settings(
    input: NotificationSettingsInput,
) -> Result<NotificationSettings, ApiError> {
    super::backend::call("notifications.settings.set", &input).await
}

/// Every template (defaults where not edited).
#[server(prefix = "/api/ui", endpoint = "notifications_templates")]
pub async fn get_templates() -> Result<Vec<NotificationTemplate>, ApiError> {
    super::backend::call("notifications.templates.get", &NoParams {}).await
}

/// Saves one template.
#[server(
    prefix = "/api/ui",
    endpoint = "notifications_template_set",
    input = leptos::server_fn::codec::Json
)]
pub async fn set_template(input: TemplateInput) -> Result<NotificationTemplate, ApiError> {
    super::backend::call("notifications.templates.set", &input).await
}

/// Renders a template with a sample appointment.
#[server(
    prefix = "/api/ui",
    endpoint = "notifications_preview",
    input = leptos::server_fn::codec::Json
)]
pub async fn preview_template(input: TemplateInput) -> Result<TemplatePreview, ApiError> {
    super::backend::call("notifications.templates.preview", &input).await
}
