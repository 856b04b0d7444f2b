//! Portal → Earnings: every ledger entry (kind, where it stands, when a held one is
//! released), filtered, searched and paginated through the URL.
use leptos::prelude::*;

use crate::api::portal::my_earnings;
use crate::ui::list::use_list_query;
use crate::ui::tables::LedgerList;

#[component]
pub fn PortalEarningsPage() -> impl IntoView {
    let query = use_list_query();
    let entries = Resource::new(move || query.get(), my_earnings);
    view! {
        <h1>"Earnings"</h1>
        <p class="muted">
            "Each commission is on hold until its release date, then available for the next payout. Reversals are refunds taking an earning back."
        </p>
        <section class="card">
            <LedgerList path="/partners/earnings" query page=entries />
        </section>
    }
}
