//! Faults: the database goes away for 20 seconds while Retell keeps calling. Requests fail
//! fast with a clear answer, nothing is acknowledged that was not stored, the database breaker
//! shows it, and everything recovers once the database is back. The outage is a TCP proxy in
//! front of PostgreSQL that cuts every connection and refuses new ones, which is what the
//! server sees when the database host stops; it runs where `make test` provides PostgreSQL.
//! (Retell's API failing or hanging is covered in breakers.rs and retell_config.rs.)

mod common;

use common::salon::{post, salon, AGENT, CALLER, KEY};
use common::{sign_now, webhook_body};
use serde_json::{json, Value};
use sqlx::Row;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A TCP proxy that can cut the line: while down, open connections are closed and new ones
/// are refused.
struct Cable {
    port: u16,
    down: Arc<AtomicBool>,
    cut: watch::Sender<u64>,
}

impl Cable {
    async fn to(upstream: String) -> Cable {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let down = Arc::new(AtomicBool::new(false));
        let (cut, _) = watch::channel(0u64);
        let (flag, cuts) = (down.clone(), cut.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if flag.load(Ordering::SeqCst) {
                    continue; // dropped: the connection is refused
                }
                let upstream = upstream.clone();
                let mut cut = cuts.subscribe();
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        });
        Cable { port, down, cut }
    }

    fn unplug(&self) {
        self.down.store(true, Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }

    fn plug(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}

/// What one request got and how long it took.
struct Answer {
    status: u16,
    took: Duration,
}

async fn webhook(app: &common::TestApp, call_id: &str) -> Answer {
    let body = webhook_body("call_started", call_id, AGENT, json!({}));
    let started = Instant::now();
    let status = app
        .client
        .post(format!("{}/api/webhooks/retell", app.base))
        .header("content-type", "application/json")
        .header("x-retell-signature", sign_now(&body, KEY))
        .body(body)
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0);
    Answer {
        status,
        took: started.elapsed(),
    }
}

async fn availability(app: &common::TestApp) -> (Answer, Value) {
    let body = json!({
        "name": "check_availability",
        "call": {"call_id": "outage_call", "agent_id": AGENT, "call_type": "phone_call",
                 "direction": "inbound", "from_number": CALLER, "to_number": "+493012345670",
                 "call_status": "ongoing", "start_timestamp": 1_804_582_800_000i64},
        "args": {"service": "Herrenhaarschnitt", "date": "2027-03-10"},
    })
    .to_string();
    let started = Instant::now();
    let (status, reply) = post(app, "check_availability", &body, Some(sign_now(&body, KEY))).await;
    (
        Answer {
            status,
            took: started.elapsed(),
        },
        reply,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_outage_of_20_seconds_fails_fast_loses_nothing_and_recovers() {
    let Ok(base) = std::env::var("SLOTLINE_TEST_POSTGRES_URL") else {
        eprintln!("faults: skipped, needs SLOTLINE_TEST_POSTGRES_URL (make test sets it)");
        return;
    };
    let pg = url::Url::parse(&base).unwrap();
    let cable = Cable::to(format!(
        "{}:{}",
        pg.host_str().unwrap(),
        pg.port().unwrap_or(5432)
    ))
    .await;
    let mut direct = String::new();
    let app = common::spawn_app_with(|c| {
        direct = c.database_url.clone();
        let mut via = url::Url::parse(&c.database_url).unwrap();
        via.set_host(Some("127.0.0.1")).unwrap();
        via.set_port(Some(cable.port)).unwrap();
        c.database_url = via.to_string();
    })
    .await;
    salon(&app).await;
    let check = slotline::store::Store::connect(&direct).await.unwrap();
    let (before, _) = availability(&app).await;
    assert_eq!(before.status, 200);
    assert_eq!(webhook(&app, "outage_before").await.status, 200);

    // 20 seconds without the database while calls and webhooks keep coming.
    cable.unplug();
    let outage = Instant::now();
    let mut sent = Vec::new();
    let mut slowest = Duration::ZERO;
    let mut health_during = 0;
    let mut n = 0;
    while outage.elapsed() < Duration::from_secs(20) {
        let call_id = format!("outage_{n:03}");
        let hook = webhook(&app, &call_id).await;
        let (ask, reply) = availability(&app).await;
        assert!(
            ask.status == 503 || reply["success"] == false,
            "no slots are made up without the database: {} {reply}",
            ask.status
        );
        slowest = slowest.max(hook.took).max(ask.took);
        sent.push((call_id, hook.status));
        if n % 10 == 0 {
            health_during = app
                .client
                .get(format!("{}/api/mcp/gateway/health", app.base))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
        }
        n += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Fail fast: nobody waits on the dead database longer than the pool's 5 s acquire timeout
    // (once the breaker opens, answers come at once).
    assert!(
        slowest < Duration::from_secs(7),
        "slowest answer {slowest:?}"
    );
    assert_eq!(health_during, 503, "health shows the outage");
    let refused = sent.iter().filter(|(_, s)| *s != 200).count();
    assert!(
        refused > 0,
        "webhooks are not acknowledged while nothing can store them"
    );
    assert!(
        sent.iter().all(|(_, s)| *s == 200 || *s >= 500),
        "refusals are 5xx, so Retell retries: {:?}",
        sent.iter()
            .filter(|(_, s)| *s != 200 && *s < 500)
            .collect::<Vec<_>>()
    );

    // The database is back: within the breaker's reset the server serves again.
    cable.plug();
    let back = Instant::now();
    loop {
        let (ask, reply) = availability(&app).await;
        if ask.status == 200 && reply["success"] == true {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(45),
            "no recovery: {reply}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // Retell retries what was refused; then every event is stored once and applied.
    for (call_id, status) in &sent {
        if *status != 200 {
            assert_eq!(webhook(&app, call_id).await.status, 200, "{call_id}");
        }
    }
    let stored: Vec<String> = sqlx::query(
        "SELECT call_id FROM webhook_inbox WHERE call_id LIKE 'outage_%' ORDER BY call_id",
    )
    .fetch_all(check.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| r.get("call_id"))
    .collect();
    assert_eq!(
        stored.len(),
        sent.len() + 1,
        "every event stored exactly once"
    );
    for (call_id, status) in &sent {
        assert!(
            stored.contains(call_id),
            "{call_id} (first answer {status}) lost"
        );
    }
    let healthy = app
        .client
        .get(format!("{}/api/mcp/gateway/health", app.base))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(healthy, 200, "health recovers");
}
