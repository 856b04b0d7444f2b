//! Portal → Payouts: the balance breakdown, held entries with their release dates, the
//! next payout or exactly what blocks it, and the payout history (paginated through the
//! URL) with each payout's statement.
use leptos::prelude::*;

use crate::api::portal::{my_earnings, my_payout_page, my_payouts};
use crate::api::types::{LedgerRow, NextPayout, PayoutView};
use crate::domain::dates::{format_date, format_datetime};
use crate::domain::payouts::EntryState;
use crate::domain::roles::{PayoutStatus, TextEnum};
use crate::model::list::{ListQuery, Page};
use crate::ui::data_table::{DataTable, col, num};
use crate::ui::list::{ListFilters, NEWEST_OR_OLDEST, PagedList, use_list_query};
use crate::ui::widgets::Stat;
use crate::ui::widgets::{EnumPill, Loading, money, or_error};

const PATH: &str = "/partners/payouts";

#[component]
pub fn PortalPayoutsPage() -> impl IntoView {
    let payouts = Resource::new(|| (), |_| my_payouts());
    let query = use_list_query();
    let history = Resource::new(move || query.get(), my_payout_page);
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
                                }
                                    .into_any()
                            },
                        )
                    })
            }}
        </Transition>
        <Held />
        <section class="card">
            <h2>"Payout history"</h2>
            {move || {
                view! {
                    <ListFilters
                        path=PATH
                        query=query.get()
                        search_label=""
                        statuses=PayoutStatus::options()
                        sorts=NEWEST_OR_OLDEST
                    />
                }
            }}
            <PagedList path=PATH query page=history table=|rows| view! { <History rows /> }.into_any() />
        </section>
        <p class="muted">
            "Every commission, with where it stands: " <a href="/partners/earnings">"Earnings"</a> "."
        </p>
    }
}

/// The first page of held entries with their release dates; the rest are on Earnings.
#[component]
fn Held() -> impl IntoView {
    let held =
        ListQuery { status: EntryState::OnHold.as_str().into(), kind: "cash".into(), ..Default::default() };
    let entries = Resource::new(move || held.clone(), my_earnings);
    view! {
        <section class="card">
            <h2>"On hold"</h2>
            <Transition fallback=Loading>
                {move || {
                    entries.get().map(|r| or_error(r, |page| view! { <HeldTable page /> }.into_any()))
                }}
            </Transition>
        </section>
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
fn HeldTable(page: Page<LedgerRow>) -> impl IntoView {
    let more = page.total > page.rows.len() as i64;
    view! {
        <DataTable
            rows=page.rows
            empty="Nothing on hold: new commissions are held until their release date, then paid in the next payout."
            testid="held-table"
            cols=vec![col("Tenant"), col("Period"), num("Amount"), col("Released on")]
            row=|e: LedgerRow| {
                view! {
                    <tr data-testid="held-row">
                        <td>{e.workspace_name}</td>
                        <td>{e.period}</td>
                        <td class="num">{money(e.amount_cents)}</td>
                        <td data-testid="release-date">{format_date(e.available_at)}</td>
                    </tr>
                }
            }
        />
        {more
            .then(|| {
                view! {
                    <p>
                        <a href="/partners/earnings?status=on_hold">
                            {format!("All {} held entries", page.total)}
                        </a>
                    </p>
                }
            })}
    }
}

#[component]
fn History(rows: Vec<PayoutView>) -> impl IntoView {
    view! {
        <DataTable
            rows
            empty="No payouts yet. Available earnings are paid at the next payout run once your payout method is set up."
            testid="payout-history"
            cols=vec![col("Created"), num("Amount"), col("Method"), col("Status"), num("Entries"), col("Statement")]
            row=history_row
        />
    }
}

fn history_row(p: PayoutView) -> impl IntoView {
    let note = p.failure_reason.clone().or(p.external_reference.clone()).unwrap_or_default();
    view! {
        <tr data-testid="history-row" data-payout-id=p.id.clone()>
            <td>{format_datetime(p.created_at)}</td>
            <td class="num" data-testid="history-amount">{money(p.amount_cents)}</td>
            <td>{p.method}</td>
            <td>
                <EnumPill value=p.status />
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
}
