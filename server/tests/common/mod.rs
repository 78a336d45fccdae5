//! Integration-test harness: runs the real application on a random port against a fresh
//! database (a temporary SQLite file, or a new PostgreSQL database when
//! `SLOTLINE_TEST_POSTGRES_URL` points at a server) and drives it over HTTP.
#![allow(dead_code)]

pub mod fake_retell;
pub mod office;
pub mod retell_schema;
pub mod salon;
pub mod smtp_sink;

use slotline::config::Config;
use slotline::store::tenants::{NewTenant, PhoneNumber};
use slotline::store::Store;
use std::path::PathBuf;

/// A running application plus handles tests need.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// HTTP client without cookie store (tests pass cookies explicitly).
    pub client: reqwest::Client,
    /// Direct store access for arranging and checking data.
    pub store: Store,
    /// The configuration the app runs with.
    pub config: Config,
    /// Keeps the temporary data directory alive.
    pub dir: tempfile::TempDir,
    /// The application's own pool (closing it simulates a lost database).
    pub app_store: Store,
}

/// A database URL for a brand-new, empty database.
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("SLOTLINE_TEST_POSTGRES_URL") {
        Ok(base) if !base.is_empty() => {
            use sqlx::Connection;
            sqlx::any::install_default_drivers();
            let name = format!("slotline_test_{}", hex::encode(rand::random::<[u8; 8]>()));
            let mut conn = sqlx::AnyConnection::connect(&base)
                .await
                .expect("SLOTLINE_TEST_POSTGRES_URL must be reachable");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let mut url = url::Url::parse(&base).expect("postgres URL");
            url.set_path(&format!("/{name}"));
            url.to_string()
        }
        _ => format!("sqlite://{}/slotline.db", dir.display()),
    }
}

/// Configuration for a test app in `dir` on a random port.
pub async fn test_config(dir: &std::path::Path) -> Config {
    Config {
        database_url: fresh_database_url(dir).await,
        data_dir: dir.to_path_buf(),
        listen_addr: "127.0.0.1:0".parse().unwrap(),
        public_url: "https://slotline.test".into(),
        secret_key: rand::random(),
        site_root: PathBuf::from("target/site"),
        limits: Default::default(),
        breakers: Default::default(),
        // Nothing listens here: tests that talk to Retell start a fake and set its URL.
        retell_api_url: "http://127.0.0.1:9".into(),
        retell_api: Default::default(),
        cookie_secure: slotline::config::CookieSecure::Auto,
        trust_proxy: false,
        // No token: /metrics is open and the gateway health shows only its status word.
        metrics_token: None,
        retention_days: 90,
        // Tests name their instant: the suites' dates are relative to this call's start.
        clock: slotline::clock::Clock::fixed(NOW.parse().expect("NOW is RFC 3339")),
    }
}

/// The instant every test app's clock stands at (a Tuesday, 10:00 in Berlin), unless a test
/// sets another: tests pass whatever day they run on.
pub const NOW: &str = "2027-03-09T09:00:00Z";

/// The operations token tests configure with [`with_metrics_token`].
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789";

/// Sets [`METRICS_TOKEN`] as the app's `SLOTLINE_METRICS_TOKEN`.
pub fn with_metrics_token(config: &mut Config) {
    config.metrics_token =
        Some(slotline::http::ops_token::OpsToken::new(METRICS_TOKEN).expect("a valid token"));
}

/// A migrated store on a fresh database (for store tests without HTTP).
pub async fn fresh_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let store = Store::connect_and_migrate(&url).await.expect("migrate");
    (store, dir)
}

/// Starts the real application and waits until it answers.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the real application after `adjust` has changed the test configuration.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path()).await;
    adjust(&mut config);
    let app = slotline::startup::Application::build(&config)
        .await
        .expect("application builds");
    let base = format!("http://{}", app.local_addr());
    let app_store = app.store();
    tokio::spawn(app.serve(std::future::pending()));
    let store = Store::connect(&config.database_url)
        .await
        .unwrap()
        .with_clock(config.clock.clone());
    TestApp {
        base,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // A response that never ends fails its test instead of stalling the whole run.
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .unwrap(),
        store,
        config,
        dir,
        app_store,
    }
}

impl TestApp {
    /// Creates a tenant with one phone number; returns its id.
    pub async fn tenant(&self, slug: &str, name: &str, phone: &str) -> i64 {
        let id = self
            .store
            .create_tenant(&NewTenant {
                slug,
                name,
                time_zone: "Europe/Berlin",
                locale: "de",
                country: "DE",
            })
            .await
            .unwrap();
        self.store
            .add_phone_number(
                id,
                &PhoneNumber {
                    e164: phone.into(),
                    retell_agent_id: Some(format!("agent_{slug}")),
                    label: "main".into(),
                },
            )
            .await
            .unwrap();
        id
    }

    /// Creates an owner admin for a tenant.
    pub async fn admin(&self, slug: &str, email: &str, password: &str) {
        slotline::cli::create_admin(&self.store, email, password, Some(slug), "owner")
            .await
            .expect("admin created");
    }

    /// POSTs a form to a UI server function, with an optional session cookie.
    pub async fn ui(
        &self,
        endpoint: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut req = self
            .client
            .post(format!("{}/api/ui/{endpoint}", self.base))
            .form(form);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.send().await.unwrap()
    }

    /// Signs in and returns the `name=value` session cookie.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let res = self
            .ui("login", None, &[("email", email), ("password", password)])
            .await;
        assert_eq!(res.status(), 200, "login should succeed");
        let set_cookie = res
            .headers()
            .get("set-cookie")
            .expect("session cookie set")
            .to_str()
            .unwrap()
            .to_owned();
        set_cookie.split(';').next().unwrap().to_owned()
    }
}

/// Builds a compact Retell webhook body for a call of `agent_id`.
pub fn webhook_body(
    event: &str,
    call_id: &str,
    agent_id: &str,
    extra: serde_json::Value,
) -> String {
    let mut call = serde_json::json!({
        "call_id": call_id,
        "agent_id": agent_id,
        "call_type": "phone_call",
        "direction": "inbound",
        "from_number": "+4915112345678",
        "to_number": "+493012345670",
        "start_timestamp": 1764061200000i64,
    });
    if let (Some(c), Some(e)) = (call.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            c.insert(k.clone(), v.clone());
        }
    }
    serde_json::json!({ "event": event, "call": call }).to_string()
}

impl TestApp {
    /// Stores a Retell API key for a tenant (sealed with the app's key).
    pub async fn set_retell_key(&self, tenant_id: i64, key: &str) {
        let secrets = slotline::crypto::SecretBox::new(&self.config.secret_key);
        self.store
            .set_retell_api_key_sealed(tenant_id, &secrets.seal_for(tenant_id, key))
            .await
            .unwrap();
    }

    /// POSTs a webhook body with the given signature header (None: no header).
    pub async fn post_webhook(&self, body: &str, signature: Option<String>) -> reqwest::Response {
        let mut req = self
            .client
            .post(format!("{}/api/webhooks/retell", self.base))
            .header("content-type", "application/json")
            .body(body.to_owned());
        if let Some(s) = signature {
            req = req.header("x-retell-signature", s);
        }
        req.send().await.unwrap()
    }

    /// Number of inbox rows of any status.
    pub async fn inbox_rows(&self) -> i64 {
        use sqlx::Row;
        sqlx::query("SELECT COUNT(*) AS n FROM webhook_inbox")
            .fetch_one(self.store.pool())
            .await
            .unwrap()
            .try_get("n")
            .unwrap()
    }

    /// Waits until no inbox event is pending (the worker caught up).
    pub async fn drain_inbox(&self) {
        for _ in 0..200 {
            if self.store.pending_inbox_events(1).await.unwrap().is_empty() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("webhook inbox not drained within 5 s");
    }
}

/// UTC milliseconds of an RFC 3339 instant.
pub fn ms(rfc3339: &str) -> i64 {
    rfc3339.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

/// A Retell signature for `body` made now.
pub fn sign_now(body: &str, key: &str) -> String {
    slotline::webhooks::signature::sign(body.as_bytes(), key, slotline::store::now_ms())
}

impl TestApp {
    /// POSTs a raw JSON-RPC body with optional bearer token; returns (status, parsed body or Null).
    pub async fn rpc_raw(&self, body: &str, bearer: Option<&str>) -> (u16, serde_json::Value) {
        let mut req = self
            .client
            .post(format!("{}/api/mcp/gateway", self.base))
            .header("content-type", "application/json")
            .body(body.to_owned());
        if let Some(t) = bearer {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Creates an API token for a tenant with every scope and no expiry.
    pub async fn token(&self, slug: &str) -> String {
        self.token_with(slug, &[], None).await
    }

    /// Creates an API token for a tenant with these scopes (none: all) and expiry in days.
    pub async fn token_with(
        &self,
        slug: &str,
        scopes: &[app::contract::Scope],
        expires_days: Option<u32>,
    ) -> String {
        slotline::cli::create_token(&self.store, slug, "test", scopes, expires_days)
            .await
            .unwrap()
    }
}

impl TestApp {
    /// The Prometheus text of `/metrics` (sending [`METRICS_TOKEN`] when the app has a token).
    pub async fn metrics(&self) -> String {
        let mut req = self.client.get(format!("{}/metrics", self.base));
        if self.config.metrics_token.is_some() {
            req = req.bearer_auth(METRICS_TOKEN);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 200, "/metrics answers");
        res.text().await.unwrap()
    }

    /// The full gateway health report with [`METRICS_TOKEN`] (the app must be started with
    /// [`with_metrics_token`]); returns (status, body).
    pub async fn full_health(&self) -> (u16, serde_json::Value) {
        assert!(
            self.config.metrics_token.is_some(),
            "start the app with common::with_metrics_token to read the full health report"
        );
        let res = self
            .client
            .get(format!("{}/api/mcp/gateway/health", self.base))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// The gateway health report as an admin session (`name=value` cookie) sees it.
    pub async fn health_as_admin(&self, cookie: &str) -> (u16, serde_json::Value) {
        let res = self
            .client
            .get(format!("{}/api/mcp/gateway/health", self.base))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(serde_json::Value::Null))
    }
}

impl TestApp {
    /// GETs a path and returns (status, JSON body or Null).
    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let res = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// Posts each body signed now with `key`, asserting every one is acknowledged (200).
    pub async fn post_all_signed(&self, bodies: &[&String], key: &str) {
        for body in bodies {
            let res = self.post_webhook(body, Some(sign_now(body, key))).await;
            assert_eq!(res.status(), 200, "webhook acknowledged");
        }
    }
}

impl TestApp {
    /// Calls a gateway method with an admin's session cookie; returns the JSON-RPC response
    /// and its raw text (to check what it never contains).
    pub async fn rpc_text(
        &self,
        cookie: &str,
        method: &str,
        params: serde_json::Value,
    ) -> (serde_json::Value, String) {
        let text = self
            .client
            .post(format!("{}/api/mcp/gateway", self.base))
            .header("content-type", "application/json")
            .header("cookie", cookie)
            .body(
                serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
                    .to_string(),
            )
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        (
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
            text,
        )
    }

    /// Calls a gateway method with an admin's session cookie; returns the JSON-RPC response.
    pub async fn rpc_as(
        &self,
        cookie: &str,
        method: &str,
        params: serde_json::Value,
    ) -> serde_json::Value {
        self.rpc_text(cookie, method, params).await.0
    }

    /// Creates a tenant without phone numbers or a Retell key, with an owner and a staff
    /// account; returns (tenant id, owner cookie, staff cookie).
    pub async fn bare_tenant(&self, slug: &str) -> (i64, String, String) {
        let id = self
            .store
            .create_tenant(&NewTenant {
                slug,
                name: &format!("Praxis {slug}"),
                time_zone: "Europe/Berlin",
                locale: "de",
                country: "DE",
            })
            .await
            .unwrap();
        let owner = format!("owner@{slug}.test");
        let staff = format!("staff@{slug}.test");
        slotline::cli::create_admin(&self.store, &owner, "owner password 1", Some(slug), "owner")
            .await
            .unwrap();
        slotline::cli::create_admin(&self.store, &staff, "staff password 1", Some(slug), "staff")
            .await
            .unwrap();
        let owner_cookie = self.login(&owner, "owner password 1").await;
        let staff_cookie = self.login(&staff, "staff password 1").await;
        (id, owner_cookie, staff_cookie)
    }
}

/// Asserts a 200 whose content type starts with `content_type`.
pub fn assert_served(res: &reqwest::Response, content_type: &str) {
    assert_eq!(res.status(), 200);
    let served = res.headers()["content-type"].to_str().unwrap();
    assert!(served.starts_with(content_type), "served as {served}");
}

/// Whether any circuit breaker ever opened, by the Prometheus text of `/metrics`.
pub fn a_breaker_opened(metrics: &str) -> bool {
    metrics
        .lines()
        .any(|l| l.starts_with("slotline_circuit_transitions_total") && l.contains("to=\"open\""))
}
