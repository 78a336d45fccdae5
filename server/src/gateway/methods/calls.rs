//! `calls.*` and `webhooks.*`: the caller's tenant's calls and webhook monitoring.

use super::local;
use crate::gateway::{store_failure, Access, Ctx, Registry, Services};
use crate::store::calls::CallFilter;
use crate::store::webhooks::CallRecord;
use app::contract::{
    codes, ActivityError, CallAppointment, CallDetail, CallListParams, CallOutcome, CallRef,
    CallSummary, EventActivity, FunctionCallInfo, NoParams, ReplayResult, RpcError,
    WebhookActivity,
};

pub(super) fn register(r: &mut Registry) {
    r.register(
        "calls.list",
        "The tenant's most recent calls, newest first, optionally from/to local days, by outcome (booked, changed, cancelled, nothing, failed) and caller digits.",
        Access::Tenant,
        list,
    );
    r.register(
        "calls.get",
        "One call: transcript, summary, sentiment, duration, every custom-function call with its arguments and Slotline's reply, and the appointments it created, moved or cancelled.",
        Access::Tenant,
        get,
    );
    r.register(
        "calls.replay",
        "Re-sends a stored call's custom-function calls and webhooks, in order, against a scratch copy of the schedule as it was when the call started (set-up as it is today) and returns the original and today's replies side by side, flagging where they differ. Changes nothing.",
        Access::Admin,
        replay,
    );
    r.register(
        "webhooks.activity",
        "Webhook events of the tenant by type and outcome, apply latency and recent errors.",
        Access::Tenant,
        activity,
    );
}

/// The tenant's time zone (Europe/Berlin if the stored one is unusable).
pub(super) async fn tenant_zone(
    s: &Services,
    tenant_id: i64,
) -> Result<jiff::tz::TimeZone, RpcError> {
    let tenant = s
        .store
        .tenant_by_id(tenant_id)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| RpcError::new(codes::NOT_FOUND, "your tenant no longer exists"))?;
    Ok(jiff::tz::TimeZone::get(&tenant.time_zone)
        .or_else(|_| jiff::tz::TimeZone::get("Europe/Berlin"))
        .unwrap_or(jiff::tz::TimeZone::UTC))
}

/// A local day `YYYY-MM-DD` of a filter field, as the UTC ms of its start (`next`: of the
/// day after).
fn day_ms(tz: &jiff::tz::TimeZone, field: &str, raw: &str, next: bool) -> Result<i64, RpcError> {
    let day = crate::booking::hours::parse_date(field, raw)
        .map_err(|e| RpcError::invalid_field(&e.field, e.message))?;
    let day = if next {
        day.tomorrow().unwrap_or(day)
    } else {
        day
    };
    day.to_zoned(tz.clone())
        .map(|z| z.timestamp().as_millisecond())
        .map_err(|_| {
            RpcError::invalid_field(field, "that day does not exist in the business's time zone")
        })
}

/// A call as the list shows it.
fn summary(c: CallRecord, outcome: &str, tz: &jiff::tz::TimeZone) -> CallSummary {
    CallSummary {
        started_local: c.start_ms.and_then(|ms| local(ms, tz)),
        duration_secs: c.duration_ms.map(|ms| (ms + 500) / 1000),
        call_id: c.call_id,
        from_number: c.from_number,
        status: c.call_status,
        sentiment: c.sentiment,
        summary: c.summary,
        disconnection_reason: c.disconnection_reason,
        outcome: CallOutcome::parse(outcome).unwrap_or(CallOutcome::Nothing),
    }
}

async fn list(s: Services, ctx: Ctx, p: CallListParams) -> Result<Vec<CallSummary>, RpcError> {
    let tenant_id = ctx.tenant_id()?;
    let limit = p.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(RpcError::invalid_field(
            "limit",
            "limit must be between 1 and 200",
        ));
    }
    let tz = tenant_zone(&s, tenant_id).await?;
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let filter = CallFilter {
        from_ms: given(&p.from)
            .map(|d| day_ms(&tz, "from", &d, false))
            .transpose()?,
        to_ms: given(&p.to)
            .map(|d| day_ms(&tz, "to", &d, true))
            .transpose()?,
        outcome: p.outcome.map(CallOutcome::as_str),
        caller_digits: given(&p.caller).map(|c| c.chars().filter(char::is_ascii_digit).collect()),
        limit,
    };
    let calls = s
        .store
        .calls_filtered(tenant_id, &filter)
        .await
        .map_err(store_failure)?;
    Ok(calls
        .into_iter()
        .map(|(c, outcome)| summary(c, &outcome, &tz))
        .collect())
}

/// JSON text as a value (text that is not JSON as a string).
fn json_of(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.to_owned()))
}

async fn get(s: Services, ctx: Ctx, p: CallRef) -> Result<CallDetail, RpcError> {
    let tenant_id = ctx.tenant_id()?;
    let view = s.scheduler.view(tenant_id).await.map_err(|e| e.rpc())?;
    let (call, outcome) = s
        .store
        .call_with_outcome(tenant_id, &p.call_id)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| RpcError::new(codes::NOT_FOUND, "there is no such call in this business"))?;
    let functions = s
        .store
        .function_calls(tenant_id, &p.call_id)
        .await
        .map_err(store_failure)?;
    let touched = s
        .store
        .appointments_touched_by_call(tenant_id, &p.call_id)
        .await
        .map_err(store_failure)?;
    let seconds = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .map(|t| {
                t.to_zoned(view.tz.clone())
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string()
            })
            .unwrap_or_default()
    };
    Ok(CallDetail {
        to_number: call.to_number.clone(),
        transcript: call.transcript.clone(),
        recording_url: call.recording_url.clone(),
        successful: call.successful,
        call: summary(call, &outcome, &view.tz),
        function_calls: functions
            .iter()
            .map(|f| FunctionCallInfo {
                at_local: seconds(f.at),
                function: f.function.clone(),
                arguments: json_of(&f.arguments),
                reply: json_of(&f.reply),
                outcome: f.outcome.clone(),
                http_status: f.http_status,
            })
            .collect(),
        appointments: touched
            .iter()
            .map(|(a, actions)| CallAppointment {
                appointment: super::appointments::info(&view, a),
                actions: actions.clone(),
            })
            .collect(),
    })
}

async fn activity(s: Services, ctx: Ctx, _p: NoParams) -> Result<WebhookActivity, RpcError> {
    let tenant_id = ctx.tenant_id()?;
    let tz = tenant_zone(&s, tenant_id).await?;
    let counts = s
        .store
        .inbox_counts(tenant_id)
        .await
        .map_err(store_failure)?;
    let mut events: Vec<EventActivity> = Vec::new();
    for c in counts {
        let idx = match events.iter().position(|e| e.event == c.event) {
            Some(i) => i,
            None => {
                events.push(EventActivity {
                    duplicates: s.webhook_stats.count(tenant_id, &c.event, "duplicate") as i64,
                    event: c.event.clone(),
                    pending: 0,
                    applied: 0,
                    failed: 0,
                });
                events.len() - 1
            }
        };
        let e = &mut events[idx];
        match c.status.as_str() {
            "pending" => e.pending += c.count,
            "applied" => e.applied += c.count,
            _ => e.failed += c.count,
        }
    }
    let recent_errors = s
        .webhook_stats
        .recent_errors()
        .into_iter()
        .rev()
        .filter(|e| e.tenant_id == Some(tenant_id))
        .map(|e| ActivityError {
            at_local: local(e.at_ms, &tz).unwrap_or_default(),
            event: e.event,
            message: e.message,
        })
        .collect();
    Ok(WebhookActivity {
        events,
        avg_apply_ms: s
            .store
            .avg_apply_ms(tenant_id)
            .await
            .map_err(store_failure)?,
        recent_errors,
    })
}

async fn replay(s: Services, ctx: Ctx, p: CallRef) -> Result<ReplayResult, RpcError> {
    let tenant_id = ctx.tenant_id()?;
    crate::input::call_id("call_id", &p.call_id).map_err(crate::gateway::invalid_input)?;
    let tz = tenant_zone(&s, tenant_id).await?;
    crate::replay::replay(&s.store, tenant_id, &p.call_id, &tz)
        .await
        .map_err(|e| match e {
            crate::replay::ReplayError::NotFound(_) => {
                RpcError::new(codes::NOT_FOUND, e.to_string())
            }
            crate::replay::ReplayError::Store(store) => store_failure(store),
            crate::replay::ReplayError::Scratch(_) => {
                tracing::error!(error = %e, "replay failed");
                RpcError::new(
                    codes::INTERNAL,
                    "the replay could not be prepared; try again",
                )
            }
        })
}
