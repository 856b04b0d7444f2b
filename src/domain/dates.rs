//! Calendar formatting for Unix-millisecond timestamps, in UTC.
//!
//! Done by hand (Howard Hinnant's days/civil algorithms) rather than with a
//! date crate so the domain layer stays dependency-free for the wasm build. UTC
//! everywhere so the server-rendered page and the hydrated page agree.

pub const MS_PER_DAY: i64 = 86_400_000;

/// `2026-11-21`
pub fn format_date(unix_ms: i64) -> String {
    let (y, m, d) = civil_from_days(unix_ms.div_euclid(MS_PER_DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `2026-11-21 14:03 UTC` (minutes are truncated, never rounded up into the
/// next hour or day).
pub fn format_datetime(unix_ms: i64) -> String {
    let days = unix_ms.div_euclid(MS_PER_DAY);
    let minute_of_day = unix_ms.rem_euclid(MS_PER_DAY) / 60_000;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", minute_of_day / 60, minute_of_day % 60)
}

/// Days since 1970-01-01 → (year, month 1–12, day 1–31), proleptic Gregorian.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Shift the epoch to 0000-03-01 so that the leap day is the last day of
    // the (March-based) year, and work in 400-year eras of 146_097 days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, 0..=146_096
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // 0..=365, from March 1st
    let mp = (5 * doy + 2) / 153; // 0..=11, March = 0
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month 1–12, day 1–31) → days since 1970-01-01. Inverse of
/// [`civil_from_days`]; useful for building timestamps in tests and for
/// "N days after" arithmetic on dates.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SEC: i64 = 1_000;

    #[test]
    fn the_epoch_is_1970_01_01_at_midnight() {
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(format_datetime(0), "1970-01-01 00:00 UTC");
    }

    #[test]
    fn one_millisecond_before_the_epoch_is_the_last_minute_of_1969() {
        assert_eq!(format_date(-1), "1969-12-31");
        assert_eq!(format_datetime(-1), "1969-12-31 23:59 UTC");
    }

    #[test]
    fn a_known_recent_timestamp_formats_correctly() {
        // 2026-11-21T14:03:59Z
        assert_eq!(format_date(1_795_269_839 * SEC), "2026-11-21");
        assert_eq!(format_datetime(1_795_269_839 * SEC + 999), "2026-11-21 14:03 UTC");
    }

    #[test]
    fn leap_days_are_real_days() {
        assert_eq!(format_date(951_782_400 * SEC), "2000-02-29"); // divisible by 400
        assert_eq!(format_datetime(1_709_251_140 * SEC), "2024-02-29 23:59 UTC");
        assert_eq!(format_date(1_709_251_200 * SEC), "2024-03-01");
        // 1900 was not a leap year: Feb 28 is followed by Mar 1.
        assert_eq!(format_date(-2_203_891_200 * SEC), "1900-03-01");
        assert_eq!(format_date((-2_203_891_200 - 86_400) * SEC), "1900-02-28");
    }

    #[test]
    fn year_boundaries_roll_over() {
        assert_eq!(days_from_civil(2027, 1, 1) - days_from_civil(2026, 12, 31), 1);
        assert_eq!(format_date(days_from_civil(2026, 12, 31) * MS_PER_DAY), "2026-12-31");
        assert_eq!(format_date(days_from_civil(2027, 1, 1) * MS_PER_DAY), "2027-01-01");
    }

    #[test]
    fn extreme_timestamps_do_not_panic() {
        let _ = format_datetime(i64::MAX);
        let _ = format_datetime(i64::MIN);
    }

    proptest! {
        #[test]
        fn days_and_civil_dates_convert_back_and_forth(days in -1_000_000i64..=1_000_000) {
            let (y, m, d) = civil_from_days(days);
            prop_assert!((1..=12).contains(&m) && (1..=31).contains(&d));
            prop_assert_eq!(days_from_civil(y, m, d), days);
        }

        #[test]
        fn consecutive_days_format_in_increasing_order(days in -100_000i64..=100_000) {
            // Zero-padded ISO dates sort as strings, for years 0..=9999.
            let a = format_date(days * MS_PER_DAY);
            let b = format_date((days + 1) * MS_PER_DAY);
            prop_assert!(a < b);
        }
    }
}
