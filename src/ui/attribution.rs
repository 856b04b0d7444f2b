//! The attribution report a partner sees under Analytics and an admin sees on the
//! partner's page: 30-day totals, the daily chart, and the per-code / per-listing tables.
use leptos::prelude::*;

use crate::api::types::{AttributionStats, DailyPoint, StatsRow};
use crate::ui::chart::DailyChart;
use crate::ui::widgets::{Empty, Stat};

#[component]
pub fn AttributionReport(stats: AttributionStats) -> impl IntoView {
    view! {
        <section class="card" data-testid="attribution-report">
            <h2>"Clicks, signups and conversions — last 30 days"</h2>
            <DailyTotals points=stats.daily.clone() />
            <DailyChart points=stats.daily />
        </section>
        <section class="card">
            <h2>"By referral code"</h2>
            <StatsTable rows=stats.by_code label="Code" testid="stats-by-code" />
        </section>
        <section class="card">
            <h2>"By listing"</h2>
            <StatsTable rows=stats.by_listing label="Listing" testid="stats-by-listing" />
        </section>
    }
}

/// The sums of the daily series.
#[component]
fn DailyTotals(points: Vec<DailyPoint>) -> impl IntoView {
    let sum = |value: fn(&DailyPoint) -> i64| points.iter().map(value).sum::<i64>().to_string();
    view! {
        <div class="stats">
            <Stat label="Clicks" value=sum(|p| p.clicks) testid="total-clicks" />
            <Stat label="Signups" value=sum(|p| p.signups) testid="total-signups" />
            <Stat label="Conversions" value=sum(|p| p.conversions) testid="total-conversions" />
        </div>
    }
}

/// Clicks → signups → conversions per `label` (a code or a listing).
#[component]
pub fn StatsTable(rows: Vec<StatsRow>, label: &'static str, testid: &'static str) -> impl IntoView {
    if rows.is_empty() {
        return view! { <div data-testid=testid><Empty text="No activity yet." /></div> }.into_any();
    }
    view! {
        <table data-testid=testid>
            <thead>
                <tr>
                    <th>{label}</th>
                    <th class="num">"Clicks"</th>
                    <th class="num">"Signups"</th>
                    <th class="num">"Conversions"</th>
                    <th class="num" title="Conversions per click">"Conversion rate"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        let rate = conversion_rate(&r);
                        let label = r.label.clone();
                        view! {
                            <tr data-testid="stats-row" data-label=label>
                                <td>{r.label}</td>
                                <td class="num" data-testid="stats-clicks">{r.clicks}</td>
                                <td class="num" data-testid="stats-signups">{r.signups}</td>
                                <td class="num" data-testid="stats-conversions">{r.conversions}</td>
                                <td class="num" data-testid="stats-rate">{rate}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Conversions per click as `12.5%`; a dash when there were no clicks.
pub fn conversion_rate(row: &StatsRow) -> String {
    if row.clicks <= 0 {
        return "—".to_string();
    }
    format!("{:.1}%", row.conversions as f64 * 100.0 / row.clicks as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(clicks: i64, conversions: i64) -> StatsRow {
        StatsRow { label: "x".into(), clicks, signups: 0, conversions }
    }

    #[test]
    fn rate_is_conversions_per_click() {
        assert_eq!(conversion_rate(&row(8, 1)), "12.5%");
        assert_eq!(conversion_rate(&row(3, 0)), "0.0%");
        assert_eq!(conversion_rate(&row(0, 2)), "—");
    }
}
