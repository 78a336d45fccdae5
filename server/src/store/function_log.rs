//! Writes the custom-function call log behind the reply: a caller on the phone never waits
//! for a log row. One writer task per store takes every row waiting at that moment and
//! stores them in one transaction (concurrent log writes no longer contend for SQLite's
//! write lock, which under load put several milliseconds on check_availability's p99).
//!
//! Reads of the log through this process first wait until every row queued before them is
//! written ([`FunctionLog::flush`]), so a call's detail page shows the calls just made. A
//! row can be lost only if the process dies in the few milliseconds before its write; the
//! reply and any booking never depend on it.

use super::calls::NewFunctionCall;
use super::Store;
use std::sync::OnceLock;
use tokio::sync::{mpsc, oneshot};

/// Rows written in one transaction at most.
const MAX_BATCH: usize = 256;
/// Rows that may wait before a writer of the log waits too.
const QUEUE: usize = 4096;

/// A logged call, owned, on its way to the writer.
#[derive(Debug)]
pub(super) struct Row {
    tenant_id: i64,
    call_id: String,
    function: String,
    arguments: String,
    reply: String,
    outcome: String,
    http_status: i64,
    at: i64,
    duration_ms: Option<i64>,
}

impl Row {
    /// The borrowed form the insert binds.
    pub(super) fn as_new(&self) -> NewFunctionCall<'_> {
        NewFunctionCall {
            tenant_id: self.tenant_id,
            call_id: &self.call_id,
            function: &self.function,
            arguments: &self.arguments,
            reply: &self.reply,
            outcome: &self.outcome,
            http_status: self.http_status,
            at: self.at,
            duration_ms: self.duration_ms,
        }
    }
}

enum Message {
    Row(Row),
    /// Answered once every row sent before it is written (or failed).
    Flush(oneshot::Sender<()>),
}

/// The queue to the writer task, started with the first row.
#[derive(Debug, Default)]
pub struct FunctionLog {
    queue: OnceLock<mpsc::Sender<Message>>,
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Message::Row(_) => f.write_str("Row"),
            Message::Flush(_) => f.write_str("Flush"),
        }
    }
}

impl FunctionLog {
    /// Queues a row; starts the writer (on the current tokio runtime) on first use.
    pub(super) async fn push(&self, store: &Store, c: &NewFunctionCall<'_>) {
        let queue = self.queue.get_or_init(|| {
            let (tx, rx) = mpsc::channel(QUEUE);
            tokio::spawn(run(store.clone(), rx));
            tx
        });
        let row = Row {
            tenant_id: c.tenant_id,
            call_id: c.call_id.to_owned(),
            function: c.function.to_owned(),
            arguments: c.arguments.to_owned(),
            reply: c.reply.to_owned(),
            outcome: c.outcome.to_owned(),
            http_status: c.http_status,
            at: c.at,
            duration_ms: c.duration_ms,
        };
        if queue.send(Message::Row(row)).await.is_err() {
            tracing::error!("the function-call log writer is gone; a log row was dropped");
        }
    }

    /// Waits until every row queued before this call is written.
    pub(super) async fn flush(&self) {
        let Some(queue) = self.queue.get() else {
            return;
        };
        let (done, written) = oneshot::channel();
        if queue.send(Message::Flush(done)).await.is_ok() {
            let _ = written.await;
        }
    }
}

/// The writer: everything waiting, one transaction, then the flushes that waited for it.
async fn run(store: Store, mut rx: mpsc::Receiver<Message>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut rows = Vec::new();
        let mut flushes = Vec::new();
        for message in batch.drain(..) {
            match message {
                Message::Row(row) => rows.push(row),
                Message::Flush(done) => flushes.push(done),
            }
        }
        if !rows.is_empty() {
            if let Err(e) = store.insert_function_calls(&rows).await {
                tracing::error!(error = %e, rows = rows.len(), "writing the function-call log failed");
            }
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}
