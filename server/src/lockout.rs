//! Account lockout against password guessing: after `max_failures` wrong passwords for one
//! e-mail within a minute, further sign-ins for it are refused (before any password hashing)
//! until the oldest of those failures is a minute old. A correct sign-in clears the count,
//! so an admin signing in often is never locked out.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How far back wrong passwords count.
const WINDOW: Duration = Duration::from_secs(60);

/// Accounts tracked before stale ones are dropped.
const MAX_ACCOUNTS: usize = 50_000;

/// Recent wrong passwords per account (lower-cased e-mail).
#[derive(Clone)]
pub struct Lockout {
    max_failures: usize,
    failures: Arc<Mutex<HashMap<String, VecDeque<Instant>>>>,
}

impl Lockout {
    /// Locks an account after `max_failures` (at least 1) wrong passwords within a minute.
    pub fn new(max_failures: u32) -> Self {
        Self {
            max_failures: max_failures.max(1) as usize,
            failures: Arc::default(),
        }
    }

    fn key(email: &str) -> String {
        email.trim().to_lowercase()
    }

    /// `Err(wait)` while the account is locked.
    pub fn check(&self, email: &str) -> Result<(), Duration> {
        self.check_at(email, Instant::now())
    }

    fn check_at(&self, email: &str, now: Instant) -> Result<(), Duration> {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(times) = failures.get(&Self::key(email)) else {
            return Ok(());
        };
        let recent: Vec<&Instant> = times
            .iter()
            .filter(|t| now.duration_since(**t) < WINDOW)
            .collect();
        if recent.len() < self.max_failures {
            return Ok(());
        }
        let oldest = recent[recent.len() - self.max_failures];
        Err(WINDOW.saturating_sub(now.duration_since(*oldest)))
    }

    /// Records a wrong password.
    pub fn failed(&self, email: &str) {
        self.failed_at(email, Instant::now());
    }

    fn failed_at(&self, email: &str, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() > MAX_ACCOUNTS {
            failures.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < WINDOW)
            });
        }
        let times = failures.entry(Self::key(email)).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            times.pop_front();
        }
        times.push_back(now);
        if times.len() > self.max_failures {
            times.pop_front();
        }
    }

    /// A correct sign-in: the account's count starts again.
    pub fn succeeded(&self, email: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.remove(&Self::key(email));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_passwords_lock_an_account_for_the_rest_of_the_minute() {
        let lockout = Lockout::new(5);
        let t0 = Instant::now();
        for i in 0..5 {
            assert!(lockout.check_at("A@x.de", t0).is_ok(), "attempt {i}");
            lockout.failed_at("a@x.de ", t0 + Duration::from_secs(i));
        }
        let wait = lockout
            .check_at("a@x.de", t0 + Duration::from_secs(10))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        assert!(
            lockout.check_at("b@x.de", t0).is_ok(),
            "other accounts are free"
        );
        assert!(lockout
            .check_at("a@x.de", t0 + Duration::from_secs(60))
            .is_ok());
    }

    #[test]
    fn a_correct_sign_in_clears_the_count() {
        let lockout = Lockout::new(2);
        lockout.failed("a@x.de");
        lockout.succeeded("a@x.de");
        lockout.failed("a@x.de");
        assert!(lockout.check("a@x.de").is_ok());
        lockout.failed("a@x.de");
        assert!(lockout.check("a@x.de").is_err());
    }
}
