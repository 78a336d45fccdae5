//! Retention: raw webhook payloads, call transcripts and stored custom-function answers are
//! emptied once older than the retention period (90 days here), while the rows that make
//! webhooks and custom functions exactly-once stay: a re-delivered webhook is still a
//! duplicate, a retried booking still gets its (purged) answer instead of a second booking.

mod common;

use common::{ms, sign_now, spawn_app_with, webhook_body, TestApp};
use serde_json::{json, Value};
use slotline::store::retention::{PurgeReport, PURGED_ANSWER};
use slotline::store::scheduling::{BookingRules, NewService};
use sqlx::Row;

const KEY: &str = "key_retention_test";
const AGENT: &str = "agent_salon";
const CALLER: &str = "+4915112345678";
const CALL: &str = "call_retained";
/// When everything in this test was recorded.
const AT: &str = "2027-01-10T10:00:00Z";
const DAY_MS: i64 = 86_400_000;
const DAYS: u32 = 90;

/// A salon with one phone-bookable service and Anna working 09–18 every day.
async fn salon(app: &TestApp) -> i64 {
    let tenant = app.tenant("salon", "Salon", "+493012345670").await;
    app.set_retell_key(tenant, KEY).await;
    let s = &app.store;
    s.set_booking_rules(
        tenant,
        &BookingRules {
            horizon_days: 500,
            ..BookingRules::default()
        },
    )
    .await
    .unwrap();
    let service = s
        .create_service(
            tenant,
            &NewService {
                name: "Herrenhaarschnitt",
                duration_min: 30,
                buffer_before_min: 0,
                buffer_after_min: 0,
                phone_bookable: true,
                price_cents: None,
            },
        )
        .await
        .unwrap();
    let secrets = slotline::crypto::SecretBox::new(&app.config.secret_key);
    let anna = slotline::demo::salon::add_staff(s, &secrets, tenant, "Anna")
        .await
        .unwrap();
    s.offer_service(tenant, anna, service).await.unwrap();
    for day in 1..=7 {
        s.add_working_hours(tenant, anna, day, 9 * 60, 18 * 60)
            .await
            .unwrap();
    }
    tenant
}

/// Books by phone within the call, as Retell does (signed now); returns (status, body).
async fn book(app: &TestApp) -> (u16, Value) {
    let body = json!({
        "name": "collect_appointment",
        "call": {
            "call_id": CALL, "agent_id": AGENT, "call_type": "phone_call",
            "direction": "inbound", "from_number": CALLER, "to_number": "+493012345670",
            "call_status": "ongoing", "start_timestamp": 1_804_582_800_000i64,
        },
        "args": {
            "service": "Herrenhaarschnitt",
            "when": "2027-03-10T10:00",
            "customer_name": "Eva Müller",
        },
    })
    .to_string();
    let res = app
        .client
        .post(format!(
            "{}/api/mcp/gateway/retell/functions/collect_appointment",
            app.base
        ))
        .header("content-type", "application/json")
        .header("x-retell-signature", sign_now(&body, KEY))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The call's three webhooks, with a transcript, a recording and an analysis naming the caller.
fn webhooks() -> Vec<String> {
    vec![
        webhook_body(
            "call_started",
            CALL,
            AGENT,
            json!({"call_status": "ongoing"}),
        ),
        webhook_body(
            "call_ended",
            CALL,
            AGENT,
            json!({
                "call_status": "ended",
                "end_timestamp": 1_764_061_290_000i64,
                "duration_ms": 90_000,
                "disconnection_reason": "user_hangup",
                "transcript": "Agent: Salon, guten Tag!\nUser: Hier ist Eva Müller, einen Herrenhaarschnitt bitte.",
                "recording_url": "https://recordings.example/call_retained.wav",
            }),
        ),
        webhook_body(
            "call_analyzed",
            CALL,
            AGENT,
            json!({"call_analysis": {
                "call_summary": "Eva Müller booked a haircut.",
                "user_sentiment": "Positive",
                "call_successful": true,
                "custom_analysis_data": {"customer": "Eva Müller"},
            }}),
        ),
    ]
}

/// Posts a webhook signed now; returns its acknowledgement status (`accepted`/`duplicate`).
async fn deliver(app: &TestApp, body: &str) -> String {
    let res = app.post_webhook(body, Some(sign_now(body, KEY))).await;
    assert_eq!(res.status(), 200, "webhook acknowledged");
    let ack: Value = res.json().await.unwrap();
    ack["status"].as_str().unwrap_or_default().to_owned()
}

/// One text column of every row of a table, in id order or key order.
async fn column(app: &TestApp, sql: &str) -> Vec<String> {
    sqlx::query(sql)
        .fetch_all(app.store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("v"))
        .collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .get("n")
}

#[tokio::test]
async fn personal_data_is_purged_after_the_retention_period_but_exactly_once_holds() {
    // The app's own hourly job keeps a century, so only the purges below touch the data.
    let app = spawn_app_with(|c| c.retention_days = 36_500).await;
    let tenant = salon(&app).await;

    let (status, booked) = book(&app).await;
    assert_eq!(status, 200, "{booked}");
    assert_eq!(booked["success"], true, "{booked}");
    for body in webhooks() {
        assert_eq!(deliver(&app, &body).await, "accepted");
    }
    app.drain_inbox().await;
    // The function-call log is written behind the replies; wait for it.
    app.app_store.flush_function_log().await;

    // Everything was recorded at AT.
    let at = ms(AT);
    for sql in [
        "UPDATE webhook_inbox SET received_at = $1, applied_at = $1",
        "UPDATE calls SET created_at = $1, updated_at = $1",
        "UPDATE function_results SET created_at = $1",
        "UPDATE function_calls SET created_at = $1",
    ] {
        sqlx::query(sql)
            .bind(at)
            .execute(app.store.pool())
            .await
            .unwrap();
    }
    let payloads_sql = "SELECT payload AS v FROM webhook_inbox ORDER BY id";
    let answers_sql = "SELECT response AS v FROM function_results ORDER BY call_id, function";
    let payloads = column(&app, payloads_sql).await;
    let answers = column(&app, answers_sql).await;
    assert_eq!(payloads.len(), 3);
    assert!(payloads.iter().all(|p| p.contains(CALL)));
    assert!(!answers.is_empty(), "the booking stored its answer");
    let logged = count(&app, "SELECT COUNT(*) AS n FROM function_calls").await;
    assert!(logged > 0, "the booking was logged");
    assert!(answers.iter().all(|a| a.contains("Herrenhaarschnitt")));
    let call = app.store.call(tenant, CALL).await.unwrap().unwrap();
    assert!(call.transcript.is_some() && call.summary.is_some());

    // 89 days later nothing is removed.
    let report = slotline::retention::run_once(&app.store, at + 89 * DAY_MS, DAYS)
        .await
        .unwrap();
    assert_eq!(report, PurgeReport::default());
    assert_eq!(column(&app, payloads_sql).await, payloads);
    assert_eq!(column(&app, answers_sql).await, answers);
    let call = app.store.call(tenant, CALL).await.unwrap().unwrap();
    assert!(call.transcript.is_some() && call.recording_url.is_some());
    assert!(call.summary.is_some() && call.custom_analysis.is_some());

    // 91 days later payloads, transcripts and answers are gone.
    let later = at + 91 * DAY_MS;
    let report = slotline::retention::run_once(&app.store, later, DAYS)
        .await
        .unwrap();
    assert_eq!(
        report,
        PurgeReport {
            webhook_payloads: 3,
            call_transcripts: 1,
            function_answers: answers.len() as u64,
            function_calls: logged as u64,
            notifications: 0,
        }
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM function_calls").await,
        0,
        "the log of custom-function calls is gone"
    );
    assert!(column(&app, payloads_sql)
        .await
        .iter()
        .all(|p| p.is_empty()));
    assert!(column(&app, answers_sql)
        .await
        .iter()
        .all(|a| a == PURGED_ANSWER));
    let call = app.store.call(tenant, CALL).await.unwrap().unwrap();
    assert_eq!(call.transcript, None);
    assert_eq!(call.recording_url, None);
    assert_eq!(call.summary, None);
    assert_eq!(call.custom_analysis, None);

    // The rows that guard exactly-once remain, with the call's metadata.
    assert_eq!(app.inbox_rows().await, 3);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM webhook_inbox WHERE status = 'applied'"
        )
        .await,
        3
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM function_results").await,
        answers.len() as i64
    );
    assert_eq!(call.call_status.as_deref(), Some("ended"));
    assert_eq!(call.from_number.as_deref(), Some(CALLER));
    assert_eq!(call.duration_ms, Some(90_000));
    assert_eq!(call.events_applied, 3);

    // A purge is idempotent.
    let again = slotline::retention::run_once(&app.store, later, DAYS)
        .await
        .unwrap();
    assert_eq!(again, PurgeReport::default());

    // Retell re-delivers the events: still duplicates, nothing stored or applied again.
    for body in webhooks() {
        assert_eq!(deliver(&app, &body).await, "duplicate");
    }
    app.drain_inbox().await;
    assert_eq!(app.inbox_rows().await, 3);
    let call = app.store.call(tenant, CALL).await.unwrap().unwrap();
    assert_eq!(call.transcript, None, "a duplicate brings nothing back");
    assert_eq!(call.events_applied, 3);

    // Retell retries the booking: the purged answer, not a second appointment.
    let (status, replayed) = book(&app).await;
    assert_eq!(status, 200, "{replayed}");
    assert_eq!(replayed["purged"], true, "{replayed}");
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM appointments").await,
        1
    );
}
