//! Signed Retell webhooks with Retell-sized bodies (the recorded call_ended and call_analyzed,
//! ~12 KB, with distinct call ids): acknowledged per second (a 200 means committed) and the
//! time from sending until the worker applied each event.

use crate::load::{closed_loop, Answer, Req};
use crate::report::{Figure, Report};
use crate::seed;
use sqlx::Row;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CALLS: usize = 3_000;
const CLIENTS: usize = 32;
const FIXTURES: &str = "server/tests/fixtures/retell";
/// The call id of the recorded call, replaced by a distinct one per event pair.
const RECORDED_CALL: &str = "call_8d2f0c6e4b1a49e7a3c5d9f1";

fn ack_check(a: &Answer) -> Result<(), String> {
    if a.status != 200 {
        return Err(format!(
            "HTTP {}: {}",
            a.status,
            String::from_utf8_lossy(&a.body)
        ));
    }
    Ok(())
}

/// Every call's call_ended, then every call's call_analyzed: (call id, request).
fn events(root: &std::path::Path) -> Result<Vec<(String, &'static str, Req)>, String> {
    let read = |name: &str| {
        std::fs::read_to_string(root.join(FIXTURES).join(name)).map_err(|e| format!("{name}: {e}"))
    };
    let ended = read("webhook-call_ended.json")?;
    let analyzed = read("webhook-call_analyzed.json")?;
    let now = slotline::store::now_ms();
    let mut out = Vec::with_capacity(2 * CALLS);
    for (event, template) in [("call_ended", &ended), ("call_analyzed", &analyzed)] {
        for i in 0..CALLS {
            let call_id = format!("call_bench_{i:06}");
            let body = template.replace(RECORDED_CALL, &call_id);
            let sig = slotline::webhooks::signature::sign(body.as_bytes(), seed::API_KEY, now);
            let req = Req::post("/api/webhooks/retell", body).header("x-retell-signature", &sig);
            out.push((call_id, event, req));
        }
    }
    Ok(out)
}

/// Sends the events to `addr` (its database at `database_url`) and adds the figures.
pub async fn run(
    report: &mut Report,
    root: &std::path::Path,
    addr: SocketAddr,
    database_url: &str,
    label: &str,
    target: Option<f64>,
) {
    let name = format!("webhooks, {label}");
    let target_text = target.map_or("—".to_owned(), |t| format!("≥ {t:.0}/s acknowledged"));
    let events = match events(root) {
        Ok(e) => e,
        Err(e) => return report.unmeasured(&name, &target_text, &e),
    };
    let bytes = events.iter().map(|e| e.2.body.len()).sum::<usize>() / events.len();
    let reqs = Arc::new(events.iter().map(|e| e.2.clone()).collect::<Vec<_>>());
    let run = closed_loop(
        addr,
        CLIENTS,
        reqs,
        Vec::new(),
        ack_check,
        Duration::from_secs(120),
    )
    .await;
    let acked = run.rate();

    // Wait (bounded) until the worker applied everything, then read when each was applied.
    let store = match slotline::store::Store::connect(database_url).await {
        Ok(s) => s,
        Err(e) => return report.unmeasured(&name, &target_text, &e.to_string()),
    };
    let waited = Instant::now();
    let mut applied = Vec::new();
    while waited.elapsed() < Duration::from_secs(180) {
        let rows = sqlx::query(
            "SELECT call_id, event, applied_at FROM webhook_inbox WHERE status = 'applied'",
        )
        .fetch_all(store.pool())
        .await
        .unwrap_or_default();
        if rows.len() >= run.ok {
            applied = rows;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let applied_at: std::collections::HashMap<(String, String), i64> = applied
        .iter()
        .filter_map(|r| {
            Some((
                (r.try_get("call_id").ok()?, r.try_get("event").ok()?),
                r.try_get("applied_at").ok()?,
            ))
        })
        .collect();
    let mut to_applied: Vec<i64> = run
        .sent
        .iter()
        .filter_map(|(i, sent)| {
            let (call, event, _) = &events[*i];
            applied_at
                .get(&(call.clone(), (*event).to_owned()))
                .map(|at| at - sent)
        })
        .collect();
    to_applied.sort_unstable();
    store.close().await;
    let pct = |p: f64| {
        to_applied
            .get(((to_applied.len() as f64 * p) as usize).min(to_applied.len().saturating_sub(1)))
            .copied()
    };
    let all_applied = to_applied.len() == run.ok && run.ok == events.len();
    let mut note = crate::report::failures(std::iter::once(&run));
    if !all_applied {
        note = format!(
            "{} of {} acknowledged events applied within 180 s; {note}",
            to_applied.len(),
            run.ok
        );
    }
    report.add(Figure {
        name,
        value: format!(
            "{acked:.0}/s acknowledged ({} events of {bytes} B avg, ack p50 {:.1} ms, p99 {:.1} ms); sent → applied p50 {} ms, p99 {} ms",
            run.ok,
            run.ms(0.5),
            run.ms(0.99),
            pct(0.5).map_or("?".into(), |v| v.to_string()),
            pct(0.99).map_or("?".into(), |v| v.to_string()),
        ),
        target: target_text,
        pass: Some(all_applied && run.failed == 0 && target.is_none_or(|t| acked >= t)),
        note,
    });
}
