//! Retell custom functions under load: check_availability at a fixed rate (open loop) on the
//! scaled salon, and collect_appointment on distinct slots (closed loop).

use crate::load::{closed_loop, open_loop, Answer, Conn, Req, Run};
use crate::report::{Figure, Report};
use crate::seed::{self, Seeded};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

const RATE: u64 = 500;
const SECONDS: u64 = 10;
const COLLECTS: usize = 3_000;
const COLLECT_CLIENTS: usize = 16;

fn success_check(a: &Answer) -> Result<(), String> {
    let text = String::from_utf8_lossy(&a.body);
    if a.status != 200 || !text.contains("\"success\":true") {
        return Err(format!(
            "HTTP {}: {}",
            a.status,
            text.chars().take(300).collect::<String>()
        ));
    }
    Ok(())
}

fn signed(function: &str, body: String, signature: String) -> Req {
    Req::post(
        &format!("/api/mcp/gateway/retell/functions/{function}"),
        body,
    )
    .header("x-retell-signature", &signature)
}

/// A deterministic pseudo-random sequence (the same questions every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn availability_requests(seeded: &Seeded, n: usize) -> Vec<Req> {
    let mut rng = Lcg(0x5eed);
    let times = [
        "09:00",
        "10:30",
        "halb drei",
        "15:15",
        "nachmittags",
        "17:00",
        "vormittags",
        "",
    ];
    (0..n)
        .map(|i| {
            let service = seeded.services[rng.below(seeded.services.len() as u64) as usize];
            let offset = 1 + rng.below(seed::DAYS as u64 - 2) as i64;
            let day = seeded
                .today
                .checked_add(jiff::Span::new().days(offset))
                .unwrap_or(seeded.today);
            let mut args = serde_json::json!({
                "service": service,
                "date": day.strftime("%Y-%m-%d").to_string(),
                "time": times[rng.below(times.len() as u64) as usize],
            });
            if rng.below(4) == 0 {
                args["staff"] = seed::staff_name(rng.below(seed::STAFF as u64) as usize).into();
            }
            let from = format!("+49151{:08}", 12_000_000 + i);
            let (body, sig) =
                seed::function_call("check_availability", &format!("bench_{i}"), &from, args);
            signed("check_availability", body, sig)
        })
        .collect()
}

/// check_availability: unloaded latency, then a fixed rate with latency from each request's
/// scheduled send time; the run fails when it could not keep the rate.
pub async fn availability(report: &mut Report, addr: SocketAddr, seeded: &Seeded) {
    let total = (RATE * SECONDS) as usize;
    let warm = availability_requests(seeded, 300);
    let mut conn = match Conn::open(addr).await {
        Ok(c) => c,
        Err(e) => return report.unmeasured("check_availability", "p99 ≤ 5 ms", &e),
    };
    let mut single = Run::default();
    for req in &warm {
        let t = std::time::Instant::now();
        match conn
            .send(req)
            .await
            .map_err(|e| e.to_string())
            .and_then(|a| success_check(&a))
        {
            Ok(()) => single.latencies.push(t.elapsed()),
            Err(e) => return report.unmeasured("check_availability", "p99 ≤ 5 ms", &e),
        }
    }
    single.latencies.sort();
    report.add(Figure {
        name: "check_availability, one request at a time".into(),
        value: format!(
            "p50 {:.2} ms, p99 {:.2} ms",
            single.ms(0.5),
            single.ms(0.99)
        ),
        target: "—".into(),
        pass: None,
        note: String::new(),
    });
    let reqs = Arc::new(availability_requests(seeded, total));
    let run = open_loop(
        addr,
        RATE,
        reqs,
        success_check,
        Duration::from_secs(SECONDS + 5),
    )
    .await;
    let achieved = run.ok as f64 / run.elapsed.as_secs_f64();
    let kept_rate = run.planned == total
        && achieved >= 0.98 * RATE as f64
        && run.send_lag < Duration::from_millis(50);
    let mut note = crate::report::failures(std::iter::once(&run));
    if !kept_rate {
        note = format!("FELL BEHIND: the generator could not keep {RATE} req/s; {note}");
    }
    report.add(Figure {
        name: format!("check_availability at {RATE} req/s for {SECONDS} s (open loop)"),
        value: format!(
            "p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; achieved {achieved:.0} req/s, {} of {total} answered",
            run.ms(0.5),
            run.ms(0.99),
            run.max_ms(),
            run.ok
        ),
        target: "p99 ≤ 5 ms at ≥ 490 req/s".into(),
        pass: Some(kept_rate && run.failed == 0 && run.ms(0.99) <= 5.0),
        note,
    });
}

/// collect_appointment on distinct free slots (Herrenhaarschnitt, staff × day × hour).
pub async fn collect(report: &mut Report, addr: SocketAddr, seeded: &Seeded, engine: &str) {
    let mut reqs = Vec::with_capacity(COLLECTS);
    let mut offset = 2;
    'days: while offset < seed::DAYS - 1 {
        let day = seeded
            .today
            .checked_add(jiff::Span::new().days(offset))
            .unwrap_or(seeded.today);
        offset += 1;
        if !seed::works(day) {
            continue;
        }
        for hour in [
            "09:00", "10:00", "11:00", "12:00", "14:00", "15:00", "16:00", "17:00",
        ] {
            for staff in 0..seed::STAFF {
                let i = reqs.len();
                if i == COLLECTS {
                    break 'days;
                }
                let args = serde_json::json!({
                    "customer_name": format!("Kunde {i}"),
                    "service": "Herrenhaarschnitt",
                    "staff": seed::staff_name(staff),
                    "date": day.strftime("%Y-%m-%d").to_string(),
                    "time": hour,
                });
                let from = format!("+49152{:08}", 20_000_000 + i);
                let (body, sig) = seed::function_call(
                    "collect_appointment",
                    &format!("bench_collect_{i}"),
                    &from,
                    args,
                );
                reqs.push(signed("collect_appointment", body, sig));
            }
        }
    }
    let n = reqs.len();
    let run = closed_loop(
        addr,
        COLLECT_CLIENTS,
        Arc::new(reqs),
        Vec::new(),
        success_check,
        Duration::from_secs(120),
    )
    .await;
    report.add(Figure {
        name: format!("collect_appointment, distinct slots, {engine}"),
        value: format!(
            "{:.0} holds/s ({} of {n}), p50 {:.2} ms, p99 {:.2} ms",
            run.rate(),
            run.ok,
            run.ms(0.5),
            run.ms(0.99)
        ),
        target: "every slot held once".into(),
        pass: Some(run.ok == n && run.failed == 0),
        note: crate::report::failures(std::iter::once(&run)),
    });
}
