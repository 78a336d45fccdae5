//! The notification outbox. Rows are written by `outbox_announce::announce` inside the
//! transaction of the booking change they announce (so a change and its message commit
//! together or not at all) and delivered by the notification worker, which claims a row with a lease: the claim is an
//! UPDATE guarded by the row's state, so of two workers only the one whose UPDATE changed the
//! row sends it.

use super::{Store, StoreError};
use app::contract::{Channel, Language, NotificationKind, OutboxStatus};
use sqlx::any::AnyRow;
use sqlx::Row;

/// What a message says about its appointment, frozen when the change happened.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    /// Service start, UTC ms.
    pub starts_at: i64,
    /// Service end, UTC ms.
    pub ends_at: i64,
    /// Service name.
    pub service: String,
    /// Staff name.
    pub staff: String,
    /// Customer name.
    pub customer: String,
    /// Business name.
    pub business: String,
    /// The business's IANA time zone.
    pub time_zone: String,
}

/// One outbox row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    /// Id.
    pub id: i64,
    /// Tenant.
    pub tenant_id: i64,
    /// Appointment.
    pub appointment_id: i64,
    /// What it announces.
    pub kind: NotificationKind,
    /// How it travels.
    pub channel: Channel,
    /// Full recipient address or number (never logged).
    pub recipient: String,
    /// Message language.
    pub language: Language,
    /// The appointment as the change left it.
    pub snapshot: Snapshot,
    /// Status.
    pub status: OutboxStatus,
    /// Attempts so far.
    pub attempts: i64,
    /// When due, UTC ms.
    pub next_attempt_at: i64,
    /// Last failure.
    pub last_error: Option<String>,
    /// Written at, UTC ms.
    pub created_at: i64,
    /// Delivered at, UTC ms.
    pub sent_at: Option<i64>,
}

const ROW_SELECT: &str = "SELECT id, tenant_id, appointment_id, kind, channel, recipient, \
     language, payload, status, attempts, next_attempt_at, last_error, created_at, sent_at \
     FROM notification_outbox";

fn row_from(r: &AnyRow) -> Result<OutboxRow, sqlx::Error> {
    let bad = |what: &str, v: &str| sqlx::Error::Decode(format!("unknown {what} {v}").into());
    let kind: String = r.try_get("kind")?;
    let channel: String = r.try_get("channel")?;
    let language: String = r.try_get("language")?;
    let status: String = r.try_get("status")?;
    let payload: String = r.try_get("payload")?;
    Ok(OutboxRow {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        appointment_id: r.try_get("appointment_id")?,
        kind: NotificationKind::parse(&kind).ok_or_else(|| bad("kind", &kind))?,
        channel: Channel::parse(&channel).ok_or_else(|| bad("channel", &channel))?,
        recipient: r.try_get("recipient")?,
        language: Language::parse(&language).ok_or_else(|| bad("language", &language))?,
        snapshot: serde_json::from_str(&payload).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        status: OutboxStatus::parse(&status).ok_or_else(|| bad("status", &status))?,
        attempts: r.try_get("attempts")?,
        next_attempt_at: r.try_get("next_attempt_at")?,
        last_error: r.try_get("last_error")?,
        created_at: r.try_get("created_at")?,
        sent_at: r.try_get("sent_at")?,
    })
}

fn rows(list: &[AnyRow]) -> Result<Vec<OutboxRow>, StoreError> {
    list.iter()
        .map(row_from)
        .collect::<Result<_, _>>()
        .map_err(StoreError::from)
}

impl Store {
    /// Claims up to `limit` due messages for `worker` until `lease_until` (UTC ms): pending
    /// ones whose time has come, and `sending` ones whose worker's lease ran out (it died
    /// while sending). Each claim is a guarded UPDATE; a row another worker claimed first is
    /// skipped, so no message is claimed twice at once.
    pub async fn claim_due_messages(
        &self,
        worker: &str,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        let now = self.now_ms();
        let candidates = sqlx::query(
            "SELECT id FROM notification_outbox WHERE (status = 'pending' \
             AND next_attempt_at <= $1) OR (status = 'sending' AND claim_until < $1) \
             ORDER BY next_attempt_at, id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        let mut claimed = Vec::new();
        for c in candidates {
            let id: i64 = c.try_get("id")?;
            let done = sqlx::query(
                "UPDATE notification_outbox SET status = 'sending', claimed_by = $1, \
                 claim_until = $2 WHERE id = $3 AND ((status = 'pending' AND \
                 next_attempt_at <= $4) OR (status = 'sending' AND claim_until < $4))",
            )
            .bind(worker)
            .bind(lease_until)
            .bind(id)
            .bind(now)
            .execute(self.pool())
            .await?;
            if done.rows_affected() == 1 {
                let row = sqlx::query(&format!("{ROW_SELECT} WHERE id = $1"))
                    .bind(id)
                    .fetch_one(self.pool())
                    .await?;
                claimed.push(row_from(&row)?);
            }
        }
        Ok(claimed)
    }

    /// Marks a claimed message delivered; false when `worker` no longer holds it.
    pub async fn mark_message_sent(&self, id: i64, worker: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE notification_outbox SET status = 'sent', sent_at = $1, \
             attempts = attempts + 1, last_error = NULL, claimed_by = NULL, claim_until = NULL \
             WHERE id = $2 AND status = 'sending' AND claimed_by = $3",
        )
        .bind(self.now_ms())
        .bind(id)
        .bind(worker)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a failed attempt of a claimed message: back to pending at `retry_at`, or
    /// `failed` when `retry_at` is `None`; `reason` is shown to the admin.
    pub async fn mark_message_failed(
        &self,
        id: i64,
        worker: &str,
        reason: &str,
        retry_at: Option<i64>,
    ) -> Result<bool, StoreError> {
        let (status, at) = match retry_at {
            Some(at) => ("pending", at),
            None => ("failed", self.now_ms()),
        };
        let done = sqlx::query(
            "UPDATE notification_outbox SET status = $1, next_attempt_at = $2, \
             attempts = attempts + 1, last_error = $3, claimed_by = NULL, claim_until = NULL \
             WHERE id = $4 AND status = 'sending' AND claimed_by = $5",
        )
        .bind(status)
        .bind(at)
        .bind(reason)
        .bind(id)
        .bind(worker)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Withdraws a claimed message without sending it (its recipient opted out, or its
    /// appointment was cancelled meanwhile).
    pub async fn mark_message_skipped(
        &self,
        id: i64,
        worker: &str,
        reason: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE notification_outbox SET status = 'cancelled', last_error = $1, \
             claimed_by = NULL, claim_until = NULL \
             WHERE id = $2 AND status = 'sending' AND claimed_by = $3",
        )
        .bind(reason)
        .bind(id)
        .bind(worker)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Queues a message of a tenant again (not one waiting or being sent); false when there
    /// is no such message or it is still pending/sending.
    pub async fn resend_message(&self, tenant_id: i64, id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE notification_outbox SET status = 'pending', next_attempt_at = $1, \
             last_error = NULL WHERE id = $2 AND tenant_id = $3 \
             AND status IN ('sent', 'failed', 'cancelled')",
        )
        .bind(self.now_ms())
        .bind(id)
        .bind(tenant_id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// One message by id (for its opt-out link, which the signature already vouches for).
    pub async fn outbox_message(&self, id: i64) -> Result<Option<OutboxRow>, StoreError> {
        let row = sqlx::query(&format!("{ROW_SELECT} WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(row_from).transpose()?)
    }

    /// A tenant's messages, newest first, optionally of one status.
    pub async fn outbox(
        &self,
        tenant_id: i64,
        status: Option<OutboxStatus>,
        limit: i64,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        let list = sqlx::query(&format!(
            "{ROW_SELECT} WHERE tenant_id = $1 AND ($2 = '' OR status = $2) \
             ORDER BY id DESC LIMIT $3"
        ))
        .bind(tenant_id)
        .bind(status.map(|s| s.as_str()).unwrap_or(""))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows(&list)
    }

    /// Whether an appointment is still in the state a message about it assumes: booked for
    /// reminders, anything for the rest.
    pub async fn appointment_still_booked(
        &self,
        tenant_id: i64,
        appointment_id: i64,
    ) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT status FROM appointments WHERE id = $1 AND tenant_id = $2")
            .bind(appointment_id)
            .bind(tenant_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(match row {
            Some(r) => r.try_get::<String, _>("status")? == "booked",
            None => false,
        })
    }
}
