//! `dashboard.calls|latency|webhooks|recovery|breakers`: the dashboard's charts for the
//! caller's tenant, per local day of its time zone, from the database (so they survive a
//! restart and every instance shows the same), as of the injected clock.

mod days;

use crate::gateway::{store_failure, Access, Ctx, Registry, Services};
use app::contract::{
    BreakerHistory, BreakerNow, BreakerTransition, CallDay, CallSeries, EventCount, LatencyDay,
    LatencySeries, RecoveryDay, RecoverySeries, RpcError, SeriesParams, WebhookDay, WebhookSeries,
};
use days::{percentile, Days};
use jiff::tz::TimeZone;

/// The dashboard's method names, all reads.
pub(super) const METHODS: [&str; 5] = [
    "dashboard.calls",
    "dashboard.latency",
    "dashboard.webhooks",
    "dashboard.recovery",
    "dashboard.breakers",
];

/// Most breaker changes one answer lists.
const MAX_TRANSITIONS: i64 = 50;

pub(super) fn register(r: &mut Registry) {
    r.register(
        METHODS[0],
        "Calls per local day, calls that booked, appointments made by phone and the booking rate (booked calls / calls).",
        Access::Admin,
        calls,
    );
    r.register(
        METHODS[1],
        "Custom-function answer times per local day: p50 and p95 in ms, calls and temporary failures.",
        Access::Admin,
        latency,
    );
    r.register(
        METHODS[2],
        "Webhook events per local day by type, and events whose application failed.",
        Access::Admin,
        webhooks,
    );
    r.register(
        METHODS[3],
        "Failed bookings waiting for an admin: now, and at the end of each local day.",
        Access::Admin,
        recovery,
    );
    r.register(
        METHODS[4],
        "Circuit-breaker states as last recorded by each instance, and their recent changes (when one opened, why, when it closed).",
        Access::Admin,
        breakers,
    );
}

/// The caller's tenant, its zone and the requested days ending today.
async fn range(
    s: &Services,
    ctx: &Ctx,
    p: &SeriesParams,
) -> Result<(i64, TimeZone, Days), RpcError> {
    let tenant_id = ctx.tenant_id()?;
    let n = p.days.unwrap_or(7);
    if !(1..=90).contains(&n) {
        return Err(RpcError::invalid_field(
            "days",
            "days must be between 1 and 90",
        ));
    }
    let tz = super::calls::tenant_zone(s, tenant_id).await?;
    let days = Days::ending(s.store.clock().now(), &tz, n)
        .ok_or_else(|| RpcError::internal("the days of this range cannot be computed"))?;
    Ok((tenant_id, tz, days))
}

/// `part / whole`, rounded to four places; `None` when `whole` is 0.
fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0)
}

async fn calls(s: Services, ctx: Ctx, p: SeriesParams) -> Result<CallSeries, RpcError> {
    let (tenant_id, tz, days) = range(&s, &ctx, &p).await?;
    let (from, to) = (days.start_ms(), days.end_ms());
    let calls = s
        .store
        .dashboard_calls(tenant_id, from, to)
        .await
        .map_err(store_failure)?;
    let bookings = s
        .store
        .dashboard_phone_bookings(tenant_id, from, to)
        .await
        .map_err(store_failure)?;
    let per_day = days.count(calls.iter().map(|c| c.at));
    let booked = days.count(calls.iter().filter(|c| c.booked).map(|c| c.at));
    let made = days.count(bookings);
    let total_calls: i64 = per_day.iter().sum();
    let total_booked: i64 = booked.iter().sum();
    Ok(CallSeries {
        time_zone: tz.iana_name().unwrap_or("UTC").to_owned(),
        days: days
            .labels()
            .into_iter()
            .enumerate()
            .map(|(i, day)| CallDay {
                day,
                calls: per_day[i],
                booked_calls: booked[i],
                phone_bookings: made[i],
                booking_rate: rate(booked[i], per_day[i]),
            })
            .collect(),
        total_calls,
        booking_rate: rate(total_booked, total_calls),
    })
}

async fn latency(s: Services, ctx: Ctx, p: SeriesParams) -> Result<LatencySeries, RpcError> {
    let (tenant_id, _tz, days) = range(&s, &ctx, &p).await?;
    let points = s
        .store
        .dashboard_functions(tenant_id, days.start_ms(), days.end_ms())
        .await
        .map_err(store_failure)?;
    let mut per_day: Vec<(i64, i64, Vec<i64>)> = vec![(0, 0, Vec::new()); days.len()];
    let mut all = Vec::new();
    for point in &points {
        let Some(i) = days.index(point.at) else {
            continue;
        };
        let (calls, failures, millis) = &mut per_day[i];
        *calls += 1;
        *failures += i64::from(point.failed);
        if let Some(d) = point.duration_ms {
            millis.push(d);
            all.push(d);
        }
    }
    all.sort_unstable();
    Ok(LatencySeries {
        days: days
            .labels()
            .into_iter()
            .zip(per_day)
            .map(|(day, (calls, failures, mut millis))| {
                millis.sort_unstable();
                LatencyDay {
                    day,
                    calls,
                    failures,
                    p50_ms: percentile(&millis, 0.5),
                    p95_ms: percentile(&millis, 0.95),
                }
            })
            .collect(),
        p50_ms: percentile(&all, 0.5),
        p95_ms: percentile(&all, 0.95),
    })
}

async fn webhooks(s: Services, ctx: Ctx, p: SeriesParams) -> Result<WebhookSeries, RpcError> {
    let (tenant_id, _tz, days) = range(&s, &ctx, &p).await?;
    let points = s
        .store
        .dashboard_webhooks(tenant_id, days.start_ms(), days.end_ms())
        .await
        .map_err(store_failure)?;
    let mut event_types: Vec<String> = points.iter().map(|p| p.event.clone()).collect();
    event_types.sort();
    event_types.dedup();
    let mut counts = vec![vec![0i64; event_types.len()]; days.len()];
    let mut errors = vec![0i64; days.len()];
    for point in &points {
        let Some(i) = days.index(point.at) else {
            continue;
        };
        if let Ok(t) = event_types.binary_search(&point.event) {
            counts[i][t] += 1;
        }
        errors[i] += i64::from(point.error);
    }
    Ok(WebhookSeries {
        days: days
            .labels()
            .into_iter()
            .enumerate()
            .map(|(i, day)| WebhookDay {
                day,
                by_type: event_types
                    .iter()
                    .zip(&counts[i])
                    .map(|(event, count)| EventCount {
                        event: event.clone(),
                        count: *count,
                    })
                    .collect(),
                errors: errors[i],
            })
            .collect(),
        event_types,
    })
}

async fn recovery(s: Services, ctx: Ctx, p: SeriesParams) -> Result<RecoverySeries, RpcError> {
    let (tenant_id, _tz, days) = range(&s, &ctx, &p).await?;
    let now = s.store.now_ms();
    let spans = s
        .store
        .dashboard_recovery(tenant_id, days.start_ms(), days.end_ms())
        .await
        .map_err(store_failure)?;
    let queued = days.count(spans.iter().map(|r| r.opened));
    let waiting_at = |at: i64| {
        spans
            .iter()
            .filter(|r| r.opened < at && r.closed.is_none_or(|c| c >= at))
            .count() as i64
    };
    Ok(RecoverySeries {
        waiting_now: spans.iter().filter(|r| r.closed.is_none()).count() as i64,
        days: days
            .labels()
            .into_iter()
            .enumerate()
            .map(|(i, day)| RecoveryDay {
                day,
                queued: queued[i],
                waiting: waiting_at(days.end_of(i).min(now)),
            })
            .collect(),
    })
}

async fn breakers(s: Services, ctx: Ctx, p: SeriesParams) -> Result<BreakerHistory, RpcError> {
    let (_tenant_id, tz, days) = range(&s, &ctx, &p).await?;
    let at_local = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .map(|t| {
                t.to_zoned(tz.clone())
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string()
            })
            .unwrap_or_default()
    };
    let latest = s.store.breaker_latest().await.map_err(store_failure)?;
    let recent = s
        .store
        .breaker_transitions(days.start_ms(), MAX_TRANSITIONS)
        .await
        .map_err(store_failure)?;
    Ok(BreakerHistory {
        current: latest
            .into_iter()
            .map(|t| BreakerNow {
                reason: if t.to_state == "closed" {
                    None
                } else {
                    t.reason
                },
                since_local: at_local(t.at),
                circuit: t.circuit,
                instance: t.instance,
                state: t.to_state,
            })
            .collect(),
        transitions: recent
            .into_iter()
            .map(|t| BreakerTransition {
                at_local: at_local(t.at),
                circuit: t.circuit,
                instance: t.instance,
                from: t.from_state,
                to: t.to_state,
                reason: t.reason,
            })
            .collect(),
    })
}
