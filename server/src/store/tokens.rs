//! Per-tenant API tokens (bearer) for external gateway clients: scopes say what a token may
//! do, an optional expiry when it stops working.

use super::{Store, StoreError};
use app::contract::Scope;
use sqlx::Row;

/// A stored token (never the token itself).
#[derive(Debug, Clone)]
pub struct ApiTokenRow {
    /// Token id.
    pub id: i64,
    /// Label.
    pub name: String,
    /// What the token may do.
    pub scopes: Vec<Scope>,
    /// Created (UTC ms).
    pub created_at: i64,
    /// Stops working at (UTC ms), if it expires.
    pub expires_at: Option<i64>,
    /// Revoked (UTC ms), if it was.
    pub revoked_at: Option<i64>,
}

/// What an unrevoked token grants, as the gateway checks it on every call.
#[derive(Debug, Clone)]
pub struct ApiTokenGrant {
    /// Token id.
    pub id: i64,
    /// Tenant the token belongs to.
    pub tenant_id: i64,
    /// What the token may do.
    pub scopes: Vec<Scope>,
    /// Stops working at (UTC ms), if it expires.
    pub expires_at: Option<i64>,
    /// Whether the token's tenant is suspended (the token is refused then).
    pub suspended: bool,
}

impl ApiTokenGrant {
    /// True when the token has expired at `now` (UTC ms).
    pub fn expired_at(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

impl Store {
    /// Stores a new token hash for a tenant with its scopes and optional expiry (UTC ms);
    /// returns its id.
    pub async fn create_api_token(
        &self,
        tenant_id: i64,
        name: &str,
        token_hash: &str,
        scopes: &[Scope],
        expires_at: Option<i64>,
    ) -> Result<i64, StoreError> {
        // Committed explicitly: an autocommit INSERT … RETURNING can lose a failed commit.
        let mut tx = self.pool().begin().await?;
        let row = sqlx::query(
            "INSERT INTO api_tokens (tenant_id, name, token_hash, scopes, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(tenant_id)
        .bind(name)
        .bind(token_hash)
        .bind(Scope::join(scopes))
        .bind(self.now_ms())
        .bind(expires_at)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(row.try_get("id")?)
    }

    /// What an unrevoked token grants (expired or not: the caller decides against its clock).
    /// Served from the grant cache when this process read it within the last two seconds.
    pub async fn api_token_grant(
        &self,
        token_hash: &str,
    ) -> Result<Option<ApiTokenGrant>, StoreError> {
        let seen = match self.grants().get(token_hash) {
            Ok(grant) => return Ok(Some(grant)),
            Err(seen) => seen,
        };
        let grant = self.api_token_grant_stored(token_hash).await?;
        if let Some(g) = &grant {
            self.grants().put(seen, token_hash, g);
        }
        Ok(grant)
    }

    /// What an unrevoked token grants, read from the database.
    async fn api_token_grant_stored(
        &self,
        token_hash: &str,
    ) -> Result<Option<ApiTokenGrant>, StoreError> {
        let row = sqlx::query(
            "SELECT k.id, k.tenant_id, k.scopes, k.expires_at, t.suspended_at \
             FROM api_tokens k JOIN tenants t ON t.id = k.tenant_id \
             WHERE k.token_hash = $1 AND k.revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        match row {
            Some(r) => Ok(Some(ApiTokenGrant {
                id: r.try_get("id")?,
                tenant_id: r.try_get("tenant_id")?,
                scopes: Scope::split(&r.try_get::<String, _>("scopes")?),
                expires_at: r.try_get("expires_at")?,
                suspended: r.try_get::<Option<i64>, _>("suspended_at")?.is_some(),
            })),
            None => Ok(None),
        }
    }

    /// Revokes a token of a tenant; false if there is no such active token.
    pub async fn revoke_api_token(
        &self,
        tenant_id: i64,
        token_id: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND tenant_id = $3 AND revoked_at IS NULL",
        )
        .bind(self.now_ms())
        .bind(token_id)
        .bind(tenant_id)
        .execute(self.pool())
        .await?;
        self.grants().clear();
        Ok(done.rows_affected() == 1)
    }

    /// A tenant's tokens, newest first.
    pub async fn api_tokens(&self, tenant_id: i64) -> Result<Vec<ApiTokenRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, scopes, created_at, expires_at, revoked_at FROM api_tokens \
             WHERE tenant_id = $1 ORDER BY id DESC",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiTokenRow {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    scopes: Scope::split(&r.try_get::<String, _>("scopes")?),
                    created_at: r.try_get("created_at")?,
                    expires_at: r.try_get("expires_at")?,
                    revoked_at: r.try_get("revoked_at")?,
                })
            })
            .collect()
    }
}
