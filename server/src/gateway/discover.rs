//! Discovery: the method list of `GET /api/mcp/gateway/methods` and the OpenRPC 1.2.6
//! document `rpc.discover` returns, both generated from the registry's JSON Schemas.

use super::registry::{Access, Effect, MethodSpec, Registry};
use serde_json::{json, Map, Value};

/// The seed's server a method belongs to.
pub fn server_of(name: &str) -> &'static str {
    const SERVERS: [(&str, &str); 14] = [
        ("retell.functions.", "RetellCustomFunction"),
        ("retell.config.", "RetellConfiguration"),
        ("appointment.management.", "AppointmentManagement"),
        ("appointments.", "AppointmentManagement"),
        ("scheduling.", "Scheduling"),
        ("webhooks.", "CallMonitoring"),
        ("calls.", "CallMonitoring"),
        ("admin.", "Administration"),
        ("tenant.", "Administration"),
        ("tokens.", "Administration"),
        ("dashboard.", "Administration"),
        ("users.", "Administration"),
        ("platform.", "Platform"),
        ("notifications.", "Notifications"),
    ];
    SERVERS
        .iter()
        .find(|(prefix, _)| name.starts_with(prefix))
        .map(|(_, server)| *server)
        .unwrap_or("Gateway")
}

fn access(m: &MethodSpec) -> String {
    format!("{:?}", m.access).to_lowercase()
}

fn effect(m: &MethodSpec) -> &'static str {
    match m.effect {
        Effect::Read => "read",
        Effect::Idempotent | Effect::IdempotentWith(_) => "idempotent",
        Effect::Write => "write",
    }
}

/// The parameter that makes a retry safe, if the method has one.
fn retry_key(m: &MethodSpec) -> Option<&'static str> {
    match m.effect {
        Effect::IdempotentWith(key) => Some(key),
        _ => None,
    }
}

/// The scope an API token needs for a method it may call; none for public methods (no token
/// needed) and admin-only ones (no token allowed).
fn token_scope(m: &MethodSpec) -> Option<&'static str> {
    (m.access == Access::Tenant).then(|| m.scope().as_str())
}

/// One entry of `GET /methods`.
pub fn describe(m: &MethodSpec) -> Value {
    json!({
        "name": m.name,
        "server": server_of(m.name),
        "description": m.description,
        "access": access(m),
        "effect": effect(m),
        "safe_to_retry": m.effect.safe_to_retry(),
        "retry_key": retry_key(m),
        "scope": token_scope(m),
        "params_schema": m.params_schema,
        "result_schema": m.result_schema,
    })
}

/// Moves a schema's `$defs` into `defs` and points its references at OpenRPC components.
fn lift(schema: &Value, defs: &mut Map<String, Value>) -> Value {
    let text = schema
        .to_string()
        .replace("\"#/$defs/", "\"#/components/schemas/");
    let mut v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if let Some(obj) = v.as_object_mut() {
        obj.remove("$schema");
        if let Some(Value::Object(d)) = obj.remove("$defs") {
            defs.extend(d);
        }
    }
    v
}

/// The OpenRPC document of every registered method (plus `rpc.discover` itself).
pub fn openrpc(registry: &Registry) -> Value {
    let mut defs = Map::new();
    let mut methods: Vec<Value> = registry
        .iter()
        .map(|m| {
            let params_schema = lift(&m.params_schema, &mut defs);
            let required: Vec<&str> = params_schema["required"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let params: Vec<Value> = params_schema["properties"]
                .as_object()
                .map(|props| {
                    props
                        .iter()
                        .map(|(name, schema)| {
                            json!({ "name": name, "required": required.contains(&name.as_str()), "schema": schema })
                        })
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "name": m.name,
                "summary": m.description,
                "tags": [{ "name": server_of(m.name) }],
                "paramStructure": "by-name",
                "params": params,
                "result": { "name": "result", "schema": lift(&m.result_schema, &mut defs) },
                "x-access": access(m),
                "x-effect": effect(m),
                "x-safe-to-retry": m.effect.safe_to_retry(),
                "x-scope": token_scope(m),
            })
        })
        .collect();
    methods.push(json!({
        "name": "rpc.discover",
        "summary": "This OpenRPC document.",
        "params": [],
        "result": { "name": "OpenRPC document", "schema": { "type": "object" } },
        "x-access": "public",
    }));
    json!({
        "openrpc": "1.2.6",
        "info": {
            "title": "Slotline MCP gateway",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "JSON-RPC 2.0 at POST /api/mcp/gateway: appointments by phone for Retell agents.",
        },
        "servers": [{ "name": "gateway", "url": "/api/mcp/gateway" }],
        "methods": methods,
        "components": { "schemas": defs },
    })
}
