//! Set-up from the browser, over JSON-RPC as the UI sends it: an owner builds a business from
//! nothing (rules, a service, a staff member with hours and a break, a closure, a day off, an
//! extra shift) and a signed check_availability offers exactly the new slots at once; changes
//! that would strand appointments are shown first and, confirmed, queued for recovery. Runs on
//! SQLite and, with SLOTLINE_TEST_POSTGRES_URL, on PostgreSQL.

mod common;

use common::office::{day_ahead, every_day, office, ok, rpc_as, Office};
use common::salon::{call, KEY};
use common::{spawn_app, TestApp};
use serde_json::{json, Value};

/// Local starts (`HH:MM`) of the offered slots of a check_availability reply on `day`.
fn offered_on(reply: &Value, day: &str) -> Vec<String> {
    reply["slots"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .filter_map(|s| s["local"].as_str())
        .filter(|l| l.starts_with(day))
        .map(|l| l[11..].to_owned())
        .collect()
}

async fn check(app: &TestApp, call_id: &str, service: &str, date: &str) -> Value {
    let (status, reply) = call(
        app,
        "check_availability",
        call_id,
        common::salon::CALLER,
        json!({"service": service, "date": date}),
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    reply
}

/// Every free start (`HH:MM`) of a service on a day, as the calendar's slot picker sees them.
async fn slots(app: &TestApp, o: &Office, service: i64, date: &str) -> Vec<String> {
    let list = ok(
        app,
        &o.owner,
        "appointments.slots",
        json!({"service_id": service, "date": date}),
    )
    .await;
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["local"].as_str().unwrap()[11..].to_owned())
        .collect()
}

/// Rules that make slots easy to count: one start an hour, an hour's notice.
async fn hourly_rules(app: &TestApp, o: &Office) {
    let rules = json!({"step_min": 60, "notice_book_min": 60, "notice_change_min": 60,
        "notice_cancel_min": 60, "horizon_days": 60, "buffer_min": 0, "hold_min": 30});
    let done = ok(app, &o.owner, "scheduling.rules.update", rules).await;
    assert_eq!(done["applied"], true, "{done}");
}

#[tokio::test]
async fn an_owner_sets_up_a_business_and_the_phone_agent_offers_exactly_the_new_slots() {
    let app = spawn_app().await;
    let o = office(&app, "salon", "+493012345670", KEY).await;
    let state = ok(&app, &o.owner, "scheduling.setup", json!({})).await;
    assert_eq!(state["services"], json!([]), "{state}");
    assert_eq!(state["staff"], json!([]));
    let (d1, d2, d3) = (day_ahead(3), day_ahead(4), day_ahead(5));

    // Nothing is offered before the set-up exists (and the answer is cached by version).
    let before = check(&app, "c-setup-1", "Beratung", &d1).await;
    assert_eq!(before["success"], false, "{before}");

    hourly_rules(&app, &o).await;
    let service = ok(
        &app,
        &o.owner,
        "scheduling.services.save",
        json!({"name": "Beratung", "duration_min": 60, "price_cents": 4500,
               "description": "Eine Stunde Beratung"}),
    )
    .await;
    assert_eq!(service["applied"], true, "{service}");
    let service_id = service["id"].as_i64().unwrap();
    let nobody = check(&app, "c-setup-2", "Beratung", &d1).await;
    assert_eq!(offered_on(&nobody, &d1), Vec::<String>::new(), "{nobody}");

    let staff = ok(
        &app,
        &o.owner,
        "scheduling.staff.save",
        json!({"name": "Mia", "service_ids": [service_id],
               "hours": every_day("09:00", "13:00", Some(("11:00", "12:00")))}),
    )
    .await;
    let mia = staff["id"].as_i64().unwrap();

    // The phone agent sees the new set-up at once: exactly 09:00, 10:00 and 12:00.
    let expected = vec!["09:00", "10:00", "12:00"];
    assert_eq!(slots(&app, &o, service_id, &d1).await, expected);
    let offered = check(&app, "c-setup-3", "Beratung", &d1).await;
    assert_eq!(offered_on(&offered, &d1), expected, "{offered}");

    // The set-up reads back as it was entered.
    let state = ok(&app, &o.owner, "scheduling.setup", json!({})).await;
    let member = &state["staff"][0];
    assert_eq!(member["name"], "Mia");
    assert_eq!(
        member["hours"][0]["breaks"][0],
        json!({"start": "11:00", "end": "12:00"})
    );
    assert_eq!(state["services"][0]["staff_ids"], json!([mia]));
    assert_eq!(state["services"][0]["price_cents"], 4500);
    assert_eq!(state["rules"]["step_min"], 60);

    // A closure of the whole business on d1 empties that day at once.
    let closed = ok(
        &app,
        &o.owner,
        "scheduling.closures.add",
        json!({"from": d1, "to": d1, "reason": "Inventur"}),
    )
    .await;
    assert_eq!(closed["applied"], true, "{closed}");
    assert!(slots(&app, &o, service_id, &d1).await.is_empty());
    let after = check(&app, "c-setup-4", "Beratung", &d1).await;
    assert!(offered_on(&after, &d1).is_empty(), "{after}");

    // An extra shift adds its slots; a day off removes the day.
    ok(
        &app,
        &o.owner,
        "scheduling.exceptions.add",
        json!({"staff_id": mia, "date": d2, "kind": "extra",
               "time": {"start": "15:00", "end": "17:00"}, "reason": "Late opening"}),
    )
    .await;
    assert_eq!(
        slots(&app, &o, service_id, &d2).await,
        vec!["09:00", "10:00", "12:00", "15:00", "16:00"]
    );
    ok(
        &app,
        &o.owner,
        "scheduling.exceptions.add",
        json!({"staff_id": mia, "date": d3, "kind": "off", "reason": "Arzttermin"}),
    )
    .await;
    assert!(slots(&app, &o, service_id, &d3).await.is_empty());
    let state = ok(&app, &o.owner, "scheduling.setup", json!({})).await;
    let exceptions = state["staff"][0]["exceptions"].as_array().unwrap();
    assert_eq!(exceptions.len(), 2, "{state}");
    assert_eq!(state["closures"][0]["reason"], "Inventur");

    // Removing the closure gives the day back.
    let closure_id = state["closures"][0]["id"].clone();
    ok(
        &app,
        &o.owner,
        "scheduling.closures.remove",
        json!({"id": closure_id}),
    )
    .await;
    assert_eq!(slots(&app, &o, service_id, &d1).await, expected);

    // A 30-minute gap after every appointment: a booked 09:00 (until 10:30 with the gap)
    // also blocks 10:00.
    let mut rules = state["rules"].clone();
    rules["buffer_min"] = json!(30);
    ok(&app, &o.owner, "scheduling.rules.update", rules).await;
    ok(
        &app,
        &o.owner,
        "appointments.book",
        json!({"service_id": service_id, "start": format!("{d1}T09:00"),
               "customer_name": "Eva", "customer_phone": "+4915112345678"}),
    )
    .await;
    assert_eq!(slots(&app, &o, service_id, &d1).await, vec!["12:00"]);
}

#[tokio::test]
async fn changes_that_strand_appointments_are_shown_first_and_queued_when_confirmed() {
    let app = spawn_app().await;
    let o = office(&app, "salon", "+493012345670", KEY).await;
    hourly_rules(&app, &o).await;
    let service = ok(
        &app,
        &o.owner,
        "scheduling.services.save",
        json!({"name": "Beratung", "duration_min": 60}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let mia = ok(
        &app,
        &o.owner,
        "scheduling.staff.save",
        json!({"name": "Mia", "service_ids": [service], "hours": every_day("09:00", "13:00", None)}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let d = day_ahead(3);
    let mut ids = Vec::new();
    for (time, name) in [("09:00", "Eva"), ("12:00", "Tom")] {
        let a = ok(
            &app,
            &o.staff,
            "appointments.book",
            json!({"service_id": service, "start": format!("{d}T{time}"),
                   "customer_name": name, "customer_phone": "+4915112345678"}),
        )
        .await;
        ids.push(a["id"].as_i64().unwrap());
    }

    // Shorter hours strand the 12:00 appointment: shown, nothing changed.
    let shorter = json!({"id": mia, "name": "Mia", "service_ids": [service],
        "hours": every_day("09:00", "11:00", None)});
    let preview = ok(&app, &o.owner, "scheduling.staff.save", shorter.clone()).await;
    assert_eq!(preview["applied"], false, "{preview}");
    assert_eq!(
        preview["affected"].as_array().unwrap().len(),
        1,
        "{preview}"
    );
    assert_eq!(preview["affected"][0]["appointment"]["id"], ids[1]);
    assert!(preview["affected"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("working hours"));
    assert_eq!(
        slots(&app, &o, service, &d).await,
        vec!["10:00", "11:00"],
        "unchanged"
    );

    // A closure over the booked day lists both.
    let closure = json!({"from": d, "to": d, "reason": "Fortbildung", "staff_id": mia});
    let preview = ok(&app, &o.owner, "scheduling.closures.add", closure).await;
    assert_eq!(preview["applied"], false);
    assert_eq!(
        preview["affected"].as_array().unwrap().len(),
        2,
        "{preview}"
    );

    // Archiving Mia lists both; confirmed, both wait under "Needs attention".
    let archive = json!({"id": mia});
    let preview = ok(&app, &o.owner, "scheduling.staff.archive", archive.clone()).await;
    assert_eq!(preview["applied"], false);
    assert!(preview["message"]
        .as_str()
        .unwrap()
        .contains("2 future appointments"));
    let queue = ok(&app, &o.owner, "webhooks.recovery.list", json!({})).await;
    assert_eq!(queue, json!([]), "nothing queued by a preview");
    let done = ok(
        &app,
        &o.owner,
        "scheduling.staff.archive",
        json!({"id": mia, "confirm": true}),
    )
    .await;
    assert_eq!(done["applied"], true, "{done}");
    let queue = ok(&app, &o.owner, "webhooks.recovery.list", json!({})).await;
    let queued: Vec<i64> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["appointment"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(queued, ids, "{queue}");
    assert!(
        queue[0]["reason"].as_str().unwrap().contains("Mia"),
        "{queue}"
    );
    let history = ok(
        &app,
        &o.owner,
        "appointments.history",
        json!({"appointment_id": ids[0]}),
    )
    .await;
    let last = history["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["action"], "needs_recovery");
    assert_eq!(last["by"], "admin owner@salon.test");
    assert!(
        slots_refused(&app, &o, service, &d).await,
        "Mia takes no appointments"
    );

    // Restoring Mia is possible; the queue keeps its items for the owner to decide.
    let back = ok(
        &app,
        &o.owner,
        "scheduling.staff.archive",
        json!({"id": mia, "restore": true}),
    )
    .await;
    assert_eq!(back["applied"], true);
    let retried = ok(
        &app,
        &o.owner,
        "webhooks.recovery.retry",
        json!({"id": queue[0]["id"]}),
    )
    .await;
    assert_eq!(retried["status"], "resolved", "{retried}");
}

/// Whether asking for slots is refused (nobody offers the service) or empty.
async fn slots_refused(app: &TestApp, o: &Office, service: i64, date: &str) -> bool {
    let res = rpc_as(
        app,
        &o.owner,
        "appointments.slots",
        json!({"service_id": service, "date": date}),
    )
    .await;
    res["error"].is_object() || res["result"] == json!([])
}

#[tokio::test]
async fn a_phone_hold_lives_as_long_as_the_rules_say() {
    use slotline::webhooks::sweeper::sweep;
    let app = spawn_app().await;
    let o = office(&app, "salon", "+493012345670", KEY).await;
    hourly_rules(&app, &o).await; // hold_min: 30
    let service = ok(
        &app,
        &o.owner,
        "scheduling.services.save",
        json!({"name": "Beratung", "duration_min": 60}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    ok(
        &app,
        &o.owner,
        "scheduling.staff.save",
        json!({"name": "Mia", "service_ids": [service], "hours": every_day("09:00", "13:00", None)}),
    )
    .await;
    let d = day_ahead(3);
    let (_, held) = call(
        &app,
        "collect_appointment",
        "c-hold",
        common::salon::CALLER,
        json!({"service": "Beratung", "when": format!("{d}T10:00"), "customer_name": "Eva"}),
    )
    .await;
    assert_eq!(held["status"], "held", "{held}");
    let scheduler = slotline::scheduling::Scheduler::new(app.store.clone());
    let now = app.store.now_ms();
    assert_eq!(sweep(&app.store, &scheduler, now + 29 * 60_000).await, 0);
    assert_eq!(sweep(&app.store, &scheduler, now + 31 * 60_000).await, 1);
}
