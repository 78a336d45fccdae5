//! Replays a stored call: its custom-function calls and webhooks, in the order they arrived,
//! against a scratch copy of the tenant's schedule (a temporary SQLite database: the set-up as
//! it is today, the appointments as they stood when the call started) on a clock standing at
//! each request's instant, and sets today's replies beside the original ones. Nothing is
//! written to the real database.

use crate::clock::Clock;
use crate::functions::args::Args;
use crate::functions::execute::{self, Invocation, Outcome};
use crate::scheduling::Scheduler;
use crate::store::{Store, StoreError};
use app::contract::{ReplayResult, ReplayStep};
use jiff::Timestamp;
use serde_json::{json, Value};

/// Why a call cannot be replayed.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The tenant has no such call.
    #[error("no call {0:?} in this business")]
    NotFound(String),
    /// Reading the call or building the scratch copy failed.
    #[error("the replay could not be prepared: {0}")]
    Store(#[from] StoreError),
    /// The scratch database could not be made.
    #[error("the scratch database could not be made: {0}")]
    Scratch(String),
}

/// One recorded request of the call.
enum Recorded {
    Function(crate::store::calls::FunctionCallRow),
    Webhook(crate::store::webhooks::InboxEvent, String),
}

impl Recorded {
    fn at(&self) -> i64 {
        match self {
            Recorded::Function(f) => f.at,
            Recorded::Webhook(e, _) => e.received_at,
        }
    }
}

/// Replays `call_id` of `tenant_id`; `tz` shows the start in the tenant's zone.
pub async fn replay(
    store: &Store,
    tenant_id: i64,
    call_id: &str,
    tz: &jiff::tz::TimeZone,
) -> Result<ReplayResult, ReplayError> {
    let call = store.call(tenant_id, call_id).await?;
    let functions = store.function_calls(tenant_id, call_id).await?;
    let events = store.inbox_events_of_call(tenant_id, call_id).await?;
    if call.is_none() && functions.is_empty() && events.is_empty() {
        return Err(ReplayError::NotFound(call_id.chars().take(128).collect()));
    }
    let mut recorded: Vec<Recorded> = functions
        .into_iter()
        .map(Recorded::Function)
        .chain(events.into_iter().map(|(e, s)| Recorded::Webhook(e, s)))
        .collect();
    // Stable: a function call and an event at the same millisecond keep functions first.
    recorded.sort_by_key(Recorded::at);
    // The call's start, but never after its first request (Retell's clock and ours may
    // differ a little): everything the call itself made is then left out of the copy.
    let first_at = recorded.first().map(Recorded::at);
    let start_ms = match (call.as_ref().and_then(|c| c.start_ms), first_at) {
        (Some(start), Some(first)) => start.min(first),
        (Some(start), None) => start,
        (None, Some(first)) => first,
        (None, None) => return Err(ReplayError::NotFound(call_id.chars().take(128).collect())),
    };
    let caller = call
        .as_ref()
        .and_then(|c| c.from_number.clone())
        .unwrap_or_default();

    let dir = tempfile::tempdir().map_err(|e| ReplayError::Scratch(e.to_string()))?;
    let clock = Clock::fixed(Timestamp::from_millisecond(start_ms).unwrap_or_default());
    let scratch =
        Store::connect_and_migrate(&format!("sqlite://{}/replay.db", dir.path().display()))
            .await
            .map_err(|e| ReplayError::Scratch(e.to_string()))?
            .with_clock(clock.clone());
    store
        .copy_schedule_to(&scratch, tenant_id, start_ms)
        .await?;
    let changes = store.appointment_changes_since(tenant_id, start_ms).await?;
    scratch.undo_changes(tenant_id, &changes).await?;
    let scheduler = Scheduler::new(scratch.clone());
    let original_recovery = store
        .recovery_items(tenant_id, true)
        .await?
        .iter()
        .filter(|r| r.call_id == call_id)
        .count();

    let said_at = Timestamp::from_millisecond(start_ms).unwrap_or_default();
    let mut steps = Vec::new();
    for r in &recorded {
        clock.set(Timestamp::from_millisecond(r.at()).unwrap_or(said_at));
        let step = match r {
            Recorded::Function(f) => {
                let arguments: Value = serde_json::from_str(&f.arguments).unwrap_or(Value::Null);
                let args = Args(arguments.as_object().cloned().unwrap_or_default());
                let inv = Invocation {
                    call_id: Some(call_id.to_owned()),
                    caller: caller.clone(),
                    caller_verified: true,
                    said_at,
                };
                let replayed =
                    match execute::execute(&scheduler, tenant_id, &f.function, &inv, &args).await {
                        Outcome::Json(_, v) => v,
                        Outcome::Stored(t) | Outcome::Written(t) => parse(&t),
                        Outcome::Unavailable { body, .. } => body,
                    };
                let original = parse(&f.reply);
                ReplayStep {
                    kind: "function".into(),
                    name: f.function.clone(),
                    arguments,
                    differs: comparable(&original) != comparable(&replayed),
                    original,
                    replayed,
                }
            }
            Recorded::Webhook(e, status) => {
                let replayed = apply_event(&scratch, &scheduler, e).await?;
                let mut original = json!({ "status": status });
                if e.event == "call_ended" {
                    original["recovery"] = json!(original_recovery);
                }
                ReplayStep {
                    kind: "webhook".into(),
                    name: e.event.clone(),
                    arguments: Value::Null,
                    differs: original != replayed,
                    original,
                    replayed,
                }
            }
        };
        steps.push(step);
    }
    scratch.close().await;
    Ok(ReplayResult {
        call_id: call_id.to_owned(),
        started_local: said_at
            .to_zoned(tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
        differing: steps.iter().filter(|s| s.differs).count(),
        steps,
    })
}

/// Stores the event in the scratch inbox and applies it as the webhook worker does; returns
/// what happened (`status`, and for call_ended how many holds went to recovery).
async fn apply_event(
    scratch: &Store,
    scheduler: &Scheduler,
    e: &crate::store::webhooks::InboxEvent,
) -> Result<Value, ReplayError> {
    scratch
        .insert_inbox_event(e.tenant_id, &e.call_id, &e.event, &e.payload)
        .await?;
    let pending = scratch.pending_inbox_events(10).await?;
    let Some(row) = pending
        .into_iter()
        .find(|p| p.call_id == e.call_id && p.event == e.event)
    else {
        return Ok(json!({ "status": "duplicate" }));
    };
    let update = match crate::webhooks::event::Envelope::parse(row.payload.as_bytes()) {
        Ok(env) => crate::webhooks::event::call_update(&env.event, &env.call),
        Err(err) => return Ok(json!({ "status": "failed", "error": err.to_string() })),
    };
    let failed = if row.event == "call_ended" {
        match scheduler.failed_holds(row.tenant_id, &row.call_id).await {
            Ok(f) => f,
            Err(err) => return Ok(json!({ "status": "failed", "error": err.to_string() })),
        }
    } else {
        Vec::new()
    };
    scratch
        .apply_inbox_event(&row, update.as_ref(), &failed)
        .await?;
    let mut out = json!({ "status": "applied" });
    if row.event == "call_ended" {
        out["recovery"] = json!(failed.len());
    }
    Ok(out)
}

/// A reply as stored: JSON, or the text as a string.
fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// A reply without what differs between runs without meaning anything (the id a new
/// appointment gets).
fn comparable(reply: &Value) -> Value {
    let mut v = reply.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("appointment_id");
    }
    v
}
