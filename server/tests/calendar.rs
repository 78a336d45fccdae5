//! The calendar by hand and the call detail: an admin books from real availability (the phone
//! agent then cannot take that time), a taken time answers with alternatives, moves and
//! cancellations land in the history; a call shows its transcript, every custom-function
//! call with arguments and reply, and the appointments it made — linked both ways.

mod common;

use common::office::{day_ahead, ok, refused, rpc_as, Office};
use common::salon::{call, salon, CALLER, KEY};
use common::{sign_now, spawn_app, webhook_body, TestApp};
use serde_json::{json, Value};

/// The salon's owner and a staff account, signed in.
async fn sessions(app: &TestApp, tenant: i64) -> Office {
    app.admin("salon", "owner@salon.test", "owner password 1")
        .await;
    slotline::cli::create_admin(
        &app.store,
        "staff@salon.test",
        "staff password 1",
        Some("salon"),
        "staff",
    )
    .await
    .unwrap();
    Office {
        tenant,
        owner: app.login("owner@salon.test", "owner password 1").await,
        staff: app.login("staff@salon.test", "staff password 1").await,
    }
}

/// The id of the salon's service called `name`.
async fn service_id(app: &TestApp, o: &Office, name: &str) -> i64 {
    let state = ok(app, &o.owner, "scheduling.setup", json!({})).await;
    state["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .and_then(|s| s["id"].as_i64())
        .unwrap()
}

#[tokio::test]
async fn a_manual_booking_takes_the_slot_and_moves_and_cancels_are_in_the_history() {
    let app = spawn_app().await;
    let (tenant, _anna, ben) = salon(&app).await;
    let o = sessions(&app, tenant).await;
    let herren = service_id(&app, &o, "Herrenhaarschnitt").await;
    let d = day_ahead(3);

    // The slot picker offers Ben's real times; staff book one by hand.
    let free = ok(
        &app,
        &o.staff,
        "appointments.slots",
        json!({"service_id": herren, "staff_id": ben, "date": d}),
    )
    .await;
    let ten = format!("{d}T10:00");
    assert!(
        free.as_array()
            .unwrap()
            .iter()
            .any(|s| s["local"] == ten.as_str() && s["staff"] == "Ben"),
        "{free}"
    );
    let booked = ok(&app, &o.staff, "appointments.book", json!({"service_id": herren, "staff_id": ben,
        "start": ten, "customer_name": "Tom Hand", "customer_phone": "+4917611122233", "notes": "Stammkunde"})).await;
    assert_eq!(booked["status"], "booked");
    assert_eq!(booked["source"], "admin");
    assert_eq!(booked["staff_id"], ben);
    let id = booked["id"].as_i64().unwrap();

    // The phone agent can no longer book Ben at 10:00.
    let (_, phone) = call(&app, "collect_appointment", "c-cal-1", CALLER,
        json!({"service": "Herrenhaarschnitt", "staff": "Ben", "when": ten, "customer_name": "Eva"})).await;
    assert_eq!(phone["success"], false, "{phone}");
    assert_eq!(phone["error"], "not_available", "{phone}");

    // A second booking of the same time answers with alternatives, not a bare error.
    let res = rpc_as(
        &app,
        &o.owner,
        "appointments.book",
        json!({"service_id": herren, "staff_id": ben,
        "start": ten, "customer_name": "Zweite", "customer_phone": "+4917611122234"}),
    )
    .await;
    assert_eq!(res["error"]["code"], -32010, "{res}");
    assert!(
        !res["error"]["data"]["alternatives"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{res}"
    );

    // Bad input is named.
    let (code, field, _) = refused(
        &app,
        &o.staff,
        "appointments.book",
        json!({"service_id": herren,
        "start": format!("{d}T11:00"), "customer_name": "X", "customer_phone": "0176 1112223"}),
    )
    .await;
    assert_eq!((code, field.as_str()), (-32004, "customer_phone"));
    let (_, field, _) = refused(
        &app,
        &o.staff,
        "appointments.book",
        json!({"service_id": herren,
        "start": "sometime", "customer_name": "X", "customer_phone": "+4917611122233"}),
    )
    .await;
    assert_eq!(field, "start");

    // Move to 11:30 with Ben, then cancel with a reason: both in the history.
    let moved = ok(
        &app,
        &o.staff,
        "appointments.move",
        json!({"appointment_id": id, "start": format!("{d}T11:30")}),
    )
    .await;
    assert_eq!(moved["starts_local"], format!("{d} 11:30"));
    assert_eq!(moved["staff"], "Ben");
    let (_, field, _) = refused(
        &app,
        &o.staff,
        "appointments.cancel",
        json!({"appointment_id": id, "reason": " "}),
    )
    .await;
    assert_eq!(field, "reason");
    let cancelled = ok(
        &app,
        &o.staff,
        "appointments.cancel",
        json!({"appointment_id": id, "reason": "Kunde krank"}),
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    let (code, _, _) = refused(
        &app,
        &o.staff,
        "appointments.cancel",
        json!({"appointment_id": id, "reason": "again"}),
    )
    .await;
    assert_eq!(
        code, -32012,
        "a cancelled appointment cannot be cancelled again"
    );
    let detail = ok(
        &app,
        &o.owner,
        "appointments.history",
        json!({"appointment_id": id}),
    )
    .await;
    assert_eq!(detail["cancel_reason"], "Kunde krank");
    let history = detail["history"].as_array().unwrap();
    let actions: Vec<&str> = history
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["booked", "moved", "cancelled"], "{detail}");
    assert!(
        history.iter().all(|h| h["by"] == "admin staff@salon.test"),
        "{detail}"
    );
    let summary = history[1]["summary"].as_str().unwrap();
    assert!(
        summary.contains(&format!("{d} 10:00")) && summary.contains(&format!("{d} 11:30")),
        "{summary}"
    );
    assert!(history[2]["summary"]
        .as_str()
        .unwrap()
        .contains("Kunde krank"));

    // The phone agent can take 10:00 again.
    let (_, again) = call(&app, "collect_appointment", "c-cal-2", CALLER,
        json!({"service": "Herrenhaarschnitt", "staff": "Ben", "when": ten, "customer_name": "Eva"})).await;
    assert_eq!(again["success"], true, "{again}");

    // The list finds appointments by name or phone digits, and by staff member.
    let by_name = ok(
        &app,
        &o.staff,
        "appointments.list",
        json!({"search": "tom"}),
    )
    .await;
    assert_eq!(by_name.as_array().unwrap().len(), 1, "{by_name}");
    let by_phone = ok(
        &app,
        &o.staff,
        "appointments.list",
        json!({"search": "611122233"}),
    )
    .await;
    assert_eq!(by_phone[0]["id"], id);
    let bens = ok(
        &app,
        &o.staff,
        "appointments.list",
        json!({"staff_id": ben}),
    )
    .await;
    assert_eq!(bens.as_array().unwrap().len(), 2, "{bens}");
    let nobody = ok(
        &app,
        &o.staff,
        "appointments.list",
        json!({"search": "Nobody Here"}),
    )
    .await;
    assert_eq!(nobody, json!([]));
}

/// Posts a signed webhook and waits for the worker.
async fn webhook(app: &TestApp, event: &str, call_id: &str, extra: Value) {
    let body = webhook_body(event, call_id, "agent_salon", extra);
    let res = app.post_webhook(&body, Some(sign_now(&body, KEY))).await;
    assert_eq!(res.status(), 200);
    app.drain_inbox().await;
}

#[tokio::test]
async fn a_call_shows_its_transcript_function_calls_and_appointments() {
    let app = spawn_app().await;
    let (tenant, _, _) = salon(&app).await;
    let o = sessions(&app, tenant).await;
    let d = day_ahead(4);
    let call_id = "call_detail_1";
    webhook(
        &app,
        "call_started",
        call_id,
        json!({"call_status": "ongoing"}),
    )
    .await;
    let (_, offered) = call(
        &app,
        "check_availability",
        call_id,
        CALLER,
        json!({"service": "Damenhaarschnitt", "date": d, "time": "10:00"}),
    )
    .await;
    assert_eq!(offered["available"], true, "{offered}");
    let (_, held) = call(&app, "collect_appointment", call_id, CALLER,
        json!({"service": "Damenhaarschnitt", "when": format!("{d}T10:00"), "customer_name": "Eva Anruf",
               "phone": "0176 99887766"})).await;
    let appointment = held["appointment_id"].as_i64().unwrap();
    webhook(
        &app,
        "call_ended",
        call_id,
        json!({"call_status": "ended", "duration_ms": 95_000,
        "transcript": "Agent: Salon Test, guten Tag.\nUser: Ich möchte einen Termin."}),
    )
    .await;
    webhook(
        &app,
        "call_analyzed",
        call_id,
        json!({"call_analysis": {
        "call_summary": "Termin gebucht", "user_sentiment": "Positive", "call_successful": true}}),
    )
    .await;

    let detail = ok(&app, &o.staff, "calls.get", json!({"call_id": call_id})).await;
    assert!(
        detail["transcript"]
            .as_str()
            .unwrap()
            .contains("Ich möchte einen Termin"),
        "{detail}"
    );
    assert_eq!(detail["call"]["summary"], "Termin gebucht");
    assert_eq!(detail["call"]["sentiment"], "Positive");
    assert_eq!(detail["call"]["duration_secs"], 95);
    assert_eq!(detail["call"]["outcome"], "booked");
    let functions = detail["function_calls"].as_array().unwrap();
    let names: Vec<&str> = functions
        .iter()
        .map(|f| f["function"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["check_availability", "collect_appointment"],
        "{detail}"
    );
    assert_eq!(functions[0]["arguments"]["service"], "Damenhaarschnitt");
    assert_eq!(functions[0]["reply"]["available"], true);
    assert_eq!(functions[1]["arguments"]["customer_name"], "Eva Anruf");
    assert_eq!(functions[1]["reply"]["appointment_id"], appointment);
    assert_eq!(functions[1]["outcome"], "ok");
    let logged = functions[1]["arguments"]["phone"].as_str().unwrap();
    assert!(
        !logged.contains("99887766") && logged.ends_with("766"),
        "masked: {logged}"
    );
    let linked = detail["appointments"].as_array().unwrap();
    assert_eq!(linked.len(), 1, "{detail}");
    assert_eq!(linked[0]["appointment"]["id"], appointment);
    assert_eq!(linked[0]["actions"], json!(["held", "booked"]));

    // The appointment points back to its call.
    let history = ok(
        &app,
        &o.staff,
        "appointments.history",
        json!({"appointment_id": appointment}),
    )
    .await;
    assert_eq!(history["appointment"]["call_id"], call_id);
    assert_eq!(history["history"][0]["call_id"], call_id);
    assert_eq!(history["history"][0]["by"], format!("phone call {call_id}"));
    assert_eq!(history["history"][1]["by"], "the end of the phone call");

    // A second call moves it: that call's outcome is "changed" and it lists the appointment.
    let (_, moved) = call(
        &app,
        "change_appointment",
        "call_detail_2",
        CALLER,
        json!({"appointment_id": appointment, "new_when": format!("{d}T14:00")}),
    )
    .await;
    assert_eq!(moved["success"], true, "{moved}");
    webhook(
        &app,
        "call_started",
        "call_detail_2",
        json!({"call_status": "ongoing"}),
    )
    .await;
    let second = ok(
        &app,
        &o.staff,
        "calls.get",
        json!({"call_id": "call_detail_2"}),
    )
    .await;
    assert_eq!(second["call"]["outcome"], "changed");
    assert_eq!(second["appointments"][0]["actions"], json!(["moved"]));

    // The list filters by outcome, caller digits and day.
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["call_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let booked = ok(&app, &o.staff, "calls.list", json!({"outcome": "booked"})).await;
    assert_eq!(ids(&booked), [call_id]);
    let changed = ok(&app, &o.staff, "calls.list", json!({"outcome": "changed"})).await;
    assert_eq!(ids(&changed), ["call_detail_2"]);
    assert_eq!(
        ok(&app, &o.staff, "calls.list", json!({"outcome": "failed"})).await,
        json!([])
    );
    let mine = ok(&app, &o.staff, "calls.list", json!({"caller": "12345678"})).await;
    assert_eq!(mine.as_array().unwrap().len(), 2);
    assert_eq!(
        ok(&app, &o.staff, "calls.list", json!({"caller": "999999"})).await,
        json!([])
    );
    // webhook_body dates every call 2025-11-25 (start_timestamp).
    let that_day = ok(
        &app,
        &o.staff,
        "calls.list",
        json!({"from": "2025-11-25", "to": "2025-11-25"}),
    )
    .await;
    assert_eq!(that_day.as_array().unwrap().len(), 2, "{that_day}");
    let later = ok(&app, &o.staff, "calls.list", json!({"from": "2025-11-26"})).await;
    assert_eq!(later, json!([]));
    let (_, field, _) = refused(&app, &o.staff, "calls.list", json!({"from": "yesterday"})).await;
    assert_eq!(field, "from");
}
