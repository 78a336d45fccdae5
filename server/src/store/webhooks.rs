//! The webhook inbox (durable, unique per tenant/call/event) and the calls built from it.

use super::{Store, StoreError};
use sqlx::Row;
use std::collections::HashMap;

/// An inbox row waiting to be applied.
#[derive(Debug, Clone)]
pub struct InboxEvent {
    /// Row id (application order).
    pub id: i64,
    /// Tenant.
    pub tenant_id: i64,
    /// Retell call id.
    pub call_id: String,
    /// Event name.
    pub event: String,
    /// Raw JSON body as received.
    pub payload: String,
    /// When it was received (ms).
    pub received_at: i64,
    /// Earlier failed attempts.
    pub attempts: i64,
}

/// An event to store in the inbox, as received.
#[derive(Debug, Clone, Copy)]
pub struct NewInboxEvent<'a> {
    /// Tenant.
    pub tenant_id: i64,
    /// Retell call id.
    pub call_id: &'a str,
    /// Event name.
    pub event: &'a str,
    /// Raw JSON body.
    pub payload: &'a str,
}

/// Fields of a call an event sets; `None` leaves the stored value.
#[derive(Debug, Clone, Default)]
pub struct CallUpdate {
    /// Retell agent.
    pub agent_id: Option<String>,
    /// phone_call | web_call.
    pub call_type: Option<String>,
    /// inbound | outbound.
    pub direction: Option<String>,
    /// Caller, E.164.
    pub from_number: Option<String>,
    /// Called number, E.164.
    pub to_number: Option<String>,
    /// registered | ongoing | ended | error.
    pub call_status: Option<String>,
    /// Start, ms.
    pub start_ms: Option<i64>,
    /// End, ms.
    pub end_ms: Option<i64>,
    /// Duration, ms.
    pub duration_ms: Option<i64>,
    /// Why the call ended.
    pub disconnection_reason: Option<String>,
    /// Full transcript.
    pub transcript: Option<String>,
    /// Recording URL.
    pub recording_url: Option<String>,
    /// Analysis summary.
    pub summary: Option<String>,
    /// Negative | Positive | Neutral | Unknown.
    pub sentiment: Option<String>,
    /// Whether the call reached its goal.
    pub successful: Option<bool>,
    /// Whether it reached voicemail.
    pub in_voicemail: Option<bool>,
    /// Custom analysis data as JSON text.
    pub custom_analysis: Option<String>,
}

/// A stored call.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CallRecord {
    /// Retell call id.
    pub call_id: String,
    /// Caller, E.164.
    pub from_number: Option<String>,
    /// Called number, E.164.
    pub to_number: Option<String>,
    /// Status.
    pub call_status: Option<String>,
    /// Start, ms.
    pub start_ms: Option<i64>,
    /// Duration, ms.
    pub duration_ms: Option<i64>,
    /// Why the call ended.
    pub disconnection_reason: Option<String>,
    /// Transcript.
    pub transcript: Option<String>,
    /// Recording.
    pub recording_url: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Sentiment.
    pub sentiment: Option<String>,
    /// Success flag.
    pub successful: Option<bool>,
    /// Custom analysis JSON.
    pub custom_analysis: Option<String>,
    /// How many inbox events were applied to this call.
    pub events_applied: i64,
}

impl Store {
    /// Stores an event unless (tenant, call, event) is already there; true when it is new.
    /// Returns only after the commit, so a `true` is durable.
    pub async fn insert_inbox_event(
        &self,
        tenant_id: i64,
        call_id: &str,
        event: &str,
        payload: &str,
    ) -> Result<bool, StoreError> {
        let stored = self
            .insert_inbox_events(&[NewInboxEvent {
                tenant_id,
                call_id,
                event,
                payload,
            }])
            .await?;
        Ok(stored.first().copied().unwrap_or(false))
    }

    /// Stores events in one transaction (group commit: one commit, one fsync, for every
    /// event of the batch); for each, true when it is new, false when (tenant, call, event)
    /// was there already, also earlier in the same batch. Returns only after the commit, so
    /// every `true` is durable; on an error nothing of the batch is stored.
    ///
    /// An explicit transaction: in SQLite's autocommit mode an `INSERT … RETURNING` commits
    /// when the statement is reset, after its row was read, and a failed commit (a full
    /// disk) was lost; the event was acknowledged and gone (found by tests/faults.rs).
    pub async fn insert_inbox_events(
        &self,
        events: &[NewInboxEvent<'_>],
    ) -> Result<Vec<bool>, StoreError> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        // One multi-row INSERT: a later copy of a (tenant, call, event) in the same batch is
        // a repeat whatever happens to the first, so only first copies are sent.
        let mut firsts: HashMap<(i64, &str, &str), usize> = HashMap::new();
        let mut unique: Vec<&NewInboxEvent<'_>> = Vec::with_capacity(events.len());
        for (i, e) in events.iter().enumerate() {
            if let std::collections::hash_map::Entry::Vacant(slot) =
                firsts.entry((e.tenant_id, e.call_id, e.event))
            {
                slot.insert(i);
                unique.push(e);
            }
        }
        let rows: Vec<String> = (0..unique.len())
            .map(|i| {
                let p = i * 5;
                format!(
                    "(${}, ${}, ${}, ${}, ${})",
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO webhook_inbox (tenant_id, call_id, event, payload, received_at) \
             VALUES {} ON CONFLICT (tenant_id, call_id, event) DO NOTHING \
             RETURNING tenant_id, call_id, event",
            rows.join(", ")
        );
        let now = self.now_ms();
        let mut query = sqlx::query(&sql);
        for e in &unique {
            query = query
                .bind(e.tenant_id)
                .bind(e.call_id)
                .bind(e.event)
                .bind(e.payload)
                .bind(now);
        }
        let turn = self.write_turn().await;
        let mut tx = self.pool().begin().await?;
        let inserted = query.fetch_all(&mut *tx).await?;
        tx.commit().await?;
        drop(turn);
        let mut stored = vec![false; events.len()];
        for row in &inserted {
            let tenant_id: i64 = row.try_get("tenant_id")?;
            let call_id: String = row.try_get("call_id")?;
            let event: String = row.try_get("event")?;
            if let Some(&i) = firsts.get(&(tenant_id, call_id.as_str(), event.as_str())) {
                stored[i] = true;
            }
        }
        Ok(stored)
    }

    /// The oldest pending events, in arrival order.
    pub async fn pending_inbox_events(&self, limit: i64) -> Result<Vec<InboxEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, tenant_id, call_id, event, payload, received_at, attempts FROM webhook_inbox \
             WHERE status = 'pending' AND next_attempt_at <= $2 ORDER BY id LIMIT $1",
        )
        .bind(limit)
        .bind(self.now_ms())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(InboxEvent {
                    id: r.try_get("id")?,
                    tenant_id: r.try_get("tenant_id")?,
                    call_id: r.try_get("call_id")?,
                    event: r.try_get("event")?,
                    payload: r.try_get("payload")?,
                    received_at: r.try_get("received_at")?,
                    attempts: r.try_get("attempts")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Applies an event exactly once: claims the pending row and merges the call update in
    /// one transaction. Returns false if another worker applied it first.
    pub async fn apply_inbox_event(
        &self,
        event: &InboxEvent,
        update: Option<&CallUpdate>,
        failed_holds: &[super::recovery::FailedHold],
    ) -> Result<bool, StoreError> {
        let applied = self
            .apply_inbox_events(&[Applying {
                event,
                update,
                failed_holds,
            }])
            .await?;
        Ok(applied.first().copied().unwrap_or(false))
    }

    /// Applies events in order, each exactly once, all in one transaction: either every
    /// claim and merge of the batch commits or none does (the worker then applies them one
    /// by one, so one bad event cannot hold the others back). For each event, false when
    /// another worker had applied it first.
    pub async fn apply_inbox_events(
        &self,
        batch: &[Applying<'_>],
    ) -> Result<Vec<bool>, StoreError> {
        let now = self.now_ms();
        let turn = self.write_turn().await;
        let mut tx = self.pool().begin().await?;
        let mut applied = Vec::with_capacity(batch.len());
        for a in batch {
            applied.push(apply_in(&mut tx, now, a).await?);
        }
        tx.commit().await?;
        drop(turn);
        Ok(applied)
    }

    /// Records a failed attempt and when to try again; after `max_attempts` the event is
    /// parked as `failed`.
    pub async fn fail_inbox_event(
        &self,
        id: i64,
        error: &str,
        max_attempts: i64,
        retry_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE webhook_inbox SET attempts = attempts + 1, last_error = $1, \
             status = CASE WHEN attempts + 1 >= $2 THEN 'failed' ELSE status END, \
             next_attempt_at = $4 WHERE id = $3 AND status = 'pending'",
        )
        .bind(error)
        .bind(max_attempts)
        .bind(id)
        .bind(retry_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A call of a tenant.
    pub async fn call(
        &self,
        tenant_id: i64,
        call_id: &str,
    ) -> Result<Option<CallRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {CALL_COLUMNS} FROM calls WHERE tenant_id = $1 AND call_id = $2"
        ))
        .bind(tenant_id)
        .bind(call_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(call_from).transpose()?)
    }

    /// Finds the tenant of an agent id (preferred) or a called number, with what its calls
    /// are checked against: the sealed Retell API key, the function tokens and the custom
    /// function settings.
    pub async fn retell_key_for(
        &self,
        agent_id: Option<&str>,
        to_number: Option<&str>,
    ) -> Result<Option<TenantKeyRow>, StoreError> {
        let row = sqlx::query(
            "SELECT t.tenant_id, r.retell_api_key_sealed, r.function_token_hash, \
             r.function_token_prev_hash, r.function_token_prev_until, r.custom_functions, \
             tn.suspended_at \
             FROM (SELECT tenant_id, 0 AS pri FROM tenant_agents WHERE agent_id = $1 \
                   UNION ALL SELECT tenant_id, 1 AS pri FROM tenant_phone_numbers WHERE e164 = $2) t \
             JOIN retell_configurations r ON r.tenant_id = t.tenant_id \
             JOIN tenants tn ON tn.id = t.tenant_id \
             ORDER BY t.pri LIMIT 1",
        )
        .bind(agent_id)
        .bind(to_number)
        .fetch_optional(self.pool())
        .await?;
        match row {
            Some(r) => Ok(Some(TenantKeyRow {
                tenant_id: r.try_get("tenant_id")?,
                key_sealed: r.try_get("retell_api_key_sealed")?,
                function_token_hash: r.try_get("function_token_hash")?,
                function_token_prev_hash: r.try_get("function_token_prev_hash")?,
                function_token_prev_until: r.try_get("function_token_prev_until")?,
                custom_functions: r.try_get("custom_functions")?,
                suspended: r.try_get::<Option<i64>, _>("suspended_at")?.is_some(),
            })),
            None => Ok(None),
        }
    }
}

/// One event to apply, with its parsed update and the holds found unbookable before.
#[derive(Debug, Clone, Copy)]
pub struct Applying<'a> {
    /// The stored event.
    pub event: &'a InboxEvent,
    /// What it changes on its call, if anything.
    pub update: Option<&'a CallUpdate>,
    /// Holds of the call that cannot be booked (call_ended only).
    pub failed_holds: &'a [super::recovery::FailedHold],
}

/// Claims one pending event and merges it inside `tx`; false when it was applied already.
async fn apply_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    now: i64,
    a: &Applying<'_>,
) -> Result<bool, StoreError> {
    let event = a.event;
    let claimed = sqlx::query(
        "UPDATE webhook_inbox SET status = 'applied', applied_at = $1, attempts = attempts + 1 \
         WHERE id = $2 AND status = 'pending'",
    )
    .bind(now)
    .bind(event.id)
    .execute(&mut **tx)
    .await?;
    if claimed.rows_affected() != 1 {
        return Ok(false);
    }
    if let Some(u) = a.update {
        upsert_call(tx, event.tenant_id, &event.call_id, u, now).await?;
    }
    if event.event == "call_ended" {
        let booked = super::appointments::finalize_call_holds(
            tx,
            now,
            event.tenant_id,
            &event.call_id,
            a.failed_holds,
            "webhook:call_ended",
        )
        .await?;
        if !booked.is_empty() {
            tracing::info!(
                tenant_id = event.tenant_id,
                count = booked.len(),
                "held appointments booked on call_ended"
            );
        }
    }
    Ok(true)
}

/// A tenant found for a Retell request, with what its requests are checked against.
#[derive(Debug, Clone)]
pub struct TenantKeyRow {
    /// Tenant.
    pub tenant_id: i64,
    /// Sealed Retell API key, if stored.
    pub key_sealed: Option<String>,
    /// Hash of the current function token.
    pub function_token_hash: Option<String>,
    /// Hash of the previous function token.
    pub function_token_prev_hash: Option<String>,
    /// Until when the previous one is accepted (UTC ms).
    pub function_token_prev_until: Option<i64>,
    /// Custom function settings (JSON).
    pub custom_functions: String,
    /// Whether the tenant is suspended (its custom functions answer with a polite refusal).
    pub suspended: bool,
}

/// SQL condition leaving out Slotline's synthetic test calls (`slotline_test_…`).
pub(super) const REAL_CALLS: &str = "substr(call_id, 1, 14) <> 'slotline_test_'";

pub(super) const CALL_COLUMNS: &str =
    "call_id, from_number, to_number, call_status, start_ms, duration_ms, \
     disconnection_reason, transcript, recording_url, summary, sentiment, successful, \
     custom_analysis, events_applied";

pub(super) fn call_from(r: &sqlx::any::AnyRow) -> Result<CallRecord, sqlx::Error> {
    let successful: Option<i64> = r.try_get("successful")?;
    Ok(CallRecord {
        call_id: r.try_get("call_id")?,
        from_number: r.try_get("from_number")?,
        to_number: r.try_get("to_number")?,
        call_status: r.try_get("call_status")?,
        start_ms: r.try_get("start_ms")?,
        duration_ms: r.try_get("duration_ms")?,
        disconnection_reason: r.try_get("disconnection_reason")?,
        transcript: r.try_get("transcript")?,
        recording_url: r.try_get("recording_url")?,
        summary: r.try_get("summary")?,
        sentiment: r.try_get("sentiment")?,
        successful: successful.map(|v| v != 0),
        custom_analysis: r.try_get("custom_analysis")?,
        events_applied: r.try_get("events_applied")?,
    })
}

/// Merges an update into the call row; a late `call_started` never reopens an ended call.
async fn upsert_call(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tenant_id: i64,
    call_id: &str,
    u: &CallUpdate,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO calls (tenant_id, call_id, agent_id, call_type, direction, from_number, \
         to_number, call_status, start_ms, end_ms, duration_ms, disconnection_reason, transcript, \
         recording_url, summary, sentiment, successful, in_voicemail, custom_analysis, \
         events_applied, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19, 1, $20, $20) \
         ON CONFLICT (tenant_id, call_id) DO UPDATE SET \
         agent_id = COALESCE(excluded.agent_id, calls.agent_id), \
         call_type = COALESCE(excluded.call_type, calls.call_type), \
         direction = COALESCE(excluded.direction, calls.direction), \
         from_number = COALESCE(excluded.from_number, calls.from_number), \
         to_number = COALESCE(excluded.to_number, calls.to_number), \
         call_status = CASE WHEN calls.call_status IN ('ended', 'error') \
             AND excluded.call_status IN ('registered', 'ongoing') THEN calls.call_status \
             ELSE COALESCE(excluded.call_status, calls.call_status) END, \
         start_ms = COALESCE(excluded.start_ms, calls.start_ms), \
         end_ms = COALESCE(excluded.end_ms, calls.end_ms), \
         duration_ms = COALESCE(excluded.duration_ms, calls.duration_ms), \
         disconnection_reason = COALESCE(excluded.disconnection_reason, calls.disconnection_reason), \
         transcript = COALESCE(excluded.transcript, calls.transcript), \
         recording_url = COALESCE(excluded.recording_url, calls.recording_url), \
         summary = COALESCE(excluded.summary, calls.summary), \
         sentiment = COALESCE(excluded.sentiment, calls.sentiment), \
         successful = COALESCE(excluded.successful, calls.successful), \
         in_voicemail = COALESCE(excluded.in_voicemail, calls.in_voicemail), \
         custom_analysis = COALESCE(excluded.custom_analysis, calls.custom_analysis), \
         events_applied = calls.events_applied + 1, \
         updated_at = excluded.updated_at",
    )
    .bind(tenant_id)
    .bind(call_id)
    .bind(u.agent_id.as_deref())
    .bind(u.call_type.as_deref())
    .bind(u.direction.as_deref())
    .bind(u.from_number.as_deref())
    .bind(u.to_number.as_deref())
    .bind(u.call_status.as_deref())
    .bind(u.start_ms)
    .bind(u.end_ms)
    .bind(u.duration_ms)
    .bind(u.disconnection_reason.as_deref())
    .bind(u.transcript.as_deref())
    .bind(u.recording_url.as_deref())
    .bind(u.summary.as_deref())
    .bind(u.sentiment.as_deref())
    .bind(u.successful.map(i64::from))
    .bind(u.in_voicemail.map(i64::from))
    .bind(u.custom_analysis.as_deref())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Inbox counts of one event type and status.
#[derive(Debug, Clone)]
pub struct InboxCount {
    /// Event.
    pub event: String,
    /// pending | applied | failed.
    pub status: String,
    /// Rows.
    pub count: i64,
}

impl Store {
    /// Inbox rows of a tenant grouped by event and status.
    pub async fn inbox_counts(&self, tenant_id: i64) -> Result<Vec<InboxCount>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT event, status, COUNT(*) AS n FROM webhook_inbox WHERE tenant_id = $1 \
                 AND {REAL_CALLS} GROUP BY event, status ORDER BY event, status"
        ))
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(InboxCount {
                    event: r.try_get("event")?,
                    status: r.try_get("status")?,
                    count: r.try_get("n")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The tenant's most recent calls, newest first.
    pub async fn recent_calls(
        &self,
        tenant_id: i64,
        limit: i64,
    ) -> Result<Vec<CallRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CALL_COLUMNS} FROM calls WHERE tenant_id = $1 AND {REAL_CALLS} \
             ORDER BY COALESCE(start_ms, created_at) DESC, id DESC LIMIT $2"
        ))
        .bind(tenant_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(call_from).collect::<Result<_, _>>()?)
    }

    /// Average ms from receipt to application of the tenant's events of the last 24 hours.
    pub async fn avg_apply_ms(&self, tenant_id: i64) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT CAST(AVG(applied_at - received_at) AS BIGINT) AS ms FROM webhook_inbox \
                 WHERE tenant_id = $1 AND status = 'applied' AND received_at > $2 AND {REAL_CALLS}"
        ))
        .bind(tenant_id)
        .bind(self.now_ms() - 24 * 3600 * 1000)
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get("ms")?)
    }
}

/// Webhook backlog across all tenants, for the health check.
#[derive(Debug, Clone)]
pub struct InboxBacklog {
    /// Events waiting for the worker.
    pub pending: i64,
    /// Receipt time of the oldest pending event (ms).
    pub oldest_pending_ms: Option<i64>,
    /// Events parked after repeated failures.
    pub failed: i64,
}

impl Store {
    /// Counts pending and failed inbox rows.
    pub async fn inbox_backlog(&self) -> Result<InboxBacklog, StoreError> {
        // Both counts use the (status, id) index; no full scan of applied history.
        let pending = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(received_at) AS oldest FROM webhook_inbox WHERE status = 'pending'",
        )
        .fetch_one(self.pool())
        .await?;
        let failed = sqlx::query("SELECT COUNT(*) AS n FROM webhook_inbox WHERE status = 'failed'")
            .fetch_one(self.pool())
            .await?;
        Ok(InboxBacklog {
            pending: pending.try_get("n")?,
            oldest_pending_ms: pending.try_get("oldest")?,
            failed: failed.try_get("n")?,
        })
    }
}
