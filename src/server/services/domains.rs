use crate::api::AppError;
use crate::api::types::{Branding, CustomDomainRow};
use crate::domain::names::DisplayName;
use crate::server::db::{Db, domains, now_ms};
use crate::server::ttl_cache::TtlCache;

pub struct DomainInput {
    pub host: String,
    pub brand_name: DisplayName,
    pub brand_color: String,
}

impl DomainInput {
    pub fn parse(host: &str, brand_name: &str, brand_color: &str) -> Result<Self, AppError> {
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
    (labels_ok && name.contains('.') && name.len() <= 253 && port_ok).then(|| name.to_string())
}

pub fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

pub async fn list(db: &Db, workspace_id: &str) -> Result<Vec<CustomDomainRow>, AppError> {
    Ok(domains::for_workspace(&db.pool, workspace_id).await?)
}

pub async fn add(
    db: &Db,
    cache: &TtlCache<Branding>,
    workspace_id: &str,
    input: &DomainInput,
) -> Result<CustomDomainRow, AppError> {
    cache.clear();
    let (host, name) = (&input.host, input.brand_name.as_str());
    if !domains::insert(&db.pool, host, workspace_id, name, &input.brand_color, now_ms()).await? {
        return Err(AppError::invalid("host", "This domain is already connected."));
    }
    domains::by_host(&db.pool, host).await?.ok_or(AppError::Internal)
}

pub async fn remove(
    db: &Db,
    cache: &TtlCache<Branding>,
    workspace_id: &str,
    host: &str,
) -> Result<(), AppError> {
    cache.clear();
    if domains::delete(&db.pool, workspace_id, host).await? { Ok(()) } else { Err(AppError::NotFound) }
}

/// The agency's name and colour on its custom domain; ours everywhere else. Every page
/// asks, so answers are cached briefly per host.
pub async fn branding_for(
    db: &Db,
    cache: &TtlCache<Branding>,
    host: Option<&str>,
) -> Result<Branding, AppError> {
    let Some(host) = host.and_then(normalize_host) else {
        return Ok(Branding::default());
    };
    if let Some(branding) = cache.get(&host) {
        return Ok(branding);
    }
    let branding = match domains::by_host(&db.pool, &host).await? {
        Some(d) => Branding { name: d.brand_name, color: d.brand_color, custom: true },
        None => Branding::default(),
    };
    cache.insert(host, branding.clone());
    Ok(branding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_plain_names_with_an_optional_port() {
        assert_eq!(normalize_host(" Partners.Agency.COM ").as_deref(), Some("partners.agency.com"));
        assert_eq!(normalize_host("agency.test:3000").as_deref(), Some("agency.test"));
        for bad in ["http://a.com", "a.com/x", "localhost", "a..com", "-a.com", "a.com:99999", ""] {
            assert_eq!(normalize_host(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_six_digit_hex_colours_pass() {
        assert!(is_hex_color("#2f6fed"));
        assert!(!is_hex_color("red"));
        assert!(!is_hex_color("#2f6fed;}body{"));
    }
}
