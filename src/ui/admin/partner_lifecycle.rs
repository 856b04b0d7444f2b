//! Admin → one partner: its state and the review actions, running stats, the settings
//! record (edited here only), the audit log and the state history.
use leptos::prelude::*;

use super::Stat;
use crate::api::AppError;
use crate::api::lifecycle::{ChangePartnerState, UpdatePartnerSettings, admin_partner_lifecycle};
use crate::domain::commission::{BasisPoints, Commission};
use crate::domain::dates::format_datetime;
use crate::domain::money::Cents;
use crate::domain::partner::{PartnerState, PayoutFrequency, PayoutMethod, ReasonCode};
use crate::model::lifecycle::{AuditRow, PartnerLifecycle, PartnerSettingsView, StateChangeRow};
use crate::ui::copy::CopyField;
use crate::ui::data_table::{DataTable, col};
use crate::ui::forms::{FieldError, FormError};
use crate::ui::widgets::{EnumPill, Loading, money, or_error};

type Lifecycle = Resource<Result<PartnerLifecycle, AppError>>;

#[component]
pub fn LifecycleSection(partner_id: Memo<String>) -> impl IntoView {
    let change = ServerAction::<ChangePartnerState>::new();
    let save = ServerAction::<UpdatePartnerSettings>::new();
    let data: Lifecycle = Resource::new(
        move || (partner_id.get(), change.version().get(), save.version().get()),
        |(id, _, _)| admin_partner_lifecycle(id),
    );
    let show = move |f: fn(
        PartnerLifecycle,
        Memo<String>,
        ServerAction<ChangePartnerState>,
        ServerAction<UpdatePartnerSettings>,
    ) -> AnyView| {
        view! {
            <Transition fallback=Loading>
                {move || data.get().map(|r| or_error(r, |d| f(d, partner_id, change, save)))}
            </Transition>
        }
    };
    view! {
        <section class="card" data-testid="partner-state">
            <h2>"Program state"</h2>
            {show(|d, id, change, _| view! { <StatePanel data=d partner_id=id action=change /> }.into_any())}
        </section>
        <section class="card" data-testid="partner-settings">
            <h2>"Partner settings"</h2>
            {show(|d, id, _, save| view! { <SettingsForm settings=d.settings partner_id=id action=save /> }.into_any())}
        </section>
        <section class="card" data-testid="partner-audit">
            <h2>"Audit log"</h2>
            {show(|d, _, _, _| view! { <AuditTable rows=d.audit /> <HistoryTable rows=d.history /> }.into_any())}
        </section>
    }
}

#[component]
fn StatePanel(
    data: PartnerLifecycle,
    partner_id: Memo<String>,
    action: ServerAction<ChangePartnerState>,
) -> impl IntoView {
    let state = Some(data.state.state);
    let s = data.stats;
    let result = Signal::derive(move || action.value().get());
    let reason = data.state.reason_label.clone().map(|r| view! { <p>"Reason: " {r}</p> });
    let note = data
        .state
        .note
        .clone()
        .filter(|n| !n.is_empty())
        .map(|n| view! { <p class="muted">"Note: " {n}</p> });
    let application = data.settings.promotion.clone().map(|p| {
        let site = data.settings.website.clone().unwrap_or_else(|| "—".into());
        let country = data.settings.payout_country.clone().unwrap_or_else(|| "—".into());
        view! {
            <p class="muted" data-testid="application">
                "Website: " {site} " · Payout country: " {country} <br /> "How they'll promote: " {p}
            </p>
        }
    });
    let buttons = move |labels: &'static [(&'static str, &'static str)]| {
        labels
            .iter()
            .map(|(value, label)| {
                view! {
                    <button type="submit" name="action" value=*value data-testid=format!("action-{value}")
                        disabled=move || action.pending().get()>{*label}</button>
                }
            })
            .collect_view()
    };
    let actions: &'static [(&'static str, &'static str)] = match state {
        Some(PartnerState::Pending) => &[("approve", "Approve"), ("reject", "Reject")],
        Some(PartnerState::Approved) => &[("suspend", "Suspend")],
        Some(PartnerState::Suspended) => &[("reinstate", "Reinstate")],
        _ => &[],
    };
    view! {
        <p>
            <span data-testid="partner-state-label"><EnumPill value=data.state.state /></span>
        </p>
        {reason}
        {note}
        {application}
        <div class="stats" data-testid="partner-running-stats">
            <Stat label="Total referrals" value=s.total_referrals.to_string() testid="stat-total-referrals" />
            <Stat label="Active referrals" value=s.active_referrals.to_string() testid="stat-active-referrals" />
            <Stat label="Total earnings" value=money(s.total_earnings_cents) testid="stat-total-earnings" />
            <Stat label="Pending payout" value=money(s.pending_payout_cents) testid="stat-pending-payout" />
            <Stat label="Lifetime payout" value=money(s.lifetime_payout_cents) testid="stat-lifetime-payout" />
        </div>
        {(!actions.is_empty()).then(|| view! {
            <ActionForm action attr:class="form" attr:data-testid="state-form">
                <input type="hidden" name="partner_id" value=partner_id />
                <div class="row">
                    <label>
                        "Reason (required to reject or suspend)"
                        <select name="reason_code" data-testid="reason-code">
                            <option value="">"—"</option>
                            {ReasonCode::all().iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}
                        </select>
                        <FieldError result field="reason_code" />
                    </label>
                    <label>
                        "Note (the partner sees it)"
                        <input name="note" maxlength=1000 data-testid="state-note" />
                    </label>
                </div>
                <div class="state-actions">{buttons(actions)}</div>
                <FormError result fields=&["reason_code"] />
            </ActionForm>
        })}
    }
}

#[component]
fn SettingsForm(
    settings: PartnerSettingsView,
    partner_id: Memo<String>,
    action: ServerAction<UpdatePartnerSettings>,
) -> impl IntoView {
    let result = Signal::derive(move || action.value().get());
    let s = settings;
    let commission = Commission::from_parts(&s.commission_kind, s.commission_value);
    let is_flat = matches!(commission, Some(Commission::Flat(_)));
    let commission_input = commission.map(|c| c.input_text()).unwrap_or_default();
    let method = RwSignal::new(s.payout_method.clone());
    let months = s.recurring_months.map(|m| m.to_string()).unwrap_or_default();
    let credit = BasisPoints::new(s.credit_bps as u32).map(|b| b.to_string()).unwrap_or_default();
    let hold = s.hold_days.map(|d| d.to_string()).unwrap_or_default();
    let saved = move || {
        action.value().get().and_then(Result::ok).map(|n| {
            let text = if n == 0 { "Nothing changed.".to_string() } else { format!("Saved {n} change(s).") };
            view! { <p class="success" data-testid="settings-saved">{text}</p> }
        })
    };
    let link = s
        .affiliate_link
        .clone()
        .map(|l| view! { <CopyField text=l testid="affiliate-link" label="Affiliate link" /> });
    let stripe = s.stripe_account_id.clone().map(|id| {
        let status = s.stripe_status.clone().unwrap_or_else(|| "unknown".into());
        view! { <p class="muted">"Stripe account " <code>{id}</code> " · " {status}</p> }
    });
    view! {
        <div class="settings-link">
            <p class="muted">"Affiliate link"</p>
            {link.unwrap_or_else(|| view! { <CopyField text="—" /> })}
        </div>
        <ActionForm action attr:class="form" attr:data-testid="settings-form">
            <input type="hidden" name="partner_id" value=partner_id />
            <div class="row">
                <label>
                    "Sales commission"
                    <select name="commission_kind" data-testid="commission-kind">
                        <option value="percent" selected=!is_flat>"Percent of the plan price"</option>
                        <option value="flat" selected=is_flat>"Flat amount ($)"</option>
                    </select>
                </label>
                <label>
                    "Percent or amount"
                    <input name="commission_value" value=commission_input required inputmode="decimal" data-testid="commission-value" />
                    <FieldError result field="commission_value" />
                </label>
                <label>
                    "Credit commission (basis points)"
                    <input name="credit_bps" value=s.credit_bps.to_string() inputmode="numeric" data-testid="credit-bps" />
                    <span class="muted">{format!("Now {credit} of the plan price, as credits. 100 = 1%.")}</span>
                    <FieldError result field="credit_bps" />
                </label>
            </div>
            <div class="row">
                <label class="check">
                    <input type="checkbox" name="recurring" value="on" checked=s.recurring data-testid="recurring" />
                    "Recurring commissions"
                </label>
                <label>
                    "Recurring months"
                    <input name="recurring_months" value=months inputmode="numeric" placeholder="empty = lifetime" data-testid="recurring-months" />
                    <span class="muted">"0 = first period only, empty = for as long as it pays."</span>
                    <FieldError result field="recurring_months" />
                </label>
                <label>
                    "Default referral code"
                    <select name="default_code_id" data-testid="default-code">
                        {s.codes.iter().map(|(id, code)| {
                            let selected = s.default_code_id.as_deref() == Some(id.as_str());
                            view! { <option value=id.clone() selected=selected>{code.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <FieldError result field="default_code_id" />
                </label>
            </div>
            <div class="row">
                <label>
                    "Payout method"
                    <select name="payout_method" data-testid="payout-method" on:change=move |ev| method.set(event_target_value(&ev))>
                        {PayoutMethod::all().iter().map(|m| {
                            let selected = s.payout_method == m.as_str();
                            view! { <option value=m.as_str() selected=selected>{m.label()}</option> }
                        }).collect_view()}
                    </select>
                    <FieldError result field="payout_method" />
                </label>
                <label>
                    "Payout threshold ($)"
                    <input name="payout_threshold" value=Cents(s.payout_threshold_cents).dollars_input() inputmode="decimal" data-testid="payout-threshold" />
                    <FieldError result field="payout_threshold" />
                </label>
                <label>
                    "Payout frequency"
                    <select name="payout_frequency" data-testid="payout-frequency">
                        {PayoutFrequency::all().iter().map(|f| {
                            let selected = s.payout_frequency == f.as_str();
                            view! { <option value=f.as_str() selected=selected>{f.label()}</option> }
                        }).collect_view()}
                    </select>
                    <FieldError result field="payout_frequency" />
                </label>
                <label>
                    "Hold days"
                    <input name="hold_days" value=hold inputmode="numeric" placeholder=format!("platform default: {}", s.platform_hold_days) data-testid="hold-days" />
                    <FieldError result field="hold_days" />
                </label>
            </div>
            <PayoutDetailsFields method settings=s.clone() result />
            {stripe}
            <FormError result fields=&["commission_value", "credit_bps", "recurring_months", "default_code_id", "payout_method",
                "payout_threshold", "payout_frequency", "hold_days", "paypal_email", "bank_holder", "bank_account", "bank_routing"] />
            {saved}
            <div><button type="submit" data-testid="save-settings" disabled=move || action.pending().get()>"Save settings"</button></div>
        </ActionForm>
    }
}

/// The detail inputs of the chosen payout method (PayPal email; bank holder, account,
/// routing). Shared by the admin form and the partner's own payout form.
#[component]
pub fn PayoutDetailsFields<T: Clone + Send + Sync + 'static>(
    method: RwSignal<String>,
    settings: PartnerSettingsView,
    result: Signal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    let s = settings;
    view! {
        <div class="row" style:display=move || if method.get() == PayoutMethod::Paypal.as_str() { "" } else { "none" }>
            <label>
                "PayPal email"
                <input type="email" name="paypal_email" value=s.paypal_email.clone().unwrap_or_default() data-testid="paypal-email" />
                <FieldError result field="paypal_email" />
            </label>
        </div>
        <div class="row" style:display=move || if method.get() == PayoutMethod::Bank.as_str() { "" } else { "none" }>
            <label>
                "Account holder"
                <input name="bank_holder" value=s.bank_holder.clone().unwrap_or_default() data-testid="bank-holder" />
                <FieldError result field="bank_holder" />
            </label>
            <label>
                "IBAN or account number"
                <input name="bank_account" value=s.bank_account.clone().unwrap_or_default() data-testid="bank-account" />
                <FieldError result field="bank_account" />
            </label>
            <label>
                "Routing / sort code / BIC"
                <input name="bank_routing" value=s.bank_routing.clone().unwrap_or_default() data-testid="bank-routing" />
                <FieldError result field="bank_routing" />
            </label>
        </div>
    }
}

#[component]
fn AuditTable(rows: Vec<AuditRow>) -> impl IntoView {
    view! {
        <DataTable
            rows=rows
            empty="No settings changes yet."
            testid="audit-table"
            cols=[col("When"), col("Who"), col("Field"), col("Before"), col("After")]
            row=move |a: AuditRow| {
                view! {
                    <tr data-testid="audit-row" data-field=a.field.clone()>
                        <td>{format_datetime(a.created_at)}</td>
                        <td>{a.actor_email.unwrap_or_else(|| "—".into())}</td>
                        <td>{a.field.replace('_', " ")}</td>
                        <td data-testid="audit-before">{a.before_value.unwrap_or_default()}</td>
                        <td data-testid="audit-after">{a.after_value.unwrap_or_default()}</td>
                    </tr>
                }
            }
        />
    }
}

#[component]
fn HistoryTable(rows: Vec<StateChangeRow>) -> impl IntoView {
    if rows.is_empty() {
        return ().into_any();
    }
    view! {
        <h3>"State history"</h3>
        <table data-testid="history-table">
            <thead><tr><th>"When"</th><th>"Who"</th><th>"Change"</th><th>"Reason"</th><th>"Note"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|h| {
                    let change = format!("{} → {}", h.from_state.map(PartnerState::as_str).unwrap_or("new"), h.to_state);
                    let reason = h.reason_code.as_deref().and_then(ReasonCode::parse).map(|r| r.label()).unwrap_or("—");
                    view! {
                        <tr data-testid="history-row">
                            <td>{format_datetime(h.created_at)}</td>
                            <td>{h.actor_email.unwrap_or_else(|| "—".into())}</td>
                            <td>{change}</td>
                            <td>{reason}</td>
                            <td>{h.note.unwrap_or_default()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
