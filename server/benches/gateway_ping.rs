//! `make bench`: throughput of the gateway's `ping` method over HTTP beside a bare axum
//! handler that returns the same JSON-RPC body, measured in the same run with the same
//! clients (64 concurrent keep-alive connections), so the ratio shows what the gateway's
//! parsing, registry, access checks, limits and metrics cost.

mod support;

use axum::routing::post;
use std::time::{Duration, Instant};

const REQUESTS: usize = 40_000;
const CONCURRENCY: usize = 64;
const BODY: &str = r#"{"jsonrpc":"2.0","method":"ping","id":1}"#;

#[tokio::main]
async fn main() {
    run().await;
}

async fn bare() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({"jsonrpc": "2.0", "result": {"pong": true}, "id": 1}))
}

async fn run() {
    let bench = support::bench_app("key_ping").await;
    let gateway_url = format!("{}/api/mcp/gateway", bench.base);
    tokio::spawn(bench.app.serve(std::future::pending()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let bare_url = format!("http://{}/", listener.local_addr().unwrap());
    let router = axum::Router::new().route("/", post(bare));
    tokio::spawn(async move { axum::serve(listener, router).await });

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .unwrap();
    // Warm both up, then alternate so neither profits from a quieter machine.
    drive(&client, &bare_url, 2_000).await;
    drive(&client, &gateway_url, 2_000).await;
    let mut bare_rates = Vec::new();
    let mut gateway_rates = Vec::new();
    for _ in 0..2 {
        bare_rates.push(drive(&client, &bare_url, REQUESTS / 2).await);
        gateway_rates.push(drive(&client, &gateway_url, REQUESTS / 2).await);
    }
    let bare_rate: f64 = bare_rates.iter().sum::<f64>() / bare_rates.len() as f64;
    let gateway_rate: f64 = gateway_rates.iter().sum::<f64>() / gateway_rates.len() as f64;
    println!(
        "gateway ping: {gateway_rate:.0} req/s; bare axum handler: {bare_rate:.0} req/s; ratio {:.2} (target ≥ 0.70; {CONCURRENCY} clients, HTTP/1.1 keep-alive)",
        gateway_rate / bare_rate
    );
}

/// Sends `n` pings with CONCURRENCY clients; returns requests per second.
async fn drive(client: &reqwest::Client, url: &str, n: usize) -> f64 {
    let left = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(n));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, url, left) = (client.clone(), url.to_owned(), left.clone());
        workers.push(tokio::spawn(async move {
            while left
                .fetch_update(
                    std::sync::atomic::Ordering::Relaxed,
                    std::sync::atomic::Ordering::Relaxed,
                    |v| v.checked_sub(1),
                )
                .is_ok()
            {
                let res = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(BODY)
                    .send()
                    .await
                    .expect("request");
                assert_eq!(res.status(), 200);
                let v: serde_json::Value = res.json().await.expect("JSON");
                assert_eq!(v["result"]["pong"], true, "{v}");
            }
        }));
    }
    for w in workers {
        w.await.unwrap();
    }
    n as f64
        / started
            .elapsed()
            .max(Duration::from_micros(1))
            .as_secs_f64()
}
