//! Roles hold in the gateway, the one place every client passes: staff see and book, but the
//! owner alone changes set-up, tokens and the business's settings — over JSON-RPC and through
//! the UI's server functions alike. Runs on SQLite and (in make test) on PostgreSQL.

mod common;

use common::{spawn_app, TestApp};
use serde_json::{json, Value};

async fn rpc_as(app: &TestApp, cookie: &str, method: &str, params: Value) -> Value {
    app.client
        .post(format!("{}/api/mcp/gateway", app.base))
        .header("content-type", "application/json")
        .header("cookie", cookie)
        .body(json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn staff_are_refused_what_only_the_owner_may_change() {
    let app = spawn_app().await;
    app.tenant("salon", "Salon", "+493012345670").await;
    app.admin("salon", "owner@salon.de", "owner password 1")
        .await;
    slotline::cli::create_admin(
        &app.store,
        "staff@salon.de",
        "staff password 1",
        Some("salon"),
        "staff",
    )
    .await
    .unwrap();
    let owner = app.login("owner@salon.de", "owner password 1").await;
    let staff = app.login("staff@salon.de", "staff password 1").await;
    let update = json!({"name": "Salon Neu", "time_zone": "Europe/Berlin", "locale": "de"});
    for (method, params) in [
        ("tokens.create", json!({"name": "integration"})),
        ("tokens.list", json!({})),
        ("tenant.update", update.clone()),
    ] {
        let res = rpc_as(&app, &staff, method, params).await;
        assert_eq!(res["error"]["code"], -32002, "{method}: {res}");
        assert!(
            res["error"]["message"].as_str().unwrap().contains("owner"),
            "{res}"
        );
    }
    let seen = rpc_as(&app, &staff, "appointments.list", json!({})).await;
    assert!(
        seen["error"].is_null(),
        "staff see the appointments: {seen}"
    );
    let name = rpc_as(&app, &staff, "tenant.get", json!({})).await;
    assert_eq!(name["result"]["name"], "Salon", "nothing changed: {name}");
    let res = rpc_as(&app, &owner, "tenant.update", update).await;
    assert!(res["error"].is_null(), "the owner may: {res}");
    let res = rpc_as(
        &app,
        &owner,
        "tokens.create",
        json!({"name": "integration"}),
    )
    .await;
    assert!(res["result"]["token"].is_string(), "{res}");
    let (_, listed) = app.get_json("/api/mcp/gateway/methods").await;
    let access = |name: &str| {
        listed["methods"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .map(|m| m["access"].clone())
            .unwrap()
    };
    assert_eq!(access("tokens.create"), "owner");
    assert_eq!(access("appointments.list"), "tenant");
}
