//! A tenant's scheduling set-up: staff, services, who offers what, working hours, closures
//! and booking rules. Read as one [`ScheduleSetup`] for the availability engine.

use super::{Store, StoreError};
use sqlx::Row;

/// Booking rules of a tenant (defaults when none are stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingRules {
    /// Minutes between offered starts.
    pub step_min: i64,
    /// Minimum minutes between now and a new appointment.
    pub notice_book_min: i64,
    /// Minimum minutes before an appointment to move it.
    pub notice_change_min: i64,
    /// Minimum minutes before an appointment to cancel it.
    pub notice_cancel_min: i64,
    /// How many days ahead can be booked.
    pub horizon_days: i64,
    /// Minutes kept free after every appointment, on top of the service's own buffer.
    pub buffer_min: i64,
    /// Minutes after which a hold whose call_ended never arrived is finalized.
    pub hold_min: i64,
}

impl Default for BookingRules {
    fn default() -> Self {
        Self {
            step_min: 15,
            notice_book_min: 60,
            notice_change_min: 1440,
            notice_cancel_min: 1440,
            horizon_days: 60,
            buffer_min: 0,
            hold_min: 120,
        }
    }
}

/// A bookable service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRow {
    /// Id.
    pub id: i64,
    /// Name as callers say it.
    pub name: String,
    /// Minutes.
    pub duration_min: i64,
    /// Minutes kept free before.
    pub buffer_before_min: i64,
    /// Minutes kept free after.
    pub buffer_after_min: i64,
    /// Whether callers may book it by phone.
    pub phone_bookable: bool,
}

/// A staff member with the services they offer and their weekly hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    /// Id.
    pub id: i64,
    /// Name as callers say it.
    pub name: String,
    /// Services offered.
    pub service_ids: Vec<i64>,
    /// Weekly hours: (ISO weekday 1 = Monday, start minute, end minute), local time.
    pub hours: Vec<(i64, i64, i64)>,
    /// Extra shifts on single local dates: (date, start minute, end minute).
    pub extra: Vec<(jiff::civil::Date, i64, i64)>,
    /// Local dates off (whole days).
    pub off: Vec<jiff::civil::Date>,
}

/// A closure of the whole business (`staff_id = None`) or of one staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClosureRow {
    /// Staff, or None for everybody.
    pub staff_id: Option<i64>,
    /// Start, UTC ms.
    pub starts_at: i64,
    /// End, UTC ms.
    pub ends_at: i64,
}

/// Everything the availability engine needs besides the appointments.
#[derive(Debug, Clone, Default)]
pub struct ScheduleSetup {
    /// Rules.
    pub rules: BookingRules,
    /// Active services.
    pub services: Vec<ServiceRow>,
    /// Active staff.
    pub staff: Vec<StaffRow>,
    /// Closures that have not ended.
    pub closures: Vec<ClosureRow>,
}

/// A new service.
#[derive(Debug, Clone)]
pub struct NewService<'a> {
    /// Name.
    pub name: &'a str,
    /// Minutes (multiple of 5).
    pub duration_min: i64,
    /// Minutes before (multiple of 5).
    pub buffer_before_min: i64,
    /// Minutes after (multiple of 5).
    pub buffer_after_min: i64,
    /// Bookable by phone.
    pub phone_bookable: bool,
    /// Price in cents, if shown.
    pub price_cents: Option<i64>,
}

/// Stores the tenant's booking rules (insert or replace) on a connection or transaction.
pub(crate) async fn write_rules(
    conn: &mut sqlx::AnyConnection,
    tenant_id: i64,
    rules: &BookingRules,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO booking_rules (tenant_id, step_min, notice_book_min, notice_change_min, \
         notice_cancel_min, horizon_days, buffer_min, hold_min) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (tenant_id) DO UPDATE SET step_min = $2, notice_book_min = $3, \
         notice_change_min = $4, notice_cancel_min = $5, horizon_days = $6, buffer_min = $7, \
         hold_min = $8",
    )
    .bind(tenant_id)
    .bind(rules.step_min)
    .bind(rules.notice_book_min)
    .bind(rules.notice_change_min)
    .bind(rules.notice_cancel_min)
    .bind(rules.horizon_days)
    .bind(rules.buffer_min)
    .bind(rules.hold_min)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks the tenant's schedule as changed inside a transaction (see `schedule_version`).
pub(crate) async fn bump_version(
    conn: &mut sqlx::AnyConnection,
    tenant_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tenants SET schedule_version = schedule_version + 1 WHERE id = $1")
        .bind(tenant_id)
        .execute(conn)
        .await?;
    Ok(())
}

impl Store {
    /// The tenant's schedule version (None: no such tenant). Every change to appointments or
    /// the set-up increases it, so caches compare it instead of expiring.
    pub async fn schedule_version(&self, tenant_id: i64) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT schedule_version FROM tenants WHERE id = $1")
            .bind(tenant_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.try_get("schedule_version")).transpose()?)
    }

    pub(super) async fn bump(&self, tenant_id: i64) -> Result<(), StoreError> {
        let mut conn = self.pool().acquire().await?;
        bump_version(&mut conn, tenant_id).await?;
        Ok(())
    }

    /// Reads the tenant's active services, staff (with hours and services), future closures
    /// and rules.
    pub async fn schedule_setup(
        &self,
        tenant_id: i64,
        now_ms: i64,
    ) -> Result<ScheduleSetup, StoreError> {
        let rules = self.booking_rules(tenant_id).await?;
        let services = sqlx::query(
            "SELECT id, name, duration_min, buffer_before_min, buffer_after_min, phone_bookable \
             FROM services WHERE tenant_id = $1 AND active = 1 ORDER BY id",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(ServiceRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                duration_min: r.try_get("duration_min")?,
                buffer_before_min: r.try_get("buffer_before_min")?,
                buffer_after_min: r.try_get("buffer_after_min")?,
                phone_bookable: r.try_get::<i64, _>("phone_bookable")? != 0,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let mut staff = sqlx::query(
            "SELECT id, name FROM staff WHERE tenant_id = $1 AND active = 1 ORDER BY id",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(StaffRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                service_ids: Vec::new(),
                hours: Vec::new(),
                extra: Vec::new(),
                off: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let offers = sqlx::query(
            "SELECT ss.staff_id, ss.service_id FROM staff_services ss \
             JOIN staff s ON s.id = ss.staff_id WHERE s.tenant_id = $1",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?;
        for r in &offers {
            let (staff_id, service_id): (i64, i64) =
                (r.try_get("staff_id")?, r.try_get("service_id")?);
            if let Some(s) = staff.iter_mut().find(|s| s.id == staff_id) {
                s.service_ids.push(service_id);
            }
        }
        let hours = sqlx::query(
            "SELECT staff_id, weekday, start_min, end_min FROM working_hours \
             WHERE tenant_id = $1 ORDER BY staff_id, weekday, start_min",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?;
        for r in &hours {
            let staff_id: i64 = r.try_get("staff_id")?;
            if let Some(s) = staff.iter_mut().find(|s| s.id == staff_id) {
                s.hours.push((
                    r.try_get("weekday")?,
                    r.try_get("start_min")?,
                    r.try_get("end_min")?,
                ));
            }
        }
        self.load_exceptions(tenant_id, now_ms, &mut staff).await?;
        let closures = sqlx::query(
            "SELECT staff_id, starts_at, ends_at FROM closures \
             WHERE tenant_id = $1 AND ends_at > $2 ORDER BY starts_at",
        )
        .bind(tenant_id)
        .bind(now_ms)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(ClosureRow {
                staff_id: r.try_get("staff_id")?,
                starts_at: r.try_get("starts_at")?,
                ends_at: r.try_get("ends_at")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(ScheduleSetup {
            rules,
            services,
            staff,
            closures,
        })
    }

    /// The tenant's booking rules, or the defaults.
    pub async fn booking_rules(&self, tenant_id: i64) -> Result<BookingRules, StoreError> {
        let row = sqlx::query(
            "SELECT step_min, notice_book_min, notice_change_min, notice_cancel_min, horizon_days, \
             buffer_min, hold_min FROM booking_rules WHERE tenant_id = $1",
        )
        .bind(tenant_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(match row {
            Some(r) => BookingRules {
                step_min: r.try_get("step_min")?,
                notice_book_min: r.try_get("notice_book_min")?,
                notice_change_min: r.try_get("notice_change_min")?,
                notice_cancel_min: r.try_get("notice_cancel_min")?,
                horizon_days: r.try_get("horizon_days")?,
                buffer_min: r.try_get("buffer_min")?,
                hold_min: r.try_get("hold_min")?,
            },
            None => BookingRules::default(),
        })
    }

    /// Stores the tenant's booking rules.
    pub async fn set_booking_rules(
        &self,
        tenant_id: i64,
        rules: &BookingRules,
    ) -> Result<(), StoreError> {
        let mut conn = self.pool().acquire().await?;
        write_rules(&mut conn, tenant_id, rules).await?;
        bump_version(&mut conn, tenant_id).await?;
        Ok(())
    }
}
