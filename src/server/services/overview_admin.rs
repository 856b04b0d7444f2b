//! The admin overview (`/admin`): the window's figures against the window before, the
//! daily series, top partners and the activity feed, all aggregated by `db::overview`.
use crate::domain::attribution::DAY_MS;
use crate::domain::period::Period;
use crate::model::AppError;
use crate::model::list::{ListQuery, Page};
use crate::model::types::{ActivityItem, AdminOverview, ClickRow, Figure, OverviewDay, TopPartner};
use crate::server::db::{Db, click_list, overview};

const TOP: i64 = 5;
const FEED: i64 = 12;

pub async fn admin(db: &Db, period: Period) -> Result<AdminOverview, AppError> {
    let now = db.now_ms();
    let window = period.window(now);
    let (from, to, period_days) = (window.from_ms, window.to_ms, window.days);
    let before = window.before();
    let pool = &db.pool;
    // Independent reads, side by side on the pool's connections: the page waits for the
    // slowest one instead of their sum.
    let (cur, prev, state, days, by_revenue, by_conversions, feed) = tokio::try_join!(
        overview::window(pool, from, to),
        overview::window(pool, before.from_ms, before.to_ms),
        overview::now(pool, now),
        overview::daily(pool, from, to),
        overview::top_by_revenue(pool, from, to, TOP),
        overview::top_by_conversions(pool, (from, to), TOP, overview::TIES_BY_NAME),
        overview::activity(pool, FEED),
    )?;
    let fig = |a: i64, b: i64| Figure { value: a, previous: b };
    let mut daily: Vec<OverviewDay> = (0..period_days)
        .map(|d| OverviewDay {
            day_start_ms: from + d * DAY_MS,
            clicks: 0,
            signups: 0,
            conversions: 0,
            commission_cents: 0,
        })
        .collect();
    for row in days {
        let Some(day) = usize::try_from(row.day).ok().and_then(|d| daily.get_mut(d)) else { continue };
        match row.kind.as_str() {
            "click" => day.clicks = row.n,
            "signup" => day.signups = row.n,
            "conversion" => day.conversions = row.n,
            _ => day.commission_cents = row.n,
        }
    }
    let top = |rows: Vec<overview::TopRow>| {
        rows.into_iter()
            .map(|r| TopPartner { partner_id: r.partner_id, partner_name: r.partner_name, value: r.value })
            .collect()
    };
    Ok(AdminOverview {
        period,
        period_days,
        from_ms: from,
        to_ms: to,
        clicks: fig(cur.clicks, prev.clicks),
        signups: fig(cur.signups, prev.signups),
        conversions: fig(cur.conversions, prev.conversions),
        conversion_rate_bps: fig(
            rate_bps(cur.conversions, cur.signups),
            rate_bps(prev.conversions, prev.signups),
        ),
        billed_cents: fig(cur.billed_cents, prev.billed_cents),
        commission_cents: fig(cur.commission_cents, prev.commission_cents),
        mrr_cents: state.mrr_cents,
        active_referred: state.active_referred,
        payouts_due_cents: state.payouts_due_cents,
        payouts_due: state.payouts_due,
        next_run_cents: state.next_run_cents,
        awaiting_approval: state.awaiting_approval,
        daily,
        top_by_revenue: top(by_revenue),
        top_by_conversions: top(by_conversions),
        activity: feed
            .into_iter()
            .map(|r| ActivityItem {
                kind: r.kind,
                at: r.at,
                partner_id: r.partner_id,
                partner_name: r.partner_name,
                subject: r.subject,
                amount_cents: r.amount_cents,
            })
            .collect(),
    })
}

/// One page of Admin → Clicks (the list behind the overview's Clicks figure).
pub async fn click_page(db: &Db, q: &ListQuery) -> Result<Page<ClickRow>, AppError> {
    use super::Shared;
    let rows = click_list::page(&db.pool, q).await?.shared();
    Ok(Page::new(rows, click_list::count(&db.pool, q).await?, q))
}

/// `part / whole` in basis points, half up; 0 without a whole.
fn rate_bps(part: i64, whole: i64) -> i64 {
    if whole <= 0 { 0 } else { (part * 20_000 + whole) / (2 * whole) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rates_round_half_up_and_survive_an_empty_window() {
        assert_eq!(super::rate_bps(1, 3), 3_333);
        assert_eq!(super::rate_bps(2, 3), 6_667);
        assert_eq!(super::rate_bps(5, 0), 0);
        assert_eq!(super::rate_bps(4, 4), 10_000);
    }
}
