//! The app's clock. All time in services comes from here, so tests (and e2e runs with
//! clock control switched on) move time forward instead of sleeping or editing cookies.
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Wall-clock time plus an offset that only ever grows. Cloning shares the offset, so
/// every part of one app sees the same time; two apps in one test process don't.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// Now, in unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        system_now_ms() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Moves this app's time forward by `ms` (negative values are ignored: time that
    /// went backwards would break every "not before" rule).
    pub fn advance(&self, ms: i64) {
        if ms > 0 {
            self.offset_ms.fetch_add(ms, Ordering::Relaxed);
        }
    }

    pub fn advance_days(&self, days: i64) {
        self.advance(days.saturating_mul(crate::server::db::DAY_MS));
    }

    /// How far this clock is ahead of the wall clock.
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }
}

fn system_now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_clone_and_never_goes_back() {
        let clock = Clock::default();
        let other = clock.clone();
        let before = clock.now_ms();
        clock.advance_days(2);
        assert!(other.now_ms() >= before + 2 * 86_400_000);
        clock.advance(-10_000_000_000);
        assert!(other.now_ms() >= before + 2 * 86_400_000);
        assert!(Clock::default().offset_ms() == 0);
    }
}
