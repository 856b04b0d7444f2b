//! Portal → Analytics: clicks, signups and conversions of this partner's codes and listings.
use leptos::prelude::*;

use crate::api::stats::my_stats;
use crate::ui::attribution::AttributionReport;
use crate::ui::widgets::{Loading, or_error};

#[component]
pub fn PortalAnalyticsPage() -> impl IntoView {
    let stats = Resource::new(|| (), |_| my_stats());
    view! {
        <h1>"Analytics"</h1>
        <p class="muted">
            "Clicks on your links and listings, the signups they brought and the signups that became paying customers."
        </p>
        <Suspense fallback=Loading>
            {move || stats.get().map(|r| or_error(r, |stats| view! { <AttributionReport stats /> }.into_any()))}
        </Suspense>
    }
}
