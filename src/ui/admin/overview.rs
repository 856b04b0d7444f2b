//! `/admin`: the program at a glance for a period (`?period=7|30|90`, 30 by default, or
//! `?period=custom&from=YYYY-MM-DD&to=YYYY-MM-DD`), each figure against the period before
//! and linked to the list behind it.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::admin::admin_dashboard;
use crate::api::types::{ActivityItem, AdminOverview, DailyPoint, Figure, TopPartner};
use crate::domain::dates::{format_date, format_datetime};
use crate::domain::paths::encode_component;
use crate::domain::period::{PRESETS, Period};
use crate::domain::roles::ActivityKind;
use crate::ui::chart::{DailyChart, MoneyBars};
use crate::ui::widgets::{Empty, Loading, money, or_error};

#[component]
pub fn Overview() -> impl IntoView {
    let query = use_query_map();
    // What the URL asks for, as written: the server answers a bad custom range with a
    // message in the product's words.
    let asked = move || {
        query.with(|q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            (get("period"), get("from"), get("to"))
        })
    };
    let period = move || {
        let (p, from, to) = asked();
        Period::parse_or_default(&p, &from, &to)
    };
    let data = Resource::new(asked, |(p, from, to)| admin_dashboard(p, from, to));
    view! {
        <div class="overview-head">
            <h1>"Overview"</h1>
            <nav class="segmented" aria-label="Period" data-testid="period-switch">
                {PRESETS
                    .iter()
                    .map(|p| {
                        let p = *p;
                        view! {
                            <a
                                href=format!("/admin?{}", Period::Last(p).query())
                                aria-current=move || (period() == Period::Last(p)).then_some("page")
                                data-testid=format!("period-{p}")
                            >
                                {format!("{p} days")}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
        </div>
        <CustomRange asked=Signal::derive(asked) />
        <Transition fallback=Loading>
            {move || data.get().map(|r| or_error(r, |o| view! { <Dashboard o /> }.into_any()))}
        </Transition>
    }
}

/// "Custom range": two dates submitted as the page's own URL (a GET form), open when the
/// URL asks for one.
#[component]
fn CustomRange(asked: Signal<(String, String, String)>) -> impl IntoView {
    move || {
        let (p, from, to) = asked.get();
        let open = p == "custom";
        view! {
            <details class="custom-range" open=open data-testid="custom-range">
                <summary>"Custom range"</summary>
                <form method="get" action="/admin" class="list-filters">
                    <input type="hidden" name="period" value="custom" />
                    <label>
                        <span>"From"</span>
                        <input type="date" name="from" value=from required data-testid="custom-from" />
                    </label>
                    <label>
                        <span>"To"</span>
                        <input type="date" name="to" value=to required data-testid="custom-to" />
                    </label>
                    <button type="submit" data-testid="custom-apply">"Show"</button>
                </form>
            </details>
        }
    }
}

#[component]
fn Dashboard(o: AdminOverview) -> impl IntoView {
    let (from, to) = (o.from_ms, o.to_ms);
    let window = format!("from={from}&to={to}");
    let signups = format!("/admin/workspaces?referred=1&on=signup&{window}");
    let conversions = format!("/admin/workspaces?referred=1&on=conversion&{window}");
    let clicks = format!("/admin/clicks?on=click&{window}");
    // The figure is cash (reversals netted): the list behind it is the window's cash entries.
    let commissions = format!("/admin/commissions?on=earned&kind=cash&{window}");
    let caption = match o.period {
        Period::Last(days) => format!("Last {days} days: {} – {}", format_date(from), format_date(to)),
        // `to` is the start of the day after the last one.
        Period::Custom { from, to } => format!("{from} to {to} ({} days)", o.period_days),
    } + &format!(", compared with the {} days before.", o.period_days);
    let commission_days: Vec<(i64, i64)> =
        o.daily.iter().map(|d| (d.day_start_ms, d.commission_cents)).collect();
    let points: Vec<DailyPoint> = o
        .daily
        .iter()
        .map(|d| DailyPoint {
            day_start_ms: d.day_start_ms,
            clicks: d.clicks,
            signups: d.signups,
            conversions: d.conversions,
        })
        .collect();
    let days = o.period_days as usize;
    view! {
        <p class="muted" data-testid="overview-window">{caption}</p>
        <div class="kpis" data-testid="admin-overview">
            <Kpi label="Clicks" figure=o.clicks href=clicks testid="kpi-clicks" />
            <Kpi label="Referred signups" figure=o.signups href=signups.clone() testid="kpi-signups" />
            <Kpi label="Conversions" figure=o.conversions href=conversions.clone() testid="kpi-conversions" />
            <Kpi label="Conversion rate" figure=o.conversion_rate_bps href=conversions.clone() testid="kpi-rate" format=Format::Percent />
            <Kpi label="Billed to referred customers" figure=o.billed_cents href=conversions testid="kpi-billed" format=Format::Money />
            <Kpi label="Commissions earned" figure=o.commission_cents href=commissions testid="kpi-commissions" format=Format::Money />
            <Now label="MRR of referred active subscriptions" value=money(o.mrr_cents) detail=format!("{} active", o.active_referred) href="/admin/workspaces?referred=1&status=ACTIVE" testid="kpi-mrr" />
            <Now label="Payouts due" value=money(o.payouts_due_cents) detail=format!("{} payouts now · {} at the next run", o.payouts_due, money(o.next_run_cents)) href="/admin/payouts" testid="kpi-payouts-due" />
            <Now label="Partners awaiting approval" value=o.awaiting_approval.to_string() detail="applications".to_string() href="/admin/partners?status=pending" testid="kpi-awaiting" />
        </div>
        <div class="overview-grid">
            <section class="card chart-card">
                <h2>"Clicks, signups and conversions per day"</h2>
                <DailyChart points days />
                <h3 class="chart-subhead">"Commissions earned per day"</h3>
                <MoneyBars days=commission_days label="Commissions earned" />
                <details>
                    <summary>"The same as a table"</summary>
                    <div class="table-scroll">
                        <DailyTable days=o.daily.clone() />
                    </div>
                </details>
            </section>
            <section class="card">
                <h2>"Recent activity"</h2>
                <Activity items=o.activity />
            </section>
        </div>
        <div class="overview-grid">
            <section class="card">
                <h2>"Top partners by revenue"</h2>
                <Top rows=o.top_by_revenue money=true testid="top-revenue" />
            </section>
            <section class="card">
                <h2>"Top partners by conversions"</h2>
                <Top rows=o.top_by_conversions money=false testid="top-conversions" />
            </section>
        </div>
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Format {
    #[default]
    Count,
    Money,
    Percent,
}

fn show(format: Format, v: i64) -> String {
    match format {
        Format::Count => v.to_string(),
        Format::Money => money(v),
        Format::Percent => format!("{}.{}%", v / 100, (v % 100) / 10),
    }
}

/// The signed change against the previous period: "+12 %", "−3 %", "new", "±0".
fn change(f: Figure, format: Format) -> (String, &'static str) {
    let diff = f.value - f.previous;
    if diff == 0 {
        return ("no change".into(), "flat");
    }
    let class = if diff > 0 { "up" } else { "down" };
    let sign = if diff > 0 { "+" } else { "−" };
    let text = match format {
        Format::Percent => format!("{sign}{} pts", show(Format::Percent, diff.abs()).trim_end_matches('%')),
        _ if f.previous == 0 => format!("{sign}{} (new)", show(format, diff.abs())),
        _ => format!("{sign}{}%", (diff.abs() * 100 + f.previous.abs() / 2) / f.previous.abs()),
    };
    (text, class)
}

#[component]
fn Kpi(
    label: &'static str,
    figure: Figure,
    href: String,
    testid: &'static str,
    #[prop(optional)] format: Format,
) -> impl IntoView {
    let (delta, class) = change(figure, format);
    let before = format!("{} the period before", show(format, figure.previous));
    view! {
        <a class="kpi" href=href data-testid=testid>
            <span class="kpi-label">{label}</span>
            <span class="kpi-value" data-testid="kpi-value">{show(format, figure.value)}</span>
            <span class=format!("kpi-change {class}") title=before.clone()>
                {delta}
                <span class="visually-hidden">{format!(" ({before})")}</span>
            </span>
        </a>
    }
}

#[component]
fn Now(
    label: &'static str,
    value: String,
    detail: String,
    href: &'static str,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <a class="kpi" href=href data-testid=testid>
            <span class="kpi-label">{label}</span>
            <span class="kpi-value" data-testid="kpi-value">{value}</span>
            <span class="kpi-change flat">{detail}</span>
        </a>
    }
}

#[component]
fn DailyTable(days: Vec<crate::api::types::OverviewDay>) -> impl IntoView {
    view! {
        <table data-testid="overview-table">
            <caption class="visually-hidden">"Per day: clicks, signups, conversions and commissions"</caption>
            <thead>
                <tr>
                    <th scope="col">"Day"</th>
                    <th scope="col">"Clicks"</th>
                    <th scope="col">"Signups"</th>
                    <th scope="col">"Conversions"</th>
                    <th scope="col">"Commissions"</th>
                </tr>
            </thead>
            <tbody>
                {days
                    .into_iter()
                    .rev()
                    .map(|d| {
                        view! {
                            <tr>
                                <th scope="row">{format_date(d.day_start_ms)}</th>
                                <td>{d.clicks}</td>
                                <td>{d.signups}</td>
                                <td>{d.conversions}</td>
                                <td>{money(d.commission_cents)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Top(rows: Vec<TopPartner>, money: bool, testid: &'static str) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No partner has results in this period yet." /> }.into_any();
    }
    view! {
        <ol class="top-list" data-testid=testid>
            {rows
                .into_iter()
                .map(|r| {
                    let value = if money { crate::ui::widgets::money(r.value) } else { r.value.to_string() };
                    view! {
                        <li>
                            <a href=format!("/admin/partners/{}", r.partner_id)>{r.partner_name}</a>
                            <span class="top-value">{value}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
fn Activity(items: Vec<ActivityItem>) -> impl IntoView {
    if items.is_empty() {
        return view! { <Empty text="Nothing has happened yet: approve a partner or share a link." /> }
            .into_any();
    }
    view! {
        <ul class="feed" data-testid="activity-feed">
            {items
                .into_iter()
                .map(|i| {
                    let partner = format!("/admin/partners/{}", i.partner_id);
                    let subject = i.subject.clone().unwrap_or_default();
                    let (text, href) = match i.kind {
                        ActivityKind::Applied => ("applied to the program".to_string(), "/admin/partners?status=pending".to_string()),
                        ActivityKind::Approved => ("was approved".to_string(), partner.clone()),
                        ActivityKind::Signup => (format!("referred {subject}"), format!("/admin/workspaces?q={}", encode_component(&subject))),
                        ActivityKind::Conversion => (format!("converted {subject}"), format!("/admin/workspaces?q={}", encode_component(&subject))),
                        ActivityKind::Payout => (format!("was paid {}", money(i.amount_cents.unwrap_or(0))), "/admin/payouts".to_string()),
                    };
                    view! {
                        <li data-kind=i.kind.as_str()>
                            <a href=partner>{i.partner_name}</a>
                            " "
                            <a href=href>{text}</a>
                            <time class="muted small">{format_datetime(i.at)}</time>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
