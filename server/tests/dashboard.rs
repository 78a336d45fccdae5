//! The dashboard's series and live updates: figures per local day of Europe/Berlin (across
//! midnight and the March clock change) from calls, webhooks, phone bookings, custom-function
//! calls, failed bookings and breaker changes; tenant walls; the server-sent events stream.

mod common;

use common::salon::{self, AGENT, CALLER, KEY};
use common::{ms, spawn_app, webhook_body, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

const OWNER: &str = "owner@salon.test";
const PASSWORD: &str = "owner password 1";

/// Stands the app's clock at an instant.
fn at(app: &TestApp, rfc3339: &str) {
    app.config.clock.set(rfc3339.parse().unwrap());
}

/// A signed `call_started` for `call_id`, received when the call starts.
async fn call_started(app: &TestApp, call_id: &str, start: &str) {
    at(app, start);
    let body = webhook_body(
        "call_started",
        call_id,
        AGENT,
        json!({ "start_timestamp": ms(start) }),
    );
    app.post_all_signed(&[&body], KEY).await;
    app.drain_inbox().await;
}

/// The result of a dashboard method, failing on an error.
async fn series(app: &TestApp, cookie: &str, method: &str, days: u32) -> Value {
    let v = app.rpc_as(cookie, method, json!({ "days": days })).await;
    assert!(v["error"].is_null(), "{method}: {v}");
    v["result"].clone()
}

fn column(v: &Value, field: &str) -> Vec<Value> {
    v["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d[field].clone())
        .collect()
}

/// The salon with calls around 2027-03-28, the day Berlin moves its clocks forward:
/// c4 on the 27th (23:30 CET), c1 (00:30 CET) and c2 (23:30 CEST) on the 28th, c3 on the
/// 29th (00:10 CEST), which books Herrenhaarschnitt by phone.
async fn busy_salon(app: &TestApp) -> String {
    salon::salon(app).await;
    app.admin("salon", OWNER, PASSWORD).await;
    call_started(app, "c4", "2027-03-27T22:30:00Z").await;
    call_started(app, "c1", "2027-03-27T23:30:00Z").await;
    call_started(app, "c2", "2027-03-28T21:30:00Z").await;
    call_started(app, "c3", "2027-03-28T22:10:00Z").await;
    at(app, "2027-03-28T22:12:00Z");
    let (status, held) = salon::call(
        app,
        "collect_appointment",
        "c3",
        CALLER,
        json!({ "service": "Herrenhaarschnitt", "when": "2027-03-30T10:00", "customer_name": "Max Kurz" }),
    )
    .await;
    assert_eq!(status, 200, "{held}");
    assert_eq!(held["status"], "held", "{held}");
    at(app, "2027-03-28T22:20:00Z");
    let ended = webhook_body(
        "call_ended",
        "c3",
        AGENT,
        json!({ "start_timestamp": ms("2027-03-28T22:10:00Z"), "duration_ms": 120_000 }),
    );
    app.post_all_signed(&[&ended], KEY).await;
    app.drain_inbox().await;
    at(app, "2027-03-29T08:00:00Z");
    app.login(OWNER, PASSWORD).await
}

#[tokio::test]
async fn calls_and_bookings_fall_on_berlin_days_across_midnight_and_the_clock_change() {
    let app = spawn_app().await;
    let cookie = busy_salon(&app).await;
    let calls = series(&app, &cookie, "dashboard.calls", 3).await;
    assert_eq!(calls["time_zone"], "Europe/Berlin");
    assert_eq!(
        column(&calls, "day"),
        [
            json!("2027-03-27"),
            json!("2027-03-28"),
            json!("2027-03-29")
        ]
    );
    assert_eq!(column(&calls, "calls"), [json!(1), json!(2), json!(1)]);
    assert_eq!(
        column(&calls, "booked_calls"),
        [json!(0), json!(0), json!(1)]
    );
    assert_eq!(
        column(&calls, "phone_bookings"),
        [json!(0), json!(0), json!(1)]
    );
    assert_eq!(
        column(&calls, "booking_rate"),
        [json!(0.0), json!(0.0), json!(1.0)]
    );
    assert_eq!(calls["total_calls"], 4);
    assert_eq!(calls["booking_rate"], 0.25);

    // A week ending today: the earlier days are there, empty.
    let week = series(&app, &cookie, "dashboard.calls", 7).await;
    assert_eq!(week["days"][0]["day"], "2027-03-23");
    assert_eq!(week["days"][0]["calls"], 0);
    assert!(week["days"][0]["booking_rate"].is_null());

    // Webhooks by the day they arrived, by type; an event that failed once is an error.
    sqlx::query("UPDATE webhook_inbox SET last_error = 'boom' WHERE call_id = 'c2'")
        .execute(app.store.pool())
        .await
        .unwrap();
    let hooks = series(&app, &cookie, "dashboard.webhooks", 3).await;
    assert_eq!(hooks["event_types"], json!(["call_ended", "call_started"]));
    let by_type = |i: usize| -> Vec<i64> {
        hooks["days"][i]["by_type"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["count"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(by_type(0), [0, 1]);
    assert_eq!(by_type(1), [0, 2]);
    assert_eq!(by_type(2), [1, 1]);
    assert_eq!(column(&hooks, "errors"), [json!(0), json!(1), json!(0)]);
}

#[tokio::test]
async fn latency_percentiles_failed_bookings_and_breaker_changes_come_from_the_database() {
    let app = spawn_app().await;
    let cookie = busy_salon(&app).await;
    let (tenant,): (i64,) = (app.store.tenant_by_slug("salon").await.unwrap().unwrap().id,);
    // Twenty answers on the 28th taking 10, 20, … 200 ms, one of them a temporary failure.
    for i in 1..=20i64 {
        app.store
            .log_function_call(&slotline::store::calls::NewFunctionCall {
                tenant_id: tenant,
                call_id: "c2",
                function: "check_availability",
                arguments: "{}",
                reply: "{}",
                outcome: if i == 20 { "temporary_failure" } else { "ok" },
                http_status: if i == 20 { 503 } else { 200 },
                at: ms("2027-03-28T12:00:00Z") + i,
                duration_ms: Some(i * 10),
            })
            .await;
    }
    // The log is written behind the call; this store's writer finishes first.
    app.store.flush_function_log().await;
    let latency = series(&app, &cookie, "dashboard.latency", 3).await;
    let day = &latency["days"][1];
    assert_eq!(day["day"], "2027-03-28");
    assert_eq!(
        (day["calls"].as_i64(), day["failures"].as_i64()),
        (Some(20), Some(1))
    );
    assert_eq!(
        (day["p50_ms"].as_i64(), day["p95_ms"].as_i64()),
        (Some(100), Some(190))
    );
    let booked_day = &latency["days"][2];
    assert_eq!(
        booked_day["calls"], 1,
        "the real collect_appointment was logged"
    );
    assert!(
        booked_day["p50_ms"].as_i64().is_some(),
        "and timed: {booked_day}"
    );
    assert!(latency["days"][0]["p50_ms"].is_null());

    // A failed booking queued on the 28th waits until it is dismissed on the 29th.
    let appointment: i64 = {
        use sqlx::Row;
        sqlx::query("SELECT id FROM appointments WHERE call_id = 'c3'")
            .fetch_one(app.store.pool())
            .await
            .unwrap()
            .get("id")
    };
    sqlx::query(
        "INSERT INTO booking_recovery (tenant_id, appointment_id, call_id, reason, created_at, updated_at) \
         VALUES ($1, $2, 'c3', 'closure', $3, $3)",
    )
    .bind(tenant)
    .bind(appointment)
    .bind(ms("2027-03-28T12:00:00Z"))
    .execute(app.store.pool())
    .await
    .unwrap();
    let waiting = series(&app, &cookie, "dashboard.recovery", 3).await;
    assert_eq!(waiting["waiting_now"], 1);
    assert_eq!(column(&waiting, "queued"), [json!(0), json!(1), json!(0)]);
    assert_eq!(column(&waiting, "waiting"), [json!(0), json!(1), json!(1)]);
    sqlx::query("UPDATE booking_recovery SET status = 'dismissed', updated_at = $1")
        .bind(ms("2027-03-29T07:00:00Z"))
        .execute(app.store.pool())
        .await
        .unwrap();
    let waiting = series(&app, &cookie, "dashboard.recovery", 3).await;
    assert_eq!(waiting["waiting_now"], 0);
    assert_eq!(column(&waiting, "waiting"), [json!(0), json!(1), json!(0)]);

    // A breaker that opens and closes again is recorded by the background writer.
    let (sink, rx) = slotline::breaker::TransitionSink::channel(app.config.clock.clone(), 8);
    tokio::spawn(slotline::live::transitions::run(
        app.store.clone(),
        "test-1".into(),
        rx,
    ));
    let breakers = slotline::breaker::Breakers::with_sink(
        slotline::breaker::BreakerSettings {
            threshold: 1,
            window: Duration::from_secs(30),
            reset: Duration::ZERO,
        },
        sink,
    );
    let b = breakers.get("retell_api");
    let permit = b.admit().unwrap();
    b.record(permit, Err("Retell answered HTTP 503"));
    let mut history = Value::Null;
    for _ in 0..100 {
        history = series(&app, &cookie, "dashboard.breakers", 1).await;
        if !history["current"].as_array().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(history["current"][0]["state"], "open", "{history}");
    assert_eq!(history["current"][0]["reason"], "Retell answered HTTP 503");
    assert_eq!(history["current"][0]["since_local"], "2027-03-29 10:00:00");
    let probe = b.admit().unwrap();
    b.record(probe, Ok(()));
    for _ in 0..100 {
        history = series(&app, &cookie, "dashboard.breakers", 1).await;
        if history["transitions"].as_array().unwrap().len() == 3
            && history["current"][0]["state"] == "closed"
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(history["current"][0]["state"], "closed", "{history}");
    assert!(history["current"][0]["reason"].is_null());
    let moves: Vec<(String, String)> = history["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["from"].as_str().unwrap().into(),
                t["to"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        [
            ("half_open".into(), "closed".into()),
            ("open".into(), "half_open".into()),
            ("closed".into(), "open".into())
        ]
    );
    // The retention job's cut-off removes them with the rest.
    let removed = app
        .store
        .purge_breaker_transitions(ms("2027-03-29T09:00:00Z"))
        .await
        .unwrap();
    assert_eq!(removed, 3);
}

#[tokio::test]
async fn another_tenant_sees_none_of_the_figures_and_tokens_and_strangers_are_refused() {
    let app = spawn_app().await;
    let cookie = busy_salon(&app).await;
    let (_other, owner, staff) = app.bare_tenant("praxis").await;
    for who in [&owner, &staff] {
        let calls = series(&app, who, "dashboard.calls", 3).await;
        assert_eq!(calls["total_calls"], 0);
        assert_eq!(
            column(&calls, "phone_bookings"),
            [json!(0), json!(0), json!(0)]
        );
        let hooks = series(&app, who, "dashboard.webhooks", 3).await;
        assert_eq!(hooks["event_types"], json!([]));
        let latency = series(&app, who, "dashboard.latency", 3).await;
        assert!(latency["p50_ms"].is_null());
    }
    assert_eq!(
        series(&app, &cookie, "dashboard.calls", 3).await["total_calls"],
        4
    );
    let token = app.token("salon").await;
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "dashboard.calls"}).to_string();
    let (_, v) = app.rpc_raw(&body, Some(&token)).await;
    assert_eq!(v["error"]["code"], -32002, "{v}");
    let (_, v) = app.rpc_raw(&body, None).await;
    assert_eq!(v["error"]["code"], -32001, "{v}");
    let v = app
        .rpc_as(&cookie, "dashboard.calls", json!({ "days": 91 }))
        .await;
    assert_eq!(v["error"]["data"]["field"], "days", "{v}");
}

/// Reads the stream until `needle` arrives (or the stream ends: `false`) within `limit`.
async fn read_until(
    res: &mut reqwest::Response,
    seen: &mut String,
    needle: &str,
    limit: Duration,
) -> bool {
    let deadline = tokio::time::Instant::now() + limit;
    while !seen.contains(needle) {
        match tokio::time::timeout_at(deadline, res.chunk()).await {
            Ok(Ok(Some(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            Ok(_) => return false,
            Err(_) => panic!("{needle:?} not seen within {limit:?}; got {seen:?}"),
        }
    }
    true
}

async fn open_stream(
    app: &TestApp,
    cookie: Option<&str>,
    origin: Option<&str>,
) -> reqwest::Response {
    let mut req = app.client.get(format!("{}/api/live", app.base));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn the_live_stream_tells_a_signed_in_page_about_a_new_call_and_refuses_strangers() {
    let app = spawn_app().await;
    salon::salon(&app).await;
    app.admin("salon", OWNER, PASSWORD).await;
    let cookie = app.login(OWNER, PASSWORD).await;

    assert_eq!(open_stream(&app, None, None).await.status(), 401);
    assert_eq!(
        open_stream(&app, Some("slotline_session=forged"), None)
            .await
            .status(),
        401
    );
    let cross = open_stream(&app, Some(&cookie), Some("https://evil.example")).await;
    assert_eq!(cross.status(), 403);

    let mut res = open_stream(&app, Some(&cookie), None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    let mut seen = String::new();
    assert!(read_until(&mut res, &mut seen, "event: ready", Duration::from_secs(5)).await);
    // A signed webhook of a new call reaches the page through the database's counters.
    let body = webhook_body("call_started", "live_1", AGENT, json!({}));
    app.post_all_signed(&[&body], KEY).await;
    assert!(read_until(&mut res, &mut seen, "data: calls", Duration::from_secs(10)).await);

    // Another tenant's page hears nothing of it.
    let (_, other, _) = app.bare_tenant("praxis").await;
    let mut theirs = open_stream(&app, Some(&other), None).await;
    let mut heard = String::new();
    assert!(
        read_until(
            &mut theirs,
            &mut heard,
            "event: ready",
            Duration::from_secs(5)
        )
        .await
    );
    let body = webhook_body("call_started", "live_2", AGENT, json!({}));
    app.post_all_signed(&[&body], KEY).await;
    seen.clear();
    assert!(read_until(&mut res, &mut seen, "data: calls", Duration::from_secs(10)).await);
    let quiet = tokio::time::timeout(Duration::from_millis(1500), theirs.chunk()).await;
    assert!(quiet.is_err(), "the other tenant heard {quiet:?}");
}

#[tokio::test]
async fn streams_are_capped_per_client_and_end_when_the_admin_signs_out() {
    let app = spawn_app().await;
    salon::salon(&app).await;
    app.admin("salon", OWNER, PASSWORD).await;
    let cookie = app.login(OWNER, PASSWORD).await;
    let mut open = Vec::new();
    for _ in 0..20 {
        let res = open_stream(&app, Some(&cookie), None).await;
        assert_eq!(res.status(), 200);
        open.push(res);
    }
    let refused = open_stream(&app, Some(&cookie), None).await;
    assert_eq!(refused.status(), 429);
    let mut last = open.pop().unwrap();
    drop(open);
    // Closed streams free their places.
    let mut again = None;
    for _ in 0..50 {
        let res = open_stream(&app, Some(&cookie), None).await;
        if res.status() == 200 {
            again = Some(res);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(again.is_some(), "a place was freed");

    assert_eq!(app.ui("logout", Some(&cookie), &[]).await.status(), 200);
    let mut seen = String::new();
    // The next heartbeat (15 s) checks the session and ends the stream.
    let ended = !read_until(&mut last, &mut seen, "never sent", Duration::from_secs(25)).await;
    assert!(ended, "the stream ended after sign-out: {seen:?}");
}
