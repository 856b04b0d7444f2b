//! A small in-memory cache with a time-to-live, for lookups that run on every landing
//! (referral codes, custom-domain branding, rendered landing pages). Staleness is bounded
//! by the TTL; writes on this instance clear it at once, and a value computed from what the
//! database held before such a clear is not stored after it (see [`TtlCache::clear`]).
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use tokio::sync::watch;

/// How long a caller of [`TtlCache::get_or_compute`] waits for another caller's lookup of
/// the same key before doing its own (a lookup takes about a millisecond; this only guards
/// against a stuck one).
const LOOKUP_PATIENCE: Duration = Duration::from_secs(2);

pub struct TtlCache<V> {
    ttl: Duration,
    max_entries: usize,
    inner: RwLock<Inner<V>>,
}

struct Inner<V> {
    /// Bumped by every [`TtlCache::clear`]: a value computed under an older generation may
    /// predate the change that cleared the cache.
    generation: u64,
    entries: HashMap<String, Entry<V>>,
    /// The one render in flight per key (see [`TtlCache::lookup`]).
    renders: HashMap<String, Render<V>>,
}

struct Entry<V> {
    at: Instant,
    value: V,
}

/// A caller computing a key's value: since when, and where the others wait for it.
struct Render<V> {
    since: Instant,
    done: watch::Receiver<Option<V>>,
}

/// What [`TtlCache::lookup_at`] found, and who renders a new value.
enum Lookup<V> {
    /// Within its TTL.
    Fresh(V),
    /// Expired by less than a TTL, and another caller is already refreshing it: serve this
    /// meanwhile.
    Stale(V),
    /// Missing or too old to serve, and another caller is already rendering it: wait for
    /// that value ([`Wait::value`]) instead of rendering it again.
    Wait(Wait<V>),
    /// Missing, or expired with nobody refreshing it yet: this caller computes the value.
    Refresh(Filling<V>),
}

/// The right (and duty) to compute a key's value and hand it to [`TtlCache::fill`]:
/// the callers waiting for it hear from this, and dropping it releases them without one.
pub struct Filling<V> {
    done: watch::Sender<Option<V>>,
    /// The cache's generation when the lookup began (None: unknown, so never stored).
    generation: Option<u64>,
}

impl<V> Filling<V> {
    /// A render nobody waits for (this caller stopped waiting, in `generation`; or the lock
    /// is poisoned, None).
    fn alone(generation: Option<u64>) -> Self {
        Self { done: watch::channel(None).0, generation }
    }
}

/// A wait for another caller's render.
struct Wait<V> {
    done: watch::Receiver<Option<V>>,
    generation: u64,
}

impl<V: Clone> Wait<V> {
    /// The value the other caller rendered; None if it gave up (its response was not one
    /// to cache) or took longer than `patience`: then render it yourself.
    async fn value(&mut self, patience: Duration) -> Option<V> {
        let rendered = tokio::time::timeout(patience, self.done.wait_for(Option::is_some)).await;
        rendered.ok()?.ok().and_then(|value| value.clone())
    }
}

impl<V: Clone> TtlCache<V> {
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        let inner = Inner { generation: 0, entries: HashMap::new(), renders: HashMap::new() };
        Self { ttl, max_entries, inner: RwLock::new(inner) }
    }

    pub fn get(&self, key: &str) -> Option<V> {
        self.get_at(key, Instant::now())
    }

    /// Like `get`, but one caller at a time renders a key. An entry expired by less than a
    /// TTL is served to the others while it renders (stale-while-revalidate); a missing
    /// entry, or one too old to serve, makes the others wait for that render. Before, every
    /// visitor arriving in the expiry instant rendered and compressed the page itself: the
    /// landing's p99 at 5,000 req/s was 120 ms from this alone, and a burst after more than
    /// two TTLs of quiet still stalled the first 64 connections for 85–190 ms.
    ///
    /// The value, or the [`Filling`] of a caller that computes it: nobody else is, or the
    /// one who is took longer than `patience` or gave up (then this caller's value goes
    /// into the cache for nobody waiting).
    pub async fn lookup(&self, key: &str, patience: Duration) -> Result<V, Filling<V>> {
        match self.lookup_at(key, Instant::now()) {
            Lookup::Fresh(value) | Lookup::Stale(value) => Ok(value),
            Lookup::Refresh(filling) => Err(filling),
            Lookup::Wait(mut wait) => {
                wait.value(patience).await.ok_or_else(|| Filling::alone(Some(wait.generation)))
            }
        }
    }

    /// [`TtlCache::lookup`] for a value computed by one fallible call (a lookup in the
    /// database): the value, or `compute`'s when this caller is the one to compute it. An
    /// error is not cached; the callers waiting for this one then compute for themselves.
    pub async fn get_or_compute<E>(
        &self,
        key: &str,
        compute: impl Future<Output = Result<V, E>>,
    ) -> Result<V, E> {
        let filling = match self.lookup(key, LOOKUP_PATIENCE).await {
            Ok(value) => return Ok(value),
            Err(filling) => filling,
        };
        let value = compute.await?;
        self.fill(filling, key.to_string(), value.clone());
        Ok(value)
    }

    /// Stores the value a [`TtlCache::lookup`] caller computed and hands it to the callers
    /// waiting for it. Not stored when the cache was cleared since that lookup began: the
    /// value may have been read before the write that cleared it (the waiters, who asked
    /// before that write too, still get it).
    pub fn fill(&self, filling: Filling<V>, key: String, value: V) {
        if let Some(generation) = filling.generation {
            self.insert_at(key, value.clone(), Instant::now(), generation);
        }
        filling.done.send_replace(Some(value));
    }

    // The `_at` forms take the instant so the tests move time instead of sleeping.
    fn get_at(&self, key: &str, now: Instant) -> Option<V> {
        let inner = self.inner.read().ok()?;
        inner.entries.get(key).filter(|e| now < e.at + self.ttl).map(|e| e.value.clone())
    }

    fn lookup_at(&self, key: &str, now: Instant) -> Lookup<V> {
        if let Some(value) = self.get_at(key, now) {
            return Lookup::Fresh(value);
        }
        let Ok(mut inner) = self.inner.write() else { return Lookup::Refresh(Filling::alone(None)) };
        let generation = inner.generation;
        let entry = inner.entries.get(key).filter(|e| now < e.at + 2 * self.ttl);
        if let Some(e) = entry.filter(|e| now < e.at + self.ttl) {
            return Lookup::Fresh(e.value.clone());
        }
        // A render that gave up (its `Filling` dropped) or has taken a whole TTL is over.
        let render =
            inner.renders.get(key).filter(|r| now < r.since + self.ttl && r.done.has_changed().is_ok());
        match (render, entry) {
            (Some(_), Some(e)) => Lookup::Stale(e.value.clone()),
            (Some(render), None) => Lookup::Wait(Wait { done: render.done.clone(), generation }),
            (None, _) => {
                // A render that never fills (its response was not one to cache) stays until
                // its key renders again: keys come from requests, so this map is bounded too.
                if inner.renders.len() >= self.max_entries {
                    inner.renders.clear();
                }
                let (tx, done) = watch::channel(None);
                inner.renders.insert(key.to_string(), Render { since: now, done });
                Lookup::Refresh(Filling { done: tx, generation: Some(generation) })
            }
        }
    }

    fn insert_at(&self, key: String, value: V, now: Instant, generation: u64) {
        if let Ok(mut inner) = self.inner.write()
            && inner.generation == generation
        {
            // Bounded without bookkeeping: a full cache starts over.
            if inner.entries.len() >= self.max_entries {
                inner.entries.clear();
            }
            inner.renders.remove(&key);
            inner.entries.insert(key, Entry { at: now, value });
        }
    }

    /// Forgets every entry, after a write that changes what they were computed from. The
    /// renders in flight are forgotten too (later callers compute afresh instead of waiting
    /// for a value read before the write), and what they compute is not stored.
    pub fn clear(&self) {
        if let Ok(mut inner) = self.inner.write() {
            inner.generation += 1;
            inner.entries.clear();
            inner.renders.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTL: Duration = Duration::from_secs(5);

    /// Stores a value as a lookup that began now would.
    fn put<V: Clone>(cache: &TtlCache<V>, key: &str, value: V, at: Instant) {
        let generation = cache.inner.read().unwrap().generation;
        cache.insert_at(key.into(), value, at, generation);
    }

    #[test]
    fn entries_expire_and_the_cache_stays_bounded() {
        let cache = TtlCache::new(TTL, 2);
        let t0 = Instant::now();
        put(&cache, "a", 1, t0);
        assert_eq!(cache.get_at("a", t0 + TTL / 2), Some(1));
        assert_eq!(cache.get_at("a", t0 + TTL), None);
        put(&cache, "b", 2, t0);
        put(&cache, "c", 3, t0);
        put(&cache, "d", 4, t0);
        assert_eq!((cache.get_at("b", t0), cache.get_at("d", t0)), (None, Some(4)));
        cache.clear();
        assert_eq!(cache.get_at("d", t0), None);
    }

    fn refresh<V>(lookup: Lookup<V>) -> Filling<V> {
        match lookup {
            Lookup::Refresh(filling) => filling,
            _ => panic!("expected this caller to render"),
        }
    }

    #[test]
    fn an_expired_entry_is_refreshed_by_one_caller_while_the_others_serve_it() {
        let cache = TtlCache::new(TTL, 8);
        let t0 = Instant::now();
        let first = refresh(cache.lookup_at("p", t0));
        put(&cache, "p", 1, t0);
        drop(first);
        assert!(matches!(cache.lookup_at("p", t0 + TTL / 2), Lookup::Fresh(1)));
        let t1 = t0 + TTL;
        let filling = refresh(cache.lookup_at("p", t1));
        assert!(matches!(cache.lookup_at("p", t1), Lookup::Stale(1)), "the others serve the old page");
        assert!(matches!(cache.lookup_at("p", t1 + TTL / 2), Lookup::Stale(1)));
        put(&cache, "p", 2, t1);
        drop(filling);
        assert!(matches!(cache.lookup_at("p", t1), Lookup::Fresh(2)));
        // A refresh that never lands: another caller takes it over after a TTL, and
        // nothing older than two TTLs is served.
        let t2 = t1 + TTL;
        let _hung = refresh(cache.lookup_at("p", t2));
        assert!(matches!(cache.lookup_at("p", t2 + TTL / 2), Lookup::Stale(2)));
        let _next = refresh(cache.lookup_at("p", t2 + TTL));
        assert!(matches!(cache.lookup_at("p", t2 + TTL), Lookup::Wait(_)), "too old to serve: wait");
    }

    #[tokio::test]
    async fn callers_wait_for_the_one_render_of_a_missing_or_too_old_entry() {
        let cache = TtlCache::new(TTL, 8);
        let t0 = Instant::now();
        let filling = refresh(cache.lookup_at("p", t0));
        let waits: Vec<Wait<i32>> = (0..3)
            .map(|_| match cache.lookup_at("p", t0) {
                Lookup::Wait(wait) => wait,
                _ => panic!("a second caller renders the same missing page again"),
            })
            .collect();
        let waiting = tokio::spawn(async move {
            let mut values = Vec::new();
            for mut wait in waits {
                values.push(wait.value(TTL).await);
            }
            values
        });
        cache.fill(filling, "p".into(), 7);
        assert_eq!(waiting.await.unwrap(), vec![Some(7); 3]);
        assert!(matches!(cache.lookup_at("p", t0), Lookup::Fresh(7)));

        // Long after: too old to serve stale, so the others wait; a render that gives up
        // (nothing to cache) releases them to render for themselves, and the next caller
        // starts a render of its own.
        let late = t0 + 10 * TTL;
        let filling = refresh(cache.lookup_at("p", late));
        let Lookup::Wait(mut wait) = cache.lookup_at("p", late) else { panic!("expected a wait") };
        drop(filling);
        assert_eq!(wait.value(TTL).await, None);
        let _again = refresh(cache.lookup_at("p", late));
    }

    #[tokio::test]
    async fn a_waiter_gives_up_after_its_patience() {
        let cache = TtlCache::new(TTL, 8);
        let _slow = refresh(cache.lookup_at("p", Instant::now()));
        let Lookup::Wait(mut wait) = cache.lookup_at("p", Instant::now()) else { panic!("expected a wait") };
        assert_eq!(wait.value(Duration::from_millis(20)).await, None::<i32>);
        assert!(cache.lookup("p", Duration::from_millis(20)).await.is_err(), "then it renders itself");
    }

    #[tokio::test]
    async fn a_value_computed_before_a_clear_is_handed_to_its_waiters_but_not_stored() {
        let cache = TtlCache::new(TTL, 8);
        let t0 = Instant::now();
        let before = refresh(cache.lookup_at("p", t0));
        let Lookup::Wait(mut waiting) = cache.lookup_at("p", t0) else { panic!("expected a wait") };
        cache.clear(); // a write changed what "p" is computed from
        // A caller after the write computes afresh instead of waiting for the old render.
        let after = refresh(cache.lookup_at("p", t0));
        cache.fill(before, "p".into(), 1);
        assert_eq!(waiting.value(TTL).await, Some(1), "who asked before the write gets the old value");
        assert_eq!(cache.get_at("p", t0), None, "but it is not served to anyone after the write");
        cache.fill(after, "p".into(), 2);
        assert_eq!(cache.get_at("p", t0), Some(2));
    }
}
