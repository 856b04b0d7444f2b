//! A line chart of the daily clicks / signups / conversions series, drawn as plain SVG
//! computed here, so the server renders it and no charting script is needed.
use leptos::prelude::*;

mod bars;
mod scale;

pub use bars::MoneyBars;
use scale::Scale;

use crate::api::types::DailyPoint;
use crate::domain::dates::format_date;
use crate::ui::widgets::Empty;

/// How many of the most recent days the chart shows.
const DAYS_SHOWN: usize = 30;

// The drawing area, in SVG user units (the SVG scales to its container's width).
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 34.0;
const BOTTOM: f64 = 28.0;

/// One line of the chart.
struct Series {
    key: &'static str,
    label: &'static str,
    color: &'static str,
    value: fn(&DailyPoint) -> i64,
    /// Dashes (signups): a signup line equal to the conversions line stays visible on top.
    dash: &'static str,
}

// Drawn in this order: signups last, dashed, so they show where they equal conversions.
const SERIES: [Series; 3] = [
    Series { key: "clicks", label: "Clicks", color: "var(--accent)", value: |p| p.clicks, dash: "none" },
    Series {
        key: "conversions",
        label: "Conversions",
        color: "#137a4b",
        value: |p| p.conversions,
        dash: "none",
    },
    Series { key: "signups", label: "Signups", color: "#b45309", value: |p| p.signups, dash: "6 4" },
];

/// Clicks, signups and conversions per day over the last 30 days, with a legend and
/// dated axes.
#[component]
pub fn DailyChart(
    points: Vec<DailyPoint>,
    /// How many of the most recent days to draw (30 unless given).
    #[prop(optional)]
    days: Option<usize>,
) -> impl IntoView {
    let points = last_days(points, days.unwrap_or(DAYS_SHOWN));
    if points.is_empty() {
        return view! { <Empty text="No activity in this period yet." /> }.into_any();
    }
    let scale = Scale::new(&points);
    let summary = format!(
        "Daily clicks, signups and conversions from {} to {}",
        format_date(points[0].day_start_ms),
        format_date(points[points.len() - 1].day_start_ms),
    );
    view! {
        <figure class="chart" style="margin:0 0 1.25rem" data-testid="daily-chart" data-days=points.len().to_string()>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") width="100%" role="img" aria-label=summary.clone()>
                <title>{summary.clone()}</title>
                <Legend />
                <YAxis scale label=|v| v.to_string() />
                <XAxis points=points.clone() scale />
                {SERIES.iter().map(|s| view! { <SeriesLine series=s points=points.clone() scale /> }).collect_view()}
            </svg>
            <figcaption class="muted small">
                "Signups can outnumber clicks: claim-link, invite and API-tracked signups come without a click."
            </figcaption>
        </figure>
    }
    .into_any()
}

/// The most recent `DAYS_SHOWN` days, oldest first.
fn last_days(mut points: Vec<DailyPoint>, days: usize) -> Vec<DailyPoint> {
    points.sort_by_key(|p| p.day_start_ms);
    let skip = points.len().saturating_sub(days);
    points.split_off(skip)
}

#[component]
fn Legend() -> impl IntoView {
    SERIES
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let x = LEFT + i as f64 * 120.0;
            view! {
                <g data-testid="chart-legend">
                    <rect x=x y="8" width="12" height="12" rx="2" style=format!("fill:{}", s.color) />
                    <text x=x + 18.0 y="18" font-size="12" fill="currentColor">{s.label}</text>
                </g>
            }
        })
        .collect_view()
}

/// Gridlines with their values, written by `label`.
#[component]
fn YAxis(scale: Scale, label: fn(i64) -> String) -> impl IntoView {
    scale
        .ticks()
        .into_iter()
        .map(|tick| {
            let y = scale.y(tick);
            view! {
                <line x1=LEFT x2=WIDTH - RIGHT y1=y y2=y stroke="#e3e6ec" stroke-width="1" />
                <text x=LEFT - 6.0 y=y + 4.0 font-size="11" text-anchor="end" fill="#6a7385">
                    {label(tick)}
                </text>
            }
        })
        .collect_view()
}

/// Dates under the first, last and a few evenly spaced days.
#[component]
fn XAxis(points: Vec<DailyPoint>, scale: Scale) -> impl IntoView {
    let last = points.len() - 1;
    let mut labelled: Vec<usize> = (0..=4).map(|k| k * last / 4).collect();
    labelled.dedup();
    labelled
        .into_iter()
        .map(|i| {
            let anchor = match i {
                0 if last > 0 => "start",
                i if i == last && last > 0 => "end",
                _ => "middle",
            };
            view! {
                <text x=scale.x(i) y=HEIGHT - 8.0 font-size="11" text-anchor=anchor fill="#6a7385">
                    {format_date(points[i].day_start_ms)}
                </text>
            }
        })
        .collect_view()
}

/// One series: its line and a dot per day whose tooltip gives the exact count.
#[component]
fn SeriesLine(series: &'static Series, points: Vec<DailyPoint>, scale: Scale) -> impl IntoView {
    let path = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let command = if i == 0 { 'M' } else { 'L' };
            format!("{command}{:.1},{:.1}", scale.x(i), scale.y((series.value)(p)))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let dots = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let value = (series.value)(p);
            let tip = format!("{}: {value} {}", format_date(p.day_start_ms), series.label.to_lowercase());
            view! {
                <circle cx=scale.x(i) cy=scale.y(value) r="2.5" style=format!("fill:{}", series.color)>
                    <title>{tip}</title>
                </circle>
            }
        })
        .collect_view();
    view! {
        <g data-series=series.key>
            <path
                d=path
                fill="none"
                stroke-width="2"
                stroke-linejoin="round"
                stroke-dasharray=series.dash
                style=format!("stroke:{}", series.color)
            />
            {dots}
        </g>
    }
}
