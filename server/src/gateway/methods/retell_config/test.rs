//! `retell.config.testWebhook`: a correctly signed synthetic `call_started` event sent over
//! HTTP to Slotline's own webhook route (the real signature check, inbox and worker), then
//! each enabled custom function called through its real route with sample arguments, signed
//! and carrying the function token. Test calls use call ids starting `slotline_test_` and a
//! fictitious caller, so call figures and lists leave them out and nothing is booked.

use super::super::calls::tenant_zone;
use super::super::local_at;
use super::{api_key, audit};
use crate::gateway::{store_failure, Ctx, Services};
use crate::retell_setup::functions as defs;
use app::contract::{
    Locale, ProbeResult, RpcError, TestWebhookParams, WebhookTestResult, FUNCTION_TOKEN_HEADER,
    TEST_CALL_PREFIX,
};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The caller of test calls: a fictitious number (NANP 555-01xx), nobody's appointments.
pub const TEST_CALLER: &str = "+15555550100";

/// How long a probe may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest reply text kept in a result.
const MAX_DETAIL: usize = 300;

fn short(text: &str) -> String {
    let mut t: String = text
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_DETAIL)
        .collect();
    if text.chars().count() > MAX_DETAIL {
        t.push('…');
    }
    t
}

/// Posts a signed body to one of Slotline's own routes; (status, body text, ms).
async fn post(
    http: &reqwest::Client,
    url: &str,
    body: &str,
    key: &str,
    token: Option<&str>,
) -> (Option<u16>, String, u64) {
    let started = Instant::now();
    let signature = crate::webhooks::signature::sign(body.as_bytes(), key, crate::store::now_ms());
    let mut req = http
        .post(url)
        .header("content-type", "application/json")
        .header("x-retell-signature", signature)
        .body(body.to_owned());
    if let Some(t) = token {
        req = req.header(FUNCTION_TOKEN_HEADER, t);
    }
    let outcome = match req.send().await {
        Ok(res) => {
            let status = res.status().as_u16();
            (Some(status), res.text().await.unwrap_or_default())
        }
        Err(e) if e.is_timeout() => (None, "no answer within 10 s".into()),
        Err(_) => (None, "Slotline's own address could not be reached".into()),
    };
    let ms = started.elapsed().as_millis() as u64;
    (outcome.0, outcome.1, ms)
}

/// `retell.config.testWebhook`.
pub(super) async fn run(
    s: Services,
    ctx: Ctx,
    p: TestWebhookParams,
) -> Result<WebhookTestResult, RpcError> {
    let admin = ctx.admin()?;
    let tenant_id = admin.tenant_id;
    let key = api_key(&s, tenant_id).await?;
    let agent_id = s
        .store
        .tenant_agents(tenant_id)
        .await
        .map_err(store_failure)?
        .into_iter()
        .next();
    let to_number = s
        .store
        .phone_numbers(tenant_id)
        .await
        .map_err(store_failure)?
        .into_iter()
        .next()
        .map(|n| n.e164);
    if agent_id.is_none() && to_number.is_none() {
        return Err(RpcError::invalid_field(
            "agent_id",
            "bind your Retell agent first: Retell's requests find your business by agent and number",
        ));
    }
    let http = reqwest::Client::builder()
        .timeout(PROBE_TIMEOUT)
        .build()
        .map_err(|_| RpcError::internal("the test client could not be built"))?;
    let call_id = format!(
        "{TEST_CALL_PREFIX}{}",
        hex::encode(rand::random::<[u8; 8]>())
    );
    let now = s.store.now_ms();
    let call = json!({
        "call_id": call_id, "agent_id": agent_id, "call_type": "phone_call",
        "direction": "inbound", "from_number": TEST_CALLER, "to_number": to_number,
        "call_status": "ongoing", "start_timestamp": now,
    });
    let body = json!({ "event": "call_started", "call": call }).to_string();
    let url = format!("{}/api/webhooks/retell", s.self_url);
    let (status, text, millis) = post(&http, &url, &body, &key, None).await;
    let detail = match status {
        Some(200) => recorded(&s, tenant_id, &call_id).await?,
        Some(_) => short(&message_of(&text)),
        None => text,
    };
    let webhook = ProbeResult {
        name: "webhook".into(),
        url,
        status,
        millis,
        ok: status == Some(200),
        detail,
    };
    let mut functions = Vec::new();
    if p.functions.unwrap_or(true) {
        let cfg = s
            .store
            .retell_config(tenant_id)
            .await
            .map_err(store_failure)?;
        let token = cfg
            .function_token_sealed
            .as_deref()
            .and_then(|sealed| s.secrets.open_for(tenant_id, sealed).ok());
        let view = s.scheduler.view(tenant_id).await.map_err(|e| e.rpc())?;
        let service = view
            .setup
            .services
            .iter()
            .find(|x| x.phone_bookable)
            .map(|x| x.name.clone())
            .unwrap_or_default();
        let day = if view.locale == Locale::De {
            "morgen"
        } else {
            "tomorrow"
        };
        for (name, def, _) in defs::effective(&cfg.custom_functions) {
            if !def.enabled {
                continue;
            }
            let (args, note) = sample(name, &service, day);
            let body = json!({ "name": name, "call": call, "args": args }).to_string();
            let url = defs::url(&s.self_url, name);
            let (status, text, millis) = post(&http, &url, &body, &key, token.as_deref()).await;
            functions.push(ProbeResult {
                name: name.into(),
                url: defs::url(&s.public_url, name),
                status,
                millis,
                ok: status == Some(200),
                detail: format!("{note}sent {args}: {}", short(&message_of(&text))),
            });
        }
    }
    let tz = tenant_zone(&s, tenant_id).await?;
    let result = WebhookTestResult {
        at_local: local_at(s.store.clock().now(), &tz),
        ok: webhook.ok && functions.iter().all(|f| f.ok),
        webhook,
        functions,
    };
    let json = serde_json::to_string(&result).unwrap_or_default();
    s.store
        .set_last_test_result(tenant_id, &json)
        .await
        .map_err(store_failure)?;
    audit(
        admin,
        "retell.config.testWebhook",
        &format!("test call {call_id}"),
    );
    Ok(result)
}

/// Sample arguments for a function, and a note on why they change nothing.
fn sample(name: &str, service: &str, day: &str) -> (Value, &'static str) {
    match name {
        "check_availability" => (
            json!({ "service": service, "date": day, "time": "10:00" }),
            "",
        ),
        "collect_appointment" => (
            json!({ "service": service, "date": day, "time": "10:00" }),
            "(sent without a name, so nothing is booked) ",
        ),
        "change_appointment" => (
            json!({ "new_date": day, "new_time": "10:00" }),
            "(for a test caller without appointments) ",
        ),
        _ => (
            json!({ "reason": "Slotline connection test" }),
            "(for a test caller without appointments) ",
        ),
    }
}

/// The `message` of a JSON reply, or the text.
fn message_of(text: &str) -> String {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| text.to_owned())
}

/// What the inbox recorded for the test call, after giving the worker up to 2 s.
async fn recorded(s: &Services, tenant_id: i64, call_id: &str) -> Result<String, RpcError> {
    for _ in 0..20 {
        let state = s
            .store
            .inbox_event_state(tenant_id, call_id, "call_started")
            .await
            .map_err(store_failure)?;
        match state {
            Some((status, _, _)) if status == "applied" => {
                return Ok(format!(
                    "recorded call_started of test call {call_id} and applied it"
                ))
            }
            Some((status, attempts, Some(error))) if status == "failed" || attempts > 0 => {
                return Ok(format!(
                    "recorded call_started of test call {call_id}, but applying it failed: {}",
                    short(&error)
                ))
            }
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    Ok(format!(
        "recorded call_started of test call {call_id}; the worker has not applied it yet"
    ))
}
