//! The platform's time zone (`platform_settings.time_zone`, an IANA name): payout due
//! dates are calendar dates there. jiff reads the system's tz database; an unknown name
//! falls back to UTC rather than stopping payouts.
use crate::domain::payouts::LocalDate;

/// The calendar date at `now_ms` in `zone`.
pub fn local_date(now_ms: i64, zone: &str) -> LocalDate {
    let tz = jiff::tz::TimeZone::get(zone.trim()).unwrap_or(jiff::tz::TimeZone::UTC);
    let ts = jiff::Timestamp::from_millisecond(now_ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let date = ts.to_zoned(tz).date();
    LocalDate::new(i64::from(date.year()), date.month() as u32, date.day() as u32)
}

/// Whether `zone` names a time zone this server knows.
pub fn is_known(zone: &str) -> bool {
    jiff::tz::TimeZone::get(zone.trim()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-12-01T03:00:00Z
    const DEC_1_0300_UTC: i64 = 1_796_094_000_000;

    #[test]
    fn the_same_instant_is_a_different_date_in_another_zone() {
        assert_eq!(local_date(DEC_1_0300_UTC, "UTC"), LocalDate::new(2026, 12, 1));
        assert_eq!(local_date(DEC_1_0300_UTC, "America/New_York"), LocalDate::new(2026, 11, 30));
        assert_eq!(local_date(DEC_1_0300_UTC - 4 * 3_600_000, "Asia/Tokyo"), LocalDate::new(2026, 12, 1));
    }

    #[test]
    fn an_unknown_zone_falls_back_to_utc() {
        assert_eq!(local_date(DEC_1_0300_UTC, "Mars/Olympus"), LocalDate::new(2026, 12, 1));
        assert!(!is_known("Mars/Olympus") && is_known("Europe/Berlin"));
    }
}
