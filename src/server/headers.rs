//! What every response says about itself: the content security policy (with a fresh
//! nonce per page, which the hydration scripts carry), the usual hardening headers,
//! `no-store` for anything personal, and compression.
use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::set_header::SetResponseHeaderLayer;

use super::auth::cookies::{self, SESSION_COOKIE};

/// The nonce of this request's page, for the Leptos context (`startup::router`).
#[derive(Clone)]
pub struct CspNonce(pub String);

/// Gives the request a nonce and its HTML response the matching policy. Sits inside
/// the page cache, so a cached page is served with the policy of the nonce it contains.
pub async fn content_security_policy(mut req: Request, next: Next) -> Response {
    let nonce = super::auth::tokens::new_nonce();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    if is_html(headers.get(CONTENT_TYPE))
        && !headers.contains_key(CONTENT_SECURITY_POLICY)
        && let Ok(value) = HeaderValue::from_str(&policy(&nonce))
    {
        headers.insert(CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// Scripts only from us and with this page's nonce (wasm needs `wasm-unsafe-eval` to be
/// compiled); inline `style` attributes are allowed (the brand colour and a few widths),
/// styles cannot run code. No framing, no plugins, forms only to us.
fn policy(nonce: &str) -> String {
    policy_with(&format!("'nonce-{nonce}'"))
}

/// The same policy for a page served to many visitors (`page_cache`): its inline scripts
/// are allowed by their SHA-256 instead of a nonce, since a nonce shared by every visitor
/// of a cached page would no longer be a secret of one response.
pub fn policy_for_page(html: &[u8]) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let hashes: Vec<String> = inline_scripts(html)
        .into_iter()
        .map(|script| {
            let digest = Sha256::digest(script);
            format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
        })
        .collect();
    policy_with(&hashes.join(" "))
}

/// The contents of the inline `<script>` elements (those without `src`) of a page this app
/// rendered, byte for byte, as a browser hashes them for the policy.
fn inline_scripts(html: &[u8]) -> Vec<&[u8]> {
    let find = |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).position(|w| w == needle);
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = find(rest, b"<script") {
        let tag = &rest[start + b"<script".len()..];
        let Some(tag_end) = find(tag, b">") else { break };
        let content = &tag[tag_end + 1..];
        let Some(end) = find(content, b"</script>") else { break };
        if find(&tag[..tag_end], b"src=").is_none() {
            scripts.push(&content[..end]);
        }
        rest = &content[end + b"</script>".len()..];
    }
    scripts
}

fn policy_with(inline_scripts: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' {inline_scripts} 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

fn is_html(content_type: Option<&HeaderValue>) -> bool {
    content_type.and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"))
}

/// Nothing personal is kept by a browser or a proxy: responses to signed-in requests and
/// every server-function answer are `no-store` (unless they already say otherwise).
pub async fn no_store_when_personal(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let personal = !path.starts_with("/pkg/")
        && (path.starts_with("/api/") || cookies::read(req.headers(), SESSION_COOKIE).is_some());
    let mut response = next.run(req).await;
    if personal && !response.headers().contains_key(CACHE_CONTROL) {
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The headers every response carries; HSTS only when we are served over https.
fn hardening_headers(secure: bool) -> impl Iterator<Item = (HeaderName, HeaderValue)> {
    let always = [
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (REFERRER_POLICY, "strict-origin-when-cross-origin"),
        // frame-ancestors covers modern browsers; this covers the rest.
        (X_FRAME_OPTIONS, "DENY"),
    ];
    let https = secure.then_some((STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains"));
    always.into_iter().chain(https).map(|(name, value)| (name, HeaderValue::from_static(value)))
}

/// [`hardening_headers`] as layers (unless a response already says otherwise).
pub fn hardening(secure: bool) -> Vec<SetResponseHeaderLayer<HeaderValue>> {
    hardening_headers(secure)
        .map(|(name, value)| SetResponseHeaderLayer::if_not_present(name, value))
        .collect()
}

/// What [`hardening`]'s layers do, for an answer that does not pass through them (the
/// cached landing page, `page_cache::FrontDoor`).
pub fn harden(headers: &mut HeaderMap, secure: bool) {
    for (name, value) in hardening_headers(secure) {
        headers.entry(name).or_insert(value);
    }
}

/// br or gzip, as the client asks. Quality 4 keeps on-the-fly brotli cheap. Wasm is never
/// compressed per request: the release wasm is served precompressed at the best quality
/// (`assets.rs`), and compressing a debug build's tens of megabytes for every new browser
/// would cost a core-second each time.
pub fn compression() -> CompressionLayer<impl Predicate> {
    let predicate = DefaultPredicate::new().and(NotForContentType::const_new("application/wasm"));
    CompressionLayer::new().br(true).gzip(true).quality(CompressionLevel::Precise(4)).compress_when(predicate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_whole_and_scripts_with_a_source_are_not() {
        let html = b"<head><script type=\"module\" nonce=\"n\">go(\"<b>\")</script>\
            <script src=\"/pkg/a.js\"></script></head><body><script>x=[];</script></body>";
        let scripts = inline_scripts(html);
        assert_eq!(scripts, [&b"go(\"<b>\")"[..], &b"x=[];"[..]]);
    }

    #[test]
    fn scripts_are_allowed_by_their_sha256_in_base64() {
        // SHA-256 of the empty string (an empty inline script), as CSP writes it.
        let policy = policy_for_page(b"<script></script>");
        assert!(policy.contains(
            "script-src 'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' 'wasm-unsafe-eval';"
        ));
        assert!(!policy.contains("nonce"));
        assert_eq!(
            policy.replace("'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='", "'nonce-n'"),
            super::policy("n")
        );
    }
}
