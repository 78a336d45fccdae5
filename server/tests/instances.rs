//! Two `slotline serve` processes on one PostgreSQL database, as a scaled-out deployment runs:
//! racing bookings spread over both give one booking per slot and never overlap; webhooks sent
//! to either are applied exactly once, also when one instance is killed with SIGKILL in the
//! middle; a session and a set-up change made through one are honoured by the other at once;
//! both report the same figures. `make test` runs it on its throwaway PostgreSQL cluster; on
//! SQLite alone (no `SLOTLINE_TEST_POSTGRES_URL`) there is no second process to share with and
//! the suite says it was skipped.
//!
//! The processes read the real clock, so every date here is relative to today (a week ahead,
//! in the salon's time zone), and the salon is open every day: the outcome is the same on any
//! date.

mod common;

use common::salon::{call_body, salon, AGENT, KEY};
use common::{sign_now, TestApp};
use jiff::{tz::TimeZone, Timestamp, ToSpan};
use serde_json::{json, Value};
use sqlx::Row;
use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// One running `slotline serve`.
struct Instance {
    child: Child,
    base: String,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The salon of the other suites in a fresh PostgreSQL database, served by two processes.
async fn pair() -> Option<(TestApp, [Instance; 2], reqwest::Client)> {
    if std::env::var("SLOTLINE_TEST_POSTGRES_URL").is_err() {
        eprintln!("instances: skipped, needs SLOTLINE_TEST_POSTGRES_URL (make test sets it)");
        return None;
    }
    let app = common::spawn_app().await;
    salon(&app).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(64)
        .build()
        .unwrap();
    let mut instances = Vec::new();
    for _ in 0..2 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_slotline"))
            .env_clear()
            .env("SLOTLINE_DATA_DIR", app.dir.path())
            .env("SLOTLINE_DATABASE_URL", &app.config.database_url)
            .env("SLOTLINE_SECRET_KEY", hex::encode(app.config.secret_key))
            .env("SLOTLINE_LISTEN_ADDR", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "error")
            // All the racing callers come from this one address.
            .env("SLOTLINE_LIMIT_RETELL_IP_PER_MIN", "1000000")
            .env("SLOTLINE_LIMIT_IP_PER_MIN", "1000000")
            .env("SLOTLINE_LIMIT_TENANT_PER_MIN", "1000000")
            .env("SLOTLINE_LIMIT_CALLER_PER_MIN", "1000000")
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let instance = Instance {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let mut ready = false;
        for _ in 0..300 {
            if let Ok(r) = client.get(format!("{}/readyz", instance.base)).send().await {
                if r.status() == 200 {
                    ready = true;
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(ready, "instance did not become ready");
        instances.push(instance);
    }
    let [a, b]: [Instance; 2] = instances.try_into().ok().unwrap();
    Some((app, [a, b], client))
}

/// Adds the salon's owner and signs in on `on`; returns the session cookie.
async fn owner_session(app: &TestApp, client: &reqwest::Client, on: &Instance) -> String {
    app.admin("salon", "owner@salon.test", "owner password 123")
        .await;
    let login = client
        .post(format!("{}/api/ui/login", on.base))
        .form(&[
            ("email", "owner@salon.test"),
            ("password", "owner password 123"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// A local time a week from today in Berlin, `YYYY-MM-DDTHH:MM`.
fn next_week(hour: i8, minute: i8) -> String {
    let day = Timestamp::now()
        .to_zoned(TimeZone::get("Europe/Berlin").unwrap())
        .date()
        .checked_add(7.days())
        .unwrap();
    format!("{day}T{hour:02}:{minute:02}")
}

/// Calls a custom function on `base` as Retell does for call `call_id` from `caller`.
async fn function(
    client: &reqwest::Client,
    base: &str,
    name: &str,
    call_id: &str,
    caller: &str,
    args: Value,
) -> Value {
    let body = call_body(
        name,
        call_id,
        caller,
        Timestamp::now().as_millisecond(),
        args,
    );
    let res = client
        .post(format!("{base}/api/mcp/gateway/retell/functions/{name}"))
        .header("content-type", "application/json")
        .header("x-retell-signature", sign_now(&body, KEY))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// A caller's number for racer `n`.
fn caller(n: usize) -> String {
    format!("+49151{:08}", 10_000_000 + n)
}

/// Anna's live appointments as (start, end) in ms, sorted.
async fn annas(app: &TestApp) -> Vec<(i64, i64)> {
    let rows = sqlx::query(
        "SELECT a.starts_at, a.ends_at FROM appointments a JOIN staff s ON s.id = a.staff_id \
         WHERE s.name = 'Anna' AND a.status IN ('held', 'booked') ORDER BY a.starts_at",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    rows.iter()
        .map(|r| (r.get::<i64, _>("starts_at"), r.get::<i64, _>("ends_at")))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_bookings_over_two_instances_give_one_per_slot_and_never_overlap() {
    let Some((app, [a, b], client)) = pair().await else {
        return;
    };
    // 500 callers want Anna next week at 10:00, spread over both instances.
    let when = next_week(10, 0);
    let tasks: Vec<_> = (0..500)
        .map(|n| {
            let (client, base, when) = (
                client.clone(),
                if n % 2 == 0 {
                    a.base.clone()
                } else {
                    b.base.clone()
                },
                when.clone(),
            );
            tokio::spawn(async move {
                let reply = function(
                    &client,
                    &base,
                    "collect_appointment",
                    &format!("race_{n}"),
                    &caller(n),
                    json!({"service": "Herrenhaarschnitt", "staff": "Anna", "when": when,
                           "customer_name": format!("Racer {n}")}),
                )
                .await;
                reply["success"] == true
            })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        won += usize::from(t.await.unwrap());
    }
    assert_eq!(won, 1, "exactly one caller gets the slot");
    assert_eq!(annas(&app).await.len(), 1, "exactly one appointment");

    // Overlapping but different slots: a 45-minute (+15 after) and 30-minute service starting
    // 15 and 30 minutes apart, each pair racing on different instances, all afternoon.
    let mut tasks = Vec::new();
    for hour in 13..17 {
        for (k, (service, minute)) in [
            ("Damenhaarschnitt", 0),
            ("Herrenhaarschnitt", 15),
            ("Herrenhaarschnitt", 30),
            ("Damenhaarschnitt", 45),
        ]
        .into_iter()
        .enumerate()
        {
            let (client, base, when) = (
                client.clone(),
                if k % 2 == 0 {
                    a.base.clone()
                } else {
                    b.base.clone()
                },
                next_week(hour, minute),
            );
            let n = 1000 + hour as usize * 10 + k;
            tasks.push(tokio::spawn(async move {
                function(
                    &client,
                    &base,
                    "collect_appointment",
                    &format!("overlap_{n}"),
                    &caller(n),
                    json!({"service": service, "staff": "Anna", "when": when,
                           "customer_name": format!("Overlap {n}")}),
                )
                .await
            }));
        }
    }
    // A change racing a collect: the 10:00 winner moves to 11:00 on one instance while a new
    // caller asks for 11:00 on the other.
    let winner = sqlx::query(
        "SELECT call_id FROM appointments WHERE status = 'held' ORDER BY starts_at LIMIT 1",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap()
    .get::<String, _>("call_id");
    let n: usize = winner.trim_start_matches("race_").parse().unwrap();
    let eleven = next_week(11, 0);
    let (c1, c2, ba, bb, e1, e2) = (
        client.clone(),
        client.clone(),
        a.base.clone(),
        b.base.clone(),
        eleven.clone(),
        eleven,
    );
    tasks.push(tokio::spawn(async move {
        function(
            &c1,
            &ba,
            "change_appointment",
            &format!("race_{n}"),
            &caller(n),
            json!({"when": e1}),
        )
        .await
    }));
    tasks.push(tokio::spawn(async move {
        function(&c2, &bb, "collect_appointment", "late_caller", &caller(9999), json!({"service": "Damenhaarschnitt", "staff": "Anna", "when": e2, "customer_name": "Spät"})).await
    }));
    for t in tasks {
        t.await.unwrap();
    }
    let booked = annas(&app).await;
    assert!(booked.len() >= 5, "the afternoon got bookings: {booked:?}");
    for pair in booked.windows(2) {
        assert!(pair[0].1 <= pair[1].0, "overlapping appointments: {pair:?}");
    }
}

/// A Retell webhook body for `call_id`.
fn event(call_id: &str, event: &str) -> String {
    json!({
        "event": event,
        "call": {
            "call_id": call_id, "agent_id": AGENT, "call_type": "phone_call",
            "direction": "inbound", "from_number": "+4915112345678",
            "to_number": "+493012345670",
            "call_status": if event == "call_started" { "ongoing" } else { "ended" },
            "start_timestamp": Timestamp::now().as_millisecond() - 60_000,
            "end_timestamp": Timestamp::now().as_millisecond(),
            "duration_ms": 60_000,
        }
    })
    .to_string()
}

/// Sends each (call, event) to `base`; returns those acknowledged with 200.
async fn deliver(
    client: &reqwest::Client,
    base: &str,
    events: &[(String, &'static str)],
) -> HashSet<(String, &'static str)> {
    let tasks: Vec<_> = events
        .chunks(events.len().div_ceil(16).max(1))
        .map(|chunk| {
            let (client, base, chunk) = (client.clone(), base.to_owned(), chunk.to_vec());
            tokio::spawn(async move {
                let mut acked = HashSet::new();
                for (call, kind) in chunk {
                    let body = event(&call, kind);
                    let sent = client
                        .post(format!("{base}/api/webhooks/retell"))
                        .header("content-type", "application/json")
                        .header("x-retell-signature", sign_now(&body, KEY))
                        .body(body)
                        .send()
                        .await;
                    if matches!(sent, Ok(r) if r.status() == 200) {
                        acked.insert((call, kind));
                    }
                }
                acked
            })
        })
        .collect();
    let mut acked = HashSet::new();
    for t in tasks {
        acked.extend(t.await.unwrap());
    }
    acked
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn webhooks_to_either_instance_apply_once_even_when_one_is_killed() {
    let Some((app, [mut a, b], client)) = pair().await else {
        return;
    };
    // Three calls hold an appointment each (on both instances).
    for (n, hour) in [(1usize, 9), (2, 10), (3, 11)] {
        let base = if n % 2 == 0 { &a.base } else { &b.base };
        let reply = function(
            &client,
            base,
            "collect_appointment",
            &format!("hook_{n}"),
            &caller(n),
            json!({"service": "Herrenhaarschnitt", "staff": "Anna",
                   "when": next_week(hour, 0), "customer_name": format!("Hook {n}")}),
        )
        .await;
        assert_eq!(reply["success"], true, "{reply}");
    }
    let events: Vec<(String, &'static str)> = (1..=300)
        .flat_map(|n| {
            ["call_started", "call_ended", "call_analyzed"]
                .into_iter()
                .map(move |e| (format!("hook_{n}"), e))
        })
        .collect();
    // Every event goes to both instances at once (Retell's retry landing elsewhere); A is
    // killed with SIGKILL while they stream in.
    let killer = {
        let pid = a.child.id();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(400)).await;
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        })
    };
    let (to_a, to_b) = tokio::join!(
        deliver(&client, &a.base, &events),
        deliver(&client, &b.base, &events)
    );
    killer.await.unwrap();
    let _ = a.child.wait();
    assert!(to_a.len() < events.len(), "the kill landed mid-stream");
    // Retell retries whatever A did not acknowledge; B is still serving.
    let missing: Vec<_> = events
        .iter()
        .filter(|e| !to_b.contains(*e))
        .cloned()
        .collect();
    let retried = deliver(&client, &b.base, &missing).await;
    assert_eq!(retried.len(), missing.len(), "B acknowledges every retry");

    let count = |sql: &'static str| {
        let pool = app.store.pool().clone();
        async move {
            sqlx::query(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
                .get::<i64, _>("n")
        }
    };
    for _ in 0..600 {
        if count("SELECT COUNT(*) AS n FROM webhook_inbox WHERE status <> 'applied'").await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM webhook_inbox").await,
        900,
        "one inbox row per (call, event)"
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM webhook_inbox WHERE status = 'applied'").await,
        900
    );
    assert_eq!(
        count("SELECT CAST(COALESCE(SUM(events_applied), 0) AS BIGINT) AS n FROM calls").await,
        900,
        "each event applied exactly once"
    );
    // call_ended booked each hold exactly once.
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM appointments WHERE status = 'booked'").await,
        3
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM appointment_history WHERE action = 'booked'").await,
        3,
        "one booking record per hold"
    );
    drop(b);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sessions_set_up_changes_and_figures_are_shared_by_both_instances() {
    let Some((app, [a, b], client)) = pair().await else {
        return;
    };
    // Signed in on A, the session works on B.
    let cookie = owner_session(&app, &client, &a).await;
    let rpc = |base: String, method: &'static str, params: Value| {
        let (client, cookie) = (client.clone(), cookie.clone());
        async move {
            client
                .post(format!("{base}/api/mcp/gateway"))
                .header("content-type", "application/json")
                .header("cookie", cookie)
                .body(
                    json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
                        .to_string(),
                )
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let on_b = rpc(b.base.clone(), "scheduling.overview", json!({})).await;
    assert!(on_b["result"].is_object(), "A's session works on B: {on_b}");

    // B has answered for next week's day (its cache is warm); a closure made through A is
    // honoured by B's very next answer.
    let day = &next_week(9, 0)[..10];
    let ask = |base: String| {
        let client = client.clone();
        let day = day.to_owned();
        async move {
            function(
                &client,
                &base,
                "check_availability",
                "cache_call",
                "+4915199990000",
                json!({"service": "Herrenhaarschnitt", "date": day}),
            )
            .await
        }
    };
    let on_day = |reply: &Value| -> usize {
        reply["slots"]
            .as_array()
            .map(|s| {
                s.iter()
                    .filter(|x| x["local"].as_str().is_some_and(|l| l.starts_with(day)))
                    .count()
            })
            .unwrap_or(0)
    };
    let before = ask(b.base.clone()).await;
    assert!(on_day(&before) > 0, "the day is open before: {before}");
    let closed = rpc(
        a.base.clone(),
        "scheduling.closures.add",
        json!({"from": day, "to": day, "reason": "Inventur"}),
    )
    .await;
    assert!(closed["result"].is_object(), "{closed}");
    let after = ask(b.base.clone()).await;
    assert_eq!(on_day(&after), 0, "B still offers the closed day: {after}");

    // What admins see is read from the database: the same on both.
    for method in ["dashboard.calls", "webhooks.activity", "calls.list"] {
        let (x, y) = (
            rpc(a.base.clone(), method, json!({})).await,
            rpc(b.base.clone(), method, json!({})).await,
        );
        assert!(
            x["result"].is_object() || x["result"].is_array(),
            "{method}: {x}"
        );
        assert_eq!(
            x["result"], y["result"],
            "{method} differs between the instances"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_revoked_api_token_is_refused_at_once_where_revoked_and_within_seconds_on_the_other() {
    let Some((app, [a, b], client)) = pair().await else {
        return;
    };
    let cookie = owner_session(&app, &client, &a).await;
    let call = |base: String, auth: (&'static str, String), method: &'static str, params: Value| {
        let client = client.clone();
        async move {
            client
                .post(format!("{base}/api/mcp/gateway"))
                .header("content-type", "application/json")
                .header(auth.0, auth.1)
                .body(
                    json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
                        .to_string(),
                )
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let created = call(
        a.base.clone(),
        ("cookie", cookie.clone()),
        "tokens.create",
        json!({"name": "crm", "scopes": ["read"]}),
    )
    .await;
    let token = created["result"]["token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let id = created["result"]["id"].as_i64().unwrap();
    let bearer = ("authorization", format!("Bearer {token}"));
    // Both instances accept it (and now hold it in their grant caches).
    for base in [&a.base, &b.base] {
        let got = call(base.clone(), bearer.clone(), "tenant.get", json!({})).await;
        assert!(got["result"].is_object(), "the new token works: {got}");
    }
    let revoked = call(
        a.base.clone(),
        ("cookie", cookie),
        "tokens.revoke",
        json!({"token_id": id}),
    )
    .await;
    assert!(revoked.get("error").is_none(), "{revoked}");
    // Refused at once where it was revoked, though A had just cached it.
    let on_a = call(a.base.clone(), bearer.clone(), "tenant.get", json!({})).await;
    assert_eq!(
        on_a["error"]["message"], "the API token is unknown or revoked",
        "{on_a}"
    );
    // Refused by B once its cached grant ages out (2 s), well within 10 s.
    let started = std::time::Instant::now();
    loop {
        let on_b = call(b.base.clone(), bearer.clone(), "tenant.get", json!({})).await;
        if on_b["error"]["message"] == "the API token is unknown or revoked" {
            break;
        }
        assert!(on_b["result"].is_object(), "{on_b}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "B still accepts the revoked token after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
