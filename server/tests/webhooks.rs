//! Retell webhooks over HTTP: signatures exactly as Retell makes them, refusals that store
//! nothing, duplicates, out-of-order events and what each event records on the call.

mod common;

use common::{sign_now, spawn_app, webhook_body, TestApp};
use serde_json::{json, Value};

const KEY: &str = "key_salon_secret";

async fn salon() -> (TestApp, i64) {
    let app = spawn_app().await;
    let tenant = app.tenant("salon", "Salon", "+493012345670").await;
    app.set_retell_key(tenant, KEY).await;
    (app, tenant)
}

#[tokio::test]
async fn a_signed_call_started_is_acknowledged_and_recorded() {
    let (app, tenant) = salon().await;
    let body = webhook_body(
        "call_started",
        "call_1",
        "agent_salon",
        json!({"call_status": "ongoing"}),
    );
    let res = app.post_webhook(&body, Some(sign_now(&body, KEY))).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "accepted");
    app.drain_inbox().await;
    let call = app.store.call(tenant, "call_1").await.unwrap().unwrap();
    assert_eq!(call.call_status.as_deref(), Some("ongoing"));
    assert_eq!(call.from_number.as_deref(), Some("+4915112345678"));
    assert_eq!(call.events_applied, 1);
}

#[tokio::test]
async fn the_vendor_sample_bodies_are_accepted_byte_for_byte() {
    let (app, tenant) = salon().await;
    // The samples' agent id is the demo agent; register it for this tenant.
    app.store
        .add_phone_number(
            tenant,
            &slotline::store::tenants::PhoneNumber {
                e164: "+493099999999".into(),
                retell_agent_id: Some("agent_3f9c2a7b1d4e5f60718293a4".into()),
                label: "samples".into(),
            },
        )
        .await
        .unwrap();
    for name in [
        "webhook-call_started.json",
        "webhook-call_ended.json",
        "webhook-call_analyzed.json",
    ] {
        let raw = std::fs::read_to_string(format!(
            "{}/tests/fixtures/retell/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let res = app.post_webhook(&raw, Some(sign_now(&raw, KEY))).await;
        assert_eq!(res.status(), 200, "{name}");
    }
    app.drain_inbox().await;
    let call = app
        .store
        .call(tenant, "call_8d2f0c6e4b1a49e7a3c5d9f1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(call.call_status.as_deref(), Some("ended"));
    assert_eq!(call.duration_ms, Some(24000));
    assert!(call.transcript.is_some() && call.summary.is_some() && call.sentiment.is_some());
    assert_eq!(call.events_applied, 3);
}

#[tokio::test]
async fn bad_signatures_are_401_and_store_nothing() {
    let (app, _) = salon().await;
    let body = webhook_body("call_started", "call_x", "agent_salon", json!({}));
    let now = slotline::store::now_ms();
    let tampered = body.replace("call_x", "call_y");
    let cases: Vec<(&str, String, Option<String>)> = vec![
        ("tampered body", tampered, Some(sign_now(&body, KEY))),
        (
            "wrong key",
            body.clone(),
            Some(sign_now(&body, "key_other")),
        ),
        (
            "stale timestamp",
            body.clone(),
            Some(slotline::webhooks::signature::sign(
                body.as_bytes(),
                KEY,
                now - 6 * 60 * 1000,
            )),
        ),
        ("missing header", body.clone(), None),
        (
            "malformed header",
            body.clone(),
            Some("sha256=deadbeef".into()),
        ),
    ];
    for (what, sent, header) in cases {
        let res = app.post_webhook(&sent, header).await;
        assert_eq!(res.status(), 401, "{what}");
        let err: Value = res.json().await.unwrap();
        assert!(
            err["message"].as_str().unwrap().len() > 10,
            "{what}: a sentence"
        );
    }
    assert_eq!(app.inbox_rows().await, 0);
    let metrics = app.metrics().await;
    for reason in [
        "bad_signature",
        "stale_signature",
        "missing_signature",
        "malformed_signature",
    ] {
        assert!(
            metrics.contains(&format!("reason=\"{reason}\"")),
            "{reason} counted"
        );
    }
    assert!(!metrics.contains("call_x"), "no payload in metrics");
}

#[tokio::test]
async fn another_tenants_key_does_not_open_this_tenants_agent() {
    let (app, _) = salon().await;
    let other = app.tenant("other", "Other", "+493022222222").await;
    app.set_retell_key(other, "key_other_tenant").await;
    let body = webhook_body("call_started", "call_1", "agent_salon", json!({}));
    let res = app
        .post_webhook(&body, Some(sign_now(&body, "key_other_tenant")))
        .await;
    assert_eq!(res.status(), 401);
    let unknown = webhook_body(
        "call_started",
        "call_1",
        "agent_nobody",
        json!({"to_number": "+491701234567"}),
    );
    let res = app
        .post_webhook(&unknown, Some(sign_now(&unknown, KEY)))
        .await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "unauthorized");
    assert_eq!(app.inbox_rows().await, 0);
}

#[tokio::test]
async fn malformed_requests_get_specific_4xx() {
    let (app, _) = salon().await;
    let body = webhook_body("call_started", "call_1", "agent_salon", json!({}));
    let res = app
        .client
        .post(format!("{}/api/webhooks/retell", app.base))
        .header("content-type", "text/plain")
        .header("x-retell-signature", sign_now(&body, KEY))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);

    let huge = format!(
        "{{\"event\":\"call_started\",\"call\":{{\"call_id\":\"c\",\"pad\":\"{}\"}}}}",
        "x".repeat(1_100_000)
    );
    let res = app.post_webhook(&huge, Some(sign_now(&huge, KEY))).await;
    assert_eq!(res.status(), 413);

    let not_json = "{\"event\": oops";
    let res = app
        .post_webhook(not_json, Some(sign_now(not_json, KEY)))
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(app.inbox_rows().await, 0);
}

#[tokio::test]
async fn retries_are_acknowledged_but_applied_once() {
    let (app, tenant) = salon().await;
    let body = webhook_body(
        "call_ended",
        "call_1",
        "agent_salon",
        json!({"duration_ms": 1000}),
    );
    for attempt in 0..3 {
        let res = app.post_webhook(&body, Some(sign_now(&body, KEY))).await;
        assert_eq!(res.status(), 200);
        let expected = if attempt == 0 {
            "accepted"
        } else {
            "duplicate"
        };
        assert_eq!(res.json::<Value>().await.unwrap()["status"], expected);
    }
    app.drain_inbox().await;
    assert_eq!(app.inbox_rows().await, 1);
    assert_eq!(
        app.store
            .call(tenant, "call_1")
            .await
            .unwrap()
            .unwrap()
            .events_applied,
        1
    );
}

#[tokio::test]
async fn out_of_order_events_merge_and_a_late_start_does_not_reopen_the_call() {
    let (app, tenant) = salon().await;
    let analyzed = webhook_body(
        "call_analyzed",
        "call_1",
        "agent_salon",
        json!({"call_analysis": {"call_summary": "Termin gebucht", "user_sentiment": "Positive", "call_successful": true, "custom_analysis_data": {"appointment_booked": true}}}),
    );
    let ended = webhook_body(
        "call_ended",
        "call_1",
        "agent_salon",
        json!({"call_status": "ended", "duration_ms": 24000, "disconnection_reason": "agent_hangup", "transcript": "Agent: Hallo", "recording_url": "https://example.com/r.wav"}),
    );
    let started = webhook_body(
        "call_started",
        "call_1",
        "agent_salon",
        json!({"call_status": "ongoing"}),
    );
    app.post_all_signed(&[&analyzed, &ended, &started], KEY)
        .await;
    app.drain_inbox().await;
    let call = app.store.call(tenant, "call_1").await.unwrap().unwrap();
    assert_eq!(call.call_status.as_deref(), Some("ended"));
    assert_eq!(call.duration_ms, Some(24000));
    assert_eq!(call.disconnection_reason.as_deref(), Some("agent_hangup"));
    assert_eq!(call.summary.as_deref(), Some("Termin gebucht"));
    assert_eq!(call.sentiment.as_deref(), Some("Positive"));
    assert_eq!(call.successful, Some(true));
    assert!(call.custom_analysis.unwrap().contains("appointment_booked"));
    assert_eq!(call.events_applied, 3);
}

#[tokio::test]
async fn other_event_types_are_accepted_and_change_no_call() {
    let (app, tenant) = salon().await;
    let body = webhook_body("transcript_updated", "call_1", "agent_salon", json!({}));
    let res = app.post_webhook(&body, Some(sign_now(&body, KEY))).await;
    assert_eq!(res.status(), 200);
    app.drain_inbox().await;
    assert!(app.store.call(tenant, "call_1").await.unwrap().is_none());
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("event=\"transcript_updated\",outcome=\"applied\"} 1"),
        "{metrics}"
    );
}

#[tokio::test]
async fn calls_and_activity_are_shown_only_to_their_tenants_admins() {
    let (app, _) = salon().await;
    app.admin("salon", "owner@salon.de", "long-enough-pw").await;
    let other = app.tenant("other", "Other", "+493022222222").await;
    app.set_retell_key(other, "key_other").await;
    app.admin("other", "owner@other.de", "long-enough-pw").await;

    let started = webhook_body(
        "call_started",
        "call_1",
        "agent_salon",
        json!({"start_timestamp": 1764061200000i64}),
    );
    let ended = webhook_body(
        "call_ended",
        "call_1",
        "agent_salon",
        json!({"duration_ms": 95000, "disconnection_reason": "user_hangup"}),
    );
    app.post_all_signed(&[&started, &started, &ended], KEY)
        .await;
    app.drain_inbox().await;

    let cookie = app.login("owner@salon.de", "long-enough-pw").await;
    let calls: Value = app
        .ui("calls_list", Some(&cookie), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(calls.as_array().unwrap().len(), 1);
    assert_eq!(calls[0]["call_id"], "call_1");
    assert_eq!(
        calls[0]["started_local"], "2025-11-25 10:00",
        "shown in Europe/Berlin"
    );
    assert_eq!(calls[0]["duration_secs"], 95);
    assert_eq!(calls[0]["from_number"], "+4915112345678");

    let activity: Value = app
        .ui("webhook_activity", Some(&cookie), &[])
        .await
        .json()
        .await
        .unwrap();
    let events = activity["events"].as_array().unwrap();
    let started_row = events
        .iter()
        .find(|e| e["event"] == "call_started")
        .unwrap();
    assert_eq!(started_row["applied"], 1);
    assert_eq!(started_row["duplicates"], 1);
    assert!(activity["avg_apply_ms"].is_i64());

    let other_cookie = app.login("owner@other.de", "long-enough-pw").await;
    let calls: Value = app
        .ui("calls_list", Some(&other_cookie), &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(
        calls.as_array().unwrap().is_empty(),
        "another tenant sees no calls"
    );
    let activity: Value = app
        .ui("webhook_activity", Some(&other_cookie), &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(activity["events"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn an_unreadable_stored_event_is_parked_as_failed_and_reported() {
    let (app, tenant) = salon().await;
    app.admin("salon", "owner@salon.de", "long-enough-pw").await;
    // Bypass the receiver: a row whose body can no longer be read.
    assert!(app
        .store
        .insert_inbox_event(tenant, "call_bad", "call_ended", "{broken")
        .await
        .unwrap());
    let mut status = String::new();
    for _ in 0..100 {
        use sqlx::Row;
        let row =
            sqlx::query("SELECT status, attempts FROM webhook_inbox WHERE call_id = 'call_bad'")
                .fetch_one(app.store.pool())
                .await
                .unwrap();
        status = row.try_get("status").unwrap();
        if status == "failed" {
            assert_eq!(
                row.try_get::<i64, _>("attempts").unwrap(),
                1,
                "parked on the first attempt"
            );
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(status, "failed");
    assert!(app.store.call(tenant, "call_bad").await.unwrap().is_none());

    let cookie = app.login("owner@salon.de", "long-enough-pw").await;
    let activity: Value = app
        .ui("webhook_activity", Some(&cookie), &[])
        .await
        .json()
        .await
        .unwrap();
    let ended = activity["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "call_ended")
        .unwrap()
        .clone();
    assert_eq!(ended["failed"], 1);
    assert_eq!(activity["recent_errors"][0]["event"], "call_ended");
    let (_, health) = app.health_as_admin(&cookie).await;
    assert_eq!(health["webhooks"]["failed"], 1, "{health}");
}
