//! Landing capture. `?ref=<code>` and listing pages (whose creator is the referrer)
//! record a click and set the first-touch referrer cookie; `?share=<token>` sets the
//! listing share cookie; `?tenantClaim=<token>` carries a claim token across the
//! register/login hop. Cookies come from our own server (first-party, HttpOnly), so
//! Safari's 7-day cap on script-written cookies does not apply. The click goes to the
//! group-committing click log (`server/click_log.rs`) and the page renders while it
//! commits; the landing answers once the click is committed, so a landing that got its
//! answer has its click stored even if the process is killed right after. A click whose
//! commit fails does not fail the page (the click log logs it).
use super::logged::OrLog;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{REFERER, SET_COOKIE, USER_AGENT};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

use super::auth::cookies::{self, CLAIM_COOKIE, INVITE_COOKIE, REFERRAL_COOKIE, SHARE_COOKIE};
use super::click_log::PendingClick;
use super::db::clicks::Click;
use super::db::{codes, listings};
use super::state::AppState;
use crate::domain::attribution::{DAY_MS, ShareTouch, Touch};
use crate::domain::codes::ReferralCode;

const CLAIM_COOKIE_SECS: i64 = 24 * 60 * 60;
const INVITE_COOKIE_SECS: i64 = 30 * 24 * 60 * 60;
const MAX_TEXT: usize = 512;

pub async fn capture_landing(State(state): State<AppState>, req: Request, next: Next) -> Response {
    capture(&state, req, |req| next.run(req)).await
}

/// Captures the landing `req` is (if it is one) around `respond`, which answers it.
pub async fn capture<F>(state: &AppState, req: Request, respond: impl FnOnce(Request) -> F) -> Response
where
    F: Future<Output = Response>,
{
    if req.method() != Method::GET || !may_capture(req.uri()) {
        return respond(req).await;
    }
    let landing = Landing::of(&req);
    let Effects { cookies, click, no_listing } = landing_effects(state, &landing).await;
    let mut response = match click {
        // Render while the click commits; answer only after both.
        Some(click) => tokio::join!(respond(req), click.stored()).0,
        None => respond(req).await,
    };
    if no_listing && response.status() == StatusCode::OK {
        // The page says "Listing not found"; the status says so too (to crawlers, link
        // checkers and scripts), from the lookup capture made anyway.
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// Cheap pre-check so ordinary requests pay nothing.
fn may_capture(uri: &Uri) -> bool {
    let path = uri.path();
    if path.starts_with("/pkg/") || path.starts_with("/api/") {
        return false;
    }
    path.starts_with("/marketplace/")
        || path.starts_with("/invite/")
        || uri.query().is_some_and(|q| q.contains("ref=") || q.contains("tenantClaim="))
}

/// What capture needs of the request (the request itself can't be held across awaits),
/// copied without cloning the whole header map.
struct Landing {
    uri: Uri,
    referrer: Option<String>,
    user_agent: String,
    referral_cookie: Option<String>,
    has_invite_cookie: bool,
    ip: String,
}

impl Landing {
    fn of(req: &Request) -> Self {
        let headers = req.headers();
        Self {
            uri: req.uri().clone(),
            referrer: header(headers, REFERER.as_str()),
            user_agent: header(headers, USER_AGENT.as_str()).unwrap_or_default(),
            referral_cookie: cookies::read(headers, REFERRAL_COOKIE),
            has_invite_cookie: cookies::read(headers, INVITE_COOKIE).is_some(),
            ip: client_ip(req),
        }
    }
}

/// What a landing does besides its page.
struct Effects {
    /// The cookies to set (none for most requests).
    cookies: Vec<String>,
    /// Its click, queued.
    click: Option<PendingClick>,
    /// A listing page whose listing is not published or does not exist (a lookup that
    /// failed is not taken for "not found").
    no_listing: bool,
}

async fn landing_effects(state: &AppState, req: &Landing) -> Effects {
    let query = req.uri.query().unwrap_or_default();
    let listing_slug =
        req.uri.path().strip_prefix("/marketplace/").filter(|s| !s.is_empty() && !s.contains('/'));
    let ref_param = param(query, "ref");
    let (config, now) = (&state.config, state.db.now_ms());
    let secure = config.secure_cookies;
    let mut set = Vec::new();
    let mut click = None;
    let lookup = match listing_slug {
        Some(slug) => Some(listings::published_by_slug(&state.db.pool, slug).await),
        None => None,
    };
    let no_listing = matches!(lookup, Some(Ok(None)));
    let listing = lookup.and_then(|found| found.or_log("listing by slug"));
    // An explicit ?ref= wins over the listing's creator.
    let code = ref_param.or_else(|| listing.as_ref().map(|l| l.creator_handle.clone()));
    if let Some(code) = code.and_then(|c| ReferralCode::parse(&c).ok())
        && let Some(owner) = cached_owner(state, &code.key()).await
    {
        let share = param(query, "share");
        let click_id = uuid::Uuid::now_v7().simple().to_string();
        click = Some(state.clicks.store(Click {
            id: click_id.clone(),
            partner_id: owner.partner_id,
            code_id: Some(owner.code_id),
            listing_id: listing.as_ref().map(|l| l.id.clone()),
            share_token: share,
            referrer: req.referrer.clone(),
            landing_path: truncate(req.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/")),
            ip_hash: hash(&state.click_salt, &req.ip),
            user_agent_hash: hash(&state.click_salt, &req.user_agent),
            created_at: now,
        }));
        let current = req.referral_cookie.as_deref().and_then(Touch::decode);
        if !current.is_some_and(|t| t.within(now, config.attribution_days)) {
            let touch = Touch {
                code: code.as_str().to_string(),
                captured_at: now,
                click_id: Some(click_id),
                listing_id: listing.as_ref().map(|l| l.id.clone()),
            };
            set.push(cookies::set_readable(
                REFERRAL_COOKIE,
                &touch.encode(),
                config.attribution_days * DAY_MS / 1000,
                secure,
            ));
        }
    }
    if let (Some(listing), Some(token)) = (&listing, param(query, "share"))
        && let Ok(Some(shared)) = listings::by_share_token(&state.db.pool, &token).await
        && shared.listing_id == listing.id
    {
        let share = ShareTouch { token, captured_at: now };
        set.push(cookies::set_readable(
            SHARE_COOKIE,
            &share.encode(),
            config.share_days * DAY_MS / 1000,
            secure,
        ));
    }
    if let Some(token) = param(query, "tenantClaim").filter(|t| is_token(t)) {
        set.push(cookies::set(CLAIM_COOKIE, &token, CLAIM_COOKIE_SECS, secure));
    }
    if let Some(code) = invite_landing(req) {
        set.push(cookies::set(INVITE_COOKIE, &code, INVITE_COOKIE_SECS, secure));
    }
    Effects { cookies: set, click, no_listing }
}

/// The code's owner, from the short-lived cache when possible. Binding re-checks in the
/// database, so a code disabled seconds ago can at most still be captured, never bound.
/// One landing at a time looks a code up (`TtlCache::get_or_compute`): when the entry expired, the
/// others keep using it for at most one more TTL, or wait for that lookup when there is
/// none, instead of every landing of the expiry instant asking the database at once.
async fn cached_owner(state: &AppState, key: &str) -> Option<codes::CodeOwner> {
    // An outage is logged and not cached (the waiters ask themselves): the next landing
    // asks again.
    let lookup = codes::resolve_active(&state.db.pool, key);
    state.code_cache.get_or_compute(key, lookup).await.or_log("referral code lookup")
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(truncate)
}

/// At most [`MAX_TEXT`] characters. A text of at most that many bytes (nearly every one) is
/// copied whole; only a longer one is walked character by character.
fn truncate(s: &str) -> String {
    if s.len() <= MAX_TEXT {
        return s.to_string();
    }
    s.chars().take(MAX_TEXT).collect()
}

fn client_ip(req: &Request) -> String {
    req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_default()
}

/// Salted so the log can count distinct visitors without holding their addresses.
fn hash(salt: &str, value: &str) -> String {
    let digest = Sha256::new().chain_update(salt).chain_update(":").chain_update(value).finalize();
    hex::encode(&digest[..16])
}

/// Codes and tokens are plain ASCII, so no percent-decoding is needed to find them.
fn param(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// The code of an `/invite/<code>` landing, normalised, when it is well formed (right
/// shape and check character) and this browser carries no invite yet: the first code wins.
/// Whether it exists and is live is decided when it is redeemed.
fn invite_landing(req: &Landing) -> Option<String> {
    if req.has_invite_cookie {
        return None;
    }
    let raw = req.uri.path().strip_prefix("/invite/").filter(|c| !c.is_empty() && c.len() <= 64)?;
    crate::domain::invite_codes::InviteCode::parse(raw).ok().map(|c| c.key())
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

    #[test]
    fn texts_are_cut_at_max_text_characters_not_bytes() {
        assert_eq!(truncate("short"), "short");
        let long = "é".repeat(MAX_TEXT + 10);
        assert_eq!(truncate(&long).chars().count(), MAX_TEXT);
        let wide = "é".repeat(MAX_TEXT / 2 + 1); // more bytes than MAX_TEXT, fewer characters
        assert_eq!(truncate(&wide), wide);
    }

    #[test]
    fn hashes_are_salted() {
        assert_ne!(hash("a", "1.2.3.4"), hash("b", "1.2.3.4"));
        assert_eq!(hash("a", "1.2.3.4").len(), 32);
    }
}
