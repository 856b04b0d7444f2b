//! A money amount per day as bars (the admin overview's commissions), on the line chart's
//! width and date axis, with whole-dollar gridlines. A day whose reversals exceed what it
//! earned draws no bar; its exact amount is in the tooltip and the table beside the chart.
use leptos::prelude::*;

use super::scale::Scale;
use super::{HEIGHT, LEFT, WIDTH, YAxis};
use crate::domain::dates::format_date;
use crate::ui::widgets::{Empty, money};

/// The bars' height: a companion to the line chart, not a second headline.
const BAR_HEIGHT: f64 = HEIGHT * 0.62;

/// Cents per day, as (day start, cents), oldest first.
#[component]
pub fn MoneyBars(days: Vec<(i64, i64)>, label: &'static str) -> impl IntoView {
    if days.iter().all(|(_, cents)| *cents <= 0) {
        return view! { <Empty text="No commissions earned in this period." /> }.into_any();
    }
    let highest = days.iter().map(|(_, cents)| *cents).max().unwrap_or(0);
    let scale = Scale::over(days.len(), highest, 100, BAR_HEIGHT);
    let summary = format!(
        "{label} per day from {} to {}, {} in all",
        format_date(days[0].0),
        format_date(days[days.len() - 1].0),
        money(days.iter().map(|(_, c)| c).sum())
    );
    let width = (scale.band_width() * 0.7).max(1.0);
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, (day, cents))| {
            let top = scale.y(*cents);
            let tip = format!("{}: {}", format_date(*day), money(*cents));
            view! {
                <rect x=scale.band(i) - width / 2.0 y=top width=width height=scale.bottom() - top rx="1.5" class="bar">
                    <title>{tip}</title>
                </rect>
            }
        })
        .collect_view();
    let first_day = format_date(days[0].0);
    let last_day = format_date(days[days.len() - 1].0);
    view! {
        <figure class="chart" style="margin:0 0 1rem" data-testid="commission-bars" data-days=days.len().to_string()>
            <svg viewBox=format!("0 0 {WIDTH} {BAR_HEIGHT}") width="100%" role="img" aria-label=summary.clone()>
                <title>{summary.clone()}</title>
                <YAxis scale label=|cents| money(cents).trim_end_matches(".00").to_string() />
                <text x=LEFT y=BAR_HEIGHT - 8.0 font-size="11" fill="#6a7385">{first_day}</text>
                <text x=WIDTH - 16.0 y=BAR_HEIGHT - 8.0 font-size="11" text-anchor="end" fill="#6a7385">{last_day}</text>
                <g data-series="commissions">{bars}</g>
            </svg>
        </figure>
    }
    .into_any()
}
