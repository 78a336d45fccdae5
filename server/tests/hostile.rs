//! Hostile input, generated: over ten thousand bodies (control characters, huge and deeply
//! nested values, wrong types, other tenants' ids, garbage) sent to the JSON-RPC gateway, the
//! custom-function route and the webhook receiver — signed with a real tenant's key where a
//! signature is needed, so they reach the checks behind it. Nothing may answer 5xx, panic,
//! report an internal or downstream failure, open a breaker, or touch the other tenant.
//! Deterministic (a fixed proptest seed), on SQLite and (in make test) on PostgreSQL.

mod common;

use common::salon::{call, salon, AGENT, CALLER, KEY};
use common::{sign_now, spawn_app_with, TestApp};
use futures_util::StreamExt;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{json, Map, Value};
use sqlx::Row;

const GATEWAY_BODIES: usize = 4_000;
const FUNCTION_BODIES: usize = 3_000;
const WEBHOOK_BODIES: usize = 3_000;

/// Field names the methods and functions read, so generated params hit real code paths.
const FIELDS: [&str; 24] = [
    "phone",
    "caller",
    "customer_name",
    "name",
    "service",
    "when",
    "date",
    "time",
    "staff",
    "appointment_id",
    "id",
    "reason",
    "notes",
    "email",
    "call_id",
    "new_time",
    "new_date",
    "include_past",
    "tenant_id",
    "token_id",
    "time_zone",
    "locale",
    "password",
    "args",
];

/// Text an attacker likes: control characters, NUL, quotes, SQL, very long strings.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "(\\PC|[\\x00-\\x1f\\x7f\\u{85}])*",
        1 => Just("\u{0}".to_owned()),
        1 => Just("'; DROP TABLE appointments; --".to_owned()),
        1 => (1usize..40_000).prop_map(|n| "x".repeat(n)),
        1 => Just("+4915112345678\u{0}".to_owned()),
        1 => Just("2027-03-10T10:00".to_owned()),
    ]
}

/// Any JSON value, with the numbers and ids of both tenants mixed in.
fn value(ids: Vec<i64>) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        proptest::sample::select(ids).prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        nasty_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    proptest::sample::select(FIELDS.to_vec()).prop_map(str::to_owned),
                    nasty_text()
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An object of params with real field names.
fn params(ids: Vec<i64>) -> impl Strategy<Value = Value> {
    proptest::collection::btree_map(proptest::sample::select(FIELDS.to_vec()), value(ids), 0..6)
        .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

/// A call's agent id, caller, call id and one more field: mostly real, sometimes anything.
fn call_fields(ids: Vec<i64>) -> impl Strategy<Value = (Value, Value, Value, Value)> {
    (
        prop_oneof![3 => Just(json!(AGENT)), 1 => value(ids.clone())],
        prop_oneof![3 => Just(json!(CALLER)), 1 => value(ids.clone())],
        prop_oneof![3 => "[a-z0-9_]{1,20}".prop_map(Value::String), 1 => value(ids.clone())],
        value(ids),
    )
}

/// Deeply nested arrays, past any depth limit.
fn deep(levels: usize) -> Value {
    let mut v = json!("bottom");
    for _ in 0..levels {
        v = json!([v]);
    }
    v
}

/// One request to send: path, body, whether to sign it with the tenant's key.
struct Shot {
    path: String,
    body: Vec<u8>,
    signed: bool,
    bearer: bool,
}

fn generate<S: Strategy>(runner: &mut TestRunner, strategy: &S) -> S::Value {
    strategy
        .new_tree(runner)
        .expect("a value can be generated")
        .current()
}

fn shots(methods: &[String], ids: Vec<i64>) -> Vec<Shot> {
    let mut runner = TestRunner::deterministic();
    let mut out = Vec::new();
    let method = prop_oneof![
        8 => proptest::sample::select(methods.to_vec()),
        1 => nasty_text(),
    ];
    let gateway = (method, params(ids.clone()), value(ids.clone()), 0u8..20);
    for i in 0..GATEWAY_BODIES {
        let (method, params, id, shape) = generate(&mut runner, &gateway);
        let body = match shape {
            0 => json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
            1 => json!([{"jsonrpc": "2.0", "id": 1, "method": method, "params": params}, params]),
            2 => json!({"jsonrpc": "2.0", "id": i, "method": method, "params": deep(200)}),
            3 => Value::String(method),
            _ => json!({"jsonrpc": "2.0", "id": i, "method": method, "params": params}),
        };
        out.push(Shot {
            path: "/api/mcp/gateway".into(),
            body: body.to_string().into_bytes(),
            signed: false,
            bearer: i % 4 != 0,
        });
    }
    let function = proptest::sample::select(vec![
        "check_availability",
        "collect_appointment",
        "change_appointment",
        "cancel_appointment",
    ]);
    let functions = (
        function,
        call_fields(ids.clone()),
        params(ids.clone()),
        any::<bool>(),
        0u8..10,
    );
    for i in 0..FUNCTION_BODIES {
        let (name, (agent, from, call_id, extra), args, at_root, shape) =
            generate(&mut runner, &functions);
        let mut call = json!({"call_id": call_id, "agent_id": agent, "from_number": from,
            "to_number": "+493012345670", "call_type": "phone_call", "transcript": extra});
        if shape == 0 {
            call = extra;
        }
        let body = if at_root {
            let mut root = args.as_object().cloned().unwrap_or_default();
            root.insert("name".into(), json!(name));
            root.insert("call".into(), call);
            Value::Object(root)
        } else {
            json!({"name": name, "call": call, "args": args})
        };
        let raw = if shape == 1 {
            format!("{{\"name\": \"{name}\", \"call\": ").into_bytes()
        } else {
            body.to_string().into_bytes()
        };
        out.push(Shot {
            path: format!("/api/mcp/gateway/retell/functions/{name}"),
            body: raw,
            signed: i % 10 != 0,
            bearer: false,
        });
    }
    let event = prop_oneof![
        4 => proptest::sample::select(vec!["call_started", "call_ended", "call_analyzed", "transcript_updated"]).prop_map(str::to_owned),
        1 => nasty_text(),
    ];
    let hooks = (
        event,
        call_fields(ids.clone()),
        value(ids.clone()),
        value(ids),
        0u8..10,
    );
    for i in 0..WEBHOOK_BODIES {
        let (event, (agent, from, call_id, transcript), analysis, extra, shape) =
            generate(&mut runner, &hooks);
        let mut call = Map::new();
        call.insert("call_id".into(), call_id);
        call.insert("agent_id".into(), agent);
        call.insert("from_number".into(), from);
        call.insert("to_number".into(), json!("+493012345670"));
        call.insert("transcript".into(), transcript);
        call.insert("call_analysis".into(), analysis);
        call.insert("start_timestamp".into(), extra);
        let body = if shape == 0 {
            json!({"event": event, "call": deep(300)})
        } else {
            json!({"event": event, "call": call})
        };
        out.push(Shot {
            path: "/api/webhooks/retell".into(),
            body: body.to_string().into_bytes(),
            signed: i % 10 != 0,
            bearer: false,
        });
    }
    out
}

async fn send(app: &TestApp, token: &str, shot: &Shot) -> (u16, String) {
    let mut req = app
        .client
        .post(format!("{}{}", app.base, shot.path))
        .header("content-type", "application/json")
        .body(shot.body.clone());
    if shot.signed {
        let signature =
            slotline::webhooks::signature::sign(&shot.body, KEY, slotline::store::now_ms());
        req = req.header("x-retell-signature", signature);
    }
    if shot.bearer {
        req = req.header("authorization", format!("Bearer {token}"));
    }
    let res = req.send().await.unwrap_or_else(|e| {
        panic!(
            "no answer (did the server panic?) for {}: {e}",
            String::from_utf8_lossy(&shot.body[..shot.body.len().min(300)])
        )
    });
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

/// JSON-RPC error codes that would mean a request's content became a failure of Slotline.
fn is_failure_code(code: i64) -> bool {
    matches!(code, -32603 | -32021 | -32022)
}

fn rpc_failures(text: &str) -> Vec<i64> {
    let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let answers = match v {
        Value::Array(items) => items,
        other => vec![other],
    };
    answers
        .iter()
        .filter_map(|a| a["error"]["code"].as_i64())
        .filter(|c| is_failure_code(*c))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_hostile_bodies_cause_no_failure_and_open_no_breaker() {
    let app = spawn_app_with(|c| {
        c.limits.ip_per_min = 10_000_000;
        c.limits.retell_ip_per_min = 10_000_000;
        c.limits.tenant_per_min = 10_000_000;
        c.limits.caller_per_min = 10_000_000;
    })
    .await;
    salon(&app).await;
    let token = app.token("salon").await;
    let other = app.tenant("other", "Other", "+493022222222").await;
    app.set_retell_key(other, "key_other").await;
    let (_, kept) = call(
        &app,
        "collect_appointment",
        "call_keep",
        "+4917012340000",
        json!({"service": "Damenhaarschnitt", "when": "2027-03-11T10:00", "customer_name": "Keep Me"}),
    )
    .await;
    let kept_id = kept["appointment_id"]
        .as_i64()
        .expect("a booking to protect");

    let (_, listed) = app.get_json("/api/mcp/gateway/methods").await;
    let methods: Vec<String> = listed["methods"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["name"].as_str().map(str::to_owned))
        .collect();
    assert!(methods.len() > 10, "the registry's methods: {listed}");
    let ids = vec![kept_id, other, 0, -1, i64::MAX, 1, 2, 3];
    let shots = shots(&methods, ids);
    assert!(shots.len() >= 10_000);

    let answers: Vec<(usize, u16, String)> = futures_util::stream::iter(shots.iter().enumerate())
        .map(|(i, shot)| {
            let (app, token) = (&app, &token);
            async move {
                let (status, text) = send(app, token, shot).await;
                (i, status, text)
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let mut by_status = std::collections::BTreeMap::<u16, usize>::new();
    for (i, status, text) in &answers {
        *by_status.entry(*status).or_default() += 1;
        let shot = &shots[*i];
        let shown = String::from_utf8_lossy(&shot.body[..shot.body.len().min(300)]);
        assert!(
            *status < 500,
            "{} answered {status} to {shown}: {text}",
            shot.path
        );
        if shot.path == "/api/mcp/gateway" {
            assert!(
                rpc_failures(text).is_empty(),
                "a failure code for {shown}: {text}"
            );
        }
    }
    println!("statuses: {by_status:?}");
    assert!(
        by_status.get(&200).is_some_and(|n| *n > 1_000),
        "many bodies reached the code: {by_status:?}"
    );

    let metrics = app.metrics().await;
    assert!(
        !common::a_breaker_opened(&metrics),
        "no breaker opened:\n{metrics}"
    );
    let row = sqlx::query(
        "SELECT a.status, c.name FROM appointments a JOIN customers c ON c.id = a.customer_id \
         WHERE a.id = $1",
    )
    .bind(kept_id)
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(row.try_get::<String, _>("name").unwrap(), "Keep Me");
    let others: i64 = sqlx::query("SELECT COUNT(*) AS n FROM webhook_inbox WHERE tenant_id = $1")
        .bind(other)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert_eq!(others, 0, "nothing reached the other tenant");
    let body = json!({"name": "check_availability",
        "call": {"call_id": "call_after", "agent_id": AGENT, "from_number": CALLER, "to_number": "+493012345670"},
        "args": {"service": "Damenhaarschnitt", "when": "2027-03-12"}})
    .to_string();
    let res = app
        .client
        .post(format!(
            "{}/api/mcp/gateway/retell/functions/check_availability",
            app.base
        ))
        .header("content-type", "application/json")
        .header("x-retell-signature", sign_now(&body, KEY))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "Slotline still serves");
}
