use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Login attempts allowed per client IP and per account, each per minute.
pub struct LoginLimits {
    per_ip: DefaultKeyedRateLimiter<String>,
    per_account: DefaultKeyedRateLimiter<String>,
}

impl LoginLimits {
    pub fn new(per_ip_per_minute: u32, per_account_per_minute: u32) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).expect("at least one"));
        Self {
            per_ip: RateLimiter::keyed(quota(per_ip_per_minute)),
            per_account: RateLimiter::keyed(quota(per_account_per_minute)),
        }
    }

    /// Counts one attempt; false when either the IP or the account is over its limit.
    pub fn allow(&self, ip: &str, account: &str) -> bool {
        let ip_ok = self.per_ip.check_key(&ip.to_string()).is_ok();
        let account_ok = self.per_account.check_key(&account.to_lowercase()).is_ok();
        ip_ok && account_ok
    }
}
