//! A small salon tenant and Retell-signed custom-function calls, shared by the suites that
//! drive the phone functions.

use super::{sign_now, TestApp};
use serde_json::{json, Value};
use slotline::store::scheduling::{BookingRules, NewService};

/// The salon's Retell API key.
pub const KEY: &str = "key_salon_test";
/// The salon's Retell agent id.
pub const AGENT: &str = "agent_salon";
/// A caller's number.
pub const CALLER: &str = "+4915112345678";
/// Another caller's number.
pub const OTHER: &str = "+4917699887766";

/// A salon: Anna does Damenhaarschnitt (45 min + 15 after) and Herrenhaarschnitt, Ben only
/// Herrenhaarschnitt; both work every day 09–12 and 13–18; Dauerwelle is not phone-bookable.
pub async fn salon(app: &TestApp) -> (i64, i64, i64) {
    let tenant = app.tenant("salon", "Salon Test", "+493012345670").await;
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
    let service = |name, minutes, after, phone| NewService {
        name,
        duration_min: minutes,
        buffer_before_min: 0,
        buffer_after_min: after,
        phone_bookable: phone,
        price_cents: None,
    };
    let damen = s
        .create_service(tenant, &service("Damenhaarschnitt", 45, 15, true))
        .await
        .unwrap();
    let herren = s
        .create_service(tenant, &service("Herrenhaarschnitt", 30, 0, true))
        .await
        .unwrap();
    let welle = s
        .create_service(tenant, &service("Dauerwelle", 120, 0, false))
        .await
        .unwrap();
    let secrets = slotline::crypto::SecretBox::new(&app.config.secret_key);
    let anna = slotline::demo::salon::add_staff(s, &secrets, tenant, "Anna")
        .await
        .unwrap();
    let ben = slotline::demo::salon::add_staff(s, &secrets, tenant, "Ben")
        .await
        .unwrap();
    for (staff, services) in [(anna, vec![damen, herren, welle]), (ben, vec![herren])] {
        for sv in services {
            s.offer_service(tenant, staff, sv).await.unwrap();
        }
        for day in 1..=7 {
            s.add_working_hours(tenant, staff, day, 9 * 60, 12 * 60)
                .await
                .unwrap();
            s.add_working_hours(tenant, staff, day, 13 * 60, 18 * 60)
                .await
                .unwrap();
        }
    }
    (tenant, anna, ben)
}

/// Calls a function as Retell does (compact JSON, signed now); returns (status, body).
pub async fn call(
    app: &TestApp,
    function: &str,
    call_id: &str,
    from: &str,
    args: Value,
) -> (u16, Value) {
    let body = call_body(function, call_id, from, 1_804_582_800_000, args);
    post(app, function, &body, Some(sign_now(&body, KEY))).await
}

/// A custom-function body as Retell sends it (compact JSON): `function` called during call
/// `call_id` from `from` to the salon's number, the call started at `started_ms`.
pub fn call_body(
    function: &str,
    call_id: &str,
    from: &str,
    started_ms: i64,
    args: Value,
) -> String {
    json!({
        "name": function,
        "call": {
            "call_id": call_id, "agent_id": AGENT, "call_type": "phone_call",
            "direction": "inbound", "from_number": from, "to_number": "+493012345670",
            "call_status": "ongoing", "start_timestamp": started_ms,
        },
        "args": args,
    })
    .to_string()
}

/// POSTs a function body with an optional signature header; returns (status, body).
pub async fn post(
    app: &TestApp,
    function: &str,
    body: &str,
    signature: Option<String>,
) -> (u16, Value) {
    let mut req = app
        .client
        .post(format!(
            "{}/api/mcp/gateway/retell/functions/{function}",
            app.base
        ))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(s) = signature {
        req = req.header("x-retell-signature", s);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}
