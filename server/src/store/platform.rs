//! The platform's view of tenants (every tenant, with its users and suspension), the tenant a
//! platform admin's session acts in, and the audit log of platform and user changes.

use super::tenants::Tenant;
use super::{Store, StoreError};
use sqlx::Row;

/// One line of the audit log to write: who (e-mail), what (the method), on which tenant.
#[derive(Debug, Clone, Copy)]
pub struct AuditEntry<'a> {
    /// Tenant concerned, if any.
    pub tenant_id: Option<i64>,
    /// E-mail of the admin who acted.
    pub actor: &'a str,
    /// The gateway method, e.g. `platform.tenants.switch`.
    pub action: &'a str,
    /// What changed, in a few words (never a password, token or key).
    pub detail: &'a str,
}

/// A stored line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// Id.
    pub id: i64,
    /// Tenant concerned, if any.
    pub tenant_id: Option<i64>,
    /// E-mail of the admin who acted.
    pub actor: String,
    /// The method.
    pub action: String,
    /// What changed.
    pub detail: String,
    /// When (UTC ms).
    pub created_at: i64,
}

/// A tenant as the platform sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformTenantRow {
    /// The tenant.
    pub tenant: Tenant,
    /// Suspended since (UTC ms); `None` while active.
    pub suspended_at: Option<i64>,
    /// Number of its admin users.
    pub users: i64,
    /// Created (UTC ms).
    pub created_at: i64,
}

const PLATFORM_TENANT_SELECT: &str = "SELECT t.id, t.slug, t.name, t.time_zone, t.locale, \
     t.country, t.suspended_at, t.created_at, \
     (SELECT COUNT(*) FROM admin_users a WHERE a.tenant_id = t.id) AS users FROM tenants t";

fn platform_tenant_from(r: &sqlx::any::AnyRow) -> Result<PlatformTenantRow, sqlx::Error> {
    Ok(PlatformTenantRow {
        tenant: Tenant {
            id: r.try_get("id")?,
            slug: r.try_get("slug")?,
            name: r.try_get("name")?,
            time_zone: r.try_get("time_zone")?,
            locale: r.try_get("locale")?,
            country: r.try_get("country")?,
        },
        suspended_at: r.try_get("suspended_at")?,
        users: r.try_get("users")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Writes an audit line inside a transaction (or on any connection).
pub(super) async fn insert_audit(
    conn: &mut sqlx::AnyConnection,
    entry: &AuditEntry<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (tenant_id, actor, action, detail, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(entry.tenant_id)
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.detail)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Every tenant with its suspension and number of users, by name.
    pub async fn platform_tenants(&self) -> Result<Vec<PlatformTenantRow>, StoreError> {
        let rows = sqlx::query(&format!("{PLATFORM_TENANT_SELECT} ORDER BY t.name, t.id"))
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .iter()
            .map(platform_tenant_from)
            .collect::<Result<_, _>>()?)
    }

    /// One tenant as the platform sees it.
    pub async fn platform_tenant(&self, id: i64) -> Result<Option<PlatformTenantRow>, StoreError> {
        let row = sqlx::query(&format!("{PLATFORM_TENANT_SELECT} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(platform_tenant_from).transpose()?)
    }

    /// Renames a tenant and writes the audit line in the same transaction; false if there is
    /// no such tenant.
    pub async fn rename_tenant(
        &self,
        id: i64,
        name: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query("UPDATE tenants SET name = $1, updated_at = $2 WHERE id = $3")
            .bind(name)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if done == 0 {
            return Ok(false);
        }
        insert_audit(&mut tx, audit, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Suspends (ending every session of its users) or resumes a tenant, with the audit line
    /// in the same transaction; false if there is no such tenant. Suspending twice keeps the
    /// first date.
    pub async fn set_tenant_suspended(
        &self,
        id: i64,
        suspended: bool,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool().begin().await?;
        let sql = if suspended {
            "UPDATE tenants SET suspended_at = COALESCE(suspended_at, $1), updated_at = $1 \
             WHERE id = $2"
        } else {
            "UPDATE tenants SET suspended_at = NULL, updated_at = $1 WHERE id = $2"
        };
        let done = sqlx::query(sql)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if done == 0 {
            return Ok(false);
        }
        if suspended {
            sqlx::query(
                "DELETE FROM admin_sessions WHERE admin_user_id IN \
                 (SELECT id FROM admin_users WHERE tenant_id = $1)",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        insert_audit(&mut tx, audit, now).await?;
        tx.commit().await?;
        // Its tokens are refused (or accepted again) at once in this process.
        self.grants().clear();
        Ok(true)
    }

    /// Sets (or clears) the tenant a platform admin's session acts in, with the audit line in
    /// the same transaction; false if the session is gone.
    pub async fn set_session_tenant(
        &self,
        session_hash: &str,
        tenant_id: Option<i64>,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE admin_sessions SET acting_tenant_id = $1 \
             WHERE token_hash = $2 AND expires_at > $3",
        )
        .bind(tenant_id)
        .bind(session_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            return Ok(false);
        }
        insert_audit(&mut tx, audit, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Writes one audit line on its own.
    pub async fn record_audit(&self, entry: &AuditEntry<'_>) -> Result<(), StoreError> {
        let mut conn = self.pool().acquire().await?;
        insert_audit(&mut conn, entry, self.now_ms()).await?;
        Ok(())
    }

    /// The newest audit lines, of one tenant or of all, newest first.
    pub async fn audit_entries(
        &self,
        tenant_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditRow>, StoreError> {
        const COLUMNS: &str =
            "SELECT id, tenant_id, actor, action, detail, created_at FROM audit_log";
        let rows = match tenant_id {
            Some(t) => {
                sqlx::query(&format!(
                    "{COLUMNS} WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2"
                ))
                .bind(t)
                .bind(limit)
                .fetch_all(self.pool())
                .await?
            }
            None => {
                sqlx::query(&format!("{COLUMNS} ORDER BY id DESC LIMIT $1"))
                    .bind(limit)
                    .fetch_all(self.pool())
                    .await?
            }
        };
        rows.iter()
            .map(|r| {
                Ok(AuditRow {
                    id: r.try_get("id")?,
                    tenant_id: r.try_get("tenant_id")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    detail: r.try_get("detail")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
