use axum::http::HeaderMap;
use axum::http::header::COOKIE;

pub const SESSION_COOKIE: &str = "trib_session";
/// The first-touch referral code, set by the server on a `?ref=` landing.
pub const REFERRAL_COOKIE: &str = "trib_ref";
/// The last listing share token, shorter-lived than the referrer.
pub const SHARE_COOKIE: &str = "trib_share";
/// Set once a workspace is bound, so the browser forgets its copies of the referral.
pub const BOUND_COOKIE: &str = "trib_bound";
/// A tenant claim token carried across the register/login hop.
pub const CLAIM_COOKIE: &str = "trib_claim";
/// An invite code carried from `/invite/<code>` to workspace creation (first code wins).
pub const INVITE_COOKIE: &str = "trib_invite";

/// The value of cookie `name` in the request, if present.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value for a first-party, server-only cookie.
pub fn set(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    cookie(name, value, max_age_secs, "; HttpOnly", secure)
}

fn cookie(name: &str, value: &str, max_age_secs: i64, http_only: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age_secs}{http_only}; SameSite=Lax{secure}")
}

/// A first-party cookie the page's own script may read: the attribution cookies hold no
/// secret (a public code, a time, a click id), and the browser keeps a copy of them in
/// storage to restore the server's cookie if it goes missing.
pub fn set_readable(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    cookie(name, value, max_age_secs, "", secure)
}

pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", 0, secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_cookie_among_many() {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, "a=1; trib_session=abc; b=2".parse().unwrap());
        assert_eq!(read(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(read(&h, "missing"), None);
    }

    #[test]
    fn readable_cookies_differ_from_server_only_ones_only_in_http_only() {
        let readable = set_readable(REFERRAL_COOKIE, "code.1", 60, true);
        assert_eq!(readable, "trib_ref=code.1; Path=/; Max-Age=60; SameSite=Lax; Secure");
        assert_eq!(set(REFERRAL_COOKIE, "code.1", 60, true).replace("; HttpOnly", ""), readable);
    }

    #[test]
    fn session_cookies_are_http_only_and_lax() {
        let c = set(SESSION_COOKIE, "x", 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
        assert!(!set(SESSION_COOKIE, "x", 60, false).contains("Secure"));
    }
}
