//! Admin users and their sessions (only SHA-256 hashes of session tokens are stored).

use super::{duplicate_as, Store, StoreError};
use sqlx::Row;

/// An admin user with the name of their tenant (none for a platform admin).
#[derive(Debug, Clone)]
pub struct AdminUser {
    /// Id.
    pub id: i64,
    /// Tenant; `None` for a platform admin.
    pub tenant_id: Option<i64>,
    /// Tenant's business name.
    pub tenant_name: Option<String>,
    /// Whether the own tenant is suspended (its users cannot sign in).
    pub suspended: bool,
    /// Login e-mail, lower-case.
    pub email: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// `owner`, `staff` or `platform`.
    pub role: String,
    /// The tenant a platform admin's session acts in (id, name); read by [`Store::session_admin`].
    pub acting: Option<(i64, String)>,
    /// UI language code (`de`, `en`).
    pub language: String,
}

const ADMIN_COLUMNS: &str = "a.id, a.tenant_id, t.name AS tenant_name, t.suspended_at, \
     a.email, a.password_hash, a.role, a.language";
const ADMIN_FROM: &str = "admin_users a LEFT JOIN tenants t ON t.id = a.tenant_id";

fn admin_from(row: &sqlx::any::AnyRow) -> Result<AdminUser, sqlx::Error> {
    Ok(AdminUser {
        id: row.try_get("id")?,
        tenant_id: row.try_get("tenant_id")?,
        tenant_name: row.try_get("tenant_name")?,
        suspended: row.try_get::<Option<i64>, _>("suspended_at")?.is_some(),
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        role: row.try_get("role")?,
        acting: None,
        language: row.try_get("language")?,
    })
}

impl Store {
    /// Creates an admin user; the e-mail must be unused.
    pub async fn create_admin(
        &self,
        tenant_id: i64,
        email: &str,
        password_hash: &str,
        role: &str,
    ) -> Result<i64, StoreError> {
        // Committed explicitly: an autocommit INSERT … RETURNING can lose a failed commit.
        let mut tx = self.pool().begin().await?;
        let row = sqlx::query(
            "INSERT INTO admin_users (tenant_id, email, password_hash, role, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(tenant_id)
        .bind(email)
        .bind(password_hash)
        .bind(role)
        .bind(self.now_ms())
        .fetch_one(&mut *tx)
        .await
        .map_err(duplicate_as("an admin with this e-mail"))?;
        tx.commit().await?;
        Ok(row.try_get("id")?)
    }

    /// Creates a platform admin (no tenant); the e-mail must be unused.
    pub async fn create_platform_admin(
        &self,
        email: &str,
        password_hash: &str,
    ) -> Result<i64, StoreError> {
        // Committed explicitly: an autocommit INSERT … RETURNING can lose a failed commit.
        let mut tx = self.pool().begin().await?;
        let row = sqlx::query(
            "INSERT INTO admin_users (tenant_id, email, password_hash, role, created_at) \
             VALUES (NULL, $1, $2, 'platform', $3) RETURNING id",
        )
        .bind(email)
        .bind(password_hash)
        .bind(self.now_ms())
        .fetch_one(&mut *tx)
        .await
        .map_err(duplicate_as("an admin with this e-mail"))?;
        tx.commit().await?;
        Ok(row.try_get("id")?)
    }

    /// Finds an admin by (lower-case) e-mail.
    pub async fn admin_by_email(&self, email: &str) -> Result<Option<AdminUser>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ADMIN_COLUMNS} FROM {ADMIN_FROM} WHERE a.email = $1"
        ))
        .bind(email)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(admin_from).transpose()?)
    }

    /// Replaces an admin's password hash.
    pub async fn set_admin_password(&self, admin_id: i64, hash: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE admin_users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(admin_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Remembers an admin's UI language (a code the caller has checked).
    pub async fn set_admin_language(&self, admin_id: i64, code: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE admin_users SET language = $1 WHERE id = $2")
            .bind(code)
            .bind(admin_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Stores a new session.
    pub async fn create_session(
        &self,
        token_hash: &str,
        admin_id: i64,
        expires_at_ms: i64,
    ) -> Result<(), StoreError> {
        let now = self.now_ms();
        sqlx::query("DELETE FROM admin_sessions WHERE expires_at < $1")
            .bind(now)
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO admin_sessions (token_hash, admin_user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(admin_id)
        .bind(now)
        .bind(expires_at_ms)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The admin owning an unexpired session, with the tenant a platform admin acts in.
    pub async fn session_admin(&self, token_hash: &str) -> Result<Option<AdminUser>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ADMIN_COLUMNS}, s.acting_tenant_id, act.name AS acting_name \
             FROM {ADMIN_FROM} JOIN admin_sessions s ON s.admin_user_id = a.id \
             LEFT JOIN tenants act ON act.id = s.acting_tenant_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2"
        ))
        .bind(token_hash)
        .bind(self.now_ms())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut admin = admin_from(&row)?;
        let acting: Option<i64> = row.try_get("acting_tenant_id")?;
        let name: Option<String> = row.try_get("acting_name")?;
        admin.acting = acting.zip(name);
        Ok(Some(admin))
    }

    /// Deletes a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM admin_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
