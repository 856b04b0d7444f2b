//! Portal → Payouts: connect Stripe (issue #12). The buttons are action forms: the
//! server answers with a redirect to Stripe's onboarding or Express dashboard, which the
//! hydrated page follows as a navigation (the CSP's `form-action 'self'` would stop a
//! plain form post from being redirected to another origin), and Stripe sends the
//! partner back to `?stripe=return`, which refreshes the status.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::stripe::{ConnectStripe, StripeDashboard, my_stripe};
use crate::model::rails::{StripeAccountView, StripeConnection};
use crate::ui::widgets::{Loading, or_error};

#[component]
pub fn StripeConnectPanel() -> impl IntoView {
    let query = use_query_map();
    let returned = move || query.read().get("stripe").is_some_and(|v| v == "return");
    let connection = Resource::new(returned, my_stripe);
    view! {
        <section class="card stripe-connect" data-testid="stripe-connect">
            <h2>"Stripe Connect"</h2>
            <Transition fallback=Loading>
                {move || connection.get().map(|r| or_error(r, |c| view! { <Connection c /> }.into_any()))}
            </Transition>
        </section>
    }
}

#[component]
fn Connection(c: StripeConnection) -> impl IntoView {
    if !c.available {
        return view! { <p class="muted">"Stripe payouts are not available on this platform."</p> }
            .into_any();
    }
    let connect = ServerAction::<ConnectStripe>::new();
    match c.account {
        None => view! {
            <p>"Get paid by Stripe: connect an account (a few minutes on Stripe's site) and payouts arrive as transfers."</p>
            <ActionForm action=connect>
                <button type="submit" data-testid="connect-stripe" disabled=move || connect.pending().get()>"Connect Stripe"</button>
            </ActionForm>
            <ActionError action=connect />
        }
        .into_any(),
        Some(a) => view! { <AccountStatus a /> }.into_any(),
    }
}

#[component]
pub fn AccountStatus(a: StripeAccountView) -> impl IntoView {
    let ready = a.ready;
    let submitted = a.details_submitted;
    let due = a.requirements_due.clone();
    let connect = ServerAction::<ConnectStripe>::new();
    let dashboard = ServerAction::<StripeDashboard>::new();
    view! {
        <dl class="stripe-status">
            <dt>"Account"</dt>
            <dd><code>{a.account_id.clone()}</code></dd>
            <dt>"Status"</dt>
            <dd data-testid="stripe-state">
                {if ready { "Ready for payouts" } else if submitted { "Under review by Stripe" } else { "Onboarding not finished" }}
            </dd>
            <dt>"Details submitted"</dt>
            <dd>{if a.details_submitted { "Yes" } else { "No" }}</dd>
            <dt>"Payouts enabled"</dt>
            <dd>{if a.payouts_enabled { "Yes" } else { "No" }}</dd>
            <dt>"Transfers"</dt>
            <dd>{a.transfers.clone()}</dd>
            {(!due.is_empty()).then(|| view! { <dt>"Stripe still needs"</dt><dd>{due.clone()}</dd> })}
        </dl>
        {(!ready).then(|| view! {
            <ActionForm action=connect>
                <button type="submit" data-testid="continue-stripe">"Continue onboarding"</button>
            </ActionForm>
            <ActionError action=connect />
        })}
        {submitted.then(|| view! {
            <ActionForm action=dashboard>
                <button type="submit" class="secondary">"Open Stripe dashboard"</button>
            </ActionForm>
            <ActionError action=dashboard />
        })}
    }
}

/// The error of a button's call (Stripe unavailable, say), under the button.
#[component]
fn ActionError<A>(action: ServerAction<A>) -> impl IntoView
where
    A: leptos::server_fn::ServerFn<Output = (), Error = crate::model::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })
    }
}
