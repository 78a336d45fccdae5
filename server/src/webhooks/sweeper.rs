//! Holds whose `call_ended` never arrived. The caller was told the appointment is booked, so a
//! lost webhook must not leave the slot held forever: holds older than their tenant's hold
//! lifetime (booking rule `hold_min`, default [`HOLD_GRACE`], longer than any call) are finalized as call_ended would — booked, or queued for recovery when they
//! no longer fit — with the sweeper named in the appointment's history. A call_ended arriving
//! later finds nothing left to book.

use crate::scheduling::Scheduler;
use crate::store::Store;
use std::time::Duration;

/// How old a hold must be before its call is taken as ended, unless the tenant's rules say.
pub const HOLD_GRACE: Duration = Duration::from_secs(2 * 3600);

/// How often the worker sweeps.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Calls handled per sweep.
const CALLS_PER_SWEEP: i64 = 100;

/// Finalizes the holds of calls older than their tenant's hold lifetime as of `now_ms`;
/// returns how many appointments were booked.
pub async fn sweep(store: &Store, scheduler: &Scheduler, now_ms: i64) -> usize {
    let default_min = (HOLD_GRACE.as_secs() / 60) as i64;
    let calls = match store
        .stale_hold_calls(now_ms, default_min, CALLS_PER_SWEEP)
        .await
    {
        Ok(calls) => calls,
        Err(e) => {
            tracing::error!(error = %e, "looking for stale holds failed");
            return 0;
        }
    };
    let mut booked = 0;
    for (tenant_id, call_id) in calls {
        let failed = match scheduler.failed_holds(tenant_id, &call_id).await {
            Ok(f) => f,
            Err(e) => {
                tracing::error!(error = %e, tenant_id, "checking stale holds failed");
                continue;
            }
        };
        match store
            .finalize_stale_holds(tenant_id, &call_id, &failed)
            .await
        {
            Ok(ids) => {
                tracing::warn!(
                    tenant_id,
                    booked = ids.len(),
                    to_recovery = failed.len(),
                    "call_ended never arrived; holds finalized after the grace period"
                );
                booked += ids.len();
            }
            Err(e) => tracing::error!(error = %e, tenant_id, "finalizing stale holds failed"),
        }
    }
    booked
}
