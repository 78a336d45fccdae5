//! How breakers report their state changes without waiting on the database.

use super::label;
use app::contract::CircuitState;

/// A state change, as a breaker hands it to its [`TransitionSink`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// Breaker name.
    pub circuit: String,
    /// State before (`closed`, `open`, `half_open`).
    pub from: &'static str,
    /// State after.
    pub to: &'static str,
    /// The last error recorded before the change (short, secret-free).
    pub reason: Option<String>,
    /// When, UTC ms by the injected clock.
    pub at_ms: i64,
}

/// Where breakers report their state changes without waiting: a bounded channel that a task
/// drains into the database (`live::transitions`). A full channel drops the change (logged);
/// the breaker itself never blocks on it.
#[derive(Clone)]
pub struct TransitionSink {
    tx: tokio::sync::mpsc::Sender<Transition>,
    clock: crate::clock::Clock,
}

impl TransitionSink {
    /// A sink and the receiving end to drain; `capacity` changes may wait in between.
    pub fn channel(
        clock: crate::clock::Clock,
        capacity: usize,
    ) -> (Self, tokio::sync::mpsc::Receiver<Transition>) {
        let (tx, rx) = tokio::sync::mpsc::channel(capacity.max(1));
        (Self { tx, clock }, rx)
    }

    pub(super) fn send(
        &self,
        circuit: &str,
        from: CircuitState,
        to: CircuitState,
        reason: Option<&str>,
    ) {
        let t = Transition {
            circuit: circuit.to_owned(),
            from: label(from),
            to: label(to),
            reason: reason.map(str::to_owned),
            at_ms: self.clock.now_ms(),
        };
        if self.tx.try_send(t).is_err() {
            tracing::warn!(
                circuit,
                "breaker change not recorded: its log is full or closed"
            );
        }
    }
}
