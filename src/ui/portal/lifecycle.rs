//! The portal's lifecycle parts: what a partner that isn't approved sees instead of the
//! portal, running stats on the overview, its settings (read-only but for payout
//! details) and its agency sub-accounts.
use leptos::prelude::*;

use crate::api::lifecycle::{
    CreateSubAccount, UpdateMyPayout, my_partner_settings, my_partner_state, my_partner_stats,
    my_sub_accounts,
};
use crate::domain::commission::{BasisPoints, Commission};
use crate::domain::dates::format_date;
use crate::domain::money::Cents;
use crate::domain::partner::{PayoutFrequency, PayoutMethod};
use crate::model::lifecycle::{PartnerSettingsView, SubAccountRow};
use crate::ui::admin::PayoutDetailsFields;
use crate::ui::copy::CopyField;
use crate::ui::forms::{CreateForm, FieldError, FormError};
use crate::ui::public::StateNotice;
use crate::ui::widgets::Stat;
use crate::ui::widgets::{Empty, Loading, money, or_error};

/// A partner that isn't approved: its state and what to do, nothing else.
#[component]
pub fn PartnerStatePanel() -> impl IntoView {
    let state = Resource::new(|| (), |_| my_partner_state());
    view! {
        <main class="page">
            <section class="card narrow" data-testid="partner-state-panel">
                <Suspense fallback=Loading>
                    {move || state.get().map(|r| or_error(r, |s| match s {
                        Some(s) => view! {
                            <StateNotice state=s.clone() />
                            {s.may_reapply.then(|| view! { <p><a class="button" href="/partners/apply" rel="external">"Apply again"</a></p> })}
                        }.into_any(),
                        None => view! { <p>"No partner application."</p> }.into_any(),
                    }))}
                </Suspense>
                <p><a href="/" rel="external">"Home"</a></p>
            </section>
        </main>
    }
}

#[component]
pub fn PortalRunningStats() -> impl IntoView {
    let stats = Resource::new(|| (), |_| my_partner_stats());
    view! {
        <Transition fallback=Loading>
            {move || stats.get().map(|r| or_error(r, |s| view! {
                <div class="stats" data-testid="portal-running-stats">
                    <Stat label="Total referrals" value=s.total_referrals.to_string() testid="stat-total-referrals" />
                    <Stat label="Active referrals" value=s.active_referrals.to_string() testid="stat-active-referrals" />
                    <Stat label="Total earnings" value=money(s.total_earnings_cents) testid="stat-total-earnings" />
                    <Stat label="Pending payout" value=money(s.pending_payout_cents) testid="stat-pending-payout" />
                    <Stat label="Lifetime payout" value=money(s.lifetime_payout_cents) testid="stat-lifetime-payout" />
                </div>
            }.into_any()))}
        </Transition>
    }
}

#[component]
pub fn PortalSettingsPage() -> impl IntoView {
    let save = ServerAction::<UpdateMyPayout>::new();
    // Reloaded after a save that succeeded only: a refused save keeps what the partner
    // typed (and the method picked) on screen beside the error.
    let saved = Memo::new(move |prev: Option<&usize>| {
        let ok = save.value().with(|v| matches!(v, Some(Ok(_))));
        if ok { save.version().get_untracked() } else { prev.copied().unwrap_or(0) }
    });
    let settings = Resource::new(move || saved.get(), |_| my_partner_settings());
    view! {
        <h1>"Settings"</h1>
        <Transition fallback=Loading>
            {move || settings.get().map(|r| or_error(r, move |s| view! { <ReadOnlySettings settings=s.clone() /> <PayoutForm settings=s action=save /> }.into_any()))}
        </Transition>
    }
}

fn commission_text(kind: &str, value: i64) -> String {
    Commission::from_parts(kind, value).map(|c| c.to_string()).unwrap_or_else(|| "—".into())
}

#[component]
fn ReadOnlySettings(settings: PartnerSettingsView) -> impl IntoView {
    let s = settings;
    let recurring = match (s.recurring, s.recurring_months) {
        (false, _) => "No".to_string(),
        (true, None) => "Yes, for as long as the subscription pays".to_string(),
        (true, Some(0)) => "First period only".to_string(),
        (true, Some(n)) => format!("Yes, for {n} months"),
    };
    let credit = BasisPoints::new(s.credit_bps as u32).map(|b| b.to_string()).unwrap_or_default();
    let frequency = PayoutFrequency::parse(&s.payout_frequency).map(|f| f.label()).unwrap_or("—");
    let hold = s.hold_days.unwrap_or(s.platform_hold_days);
    view! {
        <section class="card" data-testid="my-settings">
            <h2>"Your program terms"</h2>
            <p class="muted">"Set by the platform. Contact us to change them."</p>
            <dl class="facts">
                <dt>"Sales commission"</dt><dd data-testid="my-commission">{commission_text(&s.commission_kind, s.commission_value)}</dd>
                <dt>"Credit commission"</dt><dd>{credit}</dd>
                <dt>"Recurring"</dt><dd>{recurring}</dd>
                <dt>"Payout threshold"</dt><dd>{Cents(s.payout_threshold_cents).to_string()}</dd>
                <dt>"Payout frequency"</dt><dd>{frequency}</dd>
                <dt>"Hold period"</dt><dd>{format!("{hold} days")}</dd>
                <dt>"Referral code"</dt><dd>{s.default_code.clone().unwrap_or_else(|| "—".into())}</dd>
            </dl>
            {s.affiliate_link.clone().map(|l| view! { <CopyField text=l testid="my-affiliate-link" label="Affiliate link" /> })}
        </section>
    }
}

#[component]
fn PayoutForm(settings: PartnerSettingsView, action: ServerAction<UpdateMyPayout>) -> impl IntoView {
    let result = Signal::derive(move || action.value().get());
    let method = RwSignal::new(settings.payout_method.clone());
    let stripe = settings
        .stripe_account_id
        .clone()
        .map(|id| view! { <p class="muted">"Stripe account " <code>{id}</code></p> });
    view! {
        <section class="card">
            <h2>"How you're paid"</h2>
            <ActionForm action attr:class="form" attr:data-testid="payout-form">
                <label>
                    "Payout method"
                    <select name="payout_method" data-testid="payout-method" on:change=move |ev| method.set(event_target_value(&ev))>
                        {PayoutMethod::all().iter().map(|m| {
                            let selected = settings.payout_method == m.as_str();
                            view! { <option value=m.as_str() selected=selected>{m.label()}</option> }
                        }).collect_view()}
                    </select>
                    <FieldError result field="payout_method" />
                </label>
                <PayoutDetailsFields method settings=settings.clone() result />
                {stripe}
                <FormError result fields=&["payout_method", "paypal_email", "bank_holder", "bank_account", "bank_routing"] />
                {move || action.value().get().and_then(Result::ok).map(|_| view! { <p class="success" data-testid="payout-saved">"Saved."</p> })}
                <div><button type="submit" data-testid="save-payout" disabled=move || action.pending().get()>"Save payout details"</button></div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn PortalSubAccountsPage() -> impl IntoView {
    let create = ServerAction::<CreateSubAccount>::new();
    let rows = Resource::new(move || create.version().get(), |_| my_sub_accounts());
    view! {
        <h1>"Sub-accounts"</h1>
        <section class="card">
            <p class="muted">"Workspaces you run for your clients. Each one is attributed to you."</p>
            <CreateForm
                action=create
                testid="sub-account-form"
                submit="Create"
                submit_testid="sub-account-create"
                inline=true
                fields=&["name"]
                success=|_: String| ()
            >
                <label>
                    "New sub-account"
                    <input name="name" required maxlength=80 placeholder="Client Co" data-testid="sub-account-name" />
                </label>
            </CreateForm>
        </section>
        <section class="card">
            <Transition fallback=Loading>
                {move || rows.get().map(|r| or_error(r, |rows| view! { <SubAccounts rows /> }.into_any()))}
            </Transition>
        </section>
    }
}

#[component]
fn SubAccounts(rows: Vec<SubAccountRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No sub-accounts yet." /> }.into_any();
    }
    view! {
        <ul class="list" data-testid="sub-accounts">
            {rows.into_iter().map(|r| view! {
                <li data-testid="sub-account">
                    <span>{r.name}</span>
                    <span class="muted">{format_date(r.created_at)}</span>
                    <a class="button small ghost" href="/dashboard" rel="external" data-workspace-id=r.id>"Open"</a>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
