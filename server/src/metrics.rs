//! Prometheus building blocks (a cumulative histogram) and per-method gateway statistics:
//! calls by method and outcome (`ok` or the error's code), latency histogram per method.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// A cumulative histogram over fixed upper bounds (milliseconds).
#[derive(Debug, Clone)]
pub struct Histogram {
    bounds: &'static [f64],
    buckets: Vec<u64>,
    count: u64,
    sum: f64,
}

impl Histogram {
    /// An empty histogram with these upper bounds.
    pub fn new(bounds: &'static [f64]) -> Self {
        Self {
            bounds,
            buckets: vec![0; bounds.len()],
            count: 0,
            sum: 0.0,
        }
    }

    /// Adds one observation.
    pub fn observe(&mut self, value: f64) {
        self.count += 1;
        self.sum += value;
        for (bucket, bound) in self.buckets.iter_mut().zip(self.bounds) {
            if value <= *bound {
                *bucket += 1;
            }
        }
    }

    /// Writes `<name>_bucket/_sum/_count` lines with the given label text (e.g. `method="x"`).
    pub fn render(&self, out: &mut String, name: &str, labels: &str) {
        for (bound, n) in self.bounds.iter().zip(&self.buckets) {
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{bound}\"}} {n}");
        }
        let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {}", self.count);
        let _ = writeln!(out, "{name}_sum{{{labels}}} {}", self.sum);
        let _ = writeln!(out, "{name}_count{{{labels}}} {}", self.count);
    }
}

/// Latency bounds of gateway methods (ms).
const METHOD_BOUNDS: &[f64] = &[
    1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0, 5000.0,
];

/// Counts by outcome and latency of one method.
struct MethodEntry {
    calls: BTreeMap<String, u64>,
    latency: Histogram,
}

/// Per-method call counts and latencies, shared by the gateway and the Retell function route.
/// Recording a known method and outcome allocates nothing.
#[derive(Default)]
pub struct MethodStats {
    inner: Mutex<BTreeMap<String, MethodEntry>>,
}

impl MethodStats {
    /// Records one call of `method` with its outcome (`ok` or an error code) and duration.
    pub fn record(&self, method: &str, outcome: &str, millis: f64) {
        let mut methods = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if !methods.contains_key(method) {
            methods.insert(
                method.to_owned(),
                MethodEntry {
                    calls: BTreeMap::new(),
                    latency: Histogram::new(METHOD_BOUNDS),
                },
            );
        }
        let Some(entry) = methods.get_mut(method) else {
            return;
        };
        match entry.calls.get_mut(outcome) {
            Some(n) => *n += 1,
            None => {
                entry.calls.insert(outcome.to_owned(), 1);
            }
        }
        entry.latency.observe(millis);
    }

    /// How many calls of a method ended with an outcome.
    pub fn count(&self, method: &str, outcome: &str) -> u64 {
        let methods = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        methods
            .get(method)
            .and_then(|e| e.calls.get(outcome))
            .copied()
            .unwrap_or(0)
    }

    /// Prometheus text of the method statistics.
    pub fn render_prometheus(&self, out: &mut String) {
        let methods = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        out.push_str("# HELP slotline_gateway_calls_total Gateway method and custom-function calls by outcome (ok or error code).\n");
        out.push_str("# TYPE slotline_gateway_calls_total counter\n");
        for (method, entry) in methods.iter() {
            for (outcome, n) in &entry.calls {
                let _ = writeln!(
                    out,
                    "slotline_gateway_calls_total{{method=\"{method}\",outcome=\"{outcome}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP slotline_gateway_latency_ms Time to answer a gateway method or custom function.\n");
        out.push_str("# TYPE slotline_gateway_latency_ms histogram\n");
        for (method, entry) in methods.iter() {
            entry.latency.render(
                out,
                "slotline_gateway_latency_ms",
                &format!("method=\"{method}\""),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_and_latency_render_as_prometheus() {
        let m = MethodStats::default();
        m.record("ping", "ok", 0.4);
        m.record("ping", "ok", 3.0);
        m.record("tenant.get", "-32001", 1.2);
        let mut out = String::new();
        m.render_prometheus(&mut out);
        assert!(out.contains("slotline_gateway_calls_total{method=\"ping\",outcome=\"ok\"} 2"));
        assert!(out
            .contains("slotline_gateway_calls_total{method=\"tenant.get\",outcome=\"-32001\"} 1"));
        assert!(out.contains("slotline_gateway_latency_ms_bucket{method=\"ping\",le=\"1\"} 1"));
        assert!(out.contains("slotline_gateway_latency_ms_bucket{method=\"ping\",le=\"5\"} 2"));
        assert!(out.contains("slotline_gateway_latency_ms_count{method=\"ping\"} 2"));
        assert_eq!(m.count("ping", "ok"), 2);
    }
}
