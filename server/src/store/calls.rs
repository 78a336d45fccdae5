//! What calls did: the log of every custom-function call (arguments redacted and bounded by
//! the route), calls filtered by day, caller and outcome, and the appointments a call created,
//! moved or cancelled.

use super::appointments::{records, AppointmentRecord, RECORD_SELECT, SWEEPER};
use super::webhooks::{call_from, CallRecord, CALL_COLUMNS, REAL_CALLS};
use super::{Store, StoreError};
use sqlx::Row;

/// A custom-function call to log.
#[derive(Debug, Clone)]
pub struct NewFunctionCall<'a> {
    /// Tenant.
    pub tenant_id: i64,
    /// Retell call id.
    pub call_id: &'a str,
    /// Function name.
    pub function: &'a str,
    /// Arguments as JSON text (already redacted and bounded).
    pub arguments: &'a str,
    /// The reply as JSON text (already bounded).
    pub reply: &'a str,
    /// `ok`, `replayed`, an error code or `temporary_failure`.
    pub outcome: &'a str,
    /// HTTP status of the reply.
    pub http_status: i64,
    /// When, UTC ms.
    pub at: i64,
    /// How long Slotline took to answer, ms.
    pub duration_ms: Option<i64>,
}

/// A logged custom-function call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionCallRow {
    /// When, UTC ms.
    pub at: i64,
    /// Function name.
    pub function: String,
    /// Arguments, JSON text.
    pub arguments: String,
    /// Reply, JSON text.
    pub reply: String,
    /// Outcome label.
    pub outcome: String,
    /// HTTP status.
    pub http_status: i64,
}

/// Which calls to list.
#[derive(Debug, Clone, Default)]
pub struct CallFilter {
    /// Calls starting at or after, UTC ms.
    pub from_ms: Option<i64>,
    /// Calls starting before, UTC ms.
    pub to_ms: Option<i64>,
    /// Only this outcome (`booked`, `changed`, `cancelled`, `nothing`, `failed`).
    pub outcome: Option<&'static str>,
    /// Only callers whose number contains these digits.
    pub caller_digits: Option<String>,
    /// At most this many, newest first.
    pub limit: i64,
}

/// The outcome of the call `c` (SQL): failed (the call errored, a custom function failed for
/// the database, or a booking of the call could not be finalized), booked, changed, cancelled
/// or nothing.
const OUTCOME: &str = "CASE \
     WHEN c.call_status = 'error' \
       OR EXISTS (SELECT 1 FROM function_calls f WHERE f.tenant_id = c.tenant_id \
                  AND f.call_id = c.call_id AND f.outcome = 'temporary_failure') \
       OR EXISTS (SELECT 1 FROM booking_recovery r JOIN appointment_history h \
                  ON h.appointment_id = r.appointment_id AND h.action = 'needs_recovery' \
                  AND h.actor NOT LIKE 'admin:%' \
                  WHERE r.tenant_id = c.tenant_id AND r.call_id = c.call_id) THEN 'failed' \
     WHEN EXISTS (SELECT 1 FROM appointments a WHERE a.tenant_id = c.tenant_id \
                  AND a.call_id = c.call_id) THEN 'booked' \
     WHEN EXISTS (SELECT 1 FROM appointment_history h WHERE h.tenant_id = c.tenant_id \
                  AND h.actor = 'retell:' || c.call_id AND h.action = 'moved') THEN 'changed' \
     WHEN EXISTS (SELECT 1 FROM appointment_history h WHERE h.tenant_id = c.tenant_id \
                  AND h.actor = 'retell:' || c.call_id AND h.action = 'cancelled') \
          THEN 'cancelled' \
     ELSE 'nothing' END";

impl Store {
    /// Logs one custom-function call: queued for the log writer, written within
    /// milliseconds (see [`super::function_log`]).
    pub async fn log_function_call(&self, c: &NewFunctionCall<'_>) {
        self.function_log.push(self, c).await;
    }

    /// Writes logged custom-function calls in one transaction.
    pub(super) async fn insert_function_calls(
        &self,
        rows: &[super::function_log::Row],
    ) -> Result<(), StoreError> {
        let turn = self.write_turn().await;
        let mut tx = self.pool().begin().await?;
        for row in rows {
            let c = row.as_new();
            sqlx::query(
                "INSERT INTO function_calls (tenant_id, call_id, function, arguments, reply, \
                 outcome, http_status, created_at, duration_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(c.tenant_id)
            .bind(c.call_id)
            .bind(c.function)
            .bind(c.arguments)
            .bind(c.reply)
            .bind(c.outcome)
            .bind(c.http_status)
            .bind(c.at)
            .bind(c.duration_ms)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        drop(turn);
        Ok(())
    }

    /// Waits until every custom-function call this process logged so far is written.
    pub async fn flush_function_log(&self) {
        self.function_log.flush().await;
    }

    /// The custom-function calls of a call, in order.
    pub async fn function_calls(
        &self,
        tenant_id: i64,
        call_id: &str,
    ) -> Result<Vec<FunctionCallRow>, StoreError> {
        self.flush_function_log().await;
        let rows = sqlx::query(
            "SELECT created_at, function, arguments, reply, outcome, http_status \
             FROM function_calls WHERE tenant_id = $1 AND call_id = $2 ORDER BY created_at, id",
        )
        .bind(tenant_id)
        .bind(call_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FunctionCallRow {
                    at: r.try_get("created_at")?,
                    function: r.try_get("function")?,
                    arguments: r.try_get("arguments")?,
                    reply: r.try_get("reply")?,
                    outcome: r.try_get("outcome")?,
                    http_status: r.try_get("http_status")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Calls matching the filter with their outcome, newest first.
    pub async fn calls_filtered(
        &self,
        tenant_id: i64,
        f: &CallFilter,
    ) -> Result<Vec<(CallRecord, String)>, StoreError> {
        let caller = f
            .caller_digits
            .as_deref()
            .filter(|d| !d.is_empty())
            .map(|d| format!("%{d}%"))
            .unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT * FROM (SELECT {CALL_COLUMNS}, {OUTCOME} AS outcome, \
             COALESCE(c.start_ms, c.created_at) AS sort_at, c.id AS row_id FROM calls c \
             WHERE c.tenant_id = $1 AND {REAL_CALLS} AND COALESCE(c.start_ms, c.created_at) >= $2 \
             AND COALESCE(c.start_ms, c.created_at) < $3 \
             AND ($4 = '' OR c.from_number LIKE $4)) x \
             WHERE ($5 = '' OR x.outcome = $5) ORDER BY x.sort_at DESC, x.row_id DESC LIMIT $6"
        ))
        .bind(tenant_id)
        .bind(f.from_ms.unwrap_or(i64::MIN / 2))
        .bind(f.to_ms.unwrap_or(i64::MAX / 2))
        .bind(caller)
        .bind(f.outcome.unwrap_or_default())
        .bind(f.limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((call_from(r)?, r.try_get("outcome")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// One call of a tenant with its outcome.
    pub async fn call_with_outcome(
        &self,
        tenant_id: i64,
        call_id: &str,
    ) -> Result<Option<(CallRecord, String)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {CALL_COLUMNS}, {OUTCOME} AS outcome FROM calls c \
             WHERE c.tenant_id = $1 AND c.call_id = $2"
        ))
        .bind(tenant_id)
        .bind(call_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row
            .map(|r| Ok::<_, sqlx::Error>((call_from(&r)?, r.try_get("outcome")?)))
            .transpose()?)
    }

    /// The appointments a call created, moved or cancelled, with what it did to each
    /// (held, booked, moved, cancelled, needs_recovery), oldest first.
    pub async fn appointments_touched_by_call(
        &self,
        tenant_id: i64,
        call_id: &str,
    ) -> Result<Vec<(AppointmentRecord, Vec<String>)>, StoreError> {
        let actor = format!("retell:{call_id}");
        let rows = sqlx::query(&format!(
            "{RECORD_SELECT} WHERE a.tenant_id = $1 AND (a.call_id = $2 OR a.id IN \
             (SELECT h.appointment_id FROM appointment_history h \
              WHERE h.tenant_id = $1 AND h.actor = $3)) ORDER BY a.id"
        ))
        .bind(tenant_id)
        .bind(call_id)
        .bind(&actor)
        .fetch_all(self.pool())
        .await?;
        let list = records(&rows)?;
        let mut out = Vec::with_capacity(list.len());
        for a in list {
            let own = a.call_id.as_deref() == Some(call_id);
            let actions = self
                .appointment_history(tenant_id, a.id)
                .await?
                .into_iter()
                .filter(|(_, who, _)| {
                    *who == actor || (own && (who == "webhook:call_ended" || who == SWEEPER))
                })
                .map(|(action, _, _)| action)
                .collect();
            out.push((a, actions));
        }
        Ok(out)
    }
}
