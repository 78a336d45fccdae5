//! `/mcp` `tools/call` (Streamable HTTP, as an MCP client sends it) of a read-only tool on the
//! bench tenant, beside a bare rmcp server with one echo tool and FastMCP's echo, same run.
//! Each client initializes (initialize, initialized; a session where the server keeps one)
//! on its own keep-alive connection; a second figure sends 4 concurrent calls from one client.

use crate::load::{closed_loop, Answer, Conn, Req, Run};
use crate::report::{Figure, Report};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

const CALLS: usize = 10_000;
const SHARED_CALLS: usize = 2_000;
const ACCEPT: &str = "application/json, text/event-stream";
const VERSION: &str = "2025-06-18";

/// One MCP server to measure.
pub struct Target {
    /// Name in the report.
    pub name: &'static str,
    /// Where it listens.
    pub addr: SocketAddr,
    /// The endpoint path.
    pub path: &'static str,
    /// Bearer token, if the server wants one.
    pub token: Option<String>,
    /// The tools/call params.
    pub call: serde_json::Value,
}

impl Target {
    fn req(&self, body: String) -> Req {
        let mut req = Req::post(self.path, body)
            .header("accept", ACCEPT)
            .header("mcp-protocol-version", VERSION);
        if let Some(token) = &self.token {
            req = req.header("authorization", &format!("Bearer {token}"));
        }
        req
    }

    /// Opens a session: initialize, then notifications/initialized; returns its id.
    async fn session(&self) -> Result<Option<String>, String> {
        let mut conn = Conn::open(self.addr).await?;
        let init = serde_json::json!({
            "jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": {"protocolVersion": VERSION, "capabilities": {},
                       "clientInfo": {"name": "slotline-bench", "version": "1"}}
        });
        let answer = conn.send(&self.req(init.to_string())).await?;
        if answer.status != 200 {
            return Err(format!(
                "{}: initialize answered HTTP {}: {}",
                self.name,
                answer.status,
                String::from_utf8_lossy(&answer.body)
            ));
        }
        let session = answer
            .headers
            .get("mcp-session-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut done = self.req(
            serde_json::json!({"jsonrpc": "2.0", "method": "notifications/initialized"})
                .to_string(),
        );
        if let Some(id) = &session {
            done = done.header("mcp-session-id", id);
        }
        let answer = conn.send(&done).await?;
        if !(200..300).contains(&answer.status) {
            return Err(format!(
                "{}: initialized answered HTTP {}",
                self.name, answer.status
            ));
        }
        Ok(session)
    }

    /// `n` tools/call requests, each with its own JSON-RPC id (as a client numbers them).
    fn calls(&self, n: usize) -> Arc<Vec<Req>> {
        Arc::new(
            (0..n)
                .map(|i| {
                    let body = serde_json::json!({
                        "jsonrpc": "2.0", "id": i + 1, "method": "tools/call", "params": self.call
                    });
                    self.req(body.to_string())
                })
                .collect(),
        )
    }

    /// Closed loop, each client initialized on its own.
    async fn throughput(&self, clients: usize, n: usize) -> Result<Run, String> {
        let mut headers = Vec::new();
        for _ in 0..clients {
            let session = self.session().await?;
            headers.push(
                session
                    .map(|s| vec![("mcp-session-id".to_owned(), s)])
                    .unwrap_or_default(),
            );
        }
        Ok(closed_loop(
            self.addr,
            clients,
            self.calls(n),
            headers,
            call_check,
            Duration::from_secs(120),
        )
        .await)
    }

    /// Closed loop with `clients` connections of one initialized client (sharing its session, if any).
    async fn shared(&self, clients: usize, n: usize) -> Result<Run, String> {
        let session = self.session().await?;
        let headers = session
            .map(|s| vec![("mcp-session-id".to_owned(), s)])
            .unwrap_or_default();
        Ok(closed_loop(
            self.addr,
            clients,
            self.calls(n),
            vec![headers; clients],
            call_check,
            Duration::from_secs(120),
        )
        .await)
    }
}

/// A tools/call answer must carry a result that is not a tool error (JSON or one SSE event).
fn call_check(a: &Answer) -> Result<(), String> {
    let text = String::from_utf8_lossy(&a.body);
    if a.status != 200 || !text.contains("\"result\"") || text.contains("\"isError\":true") {
        return Err(format!(
            "HTTP {}: {}",
            a.status,
            text.chars().take(300).collect::<String>()
        ));
    }
    Ok(())
}

fn describe(run: &Run) -> String {
    format!(
        "{:.0} calls/s, p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms",
        run.rate(),
        run.ms(0.5),
        run.ms(0.99),
        run.max_ms()
    )
}

/// Measures and adds the figures; `fastmcp` is None when it could not be started (named).
pub async fn run(
    report: &mut Report,
    slotline: &Target,
    bare: &Target,
    fastmcp: Result<&Target, String>,
) {
    let clients = crate::gateway::CLIENTS;
    // Warm-up.
    for target in [slotline, bare] {
        if let Err(e) = target.throughput(4, 500).await {
            report.unmeasured(target.name, "—", &e);
            return;
        }
    }
    let bare_run = match bare.throughput(clients, CALLS).await {
        Ok(run) => run,
        Err(e) => return report.unmeasured(bare.name, "baseline", &e),
    };
    let ours = match slotline.throughput(clients, CALLS).await {
        Ok(run) => run,
        Err(e) => return report.unmeasured(slotline.name, "≥ 10 × FastMCP", &e),
    };
    let fast = match fastmcp {
        Ok(target) => {
            let _ = target.throughput(4, 200).await;
            target.throughput(clients, CALLS / 5).await
        }
        Err(e) => Err(e),
    };
    // The same method over JSON-RPC, same clients: what /mcp should cost about the same as.
    let rpc = Req::post(
        "/api/mcp/gateway",
        r#"{"jsonrpc":"2.0","id":1,"method":"tenant.get"}"#,
    )
    .header(
        "authorization",
        &format!("Bearer {}", slotline.token.as_deref().unwrap_or_default()),
    );
    let rpc_run = closed_loop(
        slotline.addr,
        clients,
        Arc::new(vec![rpc; CALLS]),
        Vec::new(),
        call_check,
        Duration::from_secs(120),
    )
    .await;
    let failures = crate::report::failures([&bare_run, &ours, &rpc_run].into_iter());
    report.add(Figure {
        name: format!("{} (baseline)", bare.name),
        value: describe(&bare_run),
        target: "baseline".into(),
        pass: None,
        note: String::new(),
    });
    match &fast {
        Ok(run) => report.add(Figure {
            name: "FastMCP 4.1.6 (Python) echo tool (baseline)".into(),
            value: describe(run),
            target: "baseline".into(),
            pass: None,
            note: crate::report::failures(std::iter::once(run)),
        }),
        Err(e) => report.unmeasured("FastMCP 4.1.6 (Python) echo tool (baseline)", "baseline", e),
    }
    let fast_rate = fast.as_ref().map(Run::rate).unwrap_or(f64::NAN);
    report.add(Figure {
        name: slotline.name.to_string(),
        value: format!(
            "{} = {:.2} × bare rmcp, {:.0} × FastMCP",
            describe(&ours),
            ours.rate() / bare_run.rate(),
            ours.rate() / fast_rate
        ),
        target: "≥ 10 × FastMCP".into(),
        pass: Some(ours.rate() >= 10.0 * fast_rate && failures.is_empty()),
        note: failures,
    });
    report.add(Figure {
        name: "the same method (`tenant.get`) over JSON-RPC, same token and clients".into(),
        value: describe(&rpc_run),
        target: "—".into(),
        pass: None,
        note: String::new(),
    });
    report.add(Figure {
        name: "`/mcp` p50 against JSON-RPC p50".into(),
        value: format!(
            "{:.2} ms vs {:.2} ms = {:.1} ×",
            ours.ms(0.5),
            rpc_run.ms(0.5),
            ours.ms(0.5) / rpc_run.ms(0.5)
        ),
        target: "≤ 2 × (about the same time)".into(),
        pass: Some(ours.ms(0.5) <= 2.0 * rpc_run.ms(0.5)),
        note: String::new(),
    });
    match slotline.shared(4, SHARED_CALLS).await {
        Ok(run) => {
            let ok = run.failed == 0 && run.max_ms() < 1_000.0;
            report.add(Figure {
                name: "`/mcp` 4 concurrent calls from one client".into(),
                value: describe(&run),
                target: "no call waits (max < 1 s)".into(),
                pass: Some(ok),
                note: crate::report::failures(std::iter::once(&run)),
            })
        }
        Err(e) => report.unmeasured("`/mcp` 4 concurrent calls from one client", "max < 1 s", &e),
    }
}

/// The bare comparison server: rmcp's Streamable HTTP service with one echo tool, default
/// settings, served by axum with TCP_NODELAY like slotline.
pub async fn serve_bare(addr: SocketAddr) {
    use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
    use rmcp::transport::streamable_http_server::{
        StreamableHttpServerConfig, StreamableHttpService,
    };
    let service: StreamableHttpService<Echo, LocalSessionManager> = StreamableHttpService::new(
        || Ok(Echo),
        Default::default(),
        StreamableHttpServerConfig::default(),
    );
    let router = axum::Router::new().nest_service("/mcp", service);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .expect("bind the bare rmcp server");
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, router).await.expect("serve");
}

/// One tool, `echo`, that returns its `text`.
#[derive(Clone)]
struct Echo;

impl rmcp::ServerHandler for Echo {
    fn get_info(&self) -> rmcp::model::ServerConfig {
        rmcp::model::ServerConfig::new(
            rmcp::model::ServerCapabilities::builder()
                .enable_tools()
                .build(),
        )
    }

    async fn list_tools(
        &self,
        _request: Option<rmcp::model::PaginatedRequestParams>,
        _ctx: rmcp::service::RequestContext<rmcp::RoleServer>,
    ) -> Result<rmcp::model::ListToolsResult, rmcp::ErrorData> {
        let schema = serde_json::json!({
            "type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]
        });
        let schema = match schema {
            serde_json::Value::Object(o) => o,
            _ => Default::default(),
        };
        Ok(rmcp::model::ListToolsResult::with_all_items(vec![
            rmcp::model::Tool::new("echo", "Returns the text it was given.", Arc::new(schema)),
        ]))
    }

    async fn call_tool(
        &self,
        request: rmcp::model::CallToolRequestParams,
        _ctx: rmcp::service::RequestContext<rmcp::RoleServer>,
    ) -> Result<rmcp::model::CallToolResponse, rmcp::ErrorData> {
        let text = request
            .arguments
            .and_then(|a| a.get("text").and_then(|t| t.as_str()).map(str::to_owned))
            .unwrap_or_default();
        Ok(
            rmcp::model::CallToolResult::success(vec![rmcp::model::ContentBlock::text(text)])
                .into(),
        )
    }
}
