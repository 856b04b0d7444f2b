//! Portal → Payouts: the balance breakdown, held entries with their release dates, the
//! next payout or exactly what blocks it, and the payouts with their statements.
use crate::domain::payouts::{CommissionKind, EntryState};
use leptos::prelude::*;

use crate::api::portal::my_payouts;
use crate::api::types::{LedgerRow, NextPayout, PayoutView};
use crate::domain::dates::{format_date, format_datetime};
use crate::ui::tables::LedgerTable;
use crate::ui::widgets::Stat;
use crate::ui::widgets::{Empty, Loading, StatusPill, money, or_error};

#[component]
pub fn PortalPayoutsPage() -> impl IntoView {
    let payouts = Resource::new(|| (), |_| my_payouts());
    view! {
        <h1>"Payouts"</h1>
        <super::stripe_connect::StripeConnectPanel />
        <Transition fallback=Loading>
            {move || {
                payouts
                    .get()
                    .map(|r| {
                        or_error(
                            r,
                            |p| {
                                let b = p.balances.clone();
                                let held: Vec<LedgerRow> = p
                                    .entries
                                    .iter()
                                    .filter(|e| {
                                        e.kind == CommissionKind::Cash.as_str() && e.status == EntryState::OnHold.as_str()
                                    })
                                    .cloned()
                                    .collect();
                                view! {
                                    <div class="stats">
                                        <Stat label="On hold" value=money(b.on_hold_cents) testid="balance-on-hold" />
                                        <Stat label="Available" value=money(b.available_cents) testid="balance-available" />
                                        <Stat label="In a payout" value=money(b.in_payout_cents) testid="balance-in-payout" />
                                        <Stat label="Paid (lifetime)" value=money(b.paid_cents) testid="paid-total" />
                                        <Stat label="Reversed" value=money(b.reversed_cents) testid="balance-reversed" />
                                        <Stat label="Clawback to deduct" value=money(b.carry_over_cents) testid="balance-carry-over" />
                                        <Stat label="Credits earned" value=money(b.credit_cents) testid="balance-credits" />
                                        <Stat label="Pending" value=money(p.pending_cents) testid="pending-total" />
                                    </div>
                                    <Next next=p.next />
                                    <section class="card">
                                        <h2>"On hold"</h2>
                                        <HeldTable rows=held />
                                    </section>
                                    <section class="card">
                                        <h2>"Payout history"</h2>
                                        <History rows=p.payouts />
                                    </section>
                                    <section class="card">
                                        <h2>"Commission ledger"</h2>
                                        <LedgerTable rows=p.entries />
                                    </section>
                                }
                                    .into_any()
                            },
                        )
                    })
            }}
        </Transition>
    }
}

#[component]
fn Next(next: NextPayout) -> impl IntoView {
    view! {
        <section class="card" data-testid="next-payout">
            <h2>"Next payout"</h2>
            {match next.blocker {
                Some(reason) => view! { <p class="blocker" data-testid="payout-blocker">{reason}</p> }.into_any(),
                None => {
                    view! {
                        <p data-testid="next-payout-line">
                            {format!(
                                "{} by {} on {}",
                                money(next.amount_cents),
                                next.method,
                                next.date.unwrap_or_else(|| "the next run".into()),
                            )}
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn HeldTable(rows: Vec<LedgerRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="Nothing on hold." /> }.into_any();
    }
    view! {
        <table data-testid="held-table">
            <thead>
                <tr>
                    <th>"Tenant"</th>
                    <th>"Period"</th>
                    <th class="num">"Amount"</th>
                    <th>"Released on"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|e| {
                        view! {
                            <tr data-testid="held-row">
                                <td>{e.workspace_name}</td>
                                <td>{e.period}</td>
                                <td class="num">{money(e.amount_cents)}</td>
                                <td data-testid="release-date">{format_date(e.available_at)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn History(rows: Vec<PayoutView>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No payouts yet." /> }.into_any();
    }
    view! {
        <table data-testid="payout-history">
            <thead>
                <tr>
                    <th>"Created"</th>
                    <th class="num">"Amount"</th>
                    <th>"Method"</th>
                    <th>"Status"</th>
                    <th class="num">"Entries"</th>
                    <th>"Statement"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|p| {
                        let note = p.failure_reason.clone().or(p.external_reference.clone()).unwrap_or_default();
                        view! {
                            <tr data-testid="history-row" data-payout-id=p.id.clone()>
                                <td>{format_datetime(p.created_at)}</td>
                                <td class="num" data-testid="history-amount">{money(p.amount_cents)}</td>
                                <td>{p.method}</td>
                                <td>
                                    <StatusPill status=p.status.as_str() />
                                    " "
                                    <span class="muted">{note}</span>
                                </td>
                                <td class="num">{p.items}</td>
                                <td>
                                    <a
                                        href=format!("/api/v1/payouts/{}/statement.csv", p.id)
                                        rel="external"
                                        download=format!("statement-{}.csv", p.id)
                                        data-testid="statement-link"
                                    >
                                        "CSV"
                                    </a>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
