//! Portal → Referrals: the workspaces attributed to this partner.
use leptos::prelude::*;

use crate::api::portal::my_referrals;
use crate::ui::tables::ReferralsTable;
use crate::ui::widgets::{Loading, or_error};

#[component]
pub fn PortalReferralsPage() -> impl IntoView {
    let referrals = Resource::new(|| (), |_| my_referrals());
    view! {
        <h1>"Referrals"</h1>
        <p class="muted">"A referral converts when its workspace's subscription first becomes active."</p>
        <section class="card">
            <Transition fallback=Loading>
                {move || referrals.get().map(|r| or_error(r, |rows| view! { <ReferralsTable rows /> }.into_any()))}
            </Transition>
        </section>
    }
}
