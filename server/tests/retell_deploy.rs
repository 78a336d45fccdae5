//! Deploying to Retell and binding agents (issue #11), against a fake Retell API that checks
//! every tool payload against Retell's schema: dry run → apply → a second apply changes
//! nothing; the business's other tools stay untouched; the MCP entry's token works on /mcp;
//! edits made in Retell afterwards show as drift; "connected" only when verified; agents and
//! numbers belong to one business only. Runs on SQLite and (in make test) on PostgreSQL.

mod common;

use common::fake_retell::FakeRetell;
use common::{sign_now, spawn_app_with, webhook_body, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

const KEY: &str = "key_deploy_test_0123456789";
const AGENT: &str = "agent_deploy_1";
const LLM: &str = "llm_deploy_1";
const NUMBER: &str = "+493055501234";

/// The app against a fake Retell with one agent (LLM with two tools of its own) and one
/// number; a tenant whose owner stored the key. Returns (app, fake, owner cookie, staff).
async fn start() -> (TestApp, FakeRetell, String, String) {
    let fake = FakeRetell::start().await;
    fake.accept_key(KEY);
    fake.add_agent(AGENT, "Empfang", LLM);
    fake.add_number(NUMBER, AGENT);
    let url = fake.url.clone();
    let app = spawn_app_with(|c| {
        c.retell_api_url = url;
        c.retell_api.timeout = Duration::from_secs(5);
        c.retell_api.backoff = Duration::from_millis(10);
    })
    .await;
    let (_, owner, staff) = app.bare_tenant("praxis").await;
    let res = app
        .rpc_as(
            &owner,
            "retell.config.updateWebhook",
            json!({"retell_api_key": KEY}),
        )
        .await;
    assert!(res["error"].is_null(), "{res}");
    (app, fake, owner, staff)
}

fn tool<'a>(llm: &'a Value, name: &str) -> Option<&'a Value> {
    llm["general_tools"]
        .as_array()?
        .iter()
        .find(|t| t["name"] == name)
}

#[tokio::test]
async fn agents_are_listed_bound_and_belong_to_one_business_only() {
    let (app, fake, owner, _) = start().await;
    fake.add_agent("agent_other", "Zweite Linie", "llm_other");
    let res = app
        .rpc_as(&owner, "retell.config.listAgents", json!({}))
        .await;
    let agents = res["result"]["agents"].as_array().unwrap();
    let first = agents.iter().find(|a| a["agent_id"] == AGENT).unwrap();
    assert_eq!(first["agent_name"], "Empfang");
    assert_eq!(first["numbers"], json!([NUMBER]));
    assert_eq!(first["bound_here"], false);
    assert_eq!(res["result"]["phone_numbers"][0]["inbound_agent_id"], AGENT);

    // Before binding, Retell's webhooks for this agent are refused (and that is cached) ...
    let body = webhook_body(
        "call_started",
        "call_bind_1",
        AGENT,
        json!({"to_number": NUMBER}),
    );
    let res_hook = app.post_webhook(&body, Some(sign_now(&body, KEY))).await;
    assert_eq!(res_hook.status(), 401);

    let res = app
        .rpc_as(
            &owner,
            "retell.config.bindAgent",
            json!({"agent_id": AGENT}),
        )
        .await;
    assert_eq!(res["result"]["agents"], json!([AGENT]), "{res}");
    assert_eq!(res["result"]["phone_numbers"][0]["e164"], NUMBER);
    assert_eq!(res["result"]["phone_numbers"][0]["retell_agent_id"], AGENT);
    // ... and accepted at once after it (the tenant-key cache was cleared).
    let res_hook = app.post_webhook(&body, Some(sign_now(&body, KEY))).await;
    assert_eq!(res_hook.status(), 200);
    let res = app
        .rpc_as(&owner, "retell.config.listAgents", json!({}))
        .await;
    assert_eq!(res["result"]["agents"][0]["bound_here"], true, "{res}");

    // Another business cannot take the agent or the number, and is not told whose they are.
    let (_, other, _) = app.bare_tenant("zweite").await;
    app.rpc_as(
        &other,
        "retell.config.updateWebhook",
        json!({"retell_api_key": KEY}),
    )
    .await;
    let res = app
        .rpc_as(
            &other,
            "retell.config.bindAgent",
            json!({"agent_id": AGENT}),
        )
        .await;
    assert_eq!(res["error"]["data"]["field"], "agent_id", "{res}");
    let msg = res["error"]["message"].as_str().unwrap();
    assert!(msg.contains("another business"), "{msg}");
    assert!(!msg.contains("praxis") && !msg.contains("Praxis"), "{msg}");
    let res = app
        .rpc_as(
            &other,
            "retell.config.bindAgent",
            json!({"agent_id": "agent_other", "phone_numbers": [NUMBER]}),
        )
        .await;
    assert_eq!(res["error"]["data"]["field"], "phone_numbers", "{res}");
    assert!(res["error"]["message"]
        .as_str()
        .unwrap()
        .contains("another business"));
    let res = app
        .rpc_as(
            &other,
            "retell.config.bindAgent",
            json!({"agent_id": "agent_missing"}),
        )
        .await;
    assert_eq!(res["error"]["data"]["field"], "agent_id", "{res}");
    let res = app
        .rpc_as(
            &other,
            "retell.config.bindAgent",
            json!({"agent_id": "agent_other", "phone_numbers": ["030 123"]}),
        )
        .await;
    assert_eq!(res["error"]["data"]["field"], "phone_numbers", "{res}");
    let res = app
        .rpc_as(
            &other,
            "retell.config.bindAgent",
            json!({"agent_id": "agent_other", "phone_numbers": []}),
        )
        .await;
    assert_eq!(res["result"]["agents"], json!(["agent_other"]), "{res}");

    // The database itself refuses a second owner of an agent.
    let dup = sqlx::query(
        "INSERT INTO tenant_agents (agent_id, tenant_id, created_at) VALUES ($1, $2, 0)",
    )
    .bind(AGENT)
    .bind(2i64)
    .execute(app.store.pool())
    .await;
    assert!(dup.is_err(), "tenant_agents.agent_id is unique");

    let res = app
        .rpc_as(
            &owner,
            "retell.config.unbindNumber",
            json!({"e164": NUMBER}),
        )
        .await;
    assert_eq!(res["result"]["phone_numbers"], json!([]), "{res}");
    let res = app
        .rpc_as(
            &owner,
            "retell.config.unbindNumber",
            json!({"e164": NUMBER}),
        )
        .await;
    assert_eq!(res["error"]["code"], -32003, "{res}");
}

#[tokio::test]
async fn a_deploy_shows_its_diff_applies_it_once_and_leaves_other_tools_alone() {
    let (app, fake, owner, _) = start().await;
    app.rpc_as(
        &owner,
        "retell.config.bindAgent",
        json!({"agent_id": AGENT}),
    )
    .await;
    let res = app
        .rpc_as(
            &owner,
            "retell.config.updateWebhook",
            json!({"rotate_function_token": true}),
        )
        .await;
    let function_token = res["result"]["new_function_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = fake.llm(LLM);
    let theirs: Vec<Value> = before["general_tools"].as_array().unwrap().clone();

    let (dry, dry_text) = app
        .rpc_text(
            &owner,
            "retell.config.deployCustomFunctions",
            json!({"dry_run": true, "include_mcp": true}),
        )
        .await;
    let agent = &dry["result"]["agents"][0];
    let fields: Vec<&str> = agent["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "agent.webhook_url",
            "llm.general_tools[check_availability]",
            "llm.general_tools[collect_appointment]",
            "llm.general_tools[change_appointment]",
            "llm.general_tools[cancel_appointment]",
            "llm.mcps[slotline]",
        ],
        "{dry}"
    );
    assert_eq!(agent["changes"][0]["before"], Value::Null);
    assert_eq!(
        agent["changes"][0]["after"],
        "https://slotline.test/api/webhooks/retell"
    );
    assert_eq!(dry["result"]["applied"], false);
    assert!(
        !dry_text.contains(&function_token),
        "tokens are masked in the diff"
    );
    assert!(!dry_text.contains(KEY));
    assert!(fake.updates().is_empty(), "a dry run changes nothing");
    let tokens = app.rpc_as(&owner, "tokens.list", json!({})).await;
    assert_eq!(
        tokens["result"]["tokens"],
        json!([]),
        "a dry run creates no token"
    );

    let (applied, applied_text) = app
        .rpc_text(
            &owner,
            "retell.config.deployCustomFunctions",
            json!({"include_mcp": true}),
        )
        .await;
    assert_eq!(applied["result"]["applied"], true, "{applied}");
    assert!(!applied_text.contains(&function_token));
    assert_eq!(
        fake.violations(),
        Vec::<String>::new(),
        "every payload fits Retell's schema"
    );
    let agent_now = fake.agent(AGENT);
    assert_eq!(
        agent_now["webhook_url"],
        "https://slotline.test/api/webhooks/retell"
    );
    let llm = fake.llm(LLM);
    let tools = llm["general_tools"].as_array().unwrap();
    assert_eq!(
        &tools[..2],
        &theirs[..],
        "the business's own tools stay first and untouched"
    );
    assert_eq!(tools.len(), 6);
    let check = tool(&llm, "check_availability").unwrap();
    assert_eq!(
        check["url"],
        "https://slotline.test/api/mcp/gateway/retell/functions/check_availability"
    );
    assert_eq!(
        check["headers"]["X-Slotline-Function-Token"],
        function_token.as_str()
    );
    assert_eq!(check["method"], "POST");
    assert_eq!(check["parameters"]["type"], "object");
    assert_eq!(
        fake.recorded_tools().len(),
        5,
        "4 of ours and the business's own custom tool"
    );
    assert_eq!(
        llm["general_prompt"], "Be nice.",
        "the prompt is only replaced when asked"
    );

    // The MCP entry carries a read+book token that works on /mcp, created once.
    let mcp = &llm["mcps"][0];
    assert_eq!(mcp["name"], "slotline");
    assert_eq!(mcp["url"], "https://slotline.test/mcp");
    let bearer = mcp["headers"]["Authorization"].as_str().unwrap();
    let token = bearer.strip_prefix("Bearer ").unwrap().to_owned();
    let (_, tools_list) = mcp_tools(&app, &token).await;
    assert!(tools_list.contains(&"retell_functions_check_availability".to_owned()));
    assert!(tools_list.contains(&"retell_functions_collect_appointment".to_owned()));
    assert!(
        !tools_list.contains(&"appointment_management_cancel".to_owned()),
        "no manage scope"
    );

    // Applying again changes nothing and reuses the token.
    let updates = fake.updates().len();
    let again = app
        .rpc_as(
            &owner,
            "retell.config.deployCustomFunctions",
            json!({"dry_run": true, "include_mcp": true}),
        )
        .await;
    assert_eq!(
        again["result"]["agents"][0]["changes"],
        json!([]),
        "{again}"
    );
    let again = app
        .rpc_as(
            &owner,
            "retell.config.deployCustomFunctions",
            json!({"include_mcp": true}),
        )
        .await;
    assert_eq!(again["result"]["applied"], false, "{again}");
    assert!(again["result"]["message"]
        .as_str()
        .unwrap()
        .contains("nothing to change"));
    assert_eq!(
        fake.updates().len(),
        updates,
        "nothing sent the second time"
    );
    let tokens = app.rpc_as(&owner, "tokens.list", json!({})).await;
    let names: Vec<&str> = tokens["result"]["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Retell agent (deploy)"]);

    // Disabling a function removes its tool and nothing else; the prompt comes when asked.
    app.rpc_as(
        &owner,
        "retell.config.updateCustomFunction",
        json!({"name": "cancel_appointment", "enabled": false}),
    )
    .await;
    let res = app
        .rpc_as(
            &owner,
            "retell.config.deployCustomFunctions",
            json!({"include_prompt": true, "locale": "en"}),
        )
        .await;
    let fields: Vec<&str> = res["result"]["agents"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "llm.general_tools[cancel_appointment]",
            "llm.general_prompt"
        ],
        "{res}"
    );
    let llm = fake.llm(LLM);
    assert!(tool(&llm, "cancel_appointment").is_none());
    assert_eq!(llm["general_tools"].as_array().unwrap().len(), 5);
    assert!(llm["general_prompt"]
        .as_str()
        .unwrap()
        .contains("phone assistant of Praxis praxis"));
    assert_eq!(llm["mcps"][0]["name"], "slotline", "left as it was");
    assert_eq!(fake.violations(), Vec::<String>::new());
}

/// Lists the tools an API token sees on /mcp: (status of initialize, tool names).
async fn mcp_tools(app: &TestApp, token: &str) -> (u16, Vec<String>) {
    use rmcp::model::ClientConfig;
    use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
    use rmcp::transport::StreamableHttpClientTransport;
    use rmcp::ServiceExt;
    let config = StreamableHttpClientTransportConfig::with_uri(format!("{}/mcp", app.base))
        .auth_header(token.to_owned());
    let client = ClientConfig::default()
        .serve(StreamableHttpClientTransport::from_config(config))
        .await
        .expect("the deploy's token opens /mcp");
    let tools = client.list_all_tools().await.unwrap();
    (200, tools.iter().map(|t| t.name.to_string()).collect())
}

#[tokio::test]
async fn connected_only_when_verified_and_edits_in_retell_show_as_drift() {
    let (app, fake, owner, staff) = start().await;
    let status = app.rpc_as(&owner, "retell.config.status", json!({})).await;
    let s = &status["result"];
    assert_eq!(s["connected"], false, "{status}");
    assert_eq!(s["checks"][0]["name"], "key");
    assert_eq!(s["checks"][0]["ok"], true);
    assert!(s["key_verified_local"].is_string());
    assert_eq!(s["checks"][1]["ok"], false, "no agent bound yet");
    let missing = s["missing"].to_string();
    assert!(missing.contains("press Bind"), "{missing}");

    app.rpc_as(
        &owner,
        "retell.config.bindAgent",
        json!({"agent_id": AGENT}),
    )
    .await;
    let status = app.rpc_as(&owner, "retell.config.status", json!({})).await;
    assert_eq!(status["result"]["connected"], false);
    assert!(
        status["result"]["missing"].to_string().contains("Deploy"),
        "{status}"
    );

    app.rpc_as(&owner, "retell.config.deployCustomFunctions", json!({}))
        .await;
    let status = app.rpc_as(&staff, "retell.config.status", json!({})).await;
    assert_eq!(status["result"]["connected"], true, "{status}");
    assert_eq!(status["result"]["drift"], json!([]));
    assert!(status["result"]["missing"]
        .to_string()
        .contains("No call has reached"));

    // A real call arrives: the status shows it.
    let body = webhook_body(
        "call_started",
        "call_real_1",
        AGENT,
        json!({"to_number": NUMBER}),
    );
    assert_eq!(
        app.post_webhook(&body, Some(sign_now(&body, KEY)))
            .await
            .status(),
        200
    );
    let status = app.rpc_as(&owner, "retell.config.status", json!({})).await;
    assert_eq!(
        status["result"]["last_events"][0]["event"], "call_started",
        "{status}"
    );

    // Someone edits a tool in Retell's dashboard.
    fake.edit_llm(LLM, |llm| {
        for t in llm["general_tools"].as_array_mut().unwrap() {
            if t["name"] == "check_availability" {
                t["description"] = json!("Edited in Retell");
            }
        }
    });
    let status = app.rpc_as(&owner, "retell.config.status", json!({})).await;
    assert_eq!(status["result"]["connected"], false, "{status}");
    assert_eq!(
        status["result"]["drift"],
        json!([format!("{AGENT}: llm.general_tools[check_availability]")])
    );
    assert!(
        status["result"]["missing"].to_string().contains("changed"),
        "{status}"
    );
    let dry = app
        .rpc_as(
            &owner,
            "retell.config.deployCustomFunctions",
            json!({"dry_run": true}),
        )
        .await;
    let change = &dry["result"]["agents"][0]["changes"][0];
    assert_eq!(
        change["field"], "llm.general_tools[check_availability]",
        "{dry}"
    );
    assert_eq!(change["before"]["description"], "Edited in Retell");
    app.rpc_as(&owner, "retell.config.deployCustomFunctions", json!({}))
        .await;
    let status = app.rpc_as(&owner, "retell.config.status", json!({})).await;
    assert_eq!(status["result"]["connected"], true, "{status}");

    // A rotated function token means the tools are out of date until the next deploy.
    app.rpc_as(
        &owner,
        "retell.config.updateWebhook",
        json!({"rotate_function_token": true}),
    )
    .await;
    let status = app.rpc_as(&owner, "retell.config.status", json!({})).await;
    assert_eq!(status["result"]["connected"], false, "{status}");
    assert_eq!(
        status["result"]["drift"],
        json!([]),
        "not an edit in Retell"
    );

    // A key Retell no longer accepts is reported, not hidden.
    fake.fail("/get-agent", common::fake_retell::Fault::Status(401), None);
    let status = app.rpc_as(&owner, "retell.config.status", json!({})).await;
    assert_eq!(status["result"]["checks"][0]["ok"], false, "{status}");
    let overview = app.rpc_as(&owner, "dashboard.overview", json!({})).await;
    assert!(overview["error"].is_null());
}

#[tokio::test]
async fn an_agent_without_a_retell_llm_gets_the_webhook_but_a_sentence_instead_of_tools() {
    let (app, fake, owner, _) = start().await;
    fake.add_flow_agent("agent_flow");
    let res = app
        .rpc_as(
            &owner,
            "retell.config.bindAgent",
            json!({"agent_id": "agent_flow", "phone_numbers": []}),
        )
        .await;
    assert!(res["error"].is_null(), "{res}");
    let res = app
        .rpc_as(
            &owner,
            "retell.config.deployCustomFunctions",
            json!({"agent_id": "agent_flow"}),
        )
        .await;
    let agent = &res["result"]["agents"][0];
    assert!(
        agent["problem"]
            .as_str()
            .unwrap()
            .contains("conversation-flow"),
        "{res}"
    );
    assert_eq!(agent["changes"][0]["field"], "agent.webhook_url");
    assert_eq!(
        fake.agent("agent_flow")["webhook_url"],
        "https://slotline.test/api/webhooks/retell"
    );
    let res = app
        .rpc_as(
            &owner,
            "retell.config.deployCustomFunctions",
            json!({"agent_id": "agent_unknown"}),
        )
        .await;
    assert_eq!(res["error"]["data"]["field"], "agent_id", "{res}");
}
