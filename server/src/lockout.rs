//! Sign-in lockout against password guessing, per account *and client*: after
//! `max_failures` wrong passwords for one e-mail from one client (an IPv4 address or an IPv6
//! /64) within a minute, that client's further sign-ins for it are refused (before any password
//! hashing) for a minute, doubling with each further lockout up to an hour. Many wrong
//! passwords for one account from all clients together (a botnet) slow down every client
//! that has not signed in to that account before — the owner's own devices stay trusted, so an
//! attacker cannot keep the owner out. A correct sign-in clears the client's record and trusts
//! it for the account. The tables are bounded in entries and key length.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How far back wrong passwords count.
const WINDOW: Duration = Duration::from_secs(60);
/// First lockout; each further one doubles, up to [`MAX_LOCK`].
const FIRST_LOCK: Duration = Duration::from_secs(60);
/// Longest lockout.
const MAX_LOCK: Duration = Duration::from_secs(3600);
/// How long a record without activity is kept (its back-off level with it).
const FORGET_AFTER: Duration = Duration::from_secs(24 * 3600);
/// Most (account, client) records kept; the stalest are dropped beyond it.
pub const MAX_ENTRIES: usize = 20_000;
/// Longest e-mail kept as a key (longer ones are cut; e-mail addresses are at most 254).
const MAX_KEY: usize = 254;

/// Who tries: an account (lower-cased e-mail) from a client (`None` in-process).
type Key = (String, Option<IpAddr>);
/// Clients remembered per account as trusted (signed in successfully before).
const TRUSTED_PER_ACCOUNT: usize = 4;
/// How long a successful sign-in keeps a client trusted for the account.
const TRUST_FOR: Duration = Duration::from_secs(30 * 24 * 3600);

/// Wrong passwords for one account from every client, and the clients it trusts.
#[derive(Debug, Default)]
struct Account {
    failures: std::collections::VecDeque<Instant>,
    trusted: Vec<(Option<IpAddr>, Instant)>,
    last_seen: Option<Instant>,
}

#[derive(Debug, Default)]
struct Record {
    failures: Vec<Instant>,
    locks: u32,
    locked_until: Option<Instant>,
    last_seen: Option<Instant>,
}

/// Recent wrong passwords per (account, client).
#[derive(Clone)]
pub struct Lockout {
    max_failures: usize,
    account_max: usize,
    records: Arc<Mutex<HashMap<Key, Record>>>,
    accounts: Arc<Mutex<HashMap<String, Account>>>,
}

impl Lockout {
    /// Locks a client out of an account after `max_failures` (at least 1) wrong passwords
    /// within a minute; slows untrusted clients of an account after `account_max` wrong
    /// passwords for it from all clients within a minute.
    pub fn new(max_failures: u32, account_max: u32) -> Self {
        Self {
            max_failures: max_failures.max(1) as usize,
            account_max: account_max.max(1) as usize,
            records: Arc::default(),
            accounts: Arc::default(),
        }
    }

    fn key(email: &str, client: Option<IpAddr>) -> Key {
        let account = crate::input::cut(&email.trim().to_lowercase(), MAX_KEY).to_owned();
        (account, client.map(crate::limits::client_key))
    }

    /// `Err(wait)` while this client is locked out of the account.
    pub fn check(&self, email: &str, client: Option<IpAddr>) -> Result<(), Duration> {
        self.check_at(email, client, Instant::now())
    }

    fn check_at(&self, email: &str, client: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        let key = Self::key(email, client);
        {
            let records = self.records.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(until) = records.get(&key).and_then(|r| r.locked_until) {
                if now < until {
                    return Err(until - now);
                }
            }
        }
        let accounts = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
        let Some(account) = accounts.get(&key.0) else {
            return Ok(());
        };
        let trusted = account
            .trusted
            .iter()
            .any(|(c, at)| *c == key.1 && now.duration_since(*at) < TRUST_FOR);
        let recent: Vec<&Instant> = account
            .failures
            .iter()
            .filter(|t| now.duration_since(**t) < WINDOW)
            .collect();
        if trusted || recent.len() < self.account_max {
            return Ok(());
        }
        let oldest = recent[recent.len() - self.account_max];
        Err(WINDOW.saturating_sub(now.duration_since(*oldest)))
    }

    /// Records a wrong password; a lockout starts when the count is reached.
    pub fn failed(&self, email: &str, client: Option<IpAddr>) {
        self.failed_at(email, client, Instant::now());
    }

    fn failed_at(&self, email: &str, client: Option<IpAddr>, now: Instant) {
        let key = Self::key(email, client);
        {
            let mut accounts = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
            if accounts.len() >= MAX_ENTRIES {
                accounts.retain(|_, a| a.last_seen.is_some_and(|t| now.duration_since(t) < WINDOW));
            }
            if accounts.len() < MAX_ENTRIES || accounts.contains_key(&key.0) {
                let a = accounts.entry(key.0.clone()).or_default();
                a.last_seen = Some(now);
                a.failures.push_back(now);
                while a.failures.len() > self.account_max {
                    a.failures.pop_front();
                }
            }
        }
        let mut records = self.records.lock().unwrap_or_else(|p| p.into_inner());
        if records.len() >= MAX_ENTRIES {
            shrink(&mut records, now);
        }
        let r = records.entry(key).or_default();
        r.last_seen = Some(now);
        r.failures.retain(|t| now.duration_since(*t) < WINDOW);
        r.failures.push(now);
        if r.failures.len() >= self.max_failures {
            let lock = FIRST_LOCK
                .saturating_mul(1u32 << r.locks.min(6))
                .min(MAX_LOCK);
            r.locks = r.locks.saturating_add(1);
            r.locked_until = Some(now + lock);
            r.failures.clear();
        }
    }

    /// A correct sign-in: this client's record for the account is cleared and the client is
    /// trusted for the account from now on.
    pub fn succeeded(&self, email: &str, client: Option<IpAddr>) {
        self.succeeded_at(email, client, Instant::now());
    }

    fn succeeded_at(&self, email: &str, client: Option<IpAddr>, now: Instant) {
        let key = Self::key(email, client);
        self.records
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&key);
        let mut accounts = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
        if accounts.len() >= MAX_ENTRIES && !accounts.contains_key(&key.0) {
            accounts.retain(|_, a| !a.trusted.is_empty());
            if accounts.len() >= MAX_ENTRIES {
                return;
            }
        }
        let a = accounts.entry(key.0).or_default();
        a.last_seen = Some(now);
        a.trusted.retain(|(c, _)| *c != key.1);
        a.trusted.push((key.1, now));
        if a.trusted.len() > TRUSTED_PER_ACCOUNT {
            a.trusted.remove(0);
        }
    }

    /// Records kept now.
    pub fn len(&self) -> usize {
        self.records.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Whether no record is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Drops records idle for a day, then (if still full) the unlocked ones seen longest ago,
/// until a tenth of the room is free. Active lockouts are kept as long as possible.
fn shrink(records: &mut HashMap<Key, Record>, now: Instant) {
    records.retain(|_, r| {
        r.last_seen
            .is_some_and(|t| now.duration_since(t) < FORGET_AFTER)
    });
    if records.len() < MAX_ENTRIES {
        return;
    }
    let mut by_age: Vec<(bool, Instant, Key)> = records
        .iter()
        .map(|(k, r)| {
            let locked = r.locked_until.is_some_and(|u| now < u);
            (locked, r.last_seen.unwrap_or(now), k.clone())
        })
        .collect();
    by_age.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let excess = records.len() + MAX_ENTRIES / 10 - MAX_ENTRIES;
    for (_, _, key) in by_age.into_iter().take(excess) {
        records.remove(&key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> Option<IpAddr> {
        Some(IpAddr::from([203, 0, 113, last]))
    }

    #[test]
    fn wrong_passwords_lock_one_client_out_of_one_account_with_back_off() {
        let lockout = Lockout::new(5, 1_000);
        let t0 = Instant::now();
        for i in 0..5 {
            assert!(lockout.check_at("A@x.de", ip(1), t0).is_ok(), "attempt {i}");
            lockout.failed_at("a@x.de ", ip(1), t0 + Duration::from_secs(i));
        }
        let t1 = t0 + Duration::from_secs(4);
        let wait = lockout
            .check_at("a@x.de", ip(1), t1 + Duration::from_secs(10))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        assert!(
            lockout.check_at("a@x.de", ip(2), t1).is_ok(),
            "the real admin on another address still signs in"
        );
        assert!(lockout.check_at("b@x.de", ip(1), t1).is_ok());
        let t2 = t1 + Duration::from_secs(60);
        assert!(lockout.check_at("a@x.de", ip(1), t2).is_ok());
        for i in 0..5 {
            lockout.failed_at("a@x.de", ip(1), t2 + Duration::from_secs(i));
        }
        let wait = lockout
            .check_at("a@x.de", ip(1), t2 + Duration::from_secs(4))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(120), "the second lockout doubles");
    }

    #[test]
    fn a_correct_sign_in_clears_the_clients_record() {
        let lockout = Lockout::new(2, 1_000);
        lockout.failed("a@x.de", ip(1));
        lockout.succeeded("a@x.de", ip(1));
        lockout.failed("a@x.de", ip(1));
        assert!(lockout.check("a@x.de", ip(1)).is_ok());
        lockout.failed("a@x.de", ip(1));
        assert!(lockout.check("a@x.de", ip(1)).is_err());
    }

    #[test]
    fn a_botnet_on_one_account_slows_strangers_but_never_the_owners_devices() {
        let lockout = Lockout::new(5, 10);
        let now = Instant::now();
        lockout.succeeded_at("owner@x.de", ip(200), now);
        for i in 0..10u8 {
            lockout.failed_at("owner@x.de", ip(i), now);
        }
        assert!(
            lockout.check_at("owner@x.de", ip(99), now).is_err(),
            "a new client waits while the account is under attack"
        );
        assert!(
            lockout.check_at("owner@x.de", ip(200), now).is_ok(),
            "the owner's own device still signs in"
        );
        assert!(lockout.check_at("owner@x.de", ip(99), now + WINDOW).is_ok());
    }

    #[test]
    fn ipv6_clients_are_one_client_per_64() {
        let lockout = Lockout::new(2, 1_000);
        let a: IpAddr = "2001:db8:0:1::1".parse().unwrap();
        let b: IpAddr = "2001:db8:0:1::2".parse().unwrap();
        lockout.failed("a@x.de", Some(a));
        lockout.failed("a@x.de", Some(b));
        assert!(
            lockout.check("a@x.de", Some(a)).is_err(),
            "rotating inside a /64 does not help"
        );
    }

    #[test]
    fn the_table_stays_bounded_under_a_flood_of_accounts() {
        let lockout = Lockout::new(5, 1_000);
        let now = Instant::now();
        for i in 0..MAX_ENTRIES + 5_000 {
            let email = format!("{i}@{}", "x".repeat(400));
            lockout.failed_at(&email, ip((i % 250) as u8), now);
        }
        assert!(lockout.len() <= MAX_ENTRIES, "{}", lockout.len());
        assert!(lockout.accounts.lock().unwrap().len() <= MAX_ENTRIES);
        let records = lockout.records.lock().unwrap();
        assert!(records.keys().all(|(k, _)| k.len() <= MAX_KEY));
    }
}
