//! Stored secrets are bound to their tenant: a sealed Retell API key copied into another
//! tenant's row opens for nobody there (webhooks and custom functions of that tenant are
//! refused, its key is unusable), and values sealed before the binding are re-sealed for their
//! tenant when the application starts.

mod common;

use common::{sign_now, spawn_app, webhook_body, TestApp};
use serde_json::{json, Value};
use slotline::crypto::SecretBox;

const KEY_A: &str = "key_alpha_secret";
const KEY_B: &str = "key_beta_secret";

/// Tenants alpha (agent_alpha, +493011111111) and beta (agent_beta, +493022222222), each with
/// its own Retell API key.
async fn two_tenants(app: &TestApp) -> (i64, i64) {
    let a = app.tenant("alpha", "Alpha", "+493011111111").await;
    let b = app.tenant("beta", "Beta", "+493022222222").await;
    app.set_retell_key(a, KEY_A).await;
    app.set_retell_key(b, KEY_B).await;
    (a, b)
}

/// A webhook body of a call to `agent` at `number`.
fn webhook(call_id: &str, agent: &str, number: &str) -> String {
    webhook_body(
        "call_started",
        call_id,
        agent,
        json!({ "to_number": number, "call_status": "ongoing" }),
    )
}

/// POSTs a custom-function body signed with `key`; returns the status.
async fn function_status(app: &TestApp, agent: &str, number: &str, key: &str) -> u16 {
    let body = json!({
        "name": "check_availability",
        "call": {
            "call_id": "call_fn", "agent_id": agent, "call_type": "phone_call",
            "direction": "inbound", "from_number": "+4915112345678", "to_number": number,
        },
        "args": { "service": "Damenhaarschnitt", "when": "morgen 10 Uhr" },
    })
    .to_string();
    app.client
        .post(format!(
            "{}/api/mcp/gateway/retell/functions/check_availability",
            app.base
        ))
        .header("content-type", "application/json")
        .header("x-retell-signature", sign_now(&body, key))
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// A value in the format used before tenant binding: `hex(nonce || ciphertext)`, no
/// associated data.
fn legacy_seal(key: &[u8; 32], plaintext: &str) -> String {
    use chacha20poly1305::aead::{Aead, KeyInit};
    use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
    let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
    let nonce: [u8; 12] = rand::random();
    let ciphertext = cipher
        .encrypt(Nonce::from_slice(&nonce), plaintext.as_bytes())
        .unwrap();
    let mut out = nonce.to_vec();
    out.extend_from_slice(&ciphertext);
    hex::encode(out)
}

#[tokio::test]
async fn a_retell_key_copied_into_another_tenants_row_is_refused() {
    let app = spawn_app().await;
    let (a, b) = two_tenants(&app).await;
    app.admin("beta", "owner@beta.test", "correct horse battery")
        .await;

    // Someone with write access to the database copies alpha's sealed key into beta's row.
    let sealed_a = app.store.retell_api_key_sealed(a).await.unwrap().unwrap();
    sqlx::query("UPDATE retell_configurations SET retell_api_key_sealed = $1 WHERE tenant_id = $2")
        .bind(&sealed_a)
        .bind(b)
        .execute(app.store.pool())
        .await
        .unwrap();

    // Beta's webhooks are refused whichever key signs them, and nothing is stored.
    for (call_id, key) in [("call_b1", KEY_A), ("call_b2", KEY_B)] {
        let body = webhook(call_id, "agent_beta", "+493022222222");
        let res = app.post_webhook(&body, Some(sign_now(&body, key))).await;
        assert_eq!(res.status(), 401, "signed with {key}");
    }
    assert_eq!(
        app.inbox_rows().await,
        0,
        "a refused webhook stores nothing"
    );

    // So are beta's custom functions.
    assert_eq!(
        function_status(&app, "agent_beta", "+493022222222", KEY_A).await,
        401
    );
    assert_eq!(
        function_status(&app, "agent_beta", "+493022222222", KEY_B).await,
        401
    );

    // The copied value does not open as beta's key, neither directly nor for beta's admin.
    let secrets = SecretBox::new(&app.config.secret_key);
    let in_b = app.store.retell_api_key_sealed(b).await.unwrap().unwrap();
    assert!(secrets.open_for(b, &in_b).is_err());
    assert_eq!(secrets.open_for(a, &in_b).unwrap(), KEY_A);
    let cookie = app.login("owner@beta.test", "correct horse battery").await;
    let res: Value = app
        .client
        .post(format!("{}/api/mcp/gateway", app.base))
        .header("cookie", &cookie)
        .json(&json!({ "jsonrpc": "2.0", "id": 1, "method": "retell.config.checkAgents" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(res["result"].is_null(), "{res}");
    assert_eq!(res["error"]["code"], -32603, "{res}");
    assert!(
        res["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("cannot be decrypted"),
        "{res}"
    );

    // Alpha, whose row is untouched, keeps working.
    let body = webhook("call_a1", "agent_alpha", "+493011111111");
    let res = app.post_webhook(&body, Some(sign_now(&body, KEY_A))).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn legacy_secrets_are_resealed_for_their_tenant_at_start_up_and_only_then_open() {
    let app = spawn_app().await;
    let (a, b) = two_tenants(&app).await;
    let key = app.config.secret_key;
    // Beta's key and a staff member's feed token as an older Slotline stored them.
    app.store
        .set_retell_api_key_sealed(b, &legacy_seal(&key, "key_legacy"))
        .await
        .unwrap();
    let token = "feedtoken0123456789abcdef";
    let staff = app
        .store
        .create_staff(
            b,
            "Anna",
            &legacy_seal(&key, token),
            &slotline::auth::token_hash(token),
        )
        .await
        .unwrap();
    // A value that does not open under this key is left alone and does not stop the start.
    app.store
        .create_staff(b, "Ben", "abcd", &slotline::auth::token_hash("other"))
        .await
        .unwrap();

    // A legacy value never opens as a tenant's secret: only the start-up re-seal reads it.
    let body = webhook("call_legacy", "agent_beta", "+493022222222");
    let res = app
        .post_webhook(&body, Some(sign_now(&body, "key_legacy")))
        .await;
    assert_eq!(
        res.status(),
        401,
        "an un-upgraded legacy key is not trusted"
    );

    // Starting the application (again, on the same database) re-seals them for their tenant.
    let restarted = slotline::startup::Application::build(&app.config)
        .await
        .expect("application builds");
    drop(restarted);

    let secrets = SecretBox::new(&key);
    let sealed = app.store.retell_api_key_sealed(b).await.unwrap().unwrap();
    assert!(sealed.starts_with("v2:"), "{sealed}");
    assert_eq!(secrets.open_for(b, &sealed).unwrap(), "key_legacy");
    assert!(secrets.open_for(a, &sealed).is_err(), "bound to beta now");
    let alpha = app.store.retell_api_key_sealed(a).await.unwrap().unwrap();
    assert_eq!(secrets.open_for(a, &alpha).unwrap(), KEY_A, "v2 untouched");

    let feeds = app.store.staff_feeds(b).await.unwrap();
    let (_, _, anna) = feeds.iter().find(|f| f.0 == staff).unwrap();
    assert!(anna.starts_with("v2:"), "{anna}");
    assert_eq!(secrets.open_for(b, anna).unwrap(), token);
    let (_, _, ben) = feeds.iter().find(|f| f.0 != staff).unwrap();
    assert_eq!(ben, "abcd", "an unreadable value is left as it was");

    // The feed is still found by its token.
    let res = app
        .client
        .get(format!("{}/calendar/{token}.ics", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}
