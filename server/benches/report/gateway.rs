//! Gateway JSON-RPC `ping`, anonymous and with an API token, beside a bare axum handler that
//! returns the same JSON: same client, same run, alternating rounds.

use crate::load::{closed_loop, Answer, Req, Run};
use crate::report::{Figure, Report};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Clients (keep-alive connections) of the throughput runs.
pub const CLIENTS: usize = 32;
pub const PER_ROUND: usize = 40_000;
pub const ROUNDS: usize = 7;
const PING: &str = r#"{"jsonrpc":"2.0","method":"ping","id":1}"#;

/// The bare handler's reply: what the gateway answers to `ping`.
pub fn pong() -> serde_json::Value {
    serde_json::json!({"jsonrpc": "2.0", "result": {"pong": true}, "id": 1})
}

fn pong_check(a: &Answer) -> Result<(), String> {
    if a.status != 200 {
        return Err(format!(
            "HTTP {}: {}",
            a.status,
            String::from_utf8_lossy(&a.body)
        ));
    }
    let v: serde_json::Value =
        serde_json::from_slice(&a.body).map_err(|e| format!("not JSON: {e}"))?;
    if v["result"]["pong"] != true {
        return Err(format!("no pong: {v}"));
    }
    Ok(())
}

/// `n` pings to `path` (with a bearer token if given) from CLIENTS keep-alive clients.
async fn pings(
    addr: SocketAddr,
    path: &str,
    token: Option<&str>,
    n: usize,
    limit: Duration,
) -> Run {
    let mut req = Req::post(path, PING);
    if let Some(token) = token {
        req = req.header("authorization", &format!("Bearer {token}"));
    }
    closed_loop(
        addr,
        CLIENTS,
        Arc::new(vec![req; n]),
        Vec::new(),
        pong_check,
        limit,
    )
    .await
}

async fn rounds(addr: SocketAddr, path: &str, token: Option<&str>) -> Run {
    pings(addr, path, token, PER_ROUND, Duration::from_secs(60)).await
}

/// The median over rounds of a round's rate against the bare handler's rate in the same
/// round: a slow stretch of the shared machine that lowers both rounds of a pair cancels out,
/// where a ratio of two medians taken from different minutes would carry it.
fn paired_ratio(runs: &[Run], bare: &[Run]) -> f64 {
    crate::report::median(
        runs.iter()
            .zip(bare)
            .map(|(run, bare)| run.rate() / bare.rate().max(1e-9))
            .collect(),
    )
}

/// Measures and adds the figures.
pub async fn run(report: &mut Report, slotline: SocketAddr, bare: SocketAddr, token: &str) {
    // Warm-up of all three (connections, allocator, the token's first lookup).
    for (addr, path, token) in [
        (bare, "/", None),
        (slotline, "/api/mcp/gateway", None),
        (slotline, "/api/mcp/gateway", Some(token)),
    ] {
        pings(addr, path, token, 2_000, Duration::from_secs(30)).await;
    }
    let (mut bare_runs, mut anon_runs, mut auth_runs) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        bare_runs.push(rounds(bare, "/", None).await);
        anon_runs.push(rounds(slotline, "/api/mcp/gateway", None).await);
        auth_runs.push(rounds(slotline, "/api/mcp/gateway", Some(token)).await);
    }
    let bare = crate::report::median_rate(&bare_runs);
    let anon = crate::report::median_rate(&anon_runs);
    let auth = crate::report::median_rate(&auth_runs);
    let anon_ratio = paired_ratio(&anon_runs, &bare_runs);
    let auth_ratio = paired_ratio(&auth_runs, &bare_runs);
    let failures = crate::report::failures(bare_runs.iter().chain(&anon_runs).chain(&auth_runs));
    report.add(Figure {
        name: "bare axum handler, same JSON (baseline)".into(),
        value: format!("{bare:.0} req/s"),
        target: "baseline".into(),
        pass: None,
        note: failures.clone(),
    });
    report.add(Figure {
        name: "gateway `ping`, no credentials".into(),
        value: format!("{anon:.0} req/s, {anon_ratio:.2} × bare"),
        target: "≥ 0.70 × bare".into(),
        pass: Some(anon_ratio >= 0.70 && failures.is_empty()),
        note: String::new(),
    });
    report.add(Figure {
        name: "gateway `ping`, `Authorization: Bearer` API token".into(),
        value: format!("{auth:.0} req/s, {auth_ratio:.2} × bare"),
        target: "≥ 0.70 × bare".into(),
        pass: Some(auth_ratio >= 0.70 && failures.is_empty()),
        note: String::new(),
    });
}

/// The bare comparison server: axum answering every POST / with the same JSON, with
/// TCP_NODELAY like slotline.
pub async fn serve_bare(addr: SocketAddr) {
    let body = pong();
    let router = axum::Router::new().route(
        "/",
        axum::routing::post(move || {
            let body = body.clone();
            async move { axum::Json(body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .expect("bind the bare server");
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, router).await.expect("serve");
}
