//! A payout's rail reference in the admin's payouts list (issue #12): the Stripe
//! transfer linked to Stripe's dashboard, the PayPal batch, and a "needs reconcile"
//! badge while an attempt's outcome is unknown.
use leptos::prelude::*;

use crate::model::rails::RailReference;

#[component]
pub fn PayoutRail(rail: Option<RailReference>) -> impl IntoView {
    rail.map(|r| {
        view! {
            <span class="payout-rail" data-testid="payout-rail">
                {r.transfer_url.map(|url| {
                    view! {
                        <a href=url target="_blank" rel="noopener external" data-testid="stripe-transfer-link">
                            "View in Stripe"
                        </a>
                    }
                })}
                {r.batch_id.map(|b| {
                    view! { <span class="muted" data-testid="paypal-batch">{format!("PayPal batch {b}")}</span> }
                })}
                {r.needs_reconcile.then(|| {
                    view! {
                        <span class="pill warn" data-testid="needs-reconcile" title="The rail's answer was lost; it will be asked before anything is sent again.">
                            "needs reconcile"
                        </span>
                    }
                })}
                {r.awaiting_rail.then(|| view! { <span class="pill warn">"awaiting PayPal"</span> })}
            </span>
        }
    })
}
