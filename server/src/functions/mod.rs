//! `POST /api/mcp/gateway/retell/functions/{function}`: Retell's custom functions
//! check_availability, collect_appointment, change_appointment and cancel_appointment.
//! Signed like webhooks; the tenant comes from the call's agent id / called number; the
//! caller's identity is the call's `from_number`. Mutating functions are idempotent per
//! (call, function, arguments), so Retell's retries never book twice.

pub mod args;
pub mod execute;
pub mod log;
mod replies;

use crate::gateway::guard::Circuits;
use crate::scheduling::Scheduler;
use crate::webhooks::signature::{Signature, SignatureError};
use crate::webhooks::Webhooks;
use args::FunctionBody;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use jiff::Timestamp;
use serde_json::json;

/// Largest accepted function body.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The custom functions Slotline offers.
pub const FUNCTIONS: [&str; 4] = [
    "check_availability",
    "collect_appointment",
    "change_appointment",
    "cancel_appointment",
];

/// Shared state of the route.
#[derive(Clone)]
pub struct Functions {
    /// Per-function call statistics (Prometheus).
    pub method_stats: std::sync::Arc<crate::metrics::MethodStats>,
    /// Rate limits (per caller number).
    pub limits: crate::limits::Limits,
    /// Tenant/key resolution and signature keys (shared with the webhook receiver).
    pub hooks: Webhooks,
    /// Scheduling.
    pub scheduler: Scheduler,
    /// Circuit breakers (the RetellCustomFunction server's and the database's).
    pub circuits: Circuits,
}

/// The outcome label of a reply that failed for a store error.
const TEMPORARY_FAILURE: &str = "temporary_failure";

/// Why a function request was refused before any scheduling happened.
#[derive(Debug, thiserror::Error)]
enum RequestError {
    #[error("unknown function {0:?}; Slotline offers check_availability, collect_appointment, change_appointment and cancel_appointment")]
    UnknownFunction(String),
    #[error("send the body as application/json")]
    ContentType,
    #[error("the body must be at most 256 KiB")]
    TooLarge,
    /// A bad signature and an agent or number no tenant uses get the same answer, so nobody
    /// can probe which businesses use Slotline; the log and metrics keep the reason.
    #[error("{}", crate::webhooks::signature::UNAUTHORIZED_MESSAGE)]
    Unauthorized(&'static str),
    #[error("the body is not a Retell function call: {0}")]
    Body(String),
    #[error("the request could not be processed; please retry")]
    Store,
}

impl RequestError {
    /// Label for logs.
    fn label(&self) -> &'static str {
        match self {
            RequestError::UnknownFunction(_) => "unknown_function",
            RequestError::ContentType => "content_type",
            RequestError::TooLarge => "too_large",
            RequestError::Unauthorized(reason) => reason,
            RequestError::Body(_) => "malformed_body",
            RequestError::Store => "store_error",
        }
    }
}

impl From<SignatureError> for RequestError {
    fn from(e: SignatureError) -> Self {
        RequestError::Unauthorized(e.label())
    }
}

impl From<crate::input::InputError> for RequestError {
    fn from(e: crate::input::InputError) -> Self {
        RequestError::Body(e.to_string())
    }
}

impl IntoResponse for RequestError {
    fn into_response(self) -> Response {
        let status = match self {
            RequestError::UnknownFunction(_) => StatusCode::NOT_FOUND,
            RequestError::ContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            RequestError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            RequestError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            RequestError::Body(_) => StatusCode::BAD_REQUEST,
            RequestError::Store => StatusCode::SERVICE_UNAVAILABLE,
        };
        let body =
            json!({ "success": false, "error": status.as_u16(), "message": self.to_string() });
        (status, Json(body)).into_response()
    }
}

/// The route handler. Everything about the request (form, signature, tenant) is checked
/// before a breaker is asked, so a refused request neither takes a half-open probe slot nor
/// counts as a success; an open breaker still answers at once.
pub async fn handle(
    State(f): State<Functions>,
    Path(function): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    if let Err(open) = f.circuits.peek(SERVER) {
        return circuit_open(open);
    }
    let (tenant_id, call, refusal) = match verify(&f, &function, &headers, body).await {
        Ok(verified) => verified,
        Err(e) => {
            tracing::warn!(function = %function.chars().take(64).collect::<String>(), reason = e.label(), "custom function refused");
            return e.into_response();
        }
    };
    if let Some(refusal) = refusal {
        return refused(&f, tenant_id, &function, refusal).await;
    }
    let guard = match f.circuits.admit(SERVER) {
        Ok(guard) => guard,
        Err(open) => return circuit_open(open),
    };
    let started = std::time::Instant::now();
    let (outcome, response) = run(&f, tenant_id, &function, call).await;
    let millis = started.elapsed().as_secs_f64() * 1e3;
    f.method_stats.record(
        &format!("retell.functions.{function}"),
        &outcome.label,
        millis,
    );
    guard.settle_route(outcome.outage.then_some("the database failed"));
    response
}

/// The seed server these functions belong to.
pub const SERVER: &str = "RetellCustomFunction";

/// 503 with Retry-After while a breaker is open: the agent hears at once that it should
/// try again instead of waiting on a failing database.
fn circuit_open(e: app::contract::RpcError) -> Response {
    let secs = e
        .data
        .as_ref()
        .and_then(|d| d["retry_after_secs"].as_u64())
        .unwrap_or(1);
    let body = json!({ "success": false, "error": "circuit_open", "retry_after_secs": secs,
        "message": format!("Slotline cannot take bookings right now; please try again in {secs} s") });
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, secs.to_string())],
        Json(body),
    )
        .into_response()
}

/// Why a verified call is answered without running: the tenant switched the function off,
/// or the platform suspended the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// Disabled by the business.
    Disabled,
    /// The tenant is suspended.
    Suspended,
}

/// A refused call: HTTP 200 with a sentence the agent can say, so Retell neither retries nor
/// reports a broken endpoint.
async fn refused(f: &Functions, tenant_id: i64, function: &str, refusal: Refusal) -> Response {
    use app::contract::Locale;
    let locale = match f.scheduler.view(tenant_id).await {
        Ok(v) => v.locale,
        Err(_) => Locale::De,
    };
    let (error, message) = match (refusal, locale) {
        (Refusal::Disabled, Locale::De) => ("function_disabled",
            "Das kann ich am Telefon leider gerade nicht erledigen. Das Team meldet sich gern bei Ihnen."),
        (Refusal::Disabled, Locale::En) => ("function_disabled",
            "I'm sorry, I can't do that by phone right now. The team will be glad to help you."),
        (Refusal::Suspended, Locale::De) => ("tenant_suspended",
            "Termine kann ich am Telefon gerade leider nicht vereinbaren. Bitte wenden Sie sich direkt an das Geschäft, vielen Dank für Ihr Verständnis."),
        (Refusal::Suspended, Locale::En) => ("tenant_suspended",
            "I'm sorry, I can't make appointments by phone at the moment. Please contact the business directly; thank you for your understanding."),
    };
    tracing::info!(
        tenant_id,
        function,
        reason = error,
        "custom function refused"
    );
    f.method_stats
        .record(&format!("retell.functions.{function}"), error, 0.0);
    let body = json!({ "success": false, "error": error, "message": message });
    (StatusCode::OK, Json(body)).into_response()
}

/// Checks content type, size, form, signature, the tenant and its function token; returns the
/// tenant, the body and why the call is refused, if it is (suspended, or disabled).
async fn verify(
    f: &Functions,
    function: &str,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(i64, FunctionBody, Option<Refusal>), RequestError> {
    if !FUNCTIONS.contains(&function) {
        let shown: String = function
            .chars()
            .filter(|c| !c.is_control())
            .take(64)
            .collect();
        return Err(RequestError::UnknownFunction(shown));
    }
    if !crate::webhooks::signature::is_json(headers) {
        return Err(RequestError::ContentType);
    }
    let body = body.map_err(|_| RequestError::TooLarge)?;
    let signature = Signature::from_headers(headers)?;
    let parsed: FunctionBody =
        serde_json::from_slice(&body).map_err(|e| RequestError::Body(e.to_string()))?;
    parsed.call.check()?;
    match &parsed.args {
        Some(args) => crate::input::object("args", args)?,
        None => crate::input::object("", &parsed.rest)?,
    }
    let found = f
        .hooks
        .tenant_key(
            parsed.call.agent_id.as_deref(),
            parsed.call.to_number.as_deref(),
        )
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "tenant lookup failed");
            if e.is_outage() {
                f.circuits.note_database_outage("the database failed");
            }
            RequestError::Store
        })?;
    let Some(tenant) = found else {
        // The same work as a known tenant (an HMAC), so the answer's timing tells nothing.
        let _ = signature.verify(&body, "no tenant", crate::store::now_ms());
        return Err(RequestError::Unauthorized("unknown_agent"));
    };
    // The signature's freshness is a transport check (wall clock); the token's grace period
    // is the business's time (the injected clock).
    signature.verify(&body, &tenant.api_key, crate::store::now_ms())?;
    let now = f.hooks.store.now_ms();
    // Beside Retell's signature: the tenant's function token, when it has one. A missing or
    // wrong token reads exactly like a bad signature.
    let presented = headers
        .get(app::contract::FUNCTION_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok());
    if !tenant.tokens.accepts(presented, now) {
        return Err(RequestError::Unauthorized("bad_function_token"));
    }
    let refusal = if tenant.suspended {
        Some(Refusal::Suspended)
    } else if tenant.disabled.iter().any(|d| d == function) {
        Some(Refusal::Disabled)
    } else {
        None
    };
    Ok((tenant.tenant_id, parsed, refusal))
}

/// How a verified call went, for metrics and the breakers.
struct RunOutcome {
    /// `ok`, an error code, `replayed`, `rate_limited` or `temporary_failure`.
    label: String,
    /// The database as a whole failed.
    outage: bool,
}

/// Runs a verified call; returns the outcome for metrics and breakers, and the response.
async fn run(
    f: &Functions,
    tenant_id: i64,
    function: &str,
    body: FunctionBody,
) -> (RunOutcome, Response) {
    let done = |label: &str| RunOutcome {
        label: label.to_owned(),
        outage: false,
    };
    let args = body.arguments();
    let call = &body.call;
    let said_at = call
        .start_timestamp
        .and_then(|ms| Timestamp::from_millisecond(ms).ok())
        .unwrap_or_else(|| f.scheduler.store().clock().now());
    // The caller's identity is the number Retell saw calling; anything else is no identity.
    let caller = call
        .from_number
        .clone()
        .filter(|n| crate::input::is_e164_form(n))
        .unwrap_or_default();
    if let Err(wait) = f.limits.caller(tenant_id, &caller) {
        let secs = crate::limits::retry_secs(wait);
        tracing::warn!(function, caller = %crate::telemetry::mask_phone(&caller), "custom function rate-limited");
        let body = json!({ "success": false, "error": "rate_limited", "retry_after_secs": secs,
            "message": format!("too many requests from this caller; try again in {secs} s") });
        let response = (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, secs.to_string())],
            Json(body),
        )
            .into_response();
        return (done("rate_limited"), response);
    }
    let invocation = execute::Invocation {
        call_id: Some(call.call_id.clone()),
        caller,
        caller_verified: true,
        said_at,
    };
    let at = f.scheduler.store().now_ms();
    // Latency is measured on the monotonic clock: it is a duration, not a time of the business.
    let started = std::time::Instant::now();
    let (outcome, status, reply) =
        match execute::execute(&f.scheduler, tenant_id, function, &invocation, &args).await {
            execute::Outcome::Json(status, v) => {
                let outcome = done(v["error"].as_str().unwrap_or("ok"));
                (outcome, status, v.to_string())
            }
            execute::Outcome::Written(t) => (done("ok"), StatusCode::OK, t),
            execute::Outcome::Stored(t) => (done("replayed"), StatusCode::OK, t),
            execute::Outcome::Unavailable { outage, body } => (
                RunOutcome {
                    label: TEMPORARY_FAILURE.to_owned(),
                    outage,
                },
                StatusCode::SERVICE_UNAVAILABLE,
                body.to_string(),
            ),
        };
    let logged = crate::store::calls::NewFunctionCall {
        tenant_id,
        call_id: &call.call_id,
        function,
        arguments: &log::redact(&args),
        reply: &log::bounded(&reply, log::MAX_REPLY),
        outcome: &outcome.label,
        http_status: i64::from(status.as_u16()),
        at,
        duration_ms: Some(
            i64::try_from((started.elapsed().as_micros() + 500) / 1000).unwrap_or(i64::MAX),
        ),
    };
    f.scheduler.store().log_function_call(&logged).await;
    let response = (status, [(header::CONTENT_TYPE, "application/json")], reply).into_response();
    (outcome, response)
}
