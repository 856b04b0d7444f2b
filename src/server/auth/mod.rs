//! Passwords, tokens, session cookies, rate limits, redirect targets and page access.
pub mod access;
pub mod cookies;
pub mod guard;
pub mod limits;
pub mod password;
pub mod redirect;
pub mod tokens;

use limits::{LoginBackoff, PerIp};
use password::HashGate;

/// Everything that stands between an anonymous client and our costly work: who may try
/// to log in or register how often, and how many passwords are hashed at once.
pub struct Gatekeeper {
    pub login_per_ip: PerIp,
    pub login_backoff: LoginBackoff,
    pub register_per_ip: PerIp,
    pub hashing: HashGate,
}

impl Gatekeeper {
    pub fn new(config: &crate::server::config::Config) -> Self {
        Self {
            login_per_ip: PerIp::per_minute(config.login_per_ip_per_minute),
            login_backoff: LoginBackoff::new(config.login_free_failures),
            register_per_ip: PerIp::per_minute(config.register_per_ip_per_minute),
            hashing: HashGate::for_this_machine(),
        }
    }
}
