//! Cross-site request refusal (CSRF): a request that may change something (any method but
//! GET, HEAD, OPTIONS and TRACE) and would act with the admin session cookie — it carries the
//! cookie and no bearer token — must come from Slotline's own pages. The browser's `Origin`
//! decides; without it, `Sec-Fetch-Site`; a request with neither (curl, scripts: no browser
//! attached the cookie on its own) passes. Refusals are 403 with a JSON body.
//!
//! A bearer token exempts the request although the UI's server functions read only the
//! cookie: a page on another site cannot make the browser send an `Authorization` header
//! without a CORS preflight, which Slotline never grants.

use crate::gateway::jsonrpc::credentials;
use app::gateway::Credentials;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Where Slotline's own pages are served from.
#[derive(Debug, Clone)]
pub struct SameOrigin {
    /// The public URL's origin (`scheme://host[:port]`, default port left out), if it parses.
    public: Option<std::sync::Arc<str>>,
}

/// Why a cookie-authenticated request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CrossSite {
    /// `Origin` names neither the public URL nor the host the request was sent to.
    #[error(
        "this request came from another site, so it may not act with your Slotline session; \
         open Slotline at its own address and try again"
    )]
    Origin,
    /// `Sec-Fetch-Site` says the request was not made by Slotline's own pages.
    #[error(
        "your browser marked this request as coming from another site, so it may not act with \
         your Slotline session; open Slotline at its own address and try again"
    )]
    FetchSite,
}

impl IntoResponse for CrossSite {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": "cross_site", "message": self.to_string() });
        (StatusCode::FORBIDDEN, Json(body)).into_response()
    }
}

impl SameOrigin {
    /// From the public URL (`SLOTLINE_PUBLIC_URL`).
    pub fn new(public_url: &str) -> Self {
        let public = url::Url::parse(public_url)
            .ok()
            .map(|u| u.origin())
            .filter(url::Origin::is_tuple)
            .map(|o| o.ascii_serialization().into());
        Self { public }
    }

    /// Whether an `Origin` value names Slotline: exactly the public URL's origin, or the
    /// `host[:port]` this very request was sent to (its `Host`). The second comparison ignores
    /// the scheme on purpose: behind a TLS-terminating proxy the server cannot see whether
    /// the browser used https, and the host and port — which a page on another site cannot
    /// share — are what tell Slotline's pages from others.
    pub fn allows(&self, origin: &str, host: Option<&str>) -> bool {
        let Ok(parsed) = url::Url::parse(origin.trim()) else {
            return false;
        };
        let normalised = parsed.origin();
        if !normalised.is_tuple() {
            return false;
        }
        if self.public.as_deref() == Some(normalised.ascii_serialization().as_str()) {
            return true;
        }
        let Some(name) = parsed.host_str() else {
            return false;
        };
        let authority = match parsed.port() {
            Some(port) => format!("{name}:{port}"),
            None => name.to_owned(),
        };
        host.is_some_and(|h| h.trim().eq_ignore_ascii_case(&authority))
    }

    /// The verdict on one request; `host` is its `Host` (or HTTP/2 authority).
    pub fn check(
        &self,
        method: &Method,
        headers: &HeaderMap,
        host: Option<&str>,
    ) -> Result<(), CrossSite> {
        if method.is_safe() || !matches!(credentials(headers), Credentials::Session(_)) {
            return Ok(());
        }
        if let Some(origin) = headers.get(header::ORIGIN) {
            let text = origin.to_str().unwrap_or_default();
            return if self.allows(text, host) {
                Ok(())
            } else {
                let shown: String = text.chars().take(100).collect();
                tracing::warn!(origin = %shown, "cross-site request with the session cookie refused");
                Err(CrossSite::Origin)
            };
        }
        if let Some(site) = headers.get("sec-fetch-site") {
            let site = site.to_str().unwrap_or_default().trim();
            return if site.eq_ignore_ascii_case("same-origin") || site.eq_ignore_ascii_case("none")
            {
                Ok(())
            } else {
                tracing::warn!("request marked cross-site with the session cookie refused");
                Err(CrossSite::FetchSite)
            };
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    const COOKIE: (&str, &str) = ("cookie", "slotline_session=abc");

    #[test]
    fn origins_match_the_public_url_or_the_requests_own_host() {
        let same = SameOrigin::new("https://Slotline.example.com/");
        let host = Some("127.0.0.1:3000");
        assert!(same.allows("https://slotline.example.com", host));
        assert!(same.allows("https://slotline.example.com:443", host));
        assert!(same.allows("http://127.0.0.1:3000", host));
        assert!(
            same.allows("https://127.0.0.1:3000", host),
            "scheme-agnostic"
        );
        assert!(!same.allows("http://slotline.example.com", host));
        assert!(!same.allows("https://evil.example", host));
        assert!(!same.allows("http://127.0.0.1:3001", host));
        assert!(!same.allows("null", host));
        assert!(!same.allows("https://evil.example", None));
        assert!(same.allows("http://[::1]:3000", Some("[::1]:3000")));
    }

    #[test]
    fn only_unsafe_cookie_requests_without_bearer_are_judged() {
        let same = SameOrigin::new("https://slotline.test");
        let host = Some("127.0.0.1:3000");
        let foreign = ("origin", "https://evil.example");
        let post = Method::POST;
        assert_eq!(
            same.check(&post, &headers(&[COOKIE, foreign]), host),
            Err(CrossSite::Origin)
        );
        assert_eq!(
            same.check(&Method::GET, &headers(&[COOKIE, foreign]), host),
            Ok(())
        );
        assert_eq!(same.check(&post, &headers(&[foreign]), host), Ok(()));
        let bearer = ("authorization", "Bearer slt_x");
        assert_eq!(
            same.check(&post, &headers(&[COOKIE, bearer, foreign]), host),
            Ok(())
        );
        assert_eq!(same.check(&post, &headers(&[COOKIE]), host), Ok(()));
        assert_eq!(
            same.check(
                &post,
                &headers(&[COOKIE, ("origin", "http://127.0.0.1:3000")]),
                host
            ),
            Ok(())
        );
    }

    #[test]
    fn sec_fetch_site_decides_without_origin() {
        let same = SameOrigin::new("https://slotline.test");
        let post = Method::POST;
        for (site, ok) in [
            ("same-origin", true),
            ("none", true),
            ("same-site", false),
            ("cross-site", false),
        ] {
            let result = same.check(&post, &headers(&[COOKIE, ("sec-fetch-site", site)]), None);
            assert_eq!(result.is_ok(), ok, "{site}");
        }
        let both = headers(&[
            COOKIE,
            ("origin", "https://slotline.test"),
            ("sec-fetch-site", "cross-site"),
        ]);
        assert_eq!(same.check(&post, &both, None), Ok(()), "Origin wins");
    }
}
