//! Portal → Payouts: commissions earned, pending and paid.
use leptos::prelude::*;

use crate::api::portal::my_payouts;
use crate::ui::admin::Stat;
use crate::ui::tables::LedgerTable;
use crate::ui::widgets::{Loading, money, or_error};

#[component]
pub fn PortalPayoutsPage() -> impl IntoView {
    let payouts = Resource::new(|| (), |_| my_payouts());
    view! {
        <h1>"Payouts"</h1>
        <Transition fallback=Loading>
            {move || {
                payouts
                    .get()
                    .map(|r| {
                        or_error(
                            r,
                            |p| {
                                view! {
                                    <div class="stats">
                                        <Stat label="Pending" value=money(p.pending_cents) testid="pending-total" />
                                        <Stat label="Paid" value=money(p.paid_cents) testid="paid-total" />
                                    </div>
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
