//! The time Slotline's domain reads: the system clock in production, an instant a test names
//! (and may move) in tests. It travels with the [`crate::store::Store`], so scheduling, the
//! webhook worker and sweeper, retention, sessions and tokens all read the same time. Only
//! transport checks (the freshness of Retell's signatures) read the wall clock directly.

use jiff::{SignedDuration, Timestamp};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// A source of "now".
#[derive(Clone, Default)]
pub struct Clock(Option<Arc<Fixed>>);

/// A clock standing at an instant.
#[derive(Debug)]
struct Fixed {
    /// The instant, in milliseconds since the Unix epoch.
    ms: AtomicI64,
    /// Whether a running server lets the simulator set it over HTTP (test/dev only).
    settable: bool,
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            None => f.write_str("Clock::System"),
            Some(c) if c.settable => write!(f, "Clock::Settable({})", self.now()),
            Some(_) => write!(f, "Clock::Fixed({})", self.now()),
        }
    }
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self(None)
    }

    /// A clock standing at `at` until it is set or advanced.
    pub fn fixed(at: Timestamp) -> Self {
        Self(Some(Arc::new(Fixed {
            ms: AtomicI64::new(at.as_millisecond()),
            settable: false,
        })))
    }

    /// A fixed clock the running server lets `slotline simulate` set over HTTP
    /// (`POST /api/test/clock`); only `--unsafe-test-clock` makes one (see docs/decisions.md).
    pub fn settable(at: Timestamp) -> Self {
        Self(Some(Arc::new(Fixed {
            ms: AtomicI64::new(at.as_millisecond()),
            settable: true,
        })))
    }

    /// Whether this is a [`Clock::settable`] clock (the server then mounts the test route).
    pub fn is_settable(&self) -> bool {
        self.0.as_ref().is_some_and(|c| c.settable)
    }

    /// Now.
    pub fn now(&self) -> Timestamp {
        match &self.0 {
            None => Timestamp::now(),
            Some(c) => Timestamp::from_millisecond(c.ms.load(Ordering::Acquire))
                .unwrap_or(Timestamp::UNIX_EPOCH),
        }
    }

    /// Now in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        self.now().as_millisecond()
    }

    /// Sets a fixed clock to `at` (every copy of it moves); the system clock ignores this.
    pub fn set(&self, at: Timestamp) {
        if let Some(c) = &self.0 {
            c.ms.store(at.as_millisecond(), Ordering::Release);
        }
    }

    /// Moves a fixed clock forward by `by`; the system clock ignores this.
    pub fn advance(&self, by: SignedDuration) {
        if let Some(c) = &self.0 {
            c.ms.fetch_add(by.as_millis() as i64, Ordering::AcqRel);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stands_still_until_moved_and_copies_move_together() {
        let at: Timestamp = "2027-03-28T00:59:00Z".parse().unwrap();
        let clock = Clock::fixed(at);
        let copy = clock.clone();
        assert_eq!(clock.now(), at);
        copy.advance(SignedDuration::from_mins(31));
        assert_eq!(clock.now().to_string(), "2027-03-28T01:30:00Z");
        clock.set("2027-12-31T23:00:00Z".parse().unwrap());
        assert_eq!(copy.now_ms(), clock.now_ms());
        assert!(
            !clock.is_settable(),
            "only --unsafe-test-clock makes a settable clock"
        );
    }

    #[test]
    fn a_settable_clock_says_so_and_moves_like_a_fixed_one() {
        let clock = Clock::settable("2027-03-01T08:00:00Z".parse().unwrap());
        assert!(clock.is_settable());
        assert!(!Clock::system().is_settable());
        clock.clone().set("2027-03-09T09:00:00Z".parse().unwrap());
        assert_eq!(clock.now().to_string(), "2027-03-09T09:00:00Z");
    }

    #[test]
    fn the_system_clock_follows_time() {
        let clock = Clock::system();
        let before = Timestamp::now();
        assert!(clock.now() >= before);
        clock.set(Timestamp::UNIX_EPOCH);
        assert!(clock.now() >= before, "set does not move the system clock");
    }
}
