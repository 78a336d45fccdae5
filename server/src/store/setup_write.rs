//! Set-up changes from the browser, each in one transaction that also bumps the schedule
//! version — only if it is still the version the change was planned at, so the appointments
//! the change strands are exactly those it queues for recovery in the same transaction.

use super::recovery::{queue_failed_holds, FailedHold};
use super::scheduling::{write_rules, BookingRules};
use super::{duplicate_as, Store, StoreError};
use sqlx::{Any, Row, Transaction};

/// A service as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFields {
    /// Name.
    pub name: String,
    /// Minutes.
    pub duration_min: i64,
    /// Minutes kept free before.
    pub buffer_before_min: i64,
    /// Minutes kept free after.
    pub buffer_after_min: i64,
    /// Bookable by phone.
    pub phone_bookable: bool,
    /// Price in cents.
    pub price_cents: Option<i64>,
    /// Description.
    pub description: String,
    /// Staff who offer it.
    pub staff_ids: Vec<i64>,
}

/// A staff member as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffFields {
    /// Name.
    pub name: String,
    /// Services offered.
    pub service_ids: Vec<i64>,
    /// Weekly intervals (weekday, start minute, end minute).
    pub hours: Vec<(i64, i64, i64)>,
}

/// A day off or extra shift as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionFields {
    /// Staff member.
    pub staff_id: i64,
    /// Local date.
    pub day: jiff::civil::Date,
    /// `off` or `extra`.
    pub kind: &'static str,
    /// Start minute.
    pub start_min: i64,
    /// End minute.
    pub end_min: i64,
    /// Why.
    pub reason: String,
}

/// A closure as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureFields {
    /// Staff member, or None for everyone.
    pub staff_id: Option<i64>,
    /// Start, UTC ms.
    pub starts_at: i64,
    /// End, UTC ms.
    pub ends_at: i64,
    /// Why.
    pub reason: String,
}

/// One set-up change.
#[derive(Debug, Clone)]
pub enum SetupChange {
    /// A new service.
    CreateService(ServiceFields),
    /// New values for a service.
    UpdateService(i64, ServiceFields),
    /// Archives (active = false) or restores a service.
    ArchiveService(i64, bool),
    /// A new staff member with the sealed and hashed calendar-feed token.
    CreateStaff(StaffFields, String, String),
    /// New values for a staff member.
    UpdateStaff(i64, StaffFields),
    /// Archives (active = false) or restores a staff member.
    ArchiveStaff(i64, bool),
    /// A new day off or extra shift.
    AddException(ExceptionFields),
    /// Removes a day off or extra shift.
    RemoveException(i64),
    /// A new closure.
    AddClosure(ClosureFields),
    /// Removes a closure.
    RemoveClosure(i64),
    /// New booking rules.
    Rules(BookingRules),
}

/// An appointment a change strands, queued for recovery with the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stranded {
    /// The call that made it (empty for admin bookings).
    pub call_id: String,
    /// Appointment, reason and what the customer gave.
    pub hold: FailedHold,
}

/// How applying a change went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupApplied {
    /// Done; the id of the created or changed record (the tenant's for rules).
    Done(i64),
    /// The schedule changed since the change was planned; plan it again.
    VersionMoved,
    /// The record is not the tenant's (or does not exist).
    NotFound,
}

impl Store {
    /// Applies a change planned at `expected_version`, queueing `stranded` for recovery in
    /// the same transaction. Nothing is written unless the version is still the same.
    pub async fn apply_setup(
        &self,
        tenant_id: i64,
        expected_version: i64,
        change: &SetupChange,
        stranded: &[Stranded],
        actor: &str,
    ) -> Result<SetupApplied, StoreError> {
        let mut tx = self.pool().begin().await?;
        let bumped = sqlx::query(
            "UPDATE tenants SET schedule_version = schedule_version + 1 \
             WHERE id = $1 AND schedule_version = $2",
        )
        .bind(tenant_id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if bumped.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(SetupApplied::VersionMoved);
        }
        let Some(id) = write(&mut tx, self.now_ms(), tenant_id, change).await? else {
            tx.rollback().await?;
            return Ok(SetupApplied::NotFound);
        };
        for s in stranded {
            queue_failed_holds(
                &mut tx,
                self.now_ms(),
                tenant_id,
                &s.call_id,
                std::slice::from_ref(&s.hold),
                actor,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(SetupApplied::Done(id))
    }
}

/// Writes one change; None when its record is not the tenant's.
async fn write(
    tx: &mut Transaction<'static, Any>,
    now: i64,
    tenant_id: i64,
    change: &SetupChange,
) -> Result<Option<i64>, StoreError> {
    let affected = |r: sqlx::any::AnyQueryResult, id: i64| (r.rows_affected() == 1).then_some(id);
    Ok(match change {
        SetupChange::CreateService(f) => {
            let id: i64 = sqlx::query(
                "INSERT INTO services (tenant_id, name, duration_min, buffer_before_min, \
                 buffer_after_min, phone_bookable, price_cents, description) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(tenant_id)
            .bind(&f.name)
            .bind(f.duration_min)
            .bind(f.buffer_before_min)
            .bind(f.buffer_after_min)
            .bind(i64::from(f.phone_bookable))
            .bind(f.price_cents)
            .bind(&f.description)
            .fetch_one(&mut **tx)
            .await
            .map_err(duplicate_as("a service with this name"))?
            .try_get("id")?;
            service_staff(tx, tenant_id, id, &f.staff_ids).await?;
            Some(id)
        }
        SetupChange::UpdateService(id, f) => {
            let r = sqlx::query(
                "UPDATE services SET name = $3, duration_min = $4, buffer_before_min = $5, \
                 buffer_after_min = $6, phone_bookable = $7, price_cents = $8, description = $9 \
                 WHERE id = $1 AND tenant_id = $2",
            )
            .bind(id)
            .bind(tenant_id)
            .bind(&f.name)
            .bind(f.duration_min)
            .bind(f.buffer_before_min)
            .bind(f.buffer_after_min)
            .bind(i64::from(f.phone_bookable))
            .bind(f.price_cents)
            .bind(&f.description)
            .execute(&mut **tx)
            .await
            .map_err(duplicate_as("a service with this name"))?;
            if r.rows_affected() != 1 {
                return Ok(None);
            }
            service_staff(tx, tenant_id, *id, &f.staff_ids).await?;
            Some(*id)
        }
        SetupChange::ArchiveService(id, active) => {
            let r = sqlx::query("UPDATE services SET active = $3 WHERE id = $1 AND tenant_id = $2")
                .bind(id)
                .bind(tenant_id)
                .bind(i64::from(*active))
                .execute(&mut **tx)
                .await?;
            affected(r, *id)
        }
        SetupChange::CreateStaff(f, sealed, hash) => {
            let id: i64 = sqlx::query(
                "INSERT INTO staff (tenant_id, name, ics_token_hash, ics_token_sealed) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(tenant_id)
            .bind(&f.name)
            .bind(hash)
            .bind(sealed)
            .fetch_one(&mut **tx)
            .await
            .map_err(duplicate_as("a staff member with this name"))?
            .try_get("id")?;
            staff_details(tx, tenant_id, id, f).await?;
            Some(id)
        }
        SetupChange::UpdateStaff(id, f) => {
            let r = sqlx::query("UPDATE staff SET name = $3 WHERE id = $1 AND tenant_id = $2")
                .bind(id)
                .bind(tenant_id)
                .bind(&f.name)
                .execute(&mut **tx)
                .await
                .map_err(duplicate_as("a staff member with this name"))?;
            if r.rows_affected() != 1 {
                return Ok(None);
            }
            staff_details(tx, tenant_id, *id, f).await?;
            Some(*id)
        }
        SetupChange::ArchiveStaff(id, active) => {
            let r = sqlx::query("UPDATE staff SET active = $3 WHERE id = $1 AND tenant_id = $2")
                .bind(id)
                .bind(tenant_id)
                .bind(i64::from(*active))
                .execute(&mut **tx)
                .await?;
            affected(r, *id)
        }
        SetupChange::AddException(e) => sqlx::query(
            "INSERT INTO staff_exceptions (tenant_id, staff_id, day, kind, start_min, end_min, \
             reason, created_at) SELECT $1, id, $3, $4, $5, $6, $7, $8 FROM staff \
             WHERE id = $2 AND tenant_id = $1 RETURNING id",
        )
        .bind(tenant_id)
        .bind(e.staff_id)
        .bind(e.day.to_string())
        .bind(e.kind)
        .bind(e.start_min)
        .bind(e.end_min)
        .bind(&e.reason)
        .bind(now)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()?,
        SetupChange::RemoveException(id) => {
            let r = sqlx::query("DELETE FROM staff_exceptions WHERE id = $1 AND tenant_id = $2")
                .bind(id)
                .bind(tenant_id)
                .execute(&mut **tx)
                .await?;
            affected(r, *id)
        }
        SetupChange::AddClosure(c) => add_closure(tx, tenant_id, c).await?,
        SetupChange::RemoveClosure(id) => {
            let r = sqlx::query("DELETE FROM closures WHERE id = $1 AND tenant_id = $2")
                .bind(id)
                .bind(tenant_id)
                .execute(&mut **tx)
                .await?;
            affected(r, *id)
        }
        SetupChange::Rules(rules) => {
            write_rules(tx, tenant_id, rules).await?;
            Some(tenant_id)
        }
    })
}

/// Inserts a closure; None when the named staff member is not the tenant's.
async fn add_closure(
    tx: &mut Transaction<'static, Any>,
    tenant_id: i64,
    c: &ClosureFields,
) -> Result<Option<i64>, StoreError> {
    let row = match c.staff_id {
        Some(staff_id) => {
            sqlx::query(
                "INSERT INTO closures (tenant_id, staff_id, starts_at, ends_at, reason) \
                 SELECT $1, id, $3, $4, $5 FROM staff WHERE id = $2 AND tenant_id = $1 \
                 RETURNING id",
            )
            .bind(tenant_id)
            .bind(staff_id)
            .bind(c.starts_at)
            .bind(c.ends_at)
            .bind(&c.reason)
            .fetch_optional(&mut **tx)
            .await?
        }
        None => {
            sqlx::query(
                "INSERT INTO closures (tenant_id, staff_id, starts_at, ends_at, reason) \
                 VALUES ($1, NULL, $2, $3, $4) RETURNING id",
            )
            .bind(tenant_id)
            .bind(c.starts_at)
            .bind(c.ends_at)
            .bind(&c.reason)
            .fetch_optional(&mut **tx)
            .await?
        }
    };
    Ok(row.map(|r| r.try_get("id")).transpose()?)
}

/// Replaces who offers a service (only the tenant's staff are linked).
async fn service_staff(
    tx: &mut Transaction<'static, Any>,
    tenant_id: i64,
    service_id: i64,
    staff_ids: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM staff_services WHERE service_id = $1")
        .bind(service_id)
        .execute(&mut **tx)
        .await?;
    for staff_id in staff_ids {
        sqlx::query(
            "INSERT INTO staff_services (staff_id, service_id) SELECT id, $2 FROM staff \
             WHERE id = $1 AND tenant_id = $3 ON CONFLICT DO NOTHING",
        )
        .bind(staff_id)
        .bind(service_id)
        .bind(tenant_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Replaces a staff member's services and weekly hours.
async fn staff_details(
    tx: &mut Transaction<'static, Any>,
    tenant_id: i64,
    staff_id: i64,
    f: &StaffFields,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM staff_services WHERE staff_id = $1")
        .bind(staff_id)
        .execute(&mut **tx)
        .await?;
    for service_id in &f.service_ids {
        sqlx::query(
            "INSERT INTO staff_services (staff_id, service_id) SELECT $1, id FROM services \
             WHERE id = $2 AND tenant_id = $3 ON CONFLICT DO NOTHING",
        )
        .bind(staff_id)
        .bind(service_id)
        .bind(tenant_id)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("DELETE FROM working_hours WHERE staff_id = $1 AND tenant_id = $2")
        .bind(staff_id)
        .bind(tenant_id)
        .execute(&mut **tx)
        .await?;
    for (weekday, start, end) in &f.hours {
        sqlx::query(
            "INSERT INTO working_hours (tenant_id, staff_id, weekday, start_min, end_min) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(tenant_id)
        .bind(staff_id)
        .bind(weekday)
        .bind(start)
        .bind(end)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
