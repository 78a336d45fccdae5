//! Retell webhook receiver: signature on the raw bytes, durable inbox (acknowledged only after
//! the commit), a worker that applies each (call, event) exactly once, and counters for
//! monitoring.

pub mod event;
pub mod inbox_writer;
pub mod receiver;
pub mod signature;
pub mod stats;
pub mod sweeper;
pub mod worker;

use crate::crypto::SecretBox;
use crate::store::Store;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long a resolved (tenant, API key) stays cached.
const KEY_TTL: Duration = Duration::from_secs(30);

/// A tenant found for a Retell request: its id, its Retell API key (for the signature), its
/// function tokens and the custom functions it disabled.
#[derive(Debug, Clone)]
pub struct ResolvedTenant {
    /// Tenant id.
    pub tenant_id: i64,
    /// The Retell API key.
    pub api_key: String,
    /// What the function-token header is checked against.
    pub tokens: crate::retell_setup::token::FunctionTokens,
    /// Custom functions the tenant disabled.
    pub disabled: Vec<String>,
    /// The tenant is suspended: its custom functions answer with a polite refusal, its
    /// webhooks are still stored.
    pub suspended: bool,
}

/// A resolved tenant, or `None` for an unknown agent/number or a tenant without a key.
type TenantKey = Option<ResolvedTenant>;
/// Lookup key → (when resolved, result).
type KeyCache = HashMap<String, (Instant, TenantKey)>;

/// Shared state of the receiver and the worker.
#[derive(Clone)]
pub struct Webhooks {
    /// Database.
    pub store: Store,
    secrets: SecretBox,
    keys: Arc<RwLock<KeyCache>>,
    /// Wakes the worker when an event was stored.
    pub wake: Arc<tokio::sync::Notify>,
    /// Counters for monitoring.
    pub stats: Arc<stats::WebhookStats>,
    /// Stores received events (group commit).
    pub inbox: inbox_writer::InboxWriter,
}

impl Webhooks {
    /// Creates the shared state and starts the inbox writer (needs a tokio runtime).
    pub fn new(store: Store, secrets: SecretBox) -> Self {
        Self {
            inbox: inbox_writer::InboxWriter::start(store.clone()),
            store,
            secrets,
            keys: Arc::default(),
            wake: Arc::new(tokio::sync::Notify::new()),
            stats: Arc::default(),
        }
    }

    /// The tenant and its Retell API key for an agent id / called number (cached briefly;
    /// [`Webhooks::forget_cached_keys`] ends that at once after a change).
    pub async fn tenant_key(
        &self,
        agent_id: Option<&str>,
        to_number: Option<&str>,
    ) -> Result<TenantKey, crate::store::StoreError> {
        let cache_key = format!("{}|{}", agent_id.unwrap_or(""), to_number.unwrap_or(""));
        if let Ok(cache) = self.keys.read() {
            if let Some((at, value)) = cache.get(&cache_key) {
                if at.elapsed() < KEY_TTL {
                    return Ok(value.clone());
                }
            }
        }
        let found = match self.store.retell_key_for(agent_id, to_number).await? {
            Some(row) => match row.key_sealed.as_deref() {
                Some(sealed) => match self.secrets.open_for(row.tenant_id, sealed) {
                    Ok(api_key) => Some(ResolvedTenant {
                        tenant_id: row.tenant_id,
                        api_key,
                        tokens: crate::retell_setup::token::FunctionTokens {
                            current: row.function_token_hash,
                            previous: row.function_token_prev_hash,
                            previous_until: row.function_token_prev_until,
                        },
                        disabled: crate::retell_setup::functions::disabled(&row.custom_functions),
                        suspended: row.suspended,
                    }),
                    Err(e) => {
                        tracing::error!(tenant_id = row.tenant_id, error = %e, "Retell API key cannot be decrypted");
                        None
                    }
                },
                None => None,
            },
            None => None,
        };
        if let Ok(mut cache) = self.keys.write() {
            if cache.len() > 10_000 {
                cache.clear();
            }
            cache.insert(cache_key, (Instant::now(), found.clone()));
        }
        Ok(found)
    }

    /// Forgets every cached tenant lookup, so a new or rotated key or token, a changed
    /// function setting or a new binding takes effect with the next request.
    pub fn forget_cached_keys(&self) {
        if let Ok(mut cache) = self.keys.write() {
            cache.clear();
        }
    }
}
