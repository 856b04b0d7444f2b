//! Tables both the admin partner page and the partner portal show.
use leptos::prelude::*;

use crate::api::types::{LedgerRow, ReferralRow};
use crate::domain::dates::format_date;
use crate::domain::payouts::{CommissionKind, EntryState};
use crate::domain::roles::TextEnum;
use crate::model::AppError;
use crate::model::list::{ListQuery, Page};
use crate::ui::data_table::{DataTable, col, num};
use crate::ui::list::{ListFilters, NEWEST_OR_OLDEST, PagedList};
use crate::ui::widgets::{EnumPill, StatusPill, date_or_dash, money};

/// Referred workspaces: how each arrived and whether it converted. `empty` says what to do
/// to get the first one.
#[component]
pub fn ReferralsTable(
    rows: Vec<ReferralRow>,
    #[prop(default = "No referrals yet. They appear here when someone signs up through a referral link.")]
    empty: &'static str,
) -> impl IntoView {
    view! {
        <DataTable
            rows
            empty
            testid="referrals-table"
            cols=vec![col("Tenant"), col("Plan"), col("Status"), col("Source"), col("Code"), col("Created"), col("Converted")]
            row=|r: ReferralRow| {
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
            }
        />
    }
}

/// Commission ledger entries, newest as the server orders them: kind, where each stands
/// and, while on hold, when it is released; `program`: every partner's (the admin's list),
/// with a partner column.
#[component]
pub fn LedgerTable(rows: Vec<LedgerRow>, #[prop(optional)] program: bool) -> impl IntoView {
    let cols: Vec<_> = [col("Date")]
        .into_iter()
        .chain(program.then_some(col("Partner")))
        .chain([
            col("Tenant"),
            col("Plan"),
            col("Kind"),
            num("Amount"),
            col("Rule"),
            col("Status"),
            col("Released on"),
        ])
        .collect();
    view! {
        <DataTable
            rows
            empty="No commissions yet. They appear when a referral converts: share your referral links to get there."
            testid="ledger-table"
            cols
            row=move |e| ledger_row(e, program)
        />
    }
}

fn ledger_row(e: LedgerRow, program: bool) -> impl IntoView {
    let rule = rule_label(&e);
    let held = e.status == EntryState::OnHold;
    let kind = e.kind.label();
    let partner = program.then(|| {
        view! { <td><a href=format!("/admin/partners/{}", e.partner_id)>{e.partner_name.clone()}</a></td> }
    });
    view! {
        <tr data-testid="ledger-row" data-entry-id=e.id.clone()>
            <td>{format_date(e.created_at)}</td>
            {partner}
            <td>{e.workspace_name}</td>
            <td>{e.plan_name}</td>
            <td>{kind}</td>
            <td class="num" data-testid="ledger-amount">{money(e.amount_cents)}</td>
            <td>{rule}</td>
            <td><EnumPill value=e.status /></td>
            <td data-testid="release-date">{if held { format_date(e.available_at) } else { "—".to_string() }}</td>
        </tr>
    }
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

/// A ledger as a list: state and kind filters, a search over the tenant, the page and the
/// pager, all in the URL of `path` (Portal → Earnings, the admin's partner page; `program`:
/// Admin → Commissions, every partner's entries).
#[component]
pub fn LedgerList(
    #[prop(into)] path: String,
    query: Memo<ListQuery>,
    page: Resource<Result<Page<LedgerRow>, AppError>>,
    #[prop(optional)] program: bool,
) -> impl IntoView {
    let filters_path = path.clone();
    view! {
        {move || {
            view! {
                <ListFilters
                    path=filters_path.clone()
                    query=query.get()
                    search_label=if program { "Search partner or tenant" } else { "Search tenant" }
                    statuses=EntryState::options()
                    kinds=CommissionKind::options()
                    kind_label="Kind"
                    sorts=NEWEST_OR_OLDEST
                />
            }
        }}
        <PagedList path query page table=move |rows| view! { <LedgerTable rows program /> }.into_any() />
    }
}
