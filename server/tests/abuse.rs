//! Read as an attacker would: hostile input never becomes a downstream failure or opens a
//! shared breaker; sign-in cannot be amplified, nor used to lock the real admin out;
//! Retell's routes answer every unsigned or unknown request alike and limit each client; a
//! refused signature leaves a half-open breaker alone; collect_appointment books for the
//! calling number only. Runs on SQLite and (in make test) on PostgreSQL.

mod common;

use common::salon::{call, post, salon, AGENT, CALLER, KEY, OTHER};
use common::{a_breaker_opened, sign_now, spawn_app, spawn_app_with, webhook_body, TestApp};
use serde_json::{json, Value};
use sqlx::Row;
use std::net::IpAddr;

const NUL_NAME: &str = "Anna\u{0}Schmidt";

fn rpc_body(method: &str, params: Value) -> String {
    json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string()
}

async fn rpc(app: &TestApp, token: &str, method: &str, params: Value) -> Value {
    app.rpc_raw(&rpc_body(method, params), Some(token)).await.1
}

/// Breakers that open after two outages and let a probe through after half a second.
fn quick_breakers(c: &mut slotline::config::Config) {
    c.breakers = slotline::breaker::BreakerSettings {
        threshold: 2,
        window: std::time::Duration::from_secs(30),
        reset: std::time::Duration::from_millis(500),
    }
}

fn book(when: &str, name: &str) -> Value {
    json!({"service": "Damenhaarschnitt", "when": when, "customer_name": name})
}

#[tokio::test]
async fn control_characters_are_refused_as_input_and_never_open_a_breaker() {
    let app = spawn_app().await;
    salon(&app).await;
    let token = app.token("salon").await;
    for _ in 0..8 {
        let mut params = book("2027-03-10T10:00", NUL_NAME);
        params["caller"] = json!(CALLER);
        let res = rpc(&app, &token, "retell.functions.collect_appointment", params).await;
        assert_eq!(res["error"]["code"], -32602, "{res}");
        assert_eq!(res["error"]["data"]["field"], "customer_name", "{res}");
        assert!(res["error"]["message"]
            .as_str()
            .unwrap()
            .contains("control character"));
    }
    for i in 0..8 {
        let (status, body) = call(
            &app,
            "collect_appointment",
            &format!("call_nul_{i}"),
            CALLER,
            book("2027-03-10T10:00", NUL_NAME),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("args.customer_name"),
            "{body}"
        );
    }
    let rows: i64 = sqlx::query("SELECT COUNT(*) AS n FROM appointments")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert_eq!(rows, 0, "nothing was stored");
    assert!(!a_breaker_opened(&app.metrics().await));
    let (status, ok) = call(
        &app,
        "collect_appointment",
        "call_ok",
        CALLER,
        book("2027-03-10T10:00", "Anna Schmidt"),
    )
    .await;
    assert_eq!((status, ok["success"].as_bool()), (200, Some(true)), "{ok}");
}

#[tokio::test]
async fn retell_text_with_control_characters_is_stored_clean() {
    let app = spawn_app().await;
    salon(&app).await;
    let body = webhook_body(
        "call_ended",
        "call_dirty",
        AGENT,
        json!({"transcript": "Agent: Hallo\u{0}\nUser: Termin\u{1b}[31m", "disconnection_reason": "user_hangup\u{0}"}),
    );
    let res = app.post_webhook(&body, Some(sign_now(&body, KEY))).await;
    assert_eq!(res.status(), 200);
    app.drain_inbox().await;
    let row = sqlx::query(
        "SELECT c.transcript, i.status FROM webhook_inbox i \
         JOIN calls c ON c.call_id = i.call_id WHERE c.call_id = 'call_dirty'",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    let transcript: String = row.try_get("transcript").unwrap();
    assert_eq!(transcript, "Agent: Hallo\nUser: Termin[31m");
    let status: String = row.try_get("status").unwrap();
    assert_eq!(status, "applied");
}

#[tokio::test]
async fn ids_and_numbers_of_the_wrong_form_are_refused_before_any_lookup() {
    let app = spawn_app().await;
    salon(&app).await;
    for (what, agent, to) in [
        (
            "long agent id",
            json!("a".repeat(500)),
            json!("+493012345670"),
        ),
        (
            "agent id with spaces",
            json!("agent salon"),
            json!("+493012345670"),
        ),
        (
            "number of another form",
            json!(null),
            json!("030 1234 5670 and more"),
        ),
    ] {
        let call =
            json!({"call_id": "c1", "agent_id": agent, "to_number": to, "from_number": CALLER});
        let body = json!({"name": "check_availability", "call": call,
            "args": {"service": "Damenhaarschnitt", "when": "morgen"}})
        .to_string();
        let (status, reply) = post(
            &app,
            "check_availability",
            &body,
            Some(sign_now(&body, KEY)),
        )
        .await;
        assert_eq!(status, 400, "{what}: {reply}");
        let hook = json!({"event": "call_started", "call": call}).to_string();
        let res = app.post_webhook(&hook, Some(sign_now(&hook, KEY))).await;
        assert_eq!(res.status(), 400, "{what} (webhook)");
    }
    assert_eq!(app.inbox_rows().await, 0);
}

#[tokio::test]
async fn unknown_agents_numbers_and_bad_signatures_get_the_same_401() {
    let app = spawn_app().await;
    salon(&app).await;
    let function_body = |agent: Option<&str>, to: &str| {
        json!({"name": "check_availability",
            "call": {"call_id": "c1", "agent_id": agent, "to_number": to, "from_number": CALLER},
            "args": {"service": "Damenhaarschnitt", "when": "morgen"}})
        .to_string()
    };
    let unknown_agent = function_body(Some("agent_nobody"), "+491709999998");
    let unknown_number = function_body(None, "+491709999999");
    let known = function_body(Some(AGENT), "+493012345670");
    let mut replies = Vec::new();
    for (body, key) in [
        (&unknown_agent, KEY),
        (&unknown_number, KEY),
        (&known, "key_wrong"),
    ] {
        let (status, reply) =
            post(&app, "check_availability", body, Some(sign_now(body, key))).await;
        assert_eq!(status, 401);
        replies.push(reply);
    }
    assert_eq!(replies[0], replies[1]);
    assert_eq!(replies[1], replies[2]);

    let mut hooks = Vec::new();
    for (agent, extra, key) in [
        ("agent_nobody", json!({"to_number": "+491709999998"}), KEY),
        (
            "",
            json!({"agent_id": null, "to_number": "+491709999999"}),
            KEY,
        ),
        (AGENT, json!({}), "key_wrong"),
    ] {
        let body = webhook_body("call_started", "call_1", agent, extra);
        let res = app.post_webhook(&body, Some(sign_now(&body, key))).await;
        assert_eq!(res.status(), 401);
        hooks.push(res.json::<Value>().await.unwrap());
    }
    assert_eq!(hooks[0], hooks[1]);
    assert_eq!(hooks[1], hooks[2]);
    assert_eq!(hooks[0]["error"], "unauthorized");
}

#[tokio::test]
async fn retells_routes_limit_each_client() {
    let app = spawn_app_with(|c| c.limits.retell_ip_per_min = 60).await;
    salon(&app).await;
    let body = webhook_body("call_started", "call_1", AGENT, json!({}));
    let mut limited = None;
    for i in 0..150 {
        let res = app.post_webhook(&body, None).await;
        if res.status() == 429 {
            assert!(res.headers().contains_key("retry-after"));
            limited = Some(i);
            break;
        }
        assert_eq!(res.status(), 401);
    }
    let after = limited.expect("the client was limited");
    assert!(after >= 100, "the burst is allowed first ({after})");
    let (status, _) = post(&app, "check_availability", &body, None).await;
    assert_eq!(status, 429, "functions share the client's limit");
}

#[tokio::test]
async fn a_refused_signature_neither_probes_nor_closes_an_open_breaker() {
    let app = spawn_app_with(quick_breakers).await;
    salon(&app).await;
    let args = json!({"service": "Damenhaarschnitt", "when": "2027-03-10"});
    let (status, _) = call(
        &app,
        "check_availability",
        "call_warm",
        CALLER,
        args.clone(),
    )
    .await;
    assert_eq!(status, 200, "the tenant's key is now cached");
    app.app_store.close().await;
    for i in 0..2 {
        let (status, body) = call(
            &app,
            "collect_appointment",
            &format!("call_down_{i}"),
            CALLER,
            book("2027-03-10T10:00", "Anna"),
        )
        .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (503, Some("temporary_failure")),
            "{body}"
        );
    }
    let (status, body) = call(
        &app,
        "collect_appointment",
        "call_open",
        CALLER,
        book("2027-03-10T10:00", "Anna"),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (503, Some("circuit_open"))
    );
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;

    let unsigned = json!({"name": "collect_appointment",
        "call": {"call_id": "call_forged", "agent_id": AGENT, "to_number": "+493012345670", "from_number": CALLER},
        "args": book("2027-03-10T10:00", "Anna")})
    .to_string();
    let (status, _) = post(
        &app,
        "collect_appointment",
        &unsigned,
        Some(sign_now(&unsigned, "key_wrong")),
    )
    .await;
    assert_eq!(status, 401);
    let metrics = app.metrics().await;
    assert!(
        !metrics.contains("circuit=\"database\",to=\"closed\""),
        "a forged request must not close the breaker:\n{metrics}"
    );
    assert!(!metrics.contains("circuit=\"database\",to=\"half_open\""));
    let (status, body) = call(
        &app,
        "collect_appointment",
        "call_probe",
        CALLER,
        book("2027-03-10T10:00", "Anna"),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (503, Some("temporary_failure")),
        "a signed request takes the probe slot: {body}"
    );
}

#[tokio::test]
async fn sign_in_is_refused_in_batches() {
    let app = spawn_app().await;
    app.tenant("salon", "Salon", "+493012345670").await;
    app.admin("salon", "owner@salon.de", "a long password 1")
        .await;
    let login = json!({"jsonrpc": "2.0", "id": 1, "method": "admin.login",
        "params": {"email": "owner@salon.de", "password": "a long password 1"}});
    let ping = json!({"jsonrpc": "2.0", "id": 2, "method": "ping"});
    let (_, res) = app
        .rpc_raw(&json!([login, login, ping]).to_string(), None)
        .await;
    let answers = res.as_array().expect("a batch answer");
    assert_eq!(answers.len(), 3);
    for a in &answers[..2] {
        assert_eq!(a["error"]["code"], -32600, "{a}");
        assert!(a["error"]["message"].as_str().unwrap().contains("batch"));
    }
    assert!(
        answers[2]["error"].is_null(),
        "other calls still run: {}",
        answers[2]
    );
    let sessions: i64 = sqlx::query("SELECT COUNT(*) AS n FROM admin_sessions")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert_eq!(sessions, 0, "no batched sign-in ran");
    let (_, single) = app.rpc_raw(&login.to_string(), None).await;
    assert!(single["result"]["token"].is_string(), "{single}");
}

/// A client whose requests come from `ip` (any 127.x address reaches the test server).
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

async fn login_from(app: &TestApp, client: &reqwest::Client, email: &str, password: &str) -> Value {
    client
        .post(format!("{}/api/mcp/gateway", app.base))
        .header("content-type", "application/json")
        .body(rpc_body(
            "admin.login",
            json!({"email": email, "password": password}),
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_attacker_locks_out_only_their_own_address_not_the_real_admin() {
    let app = spawn_app().await;
    app.tenant("salon", "Salon", "+493012345670").await;
    app.admin("salon", "owner@salon.de", "the right password")
        .await;
    let attacker = client_from("127.0.0.1");
    for _ in 0..5 {
        let res = login_from(&app, &attacker, "owner@salon.de", "guess guess").await;
        assert_eq!(res["error"]["code"], -32001, "{res}");
    }
    let res = login_from(&app, &attacker, "owner@salon.de", "the right password").await;
    assert_eq!(
        res["error"]["code"], -32020,
        "the guessing address is locked: {res}"
    );
    let owner = client_from("127.0.0.2");
    let res = login_from(&app, &owner, "owner@salon.de", "the right password").await;
    assert!(
        res["result"]["token"].is_string(),
        "the owner still signs in: {res}"
    );
}

#[tokio::test]
async fn sign_in_attempts_are_counted_per_client_across_accounts() {
    let app = spawn_app().await;
    let client = client_from("127.0.0.3");
    // All at once: the attempts are counted when they arrive, before any password check.
    let attempts = (0..12).map(|i| {
        let (app, client) = (&app, &client);
        async move { login_from(app, client, &format!("user{i}@example.de"), "guess guess").await }
    });
    let mut limited = 0;
    for res in futures_util::future::join_all(attempts).await {
        match res["error"]["code"].as_i64() {
            Some(-32001) => {}
            Some(-32020) => limited += 1,
            other => panic!("unexpected {other:?}: {res}"),
        }
    }
    let limited = limited >= 2;
    assert!(limited, "a client spraying accounts is slowed down");
}

#[tokio::test]
async fn concurrent_sign_ins_never_run_more_password_checks_than_cores() {
    let app = spawn_app_with(|c| {
        c.limits.login_per_client_min = 10_000;
        c.limits.login_per_account_min = 10_000;
    })
    .await;
    let checks = slotline::auth::hashing::PasswordChecks::global();
    let calls = (0..16).map(|i| {
        let body = rpc_body(
            "admin.login",
            json!({"email": format!("user{i}@example.de"), "password": "guess guess"}),
        );
        let app = &app;
        async move { app.rpc_raw(&body, None).await }
    });
    for (_, res) in futures_util::future::join_all(calls).await {
        // Refused as wrong, or (on a slow machine) told to retry: never more hashing at once.
        let code = res["error"]["code"].as_i64();
        assert!(matches!(code, Some(-32001 | -32020)), "{res}");
    }
    assert!(checks.peak() >= 1);
    assert!(
        checks.peak() <= checks.size(),
        "at most {} at once, saw {}",
        checks.size(),
        checks.peak()
    );
}

#[tokio::test]
async fn collect_books_for_the_calling_number_and_never_renames_another_customer() {
    let app = spawn_app().await;
    salon(&app).await;
    let (_, berta) = call(
        &app,
        "collect_appointment",
        "call_berta",
        OTHER,
        book("2027-03-10T10:00", "Berta Beispiel"),
    )
    .await;
    assert_eq!(berta["success"], true, "{berta}");
    let mut args = book("2027-03-10T14:00", "Mallory");
    args["phone"] = json!(OTHER);
    let (_, booked) = call(&app, "collect_appointment", "call_mallory", CALLER, args).await;
    assert_eq!(booked["success"], true, "{booked}");
    let id = booked["appointment_id"].as_i64().unwrap();
    let row = sqlx::query(
        "SELECT c.name, c.phone_e164, a.contact_phone FROM appointments a \
         JOIN customers c ON c.id = a.customer_id WHERE a.id = $1",
    )
    .bind(id)
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(
        row.try_get::<String, _>("phone_e164").unwrap(),
        CALLER,
        "booked for the caller"
    );
    assert_eq!(row.try_get::<String, _>("name").unwrap(), "Mallory");
    assert_eq!(
        row.try_get::<Option<String>, _>("contact_phone")
            .unwrap()
            .as_deref(),
        Some(OTHER),
        "the number said is kept as contact only"
    );
    let name: String = sqlx::query("SELECT name FROM customers WHERE phone_e164 = $1")
        .bind(OTHER)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .try_get("name")
        .unwrap();
    assert_eq!(
        name, "Berta Beispiel",
        "the other customer's record is untouched"
    );
}

#[tokio::test]
async fn free_text_has_length_limits() {
    let app = spawn_app().await;
    salon(&app).await;
    let mut args = book("2027-03-10T10:00", "Anna Schmidt");
    args["notes"] = json!("x".repeat(1_001));
    let (status, reply) = call(&app, "collect_appointment", "call_long", CALLER, args).await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (200, Some("too_long")),
        "{reply}"
    );
    let (_, reply) = call(
        &app,
        "collect_appointment",
        "call_name",
        CALLER,
        book("2027-03-10T10:00", &"N".repeat(201)),
    )
    .await;
    assert_eq!(reply["error"], "too_long", "{reply}");
    let (_, ok) = call(
        &app,
        "collect_appointment",
        "call_fine",
        CALLER,
        book("2027-03-10T10:00", "Anna Schmidt"),
    )
    .await;
    let id = ok["appointment_id"].as_i64().unwrap();
    let (_, reply) = call(
        &app,
        "cancel_appointment",
        "call_cancel",
        CALLER,
        json!({"appointment_id": id, "reason": "r".repeat(501)}),
    )
    .await;
    assert_eq!(reply["error"], "too_long", "{reply}");
}

#[tokio::test]
async fn an_anonymous_gateway_call_neither_probes_nor_closes_an_open_breaker() {
    let app = spawn_app_with(quick_breakers).await;
    salon(&app).await;
    let token = app.token("salon").await;
    app.app_store.close().await;
    for _ in 0..2 {
        let res = rpc(&app, &token, "appointments.list", json!({})).await;
        assert_eq!(res["error"]["code"], -32603, "{res}");
        assert_eq!(res["error"]["data"]["downstream"], "database", "{res}");
    }
    let res = rpc(&app, &token, "appointments.list", json!({})).await;
    assert_eq!(res["error"]["code"], -32021, "open: {res}");
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    let (_, anonymous) = app
        .rpc_raw(&rpc_body("appointments.list", json!({})), None)
        .await;
    assert_eq!(anonymous["error"]["code"], -32001, "{anonymous}");
    let metrics = app.metrics().await;
    assert!(
        !metrics.contains("circuit=\"database\",to=\"closed\""),
        "an anonymous call must not close the breaker:\n{metrics}"
    );
    let res = rpc(&app, &token, "appointments.list", json!({})).await;
    assert_eq!(
        res["error"]["code"], -32603,
        "the next real call still reaches the database: {res}"
    );
}

#[tokio::test]
async fn a_book_token_cannot_move_cancel_or_rename_for_another_number() {
    let app = spawn_app().await;
    salon(&app).await;
    let (_, victim) = call(
        &app,
        "collect_appointment",
        "call_victim",
        OTHER,
        book("2027-03-10T10:00", "Berta Beispiel"),
    )
    .await;
    let id = victim["appointment_id"].as_i64().expect("booked");
    let book_only = app
        .token_with("salon", &[app::contract::Scope::Book], None)
        .await;
    for method in [
        "retell.functions.cancel_appointment",
        "retell.functions.change_appointment",
    ] {
        let res = rpc(
            &app,
            &book_only,
            method,
            json!({"caller": OTHER, "appointment_id": id, "reason": "x", "when": "2027-03-10T14:00"}),
        )
        .await;
        assert_eq!(res["error"]["code"], -32002, "{method}: {res}");
    }
    let mut params = book("2027-03-10T15:00", "Mallory");
    params["caller"] = json!(OTHER);
    let res = rpc(
        &app,
        &book_only,
        "retell.functions.collect_appointment",
        params,
    )
    .await;
    assert_eq!(
        res["result"]["success"], true,
        "a booking itself is allowed: {res}"
    );
    let row = sqlx::query("SELECT name FROM customers WHERE phone_e164 = $1")
        .bind(OTHER)
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(
        row.try_get::<String, _>("name").unwrap(),
        "Berta Beispiel",
        "a caller named by an API client never renames the customer"
    );
    let status: String = sqlx::query("SELECT status FROM appointments WHERE id = $1")
        .bind(id)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .try_get("status")
        .unwrap();
    assert_ne!(status, "cancelled");
}

#[tokio::test]
async fn a_pages_wasm_chunks_do_not_use_up_the_clients_limit_and_are_revalidated() {
    // One page's first visit fetches ~100 chunk files (scripts/site.sh splits the WASM per
    // page): they must not count, or a second page view would be refused.
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/chunk_7.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let root = site.path().to_path_buf();
    let app = spawn_app_with(move |c| {
        c.limits.ip_per_min = 60;
        c.site_root = root;
    })
    .await;
    let get = |path: &str| app.client.get(format!("{}{path}", app.base)).send();
    for _ in 0..250 {
        let res = get("/pkg/chunk_7.wasm").await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["cache-control"], "no-cache");
    }
    let mut limited = None;
    for i in 0..150 {
        if get("/admin/login").await.unwrap().status() == 429 {
            limited = Some(i);
            break;
        }
    }
    let after = limited.expect("pages still count against the client's limit");
    assert!(after >= 100, "the burst is allowed first ({after})");
}
