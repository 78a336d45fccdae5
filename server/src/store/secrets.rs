//! Every sealed secret in the database, for re-sealing legacy values in the current format.

use super::{Store, StoreError};
use sqlx::Row;

/// Where a sealed secret is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedColumn {
    /// `retell_configurations.retell_api_key_sealed`.
    RetellApiKey,
    /// `staff.ics_token_sealed` (the secret of a staff member's calendar feed).
    StaffFeedToken,
}

impl SealedColumn {
    /// Both columns.
    pub const ALL: [SealedColumn; 2] = [SealedColumn::RetellApiKey, SealedColumn::StaffFeedToken];

    /// (table, column) of this secret; fixed names, never input.
    fn table_and_column(self) -> (&'static str, &'static str) {
        match self {
            SealedColumn::RetellApiKey => ("retell_configurations", "retell_api_key_sealed"),
            SealedColumn::StaffFeedToken => ("staff", "ics_token_sealed"),
        }
    }
}

/// One stored sealed value with the row and tenant it belongs to.
#[derive(Debug, Clone)]
pub struct SealedSecret {
    /// Which column it is in.
    pub column: SealedColumn,
    /// Id of its row.
    pub row_id: i64,
    /// Tenant the row belongs to.
    pub tenant_id: i64,
    /// The stored (sealed) value.
    pub sealed: String,
}

impl Store {
    /// Sealed values of `column` that do not start with `current_prefix` (legacy format).
    pub async fn sealed_without_prefix(
        &self,
        column: SealedColumn,
        current_prefix: &str,
    ) -> Result<Vec<SealedSecret>, StoreError> {
        let (table, col) = column.table_and_column();
        let rows = sqlx::query(&format!(
            "SELECT id, tenant_id, {col} AS sealed FROM {table} \
             WHERE {col} IS NOT NULL AND {col} NOT LIKE $1 ORDER BY id"
        ))
        .bind(format!("{current_prefix}%"))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SealedSecret {
                    column,
                    row_id: r.try_get("id")?,
                    tenant_id: r.try_get("tenant_id")?,
                    sealed: r.try_get("sealed")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Replaces a sealed value if the row still holds the value that was read; true when it did.
    pub async fn replace_sealed(
        &self,
        secret: &SealedSecret,
        resealed: &str,
    ) -> Result<bool, StoreError> {
        let (table, col) = secret.column.table_and_column();
        let done = sqlx::query(&format!(
            "UPDATE {table} SET {col} = $1 WHERE id = $2 AND tenant_id = $3 AND {col} = $4"
        ))
        .bind(resealed)
        .bind(secret.row_id)
        .bind(secret.tenant_id)
        .bind(&secret.sealed)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
