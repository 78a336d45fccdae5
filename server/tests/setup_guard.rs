//! What guards the set-up: bad input gets a sentence beside the field, staff accounts and API
//! tokens cannot change it (-32002), and one business never reaches another's records.

mod common;

use common::office::{day_ahead, every_day, office, ok, refused};
use common::spawn_app;
use serde_json::{json, Value};

#[tokio::test]
async fn bad_input_gets_a_sentence_beside_the_field() {
    let app = spawn_app().await;
    let o = office(&app, "studio", "+493012345671", "key_studio").await;
    let owner = &o.owner;
    let cut = ok(
        &app,
        owner,
        "scheduling.services.save",
        json!({"name": "Schnitt", "duration_min": 30}),
    )
    .await["id"]
        .clone();
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "scheduling.services.save",
            json!({"name": "Färben", "duration_min": 0}),
            "duration_min",
            "5 to 720",
        ),
        (
            "scheduling.services.save",
            json!({"name": "Färben", "duration_min": 32}),
            "duration_min",
            "steps of 5",
        ),
        (
            "scheduling.services.save",
            json!({"name": " ", "duration_min": 30}),
            "name",
            "name",
        ),
        (
            "scheduling.services.save",
            json!({"name": "schnitt", "duration_min": 30}),
            "name",
            "already exists",
        ),
        (
            "scheduling.services.save",
            json!({"name": "Färben", "duration_min": 30, "buffer_after_min": -5}),
            "buffer_after_min",
            "buffer",
        ),
        (
            "scheduling.services.save",
            json!({"name": "Färben", "duration_min": 30, "staff_ids": [999]}),
            "staff_ids[0]",
            "no staff member",
        ),
        (
            "scheduling.staff.save",
            json!({"name": "Mia", "hours": every_day("09:00", "25:00", None)}),
            "hours[0].end",
            "not a time of day",
        ),
        (
            "scheduling.staff.save",
            json!({"name": "Mia", "hours": every_day("09:00", "12:00", Some(("12:30", "13:00")))}),
            "hours[0].breaks[0]",
            "outside",
        ),
        (
            "scheduling.staff.save",
            json!({"name": "Mia", "hours": [{"weekday": 1, "start": "09:00", "end": "18:00",
            "breaks": [{"start": "12:00", "end": "13:00"}, {"start": "12:30", "end": "14:00"}]}]}),
            "hours[0].breaks[1]",
            "overlap",
        ),
        (
            "scheduling.staff.save",
            json!({"name": "Mia", "hours": [{"weekday": 2, "start": "09:00", "end": "12:00"},
            {"weekday": 2, "start": "13:00", "end": "17:00"}]}),
            "hours[1].weekday",
            "twice",
        ),
        (
            "scheduling.staff.save",
            json!({"name": "Mia", "hours": [{"weekday": 1, "start": "12:00", "end": "09:00"}]}),
            "hours[0].end",
            "after",
        ),
        (
            "scheduling.staff.save",
            json!({"name": "Mia", "service_ids": [999]}),
            "service_ids[0]",
            "no service",
        ),
        (
            "scheduling.closures.add",
            json!({"from": day_ahead(5), "to": day_ahead(3), "reason": "Urlaub"}),
            "to",
            "end after",
        ),
        (
            "scheduling.closures.add",
            json!({"from": day_ahead(3), "to": day_ahead(3), "reason": ""}),
            "reason",
            "say why",
        ),
        (
            "scheduling.closures.add",
            json!({"from": "next week", "to": day_ahead(3), "reason": "x"}),
            "from",
            "neither a date",
        ),
        (
            "scheduling.rules.update",
            json!({"step_min": 7, "notice_book_min": 60, "notice_change_min": 60,
            "notice_cancel_min": 60, "horizon_days": 60, "buffer_min": 0, "hold_min": 120}),
            "step_min",
            "steps of 5",
        ),
        (
            "scheduling.rules.update",
            json!({"step_min": 15, "notice_book_min": 60, "notice_change_min": 60,
            "notice_cancel_min": 60, "horizon_days": 0, "buffer_min": 0, "hold_min": 120}),
            "horizon_days",
            "1 to 730",
        ),
    ];
    for (method, params, field, words) in cases {
        let (code, got, message) = refused(&app, owner, method, params.clone()).await;
        assert_eq!(code, -32004, "{method} {params}: {message}");
        assert_eq!(got, field, "{method} {params}: {message}");
        assert!(
            message.contains(words),
            "{method}: {message:?} should say {words:?}"
        );
    }
    let mia = ok(
        &app,
        owner,
        "scheduling.staff.save",
        json!({"name": "Mia", "service_ids": [cut],
        "hours": every_day("09:00", "17:00", None)}),
    )
    .await["id"]
        .clone();
    for (params, field, words) in [
        (
            json!({"staff_id": mia, "date": day_ahead(3), "kind": "extra"}),
            "time",
            "start and end",
        ),
        (
            json!({"staff_id": mia, "date": day_ahead(3), "kind": "extra", "time": {"start": "16:00", "end": "19:00"}}),
            "time",
            "overlaps",
        ),
        (
            json!({"staff_id": mia, "date": day_ahead(-2), "kind": "off"}),
            "date",
            "passed",
        ),
        (
            json!({"staff_id": 999, "date": day_ahead(3), "kind": "off"}),
            "staff_id",
            "no such staff",
        ),
    ] {
        let (code, got, message) = refused(&app, owner, "scheduling.exceptions.add", params).await;
        assert_eq!((code, got.as_str()), (-32004, field), "{message}");
        assert!(message.contains(words), "{message:?} should say {words:?}");
    }
    // Nothing of it was stored.
    let state = ok(&app, owner, "scheduling.setup", json!({})).await;
    assert_eq!(state["services"].as_array().unwrap().len(), 1);
    assert_eq!(state["staff"][0]["exceptions"], json!([]));
    assert_eq!(state["closures"], json!([]));
}

#[tokio::test]
async fn staff_accounts_and_api_tokens_cannot_change_the_set_up() {
    let app = spawn_app().await;
    let o = office(&app, "studio", "+493012345671", "key_studio").await;
    let token = app.token("studio").await;
    let writes = [
        (
            "scheduling.services.save",
            json!({"name": "Schnitt", "duration_min": 30}),
        ),
        ("scheduling.services.archive", json!({"id": 1})),
        ("scheduling.staff.save", json!({"name": "Mia"})),
        ("scheduling.staff.archive", json!({"id": 1})),
        (
            "scheduling.exceptions.add",
            json!({"staff_id": 1, "date": day_ahead(3), "kind": "off"}),
        ),
        ("scheduling.exceptions.remove", json!({"id": 1})),
        (
            "scheduling.closures.add",
            json!({"from": day_ahead(3), "to": day_ahead(3), "reason": "x"}),
        ),
        ("scheduling.closures.remove", json!({"id": 1})),
        (
            "scheduling.rules.update",
            json!({"step_min": 15, "notice_book_min": 60, "notice_change_min": 60,
            "notice_cancel_min": 60, "horizon_days": 60, "buffer_min": 0, "hold_min": 120}),
        ),
    ];
    for (method, params) in writes {
        let (code, _, message) = refused(&app, &o.staff, method, params.clone()).await;
        assert_eq!(code, -32002, "{method}: {message}");
        assert!(message.contains("owner"), "{method}: {message}");
        let body =
            json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
        let (_, res) = app.rpc_raw(&body, Some(&token)).await;
        assert_eq!(res["error"]["code"], -32002, "{method} with a token: {res}");
    }
    let state = ok(&app, &o.staff, "scheduling.setup", json!({})).await;
    assert_eq!(
        state["services"],
        json!([]),
        "staff may read, and nothing was made"
    );
    let (_, listed) = app.get_json("/api/mcp/gateway/methods").await;
    let access = |name: &str| {
        listed["methods"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .map(|m| m["access"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(access("scheduling.services.save"), "owner");
    assert_eq!(access("scheduling.rules.update"), "owner");
    assert_eq!(access("appointments.book"), "admin");
    assert_eq!(access("calls.get"), "tenant");
    let discover = ok(&app, &o.owner, "rpc.discover", json!({})).await;
    let names: Vec<&str> = discover["methods"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["name"].as_str())
        .collect();
    for name in [
        "scheduling.setup",
        "scheduling.staff.save",
        "appointments.slots",
        "calls.get",
    ] {
        assert!(names.contains(&name), "{name} in rpc.discover");
    }
}

#[tokio::test]
async fn one_business_never_reaches_another_businesss_records() {
    let app = spawn_app().await;
    let a = office(&app, "alpha", "+493012345672", "key_alpha").await;
    let b = office(&app, "beta", "+493012345673", "key_beta").await;
    let b_service = ok(
        &app,
        &b.owner,
        "scheduling.services.save",
        json!({"name": "Massage", "duration_min": 60}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let b_staff = ok(
        &app,
        &b.owner,
        "scheduling.staff.save",
        json!({"name": "Ben", "service_ids": [b_service],
        "hours": every_day("09:00", "17:00", None)}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let day = day_ahead(3);
    let b_closure = ok(
        &app,
        &b.owner,
        "scheduling.closures.add",
        json!({"from": day_ahead(20), "to": day_ahead(20), "reason": "Ruhetag"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let b_off = ok(
        &app,
        &b.owner,
        "scheduling.exceptions.add",
        json!({"staff_id": b_staff, "date": day_ahead(21), "kind": "off"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let b_appt = ok(&app, &b.staff, "appointments.book", json!({"service_id": b_service,
        "start": format!("{day}T10:00"), "customer_name": "Bea", "customer_phone": "+4915112345678"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let before = ok(&app, &b.owner, "scheduling.setup", json!({})).await;

    let not_found = [
        (
            "scheduling.services.save",
            json!({"id": b_service, "name": "Mine", "duration_min": 30}),
        ),
        (
            "scheduling.services.archive",
            json!({"id": b_service, "confirm": true}),
        ),
        (
            "scheduling.staff.save",
            json!({"id": b_staff, "name": "Mine"}),
        ),
        (
            "scheduling.staff.archive",
            json!({"id": b_staff, "confirm": true}),
        ),
        ("scheduling.closures.remove", json!({"id": b_closure})),
        ("scheduling.exceptions.remove", json!({"id": b_off})),
        (
            "appointments.move",
            json!({"appointment_id": b_appt, "start": format!("{day}T11:00")}),
        ),
        (
            "appointments.cancel",
            json!({"appointment_id": b_appt, "reason": "mine now"}),
        ),
        ("appointments.history", json!({"appointment_id": b_appt})),
        ("calls.get", json!({"call_id": "anything"})),
    ];
    for (method, params) in not_found {
        let (code, _, message) = refused(&app, &a.owner, method, params).await;
        assert_eq!(code, -32003, "{method}: {message}");
    }
    let invalid = [
        (
            "scheduling.services.save",
            json!({"name": "Mine", "duration_min": 30, "staff_ids": [b_staff]}),
        ),
        (
            "scheduling.staff.save",
            json!({"name": "Mine", "service_ids": [b_service]}),
        ),
        (
            "scheduling.exceptions.add",
            json!({"staff_id": b_staff, "date": day_ahead(4), "kind": "off"}),
        ),
        (
            "scheduling.closures.add",
            json!({"staff_id": b_staff, "from": day_ahead(4), "to": day_ahead(4), "reason": "x"}),
        ),
        (
            "appointments.book",
            json!({"service_id": b_service, "start": format!("{day}T12:00"),
            "customer_name": "X", "customer_phone": "+4915112345678"}),
        ),
        (
            "appointments.slots",
            json!({"service_id": b_service, "date": day}),
        ),
    ];
    for (method, params) in invalid {
        let (code, field, message) = refused(&app, &a.owner, method, params.clone()).await;
        assert_eq!(code, -32004, "{method} {params}: {message}");
        assert!(!field.is_empty(), "{method}: {message}");
    }
    // Alpha sees none of Beta's records, and Beta's set-up and appointment are unchanged.
    let mine = ok(&app, &a.owner, "scheduling.setup", json!({})).await;
    assert_eq!(
        (mine["services"].clone(), mine["staff"].clone()),
        (json!([]), json!([]))
    );
    let listed = ok(&app, &a.owner, "appointments.list", json!({})).await;
    assert_eq!(listed, json!([]));
    assert_eq!(
        ok(&app, &b.owner, "scheduling.setup", json!({})).await,
        before
    );
    let kept = ok(
        &app,
        &b.owner,
        "appointments.history",
        json!({"appointment_id": b_appt}),
    )
    .await;
    assert_eq!(kept["appointment"]["status"], "booked");
    assert_eq!(kept["history"].as_array().unwrap().len(), 1, "{kept}");
}

#[tokio::test]
async fn a_business_created_on_the_command_line_starts_empty_and_its_agent_is_known() {
    use slotline::cli::{create_tenant, TenantArgs};
    let app = spawn_app().await;
    let args = TenantArgs {
        slug: "fresh".into(),
        name: "Studio Frisch".into(),
        time_zone: "Europe/Berlin".into(),
        locale: "de".into(),
        country: "DE".into(),
        phone: Some("+493099887766".into()),
        agent_id: Some("agent_fresh".into()),
        retell_api_key: Some("key_fresh".into()),
    };
    let said = create_tenant(&app.store, &app.config, &args).await.unwrap();
    assert!(said.contains("/admin/setup"), "{said}");
    for (bad, words) in [
        (
            TenantArgs {
                slug: "Fresh!".into(),
                ..args.clone()
            },
            "--slug",
        ),
        (
            TenantArgs {
                slug: "other".into(),
                time_zone: "Mars/Base".into(),
                ..args.clone()
            },
            "--time-zone",
        ),
        (
            TenantArgs {
                slug: "other".into(),
                phone: Some("030 1234".into()),
                ..args.clone()
            },
            "--phone",
        ),
        (args.clone(), "already exists"),
    ] {
        let e = create_tenant(&app.store, &app.config, &bad)
            .await
            .unwrap_err();
        assert!(e.to_string().contains(words), "{e}");
    }
    app.admin("fresh", "owner@fresh.test", "owner password 1")
        .await;
    let owner = app.login("owner@fresh.test", "owner password 1").await;
    let state = ok(&app, &owner, "scheduling.setup", json!({})).await;
    assert_eq!(
        (state["services"].clone(), state["staff"].clone()),
        (json!([]), json!([]))
    );
    assert_eq!(state["time_zone"], "Europe/Berlin");
    // Its agent's signed calls are answered for this business (nothing to book yet).
    let body = json!({"name": "check_availability",
        "call": {"call_id": "c-fresh", "agent_id": "agent_fresh", "from_number": "+4915112345678",
                 "to_number": "+493099887766"},
        "args": {"service": "Beratung", "date": day_ahead(3)}})
    .to_string();
    let signature = common::sign_now(&body, "key_fresh");
    let (status, reply) =
        common::salon::post(&app, "check_availability", &body, Some(signature)).await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["error"], "unknown_service", "{reply}");
}
