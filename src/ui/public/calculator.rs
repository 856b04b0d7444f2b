use leptos::prelude::*;

use crate::domain::commission::{BasisPoints, Commission};
use crate::domain::money::Cents;

/// A live payout preview on the home page, computed in the browser with the same
/// rule the ledger uses. It only reacts once the page has hydrated.
#[component]
pub fn PayoutCalculator() -> impl IntoView {
    let price = RwSignal::new("99.00".to_string());
    let percent = RwSignal::new("20".to_string());
    let payout = move || {
        let price = Cents::parse_dollars(&price.get()).map_err(|e| e.message)?;
        let bps = BasisPoints::parse_percent(&percent.get()).map_err(|e| e.message)?;
        Ok::<_, String>(Commission::Percent(bps).payout(price))
    };
    view! {
        <section class="card calculator" data-testid="calculator">
            <h2>"What would a partner earn?"</h2>
            <div class="row">
                <label>
                    "Monthly plan price ($)"
                    <input
                        name="calc-price"
                        inputmode="decimal"
                        prop:value=price
                        on:input=move |ev| price.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "Commission (%)"
                    <input
                        name="calc-percent"
                        inputmode="decimal"
                        prop:value=percent
                        on:input=move |ev| percent.set(event_target_value(&ev))
                    />
                </label>
            </div>
            <p class="result" data-testid="calc-result">
                {move || match payout() {
                    Ok(cents) => format!("Payout per conversion: {cents}"),
                    Err(message) => message,
                }}
            </p>
        </section>
    }
}
