//! Group commit for the webhook inbox: the receiver hands each verified event to one writer
//! task, which stores every event waiting at that moment in one transaction and answers each
//! only after the commit. Under load, 32 events cost one commit (one fsync) instead of 32;
//! a lone event is written at once. An acknowledgement still means "committed": a failed
//! transaction answers every event of it with an error, and Retell sends them again.

use crate::store::webhooks::NewInboxEvent;
use crate::store::Store;
use tokio::sync::{mpsc, oneshot};

/// Most events stored in one transaction.
pub const MAX_BATCH: usize = 64;
/// Events that may wait for the writer before senders wait too.
const QUEUE: usize = 1024;

/// An event waiting to be stored, and who waits for the answer.
struct Pending {
    tenant_id: i64,
    call_id: String,
    event: String,
    payload: String,
    reply: oneshot::Sender<Result<bool, WriteFailed>>,
}

/// The event was not stored (the transaction failed, or the writer is gone); the cause is
/// in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the event could not be stored")]
pub struct WriteFailed;

/// The handle the receiver stores events through; clones share one writer task.
#[derive(Clone, Debug)]
pub struct InboxWriter {
    queue: mpsc::Sender<Pending>,
}

impl InboxWriter {
    /// Starts the writer task on the current tokio runtime; it ends when every handle is gone.
    pub fn start(store: Store) -> Self {
        let (queue, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(store, rx));
        Self { queue }
    }

    /// Stores one event unless (tenant, call, event) is there already; true when it is new.
    /// Returns after the commit of the transaction that stored it.
    pub async fn store(
        &self,
        tenant_id: i64,
        call_id: &str,
        event: &str,
        payload: &str,
    ) -> Result<bool, WriteFailed> {
        let (reply, answer) = oneshot::channel();
        let pending = Pending {
            tenant_id,
            call_id: call_id.to_owned(),
            event: event.to_owned(),
            payload: payload.to_owned(),
            reply,
        };
        self.queue.send(pending).await.map_err(|_| WriteFailed)?;
        answer.await.unwrap_or(Err(WriteFailed))
    }
}

/// The writer: takes whatever is waiting (up to [`MAX_BATCH`]), stores it in one
/// transaction, answers, repeats.
async fn run(store: Store, mut rx: mpsc::Receiver<Pending>) {
    let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let events: Vec<NewInboxEvent<'_>> = batch
            .iter()
            .map(|p| NewInboxEvent {
                tenant_id: p.tenant_id,
                call_id: &p.call_id,
                event: &p.event,
                payload: &p.payload,
            })
            .collect();
        let result = store.insert_inbox_events(&events).await;
        drop(events);
        match result {
            Ok(stored) => {
                for (pending, new) in batch.drain(..).zip(stored) {
                    // A sender that gave up (its client hung up) finds the event stored when
                    // Retell sends it again.
                    let _ = pending.reply.send(Ok(new));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, events = batch.len(), "storing webhooks failed");
                for pending in batch.drain(..) {
                    let _ = pending.reply.send(Err(WriteFailed));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn salon(dir: &std::path::Path) -> (Store, i64) {
        let url = format!("sqlite://{}/inbox.db", dir.display());
        let store = Store::connect_and_migrate(&url).await.unwrap();
        let tenant = store
            .create_tenant(&crate::store::tenants::NewTenant {
                slug: "salon",
                name: "Salon",
                time_zone: "Europe/Berlin",
                locale: "de",
                country: "DE",
            })
            .await
            .unwrap();
        (store, tenant)
    }

    #[tokio::test]
    async fn one_batch_reports_repeats_within_it_and_of_earlier_batches() {
        let dir = tempfile::tempdir().unwrap();
        let (store, tenant) = salon(dir.path()).await;
        let event = |call_id, event| NewInboxEvent {
            tenant_id: tenant,
            call_id,
            event,
            payload: "{}",
        };
        let first = store
            .insert_inbox_events(&[event("a", "call_ended")])
            .await
            .unwrap();
        assert_eq!(first, [true]);
        let batch = [
            event("b", "call_ended"),
            event("a", "call_ended"),
            event("b", "call_analyzed"),
            event("b", "call_ended"),
        ];
        let stored = store.insert_inbox_events(&batch).await.unwrap();
        assert_eq!(stored, [true, false, true, false]);
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_inbox")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(rows, 3);
    }

    #[tokio::test]
    async fn concurrent_events_are_each_stored_once_and_repeats_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let (store, tenant) = salon(dir.path()).await;
        let writer = InboxWriter::start(store.clone());
        let sends = (0..200).map(|i| {
            let writer = writer.clone();
            async move {
                // Every call id twice: exactly one of each pair is new.
                let call = format!("call_{}", i / 2);
                writer
                    .store(tenant, &call, "call_ended", "{}")
                    .await
                    .unwrap()
            }
        });
        let results = futures_util::future::join_all(sends).await;
        assert_eq!(results.iter().filter(|new| **new).count(), 100);
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_inbox")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(stored, 100);
    }
}
