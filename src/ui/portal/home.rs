//! `/partners`: the partner's earnings, its link, the last 30 days, the next payout, the
//! newest referrals and (until done) a getting-started checklist.
use leptos::prelude::*;

use crate::api::portal::partner_home;
use crate::api::types::{PartnerHome, ReferralRow};
use crate::domain::dates::format_date;
use crate::ui::chart::DailyChart;
use crate::ui::copy::CopyField;
use crate::ui::widgets::{Empty, Loading, Stat, StatusPill, money, or_error};

#[component]
pub fn PartnerHomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| partner_home());
    view! {
        <Transition fallback=Loading>
            {move || home.get().map(|r| or_error(r, |h| view! { <Home h /> }.into_any()))}
        </Transition>
    }
}

#[component]
fn Home(h: PartnerHome) -> impl IntoView {
    let b = h.balances.clone();
    let (clicks, signups, conversions) =
        h.daily.iter().fold((0, 0, 0), |(c, s, v), p| (c + p.clicks, s + p.signups, v + p.conversions));
    let next = h.next.clone();
    let next_text = match (&next.blocker, &next.date) {
        (Some(blocker), _) => blocker.clone(),
        (None, Some(date)) => format!("{} on {date} by {}", money(next.amount_cents), next.method),
        (None, None) => format!("{} at the next payout run", money(next.amount_cents)),
    };
    view! {
        <h1 data-testid="partner-name">{h.name.clone()}</h1>
        {(!h.checklist.is_empty())
            .then(|| {
                view! {
                    <section class="card" data-testid="checklist">
                        <h2>"Getting started"</h2>
                        <ol class="checklist">
                            {h.checklist
                                .iter()
                                .map(|s| {
                                    view! {
                                        <li data-done=s.done.to_string() data-step=s.key.clone()>
                                            <span aria-hidden="true">{if s.done { "✓" } else { "○" }}</span>
                                            <a href=s.href.clone()>{s.label.clone()}</a>
                                            {s.done.then(|| view! { <span class="visually-hidden">" (done)"</span> })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    </section>
                }
            })}
        <div class="stats" data-testid="home-earnings">
            <Stat label="On hold" value=money(b.on_hold_cents) testid="home-on-hold" />
            <Stat label="Available" value=money(b.available_cents) testid="home-available" />
            <Stat label="In a payout" value=money(b.in_payout_cents) testid="home-in-payout" />
            <Stat label="Paid, lifetime" value=money(b.paid_cents) testid="home-paid" />
        </div>
        <div class="home-grid">
            <section class="card">
                <h2>"Your link"</h2>
                {match h.primary_link.clone() {
                    Some(link) => view! { <CopyField text=link testid="home-link" label="Your referral link" /> }.into_any(),
                    None => view! { <p>"No active link. " <a href="/partners/links">"Create one"</a></p> }.into_any(),
                }}
                <p class="muted small"><a href="/partners/links">"All your links"</a></p>
            </section>
            <section class="card" data-testid="home-next-payout">
                <h2>"Next payout"</h2>
                <p class=if next.blocker.is_some() { "blocker" } else { "" }>{next_text}</p>
                <p class="muted small"><a href="/partners/payouts">"Payouts and statements"</a></p>
            </section>
        </div>
        <section class="card">
            <h2>"Last 30 days"</h2>
            <div class="stats">
                <Stat label="Clicks" value=clicks.to_string() testid="home-clicks" />
                <Stat label="Signups" value=signups.to_string() testid="home-signups" />
                <Stat label="Conversions" value=conversions.to_string() testid="home-conversions" />
            </div>
            <DailyChart points=h.daily.clone() />
            <p class="muted small"><a href="/partners/analytics">"Analytics by link and listing"</a></p>
        </section>
        <section class="card">
            <h2>"Recent referrals"</h2>
            <Recent rows=h.recent.clone() />
        </section>
    }
}

#[component]
fn Recent(rows: Vec<ReferralRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No referrals yet: share your link to get the first one." /> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table data-testid="home-referrals">
                <thead>
                    <tr>
                        <th scope="col">"Workspace"</th>
                        <th scope="col">"Via"</th>
                        <th scope="col">"Signed up"</th>
                        <th scope="col">"Subscription"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let status = r.subscription_status.map(|s| s.as_str().to_string());
                            view! {
                                <tr>
                                    <td>{r.workspace_name.clone()}</td>
                                    <td>{r.source.label()}</td>
                                    <td>{format_date(r.created_at)}</td>
                                    <td>
                                        {match status {
                                            Some(s) => view! { <StatusPill status=s /> }.into_any(),
                                            None => view! { <span class="muted">"No plan yet"</span> }.into_any(),
                                        }}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <p class="muted small"><a href="/partners/referrals">"All referrals"</a></p>
    }
    .into_any()
}
