//! `calls.replay`: a stored call re-sent against a scratch copy of the schedule as it was when
//! the call started. Calls are made by the simulator (real Retell requests) on the demo.

mod common;

use common::{spawn_app_with, TestApp};
use serde_json::{json, Value};
use slotline::simulate::{scenario, Options, Simulator};

const SEED_AT: &str = "2027-03-01T08:00:00Z";

/// The demo after playing `files`, with an admin session made afterwards (sessions expire by
/// the server's clock, which the scenarios move).
async fn demo_after(files: &[&str]) -> (TestApp, Simulator, String) {
    let at = SEED_AT.parse().unwrap();
    let app = spawn_app_with(|c| c.clock = slotline::clock::Clock::settable(at)).await;
    slotline::demo::seed(&app.store, &app.config, None)
        .await
        .expect("demo seeded");
    let password = std::fs::read_to_string(app.config.data_dir.join("demo-admin-password"))
        .unwrap()
        .trim()
        .to_owned();
    let sim = Simulator::new(
        app.store.clone(),
        &app.config.secret_key,
        Options {
            base: app.base.clone(),
            retell_api_key: None,
            function_token: None,
            admin_email: slotline::demo::DEMO_ADMIN_EMAIL.into(),
            admin_password: Some(password.clone()),
        },
    );
    for file in files {
        play(&sim, file).await;
    }
    let cookie = app.login(slotline::demo::DEMO_ADMIN_EMAIL, &password).await;
    (app, sim, cookie)
}

async fn play(sim: &Simulator, file: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scenarios")
        .join(file);
    let s = scenario::load(&path).unwrap();
    if let Err(f) = sim.run(&s).await {
        panic!("{f}");
    }
}

/// The call ids of a caller's calls (newest first) through `calls.list`.
async fn calls_of(app: &TestApp, cookie: &str, caller_digits: &str) -> Vec<String> {
    let (reply, text) = app
        .rpc_text(cookie, "calls.list", json!({ "caller": caller_digits }))
        .await;
    reply["result"]
        .as_array()
        .or_else(|| reply["result"]["calls"].as_array())
        .unwrap_or_else(|| panic!("{text}"))
        .iter()
        .map(|c| c["call_id"].as_str().unwrap().to_owned())
        .collect()
}

async fn replay(app: &TestApp, cookie: &str, call_id: &str) -> Value {
    let (reply, text) = app
        .rpc_text(cookie, "calls.replay", json!({ "call_id": call_id }))
        .await;
    assert!(reply.get("result").is_some(), "{text}");
    reply["result"].clone()
}

#[tokio::test]
async fn a_stored_call_replays_step_by_step_with_the_same_replies() {
    let (app, _sim, cookie) = demo_after(&["01-book-tomorrow.json"]).await;
    let call = calls_of(&app, &cookie, "4915100000101").await.remove(0);
    let before = app.store.appointments_of_call(1, &call).await.unwrap();

    let result = replay(&app, &cookie, &call).await;
    assert_eq!(result["call_id"], call);
    assert_eq!(result["started_local"], "2027-03-02 10:00");
    let steps = result["steps"].as_array().unwrap();
    let names: Vec<&str> = steps.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "call_started",
            "check_availability",
            "collect_appointment",
            "call_ended",
            "call_analyzed"
        ]
    );
    assert_eq!(result["differing"], 0, "{result}");
    let collect = &steps[2];
    assert_eq!(collect["kind"], "function");
    assert_eq!(collect["arguments"]["time"], "halb drei");
    assert_eq!(collect["original"]["local"], "2027-03-03T14:30");
    assert_eq!(collect["replayed"]["local"], "2027-03-03T14:30");
    assert_eq!(collect["differs"], false);
    assert_eq!(
        steps[3]["replayed"],
        json!({"status": "applied", "recovery": 0})
    );
    // The real database is untouched: the call's appointment is still the one booked.
    assert_eq!(
        app.store.appointments_of_call(1, &call).await.unwrap(),
        before
    );
}

#[tokio::test]
async fn a_replay_shows_where_todays_schedule_answers_differently() {
    let (app, _sim, cookie) = demo_after(&["01-book-tomorrow.json"]).await;
    let call = calls_of(&app, &cookie, "4915100000101").await.remove(0);
    // The salon closes that day afterwards: today the same call gets other answers.
    let (closed, text) = app
        .rpc_text(
            &cookie,
            "scheduling.closures.add",
            json!({"from": "2027-03-03", "to": "2027-03-03", "reason": "Inventur", "confirm": true}),
        )
        .await;
    assert_eq!(closed["result"]["applied"], true, "{text}");
    let result = replay(&app, &cookie, &call).await;
    let steps = result["steps"].as_array().unwrap();
    assert_eq!(steps[1]["original"]["available"], true);
    assert_eq!(steps[1]["replayed"]["available"], false, "{result}");
    assert_eq!(steps[1]["differs"], true);
    assert_eq!(steps[2]["original"]["success"], true);
    assert_eq!(steps[2]["replayed"]["success"], false);
    assert_eq!(steps[2]["differs"], true);
    assert!(result["differing"].as_u64().unwrap() >= 2, "{result}");
}

#[tokio::test]
async fn a_cancelled_appointment_stands_again_when_the_cancelling_call_is_replayed() {
    let (app, _sim, cookie) = demo_after(&["08-cancel-with-reason.json"]).await;
    let calls = calls_of(&app, &cookie, "4915100000108").await;
    assert_eq!(calls.len(), 2);
    // Newest first: the second call cancelled the appointment the first one booked.
    let result = replay(&app, &cookie, &calls[0]).await;
    let cancel = &result["steps"].as_array().unwrap()[1];
    assert_eq!(cancel["name"], "cancel_appointment");
    assert_eq!(cancel["original"]["success"], true);
    assert_eq!(cancel["replayed"]["success"], true, "{result}");
    assert_eq!(cancel["differs"], false, "{result}");
}

#[tokio::test]
async fn another_businesss_call_and_an_unknown_call_are_not_found() {
    let (app, _sim, cookie) = demo_after(&["01-book-tomorrow.json"]).await;
    let call = calls_of(&app, &cookie, "4915100000101").await.remove(0);
    app.tenant("other", "Other", "+493055555555").await;
    app.admin("other", "owner@other.test", "other-password-1")
        .await;
    let other = app.login("owner@other.test", "other-password-1").await;
    for (who, id) in [(&other, call.as_str()), (&cookie, "call_unknown_123")] {
        let (reply, text) = app
            .rpc_text(who, "calls.replay", json!({ "call_id": id }))
            .await;
        assert_eq!(reply["error"]["code"], -32003, "{text}");
        assert!(text.contains("no call"), "{text}");
    }
    // API tokens cannot replay (admins only).
    let token = app.token("demo").await;
    let (status, reply) = app
        .rpc_raw(
            &json!({"jsonrpc": "2.0", "id": 1, "method": "calls.replay", "params": {"call_id": call}})
                .to_string(),
            Some(&token),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(reply["error"]["code"], -32002, "{reply}");
}
