//! Rate limits (governor, GCRA): requests per client on the gateway and UI routes and on
//! Retell's routes, custom-function calls per caller number, gateway calls per tenant,
//! sign-in attempts per client and per account — and the sign-in lockout per account and
//! client ([`crate::lockout`]). A refusal carries how long to wait. Every table keyed by what
//! a client sends is bounded: keys are short (an IP, a /64, a validated number) and a table
//! that grows past [`MAX_KEYS`] is pruned, or started afresh when everything in it is recent.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Keys one limiter keeps at most.
pub const MAX_KEYS: usize = 50_000;
/// How often (in checks) a limiter counts its keys: counting visits every shard of the
/// table, too slow for every request; between counts a table can outgrow [`MAX_KEYS`] by
/// at most this many keys.
pub const COUNT_KEYS_EVERY: usize = 64;
/// Longest text key kept (caller numbers are E.164, e-mails at most 254 bytes).
const MAX_KEY_BYTES: usize = 254;

/// One keyed limiter with a bounded table.
struct Keyed<K: Hash + Eq + Clone> {
    quota: Quota,
    limiter: RwLock<DefaultKeyedRateLimiter<K>>,
    checks: AtomicUsize,
}

impl<K: Hash + Eq + Clone> Keyed<K> {
    fn new(per_minute: u32, burst: u32) -> Self {
        let rate = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_minute(rate).allow_burst(burst);
        Self {
            quota,
            limiter: RwLock::new(RateLimiter::keyed(quota)),
            checks: AtomicUsize::new(0),
        }
    }

    /// `Err(wait)` when the key is over its quota.
    fn check(&self, key: &K) -> Result<(), Duration> {
        {
            let limiter = self.limiter.read().unwrap_or_else(|p| p.into_inner());
            let count_now = self
                .checks
                .fetch_add(1, Ordering::Relaxed)
                .is_multiple_of(COUNT_KEYS_EVERY);
            if !count_now || limiter.len() <= MAX_KEYS {
                return limiter
                    .check_key(key)
                    .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()));
            }
        }
        let mut limiter = self.limiter.write().unwrap_or_else(|p| p.into_inner());
        if limiter.len() > MAX_KEYS {
            limiter.retain_recent();
            limiter.shrink_to_fit();
            if limiter.len() > MAX_KEYS {
                // A flood of distinct recent keys: forget them all rather than grow.
                tracing::warn!(
                    keys = limiter.len(),
                    "rate-limit table full; starting afresh"
                );
                *limiter = RateLimiter::keyed(self.quota);
            }
        }
        limiter
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// `Err(wait)` when the key cannot take `n` more cells now (more than the burst: a
    /// minute's wait).
    fn check_n(&self, key: &K, n: u32) -> Result<(), Duration> {
        let Some(n) = NonZeroU32::new(n) else {
            return Ok(());
        };
        self.check(key)?;
        let Some(more) = NonZeroU32::new(n.get() - 1) else {
            return Ok(());
        };
        let limiter = self.limiter.read().unwrap_or_else(|p| p.into_inner());
        match limiter.check_key_n(key, more) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => Err(not_until.wait_time_from(DefaultClock::default().now())),
            Err(_) => Err(Duration::from_secs(60)),
        }
    }

    /// Keys kept now.
    fn len(&self) -> usize {
        self.limiter.read().unwrap_or_else(|p| p.into_inner()).len()
    }
}

/// The key of a client address: IPv4 as is, IPv6 by its /64 (one subscriber's whole network).
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let bits = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(bits.into())
            }
        },
    }
}

/// A text key cut to a bounded length.
fn bounded(text: &str) -> String {
    crate::input::cut(text, MAX_KEY_BYTES).to_owned()
}

/// All limits of one server.
#[derive(Clone)]
pub struct Limits(Arc<LimitSet>);

/// The limiters behind [`Limits`] (one set per process; a clone shares it).
pub struct LimitSet {
    login: crate::lockout::Lockout,
    login_client: Arc<Keyed<IpAddr>>,
    ip: Arc<Keyed<IpAddr>>,
    retell_ip: Arc<Keyed<IpAddr>>,
    caller: Arc<Keyed<(i64, String)>>,
    tenant: Arc<Keyed<i64>>,
}

/// Quotas per minute (bursts follow from them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitSettings {
    /// Wrong passwords per account and client within a minute before that client is locked
    /// out of the account (a minute, doubling up to an hour).
    pub login_failures_per_min: u32,
    /// Sign-in attempts one client may make per minute, whatever the account (burst: half).
    pub login_per_client_min: u32,
    /// Wrong passwords for one account from all clients within a minute before clients that
    /// never signed in to it are slowed down (the owner's devices are not).
    pub login_per_account_min: u32,
    /// Gateway and UI requests per client IP (burst: a tenth of a minute's worth, ≥ 100).
    pub ip_per_min: u32,
    /// Requests on Retell's routes (webhooks, custom functions) per client IP; Retell sends
    /// every business's traffic from a few addresses, so this is high (burst: a tenth).
    pub retell_ip_per_min: u32,
    /// Custom-function calls per caller number (burst: half of it).
    pub caller_per_min: u32,
    /// Gateway calls per tenant (burst: a tenth).
    pub tenant_per_min: u32,
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            login_failures_per_min: 5,
            login_per_client_min: 20,
            login_per_account_min: 30,
            ip_per_min: 1_200,
            retell_ip_per_min: 12_000,
            caller_per_min: 30,
            tenant_per_min: 6_000,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::new(LimitSettings::default())
    }
}

/// Whole seconds to wait, at least one.
pub fn retry_secs(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

impl Limits {
    /// Limiters with these quotas.
    pub fn new(q: LimitSettings) -> Self {
        Self(Arc::new(LimitSet {
            login: crate::lockout::Lockout::new(q.login_failures_per_min, q.login_per_account_min),
            login_client: Arc::new(Keyed::new(
                q.login_per_client_min,
                (q.login_per_client_min / 2).max(1),
            )),
            ip: Arc::new(Keyed::new(q.ip_per_min, (q.ip_per_min / 6).max(100))),
            retell_ip: Arc::new(Keyed::new(
                q.retell_ip_per_min,
                (q.retell_ip_per_min / 10).max(100),
            )),
            caller: Arc::new(Keyed::new(q.caller_per_min, (q.caller_per_min / 2).max(1))),
            tenant: Arc::new(Keyed::new(
                q.tenant_per_min,
                (q.tenant_per_min / 12).max(10),
            )),
        }))
    }

    /// The sign-in lockout (per e-mail, case-insensitive, and client).
    pub fn login(&self) -> &crate::lockout::Lockout {
        &self.0.login
    }

    /// One sign-in attempt from `client`, whatever the account (password spraying); the
    /// per-account counts are the lockout's.
    pub fn login_attempt(&self, client: Option<IpAddr>) -> Result<(), Duration> {
        match client {
            Some(ip) => self.0.login_client.check(&client_key(ip)),
            None => Ok(()),
        }
    }

    /// A request from a client IP on the gateway and UI routes.
    pub fn ip(&self, ip: IpAddr) -> Result<(), Duration> {
        self.0.ip.check(&client_key(ip))
    }

    /// `n` more requests from a client IP at once (the calls of a JSON-RPC batch beyond the
    /// HTTP request the middleware counted).
    pub fn ip_extra(&self, ip: IpAddr, n: u32) -> Result<(), Duration> {
        self.0.ip.check_n(&client_key(ip), n)
    }

    /// A request from a client IP on Retell's routes (webhooks, custom functions).
    pub fn retell_ip(&self, ip: IpAddr) -> Result<(), Duration> {
        self.0.retell_ip.check(&client_key(ip))
    }

    /// A custom-function call from a caller number of a tenant.
    pub fn caller(&self, tenant_id: i64, number: &str) -> Result<(), Duration> {
        self.0.caller.check(&(tenant_id, bounded(number)))
    }

    /// A gateway call on behalf of a tenant.
    pub fn tenant(&self, tenant_id: i64) -> Result<(), Duration> {
        self.0.tenant.check(&tenant_id)
    }

    /// Keys kept by the per-client limiter of the gateway and UI routes.
    pub fn ip_keys(&self) -> usize {
        self.0.ip.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_over_its_burst_waits_and_others_do_not() {
        let limits = Limits::new(LimitSettings {
            caller_per_min: 10,
            ..Default::default()
        });
        for _ in 0..5 {
            assert!(limits.caller(1, "+4930").is_ok());
        }
        let wait = limits.caller(1, "+4930").unwrap_err();
        assert!(
            wait > Duration::from_secs(5) && wait <= Duration::from_secs(6),
            "{wait:?}"
        );
        assert!(limits.caller(2, "+4930").is_ok(), "another tenant's caller");
        assert_eq!(retry_secs(Duration::from_millis(1500)), 2);
        assert_eq!(
            retry_secs(Duration::ZERO),
            1,
            "never tell a client to retry at once"
        );
    }

    #[test]
    fn ipv6_clients_count_by_their_64_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(other));
        let mapped: IpAddr = "::ffff:203.0.113.7".parse().unwrap();
        assert_eq!(client_key(mapped), "203.0.113.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn a_flood_of_distinct_clients_never_grows_the_table_past_its_bound() {
        let limits = Limits::default();
        for i in 0..(MAX_KEYS as u32 + 5_000) {
            let ip = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + i));
            let _ = limits.ip(ip);
        }
        assert!(
            limits.ip_keys() <= MAX_KEYS + COUNT_KEYS_EVERY,
            "{}",
            limits.ip_keys()
        );
    }

    #[test]
    fn a_batch_costs_one_cell_per_call() {
        let limits = Limits::new(LimitSettings {
            ip_per_min: 600,
            ..Default::default()
        });
        let ip = IpAddr::from([192, 0, 2, 1]);
        assert!(limits.ip_extra(ip, 60).is_ok());
        assert!(limits.ip_extra(ip, 60).is_err(), "a burst of 100 is spent");
        assert!(limits.ip_extra(ip, 0).is_ok());
    }

    #[test]
    fn sign_in_attempts_count_per_client_across_accounts() {
        let limits = Limits::new(LimitSettings {
            login_per_client_min: 4,
            ..Default::default()
        });
        let ip = |n: u8| Some(IpAddr::from([198, 51, 100, n]));
        assert!(limits.login_attempt(ip(1)).is_ok());
        assert!(limits.login_attempt(ip(1)).is_ok());
        assert!(
            limits.login_attempt(ip(1)).is_err(),
            "one client, any accounts"
        );
        assert!(limits.login_attempt(ip(2)).is_ok(), "another client");
    }
}
