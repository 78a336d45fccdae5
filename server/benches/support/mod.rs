//! Shared set-up of the benchmarks: the real application on a fresh SQLite file with one
//! tenant ("bench", agent `agent_bench`, number +493012345670) whose Retell API key is `key`.
#![allow(dead_code)] // each benchmark uses a different part

use slotline::startup::Application;
use slotline::store::Store;

/// A built (not yet serving) application and what the benchmark needs around it.
pub struct Bench {
    /// The application; spawn `app.serve(..)` when the data is ready.
    pub app: Application,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// A second pool on the same database for arranging data.
    pub store: Store,
    /// The tenant id.
    pub tenant: i64,
    /// The secret box of the app (for sealed secrets).
    pub secrets: slotline::crypto::SecretBox,
    /// Keeps the data directory alive.
    pub _dir: tempfile::TempDir,
}

/// Builds the app and the bench tenant.
pub async fn bench_app(key: &str) -> Bench {
    let dir = tempfile::tempdir().unwrap();
    let config = slotline::config::Config {
        database_url: format!("sqlite://{}/bench.db", dir.path().display()),
        data_dir: dir.path().to_path_buf(),
        listen_addr: "127.0.0.1:0".parse().unwrap(),
        public_url: "http://127.0.0.1".into(),
        secret_key: [9; 32],
        site_root: "target/site".into(),
        limits: slotline::limits::LimitSettings {
            ip_per_min: u32::MAX,
            tenant_per_min: u32::MAX,
            caller_per_min: u32::MAX,
            ..Default::default()
        },
        breakers: Default::default(),
        retell_api_url: "http://127.0.0.1:9".into(),
        retell_api: Default::default(),
        cookie_secure: slotline::config::CookieSecure::Auto,
        trust_proxy: false,
        metrics_token: None,
        retention_days: 90,
        clock: slotline::clock::Clock::system(),
    };
    let app = Application::build(&config).await.unwrap();
    let base = format!("http://{}", app.local_addr());
    let store = Store::connect(&config.database_url).await.unwrap();
    let tenant = store
        .create_tenant(&slotline::store::tenants::NewTenant {
            slug: "bench",
            name: "Bench",
            time_zone: "Europe/Berlin",
            locale: "de",
            country: "DE",
        })
        .await
        .unwrap();
    store
        .add_phone_number(
            tenant,
            &slotline::store::tenants::PhoneNumber {
                e164: "+493012345670".into(),
                retell_agent_id: Some("agent_bench".into()),
                label: "bench".into(),
            },
        )
        .await
        .unwrap();
    let secrets = slotline::crypto::SecretBox::new(&config.secret_key);
    store
        .set_retell_api_key_sealed(tenant, &secrets.seal_for(tenant, key))
        .await
        .unwrap();
    Bench {
        app,
        base,
        store,
        tenant,
        secrets,
        _dir: dir,
    }
}
