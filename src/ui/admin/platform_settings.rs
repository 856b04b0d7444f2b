//! Admin → Settings: the platform's program defaults (new partners start from them),
//! the reapply wait and the standard sub-account cap.
use leptos::prelude::*;

use crate::api::lifecycle::{UpdatePlatformSettings, platform_settings};
use crate::domain::commission::Commission;
use crate::domain::money::Cents;
use crate::domain::partner::PayoutFrequency;
use crate::model::lifecycle::PlatformSettingsView;
use crate::ui::forms::{FieldError, FormError};
use crate::ui::widgets::{Loading, or_error};

#[component]
pub fn AdminSettingsPage() -> impl IntoView {
    let save = ServerAction::<UpdatePlatformSettings>::new();
    let settings = Resource::new(move || save.version().get(), |_| platform_settings());
    view! {
        <h1>"Program settings"</h1>
        <section class="card">
            <p class="muted">"Defaults every new partner starts with; change a partner's own settings on its page."</p>
            <Transition fallback=Loading>
                {move || settings.get().map(|r| or_error(r, move |s| view! { <PlatformForm settings=s action=save /> }.into_any()))}
            </Transition>
        </section>
    }
}

#[component]
fn PlatformForm(
    settings: PlatformSettingsView,
    action: ServerAction<UpdatePlatformSettings>,
) -> impl IntoView {
    let result = Signal::derive(move || action.value().get());
    let s = settings;
    let commission = Commission::from_parts(&s.default_commission_kind, s.default_commission_value);
    let is_flat = matches!(commission, Some(Commission::Flat(_)));
    let value = commission.map(|c| c.input_text()).unwrap_or_default();
    let months = s.default_recurring_months.map(|m| m.to_string()).unwrap_or_default();
    let saved = move || {
        action
            .value()
            .get()
            .and_then(Result::ok)
            .map(|_| view! { <p class="success" data-testid="platform-saved">"Saved."</p> })
    };
    view! {
        <ActionForm action attr:class="form" attr:data-testid="platform-form">
            <div class="row">
                <label>
                    "Default sales commission"
                    <select name="commission_kind">
                        <option value="percent" selected=!is_flat>"Percent of the plan price"</option>
                        <option value="flat" selected=is_flat>"Flat amount ($)"</option>
                    </select>
                </label>
                <label>
                    "Percent or amount"
                    <input name="commission_value" value=value required inputmode="decimal" data-testid="platform-commission" />
                    <FieldError result field="commission_value" />
                </label>
                <label>
                    "Credit commission (basis points)"
                    <input name="credit_bps" value=s.default_credit_bps.to_string() inputmode="numeric" />
                    <FieldError result field="credit_bps" />
                </label>
            </div>
            <div class="row">
                <label class="check">
                    <input type="checkbox" name="recurring" value="on" checked=s.default_recurring />
                    "Recurring commissions"
                </label>
                <label>
                    "Recurring months"
                    <input name="recurring_months" value=months inputmode="numeric" placeholder="empty = lifetime" />
                    <FieldError result field="recurring_months" />
                </label>
                <label>
                    "Payout frequency"
                    <select name="payout_frequency">
                        {PayoutFrequency::all().iter().map(|f| {
                            let selected = s.default_payout_frequency == f.as_str();
                            view! { <option value=f.as_str() selected=selected>{f.label()}</option> }
                        }).collect_view()}
                    </select>
                    <FieldError result field="payout_frequency" />
                </label>
                <label>
                    "Payout threshold ($)"
                    <input name="payout_threshold" value=Cents(s.default_payout_threshold_cents).dollars_input() inputmode="decimal" />
                    <FieldError result field="payout_threshold" />
                </label>
            </div>
            <div class="row">
                <label>
                    "Hold days"
                    <input name="hold_days" value=s.default_hold_days.to_string() inputmode="numeric" />
                    <FieldError result field="hold_days" />
                </label>
                <label>
                    "Days before a rejected applicant may reapply"
                    <input name="reapply_wait_days" value=s.reapply_wait_days.to_string() inputmode="numeric" data-testid="reapply-wait" />
                    <FieldError result field="reapply_wait_days" />
                </label>
                <label>
                    "Sub-accounts of a standard workspace"
                    <input name="standard_sub_account_cap" value=s.standard_sub_account_cap.to_string() inputmode="numeric" />
                    <FieldError result field="standard_sub_account_cap" />
                </label>
            </div>
            <FormError result fields=&["commission_value", "credit_bps", "recurring_months", "payout_frequency",
                "payout_threshold", "hold_days", "reapply_wait_days", "standard_sub_account_cap"] />
            {saved}
            <div><button type="submit" data-testid="save-platform" disabled=move || action.pending().get()>"Save settings"</button></div>
        </ActionForm>
    }
}
