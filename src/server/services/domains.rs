//! Agencies' custom domains: adding one (never a platform host, never one another
//! account holds), proving control through a DNS TXT record, and the branding a verified
//! host gets. An unverified host brands nothing and gets no CORS.
use std::time::Duration;

use rand::RngCore;

use crate::domain::names::DisplayName;
use crate::model::AppError;
use crate::model::types::{Branding, CustomDomainRow};
use crate::server::config::Config;
use crate::server::db::domains::DomainRecord;
use crate::server::db::{Db, domains};
use crate::server::dns::{Dns, TxtError};
use crate::server::ttl_cache::TtlCache;

/// The TXT record lives at `_tributary.<host>`.
pub const TXT_LABEL: &str = "_tributary";
/// Its value is `tributary-verify=<token>`.
pub const TXT_VALUE_PREFIX: &str = "tributary-verify=";
/// Pending domains one background pass checks at most (one lookup each, in turn).
const CHECKS_PER_PASS: i64 = 50;

pub struct DomainInput {
    pub host: String,
    pub brand_name: DisplayName,
    pub brand_color: String,
}

impl DomainInput {
    pub fn parse(host: &str, brand_name: &str, brand_color: &str) -> Result<Self, AppError> {
        if is_ip_literal(host) {
            return Err(AppError::invalid(
                "host",
                "Enter a domain name like partners.agency.com, not an IP address.",
            ));
        }
        let host = normalize_host(host).ok_or_else(|| {
            AppError::invalid("host", "Enter a domain like partners.agency.com (no http://, no path).")
        })?;
        let brand_color = brand_color.trim().to_lowercase();
        if !is_hex_color(&brand_color) {
            return Err(AppError::invalid("brand_color", "Colour must look like #2f6fed."));
        }
        Ok(Self { host, brand_name: DisplayName::parse("brand_name", brand_name, 60)?, brand_color })
    }
}

/// The lowercase host name without any port (a `Host` header carries one in
/// development; the domain is the same): letters, digits, dots and dashes.
pub fn normalize_host(input: &str) -> Option<String> {
    let host = input.trim().trim_end_matches('.').to_lowercase();
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host.as_str(), None),
    };
    let labels_ok = name.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok());
    // No top-level domain is all digits: this refuses IPv4 literals (`10.0.0.1`) and
    // their short forms (`127.1`). IPv6 literals already fail on `:` and `[`.
    let tld_ok = name.rsplit('.').next().is_some_and(|tld| !tld.bytes().all(|b| b.is_ascii_digit()));
    (labels_ok && tld_ok && name.contains('.') && name.len() <= 253 && port_ok).then(|| name.to_string())
}

/// `10.0.0.1`, `10.0.0.1:3000`, `::1`, `[::1]:3000`.
fn is_ip_literal(input: &str) -> bool {
    let input = input.trim();
    let bare = input.rsplit_once(':').filter(|(name, _)| !name.contains(':')).map_or(input, |(name, _)| name);
    bare.parse::<std::net::IpAddr>().is_ok()
        || input.parse::<std::net::SocketAddr>().is_ok()
        || input.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>().is_ok()
}

pub fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// The hosts the platform itself answers on; none can become a partner's domain.
pub struct PlatformHosts {
    /// Configured hosts (`TRIBUTARY_PLATFORM_HOSTS`, the public URL's): names below them
    /// are refused too.
    configured: Vec<String>,
    /// The `Host` this request came in on (the platform answers on it, whatever the
    /// configuration says). Only the name itself: a partner signed in on its own verified
    /// domain may still add a name below it.
    request: Option<String>,
}

impl PlatformHosts {
    pub fn new(config: &Config, request_host: Option<&str>) -> Self {
        let public = config.public_url.as_deref().map(|url| {
            let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
            rest.split(['/', '?', '#']).next().unwrap_or_default().to_string()
        });
        let configured = config
            .platform_hosts
            .iter()
            .map(String::as_str)
            .chain(public.as_deref())
            .map(host_without_port)
            .filter(|h| !h.is_empty())
            .collect();
        Self { configured, request: request_host.map(host_without_port) }
    }

    pub fn contains(&self, host: &str) -> bool {
        let below = |parent: &str| host.strip_suffix(parent).is_some_and(|sub| sub.ends_with('.'));
        host == "localhost"
            || below("localhost")
            || self.request.as_deref() == Some(host)
            || self.configured.iter().any(|p| host == p || below(p))
    }
}

/// `App.Example.com:443` → `app.example.com` (also `[::1]:3000` → `[::1]`).
fn host_without_port(host: &str) -> String {
    let host = host.trim().trim_end_matches('.').to_lowercase();
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') || name.ends_with(']') => {
            if port.bytes().all(|b| b.is_ascii_digit()) { name.to_string() } else { host }
        }
        _ => host,
    }
}

pub fn txt_name(host: &str) -> String {
    format!("{TXT_LABEL}.{host}")
}

pub fn txt_value(token: &str) -> String {
    format!("{TXT_VALUE_PREFIX}{token}")
}

/// 128 random bits, hex: unguessable, and short enough to paste into any DNS panel.
fn new_verify_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn to_row(d: DomainRecord) -> CustomDomainRow {
    let token = d.verify_token.unwrap_or_default();
    CustomDomainRow {
        txt_name: txt_name(&d.host),
        txt_value: txt_value(&token),
        host: d.host,
        brand_name: d.brand_name,
        brand_color: d.brand_color,
        created_at: d.created_at,
        verified_at: d.verified_at,
        last_checked_at: d.last_checked_at,
        last_error: d.last_error,
    }
}

/// Rows from before verification get their token here, the first time they're needed.
async fn with_token(db: &Db, d: DomainRecord) -> Result<DomainRecord, AppError> {
    if d.verify_token.is_some() {
        return Ok(d);
    }
    domains::set_token_if_missing(&db.pool, &d.host, &new_verify_token()).await?;
    domains::of_workspace(&db.pool, &d.workspace_id, &d.host).await?.ok_or(AppError::NotFound)
}

pub async fn list(db: &Db, workspace_id: &str) -> Result<Vec<CustomDomainRow>, AppError> {
    let mut rows = Vec::new();
    for d in domains::for_workspace(&db.pool, workspace_id).await? {
        rows.push(to_row(with_token(db, d).await?));
    }
    Ok(rows)
}

/// Adds a pending domain with a fresh token. Platform hosts are refused (400); a host any
/// account holds already, verified or not, is a conflict (409), which the database's
/// primary key decides even for two partners adding it at the same moment.
pub async fn add(
    db: &Db,
    platform: &PlatformHosts,
    workspace_id: &str,
    input: &DomainInput,
) -> Result<CustomDomainRow, AppError> {
    let (host, name) = (&input.host, input.brand_name.as_str());
    if platform.contains(host) {
        return Err(AppError::invalid(
            "host",
            "That's this platform's own address. Enter a domain your agency owns, like partners.agency.com.",
        ));
    }
    let token = new_verify_token();
    if !domains::insert(&db.pool, host, workspace_id, name, &input.brand_color, &token, db.now_ms()).await? {
        return Err(match domains::owner_of(&db.pool, host).await? {
            Some(owner) if owner == workspace_id => AppError::invalid(
                "host",
                "You've already added this domain. Its DNS record is in the table below.",
            ),
            _ => AppError::Conflict("This domain is already connected to another account.".into()),
        });
    }
    let added = domains::of_workspace(&db.pool, workspace_id, host).await?.ok_or(AppError::Internal)?;
    Ok(to_row(added))
}

/// "Check now": looks the TXT record up and records the outcome. An already verified
/// domain is answered as it is, without a lookup.
pub async fn check(
    db: &Db,
    dns: &Dns,
    cache: &TtlCache<Branding>,
    workspace_id: &str,
    host: &str,
) -> Result<CustomDomainRow, AppError> {
    let host = normalize_host(host).ok_or(AppError::NotFound)?;
    let domain = domains::of_workspace(&db.pool, workspace_id, &host).await?.ok_or(AppError::NotFound)?;
    if domain.verified_at.is_none() {
        let domain = with_token(db, domain).await?;
        if check_and_record(db, dns, &domain).await? {
            cache.clear();
        }
    }
    let checked = domains::of_workspace(&db.pool, workspace_id, &host).await?.ok_or(AppError::NotFound)?;
    Ok(to_row(checked))
}

/// One background pass: checks the pending domains not checked within `interval`, at
/// most [`CHECKS_PER_PASS`]. Returns how many turned verified.
pub async fn check_pending(
    db: &Db,
    dns: &Dns,
    cache: &TtlCache<Branding>,
    interval: Duration,
) -> Result<usize, AppError> {
    let checked_before = db.now_ms() - i64::try_from(interval.as_millis()).unwrap_or(i64::MAX);
    let mut verified = 0;
    for domain in domains::due_for_check(&db.pool, checked_before, CHECKS_PER_PASS).await? {
        if check_and_record(db, dns, &domain).await? {
            verified += 1;
        }
    }
    if verified > 0 {
        cache.clear();
    }
    Ok(verified)
}

/// Whether the record is there now; the outcome (or why not) is stored on the row.
async fn check_and_record(db: &Db, dns: &Dns, domain: &DomainRecord) -> Result<bool, AppError> {
    let Some(token) = domain.verify_token.as_deref() else {
        return Ok(false);
    };
    match lookup(dns, &domain.host, token).await {
        Ok(()) => Ok(domains::mark_verified(&db.pool, &domain.host, token, db.now_ms()).await?),
        Err(why) => {
            domains::mark_failed(&db.pool, &domain.host, &why, db.now_ms()).await?;
            Ok(false)
        }
    }
}

/// `Ok` when a TXT string at `_tributary.<host>` is exactly the expected value; else why
/// not, in words for the partner.
async fn lookup(dns: &Dns, host: &str, token: &str) -> Result<(), String> {
    let (name, expected) = (txt_name(host), txt_value(token));
    match dns.txt(&name).await {
        Ok(strings) if strings.iter().any(|s| s.trim() == expected) => Ok(()),
        Ok(strings) if strings.iter().any(|s| s.trim().starts_with(TXT_VALUE_PREFIX)) => Err(format!(
            "The TXT record at {name} has a different code. Copy the value shown below exactly; \
             a code from an earlier try no longer counts."
        )),
        Ok(_) => Err(format!(
            "{name} has TXT records, but none with the value shown below. Add it as a new TXT record."
        )),
        Err(TxtError::NotFound) => Err(format!(
            "No TXT record found at {name} yet. DNS changes can take a few minutes to appear; \
             we keep checking."
        )),
        Err(TxtError::Unreachable(e)) => {
            tracing::warn!(host, error = %e, "custom domain DNS lookup failed");
            Err("We couldn't reach DNS to check this domain just now. We'll try again in a few minutes."
                .into())
        }
    }
}

pub async fn remove(
    db: &Db,
    cache: &TtlCache<Branding>,
    workspace_id: &str,
    host: &str,
) -> Result<(), AppError> {
    // After the delete: a page that looked the host up between a clear and the delete would
    // cache the removed domain's branding again.
    let deleted = domains::delete(&db.pool, workspace_id, host).await?;
    cache.clear();
    if deleted { Ok(()) } else { Err(AppError::NotFound) }
}

/// The agency's name and colour on its verified custom domain; ours everywhere else
/// (pending domains included). Every page asks, so answers are cached briefly per host.
pub async fn branding_for(
    db: &Db,
    cache: &TtlCache<Branding>,
    host: Option<&str>,
) -> Result<Branding, AppError> {
    let Some(host) = host.and_then(normalize_host) else {
        return Ok(Branding::default());
    };
    // One lookup per host at a time, as for referral codes and pages (`TtlCache::get_or_compute`).
    let lookup = async {
        Ok::<_, AppError>(match domains::verified_by_host(&db.pool, &host).await? {
            Some(d) => Branding { name: d.brand_name, color: d.brand_color, custom: true },
            None => Branding::default(),
        })
    };
    cache.get_or_compute(&host, lookup).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_plain_names_with_an_optional_port() {
        assert_eq!(normalize_host(" Partners.Agency.COM ").as_deref(), Some("partners.agency.com"));
        assert_eq!(normalize_host("agency.test:3000").as_deref(), Some("agency.test"));
        let bad = ["http://a.com", "a.com/x", "localhost", "a..com", "-a.com", "a.com:99999", ""];
        let ips = ["10.0.0.1", "127.0.0.1:3000", "127.1", "[::1]", "::1", "[::1]:3000"];
        for bad in bad.into_iter().chain(ips) {
            assert_eq!(normalize_host(bad), None, "{bad}");
        }
    }

    #[test]
    fn platform_hosts_and_names_below_them_are_reserved() {
        let mut config = Config::for_tests("sqlite::memory:".into());
        config.platform_hosts = vec!["tributary.example".into()];
        config.public_url = Some("https://App.Tributary.io:8443/base".into());
        let platform = PlatformHosts::new(&config, Some("portal.example.net:3000"));
        for reserved in [
            "tributary.example",
            "eu.tributary.example",
            "app.tributary.io",
            "portal.example.net",
            "localhost",
            "dev.localhost",
        ] {
            assert!(platform.contains(reserved), "{reserved}");
        }
        let free = ["partners.agency.com", "nottributary.example", "tributary.io", "example.net"];
        for free in free.into_iter().chain(["x.portal.example.net"]) {
            assert!(!platform.contains(free), "{free}");
        }
    }

    #[test]
    fn the_txt_record_is_named_after_the_host_and_carries_the_token() {
        assert_eq!(txt_name("partners.agency.com"), "_tributary.partners.agency.com");
        assert_eq!(txt_value("abc"), "tributary-verify=abc");
        let (a, b) = (new_verify_token(), new_verify_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }

    #[test]
    fn ip_addresses_are_told_apart_from_mistyped_names() {
        for ip in ["10.0.0.1", " 127.0.0.1:3000", "::1", "[::1]", "[::1]:3000"] {
            assert!(is_ip_literal(ip), "{ip}");
        }
        for name in ["partners.agency.com", "a.com:80", "10.0.0.1.example"] {
            assert!(!is_ip_literal(name), "{name}");
        }
        assert_eq!(
            DomainInput::parse("10.0.0.1", "A", "#aa3300").err().and_then(|e| e.for_field("host")).as_deref(),
            Some("Enter a domain name like partners.agency.com, not an IP address.")
        );
    }

    #[test]
    fn only_six_digit_hex_colours_pass() {
        assert!(is_hex_color("#2f6fed"));
        assert!(!is_hex_color("red"));
        assert!(!is_hex_color("#2f6fed;}body{"));
    }
}
