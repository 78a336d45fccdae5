//! Password checks on a bounded number of threads: argon2id is meant to be expensive, so at
//! most one check per core runs at a time and further sign-ins wait their turn (briefly) or
//! are told to retry. Nobody can make the server hash more than the cores can carry.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a sign-in waits for a free slot before it is told to retry.
const WAIT: Duration = Duration::from_secs(10);

/// The process-wide limit on concurrent password checks.
pub struct PasswordChecks {
    slots: Semaphore,
    size: usize,
    running: AtomicUsize,
    peak: AtomicUsize,
}

/// No slot became free in time.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("too many sign-ins are being checked right now; try again in a moment")]
pub struct Busy;

impl PasswordChecks {
    fn new(size: usize) -> Self {
        let size = size.max(1);
        Self {
            slots: Semaphore::new(size),
            size,
            running: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// The shared limit: one check per available core.
    pub fn global() -> &'static PasswordChecks {
        static CHECKS: OnceLock<PasswordChecks> = OnceLock::new();
        CHECKS.get_or_init(|| {
            PasswordChecks::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
        })
    }

    /// How many checks may run at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The most checks that ever ran at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    /// Checks `password` against the PHC string `hash` on a blocking thread, once a slot is
    /// free.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, Busy> {
        let _slot = tokio::time::timeout(WAIT, self.slots.acquire())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        let now = self.running.fetch_add(1, Ordering::AcqRel) + 1;
        self.peak.fetch_max(now, Ordering::AcqRel);
        let result =
            tokio::task::spawn_blocking(move || super::verify_password(&password, &hash)).await;
        self.running.fetch_sub(1, Ordering::AcqRel);
        Ok(result.unwrap_or(false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_checks_are_bounded_by_the_slots() {
        let checks: &'static PasswordChecks = Box::leak(Box::new(PasswordChecks::new(2)));
        let hash = super::super::hash_password("correct horse").unwrap();
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let hash = hash.clone();
                tokio::spawn(async move {
                    let guess = if i == 0 { "correct horse" } else { "wrong" };
                    checks.verify(guess.into(), hash).await.unwrap()
                })
            })
            .collect();
        let mut right = 0;
        for t in tasks {
            right += usize::from(t.await.unwrap());
        }
        assert_eq!(right, 1);
        assert!(checks.peak() <= 2, "peak {}", checks.peak());
        assert!(checks.peak() >= 1);
    }
}
