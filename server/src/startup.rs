//! Builds the application (store, gateway, router) and serves it until shutdown.
//! Tests use [`Application::build`] with port 0 to run the real app.

use crate::config::Config;
use crate::crypto::SecretBox;
use crate::error::StartupError;
use crate::gateway::Gateway;
use crate::store::Store;
use crate::webhooks::Webhooks;
use app::gateway::{GatewayHandle, UiSettings};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// A bound, ready-to-serve application.
pub struct Application {
    listener: TcpListener,
    front: crate::http::front::Front,
    store: Store,
    webhooks: Webhooks,
    /// Days personal data is kept (for the retention job).
    retention_days: u32,
    /// Delivers the notification outbox.
    notifier: crate::notifications::Notifier,
    /// Ends open MCP streams so a graceful shutdown does not wait on them.
    mcp_stop: tokio_util::sync::CancellationToken,
    /// The live-update hub (its streams end at shutdown too).
    live: crate::live::Live,
    /// The breakers' state changes, drained into the database by a background task.
    transitions: tokio::sync::mpsc::Receiver<crate::breaker::Transition>,
}

/// The router and the handles [`Application::serve`] runs and stops with it.
pub struct Routes {
    /// The whole HTTP surface behind its front door.
    pub front: crate::http::front::Front,
    /// Ends open MCP streams.
    pub mcp_stop: tokio_util::sync::CancellationToken,
    /// The live-update hub.
    pub live: crate::live::Live,
    /// The breakers' state changes to record.
    pub transitions: tokio::sync::mpsc::Receiver<crate::breaker::Transition>,
}

impl Application {
    /// Connects and migrates the database, re-seals legacy secrets for their tenant, builds
    /// the router and binds the listen address.
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        let store = Store::connect_and_migrate(&config.database_url)
            .await?
            .with_clock(config.clock.clone());
        let secrets = SecretBox::new(&config.secret_key);
        crate::reseal::reseal_legacy(&store, &secrets)
            .await
            .map_err(|e| StartupError::Database(e.to_string()))?;
        let webhooks = Webhooks::new(store.clone(), secrets);
        let listener =
            TcpListener::bind(config.listen_addr)
                .await
                .map_err(|e| StartupError::Bind {
                    addr: config.listen_addr.to_string(),
                    reason: e.to_string(),
                })?;
        let bound = listener.local_addr().map_err(|e| StartupError::Bind {
            addr: config.listen_addr.to_string(),
            reason: e.to_string(),
        })?;
        let routes = router(config, store.clone(), webhooks.clone(), self_url(bound));
        let notifier = crate::notifications::Notifier::new(
            store.clone(),
            &config.secret_key,
            &config.public_url,
        );
        Ok(Self {
            listener,
            front: routes.front,
            store,
            webhooks,
            retention_days: config.retention_days,
            notifier,
            mcp_stop: routes.mcp_stop,
            live: routes.live,
            transitions: routes.transitions,
        })
    }

    /// The application's store (tests close it to simulate a lost database).
    pub fn store(&self) -> Store {
        self.store.clone()
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound TCP listener has a local address")
    }

    /// Serves and runs the background tasks (webhook worker, retention job, notifications,
    /// WAL checkpoints) until `shutdown` resolves, then drains connections, lets the tasks
    /// finish what they are doing and closes the database.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartupError> {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let retention = tokio::spawn(crate::retention::run(
            self.store.clone(),
            self.retention_days,
            stop_rx.clone(),
        ));
        let notifications = tokio::spawn(crate::notifications::worker::run(
            self.notifier,
            stop_rx.clone(),
        ));
        let checkpoints = tokio::spawn(crate::store::checkpoint::run(
            self.store.clone(),
            stop_rx.clone(),
        ));
        let worker = tokio::spawn(crate::webhooks::worker::run(self.webhooks, stop_rx));
        tokio::spawn(crate::live::transitions::run(
            self.store.clone(),
            crate::live::transitions::instance_name(),
            self.transitions,
        ));
        let service = crate::http::front::Connections(self.front);
        let mcp_stop = self.mcp_stop;
        let live = self.live;
        let shutdown = async move {
            shutdown.await;
            mcp_stop.cancel();
            live.shutdown();
        };
        // Responses go out at once: without TCP_NODELAY a streamed response (MCP's) waits
        // for the client's delayed ACK (~40 ms a call on a keep-alive connection).
        let listener = axum::serve::ListenerExt::tap_io(self.listener, |tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "could not set TCP_NODELAY");
            }
        });
        let result = axum::serve(listener, service)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|e| StartupError::Serve(e.to_string()));
        let _ = stop_tx.send(true);
        let _ = worker.await;
        let _ = notifications.await;
        let _ = retention.await;
        let _ = checkpoints.await;
        self.store.close().await;
        result
    }
}

/// The admin app's page routes, generated once per process. Generating them renders the app
/// with every resource's loading switched off by a process-wide flag (leptos_server's
/// `SuppressResourceLoad`): a page of another application in the same process whose data
/// began loading meanwhile waited forever. The routes depend on nothing but the app.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// How the server reaches itself (its tests of the webhook and the custom functions go
/// through the real routes): the bound address, with a wildcard host replaced by loopback.
fn self_url(bound: SocketAddr) -> String {
    let host = match bound.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_owned(),
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => "[::1]".to_owned(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        std::net::IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}", bound.port())
}

/// Leptos options built from our configuration (not from cargo-leptos environment variables).
fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("slotline")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.listen_addr)
        .build()
}

/// The whole HTTP surface with the handles that run and stop with it; `self_url` is where the
/// server reaches its own routes.
pub fn router(config: &Config, store: Store, webhooks: Webhooks, self_url: String) -> Routes {
    let limits = crate::limits::Limits::new(config.limits);
    let method_stats = Arc::new(crate::metrics::MethodStats::default());
    let scheduler = crate::scheduling::Scheduler::new(store.clone());
    let (sink, transitions) = crate::breaker::TransitionSink::channel(
        store.clock().clone(),
        crate::live::transitions::CAPACITY,
    );
    let breakers = crate::breaker::Breakers::with_sink(config.breakers, sink);
    let live = crate::live::Live::new(store.clone(), Default::default());
    let store_clock = store.clock().clone();
    let notifier =
        crate::notifications::Notifier::new(store.clone(), &config.secret_key, &config.public_url);
    let functions = crate::functions::Functions {
        circuits: crate::gateway::guard::Circuits::new(&breakers, [crate::functions::SERVER]),
        method_stats: method_stats.clone(),
        limits: limits.clone(),
        hooks: webhooks.clone(),
        scheduler: scheduler.clone(),
    };
    let services = crate::gateway::ServiceSet {
        retell_api: crate::retell_api::RetellApi::with_settings(
            &config.retell_api_url,
            &breakers,
            config.retell_api.clone(),
        ),
        breakers: breakers.clone(),
        server_methods: Default::default(),
        method_stats: method_stats.clone(),
        limits: limits.clone(),
        scheduler,
        store: store.clone(),
        secrets: SecretBox::new(&config.secret_key),
        public_url: config.public_url.clone(),
        webhook_stats: webhooks.stats.clone(),
        hooks: webhooks.clone(),
        self_url,
        notifier: notifier.clone(),
    };
    let gw = Gateway::new(services);
    let gateway: GatewayHandle = Arc::new(gw.clone());
    let ui = UiSettings {
        cookie_security: config.cookie_security(),
    };
    let options = leptos_options(config);
    let routes = page_routes();
    let context = move || {
        provide_context(gateway.clone());
        provide_context(ui.clone());
    };
    let ops = Router::new()
        .route("/healthz", get(crate::http::health::healthz))
        .route("/readyz", get(crate::http::health::readyz))
        .route("/calendar/{file}", get(crate::http::calendar::feed))
        .with_state(store.clone())
        .merge(
            Router::new()
                .route(
                    "/notifications/opt-out/{token}",
                    get(crate::http::optout::page).post(crate::http::optout::confirm),
                )
                .with_state(notifier.clone()),
        );
    let hooks = Router::new()
        .route(
            "/api/webhooks/retell",
            post(crate::webhooks::receiver::receive).layer(DefaultBodyLimit::max(
                crate::webhooks::receiver::MAX_BODY_BYTES,
            )),
        )
        .with_state(webhooks.clone());
    let metrics = Router::new()
        .route("/metrics", get(crate::http::metrics::metrics))
        .with_state(crate::http::metrics::Sources {
            webhooks: webhooks.stats.clone(),
            methods: method_stats,
            breakers,
            token: config.metrics_token.clone(),
        });
    let retell_functions = Router::new()
        .route(
            "/api/mcp/gateway/retell/functions/{function}",
            post(crate::functions::handle)
                .layer(DefaultBodyLimit::max(crate::functions::MAX_BODY_BYTES)),
        )
        .with_state(functions);
    let (mcp, mcp_stop) = crate::mcp::routes(gw.clone(), &config.public_url);
    let health = Router::new()
        .route(
            "/api/mcp/gateway/health",
            get(crate::gateway::health::health),
        )
        .with_state(crate::gateway::health::HealthRoute {
            gateway: gw.clone(),
            token: config.metrics_token.clone(),
        });
    let live_route = Router::new()
        .route("/api/live", get(crate::live::route::events))
        .with_state(crate::live::route::LiveRoute {
            live: live.clone(),
            gateway: gw.clone(),
            origin: crate::http::origin::SameOrigin::new(&config.public_url),
        });
    let rpc = Router::new()
        .route("/api/mcp/gateway", post(crate::gateway::jsonrpc::handle))
        .route("/api/mcp/gateway/", post(crate::gateway::jsonrpc::handle))
        .route(
            "/api/mcp/gateway/methods",
            get(crate::gateway::jsonrpc::methods),
        )
        .with_state(gw)
        .merge(health)
        .merge(mcp);
    let site = Router::new()
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context,
            app::shell,
        ))
        .with_state(options);
    let test_clock = if store_clock.is_settable() {
        Router::new()
            .route(
                crate::test_clock::ROUTE,
                post(crate::test_clock::set).get(crate::test_clock::get),
            )
            .with_state(store_clock)
    } else {
        Router::new()
    };
    let all = ops
        .merge(test_clock)
        .merge(hooks)
        .merge(metrics)
        .merge(retell_functions)
        .merge(rpc)
        .merge(live_route)
        .merge(site);
    let front = crate::http::front::Front::new(
        all,
        crate::http::origin::SameOrigin::new(&config.public_url),
        limits,
    );
    Routes {
        front,
        mcp_stop,
        live,
        transitions,
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
