//! API token scopes (read, book, manage) and expiry: what each scope may call over JSON-RPC
//! and MCP, expired tokens refused like unknown ones, `tokens.create` / `tokens.list` with
//! scopes and expiry. Runs on SQLite and (with SLOTLINE_TEST_POSTGRES_URL) on PostgreSQL.

mod common;

use app::contract::Scope;
use common::{spawn_app, TestApp};
use rmcp::model::{CallToolRequestParams, CallToolResult, ClientConfig};
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::ServiceExt;
use serde_json::{json, Value};
use slotline::store::scheduling::{BookingRules, NewService};

const CALLER: &str = "+4915112345678";
const PASSWORD: &str = "correct horse battery";

fn rpc(method: &str, params: Value) -> String {
    json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string()
}

/// Calls a method with an API token; returns the JSON-RPC answer.
async fn with_token(app: &TestApp, token: &str, method: &str, params: Value) -> Value {
    app.rpc_raw(&rpc(method, params), Some(token)).await.1
}

/// Calls a method as a signed-in admin (session cookie); returns the JSON-RPC answer.
async fn as_admin(app: &TestApp, cookie: &str, method: &str, params: Value) -> Value {
    app.client
        .post(format!("{}/api/mcp/gateway", app.base))
        .header("cookie", cookie)
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()
}

/// Asserts a call was refused for lacking `scope`, with a sentence saying what to do.
fn assert_lacks(res: &Value, scope: &str, method: &str) {
    assert_eq!(res["error"]["code"], -32002, "{res}");
    assert_eq!(res["error"]["data"]["scope"], scope, "{res}");
    let message = res["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("lacks the `{scope}` scope needed for {method}")),
        "{message}"
    );
    assert!(message.contains("API access page"), "{message}");
}

/// A salon with one phone-bookable service and one staff member working 09–18 every day.
async fn salon(app: &TestApp) -> i64 {
    let tenant = app.tenant("salon", "Salon Test", "+493012345670").await;
    let s = &app.store;
    s.set_booking_rules(tenant, &BookingRules::default())
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
    let ben = slotline::demo::salon::add_staff(s, &secrets, tenant, "Ben")
        .await
        .unwrap();
    s.offer_service(tenant, ben, service).await.unwrap();
    for day in 1..=7 {
        s.add_working_hours(tenant, ben, day, 9 * 60, 18 * 60)
            .await
            .unwrap();
    }
    tenant
}

/// 10:00 local, three days from today (well within notice and horizon).
fn in_three_days_at_ten() -> String {
    let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
    let today = common::NOW
        .parse::<jiff::Timestamp>()
        .unwrap()
        .to_zoned(tz)
        .date();
    let day = today.checked_add(jiff::Span::new().days(3)).unwrap();
    format!("{day}T10:00")
}

fn collect_params() -> Value {
    json!({"caller": CALLER, "service": "Herrenhaarschnitt", "when": in_three_days_at_ten(),
           "customer_name": "Olaf"})
}

#[tokio::test]
async fn a_read_token_reads_but_can_neither_book_nor_manage() {
    let app = spawn_app().await;
    app.tenant("salon", "Salon", "+493012345670").await;
    let read = app.token_with("salon", &[Scope::Read], None).await;

    let found = with_token(
        &app,
        &read,
        "appointment.management.find",
        json!({"phone": CALLER}),
    )
    .await;
    assert_eq!(found["result"], json!([]), "{found}");
    let tenant = with_token(&app, &read, "tenant.get", json!({})).await;
    assert_eq!(tenant["result"]["slug"], "salon", "{tenant}");
    let check = with_token(
        &app,
        &read,
        "retell.functions.check_availability",
        json!({"service": "Herrenhaarschnitt", "when": in_three_days_at_ten()}),
    )
    .await;
    assert_ne!(
        check["error"]["code"], -32002,
        "checking availability is reading: {check}"
    );

    let cancel = with_token(
        &app,
        &read,
        "appointment.management.cancel",
        json!({"appointment_id": 1, "phone": CALLER, "reason": "x"}),
    )
    .await;
    assert_lacks(&cancel, "manage", "appointment.management.cancel");
    let collect = with_token(
        &app,
        &read,
        "retell.functions.collect_appointment",
        collect_params(),
    )
    .await;
    assert_lacks(&collect, "book", "retell.functions.collect_appointment");
    // The scope is checked before the params: a wrong shape still says what is missing.
    let confirm = with_token(
        &app,
        &read,
        "appointment.management.confirm",
        json!({"nonsense": true}),
    )
    .await;
    assert_lacks(&confirm, "manage", "appointment.management.confirm");
}

#[tokio::test]
async fn a_book_token_books_for_the_caller_and_only_a_manage_token_manages() {
    let app = spawn_app().await;
    salon(&app).await;
    let book = app.token_with("salon", &[Scope::Book], None).await;
    let manage = app.token_with("salon", &[Scope::Manage], None).await;

    let booked = with_token(
        &app,
        &book,
        "retell.functions.collect_appointment",
        collect_params(),
    )
    .await;
    assert_eq!(booked["result"]["status"], "booked", "{booked}");
    let id = booked["result"]["appointment_id"].as_i64().unwrap();

    let cancel = json!({"appointment_id": id, "phone": CALLER, "reason": "verreist"});
    let refused = with_token(&app, &book, "appointment.management.cancel", cancel.clone()).await;
    assert_lacks(&refused, "manage", "appointment.management.cancel");
    let find = with_token(
        &app,
        &book,
        "appointment.management.find",
        json!({"phone": CALLER}),
    )
    .await;
    assert_lacks(&find, "read", "appointment.management.find");
    let collect = with_token(
        &app,
        &manage,
        "retell.functions.collect_appointment",
        collect_params(),
    )
    .await;
    assert_lacks(&collect, "book", "retell.functions.collect_appointment");

    let cancelled = with_token(&app, &manage, "appointment.management.cancel", cancel).await;
    assert_eq!(cancelled["result"]["status"], "cancelled", "{cancelled}");
}

#[tokio::test]
async fn an_expired_token_is_refused_over_json_rpc_and_mcp() {
    let app = spawn_app().await;
    let tenant = app.tenant("salon", "Salon", "+493012345670").await;
    let token = app.token_with("salon", &[Scope::Read], Some(1)).await;
    let ok = with_token(&app, &token, "tenant.get", json!({})).await;
    assert_eq!(
        ok["result"]["slug"], "salon",
        "works until it expires: {ok}"
    );

    sqlx::query("UPDATE api_tokens SET expires_at = $1 WHERE tenant_id = $2")
        .bind(app.store.now_ms() - 1_000)
        .bind(tenant)
        .execute(app.store.pool())
        .await
        .unwrap();
    // The expiry was moved behind the server's back; forget the grant it cached from the call
    // above. (Time running out needs no such step: a cached grant carries its expiry.)
    app.app_store.grants().clear();
    let refused = with_token(&app, &token, "tenant.get", json!({})).await;
    assert_eq!(refused["error"]["code"], -32001, "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("has expired"),
        "{refused}"
    );
    let public = with_token(&app, &token, "ping", json!({})).await;
    assert_eq!(
        public["error"]["code"], -32001,
        "refused like an unknown token, even for public methods"
    );

    let init = json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "protocolVersion": "2025-03-26", "capabilities": {},
                    "clientInfo": { "name": "curl", "version": "1" } }
    });
    let res = app
        .client
        .post(format!("{}/mcp", app.base))
        .header("accept", "application/json, text/event-stream")
        .header("authorization", format!("Bearer {token}"))
        .json(&init)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    let body: Value = res.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("has expired"),
        "{body}"
    );
}

#[tokio::test]
async fn tokens_are_created_with_scopes_and_expiry_and_listed_with_them() {
    let app = spawn_app().await;
    let tenant = app.tenant("salon", "Salon", "+493012345670").await;
    app.admin("salon", "a@salon.test", PASSWORD).await;
    let cookie = app.login("a@salon.test", PASSWORD).await;

    let reader = as_admin(
        &app,
        &cookie,
        "tokens.create",
        json!({"name": "reader", "scopes": ["read", "read"], "expires_in_days": 30}),
    )
    .await;
    assert!(reader["result"]["token"].is_string(), "{reader}");
    let everything = as_admin(
        &app,
        &cookie,
        "tokens.create",
        json!({"name": "old client"}),
    )
    .await;
    let old_token = everything["result"]["token"].as_str().unwrap().to_owned();
    let expired = as_admin(
        &app,
        &cookie,
        "tokens.create",
        json!({"name": "gone", "scopes": ["book", "manage"], "expires_in_days": 1}),
    )
    .await;
    let gone_id = expired["result"]["id"].as_i64().unwrap();
    sqlx::query("UPDATE api_tokens SET expires_at = $1 WHERE id = $2")
        .bind(app.store.now_ms() - 1_000)
        .bind(gone_id)
        .execute(app.store.pool())
        .await
        .unwrap();

    let listed = as_admin(&app, &cookie, "tokens.list", json!({})).await;
    let tokens = listed["result"]["tokens"].as_array().unwrap();
    let row = |name: &str| tokens.iter().find(|t| t["name"] == name).cloned().unwrap();
    let gone = row("gone");
    assert_eq!(gone["scopes"], json!(["book", "manage"]));
    assert_eq!(gone["expired"], true);
    assert!(gone["expires_local"].is_string(), "{gone}");
    let old = row("old client");
    assert_eq!(
        old["scopes"],
        json!(["read", "book", "manage"]),
        "no scopes sent: all three, as before scopes existed"
    );
    assert!(old["expires_local"].is_null());
    assert_eq!(old["expired"], false);
    let reader = row("reader");
    assert_eq!(reader["scopes"], json!(["read"]));
    assert_eq!(reader["expired"], false);
    let expires = reader["expires_local"].as_str().unwrap();
    let stored = app.store.api_tokens(tenant).await.unwrap();
    let stored = stored.iter().find(|t| t.name == "reader").unwrap();
    let lifetime = stored.expires_at.unwrap() - stored.created_at;
    assert!(
        (lifetime - 30 * 86_400_000).abs() < 60_000,
        "30 days from creation, expires {expires}"
    );
    let answer = with_token(
        &app,
        &old_token,
        "appointment.management.cancel",
        json!({"appointment_id": 999, "phone": CALLER}),
    )
    .await;
    assert_ne!(
        answer["error"]["code"], -32002,
        "a token with every scope reaches the method: {answer}"
    );

    for (params, field) in [
        (json!({"name": "x", "scopes": []}), "scopes"),
        (json!({"name": "x", "scopes": ["admin"]}), "scopes[0]"),
        (
            json!({"name": "x", "expires_in_days": 0}),
            "expires_in_days",
        ),
        (
            json!({"name": "x", "expires_in_days": 3651}),
            "expires_in_days",
        ),
        (
            json!({"name": "x", "expires_in_days": -1}),
            "expires_in_days",
        ),
    ] {
        let bad = as_admin(&app, &cookie, "tokens.create", params.clone()).await;
        assert_eq!(bad["error"]["code"], -32602, "{params}: {bad}");
        assert_eq!(bad["error"]["data"]["field"], field, "{params}: {bad}");
        assert!(
            bad["error"]["message"].as_str().unwrap().contains(field),
            "{bad}"
        );
    }
    let after = as_admin(&app, &cookie, "tokens.list", json!({})).await;
    assert_eq!(
        after["result"]["tokens"].as_array().unwrap().len(),
        3,
        "invalid params create nothing"
    );
}

async fn connect(app: &TestApp, token: &str) -> RunningService<RoleClient, ClientConfig> {
    let config = StreamableHttpClientTransportConfig::with_uri(format!("{}/mcp", app.base))
        .auth_header(token.to_owned());
    ClientConfig::default()
        .serve(StreamableHttpClientTransport::from_config(config))
        .await
        .expect("MCP client initializes")
}

#[tokio::test]
async fn discovery_and_mcp_show_the_scope_each_method_needs() {
    let app = spawn_app().await;
    app.tenant("salon", "Salon", "+493012345670").await;

    let (_, listed) = app.get_json("/api/mcp/gateway/methods").await;
    let methods = listed["methods"].as_array().unwrap();
    let scope_of = |name: &str| {
        methods
            .iter()
            .find(|m| m["name"] == name)
            .map(|m| m["scope"].clone())
            .unwrap()
    };
    assert_eq!(scope_of("appointment.management.find"), "read");
    assert_eq!(scope_of("retell.functions.check_availability"), "read");
    assert_eq!(scope_of("retell.functions.collect_appointment"), "book");
    assert_eq!(scope_of("retell.functions.cancel_appointment"), "manage");
    assert_eq!(scope_of("appointment.management.cancel"), "manage");
    assert_eq!(scope_of("appointment.management.confirm"), "manage");
    assert!(scope_of("tokens.create").is_null(), "admin only");
    assert!(scope_of("ping").is_null(), "public");
    let (_, discovered) = app
        .rpc_raw(r#"{"jsonrpc":"2.0","method":"rpc.discover","id":1}"#, None)
        .await;
    let cancel = discovered["result"]["methods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "appointment.management.cancel")
        .cloned()
        .unwrap();
    assert_eq!(cancel["x-scope"], "manage");

    // tools/list offers only what the token's scopes allow; a call beyond them is refused.
    let read = app.token_with("salon", &[Scope::Read], None).await;
    let client = connect(&app, &read).await;
    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    for offered in [
        "appointment_management_find",
        "retell_functions_check_availability",
        "tenant_get",
    ] {
        assert!(names.contains(&offered), "{offered} missing from {names:?}");
    }
    for hidden in [
        "appointment_management_cancel",
        "appointment_management_change",
        "retell_functions_collect_appointment",
    ] {
        assert!(!names.contains(&hidden), "{hidden} offered to a read token");
    }
    let args = json!({"appointment_id": 1, "phone": CALLER});
    let result: CallToolResult = client
        .call_tool(
            CallToolRequestParams::new("appointment_management_cancel")
                .with_arguments(args.as_object().cloned().unwrap_or_default()),
        )
        .await
        .expect("tools/call answers");
    assert_eq!(result.is_error, Some(true));
    let error = result.structured_content.as_ref().unwrap();
    assert_eq!(error["code"], -32002, "{error}");
    client.cancel().await.unwrap();

    let book = app.token_with("salon", &[Scope::Book], None).await;
    let client = connect(&app, &book).await;
    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert!(names.contains(&"retell_functions_collect_appointment"));
    assert!(!names.contains(&"appointment_management_find"));
    client.cancel().await.unwrap();
}
