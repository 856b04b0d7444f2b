//! Tables both the admin partner page and the partner portal show.
use leptos::prelude::*;

use crate::api::types::{LedgerRow, ReferralRow};
use crate::domain::dates::format_date;
use crate::ui::widgets::{Empty, StatusPill, date_or_dash, money};

/// Referred workspaces: how each arrived and whether it converted.
#[component]
pub fn ReferralsTable(rows: Vec<ReferralRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No referrals yet." /> }.into_any();
    }
    view! {
        <table data-testid="referrals-table">
            <thead>
                <tr>
                    <th>"Tenant"</th>
                    <th>"Plan"</th>
                    <th>"Status"</th>
                    <th>"Source"</th>
                    <th>"Code"</th>
                    <th>"Created"</th>
                    <th>"Converted"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        let status = r.status();
                        view! {
                            <tr data-testid="referral-row">
                                <td>{r.workspace_name}</td>
                                <td>{r.plan_name.unwrap_or_else(|| "—".to_string())}</td>
                                <td><StatusPill status=status /></td>
                                <td>{r.source.label()}</td>
                                <td><code>{r.code.unwrap_or_else(|| "—".to_string())}</code></td>
                                <td>{format_date(r.created_at)}</td>
                                <td>{date_or_dash(r.converted_at)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Commission ledger entries, newest as the server orders them.
#[component]
pub fn LedgerTable(rows: Vec<LedgerRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No commissions yet. They appear when a referral converts." /> }
            .into_any();
    }
    view! {
        <table data-testid="ledger-table">
            <thead>
                <tr>
                    <th>"Date"</th>
                    <th>"Tenant"</th>
                    <th>"Plan"</th>
                    <th class="num">"Amount"</th>
                    <th>"Rule"</th>
                    <th>"Status"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|e| {
                        let rule = rule_label(&e);
                        view! {
                            <tr data-testid="ledger-row">
                                <td>{format_date(e.created_at)}</td>
                                <td>{e.workspace_name}</td>
                                <td>{e.plan_name}</td>
                                <td class="num" data-testid="ledger-amount">{money(e.amount_cents)}</td>
                                <td>{rule}</td>
                                <td><StatusPill status=e.status /></td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// `20.00% (plan rule)` or `$5.00 flat (default)`: what the amount was computed from.
pub fn rule_label(e: &LedgerRow) -> String {
    let rule = e.rule().map(|c| c.to_string()).unwrap_or_else(|| "—".to_string());
    match e.rule_source.as_str() {
        "plan" => format!("{rule} (plan rule)"),
        "default" => format!("{rule} (default)"),
        "" => rule,
        other => format!("{rule} ({other})"),
    }
}
