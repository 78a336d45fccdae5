//! Webhook activity counters: per tenant and event by outcome, receive→applied latency,
//! rejections by reason (never payloads), and the most recent errors.

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write;
use std::sync::Mutex;

/// Upper bounds (ms) of the latency histogram buckets.
const BUCKETS_MS: &[f64] = &[
    5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 5000.0, 30000.0,
];
/// How many recent errors are kept.
const RECENT_ERRORS: usize = 50;

/// One recent error, as the monitoring UI shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RecentError {
    /// When (ms).
    pub at_ms: i64,
    /// Tenant, if known.
    pub tenant_id: Option<i64>,
    /// Event name, if known.
    pub event: Option<String>,
    /// What went wrong (no payload, no phone numbers).
    pub message: String,
}

#[derive(Default)]
struct Inner {
    outcomes: BTreeMap<(i64, String, &'static str), u64>,
    rejections: BTreeMap<&'static str, u64>,
    latency: BTreeMap<String, crate::metrics::Histogram>,
    recent: VecDeque<RecentError>,
}

/// Thread-safe counters.
#[derive(Default)]
pub struct WebhookStats {
    inner: Mutex<Inner>,
}

impl WebhookStats {
    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    /// Counts an event outcome (`accepted`, `duplicate`, `applied`, `failed`).
    pub fn outcome(&self, tenant_id: i64, event: &str, outcome: &'static str) {
        self.with(|i| {
            *i.outcomes
                .entry((tenant_id, event.to_owned(), outcome))
                .or_default() += 1
        });
    }

    /// Counts a refused request by reason.
    pub fn rejection(&self, reason: &'static str) {
        self.with(|i| *i.rejections.entry(reason).or_default() += 1);
    }

    /// Records how long an event waited from receipt until it was applied.
    pub fn applied_after(&self, event: &str, ms: i64) {
        let ms = ms.max(0) as f64;
        self.with(|i| {
            i.latency
                .entry(event.to_owned())
                .or_insert_with(|| crate::metrics::Histogram::new(BUCKETS_MS))
                .observe(ms)
        });
    }

    /// Remembers an error for the monitoring page.
    pub fn error(&self, tenant_id: Option<i64>, event: Option<&str>, message: String) {
        self.with(|i| {
            if i.recent.len() == RECENT_ERRORS {
                i.recent.pop_front();
            }
            i.recent.push_back(RecentError {
                at_ms: crate::store::now_ms(),
                tenant_id,
                event: event.map(str::to_owned),
                message,
            });
        });
    }

    /// Count of one outcome (for tests and the UI).
    pub fn count(&self, tenant_id: i64, event: &str, outcome: &'static str) -> u64 {
        self.with(|i| {
            i.outcomes
                .get(&(tenant_id, event.to_owned(), outcome))
                .copied()
                .unwrap_or(0)
        })
    }

    /// Count of rejections for a reason.
    pub fn rejections(&self, reason: &str) -> u64 {
        self.with(|i| i.rejections.get(reason).copied().unwrap_or(0))
    }

    /// The most recent errors, newest last.
    pub fn recent_errors(&self) -> Vec<RecentError> {
        self.with(|i| i.recent.iter().cloned().collect())
    }

    /// Prometheus text exposition of every counter.
    pub fn render_prometheus(&self, out: &mut String) {
        self.with(|i| {
            out.push_str("# HELP slotline_webhook_events_total Retell webhook events by tenant, event and outcome.\n");
            out.push_str("# TYPE slotline_webhook_events_total counter\n");
            for ((tenant, event, outcome), n) in &i.outcomes {
                let _ = writeln!(out, "slotline_webhook_events_total{{tenant=\"{tenant}\",event=\"{event}\",outcome=\"{outcome}\"}} {n}");
            }
            out.push_str("# HELP slotline_webhook_rejections_total Refused webhook requests by reason.\n");
            out.push_str("# TYPE slotline_webhook_rejections_total counter\n");
            for (reason, n) in &i.rejections {
                let _ = writeln!(out, "slotline_webhook_rejections_total{{reason=\"{reason}\"}} {n}");
            }
            out.push_str("# HELP slotline_webhook_apply_latency_ms Time from receipt to application.\n");
            out.push_str("# TYPE slotline_webhook_apply_latency_ms histogram\n");
            for (event, l) in &i.latency {
                l.render(out, "slotline_webhook_apply_latency_ms", &format!("event=\"{event}\""));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_and_histogram_render_as_prometheus() {
        let s = WebhookStats::default();
        s.outcome(1, "call_ended", "accepted");
        s.outcome(1, "call_ended", "accepted");
        s.rejection("bad_signature");
        s.applied_after("call_ended", 7);
        let mut out = String::new();
        s.render_prometheus(&mut out);
        assert!(out.contains("slotline_webhook_events_total{tenant=\"1\",event=\"call_ended\",outcome=\"accepted\"} 2"));
        assert!(out.contains("slotline_webhook_rejections_total{reason=\"bad_signature\"} 1"));
        assert!(out
            .contains("slotline_webhook_apply_latency_ms_bucket{event=\"call_ended\",le=\"5\"} 0"));
        assert!(out.contains(
            "slotline_webhook_apply_latency_ms_bucket{event=\"call_ended\",le=\"10\"} 1"
        ));
    }

    #[test]
    fn recent_errors_are_capped() {
        let s = WebhookStats::default();
        for n in 0..(RECENT_ERRORS + 5) {
            s.error(Some(1), Some("call_ended"), format!("e{n}"));
        }
        let recent = s.recent_errors();
        assert_eq!(recent.len(), RECENT_ERRORS);
        assert_eq!(
            recent.last().unwrap().message,
            format!("e{}", RECENT_ERRORS + 4)
        );
    }
}
