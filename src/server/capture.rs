//! Landing capture: `?ref=<code>` sets the first-touch referral cookie (only for an
//! approved, active partner's code, and only when none is set), `?tenantClaim=<token>`
//! carries a claim token across the register/login hop. Cookies come from our own
//! server, so they are first-party and not subject to script-cookie caps.
use axum::extract::{Request, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

use super::auth::cookies::{self, CLAIM_COOKIE, REFERRAL_COOKIE};
use super::db::codes;
use super::state::AppState;
use crate::domain::codes::ReferralCode;

const CLAIM_COOKIE_SECS: i64 = 24 * 60 * 60;

pub async fn capture_landing(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET || req.uri().query().is_none() {
        return next.run(req).await;
    }
    let query = req.uri().query().unwrap_or_default().to_string();
    let mut set = Vec::new();
    let secure = state.config.secure_cookies;
    if let Some(code) = param(&query, "ref").and_then(|c| ReferralCode::parse(&c).ok()) {
        let has_referral = cookies::read(req.headers(), REFERRAL_COOKIE).is_some();
        if !has_referral && codes::resolve_active(&state.db.pool, &code.key()).await.ok().flatten().is_some() {
            let max_age = state.config.attribution_days * 24 * 60 * 60;
            set.push(cookies::set(REFERRAL_COOKIE, code.as_str(), max_age, secure));
        }
    }
    if let Some(token) = param(&query, "tenantClaim").filter(|t| is_token(t)) {
        set.push(cookies::set(CLAIM_COOKIE, &token, CLAIM_COOKIE_SECS, secure));
    }
    let mut response = next.run(req).await;
    for cookie in set {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// Codes and tokens are plain ASCII, so no percent-decoding is needed to find them.
fn param(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

fn is_token(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_parameters_by_exact_name() {
        assert_eq!(param("a=1&ref=acme&x=", "ref").as_deref(), Some("acme"));
        assert_eq!(param("preref=1", "ref"), None);
        assert_eq!(param("x=", "x"), None);
    }

    #[test]
    fn claim_tokens_are_64_hex_characters() {
        assert!(is_token(&"ab".repeat(32)));
        assert!(!is_token("abc"));
        assert!(!is_token(&"zz".repeat(32)));
    }
}
