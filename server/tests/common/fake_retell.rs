//! A fake of Retell's REST API for tests: an axum app on 127.0.0.1:0 serving list-agents,
//! get-agent, update-agent, list-phone-numbers, get-retell-llm and update-retell-llm (paths as
//! the client's defaults). It checks `Authorization: Bearer <key>` against the keys it was told
//! to accept, checks every custom tool and MCP entry an update sends against Retell's tool
//! schema (docs/retell.md) and records them, counts requests per path, and can be told to
//! answer 401, 429, 500 or hang for a path.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::retell_schema::{check_custom_tool, check_mcp};

/// What the fake does instead of answering normally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status (401, 429 with `Retry-After: 0`, 500, …).
    Status(u16),
    /// Never answer (the client's timeout must end it).
    Hang,
}

#[derive(Default)]
struct Inner {
    keys: Vec<String>,
    agents: BTreeMap<String, Value>,
    llms: BTreeMap<String, Value>,
    numbers: Vec<Value>,
    /// Path prefix → faults to serve, in order; `None` count = forever.
    faults: HashMap<String, (Fault, Option<usize>)>,
    hits: HashMap<String, usize>,
    violations: Vec<String>,
    tools: Vec<Value>,
    updates: Vec<(String, Value)>,
}

/// A running fake; clones share state.
#[derive(Clone)]
pub struct FakeRetell {
    /// Base URL (`http://127.0.0.1:<port>`), for `retell_api_url`.
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

impl FakeRetell {
    /// Starts the fake.
    pub async fn start() -> Self {
        let inner: Arc<Mutex<Inner>> = Arc::default();
        let router = Router::new()
            .route("/list-agents", get(list_agents))
            .route("/get-agent/{id}", get(get_agent))
            .route("/update-agent/{id}", axum::routing::patch(update_agent))
            .route("/list-phone-numbers", get(list_numbers))
            .route("/get-retell-llm/{id}", get(get_llm))
            .route("/update-retell-llm/{id}", axum::routing::patch(update_llm))
            .layer(axum::middleware::from_fn_with_state(inner.clone(), gate))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self { url, inner }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Accepts `key` as an API key of this account.
    pub fn accept_key(&self, key: &str) {
        self.lock().keys.push(key.to_owned());
    }

    /// Adds an agent answering with Retell LLM `llm_id`, whose LLM already has two tools of
    /// the business's own (an end-call tool and a custom weather lookup).
    pub fn add_agent(&self, agent_id: &str, name: &str, llm_id: &str) {
        let mut i = self.lock();
        i.agents.insert(
            agent_id.into(),
            json!({ "agent_id": agent_id, "agent_name": name, "channel": "voice",
                "response_engine": { "type": "retell-llm", "llm_id": llm_id, "version": 0 },
                "voice_id": "11labs-Adrian", "language": "de-DE" }),
        );
        i.llms.insert(
            llm_id.into(),
            json!({ "llm_id": llm_id, "model": "gpt-4.1", "general_prompt": "Be nice.",
                "general_tools": [
                    { "type": "end_call", "name": "end_call", "description": "End the call." },
                    { "type": "custom", "name": "lookup_weather", "url": "https://weather.example/x",
                      "description": "Weather.", "parameters": { "type": "object", "properties": {} } }
                ] }),
        );
    }

    /// Adds an agent that answers with a conversation flow (no Retell LLM).
    pub fn add_flow_agent(&self, agent_id: &str) {
        self.lock().agents.insert(
            agent_id.into(),
            json!({ "agent_id": agent_id, "agent_name": "Flow",
                "response_engine": { "type": "conversation-flow", "conversation_flow_id": "cf_1" } }),
        );
    }

    /// Adds a phone number whose inbound calls go to `agent_id`.
    pub fn add_number(&self, e164: &str, agent_id: &str) {
        self.lock().numbers.push(json!({
            "phone_number": e164, "phone_number_type": "retell-twilio", "nickname": "Empfang",
            "inbound_agents": [{ "agent_id": agent_id, "weight": 1.0 }],
            "last_modification_timestamp": 1
        }));
    }

    /// The next `times` requests to paths starting with `prefix` get `fault` (`None`: all).
    pub fn fail(&self, prefix: &str, fault: Fault, times: Option<usize>) {
        self.lock().faults.insert(prefix.into(), (fault, times));
    }

    /// Stops every fault.
    pub fn heal(&self) {
        self.lock().faults.clear();
    }

    /// Requests received for paths starting with `prefix`.
    pub fn hits(&self, prefix: &str) -> usize {
        self.lock()
            .hits
            .iter()
            .filter(|(p, _)| p.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }

    /// The agent as stored.
    pub fn agent(&self, id: &str) -> Value {
        self.lock().agents.get(id).cloned().unwrap_or(Value::Null)
    }

    /// The LLM as stored.
    pub fn llm(&self, id: &str) -> Value {
        self.lock().llms.get(id).cloned().unwrap_or(Value::Null)
    }

    /// Sets fields of an agent (as if edited in Retell's dashboard).
    pub fn patch_agent(&self, id: &str, patch: Value) {
        if let (Some(agent), Some(fields)) = (self.lock().agents.get_mut(id), patch.as_object()) {
            for (k, v) in fields {
                agent[k] = v.clone();
            }
        }
    }

    /// Changes an LLM behind Slotline's back (someone editing it in Retell's dashboard).
    pub fn edit_llm(&self, id: &str, edit: impl FnOnce(&mut Value)) {
        if let Some(llm) = self.lock().llms.get_mut(id) {
            edit(llm);
        }
    }

    /// Schema violations found in updates (empty when every payload was valid).
    pub fn violations(&self) -> Vec<String> {
        self.lock().violations.clone()
    }

    /// Every custom tool an accepted update carried.
    pub fn recorded_tools(&self) -> Vec<Value> {
        self.lock().tools.clone()
    }

    /// Every accepted update: (path, body).
    pub fn updates(&self) -> Vec<(String, Value)> {
        self.lock().updates.clone()
    }
}

type Shared = State<Arc<Mutex<Inner>>>;

fn lock(s: &Arc<Mutex<Inner>>) -> std::sync::MutexGuard<'_, Inner> {
    s.lock().unwrap_or_else(|p| p.into_inner())
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error_message": message }))).into_response()
}

/// Counts, serves faults and checks the bearer key before any route.
async fn gate(
    State(s): Shared,
    uri: Uri,
    headers: HeaderMap,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = uri.path().to_owned();
    let fault = {
        let mut i = lock(&s);
        *i.hits.entry(path.clone()).or_default() += 1;
        let key = i
            .faults
            .keys()
            .find(|prefix| path.starts_with(prefix.as_str()))
            .cloned();
        match key {
            Some(k) => {
                let (fault, left) = i.faults[&k];
                match left {
                    Some(0) => None,
                    Some(n) => {
                        i.faults.insert(k, (fault, Some(n - 1)));
                        Some(fault)
                    }
                    None => Some(fault),
                }
            }
            None => None,
        }
    };
    match fault {
        Some(Fault::Hang) => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            return error(StatusCode::GATEWAY_TIMEOUT, "hung");
        }
        Some(Fault::Status(429)) => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", "0")],
                Json(json!({ "error_message": "Too many requests" })),
            )
                .into_response()
        }
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return error(status, "fault injected by the test");
        }
        None => {}
    }
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let known = bearer.is_some_and(|b| lock(&s).keys.contains(&b));
    if !known {
        return error(StatusCode::UNAUTHORIZED, "Invalid API key");
    }
    next.run(req).await
}

async fn list_agents(State(s): Shared) -> Response {
    let agents: Vec<Value> = lock(&s).agents.values().cloned().collect();
    Json(Value::Array(agents)).into_response()
}

async fn get_agent(State(s): Shared, Path(id): Path<String>) -> Response {
    match lock(&s).agents.get(&id) {
        Some(a) => Json(a.clone()).into_response(),
        None => error(StatusCode::NOT_FOUND, "Agent not found"),
    }
}

async fn update_agent(
    State(s): Shared,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let mut i = lock(&s);
    let Some(patch) = body.as_object() else {
        return error(StatusCode::BAD_REQUEST, "body must be an object");
    };
    for (k, v) in patch {
        let ok = match k.as_str() {
            "webhook_url" => v.is_string() || v.is_null(),
            "webhook_events" => v.as_array().is_some_and(|a| {
                a.iter().all(|e| {
                    app::contract::RETELL_WEBHOOK_EVENTS.contains(&e.as_str().unwrap_or(""))
                })
            }),
            "webhook_timeout_ms" | "agent_name" | "response_engine" => true,
            _ => false,
        };
        if !ok {
            let v = format!("update-agent: field {k} = {v} is not valid");
            i.violations.push(v.clone());
            return error(StatusCode::BAD_REQUEST, &v);
        }
    }
    let Some(agent) = i.agents.get_mut(&id) else {
        return error(StatusCode::NOT_FOUND, "Agent not found");
    };
    for (k, v) in patch {
        agent[k] = v.clone();
    }
    let out = agent.clone();
    i.updates
        .push((format!("/update-agent/{id}"), body.clone()));
    Json(out).into_response()
}

async fn list_numbers(State(s): Shared) -> Response {
    Json(Value::Array(lock(&s).numbers.clone())).into_response()
}

async fn get_llm(State(s): Shared, Path(id): Path<String>) -> Response {
    match lock(&s).llms.get(&id) {
        Some(l) => Json(l.clone()).into_response(),
        None => error(StatusCode::NOT_FOUND, "LLM not found"),
    }
}

async fn update_llm(State(s): Shared, Path(id): Path<String>, Json(body): Json<Value>) -> Response {
    let mut i = lock(&s);
    let mut problems = Vec::new();
    if let Some(tools) = body.get("general_tools") {
        match tools.as_array() {
            Some(list) => {
                for t in list.iter().filter(|t| t["type"] == "custom") {
                    problems.extend(check_custom_tool(t));
                }
            }
            None => problems.push("general_tools must be a list".into()),
        }
    }
    if let Some(mcps) = body.get("mcps") {
        for m in mcps.as_array().into_iter().flatten() {
            problems.extend(check_mcp(m));
        }
    }
    if let Some(p) = body.get("general_prompt") {
        if !p.is_string() {
            problems.push("general_prompt must be text".into());
        }
    }
    if !problems.is_empty() {
        i.violations.extend(problems.clone());
        return error(StatusCode::BAD_REQUEST, &problems.join("; "));
    }
    let Some(llm) = i.llms.get_mut(&id) else {
        return error(StatusCode::NOT_FOUND, "LLM not found");
    };
    if let Some(patch) = body.as_object() {
        for (k, v) in patch {
            llm[k] = v.clone();
        }
    }
    let out = llm.clone();
    let tools: Vec<Value> = body["general_tools"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["type"] == "custom")
        .cloned()
        .collect();
    i.tools.extend(tools);
    i.updates
        .push((format!("/update-retell-llm/{id}"), body.clone()));
    Json(out).into_response()
}
