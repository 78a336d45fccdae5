//! Set-up records as the set-up pages read them: services with prices and descriptions and
//! staff with hours (archived ones included), days off and extra shifts, closures with reasons.

use super::scheduling::StaffRow;
use super::{Store, StoreError};
use jiff::civil::Date;
use sqlx::Row;

/// A service with everything the set-up page edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRecord {
    /// Id.
    pub id: i64,
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
    /// Description the agent may read out.
    pub description: String,
    /// Not archived.
    pub active: bool,
}

/// A staff member with everything the set-up page edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRecord {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Not archived.
    pub active: bool,
    /// Services offered.
    pub service_ids: Vec<i64>,
    /// Weekly hours (weekday, start minute, end minute).
    pub hours: Vec<(i64, i64, i64)>,
}

/// A day off or extra shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionRecord {
    /// Id.
    pub id: i64,
    /// Staff member.
    pub staff_id: i64,
    /// Local date.
    pub day: Date,
    /// `off` or `extra`.
    pub kind: String,
    /// Start minute (0 for a day off).
    pub start_min: i64,
    /// End minute (1440 for a day off).
    pub end_min: i64,
    /// Why.
    pub reason: String,
}

/// A closure with its id and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureRecord {
    /// Id.
    pub id: i64,
    /// Staff member, or None for everyone.
    pub staff_id: Option<i64>,
    /// Start, UTC ms.
    pub starts_at: i64,
    /// End, UTC ms.
    pub ends_at: i64,
    /// Why.
    pub reason: String,
}

/// The local date two days before `now_ms` (UTC), as stored text: exceptions from then on
/// still matter in every zone.
fn recent_day(now_ms: i64) -> String {
    jiff::Timestamp::from_millisecond(now_ms - 2 * 86_400_000)
        .unwrap_or_default()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string()
}

fn exception_from(r: &sqlx::any::AnyRow) -> Result<ExceptionRecord, sqlx::Error> {
    let day: String = r.try_get("day")?;
    Ok(ExceptionRecord {
        id: r.try_get("id")?,
        staff_id: r.try_get("staff_id")?,
        day: day
            .parse()
            .map_err(|_| sqlx::Error::Decode(format!("bad stored date {day}").into()))?,
        kind: r.try_get("kind")?,
        start_min: r.try_get("start_min")?,
        end_min: r.try_get("end_min")?,
        reason: r.try_get("reason")?,
    })
}

impl Store {
    /// The tenant's days off and extra shifts from two days before `now_ms` on, by date.
    pub async fn exceptions(
        &self,
        tenant_id: i64,
        now_ms: i64,
    ) -> Result<Vec<ExceptionRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, staff_id, day, kind, start_min, end_min, reason FROM staff_exceptions \
             WHERE tenant_id = $1 AND day >= $2 ORDER BY day, start_min, id",
        )
        .bind(tenant_id)
        .bind(recent_day(now_ms))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(exception_from).collect::<Result<_, _>>()?)
    }

    /// Adds the exceptions to the staff rows of the availability set-up.
    pub(super) async fn load_exceptions(
        &self,
        tenant_id: i64,
        now_ms: i64,
        staff: &mut [StaffRow],
    ) -> Result<(), StoreError> {
        for e in self.exceptions(tenant_id, now_ms).await? {
            if let Some(s) = staff.iter_mut().find(|s| s.id == e.staff_id) {
                match e.kind.as_str() {
                    "off" => s.off.push(e.day),
                    _ => s.extra.push((e.day, e.start_min, e.end_min)),
                }
            }
        }
        Ok(())
    }

    /// All services of the tenant, archived ones included, by name.
    pub async fn service_records(&self, tenant_id: i64) -> Result<Vec<ServiceRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, duration_min, buffer_before_min, buffer_after_min, phone_bookable, \
             price_cents, description, active FROM services WHERE tenant_id = $1 \
             ORDER BY active DESC, name, id",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ServiceRecord {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    duration_min: r.try_get("duration_min")?,
                    buffer_before_min: r.try_get("buffer_before_min")?,
                    buffer_after_min: r.try_get("buffer_after_min")?,
                    phone_bookable: r.try_get::<i64, _>("phone_bookable")? != 0,
                    price_cents: r.try_get("price_cents")?,
                    description: r.try_get("description")?,
                    active: r.try_get::<i64, _>("active")? != 0,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// All staff of the tenant, archived ones included, with services and weekly hours.
    pub async fn staff_records(&self, tenant_id: i64) -> Result<Vec<StaffRecord>, StoreError> {
        let mut staff = sqlx::query(
            "SELECT id, name, active FROM staff WHERE tenant_id = $1 ORDER BY active DESC, name, id",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(StaffRecord {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                active: r.try_get::<i64, _>("active")? != 0,
                service_ids: Vec::new(),
                hours: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let offers = sqlx::query(
            "SELECT ss.staff_id, ss.service_id FROM staff_services ss \
             JOIN staff s ON s.id = ss.staff_id WHERE s.tenant_id = $1 ORDER BY ss.service_id",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?;
        for r in &offers {
            let staff_id: i64 = r.try_get("staff_id")?;
            if let Some(s) = staff.iter_mut().find(|s| s.id == staff_id) {
                s.service_ids.push(r.try_get("service_id")?);
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
                let w = (
                    r.try_get("weekday")?,
                    r.try_get("start_min")?,
                    r.try_get("end_min")?,
                );
                s.hours.push(w);
            }
        }
        Ok(staff)
    }

    /// The tenant's closures ending after `from_ms`, soonest first.
    pub async fn closure_records(
        &self,
        tenant_id: i64,
        from_ms: i64,
    ) -> Result<Vec<ClosureRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, staff_id, starts_at, ends_at, reason FROM closures \
             WHERE tenant_id = $1 AND ends_at > $2 ORDER BY starts_at, id",
        )
        .bind(tenant_id)
        .bind(from_ms)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ClosureRecord {
                    id: r.try_get("id")?,
                    staff_id: r.try_get("staff_id")?,
                    starts_at: r.try_get("starts_at")?,
                    ends_at: r.try_get("ends_at")?,
                    reason: r.try_get("reason")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
