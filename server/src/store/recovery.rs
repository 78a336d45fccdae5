//! The failed-booking recovery queue: holds that could not be booked on call_ended, with the
//! reason and what the caller gave, until an admin retries, rebooks or dismisses them. Every
//! step is written to the appointment's history.

use super::{Store, StoreError};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// A hold that cannot be booked as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedHold {
    /// The held appointment.
    pub appointment_id: i64,
    /// Why it cannot be booked.
    pub reason: String,
    /// What the caller gave (JSON).
    pub collected: String,
}

/// A recovery item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryRow {
    /// Id.
    pub id: i64,
    /// The appointment.
    pub appointment_id: i64,
    /// The call that made it.
    pub call_id: String,
    /// Latest reason.
    pub reason: String,
    /// What the caller gave (JSON).
    pub collected: String,
    /// open | resolved | dismissed.
    pub status: String,
    /// Admin retries so far.
    pub attempts: i64,
    /// How it was resolved.
    pub resolution: Option<String>,
    /// Who resolved it.
    pub resolved_by: Option<String>,
    /// When it was queued (ms).
    pub created_at: i64,
}

/// How an item was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The appointment is booked (as held, or after a rebook).
    Booked,
    /// The admin gave up on it (the appointment is cancelled separately).
    Dismissed,
}

fn row(r: &AnyRow) -> Result<RecoveryRow, sqlx::Error> {
    Ok(RecoveryRow {
        id: r.try_get("id")?,
        appointment_id: r.try_get("appointment_id")?,
        call_id: r.try_get("call_id")?,
        reason: r.try_get("reason")?,
        collected: r.try_get("collected")?,
        status: r.try_get("status")?,
        attempts: r.try_get("attempts")?,
        resolution: r.try_get("resolution")?,
        resolved_by: r.try_get("resolved_by")?,
        created_at: r.try_get("created_at")?,
    })
}

const COLUMNS: &str = "id, appointment_id, call_id, reason, collected, status, attempts, \
     resolution, resolved_by, created_at";

/// Queues the holds that cannot be booked (inside the call_ended transaction).
pub(crate) async fn queue_failed_holds(
    tx: &mut Transaction<'static, Any>,
    now: i64,
    tenant_id: i64,
    call_id: &str,
    failed: &[FailedHold],
    actor: &str,
) -> Result<(), sqlx::Error> {
    for f in failed {
        sqlx::query(
            "INSERT INTO booking_recovery (tenant_id, appointment_id, call_id, reason, collected, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) \
             ON CONFLICT (appointment_id) DO UPDATE SET reason = excluded.reason, \
             status = 'open', updated_at = excluded.updated_at",
        )
        .bind(tenant_id)
        .bind(f.appointment_id)
        .bind(call_id)
        .bind(&f.reason)
        .bind(&f.collected)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        super::appointments::record(
            tx,
            now,
            tenant_id,
            f.appointment_id,
            "needs_recovery",
            actor,
            serde_json::json!({ "reason": f.reason }),
        )
        .await?;
    }
    Ok(())
}

impl Store {
    /// Open recovery items of a tenant (all of them with `include_closed`), oldest first.
    pub async fn recovery_items(
        &self,
        tenant_id: i64,
        include_closed: bool,
    ) -> Result<Vec<RecoveryRow>, StoreError> {
        let filter = if include_closed {
            ""
        } else {
            "AND status = 'open'"
        };
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM booking_recovery WHERE tenant_id = $1 {filter} ORDER BY id"
        ))
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(row)
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)
    }

    /// One recovery item of a tenant.
    pub async fn recovery_item(
        &self,
        tenant_id: i64,
        id: i64,
    ) -> Result<Option<RecoveryRow>, StoreError> {
        let r = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM booking_recovery WHERE tenant_id = $1 AND id = $2"
        ))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(r.as_ref().map(row).transpose()?)
    }

    /// Records an admin retry that still failed, with the new reason.
    pub async fn recovery_retry_failed(
        &self,
        tenant_id: i64,
        id: i64,
        reason: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        let r = sqlx::query(
            "UPDATE booking_recovery SET attempts = attempts + 1, reason = $1, updated_at = $2 \
             WHERE tenant_id = $3 AND id = $4 AND status = 'open' RETURNING appointment_id",
        )
        .bind(reason)
        .bind(self.now_ms())
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(r) = r {
            let appointment: i64 = r.try_get("appointment_id")?;
            let details = serde_json::json!({ "reason": reason });
            super::appointments::record(
                &mut tx,
                self.now_ms(),
                tenant_id,
                appointment,
                "recovery_retry_failed",
                actor,
                details,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Closes an open item; with [`Outcome::Booked`] the held appointment is booked in the
    /// same transaction. False when the item was not open.
    pub async fn resolve_recovery(
        &self,
        tenant_id: i64,
        id: i64,
        outcome: Outcome,
        note: &str,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool().begin().await?;
        let status = match outcome {
            Outcome::Booked => "resolved",
            Outcome::Dismissed => "dismissed",
        };
        let r = sqlx::query(
            "UPDATE booking_recovery SET status = $1, resolution = $2, resolved_by = $3, \
             attempts = attempts + 1, updated_at = $4 \
             WHERE tenant_id = $5 AND id = $6 AND status = 'open' RETURNING appointment_id",
        )
        .bind(status)
        .bind(note)
        .bind(actor)
        .bind(now)
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(r) = r else {
            tx.rollback().await?;
            return Ok(false);
        };
        let appointment: i64 = r.try_get("appointment_id")?;
        if outcome == Outcome::Booked {
            sqlx::query(
                "UPDATE appointments SET status = 'booked', updated_at = $1 \
                 WHERE id = $2 AND tenant_id = $3 AND status = 'held'",
            )
            .bind(now)
            .bind(appointment)
            .bind(tenant_id)
            .execute(&mut *tx)
            .await?;
        }
        let action = match outcome {
            Outcome::Booked => "booked",
            Outcome::Dismissed => "recovery_dismissed",
        };
        let details = serde_json::json!({ "recovery_id": id, "note": note });
        super::appointments::record(
            &mut tx,
            self.now_ms(),
            tenant_id,
            appointment,
            action,
            actor,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
