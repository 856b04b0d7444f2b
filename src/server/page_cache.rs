//! A micro-cache for the public landing pages that anonymous visitors open with a
//! referral link (`/`, `/marketplace`, `/marketplace/<slug>`). Their HTML does not depend
//! on the visitor or the query string, only on the host (branding) and path, so a render
//! is reused for a few seconds. Capture (clicks, cookies) sits outside this layer and
//! still runs on every request. Signed-in visitors always get a fresh render.
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{
    ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, HOST, SET_COOKIE, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use tower::{Service, ServiceExt};

use super::auth::cookies::{self, SESSION_COOKIE};
use super::compress;
use super::state::AppState;
use super::ttl_cache::TtlCache;

pub const PAGE_TTL: Duration = Duration::from_secs(5);
const MAX_PAGE: usize = 512 * 1024;
/// See [`CachedPage`].
const BROTLI_QUALITY: i32 = 5;
/// How long a visitor waits for another visitor's render of the same page before rendering
/// it too (a render takes about a millisecond; this only guards against a stuck one).
const RENDER_PATIENCE: Duration = Duration::from_secs(2);

/// Only what a page response needs: a hit rebuilds the response from these. The page is
/// kept compressed too (once per render, not once per visitor: compressing a page took
/// more CPU than serving it from here), so a hit costs no compression. Brotli quality 5:
/// on the 4.5 KB marketplace page it is 10 bytes longer than quality 9 (1,793 against
/// 1,783) and takes 0.24 ms instead of 6.6 (the landing, 2.8 KB: 1,128 bytes either way,
/// 0.08 against 3.1 ms); under load, quality 9 held every visitor waiting for a render for
/// 70 ms.
#[derive(Clone)]
pub struct CachedPage {
    headers: HeaderMap,
    body: Bytes,
    br: Bytes,
    gzip: Bytes,
}

impl CachedPage {
    fn new(mut headers: HeaderMap, body: Bytes) -> Self {
        // Every visitor gets this body and so its nonce: allow its scripts by hash instead.
        if headers.contains_key(CONTENT_SECURITY_POLICY) {
            let policy = super::headers::policy_for_page(&body);
            if let Ok(value) = HeaderValue::from_str(&policy) {
                headers.insert(CONTENT_SECURITY_POLICY, value);
            }
        }
        let br = compress::brotli(&body, BROTLI_QUALITY, 20).map(Bytes::from).unwrap_or_default();
        let gzip = compress::gzip(&body, 6).map(Bytes::from).unwrap_or_default();
        Self { headers, body, br, gzip }
    }

    /// The response for a client that sent `accept`.
    fn response(self, accept: Option<&HeaderValue>) -> Response {
        let accepts = |coding| accept.and_then(|v| v.to_str().ok()).is_some_and(|v| accepts(v, coding));
        let (body, coding) = match () {
            _ if !self.br.is_empty() && accepts("br") => (self.br, Some("br")),
            _ if !self.gzip.is_empty() && accepts("gzip") => (self.gzip, Some("gzip")),
            _ => (self.body, None),
        };
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = self.headers;
        let headers = response.headers_mut();
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(coding) = coding {
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        response
    }
}

/// Whether an `Accept-Encoding` value admits `coding` (listed, and not with `q=0`).
fn accepts(header: &str, coding: &str) -> bool {
    header.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let named = parts.next().is_some_and(|name| name.eq_ignore_ascii_case(coding));
        let q = parts.find_map(|p| p.strip_prefix("q=")).and_then(|q| q.trim().parse::<f32>().ok());
        named && q.is_none_or(|q| q > 0.0)
    })
}

pub type PageCache = TtlCache<CachedPage>;

pub async fn serve_cached(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(key) = cache_key(&req) else {
        return next.run(req).await;
    };
    let filling = match state.page_cache.lookup(&key, RENDER_PATIENCE).await {
        Ok(page) => return page.response(req.headers().get(ACCEPT_ENCODING)),
        Err(filling) => filling,
    };
    let accept = req.headers().get(ACCEPT_ENCODING).cloned();
    let response = next.run(req).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(SET_COOKIE) {
        return response;
    }
    let (parts, body) = response.into_parts();
    match to_bytes(body, MAX_PAGE).await {
        Ok(body) => {
            let page = CachedPage::new(parts.headers, body);
            state.page_cache.fill(filling, key, page.clone());
            page.response(accept.as_ref())
        }
        Err(_) => Response::from_parts(parts, Body::empty()),
    }
}

/// The front door of a landing whose page is cached and fresh: capture and the cached
/// answer, with the hardening headers, and none of the layers behind it (they would change
/// nothing on such an answer: it is already compressed if the client takes br or gzip,
/// carries its CSP, is not personal, and is a GET). Anything else, including an expired
/// page (its one refresh is decided by `serve_cached`), goes to `inner`, the whole stack.
/// A referral landing spent about a third of its time in those layers.
///
/// A tower service rather than a `from_fn` layer: `from_fn` clones what it wraps for every
/// request, and each layer of an axum `Router` is its own boxed route, so that clone walked
/// and allocated a dozen boxes before the cache was even asked. Here a hit clones nothing
/// but the state handle, and a miss clones `inner`, one `Router` (an `Arc`).
#[derive(Clone)]
pub struct FrontDoor {
    state: AppState,
    inner: Router,
}

impl FrontDoor {
    pub fn new(state: AppState, inner: Router) -> Self {
        Self { state, inner }
    }
}

impl Service<Request> for FrontDoor {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // `inner` is a `Router`, always ready; it is called through `oneshot`.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let page = cache_key(&req).and_then(|key| self.state.page_cache.get(&key));
        let Some(page) = page else {
            let inner = self.inner.clone();
            return Box::pin(async move { inner.oneshot(req).await });
        };
        let state = self.state.clone();
        Box::pin(async move {
            let secure = state.config.secure_cookies;
            let response = super::capture::capture(&state, req, |req| async move {
                let mut response = page.response(req.headers().get(ACCEPT_ENCODING));
                super::headers::harden(response.headers_mut(), secure);
                response
            });
            Ok(response.await)
        })
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
    // The marketplace's search and pages are query parameters: only its plain first page
    // is cached (keying on any query string would let visitors fill the cache).
    if path == "/marketplace" && req.uri().query().is_some_and(|q| !q.is_empty()) {
        return None;
    }
    let host = req.headers().get(HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    Some(format!("{host}{path}"))
}

#[cfg(test)]
mod tests {
    use super::accepts;

    #[test]
    fn accept_encoding_is_read_with_its_refusals() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=0.8, br;q=1.0", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(accepts("gzip, br;q=0.5", "br"));
        assert!(!accepts("gzip", "br"));
        assert!(!accepts("", "gzip"));
    }
}
