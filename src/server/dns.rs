//! TXT lookups for custom-domain verification (hickory-resolver): the system resolver, or
//! the one DNS server `TRIBUTARY_DNS_SERVER` names (tests run their own on 127.0.0.1).
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::RData;

/// Why a lookup found no TXT strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxtError {
    /// The name has no TXT record (NXDOMAIN or an empty answer).
    NotFound,
    /// The DNS server didn't answer usefully (timeout, refused, server failure).
    Unreachable(String),
}

#[derive(Clone)]
pub struct Dns {
    /// `None` when the system has no usable resolver configuration: every lookup then
    /// fails as unreachable (and says so in the log) instead of the server not starting.
    resolver: Option<TokioResolver>,
}

impl Dns {
    /// `server` is `ip[:port]` (port 53 when left out); `None` uses the system resolver.
    /// A malformed `server` is an error: a configuration mistake should stop the start.
    pub fn new(server: Option<&str>) -> Result<Self, String> {
        let provider = TokioRuntimeProvider::default();
        let mut builder = match server {
            Some(server) => {
                let addr = parse_server(server)?;
                let mut name_server = NameServerConfig::udp(addr.ip());
                for connection in &mut name_server.connections {
                    connection.port = addr.port();
                }
                TokioResolver::builder_with_config(
                    ResolverConfig::from_name_servers(vec![name_server]),
                    provider,
                )
            }
            None => match TokioResolver::builder(provider) {
                Ok(builder) => builder,
                Err(e) => {
                    tracing::error!(error = %e, "no system DNS configuration; custom domains can't be verified");
                    return Ok(Self { resolver: None });
                }
            },
        };
        let options: &mut ResolverOpts = builder.options_mut();
        // A check must see the record as it is now: a partner fixes a typo and presses
        // "Check now" again, so no answer (least of all a negative one) is kept.
        options.cache_size = 0;
        options.positive_max_ttl = Some(Duration::ZERO);
        options.negative_max_ttl = Some(Duration::ZERO);
        options.timeout = Duration::from_secs(3);
        options.attempts = 2;
        let resolver = builder.build().map_err(|e| format!("DNS resolver: {e}"))?;
        Ok(Self { resolver: Some(resolver) })
    }

    /// The TXT strings at `name` (each record's character-strings joined, as SPF and
    /// friends read long records that are split into 255-byte pieces).
    pub async fn txt(&self, name: &str) -> Result<Vec<String>, TxtError> {
        // Fully qualified: never tried with the resolver's search domains appended.
        let fqdn = if name.ends_with('.') { name.to_string() } else { format!("{name}.") };
        let Some(resolver) = &self.resolver else {
            return Err(TxtError::Unreachable("no DNS resolver configured".into()));
        };
        match resolver.txt_lookup(fqdn.as_str()).await {
            Ok(lookup) => {
                let strings: Vec<String> = lookup
                    .answers()
                    .iter()
                    .filter_map(|record| match &record.data {
                        RData::TXT(txt) => {
                            Some(txt.txt_data.iter().map(|part| String::from_utf8_lossy(part)).collect())
                        }
                        _ => None,
                    })
                    .collect();
                if strings.is_empty() { Err(TxtError::NotFound) } else { Ok(strings) }
            }
            Err(e) if e.is_no_records_found() => Err(TxtError::NotFound),
            Err(e) => Err(TxtError::Unreachable(e.to_string())),
        }
    }
}

fn parse_server(server: &str) -> Result<SocketAddr, String> {
    let server = server.trim();
    if let Ok(addr) = server.parse::<SocketAddr>() {
        return Ok(addr);
    }
    server.parse::<IpAddr>().map(|ip| SocketAddr::new(ip, 53)).map_err(|_| {
        format!("TRIBUTARY_DNS_SERVER must be ip or ip:port (like 127.0.0.1:5353), not {server:?}")
    })
}

#[cfg(test)]
mod tests {
    use super::parse_server;

    #[test]
    fn the_dns_server_is_an_ip_with_an_optional_port() {
        assert_eq!(parse_server("127.0.0.1:5353").unwrap().to_string(), "127.0.0.1:5353");
        assert_eq!(parse_server("10.0.0.2").unwrap().to_string(), "10.0.0.2:53");
        assert_eq!(parse_server("[::1]:5300").unwrap().to_string(), "[::1]:5300");
        assert!(parse_server("dns.example:53").is_err());
    }
}
