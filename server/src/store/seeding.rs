//! One-step creation of staff, services, offers, hours and closures, as `slotline demo` and
//! the tests seed a tenant (the set-up pages go through `scheduling.*` and its checks).

use super::scheduling::NewService;
use super::{duplicate_as, Store, StoreError};
use sqlx::Row;

impl Store {
    /// Adds a staff member; returns the id and the secret token of their calendar feed.
    pub async fn create_staff(
        &self,
        tenant_id: i64,
        name: &str,
        ics_token_sealed: &str,
        ics_token_hash: &str,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO staff (tenant_id, name, ics_token_hash, ics_token_sealed) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(tenant_id)
        .bind(name)
        .bind(ics_token_hash)
        .bind(ics_token_sealed)
        .fetch_one(self.pool())
        .await
        .map_err(duplicate_as("a staff member with this name"))?;
        self.bump(tenant_id).await?;
        Ok(row.try_get("id")?)
    }

    /// Staff of a tenant with the sealed calendar-feed token: (id, name, sealed token).
    pub async fn staff_feeds(
        &self,
        tenant_id: i64,
    ) -> Result<Vec<(i64, String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, ics_token_sealed FROM staff WHERE tenant_id = $1 ORDER BY id",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    r.try_get("name")?,
                    r.try_get("ics_token_sealed")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The (tenant, staff id, staff name) a calendar-feed token hash belongs to.
    pub async fn staff_by_feed(
        &self,
        token_hash: &str,
    ) -> Result<Option<(i64, i64, String)>, StoreError> {
        let row = sqlx::query("SELECT tenant_id, id, name FROM staff WHERE ics_token_hash = $1")
            .bind(token_hash)
            .fetch_optional(self.pool())
            .await?;
        Ok(match row {
            Some(r) => Some((
                r.try_get("tenant_id")?,
                r.try_get("id")?,
                r.try_get("name")?,
            )),
            None => None,
        })
    }

    /// Adds a service.
    pub async fn create_service(
        &self,
        tenant_id: i64,
        s: &NewService<'_>,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO services (tenant_id, name, duration_min, buffer_before_min, \
             buffer_after_min, phone_bookable, price_cents) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             RETURNING id",
        )
        .bind(tenant_id)
        .bind(s.name)
        .bind(s.duration_min)
        .bind(s.buffer_before_min)
        .bind(s.buffer_after_min)
        .bind(i64::from(s.phone_bookable))
        .bind(s.price_cents)
        .fetch_one(self.pool())
        .await
        .map_err(duplicate_as("a service with this name"))?;
        self.bump(tenant_id).await?;
        Ok(row.try_get("id")?)
    }

    /// Lets a staff member offer a service (both must belong to the tenant).
    pub async fn offer_service(
        &self,
        tenant_id: i64,
        staff_id: i64,
        service_id: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO staff_services (staff_id, service_id) \
             SELECT s.id, v.id FROM staff s, services v \
             WHERE s.id = $1 AND v.id = $2 AND s.tenant_id = $3 AND v.tenant_id = $3 \
             ON CONFLICT DO NOTHING",
        )
        .bind(staff_id)
        .bind(service_id)
        .bind(tenant_id)
        .execute(self.pool())
        .await?;
        self.bump(tenant_id).await?;
        Ok(())
    }

    /// Adds a working interval (ISO weekday, local minutes after midnight).
    pub async fn add_working_hours(
        &self,
        tenant_id: i64,
        staff_id: i64,
        weekday: i64,
        start_min: i64,
        end_min: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO working_hours (tenant_id, staff_id, weekday, start_min, end_min) \
             SELECT $1, id, $3, $4, $5 FROM staff WHERE id = $2 AND tenant_id = $1",
        )
        .bind(tenant_id)
        .bind(staff_id)
        .bind(weekday)
        .bind(start_min)
        .bind(end_min)
        .execute(self.pool())
        .await?;
        self.bump(tenant_id).await?;
        Ok(())
    }

    /// Adds a closure of the business (`staff_id = None`) or of one staff member.
    pub async fn add_closure(
        &self,
        tenant_id: i64,
        staff_id: Option<i64>,
        starts_at: i64,
        ends_at: i64,
        reason: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO closures (tenant_id, staff_id, starts_at, ends_at, reason) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(tenant_id)
        .bind(staff_id)
        .bind(starts_at)
        .bind(ends_at)
        .bind(reason)
        .execute(self.pool())
        .await?;
        self.bump(tenant_id).await?;
        Ok(())
    }

    /// Whether the tenant has any staff (the demo seeds only once).
    pub async fn has_staff(&self, tenant_id: i64) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM staff WHERE tenant_id = $1")
            .bind(tenant_id)
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }
}
