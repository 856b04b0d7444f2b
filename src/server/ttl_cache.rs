//! A small in-memory cache with a time-to-live, for lookups that run on every landing
//! (referral codes, custom-domain branding). Staleness is bounded by the TTL; writes on
//! this instance clear it at once.
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

pub struct TtlCache<V> {
    ttl: Duration,
    max_entries: usize,
    entries: RwLock<HashMap<String, (Instant, V)>>,
}

impl<V: Clone> TtlCache<V> {
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        Self { ttl, max_entries, entries: RwLock::new(HashMap::new()) }
    }

    pub fn get(&self, key: &str) -> Option<V> {
        let entries = self.entries.read().ok()?;
        entries.get(key).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, v)| v.clone())
    }

    pub fn insert(&self, key: String, value: V) {
        if let Ok(mut entries) = self.entries.write() {
            // Bounded without bookkeeping: a full cache starts over.
            if entries.len() >= self.max_entries {
                entries.clear();
            }
            entries.insert(key, (Instant::now(), value));
        }
    }

    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_the_cache_stays_bounded() {
        let cache = TtlCache::new(Duration::from_millis(30), 2);
        cache.insert("a".into(), 1);
        assert_eq!(cache.get("a"), Some(1));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(cache.get("a"), None);
        cache.insert("b".into(), 2);
        cache.insert("c".into(), 3);
        cache.insert("d".into(), 4);
        assert_eq!((cache.get("b"), cache.get("d")), (None, Some(4)));
        cache.clear();
        assert_eq!(cache.get("d"), None);
    }
}
