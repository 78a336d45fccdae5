//! JSON-RPC 2.0 at /api/mcp/gateway: the specification's cases, error codes, discovery and
//! API-token scoping.

mod common;

use common::spawn_app;
use serde_json::{json, Value};

#[tokio::test]
async fn single_call_echoes_string_number_and_null_ids() {
    let app = spawn_app().await;
    for id in [json!("a-1"), json!(7), Value::Null] {
        let body = json!({"jsonrpc": "2.0", "method": "ping", "id": id}).to_string();
        let (status, res) = app.rpc_raw(&body, None).await;
        assert_eq!(status, 200);
        assert_eq!(res["result"]["pong"], true);
        assert_eq!(res["id"], id);
        assert_eq!(res["jsonrpc"], "2.0");
    }
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_the_callers() {
    let app = spawn_app().await;
    let ping = r#"{"jsonrpc":"2.0","method":"ping","id":1}"#;
    let post = |id: Option<&str>| {
        let mut req = app
            .client
            .post(format!("{}/api/mcp/gateway", app.base))
            .header("content-type", "application/json")
            .body(ping);
        if let Some(id) = id {
            req = req.header("x-request-id", id);
        }
        req.send()
    };
    let res = post(Some("trace-42")).await.unwrap();
    assert_eq!(res.headers()["x-request-id"], "trace-42");
    let first = post(None).await.unwrap().headers()["x-request-id"].clone();
    let second = post(Some("not plain!")).await.unwrap().headers()["x-request-id"].clone();
    assert_eq!(first.len(), 16);
    assert_ne!(first, second, "a fresh id per request");
    assert_ne!(second, "not plain!");
}

#[tokio::test]
async fn standard_errors_have_their_codes() {
    let app = spawn_app().await;
    let (_, res) = app.rpc_raw("{not json", None).await;
    assert_eq!(res["error"]["code"], -32700);
    assert_eq!(res["id"], Value::Null);

    let (_, res) = app
        .rpc_raw(r#"{"jsonrpc":"1.0","method":"ping","id":1}"#, None)
        .await;
    assert_eq!(res["error"]["code"], -32600);
    assert_eq!(res["id"], 1);

    let (_, res) = app
        .rpc_raw(r#"{"jsonrpc":"2.0","method":42,"id":1}"#, None)
        .await;
    assert_eq!(res["error"]["code"], -32600);

    let (_, res) = app
        .rpc_raw(r#"{"jsonrpc":"2.0","method":"nope.nothing","id":2}"#, None)
        .await;
    assert_eq!(res["error"]["code"], -32601);
    assert!(res["error"]["message"]
        .as_str()
        .unwrap()
        .contains("nope.nothing"));

    let (_, res) = app
        .rpc_raw(
            r#"{"jsonrpc":"2.0","method":"admin.login","params":{"email":"a@b.de"},"id":3}"#,
            None,
        )
        .await;
    assert_eq!(res["error"]["code"], -32602);
    assert!(
        res["error"]["message"]
            .as_str()
            .unwrap()
            .contains("password"),
        "names the missing field"
    );
    let (_, res) = app
        .rpc_raw(
            r#"{"jsonrpc":"2.0","method":"admin.login","params":{"email":"a@b.de","password":7},"id":3}"#,
            None,
        )
        .await;
    assert_eq!(res["error"]["code"], -32602);
    assert_eq!(res["error"]["data"]["field"], "password", "{res}");

    let (_, res) = app
        .rpc_raw(
            r#"{"jsonrpc":"2.0","method":"ping","params":[1],"id":4}"#,
            None,
        )
        .await;
    assert_eq!(res["error"]["code"], -32602);

    let (_, res) = app.rpc_raw(r#"[]"#, None).await;
    assert_eq!(res["error"]["code"], -32600);

    let (_, res) = app
        .rpc_raw(r#"{"jsonrpc":"2.0","method":"calls.list","id":5}"#, None)
        .await;
    assert_eq!(res["error"]["code"], -32001, "credentials needed");
}

#[tokio::test]
async fn a_body_over_one_mib_is_refused_with_413_and_a_json_rpc_error() {
    let app = spawn_app().await;
    let padding = "x".repeat(1024 * 1024);
    let big =
        format!(r#"{{"jsonrpc":"2.0","method":"ping","params":{{"pad":"{padding}"}},"id":1}}"#);
    let (status, res) = app.rpc_raw(&big, None).await;
    assert_eq!(status, 413);
    assert_eq!(res["error"]["code"], -32600);
    assert!(res["error"]["message"].as_str().unwrap().contains("1 MiB"));
    assert_eq!(res["id"], Value::Null);
    // Just under the limit is read and answered (an unknown member of the call is ignored).
    let fits = format!(
        r#"{{"jsonrpc":"2.0","method":"ping","id":2,"pad":"{}"}}"#,
        "x".repeat(1024 * 1024 - 100)
    );
    let (status, res) = app.rpc_raw(&fits, None).await;
    assert_eq!(status, 200);
    assert_eq!(res["result"]["pong"], true, "{res}");
}

#[tokio::test]
async fn calls_read_on_the_fast_path_and_the_general_one_answer_alike() {
    let app = spawn_app().await;
    // Escapes in `method`, a repeated member or a batch take the general path; the rest the
    // plain one. Each pair must answer the same.
    for (plain, general) in [
        (
            r#"{"jsonrpc":"2.0","method":"ping","id":7}"#,
            r#"{"jsonrpc":"2.0","method":"pi\u006eg","id":7}"#,
        ),
        (
            r#"{"jsonrpc":"2.0","method":"ping","id":null}"#,
            r#"{"jsonrpc":"2.0","method":"ping","id":1,"id":null}"#,
        ),
        (
            r#"{"jsonrpc":"2.0","method":"ping","params":null,"id":"a"}"#,
            r#"{"jsonrpc":"2.0","method":"pin\u0067","params":null,"id":"a"}"#,
        ),
        (
            r#"{"jsonrpc":"2.0","method":"nope","id":3}"#,
            r#"{"jsonrpc":"\u0032.0","method":"nope","id":3}"#,
        ),
        (
            r#"{"jsonrpc":"2.0","method":"ping","params":[1],"id":4}"#,
            r#"{"jsonrpc":"2.0","method":"ping","params":{},"params":[1],"id":4}"#,
        ),
        (
            r#"{"jsonrpc":"2.0","method":"ping","id":{"x":1}}"#,
            r#"{"jsonrpc":"2.0","method":"p\u0069ng","id":{"x":1}}"#,
        ),
    ] {
        let (plain_status, plain_answer) = app.rpc_raw(plain, None).await;
        let (general_status, general_answer) = app.rpc_raw(general, None).await;
        assert_eq!(plain_status, general_status, "{plain} / {general}");
        assert_eq!(plain_answer, general_answer, "{plain} / {general}");
    }
    let (_, null_id) = app
        .rpc_raw(r#"{"jsonrpc":"2.0","method":"ping","id":null}"#, None)
        .await;
    assert_eq!(
        null_id["result"]["pong"], true,
        "a null id is a call, not a notification"
    );
    assert_eq!(null_id["id"], Value::Null);
    let (_, null_params) = app
        .rpc_raw(
            r#"{"jsonrpc":"2.0","method":"ping","params":null,"id":"a"}"#,
            None,
        )
        .await;
    assert_eq!(null_params["error"]["code"], -32600, "{null_params}");
    let (status, _) = app
        .rpc_raw(r#"{"jsonrpc":"2.0","method":"ping"}"#, None)
        .await;
    assert_eq!(status, 204, "a notification gets no answer");
}

#[tokio::test]
async fn batches_answer_each_call_and_skip_notifications() {
    let app = spawn_app().await;
    let body = json!([
        {"jsonrpc": "2.0", "method": "ping", "id": 1},
        {"jsonrpc": "2.0", "method": "ping"},
        {"jsonrpc": "2.0", "method": "missing", "id": "b"},
        42,
    ])
    .to_string();
    let (status, res) = app.rpc_raw(&body, None).await;
    assert_eq!(status, 200);
    let list = res.as_array().unwrap();
    assert_eq!(list.len(), 3, "notification has no response");
    assert!(list
        .iter()
        .any(|r| r["id"] == 1 && r["result"]["pong"] == true));
    assert!(list
        .iter()
        .any(|r| r["id"] == "b" && r["error"]["code"] == -32601));
    assert!(list
        .iter()
        .any(|r| r["id"] == Value::Null && r["error"]["code"] == -32600));

    let (status, _) = app
        .rpc_raw(
            r#"[{"jsonrpc":"2.0","method":"ping"},{"jsonrpc":"2.0","method":"ping"}]"#,
            None,
        )
        .await;
    assert_eq!(status, 204, "only notifications → no content");
    let (status, _) = app
        .rpc_raw(r#"{"jsonrpc":"2.0","method":"ping"}"#, None)
        .await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn api_tokens_reach_only_their_own_tenant_and_not_admin_methods() {
    let app = spawn_app().await;
    let a = app.tenant("salon-a", "Salon A", "+493011111111").await;
    app.tenant("salon-b", "Salon B", "+493022222222").await;
    let token_a = app.token("salon-a").await;
    let token_b = app.token("salon-b").await;
    assert!(token_a.starts_with("slt_"));

    let get = r#"{"jsonrpc":"2.0","method":"tenant.get","id":1}"#;
    let (_, res) = app.rpc_raw(get, Some(&token_a)).await;
    assert_eq!(res["result"]["id"], a);
    assert_eq!(res["result"]["name"], "Salon A");
    let (_, res) = app.rpc_raw(get, Some(&token_b)).await;
    assert_eq!(
        res["result"]["name"], "Salon B",
        "token B sees only tenant B"
    );

    let update = r#"{"jsonrpc":"2.0","method":"tenant.update","params":{"name":"X","time_zone":"UTC","locale":"en"},"id":2}"#;
    let (_, res) = app.rpc_raw(update, Some(&token_a)).await;
    assert_eq!(res["error"]["code"], -32002, "tokens cannot do admin work");
    assert_eq!(
        app.store.tenant_by_id(a).await.unwrap().unwrap().name,
        "Salon A"
    );

    let (_, res) = app.rpc_raw(get, Some("slt_forged")).await;
    assert_eq!(res["error"]["code"], -32001);

    let token_id = {
        use sqlx::Row;
        let row = sqlx::query("SELECT id FROM api_tokens WHERE tenant_id = $1")
            .bind(a)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        row.try_get::<i64, _>("id").unwrap()
    };
    // Revoked through the serving process (as tokens.revoke does): refused at once, although
    // its grant is cached from the calls above. (Another instance: see instances.rs.)
    assert!(app.app_store.revoke_api_token(a, token_id).await.unwrap());
    let (_, res) = app.rpc_raw(get, Some(&token_a)).await;
    assert_eq!(res["error"]["code"], -32001, "a revoked token is refused");
}

#[tokio::test]
async fn methods_endpoint_lists_every_registered_method() {
    let app = spawn_app().await;
    let (_, res) = app.get_json("/api/mcp/gateway/methods").await;
    let names: Vec<&str> = res["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    for expected in [
        "ping",
        "admin.login",
        "tenant.get",
        "calls.list",
        "webhooks.activity",
        "appointment.management.find",
        "appointment.management.change",
        "appointment.management.cancel",
        "appointment.management.confirm",
        "appointments.list",
        "scheduling.overview",
    ] {
        assert!(names.contains(&expected), "{expected} listed");
    }
    assert_eq!(res["count"], names.len());
    assert!(res["methods"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| !m["description"].as_str().unwrap().is_empty()));

    // Each method says whether a client may retry it blindly.
    let method = |name: &str| {
        res["methods"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .cloned()
            .unwrap()
    };
    let find = method("appointment.management.find");
    assert_eq!(
        (find["effect"].as_str(), find["safe_to_retry"].as_bool()),
        (Some("read"), Some(true))
    );
    let cancel = method("appointment.management.cancel");
    assert_eq!(
        (cancel["effect"].as_str(), cancel["safe_to_retry"].as_bool()),
        (Some("write"), Some(false))
    );
    let book = method("retell.functions.collect_appointment");
    assert_eq!(book["retry_key"], "call_id");
    assert_eq!(book["safe_to_retry"], false, "only with the same call_id");
    assert_eq!(
        method("retell.config.checkAgents")["server"],
        "RetellConfiguration"
    );
    for m in res["methods"].as_array().unwrap() {
        if m["name"] != "ping" && m["name"] != "gateway.health" {
            assert_ne!(
                m["server"], "Gateway",
                "{} needs an owning server",
                m["name"]
            );
        }
    }
}

#[tokio::test]
async fn admins_create_list_and_revoke_api_tokens_of_their_own_tenant() {
    let app = spawn_app().await;
    app.tenant("salon-a", "Salon A", "+493011111111").await;
    let b = app.tenant("salon-b", "Salon B", "+493022222222").await;
    app.admin("salon-a", "a@salon.test", "correct horse battery")
        .await;
    let cookie = app.login("a@salon.test", "correct horse battery").await;
    let as_admin = |method: &'static str, params: Value| {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let req = app
            .client
            .post(format!("{}/api/mcp/gateway", app.base))
            .header("cookie", cookie.clone())
            .json(&body);
        async move { req.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let created = as_admin("tokens.create", json!({"name": "  Claude Desktop "})).await;
    let token = created["result"]["token"].as_str().unwrap().to_owned();
    let id = created["result"]["id"].as_i64().unwrap();
    assert!(token.starts_with("slt_"), "{created}");
    assert_eq!(created["result"]["name"], "Claude Desktop");

    let listed = as_admin("tokens.list", json!({})).await;
    assert_eq!(listed["result"]["tokens"][0]["name"], "Claude Desktop");
    assert!(listed["result"]["tokens"][0]["revoked_local"].is_null());
    assert_eq!(listed["result"]["mcp_url"], "https://slotline.test/mcp");
    assert!(
        !listed.to_string().contains(&token),
        "the token is never shown again"
    );

    let get = r#"{"jsonrpc":"2.0","method":"tenant.get","id":1}"#;
    let (_, res) = app.rpc_raw(get, Some(&token)).await;
    assert_eq!(res["result"]["slug"], "salon-a");
    let mint = r#"{"jsonrpc":"2.0","method":"tokens.create","params":{"name":"x"},"id":1}"#;
    let (_, res) = app.rpc_raw(mint, Some(&token)).await;
    assert_eq!(res["error"]["code"], -32002, "a token cannot mint tokens");

    let bad = as_admin("tokens.create", json!({"name": "  "})).await;
    assert_eq!(bad["error"]["code"], -32004);
    assert_eq!(bad["error"]["data"]["field"], "name");

    let other_token = app.token("salon-b").await;
    let other_id = app.store.api_tokens(b).await.unwrap()[0].id;
    let foreign = as_admin("tokens.revoke", json!({"token_id": other_id})).await;
    assert_eq!(
        foreign["error"]["code"], -32003,
        "another tenant's token is not found"
    );
    let (_, res) = app.rpc_raw(get, Some(&other_token)).await;
    assert_eq!(res["result"]["slug"], "salon-b", "and keeps working");

    let revoked = as_admin("tokens.revoke", json!({"token_id": id})).await;
    assert!(revoked["result"]["revoked_local"].is_string(), "{revoked}");
    let (_, res) = app.rpc_raw(get, Some(&token)).await;
    assert_eq!(
        res["error"]["code"], -32001,
        "a revoked token stops working at once"
    );
}

#[tokio::test]
async fn health_reports_the_database_and_goes_503_when_it_is_gone() {
    let app = common::spawn_app_with(common::with_metrics_token).await;
    let (status, body) = app.full_health().await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "healthy");
    assert_eq!(body["database"]["status"], "up");
    assert_eq!(body["webhooks"]["pending"], 0);

    app.app_store.close().await;
    let (status, body) = app.full_health().await;
    assert_eq!(status, 503);
    assert_eq!(body["status"], "unhealthy");
    assert_eq!(body["database"]["status"], "down");
    let (status, body) = app.get_json("/api/mcp/gateway/health").await;
    assert_eq!(status, 503, "the public answer keeps the status code");
    assert_eq!(body, json!({ "status": "down" }));
    let (status, body) = app.get_json("/readyz").await;
    assert_eq!(status, 503);
    assert_eq!(body["database"], "unreachable");
    let (status, _) = app.get_json("/healthz").await;
    assert_eq!(status, 200, "the process itself is still up");
}

#[tokio::test]
async fn password_guessing_is_stopped_per_account() {
    let app = spawn_app().await;
    app.tenant("acme", "Acme", "+493011111111").await;
    app.admin("acme", "owner@acme.de", "right-password-123")
        .await;
    let login = |pw: &str| {
        json!({"jsonrpc": "2.0", "id": 1, "method": "admin.login",
            "params": {"email": "Owner@acme.de", "password": pw}})
        .to_string()
    };
    for _ in 0..5 {
        let (_, r) = app.rpc_raw(&login("guess"), None).await;
        assert_eq!(r["error"]["code"], -32001, "{r}");
    }
    let (_, r) = app.rpc_raw(&login("right-password-123"), None).await;
    assert_eq!(
        r["error"]["code"], -32020,
        "the sixth attempt within a minute waits: {r}"
    );
    assert!(r["error"]["data"]["retry_after_secs"].as_u64().unwrap() >= 1);
    assert!(r["error"]["message"]
        .as_str()
        .unwrap()
        .contains("try again in"));
    let other = json!({"jsonrpc": "2.0", "id": 1, "method": "admin.login",
        "params": {"email": "someone@acme.de", "password": "x"}})
    .to_string();
    let (_, r) = app.rpc_raw(&other, None).await;
    assert_eq!(
        r["error"]["code"], -32001,
        "other accounts are not locked out"
    );
}

#[tokio::test]
async fn a_flooding_client_gets_429_with_retry_after() {
    let app = spawn_app().await;
    let ping = r#"{"jsonrpc":"2.0","method":"ping","id":1}"#;
    let mut limited = None;
    for _ in 0..400 {
        let res = app
            .client
            .post(format!("{}/api/mcp/gateway", app.base))
            .header("content-type", "application/json")
            .body(ping)
            .send()
            .await
            .unwrap();
        if res.status() == 429 {
            limited = Some(res);
            break;
        }
    }
    let res = limited.expect("the flood is cut off");
    assert!(
        res.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "rate_limited");
}

#[tokio::test]
async fn every_method_is_counted_and_timed_in_metrics() {
    let app = spawn_app().await;
    app.rpc_raw(r#"{"jsonrpc":"2.0","method":"ping","id":1}"#, None)
        .await;
    app.rpc_raw(r#"{"jsonrpc":"2.0","method":"ping","id":2}"#, None)
        .await;
    app.rpc_raw(r#"{"jsonrpc":"2.0","method":"tenant.get","id":3}"#, None)
        .await;
    app.rpc_raw(r#"{"jsonrpc":"2.0","method":"no.such","id":4}"#, None)
        .await;
    let text = app.metrics().await;
    assert!(
        text.contains(r#"slotline_gateway_calls_total{method="ping",outcome="ok"} 2"#),
        "{text}"
    );
    assert!(
        text.contains(r#"slotline_gateway_calls_total{method="tenant.get",outcome="-32001"} 1"#)
    );
    assert!(text.contains(r#"slotline_gateway_calls_total{method="<unknown>",outcome="-32601"} 1"#));
    assert!(text.contains(r#"slotline_gateway_latency_ms_count{method="ping"} 2"#));
}

#[tokio::test]
async fn discovery_carries_json_schemas_and_rpc_discover_is_openrpc() {
    let app = spawn_app().await;
    let (_, listed) = app.get_json("/api/mcp/gateway/methods").await;
    let methods = listed["methods"].as_array().unwrap();
    let update = methods
        .iter()
        .find(|m| m["name"] == "tenant.update")
        .unwrap();
    assert!(
        update["params_schema"]["properties"]["time_zone"].is_object(),
        "{update}"
    );
    let change = methods
        .iter()
        .find(|m| m["name"] == "appointment.management.change")
        .unwrap();
    assert_eq!(change["server"], "AppointmentManagement");
    let required: Vec<&str> = change["params_schema"]["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        required.contains(&"appointment_id")
            && required.contains(&"phone")
            && required.contains(&"new_time"),
        "{required:?}"
    );

    let (_, doc) = app
        .rpc_raw(r#"{"jsonrpc":"2.0","method":"rpc.discover","id":1}"#, None)
        .await;
    let doc = &doc["result"];
    assert_eq!(doc["openrpc"], "1.2.6");
    let names: Vec<&str> = doc["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    for m in methods {
        assert!(
            names.contains(&m["name"].as_str().unwrap()),
            "{} in OpenRPC",
            m["name"]
        );
    }
    assert!(names.contains(&"rpc.discover"));
    let cancel = doc["methods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "appointment.management.cancel")
        .unwrap();
    let id_param = cancel["params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "appointment_id")
        .unwrap();
    assert_eq!(id_param["required"], true);
    assert_eq!(id_param["schema"]["type"], "integer");
    // Every reference points into components.
    let text = doc.to_string();
    assert!(!text.contains("#/$defs/"));
    for r in text.match_indices("#/components/schemas/") {
        let name: String = text[r.0 + 21..].chars().take_while(|c| *c != '"').collect();
        assert!(
            doc["components"]["schemas"][&name].is_object(),
            "component {name} exists"
        );
    }
}
