//! `calls.*` and `webhooks.*`: the caller's tenant's calls and webhook monitoring.

use super::local;
use crate::gateway::{store_failure, Access, Ctx, Registry, Services};
use app::contract::{
    codes, ActivityError, CallListParams, CallSummary, EventActivity, NoParams, RpcError,
    WebhookActivity,
};

pub(super) fn register(r: &mut Registry) {
    r.register(
        "calls.list",
        "The tenant's most recent calls, newest first.",
        Access::Tenant,
        list,
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
    let calls = s
        .store
        .recent_calls(tenant_id, limit)
        .await
        .map_err(store_failure)?;
    Ok(calls
        .into_iter()
        .map(|c| CallSummary {
            started_local: c.start_ms.and_then(|ms| local(ms, &tz)),
            duration_secs: c.duration_ms.map(|ms| (ms + 500) / 1000),
            call_id: c.call_id,
            from_number: c.from_number,
            status: c.call_status,
            sentiment: c.sentiment,
            summary: c.summary,
            disconnection_reason: c.disconnection_reason,
        })
        .collect())
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
