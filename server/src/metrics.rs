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

#[derive(Default)]
struct Inner {
    calls: BTreeMap<(String, String), u64>,
    latency: BTreeMap<String, Histogram>,
}

/// Per-method call counts and latencies, shared by the gateway and the Retell function route.
#[derive(Default)]
pub struct MethodStats {
    inner: Mutex<Inner>,
}

impl MethodStats {
    /// Records one call of `method` with its outcome (`ok` or an error code) and duration.
    pub fn record(&self, method: &str, outcome: &str, millis: f64) {
        let mut i = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        *i.calls
            .entry((method.to_owned(), outcome.to_owned()))
            .or_default() += 1;
        i.latency
            .entry(method.to_owned())
            .or_insert_with(|| Histogram::new(METHOD_BOUNDS))
            .observe(millis);
    }

    /// How many calls of a method ended with an outcome.
    pub fn count(&self, method: &str, outcome: &str) -> u64 {
        let i = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        i.calls
            .get(&(method.to_owned(), outcome.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// Prometheus text of the method statistics.
    pub fn render_prometheus(&self, out: &mut String) {
        let i = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        out.push_str("# HELP slotline_gateway_calls_total Gateway method and custom-function calls by outcome (ok or error code).\n");
        out.push_str("# TYPE slotline_gateway_calls_total counter\n");
        for ((method, outcome), n) in &i.calls {
            let _ = writeln!(
                out,
                "slotline_gateway_calls_total{{method=\"{method}\",outcome=\"{outcome}\"}} {n}"
            );
        }
        out.push_str("# HELP slotline_gateway_latency_ms Time to answer a gateway method or custom function.\n");
        out.push_str("# TYPE slotline_gateway_latency_ms histogram\n");
        for (method, h) in &i.latency {
            h.render(
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
