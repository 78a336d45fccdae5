//! Start-up upgrade of stored secrets: values sealed before tenant binding (no `v2:` prefix)
//! are opened without associated data and sealed again for their row's tenant.

use crate::crypto::{SecretBox, V2_PREFIX};
use crate::store::secrets::SealedColumn;
use crate::store::{Store, StoreError};

/// What one upgrade pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResealReport {
    /// Legacy values now sealed for their tenant.
    pub resealed: usize,
    /// Legacy values that did not open (another secret key?); left as they are.
    pub unreadable: usize,
}

/// Re-seals every legacy secret with its tenant's associated data.
pub async fn reseal_legacy(store: &Store, secrets: &SecretBox) -> Result<ResealReport, StoreError> {
    let mut report = ResealReport::default();
    for column in SealedColumn::ALL {
        for secret in store.sealed_without_prefix(column, V2_PREFIX).await? {
            let plain = match secrets.open_legacy(&secret.sealed) {
                Ok(plain) => plain,
                Err(_) => {
                    tracing::error!(
                        tenant_id = secret.tenant_id,
                        column = ?column,
                        "a legacy sealed secret cannot be decrypted; left unchanged"
                    );
                    report.unreadable += 1;
                    continue;
                }
            };
            let resealed = secrets.seal_for(secret.tenant_id, &plain);
            if store.replace_sealed(&secret, &resealed).await? {
                report.resealed += 1;
            }
        }
    }
    if report.resealed > 0 {
        tracing::info!(
            resealed = report.resealed,
            "legacy secrets re-sealed for their tenant"
        );
    }
    Ok(report)
}
