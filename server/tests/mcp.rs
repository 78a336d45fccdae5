//! The standard MCP endpoint `/mcp`, driven by the official rmcp client over Streamable HTTP:
//! tokens only, the token tenant's methods as tools with schemas, calls through the gateway,
//! gateway errors as tool errors.

mod common;

use common::{spawn_app, TestApp};
use rmcp::model::{CallToolRequestParams, CallToolResult, ClientConfig};
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::ServiceExt;
use serde_json::{json, Value};

async fn connect(app: &TestApp, token: &str) -> RunningService<RoleClient, ClientConfig> {
    let config = StreamableHttpClientTransportConfig::with_uri(format!("{}/mcp", app.base))
        .auth_header(token.to_owned());
    ClientConfig::default()
        .serve(StreamableHttpClientTransport::from_config(config))
        .await
        .expect("MCP client initializes")
}

async fn call(
    client: &RunningService<RoleClient, ClientConfig>,
    tool: &str,
    args: Value,
) -> CallToolResult {
    let args = args.as_object().cloned().unwrap_or_default();
    client
        .call_tool(CallToolRequestParams::new(tool.to_owned()).with_arguments(args))
        .await
        .expect("tools/call answers")
}

#[tokio::test]
async fn an_mcp_client_lists_and_calls_the_tenants_tools() {
    let app = spawn_app().await;
    app.tenant("salon-a", "Salon A", "+493011111111").await;
    app.tenant("salon-b", "Salon B", "+493022222222").await;
    let token_a = app.token("salon-a").await;
    let token_b = app.token("salon-b").await;

    let client = connect(&app, &token_a).await;
    let info = client.peer_info().expect("server info after initialize");
    assert_eq!(info.server_info.as_ref().unwrap().name, "slotline");

    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    for expected in [
        "appointment_management_find",
        "appointment_management_change",
        "appointment_management_cancel",
        "appointment_management_confirm",
        "retell_functions_check_availability",
        "retell_functions_collect_appointment",
        "tenant_get",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    for admin_only in ["admin_login", "tenant_update", "webhooks_recovery_retry"] {
        assert!(
            !names.contains(&admin_only),
            "{admin_only} must not be a tool"
        );
    }
    let find = tools
        .iter()
        .find(|t| t.name == "appointment_management_find")
        .unwrap();
    assert_eq!(find.input_schema["type"], "object");
    assert!(
        find.input_schema["properties"]["phone"].is_object(),
        "{:?}",
        find.input_schema
    );
    let annotations = find.annotations.as_ref().expect("annotations");
    assert_eq!(annotations.read_only_hint, Some(true));

    // A call runs the gateway method for the token's tenant only.
    let result = call(&client, "tenant_get", json!({})).await;
    assert_ne!(result.is_error, Some(true), "{result:?}");
    assert_eq!(
        result.structured_content.as_ref().unwrap()["slug"],
        "salon-a"
    );
    let other = connect(&app, &token_b).await;
    let result = call(&other, "tenant_get", json!({})).await;
    assert_eq!(
        result.structured_content.as_ref().unwrap()["slug"],
        "salon-b"
    );

    // Gateway errors come back as tool errors with code and message.
    let result = call(
        &client,
        "appointment_management_find",
        json!({ "phone": 42 }),
    )
    .await;
    assert_eq!(result.is_error, Some(true));
    let error = result.structured_content.as_ref().unwrap();
    assert_eq!(error["code"], -32602, "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("phone"),
        "{error}"
    );
    let result = call(
        &client,
        "appointment_management_find",
        json!({ "phone": "+4917012345678" }),
    )
    .await;
    assert_ne!(result.is_error, Some(true), "{result:?}");

    // An unknown tool is a protocol error.
    let unknown = client
        .call_tool(CallToolRequestParams::new("no_such_tool"))
        .await;
    assert!(unknown.is_err());
    client.cancel().await.unwrap();
    other.cancel().await.unwrap();
}

#[tokio::test]
async fn mcp_needs_a_valid_api_token() {
    let app = spawn_app().await;
    app.tenant("salon", "Salon", "+493011111111").await;
    let init = json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "protocolVersion": "2025-03-26", "capabilities": {},
                    "clientInfo": { "name": "curl", "version": "1" } }
    });
    for auth in [None, Some("Bearer slt_not_a_real_token")] {
        let mut req = app
            .client
            .post(format!("{}/mcp", app.base))
            .header("accept", "application/json, text/event-stream")
            .json(&init);
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 401, "auth {auth:?}");
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        let body: Value = res.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("token create"));
    }
    let token = app.token("salon").await;
    let res = app
        .client
        .post(format!("{}/mcp", app.base))
        .header("accept", "application/json, text/event-stream")
        .header("authorization", format!("Bearer {token}"))
        .json(&init)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

/// DNS rebinding: a web page on another site must not reach `/mcp` through a victim's browser.
#[tokio::test]
async fn mcp_refuses_requests_from_a_foreign_web_origin() {
    let app = spawn_app().await;
    app.tenant("salon", "Salon", "+493011111111").await;
    let token = app.token("salon").await;
    let init = json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "protocolVersion": "2025-03-26", "capabilities": {},
                    "clientInfo": { "name": "browser", "version": "1" } }
    });
    let post = |origin: Option<&str>| {
        let mut req = app
            .client
            .post(format!("{}/mcp", app.base))
            .header("accept", "application/json, text/event-stream")
            .header("authorization", format!("Bearer {token}"))
            .json(&init);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        req.send()
    };
    for evil in [
        "http://evil.example.com",
        "https://evil.example.com:443",
        "null",
    ] {
        let res = post(Some(evil)).await.unwrap();
        assert_eq!(res.status(), 403, "origin {evil}");
    }
    // No Origin (a server-side client such as Retell) and loopback pages are served.
    for fine in [
        None,
        Some("http://localhost:5173"),
        Some("http://127.0.0.1:8080"),
    ] {
        let res = post(fine).await.unwrap();
        assert_eq!(res.status(), 200, "origin {fine:?}");
    }
}

/// Several instances behind a load balancer: a call must not depend on the instance that
/// answered `initialize`. `/mcp` keeps no session: no `Mcp-Session-Id`, and a `tools/call`
/// on a fresh connection, with no session and no `initialize` before it, is answered with a
/// plain JSON body; the SSE stream a session would offer is refused with 405.
#[tokio::test]
async fn mcp_answers_every_call_on_its_own_without_a_session() {
    let app = spawn_app().await;
    app.tenant("salon", "Salon", "+493011111111").await;
    let token = app.token("salon").await;
    let post = |body: Value| {
        app.client
            .post(format!("{}/mcp", app.base))
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-06-18")
            .header("authorization", format!("Bearer {token}"))
            .json(&body)
            .send()
    };
    let init = post(json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "protocolVersion": "2025-06-18", "capabilities": {},
                    "clientInfo": { "name": "agent", "version": "1" } }
    }))
    .await
    .unwrap();
    assert_eq!(init.status(), 200);
    assert!(init.headers().get("mcp-session-id").is_none());

    let res = post(json!({
        "jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": { "name": "tenant_get", "arguments": {} }
    }))
    .await
    .unwrap();
    common::assert_served(&res, "application/json");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["id"], 7);
    assert_eq!(body["result"]["isError"], false);
    assert_eq!(body["result"]["structuredContent"]["slug"], "salon");

    let stream = app
        .client
        .get(format!("{}/mcp", app.base))
        .header("accept", "text/event-stream")
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 405);
}
