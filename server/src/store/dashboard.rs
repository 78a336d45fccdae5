//! What the dashboard's charts are made of: the rows of one tenant inside a time range
//! (calls, phone bookings, custom-function calls, webhook events, failed bookings), read from
//! the database so every instance shows the same figures. Bucketing by the tenant's local
//! days happens in the gateway. Test calls (`slotline_test_…`) are left out as everywhere.

use super::webhooks::REAL_CALLS;
use super::{Store, StoreError};
use sqlx::Row;

/// Most rows one series reads; a range with more shows the first ones (the charts say so).
pub const MAX_ROWS: i64 = 200_000;

/// A call of the range: when it started and whether it booked an appointment by phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallPoint {
    /// Start (or receipt), UTC ms.
    pub at: i64,
    /// Whether an appointment the call held was booked.
    pub booked: bool,
}

/// A logged custom-function call of the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionPoint {
    /// When, UTC ms.
    pub at: i64,
    /// How long Slotline took to answer, ms (unknown for calls logged before it was measured).
    pub duration_ms: Option<i64>,
    /// Whether the answer was a temporary failure (HTTP 5xx).
    pub failed: bool,
}

/// A webhook event of the range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookPoint {
    /// Receipt, UTC ms.
    pub at: i64,
    /// Event name.
    pub event: String,
    /// Whether applying it failed at least once (parked, or retried after an error).
    pub error: bool,
}

/// A failed booking of the recovery queue: when it was queued and when it stopped waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecoverySpan {
    /// Queued, UTC ms.
    pub opened: i64,
    /// Resolved or dismissed, UTC ms; `None` while it is still waiting.
    pub closed: Option<i64>,
}

impl Store {
    /// Real calls of a tenant that started in `[from, to)`, oldest first.
    pub async fn dashboard_calls(
        &self,
        tenant_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<CallPoint>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT COALESCE(c.start_ms, c.created_at) AS at, \
             CASE WHEN EXISTS (SELECT 1 FROM appointments a JOIN appointment_history h \
                 ON h.appointment_id = a.id AND h.action = 'booked' \
                 WHERE a.tenant_id = c.tenant_id AND a.call_id = c.call_id \
                 AND a.source = 'phone') THEN 1 ELSE 0 END AS booked \
             FROM calls c WHERE c.tenant_id = $1 AND {REAL_CALLS} \
             AND COALESCE(c.start_ms, c.created_at) >= $2 \
             AND COALESCE(c.start_ms, c.created_at) < $3 ORDER BY at LIMIT $4"
        ))
        .bind(tenant_id)
        .bind(from)
        .bind(to)
        .bind(MAX_ROWS)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CallPoint {
                    at: r.try_get("at")?,
                    booked: r.try_get::<i64, _>("booked")? != 0,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// When each appointment made by phone (held during a call, then booked) was made, for
    /// those made in `[from, to)`.
    pub async fn dashboard_phone_bookings(
        &self,
        tenant_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.created_at AS at FROM appointments a WHERE a.tenant_id = $1 \
             AND a.source = 'phone' AND a.created_at >= $2 AND a.created_at < $3 \
             AND substr(COALESCE(a.call_id, ''), 1, 14) <> 'slotline_test_' \
             AND EXISTS (SELECT 1 FROM appointment_history h WHERE h.appointment_id = a.id \
                         AND h.action = 'booked') ORDER BY a.created_at LIMIT $4",
        )
        .bind(tenant_id)
        .bind(from)
        .bind(to)
        .bind(MAX_ROWS)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| r.try_get("at"))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Custom-function calls logged in `[from, to)`.
    pub async fn dashboard_functions(
        &self,
        tenant_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<FunctionPoint>, StoreError> {
        self.flush_function_log().await;
        let rows = sqlx::query(&format!(
            "SELECT created_at, duration_ms, http_status FROM function_calls \
             WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 AND {REAL_CALLS} \
             ORDER BY created_at LIMIT $4"
        ))
        .bind(tenant_id)
        .bind(from)
        .bind(to)
        .bind(MAX_ROWS)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FunctionPoint {
                    at: r.try_get("created_at")?,
                    duration_ms: r.try_get("duration_ms")?,
                    failed: r.try_get::<i64, _>("http_status")? >= 500,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Webhook events received in `[from, to)`.
    pub async fn dashboard_webhooks(
        &self,
        tenant_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<WebhookPoint>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT received_at, event, \
             CASE WHEN status = 'failed' OR last_error IS NOT NULL THEN 1 ELSE 0 END AS error \
             FROM webhook_inbox WHERE tenant_id = $1 AND received_at >= $2 \
             AND received_at < $3 AND {REAL_CALLS} ORDER BY received_at LIMIT $4"
        ))
        .bind(tenant_id)
        .bind(from)
        .bind(to)
        .bind(MAX_ROWS)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(WebhookPoint {
                    at: r.try_get("received_at")?,
                    event: r.try_get("event")?,
                    error: r.try_get::<i64, _>("error")? != 0,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Failed bookings that were waiting at some time in `[from, to)`: queued before `to` and
    /// still open, or closed at or after `from`.
    pub async fn dashboard_recovery(
        &self,
        tenant_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<RecoverySpan>, StoreError> {
        let rows = sqlx::query(
            "SELECT created_at, status, updated_at FROM booking_recovery \
             WHERE tenant_id = $1 AND created_at < $3 \
             AND (status = 'open' OR updated_at >= $2) ORDER BY created_at LIMIT $4",
        )
        .bind(tenant_id)
        .bind(from)
        .bind(to)
        .bind(MAX_ROWS)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                Ok(RecoverySpan {
                    opened: r.try_get("created_at")?,
                    closed: if status == "open" {
                        None
                    } else {
                        Some(r.try_get("updated_at")?)
                    },
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
