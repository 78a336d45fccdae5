//! Live updates for the admin pages: one shared poller per tenant reads the tenant's change
//! counters from the database (so writes of every instance are seen) and tells the tenant's
//! open pages, over server-sent events, what changed: `calls`, `appointments` or `health`.
//! The pages then refetch their resources. One query per tenant per poll, however many tabs
//! are open; a tenant's poller stops when its last page closes. Connections are capped per
//! tenant and per client address.

pub mod route;
pub mod transitions;

use crate::store::breaker_log::ChangeCursor;
use crate::store::Store;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// What changed, as the event's data names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// A call was received or updated.
    Calls,
    /// An appointment or a failed booking changed.
    Appointments,
    /// A breaker changed state or a webhook was parked as failed.
    Health,
}

impl Topic {
    /// The word sent to the browser.
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Calls => "calls",
            Topic::Appointments => "appointments",
            Topic::Health => "health",
        }
    }
}

/// The topics whose counters differ between two readings.
pub fn changed(before: &ChangeCursor, after: &ChangeCursor) -> Vec<Topic> {
    let mut out = Vec::new();
    if before.calls != after.calls {
        out.push(Topic::Calls);
    }
    if before.appointments != after.appointments {
        out.push(Topic::Appointments);
    }
    if before.health != after.health || before.breakers != after.breakers {
        out.push(Topic::Health);
    }
    out
}

/// How live updates behave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveSettings {
    /// How often a tenant's poller reads its counters.
    pub poll: Duration,
    /// How often a connection gets a heartbeat and has its session checked again.
    pub heartbeat: Duration,
    /// Open connections per tenant.
    pub max_per_tenant: usize,
    /// Open connections per client (an IPv6 /64 counts as one).
    pub max_per_client: usize,
}

impl Default for LiveSettings {
    fn default() -> Self {
        Self {
            poll: Duration::from_secs(1),
            heartbeat: Duration::from_secs(15),
            max_per_tenant: 50,
            max_per_client: 20,
        }
    }
}

/// Why a connection was not opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Full {
    /// The tenant has too many open connections.
    #[error("too many live connections for this business; close some Slotline tabs")]
    Tenant,
    /// This client has too many open connections.
    #[error("too many live connections from this address; close some Slotline tabs")]
    Client,
}

#[derive(Default)]
struct Counts {
    tenants: HashMap<i64, usize>,
    clients: HashMap<IpAddr, usize>,
}

struct Inner {
    store: Store,
    settings: LiveSettings,
    channels: Mutex<HashMap<i64, broadcast::Sender<Topic>>>,
    counts: Mutex<Counts>,
    stop: CancellationToken,
}

/// The live-update hub of one process.
#[derive(Clone)]
pub struct Live {
    inner: Arc<Inner>,
}

/// One open connection: its events, and its place in the caps until dropped.
pub struct Subscription {
    /// Topics as they change.
    pub events: broadcast::Receiver<Topic>,
    /// Ends when the server shuts down.
    pub stop: CancellationToken,
    _slot: Slot,
}

/// A connection's place in the per-tenant and per-client counts.
struct Slot {
    live: Live,
    tenant: i64,
    client: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = lock(&self.live.inner.counts);
        release(&mut counts.tenants, &self.tenant);
        release(&mut counts.clients, &self.client);
    }
}

/// Counts one connection of `key` less, forgetting keys without connections.
fn release<K: std::hash::Hash + Eq>(map: &mut HashMap<K, usize>, key: &K) {
    if let Some(n) = map.get_mut(key) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            map.remove(key);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Live {
    /// A hub reading `store`.
    pub fn new(store: Store, settings: LiveSettings) -> Self {
        Self {
            inner: Arc::new(Inner {
                store,
                settings,
                channels: Mutex::default(),
                counts: Mutex::default(),
                stop: CancellationToken::new(),
            }),
        }
    }

    /// The settings in use.
    pub fn settings(&self) -> LiveSettings {
        self.inner.settings
    }

    /// Ends every open connection (at shutdown, so a graceful stop does not wait on them).
    pub fn shutdown(&self) {
        self.inner.stop.cancel();
    }

    /// Opens a connection for `tenant` from `client`, starting the tenant's poller if it is the
    /// first one.
    pub fn subscribe(&self, tenant: i64, client: IpAddr) -> Result<Subscription, Full> {
        let client = crate::limits::client_key(client);
        {
            let mut counts = lock(&self.inner.counts);
            if counts.tenants.get(&tenant).copied().unwrap_or(0)
                >= self.inner.settings.max_per_tenant
            {
                return Err(Full::Tenant);
            }
            if counts.clients.get(&client).copied().unwrap_or(0)
                >= self.inner.settings.max_per_client
            {
                return Err(Full::Client);
            }
            *counts.tenants.entry(tenant).or_default() += 1;
            *counts.clients.entry(client).or_default() += 1;
        }
        let slot = Slot {
            live: self.clone(),
            tenant,
            client,
        };
        let events = {
            let mut channels = lock(&self.inner.channels);
            match channels.get(&tenant) {
                Some(tx) => tx.subscribe(),
                None => {
                    let (tx, rx) = broadcast::channel(64);
                    channels.insert(tenant, tx.clone());
                    tokio::spawn(poll(self.clone(), tenant, tx));
                    rx
                }
            }
        };
        Ok(Subscription {
            events,
            stop: self.inner.stop.clone(),
            _slot: slot,
        })
    }

    /// Tenants with a running poller (for tests and metrics).
    pub fn polled_tenants(&self) -> usize {
        lock(&self.inner.channels).len()
    }
}

/// A tenant's poller: reads the counters every `poll` and broadcasts what changed; stops
/// once nobody listens.
async fn poll(live: Live, tenant: i64, tx: broadcast::Sender<Topic>) {
    let store = &live.inner.store;
    let mut last = store.change_cursor(tenant).await.ok();
    let mut every = tokio::time::interval(live.inner.settings.poll);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = live.inner.stop.cancelled() => break,
        }
        {
            let mut channels = lock(&live.inner.channels);
            if tx.receiver_count() == 0 {
                channels.remove(&tenant);
                return;
            }
        }
        match store.change_cursor(tenant).await {
            Ok(now) => {
                if let Some(before) = &last {
                    for topic in changed(before, &now) {
                        let _ = tx.send(topic);
                    }
                }
                last = Some(now);
            }
            Err(e) => tracing::warn!(tenant, error = %e, "reading the live-update counters failed"),
        }
    }
    lock(&live.inner.channels).remove(&tenant);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_moved_counter_names_its_topic() {
        let a = ChangeCursor::default();
        let b = ChangeCursor {
            calls: 1,
            breakers: 3,
            ..a
        };
        assert_eq!(changed(&a, &b), [Topic::Calls, Topic::Health]);
        assert!(changed(&b, &b).is_empty());
        let c = ChangeCursor {
            appointments: 2,
            ..b
        };
        assert_eq!(changed(&b, &c), [Topic::Appointments]);
    }
}
