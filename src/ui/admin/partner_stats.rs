//! Admin → one partner → attribution: the same report the partner sees under Analytics.
use leptos::prelude::*;

use crate::api::stats::partner_stats;
use crate::ui::attribution::AttributionReport;
use crate::ui::widgets::{Loading, or_error};

/// Loads and shows one partner's attribution report. `partner_id` may be a plain
/// `String` or a signal (the report reloads when it changes).
#[component]
pub fn PartnerStats(#[prop(into)] partner_id: Signal<String>) -> impl IntoView {
    let stats = Resource::new(move || partner_id.get(), partner_stats);
    view! {
        <div data-testid="partner-stats">
            <Suspense fallback=Loading>
                {move || stats.get().map(|r| or_error(r, |stats| view! { <AttributionReport stats /> }.into_any()))}
            </Suspense>
        </div>
    }
}
