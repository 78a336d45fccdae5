//! Per-tenant API tokens (bearer) for external gateway clients.

use super::{now_ms, Store, StoreError};
use sqlx::Row;

/// A stored token (never the token itself).
#[derive(Debug, Clone)]
pub struct ApiTokenRow {
    /// Token id.
    pub id: i64,
    /// Label.
    pub name: String,
    /// Created (UTC ms).
    pub created_at: i64,
    /// Revoked (UTC ms), if it was.
    pub revoked_at: Option<i64>,
}

impl Store {
    /// Stores a new token hash for a tenant; returns its id.
    pub async fn create_api_token(
        &self,
        tenant_id: i64,
        name: &str,
        token_hash: &str,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO api_tokens (tenant_id, name, token_hash, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(tenant_id)
        .bind(name)
        .bind(token_hash)
        .bind(now_ms())
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get("id")?)
    }

    /// The tenant of an unrevoked token: (token id, tenant id).
    pub async fn api_token_tenant(
        &self,
        token_hash: &str,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        let row = sqlx::query(
            "SELECT id, tenant_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        match row {
            Some(r) => Ok(Some((r.try_get("id")?, r.try_get("tenant_id")?))),
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
        .bind(now_ms())
        .bind(token_id)
        .bind(tenant_id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A tenant's tokens, newest first.
    pub async fn api_tokens(&self, tenant_id: i64) -> Result<Vec<ApiTokenRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, created_at, revoked_at FROM api_tokens \
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
                    created_at: r.try_get("created_at")?,
                    revoked_at: r.try_get("revoked_at")?,
                })
            })
            .collect()
    }
}
