//! Lookups whose failure may be treated as "nothing there" (a landing still renders
//! when the database hiccups) — but never silently: the outage is logged with what we
//! were doing, so "signed out" or "not found" caused by an error leaves a trace.
use std::fmt::Display;

pub trait OrLog<T> {
    /// `Ok(x)` → `x`; `Err(e)` → logged with `op` and the caller's location, then `None`.
    fn or_log(self, op: &'static str) -> Option<T>;
}

impl<T, E: Display> OrLog<T> for Result<Option<T>, E> {
    #[track_caller]
    fn or_log(self, op: &'static str) -> Option<T> {
        match self {
            Ok(found) => found,
            Err(e) => {
                let at = std::panic::Location::caller();
                tracing::error!(error = %e, %at, op, "lookup failed; treated as absent");
                None
            }
        }
    }
}
