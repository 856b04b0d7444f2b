//! The window a report reads: the last 7 / 30 / 90 days up to the end of the current hour
//! (so that it is whole hours, which the hourly rollups sum exactly), or whole calendar
//! days (UTC) chosen by the admin. One parser for the URL (`?period=30`, or
//! `?period=custom&from=2026-11-01&to=2026-11-15`) and the server function, so the page
//! and the figures never disagree about what a query means.
use serde::{Deserialize, Serialize};

use super::attribution::{DAY_MS, HOUR_MS};
use super::error::FieldError;
use super::payouts::LocalDate;

/// The preset lengths, in days.
pub const PRESETS: [i64; 3] = [7, 30, 90];
/// The preset used when none (or an unknown one) is asked for.
pub const DEFAULT_DAYS: i64 = 30;
/// A custom window is at most a year and a day, so the daily series stays a page.
pub const MAX_CUSTOM_DAYS: i64 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Period {
    /// The last N days up to the end of the current hour (one of [`PRESETS`]).
    Last(i64),
    /// Whole days from `from` to `to`, both included.
    Custom { from: LocalDate, to: LocalDate },
}

/// A window in unix milliseconds, `from` included and `to` excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from_ms: i64,
    pub to_ms: i64,
    pub days: i64,
}

impl Window {
    /// The window of the same length just before this one (the comparison).
    pub fn before(self) -> Window {
        Window { from_ms: self.from_ms - self.days * DAY_MS, to_ms: self.from_ms, days: self.days }
    }
}

impl Default for Period {
    fn default() -> Self {
        Period::Last(DEFAULT_DAYS)
    }
}

impl Period {
    /// From the query's `period`, `from` and `to` (each may be empty). A preset other than
    /// the three offered, or a custom window without both dates, is a field error.
    pub fn parse(period: &str, from: &str, to: &str) -> Result<Period, FieldError> {
        match period.trim() {
            "" => Ok(Period::default()),
            "custom" => Self::custom(from, to),
            days => days
                .parse::<i64>()
                .ok()
                .filter(|d| PRESETS.contains(d))
                .map(Period::Last)
                .ok_or_else(|| FieldError::new("period", "Choose 7, 30 or 90 days, or a custom range.")),
        }
    }

    fn custom(from: &str, to: &str) -> Result<Period, FieldError> {
        let date = |field: &str, text: &str| {
            LocalDate::parse(text).ok_or_else(|| FieldError::new(field, "Give a date as YYYY-MM-DD."))
        };
        let (from, to) = (date("from", from)?, date("to", to)?);
        if to < from {
            return Err(FieldError::new("to", "The end date is before the start date."));
        }
        if to.days() - from.days() + 1 > MAX_CUSTOM_DAYS {
            return Err(FieldError::new("to", format!("A custom range is at most {MAX_CUSTOM_DAYS} days.")));
        }
        Ok(Period::Custom { from, to })
    }

    /// What the page shows when the URL asks for something it cannot read: the default.
    pub fn parse_or_default(period: &str, from: &str, to: &str) -> Period {
        Self::parse(period, from, to).unwrap_or_default()
    }

    /// The milliseconds this period covers at `now_ms`.
    pub fn window(self, now_ms: i64) -> Window {
        match self {
            Period::Last(days) => {
                let to_ms = end_of_hour(now_ms);
                Window { from_ms: to_ms - days * DAY_MS, to_ms, days }
            }
            Period::Custom { from, to } => {
                let days = to.days() - from.days() + 1;
                Window { from_ms: from.days() * DAY_MS, to_ms: (to.days() + 1) * DAY_MS, days }
            }
        }
    }

    /// The query string that asks for this period (`period=30`,
    /// `period=custom&from=…&to=…`).
    pub fn query(self) -> String {
        match self {
            Period::Last(days) => format!("period={days}"),
            Period::Custom { from, to } => format!("period=custom&from={from}&to={to}"),
        }
    }
}

/// The end of the hour holding `ms` (the next whole hour after it): "the last N days" ends
/// there, so every window is whole hours and the hourly rollups sum it exactly.
fn end_of_hour(ms: i64) -> i64 {
    ms.div_euclid(HOUR_MS) * HOUR_MS + HOUR_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_and_the_default_parse() {
        assert_eq!(Period::parse("", "", ""), Ok(Period::Last(30)));
        assert_eq!(Period::parse("7", "", ""), Ok(Period::Last(7)));
        assert_eq!(Period::parse("45", "", "").unwrap_err().field, "period");
        assert_eq!(Period::parse_or_default("abc", "", ""), Period::Last(30));
    }

    #[test]
    fn a_custom_range_covers_whole_days_both_included() {
        let p = Period::parse("custom", "2026-11-01", "2026-11-15").unwrap();
        let w = p.window(0);
        assert_eq!(w.days, 15);
        assert_eq!(w.to_ms - w.from_ms, 15 * DAY_MS);
        assert_eq!(w.from_ms, LocalDate::new(2026, 11, 1).days() * DAY_MS);
        assert_eq!(w.before().to_ms, w.from_ms);
        assert_eq!(w.before().from_ms, w.from_ms - 15 * DAY_MS);
        assert_eq!(p.query(), "period=custom&from=2026-11-01&to=2026-11-15");
        assert_eq!(Period::parse("custom", "2026-11-03", "2026-11-03").unwrap().window(0).days, 1);
    }

    #[test]
    fn a_custom_range_refuses_bad_dates_reversed_ends_and_more_than_a_year() {
        assert_eq!(Period::parse("custom", "2026-02-30", "2026-03-01").unwrap_err().field, "from");
        assert_eq!(Period::parse("custom", "2026-02-01", "").unwrap_err().field, "to");
        assert_eq!(Period::parse("custom", "2026-03-02", "2026-03-01").unwrap_err().field, "to");
        assert!(Period::parse("custom", "2025-01-01", "2026-01-01").is_ok());
        assert_eq!(Period::parse("custom", "2025-01-01", "2026-01-02").unwrap_err().field, "to");
    }

    #[test]
    fn the_last_n_days_end_with_the_current_hour() {
        let end = 100 * DAY_MS + HOUR_MS;
        for now in [100 * DAY_MS, 100 * DAY_MS + 1, end - 1] {
            let w = Period::Last(7).window(now);
            assert_eq!((w.from_ms, w.to_ms, w.days), (end - 7 * DAY_MS, end, 7), "at {now}");
        }
    }
}
