//! Rate limits (governor, GCRA): requests per client IP on the gateway and UI routes,
//! custom-function calls per caller number, gateway calls per tenant — and the sign-in
//! lockout per account ([`crate::lockout`]). A refusal carries how long to wait.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Keys kept before idle ones are dropped.
const MAX_KEYS: usize = 50_000;

/// One keyed limiter.
struct Keyed<K: Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
}

impl<K: Hash + Eq + Clone> Keyed<K> {
    fn new(per_minute: u32, burst: u32) -> Self {
        let rate = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: RateLimiter::keyed(Quota::per_minute(rate).allow_burst(burst)),
        }
    }

    /// `Err(wait)` when the key is over its quota.
    fn check(&self, key: &K) -> Result<(), Duration> {
        if self.limiter.len() > MAX_KEYS {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// All limits of one server.
#[derive(Clone)]
pub struct Limits {
    login: crate::lockout::Lockout,
    ip: Arc<Keyed<IpAddr>>,
    caller: Arc<Keyed<(i64, String)>>,
    tenant: Arc<Keyed<i64>>,
}

/// Quotas per minute (bursts follow from them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitSettings {
    /// Wrong passwords per account within a minute before it is locked for the rest of it.
    pub login_failures_per_min: u32,
    /// Gateway and UI requests per client IP (burst: a tenth of a minute's worth, ≥ 100).
    pub ip_per_min: u32,
    /// Custom-function calls per caller number (burst: half of it).
    pub caller_per_min: u32,
    /// Gateway calls per tenant (burst: a tenth).
    pub tenant_per_min: u32,
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            login_failures_per_min: 5,
            ip_per_min: 1_200,
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
        Self {
            login: crate::lockout::Lockout::new(q.login_failures_per_min),
            ip: Arc::new(Keyed::new(q.ip_per_min, (q.ip_per_min / 6).max(100))),
            caller: Arc::new(Keyed::new(q.caller_per_min, (q.caller_per_min / 2).max(1))),
            tenant: Arc::new(Keyed::new(
                q.tenant_per_min,
                (q.tenant_per_min / 12).max(10),
            )),
        }
    }

    /// The sign-in lockout (per e-mail, case-insensitive).
    pub fn login(&self) -> &crate::lockout::Lockout {
        &self.login
    }

    /// A request from a client IP.
    pub fn ip(&self, ip: IpAddr) -> Result<(), Duration> {
        self.ip.check(&ip)
    }

    /// A custom-function call from a caller number of a tenant.
    pub fn caller(&self, tenant_id: i64, number: &str) -> Result<(), Duration> {
        self.caller.check(&(tenant_id, number.to_owned()))
    }

    /// A gateway call on behalf of a tenant.
    pub fn tenant(&self, tenant_id: i64) -> Result<(), Duration> {
        self.tenant.check(&tenant_id)
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
}
