//! What a call's replay reads and builds: the call's stored webhook events, a copy of one
//! tenant's schedule into a scratch database (set-up as it is, appointments as they stood at an
//! instant), and the appointment changes made since then.

use super::appointments::BUCKET_MS;
use super::webhooks::InboxEvent;
use super::{Store, StoreError};
use sqlx::any::AnyRow;
use sqlx::{Column, Row};

/// The tables of a tenant's schedule, in an order that satisfies their foreign keys, with the
/// condition picking the tenant's rows (`$1` the tenant, `$2` the instant).
const SCHEDULE: [(&str, &str); 11] = [
    ("tenants", "id = $1 AND $2 = $2"),
    ("locations", "tenant_id = $1 AND $2 = $2"),
    ("staff", "tenant_id = $1 AND $2 = $2"),
    ("services", "tenant_id = $1 AND $2 = $2"),
    (
        "staff_services",
        "staff_id IN (SELECT id FROM staff WHERE tenant_id = $1) AND $2 = $2",
    ),
    ("working_hours", "tenant_id = $1 AND $2 = $2"),
    ("closures", "tenant_id = $1 AND $2 = $2"),
    ("booking_rules", "tenant_id = $1 AND $2 = $2"),
    ("staff_exceptions", "tenant_id = $1 AND $2 = $2"),
    ("customers", "tenant_id = $1 AND $2 = $2"),
    ("appointments", "tenant_id = $1 AND created_at < $2"),
];

/// A column value of either engine's schedule tables.
#[derive(Debug, Clone)]
enum Cell {
    Int(Option<i64>),
    Text(Option<String>),
    Real(Option<f64>),
}

fn cell(row: &AnyRow, i: usize) -> Result<Cell, sqlx::Error> {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return Ok(Cell::Int(v));
    }
    if let Ok(v) = row.try_get::<Option<i32>, _>(i) {
        return Ok(Cell::Int(v.map(i64::from)));
    }
    if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
        return Ok(Cell::Int(v.map(i64::from)));
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        return Ok(Cell::Real(v));
    }
    row.try_get::<Option<String>, _>(i).map(Cell::Text)
}

/// An appointment change recorded in the history: (appointment, action, details JSON).
pub type Change = (i64, String, String);

impl Store {
    /// The stored webhook events of a call, in the order they were received.
    pub async fn inbox_events_of_call(
        &self,
        tenant_id: i64,
        call_id: &str,
    ) -> Result<Vec<(InboxEvent, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, tenant_id, call_id, event, payload, received_at, attempts, status \
             FROM webhook_inbox WHERE tenant_id = $1 AND call_id = $2 ORDER BY id",
        )
        .bind(tenant_id)
        .bind(call_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    InboxEvent {
                        id: r.try_get("id")?,
                        tenant_id: r.try_get("tenant_id")?,
                        call_id: r.try_get("call_id")?,
                        event: r.try_get("event")?,
                        payload: r.try_get("payload")?,
                        received_at: r.try_get("received_at")?,
                        attempts: r.try_get("attempts")?,
                    },
                    r.try_get("status")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Copies the tenant's schedule into `scratch` (a freshly migrated database) with the same
    /// ids: the set-up as it is now and the appointments created before `at_ms`.
    pub async fn copy_schedule_to(
        &self,
        scratch: &Store,
        tenant_id: i64,
        at_ms: i64,
    ) -> Result<(), StoreError> {
        for (table, condition) in SCHEDULE {
            let rows = sqlx::query(&format!("SELECT * FROM {table} WHERE {condition}"))
                .bind(tenant_id)
                .bind(at_ms)
                .fetch_all(self.pool())
                .await?;
            for row in &rows {
                let names: Vec<String> =
                    row.columns().iter().map(|c| c.name().to_owned()).collect();
                let marks: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "INSERT INTO {table} ({}) VALUES ({})",
                    names.join(", "),
                    marks.join(", ")
                );
                let mut q = sqlx::query(&sql);
                for i in 0..names.len() {
                    q = match cell(row, i)? {
                        Cell::Int(v) => q.bind(v),
                        Cell::Text(v) => q.bind(v),
                        Cell::Real(v) => q.bind(v),
                    };
                }
                q.execute(scratch.pool()).await?;
            }
        }
        Ok(())
    }

    /// Moves and cancellations of the tenant's appointments recorded at or after `since_ms`,
    /// newest first.
    pub async fn appointment_changes_since(
        &self,
        tenant_id: i64,
        since_ms: i64,
    ) -> Result<Vec<Change>, StoreError> {
        let rows = sqlx::query(
            "SELECT appointment_id, action, details FROM appointment_history \
             WHERE tenant_id = $1 AND at >= $2 AND action IN ('moved', 'cancelled') \
             ORDER BY id DESC",
        )
        .bind(tenant_id)
        .bind(since_ms)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("appointment_id")?,
                    r.try_get("action")?,
                    r.try_get("details")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// In a scratch copy: undoes recorded changes (newest first) so appointments stand where
    /// they stood before them, then rebuilds the staff occupancy of the active ones.
    pub async fn undo_changes(&self, tenant_id: i64, changes: &[Change]) -> Result<(), StoreError> {
        for (id, action, details) in changes {
            let details: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
            if action == "cancelled" {
                sqlx::query(
                    "UPDATE appointments SET status = 'booked', cancel_reason = NULL \
                     WHERE id = $1 AND tenant_id = $2",
                )
                .bind(id)
                .bind(tenant_id)
                .execute(self.pool())
                .await?;
                continue;
            }
            let (Some(from), Some(to), Some(staff)) = (
                details["from"]["starts_at"].as_i64(),
                details["to"]["starts_at"].as_i64(),
                details["from"]["staff_id"].as_i64(),
            ) else {
                continue;
            };
            let delta = to - from;
            sqlx::query(
                "UPDATE appointments SET staff_id = $1, starts_at = starts_at - $2, \
                 ends_at = ends_at - $2, block_start = block_start - $2, \
                 block_end = block_end - $2 WHERE id = $3 AND tenant_id = $4",
            )
            .bind(staff)
            .bind(delta)
            .bind(id)
            .bind(tenant_id)
            .execute(self.pool())
            .await?;
        }
        sqlx::query("DELETE FROM staff_occupancy")
            .execute(self.pool())
            .await?;
        let active = sqlx::query(
            "SELECT id, staff_id, block_start, block_end FROM appointments \
             WHERE tenant_id = $1 AND status IN ('held', 'booked')",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?;
        for r in &active {
            let (id, staff, start, end): (i64, i64, i64, i64) = (
                r.try_get("id")?,
                r.try_get("staff_id")?,
                r.try_get("block_start")?,
                r.try_get("block_end")?,
            );
            for bucket in start.div_euclid(BUCKET_MS)..=(end - 1).div_euclid(BUCKET_MS) {
                sqlx::query(
                    "INSERT INTO staff_occupancy (staff_id, bucket, appointment_id) \
                     VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(staff)
                .bind(bucket)
                .bind(id)
                .execute(self.pool())
                .await?;
            }
        }
        Ok(())
    }
}
