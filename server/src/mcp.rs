//! The standard MCP endpoint `/mcp` (Streamable HTTP, with the official SDK rmcp). Every
//! gateway method an API token may call is an MCP tool with the method's JSON Schema;
//! `tools/list` offers those the token's scopes allow. A tool call runs through the same
//! gateway (access, scopes, limits, breakers, metrics) as JSON-RPC, and a gateway error comes
//! back as a tool error carrying its code, message and data.

use crate::gateway::{Access, Effect, Gateway};
use app::contract::Scope;
use app::gateway::{Credentials, Gateway as _};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{json, Value};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Path of the endpoint.
pub const PATH: &str = "/mcp";

/// The MCP tool name of a gateway method: dots become underscores, because many MCP clients
/// (and the LLM function-calling APIs behind them) accept only `[A-Za-z0-9_-]`.
pub fn tool_name(method: &str) -> String {
    method.replace('.', "_")
}

/// The MCP server: the gateway seen as tools.
#[derive(Clone)]
pub struct McpTools {
    gateway: Gateway,
}

impl McpTools {
    /// The scopes of the request's API token; none without one.
    async fn scopes(&self, caller: Credentials) -> Result<Vec<Scope>, ErrorData> {
        let Credentials::Bearer(token) = caller else {
            return Ok(Vec::new());
        };
        match self
            .gateway
            .services()
            .store
            .api_token_grant(&crate::auth::token_hash(&token))
            .await
        {
            Ok(grant) => Ok(grant.map(|g| g.scopes).unwrap_or_default()),
            Err(e) => {
                tracing::error!(error = %e, "MCP tools/list: database failed");
                Err(ErrorData::internal_error(
                    "the database failed; try again",
                    None,
                ))
            }
        }
    }

    /// The methods an API token may call (whatever its scopes).
    fn exposed(&self) -> impl Iterator<Item = &crate::gateway::registry::MethodSpec> {
        self.gateway
            .registry()
            .iter()
            .filter(|m| m.access == Access::Tenant)
    }

    fn tool(spec: &crate::gateway::registry::MethodSpec) -> Tool {
        let input: JsonObject = match &spec.params_schema {
            Value::Object(o) => o.clone(),
            _ => JsonObject::new(),
        };
        let mut annotations = ToolAnnotations::new();
        let read_only = spec.effect == Effect::Read;
        annotations.idempotent_hint = Some(spec.effect.safe_to_retry());
        annotations.read_only_hint = Some(read_only);
        annotations.destructive_hint = Some(!read_only);
        annotations.open_world_hint = Some(false);
        let mut tool = Tool::new(tool_name(spec.name), spec.description, Arc::new(input))
            .with_title(spec.name)
            .with_annotations(annotations);
        if let Value::Object(output) = &spec.result_schema {
            if output.get("type") == Some(&json!("object")) {
                tool = tool.with_raw_output_schema(Arc::new(output.clone()));
            }
        }
        tool
    }
}

/// The bearer token of the HTTP request behind an MCP request.
fn credentials(ctx: &RequestContext<RoleServer>) -> Credentials {
    ctx.extensions
        .get::<http::request::Parts>()
        .and_then(|parts| crate::auth::bearer(&parts.headers))
        .map(|t| Credentials::Bearer(t.to_owned()))
        .unwrap_or(Credentials::Anonymous)
}

impl ServerHandler for McpTools {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("slotline", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Appointments of one business (the API token's tenant): find, change, cancel \
                 and confirm appointments by the customer's phone number, check free slots and \
                 book. Times are understood in the business's time zone.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let caller = credentials(&ctx);
        let scopes = self.scopes(caller).await?;
        Ok(ListToolsResult::with_all_items(
            self.exposed()
                .filter(|m| scopes.contains(&m.scope()))
                .map(Self::tool)
                .collect(),
        ))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let Some(spec) = self.exposed().find(|m| tool_name(m.name) == request.name) else {
            return Err(ErrorData::invalid_params(
                format!("there is no tool {:?}; tools/list names them", request.name),
                None,
            ));
        };
        let params = Value::Object(request.arguments.unwrap_or_default());
        let result = match self
            .gateway
            .call(credentials(&ctx), spec.name, params)
            .await
        {
            Ok(value) => {
                let text = ContentBlock::text(value.to_string());
                let mut result = CallToolResult::success(vec![text]);
                if value.is_object() {
                    result.structured_content = Some(value);
                }
                result
            }
            Err(e) => {
                let mut result = CallToolResult::error(vec![ContentBlock::text(e.message.clone())]);
                result.structured_content =
                    Some(json!({ "code": e.code, "message": e.message, "data": e.data }));
                result
            }
        };
        Ok(result.into())
    }
}

/// Why a request without a usable token is refused.
const NO_TOKEN: &str = "send Authorization: Bearer <API token>; create one with \
                        `slotline token create --tenant <tenant>`";
/// Why a request with an expired token is refused.
const EXPIRED: &str = "the API token has expired; create a new one on the API access page or \
                       with `slotline token create --tenant <tenant>`";

/// Refuses requests without a valid, unexpired API token of an active tenant with 401 before
/// MCP sees them.
async fn require_token(State(gateway): State<Gateway>, req: Request, next: Next) -> Response {
    let refusal = match crate::auth::bearer(req.headers()) {
        Some(token) => gateway
            .services()
            .store
            .api_token_grant(&crate::auth::token_hash(token))
            .await
            .map(|grant| match grant {
                Some(g) if g.suspended => Some(crate::gateway::SUSPENDED),
                Some(g) if g.expired_at(gateway.services().store.now_ms()) => Some(EXPIRED),
                Some(_) => None,
                None => Some(NO_TOKEN),
            }),
        None => Ok(Some(NO_TOKEN)),
    };
    match refusal {
        Ok(None) => next.run(req).await,
        Ok(Some(reason)) => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            axum::Json(json!({ "error": reason })),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "MCP token check: database failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(json!({ "error": "the database failed; try again" })),
            )
                .into_response()
        }
    }
}

/// The `/mcp` routes, accepting the public URL's host besides loopback, and the token that
/// ends open MCP streams at shutdown.
///
/// DNS-rebinding protection (MCP transport security): a request that carries an `Origin` header
/// (a browser's) is refused with 403 unless it comes from the public URL or from loopback;
/// server-side clients such as Retell send none and are not affected.
pub fn routes(gateway: Gateway, public_url: &str) -> (Router, CancellationToken) {
    let mut hosts = vec!["localhost".to_owned(), "127.0.0.1".into(), "::1".into()];
    let mut origins = vec![
        "http://localhost:*".to_owned(),
        "http://127.0.0.1:*".into(),
        "http://[::1]:*".into(),
    ];
    if let Ok(url) = url::Url::parse(public_url) {
        if let Some(host) = url.host_str() {
            hosts.push(host.to_owned());
            if let Some(port) = url.port() {
                hosts.push(format!("{host}:{port}"));
            }
            if let Some(port) = url.port_or_known_default() {
                origins.push(format!("{}://{host}:{port}", url.scheme()));
            }
        }
    }
    // Stateless: no Mcp-Session-Id, every POST is answered on its own (with a JSON body), so
    // any instance behind a load balancer can take any call; sessions lived in one
    // instance's memory. Slotline never sends the client anything unasked, which is all a
    // session's streams were for.
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_allowed_hosts(hosts)
        .with_allowed_origins(origins)
        .enforce_origin_validation();
    let stop = config.cancellation_token.clone();
    let tools = McpTools {
        gateway: gateway.clone(),
    };
    let service: StreamableHttpService<McpTools, LocalSessionManager> =
        StreamableHttpService::new(move || Ok(tools.clone()), Default::default(), config);
    let router = Router::new()
        .nest_service(PATH, service)
        .layer(axum::middleware::from_fn_with_state(gateway, require_token));
    (router, stop)
}
