//! Tenants, their phone numbers and their Retell configuration row.

use super::{duplicate_as, Store, StoreError};
use sqlx::Row;

/// A tenant as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    /// Id.
    pub id: i64,
    /// URL-safe short name.
    pub slug: String,
    /// Business name.
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
    /// `de` or `en`.
    pub locale: String,
    /// ISO region for national phone numbers.
    pub country: String,
}

/// What is needed to create a tenant (already validated by the caller).
#[derive(Debug, Clone)]
pub struct NewTenant<'a> {
    /// URL-safe short name.
    pub slug: &'a str,
    /// Business name.
    pub name: &'a str,
    /// IANA time zone.
    pub time_zone: &'a str,
    /// `de` or `en`.
    pub locale: &'a str,
    /// ISO region.
    pub country: &'a str,
}

/// A stored phone number of a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber {
    /// E.164 number.
    pub e164: String,
    /// Retell agent answering it.
    pub retell_agent_id: Option<String>,
    /// Label.
    pub label: String,
}

const TENANT_COLUMNS: &str = "id, slug, name, time_zone, locale, country";

fn tenant_from(row: &sqlx::any::AnyRow) -> Result<Tenant, sqlx::Error> {
    Ok(Tenant {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        time_zone: row.try_get("time_zone")?,
        locale: row.try_get("locale")?,
        country: row.try_get("country")?,
    })
}

impl Store {
    /// Creates a tenant and its empty Retell configuration; returns its id.
    pub async fn create_tenant(&self, t: &NewTenant<'_>) -> Result<i64, StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool().begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO tenants (slug, name, time_zone, locale, country, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(t.slug)
        .bind(t.name)
        .bind(t.time_zone)
        .bind(t.locale)
        .bind(t.country)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(duplicate_as("a tenant with this slug"))?
        .try_get("id")?;
        sqlx::query("INSERT INTO retell_configurations (tenant_id, updated_at) VALUES ($1, $2)")
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Finds a tenant by slug.
    pub async fn tenant_by_slug(&self, slug: &str) -> Result<Option<Tenant>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {TENANT_COLUMNS} FROM tenants WHERE slug = $1"
        ))
        .bind(slug)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(tenant_from).transpose()?)
    }

    /// Finds a tenant by id.
    pub async fn tenant_by_id(&self, id: i64) -> Result<Option<Tenant>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {TENANT_COLUMNS} FROM tenants WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(tenant_from).transpose()?)
    }

    /// All tenants, by slug.
    pub async fn list_tenants(&self) -> Result<Vec<Tenant>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {TENANT_COLUMNS} FROM tenants ORDER BY slug"
        ))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(tenant_from).collect::<Result<_, _>>()?)
    }

    /// Updates a tenant's name, time zone and locale; false if it does not exist.
    pub async fn update_tenant_settings(
        &self,
        tenant_id: i64,
        name: &str,
        time_zone: &str,
        locale: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE tenants SET name = $1, time_zone = $2, locale = $3, updated_at = $4, \
             schedule_version = schedule_version + 1 WHERE id = $5",
        )
        .bind(name)
        .bind(time_zone)
        .bind(locale)
        .bind(self.now_ms())
        .bind(tenant_id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Adds a phone number (E.164, validated by the caller) to a tenant; its agent, if any, is
    /// bound to the tenant too (an agent of another tenant is refused as a duplicate).
    pub async fn add_phone_number(
        &self,
        tenant_id: i64,
        number: &PhoneNumber,
    ) -> Result<(), StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool().begin().await?;
        if let Some(agent) = number.retell_agent_id.as_deref() {
            sqlx::query(
                "INSERT INTO tenant_agents (agent_id, tenant_id, agent_name, created_at) \
                 VALUES ($1, $2, '', $3) ON CONFLICT (agent_id) DO NOTHING",
            )
            .bind(agent)
            .bind(tenant_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let owner: i64 = sqlx::query("SELECT tenant_id FROM tenant_agents WHERE agent_id = $1")
                .bind(agent)
                .fetch_one(&mut *tx)
                .await?
                .try_get("tenant_id")?;
            if owner != tenant_id {
                return Err(StoreError::Duplicate("this Retell agent"));
            }
        }
        sqlx::query(
            "INSERT INTO tenant_phone_numbers (tenant_id, e164, retell_agent_id, label, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(tenant_id)
        .bind(&number.e164)
        .bind(number.retell_agent_id.as_deref())
        .bind(&number.label)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(duplicate_as("this phone number"))?;
        tx.commit().await?;
        Ok(())
    }

    /// The tenant's phone numbers.
    pub async fn phone_numbers(&self, tenant_id: i64) -> Result<Vec<PhoneNumber>, StoreError> {
        let rows = sqlx::query(
            "SELECT e164, retell_agent_id, label FROM tenant_phone_numbers \
             WHERE tenant_id = $1 ORDER BY e164",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PhoneNumber {
                    e164: r.try_get("e164")?,
                    retell_agent_id: r.try_get("retell_agent_id")?,
                    label: r.try_get("label")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Stores the tenant's Retell API key, already sealed by [`crate::crypto::SecretBox`].
    pub async fn set_retell_api_key_sealed(
        &self,
        tenant_id: i64,
        sealed: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE retell_configurations SET retell_api_key_sealed = $1, updated_at = $2 \
             WHERE tenant_id = $3",
        )
        .bind(sealed)
        .bind(self.now_ms())
        .bind(tenant_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The tenant's sealed Retell API key, if one is stored.
    pub async fn retell_api_key_sealed(
        &self,
        tenant_id: i64,
    ) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(
            "SELECT retell_api_key_sealed FROM retell_configurations WHERE tenant_id = $1",
        )
        .bind(tenant_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(match row {
            Some(r) => r.try_get("retell_api_key_sealed")?,
            None => None,
        })
    }
}
