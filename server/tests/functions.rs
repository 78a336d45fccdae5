//! The Retell custom functions over HTTP with Retell-signed bodies: checking, booking,
//! alternatives, changing, cancelling, caller identity, notice, concurrency, retries, DST,
//! closures and unknown services. Runs on SQLite and (in make test) on PostgreSQL.

mod common;

use common::salon::{call, post, salon, AGENT, CALLER, KEY, OTHER};
use common::{ms, sign_now, spawn_app, TestApp};
use serde_json::{json, Value};
use sqlx::Row;

/// Books directly through the store, as an admin or another server process would.
#[allow(clippy::too_many_arguments)]
async fn walk_in(
    app: &TestApp,
    tenant: i64,
    staff: i64,
    service: i64,
    start: i64,
    minutes: i64,
    buffer: i64,
    phone: &str,
) {
    let new = slotline::store::appointments::NewAppointment {
        tenant_id: tenant,
        service_id: service,
        placement: slotline::store::appointments::Placement {
            staff_id: staff,
            starts_at: start,
            ends_at: start + minutes * 60_000,
            block_start: start,
            block_end: start + (minutes + buffer) * 60_000,
        },
        customer_name: "Walk-in",
        customer_phone: phone,
        update_customer: true,
        contact_phone: None,
        customer_email: None,
        status: app::contract::AppointmentStatus::Booked,
        source: "admin",
        call_id: None,
        notes: "",
        actor: "test",
    };
    app.store.book(&new, None).await.unwrap();
}

fn book_args(when: &str) -> Value {
    json!({ "service": "Damenhaarschnitt", "when": when, "customer_name": "Anna Schmidt" })
}

/// Appointments that still occupy time, as (id, status, starts_at ms).
async fn active(app: &TestApp) -> Vec<(i64, String, i64)> {
    sqlx::query("SELECT id, status, starts_at FROM appointments WHERE status IN ('held','booked') ORDER BY id")
        .fetch_all(app.store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("id"), r.get("status"), r.get("starts_at")))
        .collect()
}

#[tokio::test]
async fn booking_holds_the_slot_and_offers_alternatives_once_taken() {
    let app = spawn_app().await;
    salon(&app).await;
    let (status, free) = call(
        &app,
        "check_availability",
        "call_1",
        CALLER,
        json!({"service": "Damenhaarschnitt", "date": "2027-03-10", "time": "10:00"}),
    )
    .await;
    assert_eq!(status, 200, "{free}");
    assert_eq!(free["available"], true, "{free}");
    assert_eq!(free["requested"]["staff"], "Anna");
    assert!(
        free["message"]
            .as_str()
            .unwrap()
            .contains("Mittwoch, 10. März um 10:00 Uhr"),
        "{free}"
    );

    let (_, booked) = call(
        &app,
        "collect_appointment",
        "call_1",
        CALLER,
        book_args("2027-03-10T10:00"),
    )
    .await;
    assert_eq!(booked["success"], true, "{booked}");
    assert_eq!(booked["status"], "held");
    assert_eq!(booked["start"], "2027-03-10T09:00:00Z");
    assert!(booked["message"]
        .as_str()
        .unwrap()
        .contains("Mittwoch, 10. März um 10:00 Uhr"));
    let rows = active(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].1, "held");
    let customer: String = sqlx::query(
        "SELECT c.phone_e164 FROM customers c JOIN appointments a ON a.customer_id = c.id",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap()
    .get(0);
    assert_eq!(
        customer, CALLER,
        "the caller's number is the customer's phone by default"
    );

    let (_, again) = call(
        &app,
        "check_availability",
        "call_2",
        OTHER,
        json!({"service": "Damenhaarschnitt", "when": "2027-03-10T10:30"}),
    )
    .await;
    assert_eq!(again["available"], false, "{again}");
    let slots = again["slots"].as_array().unwrap();
    assert!(!slots.is_empty());
    for s in slots {
        let start = ms(s["start"].as_str().unwrap());
        // Anna's 10:00–10:45 + 15 min buffer: nothing whose 45+15 min overlaps 10:00–11:00.
        assert!(
            start + 60 * 60_000 <= ms("2027-03-10T09:00:00Z")
                || start >= ms("2027-03-10T10:00:00Z"),
            "{s}"
        );
    }
    let (_, taken) = call(
        &app,
        "collect_appointment",
        "call_2",
        OTHER,
        book_args("2027-03-10T10:00"),
    )
    .await;
    assert_eq!(taken["success"], false, "{taken}");
    assert_eq!(taken["error"], "not_available");
    assert!(
        !taken["slots"].as_array().unwrap().is_empty(),
        "alternatives offered"
    );
    assert_eq!(active(&app).await.len(), 1);
}

#[tokio::test]
async fn fifty_concurrent_collects_for_one_slot_book_exactly_one() {
    let app = spawn_app().await;
    salon(&app).await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let app = &app;
        tasks.push(async move {
            let caller = format!("+49151123400{i:02}");
            call(
                app,
                "collect_appointment",
                &format!("call_c{i}"),
                &caller,
                book_args("2027-03-10T14:00"),
            )
            .await
        });
    }
    let replies = futures_util::future::join_all(tasks).await;
    let wins = replies.iter().filter(|(_, r)| r["success"] == true).count();
    assert_eq!(wins, 1, "exactly one caller gets the slot");
    for (status, r) in replies.iter().filter(|(_, r)| r["success"] != true) {
        assert_eq!(*status, 200);
        assert!(
            ["slot_taken", "not_available"].contains(&r["error"].as_str().unwrap()),
            "{r}"
        );
        assert!(
            !r["slots"].as_array().unwrap().is_empty(),
            "losers get alternatives: {r}"
        );
    }
    assert_eq!(active(&app).await.len(), 1);
}

#[tokio::test]
async fn retell_retries_return_the_first_answer_and_book_once() {
    let app = spawn_app().await;
    salon(&app).await;
    let args = book_args("2027-03-10T11:00");
    let concurrent = futures_util::future::join_all((0..5).map(|_| {
        call(
            &app,
            "collect_appointment",
            "call_retry",
            CALLER,
            args.clone(),
        )
    }))
    .await;
    let (_, later) = call(
        &app,
        "collect_appointment",
        "call_retry",
        CALLER,
        args.clone(),
    )
    .await;
    assert_eq!(later["success"], true, "{later}");
    for (status, r) in &concurrent {
        assert_eq!(*status, 200);
        assert_eq!(r, &later, "every retry gets the same answer");
    }
    // args_at_root with the same arguments is the same request.
    let mut root = json!({"name": "collect_appointment", "call": {"call_id": "call_retry", "agent_id": AGENT,
        "from_number": CALLER, "to_number": "+493012345670", "start_timestamp": 1_804_582_800_000i64}});
    for (k, v) in args.as_object().unwrap() {
        root[k] = v.clone();
    }
    let body = root.to_string();
    let (_, at_root) = post(
        &app,
        "collect_appointment",
        &body,
        Some(sign_now(&body, KEY)),
    )
    .await;
    assert_eq!(at_root, later);
    assert_eq!(active(&app).await.len(), 1);
}

#[tokio::test]
async fn the_caller_moves_and_cancels_only_their_own_appointment() {
    let app = spawn_app().await;
    salon(&app).await;
    let (_, booked) = call(
        &app,
        "collect_appointment",
        "call_m",
        CALLER,
        book_args("2027-03-10T10:00"),
    )
    .await;
    let id = booked["appointment_id"].as_i64().unwrap();

    let (_, stranger) = call(
        &app,
        "change_appointment",
        "call_x",
        OTHER,
        json!({"new_date": "2027-03-10", "new_time": "15:00"}),
    )
    .await;
    assert_eq!(stranger["success"], false);
    assert_eq!(stranger["error"], "no_appointment");
    assert!(stranger["message"]
        .as_str()
        .unwrap()
        .contains("keinen anstehenden Termin"));
    let (_, stranger) = call(
        &app,
        "cancel_appointment",
        "call_x",
        OTHER,
        json!({"appointment_id": id, "reason": "x"}),
    )
    .await;
    assert_eq!(stranger["error"], "no_appointment");
    assert_eq!(
        active(&app).await[0].2,
        ms("2027-03-10T09:00:00Z"),
        "unchanged"
    );

    let (_, moved) = call(
        &app,
        "change_appointment",
        "call_m2",
        CALLER,
        json!({"new_date": "2027-03-10", "new_time": "halb vier"}),
    )
    .await;
    assert_eq!(moved["success"], true, "{moved}");
    assert_eq!(moved["appointment_id"].as_i64(), Some(id));
    assert_eq!(moved["local"], "2027-03-10T15:30");
    assert!(moved["message"].as_str().unwrap().contains("15:30 Uhr"));
    assert_eq!(active(&app).await[0].2, ms("2027-03-10T14:30:00Z"));
    let (_, old_time) = call(
        &app,
        "check_availability",
        "call_m2",
        CALLER,
        json!({"service": "Damenhaarschnitt", "when": "2027-03-10T10:00"}),
    )
    .await;
    assert_eq!(old_time["available"], true, "the old time is free again");
    let history = app.store.appointment_history(1, id).await.unwrap();
    assert_eq!(
        history.iter().map(|h| h.0.as_str()).collect::<Vec<_>>(),
        ["held", "moved"]
    );

    let (_, cancelled) = call(
        &app,
        "cancel_appointment",
        "call_m3",
        CALLER,
        json!({"reason": "krank"}),
    )
    .await;
    assert_eq!(cancelled["success"], true, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    assert!(active(&app).await.is_empty());
    let (_, free) = call(
        &app,
        "check_availability",
        "call_m3",
        CALLER,
        json!({"service": "Damenhaarschnitt", "when": "2027-03-10T15:30"}),
    )
    .await;
    assert_eq!(
        free["available"], true,
        "a cancelled appointment frees its time"
    );
}

#[tokio::test]
async fn changes_and_cancellations_respect_the_minimum_notice() {
    let app = spawn_app().await;
    let (tenant, anna, _) = salon(&app).await;
    let soon = app.store.now_ms() + 2 * 3_600_000;
    let soon = soon - soon % 300_000;
    walk_in(&app, tenant, anna, 2, soon, 30, 0, CALLER).await;
    let (_, late) = call(
        &app,
        "cancel_appointment",
        "call_n",
        CALLER,
        json!({"reason": "keine Zeit"}),
    )
    .await;
    assert_eq!(late["success"], false);
    assert_eq!(late["error"], "too_late");
    assert!(
        late["message"].as_str().unwrap().contains("24 Stunden"),
        "{late}"
    );
    let (_, late) = call(
        &app,
        "change_appointment",
        "call_n",
        CALLER,
        json!({"when": "2027-03-10T10:00"}),
    )
    .await;
    assert_eq!(late["error"], "too_late");
    // The same rule over the gateway: its own code, and data saying what to do.
    let id = active(&app).await[0].0;
    let token = app.token("salon").await;
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "appointment.management.cancel",
        "params": {"appointment_id": id, "phone": CALLER, "reason": "krank"}});
    let (_, res) = app.rpc_raw(&body.to_string(), Some(&token)).await;
    assert_eq!(res["error"]["code"], -32011, "{res}");
    assert_eq!(active(&app).await.len(), 1, "still booked");
}

#[tokio::test]
async fn dst_days_keep_local_opening_hours() {
    let app = spawn_app().await;
    salon(&app).await;
    // 2027-03-28: clocks go 02:00 → 03:00 in Berlin; 09:00 local is 07:00 UTC.
    let (_, spring) = call(
        &app,
        "check_availability",
        "call_d",
        CALLER,
        json!({"service": "Herrenhaarschnitt", "date": "2027-03-28"}),
    )
    .await;
    assert_eq!(spring["slots"][0]["local"], "2027-03-28T09:00", "{spring}");
    assert_eq!(spring["slots"][0]["start"], "2027-03-28T07:00:00Z");
    // 2027-10-31: clocks go 03:00 → 02:00; 09:00 local is 08:00 UTC.
    let (_, autumn) = call(
        &app,
        "check_availability",
        "call_d",
        CALLER,
        json!({"service": "Herrenhaarschnitt", "date": "2027-10-31"}),
    )
    .await;
    assert_eq!(
        autumn["slots"][0]["start"], "2027-10-31T08:00:00Z",
        "{autumn}"
    );
    let (_, booked) = call(&app, "collect_appointment", "call_d", CALLER, json!({"service": "Herrenhaarschnitt", "date": "2027-03-28", "time": "14:30", "customer_name": "Tom"})).await;
    assert_eq!(booked["start"], "2027-03-28T12:30:00Z", "{booked}");
}

#[tokio::test]
async fn a_closure_day_offers_the_next_open_days() {
    let app = spawn_app().await;
    let (tenant, _, _) = salon(&app).await;
    app.store
        .add_closure(
            tenant,
            None,
            ms("2027-03-10T23:00:00Z"),
            ms("2027-03-11T23:00:00Z"),
            "Inventur",
        )
        .await
        .unwrap();
    let (_, closed) = call(
        &app,
        "check_availability",
        "call_cl",
        CALLER,
        json!({"service": "Herrenhaarschnitt", "date": "11.3.2027", "time": "um 10 Uhr"}),
    )
    .await;
    assert_eq!(closed["available"], false, "{closed}");
    let slots = closed["slots"].as_array().unwrap();
    assert!(!slots.is_empty());
    assert!(
        slots
            .iter()
            .all(|s| s["local"].as_str().unwrap() >= "2027-03-12"),
        "{closed}"
    );
    assert_eq!(
        slots[0]["local"], "2027-03-12T10:00",
        "nearest to the wished time on the next open day"
    );
    let (_, refused) = call(
        &app,
        "collect_appointment",
        "call_cl",
        CALLER,
        json!({"service": "Herrenhaarschnitt", "when": "2027-03-11T10:00", "customer_name": "Tom"}),
    )
    .await;
    assert_eq!(refused["error"], "not_available");
}

#[tokio::test]
async fn unknown_services_and_bad_requests_get_clear_answers() {
    let app = spawn_app().await;
    salon(&app).await;
    let (status, unknown) = call(
        &app,
        "check_availability",
        "call_u",
        CALLER,
        json!({"service": "Massage", "when": "morgen"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(unknown["error"], "unknown_service");
    assert!(
        unknown["message"]
            .as_str()
            .unwrap()
            .contains("Damenhaarschnitt"),
        "{unknown}"
    );
    let (_, phone_only) = call(
        &app,
        "collect_appointment",
        "call_u",
        CALLER,
        json!({"service": "Dauerwelle", "when": "2027-03-10T10:00", "customer_name": "X"}),
    )
    .await;
    assert_eq!(phone_only["error"], "not_bookable_by_phone");
    let (_, vague) = call(
        &app,
        "collect_appointment",
        "call_u",
        CALLER,
        json!({"service": "Herrenhaarschnitt", "when": "morgen nachmittag", "customer_name": "X"}),
    )
    .await;
    assert_eq!(vague["error"], "need_exact_time");
    let (_, nameless) = call(
        &app,
        "collect_appointment",
        "call_u",
        CALLER,
        json!({"service": "Herrenhaarschnitt", "when": "2027-03-10T10:00"}),
    )
    .await;
    assert_eq!(nameless["error"], "missing_name");
    let (_, gibberish) = call(
        &app,
        "check_availability",
        "call_u",
        CALLER,
        json!({"service": "Herrenhaarschnitt", "when": "blubb"}),
    )
    .await;
    assert_eq!(gibberish["error"], "time_not_understood");
    // A German phrase is read relative to the call's start (2027-03-09 10:00 Berlin).
    let (_, relative) = call(
        &app,
        "check_availability",
        "call_u",
        CALLER,
        json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "halb drei"}),
    )
    .await;
    assert_eq!(
        relative["requested"]["local"], "2027-03-10T14:30",
        "{relative}"
    );
    assert_eq!(relative["understood"]["wish"], "2027-03-10 14:30");
    assert_eq!(
        relative["understood"]["assumed"],
        json!(["hour_read_as_afternoon"]),
        "halb drei was read as 14:30 and says so"
    );

    let body = json!({"name": "collect_appointment", "call": {"call_id": "c", "agent_id": AGENT}, "args": book_args("2027-03-10T10:00")}).to_string();
    assert_eq!(
        post(&app, "collect_appointment", &body, None).await.0,
        401,
        "unsigned"
    );
    assert_eq!(
        post(
            &app,
            "collect_appointment",
            &body,
            Some(sign_now(&body, "wrong"))
        )
        .await
        .0,
        401
    );
    let stale = slotline::webhooks::signature::sign(
        body.as_bytes(),
        KEY,
        slotline::store::now_ms() - 600_000,
    );
    assert_eq!(
        post(&app, "collect_appointment", &body, Some(stale))
            .await
            .0,
        401
    );
    let tampered = body.replace("10:00", "11:00");
    assert_eq!(
        post(
            &app,
            "collect_appointment",
            &tampered,
            Some(sign_now(&body, KEY))
        )
        .await
        .0,
        401
    );
    assert_eq!(
        post(&app, "book_everything", &body, Some(sign_now(&body, KEY)))
            .await
            .0,
        404
    );
    assert_eq!(
        post(&app, "collect_appointment", "{", Some(sign_now("{", KEY)))
            .await
            .0,
        400
    );
    assert!(
        active(&app).await.is_empty(),
        "nothing booked by refused requests"
    );
}

#[tokio::test]
async fn call_ended_turns_the_calls_holds_into_bookings() {
    let app = spawn_app().await;
    let (tenant, _, _) = salon(&app).await;
    let (_, held) = call(
        &app,
        "collect_appointment",
        "call_end",
        CALLER,
        book_args("2027-03-10T16:00"),
    )
    .await;
    let id = held["appointment_id"].as_i64().unwrap();
    let (_, other) = call(
        &app,
        "collect_appointment",
        "call_other",
        OTHER,
        json!({"service": "Herrenhaarschnitt", "when": "2027-03-10T16:00", "customer_name": "Tom"}),
    )
    .await;
    assert_eq!(other["success"], true, "{other}");
    let ended = common::webhook_body(
        "call_ended",
        "call_end",
        AGENT,
        json!({"end_timestamp": 1_804_583_000_000i64, "duration_ms": 200_000}),
    );
    app.post_all_signed(&[&ended, &ended], KEY).await;
    app.drain_inbox().await;
    let statuses: Vec<(i64, String)> = active(&app)
        .await
        .into_iter()
        .map(|(i, s, _)| (i, s))
        .collect();
    assert_eq!(
        statuses,
        [(id, "booked".to_owned()), (id + 1, "held".to_owned())],
        "only this call's hold is booked"
    );
    let history = app.store.appointment_history(tenant, id).await.unwrap();
    assert_eq!(history.last().unwrap().1, "webhook:call_ended");
    assert_eq!(
        history.iter().filter(|h| h.0 == "booked").count(),
        1,
        "a repeated call_ended books once"
    );
}

#[tokio::test]
async fn holds_whose_call_ended_never_arrives_are_booked_after_the_grace_period() {
    use slotline::webhooks::sweeper::{sweep, HOLD_GRACE};
    let app = spawn_app().await;
    let (tenant, _, _) = salon(&app).await;
    let (_, held) = call(
        &app,
        "collect_appointment",
        "call_lost",
        CALLER,
        book_args("2027-03-10T16:00"),
    )
    .await;
    let id = held["appointment_id"].as_i64().unwrap();
    let scheduler = slotline::scheduling::Scheduler::new(app.store.clone());
    let now = app.store.now_ms();
    assert_eq!(
        sweep(&app.store, &scheduler, now).await,
        0,
        "a call may still be running"
    );
    assert_eq!(active(&app).await[0].1, "held");

    let later = now + HOLD_GRACE.as_millis() as i64 + 60_000;
    assert_eq!(sweep(&app.store, &scheduler, later).await, 1);
    assert_eq!(active(&app).await[0].1, "booked");
    let history = app.store.appointment_history(tenant, id).await.unwrap();
    assert_eq!(history.last().unwrap().1, "sweeper:call_ended_missing");
    assert_eq!(
        sweep(&app.store, &scheduler, later).await,
        0,
        "nothing twice"
    );

    // The webhook turning up after all books nothing more.
    let ended = common::webhook_body("call_ended", "call_lost", AGENT, json!({}));
    app.post_all_signed(&[&ended], KEY).await;
    app.drain_inbox().await;
    let history = app.store.appointment_history(tenant, id).await.unwrap();
    assert_eq!(history.iter().filter(|h| h.0 == "booked").count(), 1);
}

#[tokio::test]
async fn management_methods_apply_the_same_rules_scoped_to_the_token() {
    let app = spawn_app().await;
    salon(&app).await;
    app.tenant("other", "Other", "+493099999999").await;
    let (_, booked) = call(
        &app,
        "collect_appointment",
        "call_g",
        CALLER,
        book_args("2027-03-10T10:00"),
    )
    .await;
    let id = booked["appointment_id"].as_i64().unwrap();
    let token = app.token("salon").await;
    let foreign = app.token("other").await;
    let rpc = |method: &str, params: Value| {
        json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string()
    };

    let (_, found) = app
        .rpc_raw(
            &rpc(
                "appointment.management.find",
                json!({"phone": "0151 12345678"}),
            ),
            Some(&token),
        )
        .await;
    assert_eq!(
        found["result"][0]["id"].as_i64(),
        Some(id),
        "a national number is read in the tenant's country: {found}"
    );
    assert_eq!(found["result"][0]["starts_local"], "2027-03-10 10:00");
    assert_eq!(found["result"][0]["status"], "held");
    let (_, none) = app
        .rpc_raw(
            &rpc("appointment.management.find", json!({"phone": CALLER})),
            Some(&foreign),
        )
        .await;
    assert_eq!(
        none["result"],
        json!([]),
        "another tenant's token sees nothing"
    );
    let (_, bad) = app
        .rpc_raw(
            &rpc("appointment.management.find", json!({"phone": "12"})),
            Some(&token),
        )
        .await;
    assert_eq!(bad["error"]["data"]["field"], "phone");

    let (_, confirmed) = app
        .rpc_raw(
            &rpc(
                "appointment.management.confirm",
                json!({"appointment_id": id}),
            ),
            Some(&token),
        )
        .await;
    assert_eq!(confirmed["result"]["status"], "booked", "{confirmed}");
    let (_, foreign_change) = app
        .rpc_raw(
            &rpc(
                "appointment.management.change",
                json!({"appointment_id": id, "phone": CALLER, "new_time": "2027-03-10T15:00"}),
            ),
            Some(&foreign),
        )
        .await;
    assert_eq!(foreign_change["error"]["code"], -32003);
    let (_, wrong_phone) = app
        .rpc_raw(
            &rpc(
                "appointment.management.change",
                json!({"appointment_id": id, "phone": OTHER, "new_time": "2027-03-10T15:00"}),
            ),
            Some(&token),
        )
        .await;
    assert_eq!(wrong_phone["error"]["code"], -32003);
    let (_, moved) = app
        .rpc_raw(
            &rpc(
                "appointment.management.change",
                json!({"appointment_id": id, "phone": CALLER, "new_time": "2027-03-10T15:00"}),
            ),
            Some(&token),
        )
        .await;
    assert_eq!(
        moved["result"]["starts_local"], "2027-03-10 15:00",
        "{moved}"
    );
    let (_, closed) = app
        .rpc_raw(
            &rpc(
                "appointment.management.change",
                json!({"appointment_id": id, "phone": CALLER, "new_time": "2027-03-10T12:30"}),
            ),
            Some(&token),
        )
        .await;
    assert_eq!(
        closed["error"]["code"], -32010,
        "lunch break: slot error with alternatives"
    );
    assert!(!closed["error"]["data"]["alternatives"]
        .as_array()
        .unwrap()
        .is_empty());
    let (_, cancelled) = app
        .rpc_raw(
            &rpc(
                "appointment.management.cancel",
                json!({"appointment_id": id, "phone": CALLER, "reason": "verreist"}),
            ),
            Some(&token),
        )
        .await;
    assert_eq!(cancelled["result"]["status"], "cancelled");
    let (_, again) = app
        .rpc_raw(
            &rpc(
                "appointment.management.cancel",
                json!({"appointment_id": id, "phone": CALLER}),
            ),
            Some(&token),
        )
        .await;
    assert_eq!(
        again["error"]["code"], -32003,
        "a cancelled appointment cannot be cancelled again"
    );
    let (_, all) = app
        .rpc_raw(
            &rpc(
                "appointment.management.find",
                json!({"phone": CALLER, "include_past": true}),
            ),
            Some(&token),
        )
        .await;
    assert_eq!(all["result"][0]["status"], "cancelled");
}

#[tokio::test]
async fn each_staff_member_has_a_secret_calendar_feed() {
    let app = spawn_app().await;
    let (tenant, anna, _) = salon(&app).await;
    call(
        &app,
        "collect_appointment",
        "call_ics",
        CALLER,
        book_args("2027-03-10T10:00"),
    )
    .await;
    let secrets = slotline::crypto::SecretBox::new(&app.config.secret_key);
    let feeds = app.store.staff_feeds(tenant).await.unwrap();
    let (_, _, sealed) = feeds.iter().find(|f| f.0 == anna).unwrap();
    let token = secrets.open_for(tenant, sealed).unwrap();
    let res = app
        .client
        .get(format!("{}/calendar/{token}.ics", app.base))
        .send()
        .await
        .unwrap();
    common::assert_served(&res, "text/calendar");
    let ics = res.text().await.unwrap();
    assert!(ics.contains("DTSTART:20270310T090000Z"), "{ics}");
    assert!(ics.contains("SUMMARY:Damenhaarschnitt – Anna Schmidt"));
    assert!(
        ics.contains("STATUS:TENTATIVE"),
        "a hold is tentative until the call ends"
    );
    assert!(!ics.contains(CALLER), "no phone numbers in feeds");
    let (_, _, ben_sealed) = feeds.iter().find(|f| f.0 != anna).unwrap();
    let ben = app
        .client
        .get(format!(
            "{}/calendar/{}.ics",
            app.base,
            secrets.open_for(tenant, ben_sealed).unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert!(
        !ben.text().await.unwrap().contains("VEVENT"),
        "Ben's feed has only Ben's appointments"
    );
    let wrong = app
        .client
        .get(format!("{}/calendar/{}.ics", app.base, "0".repeat(40)))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 404);
}

#[tokio::test]
async fn a_customer_name_cannot_inject_properties_into_the_calendar_feed() {
    let app = spawn_app().await;
    let (tenant, anna, _) = salon(&app).await;
    let (_, booked) = call(
        &app,
        "collect_appointment",
        "call_ics_inject",
        CALLER,
        json!({
            "service": "Damenhaarschnitt",
            "when": "2027-03-10T10:00",
            "customer_name": "Eva\r\nATTENDEE:evil\rORGANIZER:evil\nX-EVIL:1",
            "notes": "bitte\rBEGIN:VALARM\r\nTRIGGER:-PT5M",
        }),
    )
    .await;
    assert_eq!(booked["success"], true, "{booked}");
    let secrets = slotline::crypto::SecretBox::new(&app.config.secret_key);
    let feeds = app.store.staff_feeds(tenant).await.unwrap();
    let (_, _, sealed) = feeds.iter().find(|f| f.0 == anna).unwrap();
    let token = secrets.open_for(tenant, sealed).unwrap();
    let ics = app
        .client
        .get(format!("{}/calendar/{token}.ics", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(ics.contains("BEGIN:VEVENT"), "{ics}");
    let bare_cr = ics
        .match_indices('\r')
        .any(|(i, _)| !ics[i..].starts_with("\r\n"));
    let bare_lf = ics
        .match_indices('\n')
        .any(|(i, _)| i == 0 || !ics[..i].ends_with('\r'));
    assert!(!bare_cr && !bare_lf, "only CRLF ends lines: {ics:?}");
    let unfolded = ics.replace("\r\n ", "");
    for content_line in unfolded.split("\r\n") {
        for name in ["ATTENDEE", "ORGANIZER", "X-EVIL", "TRIGGER"] {
            assert!(
                !content_line.starts_with(name),
                "{content_line:?} was injected into {ics:?}"
            );
        }
        assert_ne!(content_line, "BEGIN:VALARM", "{ics:?}");
    }
    assert!(
        unfolded.contains(
            "SUMMARY:Damenhaarschnitt – Eva\\nATTENDEE:evil\\nORGANIZER:evil\\nX-EVIL:1\r\n"
        ),
        "{ics:?}"
    );
}

#[tokio::test]
async fn the_cache_never_offers_time_taken_or_closed_by_another_process() {
    let app = spawn_app().await;
    let (tenant, anna, _) = salon(&app).await;
    let ask = json!({"service": "Damenhaarschnitt", "when": "2027-03-10T10:00"});
    let (_, warm) = call(
        &app,
        "check_availability",
        "call_cache",
        CALLER,
        ask.clone(),
    )
    .await;
    assert_eq!(warm["available"], true);
    // `app.store` is a separate pool: a write there is what another server process would do.
    let start = ms("2027-03-10T09:00:00Z");
    walk_in(&app, tenant, anna, 1, start, 45, 15, OTHER).await;
    let (_, after) = call(
        &app,
        "check_availability",
        "call_cache",
        CALLER,
        ask.clone(),
    )
    .await;
    assert_eq!(
        after["available"], false,
        "a booking elsewhere is seen at once: {after}"
    );
    let (_, afternoon) = call(
        &app,
        "check_availability",
        "call_cache",
        CALLER,
        json!({"service": "Damenhaarschnitt", "when": "2027-03-10T15:00"}),
    )
    .await;
    assert_eq!(afternoon["available"], true);
    app.store
        .add_closure(
            tenant,
            Some(anna),
            ms("2027-03-10T13:00:00Z"),
            ms("2027-03-10T17:00:00Z"),
            "Arzt",
        )
        .await
        .unwrap();
    let (_, closed) = call(
        &app,
        "check_availability",
        "call_cache",
        CALLER,
        json!({"service": "Damenhaarschnitt", "when": "2027-03-10T15:00"}),
    )
    .await;
    assert_eq!(
        closed["available"], false,
        "a new closure is seen at once: {closed}"
    );
}

#[tokio::test]
async fn a_caller_with_several_appointments_is_asked_which_one() {
    let app = spawn_app().await;
    salon(&app).await;
    for (call_id, when) in [
        ("call_w1", "2027-03-10T10:00"),
        ("call_w2", "2027-03-11T10:00"),
    ] {
        let (_, r) = call(
            &app,
            "collect_appointment",
            call_id,
            CALLER,
            book_args(when),
        )
        .await;
        assert_eq!(r["success"], true);
    }
    let (_, which) = call(
        &app,
        "cancel_appointment",
        "call_w3",
        CALLER,
        json!({"reason": "krank"}),
    )
    .await;
    assert_eq!(which["error"], "which_appointment");
    let listed = which["appointments"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        which["message"]
            .as_str()
            .unwrap()
            .contains("Donnerstag, 11. März um 10:00 Uhr"),
        "{which}"
    );
    let second = listed[1]["appointment_id"].as_i64().unwrap();
    let (_, done) = call(
        &app,
        "cancel_appointment",
        "call_w3",
        CALLER,
        json!({"reason": "krank", "appointment_id": second}),
    )
    .await;
    assert_eq!(done["success"], true);
    assert_eq!(active(&app).await.len(), 1);
}

#[tokio::test]
async fn one_caller_cannot_flood_the_functions() {
    let app = spawn_app().await;
    salon(&app).await;
    let ask = json!({"service": "Herrenhaarschnitt", "when": "2027-03-10T10:00"});
    let mut statuses = Vec::new();
    for _ in 0..20 {
        statuses.push(
            call(
                &app,
                "check_availability",
                "call_flood",
                CALLER,
                ask.clone(),
            )
            .await,
        );
    }
    let (status, refused) = statuses
        .iter()
        .find(|(s, _)| *s == 429)
        .expect("the flood is limited");
    assert_eq!(*status, 429);
    assert_eq!(refused["error"], "rate_limited");
    assert!(refused["retry_after_secs"].as_u64().unwrap() >= 1);
    let (status, other) = call(&app, "check_availability", "call_calm", OTHER, ask).await;
    assert_eq!(status, 200, "another caller is served: {other}");
}

#[tokio::test]
async fn the_functions_are_also_gateway_methods_with_the_same_rules() {
    let app = spawn_app().await;
    salon(&app).await;
    let token = app.token("salon").await;
    let rpc = |method: &str, params: Value| {
        json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params}).to_string()
    };
    let (_, free) = app
        .rpc_raw(
            &rpc(
                "retell.functions.check_availability",
                json!({"service": "Damenhaarschnitt", "when": "2027-03-10T10:00"}),
            ),
            Some(&token),
        )
        .await;
    assert_eq!(free["result"]["available"], true, "{free}");
    let collect = rpc(
        "retell.functions.collect_appointment",
        json!({"call_id": "call_gw", "caller": CALLER, "service": "Damenhaarschnitt", "when": "2027-03-10T10:00", "customer_name": "Gina"}),
    );
    let (_, first) = app.rpc_raw(&collect, Some(&token)).await;
    assert_eq!(first["result"]["status"], "held", "{first}");
    let (_, retry) = app.rpc_raw(&collect, Some(&token)).await;
    assert_eq!(
        retry["result"], first["result"],
        "a retry with the same call id gets the same answer"
    );
    let (_, stranger) = app
        .rpc_raw(
            &rpc(
                "retell.functions.cancel_appointment",
                json!({"caller": OTHER, "reason": "x"}),
            ),
            Some(&token),
        )
        .await;
    assert_eq!(stranger["result"]["error"], "no_appointment");
    let (_, direct) = app.rpc_raw(&rpc("retell.functions.collect_appointment", json!({"caller": OTHER, "service": "Herrenhaarschnitt", "when": "2027-03-10T15:00", "customer_name": "Olaf"})), Some(&token)).await;
    assert_eq!(
        direct["result"]["status"], "booked",
        "without a call the booking is final: {direct}"
    );
    let (_, anonymous) = app.rpc_raw(&collect, None).await;
    assert_eq!(anonymous["error"]["code"], -32001);
    assert_eq!(active(&app).await.len(), 2);
}

#[tokio::test]
async fn custom_functions_are_counted_by_outcome_in_metrics() {
    let app = spawn_app().await;
    salon(&app).await;
    call(
        &app,
        "check_availability",
        "call_met",
        CALLER,
        json!({"service": "Herrenhaarschnitt", "when": "2027-03-10T10:00"}),
    )
    .await;
    call(
        &app,
        "check_availability",
        "call_met",
        CALLER,
        json!({"service": "Massage", "when": "morgen"}),
    )
    .await;
    let text = app.metrics().await;
    assert!(text.contains(r#"slotline_gateway_calls_total{method="retell.functions.check_availability",outcome="ok"} 1"#), "{text}");
    assert!(text.contains(r#"slotline_gateway_calls_total{method="retell.functions.check_availability",outcome="unknown_service"} 1"#));
}
