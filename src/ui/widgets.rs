//! Small pieces the admin and portal pages share: loading and error states, empty
//! lists, status pills, money and date formatting, the plan picker.
use leptos::prelude::*;

use crate::api::AppError;
use crate::api::types::PlanView;
use crate::domain::dates::format_date;
use crate::domain::money::Cents;
use crate::domain::roles::{SubscriptionStatus, TextEnum};

/// `$1,234.56`
pub fn money(cents: i64) -> String {
    Cents(cents).to_string()
}

/// `2026-11-21`, or a dash when there is no date.
pub fn date_or_dash(ms: Option<i64>) -> String {
    ms.map(format_date).unwrap_or_else(|| "—".to_string())
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="muted">"Loading…"</p> }
}

/// The loaded value through `ok`, or the error in its place.
pub fn or_error<T>(result: Result<T, AppError>, ok: impl FnOnce(T) -> AnyView) -> AnyView {
    match result {
        Ok(value) => ok(value),
        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
    }
}

/// What an empty list shows instead of a table.
#[component]
pub fn Empty(text: &'static str) -> impl IntoView {
    view! { <p class="empty" data-testid="empty">{text}</p> }
}

/// The colour of a status pill: ok (done), warn (in progress) or off (ended).
fn tone(status: &str) -> &'static str {
    match status {
        "converted" | "paid" | "claimed" | "member" | "active" | "ACTIVE" => "ok",
        "registered" | "pending" | "approved" | "waiting" | "invited" | "TRIALING" | "PAST_DUE" => "warn",
        "on_hold" | "available" | "in_payout" | "processing" => "warn",
        _ => "off",
    }
}

/// A typed status in a coloured pill, in its words for people ("Pending", "In payout").
#[component]
pub fn EnumPill<T: TextEnum + Send + Sync>(value: T) -> impl IntoView {
    view! { <StatusPill status=value.as_str() label=value.label() /> }
}

/// A status word in a coloured pill (subscription statuses get their label). `label`
/// overrides the words shown; prefer [`EnumPill`] when the status is typed.
#[component]
pub fn StatusPill(
    #[prop(into)] status: String,
    #[prop(optional, into)] label: Option<String>,
) -> impl IntoView {
    let label = label.unwrap_or_else(|| {
        SubscriptionStatus::parse(&status)
            .filter(|s| s.as_str() == status)
            .map(|s| s.label().to_string())
            .or_else(|| crate::domain::payouts::EntryState::parse(&status).map(|s| s.label().to_string()))
            .unwrap_or_else(|| status.clone())
    });
    view! {
        <span class=format!("pill {}", tone(&status)) data-testid="status-pill" data-status=status>
            {label}
        </span>
    }
}

/// A `<select>` of all plans, loading them if needed. `selected` pre-selects a plan;
/// without one, the first option asks to choose.
#[component]
pub fn PlanSelect(
    plans: Resource<Result<Vec<PlanView>, AppError>>,
    #[prop(default = "plan_id")] name: &'static str,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <select disabled><option>"Loading plans…"</option></select> }>
            {move || {
                plans.get().map(|r| or_error(r, |plans| plan_options(plans, name, None).into_any()))
            }}
        </Suspense>
    }
}

/// The plan `<select>` itself, for callers that already hold the plans.
pub fn plan_options(plans: Vec<PlanView>, name: &'static str, selected: Option<String>) -> impl IntoView {
    let none_selected = selected.is_none();
    view! {
        <select name=name required data-testid="plan-select">
            <option value="" disabled selected=none_selected>
                {if plans.is_empty() { "No plans yet" } else { "Choose a plan" }}
            </option>
            {plans
                .into_iter()
                .map(|p| {
                    let is_selected = selected.as_deref() == Some(p.id.as_str());
                    view! {
                        <option value=p.id selected=is_selected>
                            {format!("{} ({}/month)", p.name, money(p.price_monthly_cents))}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

/// Empties a form after its action succeeds, so the next entry starts clean.
pub fn reset_on_success<T>(result: Signal<Option<Result<T, AppError>>>, form: NodeRef<leptos::html::Form>)
where
    T: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(result.get(), Some(Ok(_))) {
            #[cfg(feature = "hydrate")]
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = form;
}

/// The commission kind select and its value input, whose label, placeholder and hint
/// follow the kind. `kind` starts on "percent" and returns there after `result` succeeds
/// (the form reset puts the select back on its first option).
#[component]
pub fn CommissionFields<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
    kind_name: &'static str,
    value_name: &'static str,
    kind_label: &'static str,
) -> impl IntoView {
    let kind = RwSignal::new("percent".to_string());
    Effect::new(move |_| {
        if matches!(result.get(), Some(Ok(_))) {
            kind.set("percent".to_string());
        }
    });
    let is_flat = move || kind.get() == "flat";
    view! {
        <label>
            {kind_label}
            <select name=kind_name on:change=move |ev| kind.set(event_target_value(&ev))>
                <option value="percent">"Percent of the plan price"</option>
                <option value="flat">"Flat amount per conversion"</option>
            </select>
        </label>
        <label>
            {move || if is_flat() { "Amount ($)" } else { "Percent (%)" }}
            <input name=value_name required inputmode="decimal" placeholder=move || if is_flat() { "25.00" } else { "12.5" } />
            <span class="muted" data-testid="commission-hint">
                {move || {
                    if is_flat() {
                        "Dollars paid for each conversion, like 25.00."
                    } else {
                        "Percent of the plan's monthly price, 0–100 with up to two decimals, like 12.5."
                    }
                }}
            </span>
        </label>
    }
}

/// One figure with its label, in a stats row.
#[component]
pub fn Stat(
    label: &'static str,
    #[prop(into)] value: String,
    /// `data-testid` of the value, so a test reads just the number.
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="stat">
            <span class="stat-value" data-testid=testid>{value}</span>
            <span class="stat-label">{label}</span>
        </div>
    }
}
