//! Password checks on a bounded number of threads: argon2id is meant to be expensive, so at
//! most one check per core runs at a time and further sign-ins wait their turn (briefly) or
//! are told to retry. The slot is held by the blocking thread itself, so a client that hangs
//! up mid-check cannot free it early: nobody can make the server hash more than its cores carry.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a sign-in waits for a free slot before it is told to retry.
const WAIT: Duration = Duration::from_secs(10);

/// The process-wide limit on concurrent password checks.
pub struct PasswordChecks {
    slots: Arc<Semaphore>,
    size: usize,
    running: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

/// No slot became free in time.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("too many sign-ins are being checked right now")]
pub struct Busy;

/// Why a new password could not be hashed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum HashError {
    /// No slot became free in time.
    #[error("too many passwords are being checked right now")]
    Busy,
    /// argon2 refused (should not happen with its defaults).
    #[error("the password could not be hashed: {0}")]
    Failed(String),
}

/// An argon2id hash of a random password, checked when the e-mail is unknown so that both
/// paths take the same time (no account enumeration by timing). Made on first use, on a
/// blocking thread inside a slot like every other check.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| super::hash_password(&super::random_password()).unwrap_or_default())
}

impl PasswordChecks {
    fn new(size: usize) -> Self {
        let size = size.max(1);
        Self {
            slots: Arc::new(Semaphore::new(size)),
            size,
            running: Arc::default(),
            peak: Arc::default(),
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

    /// Checks `password` against the PHC string `hash` (or, for an unknown account, against a
    /// decoy) on a blocking thread, once a slot is free.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, Busy> {
        let slot = tokio::time::timeout(WAIT, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        let (running, peak) = (self.running.clone(), self.peak.clone());
        let check = tokio::task::spawn_blocking(move || {
            let now = running.fetch_add(1, Ordering::AcqRel) + 1;
            peak.fetch_max(now, Ordering::AcqRel);
            let hash = hash.as_deref().unwrap_or_else(|| decoy_hash());
            let ok = super::verify_password(&password, hash);
            running.fetch_sub(1, Ordering::AcqRel);
            drop(slot);
            ok
        });
        Ok(check.await.unwrap_or(false))
    }

    /// Hashes a new password with argon2id on a blocking thread, once a slot is free (setting
    /// a password costs what checking one costs, so it shares the same limit).
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        let slot = tokio::time::timeout(WAIT, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| HashError::Busy)?
            .map_err(|_| HashError::Busy)?;
        let work = tokio::task::spawn_blocking(move || {
            let hashed = super::hash_password(&password);
            drop(slot);
            hashed
        });
        match work.await {
            Ok(Ok(hash)) => Ok(hash),
            Ok(Err(e)) => Err(HashError::Failed(e.to_string())),
            Err(e) => Err(HashError::Failed(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_checks_are_bounded_by_the_slots_even_when_callers_give_up() {
        let checks: &'static PasswordChecks = Box::leak(Box::new(PasswordChecks::new(2)));
        let hash = super::super::hash_password("correct horse").unwrap();
        // Callers that hang up at once: their checks still hold their slots.
        for _ in 0..4 {
            let hash = hash.clone();
            let quitter = tokio::spawn(async move { checks.verify("x".into(), Some(hash)).await });
            tokio::time::sleep(Duration::from_millis(1)).await;
            quitter.abort();
        }
        let tasks: Vec<_> = (0..6)
            .map(|i| {
                let hash = hash.clone();
                tokio::spawn(async move {
                    let guess = if i == 0 { "correct horse" } else { "wrong" };
                    checks.verify(guess.into(), Some(hash)).await.unwrap()
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
        assert!(
            !checks.verify("x".into(), None).await.unwrap(),
            "the decoy never matches"
        );
    }
}
