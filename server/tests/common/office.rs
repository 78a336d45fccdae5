//! A business with an owner and a staff account, and JSON-RPC as either: the set-up and
//! calendar suites drive everything the way the UI does (cookie sessions).

use super::TestApp;
use serde_json::{json, Value};

/// Sessions of one tenant's owner and staff account.
pub struct Office {
    /// Tenant id.
    pub tenant: i64,
    /// The owner's session cookie.
    pub owner: String,
    /// The staff account's session cookie.
    pub staff: String,
}

/// A tenant `slug` (agent `agent_<slug>`, Retell key `key`) with an owner and a staff account
/// and nothing set up.
pub async fn office(app: &TestApp, slug: &str, phone: &str, key: &str) -> Office {
    let tenant = app.tenant(slug, &format!("Business {slug}"), phone).await;
    app.set_retell_key(tenant, key).await;
    let owner_mail = format!("owner@{slug}.test");
    let staff_mail = format!("staff@{slug}.test");
    app.admin(slug, &owner_mail, "owner password 1").await;
    slotline::cli::create_admin(
        &app.store,
        &staff_mail,
        "staff password 1",
        Some(slug),
        "staff",
    )
    .await
    .unwrap();
    Office {
        tenant,
        owner: app.login(&owner_mail, "owner password 1").await,
        staff: app.login(&staff_mail, "staff password 1").await,
    }
}

/// A JSON-RPC call with a session cookie; the whole response.
pub async fn rpc_as(app: &TestApp, cookie: &str, method: &str, params: Value) -> Value {
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

/// The result of a call that must succeed.
pub async fn ok(app: &TestApp, cookie: &str, method: &str, params: Value) -> Value {
    let res = rpc_as(app, cookie, method, params).await;
    assert!(res["error"].is_null(), "{method} failed: {res}");
    res["result"].clone()
}

/// The error of a call that must fail: (code, data.field, message).
pub async fn refused(
    app: &TestApp,
    cookie: &str,
    method: &str,
    params: Value,
) -> (i64, String, String) {
    let res = rpc_as(app, cookie, method, params).await;
    let e = &res["error"];
    assert!(e.is_object(), "{method} should fail: {res}");
    (
        e["code"].as_i64().unwrap_or_default(),
        e["data"]["field"].as_str().unwrap_or_default().to_owned(),
        e["message"].as_str().unwrap_or_default().to_owned(),
    )
}

/// The local date `days` after the test clock's today ([`super::NOW`]) in Europe/Berlin,
/// `YYYY-MM-DD`.
pub fn day_ahead(days: i64) -> String {
    let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
    let today = super::NOW
        .parse::<jiff::Timestamp>()
        .expect("NOW is RFC 3339")
        .to_zoned(tz)
        .date();
    today
        .checked_add(jiff::Span::new().days(days))
        .unwrap()
        .to_string()
}

/// A week of the same hours with one break, as `scheduling.staff.save` takes it.
pub fn every_day(start: &str, end: &str, pause: Option<(&str, &str)>) -> Value {
    (1..=7)
        .map(|weekday| {
            let breaks: Vec<Value> = pause
                .map(|(s, e)| vec![json!({"start": s, "end": e})])
                .unwrap_or_default();
            json!({"weekday": weekday, "start": start, "end": end, "breaks": breaks})
        })
        .collect()
}
