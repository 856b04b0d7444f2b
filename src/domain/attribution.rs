//! What a browser carries between landing and signup: the first-touch referrer and the
//! last listing share token, each with the time it was captured. Encoded into cookie
//! values (and browser storage) as `<value>.<captured_ms>[.<click id>]`: codes, tokens
//! and ids never contain a dot.
use serde::{Deserialize, Serialize};

pub const DAY_MS: i64 = 86_400_000;
/// The bucket of the hourly rollups; report windows are whole hours.
pub const HOUR_MS: i64 = 3_600_000;
/// Browsers cap cookie lifetimes at 400 days; so do we.
pub const MAX_WINDOW_DAYS: i64 = 400;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Touch {
    pub code: String,
    pub captured_at: i64,
    pub click_id: Option<String>,
    /// The listing the visitor landed on, when the referrer is its creator.
    pub listing_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareTouch {
    pub token: String,
    pub captured_at: i64,
}

fn is_part(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Touch {
    /// `code.captured[.click[.listing]]`; an empty click part keeps the listing's place.
    pub fn encode(&self) -> String {
        use std::fmt::Write;
        // One buffer, written in place: every referral landing sets this cookie.
        let mut value = String::with_capacity(128);
        let _ = write!(value, "{}.{}", self.code, self.captured_at);
        if self.click_id.is_some() || self.listing_id.is_some() {
            value.push('.');
            value.push_str(self.click_id.as_deref().unwrap_or(""));
        }
        if let Some(listing) = &self.listing_id {
            value.push('.');
            value.push_str(listing);
        }
        value
    }

    pub fn decode(value: &str) -> Option<Self> {
        let mut parts = value.split('.');
        let code = parts.next().filter(|c| is_part(c))?.to_string();
        let captured_at = parts.next()?.parse().ok()?;
        let optional = |part: Option<&str>| match part {
            None | Some("") => Ok(None),
            Some(p) if is_part(p) => Ok(Some(p.to_string())),
            Some(_) => Err(()),
        };
        let click_id = optional(parts.next()).ok()?;
        let listing_id = optional(parts.next()).ok()?;
        parts.next().is_none().then_some(Self { code, captured_at, click_id, listing_id })
    }

    /// Still attributing at `now`, for a window of `days`?
    pub fn within(&self, now: i64, days: i64) -> bool {
        within(self.captured_at, now, days)
    }
}

impl ShareTouch {
    pub fn encode(&self) -> String {
        format!("{}.{}", self.token, self.captured_at)
    }

    pub fn decode(value: &str) -> Option<Self> {
        let (token, at) = value.split_once('.')?;
        if !is_part(token) {
            return None;
        }
        Some(Self { token: token.to_string(), captured_at: at.parse().ok()? })
    }

    pub fn within(&self, now: i64, days: i64) -> bool {
        within(self.captured_at, now, days)
    }
}

/// A capture time in the future (clock skew) counts as now.
fn within(captured_at: i64, now: i64, days: i64) -> bool {
    let days = days.clamp(0, MAX_WINDOW_DAYS);
    now.saturating_sub(captured_at).max(0) <= days * DAY_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touches_round_trip_through_their_cookie_value() {
        let t = Touch {
            code: "Summer_25".into(),
            captured_at: 1_700_000_000_000,
            click_id: Some("abc123".into()),
            listing_id: Some("0199-ab".into()),
        };
        assert_eq!(Touch::decode(&t.encode()), Some(t.clone()));
        let no_click = Touch { click_id: None, ..t.clone() };
        assert_eq!(Touch::decode(&no_click.encode()), Some(no_click));
        let bare = Touch { click_id: None, listing_id: None, ..t };
        assert_eq!(bare.encode(), "Summer_25.1700000000000");
        assert_eq!(Touch::decode(&bare.encode()), Some(bare));
        let s = ShareTouch { token: "tok_1".into(), captured_at: 5 };
        assert_eq!(ShareTouch::decode(&s.encode()), Some(s));
    }

    #[test]
    fn malformed_values_are_ignored() {
        for bad in ["", "code", "code.", "code.x", "a b.1", "c.1.bad id", "c.1.x.y.z", ".1"] {
            assert_eq!(Touch::decode(bad), None, "{bad}");
        }
        assert_eq!(ShareTouch::decode("tok"), None);
    }

    #[test]
    fn the_window_includes_its_last_day_and_not_the_next() {
        let t = Touch { code: "c".into(), captured_at: 0, click_id: None, listing_id: None };
        assert!(t.within(60 * DAY_MS, 60));
        assert!(!t.within(60 * DAY_MS + 1, 60));
        assert!(t.within(-5, 60), "a capture in the future counts as now");
        assert!(!t.within(401 * DAY_MS, 1000), "never beyond the 400-day cap");
    }
}
