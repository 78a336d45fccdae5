//! Caching of the built site under `/pkg/` (the WASM modules, their loader, JS and CSS).
//! The files keep their names from one release to the next, and the page chunks of one
//! release do not fit the main module of another, so the browser must revalidate them
//! (`no-cache`: a conditional request, usually answered 304) instead of guessing a lifetime
//! from `Last-Modified` and mixing two releases after an upgrade.

use axum::http::{header, HeaderValue};
use axum::response::Response;

/// Where the site's built files are served.
pub const PKG_PREFIX: &str = "/pkg/";

/// Marks an answer under `/pkg/` `Cache-Control: no-cache` (the front door calls it).
pub fn mark_revalidate(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
}
