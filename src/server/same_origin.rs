//! Server functions are public HTTP endpoints that browsers send cookies to, so every
//! mutating request must come from our own pages. Browsers mark cross-site requests
//! with `Sec-Fetch-Site` (and `Origin`); we refuse those before anything runs.
use axum::extract::Request;
use axum::http::header::{AUTHORIZATION, HOST, ORIGIN};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The only endpoints that accept API tokens (and so may be called from other sites).
pub const BEARER_ENDPOINTS: &[&str] = &["/api/v1/referrals/track"];

pub async fn same_origin(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let bearer_call = uses_bearer_token(req.headers()) && BEARER_ENDPOINTS.contains(&req.uri().path());
    if safe || bearer_call || is_same_origin(req.headers()) {
        next.run(req).await
    } else {
        (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response()
    }
}

/// A bearer token is not ambient authority: a forged cross-site request can't carry it.
/// Such a request never authenticates by cookie either (`RequestCtx::session_token`).
pub fn uses_bearer_token(headers: &HeaderMap) -> bool {
    headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("Bearer "))
}

pub fn is_same_origin(headers: &HeaderMap) -> bool {
    let text = |name| headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    match (text(ORIGIN.as_str()), text(HOST.as_str())) {
        // Non-browser clients send neither header and carry no ambient cookies of a victim.
        (None, _) => true,
        (Some(origin), Some(host)) => {
            origin.split_once("://").is_some_and(|(_, origin_host)| origin_host == host)
        }
        (Some(_), None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "same-site")])));
    }

    #[test]
    fn origin_must_match_host_otherwise() {
        let ok = headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]);
        let evil = headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")]);
        assert!(is_same_origin(&ok));
        assert!(!is_same_origin(&evil));
        assert!(!is_same_origin(&headers(&[("origin", "null"), ("host", "a")])));
    }
}
