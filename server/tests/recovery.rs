//! Failed-booking recovery: a hold that no longer fits when its call ends is queued instead of
//! booked; an admin retries it (once it fits), rebooks it or dismisses it — each audited.

mod common;

use common::{ms, sign_now, spawn_app, TestApp};
use serde_json::{json, Value};
use slotline::store::scheduling::NewService;

const KEY: &str = "key_recovery";
const AGENT: &str = "agent_salon";
const CALLER: &str = "+4915112345678";

async fn salon(app: &TestApp) -> (i64, i64) {
    let tenant = app.tenant("salon", "Salon", "+493012345670").await;
    app.set_retell_key(tenant, KEY).await;
    app.admin("salon", "owner@salon.de", "owner-password-1")
        .await;
    let s = &app.store;
    s.set_booking_rules(
        tenant,
        &slotline::store::scheduling::BookingRules {
            horizon_days: 500,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let cut = s
        .create_service(
            tenant,
            &NewService {
                name: "Schnitt",
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
    s.offer_service(tenant, anna, cut).await.unwrap();
    for day in 1..=7 {
        s.add_working_hours(tenant, anna, day, 9 * 60, 18 * 60)
            .await
            .unwrap();
    }
    (tenant, anna)
}

async fn hold(app: &TestApp, call_id: &str, when: &str) -> i64 {
    let body = json!({"name": "collect_appointment",
        "call": {"call_id": call_id, "agent_id": AGENT, "from_number": CALLER, "to_number": "+493012345670"},
        "args": {"service": "Schnitt", "when": when, "customer_name": "Eva Held"}})
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
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["status"], "held", "{v}");
    v["appointment_id"].as_i64().unwrap()
}

async fn end_call(app: &TestApp, call_id: &str) {
    let ended = common::webhook_body("call_ended", call_id, AGENT, json!({"duration_ms": 60_000}));
    app.post_all_signed(&[&ended], KEY).await;
    app.drain_inbox().await;
}

async fn rpc(app: &TestApp, cookie: &str, method: &str, params: Value) -> Value {
    let res = app
        .client
        .post(format!("{}/api/mcp/gateway", app.base))
        .header("content-type", "application/json")
        .header("cookie", cookie)
        .body(json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string())
        .send()
        .await
        .unwrap();
    res.json().await.unwrap()
}

async fn status_of(app: &TestApp, tenant: i64, id: i64) -> String {
    app.store
        .appointment(tenant, id)
        .await
        .unwrap()
        .unwrap()
        .status
        .as_str()
        .to_owned()
}

/// The owner blocks Anna's morning of 2027-03-10 (08:00–11:00 UTC): she called in sick.
async fn anna_off_sick(app: &TestApp, tenant: i64, anna: i64) {
    app.store
        .add_closure(
            tenant,
            Some(anna),
            ms("2027-03-10T08:00:00Z"),
            ms("2027-03-10T11:00:00Z"),
            "krank",
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_hold_that_no_longer_fits_is_queued_and_an_admin_retry_books_it() {
    let app = spawn_app().await;
    let (tenant, anna) = salon(&app).await;
    let id = hold(&app, "call_r1", "2027-03-10T10:00").await;
    // During the call the owner blocks the morning (say, Anna called in sick).
    anna_off_sick(&app, tenant, anna).await;
    end_call(&app, "call_r1").await;
    assert_eq!(
        status_of(&app, tenant, id).await,
        "held",
        "not booked into a closure"
    );

    let cookie = app.login("owner@salon.de", "owner-password-1").await;
    let open = rpc(&app, &cookie, "webhooks.recovery.list", json!({})).await;
    let items = open["result"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{open}");
    let item = &items[0];
    assert_eq!(item["reason"], "a closure now covers this time");
    assert_eq!(item["collected"]["customer_name"], "Eva Held");
    assert_eq!(item["collected"]["customer_phone"], CALLER);
    assert_eq!(item["collected"]["starts_local"], "2027-03-10 10:00");
    let item_id = item["id"].as_i64().unwrap();

    let still = rpc(
        &app,
        &cookie,
        "webhooks.recovery.retry",
        json!({"id": item_id}),
    )
    .await;
    assert_eq!(still["error"]["code"], -32004, "{still}");
    assert!(still["error"]["message"]
        .as_str()
        .unwrap()
        .contains("closure"));

    // The closure is lifted; a retry now books the appointment.
    sqlx::query("DELETE FROM closures")
        .execute(app.store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE tenants SET schedule_version = schedule_version + 1")
        .execute(app.store.pool())
        .await
        .unwrap();
    let done = rpc(
        &app,
        &cookie,
        "webhooks.recovery.retry",
        json!({"id": item_id}),
    )
    .await;
    assert_eq!(done["result"]["status"], "resolved", "{done}");
    assert_eq!(done["result"]["appointment"]["status"], "booked");
    assert_eq!(done["result"]["resolved_by"], "admin:owner@salon.de");
    assert_eq!(status_of(&app, tenant, id).await, "booked");
    let again = rpc(
        &app,
        &cookie,
        "webhooks.recovery.retry",
        json!({"id": item_id}),
    )
    .await;
    assert_eq!(
        again["error"]["code"], -32012,
        "a closed item cannot be retried"
    );

    let history: Vec<(String, String)> = app
        .store
        .appointment_history(tenant, id)
        .await
        .unwrap()
        .into_iter()
        .map(|h| (h.0, h.1))
        .collect();
    let actions: Vec<&str> = history.iter().map(|h| h.0.as_str()).collect();
    assert_eq!(
        actions,
        ["held", "needs_recovery", "recovery_retry_failed", "booked"]
    );
    assert_eq!(history[3].1, "admin:owner@salon.de");
}

#[tokio::test]
async fn an_admin_can_rebook_or_dismiss_a_queued_hold() {
    let app = spawn_app().await;
    let (tenant, anna) = salon(&app).await;
    let first = hold(&app, "call_r2", "2027-03-10T10:00").await;
    let second = hold(&app, "call_r3", "2027-03-10T11:00").await;
    anna_off_sick(&app, tenant, anna).await;
    end_call(&app, "call_r2").await;
    end_call(&app, "call_r3").await;
    let cookie = app.login("owner@salon.de", "owner-password-1").await;
    let items = rpc(&app, &cookie, "webhooks.recovery.list", json!({})).await["result"].clone();
    assert_eq!(items.as_array().unwrap().len(), 2);
    let item_for = |appointment: i64| {
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["appointment"]["id"].as_i64() == Some(appointment))
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };

    let taken = rpc(
        &app,
        &cookie,
        "webhooks.recovery.rebook",
        json!({"id": item_for(first), "new_time": "2027-03-10T10:30"}),
    )
    .await;
    assert_eq!(
        taken["error"]["code"], -32010,
        "the closed morning is not free: {taken}"
    );
    let moved = rpc(
        &app,
        &cookie,
        "webhooks.recovery.rebook",
        json!({"id": item_for(first), "new_time": "2027-03-10T15:00"}),
    )
    .await;
    assert_eq!(
        moved["result"]["appointment"]["starts_local"], "2027-03-10 15:00",
        "{moved}"
    );
    assert_eq!(moved["result"]["appointment"]["status"], "booked");

    let unexplained = rpc(
        &app,
        &cookie,
        "webhooks.recovery.dismiss",
        json!({"id": item_for(second), "reason": " "}),
    )
    .await;
    assert_eq!(unexplained["error"]["data"]["field"], "reason");
    let dismissed = rpc(
        &app,
        &cookie,
        "webhooks.recovery.dismiss",
        json!({"id": item_for(second), "reason": "Kundin informiert"}),
    )
    .await;
    assert_eq!(dismissed["result"]["status"], "dismissed", "{dismissed}");
    assert_eq!(status_of(&app, tenant, second).await, "cancelled");
    assert!(
        rpc(&app, &cookie, "webhooks.recovery.list", json!({})).await["result"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let all = rpc(
        &app,
        &cookie,
        "webhooks.recovery.list",
        json!({"include_closed": true}),
    )
    .await;
    assert_eq!(all["result"].as_array().unwrap().len(), 2);

    let token = app.token("salon").await;
    let (_, by_token) = app
        .rpc_raw(
            &json!({"jsonrpc": "2.0", "id": 1, "method": "webhooks.recovery.list"}).to_string(),
            Some(&token),
        )
        .await;
    assert_eq!(
        by_token["error"]["code"], -32002,
        "recovery is for signed-in admins"
    );
}
