use super::Shared;
use crate::domain::attribution::DAY_MS;
use crate::model::AppError;
use crate::model::types::{AttributionStats, DailyPoint};
use crate::server::db::{Db, clicks};

const CHART_DAYS: i64 = 30;

pub async fn for_partner(db: &Db, partner_id: &str) -> Result<AttributionStats, AppError> {
    let (by_code, by_listing, daily) = tokio::try_join!(
        clicks::stats_by_code(&db.pool, partner_id),
        clicks::stats_by_listing(&db.pool, partner_id),
        daily_for_partner(db, partner_id),
    )?;
    Ok(AttributionStats { by_code: by_code.shared(), by_listing: by_listing.shared(), daily })
}

/// The last 30 days' clicks, signups and conversions per day (the portal home's chart).
pub async fn daily_for_partner(db: &Db, partner_id: &str) -> Result<Vec<DailyPoint>, sqlx::Error> {
    let today = db.now_ms() / DAY_MS * DAY_MS;
    let since = today - (CHART_DAYS - 1) * DAY_MS;
    let counts = clicks::daily_since(&db.pool, partner_id, since).await?;
    Ok(daily(since, CHART_DAYS, &counts))
}

/// Spreads (kind, day, count) rows over the days starting at `since`; days outside are dropped.
fn daily(since: i64, days: i64, counts: &[(String, i64, i64)]) -> Vec<DailyPoint> {
    let mut points: Vec<DailyPoint> = (0..days)
        .map(|d| DailyPoint { day_start_ms: since + d * DAY_MS, clicks: 0, signups: 0, conversions: 0 })
        .collect();
    for (kind, day, n) in counts {
        let Some(point) = usize::try_from(*day).ok().and_then(|i| points.get_mut(i)) else {
            continue;
        };
        match kind.as_str() {
            "click" => point.clicks += n,
            "signup" => point.signups += n,
            _ => point.conversions += n,
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_land_in_their_day_and_outsiders_are_dropped() {
        let counts = vec![
            ("click".to_string(), 0, 2),
            ("signup".to_string(), 1, 1),
            ("conversion".to_string(), 2, 1),
            ("click".to_string(), 3, 5),
            ("click".to_string(), -1, 7),
        ];
        let points = daily(0, 3, &counts);
        assert_eq!(points.iter().map(|p| p.clicks).collect::<Vec<_>>(), [2, 0, 0]);
        assert_eq!(points[1].signups, 1);
        assert_eq!(points[2].conversions, 1);
    }
}
