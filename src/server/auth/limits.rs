//! Rate limits for the unauthenticated endpoints that cost us work (login, registration)
//! and the login backoff that can't be turned against an account's owner.
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Requests per minute per client IP (GCRA, so bursts are allowed up to the quota).
pub struct PerIp(DefaultKeyedRateLimiter<String>);

impl PerIp {
    pub fn per_minute(n: u32) -> Self {
        Self(RateLimiter::keyed(Quota::per_minute(NonZeroU32::new(n.max(1)).expect("at least one"))))
    }

    /// Counts one request; false when the IP is over its limit.
    pub fn allow(&self, ip: &str) -> bool {
        self.0.check_key(&ip.to_string()).is_ok()
    }
}

/// Failed logins are counted per account *and client network* (/24 for IPv4, /64 for
/// IPv6), and only for attempts whose password was really checked. After
/// `free_failures` misses that pair waits, doubling from 1 s up to 15 min, while the
/// owner on another network is unaffected: a throttled attacker can't lock anyone out.
pub struct LoginBackoff {
    free_failures: u32,
    failures: Mutex<HashMap<(String, String), Failures>>,
}

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    wait_until: Instant,
}

const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// A pair with no failure for this long starts again from zero.
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);
/// Above this many tracked pairs, forgotten ones are pruned (bounds memory).
const PRUNE_ABOVE: usize = 50_000;

impl LoginBackoff {
    pub fn new(free_failures: u32) -> Self {
        Self { free_failures: free_failures.max(1), failures: Mutex::new(HashMap::new()) }
    }

    /// How long this account must wait before another attempt from this network.
    pub fn wait(&self, account: &str, ip: &str) -> Option<Duration> {
        let now = Instant::now();
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let entry = failures.get(&key(account, ip))?;
        (entry.wait_until > now).then(|| entry.wait_until - now)
    }

    /// Records a checked attempt that failed.
    pub fn failed(&self, account: &str, ip: &str) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() > PRUNE_ABOVE {
            failures.retain(|_, f| now.duration_since(f.last) < FORGET_AFTER);
        }
        let entry =
            failures.entry(key(account, ip)).or_insert(Failures { count: 0, last: now, wait_until: now });
        if now.duration_since(entry.last) >= FORGET_AFTER {
            entry.count = 0;
        }
        entry.count += 1;
        entry.last = now;
        entry.wait_until = now + backoff(entry.count, self.free_failures);
    }

    /// A correct password clears this network's record for the account.
    pub fn succeeded(&self, account: &str, ip: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(&key(account, ip));
    }
}

/// Zero for the first `free` failures, then 1 s, 2 s, 4 s… at most 15 minutes.
fn backoff(count: u32, free: u32) -> Duration {
    match count.checked_sub(free) {
        None | Some(0) => Duration::ZERO,
        Some(over) => Duration::from_secs(1u64 << (over - 1).min(20)).min(MAX_WAIT),
    }
}

fn key(account: &str, ip: &str) -> (String, String) {
    (account.trim().to_lowercase(), network(ip))
}

/// The client's network: one household or office shares a /24 (IPv4) or /64 (IPv6).
fn network(ip: &str) -> String {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        Ok(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Err(_) => ip.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_starts_after_the_free_failures_and_doubles_to_a_cap() {
        assert_eq!(backoff(5, 5), Duration::ZERO);
        assert_eq!(backoff(6, 5), Duration::from_secs(1));
        assert_eq!(backoff(7, 5), Duration::from_secs(2));
        assert_eq!(backoff(9, 5), Duration::from_secs(8));
        assert_eq!(backoff(60, 5), MAX_WAIT);
        assert_eq!(backoff(u32::MAX, 5), MAX_WAIT);
    }

    #[test]
    fn failures_from_one_network_do_not_hold_up_another() {
        let b = LoginBackoff::new(2);
        for _ in 0..4 {
            b.failed("Owner@Example.com", "203.0.113.7");
        }
        assert!(b.wait("owner@example.com", "203.0.113.99").is_some(), "same /24 waits");
        assert!(b.wait("owner@example.com", "198.51.100.1").is_none(), "another network does not");
        b.succeeded("owner@example.com", "203.0.113.7");
        assert!(b.wait("owner@example.com", "203.0.113.7").is_none());
    }

    #[test]
    fn networks_are_prefixes() {
        assert_eq!(network("10.1.2.3"), "10.1.2.0/24");
        assert_eq!(network("2001:db8:1:2:3::4"), "2001:db8:1:2::/64");
    }
}
