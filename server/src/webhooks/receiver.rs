//! `POST /api/webhooks/retell`: checks, verifies and durably stores one event, then wakes
//! the worker. Every refusal is a JSON error with a status Retell understands.

use super::event::Envelope;
use super::signature::{Signature, SignatureError};
use super::Webhooks;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Largest accepted body.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Why a webhook request was refused.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// Not `application/json`.
    #[error("send the body as application/json")]
    ContentType,
    /// Body over the limit or unreadable.
    #[error("the body must be at most 1 MiB")]
    TooLarge,
    /// Signature problems (the answer is the same as for an unknown agent).
    #[error("{}", super::signature::UNAUTHORIZED_MESSAGE)]
    Signature(#[from] SignatureError),
    /// No tenant with this agent id / number, or it has no Retell API key yet.
    #[error("{}", super::signature::UNAUTHORIZED_MESSAGE)]
    UnknownAgent,
    /// Body is not a webhook.
    #[error("{0}")]
    Body(#[from] super::event::EnvelopeError),
    /// Could not store it; Retell should retry.
    #[error("the event could not be stored; please retry")]
    Store,
}

impl WebhookError {
    /// Label for the rejection counter.
    pub fn label(&self) -> &'static str {
        match self {
            WebhookError::ContentType => "content_type",
            WebhookError::TooLarge => "too_large",
            WebhookError::Signature(s) => s.label(),
            WebhookError::UnknownAgent => "unknown_agent",
            WebhookError::Body(_) => "malformed_body",
            WebhookError::Store => "store_error",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            WebhookError::ContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            WebhookError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebhookError::Signature(_) | WebhookError::UnknownAgent => StatusCode::UNAUTHORIZED,
            WebhookError::Body(_) => StatusCode::BAD_REQUEST,
            WebhookError::Store => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl IntoResponse for WebhookError {
    fn into_response(self) -> Response {
        // Refusals for the signature or the tenant share one body; the label stays in the
        // logs and metrics only.
        let error = match self {
            WebhookError::Signature(_) | WebhookError::UnknownAgent => "unauthorized",
            _ => self.label(),
        };
        let body = Json(json!({ "error": error, "message": self.to_string() }));
        (self.status(), body).into_response()
    }
}

/// The route handler.
pub async fn receive(
    State(hooks): State<Webhooks>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match accept(&hooks, &headers, body).await {
        Ok(stored) => {
            let status = if stored { "accepted" } else { "duplicate" };
            (StatusCode::OK, Json(json!({ "status": status }))).into_response()
        }
        Err(e) => {
            hooks.stats.rejection(e.label());
            if matches!(e, WebhookError::Store) {
                hooks.stats.error(None, None, e.to_string());
            }
            tracing::warn!(reason = e.label(), "webhook refused");
            e.into_response()
        }
    }
}

/// Checks and stores; `Ok(true)` for a new event, `Ok(false)` for a repeat.
async fn accept(
    hooks: &Webhooks,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<bool, WebhookError> {
    if !super::signature::is_json(headers) {
        return Err(WebhookError::ContentType);
    }
    let body = body.map_err(|_| WebhookError::TooLarge)?;
    let signature = Signature::from_headers(headers)?;
    let envelope = Envelope::parse(&body)?;
    let call = &envelope.call;
    let found = hooks
        .tenant_key(call.agent_id.as_deref(), call.to_number.as_deref())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "tenant lookup failed");
            WebhookError::Store
        })?
        .ok_or_else(|| {
            // The same work as for a known tenant, so timing tells nothing either.
            let _ = signature.verify(&body, "no tenant", crate::store::now_ms());
            WebhookError::UnknownAgent
        })?;
    let tenant_id = found.tenant_id;
    signature.verify(&body, &found.api_key, crate::store::now_ms())?;
    let payload = std::str::from_utf8(&body).map_err(|_| {
        WebhookError::Body(super::event::EnvelopeError::Shape(
            "the body is not UTF-8".into(),
        ))
    })?;
    // The writer logs why a store failed.
    let stored = hooks
        .inbox
        .store(tenant_id, &call.call_id, &envelope.event, payload)
        .await
        .map_err(|_| WebhookError::Store)?;
    hooks.stats.outcome(
        tenant_id,
        &envelope.event,
        if stored { "accepted" } else { "duplicate" },
    );
    if stored {
        hooks.wake.notify_one();
    }
    Ok(stored)
}
