//! Admin → Partner: the partner's connected Stripe account and its status (issue #12).
use leptos::prelude::*;

use crate::api::stripe::partner_stripe;
use crate::ui::widgets::{Loading, or_error};

#[component]
pub fn PartnerStripe(partner_id: Memo<String>) -> impl IntoView {
    let connection = Resource::new(move || partner_id.get(), partner_stripe);
    view! {
        <section class="card stripe-connect" data-testid="partner-stripe">
            <h2>"Stripe Connect"</h2>
            <Transition fallback=Loading>
                {move || {
                    connection
                        .get()
                        .map(|r| {
                            or_error(
                                r,
                                |c| match c.account {
                                    Some(a) => view! { <crate::ui::portal::AccountStatusView a /> }.into_any(),
                                    None => view! { <p class="muted">"No connected Stripe account."</p> }.into_any(),
                                },
                            )
                        })
                }}
            </Transition>
        </section>
    }
}
