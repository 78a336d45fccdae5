//! Circuit breakers for the gateway's servers and its downstreams (database, Retell API).
//!
//! Closed: calls pass; `threshold` failures within `window` open the breaker. Open: calls are
//! refused at once until `reset` has passed. Half-open: one probe call passes; its success
//! closes the breaker, its failure opens it again. Every breaker also keeps its recent calls
//! (latency, errors, last error) for the health page, and counts its state changes.

use app::contract::{CircuitReport, CircuitState};
use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

mod sink;
pub use sink::{Transition, TransitionSink};

/// Name of the database's breaker (and `data.downstream` of database outages).
pub const DATABASE: &str = "database";

/// How many recent calls a breaker keeps for latency and error rate.
const RECENT_CALLS: usize = 200;

/// When a breaker opens and how long it stays open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerSettings {
    /// Failures within `window` that open the breaker (at least 1).
    pub threshold: u32,
    /// How far back failures count.
    pub window: Duration,
    /// How long an open breaker refuses calls before it lets a probe through.
    pub reset: Duration,
}

impl Default for BreakerSettings {
    fn default() -> Self {
        Self {
            threshold: 5,
            window: Duration::from_secs(30),
            reset: Duration::from_secs(15),
        }
    }
}

/// Metric and log names of the states.
fn label(state: CircuitState) -> &'static str {
    match state {
        CircuitState::Closed => "closed",
        CircuitState::Open => "open",
        CircuitState::HalfOpen => "half_open",
    }
}

/// The `slotline_circuit_state` gauge value of a state.
fn gauge(state: CircuitState) -> u8 {
    match state {
        CircuitState::Closed => 0,
        CircuitState::Open => 1,
        CircuitState::HalfOpen => 2,
    }
}

/// Permission to make one call; hand it back to [`Breaker::record`].
#[derive(Debug)]
#[must_use = "record the outcome of the call"]
pub struct Permit {
    started: Instant,
}

/// A refused call: the breaker is open (or a probe is already running).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    /// When a retry may pass.
    pub retry_after: Duration,
}

enum Phase {
    Closed { failures: VecDeque<Instant> },
    Open { until: Instant },
    HalfOpen { probe_started: Option<Instant> },
}

struct Call {
    at: Instant,
    millis: f64,
    failed: bool,
}

struct Inner {
    phase: Phase,
    recent: VecDeque<Call>,
    last_error: Option<(Instant, String)>,
    transitions: BTreeMap<&'static str, u64>,
}

/// One circuit breaker.
pub struct Breaker {
    name: String,
    settings: BreakerSettings,
    sink: Option<TransitionSink>,
    /// Mirror of the phase's state, so a closed breaker admits without taking the lock.
    state: AtomicU8,
    inner: Mutex<Inner>,
}

/// How far back the health page looks.
const RECENT_WINDOW: Duration = Duration::from_secs(300);

impl Breaker {
    /// A closed breaker.
    pub fn new(name: impl Into<String>, settings: BreakerSettings) -> Self {
        Self {
            name: name.into(),
            settings,
            sink: None,
            state: AtomicU8::new(gauge(CircuitState::Closed)),
            inner: Mutex::new(Inner {
                phase: Phase::Closed {
                    failures: VecDeque::new(),
                },
                recent: VecDeque::new(),
                last_error: None,
                transitions: BTreeMap::new(),
            }),
        }
    }

    /// The same breaker reporting its state changes to `sink`.
    pub fn with_sink(mut self, sink: Option<TransitionSink>) -> Self {
        self.sink = sink;
        self
    }

    /// The breaker's name (e.g. `database`).
    pub fn name(&self) -> &str {
        &self.name
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Asks to make a call now.
    pub fn admit(&self) -> Result<Permit, Refused> {
        self.admit_at(Instant::now())
    }

    /// Asks to make a call at `now`.
    pub fn admit_at(&self, now: Instant) -> Result<Permit, Refused> {
        if self.state.load(Ordering::Acquire) == gauge(CircuitState::Closed) {
            return Ok(Permit { started: now });
        }
        let mut inner = self.lock();
        match inner.phase {
            Phase::Closed { .. } => {}
            Phase::Open { until } if now < until => {
                return Err(Refused {
                    retry_after: until - now,
                })
            }
            Phase::Open { .. } => {
                self.change(
                    &mut inner,
                    Phase::HalfOpen {
                        probe_started: Some(now),
                    },
                );
            }
            Phase::HalfOpen { probe_started } => match probe_started {
                // A probe that never reported back (its caller went away) is replaced.
                Some(started) if now.duration_since(started) < self.settings.reset => {
                    return Err(Refused {
                        retry_after: self.settings.reset - now.duration_since(started),
                    })
                }
                _ => {
                    inner.phase = Phase::HalfOpen {
                        probe_started: Some(now),
                    }
                }
            },
        }
        Ok(Permit { started: now })
    }

    /// `Some` while the breaker is open and refusing. Takes no probe slot: a half-open
    /// breaker is not refusing, whoever is admitted next probes.
    pub fn refusing(&self) -> Option<Refused> {
        if self.state.load(Ordering::Acquire) == gauge(CircuitState::Closed) {
            return None;
        }
        let now = Instant::now();
        match self.lock().phase {
            Phase::Open { until } if now < until => Some(Refused {
                retry_after: until - now,
            }),
            _ => None,
        }
    }

    /// Counts a failure of a call made before admission (a lookup that had to happen first).
    pub fn note_failure(&self, reason: &str) {
        let now = Instant::now();
        self.record_at(Permit { started: now }, Err(reason), now);
    }

    /// Hands back a permit whose call was never made (a half-open probe slot frees up).
    pub fn release(&self, permit: Permit) {
        let mut inner = self.lock();
        if let Phase::HalfOpen { probe_started } = &mut inner.phase {
            if *probe_started == Some(permit.started) {
                *probe_started = None;
            }
        }
    }

    /// Records how the permitted call went; `Err` carries a short, secret-free reason.
    pub fn record(&self, permit: Permit, outcome: Result<(), &str>) {
        self.record_at(permit, outcome, Instant::now());
    }

    /// Records the outcome as of `now`.
    pub fn record_at(&self, permit: Permit, outcome: Result<(), &str>, now: Instant) {
        let mut inner = self.lock();
        let failed = outcome.is_err();
        if inner.recent.len() == RECENT_CALLS {
            inner.recent.pop_front();
        }
        inner.recent.push_back(Call {
            at: now,
            millis: now.duration_since(permit.started).as_secs_f64() * 1e3,
            failed,
        });
        if let Err(reason) = outcome {
            inner.last_error = Some((now, reason.to_owned()));
        }
        let settings = self.settings;
        let next = match &mut inner.phase {
            Phase::Closed { failures } => {
                if !failed {
                    return;
                }
                failures.push_back(now);
                while failures
                    .front()
                    .is_some_and(|t| now.duration_since(*t) > settings.window)
                {
                    failures.pop_front();
                }
                if failures.len() < settings.threshold.max(1) as usize {
                    return;
                }
                Phase::Open {
                    until: now + settings.reset,
                }
            }
            // A late answer from before the breaker opened changes nothing.
            Phase::Open { .. } => return,
            Phase::HalfOpen { .. } if failed => Phase::Open {
                until: now + settings.reset,
            },
            Phase::HalfOpen { .. } => Phase::Closed {
                failures: VecDeque::new(),
            },
        };
        self.change(&mut inner, next);
    }

    fn change(&self, inner: &mut Inner, next: Phase) {
        let from = state_of(&inner.phase);
        let to = state_of(&next);
        inner.phase = next;
        self.state.store(gauge(to), Ordering::Release);
        *inner.transitions.entry(label(to)).or_default() += 1;
        let reason = inner.last_error.as_ref().map(|(_, r)| r.as_str());
        if let Some(sink) = &self.sink {
            // Why it opened; a half-open or closing change has no reason of its own.
            sink.send(
                &self.name,
                from,
                to,
                (to == CircuitState::Open).then_some(reason).flatten(),
            );
        }
        match to {
            CircuitState::Open => tracing::warn!(
                circuit = %self.name, from = label(from), to = label(to), last_error = reason,
                "circuit breaker opened"
            ),
            _ => tracing::info!(
                circuit = %self.name, from = label(from), to = label(to),
                "circuit breaker changed state"
            ),
        }
    }

    /// The current state.
    pub fn state(&self) -> CircuitState {
        state_of(&self.lock().phase)
    }

    /// Health details of the recent calls.
    pub fn report(&self) -> CircuitReport {
        let now = Instant::now();
        let inner = self.lock();
        let recent: Vec<&Call> = inner
            .recent
            .iter()
            .filter(|c| now.duration_since(c.at) <= RECENT_WINDOW)
            .collect();
        let failed = recent.iter().filter(|c| c.failed).count();
        let mut millis: Vec<f64> = recent.iter().map(|c| c.millis).collect();
        millis.sort_by(f64::total_cmp);
        let pick = |q: f64| {
            (!millis.is_empty()).then(|| {
                let i = ((millis.len() - 1) as f64 * q).round() as usize;
                (millis[i] * 100.0).round() / 100.0
            })
        };
        CircuitReport {
            circuit: state_of(&inner.phase),
            recent_calls: recent.len(),
            error_rate: if recent.is_empty() {
                0.0
            } else {
                failed as f64 / recent.len() as f64
            },
            latency_p50_ms: pick(0.5),
            latency_p95_ms: pick(0.95),
            last_error: inner.last_error.as_ref().map(|(_, r)| r.clone()),
            last_error_age_secs: inner
                .last_error
                .as_ref()
                .map(|(t, _)| now.duration_since(*t).as_secs()),
            opened_total: inner.transitions.get("open").copied().unwrap_or(0),
        }
    }
}

fn state_of(phase: &Phase) -> CircuitState {
    match phase {
        Phase::Closed { .. } => CircuitState::Closed,
        Phase::Open { .. } => CircuitState::Open,
        Phase::HalfOpen { .. } => CircuitState::HalfOpen,
    }
}

/// Every breaker of the process, by name, created on first use with shared settings.
#[derive(Clone)]
pub struct Breakers {
    settings: BreakerSettings,
    sink: Option<TransitionSink>,
    all: Arc<Mutex<BTreeMap<String, Arc<Breaker>>>>,
}

impl Breakers {
    /// No breakers yet; each one gets `settings`.
    pub fn new(settings: BreakerSettings) -> Self {
        Self {
            settings,
            sink: None,
            all: Arc::default(),
        }
    }

    /// The same, every breaker reporting its state changes to `sink`.
    pub fn with_sink(settings: BreakerSettings, sink: TransitionSink) -> Self {
        Self {
            sink: Some(sink),
            ..Self::new(settings)
        }
    }

    /// The breaker called `name`.
    pub fn get(&self, name: &str) -> Arc<Breaker> {
        let mut all = self.all.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(b) = all.get(name) {
            return b.clone();
        }
        let b = Arc::new(Breaker::new(name, self.settings).with_sink(self.sink.clone()));
        all.insert(name.to_owned(), b.clone());
        b
    }

    /// All breakers, sorted by name.
    pub fn list(&self) -> Vec<Arc<Breaker>> {
        let all = self.all.lock().unwrap_or_else(|p| p.into_inner());
        all.values().cloned().collect()
    }

    /// Prometheus lines: state gauge and transitions per breaker.
    pub fn render(&self, out: &mut String) {
        out.push_str(
            "# HELP slotline_circuit_state Breaker state (0 closed, 1 open, 2 half-open).\n",
        );
        out.push_str("# TYPE slotline_circuit_state gauge\n");
        let list = self.list();
        for b in &list {
            let _ = writeln!(
                out,
                "slotline_circuit_state{{circuit=\"{}\"}} {}",
                b.name,
                gauge(b.state())
            );
        }
        out.push_str(
            "# HELP slotline_circuit_transitions_total Breaker state changes by new state.\n",
        );
        out.push_str("# TYPE slotline_circuit_transitions_total counter\n");
        for b in &list {
            let inner = b.lock();
            for (to, n) in &inner.transitions {
                let _ = writeln!(
                    out,
                    "slotline_circuit_transitions_total{{circuit=\"{}\",to=\"{to}\"}} {n}",
                    b.name
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTINGS: BreakerSettings = BreakerSettings {
        threshold: 3,
        window: Duration::from_secs(10),
        reset: Duration::from_secs(5),
    };

    /// A fake downstream: fails while `down` is set.
    fn call(b: &Breaker, down: bool, now: Instant) -> Result<(), Refused> {
        let permit = b.admit_at(now)?;
        b.record_at(permit, if down { Err("boom") } else { Ok(()) }, now);
        Ok(())
    }

    #[test]
    fn opens_after_threshold_refuses_then_probes_and_closes() {
        let b = Breaker::new("fake", SETTINGS);
        let t0 = Instant::now();
        for i in 0..3 {
            assert_eq!(b.state(), CircuitState::Closed, "after {i} failures");
            call(&b, true, t0 + Duration::from_secs(i)).unwrap();
        }
        assert_eq!(b.state(), CircuitState::Open);
        let refused = call(&b, false, t0 + Duration::from_secs(4)).unwrap_err();
        assert_eq!(refused.retry_after, Duration::from_secs(3));
        // After the reset timeout one probe passes; a second caller meanwhile is refused.
        let probe = b.admit_at(t0 + Duration::from_secs(8)).unwrap();
        assert_eq!(b.state(), CircuitState::HalfOpen);
        assert!(b.admit_at(t0 + Duration::from_secs(8)).is_err());
        b.record_at(probe, Ok(()), t0 + Duration::from_secs(8));
        assert_eq!(b.state(), CircuitState::Closed);
        assert_eq!(b.report().opened_total, 1);
        assert_eq!(b.report().last_error.as_deref(), Some("boom"));
    }

    #[test]
    fn a_failed_probe_opens_again() {
        let b = Breaker::new("fake", SETTINGS);
        let t0 = Instant::now();
        for _ in 0..3 {
            call(&b, true, t0).unwrap();
        }
        call(&b, true, t0 + Duration::from_secs(5)).unwrap();
        assert_eq!(b.state(), CircuitState::Open);
        let refused = b.admit_at(t0 + Duration::from_secs(6)).unwrap_err();
        assert_eq!(refused.retry_after, Duration::from_secs(4));
        assert_eq!(b.report().opened_total, 2);
    }

    #[test]
    fn failures_outside_the_window_do_not_count() {
        let b = Breaker::new("fake", SETTINGS);
        let t0 = Instant::now();
        call(&b, true, t0).unwrap();
        call(&b, true, t0 + Duration::from_secs(6)).unwrap();
        call(&b, false, t0 + Duration::from_secs(7)).unwrap();
        call(&b, true, t0 + Duration::from_secs(12)).unwrap();
        assert_eq!(
            b.state(),
            CircuitState::Closed,
            "the first failure fell out"
        );
        call(&b, true, t0 + Duration::from_secs(13)).unwrap();
        assert_eq!(b.state(), CircuitState::Open);
    }

    #[test]
    fn a_lost_probe_is_replaced_after_the_reset_timeout() {
        let b = Breaker::new("fake", SETTINGS);
        let t0 = Instant::now();
        for _ in 0..3 {
            call(&b, true, t0).unwrap();
        }
        let lost = b.admit_at(t0 + Duration::from_secs(5)).unwrap();
        drop(lost);
        assert!(b.admit_at(t0 + Duration::from_secs(9)).is_err());
        // A probe handed back unused frees the slot at once.
        let unused = b.admit_at(t0 + Duration::from_secs(10)).unwrap();
        b.release(unused);
        let probe = b.admit_at(t0 + Duration::from_secs(10)).unwrap();
        b.record_at(probe, Ok(()), t0 + Duration::from_secs(10));
        assert_eq!(b.state(), CircuitState::Closed);
    }

    #[tokio::test]
    async fn state_changes_reach_the_sink() {
        let clock = crate::clock::Clock::fixed("2027-03-09T09:00:00Z".parse().unwrap());
        let (sink, mut rx) = TransitionSink::channel(clock, 8);
        let breakers = Breakers::with_sink(SETTINGS, sink);
        let b = breakers.get("database");
        let t0 = Instant::now();
        for _ in 0..3 {
            call(&b, true, t0).unwrap();
        }
        let probe = b.admit_at(t0 + Duration::from_secs(5)).unwrap();
        b.record_at(probe, Ok(()), t0 + Duration::from_secs(5));
        let mut seen = Vec::new();
        while let Ok(t) = rx.try_recv() {
            seen.push((t.from, t.to, t.reason));
        }
        assert_eq!(
            seen,
            [
                ("closed", "open", Some("boom".to_owned())),
                ("open", "half_open", None),
                ("half_open", "closed", None),
            ]
        );
    }

    #[test]
    fn metrics_show_state_and_transitions() {
        let breakers = Breakers::new(SETTINGS);
        let b = breakers.get("database");
        for _ in 0..3 {
            call(&b, true, Instant::now()).unwrap();
        }
        let mut out = String::new();
        breakers.render(&mut out);
        assert!(
            out.contains("slotline_circuit_state{circuit=\"database\"} 1"),
            "{out}"
        );
        assert!(
            out.contains("slotline_circuit_transitions_total{circuit=\"database\",to=\"open\"} 1")
        );
        assert!(Arc::ptr_eq(&b, &breakers.get("database")));
    }
}
