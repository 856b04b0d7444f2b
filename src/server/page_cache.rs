//! A micro-cache for the public landing pages that anonymous visitors open with a
//! referral link (`/`, `/marketplace`, `/marketplace/<slug>`). Their HTML does not depend
//! on the visitor or the query string, only on the host (branding) and path, so a render
//! is reused for a few seconds. Capture (clicks, cookies) sits outside this layer and
//! still runs on every request. Signed-in visitors always get a fresh render.
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{HOST, SET_COOKIE};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use super::auth::cookies::{self, SESSION_COOKIE};
use super::state::AppState;
use super::ttl_cache::TtlCache;

pub const PAGE_TTL: Duration = Duration::from_secs(5);
const MAX_PAGE: usize = 512 * 1024;

/// Only what a page response needs: a hit rebuilds the response from these.
#[derive(Clone)]
pub struct CachedPage {
    headers: HeaderMap,
    body: axum::body::Bytes,
}

pub type PageCache = TtlCache<CachedPage>;

pub async fn serve_cached(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(key) = cache_key(&req) else {
        return next.run(req).await;
    };
    if let Some(page) = state.page_cache.get(&key) {
        let mut response = Response::new(Body::from(page.body));
        *response.headers_mut() = page.headers;
        return response;
    }
    let response = next.run(req).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(SET_COOKIE) {
        return response;
    }
    let (parts, body) = response.into_parts();
    match to_bytes(body, MAX_PAGE).await {
        Ok(body) => {
            state.page_cache.insert(key, CachedPage { headers: parts.headers.clone(), body: body.clone() });
            Response::from_parts(parts, Body::from(body))
        }
        Err(_) => Response::from_parts(parts, Body::empty()),
    }
}

/// Host + path for a cacheable anonymous page view; None for everything else.
fn cache_key(req: &Request) -> Option<String> {
    if req.method() != Method::GET || cookies::read(req.headers(), SESSION_COOKIE).is_some() {
        return None;
    }
    let path = req.uri().path();
    let listing = path.strip_prefix("/marketplace/").is_some_and(|s| !s.is_empty() && !s.contains('/'));
    if !(path == "/" || path == "/marketplace" || listing) {
        return None;
    }
    let host = req.headers().get(HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    Some(format!("{host}{path}"))
}
