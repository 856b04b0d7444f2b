//! `/claim`: the customer admin takes over the workspace a partner provisioned.
//! `/register?tenantClaim=…` keeps the token in this browser and leads here.
use leptos::prelude::*;

use super::PublicHeader;
use crate::api::claims::{ClaimTenant, claim_preview};
use crate::api::types::ClaimInfo;
use crate::ui::forms::FormError;
use crate::ui::gate::Gate;
use crate::ui::widgets::{Loading, or_error};

#[component]
pub fn ClaimPage() -> impl IntoView {
    view! {
        <PublicHeader />
        <main class="page">
            <Gate admits=|_| true>
                <ClaimPanel />
            </Gate>
        </main>
    }
}

#[component]
fn ClaimPanel() -> impl IntoView {
    let preview = Resource::new(|| (), |_| claim_preview());
    view! {
        <section class="card narrow" data-testid="claim">
            <Suspense fallback=Loading>
                {move || {
                    preview
                        .get()
                        .map(|r| {
                            or_error(
                                r,
                                |found| match found {
                                    None => view! { <NoClaim /> }.into_any(),
                                    Some(info) if info.problem.is_some() => {
                                        view! { <ClaimProblem info /> }.into_any()
                                    }
                                    Some(info) => view! { <ClaimOffer info /> }.into_any(),
                                },
                            )
                        })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn NoClaim() -> impl IntoView {
    view! {
        <h1>"No claim link in this browser"</h1>
        <p class="muted" data-testid="claim-none">
            "Open the claim link your partner sent you, then come back here to claim your workspace."
        </p>
        <p><a href="/dashboard">"Go to your dashboard"</a></p>
    }
}

#[component]
fn ClaimProblem(info: ClaimInfo) -> impl IntoView {
    view! {
        <h1>"This claim link can't be used"</h1>
        <p class="form-error" role="alert" data-testid="claim-problem">{info.problem}</p>
        <p class="muted">
            {format!("It was for the workspace “{}” from {}. Ask them for a new link.", info.workspace_name, info.partner_name)}
        </p>
    }
}

#[component]
fn ClaimOffer(info: ClaimInfo) -> impl IntoView {
    let action = ServerAction::<ClaimTenant>::new();
    let result = Signal::derive(move || action.value().get());
    view! {
        <h1>"Claim your workspace"</h1>
        <p data-testid="claim-offer">
            "Claim " <strong data-testid="claim-workspace">{info.workspace_name}</strong> " provisioned by "
            <strong data-testid="claim-partner">{info.partner_name}</strong> " on the "
            <strong data-testid="claim-plan">{info.plan_name}</strong> " plan."
        </p>
        <p class="muted">"You become the workspace's owner."</p>
        <ActionForm action attr:class="form">
            <FormError result />
            <button type="submit" data-testid="claim-submit" disabled=move || action.pending().get()>
                "Claim workspace"
            </button>
        </ActionForm>
    }
}
