//! Writes the breakers' state changes to the database off the hot path: breakers put them
//! on a bounded channel ([`crate::breaker::TransitionSink`]), this task drains it. A write
//! that fails (the database may be why a breaker opened) is retried for a while, then dropped.

use crate::breaker::Transition;
use crate::store::breaker_log::TransitionRow;
use crate::store::Store;
use std::time::Duration;
use tokio::sync::mpsc;

/// Changes that may wait in the channel.
pub const CAPACITY: usize = 256;

/// How often, and how far apart, a failed write is tried again.
const RETRIES: u32 = 30;
const RETRY_EVERY: Duration = Duration::from_secs(2);

/// A name for this process in the log: the host name (when the environment tells it) and a
/// random suffix, so two instances on one host stay apart.
pub fn instance_name() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.trim().is_empty())
        .unwrap_or_else(|| "slotline".to_owned());
    let host: String = host.chars().take(64).collect();
    format!("{host}-{}", hex::encode(rand::random::<[u8; 3]>()))
}

/// Drains `rx` into the database until every sender is gone.
pub async fn run(store: Store, instance: String, mut rx: mpsc::Receiver<Transition>) {
    while let Some(t) = rx.recv().await {
        let row = TransitionRow {
            id: 0,
            instance: instance.clone(),
            circuit: t.circuit,
            from_state: t.from.to_owned(),
            to_state: t.to.to_owned(),
            reason: t.reason.map(|r| r.chars().take(300).collect()),
            at: t.at_ms,
        };
        let mut tries = 0;
        while let Err(e) = store.record_breaker_transition(&row).await {
            tries += 1;
            if tries > RETRIES {
                tracing::error!(error = %e, circuit = %row.circuit, "a breaker change could not be recorded");
                break;
            }
            tokio::time::sleep(RETRY_EVERY).await;
        }
    }
}
