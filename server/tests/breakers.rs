//! Circuit breakers: a failing fake Retell API (common::fake_retell) opens the Retell breaker (and its server's),
//! an open breaker answers -32021 at once without calling out, the breaker probes and closes
//! once Retell recovers; a failing database opens the database breaker for every server.
//! Health and /metrics show the states.

mod common;

use common::fake_retell::{FakeRetell, Fault};
use common::{spawn_app_with, with_metrics_token, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

/// Calls a method with the admin's session cookie; returns the JSON-RPC response.
async fn call(app: &TestApp, cookie: &str, method: &str) -> Value {
    let res = app
        .client
        .post(format!("{}/api/mcp/gateway", app.base))
        .header("cookie", cookie)
        .json(&json!({ "jsonrpc": "2.0", "id": 1, "method": method }))
        .send()
        .await
        .unwrap();
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_failing_retell_api_opens_its_breaker_and_a_recovered_one_closes_it() {
    let fake = FakeRetell::start().await;
    fake.accept_key("key_fake");
    fake.add_agent("agent_salon", "Empfang", "llm_salon");
    fake.patch_agent(
        "agent_salon",
        json!({ "webhook_url": "https://slotline.test/api/webhooks/retell" }),
    );
    let url = fake.url.clone();
    let app = spawn_app_with(|c| {
        c.retell_api_url = url;
        c.retell_api.backoff = Duration::from_millis(10);
        c.breakers.threshold = 2;
        c.breakers.reset = Duration::from_millis(600);
        with_metrics_token(c);
    })
    .await;
    let tenant = app.tenant("salon", "Salon", "+493012345670").await;
    app.admin("salon", "owner@salon.test", "correct horse battery")
        .await;
    app.set_retell_key(tenant, "key_fake").await;
    let cookie = app.login("owner@salon.test", "correct horse battery").await;

    let ok = call(&app, &cookie, "retell.config.checkAgents").await;
    let agent = &ok["result"]["agents"][0];
    assert_eq!(agent["agent_id"], "agent_salon", "{ok}");
    assert_eq!(agent["webhook_points_here"], true);

    fake.fail("/get-agent", Fault::Status(500), None);
    for _ in 0..2 {
        let failed = call(&app, &cookie, "retell.config.checkAgents").await;
        assert_eq!(failed["error"]["code"], -32022, "{failed}");
        assert_eq!(failed["error"]["data"]["downstream"], "retell_api");
    }
    // One good call, then two failing ones of three tries each (5xx is retried).
    assert_eq!(fake.hits("/get-agent"), 7);
    let refused = call(&app, &cookie, "retell.config.checkAgents").await;
    assert_eq!(refused["error"]["code"], -32021, "{refused}");
    assert!(
        refused["error"]["data"]["retry_after_secs"]
            .as_u64()
            .unwrap()
            >= 1
    );
    assert_eq!(fake.hits("/get-agent"), 7, "an open breaker sends nothing");

    // Other servers are not affected.
    let other = call(&app, &cookie, "tenant.get").await;
    assert_eq!(other["result"]["slug"], "salon", "{other}");

    let (status, health) = app.full_health().await;
    assert_eq!(
        status, 200,
        "Retell failing degrades but does not take Slotline down"
    );
    assert_eq!(health["status"], "degraded");
    assert_eq!(health["retell_api"]["status"], "failing");
    assert_eq!(health["retell_api"]["recent"]["circuit"], "open");
    assert_eq!(health["retell_api"]["recent"]["last_error"], "HTTP 500");
    let config = &health["servers"]["RetellConfiguration"];
    assert_eq!(config["recent"]["circuit"], "open", "{health}");
    assert_eq!(
        health["servers"]["Administration"]["recent"]["circuit"],
        "closed"
    );
    let monitoring = call(&app, &cookie, "gateway.health").await;
    assert_eq!(monitoring["result"]["status"], "degraded", "{monitoring}");
    assert_eq!(monitoring["result"]["retell_api"]["status"], "failing");
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("slotline_circuit_state{circuit=\"retell_api\"} 1"),
        "{metrics}"
    );

    // Retell recovers; after the reset timeout one probe passes and closes the breakers.
    fake.heal();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let probe = call(&app, &cookie, "retell.config.checkAgents").await;
    assert_eq!(
        probe["result"]["agents"][0]["webhook_points_here"], true,
        "{probe}"
    );
    let (_, health) = app.health_as_admin(&cookie).await;
    assert_eq!(health["status"], "healthy", "{health}");
    assert_eq!(health["retell_api"]["recent"]["circuit"], "closed");
    assert_eq!(health["retell_api"]["recent"]["opened_total"], 1);
    let metrics = app.metrics().await;
    for line in [
        "slotline_circuit_state{circuit=\"retell_api\"} 0",
        "slotline_circuit_transitions_total{circuit=\"retell_api\",to=\"open\"} 1",
        "slotline_circuit_transitions_total{circuit=\"retell_api\",to=\"half_open\"} 1",
        "slotline_circuit_transitions_total{circuit=\"retell_api\",to=\"closed\"} 1",
    ] {
        assert!(metrics.contains(line), "missing {line}");
    }
}

#[tokio::test]
async fn one_business_rate_limited_by_retell_does_not_open_the_breaker_for_everyone() {
    let fake = FakeRetell::start().await;
    fake.accept_key("key_fake");
    fake.add_agent("agent_salon", "Empfang", "llm_salon");
    let url = fake.url.clone();
    let app = spawn_app_with(|c| {
        c.retell_api_url = url;
        c.retell_api.backoff = Duration::from_millis(10);
        c.breakers.threshold = 2;
        c.breakers.reset = Duration::from_secs(60);
    })
    .await;
    let tenant = app.tenant("salon", "Salon", "+493012345670").await;
    app.admin("salon", "owner@salon.test", "correct horse battery")
        .await;
    app.set_retell_key(tenant, "key_fake").await;
    let cookie = app.login("owner@salon.test", "correct horse battery").await;

    fake.fail("/get-agent", Fault::Status(429), None);
    for _ in 0..3 {
        let limited = call(&app, &cookie, "retell.config.checkAgents").await;
        assert_eq!(limited["error"]["code"], -32022, "{limited}");
        assert!(
            limited["error"]["data"].get("downstream").is_none(),
            "a 429 is not an outage of Retell: {limited}"
        );
    }
    assert_eq!(
        fake.hits("/get-agent"),
        9,
        "three tries per call, none refused"
    );
    fake.heal();
    let ok = call(&app, &cookie, "retell.config.checkAgents").await;
    assert_eq!(ok["result"]["agents"][0]["agent_id"], "agent_salon", "{ok}");
    let (_, health) = app.health_as_admin(&cookie).await;
    assert_eq!(
        health["retell_api"]["recent"]["circuit"], "closed",
        "{health}"
    );
    assert_eq!(
        health["retell_api"]["recent"]["opened_total"], 0,
        "{health}"
    );
}

#[tokio::test]
async fn a_failing_database_opens_the_database_breaker_for_every_server() {
    let app = spawn_app_with(|c| {
        c.breakers.threshold = 2;
        c.breakers.reset = Duration::from_secs(60);
        with_metrics_token(c);
    })
    .await;
    app.tenant("salon", "Salon", "+493012345670").await;
    let token = app.token("salon").await;
    let rpc = |method: &str| format!(r#"{{"jsonrpc":"2.0","id":1,"method":"{method}"}}"#);
    let (_, res) = app.rpc_raw(&rpc("tenant.get"), Some(&token)).await;
    assert_eq!(res["result"]["slug"], "salon", "{res}");

    app.app_store.close().await;
    // One failure on each of two servers: neither server's breaker opens, the database's does.
    for method in ["appointments.list", "calls.list"] {
        let (status, res) = app.rpc_raw(&rpc(method), Some(&token)).await;
        assert_eq!(status, 200);
        assert_eq!(res["error"]["code"], -32603, "{res}");
        assert_eq!(res["error"]["data"]["downstream"], "database");
    }
    let (_, res) = app.rpc_raw(&rpc("scheduling.overview"), Some(&token)).await;
    assert_eq!(res["error"]["code"], -32021, "{res}");
    assert_eq!(res["error"]["data"]["circuit"], "database");

    // Retell's custom functions hear at once that they should retry, instead of waiting.
    let res = app
        .client
        .post(format!(
            "{}/api/mcp/gateway/retell/functions/check_availability",
            app.base
        ))
        .header("content-type", "application/json")
        .body(r#"{"name":"check_availability","call":{"call_id":"c1"},"args":{}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    assert!(res.headers().contains_key("retry-after"));
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "circuit_open", "{body}");

    let (status, health) = app.full_health().await;
    assert_eq!(status, 503);
    assert_eq!(health["status"], "unhealthy");
    assert_eq!(health["database"]["recent"]["circuit"], "open");
    assert_eq!(
        health["servers"]["AppointmentManagement"]["recent"]["circuit"],
        "closed"
    );
    // The token's grant was cached by the first call, so these calls reached their servers and
    // failed there on the database: the failure is the database's, the servers' breakers
    // neither open nor have opened.
    let recent = &health["servers"]["AppointmentManagement"]["recent"];
    assert_eq!(recent["opened_total"], 0, "{health}");
    assert_eq!(
        health["servers"]["CallMonitoring"]["recent"]["circuit"],
        "closed"
    );
    assert_eq!(
        health["database"]["recent"]["last_error"],
        "the database failed; please try again"
    );
}
