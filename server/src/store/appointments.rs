//! Customers, appointments and their history. Every held/booked appointment claims the
//! 5-minute buckets of its buffered span in `staff_occupancy`; the primary key
//! (staff, bucket) makes two overlapping appointments impossible on SQLite and PostgreSQL
//! alike, across processes. Mutations of custom functions store their answer in the same
//! transaction, so a retried call gets the first answer back.

use super::{Store, StoreError};
use app::contract::AppointmentStatus;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// Granularity of the occupancy grid (5 minutes).
pub const BUCKET_MS: i64 = 300_000;

/// Key of a custom-function answer: the same call asking the same thing gets the same answer.
#[derive(Debug, Clone)]
pub struct IdemKey {
    /// Retell call id.
    pub call_id: String,
    /// Function name.
    pub function: &'static str,
    /// SHA-256 of the canonical arguments.
    pub args_hash: String,
}

/// Time an appointment takes: service span and buffered block, UTC ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// Staff member.
    pub staff_id: i64,
    /// Service start.
    pub starts_at: i64,
    /// Service end.
    pub ends_at: i64,
    /// Start including the buffer before.
    pub block_start: i64,
    /// End including the buffer after.
    pub block_end: i64,
}

/// A new appointment.
#[derive(Debug, Clone)]
pub struct NewAppointment<'a> {
    /// Tenant.
    pub tenant_id: i64,
    /// Service.
    pub service_id: i64,
    /// Where and when.
    pub placement: Placement,
    /// Customer name.
    pub customer_name: &'a str,
    /// Customer phone, E.164: whose appointment it is.
    pub customer_phone: &'a str,
    /// Whether the booking may update that customer's stored name and e-mail (only when the
    /// phone is the booker's own); otherwise an existing record stays as it is.
    pub update_customer: bool,
    /// Another number to reach the customer at (E.164), kept on the appointment only.
    pub contact_phone: Option<&'a str>,
    /// Customer e-mail.
    pub customer_email: Option<&'a str>,
    /// Held (phone, until the call ends) or booked.
    pub status: AppointmentStatus,
    /// `phone` or `admin`.
    pub source: &'a str,
    /// Retell call id.
    pub call_id: Option<&'a str>,
    /// Notes.
    pub notes: &'a str,
    /// Who did it, for the history.
    pub actor: &'a str,
}

/// A stored appointment with names resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentRecord {
    /// Id.
    pub id: i64,
    /// Staff id.
    pub staff_id: i64,
    /// Staff name.
    pub staff_name: String,
    /// Service id.
    pub service_id: i64,
    /// Service name.
    pub service_name: String,
    /// Customer name.
    pub customer_name: String,
    /// Customer phone, E.164.
    pub customer_phone: String,
    /// Start, UTC ms.
    pub starts_at: i64,
    /// End, UTC ms.
    pub ends_at: i64,
    /// Status.
    pub status: AppointmentStatus,
    /// `phone` or `admin`.
    pub source: String,
    /// Retell call id.
    pub call_id: Option<String>,
    /// Notes.
    pub notes: String,
    /// Last change, UTC ms.
    pub updated_at: i64,
}

/// Why a booking write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Another appointment occupies (part of) the span.
    #[error("the time is already taken")]
    SlotTaken,
    /// No such appointment in this tenant, or not in a state that allows the change.
    #[error("no active appointment with this id")]
    NotFound,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for WriteError {
    fn from(e: sqlx::Error) -> Self {
        WriteError::Store(StoreError::Database(e))
    }
}

/// Result of an idempotent write: done now, or the answer stored by an earlier identical call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written<T> {
    /// Done by this call.
    Done(T),
    /// An identical earlier call already did it; its answer.
    Replayed(String),
}

/// Builds the answer to store for an idempotent write from the appointment id.
pub type Respond<'a> = Box<dyn FnOnce(i64) -> String + Send + 'a>;

pub(super) const RECORD_SELECT: &str =
    "SELECT a.id, a.staff_id, st.name AS staff_name, a.service_id, \
     sv.name AS service_name, c.name AS customer_name, c.phone_e164, a.starts_at, a.ends_at, \
     a.status, a.source, a.call_id, a.notes, a.updated_at FROM appointments a \
     JOIN staff st ON st.id = a.staff_id JOIN services sv ON sv.id = a.service_id \
     JOIN customers c ON c.id = a.customer_id";

pub(super) fn record_from(r: &AnyRow) -> Result<AppointmentRecord, sqlx::Error> {
    let status: String = r.try_get("status")?;
    Ok(AppointmentRecord {
        id: r.try_get("id")?,
        staff_id: r.try_get("staff_id")?,
        staff_name: r.try_get("staff_name")?,
        service_id: r.try_get("service_id")?,
        service_name: r.try_get("service_name")?,
        customer_name: r.try_get("customer_name")?,
        customer_phone: r.try_get("phone_e164")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        status: AppointmentStatus::parse(&status)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown status {status}").into()))?,
        source: r.try_get("source")?,
        call_id: r.try_get("call_id")?,
        notes: r.try_get("notes")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Decodes appointment rows.
pub(super) fn records(rows: &[AnyRow]) -> Result<Vec<AppointmentRecord>, StoreError> {
    rows.iter()
        .map(record_from)
        .collect::<Result<_, _>>()
        .map_err(StoreError::from)
}

/// Claims the buckets of a block; false when any is taken (the transaction is then unusable
/// on PostgreSQL and must be rolled back).
async fn claim(
    tx: &mut Transaction<'static, Any>,
    appointment_id: i64,
    p: &Placement,
) -> Result<bool, sqlx::Error> {
    let first = p.block_start.div_euclid(BUCKET_MS);
    let last = (p.block_end - 1).div_euclid(BUCKET_MS);
    let mut sql =
        String::from("INSERT INTO staff_occupancy (staff_id, bucket, appointment_id) VALUES ");
    for (i, _) in (first..=last).enumerate() {
        if i > 0 {
            sql.push(',');
        }
        sql.push_str(&format!("($1, ${}, $2)", i + 3));
    }
    let mut q = sqlx::query(&sql).bind(p.staff_id).bind(appointment_id);
    for bucket in first..=last {
        q = q.bind(bucket);
    }
    match q.execute(&mut **tx).await {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Appends an entry to an appointment's history and writes the notifications it announces
/// (inside the caller's transaction).
pub(crate) async fn record(
    tx: &mut Transaction<'static, Any>,
    now: i64,
    tenant_id: i64,
    appointment_id: i64,
    action: &str,
    actor: &str,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let history_id: i64 = sqlx::query(
        "INSERT INTO appointment_history (tenant_id, appointment_id, at, action, actor, details) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(tenant_id)
    .bind(appointment_id)
    .bind(now)
    .bind(action)
    .bind(actor)
    .bind(details.to_string())
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    // The messages this change announces commit with it (or not at all).
    super::outbox_announce::announce(tx, now, tenant_id, appointment_id, action, history_id).await
}

/// Stores the answer of an idempotent write; false if an identical call stored one first.
async fn remember(
    tx: &mut Transaction<'static, Any>,
    now: i64,
    tenant_id: i64,
    key: &IdemKey,
    response: &str,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO function_results (tenant_id, call_id, function, args_hash, response, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (tenant_id, call_id, function, args_hash) DO NOTHING RETURNING tenant_id",
    )
    .bind(tenant_id)
    .bind(&key.call_id)
    .bind(key.function)
    .bind(&key.args_hash)
    .bind(response)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}

/// Turns the appointments a call holds into bookings, except `failed` ones, which go to the
/// recovery queue (inside the call_ended transaction, so event and bookings commit together);
/// returns the booked ids.
pub(crate) async fn finalize_call_holds(
    tx: &mut Transaction<'static, Any>,
    now: i64,
    tenant_id: i64,
    call_id: &str,
    failed: &[super::recovery::FailedHold],
    actor: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    let held: Vec<i64> = sqlx::query(
        "SELECT id FROM appointments WHERE tenant_id = $1 AND call_id = $2 AND status = 'held'",
    )
    .bind(tenant_id)
    .bind(call_id)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| r.try_get("id"))
    .collect::<Result<_, _>>()?;
    let mut booked = Vec::new();
    for id in held {
        if failed.iter().any(|f| f.appointment_id == id) {
            continue;
        }
        sqlx::query("UPDATE appointments SET status = 'booked', updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        let details = serde_json::json!({ "call_id": call_id });
        record(tx, now, tenant_id, id, "booked", actor, details).await?;
        booked.push(id);
    }
    super::recovery::queue_failed_holds(tx, now, tenant_id, call_id, failed, actor).await?;
    Ok(booked)
}

/// Who finalizes holds whose call_ended never arrived (in the appointment history).
pub const SWEEPER: &str = "sweeper:call_ended_missing";

impl Store {
    /// Calls with holds older than their tenant's hold lifetime (`booking_rules.hold_min`,
    /// `default_hold_min` without rules) as of `now_ms` that are not waiting in the recovery
    /// queue: their call_ended never arrived. At most `limit`, oldest first.
    pub async fn stale_hold_calls(
        &self,
        now_ms: i64,
        default_hold_min: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.tenant_id, a.call_id, MIN(a.created_at) AS since FROM appointments a \
             LEFT JOIN booking_rules br ON br.tenant_id = a.tenant_id \
             WHERE a.status = 'held' AND a.call_id IS NOT NULL AND a.created_at < $1 \
             AND a.created_at < $2 - COALESCE(br.hold_min, $3) * 60000 \
             AND NOT EXISTS (SELECT 1 FROM booking_recovery r \
                             WHERE r.appointment_id = a.id AND r.status = 'open') \
             GROUP BY a.tenant_id, a.call_id ORDER BY since LIMIT $4",
        )
        // No hold lives less than 5 minutes: this bound keeps the index range tight.
        .bind(now_ms - 5 * 60_000)
        .bind(now_ms)
        .bind(default_hold_min)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("tenant_id")?, r.try_get("call_id")?)))
            .collect()
    }

    /// Books a call's holds as call_ended would (those that no longer fit go to recovery);
    /// returns the booked ids.
    pub async fn finalize_stale_holds(
        &self,
        tenant_id: i64,
        call_id: &str,
        failed: &[super::recovery::FailedHold],
    ) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.pool().begin().await?;
        // Held and booked occupy the same time, so the schedule version stays as it is.
        let booked =
            finalize_call_holds(&mut tx, self.now_ms(), tenant_id, call_id, failed, SWEEPER)
                .await?;
        tx.commit().await?;
        Ok(booked)
    }
}

impl Store {
    /// The answer an identical earlier custom-function call stored, if any.
    pub async fn function_result(
        &self,
        tenant_id: i64,
        key: &IdemKey,
    ) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(
            "SELECT response FROM function_results \
             WHERE tenant_id = $1 AND call_id = $2 AND function = $3 AND args_hash = $4",
        )
        .bind(tenant_id)
        .bind(&key.call_id)
        .bind(key.function)
        .bind(&key.args_hash)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| r.try_get("response")).transpose()?)
    }

    /// After a failed write: an identical call's stored answer wins over the failure.
    async fn replay_or(
        &self,
        tenant_id: i64,
        idem: Option<&IdemKey>,
        err: WriteError,
    ) -> Result<Written<i64>, WriteError> {
        if let Some(key) = idem {
            if let Some(stored) = self.function_result(tenant_id, key).await? {
                return Ok(Written::Replayed(stored));
            }
        }
        Err(err)
    }

    /// Ends a write: bumps the schedule version, stores the answer (unless an identical call
    /// stored one first, which then wins) and commits.
    async fn finish(
        &self,
        mut tx: Transaction<'static, Any>,
        tenant_id: i64,
        id: i64,
        idem: Option<(&IdemKey, Respond<'_>)>,
        lost: WriteError,
    ) -> Result<Written<i64>, WriteError> {
        super::scheduling::bump_version(&mut tx, tenant_id).await?;
        if let Some((key, respond)) = idem {
            if !remember(&mut tx, self.now_ms(), tenant_id, key, &respond(id)).await? {
                tx.rollback().await?;
                return self.replay_or(tenant_id, Some(key), lost).await;
            }
        }
        tx.commit().await?;
        Ok(Written::Done(id))
    }

    /// Books (or holds) an appointment atomically: customer upsert, appointment, occupancy,
    /// history and the stored answer commit together or not at all.
    pub async fn book(
        &self,
        new: &NewAppointment<'_>,
        idem: Option<(&IdemKey, Respond<'_>)>,
    ) -> Result<Written<i64>, WriteError> {
        let now = self.now_ms();
        let p = new.placement;
        let mut tx = self.pool().begin().await?;
        // Someone booking under a number that is not theirs never renames its customer.
        let on_conflict = if new.update_customer {
            "DO UPDATE SET name = excluded.name, email = COALESCE(excluded.email, customers.email)"
        } else {
            "DO UPDATE SET phone_e164 = customers.phone_e164"
        };
        let customer: i64 = sqlx::query(&format!(
            "INSERT INTO customers (tenant_id, name, phone_e164, email, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, phone_e164) {on_conflict} \
             RETURNING id"
        ))
        .bind(new.tenant_id)
        .bind(new.customer_name)
        .bind(new.customer_phone)
        .bind(new.customer_email)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let id: i64 = sqlx::query(
            "INSERT INTO appointments (tenant_id, staff_id, service_id, customer_id, starts_at, \
             ends_at, block_start, block_end, status, source, call_id, notes, created_at, \
             updated_at, contact_phone, email) SELECT $1, st.id, sv.id, $4, $5, $6, $7, $8, $9, \
             $10, $11, $12, $13, $13, $14, $15 \
             FROM staff st, services sv WHERE st.id = $2 AND sv.id = $3 \
             AND st.tenant_id = $1 AND sv.tenant_id = $1 RETURNING id",
        )
        .bind(new.tenant_id)
        .bind(p.staff_id)
        .bind(new.service_id)
        .bind(customer)
        .bind(p.starts_at)
        .bind(p.ends_at)
        .bind(p.block_start)
        .bind(p.block_end)
        .bind(new.status.as_str())
        .bind(new.source)
        .bind(new.call_id)
        .bind(new.notes)
        .bind(now)
        .bind(new.contact_phone)
        .bind(new.customer_email)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(WriteError::NotFound)?
        .try_get("id")?;
        if !claim(&mut tx, id, &p).await? {
            tx.rollback().await?;
            return self
                .replay_or(new.tenant_id, idem.map(|(k, _)| k), WriteError::SlotTaken)
                .await;
        }
        let details = serde_json::json!({ "starts_at": p.starts_at, "staff_id": p.staff_id,
            "call_id": new.call_id });
        record(
            &mut tx,
            self.now_ms(),
            new.tenant_id,
            id,
            new.status.as_str(),
            new.actor,
            details,
        )
        .await?;
        self.finish(tx, new.tenant_id, id, idem, WriteError::SlotTaken)
            .await
    }

    /// Moves an active appointment to a new placement atomically (its old time is freed in
    /// the same transaction that claims the new one).
    pub async fn move_appointment(
        &self,
        tenant_id: i64,
        id: i64,
        to: &Placement,
        actor: &str,
        idem: Option<(&IdemKey, Respond<'_>)>,
    ) -> Result<Written<i64>, WriteError> {
        let mut tx = self.pool().begin().await?;
        let before = sqlx::query(
            "SELECT staff_id, starts_at FROM appointments \
             WHERE id = $1 AND tenant_id = $2 AND status IN ('held', 'booked')",
        )
        .bind(id)
        .bind(tenant_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(WriteError::NotFound)?;
        let (old_staff, old_start): (i64, i64) =
            (before.try_get("staff_id")?, before.try_get("starts_at")?);
        sqlx::query("DELETE FROM staff_occupancy WHERE appointment_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if !claim(&mut tx, id, to).await? {
            tx.rollback().await?;
            return self
                .replay_or(tenant_id, idem.map(|(k, _)| k), WriteError::SlotTaken)
                .await;
        }
        sqlx::query(
            "UPDATE appointments SET staff_id = $1, starts_at = $2, ends_at = $3, \
             block_start = $4, block_end = $5, updated_at = $6 WHERE id = $7 AND tenant_id = $8",
        )
        .bind(to.staff_id)
        .bind(to.starts_at)
        .bind(to.ends_at)
        .bind(to.block_start)
        .bind(to.block_end)
        .bind(self.now_ms())
        .bind(id)
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
        let details = serde_json::json!({ "from": { "starts_at": old_start, "staff_id": old_staff },
            "to": { "starts_at": to.starts_at, "staff_id": to.staff_id } });
        record(
            &mut tx,
            self.now_ms(),
            tenant_id,
            id,
            "moved",
            actor,
            details,
        )
        .await?;
        self.finish(tx, tenant_id, id, idem, WriteError::NotFound)
            .await
    }

    /// Cancels an active appointment and frees its time.
    pub async fn cancel_appointment(
        &self,
        tenant_id: i64,
        id: i64,
        reason: &str,
        actor: &str,
        idem: Option<(&IdemKey, Respond<'_>)>,
    ) -> Result<Written<i64>, WriteError> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE appointments SET status = 'cancelled', cancel_reason = $1, updated_at = $2 \
             WHERE id = $3 AND tenant_id = $4 AND status IN ('held', 'booked')",
        )
        .bind(reason)
        .bind(self.now_ms())
        .bind(id)
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return self
                .replay_or(tenant_id, idem.map(|(k, _)| k), WriteError::NotFound)
                .await;
        }
        sqlx::query("DELETE FROM staff_occupancy WHERE appointment_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let details = serde_json::json!({ "reason": reason });
        record(
            &mut tx,
            self.now_ms(),
            tenant_id,
            id,
            "cancelled",
            actor,
            details,
        )
        .await?;
        self.finish(tx, tenant_id, id, idem, WriteError::NotFound)
            .await
    }

    /// Turns a held appointment into a booked one.
    pub async fn confirm_appointment(
        &self,
        tenant_id: i64,
        id: i64,
        actor: &str,
    ) -> Result<(), WriteError> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE appointments SET status = 'booked', updated_at = $1 \
             WHERE id = $2 AND tenant_id = $3 AND status = 'held'",
        )
        .bind(self.now_ms())
        .bind(id)
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Err(WriteError::NotFound);
        }
        record(
            &mut tx,
            self.now_ms(),
            tenant_id,
            id,
            "booked",
            actor,
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Occupied blocks `(staff id, block start, block end)` overlapping `[from, to)`,
    /// leaving out one appointment (the one being moved).
    pub async fn busy_blocks(
        &self,
        tenant_id: i64,
        from_ms: i64,
        to_ms: i64,
        without: Option<i64>,
    ) -> Result<Vec<(i64, i64, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT staff_id, block_start, block_end FROM appointments \
             WHERE tenant_id = $1 AND status IN ('held', 'booked') \
             AND block_start < $3 AND block_start >= $5 AND block_end > $2 AND id <> $4",
        )
        .bind(tenant_id)
        .bind(from_ms)
        .bind(to_ms)
        .bind(without.unwrap_or(0))
        // No block is longer than a day: this bound keeps the index range tight.
        .bind(from_ms - 86_400_000)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("staff_id")?,
                    r.try_get("block_start")?,
                    r.try_get("block_end")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// One appointment of a tenant.
    pub async fn appointment(
        &self,
        tenant_id: i64,
        id: i64,
    ) -> Result<Option<AppointmentRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "{RECORD_SELECT} WHERE a.tenant_id = $1 AND a.id = $2"
        ))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(record_from).transpose()?)
    }

    /// A customer's appointments by phone: active ones starting after `from_ms`, or all.
    pub async fn appointments_by_phone(
        &self,
        tenant_id: i64,
        phone: &str,
        from_ms: Option<i64>,
    ) -> Result<Vec<AppointmentRecord>, StoreError> {
        let filter = if from_ms.is_some() {
            "AND a.status IN ('held', 'booked') AND a.starts_at >= $3"
        } else {
            "AND $3 = $3"
        };
        let rows = sqlx::query(&format!(
            "{RECORD_SELECT} WHERE a.tenant_id = $1 AND c.phone_e164 = $2 {filter} \
             ORDER BY a.starts_at"
        ))
        .bind(tenant_id)
        .bind(phone)
        .bind(from_ms.unwrap_or(0))
        .fetch_all(self.pool())
        .await?;
        records(&rows)
    }

    /// Appointments starting in `[from, to)`, optionally of one staff member, by start.
    pub async fn appointments_between(
        &self,
        tenant_id: i64,
        from_ms: i64,
        to_ms: i64,
        staff_id: Option<i64>,
    ) -> Result<Vec<AppointmentRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "{RECORD_SELECT} WHERE a.tenant_id = $1 AND a.starts_at >= $2 AND a.starts_at < $3 \
             AND ($4 = 0 OR a.staff_id = $4) ORDER BY a.starts_at, a.id"
        ))
        .bind(tenant_id)
        .bind(from_ms)
        .bind(to_ms)
        .bind(staff_id.unwrap_or(0))
        .fetch_all(self.pool())
        .await?;
        records(&rows)
    }

    /// The appointments a call holds or booked.
    pub async fn appointments_of_call(
        &self,
        tenant_id: i64,
        call_id: &str,
    ) -> Result<Vec<AppointmentRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "{RECORD_SELECT} WHERE a.tenant_id = $1 AND a.call_id = $2 ORDER BY a.id"
        ))
        .bind(tenant_id)
        .bind(call_id)
        .fetch_all(self.pool())
        .await?;
        records(&rows)
    }

    /// Actions recorded for an appointment: (action, actor, details JSON), oldest first.
    pub async fn appointment_history(
        &self,
        tenant_id: i64,
        id: i64,
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT action, actor, details FROM appointment_history \
             WHERE tenant_id = $1 AND appointment_id = $2 ORDER BY id",
        )
        .bind(tenant_id)
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("action")?,
                    r.try_get("actor")?,
                    r.try_get("details")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
