//! The gateway: one registry of typed methods, reached by the UI's server functions (and,
//! later, JSON-RPC, MCP and Retell routes). Resolves who calls, checks access, validates
//! params before any handler runs, and maps every failure to an [`RpcError`].

pub mod discover;
pub(crate) mod guard;
pub mod health;
pub mod jsonrpc;
pub mod methods;
mod principal;
pub mod registry;

use principal::{not_platform, principal_of, switch_first};
pub use principal::{Account, PlatformPrincipal, SUSPENDED};
pub use registry::{Access, Effect, Registry};

use crate::crypto::SecretBox;
use crate::store::{Store, StoreError};
use app::contract::{codes, AdminRole, Language, RpcError, Scope};
use app::gateway::Credentials;
use std::sync::Arc;

/// Services every method handler may use; a clone shares one [`ServiceSet`].
#[derive(Clone)]
pub struct Services(Arc<ServiceSet>);

impl std::ops::Deref for Services {
    type Target = ServiceSet;
    fn deref(&self) -> &ServiceSet {
        &self.0
    }
}

/// What [`Services`] holds, built once at start.
pub struct ServiceSet {
    /// Circuit breakers per server and downstream.
    pub breakers: crate::breaker::Breakers,
    /// Methods per server (filled in by [`Gateway::new`]).
    pub server_methods: Arc<std::collections::BTreeMap<&'static str, usize>>,
    /// Retell's REST API.
    pub retell_api: crate::retell_api::RetellApi,
    /// Per-method call statistics (Prometheus).
    pub method_stats: Arc<crate::metrics::MethodStats>,
    /// Rate limits.
    pub limits: crate::limits::Limits,
    /// Scheduling (availability, bookings).
    pub scheduler: crate::scheduling::Scheduler,
    /// Database.
    pub store: Store,
    /// Encrypts/decrypts stored secrets.
    pub secrets: SecretBox,
    /// Public base URL (for webhook URLs shown to admins).
    pub public_url: String,
    /// Webhook counters (duplicates, recent errors).
    pub webhook_stats: Arc<crate::webhooks::stats::WebhookStats>,
    /// The receiver's shared state (its tenant-key cache is cleared after Retell changes).
    pub hooks: crate::webhooks::Webhooks,
    /// Where the server reaches its own routes (the webhook and function tests).
    pub self_url: String,
    /// Renders notification previews and holds the opt-out key.
    pub notifier: crate::notifications::Notifier,
}

/// A signed-in admin as the gateway sees them.
#[derive(Debug, Clone)]
pub struct AdminPrincipal {
    /// Admin user id.
    pub admin_id: i64,
    /// Tenant every call of this admin is scoped to.
    pub tenant_id: i64,
    /// Tenant name.
    pub tenant_name: String,
    /// Login e-mail.
    pub email: String,
    /// Role.
    pub role: AdminRole,
    /// UI language.
    pub language: Language,
    /// Hash of the session token used.
    pub session_hash: String,
    /// A platform admin acting in this tenant (as its owner); every switch is audited.
    pub platform: bool,
}

/// Who is calling.
#[derive(Debug, Clone)]
pub enum Principal {
    /// Nobody signed in.
    Anonymous,
    /// An admin with a session, working in a tenant (a platform admin after switching).
    Admin(AdminPrincipal),
    /// A platform admin with a session who has not switched into a tenant.
    Platform(PlatformPrincipal),
    /// An external client with a tenant's (unexpired) API token.
    Token {
        /// Token id.
        token_id: i64,
        /// Tenant the token belongs to.
        tenant_id: i64,
        /// What the token may do.
        scopes: Vec<Scope>,
    },
}

/// Per-call context handed to every handler.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The caller.
    pub principal: Principal,
    /// Id of the HTTP request (or a fresh one for in-process calls), for logs and audits.
    pub request_id: String,
}

impl Ctx {
    /// The admin, or an error (API tokens cannot act as admins).
    pub fn admin(&self) -> Result<&AdminPrincipal, RpcError> {
        match &self.principal {
            Principal::Admin(a) => Ok(a),
            Principal::Token { .. } => Err(RpcError::new(
                codes::FORBIDDEN,
                "this method needs a signed-in admin, not an API token",
            )),
            Principal::Platform(_) => Err(switch_first()),
            Principal::Anonymous => Err(RpcError::unauthorized("sign in first")),
        }
    }

    /// The tenant every query of this call is scoped to (admin or API token).
    pub fn tenant_id(&self) -> Result<i64, RpcError> {
        match &self.principal {
            Principal::Admin(a) => Ok(a.tenant_id),
            Principal::Token { tenant_id, .. } => Ok(*tenant_id),
            Principal::Platform(_) => Err(switch_first()),
            Principal::Anonymous => Err(RpcError::unauthorized(
                "send a session cookie or an Authorization: Bearer <API token> header",
            )),
        }
    }
}

/// A rate-limit refusal saying when to retry.
pub fn rate_limited(what: &str, wait: std::time::Duration) -> RpcError {
    let secs = crate::limits::retry_secs(wait);
    RpcError {
        code: codes::RATE_LIMITED,
        message: format!("{what}; try again in {secs} s"),
        data: Some(serde_json::json!({ "retry_after_secs": secs })),
    }
}

/// Logs a store failure and hides its details from the caller. Only an outage of the
/// database is marked `downstream: database` (and so counts against its breaker); a value the
/// database refused is the caller's input (-32602), anything else an internal error.
pub fn store_failure(e: StoreError) -> RpcError {
    if let StoreError::Duplicate(what) = e {
        return RpcError::new(codes::VALIDATION, format!("{what} already exists"));
    }
    if e.is_bad_value() {
        tracing::warn!(error = %e, "the database refused a value");
        return RpcError::new(
            codes::INVALID_PARAMS,
            "a value was refused: send plain text without control characters and numbers in range",
        );
    }
    tracing::error!(error = %e, "database failure in a gateway method");
    if e.is_outage() {
        RpcError::downstream_failed(
            guard::DATABASE,
            codes::INTERNAL,
            "the database failed; please try again",
        )
    } else {
        RpcError::internal("the request could not be completed; please try again")
    }
}

/// A refused piece of input as -32602 naming the field.
pub fn invalid_input(e: crate::input::InputError) -> RpcError {
    RpcError {
        code: codes::INVALID_PARAMS,
        message: e.to_string(),
        data: Some(serde_json::json!({ "field": e.field() })),
    }
}

/// The refusal of a call whose API token lacks the scope the method needs.
fn lacks_scope(needed: Scope, method: &str) -> RpcError {
    let scope = needed.as_str();
    RpcError {
        code: codes::FORBIDDEN,
        message: format!(
            "this API token lacks the `{scope}` scope needed for {method}; create a token with \
             it on the API access page"
        ),
        data: Some(serde_json::json!({ "scope": scope })),
    }
}

/// The in-process gateway: registry plus services.
#[derive(Clone)]
pub struct Gateway {
    registry: Arc<Registry>,
    services: Services,
    circuits: Arc<guard::Circuits>,
}

impl Gateway {
    /// Builds the gateway with every method registered.
    pub fn new(mut services: ServiceSet) -> Self {
        let mut registry = Registry::default();
        methods::register_all(&mut registry);
        let mut server_methods = std::collections::BTreeMap::new();
        for m in registry.iter() {
            *server_methods
                .entry(discover::server_of(m.name))
                .or_default() += 1;
        }
        services.server_methods = Arc::new(server_methods);
        let circuits = guard::Circuits::new(
            &services.breakers,
            registry.iter().map(|m| discover::server_of(m.name)),
        );
        Self {
            registry: Arc::new(registry),
            services: Services(Arc::new(services)),
            circuits: Arc::new(circuits),
        }
    }

    /// The services (for health checks).
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// The registry (for discovery).
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Turns credentials into a principal.
    async fn authenticate(&self, credentials: &Credentials) -> Result<Principal, RpcError> {
        match credentials {
            Credentials::Anonymous => Ok(Principal::Anonymous),
            Credentials::Session(token) => {
                let hash = crate::auth::token_hash(token);
                let admin = self
                    .services
                    .store
                    .session_admin(&hash)
                    .await
                    .map_err(store_failure)?
                    .ok_or_else(|| {
                        RpcError::unauthorized("your session has expired; sign in again")
                    })?;
                principal_of(admin, hash)
            }
            Credentials::Bearer(token) => {
                let grant = self
                    .services
                    .store
                    .api_token_grant(&crate::auth::token_hash(token))
                    .await
                    .map_err(store_failure)?
                    .ok_or_else(|| RpcError::unauthorized("the API token is unknown or revoked"))?;
                if grant.suspended {
                    return Err(RpcError::unauthorized(SUSPENDED));
                }
                if grant.expired_at(self.services.store.now_ms()) {
                    return Err(RpcError::unauthorized(
                        "the API token has expired; create a new one",
                    ));
                }
                Ok(Principal::Token {
                    token_id: grant.id,
                    tenant_id: grant.tenant_id,
                    scopes: grant.scopes,
                })
            }
        }
    }
}

#[async_trait::async_trait]
impl app::gateway::Gateway for Gateway {
    async fn call(
        &self,
        credentials: Credentials,
        method: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, RpcError> {
        self.run(credentials, method, params).await
    }
}

impl Gateway {
    /// Runs one call and records it in the method statistics: what the trait's `call` does,
    /// without boxing the call's future (the JSON-RPC route calls this directly).
    pub async fn run(
        &self,
        credentials: Credentials,
        method: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, RpcError> {
        let started = std::time::Instant::now();
        let result = if method == "rpc.discover" {
            Ok(discover::openrpc(&self.registry))
        } else {
            self.dispatch(credentials, method, params).await
        };
        let name = if method == "rpc.discover" || self.registry.get(method).is_some() {
            method
        } else {
            "<unknown>"
        };
        let outcome = match &result {
            Ok(_) => std::borrow::Cow::Borrowed("ok"),
            Err(e) => std::borrow::Cow::Owned(e.code.to_string()),
        };
        let millis = started.elapsed().as_secs_f64() * 1e3;
        self.services.method_stats.record(name, &outcome, millis);
        result
    }
}

impl Gateway {
    /// Finds the method and runs it behind its server's and the database's circuit breakers.
    async fn dispatch(
        &self,
        credentials: Credentials,
        method: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, RpcError> {
        let spec = self.registry.get(method).ok_or_else(|| {
            let shown: String = method.chars().take(64).collect();
            RpcError::new(
                codes::METHOD_NOT_FOUND,
                format!("method {shown:?} does not exist"),
            )
        })?;
        // Hostile input is refused here, before any breaker, store or handler sees it.
        crate::input::json("", &params).map_err(invalid_input)?;
        let server = discover::server_of(method);
        // An open breaker answers at once; a half-open one lets the next *admitted* call
        // probe, so a caller refused for its credentials, role, scope or limit neither takes
        // the probe slot nor counts as a success.
        self.circuits.peek(server)?;
        let ctx = match self.authorize(spec, &credentials).await {
            Ok(ctx) => ctx,
            Err(e) => {
                if e.downstream() == Some(guard::DATABASE) {
                    self.circuits.note_database_outage(&e.message);
                }
                return Err(e);
            }
        };
        let guard = self.circuits.admit(server)?;
        let call = crate::telemetry::CallContext {
            method: spec.name,
            tenant: ctx.tenant_id().ok(),
        };
        let result =
            crate::telemetry::in_call(call, (spec.handler)(self.services.clone(), ctx, params))
                .await;
        guard.settle(&result);
        result
    }

    /// Authenticates, checks access (and an API token's scope) and the tenant's limit; the
    /// context the handler runs with.
    async fn authorize(
        &self,
        spec: &registry::MethodSpec,
        credentials: &Credentials,
    ) -> Result<Ctx, RpcError> {
        let method = spec.name;
        let principal = self.authenticate(credentials).await?;
        match (spec.access, &principal) {
            (Access::Public, _) => {}
            (_, Principal::Anonymous) => {
                return Err(RpcError::unauthorized(format!(
                    "{method} needs a signed-in admin or an API token"
                )));
            }
            (Access::Admin | Access::Owner | Access::Account, Principal::Token { .. }) => {
                return Err(RpcError::new(
                    codes::FORBIDDEN,
                    format!("{method} needs a signed-in admin, not an API token"),
                ));
            }
            (Access::Platform, Principal::Token { .. }) => {
                return Err(not_platform(method));
            }
            (Access::Platform, Principal::Admin(a)) if !a.platform => {
                return Err(not_platform(method));
            }
            (Access::Admin | Access::Owner | Access::Tenant, Principal::Platform(_)) => {
                return Err(switch_first());
            }
            (Access::Owner, Principal::Admin(a)) if a.role != AdminRole::Owner => {
                return Err(RpcError::new(
                    codes::FORBIDDEN,
                    format!(
                        "{method} is for the business owner; staff accounts cannot change it — ask your owner"
                    ),
                ));
            }
            (Access::Tenant, Principal::Token { scopes, .. })
                if !scopes.contains(&spec.scope()) =>
            {
                return Err(lacks_scope(spec.scope(), method));
            }
            _ => {}
        }
        let tenant = match &principal {
            Principal::Admin(a) => Some(a.tenant_id),
            Principal::Token { tenant_id, .. } => Some(*tenant_id),
            Principal::Platform(_) | Principal::Anonymous => None,
        };
        if let Some(t) = tenant {
            self.services
                .limits
                .tenant(t)
                .map_err(|wait| rate_limited("too many requests for this tenant", wait))?;
        }
        let request_id =
            crate::http::request_id::current().unwrap_or_else(crate::http::request_id::generate);
        Ok(Ctx {
            principal,
            request_id,
        })
    }
}
