//! Faults: the database goes away for 20 seconds while Retell keeps calling. Requests fail
//! fast with a clear answer, nothing is acknowledged that was not stored, the database breaker
//! shows it, and everything recovers once the database is back. The outage is a TCP proxy in
//! front of PostgreSQL that cuts every connection and refuses new ones, which is what the
//! server sees when the database host stops; it runs where `make test` provides PostgreSQL.
//! A SQLite file whose disk fills up answers 5xx (Retell retries), never acknowledges what it
//! could not store, and keeps everything it had; on a read-only disk the server refuses to
//! start with one clear line and the data stays as it was.
//! (Retell's API failing or hanging is covered in breakers.rs and retell_config.rs.)

mod common;

use common::salon::{call_body, post, salon, AGENT, CALLER, KEY};
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
    sized_webhook(app, call_id, 0).await
}

/// A call_started webhook carrying `transcript_bytes` of transcript (Retell's bodies are ~12 KB).
async fn sized_webhook(app: &common::TestApp, call_id: &str, transcript_bytes: usize) -> Answer {
    let extra =
        json!({"transcript": "Hallo, ich hätte gern einen Termin. ".repeat(transcript_bytes / 36)});
    let body = webhook_body("call_started", call_id, AGENT, extra);
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
    let body = call_body(
        "check_availability",
        "outage_call",
        CALLER,
        1_804_582_800_000,
        json!({"service": "Herrenhaarschnitt", "date": "2027-03-10"}),
    );
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

/// A small tmpfs of our own (needs the mount privilege, which `make test` has as root); unmounted
/// when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk { dir })
    }

    /// Remounts read-only (`ro`) or writable (`rw`); only while no file on it is open.
    fn remount(&self, mode: &str) {
        let status = std::process::Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(self.dir.path())
            .status()
            .unwrap();
        assert!(status.success(), "remount {mode}");
    }

    /// Fills the disk to the last byte; returns the filler to delete.
    fn fill(&self) -> std::path::PathBuf {
        use std::io::Write;
        let path = self.dir.path().join("filler");
        let mut file = std::fs::File::create(&path).unwrap();
        let block = vec![0u8; 64 * 1024];
        while file.write_all(&block).is_ok() {}
        while file.write_all(&block[..512]).is_ok() {}
        let _ = file.flush();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_sqlite_disk_refuses_clearly_and_loses_nothing() {
    if std::env::var("SLOTLINE_TEST_POSTGRES_URL").is_ok() {
        return; // a SQLite fault: the SQLite run covers it
    }
    let Some(disk) = SmallDisk::mount(8) else {
        eprintln!("faults: skipped, mounting a small tmpfs needs root (make test runs as root)");
        return;
    };
    let data = disk.dir.path().to_path_buf();
    let app = common::spawn_app_with(|c| {
        c.database_url = format!("sqlite://{}/slotline.db", data.display());
    })
    .await;
    salon(&app).await;
    assert_eq!(webhook(&app, "disk_before").await.status, 200);
    let mut acknowledged = vec!["disk_before".to_owned()];
    let mut confirmed: Vec<i64> = Vec::new();

    {
        let fault = "full";
        let filler = disk.fill();
        // Retell-sized events until the disk refuses one (the WAL absorbs the first few).
        let mut refused = Vec::new();
        for n in 0..400 {
            let id = format!("disk_{fault}_{n:03}");
            let answer = sized_webhook(&app, &id, 12_000).await;
            if answer.status == 200 {
                acknowledged.push(id);
            } else {
                assert!(
                    answer.status >= 500,
                    "{fault}: {id} refused with {}",
                    answer.status
                );
                refused.push(id);
                if refused.len() == 5 {
                    break;
                }
            }
        }
        assert_eq!(refused.len(), 5, "{fault}: the disk never refused a write");
        // A caller trying to book is never told of a booking that was not stored.
        let body = call_body(
            "collect_appointment",
            &format!("disk_call_{fault}"),
            CALLER,
            1_804_582_800_000,
            json!({"service": "Herrenhaarschnitt", "when": "2027-03-10T10:00",
                   "customer_name": "Disk"}),
        );
        let (status, reply) = post(
            &app,
            "collect_appointment",
            &body,
            Some(sign_now(&body, KEY)),
        )
        .await;
        if reply["success"] == true {
            confirmed.push(reply["appointment_id"].as_i64().unwrap());
        } else {
            assert!(status == 200 || status >= 500, "{fault}: {status} {reply}");
        }
        // The disk has room again / is writable again: Retell's retries are stored.
        std::fs::remove_file(filler).unwrap();
        for id in refused {
            let mut status = 0;
            for _ in 0..120 {
                status = sized_webhook(&app, &id, 12_000).await.status;
                if status == 200 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            assert_eq!(status, 200, "{fault}: {id} is stored once the disk is back");
            acknowledged.push(id);
        }
    }
    // What is on disk, read by a new connection once the server's are closed: nothing written
    // before the faults is lost, every acknowledged event is there once, the file is sound.
    let url = app.config.database_url.clone();
    app.app_store.pool().close().await;
    app.store.pool().close().await;
    let disk_now = slotline::store::Store::connect(&url).await.unwrap();
    let rows: Vec<String> = sqlx::query("SELECT call_id FROM webhook_inbox ORDER BY call_id")
        .fetch_all(disk_now.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("call_id"))
        .collect();
    acknowledged.sort();
    assert_eq!(
        rows, acknowledged,
        "every acknowledged event stored exactly once"
    );
    for id in confirmed {
        let status: String = sqlx::query("SELECT status FROM appointments WHERE id = $1")
            .bind(id)
            .fetch_one(disk_now.pool())
            .await
            .unwrap()
            .get("status");
        assert_eq!(status, "held", "the confirmed booking {id} is stored");
    }
    let check: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(disk_now.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(check, "ok");
    drop(app);
}

#[tokio::test]
async fn a_read_only_sqlite_disk_stops_the_server_with_one_clear_line_and_keeps_the_data() {
    if std::env::var("SLOTLINE_TEST_POSTGRES_URL").is_ok() {
        return; // a SQLite fault: the SQLite run covers it
    }
    let Some(disk) = SmallDisk::mount(16) else {
        eprintln!("faults: skipped, mounting a small tmpfs needs root (make test runs as root)");
        return;
    };
    let slotline = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_slotline"))
            .env_clear()
            .env("SLOTLINE_DATA_DIR", disk.dir.path())
            .env("SLOTLINE_LISTEN_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", "error")
            .args(args)
            .output()
            .unwrap()
    };
    assert!(slotline(&["demo"]).status.success());
    disk.remount("ro");
    let served = slotline(&["serve"]);
    disk.remount("rw");
    assert!(
        !served.status.success(),
        "serve must not run on a read-only disk"
    );
    let stderr = String::from_utf8_lossy(&served.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains("Read-only") && lines[0].contains("SLOTLINE_DATA_DIR"),
        "{stderr}"
    );
    // The demo business is still there, whole.
    let url = format!("sqlite://{}/slotline.db", disk.dir.path().display());
    let store = slotline::store::Store::connect(&url).await.unwrap();
    let tenants: i64 = sqlx::query("SELECT COUNT(*) AS n FROM tenants")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(tenants, 1);
    let check: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(check, "ok");
    store.pool().close().await;
}
