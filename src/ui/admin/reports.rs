//! The lists behind the overview's window figures: Admin → Clicks and Admin → Commissions.
//! Both keep the window they were opened with (`on`, `from`, `to`) and the `partner`
//! filter in the URL, so the overview's number and the list's count are the same query.
use leptos::prelude::*;

use crate::api::partners::{admin_click_page, admin_commission_page};
use crate::api::types::ClickRow;
use crate::domain::dates::format_datetime;
use crate::ui::data_table::{DataTable, col};
use crate::ui::list::{ListFilters, NEWEST_OR_OLDEST, PagedList, use_list_query};
use crate::ui::tables::LedgerList;

const CLICKS: &str = "/admin/clicks";
const COMMISSIONS: &str = "/admin/commissions";

#[component]
pub fn AdminClicksPage() -> impl IntoView {
    let query = use_list_query();
    let clicks = Resource::new(move || query.get(), admin_click_page);
    view! {
        <h1>"Clicks"</h1>
        <p class="muted">"Every visit that arrived through a partner's link, code, listing or share link."</p>
        <section class="card">
            {move || {
                view! {
                    <ListFilters path=CLICKS query=query.get() search_label="Search partner or code" sorts=NEWEST_OR_OLDEST />
                }
            }}
            <PagedList path=CLICKS query page=clicks table=|rows| view! { <ClicksTable rows /> }.into_any() />
        </section>
    }
}

#[component]
fn ClicksTable(rows: Vec<ClickRow>) -> impl IntoView {
    view! {
        <DataTable
            rows
            empty="No clicks yet. They appear when someone opens a partner's referral link."
            testid="clicks-table"
            cols=vec![col("When"), col("Partner"), col("Through"), col("Landed on"), col("Came from")]
            row=|c: ClickRow| {
                view! {
                    <tr data-testid="click-row">
                        <td>{format_datetime(c.created_at)}</td>
                        <td><a href=format!("/admin/partners/{}", c.partner_id)>{c.partner_name}</a></td>
                        <td>{c.via}</td>
                        <td class="wrap-anywhere">{c.landing_path}</td>
                        <td class="wrap-anywhere">{c.referrer.unwrap_or_else(|| "—".to_string())}</td>
                    </tr>
                }
            }
        />
    }
}

#[component]
pub fn AdminCommissionsPage() -> impl IntoView {
    let query = use_list_query();
    let entries = Resource::new(move || query.get(), admin_commission_page);
    view! {
        <h1>"Commissions"</h1>
        <p class="muted">
            "Every commission entry of the program, where it stands now. Reversals are negative entries; "
            <a href="/admin/payouts">"Payouts"</a>
            " gathers what is available."
        </p>
        <section class="card">
            <LedgerList path=COMMISSIONS query page=entries program=true />
        </section>
    }
}
