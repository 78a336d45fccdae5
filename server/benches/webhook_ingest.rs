//! `make bench`: signed Retell webhooks ingested per second with ack-after-commit on SQLite.
//! The real application runs in-process on a fresh SQLite file; 64 concurrent clients post
//! pre-signed, distinct events; every 200 means the event was committed.

use std::time::{Duration, Instant};

const KEY: &str = "key_bench";
const EVENTS: usize = 20_000;
const CONCURRENCY: usize = 64;

mod support;

#[tokio::main]
async fn main() {
    run().await;
}

async fn run() {
    let support::Bench {
        app,
        base,
        store,
        _dir,
        ..
    } = support::bench_app(KEY).await;
    tokio::spawn(app.serve(std::future::pending()));

    let now = slotline::store::now_ms();
    let requests: Vec<(String, String)> = (0..EVENTS)
        .map(|i| {
            let event = ["call_started", "call_ended", "call_analyzed"][i % 3];
            let body = format!(
                "{{\"event\":\"{event}\",\"call\":{{\"call_id\":\"bench_{:06}\",\"agent_id\":\"agent_bench\",\"to_number\":\"+493012345670\",\"from_number\":\"+4915112345678\",\"call_status\":\"ended\",\"duration_ms\":1000}}}}",
                i / 3
            );
            let sig = slotline::webhooks::signature::sign(body.as_bytes(), KEY, now);
            (body, sig)
        })
        .collect();

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .unwrap();
    let url = format!("{base}/api/webhooks/retell");
    let queue = std::sync::Arc::new(std::sync::Mutex::new(requests));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, url, queue) = (client.clone(), url.clone(), queue.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let next = queue.lock().unwrap().pop();
                let Some((body, sig)) = next else { break };
                let t = Instant::now();
                let res = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("x-retell-signature", sig)
                    .body(body)
                    .send()
                    .await
                    .expect("request");
                assert_eq!(res.status(), 200, "every event must be acknowledged");
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for w in workers {
        latencies.extend(w.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let rate = EVENTS as f64 / elapsed.as_secs_f64();
    println!(
        "webhook ingest (SQLite, ack after commit, {CONCURRENCY} clients): {EVENTS} events in {:.2}s = {rate:.0} events/s; ack latency p50 {:.2} ms, p99 {:.2} ms (target ≥ 2000/s)",
        elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
    );
    use sqlx::Row;
    let stored: i64 = sqlx::query("SELECT COUNT(*) AS n FROM webhook_inbox")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert_eq!(
        stored as usize, EVENTS,
        "every acknowledged event is stored"
    );
}
