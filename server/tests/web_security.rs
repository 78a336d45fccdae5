//! Web security of the cookie-authenticated surface (issue #14): cross-site requests with the
//! admin session cookie are refused (Origin, else Sec-Fetch-Site) while curl-like clients and
//! bearer tokens keep working; cookie JSON-RPC must be application/json; the session cookie is
//! Secure when Slotline is served over https; /metrics and the full gateway health need the
//! operations token (or, for health, an admin session).

mod common;

use common::{spawn_app_with, with_metrics_token, TestApp, METRICS_TOKEN};
use serde_json::{json, Value};
use slotline::config::{Config, CookieSecure};

const EMAIL: &str = "owner@salon.test";
const PASSWORD: &str = "correct horse battery";
const EVIL: &str = "https://evil.example";

/// An app with one tenant and its signed-in owner: (app, tenant id, session cookie).
async fn salon(adjust: impl FnOnce(&mut Config)) -> (TestApp, i64, String) {
    let app = spawn_app_with(adjust).await;
    let tenant = app.tenant("salon", "Salon Eins", "+493011111111").await;
    app.admin("salon", EMAIL, PASSWORD).await;
    let cookie = app.login(EMAIL, PASSWORD).await;
    (app, tenant, cookie)
}

/// POSTs `tenant_update` (renaming the tenant to `name`) with the cookie and extra headers.
async fn rename(
    app: &TestApp,
    cookie: &str,
    headers: &[(&str, &str)],
    name: &str,
) -> reqwest::Response {
    let mut req = app
        .client
        .post(format!("{}/api/ui/tenant_update", app.base))
        .header("cookie", cookie)
        .form(&[
            ("update[name]", name),
            ("update[time_zone]", "Europe/Berlin"),
            ("update[locale]", "de"),
        ]);
    for (key, value) in headers {
        req = req.header(*key, *value);
    }
    req.send().await.unwrap()
}

/// POSTs a JSON-RPC call with the given content type, credentials and extra headers;
/// returns (status, body or Null).
async fn rpc(
    app: &TestApp,
    content_type: &str,
    cookie: Option<&str>,
    bearer: Option<&str>,
    headers: &[(&str, &str)],
    call: Value,
) -> (u16, Value) {
    let mut req = app
        .client
        .post(format!("{}/api/mcp/gateway", app.base))
        .header("content-type", content_type)
        .body(call.to_string());
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    if let Some(t) = bearer {
        req = req.bearer_auth(t);
    }
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn create_token_call() -> Value {
    json!({ "jsonrpc": "2.0", "id": 1, "method": "tokens.create", "params": { "name": "csrf" } })
}

async fn tenant_name(app: &TestApp, tenant: i64) -> String {
    app.store.tenant_by_id(tenant).await.unwrap().unwrap().name
}

async fn token_count(app: &TestApp, tenant: i64) -> usize {
    app.store.api_tokens(tenant).await.unwrap().len()
}

/// Asserts a 403 cross-site refusal with its JSON body.
async fn assert_cross_site(res: reqwest::Response) {
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "cross_site", "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| m.len() > 20),
        "{body}"
    );
}

#[tokio::test]
async fn a_foreign_origin_with_the_session_cookie_is_refused_and_changes_nothing() {
    let (app, tenant, cookie) = salon(|_| {}).await;

    let res = rename(&app, &cookie, &[("origin", EVIL)], "Hijacked").await;
    assert_cross_site(res).await;
    assert_eq!(tenant_name(&app, tenant).await, "Salon Eins");

    let (status, body) = rpc(
        &app,
        "application/json",
        Some(&cookie),
        None,
        &[("origin", EVIL)],
        create_token_call(),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "cross_site");
    assert_eq!(token_count(&app, tenant).await, 0, "no token was created");

    // An opaque origin (sandboxed frames, some redirects) is not Slotline either.
    let res = rename(&app, &cookie, &[("origin", "null")], "Hijacked").await;
    assert_cross_site(res).await;
    assert_eq!(tenant_name(&app, tenant).await, "Salon Eins");
}

#[tokio::test]
async fn same_origin_requests_with_the_session_cookie_work() {
    let (app, tenant, cookie) = salon(|_| {}).await;

    // The host the request was sent to (what a browser on this address sends).
    let own = app.base.clone();
    let res = rename(&app, &cookie, &[("origin", own.as_str())], "Salon Zwei").await;
    assert_eq!(res.status(), 200);
    assert_eq!(tenant_name(&app, tenant).await, "Salon Zwei");

    // The public URL's origin (behind a proxy that rewrites Host).
    let res = rename(
        &app,
        &cookie,
        &[("origin", "https://slotline.test")],
        "Salon Drei",
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(tenant_name(&app, tenant).await, "Salon Drei");

    let (status, body) = rpc(
        &app,
        "application/json",
        Some(&cookie),
        None,
        &[("origin", own.as_str()), ("sec-fetch-site", "same-origin")],
        create_token_call(),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body["result"]["token"].is_string(), "{body}");
    assert_eq!(token_count(&app, tenant).await, 1);
}

#[tokio::test]
async fn sec_fetch_site_decides_when_there_is_no_origin() {
    let (app, tenant, cookie) = salon(|_| {}).await;

    for site in ["cross-site", "same-site"] {
        let res = rename(&app, &cookie, &[("sec-fetch-site", site)], "Hijacked").await;
        assert_cross_site(res).await;
        let (status, _) = rpc(
            &app,
            "application/json",
            Some(&cookie),
            None,
            &[("sec-fetch-site", site)],
            create_token_call(),
        )
        .await;
        assert_eq!(status, 403, "{site}");
    }
    assert_eq!(tenant_name(&app, tenant).await, "Salon Eins");
    assert_eq!(token_count(&app, tenant).await, 0);

    for (site, name) in [("same-origin", "Salon Zwei"), ("none", "Salon Drei")] {
        let res = rename(&app, &cookie, &[("sec-fetch-site", site)], name).await;
        assert_eq!(res.status(), 200, "{site}");
        assert_eq!(tenant_name(&app, tenant).await, name);
    }
}

#[tokio::test]
async fn clients_without_browser_headers_keep_working_with_the_cookie() {
    let (app, tenant, cookie) = salon(|_| {}).await;

    let res = rename(&app, &cookie, &[], "Salon Zwei").await;
    assert_eq!(res.status(), 200);
    assert_eq!(tenant_name(&app, tenant).await, "Salon Zwei");

    let (status, body) = rpc(
        &app,
        "application/json; charset=utf-8",
        Some(&cookie),
        None,
        &[],
        create_token_call(),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body["result"]["token"].is_string(), "{body}");
}

#[tokio::test]
async fn bearer_tokens_are_not_judged_by_origin() {
    let (app, _, cookie) = salon(|_| {}).await;
    let token = app.token("salon").await;
    let tenant_get = json!({ "jsonrpc": "2.0", "id": 1, "method": "tenant.get" });

    let (status, body) = rpc(
        &app,
        "application/json",
        None,
        Some(&token),
        &[("origin", EVIL), ("sec-fetch-site", "cross-site")],
        tenant_get.clone(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["slug"], "salon", "{body}");

    // The bearer token is what authenticates, even when a cookie comes along.
    let (status, body) = rpc(
        &app,
        "application/json",
        Some(&cookie),
        Some(&token),
        &[("origin", EVIL)],
        tenant_get,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["slug"], "salon", "{body}");
}

#[tokio::test]
async fn cookie_json_rpc_must_declare_application_json() {
    let (app, tenant, cookie) = salon(|_| {}).await;

    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let (status, body) = rpc(
            &app,
            content_type,
            Some(&cookie),
            None,
            &[],
            create_token_call(),
        )
        .await;
        assert_eq!(status, 415, "{content_type}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("application/json")),
            "{body}"
        );
    }
    assert_eq!(token_count(&app, tenant).await, 0, "nothing was created");

    // API tokens keep working whatever the content type says (curl -d sends a form type).
    let token = app.token("salon").await;
    let (status, body) = rpc(
        &app,
        "application/x-www-form-urlencoded",
        None,
        Some(&token),
        &[],
        json!({ "jsonrpc": "2.0", "id": 1, "method": "tenant.get" }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["slug"], "salon", "{body}");
}

/// Signs in with extra request headers and returns the whole `Set-Cookie` value.
async fn set_cookie(app: &TestApp, headers: &[(&str, &str)]) -> String {
    let mut req = app
        .client
        .post(format!("{}/api/ui/login", app.base))
        .form(&[("email", EMAIL), ("password", PASSWORD)]);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200, "login succeeds");
    res.headers()["set-cookie"].to_str().unwrap().to_owned()
}

/// An app with the given public URL and cookie settings, and an admin to sign in.
async fn cookie_app(public_url: &str, secure: CookieSecure, trust_proxy: bool) -> TestApp {
    let public_url = public_url.to_owned();
    let (app, _, _) = salon(move |c| {
        c.public_url = public_url;
        c.cookie_secure = secure;
        c.trust_proxy = trust_proxy;
    })
    .await;
    app
}

fn is_secure(set_cookie: &str) -> bool {
    set_cookie
        .split(';')
        .any(|part| part.trim().eq_ignore_ascii_case("secure"))
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_slotline_is_served_over_https() {
    let https = cookie_app("https://slotline.test", CookieSecure::Auto, false).await;
    let cookie = set_cookie(&https, &[]).await;
    assert!(cookie.starts_with("slotline_session="), "{cookie}");
    assert!(is_secure(&cookie), "https public URL: {cookie}");

    let never = cookie_app("http://slotline.test", CookieSecure::Never, false).await;
    let cookie = set_cookie(&never, &[("x-forwarded-proto", "https")]).await;
    assert!(!is_secure(&cookie), "http + never: {cookie}");

    let always = cookie_app("http://slotline.test", CookieSecure::Always, false).await;
    assert!(is_secure(&set_cookie(&always, &[]).await), "always");

    let untrusted = cookie_app("http://slotline.test", CookieSecure::Auto, false).await;
    let cookie = set_cookie(&untrusted, &[("x-forwarded-proto", "https")]).await;
    assert!(!is_secure(&cookie), "an untrusted proxy header is ignored");

    let proxied = cookie_app("http://slotline.test", CookieSecure::Auto, true).await;
    let cookie = set_cookie(&proxied, &[("x-forwarded-proto", "https")]).await;
    assert!(is_secure(&cookie), "trusted proxy says https: {cookie}");
    let cookie = set_cookie(&proxied, &[("x-forwarded-proto", "http")]).await;
    assert!(!is_secure(&cookie), "trusted proxy says http: {cookie}");
}

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = app.client.get(format!("{}{path}", app.base));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn metrics_need_the_token_once_one_is_configured() {
    let app = spawn_app_with(with_metrics_token).await;
    let bearer = format!("Bearer {METRICS_TOKEN}");

    for headers in [
        vec![],
        vec![("authorization", "Bearer wrong-token-0123456789")],
        vec![("authorization", "Basic dGVzdDp0ZXN0")],
    ] {
        let res = get(&app, "/metrics", &headers).await;
        assert_eq!(res.status(), 401, "{headers:?}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"], "unauthorized", "{body}");
    }

    let res = get(&app, "/metrics", &[("authorization", bearer.as_str())]).await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(text.contains("slotline_"), "{text}");

    // Without a configured token /metrics stays open, as before.
    let open = spawn_app_with(|_| {}).await;
    assert_eq!(get(&open, "/metrics", &[]).await.status(), 200);
}

#[tokio::test]
async fn public_health_shows_only_the_status_word() {
    let (app, _, _) = salon(with_metrics_token).await;
    let api_token = app.token("salon").await;
    let api_bearer = format!("Bearer {api_token}");

    for headers in [
        vec![],
        vec![("authorization", "Bearer wrong-token-0123456789")],
        vec![("authorization", api_bearer.as_str())],
        vec![("cookie", "slotline_session=forged")],
    ] {
        let res = get(&app, "/api/mcp/gateway/health", &headers).await;
        assert_eq!(res.status(), 200, "{headers:?}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body, json!({ "status": "up" }), "{headers:?}");
    }
}

#[tokio::test]
async fn the_full_health_report_needs_the_token_or_an_admin_session() {
    let (app, _, cookie) = salon(with_metrics_token).await;

    let (status, body) = app.full_health().await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "healthy", "{body}");
    assert_eq!(body["database"]["status"], "up");
    assert!(body["servers"].is_object(), "{body}");

    let (status, body) = app.health_as_admin(&cookie).await;
    assert_eq!(status, 200);
    assert_eq!(body["database"]["status"], "up", "{body}");

    // Without a configured token only an admin session sees the details.
    let (open, _, cookie) = salon(|_| {}).await;
    let (_, body) = open.get_json("/api/mcp/gateway/health").await;
    assert_eq!(body, json!({ "status": "up" }));
    let (_, body) = open.health_as_admin(&cookie).await;
    assert_eq!(body["status"], "healthy", "{body}");
}
