//! Caching of the built site under `/pkg/` (the WASM modules, their loader, JS and CSS).
//! The files keep their names from one release to the next, and the page chunks of one
//! release do not fit the main module of another, so the browser must revalidate them
//! (`no-cache`: a conditional request, usually answered 304) instead of guessing a lifetime
//! from `Last-Modified` and mixing two releases after an upgrade.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// Where the site's built files are served.
pub const PKG_PREFIX: &str = "/pkg/";

/// The middleware: `Cache-Control: no-cache` on every answer under `/pkg/`.
pub async fn revalidate_pkg(request: Request, next: Next) -> Response {
    let pkg = request.uri().path().starts_with(PKG_PREFIX);
    let mut response = next.run(request).await;
    if pkg {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn cache_control(path: &str) -> Option<String> {
        let app = axum::Router::new()
            .route("/pkg/{file}", get(|| async { "wasm" }))
            .route("/admin", get(|| async { "page" }))
            .layer(axum::middleware::from_fn(revalidate_pkg));
        let response = app
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        response
            .headers()
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    #[tokio::test]
    async fn chunks_are_revalidated_and_pages_left_alone() {
        assert_eq!(
            cache_control("/pkg/chunk_12.wasm").await.as_deref(),
            Some("no-cache")
        );
        assert_eq!(cache_control("/admin").await, None);
    }
}
