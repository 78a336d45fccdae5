//! Crash safety of the webhook inbox: the real binary is killed with SIGKILL while thousands
//! of signed events (each sent twice, as Retell retries) stream in; after a restart every
//! acknowledged event is applied exactly once. On SQLite, and on PostgreSQL when
//! `SLOTLINE_TEST_POSTGRES_URL` is set (`make test` does both).

mod common;

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const KEY: &str = "key_crash_test";
const AGENT: &str = "agent_3f9c2a7b1d4e5f60718293a4";
const CALLS: usize = 1000;
const EVENTS: [&str; 3] = ["call_started", "call_ended", "call_analyzed"];

fn slotline(dir: &std::path::Path, db: &str, port: u16) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slotline"));
    cmd.env_clear()
        .env("SLOTLINE_DATA_DIR", dir)
        .env("SLOTLINE_DATABASE_URL", db)
        .env("SLOTLINE_LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "error")
        // Retell's whole retry storm comes from this one address.
        .env("SLOTLINE_LIMIT_RETELL_IP_PER_MIN", "1000000")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

async fn start(dir: &std::path::Path, db: &str, port: u16, client: &reqwest::Client) -> Child {
    let mut child = slotline(dir, db, port).arg("serve").spawn().unwrap();
    for _ in 0..200 {
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
        {
            if r.status() == 200 {
                return child;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("server did not become ready");
}

fn body(call: usize, event: &str) -> String {
    serde_json::json!({
        "event": event,
        "call": {
            "call_id": format!("crash_{call:05}"),
            "agent_id": AGENT,
            "from_number": "+4915112345678",
            "to_number": "+493012345670",
            "call_status": if event == "call_started" { "ongoing" } else { "ended" },
            "duration_ms": 1000,
            "call_analysis": { "call_summary": "ok" }
        }
    })
    .to_string()
}

/// Sends every (call, event) twice with up to 32 in flight; returns the acknowledged ones.
async fn send_all(
    client: &reqwest::Client,
    port: u16,
    items: Vec<(usize, &'static str)>,
    kill_after: Option<(usize, Arc<Mutex<Child>>)>,
) -> HashSet<(usize, &'static str)> {
    let acked = Arc::new(Mutex::new(HashSet::new()));
    let sent = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let sem = Arc::new(tokio::sync::Semaphore::new(32));
    let mut tasks = Vec::new();
    for (call, event) in items {
        for _retry in 0..2 {
            let permit = sem.clone().acquire_owned().await.unwrap();
            let (client, acked, sent, kill_after) = (
                client.clone(),
                acked.clone(),
                sent.clone(),
                kill_after.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let b = body(call, event);
                let sig = slotline::webhooks::signature::sign(
                    b.as_bytes(),
                    KEY,
                    slotline::store::now_ms(),
                );
                let res = client
                    .post(format!("http://127.0.0.1:{port}/api/webhooks/retell"))
                    .header("content-type", "application/json")
                    .header("x-retell-signature", sig)
                    .body(b)
                    .send()
                    .await;
                if matches!(&res, Ok(r) if r.status() == 200) {
                    acked.lock().unwrap().insert((call, event));
                }
                let n = sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                if let Some((at, child)) = kill_after {
                    if n == at {
                        let _ = child.lock().unwrap().kill(); // SIGKILL
                    }
                }
                drop(permit);
            }));
        }
    }
    for t in tasks {
        let _ = t.await;
    }
    let out = acked.lock().unwrap().clone();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_stream_loses_no_acknowledged_event_and_applies_none_twice() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let db = common::fresh_database_url(dir.path()).await;
    let demo = slotline(dir.path(), &db, port)
        .args(["demo", "--retell-api-key", KEY])
        .status()
        .unwrap();
    assert!(demo.success());
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    let all: Vec<(usize, &'static str)> = (0..CALLS)
        .flat_map(|c| EVENTS.iter().map(move |e| (c, *e)))
        .collect();
    let child = Arc::new(Mutex::new(start(dir.path(), &db, port, &client).await));
    let before = send_all(&client, port, all.clone(), Some((all.len(), child.clone()))).await;
    let _ = child.lock().unwrap().wait();
    assert!(
        !before.is_empty() && before.len() < all.len(),
        "the kill must land mid-stream ({} acked)",
        before.len()
    );

    // Before anything is retried: every acknowledged event must already be in the inbox.
    let store = slotline::store::Store::connect(&db).await.unwrap();
    use sqlx::Row;
    let stored: HashSet<(String, String)> = sqlx::query("SELECT call_id, event FROM webhook_inbox")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.try_get("call_id").unwrap(), r.try_get("event").unwrap()))
        .collect();
    let lost = before
        .iter()
        .filter(|(c, e)| !stored.contains(&(format!("crash_{c:05}"), e.to_string())))
        .count();

    // Restart; Retell retries everything (including what was already acknowledged).
    let mut child = start(dir.path(), &db, port, &client).await;
    let after = send_all(&client, port, all.clone(), None).await;
    assert_eq!(
        after.len(),
        all.len(),
        "after the restart every event is acknowledged"
    );
    for _ in 0..400 {
        if store.pending_inbox_events(1).await.unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let count = |sql: &'static str| {
        let store = store.clone();
        async move {
            let n: i64 = sqlx::query(sql)
                .fetch_one(store.pool())
                .await
                .unwrap()
                .try_get("n")
                .unwrap();
            n
        }
    };
    let applied = count("SELECT COUNT(*) AS n FROM webhook_inbox WHERE status = 'applied'").await;
    let total = count("SELECT COUNT(*) AS n FROM webhook_inbox").await;
    let applications =
        count("SELECT CAST(COALESCE(SUM(events_applied), 0) AS BIGINT) AS n FROM calls").await;
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "kill -9 test: {} events × 2 sends, {} acknowledged before SIGKILL, {} stored, {} applied, {} applications, lost {}, applied twice {}",
        all.len(), before.len(), total, applied, applications, lost, applications - applied
    );
    assert_eq!(lost, 0, "acknowledged events missing after SIGKILL");
    assert_eq!(total, all.len() as i64, "one inbox row per (call, event)");
    assert_eq!(
        applied,
        all.len() as i64,
        "every acknowledged event applied"
    );
    assert_eq!(applications, applied, "no event applied twice");
}
