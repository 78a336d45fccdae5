//! The circuit breakers' state changes, kept in the database so the dashboard shows when a
//! breaker opened, why and when it closed, whichever instance it happened on; and the
//! per-tenant change counters the live updates poll.

use super::{Store, StoreError};
use sqlx::Row;

/// One state change of one breaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRow {
    /// Row id (grows with every change).
    pub id: i64,
    /// Which process it happened in.
    pub instance: String,
    /// Breaker name (`database`, `retell_api`, a server).
    pub circuit: String,
    /// State before (`closed`, `open`, `half_open`).
    pub from_state: String,
    /// State after.
    pub to_state: String,
    /// The last error before an opening, short and free of secrets.
    pub reason: Option<String>,
    /// When, UTC ms.
    pub at: i64,
}

/// The change counters of a tenant plus the newest breaker change: when any of them moves,
/// something a page shows has changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangeCursor {
    /// Bumped when a call row is written.
    pub calls: i64,
    /// Bumped when an appointment or a failed booking is written.
    pub appointments: i64,
    /// Bumped when a webhook event is parked as failed.
    pub health: i64,
    /// Id of the newest breaker change of any instance.
    pub breakers: i64,
}

const TRANSITION_COLUMNS: &str = "id, instance, circuit, from_state, to_state, reason, at";

fn transition(r: &sqlx::any::AnyRow) -> Result<TransitionRow, sqlx::Error> {
    Ok(TransitionRow {
        id: r.try_get("id")?,
        instance: r.try_get("instance")?,
        circuit: r.try_get("circuit")?,
        from_state: r.try_get("from_state")?,
        to_state: r.try_get("to_state")?,
        reason: r.try_get("reason")?,
        at: r.try_get("at")?,
    })
}

impl Store {
    /// Records a state change (its `id` is ignored).
    pub async fn record_breaker_transition(&self, t: &TransitionRow) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO breaker_transitions (instance, circuit, from_state, to_state, reason, at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&t.instance)
        .bind(&t.circuit)
        .bind(&t.from_state)
        .bind(&t.to_state)
        .bind(t.reason.as_deref())
        .bind(t.at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The newest `limit` changes made at or after `since`, newest first.
    pub async fn breaker_transitions(
        &self,
        since: i64,
        limit: i64,
    ) -> Result<Vec<TransitionRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {TRANSITION_COLUMNS} FROM breaker_transitions WHERE at >= $1 \
             ORDER BY at DESC, id DESC LIMIT $2"
        ))
        .bind(since)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(transition)
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The latest change of every breaker of every instance (its state as last recorded).
    pub async fn breaker_latest(&self) -> Result<Vec<TransitionRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {TRANSITION_COLUMNS} FROM breaker_transitions WHERE id IN \
             (SELECT MAX(id) FROM breaker_transitions GROUP BY instance, circuit) \
             ORDER BY circuit, instance"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(transition)
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Deletes changes recorded before `older_than_ms` (the retention job).
    pub async fn purge_breaker_transitions(&self, older_than_ms: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM breaker_transitions WHERE at < $1")
            .bind(older_than_ms)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// A tenant's change counters and the newest breaker change, in one query.
    pub async fn change_cursor(&self, tenant_id: i64) -> Result<ChangeCursor, StoreError> {
        let row = sqlx::query(
            "SELECT COALESCE((SELECT calls FROM tenant_changes WHERE tenant_id = $1), 0) AS calls, \
             COALESCE((SELECT appointments FROM tenant_changes WHERE tenant_id = $1), 0) \
                 AS appointments, \
             COALESCE((SELECT health FROM tenant_changes WHERE tenant_id = $1), 0) AS health, \
             COALESCE((SELECT MAX(id) FROM breaker_transitions), 0) AS breakers",
        )
        .bind(tenant_id)
        .fetch_one(self.pool())
        .await?;
        Ok(ChangeCursor {
            calls: row.try_get("calls")?,
            appointments: row.try_get("appointments")?,
            health: row.try_get("health")?,
            breakers: row.try_get("breakers")?,
        })
    }
}
