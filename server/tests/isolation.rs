//! Tenant walls, checked against every method of the registry (a method added later is covered
//! without touching this file): called as tenant A's owner, staff and API token with tenant B's
//! ids in every id field and B's phone in every phone field, nothing of B comes back and
//! nothing of B changes. Runs on SQLite and (in make test) on PostgreSQL.

mod common;

use common::salon::{salon, KEY};
use common::{sign_now, spawn_app_with, TestApp};
use serde_json::{json, Map, Value};
use slotline::store::scheduling::{BookingRules, NewService};
use sqlx::Row;

/// Text that exists only in tenant B: any of it in an answer to A is a leak.
const B_MARKERS: [&str; 5] = [
    "Rival Friseur",
    "Bertha Bravo",
    "Bravo-Schnitt",
    "Brigitte Bravo",
    "agent_rival",
];
const B_PHONE: &str = "+4917611112222";
const B_NUMBER: &str = "+493099990000";
const B_KEY: &str = "key_rival_secret";

/// Tenant B with a service, a staff member, a customer's appointment and an API token; returns
/// B's tenant id and every id of B's.
async fn rival(app: &TestApp) -> (i64, Vec<i64>) {
    let s = &app.store;
    let tenant = app.tenant("rival", "Rival Friseur", B_NUMBER).await;
    sqlx::query(
        "UPDATE tenant_phone_numbers SET retell_agent_id = 'agent_rival' WHERE tenant_id = $1",
    )
    .bind(tenant)
    .execute(s.pool())
    .await
    .unwrap();
    app.set_retell_key(tenant, B_KEY).await;
    s.set_booking_rules(
        tenant,
        &BookingRules {
            horizon_days: 500,
            ..BookingRules::default()
        },
    )
    .await
    .unwrap();
    let service = s
        .create_service(
            tenant,
            &NewService {
                name: "Bravo-Schnitt",
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
    let staff = slotline::demo::salon::add_staff(s, &secrets, tenant, "Brigitte Bravo")
        .await
        .unwrap();
    s.offer_service(tenant, staff, service).await.unwrap();
    for day in 1..=7 {
        s.add_working_hours(tenant, staff, day, 8 * 60, 20 * 60)
            .await
            .unwrap();
    }
    let body = json!({"name": "collect_appointment",
        "call": {"call_id": "call_rival", "agent_id": "agent_rival", "from_number": B_PHONE,
            "to_number": B_NUMBER, "start_timestamp": 1_804_582_800_000i64},
        "args": {"service": "Bravo-Schnitt", "when": "2027-03-10T10:00", "customer_name": "Bertha Bravo"}})
    .to_string();
    let res = app
        .client
        .post(format!(
            "{}/api/mcp/gateway/retell/functions/collect_appointment",
            app.base
        ))
        .header("content-type", "application/json")
        .header("x-retell-signature", sign_now(&body, B_KEY))
        .body(body)
        .send()
        .await
        .unwrap();
    let booked: Value = res.json().await.unwrap();
    let appointment = booked["appointment_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("B's appointment: {booked}"));
    let hook = common::webhook_body(
        "call_ended",
        "call_rival",
        "agent_rival",
        json!({"to_number": B_NUMBER, "from_number": B_PHONE, "transcript": "Bertha Bravo"}),
    );
    let res = app.post_webhook(&hook, Some(sign_now(&hook, B_KEY))).await;
    assert_eq!(res.status(), 200);
    app.drain_inbox().await;
    app.token("rival").await;
    let mut ids = vec![tenant, service, staff, appointment];
    for table in ["api_tokens", "customers", "calls", "tenant_phone_numbers"] {
        let rows = sqlx::query(&format!("SELECT id FROM {table} WHERE tenant_id = $1"))
            .bind(tenant)
            .fetch_all(s.pool())
            .await
            .unwrap();
        ids.extend(rows.iter().map(|r| r.try_get::<i64, _>("id").unwrap()));
    }
    (tenant, ids)
}

/// One cell of a row as text, whatever its type.
fn cell(row: &sqlx::any::AnyRow, i: usize) -> String {
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
        return format!("{v:?}");
    }
    "?".into()
}

/// Every row of every table that has a `tenant_id`, for tenant B, as text.
async fn snapshot(app: &TestApp, tenant: i64) -> Vec<String> {
    let tables_sql = match app.store.engine() {
        slotline::store::Engine::Sqlite => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' ORDER BY name"
        }
        slotline::store::Engine::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS t FROM information_schema.columns \
             WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name"
        }
    };
    let tables: Vec<String> = sqlx::query(tables_sql)
        .fetch_all(app.store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("t").unwrap())
        .collect();
    let mut out = Vec::new();
    for table in tables {
        let Ok(rows) = sqlx::query(&format!("SELECT * FROM {table} WHERE tenant_id = $1"))
            .bind(tenant)
            .fetch_all(app.store.pool())
            .await
        else {
            continue; // no tenant_id column (SQLite lists every table)
        };
        for row in &rows {
            use sqlx::Column;
            let cells: Vec<String> = row
                .columns()
                .iter()
                .map(|c| format!("{}={}", c.name(), cell(row, c.ordinal())))
                .collect();
            out.push(format!("{table}: {}", cells.join(", ")));
        }
    }
    out.sort();
    out
}

/// Params for a method: every property of its schema filled with B's id (integers), B's
/// phone (phone-like strings) or a harmless value.
fn params_for(schema: &Value, id: i64) -> Value {
    let mut params = Map::new();
    let Some(props) = schema["properties"].as_object() else {
        return Value::Object(params);
    };
    for (name, prop) in props {
        let kind = prop["type"].clone();
        let is = |t: &str| kind == t || kind.as_array().is_some_and(|a| a.iter().any(|x| x == t));
        let lower = name.to_lowercase();
        let value = if is("integer") || is("number") {
            json!(id)
        } else if is("array") {
            if prop["items"]["type"] == "integer" {
                json!([id])
            } else {
                json!([])
            }
        } else if is("boolean") {
            json!(true)
        } else if lower.contains("phone") || lower == "caller" {
            json!(B_PHONE)
        } else if lower.contains("zone") {
            json!("Europe/Berlin")
        } else if lower == "locale" || lower == "language" {
            json!("de")
        } else if lower.contains("when") || lower.contains("date") || lower.contains("time") {
            json!("2027-03-10T10:00")
        } else if is("string") {
            json!("probe")
        } else {
            continue;
        };
        params.insert(name.clone(), value);
    }
    Value::Object(params)
}

async fn rpc(app: &TestApp, auth: &(String, &str), method: &str, params: &Value) -> Value {
    let mut req = app
        .client
        .post(format!("{}/api/mcp/gateway", app.base))
        .header("content-type", "application/json")
        .body(json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string());
    req = match auth.1 {
        "bearer" => req.header("authorization", format!("Bearer {}", auth.0)),
        _ => req.header("cookie", auth.0.clone()),
    };
    req.send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn no_method_lets_tenant_a_see_or_change_tenant_b() {
    let app = spawn_app_with(|c| {
        c.limits.tenant_per_min = 1_000_000;
        c.limits.ip_per_min = 1_000_000;
    })
    .await;
    salon(&app).await;
    let _ = KEY;
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
    let (b, b_ids) = rival(&app).await;
    let before = snapshot(&app, b).await;
    assert!(
        before.iter().any(|r| r.contains("Bertha Bravo")),
        "B has data: {before:?}"
    );

    let owner = app.login("owner@salon.de", "owner password 1").await;
    let staff = app.login("staff@salon.de", "staff password 1").await;
    let token = app.token("salon").await;
    let principals = [(owner, "cookie"), (staff, "cookie"), (token, "bearer")];
    let (_, listed) = app.get_json("/api/mcp/gateway/methods").await;
    let methods = listed["methods"].as_array().expect("the registry").clone();
    assert!(methods.len() > 20);
    let mut calls = 0;
    for m in &methods {
        let name = m["name"].as_str().unwrap();
        if matches!(name, "admin.login" | "admin.logout") {
            continue;
        }
        for id in &b_ids {
            let params = params_for(&m["params_schema"], *id);
            for auth in &principals {
                let answer = rpc(&app, auth, name, &params).await.to_string();
                calls += 1;
                for marker in B_MARKERS {
                    assert!(
                        !answer.contains(marker),
                        "{name} as {} with {params} leaked {marker:?}: {answer}",
                        auth.1
                    );
                }
            }
        }
    }
    assert!(calls > 300, "{calls} calls");
    let after = snapshot(&app, b).await;
    assert_eq!(before, after, "nothing of B changed");
}
