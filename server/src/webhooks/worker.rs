//! Applies stored webhook events in arrival order, each exactly once (claim + apply in one
//! transaction). Survives crashes: anything acknowledged but not applied is still `pending`
//! and is picked up after a restart.

use super::event::{call_update, Envelope};
use super::Webhooks;
use crate::scheduling::Scheduler;
use crate::store::recovery::FailedHold;
use crate::store::webhooks::{Applying, CallUpdate, InboxEvent};
use std::time::Duration;
use tokio::sync::watch;

/// Attempts before an event is parked as `failed`.
pub const MAX_ATTEMPTS: i64 = 10;
const BATCH: i64 = 200;
/// Events applied in one transaction. Each event's parse and hold check run before it, and
/// neither depends on the other events of the chunk: only a call's own call_ended changes
/// its holds, and no event changes what a hold is checked against.
const CHUNK: usize = 50;
/// How long the worker, once caught up, lets new events gather before it looks again.
const GATHER: Duration = Duration::from_millis(50);

/// Runs until `shutdown` turns true; finishes the event in hand first.
pub async fn run(hooks: Webhooks, mut shutdown: watch::Receiver<bool>) {
    let scheduler = Scheduler::new(hooks.store.clone());
    let mut next_sweep = tokio::time::Instant::now();
    loop {
        if *shutdown.borrow() {
            return;
        }
        if tokio::time::Instant::now() >= next_sweep {
            super::sweeper::sweep(&hooks.store, &scheduler, hooks.store.now_ms()).await;
            next_sweep = tokio::time::Instant::now() + super::sweeper::SWEEP_EVERY;
        }
        match hooks.store.pending_inbox_events(BATCH).await {
            Ok(batch) if batch.is_empty() => {
                tokio::select! {
                    _ = hooks.wake.notified() => {}
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    _ = shutdown.changed() => return,
                }
            }
            Ok(batch) => {
                let gather = (batch.len() as i64) < BATCH;
                let mut failures = 0;
                for chunk in batch.chunks(CHUNK) {
                    if *shutdown.borrow() {
                        return;
                    }
                    if apply_together(&hooks, &scheduler, chunk).await {
                        continue;
                    }
                    for event in chunk {
                        if *shutdown.borrow() {
                            return;
                        }
                        if !apply(&hooks, &scheduler, event).await {
                            failures += 1;
                        }
                    }
                }
                if failures > 0 {
                    // Failed events wait for their backoff; do not spin on them.
                    tokio::time::sleep(Duration::from_millis(200)).await;
                } else if gather {
                    // Caught up: let the next events gather for a moment, so a burst is
                    // applied in a few large transactions instead of many small ones that
                    // take the CPU and the write lock from the receiver.
                    tokio::select! {
                        _ = tokio::time::sleep(GATHER) => {}
                        _ = shutdown.changed() => return,
                    }
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "reading the webhook inbox failed");
                hooks
                    .stats
                    .error(None, None, "reading the webhook inbox failed".into());
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Applies a chunk of events in one transaction; false when any of them cannot be prepared
/// or the transaction fails, and then nothing of the chunk is applied (the caller applies
/// the events one by one, recording each failure on its own event).
async fn apply_together(hooks: &Webhooks, scheduler: &Scheduler, chunk: &[InboxEvent]) -> bool {
    if chunk.len() < 2 {
        return false;
    }
    let mut prepared = Vec::with_capacity(chunk.len());
    for event in chunk {
        let Ok(Prepared {
            update,
            failed_holds,
        }) = prepare(scheduler, event).await
        else {
            return false;
        };
        prepared.push((event, update, failed_holds));
    }
    let batch: Vec<Applying<'_>> = prepared
        .iter()
        .map(|(event, update, failed_holds)| Applying {
            event,
            update: update.as_ref(),
            failed_holds,
        })
        .collect();
    let applied = match hooks.store.apply_inbox_events(&batch).await {
        Ok(applied) => applied,
        Err(e) => {
            tracing::warn!(error = %e, events = chunk.len(), "applying webhook events together failed; applying them one by one");
            return false;
        }
    };
    for ((event, update, failed_holds), done) in prepared.iter().zip(applied) {
        if done {
            applied_now(hooks, event, update.is_none());
        }
        if !failed_holds.is_empty() {
            tracing::warn!(call_id = %event.call_id, count = failed_holds.len(), "held appointments need recovery");
        }
    }
    true
}

/// Counts an applied event.
fn applied_now(hooks: &Webhooks, event: &InboxEvent, nothing_to_apply: bool) {
    hooks
        .stats
        .outcome(event.tenant_id, &event.event, "applied");
    hooks
        .stats
        .applied_after(&event.event, hooks.store.now_ms() - event.received_at);
    if nothing_to_apply {
        tracing::info!(event = %event.event, call_id = %event.call_id, "webhook event logged, nothing to apply");
    }
}

/// What an event changes, read before its transaction.
struct Prepared {
    update: Option<CallUpdate>,
    failed_holds: Vec<FailedHold>,
}

/// Parses a stored event and, for call_ended, finds its call's holds that cannot be booked.
/// On failure: the message and how many attempts the event gets in all.
async fn prepare(scheduler: &Scheduler, event: &InboxEvent) -> Result<Prepared, (String, i64)> {
    // The receiver checked this shape already; a stored body that no longer parses will not
    // parse on a retry either, so it is parked at once (one attempt).
    let envelope = Envelope::parse(event.payload.as_bytes()).map_err(|e| (e.to_string(), 1))?;
    let update = call_update(&envelope.event, &envelope.call);
    let failed_holds = if event.event == "call_ended" {
        scheduler
            .failed_holds(event.tenant_id, &event.call_id)
            .await
            .map_err(|e| (e.to_string(), MAX_ATTEMPTS))?
    } else {
        Vec::new()
    };
    Ok(Prepared {
        update,
        failed_holds,
    })
}

/// Applies one event; false when it failed (it stays pending until MAX_ATTEMPTS).
async fn apply(hooks: &Webhooks, scheduler: &Scheduler, event: &InboxEvent) -> bool {
    let Prepared {
        update,
        failed_holds,
    } = match prepare(scheduler, event).await {
        Ok(p) => p,
        Err((message, max)) => {
            record_failure(hooks, event, &message, max).await;
            return false;
        }
    };
    if !failed_holds.is_empty() {
        tracing::warn!(call_id = %event.call_id, count = failed_holds.len(), "held appointments need recovery");
    }
    match hooks
        .store
        .apply_inbox_event(event, update.as_ref(), &failed_holds)
        .await
    {
        Ok(true) => {
            applied_now(hooks, event, update.is_none());
            true
        }
        Ok(false) => true,
        Err(e) => {
            record_failure(hooks, event, &e.to_string(), MAX_ATTEMPTS).await;
            false
        }
    }
}

async fn record_failure(hooks: &Webhooks, event: &InboxEvent, message: &str, max: i64) {
    tracing::warn!(event = %event.event, call_id = %event.call_id, attempt = event.attempts + 1, error = message, "applying a webhook event failed");
    hooks.stats.outcome(event.tenant_id, &event.event, "failed");
    hooks.stats.error(
        Some(event.tenant_id),
        Some(&event.event),
        message.to_owned(),
    );
    // Exponential backoff for transient failures: 1 s, 2 s, 4 s … capped at 5 minutes.
    let delay = (1_000i64 << event.attempts.clamp(0, 9)).min(300_000);
    let retry_at = hooks.store.now_ms() + delay;
    if let Err(e) = hooks
        .store
        .fail_inbox_event(event.id, message, max, retry_at)
        .await
    {
        tracing::error!(error = %e, "recording a webhook failure failed");
    }
}
