use super::Shared;
use crate::domain::attribution::DAY_MS;
use crate::model::AppError;
use crate::model::types::{AttributionStats, DailyPoint};
use crate::server::db::{Db, clicks};

const CHART_DAYS: i64 = 30;

pub async fn for_partner(db: &Db, partner_id: &str) -> Result<AttributionStats, AppError> {
    let today = db.now_ms() / DAY_MS * DAY_MS;
    let since = today - (CHART_DAYS - 1) * DAY_MS;
    let events = clicks::events_since(&db.pool, partner_id, since).await?;
    Ok(AttributionStats {
        by_code: clicks::stats_by_code(&db.pool, partner_id).await?.shared(),
        by_listing: clicks::stats_by_listing(&db.pool, partner_id).await?.shared(),
        daily: daily(since, CHART_DAYS, &events),
    })
}

/// Buckets (kind, time) events into UTC days starting at `since`.
fn daily(since: i64, days: i64, events: &[(String, i64)]) -> Vec<DailyPoint> {
    let mut points: Vec<DailyPoint> = (0..days)
        .map(|d| DailyPoint { day_start_ms: since + d * DAY_MS, clicks: 0, signups: 0, conversions: 0 })
        .collect();
    for (kind, at) in events {
        let Some(point) =
            usize::try_from((at - since).div_euclid(DAY_MS)).ok().and_then(|i| points.get_mut(i))
        else {
            continue;
        };
        match kind.as_str() {
            "click" => point.clicks += 1,
            "signup" => point.signups += 1,
            _ => point.conversions += 1,
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_land_in_their_day_and_outsiders_are_dropped() {
        let events = vec![
            ("click".to_string(), 0),
            ("click".to_string(), DAY_MS - 1),
            ("signup".to_string(), DAY_MS),
            ("conversion".to_string(), 2 * DAY_MS + 5),
            ("click".to_string(), 3 * DAY_MS),
            ("click".to_string(), -1),
        ];
        let points = daily(0, 3, &events);
        assert_eq!(points.iter().map(|p| p.clicks).collect::<Vec<_>>(), [2, 0, 0]);
        assert_eq!(points[1].signups, 1);
        assert_eq!(points[2].conversions, 1);
    }
}
