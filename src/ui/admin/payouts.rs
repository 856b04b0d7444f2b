//! Admin → Payouts: what each partner is owed, and marking entries paid.
use leptos::prelude::*;

use crate::api::payouts::{MarkPaid, pending_payouts};
use crate::api::types::{LedgerRow, PayoutTotals};
use crate::domain::dates::format_date;
use crate::ui::forms::FormError;
use crate::ui::tables::rule_label;
use crate::ui::widgets::{Empty, Loading, money, or_error};

#[component]
pub fn AdminPayoutsPage() -> impl IntoView {
    let mark = ServerAction::<MarkPaid>::new();
    let queue = Resource::new(move || mark.version().get(), |_| pending_payouts());
    let selected = RwSignal::new(Vec::<String>::new());
    // Whatever was selected has been paid (or is gone): start the next selection afresh.
    Effect::new(move |_| {
        if matches!(mark.value().get(), Some(Ok(_))) {
            selected.set(Vec::new());
        }
    });
    view! {
        <h1>"Payouts"</h1>
        <section class="card">
            <h2>"Totals per partner"</h2>
            <Transition fallback=Loading>
                {move || queue.get().map(|r| or_error(r, |q| view! { <TotalsTable rows=q.totals /> }.into_any()))}
            </Transition>
        </section>
        <section class="card">
            <div class="card-head">
                <h2>"Pending entries"</h2>
                <button
                    type="button"
                    data-testid="mark-paid"
                    disabled=move || selected.with(Vec::is_empty) || mark.pending().get()
                    on:click=move |_| {
                        mark.dispatch(MarkPaid { ids: selected.get_untracked() });
                    }
                >
                    {move || format!("Mark selected as paid ({})", selected.with(Vec::len))}
                </button>
            </div>
            <MarkOutcome mark />
            <Transition fallback=Loading>
                {move || {
                    queue
                        .get()
                        .map(|r| or_error(r, |q| view! { <EntriesTable rows=q.entries selected /> }.into_any()))
                }}
            </Transition>
        </section>
    }
}

#[component]
fn MarkOutcome(mark: ServerAction<MarkPaid>) -> impl IntoView {
    let result = Signal::derive(move || mark.value().get());
    view! {
        <FormError result />
        {move || {
            result
                .get()
                .and_then(Result::ok)
                .map(|n| {
                    let noun = if n == 1 { "entry" } else { "entries" };
                    view! { <p class="success" data-testid="marked-count">{format!("Marked {n} {noun} as paid.")}</p> }
                })
        }}
    }
}

#[component]
fn TotalsTable(rows: Vec<PayoutTotals>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No partners yet." /> }.into_any();
    }
    view! {
        <table data-testid="payout-totals">
            <thead>
                <tr>
                    <th>"Partner"</th>
                    <th class="num">"Pending"</th>
                    <th class="num">"Paid"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|t| {
                        view! {
                            <tr data-testid="payout-total-row" data-partner-id=t.partner_id>
                                <td>{t.partner_name}</td>
                                <td class="num" data-testid="total-pending">{money(t.pending_cents)}</td>
                                <td class="num" data-testid="total-paid">{money(t.paid_cents)}</td>
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
fn EntriesTable(rows: Vec<LedgerRow>, selected: RwSignal<Vec<String>>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="Nothing to pay: no pending commissions." /> }.into_any();
    }
    let all: Vec<String> = rows.iter().map(|e| e.id.clone()).collect();
    let all_for_check = all.clone();
    let all_selected = move || selected.with(|s| all_for_check.iter().all(|id| s.contains(id)));
    view! {
        <table data-testid="payout-entries">
            <thead>
                <tr>
                    <th>
                        <input
                            type="checkbox"
                            aria-label="Select all"
                            data-testid="select-all"
                            prop:checked=all_selected
                            on:change=move |ev| {
                                selected.set(if event_target_checked(&ev) { all.clone() } else { Vec::new() });
                            }
                        />
                    </th>
                    <th>"Partner"</th>
                    <th>"Tenant"</th>
                    <th>"Plan"</th>
                    <th class="num">"Amount"</th>
                    <th>"Rule"</th>
                    <th>"Date"</th>
                </tr>
            </thead>
            <tbody>{rows.into_iter().map(|e| entry_row(e, selected)).collect_view()}</tbody>
        </table>
    }
    .into_any()
}

fn entry_row(e: LedgerRow, selected: RwSignal<Vec<String>>) -> impl IntoView {
    let rule = rule_label(&e);
    let id = e.id.clone();
    let id_for_check = e.id.clone();
    view! {
        <tr data-testid="payout-row" data-entry-id=e.id>
            <td>
                <input
                    type="checkbox"
                    aria-label="Select entry"
                    data-testid="payout-select"
                    prop:checked=move || selected.with(|s| s.contains(&id_for_check))
                    on:change=move |ev| {
                        let checked = event_target_checked(&ev);
                        selected.update(|s| {
                            s.retain(|x| x != &id);
                            if checked {
                                s.push(id.clone());
                            }
                        });
                    }
                />
            </td>
            <td>{e.partner_name}</td>
            <td>{e.workspace_name}</td>
            <td>{e.plan_name}</td>
            <td class="num" data-testid="payout-amount">{money(e.amount_cents)}</td>
            <td>{rule}</td>
            <td>{format_date(e.created_at)}</td>
        </tr>
    }
}
