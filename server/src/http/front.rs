//! The front door: the one middleware every request passes before it is routed. It gives
//! the request its id (echoed in `x-request-id`), refuses a cross-site request that would act
//! with the session cookie, counts the request against its client's quota — which quota
//! follows from the path ([`quota`]) — marks the site's built files `no-cache`, and logs
//! every answer the server failed (5xx).
//!
//! One hand-written service in front of the router instead of a stack of `from_fn` layers:
//! axum applies a router's layers to every route, and each such layer cloned and boxed the
//! route and its future on every request (docs/decisions.md, "The front door").

use super::origin::SameOrigin;
use super::{assets, limit, request_id};
use crate::limits::Limits;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

/// Which per-client quota a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quota {
    /// None: the site's built files (a page's first visit fetches ~100 WASM chunks) and the
    /// operator routes (probes, metrics, calendar feeds, opt-out links).
    Free,
    /// The client quota: the gateway, MCP, the live stream, the pages and their server
    /// functions, and any path no route serves.
    Client,
    /// Retell's higher quota: the webhook and the custom functions.
    Retell,
}

/// Whether `path` is `prefix` followed by one non-empty segment.
fn one_segment_under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
}

/// The quota of a request path: exactly the routes that serve each kind of caller.
pub fn quota(path: &str) -> Quota {
    if path == "/api/webhooks/retell"
        || one_segment_under(path, "/api/mcp/gateway/retell/functions/")
    {
        return Quota::Retell;
    }
    let free = path.starts_with(assets::PKG_PREFIX)
        || matches!(path, "/healthz" | "/readyz" | "/metrics")
        || path == crate::test_clock::ROUTE
        || one_segment_under(path, "/calendar/")
        || one_segment_under(path, "/notifications/opt-out/");
    if free {
        Quota::Free
    } else {
        Quota::Client
    }
}

/// The path as it may appear in a log line: the routes whose last segment is a secret (a
/// calendar feed's or an opt-out link's token) keep only their prefix; long paths are cut.
fn loggable(path: &str) -> &str {
    for secret in ["/calendar/", "/notifications/opt-out/"] {
        if path.starts_with(secret) {
            return secret;
        }
    }
    match path.char_indices().nth(100) {
        Some((cut, _)) => &path[..cut],
        None => path,
    }
}

/// The router behind its front door; a clone shares both.
#[derive(Clone)]
pub struct Front {
    router: Router,
    checks: Arc<Checks>,
}

/// What the front door checks requests against.
struct Checks {
    same_origin: SameOrigin,
    limits: Limits,
}

impl Front {
    /// The front door of `router`.
    pub fn new(router: Router, same_origin: SameOrigin, limits: Limits) -> Self {
        Self {
            router,
            checks: Arc::new(Checks {
                same_origin,
                limits,
            }),
        }
    }

    /// The service answering one connection from `peer`.
    pub fn connection(&self, peer: Option<SocketAddr>) -> Connection {
        Connection {
            router: self.router.clone(),
            checks: self.checks.clone(),
            client: peer.map(|p| p.ip()),
        }
    }

    /// Answers one request from `peer` (tests and in-process callers; the server uses
    /// [`Front::connection`] per connection).
    pub async fn answer(&self, peer: Option<SocketAddr>, request: Request) -> Response {
        let mut connection = self.connection(peer);
        match tower::Service::call(&mut connection, request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    }
}

/// The front door of one connection.
#[derive(Clone)]
pub struct Connection {
    router: Router,
    checks: Arc<Checks>,
    client: Option<std::net::IpAddr>,
}

/// The answer future of [`Connection`].
pub type Answer = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

impl tower::Service<Request> for Connection {
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        tower::Service::<Request>::poll_ready(&mut self.router, cx)
    }

    fn call(&mut self, request: Request) -> Answer {
        let started = Instant::now();
        let id = request_id::of(&request);
        let path = request.uri().path();
        let quota = quota(path);
        let pkg = quota == Quota::Free && path.starts_with(assets::PKG_PREFIX);
        let method = request.method().clone();
        let uri = request.uri().clone();
        let client = self.client;
        let routed = match self.refusal(&request, quota) {
            Some(refusal) => Err(refusal),
            None => Ok(tower::Service::call(&mut self.router, request)),
        };
        Box::pin(async move {
            let mut response = match routed {
                Ok(future) => {
                    let scoped = limit::scope(client, future);
                    match request_id::scope(id.clone(), scoped).await {
                        Ok(response) => response,
                        Err(never) => match never {},
                    }
                }
                Err(refusal) => refusal,
            };
            if pkg {
                assets::mark_revalidate(&mut response);
            }
            let shown = id.to_str().unwrap_or_default();
            finished(
                &method,
                loggable(uri.path()),
                shown,
                response.status(),
                started,
            );
            response.headers_mut().insert(request_id::HEADER, id);
            Ok(response)
        })
    }
}

impl Connection {
    /// The answer refusing the request before it is routed, if any.
    fn refusal(&self, request: &Request, quota: Quota) -> Option<Response> {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .or_else(|| request.uri().authority().map(|a| a.as_str()));
        if let Err(refusal) =
            self.checks
                .same_origin
                .check(request.method(), request.headers(), host)
        {
            return Some(refusal.into_response());
        }
        let ip = self.client?;
        let counted = match quota {
            Quota::Free => return None,
            Quota::Client => self.checks.limits.ip(ip),
            Quota::Retell => self.checks.limits.retell_ip(ip),
        };
        counted.err().map(|wait| limit::too_many(ip, wait))
    }
}

/// Logs the answer: at debug level always, at error level when the server failed it.
fn finished(
    method: &axum::http::Method,
    path: &str,
    id: &str,
    status: StatusCode,
    started: Instant,
) {
    let millis = started.elapsed().as_secs_f64() * 1e3;
    if status.is_server_error() {
        tracing::error!(%method, path, status = status.as_u16(), millis, request_id = id, "request failed");
    } else {
        tracing::debug!(%method, path, status = status.as_u16(), millis, request_id = id, "request finished");
    }
}

/// Hands every accepted connection its [`Connection`] (what `axum::serve` takes in place of
/// `Router::into_make_service_with_connect_info`).
#[derive(Clone)]
pub struct Connections(pub Front);

impl<'a, L> tower::Service<axum::serve::IncomingStream<'a, L>> for Connections
where
    L: axum::serve::Listener<Addr = SocketAddr>,
{
    type Response = Connection;
    type Error = Infallible;
    type Future = std::future::Ready<Result<Connection, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, stream: axum::serve::IncomingStream<'a, L>) -> Self::Future {
        std::future::ready(Ok(self.0.connection(Some(*stream.remote_addr()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::{get, post};

    fn front(ip_per_min: u32) -> Front {
        let router = Router::new()
            .route("/pkg/{file}", get(|| async { "wasm" }))
            .route("/admin", get(|| async { "page" }))
            .route(
                "/api/mcp/gateway",
                post(|| async { request_id::current().unwrap_or_default() }),
            )
            .route(
                "/broken",
                get(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
            );
        let settings = crate::limits::LimitSettings {
            ip_per_min,
            ..Default::default()
        };
        Front::new(
            router,
            SameOrigin::new("https://slotline.test"),
            Limits::new(settings),
        )
    }

    fn peer() -> Option<SocketAddr> {
        Some("192.0.2.7:50000".parse().unwrap())
    }

    fn header_of(response: &Response, name: &str) -> Option<String> {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    #[tokio::test]
    async fn built_files_are_revalidated_and_pages_left_alone() {
        let front = front(1_000);
        let chunk = Request::get("/pkg/chunk_12.wasm")
            .body(Body::empty())
            .unwrap();
        let page = Request::get("/admin").body(Body::empty()).unwrap();
        let chunk = front.answer(peer(), chunk).await;
        let page = front.answer(peer(), page).await;
        assert_eq!(
            header_of(&chunk, "cache-control").as_deref(),
            Some("no-cache")
        );
        assert_eq!(header_of(&page, "cache-control"), None);
        assert_eq!(page.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn the_request_id_is_kept_or_made_and_seen_by_the_handler() {
        let front = front(1_000);
        let sent = Request::post("/api/mcp/gateway")
            .header(request_id::HEADER, "abc-123")
            .body(Body::empty())
            .unwrap();
        let response = front.answer(peer(), sent).await;
        assert_eq!(
            header_of(&response, request_id::HEADER).as_deref(),
            Some("abc-123")
        );
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        assert_eq!(
            &body[..],
            b"abc-123",
            "the handler runs in the request's scope"
        );
        let bare = Request::post("/api/mcp/gateway")
            .body(Body::empty())
            .unwrap();
        let made = header_of(&front.answer(peer(), bare).await, request_id::HEADER).unwrap();
        assert_eq!(made.len(), 16);
    }

    #[tokio::test]
    async fn pages_use_up_the_quota_and_built_files_do_not() {
        // Two a minute, a burst of 100 (the floor): 250 chunks, then the burst of pages.
        let front = front(2);
        for _ in 0..250 {
            let chunk = Request::get("/pkg/a.wasm").body(Body::empty()).unwrap();
            assert_eq!(front.answer(peer(), chunk).await.status(), StatusCode::OK);
        }
        for n in 0..100 {
            let page = Request::get("/admin").body(Body::empty()).unwrap();
            assert_eq!(
                front.answer(peer(), page).await.status(),
                StatusCode::OK,
                "page {n}"
            );
        }
        let page = Request::get("/admin").body(Body::empty()).unwrap();
        let refused = front.answer(peer(), page).await;
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(header_of(&refused, "retry-after").is_some());
        assert!(header_of(&refused, request_id::HEADER).is_some());
        let other = Some("192.0.2.8:50000".parse().unwrap());
        let page = Request::get("/admin").body(Body::empty()).unwrap();
        assert_eq!(front.answer(other, page).await.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn cross_site_cookie_requests_are_refused_before_routing() {
        let front = front(1_000);
        let sent = Request::post("/api/mcp/gateway")
            .header("cookie", "slotline_session=abc")
            .header("origin", "https://evil.example")
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            front.answer(peer(), sent).await.status(),
            StatusCode::FORBIDDEN
        );
        let broken = Request::get("/broken").body(Body::empty()).unwrap();
        assert_eq!(
            front.answer(peer(), broken).await.status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn each_route_counts_against_its_callers_quota() {
        for (path, expected) in [
            ("/api/webhooks/retell", Quota::Retell),
            (
                "/api/mcp/gateway/retell/functions/check_availability",
                Quota::Retell,
            ),
            ("/api/mcp/gateway/retell/functions/a/b", Quota::Client),
            ("/api/mcp/gateway/retell/functions/", Quota::Client),
            ("/api/webhooks/retell/", Quota::Client),
            ("/api/mcp/gateway", Quota::Client),
            ("/mcp", Quota::Client),
            ("/api/live", Quota::Client),
            ("/admin", Quota::Client),
            ("/api/some_server_fn", Quota::Client),
            ("/no/such/page", Quota::Client),
            ("/pkg/chunk_12.wasm", Quota::Free),
            ("/healthz", Quota::Free),
            ("/readyz", Quota::Free),
            ("/metrics", Quota::Free),
            ("/calendar/abc.ics", Quota::Free),
            ("/notifications/opt-out/tok", Quota::Free),
            ("/calendar/", Quota::Client),
        ] {
            assert_eq!(quota(path), expected, "{path}");
        }
    }

    #[test]
    fn secret_bearing_paths_are_logged_without_their_token() {
        assert_eq!(loggable("/calendar/s3cret.ics"), "/calendar/");
        assert_eq!(
            loggable("/notifications/opt-out/s3cret"),
            "/notifications/opt-out/"
        );
        assert_eq!(loggable("/api/mcp/gateway"), "/api/mcp/gateway");
        let long = format!("/{}", "é".repeat(300));
        assert_eq!(loggable(&long).chars().count(), 100);
    }
}
