//! `retell.functions.*`: the four Retell custom functions as gateway methods (the seed's
//! RetellCustomFunction server), for MCP clients and integrations with an API token. Same
//! code, rules and replies as `POST /api/mcp/gateway/retell/functions/{function}`.

use crate::functions::args::Args;
use crate::functions::execute::{execute, Invocation, Outcome};
use crate::gateway::{Access, Ctx, Registry, Services};
use app::contract::{RetellFunctionCall, RpcError};
use axum::http::StatusCode;

pub(super) fn register(r: &mut Registry) {
    r.register(
        "retell.functions.check_availability",
        "Free slots near a wished date/time for a service (and staff): {service, date|when, time, staff}.",
        Access::Tenant,
        |s, c, p| run(s, c, p, "check_availability"),
    );
    r.register(
        "retell.functions.collect_appointment",
        "Books the chosen start (held until the call ends when call_id is given): {service, when, customer_name, caller|phone}.",
        Access::Tenant,
        |s, c, p| run(s, c, p, "collect_appointment"),
    );
    r.register(
        "retell.functions.change_appointment",
        "Moves the caller's appointment: {caller, new_date|new_time|when, appointment_id?}.",
        Access::Tenant,
        |s, c, p| run(s, c, p, "change_appointment"),
    );
    r.register(
        "retell.functions.cancel_appointment",
        "Cancels the caller's appointment with a reason: {caller, reason, appointment_id?}.",
        Access::Tenant,
        |s, c, p| run(s, c, p, "cancel_appointment"),
    );
}

async fn run(
    s: Services,
    ctx: Ctx,
    p: RetellFunctionCall,
    function: &'static str,
) -> Result<serde_json::Value, RpcError> {
    let tenant_id = ctx.tenant_id()?;
    if let Some(id) = p.call_id.as_deref() {
        crate::input::call_id("call_id", id).map_err(crate::gateway::invalid_input)?;
    }
    let invocation = Invocation {
        call_id: p.call_id,
        caller: p.caller.unwrap_or_default(),
        caller_verified: false,
        said_at: s.store.clock().now(),
    };
    match execute(
        &s.scheduler,
        tenant_id,
        function,
        &invocation,
        &Args(p.args),
    )
    .await
    {
        Outcome::Json(StatusCode::OK, v) => Ok(v),
        Outcome::Json(_, _) => Err(RpcError::internal(
            "the booking system failed; please retry",
        )),
        Outcome::Unavailable { outage: true, .. } => Err(RpcError::downstream_failed(
            crate::breaker::DATABASE,
            app::contract::codes::INTERNAL,
            "the database failed; please retry",
        )),
        Outcome::Unavailable { outage: false, .. } => Err(RpcError::internal(
            "the booking system could not complete the request; please retry",
        )),
        Outcome::Stored(text) | Outcome::Written(text) => serde_json::from_str(&text)
            .map_err(|_| RpcError::internal("a stored reply could not be read")),
    }
}
