//! Connecting a business to Retell from the browser (issue #11), over JSON-RPC against a fake
//! Retell API: the key checked with Retell before it is stored and never shown, webhook events,
//! the function token (generate, rotate, grace, the uniform 401), custom-function edits and the
//! disabled-function refusal, the webhook test kept out of call figures, the generated prompt,
//! roles, retries on 429 and the timeout. Runs on SQLite and (in make test) on PostgreSQL.

mod common;

use common::fake_retell::{FakeRetell, Fault};
use common::salon::{self, AGENT, CALLER};
use common::{sign_now, spawn_app_with, TestApp};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const KEY: &str = "key_connect_test_0123456789abcdef";

/// The app pointed at a fresh fake Retell that accepts [`KEY`] (and the salon's key), with a
/// short timeout and pauses so failure paths are quick.
async fn start() -> (TestApp, FakeRetell) {
    let fake = FakeRetell::start().await;
    fake.accept_key(KEY);
    fake.accept_key(salon::KEY);
    let url = fake.url.clone();
    let app = spawn_app_with(|c| {
        c.retell_api_url = url;
        // Long enough for a loaded CI machine, short enough for the hang test.
        c.retell_api.timeout = Duration::from_millis(1500);
        c.retell_api.backoff = Duration::from_millis(10);
    })
    .await;
    (app, fake)
}

fn field(res: &Value) -> &str {
    res["error"]["data"]["field"].as_str().unwrap_or("")
}

fn message(res: &Value) -> &str {
    res["error"]["message"].as_str().unwrap_or("")
}

#[tokio::test]
async fn a_key_is_checked_with_retell_before_it_is_stored_and_never_shown() {
    let (app, fake) = start().await;
    let (_, owner, _) = app.bare_tenant("praxis").await;
    let mut seen = Vec::new();

    let (res, text) = app
        .rpc_text(&owner, "retell.config.getWebhook", json!({}))
        .await;
    seen.push(text);
    let cfg = &res["result"];
    assert_eq!(
        cfg["webhook_url"], "https://slotline.test/api/webhooks/retell",
        "{res}"
    );
    assert_eq!(cfg["retell_api_key"], Value::Null);
    assert_eq!(
        cfg["events"],
        json!(["call_started", "call_ended", "call_analyzed"])
    );
    assert_eq!(cfg["function_token"]["set"], false);

    let (res, text) = app
        .rpc_text(
            &owner,
            "retell.config.updateWebhook",
            json!({"retell_api_key": "key_not_valid_at_all"}),
        )
        .await;
    seen.push(text);
    assert_eq!(res["error"]["code"], -32004, "{res}");
    assert_eq!(field(&res), "retell_api_key");
    assert!(
        message(&res).contains("Retell refused this API key"),
        "{res}"
    );
    let res = app
        .rpc_as(&owner, "retell.config.getWebhook", json!({}))
        .await;
    assert_eq!(
        res["result"]["retell_api_key"],
        Value::Null,
        "a refused key is not stored"
    );

    let res = app
        .rpc_as(
            &owner,
            "retell.config.updateWebhook",
            json!({"retell_api_key": "two words"}),
        )
        .await;
    assert_eq!(field(&res), "retell_api_key", "{res}");

    let (res, text) = app
        .rpc_text(
            &owner,
            "retell.config.updateWebhook",
            json!({"retell_api_key": format!("  {KEY} ")}),
        )
        .await;
    seen.push(text);
    assert_eq!(res["result"]["retell_api_key"], "…cdef", "{res}");
    assert!(res["result"]["key_verified_local"].is_string());
    assert_eq!(
        fake.hits("/list-agents"),
        2,
        "both keys were checked with Retell"
    );
    for method in [
        "retell.config.getWebhook",
        "retell.config.status",
        "retell.config.listAgents",
    ] {
        seen.push(app.rpc_text(&owner, method, json!({})).await.1);
    }
    seen.push(app.metrics().await);
    for text in &seen {
        assert!(!text.contains(KEY), "the key leaked: {text}");
    }
}

#[tokio::test]
async fn webhook_events_must_be_retells_and_keep_call_ended() {
    let (app, _fake) = start().await;
    let (_, owner, _) = app.bare_tenant("praxis").await;
    let update = |events: Value| {
        app.rpc_as(
            &owner,
            "retell.config.updateWebhook",
            json!({ "events": events }),
        )
    };
    let res = update(json!(["call_started", "call_exploded"])).await;
    assert_eq!(field(&res), "events", "{res}");
    assert!(
        message(&res).contains("not a Retell webhook event"),
        "{res}"
    );
    let res = update(json!(["call_started"])).await;
    assert!(message(&res).contains("call_ended must stay on"), "{res}");
    let res = update(json!(["transcript_updated", "call_ended", "call_ended"])).await;
    assert_eq!(
        res["result"]["events"],
        json!(["call_ended", "transcript_updated"]),
        "{res}"
    );
    let res = app
        .rpc_as(&owner, "retell.config.getWebhook", json!({}))
        .await;
    assert_eq!(
        res["result"]["events"],
        json!(["call_ended", "transcript_updated"])
    );
    assert_eq!(
        res["result"]["available_events"].as_array().unwrap().len(),
        8
    );
}

/// Calls check_availability as Retell does, with an optional function token header.
async fn check(app: &TestApp, token: Option<&str>) -> (u16, Value) {
    let body = json!({
        "name": "check_availability",
        "call": { "call_id": "call_tok", "agent_id": AGENT, "from_number": CALLER,
                  "to_number": "+493012345670", "start_timestamp": 1_804_582_800_000i64 },
        "args": { "service": "Herrenhaarschnitt", "date": "2027-03-10", "time": "10:00" },
    })
    .to_string();
    let mut req = app
        .client
        .post(format!(
            "{}/api/mcp/gateway/retell/functions/check_availability",
            app.base
        ))
        .header("content-type", "application/json")
        .header("x-retell-signature", sign_now(&body, salon::KEY))
        .body(body);
    if let Some(t) = token {
        req = req.header("X-Slotline-Function-Token", t);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_function_token_is_shown_once_checked_beside_the_signature_and_rotates_with_grace() {
    let (app, _fake) = start().await;
    salon::salon(&app).await;
    app.admin("salon", "owner@salon.test", "owner password 1")
        .await;
    let owner = app.login("owner@salon.test", "owner password 1").await;
    assert_eq!(check(&app, None).await.0, 200, "no token yet: none needed");

    let res = app
        .rpc_as(
            &owner,
            "retell.config.updateWebhook",
            json!({"rotate_function_token": true}),
        )
        .await;
    let first = res["result"]["new_function_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(first.starts_with("slf_"), "{res}");
    assert_eq!(res["result"]["function_token"]["set"], true);
    assert_eq!(
        res["result"]["function_token"]["header"],
        "X-Slotline-Function-Token"
    );
    let (again, text) = app
        .rpc_text(&owner, "retell.config.getWebhook", json!({}))
        .await;
    assert!(again["result"].get("new_function_token").is_none());
    assert!(!text.contains(&first), "shown once only");

    let (missing, missing_body) = check(&app, None).await;
    let (wrong, wrong_body) = check(&app, Some("slf_wrong")).await;
    assert_eq!((missing, wrong), (401, 401));
    let (_, bad_signature) = salon::post(
        &app,
        "check_availability",
        r#"{"name":"check_availability","call":{"call_id":"c","agent_id":"agent_salon"},"args":{}}"#,
        Some(format!("v={},d={}", slotline::store::now_ms(), "0".repeat(64))),
    )
    .await;
    assert_eq!(missing_body, bad_signature, "the same uniform 401");
    assert_eq!(wrong_body, bad_signature);
    assert_eq!(check(&app, Some(&first)).await.0, 200);

    let res = app
        .rpc_as(
            &owner,
            "retell.config.updateWebhook",
            json!({"rotate_function_token": true}),
        )
        .await;
    let second = res["result"]["new_function_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(first, second);
    assert!(
        res["result"]["function_token"]["previous_valid_until_local"].is_string(),
        "{res}"
    );
    assert_eq!(check(&app, Some(&second)).await.0, 200);
    assert_eq!(
        check(&app, Some(&first)).await.0,
        200,
        "the old one works during the grace"
    );

    // The grace period ends: the old token is refused at once (the key cache is not stale).
    sqlx::query("UPDATE retell_configurations SET function_token_prev_until = $1")
        .bind(app.store.now_ms() - 1)
        .execute(app.store.pool())
        .await
        .unwrap();
    app.rpc_as(
        &owner,
        "retell.config.updateCustomFunction",
        json!({"name": "check_availability"}),
    )
    .await;
    assert_eq!(check(&app, Some(&first)).await.0, 401);
    assert_eq!(check(&app, Some(&second)).await.0, 200);
}

#[tokio::test]
async fn custom_functions_are_edited_with_checked_schemas_and_a_disabled_one_refuses_politely() {
    let (app, _fake) = start().await;
    salon::salon(&app).await;
    app.admin("salon", "owner@salon.test", "owner password 1")
        .await;
    let owner = app.login("owner@salon.test", "owner password 1").await;
    let res = app
        .rpc_as(&owner, "retell.config.getCustomFunctions", json!({}))
        .await;
    let list = res["result"]["functions"].as_array().unwrap();
    let names: Vec<&str> = list.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "check_availability",
            "collect_appointment",
            "change_appointment",
            "cancel_appointment"
        ]
    );
    assert_eq!(
        list[0]["url"],
        "https://slotline.test/api/mcp/gateway/retell/functions/check_availability"
    );
    assert!(list[1]["parameters"]["properties"]["customer_name"].is_object());
    assert!(list
        .iter()
        .all(|f| f["enabled"] == true && f["customized"] == false));

    let update = |p: Value| app.rpc_as(&owner, "retell.config.updateCustomFunction", p);
    let res = update(json!({"name": "check_availability", "parameters": {"type": "string"}})).await;
    assert_eq!(field(&res), "parameters", "{res}");
    assert!(message(&res).contains("\"type\": \"object\""), "{res}");
    let res = update(json!({"name": "check_availability", "parameters": {"type": "object"}})).await;
    assert!(message(&res).contains("\"properties\""), "{res}");
    let res = update(json!({"name": "check_availability", "max_retry": 6})).await;
    assert_eq!(field(&res), "max_retry", "{res}");
    let res = update(json!({"name": "check_availability", "timeout_ms": 10})).await;
    assert_eq!(field(&res), "timeout_ms", "{res}");
    let res = update(json!({"name": "book_everything"})).await;
    assert_eq!(field(&res), "name", "{res}");
    let res = update(json!({"name": "check_availability", "description": "Finds free times.",
        "parameters": {"type": "object", "properties": {"service": {"type": "string"}}, "required": ["service"]},
        "timeout_ms": 8000, "max_retry": 1})).await;
    assert_eq!(res["result"]["description"], "Finds free times.", "{res}");
    assert_eq!(res["result"]["customized"], true);

    let res = update(json!({"name": "cancel_appointment", "enabled": false})).await;
    assert_eq!(res["result"]["enabled"], false, "{res}");
    let (status, body) = salon::call(&app, "cancel_appointment", "call_x", CALLER, json!({})).await;
    assert_eq!(status, 200, "a refusal Retell reads, not an error: {body}");
    assert_eq!(body["success"], false);
    assert_eq!(body["error"], "function_disabled");
    assert!(
        body["message"].as_str().unwrap().contains("Telefon"),
        "the tenant's language: {body}"
    );
    let (status, _) = salon::call(&app, "change_appointment", "call_x", CALLER, json!({})).await;
    assert_eq!(status, 200);
    let res = update(json!({"name": "cancel_appointment", "reset": true})).await;
    assert_eq!(res["result"]["customized"], false, "{res}");
    let (_, body) = salon::call(&app, "cancel_appointment", "call_y", CALLER, json!({})).await;
    assert_ne!(body["error"], "function_disabled", "{body}");
}

#[tokio::test]
async fn the_webhook_test_goes_through_the_real_routes_and_stays_out_of_call_figures() {
    let (app, _fake) = start().await;
    salon::salon(&app).await;
    app.admin("salon", "owner@salon.test", "owner password 1")
        .await;
    let owner = app.login("owner@salon.test", "owner password 1").await;
    app.rpc_as(
        &owner,
        "retell.config.updateWebhook",
        json!({"rotate_function_token": true}),
    )
    .await;
    let res = app
        .rpc_as(&owner, "retell.config.testWebhook", json!({}))
        .await;
    let r = &res["result"];
    assert_eq!(r["webhook"]["status"], 200, "{res}");
    assert_eq!(r["webhook"]["ok"], true);
    assert!(r["webhook"]["millis"].is_u64());
    let detail = r["webhook"]["detail"].as_str().unwrap();
    assert!(
        detail.contains("recorded call_started of test call slotline_test_"),
        "{detail}"
    );
    let functions = r["functions"].as_array().unwrap();
    assert_eq!(functions.len(), 4, "{res}");
    for f in functions {
        assert_eq!(f["status"], 200, "{f}");
    }
    assert!(
        functions[0]["detail"]
            .as_str()
            .unwrap()
            .contains("Damenhaarschnitt"),
        "check_availability was asked about a real service: {}",
        functions[0]
    );
    assert!(functions[1]["detail"]
        .as_str()
        .unwrap()
        .contains("nothing is booked"));
    assert_eq!(r["ok"], true, "{res}");
    app.drain_inbox().await;
    let booked: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM appointments")
            .fetch_one(app.store.pool())
            .await
            .unwrap(),
        "n",
    );
    assert_eq!(booked, 0, "a test books nothing");

    // Recorded for real, but left out of the business's figures and lists.
    assert_eq!(app.inbox_rows().await, 1);
    let calls = app.rpc_as(&owner, "calls.list", json!({})).await;
    assert_eq!(calls["result"], json!([]), "{calls}");
    let activity = app.rpc_as(&owner, "webhooks.activity", json!({})).await;
    assert_eq!(activity["result"]["events"], json!([]), "{activity}");
    let status = app.rpc_as(&owner, "retell.config.status", json!({})).await;
    assert_eq!(status["result"]["last_events"], json!([]), "{status}");
    let cfg = app
        .rpc_as(&owner, "retell.config.getWebhook", json!({}))
        .await;
    assert_eq!(
        cfg["result"]["last_test"]["webhook"]["status"], 200,
        "{cfg}"
    );
}

#[tokio::test]
async fn the_webhook_test_needs_a_bound_agent_or_number() {
    let (app, _fake) = start().await;
    let (_, owner, _) = app.bare_tenant("praxis").await;
    app.rpc_as(
        &owner,
        "retell.config.updateWebhook",
        json!({"retell_api_key": KEY}),
    )
    .await;
    let res = app
        .rpc_as(&owner, "retell.config.testWebhook", json!({}))
        .await;
    assert_eq!(field(&res), "agent_id", "{res}");
}

#[tokio::test]
async fn the_prompt_is_generated_from_the_real_services_in_german_and_english() {
    let (app, _fake) = start().await;
    salon::salon(&app).await;
    app.admin("salon", "owner@salon.test", "owner password 1")
        .await;
    let owner = app.login("owner@salon.test", "owner password 1").await;
    let de = app
        .rpc_as(&owner, "retell.config.getAgentPromptTemplate", json!({}))
        .await;
    let prompt = de["result"]["prompt"].as_str().unwrap();
    assert_eq!(de["result"]["locale"], "de");
    for needle in [
        "Salon Test",
        "Damenhaarschnitt (45 Minuten)",
        "Herrenhaarschnitt (30 Minuten)",
        "Montag: 09:00–12:00, 13:00–18:00",
        "{{current_time_Europe/Berlin}}",
        "{{user_number}}",
        "check_availability",
        "collect_appointment",
        "nichts frei",
    ] {
        assert!(prompt.contains(needle), "missing {needle:?} in {prompt}");
    }
    assert!(prompt.contains("Nur vor Ort") && prompt.contains("Dauerwelle"));
    let en = app
        .rpc_as(
            &owner,
            "retell.config.getAgentPromptTemplate",
            json!({"locale": "en"}),
        )
        .await;
    let prompt = en["result"]["prompt"].as_str().unwrap();
    for needle in [
        "Damenhaarschnitt (45 minutes)",
        "Sunday",
        "nothing is free",
        "change_appointment",
    ] {
        assert!(prompt.contains(needle), "missing {needle:?} in {prompt}");
    }
    assert!(en["result"]["begin_message"]
        .as_str()
        .unwrap()
        .contains("Salon Test"));
    app.rpc_as(
        &owner,
        "retell.config.updateCustomFunction",
        json!({"name": "cancel_appointment", "enabled": false}),
    )
    .await;
    let de = app
        .rpc_as(&owner, "retell.config.getAgentPromptTemplate", json!({}))
        .await;
    assert!(!de["result"]["prompt"]
        .as_str()
        .unwrap()
        .contains("cancel_appointment"));
}

#[tokio::test]
async fn staff_see_the_set_up_but_only_the_owner_changes_it() {
    let (app, _fake) = start().await;
    let (_, owner, staff) = app.bare_tenant("praxis").await;
    app.rpc_as(
        &owner,
        "retell.config.updateWebhook",
        json!({"retell_api_key": KEY}),
    )
    .await;
    for (method, params) in [
        (
            "retell.config.updateWebhook",
            json!({"events": ["call_ended"]}),
        ),
        (
            "retell.config.updateCustomFunction",
            json!({"name": "check_availability", "enabled": false}),
        ),
        (
            "retell.config.deployCustomFunctions",
            json!({"dry_run": true}),
        ),
        ("retell.config.testWebhook", json!({})),
        ("retell.config.bindAgent", json!({"agent_id": "agent_x"})),
        (
            "retell.config.unbindNumber",
            json!({"e164": "+493012345670"}),
        ),
    ] {
        let res = app.rpc_as(&staff, method, params).await;
        assert_eq!(res["error"]["code"], -32002, "{method}: {res}");
    }
    for method in [
        "retell.config.getWebhook",
        "retell.config.getCustomFunctions",
        "retell.config.getAgentPromptTemplate",
        "retell.config.status",
        "retell.config.listAgents",
    ] {
        let res = app.rpc_as(&staff, method, json!({})).await;
        assert!(res["error"].is_null(), "{method}: {res}");
    }
    let (_, listed) = app.get_json("/api/mcp/gateway/methods").await;
    let methods = listed["methods"].as_array().unwrap();
    for name in [
        "retell.config.getWebhook",
        "retell.config.updateWebhook",
        "retell.config.testWebhook",
        "retell.config.getCustomFunctions",
        "retell.config.updateCustomFunction",
        "retell.config.deployCustomFunctions",
        "retell.config.getAgentPromptTemplate",
        "retell.config.listAgents",
        "retell.config.bindAgent",
        "retell.config.unbindNumber",
        "retell.config.status",
    ] {
        let m = methods
            .iter()
            .find(|m| m["name"] == name)
            .unwrap_or_else(|| panic!("{name} listed"));
        assert!(
            m["params_schema"].is_object() && m["result_schema"].is_object(),
            "{m}"
        );
        let writes =
            !name.contains(".get") && !name.ends_with("listAgents") && !name.ends_with("status");
        assert_eq!(
            m["access"],
            if writes { "owner" } else { "admin" },
            "{name}"
        );
    }
    let (_, discovered) = app
        .rpc_raw(r#"{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}"#, None)
        .await;
    let doc = discovered["result"]["methods"].as_array().unwrap();
    assert!(doc
        .iter()
        .any(|m| m["name"] == "retell.config.deployCustomFunctions"));
}

#[tokio::test]
async fn a_rate_limited_retell_is_retried_and_a_hanging_one_times_out_clearly() {
    let (app, fake) = start().await;
    let (_, owner, _) = app.bare_tenant("praxis").await;
    fake.fail("/list-agents", Fault::Status(429), Some(2));
    let res = app
        .rpc_as(
            &owner,
            "retell.config.updateWebhook",
            json!({"retell_api_key": KEY}),
        )
        .await;
    assert_eq!(
        res["result"]["retell_api_key"], "…cdef",
        "429 twice, then accepted: {res}"
    );
    assert_eq!(fake.hits("/list-agents"), 3);

    fake.fail("/list-agents", Fault::Status(429), None);
    let res = app
        .rpc_as(&owner, "retell.config.listAgents", json!({}))
        .await;
    assert_eq!(res["error"]["code"], -32022, "{res}");
    assert!(message(&res).contains("HTTP 429"), "{res}");
    assert_eq!(fake.hits("/list-agents"), 6, "three tries, no more");

    fake.fail("/list-agents", Fault::Hang, None);
    let started = Instant::now();
    let res = app
        .rpc_as(&owner, "retell.config.listAgents", json!({}))
        .await;
    let waited = started.elapsed();
    assert_eq!(res["error"]["code"], -32022, "{res}");
    assert!(
        message(&res).contains("did not answer within 1500 ms"),
        "{res}"
    );
    assert_eq!(res["error"]["data"]["downstream"], "retell_api");
    assert!(
        waited < Duration::from_millis(4_000),
        "one timeout, not three tries of it: {waited:?}"
    );

    fake.fail("/list-agents", Fault::Status(500), None);
    let res = app
        .rpc_as(&owner, "retell.config.listAgents", json!({}))
        .await;
    assert!(
        message(&res).contains("Retell's API failed (HTTP 500)"),
        "{res}"
    );
    fake.heal();
    fake.fail("/list-agents", Fault::Status(401), Some(1));
    let res = app
        .rpc_as(&owner, "retell.config.listAgents", json!({}))
        .await;
    assert_eq!(field(&res), "retell_api_key", "{res}");
}

#[tokio::test]
async fn the_page_renders_for_the_owner_and_read_only_for_staff_and_its_forms_name_fields() {
    let (app, fake) = start().await;
    fake.add_agent("agent_page", "Empfang", "llm_page");
    let (_, owner, staff) = app.bare_tenant("praxis").await;
    let page = |cookie: String| {
        let app = &app;
        async move {
            let res = app
                .client
                .get(format!("{}/admin/retell-webhook", app.base))
                .header("accept", "text/html")
                // The page in English (the sentences below); German is the default.
                .header("cookie", format!("{cookie}; slotline_lang=en"))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            without_markers(&res.text().await.unwrap())
        }
    };
    let html = page(owner.clone()).await;
    for needle in [
        "Connect your Retell account",
        "https://slotline.test/api/webhooks/retell",
        "Save the key",
        "Not connected yet",
        "check_availability",
        "Preview changes",
    ] {
        assert!(html.contains(needle), "owner page lacks {needle:?}");
    }

    // The key form works as a plain form POST; a refused key names its field.
    let res = app
        .ui(
            "retell_key",
            Some(&owner),
            &[("retell_api_key", "key_wrong_1234")],
        )
        .await;
    let text = res.text().await.unwrap();
    assert!(
        text.contains("retell_api_key") && text.contains("Retell refused"),
        "{text}"
    );
    let res = app
        .ui("retell_key", Some(&owner), &[("retell_api_key", KEY)])
        .await;
    let text = res.text().await.unwrap();
    assert!(text.contains("…cdef") && !text.contains(KEY), "{text}");
    let res = app
        .ui("retell_bind", Some(&owner), &[("agent_id", "agent_page")])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    // The function editor's JSON is parsed on the server and refused on its field.
    let form = json!({"form": {"name": "check_availability", "description": "Free times.",
        "parameters": "{not json", "speak_during_execution": true, "execution_message": "Moment.",
        "timeout_ms": "10000", "max_retry": "2"}});
    let res = app
        .client
        .post(format!("{}/api/ui/retell_function_save", app.base))
        .header("cookie", &owner)
        .json(&form)
        .send()
        .await
        .unwrap();
    let text = res.text().await.unwrap();
    assert!(
        text.contains("parameters") && text.contains("not valid JSON"),
        "{text}"
    );

    let html = page(staff).await;
    assert!(
        html.contains("only the business owner"),
        "staff are told it is read-only"
    );
    assert!(!html.contains("Save the key") && !html.contains("Preview changes"));
    assert!(html.contains("…cdef") && !html.contains(KEY));
    assert!(
        html.contains("Bound: Empfang (agent_page)"),
        "staff see the binding"
    );
    let dash = app
        .client
        .get(format!("{}/admin", app.base))
        .header("accept", "text/html")
        .header("cookie", format!("{owner}; slotline_lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        dash.contains("Not connected yet"),
        "the dashboard asks Retell, not the key row"
    );
}

/// The HTML without the comment markers SSR puts between the parts of an interpolated
/// sentence (`Bound: <!>Empfang`), so a test can look for the sentence a person reads.
fn without_markers(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let end = if after.starts_with("<!--") {
            after.find("-->").map(|i| i + 3)
        } else {
            after.find('>').map(|i| i + 1)
        };
        match end {
            Some(e) if !after.starts_with("<!DOCTYPE") && !after.starts_with("<!doctype") => {
                rest = &after[e..]
            }
            _ => {
                out.push_str("<!");
                rest = &after[2..];
            }
        }
    }
    out.push_str(rest);
    out
}
